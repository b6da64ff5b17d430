//! Mail templates: plain text and HTML for every mail, in the recipient's
//! language. Pure functions of their data; user text is escaped by maud in the
//! HTML part and left as plain text in the text part.

use crate::i18n::Lang;
// The fragment put into the frame is this module's own maud output, escaped
// when it was rendered; nothing from users reaches `PreEscaped` unescaped.
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// A mail ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line.
    pub subject: String,
    /// text/plain part.
    pub text: String,
    /// text/html part.
    pub html: String,
}

#[cfg(test)]
impl Rendered {
    /// Subject, text and HTML as one text, for snapshot tests.
    pub(crate) fn shown(&self) -> String {
        format!(
            "Subject: {}\n\n{}\n----- html -----\n{}",
            self.subject, self.text, self.html
        )
    }
}

/// One block of a mail: a paragraph, a quoted customer text, or a link.
pub(crate) enum Block {
    Para(String),
    Quote(String),
    Link(String, String),
}

/// Renders a mail's own content: the text part, and the HTML fragment the
/// mail worker puts into the business's frame ([`frame`]) when it sends it.
pub(crate) fn render(lang: Lang, subject: String, blocks: &[Block], footer: String) -> Rendered {
    let mut text = String::new();
    for block in blocks {
        match block {
            Block::Para(p) => text.push_str(p),
            Block::Quote(q) => {
                for line in q.lines() {
                    text.push_str("> ");
                    text.push_str(line);
                    text.push('\n');
                }
            }
            Block::Link(label, url) => {
                text.push_str(label);
                text.push('\n');
                text.push_str(url);
            }
        }
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(&footer);
    text.push('\n');
    let body: Markup = html! {
        div lang=(lang.code()) {
            @for block in blocks {
                @match block {
                    Block::Para(p) => p style="margin: 0 0 1em; white-space: pre-wrap;" { (p) },
                    Block::Quote(q) => blockquote style="border-left: 4px solid #c8d3da; margin: 0 0 1em; padding: 0 1em; white-space: pre-wrap;" { (q) },
                    Block::Link(label, url) => p { (label) br; a href=(url) { (url) } },
                }
            }
            hr style="border: 0; border-top: 1px solid #c8d3da; margin: 2em 0 1em;";
            p style="font-size: 13px; color: #5b6b75;" { (footer) }
        }
    };
    Rendered {
        subject,
        text,
        html: body.into_string(),
    }
}

/// The message `key`, with its arguments filled in when it has any.
fn message(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    if args.is_empty() {
        lang.t(key).into_owned()
    } else {
        lang.t_with(key, args).into_owned()
    }
}

/// A mail being written in the recipient's language, block by block, then
/// rendered with the footer that says why they get it.
pub(crate) struct Letter {
    lang: Lang,
    blocks: Vec<Block>,
}

impl Letter {
    /// An empty mail in `lang`.
    pub(crate) fn new(lang: Lang) -> Self {
        Letter {
            lang,
            blocks: Vec::new(),
        }
    }

    /// "Dear {name}," or, without a name, the greeting for anyone.
    pub(crate) fn greeting(self, name: Option<&str>) -> Self {
        match name {
            Some(name) => self.say("mail-ack-greeting", &[("name", name)]),
            None => self.say("mail-ack-greeting-anonymous", &[]),
        }
    }

    /// A paragraph: the message `key` with `args`.
    pub(crate) fn say(self, key: &str, args: &[(&str, &str)]) -> Self {
        let text = message(self.lang, key, args);
        self.para(text)
    }

    /// A paragraph of text as it is (a staff member's answer).
    pub(crate) fn para(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Para(text.into()));
        self
    }

    /// Someone's own words, quoted, when there are any.
    pub(crate) fn quote(mut self, text: Option<&str>) -> Self {
        if let Some(text) = text {
            self.blocks.push(Block::Quote(text.to_owned()));
        }
        self
    }

    /// A link labelled with the message `key`.
    pub(crate) fn link(self, key: &str, url: &str) -> Self {
        self.link_with(key, &[], url)
    }

    /// A link labelled with the message `key` with `args`.
    pub(crate) fn link_with(self, key: &str, args: &[(&str, &str)], url: &str) -> Self {
        let label = message(self.lang, key, args);
        self.labelled_link(label, url)
    }

    /// A link with a label made by the caller.
    pub(crate) fn labelled_link(mut self, label: impl Into<String>, url: &str) -> Self {
        self.blocks.push(Block::Link(label.into(), url.to_owned()));
        self
    }

    /// The mail to staff of `shop`; the subject is the message `key` with `args`.
    pub(crate) fn for_staff(self, shop: &str, key: &str, args: &[(&str, &str)]) -> Rendered {
        let footer = self.lang.t_with("mail-alert-footer", &[("shop", shop)]);
        let subject = message(self.lang, key, args);
        self.finish(subject, footer.into_owned())
    }

    /// The mail to a customer who gave their address with feedback for
    /// `shop`; the subject is the message `key` with `args`.
    pub(crate) fn for_customer(self, shop: &str, key: &str, args: &[(&str, &str)]) -> Rendered {
        let footer = self.lang.t_with("mail-footer", &[("shop", shop)]);
        let subject = message(self.lang, key, args);
        self.finish(subject, footer.into_owned())
    }

    /// The mail with its own subject and footer.
    pub(crate) fn finish(self, subject: String, footer: String) -> Rendered {
        render(self.lang, subject, &self.blocks, footer)
    }
}

/// Who a mail comes from, as the recipient should recognise it: the business
/// name and, when it has one, its logo (an absolute address).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailBrand {
    /// The business name; empty until the owner sets one.
    pub name: String,
    /// `https://…/logo?v=…`, when there is a logo.
    pub logo_url: Option<String>,
}

/// The whole message as sent: the business's name (and logo) above the
/// mail's own content, in text and HTML. Content queued before mails were
/// framed (a whole HTML document) is sent as it is.
pub fn frame(
    brand: &MailBrand,
    subject: &str,
    text: &str,
    html_fragment: &str,
) -> (String, String) {
    if html_fragment.trim_start().starts_with("<!DOCTYPE") {
        return (text.to_owned(), html_fragment.to_owned());
    }
    let name = brand.name.trim();
    let text = if name.is_empty() {
        text.to_owned()
    } else {
        format!("{name}\n\n{text}")
    };
    let html = html! {
        (DOCTYPE)
        html {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (subject) }
            }
            body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1d2a33; max-width: 36em; margin: 0 auto; padding: 1em;" {
                @if !name.is_empty() || brand.logo_url.is_some() {
                    header style="margin-bottom: 1.5em; border-bottom: 1px solid #c8d3da; padding-bottom: 0.75em;" {
                        @if let Some(logo) = &brand.logo_url {
                            img src=(logo) alt=(name) height="48" style="height: 48px; width: auto; vertical-align: middle;";
                        }
                        @if !name.is_empty() {
                            " " strong style="font-size: 18px; vertical-align: middle;" { (name) }
                        }
                    }
                }
                (PreEscaped(html_fragment))
            }
        }
    };
    (text, html.into_string())
}

/// To the customer: we received your complaint, here is your private page.
pub struct Acknowledgement<'a> {
    /// Customer's language.
    pub lang: Lang,
    /// The shop as the customer knows it (the location's name).
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// Customer's name, if given.
    pub name: Option<&'a str>,
    /// Their message, if any.
    pub message: Option<&'a str>,
    /// Absolute link to `/t/{token}`.
    pub ticket_link: &'a str,
}

impl Acknowledgement<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let reference = [("reference", self.reference)];
        let mut letter = Letter::new(self.lang).greeting(self.name).say(
            "mail-ack-body",
            &[("shop", self.shop), ("reference", self.reference)],
        );
        if let Some(message) = self.message {
            letter = letter.say("mail-your-message", &[]).quote(Some(message));
        }
        letter.link("mail-ack-link", self.ticket_link).for_customer(
            self.shop,
            "mail-ack-subject",
            &reference,
        )
    }
}

/// To staff: new feedback arrived.
pub struct StaffAlert<'a> {
    /// Staff member's language.
    pub lang: Lang,
    /// The shop as staff know it (the location's name).
    pub shop: &'a str,
    /// The location's name.
    pub location: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// The face, 1–4.
    pub face: i16,
    /// The customer's message, if any.
    pub message: Option<&'a str>,
    /// Absolute link to the staff ticket page.
    pub staff_link: &'a str,
}

impl StaffAlert<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let face = self.lang.t(&format!("face-{}", self.face));
        Letter::new(self.lang)
            .say(
                "mail-alert-body",
                &[("location", self.location), ("face", &face)],
            )
            .quote(self.message)
            .link("mail-alert-link", self.staff_link)
            .for_staff(
                self.shop,
                "mail-alert-subject",
                &[("reference", self.reference), ("location", self.location)],
            )
    }
}

/// To the customer: a staff member answered.
pub struct StaffReply<'a> {
    /// Customer's language.
    pub lang: Lang,
    /// The shop as the customer knows it (the location's name).
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// The answer.
    pub body: &'a str,
    /// Absolute link to `/t/{token}`, when the ticket page can be linked.
    pub ticket_link: Option<&'a str>,
}

impl StaffReply<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let mut letter = Letter::new(self.lang).para(self.body);
        if let Some(link) = self.ticket_link {
            letter = letter.link("mail-reply-link", link);
        }
        letter.for_customer(
            self.shop,
            "mail-reply-subject",
            &[("reference", self.reference)],
        )
    }
}

/// To staff: the customer answered on their ticket page.
pub struct CustomerReplied<'a> {
    /// Staff member's language.
    pub lang: Lang,
    /// The shop as staff know it (the location's name).
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// What the customer wrote.
    pub body: &'a str,
    /// Absolute link to the staff ticket page.
    pub staff_link: &'a str,
}

impl CustomerReplied<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        Letter::new(self.lang)
            .quote(Some(self.body))
            .link("mail-alert-link", self.staff_link)
            .for_staff(
                self.shop,
                "mail-customer-reply-subject",
                &[("reference", self.reference)],
            )
    }
}

/// To a staff member: a ticket is now theirs.
pub struct Assigned<'a> {
    /// The assignee's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// Ticket reference.
    pub reference: &'a str,
    /// The assignee's name.
    pub assignee: &'a str,
    /// Who assigned it.
    pub by: &'a str,
    /// The customer's message, if any.
    pub message: Option<&'a str>,
    /// Absolute link to the staff ticket page.
    pub staff_link: &'a str,
}

impl Assigned<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        let body = [
            ("name", self.assignee),
            ("by", self.by),
            ("reference", self.reference),
            ("location", self.shop),
        ];
        Letter::new(self.lang)
            .say("mail-assigned-body", &body)
            .quote(self.message)
            .link("mail-alert-link", self.staff_link)
            .for_staff(
                self.shop,
                "mail-assigned-subject",
                &[("reference", self.reference)],
            )
    }
}

/// To the customer: their report is handled together with another one.
pub struct Merged<'a> {
    /// Customer's language.
    pub lang: Lang,
    /// The location's name.
    pub shop: &'a str,
    /// The merged report's reference.
    pub reference: &'a str,
    /// The reference it continues under.
    pub into: &'a str,
    /// Absolute link to the page where the conversation goes on.
    pub ticket_link: &'a str,
}

impl Merged<'_> {
    /// Renders the mail.
    pub fn render(&self) -> Rendered {
        Letter::new(self.lang)
            .say(
                "mail-merged-body",
                &[("reference", self.reference), ("into", self.into)],
            )
            .link("mail-reply-link", self.ticket_link)
            .for_customer(
                self.shop,
                "mail-merged-subject",
                &[("reference", self.reference)],
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Staff alert, customer reply, assignment and merge, in every language
    /// (the acknowledgement and the staff reply are snapshotted through the
    /// outbox by the integration tests).
    #[test]
    fn rendered_mails() {
        let staff_link = "https://shop.example/staff/tickets/7";
        let ticket_link = "https://shop.example/t/[token]";
        for lang in Lang::ALL {
            let mails = [
                (
                    "staff_alert",
                    StaffAlert {
                        lang,
                        shop: "Bakkerij De Zon",
                        location: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        face: 1,
                        message: Some("Het brood was oud."),
                        staff_link,
                    }
                    .render(),
                ),
                (
                    "customer_replied",
                    CustomerReplied {
                        lang,
                        shop: "Bakkerij De Zon",
                        reference: "TL-ABCD-EFGH",
                        body: "Dank u, tot zaterdag.",
                        staff_link,
                    }
                    .render(),
                ),
                (
                    "assigned",
                    Assigned {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        assignee: "Ahmed",
                        by: "Olga",
                        message: None,
                        staff_link,
                    }
                    .render(),
                ),
                (
                    "merged",
                    Merged {
                        lang,
                        shop: "Centrum",
                        reference: "TL-ABCD-EFGH",
                        into: "TL-WXYZ-2345",
                        ticket_link,
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
