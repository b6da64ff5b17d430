//! The owner's webhook endpoints: which events each hears, the signed
//! message each event becomes, and what happens when one keeps failing.
//!
//! An endpoint's signing secret (Standard Webhooks, `whsec_<base64>`) is
//! shown once, when it is made. It is not stored: it is derived from the
//! server's secret key and the endpoint's random nonce ([`secret`]), so the
//! database alone cannot sign a delivery. Changing `TELLUS_SECRET_KEY`
//! therefore changes every endpoint's secret.
//!
//! Bodies follow the Standard Webhooks convention, `{"type", "timestamp",
//! "data"}`, built from the rows in the event's own transaction. They never
//! carry a customer's email address or name (`has_email` says whether one
//! was given); links are paths on the staff site (`staff_path`).
//!
//! A paused endpoint (by its owner, or by Tellus after 24 hours of failed
//! deliveries) gets no new messages, and its queued ones are marked failed
//! (`endpoint paused`); a deleted one's likewise (`endpoint deleted`).

use super::audit::{self, Actor};
use super::events::{Event, WEBHOOK_EVENTS};
use super::outbound::{self, NewMessage, Target};
use super::FieldError;
use crate::db::schema::{
    categories, feedback, gifts, locations, outbound as outbound_table, ticket_messages, tickets,
    webhook_attempts, webhooks,
};
use crate::db::DbConnection;
use crate::delivery::guard::Approved;
use crate::error::AppResult;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::webhook_mail::WebhookPaused;
use crate::mail::MailContext;
use crate::tokens::{random_token, Signer};
use chrono::{Duration, NaiveDateTime, SecondsFormat};
use data_encoding::BASE64;
use diesel::prelude::*;
use serde_json::{json, Value};

/// The event a "send test event" queues, to one endpoint only.
pub const TEST_EVENT: &str = "webhook.test";
/// Attempts kept per endpoint in its delivery log.
pub const LOG_SIZE: i64 = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 200;
/// An endpoint failing this long without a success is paused.
pub const PAUSE_AFTER_HOURS: i64 = 24;

/// Why an endpoint is paused.
pub const PAUSED_BY_OWNER: &str = "owner";
/// Paused by Tellus after [`PAUSE_AFTER_HOURS`] of failures.
pub const PAUSED_FAILING: &str = "failing";

/// An endpoint as the owner's pages and the API show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct Endpoint {
    /// Row id.
    pub id: i64,
    /// Where deliveries are posted.
    pub url: String,
    /// The owner's note.
    pub description: String,
    /// Subscribed events, comma-separated (see [`Endpoint::events`]).
    #[diesel(column_name = events)]
    pub event_list: String,
    /// Receives new messages.
    pub active: bool,
    /// Why it is paused ([`PAUSED_BY_OWNER`], [`PAUSED_FAILING`]).
    pub paused_reason: Option<String>,
    /// When it was paused.
    pub paused_at: Option<NaiveDateTime>,
    /// First failure since the last success.
    pub failing_since: Option<NaiveDateTime>,
    /// Last delivered message.
    pub last_success_at: Option<NaiveDateTime>,
    /// Last attempt of any outcome.
    pub last_attempt_at: Option<NaiveDateTime>,
    /// The last attempt's HTTP status, when an answer came.
    pub last_status: Option<i32>,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// The id the API shows (`wh_…`); the row id stays inside.
    pub public_id: String,
}

impl Endpoint {
    /// The subscribed event names.
    pub fn events(&self) -> Vec<&str> {
        self.event_list
            .split(',')
            .filter(|e| !e.is_empty())
            .collect()
    }
}

/// One attempt in an endpoint's delivery log.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct Attempt {
    /// Row id.
    pub id: i64,
    /// The message's `webhook-id`, the same on every attempt.
    pub delivery_id: String,
    /// The event's name.
    pub event: String,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<i32>,
    /// What went wrong, when something did.
    pub error: Option<String>,
    /// How long the attempt took.
    pub duration_ms: i32,
    /// When it was made.
    pub created_at: NaiveDateTime,
}

/// What the owner asks for when adding an endpoint.
#[derive(Debug, Clone)]
pub struct NewEndpoint {
    /// The URL, approved by the guard.
    pub url: Approved,
    /// A note for people.
    pub description: String,
    /// Event names from [`WEBHOOK_EVENTS`].
    pub events: Vec<String>,
}

/// The signing secret's bytes for an endpoint's nonce.
pub fn secret_bytes(signer: &Signer, nonce: &str) -> Vec<u8> {
    signer.tag("webhook-secret", nonce)
}

/// The signing secret as receivers configure it: `whsec_<base64>`.
pub fn secret(signer: &Signer, nonce: &str) -> String {
    format!("whsec_{}", BASE64.encode(&secret_bytes(signer, nonce)))
}

/// A fresh public id for an endpoint: `wh_` and a random token.
pub fn new_public_id() -> String {
    format!("wh_{}", random_token())
}

/// Checks the description and events of a new endpoint.
pub fn validate(description: &str, events: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if description.trim().chars().count() > MAX_DESCRIPTION {
        errors.push(
            FieldError::new("description", "webhook-description-too-long")
                .arg("max", MAX_DESCRIPTION),
        );
    }
    if events.is_empty() {
        errors.push(FieldError::new("events", "webhook-events-none"));
    } else if events.iter().any(|e| !WEBHOOK_EVENTS.contains(&e.as_str())) {
        errors.push(FieldError::new("events", "webhook-events-unknown"));
    }
    errors
}

/// Adds an endpoint; returns it with its secret, which is shown only now.
pub fn create(
    conn: &mut DbConnection,
    actor: Actor,
    signer: &Signer,
    input: &NewEndpoint,
    now: NaiveDateTime,
) -> AppResult<Result<(Endpoint, String), Vec<FieldError>>> {
    let errors = validate(&input.description, &input.events);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    // In the order the pages list them, each once.
    let events: Vec<&str> = WEBHOOK_EVENTS
        .iter()
        .copied()
        .filter(|e| input.events.iter().any(|given| given == e))
        .collect();
    let nonce = random_token();
    let id: i64 = diesel::insert_into(webhooks::table)
        .values((
            webhooks::url.eq(input.url.as_str()),
            webhooks::description.eq(input.description.trim()),
            webhooks::events.eq(events.join(",")),
            webhooks::secret_nonce.eq(&nonce),
            webhooks::public_id.eq(new_public_id()),
            webhooks::active.eq(true),
            webhooks::created_at.eq(now),
            webhooks::created_by.eq(actor.user_id()),
        ))
        .returning(webhooks::id)
        .get_result(conn)?;
    audit::note(
        conn,
        actor,
        "webhook.add",
        &format!("#{id} {}", host_of(input.url.as_str())),
        now,
    )?;
    let endpoint = get(conn, id)?.ok_or_else(|| crate::error::AppError::internal("new webhook"))?;
    Ok(Ok((endpoint, secret(signer, &nonce))))
}

/// The host of a URL, for logs and the audit trail (never the path, which
/// may carry a receiver's token).
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Every endpoint, oldest first.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<Endpoint>> {
    Ok(webhooks::table
        .order(webhooks::id.asc())
        .select(Endpoint::as_select())
        .load(conn)?)
}

/// One endpoint.
pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<Option<Endpoint>> {
    Ok(webhooks::table
        .find(id)
        .select(Endpoint::as_select())
        .first(conn)
        .optional()?)
}

/// One endpoint by its public id (`wh_…`).
pub fn get_by_public_id(conn: &mut DbConnection, public_id: &str) -> AppResult<Option<Endpoint>> {
    Ok(webhooks::table
        .filter(webhooks::public_id.eq(public_id))
        .select(Endpoint::as_select())
        .first(conn)
        .optional()?)
}

/// The endpoint's secret nonce, for signing at send time.
pub fn nonce(conn: &mut DbConnection, id: i64) -> AppResult<Option<String>> {
    Ok(webhooks::table
        .find(id)
        .select(webhooks::secret_nonce)
        .first(conn)
        .optional()?)
}

/// The delivery log, newest first (at most [`LOG_SIZE`]).
pub fn attempts(conn: &mut DbConnection, id: i64) -> AppResult<Vec<Attempt>> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::webhook_id.eq(id))
        .order(webhook_attempts::id.desc())
        .limit(LOG_SIZE)
        .select(Attempt::as_select())
        .load(conn)?)
}

/// Marks the endpoint's queued messages failed, with `why`.
fn drop_queued(conn: &mut DbConnection, id: i64, why: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        outbound_table::table
            .filter(outbound_table::webhook_id.eq(id))
            .filter(outbound_table::status.eq("queued")),
    )
    .set((
        outbound_table::status.eq("failed"),
        outbound_table::last_error.eq(why),
        outbound_table::finished_at.eq(now),
        outbound_table::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Deletes an endpoint, its log, and its queued messages' chances. False
/// when there is no such endpoint.
pub fn delete(
    conn: &mut DbConnection,
    actor: Actor,
    id: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let Some(endpoint) = get(conn, id)? else {
        return Ok(false);
    };
    drop_queued(conn, id, "endpoint deleted", now)?;
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)?;
    audit::note(
        conn,
        actor,
        "webhook.delete",
        &format!("#{id} {}", host_of(&endpoint.url)),
        now,
    )?;
    Ok(true)
}

/// Pauses (`active = false`) or resumes an endpoint. Pausing marks its
/// queued messages failed; resuming starts with a clean failure record.
/// False when there is no such endpoint.
pub fn set_active(
    conn: &mut DbConnection,
    actor: Actor,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let Some(endpoint) = get(conn, id)? else {
        return Ok(false);
    };
    if endpoint.active == active {
        return Ok(true);
    }
    if active {
        diesel::update(webhooks::table.find(id))
            .set((
                webhooks::active.eq(true),
                webhooks::paused_reason.eq(None::<String>),
                webhooks::paused_at.eq(None::<NaiveDateTime>),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        audit::note(conn, actor, "webhook.resume", &format!("#{id}"), now)?;
    } else {
        pause(conn, id, PAUSED_BY_OWNER, now)?;
        audit::note(conn, actor, "webhook.pause", &format!("#{id}"), now)?;
    }
    Ok(true)
}

fn pause(conn: &mut DbConnection, id: i64, reason: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::active.eq(false),
            webhooks::paused_reason.eq(reason),
            webhooks::paused_at.eq(now),
        ))
        .execute(conn)?;
    drop_queued(conn, id, "endpoint paused", now)
}

/// Queues a test event to this endpoint only (paused or not); returns its
/// delivery id, or `None` when there is no such endpoint.
pub fn send_test(
    conn: &mut DbConnection,
    actor: Actor,
    id: i64,
    now: NaiveDateTime,
) -> AppResult<Option<String>> {
    let Some(endpoint) = get(conn, id)? else {
        return Ok(None);
    };
    let body = envelope(
        TEST_EVENT,
        now,
        json!({ "endpoint_id": endpoint.public_id, "message": "This is a test event from Tellus." }),
    );
    let delivery_id = outbound::enqueue(
        conn,
        &NewMessage {
            event: TEST_EVENT,
            target: Target::Webhook(id),
            url: &endpoint.url,
            body: &body,
        },
        now,
    )?;
    audit::note(conn, actor, "webhook.test", &format!("#{id}"), now)?;
    Ok(Some(delivery_id))
}

/// A moment as receivers read it: RFC 3339 in UTC, to the second.
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn envelope(name: &str, now: NaiveDateTime, data: Value) -> String {
    json!({ "type": name, "timestamp": rfc3339(now), "data": data }).to_string()
}

/// Whether a stored event list holds `name`.
fn subscribed(list: &str, name: &str) -> bool {
    list.split(',').any(|e| e == name)
}

/// Queues `event` for every active endpoint that subscribed to it. With no
/// endpoints this is one query on a small indexed table.
pub fn queue_event(conn: &mut DbConnection, event: Event, now: NaiveDateTime) -> AppResult<()> {
    let name = event.name();
    let listening: Vec<(i64, String)> = webhooks::table
        .filter(webhooks::active.eq(true))
        .select((webhooks::id, webhooks::url, webhooks::events))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .filter(|(_, _, events)| subscribed(events, name))
        .map(|(id, url, _)| (id, url))
        .collect();
    if listening.is_empty() {
        return Ok(());
    }
    let Some(data) = event_data(conn, event)? else {
        return Ok(());
    };
    let body = envelope(name, now, data);
    for (id, url) in listening {
        outbound::enqueue(
            conn,
            &NewMessage {
                event: name,
                target: Target::Webhook(id),
                url: &url,
                body: &body,
            },
            now,
        )?;
    }
    Ok(())
}

/// The `data` of an event's body, or `None` when its row is gone.
pub fn event_data(conn: &mut DbConnection, event: Event) -> AppResult<Option<Value>> {
    Ok(match event {
        Event::FeedbackCreated { feedback_id } => {
            feedback_json(conn, feedback_id)?.map(|f| json!({ "feedback": f }))
        }
        Event::TicketCreated { ticket_id } => {
            ticket_json(conn, ticket_id)?.map(|t| json!({ "ticket": t }))
        }
        Event::TicketStatusChanged {
            ticket_id,
            from,
            to,
        } => ticket_json(conn, ticket_id)?
            .map(|t| json!({ "ticket": t, "from": from.as_str(), "to": to.as_str() })),
        Event::TicketCustomerReplied {
            ticket_id,
            message_id,
        }
        | Event::TicketStaffReplied {
            ticket_id,
            message_id,
        } => {
            let message: Option<(String, String, NaiveDateTime)> = ticket_messages::table
                .find(message_id)
                .select((
                    ticket_messages::author,
                    ticket_messages::body,
                    ticket_messages::created_at,
                ))
                .first(conn)
                .optional()?;
            match (ticket_json(conn, ticket_id)?, message) {
                (Some(t), Some((author, text, at))) => Some(json!({
                    "ticket": t,
                    "message": { "id": message_id, "author": author, "text": text, "created_at": rfc3339(at) },
                })),
                _ => None,
            }
        }
        Event::SatisfactionAnswered { ticket_id, face } => {
            ticket_json(conn, ticket_id)?.map(|t| json!({ "ticket": t, "face": face }))
        }
        Event::SlaBreached { ticket_id, breach } => {
            ticket_json(conn, ticket_id)?.map(|t| json!({ "ticket": t, "breach": breach }))
        }
        Event::GiftSent { gift_id } | Event::GiftRedeemed { gift_id } => {
            gift_json(conn, gift_id)?.map(|g| json!({ "gift": g }))
        }
        Event::GiftAwaitingApproval { .. } => None,
        Event::AlertRaised { alert_id } => Some(json!({ "alert": { "id": alert_id } })),
    })
}

fn location_json(conn: &mut DbConnection, id: i64) -> AppResult<Value> {
    let (slug, name): (String, String) = locations::table
        .find(id)
        .select((locations::slug, locations::name))
        .first(conn)?;
    Ok(json!({ "slug": slug, "name": name }))
}

fn topic(conn: &mut DbConnection, category: Option<i64>) -> AppResult<Value> {
    let Some(id) = category else {
        return Ok(Value::Null);
    };
    let slug: Option<String> = categories::table
        .find(id)
        .select(categories::slug)
        .first(conn)
        .optional()?;
    Ok(slug.map_or(Value::Null, Value::String))
}

type FeedbackRow = (
    String,
    i64,
    i16,
    Option<i64>,
    Option<String>,
    String,
    String,
    Option<String>,
    bool,
    NaiveDateTime,
);

fn feedback_json(conn: &mut DbConnection, id: i64) -> AppResult<Option<Value>> {
    let row: Option<FeedbackRow> = feedback::table
        .find(id)
        .select((
            feedback::reference,
            feedback::location_id,
            feedback::face,
            feedback::category_id,
            feedback::message,
            feedback::channel,
            feedback::language,
            feedback::spot,
            feedback::customer_email.is_not_null(),
            feedback::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((
        reference,
        location,
        face,
        category,
        message,
        channel,
        language,
        spot,
        has_email,
        at,
    )) = row
    else {
        return Ok(None);
    };
    Ok(Some(json!({
        "reference": reference,
        "location": location_json(conn, location)?,
        "face": face,
        "topic": topic(conn, category)?,
        "message": message,
        "channel": channel,
        "spot": spot,
        "language": language,
        "has_email": has_email,
        "created_at": rfc3339(at),
    })))
}

type TicketRow = (
    String,
    i64,
    String,
    String,
    Option<i16>,
    i16,
    Option<i64>,
    Option<i64>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn ticket_json(conn: &mut DbConnection, id: i64) -> AppResult<Option<Value>> {
    let row: Option<TicketRow> = tickets::table
        .inner_join(feedback::table.on(feedback::id.eq(tickets::feedback_id)))
        .filter(tickets::id.eq(id))
        .select((
            feedback::reference,
            tickets::location_id,
            tickets::status,
            tickets::priority,
            tickets::face,
            feedback::face,
            tickets::category_id,
            feedback::category_id,
            tickets::created_at,
            tickets::due_at,
        ))
        .first(conn)
        .optional()?;
    let Some((
        reference,
        location,
        status,
        priority,
        face,
        first_face,
        category,
        first_category,
        at,
        due,
    )) = row
    else {
        return Ok(None);
    };
    Ok(Some(json!({
        "reference": reference,
        "status": status,
        "priority": priority,
        "location": location_json(conn, location)?,
        "face": face.unwrap_or(first_face),
        "topic": topic(conn, category.or(first_category))?,
        "created_at": rfc3339(at),
        "due_at": due.map(rfc3339),
        "staff_path": format!("/staff/tickets/{id}"),
    })))
}

type GiftRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<i16>,
    String,
    String,
    Option<i64>,
    i64,
);

fn gift_json(conn: &mut DbConnection, id: i64) -> AppResult<Option<Value>> {
    let row: Option<GiftRow> = gifts::table
        .find(id)
        .select((
            gifts::id,
            gifts::kind,
            gifts::title,
            gifts::value_cents,
            gifts::percent,
            gifts::currency,
            gifts::status,
            gifts::ticket_id,
            gifts::location_id,
        ))
        .first(conn)
        .optional()?;
    let Some((gift_id, kind, title, value_cents, percent, currency, status, ticket, location)) =
        row
    else {
        return Ok(None);
    };
    let reference: Option<String> = match ticket {
        Some(ticket) => tickets::table
            .inner_join(feedback::table.on(feedback::id.eq(tickets::feedback_id)))
            .filter(tickets::id.eq(ticket))
            .select(feedback::reference)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Some(json!({
        "id": gift_id,
        "kind": kind,
        "title": title,
        "value_cents": value_cents,
        "percent": percent,
        "currency": currency,
        "status": status,
        "ticket_reference": reference,
        "location": location_json(conn, location)?,
    })))
}

/// What an attempt at a webhook delivery came to, for its endpoint's log.
#[derive(Debug, Clone)]
pub struct AttemptRecord<'a> {
    /// The endpoint.
    pub webhook_id: i64,
    /// The message's delivery id.
    pub delivery_id: &'a str,
    /// The event's name.
    pub event: &'a str,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// The receiver's status, when it answered.
    pub status_code: Option<i32>,
    /// What went wrong, if anything.
    pub error: Option<&'a str>,
    /// How long it took.
    pub duration_ms: i32,
    /// Whether it counts as delivered (a 2xx answer).
    pub delivered: bool,
}

/// Logs an attempt (keeping the last [`LOG_SIZE`]), updates the endpoint's
/// failure record, and pauses it (mailing the owners once) when it has
/// failed for [`PAUSE_AFTER_HOURS`] without a success. Returns whether it
/// was paused now.
pub fn record_attempt(
    conn: &mut DbConnection,
    mail: &MailContext,
    attempt: &AttemptRecord<'_>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let id = attempt.webhook_id;
    let Some(endpoint) = get(conn, id)? else {
        return Ok(false);
    };
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::webhook_id.eq(id),
            webhook_attempts::delivery_id.eq(attempt.delivery_id),
            webhook_attempts::event.eq(attempt.event),
            webhook_attempts::attempt.eq(attempt.attempt),
            webhook_attempts::status_code.eq(attempt.status_code),
            webhook_attempts::error.eq(attempt.error),
            webhook_attempts::duration_ms.eq(attempt.duration_ms),
            webhook_attempts::created_at.eq(now),
        ))
        .execute(conn)?;
    let oldest_kept: Option<i64> = webhook_attempts::table
        .filter(webhook_attempts::webhook_id.eq(id))
        .order(webhook_attempts::id.desc())
        .offset(LOG_SIZE - 1)
        .select(webhook_attempts::id)
        .first(conn)
        .optional()?;
    if let Some(oldest) = oldest_kept {
        diesel::delete(
            webhook_attempts::table
                .filter(webhook_attempts::webhook_id.eq(id))
                .filter(webhook_attempts::id.lt(oldest)),
        )
        .execute(conn)?;
    }
    if attempt.delivered {
        diesel::update(webhooks::table.find(id))
            .set((
                webhooks::failing_since.eq(None::<NaiveDateTime>),
                webhooks::last_success_at.eq(now),
                webhooks::last_attempt_at.eq(now),
                webhooks::last_status.eq(attempt.status_code),
            ))
            .execute(conn)?;
        return Ok(false);
    }
    let since = endpoint.failing_since.unwrap_or(now);
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::failing_since.eq(since),
            webhooks::last_attempt_at.eq(now),
            webhooks::last_status.eq(attempt.status_code),
        ))
        .execute(conn)?;
    if !endpoint.active || now - since < Duration::hours(PAUSE_AFTER_HOURS) {
        return Ok(false);
    }
    pause(conn, id, PAUSED_FAILING, now)?;
    audit::note(
        conn,
        Actor::Job,
        "webhook.pause",
        &format!("#{id} failing since {}", rfc3339(since)),
        now,
    )?;
    tell_owners(conn, mail, &endpoint, now)?;
    Ok(true)
}

fn tell_owners(
    conn: &mut DbConnection,
    mail: &MailContext,
    endpoint: &Endpoint,
    now: NaiveDateTime,
) -> AppResult<()> {
    let (business, _) = super::profile::for_mail(conn)?;
    let link = mail.link(&format!("/staff/settings/webhooks/{}", endpoint.id));
    let host = host_of(&endpoint.url);
    for owner in super::workflow::recipients(conn, super::workflow::Audience::Owners)? {
        let rendered = WebhookPaused {
            lang: owner.lang,
            business: &business,
            host: &host,
            hours: PAUSE_AFTER_HOURS,
            link: &link,
        }
        .render();
        let message_id = mail.new_message_id("webhook-paused");
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::WebhookPaused,
                ticket_id: None,
                ticket_message_id: None,
                recipient: &owner.email,
                rendered: &rendered,
                message_id: &message_id,
                in_reply_to: None,
                references: None,
            },
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_standard_webhooks_shaped_and_derived() {
        let signer = Signer::new(b"0123456789abcdef0123456789abcdef");
        let a = secret(&signer, "nonce-a");
        assert!(a.starts_with("whsec_"));
        let bytes = BASE64
            .decode(&a.as_bytes()["whsec_".len()..])
            .expect("base64");
        assert!(bytes.len() >= 24);
        assert_eq!(
            a,
            secret(&signer, "nonce-a"),
            "the same nonce, the same secret"
        );
        assert_ne!(a, secret(&signer, "nonce-b"));
        let other = Signer::new(b"another key, another secret, ok?");
        assert_ne!(a, secret(&other, "nonce-a"));
    }

    #[test]
    fn events_are_checked() {
        assert!(validate("", &["ticket.created".into()]).is_empty());
        assert_eq!(validate("", &[])[0].key, "webhook-events-none");
        assert_eq!(
            validate("", &["ticket.deleted".into()])[0].key,
            "webhook-events-unknown"
        );
        assert!(subscribed(
            "feedback.created,ticket.created",
            "ticket.created"
        ));
        assert!(!subscribed("feedback.created", "ticket.created"));
    }
}
