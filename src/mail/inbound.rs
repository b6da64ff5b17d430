//! Replies by email, the mail half: the signed per-ticket reply address
//! (`reply+<ticket>.<signature>@<reply domain>`), reading one raw RFC 5322
//! message (recipients, sender, auto-reply signs, the reply text without its
//! quoted history and signature, read by [`crate::mail::reply`], images and
//! PDFs checked by their content),
//! and [`ingest`], the one path every inbound mail takes, whether it came
//! through `tellus ingest-mail` or IMAP polling.
//!
//! A mail is matched to a ticket by the signature alone, never by a number in
//! the subject: a mail whose reply address does not verify is rejected and
//! touches no ticket. The rules of what an accepted mail does to a ticket live
//! in [`crate::domain::customer_reply`].

use crate::clock::Clock;
use crate::db::Db;
use crate::domain::attachment::{self, NewAttachment};
use crate::domain::customer_reply::{self, NewInbound, Outcome};
use crate::error::AppError;
use crate::mail::{reply, MailContext};
use crate::tokens::{digest_hex, Signer};
use data_encoding::BASE32_NOPAD;
use mail_parser::{Address, MessageParser, MimeHeaders};
use std::fmt;

/// What the reply-address signature is bound to, so it cannot be confused with other signatures.
const PURPOSE: &str = "reply-address";
/// Signature length: 15 bytes = 120 bits, 24 base32 characters.
const TAG_BYTES: usize = 15;
/// The local part before the ticket id.
const PREFIX: &str = "reply+";
/// Largest raw message accepted, whichever way it came.
pub const MAX_RAW_BYTES: usize = 64 << 20;
/// Attachments kept from one mail at most; the rest are dropped and noted.
const MAX_ATTACHMENTS: usize = 20;

/// Makes and checks the signed reply addresses.
#[derive(Clone)]
pub struct ReplyAddresses {
    signer: Signer,
    domain: String,
}

impl ReplyAddresses {
    /// Addresses at `domain`, signed with the server key.
    pub fn new(signer: Signer, domain: &str) -> ReplyAddresses {
        ReplyAddresses {
            signer,
            domain: domain.to_ascii_lowercase(),
        }
    }

    /// The reply address of a ticket. The signature is lowercase base32 so it
    /// survives mail servers that fold the case of local parts.
    pub fn address(&self, ticket_id: i64) -> String {
        let tag = self.signer.tag(PURPOSE, &ticket_id.to_string());
        let signature = BASE32_NOPAD.encode(&tag[..TAG_BYTES]).to_ascii_lowercase();
        format!("{PREFIX}{ticket_id}.{signature}@{}", self.domain)
    }

    /// Whether `address` looks like a reply address at all (any domain: the
    /// mail server already decided it is ours).
    pub fn is_reply_address(address: &str) -> bool {
        address
            .get(..PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
    }

    /// The ticket id a reply address names, if its signature is right
    /// (constant-time check).
    pub fn verify(&self, address: &str) -> Option<i64> {
        if !ReplyAddresses::is_reply_address(address) {
            return None;
        }
        let local = address.rsplit_once('@').map_or(address, |(l, _)| l);
        let (id, signature) = local[PREFIX.len()..].split_once('.')?;
        // Only the canonical form: digits, no leading zero.
        if id.is_empty()
            || id.len() > 18
            || id.starts_with('0')
            || !id.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let ticket_id: i64 = id.parse().ok()?;
        if signature.len() != 24 {
            return None;
        }
        let tag = BASE32_NOPAD
            .decode(signature.to_ascii_uppercase().as_bytes())
            .ok()?;
        self.signer
            .check_tag(PURPOSE, &ticket_id.to_string(), &tag, TAG_BYTES)
            .then_some(ticket_id)
    }
}

/// Why a mail is refused; the mail server bounces it with this exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Not a mail message at all.
    Unparseable(String),
    /// No recipient is a reply address.
    NoReplyAddress,
    /// A reply address whose signature does not match.
    BadSignature(String),
    /// A genuine address of a ticket that no longer exists.
    UnknownTicket(i64),
}

impl Rejection {
    /// The sysexits code for the mail server: 65 (EX_DATAERR) for a broken
    /// message, 67 (EX_NOUSER) for an address nobody answers to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Rejection::Unparseable(_) => 65,
            _ => 67,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unparseable(why) => write!(f, "not a readable mail message: {why}"),
            Rejection::NoReplyAddress => f.write_str("no reply address among the recipients"),
            Rejection::BadSignature(address) => {
                write!(f, "reply address with a wrong signature: {address}")
            }
            Rejection::UnknownTicket(id) => write!(f, "no ticket {id} for this reply address"),
        }
    }
}

/// A mail read and checked, ready for the database.
#[derive(Debug)]
pub struct Read {
    /// The ticket its reply address names (before following merges).
    pub ticket_id: i64,
    /// What the domain stores.
    pub mail: NewInbound,
}

/// Reads a raw message: finds and verifies the reply address, the sender,
/// auto-reply signs, the reply text and the attachments worth keeping.
pub fn read(
    raw: Vec<u8>,
    replies: &ReplyAddresses,
    attachment_max_bytes: usize,
) -> Result<Read, Rejection> {
    if raw.len() > MAX_RAW_BYTES {
        return Err(Rejection::Unparseable(format!(
            "larger than {MAX_RAW_BYTES} bytes"
        )));
    }
    let message = MessageParser::default()
        .parse(raw.as_slice())
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| Rejection::Unparseable("no headers".into()))?;
    let sender = message
        .from()
        .and_then(Address::first)
        .and_then(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.contains('@'))
        .ok_or_else(|| Rejection::Unparseable("no sender address".into()))?;

    let mut recipients: Vec<String> = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        recipients.extend(list.iter().filter_map(|a| a.address()).map(str::to_owned));
    }
    for (name, value) in message.headers_raw() {
        if name.eq_ignore_ascii_case("Delivered-To") || name.eq_ignore_ascii_case("X-Original-To") {
            recipients.push(value.trim().trim_matches(['<', '>']).to_owned());
        }
    }
    let claimed: Vec<&String> = recipients
        .iter()
        .filter(|r| ReplyAddresses::is_reply_address(r.trim()))
        .collect();
    let first_claimed = claimed
        .first()
        .ok_or(Rejection::NoReplyAddress)?
        .trim()
        .to_owned();
    let ticket_id = claimed
        .iter()
        .find_map(|r| replies.verify(r.trim()))
        .ok_or(Rejection::BadSignature(first_claimed))?;

    let message_id = match message.message_id() {
        Some(id) if !id.trim().is_empty() => format!("<{}>", id.trim()),
        _ => format!("sha256:{}", digest_hex(&raw)),
    };
    let auto_reason = auto_reply_reason(&message);
    let text = tidy(&reply::reply_text(&message).lines().collect::<Vec<_>>());
    let (attachments, dropped) = attachments_of(&message, attachment_max_bytes);
    drop(message);
    // Headers and text straight from a stranger: no control characters in
    // what is stored as text (the raw message keeps every byte).
    let plain = crate::domain::without_controls;
    Ok(Read {
        ticket_id,
        mail: NewInbound {
            message_id: plain(&message_id),
            sender: plain(&sender),
            raw,
            auto_reason: auto_reason.as_deref().map(plain),
            text: plain(&text),
            attachments,
            dropped: dropped.iter().map(|d| plain(d)).collect(),
        },
    })
}

/// Why this mail was sent by a machine, if it was: an auto-reply must never
/// become a customer message (it would answer our answer, forever).
fn auto_reply_reason(message: &mail_parser::Message<'_>) -> Option<String> {
    let header = |name: &str| -> Option<String> {
        message
            .headers_raw()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    if let Some(value) = header("Auto-Submitted") {
        let kind = value.split(';').next().unwrap_or("").trim().to_owned();
        if kind != "no" {
            return Some(format!("auto-submitted: {kind}"));
        }
    }
    if let Some(value) = header("Precedence") {
        if matches!(value.as_str(), "bulk" | "junk" | "list") {
            return Some(format!("precedence: {value}"));
        }
    }
    for name in ["X-Autoreply", "X-Autorespond", "X-Autoresponder"] {
        if header(name).is_some() {
            return Some(name.to_ascii_lowercase());
        }
    }
    if header("Return-Path").is_some_and(|v| v == "<>") {
        return Some("null sender (bounce)".into());
    }
    if message.content_type().is_some_and(|ct| {
        ct.subtype()
            .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    }) {
        return Some("delivery report".into());
    }
    let subject = message.subject().unwrap_or("").trim().to_lowercase();
    const OUT_OF_OFFICE: [&str; 8] = [
        "auto:",
        "automatic reply",
        "autoreply",
        "auto-reply",
        "out of office",
        "afwezig",
        "automatisch antwoord",
        "abwesenheit",
    ];
    OUT_OF_OFFICE
        .iter()
        .find(|p| subject.starts_with(*p))
        .map(|_| "out of office".into())
}

/// The images and PDFs of a mail, checked by content; notes for the ones dropped.
fn attachments_of(
    message: &mail_parser::Message<'_>,
    max_bytes: usize,
) -> (Vec<NewAttachment>, Vec<String>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for part in message.attachments() {
        if part.is_message() {
            continue;
        }
        let data = part.contents();
        let declared = part.attachment_name().unwrap_or("attachment");
        let Some(kind) = attachment::sniff(data) else {
            dropped.push(format!("{declared}: not an image or PDF"));
            continue;
        };
        if data.len() > max_bytes {
            dropped.push(format!(
                "{declared}: {} bytes, more than {max_bytes}",
                data.len()
            ));
            continue;
        }
        if kept.len() >= MAX_ATTACHMENTS {
            dropped.push(format!(
                "{declared}: more than {MAX_ATTACHMENTS} attachments"
            ));
            continue;
        }
        kept.push(NewAttachment {
            file_name: attachment::sanitize_file_name(declared, kind),
            content_type: kind.content_type.to_owned(),
            data: data.to_vec(),
        });
    }
    (kept, dropped)
}

/// The reply in a plain-text body, tidied: see [`crate::mail::reply`] for
/// what goes (quoted history, attribution lines, header blocks, signatures)
/// and what stays (an answer below or between the quotes, a forward).
pub fn strip_quoted(body: &str) -> String {
    let text = reply::strip_text(body);
    tidy(&text.lines().collect::<Vec<_>>())
}

/// Trailing spaces off, at most one empty line in a row, no empty edges, and
/// no longer than a ticket message may be.
fn tidy(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
    }
    let max = crate::domain::ticket::MAX_REPLY;
    if out.chars().count() > max {
        out = out.chars().take(max - 1).collect::<String>() + "…";
    }
    out
}

/// What reading one inbound mail came to.
#[derive(Debug)]
pub enum Ingested {
    /// Stored (as a customer reply, as ignored, or already there).
    Stored(Outcome),
    /// Refused: nothing was attached to any ticket.
    Rejected(Rejection),
}

/// What ingesting needs from the running installation.
#[derive(Clone)]
pub struct Inbox {
    /// Checks reply addresses.
    pub replies: ReplyAddresses,
    /// Links and Message-IDs for the staff alert.
    pub mail: MailContext,
    /// Largest attachment kept.
    pub attachment_max_bytes: usize,
    /// The time.
    pub clock: Clock,
}

impl Inbox {
    /// The inbox of an installation.
    pub fn new(config: &crate::config::Config, mail: MailContext, clock: Clock) -> Inbox {
        Inbox {
            replies: ReplyAddresses::new(mail.signer.clone(), &config.reply_domain),
            mail,
            attachment_max_bytes: config.attachment_max_bytes,
            clock,
        }
    }
}

/// The one path every inbound mail takes: read and verify it, then store it
/// in one write (a customer reply on the right ticket with its attachments,
/// or an ignored auto-reply, or nothing for a mail already stored). An error
/// means "try again later"; a rejection means "bounce it".
pub async fn ingest(db: &Db, inbox: &Inbox, raw: Vec<u8>) -> Result<Ingested, AppError> {
    let read = match read(raw, &inbox.replies, inbox.attachment_max_bytes) {
        Ok(read) => read,
        Err(rejection) => return Ok(Ingested::Rejected(rejection)),
    };
    let (mail, now) = (inbox.mail.clone(), inbox.clock.now());
    let Read {
        ticket_id,
        mail: new,
    } = read;
    let outcome = db
        .write(move |c| customer_reply::accept(c, ticket_id, &new, &mail, now))
        .await?;
    Ok(match outcome {
        Outcome::UnknownTicket => Ingested::Rejected(Rejection::UnknownTicket(ticket_id)),
        other => Ingested::Stored(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies() -> ReplyAddresses {
        ReplyAddresses::new(
            Signer::new(b"0123456789abcdef0123456789abcdef"),
            "Shop.Example",
        )
    }

    #[test]
    fn reply_addresses_verify_only_when_signed() {
        let r = replies();
        let address = r.address(42);
        assert!(address.starts_with("reply+42."), "{address}");
        assert!(address.ends_with("@shop.example"));
        assert_eq!(address, address.to_lowercase());
        assert_eq!(r.verify(&address), Some(42));
        assert_eq!(r.verify(&address.to_uppercase()), Some(42), "case-folded");
        let signature = address["reply+42.".len()..].split('@').next().unwrap();
        assert_eq!(
            r.verify(&format!("reply+43.{signature}@shop.example")),
            None
        );
        assert_eq!(
            r.verify(&format!("reply+042.{signature}@shop.example")),
            None
        );
        assert_eq!(
            r.verify("reply+42.aaaaaaaaaaaaaaaaaaaaaaaa@shop.example"),
            None
        );
        assert_eq!(r.verify("reply+42@shop.example"), None);
        assert_eq!(r.verify("someone@shop.example"), None);
        let other = ReplyAddresses::new(Signer::new(b"another key, also long enough...."), "x");
        assert_eq!(other.verify(&address), None);
    }

    #[test]
    fn html_only_mail_to_a_delivered_to_address() {
        let r = replies();
        let raw = format!(
            "Delivered-To: {}\r\nFrom: Jan <JAN@Example.org>\r\nTo: undisclosed-recipients:;\r\n\
             Subject: Re: hi\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
             <p>Fine &amp; thanks</p><p>On Mon, 1 Dec 2026, Shop &lt;x@y&gt; wrote:</p>\
             <blockquote>old text</blockquote>\r\n",
            r.address(7)
        );
        let read = read(raw.into_bytes(), &r, 1000).expect("accepted");
        assert_eq!(read.ticket_id, 7);
        assert_eq!(read.mail.sender, "jan@example.org");
        assert_eq!(read.mail.text, "Fine & thanks");
        assert!(
            read.mail.message_id.starts_with("sha256:"),
            "digest without a Message-ID"
        );
        assert_eq!(read.mail.auto_reason, None);
    }

    #[test]
    fn unreadable_and_unaddressed_mail_is_refused() {
        let r = replies();
        let no_from = format!("To: {}\r\nSubject: x\r\n\r\nbody\r\n", r.address(1));
        assert!(matches!(
            read(no_from.into_bytes(), &r, 1000),
            Err(Rejection::Unparseable(_))
        ));
        let elsewhere = "From: a@b.example\r\nTo: c@d.example\r\n\r\nbody\r\n";
        let refused = read(elsewhere.as_bytes().to_vec(), &r, 1000).unwrap_err();
        assert_eq!(
            (refused.clone(), refused.exit_code()),
            (Rejection::NoReplyAddress, 67)
        );
    }

    #[test]
    fn quoted_history_and_signatures_go() {
        let top = "Thanks, that helps.\n\nOn Mon, 1 Dec 2026 at 10:00, Bakkerij <x@y> wrote:\n> Hello\n> there\n";
        assert_eq!(strip_quoted(top), "Thanks, that helps.");
        let dutch = "Prima!\r\n\r\nOp ma 1 dec. 2026 om 10:00 schreef Bakkerij De Zon <x@y>:\r\n> Hallo\r\n";
        assert_eq!(strip_quoted(dutch), "Prima!");
        let wrapped = "Yes.\nOn Mon, 1 Dec 2026 at 10:00, Bakkerij De Zon <reply+1.abc@shop.example>\nwrote:\n> Hi\n";
        assert_eq!(strip_quoted(wrapped), "Yes.");
        let outlook = "Fine by me.\n\n________________________________\nVan: Bakkerij <x@y>\nVerzonden: maandag 1 december 2026 10:00\nAan: Jan <j@x>\nOnderwerp: Re: klacht\n\nOld text";
        assert_eq!(strip_quoted(outlook), "Fine by me.");
        let original = "New text\n-----Original Message-----\nFrom: a\nold";
        assert_eq!(strip_quoted(original), "New text");
        let signed = "Body line\n\n-- \nJan Jansen\nCEO of things\n";
        assert_eq!(strip_quoted(signed), "Body line");
        let phone = "Ok\n\nSent from my iPhone\n";
        assert_eq!(strip_quoted(phone), "Ok");
        let bottom = "On Mon, 1 Dec 2026, Shop <x@y> wrote:\n> Did this help?\n\nYes it did.\n";
        assert_eq!(strip_quoted(bottom), "Yes it did.");
        let plain = "Just text.\nOn the other hand, it is fine.";
        assert_eq!(strip_quoted(plain), plain);
    }
}
