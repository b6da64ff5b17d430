//! Things that happen in a shop that the shop's other systems and its team
//! chat hear about. Each domain function that makes one happen calls [`emit`]
//! in its own transaction, so the message to every subscriber is queued
//! ([`super::outbound`]) together with the change itself, or not at all.
//!
//! [`emit`] hands the event to each kind of subscriber: the owner's webhook
//! endpoints ([`super::webhook`]) and the locations' Slack and Teams targets
//! ([`super::chat`]). Each decides whether it listens and what it sends; with
//! no subscribers an event costs one indexed query each.

use crate::db::DbConnection;
use crate::domain::ticket::Status;
use crate::error::AppResult;
use chrono::NaiveDateTime;

/// Something that happened, with the ids to read it back by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A submission was stored and is not held in quarantine (or was let
    /// through from it).
    FeedbackCreated {
        /// The feedback row.
        feedback_id: i64,
    },
    /// A ticket was opened for a submission.
    TicketCreated {
        /// The ticket.
        ticket_id: i64,
    },
    /// A ticket moved from one status to another.
    TicketStatusChanged {
        /// The ticket.
        ticket_id: i64,
        /// Before.
        from: Status,
        /// After.
        to: Status,
    },
    /// The customer answered (on their page or by mail).
    TicketCustomerReplied {
        /// The ticket the message joined.
        ticket_id: i64,
        /// The message.
        message_id: i64,
    },
    /// Staff answered the customer.
    TicketStaffReplied {
        /// The ticket.
        ticket_id: i64,
        /// The message.
        message_id: i64,
    },
    /// The customer answered the satisfaction question.
    SatisfactionAnswered {
        /// The ticket.
        ticket_id: i64,
        /// The face they chose, 1–4.
        face: i16,
    },
    /// A ticket passed a service-level target without being answered or
    /// resolved.
    SlaBreached {
        /// The ticket.
        ticket_id: i64,
        /// `first_response` or `resolution`.
        breach: &'static str,
    },
    /// A gift was mailed to its customer.
    GiftSent {
        /// The gift.
        gift_id: i64,
    },
    /// A gift was redeemed at the till.
    GiftRedeemed {
        /// The gift.
        gift_id: i64,
    },
    /// A gift waits for an owner's approval (chat only: not a webhook event).
    GiftAwaitingApproval {
        /// The gift.
        gift_id: i64,
    },
    /// A location's burst rule fired.
    AlertRaised {
        /// The alert.
        alert_id: i64,
    },
}

/// The names of the events a webhook endpoint can subscribe to, in the order
/// the owner's page lists them.
pub const WEBHOOK_EVENTS: &[&str] = &[
    "feedback.created",
    "ticket.created",
    "ticket.status_changed",
    "ticket.customer_replied",
    "ticket.staff_replied",
    "satisfaction.answered",
    "sla.breached",
    "gift.sent",
    "gift.redeemed",
    "alert.raised",
];

impl Event {
    /// The event's name, as receivers see it (`type` in a webhook's body).
    pub fn name(&self) -> &'static str {
        match self {
            Event::FeedbackCreated { .. } => "feedback.created",
            Event::TicketCreated { .. } => "ticket.created",
            Event::TicketStatusChanged { .. } => "ticket.status_changed",
            Event::TicketCustomerReplied { .. } => "ticket.customer_replied",
            Event::TicketStaffReplied { .. } => "ticket.staff_replied",
            Event::SatisfactionAnswered { .. } => "satisfaction.answered",
            Event::SlaBreached { .. } => "sla.breached",
            Event::GiftSent { .. } => "gift.sent",
            Event::GiftRedeemed { .. } => "gift.redeemed",
            Event::GiftAwaitingApproval { .. } => "gift.awaiting_approval",
            Event::AlertRaised { .. } => "alert.raised",
        }
    }

    /// Whether webhook endpoints can subscribe to it.
    pub fn is_webhook_event(&self) -> bool {
        WEBHOOK_EVENTS.contains(&self.name())
    }
}

/// Queues the event for every subscriber, in the caller's transaction.
pub fn emit(conn: &mut DbConnection, event: Event, now: NaiveDateTime) -> AppResult<()> {
    if event.is_webhook_event() {
        super::webhook::queue_event(conn, event, now)?;
    }
    super::chat::queue_event(conn, event, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_webhook_event_has_a_variant() {
        let examples = [
            Event::FeedbackCreated { feedback_id: 1 },
            Event::TicketCreated { ticket_id: 1 },
            Event::TicketStatusChanged {
                ticket_id: 1,
                from: Status::New,
                to: Status::Open,
            },
            Event::TicketCustomerReplied {
                ticket_id: 1,
                message_id: 1,
            },
            Event::TicketStaffReplied {
                ticket_id: 1,
                message_id: 1,
            },
            Event::SatisfactionAnswered {
                ticket_id: 1,
                face: 1,
            },
            Event::SlaBreached {
                ticket_id: 1,
                breach: "resolution",
            },
            Event::GiftSent { gift_id: 1 },
            Event::GiftRedeemed { gift_id: 1 },
            Event::AlertRaised { alert_id: 1 },
        ];
        let names: Vec<&str> = examples.iter().map(Event::name).collect();
        assert_eq!(names, WEBHOOK_EVENTS);
        assert!(!Event::GiftAwaitingApproval { gift_id: 1 }.is_webhook_event());
    }
}
