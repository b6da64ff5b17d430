//! The staff mail about a burst alert: how many of the last answers at a
//! location were unhappy (or happy), and a link to the alerts page. Text and
//! HTML, nl and en, through `templates::render`.

use super::templates::{Letter, Rendered};
use crate::i18n::Lang;

/// To every staff member and owner: a location's burst rule fired.
pub struct BurstAlert<'a> {
    /// Staff member's language.
    pub lang: Lang,
    /// The location's name.
    pub location: &'a str,
    /// A happy burst rather than an unhappy one.
    pub happy: bool,
    /// Answers in the window.
    pub answers: &'a str,
    /// Answers of the burst's kind among them.
    pub matching: &'a str,
    /// The window's length, in minutes.
    pub minutes: &'a str,
    /// Absolute link to the alert on the alerts page.
    pub link: &'a str,
}

impl BurstAlert<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let args = [
            ("location", self.location),
            ("answers", self.answers),
            ("matching", self.matching),
            ("minutes", self.minutes),
        ];
        let (subject, body) = if self.happy {
            ("alert-mail-happy-subject", "alert-mail-happy-body")
        } else {
            ("alert-mail-unhappy-subject", "alert-mail-unhappy-body")
        };
        Letter::new(self.lang)
            .say(body, &args)
            .say("alert-mail-acknowledge", &[])
            .link("alert-mail-link", self.link)
            .for_staff(self.location, subject, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mail as staff receive it, both kinds, both languages.
    #[test]
    fn rendered_mails() {
        for lang in Lang::ALL {
            for happy in [false, true] {
                let mail = BurstAlert {
                    lang,
                    location: "Centrum",
                    happy,
                    answers: "6",
                    matching: "4",
                    minutes: "15",
                    link: "https://shop.example/staff/alerts#alert-3",
                }
                .render();
                let kind = if happy { "happy" } else { "unhappy" };
                insta::assert_snapshot!(format!("burst_{kind}_{}", lang.code()), mail.shown());
            }
        }
    }
}
