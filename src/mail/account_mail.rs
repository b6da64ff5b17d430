//! Account mail: the owner's invitation and the password reset link, text and
//! HTML, in the recipient's language. Both carry a one-use link; neither
//! repeats anything the recipient typed except their own name.

use super::templates::{Letter, Rendered};
use crate::i18n::Lang;

/// To a new staff member: the owner invites them, with a link to set a password.
pub struct Invite<'a> {
    /// The language the owner chose for them.
    pub lang: Lang,
    /// The business, as staff know it (may be empty before it is set).
    pub business: &'a str,
    /// Who invites.
    pub inviter: &'a str,
    /// The new member's name.
    pub name: &'a str,
    /// Absolute link to `/invite/{token}`.
    pub link: &'a str,
    /// Hours the link is valid.
    pub valid_hours: i64,
}

impl Invite<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        // Before the owner names the business, the mail speaks of "the shop".
        let business = if self.business.trim().is_empty() {
            lang.t("account-mail-the-shop").into_owned()
        } else {
            self.business.to_owned()
        };
        let hours = self.valid_hours.to_string();
        let subject = lang.t_with("account-mail-invite-subject", &[("business", &business)]);
        Letter::new(lang)
            .say("account-mail-greeting", &[("name", self.name)])
            .say(
                "account-mail-invite-body",
                &[("inviter", self.inviter), ("business", &business)],
            )
            .link_with("account-mail-invite-link", &[("hours", &hours)], self.link)
            .finish(
                subject.into_owned(),
                lang.t("account-mail-invite-footer").into_owned(),
            )
    }
}

/// To a staff member who asked for it: a link to set a new password.
pub struct PasswordReset<'a> {
    /// Their language.
    pub lang: Lang,
    /// Their name.
    pub name: &'a str,
    /// Absolute link to `/staff/reset/{token}`.
    pub link: &'a str,
    /// Minutes the link is valid.
    pub valid_minutes: i64,
}

impl PasswordReset<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        let minutes = self.valid_minutes.to_string();
        Letter::new(lang)
            .say("account-mail-greeting", &[("name", self.name)])
            .say("account-mail-reset-body", &[])
            .link_with(
                "account-mail-reset-link",
                &[("minutes", &minutes)],
                self.link,
            )
            .say("account-mail-reset-ignore", &[])
            .finish(
                lang.t("account-mail-reset-subject").into_owned(),
                lang.t("account-mail-reset-footer").into_owned(),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole mails, both parts, both languages (the links carry a fixed
    /// placeholder instead of a token).
    #[test]
    fn rendered_mails() {
        for lang in Lang::ALL {
            let invite = Invite {
                lang,
                business: "Bakkerij De Zon",
                inviter: "Olga Owner",
                name: "Nina",
                link: "https://shop.example/invite/[token]",
                valid_hours: 72,
            }
            .render();
            let reset = PasswordReset {
                lang,
                name: "Nina",
                link: "https://shop.example/staff/reset/[token]",
                valid_minutes: 30,
            }
            .render();
            for (name, mail) in [("invite", invite), ("reset", reset)] {
                let shown = format!(
                    "Subject: {}\n\n{}\n----\n{}",
                    mail.subject, mail.text, mail.html
                );
                insta::assert_snapshot!(format!("{name}_{}", lang.code()), shown);
            }
        }
    }

    #[test]
    fn both_languages_carry_the_link_in_both_parts() {
        for lang in Lang::ALL {
            let mail = Invite {
                lang,
                business: "Bakkerij <De Zon>",
                inviter: "Olga",
                name: "Nina",
                link: "https://shop.example/invite/TOKEN",
                valid_hours: 72,
            }
            .render();
            assert!(mail.text.contains("https://shop.example/invite/TOKEN"));
            assert!(mail.html.contains("https://shop.example/invite/TOKEN"));
            assert!(mail.html.contains("Bakkerij &lt;De Zon&gt;"));
            assert!(mail.text.contains("72"));
            let reset = PasswordReset {
                lang,
                name: "Nina",
                link: "https://shop.example/staff/reset/TOKEN",
                valid_minutes: 30,
            }
            .render();
            assert!(reset
                .text
                .contains("https://shop.example/staff/reset/TOKEN"));
            assert!(reset
                .html
                .contains("https://shop.example/staff/reset/TOKEN"));
            assert!(reset.text.contains("30"));
        }
    }
}
