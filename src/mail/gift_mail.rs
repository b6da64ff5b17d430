//! Gift mails: the gift itself to the customer (a link to their gift page,
//! never the code, never a review request), the notice to owners that a gift
//! waits for their approval, and the answer to the staff member who asked.
//! Text and HTML, nl and en, through `templates::render`.
//!
//! The customer's mail carries the `/v/{token}` link, and the database keeps
//! only the token's hash; so that the outbox does not keep a live link
//! either, the worker empties the body of a gift mail once it is delivered
//! ([`super::outbox::MailKind::EMPTIED_AFTER_SENDING`]). From then on the
//! link lives only in the customer's mailbox.

use super::templates::{render, staff_mail, Block, Rendered};
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
        let greeting = match self.name {
            Some(name) => lang.t_with("mail-ack-greeting", &[("name", name)]),
            None => lang.t("mail-ack-greeting-anonymous"),
        };
        let mut blocks = vec![
            Block::Para(greeting.into_owned()),
            Block::Para(
                lang.t_with(
                    "gift-mail-body",
                    &[
                        ("shop", self.shop),
                        ("title", self.title),
                        ("value", self.value),
                    ],
                )
                .into_owned(),
            ),
        ];
        if !self.message.trim().is_empty() {
            blocks.push(Block::Quote(self.message.to_owned()));
        }
        blocks.push(Block::Link(
            lang.t("gift-mail-link").into_owned(),
            self.link.to_owned(),
        ));
        blocks.push(Block::Para(
            lang.t_with("gift-mail-expires", &[("date", self.expires)])
                .into_owned(),
        ));
        let subject = lang.t_with("gift-mail-subject", &[("shop", self.shop)]);
        let footer = lang.t_with("gift-mail-footer", &[("shop", self.shop)]);
        render(lang, subject.into_owned(), &blocks, footer.into_owned())
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
        let lang = self.lang;
        let args = [
            ("shop", self.shop),
            ("title", self.title),
            ("cost", self.cost),
            ("name", self.asked_by),
        ];
        let blocks = [
            Block::Para(lang.t_with("gift-waiting-mail-body", &args).into_owned()),
            Block::Link(
                lang.t("gift-waiting-mail-link").into_owned(),
                self.link.to_owned(),
            ),
        ];
        let subject = lang.t_with("gift-waiting-mail-subject", &args);
        staff_mail(lang, subject.into_owned(), &blocks, self.shop)
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
        let lang = self.lang;
        let args = [("title", self.title)];
        let (subject, body) = if self.approved {
            ("gift-approved-mail-subject", "gift-approved-mail-body")
        } else {
            ("gift-declined-mail-subject", "gift-declined-mail-body")
        };
        let mut blocks = vec![Block::Para(lang.t_with(body, &args).into_owned())];
        if let Some(reason) = self.reason {
            blocks.push(Block::Quote(reason.to_owned()));
        }
        blocks.push(Block::Link(
            lang.t("gift-decided-mail-link").into_owned(),
            self.link.to_owned(),
        ));
        staff_mail(
            lang,
            lang.t_with(subject, &args).into_owned(),
            &blocks,
            self.shop,
        )
    }
}
