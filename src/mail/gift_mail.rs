//! Gift mails: the gift itself to the customer (a link to their gift page,
//! never the code, never a review request), the notice to owners that a gift
//! waits for their approval, and the answer to the staff member who asked.
//! Text and HTML, in the reader's language, through `templates::render`.
//!
//! The customer's mail carries the `/v/{token}` link, and the database keeps
//! only the token's hash; so that the outbox does not keep a live link
//! either, the worker empties the body of a gift mail once it is delivered
//! ([`super::outbox::MailKind::EMPTIED_AFTER_SENDING`]). From then on the
//! link lives only in the customer's mailbox.

use super::templates::{Letter, Rendered};
use crate::i18n::Lang;

/// To the customer: a thank-you gift.
pub struct GiftForCustomer<'a> {
    /// The gift's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// The customer's name, if known.
    pub name: Option<&'a str>,
    /// The gift's title.
    pub title: &'a str,
    /// Its value (`€ 12,50`, `15%`).
    pub value: &'a str,
    /// The personal message (may be empty).
    pub message: &'a str,
    /// The last day it is valid, as the reader writes dates.
    pub expires: &'a str,
    /// Absolute link to `/v/{token}`.
    pub link: &'a str,
}

impl GiftForCustomer<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        let body = [
            ("shop", self.shop),
            ("title", self.title),
            ("value", self.value),
        ];
        let personal = Some(self.message).filter(|m| !m.trim().is_empty());
        let subject = lang.t_with("gift-mail-subject", &[("shop", self.shop)]);
        let footer = lang.t_with("gift-mail-footer", &[("shop", self.shop)]);
        Letter::new(lang)
            .greeting(self.name)
            .say("gift-mail-body", &body)
            .quote(personal)
            .link("gift-mail-link", self.link)
            .say("gift-mail-expires", &[("date", self.expires)])
            .finish(subject.into_owned(), footer.into_owned())
    }
}

/// To owners: a staff member's gift waits for approval.
pub struct GiftWaiting<'a> {
    /// Owner's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// The gift's title.
    pub title: &'a str,
    /// What it costs, formatted.
    pub cost: &'a str,
    /// Who asked.
    pub asked_by: &'a str,
    /// Absolute link to the approvals list.
    pub link: &'a str,
}

impl GiftWaiting<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let args = [
            ("shop", self.shop),
            ("title", self.title),
            ("cost", self.cost),
            ("name", self.asked_by),
        ];
        Letter::new(self.lang)
            .say("gift-waiting-mail-body", &args)
            .link("gift-waiting-mail-link", self.link)
            .for_staff(self.shop, "gift-waiting-mail-subject", &args)
    }
}

/// To the staff member who asked: an owner approved or declined their gift.
pub struct GiftDecided<'a> {
    /// Their language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// The gift's title.
    pub title: &'a str,
    /// Approved (and sent) or declined.
    pub approved: bool,
    /// The owner's reason for declining, if given.
    pub reason: Option<&'a str>,
    /// Absolute link to the gift's staff page.
    pub link: &'a str,
}

impl GiftDecided<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let args = [("title", self.title)];
        let (subject, body) = if self.approved {
            ("gift-approved-mail-subject", "gift-approved-mail-body")
        } else {
            ("gift-declined-mail-subject", "gift-declined-mail-body")
        };
        Letter::new(self.lang)
            .say(body, &args)
            .quote(self.reason)
            .link("gift-decided-mail-link", self.link)
            .for_staff(self.shop, subject, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three gift mails in every language.
    #[test]
    fn rendered_mails() {
        let link = "https://shop.example/staff/gifts/3";
        for lang in Lang::ALL {
            let mails = [
                (
                    "gift",
                    GiftForCustomer {
                        lang,
                        shop: "Bakkerij De Zon",
                        name: Some("Camille"),
                        title: "Des fleurs",
                        value: "20,00 €",
                        message: "Merci de nous l’avoir dit.",
                        expires: "3/12/2026",
                        link: "https://shop.example/v/[token]",
                    }
                    .render(),
                ),
                (
                    "gift_waiting",
                    GiftWaiting {
                        lang,
                        shop: "Centrum",
                        title: "Bloemen",
                        cost: "€ 15,00",
                        asked_by: "Ahmed",
                        link: "https://shop.example/staff/gifts/approvals",
                    }
                    .render(),
                ),
                (
                    "gift_approved",
                    GiftDecided {
                        lang,
                        shop: "Centrum",
                        title: "Bloemen",
                        approved: true,
                        reason: None,
                        link,
                    }
                    .render(),
                ),
                (
                    "gift_declined",
                    GiftDecided {
                        lang,
                        shop: "Centrum",
                        title: "Bloemen",
                        approved: false,
                        reason: Some("Over this month's budget."),
                        link,
                    }
                    .render(),
                ),
            ];
            for (name, mail) in mails {
                insta::assert_snapshot!(format!("{name}_{}", lang.code()), mail.shown());
            }
        }
    }
}
