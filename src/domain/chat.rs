//! The locations' team-chat targets (Slack incoming webhooks, Teams
//! Workflows webhooks): which events reach them and the message each becomes.
//! Customer email addresses and names never go to chat.
//!
//! What reaches a location's active targets: new unhappy feedback (faces
//! 1–2) with its text, a missed service-level target, a burst alert, a gift
//! waiting for approval, and an unhappy answer to the satisfaction question.
//! Unhappy feedback is queued when its ticket is opened (every face 1–2
//! submission gets one, as it arrives or when it leaves quarantine), so the
//! message can link to it.
//!
//! A chat row's `outbound.body` holds the message's [`Facts`] as JSON,
//! decided in the event's transaction; [`render`] phrases them for Slack or
//! Teams, in the location's default language, just before sending, when the
//! links can be made absolute.

use super::audit::{self, Actor};
use super::events::Event;
use super::outbound::{self, NewMessage, Target};
use super::FieldError;
use crate::db::schema::{alerts, categories, chat_targets, feedback, gifts, locations, tickets};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, Context};
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Longest customer text put into a chat message, in characters.
pub const MAX_TEXT: usize = 1500;
/// Longest target address, in characters.
pub const MAX_URL: usize = 2000;

/// Where a chat message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// A Slack incoming webhook.
    Slack,
    /// A Teams Workflows webhook (an Adaptive Card).
    Teams,
}

impl Platform {
    /// Stored form (`chat_targets.kind`, `outbound.target`).
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Slack => "slack",
            Platform::Teams => "teams",
        }
    }

    /// The platform a stored kind names.
    pub fn parse(stored: &str) -> Option<Platform> {
        match stored {
            "slack" => Some(Platform::Slack),
            "teams" => Some(Platform::Teams),
            _ => None,
        }
    }

    fn target(self, id: i64) -> Target {
        match self {
            Platform::Slack => Target::Slack(id),
            Platform::Teams => Target::Teams(id),
        }
    }
}

/// A location's chat target.
#[derive(Debug, Clone, Queryable)]
pub struct ChatTarget {
    /// Row id.
    pub id: i64,
    /// `slack` or `teams`.
    pub kind: String,
    /// Where messages are posted.
    pub url: String,
    /// When it was added.
    pub created_at: NaiveDateTime,
}

/// A location's active targets, oldest first.
pub fn targets(conn: &mut DbConnection, location_id: i64) -> AppResult<Vec<ChatTarget>> {
    Ok(chat_targets::table
        .filter(chat_targets::location_id.eq(location_id))
        .filter(chat_targets::active.eq(true))
        .order(chat_targets::id.asc())
        .select((
            chat_targets::id,
            chat_targets::kind,
            chat_targets::url,
            chat_targets::created_at,
        ))
        .load(conn)?)
}

/// Checks a target address: https, a host name or a public address. The
/// catalogue key of the problem when it is refused. (The full guard, which
/// also resolves the name, runs again when a message is sent.)
pub fn check_url(raw: &str) -> Result<url::Url, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("chat-error-url-required");
    }
    if raw.chars().count() > MAX_URL {
        return Err("chat-error-url-invalid");
    }
    let parsed = url::Url::parse(raw).map_err(|_| "chat-error-url-invalid")?;
    if parsed.scheme() != "https" {
        return Err("chat-error-url-https");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("chat-error-url-invalid");
    }
    let private = match parsed.host() {
        None => return Err("chat-error-url-invalid"),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost") || !name.contains('.')
        }
        Some(url::Host::Ipv4(ip)) => private_v4(ip),
        Some(url::Host::Ipv6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => private_v4(v4),
            None => {
                let first = ip.segments()[0];
                ip.is_loopback()
                    || ip.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
                    || ip.is_multicast()
            }
        },
    };
    if private {
        return Err("chat-error-url-private");
    }
    Ok(parsed)
}

fn private_v4(ip: std::net::Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

/// The add-a-target form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct TargetInput {
    /// `slack` or `teams`.
    pub kind: String,
    /// The webhook address.
    pub url: String,
}

/// Adds a target to a location; audited as `chat.add` with the target's id
/// and kind. The field errors when the form is wrong.
pub fn add(
    conn: &mut DbConnection,
    actor: Actor,
    location_id: i64,
    input: &TargetInput,
    now: NaiveDateTime,
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let platform = Platform::parse(input.kind.trim());
    if platform.is_none() {
        errors.push(FieldError::new("kind", "chat-error-kind"));
    }
    let url = match check_url(&input.url) {
        Ok(url) => Some(url),
        Err(key) => {
            errors.push(FieldError::new("url", key));
            None
        }
    };
    let (Some(platform), Some(url)) = (platform, url) else {
        return Ok(Err(errors));
    };
    let id: i64 = diesel::insert_into(chat_targets::table)
        .values((
            chat_targets::location_id.eq(location_id),
            chat_targets::kind.eq(platform.as_str()),
            chat_targets::url.eq(url.as_str()),
            chat_targets::active.eq(true),
            chat_targets::created_at.eq(now),
        ))
        .returning(chat_targets::id)
        .get_result(conn)?;
    let detail = format!("{id} {}", platform.as_str());
    audit::note(conn, actor, "chat.add", &detail, now)?;
    Ok(Ok(id))
}

/// Removes a location's target (messages already queued still go out);
/// audited as `chat.remove`. Whether it was there.
pub fn remove(
    conn: &mut DbConnection,
    actor: Actor,
    location_id: i64,
    target_id: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let done = diesel::update(
        chat_targets::table
            .find(target_id)
            .filter(chat_targets::location_id.eq(location_id))
            .filter(chat_targets::active.eq(true)),
    )
    .set(chat_targets::active.eq(false))
    .execute(conn)?;
    if done == 0 {
        return Ok(false);
    }
    audit::note(conn, actor, "chat.remove", &target_id.to_string(), now)?;
    Ok(true)
}

/// Queues a test message to one of a location's targets. Whether it exists.
pub fn send_test(
    conn: &mut DbConnection,
    location_id: i64,
    target_id: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let found: Option<(String, String, String, String)> = chat_targets::table
        .inner_join(locations::table)
        .filter(chat_targets::id.eq(target_id))
        .filter(chat_targets::location_id.eq(location_id))
        .filter(chat_targets::active.eq(true))
        .select((
            chat_targets::kind,
            chat_targets::url,
            locations::name,
            locations::default_language,
        ))
        .first(conn)
        .optional()?;
    let Some((kind, url, location, language)) = found else {
        return Ok(false);
    };
    let Some(platform) = Platform::parse(&kind) else {
        return Ok(false);
    };
    let facts = Facts {
        message: MessageKind::Test,
        lang: language_of(&language).code().to_owned(),
        location,
        path: format!("/staff/locations/{location_id}/alerts"),
        ..Facts::default()
    };
    let body = serde_json::to_string(&facts).internal("chat facts")?;
    outbound::enqueue(
        conn,
        &NewMessage {
            event: "chat.test",
            target: platform.target(target_id),
            url: &url,
            body: &body,
        },
        now,
    )?;
    Ok(true)
}

/// What a chat message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// New unhappy feedback.
    #[default]
    Feedback,
    /// An unhappy answer to the satisfaction question.
    Satisfaction,
    /// A missed service-level target.
    Sla,
    /// A burst alert.
    Alert,
    /// A gift waiting for an owner's approval.
    Gift,
    /// The owner's test message.
    Test,
}

/// The facts of a chat message, stored as the outbound row's body. Nothing
/// here identifies the customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// What it is about.
    pub message: MessageKind,
    /// The location's default language (`nl`, `en`).
    pub lang: String,
    /// The location's name.
    pub location: String,
    /// The face, 1–4 (feedback, satisfaction).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub face: Option<i16>,
    /// The topic's name in `lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// The customer's text (feedback), cut at [`MAX_TEXT`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The ticket's reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The staff page it links to, e.g. `/staff/tickets/7`.
    pub path: String,
    /// Which target was missed: `first_response` or `resolution`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breach: Option<String>,
    /// A burst's kind: `unhappy` or `happy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_kind: Option<String>,
    /// A burst's answers in its window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<i32>,
    /// A burst's answers of its kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching: Option<i32>,
    /// A burst's window, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i32>,
    /// A gift's title in `lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gift: Option<String>,
}

fn language_of(code: &str) -> Lang {
    Lang::from_code(code).unwrap_or(Lang::Nl)
}

fn cut(text: Option<String>) -> Option<String> {
    text.map(|t| {
        if t.chars().count() > MAX_TEXT {
            let mut short: String = t.chars().take(MAX_TEXT).collect();
            short.push('…');
            short
        } else {
            t
        }
    })
}

/// A ticket's location id and name, language, face, text, reference and topic names.
type TicketRow = (
    i64,
    String,
    String,
    i16,
    Option<String>,
    String,
    Option<super::category::NamesRow>,
);

/// A ticket's facts: location, language, face, topic, reference.
fn ticket_facts(
    conn: &mut DbConnection,
    ticket_id: i64,
    message: MessageKind,
) -> AppResult<(i64, Facts, Option<String>)> {
    let (location_id, location, language, face, text, reference, topic): TicketRow = tickets::table
        .inner_join(feedback::table.left_join(categories::table))
        .inner_join(locations::table)
        .filter(tickets::id.eq(ticket_id))
        .select((
            tickets::location_id,
            locations::name,
            locations::default_language,
            feedback::face,
            feedback::message,
            feedback::reference,
            super::category::NAMES.nullable(),
        ))
        .first(conn)?;
    let lang = language_of(&language);
    let topic = topic.map(|names| super::category::name_in(&names, lang).to_owned());
    let facts = Facts {
        message,
        lang: lang.code().to_owned(),
        location,
        face: Some(face),
        topic,
        reference: Some(reference),
        path: format!("/staff/tickets/{ticket_id}"),
        ..Facts::default()
    };
    Ok((location_id, facts, text))
}

/// The location a ticket belongs to and its submission's face.
fn ticket_location(conn: &mut DbConnection, ticket_id: i64) -> AppResult<(i64, i16)> {
    // The ticket keeps its submission's face (no join on the submission
    // path); only a row from before it did needs the submission.
    let (location_id, face): (i64, Option<i16>) = tickets::table
        .find(ticket_id)
        .select((tickets::location_id, tickets::face))
        .first(conn)?;
    if let Some(face) = face {
        return Ok((location_id, face));
    }
    Ok(tickets::table
        .inner_join(feedback::table)
        .filter(tickets::id.eq(ticket_id))
        .select((tickets::location_id, feedback::face))
        .first(conn)?)
}

/// Queues a chat message for `event` to every target of its location that
/// hears it.
pub fn queue_event(conn: &mut DbConnection, event: Event, now: NaiveDateTime) -> AppResult<()> {
    let (location_id, facts, name) = match event {
        Event::TicketCreated { ticket_id } => {
            let (location_id, face) = ticket_location(conn, ticket_id)?;
            if face > 2 || targets(conn, location_id)?.is_empty() {
                return Ok(());
            }
            let (_, mut facts, text) = ticket_facts(conn, ticket_id, MessageKind::Feedback)?;
            facts.text = cut(text);
            (location_id, facts, "feedback.created")
        }
        Event::SatisfactionAnswered { ticket_id, face } if face <= 2 => {
            let (location_id, _) = ticket_location(conn, ticket_id)?;
            if targets(conn, location_id)?.is_empty() {
                return Ok(());
            }
            let (_, mut facts, _) = ticket_facts(conn, ticket_id, MessageKind::Satisfaction)?;
            facts.face = Some(face);
            (location_id, facts, event.name())
        }
        Event::SlaBreached { ticket_id, breach } => {
            let (location_id, _) = ticket_location(conn, ticket_id)?;
            if targets(conn, location_id)?.is_empty() {
                return Ok(());
            }
            let (_, mut facts, _) = ticket_facts(conn, ticket_id, MessageKind::Sla)?;
            facts.breach = Some(breach.to_owned());
            (location_id, facts, event.name())
        }
        Event::AlertRaised { alert_id } => {
            let (location_id, location, language, kind, answers, matching, minutes): (
                i64,
                String,
                String,
                String,
                i32,
                i32,
                i32,
            ) = alerts::table
                .inner_join(locations::table)
                .filter(alerts::id.eq(alert_id))
                .select((
                    alerts::location_id,
                    locations::name,
                    locations::default_language,
                    alerts::kind,
                    alerts::answers,
                    alerts::matching,
                    alerts::minutes,
                ))
                .first(conn)?;
            let facts = Facts {
                message: MessageKind::Alert,
                lang: language_of(&language).code().to_owned(),
                location,
                path: super::alert::alerts_path(alert_id),
                alert_kind: Some(kind),
                answers: Some(answers),
                matching: Some(matching),
                minutes: Some(minutes),
                ..Facts::default()
            };
            (location_id, facts, event.name())
        }
        Event::GiftAwaitingApproval { gift_id } => {
            let (location_id, ticket_id, title, location, language): (
                i64,
                Option<i64>,
                String,
                String,
                String,
            ) = gifts::table
                .inner_join(locations::table.on(locations::id.eq(gifts::location_id)))
                .filter(gifts::id.eq(gift_id))
                .select((
                    gifts::location_id,
                    gifts::ticket_id,
                    gifts::title,
                    locations::name,
                    locations::default_language,
                ))
                .first(conn)?;
            if targets(conn, location_id)?.is_empty() {
                return Ok(());
            }
            let mut facts = match ticket_id {
                Some(ticket_id) => {
                    let (_, mut facts, _) = ticket_facts(conn, ticket_id, MessageKind::Gift)?;
                    facts.face = None;
                    facts
                }
                None => Facts {
                    message: MessageKind::Gift,
                    lang: language_of(&language).code().to_owned(),
                    location,
                    ..Facts::default()
                },
            };
            facts.path = "/staff/gifts/approvals".to_owned();
            facts.gift = Some(title);
            (location_id, facts, event.name())
        }
        _ => return Ok(()),
    };
    let body = serde_json::to_string(&facts).internal("chat facts")?;
    for target in targets(conn, location_id)? {
        let Some(platform) = Platform::parse(&target.kind) else {
            continue;
        };
        outbound::enqueue(
            conn,
            &NewMessage {
                event: name,
                target: platform.target(target.id),
                url: &target.url,
                body: &body,
            },
            now,
        )?;
    }
    Ok(())
}

/// A chat message in words, before it takes a platform's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The first line.
    pub title: String,
    /// The customer's own words, when there are any.
    pub quote: Option<String>,
    /// The location, reference and topic.
    pub context: String,
    /// The button's label.
    pub link_label: String,
    /// The absolute link.
    pub url: String,
}

/// Phrases the facts in their language, links made absolute against `base_url`.
pub fn message(facts: &Facts, base_url: &str) -> Message {
    let lang = language_of(&facts.lang);
    let face = facts
        .face
        .map(|f| lang.t(&format!("face-{}", f.clamp(1, 4))).into_owned())
        .unwrap_or_default();
    let location = facts.location.as_str();
    let number = |n: Option<i32>| n.unwrap_or(0).to_string();
    let (answers, matching, minutes) = (
        number(facts.answers),
        number(facts.matching),
        number(facts.minutes),
    );
    let gift = facts.gift.clone().unwrap_or_default();
    let title = match facts.message {
        MessageKind::Feedback => {
            lang.t_with("chat-feedback", &[("location", location), ("face", &face)])
        }
        MessageKind::Satisfaction => lang.t_with(
            "chat-satisfaction",
            &[("location", location), ("face", &face)],
        ),
        MessageKind::Sla => {
            let key = if facts.breach.as_deref() == Some("first_response") {
                "chat-sla-first-response"
            } else {
                "chat-sla-resolution"
            };
            lang.t_with(key, &[("location", location)])
        }
        MessageKind::Alert => {
            let key = if facts.alert_kind.as_deref() == Some("happy") {
                "chat-alert-happy"
            } else {
                "chat-alert-unhappy"
            };
            lang.t_with(
                key,
                &[
                    ("location", location),
                    ("answers", &answers),
                    ("matching", &matching),
                    ("minutes", &minutes),
                ],
            )
        }
        MessageKind::Gift => lang.t_with("chat-gift", &[("location", location), ("gift", &gift)]),
        MessageKind::Test => lang.t_with("chat-test", &[("location", location)]),
    }
    .into_owned();
    let mut context = vec![location.to_owned()];
    if let Some(reference) = &facts.reference {
        context.push(
            lang.t_with("chat-reference", &[("reference", reference)])
                .into_owned(),
        );
    }
    if let Some(topic) = &facts.topic {
        context.push(lang.t_with("chat-topic", &[("topic", topic)]).into_owned());
    }
    let link_label = match facts.message {
        MessageKind::Alert => lang.t("chat-open-alert"),
        MessageKind::Gift => lang.t("chat-open-gift"),
        MessageKind::Test => lang.t("chat-open-settings"),
        MessageKind::Feedback | MessageKind::Satisfaction | MessageKind::Sla => {
            lang.t("chat-open-ticket")
        }
    }
    .into_owned();
    Message {
        title,
        quote: facts.text.clone(),
        context: context.join(" · "),
        link_label,
        url: format!("{}{}", base_url.trim_end_matches('/'), facts.path),
    }
}

/// Text escaped as Slack asks for `&`, `<` and `>`.
pub fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Slack incoming-webhook body: a plain `text` fallback and `blocks` (the
/// title and quote in a section, a context line, a button to the page).
pub fn slack(message: &Message) -> serde_json::Value {
    let mut section = format!("*{}*", slack_escape(&message.title));
    if let Some(quote) = &message.quote {
        for line in quote.lines() {
            section.push_str("\n>");
            section.push_str(&slack_escape(line));
        }
    }
    let mut fallback = message.title.clone();
    if let Some(quote) = &message.quote {
        fallback.push_str(": ");
        fallback.push_str(quote);
    }
    json!({
        "text": slack_escape(&fallback),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": section}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": slack_escape(&message.context)}
            ]},
            {"type": "actions", "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": message.link_label},
                    "url": message.url
                }
            ]}
        ]
    })
}

/// A Teams Workflows webhook body: one Adaptive Card (1.4) with the title,
/// the quote, a subtle context line and a button to the page.
pub fn teams(message: &Message) -> serde_json::Value {
    let mut body = vec![json!({
        "type": "TextBlock",
        "text": message.title,
        "weight": "Bolder",
        "size": "Medium",
        "wrap": true
    })];
    if let Some(quote) = &message.quote {
        body.push(json!({"type": "TextBlock", "text": quote, "wrap": true}));
    }
    body.push(json!({
        "type": "TextBlock",
        "text": message.context,
        "isSubtle": true,
        "spacing": "Small",
        "wrap": true
    }));
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [
                    {"type": "Action.OpenUrl", "title": message.link_label, "url": message.url}
                ]
            }
        }]
    })
}

/// The HTTP body for a queued chat message: the stored facts (decided in the
/// event's transaction) phrased for Slack or Teams, with links made absolute
/// against `base_url`. The sender calls it just before posting.
pub fn render(target: &str, stored: &str, base_url: &str) -> AppResult<String> {
    let facts: Facts = serde_json::from_str(stored).internal("reading a chat message's facts")?;
    let message = message(&facts, base_url);
    let value = match Platform::parse(target) {
        Some(Platform::Slack) => slack(&message),
        Some(Platform::Teams) => teams(&message),
        None => {
            return Err(AppError::internal(format!(
                "no chat platform called {target}"
            )))
        }
    };
    serde_json::to_string(&value).internal("writing a chat message")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://shop.example";

    fn examples(lang: &str) -> Vec<(&'static str, Facts)> {
        let base = Facts {
            lang: lang.to_owned(),
            location: "Centrum & <Zuid>".to_owned(),
            reference: Some("TL-ABCD-EFGH".to_owned()),
            topic: Some("Service".to_owned()),
            path: "/staff/tickets/7".to_owned(),
            ..Facts::default()
        };
        vec![
            (
                "feedback",
                Facts {
                    message: MessageKind::Feedback,
                    face: Some(1),
                    text: Some("Cold coffee <again> & rude\nsecond line".to_owned()),
                    ..base.clone()
                },
            ),
            (
                "satisfaction",
                Facts {
                    message: MessageKind::Satisfaction,
                    face: Some(2),
                    ..base.clone()
                },
            ),
            (
                "sla",
                Facts {
                    message: MessageKind::Sla,
                    face: Some(1),
                    breach: Some("first_response".to_owned()),
                    ..base.clone()
                },
            ),
            (
                "alert",
                Facts {
                    message: MessageKind::Alert,
                    reference: None,
                    topic: None,
                    path: "/staff/alerts#alert-3".to_owned(),
                    alert_kind: Some("unhappy".to_owned()),
                    answers: Some(6),
                    matching: Some(4),
                    minutes: Some(15),
                    ..base.clone()
                },
            ),
            (
                "gift",
                Facts {
                    message: MessageKind::Gift,
                    path: "/staff/gifts/approvals".to_owned(),
                    gift: Some("Free coffee".to_owned()),
                    ..base.clone()
                },
            ),
            (
                "test",
                Facts {
                    message: MessageKind::Test,
                    reference: None,
                    topic: None,
                    path: "/staff/locations/1/alerts".to_owned(),
                    ..base
                },
            ),
        ]
    }

    /// Every message kind on each platform, in both languages.
    #[test]
    fn payloads() {
        for lang in ["nl", "en"] {
            for (name, facts) in examples(lang) {
                let stored = serde_json::to_string(&facts).unwrap();
                for target in ["slack", "teams"] {
                    let body = render(target, &stored, BASE).unwrap();
                    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                    insta::assert_snapshot!(
                        format!("{target}_{name}_{lang}"),
                        serde_json::to_string_pretty(&value).unwrap()
                    );
                }
            }
        }
    }

    #[test]
    fn slack_text_is_escaped_and_links_are_absolute() {
        let facts = &examples("en")[0].1;
        let value = slack(&message(facts, "https://shop.example/"));
        let section = value["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(section.contains("&lt;again&gt; &amp; rude"), "{section}");
        assert!(!section.contains("<again>"));
        assert_eq!(
            value["blocks"][2]["elements"][0]["url"],
            "https://shop.example/staff/tickets/7"
        );
        let teams = teams(&message(facts, BASE));
        let card = &teams["attachments"][0]["content"];
        assert_eq!(card["version"], "1.4");
        assert_eq!(
            card["actions"][0]["url"],
            "https://shop.example/staff/tickets/7"
        );
    }

    #[test]
    fn facts_carry_no_customer_address() {
        // Facts have no field for a name or an address; a text that holds
        // one is the customer's own words, which staff see anyway.
        for (_, facts) in examples("nl") {
            let stored = serde_json::to_string(&facts).unwrap();
            for target in ["slack", "teams"] {
                let body = render(target, &stored, BASE).unwrap();
                assert!(!body.contains('@'), "{body}");
            }
        }
    }

    #[test]
    fn unknown_platforms_and_broken_facts_are_errors() {
        assert!(render("irc", "{}", BASE).is_err());
        assert!(render("slack", "not json", BASE).is_err());
    }

    #[test]
    fn addresses_must_be_https_and_public() {
        let ok = [
            "https://hooks.slack.com/services/T0/B0/xyz",
            "https://prod-01.westeurope.logic.azure.com:443/workflows/abc?sig=1",
            "https://8.8.8.8/hook",
        ];
        for url in ok {
            assert!(check_url(url).is_ok(), "{url}");
        }
        let refused = [
            ("", "chat-error-url-required"),
            ("hooks.slack.com/services", "chat-error-url-invalid"),
            ("http://hooks.slack.com/services", "chat-error-url-https"),
            ("https://127.0.0.1/x", "chat-error-url-private"),
            ("https://2130706433/x", "chat-error-url-private"),
            ("https://10.1.2.3/x", "chat-error-url-private"),
            ("https://192.168.0.1/x", "chat-error-url-private"),
            ("https://169.254.169.254/latest", "chat-error-url-private"),
            ("https://[::1]/x", "chat-error-url-private"),
            ("https://[::ffff:10.0.0.1]/x", "chat-error-url-private"),
            ("https://[fd00::1]/x", "chat-error-url-private"),
            ("https://localhost/x", "chat-error-url-private"),
            ("https://intranet/x", "chat-error-url-private"),
            (
                "https://user:pw@hooks.slack.com/x",
                "chat-error-url-invalid",
            ),
        ];
        for (url, key) in refused {
            assert_eq!(check_url(url).err(), Some(key), "{url}");
        }
    }
}
