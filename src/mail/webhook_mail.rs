//! Mail about the owner's webhook endpoints: one that kept failing for a day
//! and was paused.

use super::templates::{Letter, Rendered};
use crate::i18n::Lang;

/// To owners: a webhook endpoint failed for `hours` and no longer receives
/// messages until it is resumed.
pub struct WebhookPaused<'a> {
    /// Owner's language.
    pub lang: Lang,
    /// The business name (may be empty).
    pub business: &'a str,
    /// The endpoint's host.
    pub host: &'a str,
    /// How long it failed.
    pub hours: i64,
    /// Absolute link to the endpoint's page.
    pub link: &'a str,
}

impl WebhookPaused<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let hours = self.hours.to_string();
        let args = [("host", self.host), ("hours", hours.as_str())];
        let shop = if self.business.is_empty() {
            "Tellus"
        } else {
            self.business
        };
        Letter::new(self.lang)
            .say("webhook-paused-mail-body", &args)
            .say("webhook-paused-mail-resume", &[])
            .link("webhook-paused-mail-link", self.link)
            .for_staff(shop, "webhook-paused-mail-subject", &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_mails() {
        for lang in Lang::ALL {
            let mail = WebhookPaused {
                lang,
                business: "Bakkerij De Zon",
                host: "hooks.example.com",
                hours: 24,
                link: "https://shop.example/staff/settings/webhooks/1",
            }
            .render();
            assert!(mail
                .text
                .contains("https://shop.example/staff/settings/webhooks/1"));
            let shown = format!(
                "Subject: {}\n\n{}\n----\n{}",
                mail.subject, mail.text, mail.html
            );
            insta::assert_snapshot!(format!("webhook_paused_{}", lang.code()), shown);
        }
    }
}
