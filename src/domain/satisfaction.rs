//! The customer's answer to "Did we solve it?": one of the four faces, kept
//! on the ticket (`csat_score`, `csat_at`; a later answer replaces the
//! earlier) with a `csat` event. An unhappy answer (faces 1–2) reopens a
//! resolved or closed ticket and tells its assignee, or every staff member
//! and owner when nobody is assigned.

use super::events::{self, Event};
use super::ticket::{self, Status};
use super::workflow::{self, Audience};
use crate::db::schema::{feedback, locations, tickets};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::mail::followup_mail::UnhappyAnswer;
use crate::mail::outbox::MailKind;
use crate::mail::MailContext;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Whether a face counts as unhappy.
pub fn is_unhappy(face: i16) -> bool {
    face <= 2
}

/// A face from what a link or form carried: 1–4, else `None`.
pub fn parse_face(text: &str) -> Option<i16> {
    text.trim()
        .parse::<i16>()
        .ok()
        .filter(|f| (1..=4).contains(f))
}

/// Records the answer. Returns whether the ticket was reopened.
pub fn record_answer(
    conn: &mut DbConnection,
    ticket_id: i64,
    face: i16,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let (status, previous, assignee, merged_into, reference, shop): (
        String,
        Option<i16>,
        Option<i64>,
        Option<i64>,
        String,
        String,
    ) = tickets::table
        .inner_join(feedback::table)
        .inner_join(locations::table)
        .filter(tickets::id.eq(ticket_id))
        .select((
            tickets::status,
            tickets::csat_score,
            tickets::assignee_id,
            tickets::merged_into_id,
            feedback::reference,
            locations::name,
        ))
        .first(conn)?;
    // A replaced answer leaves the dashboard's day it was counted on.
    let earlier: Option<NaiveDateTime> = tickets::table
        .find(ticket_id)
        .select(tickets::csat_at)
        .first(conn)?;
    if let Some(at) = earlier {
        super::dashboard::forget(conn, at)?;
    }
    diesel::update(tickets::table.find(ticket_id))
        .set((tickets::csat_score.eq(face), tickets::csat_at.eq(now)))
        .execute(conn)?;
    ticket::add_event(conn, ticket_id, "csat", None, &face.to_string(), None, now)?;
    events::emit(conn, Event::SatisfactionAnswered { ticket_id, face }, now)?;
    // A merged duplicate's answer is kept, but its work goes on elsewhere.
    if !is_unhappy(face) || merged_into.is_some() {
        return Ok(false);
    }
    let status = Status::parse(&status).unwrap_or(Status::Open);
    let reopened = matches!(status, Status::Resolved | Status::Closed)
        && ticket::move_status(conn, ticket_id, status, Status::Open, None, now)?;
    // Staff hear of an unhappy answer once per resolution: when it reopens
    // the ticket, or when it is the first answer at all. Changing one's mind
    // back and forth on an open ticket tells them nothing new.
    if !reopened && previous.is_some() {
        return Ok(false);
    }
    let staff_link = mail.link(&format!("/staff/tickets/{ticket_id}"));
    let render = |lang| {
        UnhappyAnswer {
            lang,
            shop: &shop,
            reference: &reference,
            face,
            staff_link: &staff_link,
        }
        .render()
    };
    let audience = Audience::Assignee(assignee);
    workflow::tell_staff(
        conn,
        ticket_id,
        MailKind::UnhappyAnswer,
        audience,
        render,
        mail,
        now,
    )?;
    Ok(reopened)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces() {
        assert_eq!(parse_face("1"), Some(1));
        assert_eq!(parse_face(" 4 "), Some(4));
        assert_eq!(parse_face("0"), None);
        assert_eq!(parse_face("5"), None);
        assert_eq!(parse_face("x"), None);
        assert!(is_unhappy(2) && !is_unhappy(3));
    }
}
