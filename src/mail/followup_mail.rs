//! Follow-up mails the background jobs and the satisfaction answer send:
//! the escalation of a missed target (to owners), the gentle reminder to a
//! customer we are waiting on, the satisfaction survey with its four faces,
//! the alert about an unhappy answer, and the daily digest for staff. Text and
//! HTML, nl and en, through `templates::render`.

use super::templates::{Letter, Rendered};
use crate::domain::sla::TimeLeft;
use crate::i18n::Lang;
use crate::views::sla::time_left_text;

/// Which target a ticket missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// No staff answer in time.
    FirstResponse,
    /// Not resolved in time.
    Resolution,
}

impl Breach {
    /// Stored form (event detail, column name stem).
    pub fn as_str(self) -> &'static str {
        match self {
            Breach::FirstResponse => "first_response",
            Breach::Resolution => "resolution",
        }
    }
}

/// To owners: a ticket missed a target.
pub struct Escalation<'a> {
    /// Owner's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// Which target.
    pub breach: Breach,
    /// How late it is.
    pub late: TimeLeft,
    /// Absolute link to the staff ticket page.
    pub staff_link: &'a str,
}

impl Escalation<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        let what = match self.breach {
            Breach::FirstResponse => lang.t("followup-escalation-first-response"),
            Breach::Resolution => lang.t("followup-escalation-resolution"),
        };
        let late = time_left_text(lang, self.late);
        let body = [
            ("reference", self.reference),
            ("location", self.shop),
            ("what", &what),
            ("late", &late),
        ];
        Letter::new(lang)
            .say("followup-escalation-body", &body)
            .link("mail-alert-link", self.staff_link)
            .for_staff(
                self.shop,
                "followup-escalation-subject",
                &[("reference", self.reference), ("what", &what)],
            )
    }
}

/// To the customer: we are still waiting for your answer.
pub struct WaitingReminder<'a> {
    /// Customer's language.
    pub lang: Lang,
    /// The shop as the customer knows it.
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// Customer's name, if given.
    pub name: Option<&'a str>,
    /// Absolute link to `/t/{token}`.
    pub ticket_link: &'a str,
}

impl WaitingReminder<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        Letter::new(self.lang)
            .greeting(self.name)
            .say(
                "followup-reminder-body",
                &[("shop", self.shop), ("reference", self.reference)],
            )
            .link("followup-reminder-link", self.ticket_link)
            .for_customer(
                self.shop,
                "followup-reminder-subject",
                &[("reference", self.reference)],
            )
    }
}

/// To the customer, some hours after resolution: did we solve it?
pub struct Survey<'a> {
    /// Customer's language.
    pub lang: Lang,
    /// The shop as the customer knows it.
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// Customer's name, if given.
    pub name: Option<&'a str>,
    /// Absolute links to `/t/{token}/rate/1` … `/4`.
    pub face_links: [String; 4],
}

impl Survey<'_> {
    /// Renders the mail; the happiest face first, as on the form.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        let mut letter = Letter::new(lang).greeting(self.name).say(
            "followup-survey-body",
            &[("shop", self.shop), ("reference", self.reference)],
        );
        for face in (1..=4).rev() {
            letter = letter.link(&format!("face-{face}"), &self.face_links[face - 1]);
        }
        letter.say("followup-survey-once", &[]).for_customer(
            self.shop,
            "followup-survey-subject",
            &[("reference", self.reference)],
        )
    }
}

/// To the assignee (or all staff): the customer is not happy with the outcome.
pub struct UnhappyAnswer<'a> {
    /// Staff member's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// The face chosen, 1 or 2.
    pub face: i16,
    /// Absolute link to the staff ticket page.
    pub staff_link: &'a str,
}

impl UnhappyAnswer<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let face = self.lang.t(&format!("face-{}", self.face.clamp(1, 4)));
        Letter::new(self.lang)
            .say(
                "followup-unhappy-body",
                &[("reference", self.reference), ("face", &face)],
            )
            .link("mail-alert-link", self.staff_link)
            .for_staff(
                self.shop,
                "followup-unhappy-subject",
                &[("reference", self.reference)],
            )
    }
}

/// One ticket in the digest.
pub struct DigestItem {
    /// Ticket reference.
    pub reference: String,
    /// The location's name.
    pub location: String,
    /// Time left or overdue, when the ticket has a due moment.
    pub due: Option<TimeLeft>,
    /// Whether nobody is assigned.
    pub unassigned: bool,
    /// Absolute link to the staff ticket page.
    pub link: String,
}

/// To each staff member and owner, once a day: what is open.
pub struct Digest<'a> {
    /// Recipient's language.
    pub lang: Lang,
    /// Open tickets (new, open or waiting).
    pub open: i64,
    /// Open tickets past their due moment.
    pub overdue: i64,
    /// Open tickets nobody is assigned to.
    pub unassigned: i64,
    /// Open tickets assigned to the recipient.
    pub mine: i64,
    /// The most urgent tickets, most urgent first.
    pub items: &'a [DigestItem],
    /// Absolute link to the inbox.
    pub inbox_link: &'a str,
}

impl Digest<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let lang = self.lang;
        let n = |v: i64| v.to_string();
        let mut letter = Letter::new(lang).say(
            "followup-digest-counts",
            &[
                ("open", &n(self.open)),
                ("overdue", &n(self.overdue)),
                ("unassigned", &n(self.unassigned)),
                ("mine", &n(self.mine)),
            ],
        );
        if !self.items.is_empty() {
            letter = letter.say("followup-digest-top", &[]);
        }
        for item in self.items {
            let mut label = format!("{} · {}", item.reference, item.location);
            if let Some(due) = item.due {
                label.push_str(" · ");
                label.push_str(&time_left_text(lang, due));
            }
            if item.unassigned {
                label.push_str(" · ");
                label.push_str(&lang.t("followup-digest-unassigned"));
            }
            letter = letter.labelled_link(label, &item.link);
        }
        let subject = lang.t_with(
            "followup-digest-subject",
            &[("open", &n(self.open)), ("overdue", &n(self.overdue))],
        );
        letter
            .link("followup-digest-inbox", self.inbox_link)
            .finish(
                subject.into_owned(),
                lang.t("followup-digest-footer").into_owned(),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_has_four_faces_in_both_parts() {
        for lang in Lang::ALL {
            let mail = Survey {
                lang,
                shop: "Bakkerij <De Zon>",
                reference: "ABC-123",
                name: Some("Anna"),
                face_links: [1, 2, 3, 4].map(|f| format!("https://x.example/t/tok/rate/{f}")),
            }
            .render();
            for face in 1..=4 {
                let link = format!("https://x.example/t/tok/rate/{face}");
                assert!(mail.text.contains(&link), "{}", mail.text);
                assert!(mail.html.contains(&format!("href=\"{link}\"")));
            }
            assert!(mail.html.contains("Bakkerij &lt;De Zon&gt;"));
            assert!(mail.subject.contains("ABC-123"));
        }
    }

    #[test]
    fn digest_lists_counts_and_items() {
        let items = [DigestItem {
            reference: "ABC-123".into(),
            location: "Centrum".into(),
            due: Some(TimeLeft::Overdue(25)),
            unassigned: true,
            link: "https://x.example/staff/tickets/1".into(),
        }];
        let mail = Digest {
            lang: Lang::En,
            open: 3,
            overdue: 1,
            unassigned: 2,
            mine: 0,
            items: &items,
            inbox_link: "https://x.example/staff/inbox",
        }
        .render();
        assert!(
            mail.text.contains("ABC-123 · Centrum · overdue by 25 min"),
            "{}",
            mail.text
        );
        assert!(mail.subject.contains('3'));
    }
    /// Every follow-up mail as people receive it, both languages. Links carry
    /// a fixed stand-in where the real ones carry a secret token.
    #[test]
    fn rendered_mails() {
        const TOKEN: &str = "[token]";
        let staff_link = "https://shop.example/staff/tickets/7";
        let items = [DigestItem {
            reference: "TL-ABCD-EFGH".into(),
            location: "Centrum".into(),
            due: Some(TimeLeft::Left(130)),
            unassigned: false,
            link: staff_link.into(),
        }];
        for lang in Lang::ALL {
            let mails = [
                (
                    "escalation",
                    Escalation {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        breach: Breach::FirstResponse,
                        late: TimeLeft::Overdue(25),
                        staff_link,
                    }
                    .render(),
                ),
                (
                    "reminder",
                    WaitingReminder {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        name: Some("Anna"),
                        ticket_link: &format!("https://shop.example/t/{TOKEN}"),
                    }
                    .render(),
                ),
                (
                    "survey",
                    Survey {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        name: None,
                        face_links: [1, 2, 3, 4]
                            .map(|f| format!("https://shop.example/t/{TOKEN}/rate/{f}")),
                    }
                    .render(),
                ),
                (
                    "unhappy",
                    UnhappyAnswer {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        face: 1,
                        staff_link,
                    }
                    .render(),
                ),
                (
                    "digest",
                    Digest {
                        lang,
                        open: 3,
                        overdue: 0,
                        unassigned: 1,
                        mine: 2,
                        items: &items,
                        inbox_link: "https://shop.example/staff/inbox",
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
