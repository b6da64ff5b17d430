//! The HTTP outbox: every message Tellus sends over HTTP (webhooks, Slack,
//! Teams) is a row here, written in the same transaction as the change that
//! causes it. A sender claims due rows, posts them and records each outcome
//! as soon as it is known.

use crate::db::schema::outbound;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::random_token;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Who receives a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One of the owner's webhook endpoints (signed).
    Webhook(i64),
    /// A location's Slack incoming webhook.
    Slack(i64),
    /// A location's Teams Workflows webhook.
    Teams(i64),
}

impl Target {
    /// Stored form.
    pub fn kind(self) -> &'static str {
        match self {
            Target::Webhook(_) => "webhook",
            Target::Slack(_) => "slack",
            Target::Teams(_) => "teams",
        }
    }
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// The event's name.
    pub event: &'a str,
    /// Who receives it.
    pub target: Target,
    /// Where it is posted.
    pub url: &'a str,
    /// The JSON body, exactly as it will be sent (and signed).
    pub body: &'a str,
}

/// Queues a message, due at once. Returns its delivery id (`msg_…`), the
/// same on every attempt.
pub fn enqueue(
    conn: &mut DbConnection,
    message: &NewMessage<'_>,
    now: NaiveDateTime,
) -> AppResult<String> {
    let delivery_id = format!("msg_{}", random_token());
    let (webhook_id, chat_target_id) = match message.target {
        Target::Webhook(id) => (Some(id), None),
        Target::Slack(id) | Target::Teams(id) => (None, Some(id)),
    };
    diesel::insert_into(outbound::table)
        .values((
            outbound::delivery_id.eq(&delivery_id),
            outbound::event.eq(message.event),
            outbound::target.eq(message.target.kind()),
            outbound::webhook_id.eq(webhook_id),
            outbound::chat_target_id.eq(chat_target_id),
            outbound::url.eq(message.url),
            outbound::body.eq(message.body),
            outbound::next_attempt_at.eq(now),
            outbound::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(delivery_id)
}

/// A queued message a sender has claimed.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbound)]
pub struct Claimed {
    /// Row id.
    pub id: i64,
    /// Its `webhook-id`.
    pub delivery_id: String,
    /// The event's name.
    pub event: String,
    /// 'webhook', 'slack' or 'teams'.
    pub target: String,
    /// The endpoint, for webhooks.
    pub webhook_id: Option<i64>,
    /// Where it goes.
    pub url: String,
    /// What is sent (chat bodies are rendered first).
    pub body: String,
    /// Attempts so far.
    pub attempts: i32,
    /// When it was queued.
    pub created_at: NaiveDateTime,
}

/// Claims the most overdue queued message until `lease_until`, so no other
/// sender takes it meanwhile; a crashed sender's claim runs out. On
/// PostgreSQL the row is locked with `SKIP LOCKED`, so senders of several
/// instances never wait for each other (backend specific).
pub fn claim_one(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> AppResult<Option<Claimed>> {
    let due = outbound::table
        .filter(outbound::status.eq("queued"))
        .filter(outbound::next_attempt_at.le(now))
        .filter(
            outbound::claimed_until
                .is_null()
                .or(outbound::claimed_until.lt(now)),
        )
        .order(outbound::next_attempt_at.asc())
        .select(outbound::id);
    let id: Option<i64> = match conn {
        DbConnection::Pg(pg) => due.for_update().skip_locked().first(pg).optional()?,
        DbConnection::Sqlite(sqlite) => due.first(sqlite).optional()?,
    };
    let Some(id) = id else {
        return Ok(None);
    };
    diesel::update(outbound::table.find(id))
        .set(outbound::claimed_until.eq(lease_until))
        .execute(conn)?;
    Ok(Some(
        outbound::table
            .find(id)
            .select(Claimed::as_select())
            .first(conn)?,
    ))
}

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Delivered (a 2xx answer).
    Sent(u16),
    /// Not delivered; tried again at the given moment.
    Retry {
        /// The receiver's status, when it answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
        /// The next attempt.
        at: NaiveDateTime,
    },
    /// Not delivered, and given up.
    Failed {
        /// The receiver's status, when it answered.
        status: Option<u16>,
        /// What went wrong.
        error: String,
    },
}

/// Records one attempt's outcome on its row and releases the claim.
pub fn record(
    conn: &mut DbConnection,
    id: i64,
    outcome: &Outcome,
    now: NaiveDateTime,
) -> AppResult<()> {
    let (status, last_status, last_error, next, finished) = match outcome {
        Outcome::Sent(code) => ("sent", Some(i32::from(*code)), None, None, Some(now)),
        Outcome::Retry { status, error, at } => (
            "queued",
            status.map(i32::from),
            Some(error.as_str()),
            Some(*at),
            None,
        ),
        Outcome::Failed { status, error } => (
            "failed",
            status.map(i32::from),
            Some(error.as_str()),
            None,
            Some(now),
        ),
    };
    // A row paused or deleted meanwhile stays as that left it.
    let still_queued = outbound::table
        .filter(outbound::id.eq(id))
        .filter(outbound::status.eq("queued"));
    diesel::update(still_queued)
        .set((
            outbound::status.eq(status),
            outbound::attempts.eq(outbound::attempts + 1),
            outbound::last_status.eq(last_status),
            outbound::last_error.eq(last_error),
            outbound::claimed_until.eq(None::<NaiveDateTime>),
            outbound::finished_at.eq(finished),
            outbound::next_attempt_at.eq(next.unwrap_or(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// When the next queued message is due, if any.
pub fn next_due_at(conn: &mut DbConnection) -> AppResult<Option<NaiveDateTime>> {
    Ok(outbound::table
        .filter(outbound::status.eq("queued"))
        .select(diesel::dsl::min(outbound::next_attempt_at))
        .first(conn)?)
}
