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
