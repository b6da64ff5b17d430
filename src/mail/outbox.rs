//! The outbox table: mails waiting to be sent, sent, or given up on.

use super::templates::Rendered;
use crate::db::schema::outbox;
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Why a mail is sent; stored so staff and tests can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// To the customer: we received your complaint.
    Acknowledgement,
    /// To staff: new feedback arrived.
    StaffAlert,
    /// To the customer: a staff member answered.
    StaffReply,
    /// To staff: the customer answered.
    CustomerReply,
    /// To a staff member: a ticket was assigned to them.
    Assigned,
    /// To the customer: their report was merged into another.
    Merged,
    /// To a new staff member: the owner's invitation.
    Invite,
    /// To a staff member: a link to set a new password.
    PasswordReset,
    /// To owners: a ticket missed its first-response or resolution target.
    Escalation,
    /// To the customer: one gentle reminder while we wait on their answer.
    WaitingReminder,
    /// To the customer: "Did we solve it?" after resolution.
    SatisfactionSurvey,
    /// To the assignee or all staff: an unhappy answer to the survey.
    UnhappyAnswer,
    /// To each staff member and owner: the daily digest.
    Digest,
    /// To the customer: a thank-you gift (a link to its page).
    Gift,
    /// To owners: a staff member's gift waits for approval.
    GiftWaiting,
    /// To the staff member who asked: their gift was approved or declined.
    GiftDecided,
    /// To owners: a webhook endpoint failed for a day and was paused.
    WebhookPaused,
    /// To every staff member and owner: a location's burst rule fired.
    BurstAlert,
}

impl MailKind {
    /// The kinds that go to the customer of a ticket (everything else goes
    /// to staff): only these carry the ticket's reply address and show as
    /// deliveries on the ticket.
    pub const TO_CUSTOMER: [MailKind; 6] = [
        MailKind::Acknowledgement,
        MailKind::StaffReply,
        MailKind::Merged,
        MailKind::WaitingReminder,
        MailKind::SatisfactionSurvey,
        MailKind::Gift,
    ];

    /// The kinds whose body is emptied once delivered: they carry a link
    /// the database must not keep (see `mail::gift_mail`).
    pub const EMPTIED_AFTER_SENDING: [MailKind; 1] = [MailKind::Gift];

    /// Whether a stored kind goes to the customer.
    pub fn is_to_customer(stored: &str) -> bool {
        MailKind::TO_CUSTOMER.iter().any(|k| k.as_str() == stored)
    }

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Acknowledgement => "acknowledgement",
            MailKind::StaffAlert => "staff_alert",
            MailKind::StaffReply => "staff_reply",
            MailKind::CustomerReply => "customer_reply",
            MailKind::Assigned => "assigned",
            MailKind::Merged => "merged",
            MailKind::Invite => "invite",
            MailKind::PasswordReset => "password_reset",
            MailKind::Escalation => "escalation",
            MailKind::WaitingReminder => "waiting_reminder",
            MailKind::SatisfactionSurvey => "satisfaction_survey",
            MailKind::UnhappyAnswer => "unhappy_answer",
            MailKind::Digest => "digest",
            MailKind::Gift => "gift",
            MailKind::GiftWaiting => "gift_waiting",
            MailKind::GiftDecided => "gift_decided",
            MailKind::WebhookPaused => "webhook_paused",
            MailKind::BurstAlert => "burst_alert",
        }
    }
}

/// A mail to queue.
pub struct NewMail<'a> {
    /// Why it is sent.
    pub kind: MailKind,
    /// The ticket it belongs to.
    pub ticket_id: Option<i64>,
    /// The ticket message it carries, for delivery state on the timeline.
    pub ticket_message_id: Option<i64>,
    /// One address.
    pub recipient: &'a str,
    /// Subject and bodies.
    pub rendered: &'a Rendered,
    /// Its Message-ID, with angle brackets.
    pub message_id: &'a str,
    /// The message it answers.
    pub in_reply_to: Option<&'a str>,
    /// The thread so far, space-separated.
    pub references: Option<&'a str>,
}

impl<'a> NewMail<'a> {
    /// A mail about a ticket to one address, carrying no ticket message and
    /// answering no earlier mail.
    pub fn about_ticket(
        kind: MailKind,
        ticket_id: i64,
        recipient: &'a str,
        rendered: &'a Rendered,
        message_id: &'a str,
    ) -> Self {
        NewMail {
            kind,
            ticket_id: Some(ticket_id),
            ticket_message_id: None,
            recipient,
            rendered,
            message_id,
            in_reply_to: None,
            references: None,
        }
    }
}

/// A queued mail as the worker sees it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxMail {
    /// Row id.
    pub id: i64,
    /// Stored `MailKind`.
    pub kind: String,
    /// The ticket it is about, if any.
    pub ticket_id: Option<i64>,
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// text/plain part.
    pub body_text: String,
    /// text/html part.
    pub body_html: String,
    /// Message-ID header.
    pub message_id: String,
    /// In-Reply-To header.
    pub in_reply_to: Option<String>,
    /// References header.
    pub message_references: Option<String>,
    /// Attempts so far.
    pub attempts: i32,
}

/// Queues a mail in the caller's transaction.
pub fn enqueue(conn: &mut DbConnection, mail: &NewMail<'_>, now: NaiveDateTime) -> AppResult<()> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(mail.kind.as_str()),
            outbox::ticket_id.eq(mail.ticket_id),
            outbox::ticket_message_id.eq(mail.ticket_message_id),
            outbox::recipient.eq(mail.recipient),
            outbox::subject.eq(&mail.rendered.subject),
            outbox::body_text.eq(&mail.rendered.text),
            outbox::body_html.eq(&mail.rendered.html),
            outbox::message_id.eq(mail.message_id),
            outbox::in_reply_to.eq(mail.in_reply_to),
            outbox::message_references.eq(mail.references),
            outbox::status.eq("pending"),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Claims up to `limit` mails due now, oldest first, until `lease_until`:
/// no other sender (another instance on the same database) takes them
/// meanwhile, and a crashed sender's claim runs out, so its mail is sent
/// after the lease. On PostgreSQL the rows are locked with `SKIP LOCKED`, so
/// senders never wait for each other or claim the same row (backend
/// specific); SQLite serialises writers.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
    by: &str,
) -> AppResult<Vec<OutboxMail>> {
    let due = outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(now)),
        )
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit)
        .select(outbox::id);
    let ids: Vec<i64> = match conn {
        DbConnection::Pg(pg) => due.for_update().skip_locked().load(pg)?,
        DbConnection::Sqlite(sqlite) => due.load(sqlite)?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
        .set((
            outbox::claimed_until.eq(lease_until),
            outbox::claimed_by.eq(by),
        ))
        .execute(conn)?;
    Ok(outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .select(OutboxMail::as_select())
        .load(conn)?)
}

/// Keeps the claim on these mails (still pending) until `lease_until`.
pub fn extend(conn: &mut DbConnection, ids: &[i64], lease_until: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::status.eq("pending")),
    )
    .set(outbox::claimed_until.eq(lease_until))
    .execute(conn)?;
    Ok(())
}

/// Gives these claimed mails back, due as they were.
pub fn release(conn: &mut DbConnection, ids: &[i64]) -> AppResult<()> {
    diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set(unclaimed())
        .execute(conn)?;
    Ok(())
}

/// Gives back what the instance `by` claimed and has not sent: for an
/// instance that stops cleanly, so its mail need not wait for the lease.
pub fn release_claims_of(conn: &mut DbConnection, by: &str) -> AppResult<usize> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::claimed_by.eq(by)),
    )
    .set(unclaimed())
    .execute(conn)?)
}

/// The columns of a mail no sender holds.
fn unclaimed() -> (
    diesel::dsl::Eq<outbox::claimed_until, Option<NaiveDateTime>>,
    diesel::dsl::Eq<outbox::claimed_by, Option<String>>,
) {
    (
        outbox::claimed_until.eq(None::<NaiveDateTime>),
        outbox::claimed_by.eq(None::<String>),
    )
}

/// Gives back every claim: for a server that is the only sender (SQLite),
/// at start, so what it claimed before a crash goes out at once instead of
/// after the lease.
pub fn release_claims(conn: &mut DbConnection) -> AppResult<usize> {
    Ok(diesel::update(
        outbox::table
            .filter(outbox::status.eq("pending"))
            .filter(outbox::claimed_until.is_not_null()),
    )
    .set(unclaimed())
    .execute(conn)?)
}

/// The customer's address of each of these tickets that has one.
pub fn customer_addresses(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    use crate::db::schema::{feedback, tickets};
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, Option<String>)> = tickets::table
        .inner_join(feedback::table)
        .filter(tickets::id.eq_any(ticket_ids))
        .select((tickets::id, feedback::customer_email))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, email)| Some((id, email?)))
        .collect())
}

/// When a sender should look again: the next pending mail's due time, or,
/// for mail another sender has claimed, the end of its lease.
pub fn next_due_at(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> AppResult<Option<NaiveDateTime>> {
    let unclaimed: Option<NaiveDateTime> = outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(
            outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(now)),
        )
        .select(diesel::dsl::min(outbox::next_attempt_at))
        .first(conn)?;
    let lease_ends: Option<NaiveDateTime> = outbox::table
        .filter(outbox::status.eq("pending"))
        .filter(outbox::claimed_until.ge(now))
        .select(diesel::dsl::min(outbox::claimed_until))
        .first(conn)?;
    Ok(match (unclaimed, lease_ends) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Accepted by the server.
    Sent,
    /// Try again at this time.
    Retry(NaiveDateTime, String),
    /// Give up: staff will see the reason.
    Failed(String),
}

/// How a delivered mail left, as stored in `sent_via`.
pub const SENT_BY_SMTP: &str = "smtp";
/// A delivered mail that was only written to a file in the data folder.
pub const SAVED_AS_FILE: &str = "file";

/// Empties the bodies of the delivered mails among `ids` whose kind must not
/// be kept ([`MailKind::EMPTIED_AFTER_SENDING`]).
fn empty_delivered(conn: &mut DbConnection, ids: &[i64]) -> AppResult<()> {
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::status.eq("sent"))
            .filter(outbox::kind.eq_any(MailKind::EMPTIED_AFTER_SENDING.map(MailKind::as_str))),
    )
    .set((outbox::body_text.eq(""), outbox::body_html.eq("")))
    .execute(conn)?;
    Ok(())
}

/// Records the outcome of an attempt as soon as it is known, and ends the
/// claim; a delivered mail left `via` SMTP or a file.
pub fn record(
    conn: &mut DbConnection,
    id: i64,
    attempt: &Attempt,
    via: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let row = outbox::table.find(id);
    let attempts = outbox::attempts.eq(outbox::attempts + 1);
    let unclaimed = unclaimed();
    match attempt {
        Attempt::Sent => {
            let n = diesel::update(row)
                .set((
                    outbox::status.eq("sent"),
                    outbox::sent_at.eq(now),
                    outbox::sent_via.eq(via),
                    attempts,
                    outbox::last_error.eq(None::<String>),
                    unclaimed,
                ))
                .execute(conn)?;
            empty_delivered(conn, &[id])?;
            n
        }
        Attempt::Retry(at, error) => diesel::update(row)
            .set((
                outbox::next_attempt_at.eq(at),
                outbox::last_error.eq(error),
                attempts,
                unclaimed,
            ))
            .execute(conn)?,
        Attempt::Failed(error) => diesel::update(row)
            .set((
                outbox::status.eq("failed"),
                outbox::last_error.eq(error),
                attempts,
                unclaimed,
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Delivery state of a ticket's mails to one address, for the staff view.
#[derive(Debug, Clone, Queryable)]
pub struct Delivery {
    /// The ticket message carried, if any.
    pub ticket_message_id: Option<i64>,
    /// Stored `MailKind`.
    pub kind: String,
    /// Recipient address.
    pub recipient: String,
    /// pending, sent or failed.
    pub status: String,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// How it left once delivered: [`SENT_BY_SMTP`] or [`SAVED_AS_FILE`].
    pub sent_via: Option<String>,
}

impl Delivery {
    /// Delivered only into a file in the data folder: the customer has nothing.
    pub fn saved_as_file(&self) -> bool {
        self.status == "sent" && self.sent_via.as_deref() == Some(SAVED_AS_FILE)
    }
}

/// Mails of these tickets sent to the customer, oldest first.
pub fn deliveries_for_tickets(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> AppResult<Vec<Delivery>> {
    Ok(outbox::table
        .filter(outbox::ticket_id.eq_any(ticket_ids))
        .filter(outbox::kind.eq_any(MailKind::TO_CUSTOMER.map(MailKind::as_str)))
        .order(outbox::id.asc())
        .select((
            outbox::ticket_message_id,
            outbox::kind,
            outbox::recipient,
            outbox::status,
            outbox::last_error,
            outbox::sent_via,
        ))
        .load(conn)?)
}

/// Where a new mail to a ticket's customer goes in their mailbox's thread.
#[derive(Debug, Clone, Default)]
pub struct Thread {
    /// The latest earlier mail to them (In-Reply-To).
    pub in_reply_to: Option<String>,
    /// The first and the most recent earlier mails, as RFC 5322 suggests
    /// (References).
    pub references: Option<String>,
}

/// The thread of a ticket's mails to its customer so far.
pub fn thread(conn: &mut DbConnection, ticket_id: i64) -> AppResult<Thread> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::ticket_id.eq(ticket_id))
        .filter(outbox::kind.eq_any(MailKind::TO_CUSTOMER.map(MailKind::as_str)))
        .order(outbox::id.asc())
        .select(outbox::message_id)
        .load(conn)?;
    let mut references: Vec<&str> = ids.iter().map(String::as_str).collect();
    if references.len() > 10 {
        references.drain(1..references.len() - 9);
    }
    Ok(Thread {
        in_reply_to: ids.last().cloned(),
        references: (!references.is_empty()).then(|| references.join(" ")),
    })
}
