//! Customer mail that came back: what a verified reply does to its ticket.
//! Every stored mail is kept raw, once per ticket and Message-ID (the same
//! Message-ID on a mail to another ticket is another mail: a forged one must
//! not silence another customer's reply). A reply joins the
//! thread of the ticket it names (or the ticket that one was merged into) as
//! a customer message, with its images and PDFs, reopening a resolved ticket
//! and alerting staff; an auto-reply is kept but ignored, so two robots never
//! answer each other. A reply from another address than the customer gave is
//! accepted (people write from another account) and its sender recorded.

use super::attachment::{self, NewAttachment};
use super::ticket;
use crate::db::schema::{feedback, inbound_mails, tickets};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::MailContext;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A verified inbound mail, read and ready to store.
#[derive(Debug, Clone)]
pub struct NewInbound {
    /// Its Message-ID (with angle brackets) or a digest of the raw bytes.
    pub message_id: String,
    /// The From address, lowercase.
    pub sender: String,
    /// The message as received.
    pub raw: Vec<u8>,
    /// Why it is an auto-reply, if it is one.
    pub auto_reason: Option<String>,
    /// The reply without quoted history and signature.
    pub text: String,
    /// Images and PDFs worth keeping.
    pub attachments: Vec<NewAttachment>,
    /// Notes on attachments that were not kept.
    pub dropped: Vec<String>,
}

/// What storing a mail came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A customer message on this ticket.
    Accepted {
        /// The ticket (after following merges).
        ticket_id: i64,
        /// The new ticket message.
        ticket_message_id: i64,
        /// Attachments stored.
        attachments: usize,
    },
    /// Kept, but not added to the thread.
    Ignored {
        /// The ticket it named.
        ticket_id: i64,
        /// Why.
        reason: String,
    },
    /// This Message-ID was stored before for this ticket; nothing changed.
    Duplicate,
    /// The address was genuine but no such ticket exists.
    UnknownTicket,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Accepted {
                ticket_id,
                attachments,
                ..
            } => write!(
                f,
                "added to ticket {ticket_id} with {attachments} attachment(s)"
            ),
            Outcome::Ignored { ticket_id, reason } => {
                write!(f, "kept for ticket {ticket_id} but not added: {reason}")
            }
            Outcome::Duplicate => f.write_str("already stored"),
            Outcome::UnknownTicket => f.write_str("no such ticket"),
        }
    }
}

/// Stores a verified mail for the ticket its address names, in the caller's
/// transaction. See the module documentation for the rules.
pub fn accept(
    conn: &mut DbConnection,
    named_ticket: i64,
    mail: &NewInbound,
    ctx: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    let seen = inbound_mails::table
        .filter(inbound_mails::ticket_id.eq(named_ticket))
        .filter(inbound_mails::message_id.eq(&mail.message_id))
        .select(inbound_mails::id)
        .first::<i64>(conn)
        .optional()?;
    if seen.is_some() {
        return Ok(Outcome::Duplicate);
    }
    // The reply stays on the ticket its address names (a merged duplicate's
    // customer sees it on their own page); `customer_reply` reopens and
    // alerts on the ticket it was merged into.
    let known = tickets::table
        .find(named_ticket)
        .select(tickets::id)
        .first::<i64>(conn)
        .optional()?;
    let Some(ticket_id) = known else {
        return Ok(Outcome::UnknownTicket);
    };
    let (customer_email, language): (Option<String>, String) = tickets::table
        .inner_join(feedback::table)
        .filter(tickets::id.eq(ticket_id))
        .select((feedback::customer_email, feedback::language))
        .first(conn)?;
    let other_sender = !customer_email
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case(&mail.sender));

    let ignored = if let Some(reason) = &mail.auto_reason {
        Some(format!("auto-reply ({reason})"))
    } else if mail.text.is_empty() && mail.attachments.is_empty() {
        Some("no text and no attachments".to_owned())
    } else {
        None
    };
    if let Some(reason) = ignored {
        return ignore(conn, ticket_id, mail, other_sender, reason, now);
    }

    let text = if mail.text.is_empty() {
        let lang = Lang::from_code(&language).unwrap_or(Lang::Nl);
        let names: Vec<&str> = mail
            .attachments
            .iter()
            .map(|a| a.file_name.as_str())
            .collect();
        lang.t_with("inbound-attachments-only", &[("files", &names.join(", "))])
            .into_owned()
    } else {
        mail.text.clone()
    };
    let message_id = match ticket::customer_reply(conn, ticket_id, &text, ctx, now)? {
        Ok(id) => id,
        Err(refused) => {
            let reason = format!("not a valid reply: {}", refused.key);
            return ignore(conn, ticket_id, mail, other_sender, reason, now);
        }
    };
    attachment::store(conn, ticket_id, message_id, &mail.attachments, now)?;
    let reason = mail.dropped.join("; ");
    insert(
        conn,
        ticket_id,
        Some(message_id),
        mail,
        other_sender,
        "accepted",
        &reason,
        now,
    )?;
    Ok(Outcome::Accepted {
        ticket_id,
        ticket_message_id: message_id,
        attachments: mail.attachments.len(),
    })
}

/// Keeps the mail as ignored on its ticket, for `reason`.
fn ignore(
    conn: &mut DbConnection,
    ticket_id: i64,
    mail: &NewInbound,
    other_sender: bool,
    reason: String,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    insert(
        conn,
        ticket_id,
        None,
        mail,
        other_sender,
        "ignored",
        &reason,
        now,
    )?;
    Ok(Outcome::Ignored { ticket_id, reason })
}

#[expect(
    clippy::too_many_arguments,
    reason = "one row's columns, named at the call"
)]
fn insert(
    conn: &mut DbConnection,
    ticket_id: i64,
    ticket_message_id: Option<i64>,
    mail: &NewInbound,
    other_sender: bool,
    status: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(inbound_mails::table)
        .values((
            inbound_mails::ticket_id.eq(ticket_id),
            inbound_mails::ticket_message_id.eq(ticket_message_id),
            inbound_mails::message_id.eq(&mail.message_id),
            inbound_mails::sender.eq(&mail.sender),
            inbound_mails::other_sender.eq(other_sender),
            inbound_mails::raw.eq(&mail.raw),
            inbound_mails::status.eq(status),
            inbound_mails::reason.eq(reason),
            inbound_mails::received_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
