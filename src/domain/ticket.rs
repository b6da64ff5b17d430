//! Tickets: feedback that needs follow-up. A ticket has a status (new → open →
//! waiting on the customer → resolved → closed; a customer reply reopens it),
//! a thread of messages between the customer and staff, a timeline of events
//! (internal notes, status, assignment and priority changes, merges, reminders),
//! an assignee and a priority set by staff, and a private page for the customer
//! at `/t/{token}`. Nothing here ranks a ticket by who the customer is.
//!
//! The page token is derived from a per-ticket random nonce with the server's
//! key, so every mail can carry the link; the database keeps the nonce and the
//! token's SHA-256, so a copy of the database alone reveals no token.

use super::audit;
use super::category;
use super::events::{self, Event};
use super::feedback::{StoredFeedback, Valid};
use super::location::Location;
use super::user::{self, User};
use super::FieldError;
use crate::db::schema::{
    api_keys, categories, feedback, locations, ticket_events, ticket_messages, tickets, users,
};
use crate::db::DbConnection;
use crate::domain::audit::{Actor, Author};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::templates::{
    Acknowledgement, Assigned, CustomerReplied, Merged, Rendered, StaffAlert, StaffReply,
};
use crate::mail::MailContext;
use crate::tokens::{hash_token, random_token};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest reply, in characters.
pub const MAX_REPLY: usize = 5000;
/// Customer replies kept per ticket and hour.
pub const MAX_CUSTOMER_REPLIES_PER_HOUR: i64 = 20;
/// The catalogue key of the answer past that limit.
pub const TOO_MANY_REPLIES: &str = "error-reply-too-many";

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nobody has acted on it yet.
    New,
    /// Being handled.
    Open,
    /// Staff asked the customer something; the SLA clocks are paused.
    Waiting,
    /// Done; a customer reply reopens it, and it closes by itself later.
    Resolved,
    /// Finished for good (a customer reply still reopens it).
    Closed,
}

impl Status {
    /// Every status, in workflow order.
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::Open,
        Status::Waiting,
        Status::Resolved,
        Status::Closed,
    ];

    /// The statuses of work in hand (the inbox's default view).
    pub const ACTIVE: [Status; 3] = [Status::New, Status::Open, Status::Waiting];

    /// The statuses staff can choose (a ticket is new only until someone acts).
    pub const CHOSEN_BY_STAFF: [Status; 4] = [
        Status::Open,
        Status::Waiting,
        Status::Resolved,
        Status::Closed,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Waiting => "waiting",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// Whether staff still have work to do on it.
    pub fn is_active(self) -> bool {
        Status::ACTIVE.contains(&self)
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
    /// Stored `Priority`.
    pub priority: String,
    /// The staff member handling it.
    pub assignee_id: Option<i64>,
    /// The SLA moment that matters now (None while waiting, resolved or closed).
    pub due_at: Option<NaiveDateTime>,
    /// When staff first answered.
    pub first_response_at: Option<NaiveDateTime>,
    /// The customer's satisfaction answer (face 1–4), once given.
    pub csat_score: Option<i16>,
    /// The ticket this one was merged into, if it was a duplicate.
    pub merged_into_id: Option<i64>,
}

impl Ticket {
    /// The parsed status (an unknown stored value reads as open).
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }
}

/// How urgent staff find a ticket. Set by staff only; never derived from who
/// the customer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// The usual.
    Normal,
    /// Handle first.
    High,
}

impl Priority {
    /// Both, normal first.
    pub const ALL: [Priority; 2] = [Priority::Normal, Priority::High];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str() == s)
    }
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
    /// Where, for the SLA targets and opening hours.
    location: Location,
    /// The face and category, copied onto the ticket for the inbox filters.
    face: i16,
    category_id: Option<i64>,
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
        location: location.clone(),
        face: valid.face,
        category_id: valid.category_id,
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
        location,
        face,
        category_id,
        spot,
        nonce,
        token,
        ack,
        alert,
    } = prepared;
    let (first_response_due, resolution_due) = super::sla::targets(&location, now);
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
            tickets::face.eq(face),
            tickets::category_id.eq(category_id),
            tickets::first_response_due_at.eq(first_response_due),
            tickets::resolution_due_at.eq(resolution_due),
            tickets::due_at.eq(first_response_due),
        ))
        .returning(tickets::id)
        .get_result(conn)?;
    events::emit(conn, Event::TicketCreated { ticket_id }, now)?;
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
        let message_id = mail.new_message_id("alert");
        let alert = NewMail::about_ticket(kind, ticket_id, &staff.email, rendered, &message_id);
        outbox::enqueue(conn, &alert, now)?;
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
    /// The API key's name, for a staff message written through the API.
    pub api_key: Option<String>,
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
    /// Topic names, if one was chosen (see [`category::name_in`]).
    pub category: Option<category::NamesRow>,
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
            category::NAMES.nullable(),
        ))
        .first::<(Ticket, StoredFeedback, Location, Option<category::NamesRow>)>(conn)?;
    let thread = ticket_messages::table
        .left_join(users::table)
        .left_join(api_keys::table)
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .order(ticket_messages::id.asc())
        .select((
            ticket_messages::id,
            ticket_messages::author,
            users::name.nullable(),
            ticket_messages::body,
            ticket_messages::created_at,
            api_keys::name.nullable(),
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

/// The references of these tickets, by id (one query).
pub fn references_of(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> AppResult<std::collections::HashMap<i64, String>> {
    if ticket_ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(tickets::table
        .inner_join(feedback::table)
        .filter(tickets::id.eq_any(ticket_ids))
        .select((tickets::id, feedback::reference))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
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
    by: Option<Actor>,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    Ok(diesel::insert_into(ticket_messages::table)
        .values((
            ticket_messages::ticket_id.eq(ticket_id),
            ticket_messages::author.eq(author),
            ticket_messages::staff_user_id.eq(by.and_then(Actor::user_id)),
            ticket_messages::api_key_id.eq(by.and_then(Actor::api_key_id)),
            ticket_messages::body.eq(body),
            ticket_messages::created_at.eq(now),
        ))
        .returning(ticket_messages::id)
        .get_result(conn)?)
}

/// What a staff member wants to happen to the ticket once their reply is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AfterReply {
    /// A new ticket becomes open; any other status stays.
    #[default]
    Keep,
    /// The reply asks the customer something: wait for them.
    Wait,
    /// The reply settles it.
    Resolve,
}

impl AfterReply {
    /// Parses the reply form's `then` field (empty is `Keep`).
    pub fn parse(s: &str) -> Option<AfterReply> {
        match s {
            "" | "keep" => Some(AfterReply::Keep),
            "waiting" => Some(AfterReply::Wait),
            "resolved" => Some(AfterReply::Resolve),
            _ => None,
        }
    }
}

/// A staff member answers: the message joins the thread, the customer gets it
/// by email (threaded under the earlier mails, in their language) when they
/// gave an address, the first response is recorded, and the status moves as
/// asked (a new ticket becomes open).
pub fn staff_reply(
    conn: &mut DbConnection,
    ticket_id: i64,
    staff: &Author,
    body: &str,
    then: AfterReply,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let body = match check_body(body, "staff-reply-empty") {
        Ok(body) => body,
        Err(e) => return Ok(Err(e)),
    };
    let detail = detail(conn, ticket_id)?;
    let message_id = add_message(conn, ticket_id, "staff", Some(staff.actor), &body, now)?;
    if let Some(email) = &detail.feedback.customer_email {
        let thread = outbox::thread(conn, ticket_id)?;
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
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::StaffReply,
                ticket_id: Some(ticket_id),
                ticket_message_id: Some(message_id),
                recipient: email,
                rendered: &rendered,
                message_id: &mail.new_message_id("reply"),
                in_reply_to: thread.in_reply_to.as_deref(),
                references: thread.references.as_deref(),
            },
            now,
        )?;
    }
    super::sla::on_staff_reply(conn, ticket_id, now)?;
    events::emit(
        conn,
        Event::TicketStaffReplied {
            ticket_id,
            message_id,
        },
        now,
    )?;
    let from = detail.ticket.status();
    let to = match then {
        AfterReply::Wait => Status::Waiting,
        AfterReply::Resolve => Status::Resolved,
        AfterReply::Keep if from == Status::New => Status::Open,
        AfterReply::Keep => from,
    };
    move_status(conn, ticket_id, from, to, Some(staff.actor), now)?;
    audit::record(conn, staff.actor, "ticket.reply", Some(ticket_id), "", now)?;
    Ok(Ok(()))
}

/// The ticket a customer's message belongs in: a duplicate's messages go to
/// the ticket it was merged into.
pub fn follow_merges(conn: &mut DbConnection, ticket_id: i64) -> AppResult<i64> {
    let merged_into: Option<i64> = tickets::table
        .find(ticket_id)
        .select(tickets::merged_into_id)
        .first(conn)?;
    // Merges always point at a ticket that is not itself merged (see `merge`).
    Ok(merged_into.unwrap_or(ticket_id))
}

/// The customer answers (on their page or by email): the message joins the
/// thread of the ticket it was written on — each customer's page shows only
/// their own ticket, even after a merge — while the surviving ticket (itself,
/// or the one it was merged into) reopens when it was waiting, resolved or
/// closed, and staff are told about it. Returns the new message's id.
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
    // Each reply alerts every staff member: held back past a limit per
    // ticket and hour, however it arrives (page, mail pipe, IMAP).
    let recent: i64 = ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(ticket_id))
        .filter(ticket_messages::author.eq("customer"))
        .filter(ticket_messages::created_at.gt(now - chrono::Duration::hours(1)))
        .count()
        .get_result(conn)?;
    if recent >= MAX_CUSTOMER_REPLIES_PER_HOUR {
        return Ok(Err(FieldError::new("body", TOO_MANY_REPLIES)));
    }
    let message_id = add_message(conn, ticket_id, "customer", None, &body, now)?;
    events::emit(
        conn,
        Event::TicketCustomerReplied {
            ticket_id,
            message_id,
        },
        now,
    )?;
    let ticket_id = follow_merges(conn, ticket_id)?;
    let detail = detail(conn, ticket_id)?;
    let from = detail.ticket.status();
    let to = match from {
        Status::Waiting | Status::Resolved | Status::Closed => Status::Open,
        other => other,
    };
    move_status(conn, ticket_id, from, to, None, now)?;
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

/// Staff set the status. Returns false when nothing changed.
pub fn set_status(
    conn: &mut DbConnection,
    ticket_id: i64,
    status: Status,
    actor: Option<Actor>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    // Fails with NotFound for an unknown ticket.
    let from: String = tickets::table
        .find(ticket_id)
        .select(tickets::status)
        .first(conn)?;
    let from = Status::parse(&from).unwrap_or(Status::Open);
    move_status(conn, ticket_id, from, status, actor, now)
}

/// Moves a ticket from one status to another: the row, the SLA clocks, a
/// timeline event, and an audit entry when a person did it (`actor`; None is
/// the customer or the system). Changes nothing and answers false when the
/// ticket is no longer in `from`, so a background job that runs twice, or
/// two people acting at once, change it once.
pub fn move_status(
    conn: &mut DbConnection,
    ticket_id: i64,
    from: Status,
    to: Status,
    actor: Option<Actor>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let target = tickets::table
        .find(ticket_id)
        .filter(tickets::status.eq(from.as_str()));
    if from == to {
        diesel::update(target)
            .set(tickets::updated_at.eq(now))
            .execute(conn)?;
        return Ok(false);
    }
    let changed = diesel::update(target)
        .set((tickets::status.eq(to.as_str()), tickets::updated_at.eq(now)))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    super::sla::on_status(conn, ticket_id, from.as_str(), to.as_str(), now)?;
    let detail = format!("{}>{}", from.as_str(), to.as_str());
    add_event_by(conn, ticket_id, "status", actor, &detail, None, now)?;
    events::emit(
        conn,
        Event::TicketStatusChanged {
            ticket_id,
            from,
            to,
        },
        now,
    )?;
    if let Some(actor) = actor {
        audit::record(conn, actor, "ticket.status", Some(ticket_id), &detail, now)?;
    }
    Ok(true)
}

/// Adds a line to a ticket's timeline, done by a staff member (`actor`, a
/// user id) or the system (None).
pub fn add_event(
    conn: &mut DbConnection,
    ticket_id: i64,
    kind: &str,
    actor: Option<i64>,
    detail: &str,
    body: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    add_event_by(
        conn,
        ticket_id,
        kind,
        actor.map(Actor::User),
        detail,
        body,
        now,
    )
}

/// Adds a line to a ticket's timeline, done by anyone who acts (a staff
/// member or an API key; None: the customer or the system).
pub fn add_event_by(
    conn: &mut DbConnection,
    ticket_id: i64,
    kind: &str,
    actor: Option<Actor>,
    detail: &str,
    body: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(ticket_events::table)
        .values((
            ticket_events::ticket_id.eq(ticket_id),
            ticket_events::kind.eq(kind),
            ticket_events::actor_id.eq(actor.and_then(Actor::user_id)),
            ticket_events::api_key_id.eq(actor.and_then(Actor::api_key_id)),
            ticket_events::detail.eq(detail),
            ticket_events::body.eq(body),
            ticket_events::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// An internal note: on the staff timeline only, never mailed, never on the
/// customer's page.
pub fn add_note(
    conn: &mut DbConnection,
    ticket_id: i64,
    staff: &Author,
    body: &str,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let body = match check_body(body, "ticket-note-empty") {
        Ok(body) => body,
        Err(e) => return Ok(Err(e)),
    };
    exists(conn, ticket_id)?;
    add_event_by(
        conn,
        ticket_id,
        "note",
        Some(staff.actor),
        "",
        Some(&body),
        now,
    )?;
    diesel::update(tickets::table.find(ticket_id))
        .set(tickets::updated_at.eq(now))
        .execute(conn)?;
    audit::record(conn, staff.actor, "ticket.note", Some(ticket_id), "", now)?;
    Ok(Ok(()))
}

fn exists(conn: &mut DbConnection, ticket_id: i64) -> AppResult<()> {
    // Fails with NotFound for an unknown ticket.
    tickets::table
        .find(ticket_id)
        .select(tickets::id)
        .first::<i64>(conn)?;
    Ok(())
}

/// Staff who can take a ticket: active users, by name.
pub fn assignable(conn: &mut DbConnection) -> AppResult<Vec<(i64, String)>> {
    Ok(users::table
        .filter(users::active.eq(true))
        .order((users::name.asc(), users::id.asc()))
        .select((users::id, users::name))
        .load(conn)?)
}

/// Assigns a ticket to an active staff member (or to nobody). The new
/// assignee gets an email unless they assigned it to themselves.
pub fn assign(
    conn: &mut DbConnection,
    ticket_id: i64,
    actor: &Author,
    assignee: Option<i64>,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let detail = detail(conn, ticket_id)?;
    let assignee_user = match assignee {
        Some(id) => {
            let found: Option<(String, String, String)> = users::table
                .filter(users::id.eq(id))
                .filter(users::active.eq(true))
                .select((users::name, users::email, users::language))
                .first(conn)
                .optional()?;
            match found {
                Some(user) => Some((id, user)),
                None => return Ok(Err(FieldError::new("assignee", "ticket-assignee-unknown"))),
            }
        }
        None => None,
    };
    if detail.ticket.assignee_id == assignee {
        return Ok(Ok(()));
    }
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::assignee_id.eq(assignee),
            tickets::updated_at.eq(now),
        ))
        .execute(conn)?;
    let who = assignee_user
        .as_ref()
        .map(|(_, (name, _, _))| name.clone())
        .unwrap_or_default();
    add_event_by(
        conn,
        ticket_id,
        "assign",
        Some(actor.actor),
        &who,
        None,
        now,
    )?;
    audit::record(
        conn,
        actor.actor,
        "ticket.assign",
        Some(ticket_id),
        &who,
        now,
    )?;
    if let Some((id, (name, email, language))) = assignee_user {
        if Some(id) != actor.actor.user_id() {
            let lang = Lang::from_code(&language).unwrap_or(Lang::Nl);
            let rendered = Assigned {
                lang,
                shop: &detail.location.name,
                reference: &detail.feedback.reference,
                assignee: &name,
                by: &actor.name,
                message: detail.feedback.message.as_deref(),
                staff_link: &mail.link(&format!("/staff/tickets/{ticket_id}")),
            }
            .render();
            outbox::enqueue(
                conn,
                &NewMail {
                    kind: MailKind::Assigned,
                    ticket_id: Some(ticket_id),
                    ticket_message_id: None,
                    recipient: &email,
                    rendered: &rendered,
                    message_id: &mail.new_message_id("assigned"),
                    in_reply_to: None,
                    references: None,
                },
                now,
            )?;
        }
    }
    Ok(Ok(()))
}

/// Staff set the priority.
pub fn set_priority(
    conn: &mut DbConnection,
    ticket_id: i64,
    actor: &Author,
    priority: Priority,
    now: NaiveDateTime,
) -> AppResult<()> {
    let from: String = tickets::table
        .find(ticket_id)
        .select(tickets::priority)
        .first(conn)?;
    if from == priority.as_str() {
        return Ok(());
    }
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::priority.eq(priority.as_str()),
            tickets::updated_at.eq(now),
        ))
        .execute(conn)?;
    let detail = format!("{from}>{}", priority.as_str());
    add_event_by(
        conn,
        ticket_id,
        "priority",
        Some(actor.actor),
        &detail,
        None,
        now,
    )?;
    audit::record(
        conn,
        actor.actor,
        "ticket.priority",
        Some(ticket_id),
        &detail,
        now,
    )?;
    Ok(())
}

/// Merges a duplicate into the ticket with `target_reference`: the duplicate
/// closes and points at the survivor, whose staff timeline then shows both;
/// later customer messages to the duplicate land on the survivor; tickets
/// merged into the duplicate before follow it. The duplicate's customer is
/// told once, by email, when they gave an address.
pub fn merge(
    conn: &mut DbConnection,
    duplicate_id: i64,
    target_reference: &str,
    actor: &User,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<i64, FieldError>> {
    let reference = target_reference.trim().to_uppercase();
    let Some(target_id) = id_for_reference(conn, &reference)? else {
        return Ok(Err(FieldError::new("reference", "ticket-merge-unknown")));
    };
    // Both rows locked before anything is read (PostgreSQL runs several
    // writers): two opposite merges at once must not make a cycle. In id
    // order, so they cannot deadlock; SQLite's single writer needs no lock.
    diesel::update(tickets::table.filter(tickets::id.eq_any([duplicate_id, target_id])))
        .set(tickets::updated_at.eq(now))
        .execute(conn)?;
    let duplicate = detail(conn, duplicate_id)?;
    let target_id = follow_merges(conn, target_id)?;
    if target_id == duplicate_id {
        return Ok(Err(FieldError::new("reference", "ticket-merge-self")));
    }
    if duplicate.ticket.merged_into_id.is_some() {
        return Ok(Err(FieldError::new("reference", "ticket-merge-already")));
    }
    let target = detail(conn, target_id)?;
    diesel::update(tickets::table.filter(tickets::merged_into_id.eq(duplicate_id)))
        .set(tickets::merged_into_id.eq(target_id))
        .execute(conn)?;
    diesel::update(tickets::table.find(duplicate_id))
        .set((
            tickets::merged_into_id.eq(target_id),
            // No survey for a duplicate: the work goes on in the survivor.
            tickets::csat_due_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    move_status(
        conn,
        duplicate_id,
        duplicate.ticket.status(),
        Status::Closed,
        Some(Actor::User(actor.id)),
        now,
    )?;
    let (from_ref, into_ref) = (&duplicate.feedback.reference, &target.feedback.reference);
    add_event(
        conn,
        duplicate_id,
        "merged_into",
        Some(actor.id),
        into_ref,
        None,
        now,
    )?;
    add_event(
        conn,
        target_id,
        "merged_from",
        Some(actor.id),
        from_ref,
        None,
        now,
    )?;
    audit::record(
        conn,
        Actor::User(actor.id),
        "ticket.merge",
        Some(duplicate_id),
        &format!("{from_ref}>{into_ref}"),
        now,
    )?;
    if let Some(email) = &duplicate.feedback.customer_email {
        // The survivor's page is only linked for the same customer; anyone else
        // keeps their own page, which now says where the conversation went.
        let same_customer = target
            .feedback
            .customer_email
            .as_deref()
            .is_some_and(|other| other.eq_ignore_ascii_case(email));
        let page = if same_customer {
            &target.ticket.access_nonce
        } else {
            &duplicate.ticket.access_nonce
        };
        let link = mail.link(&format!("/t/{}", page_token(mail, page)));
        let rendered = Merged {
            lang: duplicate.lang(),
            shop: &duplicate.location.name,
            reference: from_ref,
            into: into_ref,
            ticket_link: &link,
        }
        .render();
        let thread = outbox::thread(conn, duplicate_id)?;
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::Merged,
                ticket_id: Some(duplicate_id),
                ticket_message_id: None,
                recipient: email,
                rendered: &rendered,
                message_id: &mail.new_message_id("merged"),
                in_reply_to: thread.in_reply_to.as_deref(),
                references: thread.references.as_deref(),
            },
            now,
        )?;
    }
    Ok(Ok(target_id))
}

/// One line of a ticket's staff timeline.
#[derive(Debug, Clone)]
pub enum TimelineEntry {
    /// The submission that opened a ticket (this one or one merged into it).
    Submitted {
        /// Its ticket.
        ticket_id: i64,
        /// Its reference.
        reference: String,
        /// Its message, if any.
        message: Option<String>,
        /// When.
        at: NaiveDateTime,
    },
    /// A message between the customer and staff.
    Message {
        /// Its ticket.
        ticket_id: i64,
        /// The message.
        message: ThreadMessage,
    },
    /// Anything else: a note, a status, assignment or priority change, a
    /// merge, a reminder, an escalation, a satisfaction answer.
    Event {
        /// Its ticket.
        ticket_id: i64,
        /// The event.
        event: TicketEvent,
    },
}

impl TimelineEntry {
    fn at(&self) -> NaiveDateTime {
        match self {
            TimelineEntry::Submitted { at, .. } => *at,
            TimelineEntry::Message { message, .. } => message.created_at,
            TimelineEntry::Event { event, .. } => event.created_at,
        }
    }
}

/// A timeline event row, with the actor's name.
#[derive(Debug, Clone, Queryable)]
pub struct TicketEvent {
    /// Row id.
    pub id: i64,
    /// What happened: note, status, assign, priority, merged_into, merged_from,
    /// reminder, escalation, csat_sent, csat, …
    pub kind: String,
    /// Who did it (None: the customer or the system).
    pub actor: Option<String>,
    /// Short detail, e.g. `open>waiting`.
    pub detail: String,
    /// A note's text.
    pub body: Option<String>,
    /// When.
    pub created_at: NaiveDateTime,
    /// The API key's name, when it was done through the API.
    pub api_key: Option<String>,
}

/// Everything on a ticket's staff timeline, oldest first: its submission and
/// those of tickets merged into it, all their messages and events.
pub fn timeline(conn: &mut DbConnection, ticket_id: i64) -> AppResult<Vec<TimelineEntry>> {
    let mut family: Vec<i64> = tickets::table
        .filter(tickets::merged_into_id.eq(ticket_id))
        .select(tickets::id)
        .load(conn)?;
    family.push(ticket_id);
    let submissions: Vec<(i64, String, Option<String>, NaiveDateTime)> = tickets::table
        .inner_join(feedback::table)
        .filter(tickets::id.eq_any(&family))
        .select((
            tickets::id,
            feedback::reference,
            feedback::message,
            feedback::created_at,
        ))
        .load(conn)?;
    let messages: Vec<(i64, ThreadMessage)> = ticket_messages::table
        .left_join(users::table)
        .left_join(api_keys::table)
        .filter(ticket_messages::ticket_id.eq_any(&family))
        .select((
            ticket_messages::ticket_id,
            (
                ticket_messages::id,
                ticket_messages::author,
                users::name.nullable(),
                ticket_messages::body,
                ticket_messages::created_at,
                api_keys::name.nullable(),
            ),
        ))
        .load(conn)?;
    let events: Vec<(i64, TicketEvent)> = ticket_events::table
        .left_join(users::table)
        .left_join(api_keys::table)
        .filter(ticket_events::ticket_id.eq_any(&family))
        .select((
            ticket_events::ticket_id,
            (
                ticket_events::id,
                ticket_events::kind,
                users::name.nullable(),
                ticket_events::detail,
                ticket_events::body,
                ticket_events::created_at,
                api_keys::name.nullable(),
            ),
        ))
        .load(conn)?;
    let mut entries: Vec<TimelineEntry> = submissions
        .into_iter()
        .map(
            |(ticket_id, reference, message, at)| TimelineEntry::Submitted {
                ticket_id,
                reference,
                message,
                at,
            },
        )
        .chain(
            messages
                .into_iter()
                .map(|(ticket_id, message)| TimelineEntry::Message { ticket_id, message }),
        )
        .chain(
            events
                .into_iter()
                .map(|(ticket_id, event)| TimelineEntry::Event { ticket_id, event }),
        )
        .collect();
    // Stable: at equal times submissions come before messages before events.
    entries.sort_by_key(TimelineEntry::at);
    Ok(entries)
}
