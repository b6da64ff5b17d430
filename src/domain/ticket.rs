//! Tickets: feedback that needs follow-up. A ticket has a status (new → open →
//! resolved; a customer reply reopens it), a thread of messages between the
//! customer and staff, and a private page for the customer at `/t/{token}`.
//!
//! The page token is derived from a per-ticket random nonce with the server's
//! key, so every mail can carry the link; the database keeps the nonce and the
//! token's SHA-256, so a copy of the database alone reveals no token.

use super::feedback::{StoredFeedback, Valid};
use super::location::Location;
use super::user::{self, User};
use super::FieldError;
use crate::db::schema::{categories, feedback, locations, ticket_messages, tickets, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::templates::{Acknowledgement, CustomerReplied, Rendered, StaffAlert, StaffReply};
use crate::mail::MailContext;
use crate::tokens::{hash_token, random_token};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest reply, in characters.
pub const MAX_REPLY: usize = 5000;

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nobody has acted on it yet.
    New,
    /// Being handled.
    Open,
    /// Done; a customer reply reopens it.
    Resolved,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Status; 3] = [Status::New, Status::Open, Status::Resolved];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Resolved => "resolved",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// A ticket row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tickets)]
pub struct Ticket {
    /// Internal id.
    pub id: i64,
    /// The feedback it follows up.
    pub feedback_id: i64,
    /// Where it happened.
    pub location_id: i64,
    /// Stored `Status`.
    pub status: String,
    /// Random input of the page token.
    pub access_nonce: String,
    /// Opened at.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// Spot within the location, copied from the feedback for the inbox filter.
    pub spot: Option<String>,
}

/// The customer's page token for a ticket nonce.
pub fn page_token(mail: &MailContext, nonce: &str) -> String {
    mail.signer.derive("ticket-page", nonce)
}

/// What opening a ticket produced.
pub struct Opened {
    /// The new ticket.
    pub ticket_id: i64,
    /// Token for the customer's page.
    pub token: String,
    /// Whether the customer gets an acknowledgement.
    pub emailed: bool,
}

/// A ticket ready to open: its secrets and its rendered mails. Made before the
/// transaction, so the database writer does no rendering.
pub struct Prepared {
    spot: Option<String>,
    nonce: String,
    token: String,
    /// The customer's address and the acknowledgement with its Message-ID.
    ack: Option<(String, String, Rendered)>,
    alert: Rendered,
}

/// Makes the page token and renders the acknowledgement (when the customer
/// gave an address and consent) and the staff alert.
pub fn prepare(
    location: &Location,
    valid: &Valid,
    lang: Lang,
    reference: &str,
    spot: Option<&str>,
    mail: &MailContext,
) -> Prepared {
    let nonce = random_token();
    let token = page_token(mail, &nonce);
    let ack = valid.email.as_ref().map(|email| {
        let link = mail.link(&format!("/t/{token}"));
        let rendered = Acknowledgement {
            lang,
            shop: &location.name,
            reference,
            name: valid.name.as_deref(),
            message: valid.message.as_deref(),
            ticket_link: &link,
        }
        .render();
        (email.clone(), mail.new_message_id("ack"), rendered)
    });
    let staff_lang = Lang::from_code(&location.default_language).unwrap_or(Lang::Nl);
    let alert = StaffAlert {
        lang: staff_lang,
        shop: &location.name,
        location: &location.name,
        reference,
        face: valid.face,
        message: valid.message.as_deref(),
        // The ticket id is not known yet: the alert links by reference.
        staff_link: &mail.link(&format!("/staff/r/{reference}")),
    }
    .render();
    Prepared {
        spot: spot.map(str::to_owned),
        nonce,
        token,
        ack,
        alert,
    }
}

/// Opens a prepared ticket for a stored submission and queues its mails: the
/// acknowledgement (when the customer gave an address and consent) and an
/// alert to every active staff member.
pub fn open(
    conn: &mut DbConnection,
    feedback_id: i64,
    location_id: i64,
    prepared: Prepared,
    now: NaiveDateTime,
    mail: &MailContext,
) -> AppResult<Opened> {
    let Prepared {
        spot,
        nonce,
        token,
        ack,
        alert,
    } = prepared;
    let ticket_id: i64 = diesel::insert_into(tickets::table)
        .values((
            tickets::feedback_id.eq(feedback_id),
            tickets::location_id.eq(location_id),
            tickets::status.eq(Status::New.as_str()),
            tickets::access_nonce.eq(&nonce),
            tickets::access_token_hash.eq(hash_token(&token)),
            tickets::created_at.eq(now),
            tickets::updated_at.eq(now),
            tickets::spot.eq(spot),
        ))
        .returning(tickets::id)
        .get_result(conn)?;
    if let Some((email, message_id, rendered)) = &ack {
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::Acknowledgement,
                ticket_id: Some(ticket_id),
                ticket_message_id: None,
                recipient: email,
                rendered,
                message_id,
                in_reply_to: None,
                references: None,
            },
            now,
        )?;
    }
    alert_staff(conn, ticket_id, MailKind::StaffAlert, &alert, mail, now)?;
    Ok(Opened {
        ticket_id,
        token,
        emailed: ack.is_some(),
    })
}

fn alert_staff(
    conn: &mut DbConnection,
    ticket_id: i64,
    kind: MailKind,
    rendered: &Rendered,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    for staff in user::alert_recipients(conn)? {
        outbox::enqueue(
            conn,
            &NewMail {
                kind,
                ticket_id: Some(ticket_id),
                ticket_message_id: None,
                recipient: &staff.email,
                rendered,
                message_id: &mail.new_message_id("alert"),
                in_reply_to: None,
                references: None,
            },
            now,
        )?;
    }
    Ok(())
}

/// Where a page starts: after this (created_at, id), newest first.
pub type Cursor = (NaiveDateTime, i64);

/// A message in a ticket's thread.
#[derive(Debug, Clone, Queryable)]
pub struct ThreadMessage {
    /// Row id.
    pub id: i64,
    /// `customer` or `staff`.
    pub author: String,
    /// Staff member's name, for staff messages.
    pub staff_name: Option<String>,
    /// The text.
    pub body: String,
    /// When it was written.
    pub created_at: NaiveDateTime,
}

/// Everything about one ticket that its pages show.
#[derive(Debug, Clone)]
pub struct TicketDetail {
    /// The ticket.
    pub ticket: Ticket,
    /// The submission it follows up.
    pub feedback: StoredFeedback,
    /// Where.
    pub location: Location,
    /// Category names (nl, en).
    pub category: Option<(String, String)>,
    /// Replies after the first message, oldest first.
    pub thread: Vec<ThreadMessage>,
}

impl TicketDetail {
    /// The customer's language.
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.feedback.language).unwrap_or(Lang::Nl)
    }
}

/// A ticket by id, for staff.
pub fn detail(conn: &mut DbConnection, ticket_id: i64) -> AppResult<TicketDetail> {
    let (ticket, stored, location, category) = tickets::table
        .inner_join(feedback::table.left_join(categories::table))
        .inner_join(locations::table)
        .filter(tickets::id.eq(ticket_id))
        .select((
            Ticket::as_select(),
            StoredFeedback::as_select(),
            Location::as_select(),
            (categories::name_nl, categories::name_en).nullable(),
        ))
        .first::<(Ticket, StoredFeedback, Location, Option<(String, String)>)>(conn)?;
    let thread = ticket_messages::table
        .left_join(users::table)
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .order(ticket_messages::id.asc())
        .select((
            ticket_messages::id,
            ticket_messages::author,
            users::name.nullable(),
            ticket_messages::body,
            ticket_messages::created_at,
        ))
        .load(conn)?;
    Ok(TicketDetail {
        ticket,
        feedback: stored,
        location,
        category,
        thread,
    })
}

/// The ticket with this reference, if any.
pub fn id_for_reference(conn: &mut DbConnection, reference: &str) -> AppResult<Option<i64>> {
    Ok(tickets::table
        .inner_join(feedback::table)
        .filter(feedback::reference.eq(reference))
        .select(tickets::id)
        .first(conn)
        .optional()?)
}

/// The ticket a customer's page token opens, if any.
pub fn id_for_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<i64>> {
    Ok(tickets::table
        .filter(tickets::access_token_hash.eq(hash_token(token)))
        .select(tickets::id)
        .first(conn)
        .optional()?)
}

fn check_body(body: &str, empty_key: &'static str) -> Result<String, FieldError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(FieldError::new("body", empty_key));
    }
    let len = body.chars().count();
    if len > MAX_REPLY {
        return Err(FieldError::new("body", "error-message-too-long")
            .arg("max", MAX_REPLY)
            .arg("len", len));
    }
    Ok(body.to_owned())
}

fn add_message(
    conn: &mut DbConnection,
    ticket_id: i64,
    author: &str,
    staff_user_id: Option<i64>,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(ticket_messages::table)
        .values((
            ticket_messages::ticket_id.eq(ticket_id),
            ticket_messages::author.eq(author),
            ticket_messages::staff_user_id.eq(staff_user_id),
            ticket_messages::body.eq(body),
            ticket_messages::created_at.eq(now),
        ))
        .returning(ticket_messages::id)
        .get_result(conn)?)
}

/// A staff member answers: the message joins the thread, the customer gets it
/// by email (threaded under the earlier mails) when they gave an address, and
/// a new ticket becomes open.
pub fn staff_reply(
    conn: &mut DbConnection,
    ticket_id: i64,
    staff: &User,
    body: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let body = match check_body(body, "staff-reply-empty") {
        Ok(body) => body,
        Err(e) => return Ok(Err(e)),
    };
    let detail = detail(conn, ticket_id)?;
    let message_id = add_message(conn, ticket_id, "staff", Some(staff.id), &body, now)?;
    if let Some(email) = &detail.feedback.customer_email {
        let thread = outbox::thread_ids(conn, ticket_id)?;
        let token = page_token(mail, &detail.ticket.access_nonce);
        let link = mail.link(&format!("/t/{token}"));
        let rendered = StaffReply {
            lang: detail.lang(),
            shop: &detail.location.name,
            reference: &detail.feedback.reference,
            body: &body,
            ticket_link: Some(&link),
        }
        .render();
        // References: the first mail and the most recent ones, as RFC 5322 suggests.
        let mut references: Vec<&str> = thread.iter().map(String::as_str).collect();
        if references.len() > 10 {
            references.drain(1..references.len() - 9);
        }
        let references = (!references.is_empty()).then(|| references.join(" "));
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::StaffReply,
                ticket_id: Some(ticket_id),
                ticket_message_id: Some(message_id),
                recipient: email,
                rendered: &rendered,
                message_id: &mail.new_message_id("reply"),
                in_reply_to: thread.last().map(String::as_str),
                references: references.as_deref(),
            },
            now,
        )?;
    }
    let status = match Status::parse(&detail.ticket.status) {
        Some(Status::New) => Status::Open,
        Some(other) => other,
        None => Status::Open,
    };
    touch(conn, ticket_id, status, now)?;
    Ok(Ok(()))
}

/// The customer answers (on their page or by email): the message joins the
/// thread, a resolved ticket reopens, and staff are told. Returns the new
/// message's id.
pub fn customer_reply(
    conn: &mut DbConnection,
    ticket_id: i64,
    body: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<i64, FieldError>> {
    let body = match check_body(body, "error-reply-empty") {
        Ok(body) => body,
        Err(e) => return Ok(Err(e)),
    };
    let detail = detail(conn, ticket_id)?;
    let message_id = add_message(conn, ticket_id, "customer", None, &body, now)?;
    if Status::parse(&detail.ticket.status) == Some(Status::Resolved) {
        touch(conn, ticket_id, Status::Open, now)?;
    } else {
        touch(
            conn,
            ticket_id,
            Status::parse(&detail.ticket.status).unwrap_or(Status::Open),
            now,
        )?;
    }
    let staff_link = mail.link(&format!("/staff/tickets/{ticket_id}"));
    let rendered = CustomerReplied {
        lang: Lang::from_code(&detail.location.default_language).unwrap_or(Lang::Nl),
        shop: &detail.location.name,
        reference: &detail.feedback.reference,
        body: &body,
        staff_link: &staff_link,
    }
    .render();
    alert_staff(
        conn,
        ticket_id,
        MailKind::CustomerReply,
        &rendered,
        mail,
        now,
    )?;
    Ok(Ok(message_id))
}

/// Staff set the status.
pub fn set_status(
    conn: &mut DbConnection,
    ticket_id: i64,
    status: Status,
    now: NaiveDateTime,
) -> AppResult<()> {
    // Fails with NotFound for an unknown ticket.
    tickets::table
        .find(ticket_id)
        .select(tickets::id)
        .first::<i64>(conn)?;
    touch(conn, ticket_id, status, now)
}

fn touch(
    conn: &mut DbConnection,
    ticket_id: i64,
    status: Status,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::status.eq(status.as_str()),
            tickets::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
