//! Privacy: how long personal data is kept, and what a customer may ask for.
//!
//! - **Retention**: the owner sets a period in months (1–120, default 12,
//!   `business_profile.retention_months`). Once a day ([`crate::jobs`]) every
//!   submission whose ticket was *closed* longer ago than that, and every
//!   submission without a ticket (happy faces, quarantine) *created* longer
//!   ago, is anonymised; so are gifts without a ticket whose last event
//!   (redeemed, voided, declined, expired) is older.
//! - **Anonymising** blanks the customer's name, address and message, the
//!   thread's texts (customer and staff), internal notes, the raw inbound mails
//!   and their sender, the outbox rows of the ticket (recipient, subject,
//!   bodies; a mail still waiting is given up) and the gifts' recipient and
//!   message; it deletes attachments and sets `feedback.anonymised_at`. It
//!   never deletes a submission, ticket or gift row, and keeps every
//!   non-personal column (face, category, channel, location, times,
//!   statuses, satisfaction, costs): the dashboard's numbers do not move. The
//!   full-text index follows by the `inbox_search` triggers.
//! - **Export** ([`export`]) gathers everything held about one address
//!   (trimmed, any case) as JSON; **erasure** ([`erase`]) anonymises
//!   everything linked to it: their submissions and tickets, inbound mails
//!   from it, outbox rows addressed to it, gifts to it. Both are audited with
//!   counts only: the audit log is append-only and never holds a customer's
//!   address.

use super::audit::{self, Actor};
use super::FieldError;
use crate::db::schema::{
    attachments, business_profile, categories, consent_wordings, feedback, gifts, inbound_mails,
    locations, outbox, ticket_events, ticket_messages, tickets,
};
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::{Months, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use serde::Serialize;

diesel::define_sql_function! {
    /// SQL `lower()`: addresses are compared in any case.
    fn lower(x: Nullable<Text>) -> Nullable<Text>;
}

/// Submissions anonymised in one writer transaction, so a long backlog never
/// holds up new submissions for long: each one rewrites its search document
/// with FTS5's secure-delete, a few milliseconds apiece on SQLite.
pub const BATCH: usize = 50;

/// Shortest and longest retention period, in months.
pub const MONTHS: std::ops::RangeInclusive<i32> = 1..=120;

/// What an anonymisation or erasure touched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Submissions anonymised.
    pub submissions: usize,
    /// Tickets whose thread, notes and mails were blanked.
    pub tickets: usize,
    /// Inbound mails emptied.
    pub inbound_mails: usize,
    /// Outbox rows blanked.
    pub outbox: usize,
    /// Attachments deleted.
    pub attachments: usize,
    /// Gifts whose recipient and message were blanked.
    pub gifts: usize,
}

impl Counts {
    /// Adds another count.
    pub fn add(&mut self, other: Counts) {
        self.submissions += other.submissions;
        self.tickets += other.tickets;
        self.inbound_mails += other.inbound_mails;
        self.outbox += other.outbox;
        self.attachments += other.attachments;
        self.gifts += other.gifts;
    }

    /// Whether nothing was touched.
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }

    /// The counts as a short line for the audit log and the command line
    /// (numbers only: never an address).
    pub fn summary(&self) -> String {
        format!(
            "submissions={} tickets={} inbound_mails={} outbox={} attachments={} gifts={}",
            self.submissions,
            self.tickets,
            self.inbound_mails,
            self.outbox,
            self.attachments,
            self.gifts
        )
    }

    /// Reads a [`Counts::summary`] back (unknown or broken parts count 0).
    pub fn parse(summary: &str) -> Counts {
        let mut counts = Counts::default();
        for part in summary.split_whitespace() {
            let Some((name, value)) = part.split_once('=') else {
                continue;
            };
            let value = value.parse().unwrap_or(0);
            match name {
                "submissions" => counts.submissions = value,
                "tickets" => counts.tickets = value,
                "inbound_mails" => counts.inbound_mails = value,
                "outbox" => counts.outbox = value,
                "attachments" => counts.attachments = value,
                "gifts" => counts.gifts = value,
                _ => {}
            }
        }
        counts
    }
}

/// An address as it is compared: trimmed, lowercase.
pub fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks an address typed by the owner (export, erasure).
pub fn check_address(email: &str) -> Result<String, FieldError> {
    let address = normalise(email);
    if address.is_empty() {
        return Err(FieldError::new("email", "privacy-email-required"));
    }
    if !super::valid_email(&address) {
        return Err(FieldError::new("email", "error-email-invalid"));
    }
    Ok(address)
}

/// The retention period in months.
pub fn retention_months(conn: &mut DbConnection) -> AppResult<i32> {
    Ok(business_profile::table
        .select(business_profile::retention_months)
        .order(business_profile::id.asc())
        .first::<i32>(conn)
        .optional()?
        .unwrap_or(12))
}

/// Checks a retention period the owner typed.
pub fn parse_months(raw: &str) -> Result<i32, FieldError> {
    match raw.trim().parse::<i32>() {
        Ok(months) if MONTHS.contains(&months) => Ok(months),
        _ => Err(FieldError::new("months", "privacy-months-invalid")
            .arg("min", MONTHS.start())
            .arg("max", MONTHS.end())),
    }
}

/// Sets the retention period (already checked by [`parse_months`]).
pub fn set_retention_months(
    conn: &mut DbConnection,
    actor: Actor,
    months: i32,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(business_profile::table)
        .set(business_profile::retention_months.eq(months))
        .execute(conn)?;
    audit::note(
        conn,
        actor,
        "privacy.retention_months",
        &months.to_string(),
        now,
    )
}

/// The moment before which data falls out of the retention period.
pub fn cutoff(now: NaiveDateTime, months: i32) -> NaiveDateTime {
    let months = Months::new(u32::try_from(months.max(1)).unwrap_or(12));
    now.checked_sub_months(months).unwrap_or(now)
}

/// Where a retention run stands: the last submission looked at, by
/// (created_at, id), so each batch starts where the previous one stopped.
pub type Cursor = (NaiveDateTime, i64);

/// Anonymises the next batch of submissions past the retention `cutoff`
/// (their ticket closed before it, or no ticket and created before it),
/// after `cursor`. Returns what was done and where to continue (None: done).
///
/// Walks the partial index of not-yet-anonymised submissions by creation
/// time: a ticket closes after it is created, so everything due was created
/// before the cutoff, and a run only reads what is still personal.
pub fn retention_batch(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    cutoff: NaiveDateTime,
    cursor: Option<Cursor>,
) -> AppResult<(Counts, Option<Cursor>)> {
    let mut query = feedback::table
        .left_join(tickets::table)
        .filter(feedback::anonymised_at.is_null())
        .filter(feedback::created_at.lt(cutoff))
        .filter(
            tickets::id.nullable().is_null().or(tickets::status
                .nullable()
                .eq("closed")
                .and(tickets::closed_at.lt(cutoff))
                .assume_not_null()),
        )
        .order((feedback::created_at.asc(), feedback::id.asc()))
        .select((feedback::created_at, feedback::id))
        .limit(BATCH as i64)
        .into_boxed();
    if let Some((at, id)) = cursor {
        query = query.filter(
            feedback::created_at
                .gt(at)
                .or(feedback::created_at.eq(at).and(feedback::id.gt(id))),
        );
    }
    let rows: Vec<(NaiveDateTime, i64)> = query.load(conn)?;
    let next = (rows.len() == BATCH)
        .then(|| rows.last().copied())
        .flatten();
    let ids: Vec<i64> = rows.iter().map(|(_, id)| *id).collect();
    let counts = anonymise_submissions(conn, &ids, now)?;
    Ok((counts, next))
}

/// Anonymises up to [`BATCH`] gifts without a ticket whose last event
/// (redeemed, voided, declined, or expiry) is before `cutoff`, and the
/// outbox rows without a ticket addressed to their recipients before it.
/// Returns what was done; a full batch means there may be more.
pub fn retention_gifts(conn: &mut DbConnection, cutoff: NaiveDateTime) -> AppResult<Counts> {
    let due: Vec<(i64, Option<String>)> = gifts::table
        .filter(gifts::ticket_id.is_null())
        .filter(
            gifts::recipient_email
                .is_not_null()
                .or(gifts::recipient_name.is_not_null())
                .or(gifts::message.ne("")),
        )
        .filter(
            gifts::redeemed_at
                .lt(cutoff)
                .or(gifts::voided_at.lt(cutoff))
                .or(gifts::status
                    .eq("declined")
                    .and(gifts::decided_at.lt(cutoff)))
                .or(gifts::redeemed_at
                    .is_null()
                    .and(gifts::voided_at.is_null())
                    .and(gifts::expires_at.lt(cutoff))),
        )
        .select((gifts::id, gifts::recipient_email))
        .limit(BATCH as i64)
        .load(conn)?;
    let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
    let mut counts = Counts {
        gifts: blank_gifts(conn, &ids)?,
        ..Counts::default()
    };
    let mut addresses: Vec<String> = due
        .into_iter()
        .filter_map(|(_, e)| e)
        .map(|e| normalise(&e))
        .collect();
    addresses.sort();
    addresses.dedup();
    if !addresses.is_empty() {
        let mails: Vec<i64> = outbox::table
            .filter(outbox::ticket_id.is_null())
            .filter(lower(outbox::recipient.nullable()).eq_any(&addresses))
            .filter(outbox::created_at.lt(cutoff))
            .select(outbox::id)
            .load(conn)?;
        counts.outbox = blank_outbox(conn, &mails)?;
    }
    Ok(counts)
}

/// Anonymises these submissions and everything on their tickets.
pub fn anonymise_submissions(
    conn: &mut DbConnection,
    ids: &[i64],
    now: NaiveDateTime,
) -> AppResult<Counts> {
    if ids.is_empty() {
        return Ok(Counts::default());
    }
    let ticket_ids: Vec<i64> = tickets::table
        .filter(tickets::feedback_id.eq_any(ids))
        .select(tickets::id)
        .load(conn)?;
    let submissions = diesel::update(feedback::table.filter(feedback::id.eq_any(ids)))
        .set((
            feedback::message.eq(None::<String>),
            feedback::customer_name.eq(None::<String>),
            feedback::customer_email.eq(None::<String>),
            feedback::anonymised_at.eq(now),
        ))
        .execute(conn)?;
    let mut counts = anonymise_tickets(conn, &ticket_ids)?;
    counts.submissions = submissions;
    Ok(counts)
}

/// Blanks the thread, notes, inbound mails, outbox rows and gifts of these
/// tickets and deletes their attachments.
fn anonymise_tickets(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Counts> {
    if ids.is_empty() {
        return Ok(Counts::default());
    }
    diesel::update(
        ticket_messages::table
            .filter(ticket_messages::ticket_id.eq_any(ids))
            .filter(ticket_messages::body.ne("")),
    )
    .set(ticket_messages::body.eq(""))
    .execute(conn)?;
    diesel::update(
        ticket_events::table
            .filter(ticket_events::ticket_id.eq_any(ids))
            .filter(ticket_events::body.is_not_null()),
    )
    .set(ticket_events::body.eq(None::<String>))
    .execute(conn)?;
    let attachments = diesel::delete(attachments::table.filter(attachments::ticket_id.eq_any(ids)))
        .execute(conn)?;
    let inbound: Vec<i64> = inbound_mails::table
        .filter(inbound_mails::ticket_id.eq_any(ids))
        .select(inbound_mails::id)
        .load(conn)?;
    let inbound_mails = blank_inbound(conn, &inbound)?;
    let mails: Vec<i64> = outbox::table
        .filter(outbox::ticket_id.eq_any(ids))
        .select(outbox::id)
        .load(conn)?;
    let outbox = blank_outbox(conn, &mails)?;
    let given: Vec<i64> = gifts::table
        .filter(gifts::ticket_id.eq_any(ids))
        .select(gifts::id)
        .load(conn)?;
    let gifts = blank_gifts(conn, &given)?;
    Ok(Counts {
        submissions: 0,
        tickets: ids.len(),
        inbound_mails,
        outbox,
        attachments,
        gifts,
    })
}

/// Empties the raw message and sender of these inbound mails.
fn blank_inbound(conn: &mut DbConnection, ids: &[i64]) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(
        diesel::update(inbound_mails::table.filter(inbound_mails::id.eq_any(ids)))
            .set((
                inbound_mails::raw.eq(Vec::<u8>::new()),
                inbound_mails::sender.eq(""),
            ))
            .execute(conn)?,
    )
}

/// Blanks these outbox rows; a mail still waiting is given up first (there
/// is nobody left to send it to).
fn blank_outbox(conn: &mut DbConnection, ids: &[i64]) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(ids))
            .filter(outbox::status.eq("pending")),
    )
    .set((
        outbox::status.eq("failed"),
        outbox::last_error.eq("personal data removed"),
    ))
    .execute(conn)?;
    Ok(diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
        .set((
            outbox::recipient.eq(""),
            outbox::subject.eq(""),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
        ))
        .execute(conn)?)
}

/// Blanks the recipient and personal message of these gifts.
fn blank_gifts(conn: &mut DbConnection, ids: &[i64]) -> AppResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::update(gifts::table.filter(gifts::id.eq_any(ids)))
        .set((
            gifts::recipient_email.eq(None::<String>),
            gifts::recipient_name.eq(None::<String>),
            gifts::message.eq(""),
        ))
        .execute(conn)?)
}

/// The submissions left with this address (lowercase, trimmed).
fn submissions_of(conn: &mut DbConnection, address: &str) -> AppResult<Vec<i64>> {
    Ok(feedback::table
        .filter(lower(feedback::customer_email).eq(address))
        .order(feedback::id.asc())
        .select(feedback::id)
        .load(conn)?)
}

/// Erases everything linked to `address` (already [`normalise`]d): their
/// submissions and tickets are anonymised, and inbound mails from it (with
/// the messages and attachments they made, wherever they landed), outbox
/// rows addressed to it and gifts to it are blanked. Returns the counts.
/// Audited as `privacy.erase` with the counts, never the address.
pub fn erase(
    conn: &mut DbConnection,
    actor: Actor,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<Counts> {
    let counts = erase_all(conn, address, now)?;
    audit::record(conn, actor, "privacy.erase", None, &counts.summary(), now)?;
    Ok(counts)
}

fn erase_all(conn: &mut DbConnection, address: &str, now: NaiveDateTime) -> AppResult<Counts> {
    let mut counts = Counts::default();
    for chunk in submissions_of(conn, address)?.chunks(BATCH) {
        counts.add(anonymise_submissions(conn, chunk, now)?);
    }
    let inbound: Vec<(i64, Option<i64>)> = inbound_mails::table
        .filter(inbound_mails::sender.eq(address))
        .select((inbound_mails::id, inbound_mails::ticket_message_id))
        .load(conn)?;
    let messages: Vec<i64> = inbound.iter().filter_map(|(_, m)| *m).collect();
    if !messages.is_empty() {
        diesel::update(ticket_messages::table.filter(ticket_messages::id.eq_any(&messages)))
            .set(ticket_messages::body.eq(""))
            .execute(conn)?;
        counts.attachments += diesel::delete(
            attachments::table.filter(attachments::ticket_message_id.eq_any(&messages)),
        )
        .execute(conn)?;
    }
    let inbound_ids: Vec<i64> = inbound.iter().map(|(id, _)| *id).collect();
    counts.inbound_mails += blank_inbound(conn, &inbound_ids)?;
    let mails = mails_to(conn, address)?;
    counts.outbox += blank_outbox(conn, &mails)?;
    let given: Vec<i64> = gifts::table
        .filter(lower(gifts::recipient_email).eq(address))
        .select(gifts::id)
        .load(conn)?;
    counts.gifts += blank_gifts(conn, &given)?;
    Ok(counts)
}

/// The outbox rows addressed to `address`, oldest first: on tickets (by the
/// ticket's customer index) and without one (gifts, by a small partial index).
fn mails_to(conn: &mut DbConnection, address: &str) -> AppResult<Vec<i64>> {
    let tickets_of: Vec<i64> = tickets::table
        .inner_join(feedback::table)
        .filter(lower(feedback::customer_email).eq(address))
        .select(tickets::id)
        .load(conn)?;
    let mut ids: Vec<i64> = outbox::table
        .filter(outbox::ticket_id.eq_any(&tickets_of))
        .filter(lower(outbox::recipient.nullable()).eq(address))
        .select(outbox::id)
        .load(conn)?;
    ids.extend(
        outbox::table
            .filter(outbox::ticket_id.is_null())
            .filter(lower(outbox::recipient.nullable()).eq(address))
            .select(outbox::id)
            .load::<i64>(conn)?,
    );
    ids.sort_unstable();
    Ok(ids)
}

/// Everything held about one customer address, machine-readable.
#[derive(Debug, Clone, Serialize)]
pub struct Export {
    /// The address asked about (trimmed, lowercase).
    pub email: String,
    /// When this export was made (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub exported_at: NaiveDateTime,
    /// Their submissions, each with its ticket.
    pub submissions: Vec<ExportSubmission>,
    /// Mails received from the address.
    pub inbound_mails: Vec<ExportInbound>,
    /// Mails sent (or queued) to the address.
    pub mails_sent: Vec<ExportMail>,
    /// Gifts sent to the address (never their codes).
    pub gifts: Vec<ExportGift>,
}

/// One submission.
#[derive(Debug, Clone, Serialize)]
pub struct ExportSubmission {
    /// The reference the customer was given.
    pub reference: String,
    /// Location name.
    pub location: String,
    /// 1 (very unhappy) – 4 (very happy).
    pub face: i16,
    /// Category slug, if chosen.
    pub category: Option<String>,
    /// Their message.
    pub message: Option<String>,
    /// Their name.
    pub name: Option<String>,
    /// Their address.
    pub email: Option<String>,
    /// Language code.
    pub language: String,
    /// qr, web or kiosk.
    pub channel: String,
    /// When it arrived (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
    /// The consent they gave to be emailed, if any.
    pub consent: Option<ExportConsent>,
    /// The ticket it became, if any.
    pub ticket: Option<ExportTicket>,
}

/// The consent wording agreed to.
#[derive(Debug, Clone, Serialize)]
pub struct ExportConsent {
    /// The text shown with the email box.
    pub wording: String,
    /// Its language.
    pub language: String,
    /// When consent was given (the submission's moment, UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub given_at: NaiveDateTime,
}

/// A ticket and its thread.
#[derive(Debug, Clone, Serialize)]
pub struct ExportTicket {
    /// Status.
    pub status: String,
    /// Opened (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
    /// First staff answer.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub first_response_at: Option<NaiveDateTime>,
    /// Resolved.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub resolved_at: Option<NaiveDateTime>,
    /// Closed.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub closed_at: Option<NaiveDateTime>,
    /// Their satisfaction answer after resolution (1–4).
    pub satisfaction: Option<i16>,
    /// When they answered.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub satisfaction_at: Option<NaiveDateTime>,
    /// Customer messages and staff replies, oldest first.
    pub thread: Vec<ExportMessage>,
    /// Internal staff notes about the ticket (never shown to the customer).
    pub internal_notes: Vec<ExportMessage>,
    /// Files that came with their mails.
    pub attachments: Vec<ExportAttachment>,
}

/// A message of the thread or an internal note.
#[derive(Debug, Clone, Serialize)]
pub struct ExportMessage {
    /// `customer`, `staff`, or `internal_note`.
    pub author: String,
    /// The text.
    pub body: String,
    /// When (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
}

/// An attachment's description (not its content).
#[derive(Debug, Clone, Serialize)]
pub struct ExportAttachment {
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// When it arrived (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
}

/// A mail received from the address.
#[derive(Debug, Clone, Serialize)]
pub struct ExportInbound {
    /// When it arrived (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub received_at: NaiveDateTime,
    /// The From address.
    pub sender: String,
    /// What became of it (accepted, ignored, …).
    pub status: String,
}

/// A mail to the address.
#[derive(Debug, Clone, Serialize)]
pub struct ExportMail {
    /// What kind of mail (acknowledgement, staff_reply, …).
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// pending, sent or failed.
    pub status: String,
    /// Queued (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
    /// Sent (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub sent_at: Option<NaiveDateTime>,
}

/// A gift to the address.
#[derive(Debug, Clone, Serialize)]
pub struct ExportGift {
    /// Title.
    pub title: String,
    /// Kind (flowers, discount, …).
    pub kind: String,
    /// Value in cents, for money gifts.
    pub value_cents: Option<i64>,
    /// Currency of the value.
    pub currency: String,
    /// Percentage, for discounts.
    pub percent: Option<i16>,
    /// Status.
    pub status: String,
    /// Made (UTC).
    #[serde(serialize_with = "super::local_time::serialize_utc")]
    pub created_at: NaiveDateTime,
    /// Sent.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub sent_at: Option<NaiveDateTime>,
    /// Valid until.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub expires_at: Option<NaiveDateTime>,
    /// Redeemed.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub redeemed_at: Option<NaiveDateTime>,
    /// Voided.
    #[serde(serialize_with = "super::local_time::serialize_utc_opt")]
    pub voided_at: Option<NaiveDateTime>,
}

/// A submission row as exported, before its ticket is attached.
type SubmissionRow = (
    i64,
    String,
    String,
    i16,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    NaiveDateTime,
    Option<(String, String)>,
);

/// A ticket row as exported, before its thread is attached.
type TicketRow = (
    i64,
    i64,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i16>,
    Option<NaiveDateTime>,
);

/// Everything held about `address` (already [`normalise`]d), handed out:
/// audited as `privacy.export` with the counts, never the address.
pub fn export(
    conn: &mut DbConnection,
    actor: Actor,
    address: &str,
    now: NaiveDateTime,
) -> AppResult<Export> {
    let export = gather(conn, address, now)?;
    audit::note(conn, actor, "privacy.export", &export.held().summary(), now)?;
    Ok(export)
}

/// How much is held about `address` (already [`normalise`]d), for the
/// owner to see before erasing; nothing is handed out or recorded.
pub fn held(conn: &mut DbConnection, address: &str, now: NaiveDateTime) -> AppResult<Counts> {
    Ok(gather(conn, address, now)?.held())
}

/// Everything held about `address`.
fn gather(conn: &mut DbConnection, address: &str, now: NaiveDateTime) -> AppResult<Export> {
    let rows: Vec<SubmissionRow> = feedback::table
        .inner_join(locations::table)
        .left_join(categories::table)
        .left_join(consent_wordings::table)
        .filter(lower(feedback::customer_email).eq(address))
        .order(feedback::id.asc())
        .select((
            feedback::id,
            feedback::reference,
            locations::name,
            feedback::face,
            categories::slug.nullable(),
            feedback::message,
            feedback::customer_name,
            feedback::customer_email,
            feedback::language,
            feedback::channel,
            feedback::created_at,
            (consent_wordings::wording, consent_wordings::language).nullable(),
        ))
        .load(conn)?;
    let feedback_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let ticket_rows: Vec<TicketRow> = tickets::table
        .filter(tickets::feedback_id.eq_any(&feedback_ids))
        .select((
            tickets::id,
            tickets::feedback_id,
            tickets::status,
            tickets::created_at,
            tickets::first_response_at,
            tickets::resolved_at,
            tickets::closed_at,
            tickets::csat_score,
            tickets::csat_at,
        ))
        .load(conn)?;
    let ticket_ids: Vec<i64> = ticket_rows.iter().map(|t| t.0).collect();
    let messages: Vec<(i64, String, String, NaiveDateTime)> = ticket_messages::table
        .filter(ticket_messages::ticket_id.eq_any(&ticket_ids))
        .order(ticket_messages::id.asc())
        .select((
            ticket_messages::ticket_id,
            ticket_messages::author,
            ticket_messages::body,
            ticket_messages::created_at,
        ))
        .load(conn)?;
    let notes: Vec<(i64, Option<String>, NaiveDateTime)> = ticket_events::table
        .filter(ticket_events::ticket_id.eq_any(&ticket_ids))
        .filter(ticket_events::body.is_not_null())
        .order(ticket_events::id.asc())
        .select((
            ticket_events::ticket_id,
            ticket_events::body,
            ticket_events::created_at,
        ))
        .load(conn)?;
    let files: Vec<(i64, String, String, i64, NaiveDateTime)> = attachments::table
        .filter(attachments::ticket_id.eq_any(&ticket_ids))
        .order(attachments::id.asc())
        .select((
            attachments::ticket_id,
            attachments::file_name,
            attachments::content_type,
            attachments::size,
            attachments::created_at,
        ))
        .load(conn)?;
    let submissions = rows
        .into_iter()
        .map(|row| {
            let ticket = ticket_rows
                .iter()
                .find(|t| t.1 == row.0)
                .map(|t| ExportTicket {
                    status: t.2.clone(),
                    created_at: t.3,
                    first_response_at: t.4,
                    resolved_at: t.5,
                    closed_at: t.6,
                    satisfaction: t.7,
                    satisfaction_at: t.8,
                    thread: messages
                        .iter()
                        .filter(|m| m.0 == t.0)
                        .map(|m| ExportMessage {
                            author: m.1.clone(),
                            body: m.2.clone(),
                            created_at: m.3,
                        })
                        .collect(),
                    internal_notes: notes
                        .iter()
                        .filter(|n| n.0 == t.0)
                        .map(|n| ExportMessage {
                            author: "internal_note".to_owned(),
                            body: n.1.clone().unwrap_or_default(),
                            created_at: n.2,
                        })
                        .collect(),
                    attachments: files
                        .iter()
                        .filter(|f| f.0 == t.0)
                        .map(|f| ExportAttachment {
                            file_name: f.1.clone(),
                            content_type: f.2.clone(),
                            size: f.3,
                            created_at: f.4,
                        })
                        .collect(),
                });
            ExportSubmission {
                reference: row.1,
                location: row.2,
                face: row.3,
                category: row.4,
                message: row.5,
                name: row.6,
                email: row.7,
                language: row.8,
                channel: row.9,
                created_at: row.10,
                consent: row.11.map(|(wording, language)| ExportConsent {
                    wording,
                    language,
                    given_at: row.10,
                }),
                ticket,
            }
        })
        .collect();
    let inbound_mails = inbound_mails::table
        .filter(inbound_mails::sender.eq(address))
        .order(inbound_mails::id.asc())
        .select((
            inbound_mails::received_at,
            inbound_mails::sender,
            inbound_mails::status,
        ))
        .load::<(NaiveDateTime, String, String)>(conn)?
        .into_iter()
        .map(|(received_at, sender, status)| ExportInbound {
            received_at,
            sender,
            status,
        })
        .collect();
    let mail_ids = mails_to(conn, address)?;
    let mails_sent = outbox::table
        .filter(outbox::id.eq_any(&mail_ids))
        .order(outbox::id.asc())
        .select((
            outbox::kind,
            outbox::subject,
            outbox::status,
            outbox::created_at,
            outbox::sent_at,
        ))
        .load::<(String, String, String, NaiveDateTime, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(kind, subject, status, created_at, sent_at)| ExportMail {
            kind,
            subject,
            status,
            created_at,
            sent_at,
        })
        .collect();
    let gifts = gifts::table
        .filter(lower(gifts::recipient_email).eq(address))
        .order(gifts::id.asc())
        .select((
            gifts::title,
            gifts::kind,
            gifts::value_cents,
            gifts::currency,
            gifts::percent,
            gifts::status,
            gifts::created_at,
            gifts::sent_at,
            gifts::expires_at,
            gifts::redeemed_at,
            gifts::voided_at,
        ))
        .load::<GiftRow>(conn)?
        .into_iter()
        .map(|g| ExportGift {
            title: g.0,
            kind: g.1,
            value_cents: g.2,
            currency: g.3,
            percent: g.4,
            status: g.5,
            created_at: g.6,
            sent_at: g.7,
            expires_at: g.8,
            redeemed_at: g.9,
            voided_at: g.10,
        })
        .collect();
    Ok(Export {
        email: address.to_owned(),
        exported_at: now,
        submissions,
        inbound_mails,
        mails_sent,
        gifts,
    })
}

/// A gift row as exported.
type GiftRow = (
    String,
    String,
    Option<i64>,
    String,
    Option<i16>,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

impl Export {
    /// How much is held, for the erasure's confirmation step.
    pub fn held(&self) -> Counts {
        Counts {
            submissions: self.submissions.len(),
            tickets: self
                .submissions
                .iter()
                .filter(|s| s.ticket.is_some())
                .count(),
            inbound_mails: self.inbound_mails.len(),
            outbox: self.mails_sent.len(),
            attachments: self
                .submissions
                .iter()
                .filter_map(|s| s.ticket.as_ref())
                .map(|t| t.attachments.len())
                .sum(),
            gifts: self.gifts.len(),
        }
    }
}

/// When the retention job last ran, and what that run anonymised.
#[derive(Debug, Clone, Copy, Default)]
pub struct LastRun {
    /// When (UTC); None: never.
    pub at: Option<NaiveDateTime>,
    /// What it did.
    pub counts: Counts,
}

/// The retention job's last run: its `job_runs` moment, and the counts of
/// the audit entry it wrote then (none written: it found nothing to do).
pub fn last_run(conn: &mut DbConnection) -> AppResult<LastRun> {
    use crate::db::schema::{audit_log, job_runs};
    let at = job_runs::table
        .find(RETENTION_JOB)
        .select(job_runs::last_run_at)
        .first::<NaiveDateTime>(conn)
        .optional()?;
    let Some(at) = at else {
        return Ok(LastRun::default());
    };
    let detail = audit_log::table
        .filter(audit_log::action.eq(RETENTION_ACTION))
        .filter(audit_log::created_at.ge(at))
        .order(audit_log::id.desc())
        .select(audit_log::detail)
        .first::<String>(conn)
        .optional()?;
    Ok(LastRun {
        at: Some(at),
        counts: detail.map(|d| Counts::parse(&d)).unwrap_or_default(),
    })
}

/// The `job_runs` name of the daily retention run.
pub const RETENTION_JOB: &str = "retention";
/// The audit action of a retention run that anonymised something.
pub const RETENTION_ACTION: &str = "privacy.retention";
