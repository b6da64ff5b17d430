//! Tickets through the API: the inbox's list (the same filters, order and
//! keyset paging as `/staff/inbox`, with an opaque cursor), one ticket with
//! its timeline, and the staff actions (reply, note, status, assign,
//! priority) through the same domain functions, rules and mails. Tickets
//! are named by their reference, never their internal id; another
//! location's ticket is not found for a key limited to some locations.

use super::auth::{decode_query, ApiJson, Caller};
use super::problem::{FieldProblem, Problem};
use super::utc;
use crate::domain::api_key::{Authorised, Scope};
use crate::domain::inbox::{self, Cursor, Params, StatusChoice};
use crate::domain::ticket::{self, AfterReply, Priority, Status, TimelineEntry};
use crate::domain::{category, user};
use crate::i18n::Lang;
use crate::AppState;
use actix_web::{get, post, web, HttpRequest};
use chrono::{DateTime, Utc};
use data_encoding::BASE64URL_NOPAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// Rows per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;
/// Most rows per page.
const MAX_LIMIT: i64 = 200;

/// The routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(get_one)
        .service(reply)
        .service(note)
        .service(set_status)
        .service(assign)
        .service(set_priority);
}

/// The list's query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields, default)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// Search words, a reference or an email address (newest first).
    pub q: Option<String>,
    /// `active` (new, open, waiting; the default), `all`, or one status.
    pub status: Option<String>,
    /// A location slug (required for a key limited to several locations).
    pub location: Option<String>,
    /// A spot, e.g. `table-4`.
    pub spot: Option<String>,
    /// A topic (category) slug.
    pub category: Option<String>,
    /// A face, 1–4.
    #[param(minimum = 1, maximum = 4)]
    pub face: Option<i16>,
    /// `nobody`, or a staff member's email address.
    pub assignee: Option<String>,
    /// Only tickets past their due moment.
    pub overdue: Option<bool>,
    /// `due` (the default: due first, overdue on top) or `newest`.
    pub sort: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1–200 (50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// A ticket in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketSummary {
    /// Its reference, e.g. `TL-7KQ2-9XMA`.
    pub reference: String,
    /// new, open, waiting, resolved or closed.
    pub status: String,
    /// normal or high.
    pub priority: String,
    /// The location's name.
    pub location_name: String,
    /// The spot, if the QR code named one.
    pub spot: Option<String>,
    /// The face, 1–4.
    pub face: i16,
    /// The topic's English name.
    pub topic: Option<String>,
    /// The assigned staff member's name.
    pub assignee: Option<String>,
    /// The customer's message.
    pub message: Option<String>,
    /// The service-level moment that matters now.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
}

/// One page of tickets.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPage {
    /// The tickets, in order.
    pub items: Vec<TicketSummary>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A location as a ticket shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketLocation {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// A line of a ticket's timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    /// `submitted`, `message` or `event`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When.
    pub at: DateTime<Utc>,
    /// For `submitted`: the submission's reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For `message`: `customer` or `staff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// For `event`: note, status, assign, priority, merged_into, merged_from,
    /// reminder, escalation, csat_sent, csat, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// For `event`: a short code, e.g. `open>waiting`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The staff member who did it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// The API key it was done through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// A message's or note's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// One ticket with its timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTicket {
    /// Its reference.
    pub reference: String,
    /// new, open, waiting, resolved or closed.
    pub status: String,
    /// normal or high.
    pub priority: String,
    /// Where.
    pub location: TicketLocation,
    /// The spot.
    pub spot: Option<String>,
    /// The face, 1–4.
    pub face: i16,
    /// The topic's English name.
    pub topic: Option<String>,
    /// The customer's message.
    pub message: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
    /// The customer's email address, given with consent to be answered.
    pub customer_email: Option<String>,
    /// The customer's language.
    pub language: String,
    /// The assigned staff member's email address.
    pub assignee: Option<String>,
    /// The service-level moment that matters now.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The reference of the ticket it was merged into.
    pub merged_into: Option<String>,
    /// Everything that happened, oldest first.
    pub timeline: Vec<TimelineItem>,
}

fn invalid(field: &str, message: &str) -> Problem {
    Problem::field(field, message)
}

/// The query as the inbox reads it, checked: unlike the staff page, a value
/// that does not exist is a 422 naming the parameter.
fn resolve(
    query: &TicketQuery,
    key: &Authorised,
    choices: &inbox::Choices,
    assignee_id: Option<Option<i64>>,
) -> Result<(inbox::Request, i64), Problem> {
    let mut errors = Vec::new();
    let mut push = |field: &str, message: &str| {
        errors.push(FieldProblem {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    };
    let status = query.status.clone().unwrap_or_default();
    if !status.is_empty() && StatusChoice::parse(&status).is_none() {
        push(
            "status",
            "active, all, new, open, waiting, resolved or closed",
        );
    }
    let visible: Vec<_> = choices
        .locations
        .iter()
        .filter(|l| key.sees(l.id))
        .collect();
    let location = match query.location.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => match visible.iter().find(|l| l.slug == slug) {
            Some(l) => l.slug.clone(),
            None => {
                push("location", "no such location");
                String::new()
            }
        },
        None if key.location_ids.is_empty() => String::new(),
        None => match visible.as_slice() {
            [only] => only.slug.clone(),
            _ => {
                push(
                    "location",
                    "this key is limited to several locations: name one",
                );
                String::new()
            }
        },
    };
    let category = query.category.clone().unwrap_or_default();
    if !category.is_empty() && !choices.categories.iter().any(|c| c.slug == category) {
        push("category", "no such topic");
    }
    if query.face.is_some_and(|f| !(1..=4).contains(&f)) {
        push("face", "1 to 4");
    }
    let sort = query.sort.clone().unwrap_or_default();
    if !matches!(sort.as_str(), "" | "due" | "newest") {
        push("sort", "due or newest");
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        push("limit", "1 to 200");
    }
    let before = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => String::new(),
        Some(cursor) => match BASE64URL_NOPAD
            .decode(cursor.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .filter(|raw| Cursor::decode(raw).is_some())
        {
            Some(raw) => raw,
            None => {
                push("cursor", "not a cursor this list gave");
                String::new()
            }
        },
    };
    let assignee = match assignee_id {
        None => String::new(),
        Some(None) => "nobody".to_owned(),
        Some(Some(id)) => id.to_string(),
    };
    if !errors.is_empty() {
        return Err(Problem::fields(errors));
    }
    let params = Params {
        q: query.q.clone().unwrap_or_default(),
        status,
        location,
        spot: query.spot.clone().unwrap_or_default(),
        category,
        face: query.face.map(|f| f.to_string()).unwrap_or_default(),
        assignee,
        overdue: if query.overdue == Some(true) {
            "1".into()
        } else {
            String::new()
        },
        sort,
        before,
    };
    // No staff member is "me" through the API.
    Ok((inbox::resolve(&params, 0, choices), limit))
}

/// Tickets, one page at a time: the inbox's filters and order, fast at a
/// million tickets (each page walks one index).
#[utoipa::path(
    tag = "tickets",
    description = "Scope `tickets:read`.",
    params(TicketQuery),
    responses((status = 200, description = "One page", body = TicketPage))
)]
#[get("/tickets")]
pub async fn list(
    req: HttpRequest,
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<TicketPage>, Problem> {
    let key = caller.require(Scope::TicketsRead)?.clone();
    let query: TicketQuery = decode_query(req.query_string())?;
    let assignee_id = match query.assignee.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("nobody") => Some(None),
        Some(email) => {
            let email = email.to_lowercase();
            let found = app
                .db
                .read(move |c| user::find_by_email(c, &email))
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| invalid("assignee", "no active staff member with this address"))?;
            Some(Some(found.id))
        }
    };
    let now = app.clock.now();
    let page = app
        .db
        .read(move |c| {
            let choices = inbox::Choices::load(c)?;
            let (request, limit) = match resolve(&query, &key, &choices, assignee_id) {
                Ok(found) => found,
                Err(problem) => return Ok(Err(problem)),
            };
            let page = inbox::page(
                c,
                &request.filter,
                request.sort,
                request.q.as_deref(),
                request.after,
                limit,
                now,
            )?;
            Ok(Ok(page))
        })
        .await??;
    Ok(web::Json(TicketPage {
        next_cursor: page
            .next
            .map(|c| BASE64URL_NOPAD.encode(c.encode().as_bytes())),
        items: page
            .rows
            .into_iter()
            .map(|r| TicketSummary {
                reference: r.reference,
                status: r.status,
                priority: r.priority,
                location_name: r.location,
                spot: r.spot,
                face: r.face,
                topic: r
                    .category
                    .as_ref()
                    .map(|n| category::name_in(n, Lang::En).to_owned()),
                assignee: r.assignee,
                message: r.message,
                due_at: r.due_at.map(utc),
                created_at: utc(r.created_at),
            })
            .collect(),
    }))
}

/// The ticket with this reference, if there is one the key may see.
pub(super) async fn visible(
    app: &AppState,
    key: &Authorised,
    reference: &str,
) -> Result<Option<ticket::TicketDetail>, Problem> {
    let reference = reference.trim().to_uppercase();
    if reference.is_empty() || reference.len() > 20 {
        return Ok(None);
    }
    let found = app
        .db
        .read(move |c| match ticket::id_for_reference(c, &reference)? {
            Some(id) => Ok(Some(ticket::detail(c, id)?)),
            None => Ok(None),
        })
        .await?;
    Ok(found.filter(|d| key.sees(d.ticket.location_id)))
}

/// The id of the ticket with this reference, if the key may see it; else 404.
async fn find(app: &AppState, key: &Authorised, reference: &str) -> Result<i64, Problem> {
    visible(app, key, reference)
        .await?
        .map(|d| d.ticket.id)
        .ok_or_else(|| Problem::not_found("ticket"))
}

/// The ticket as the API shows it.
async fn show(app: &AppState, id: i64) -> Result<ApiTicket, Problem> {
    let (detail, timeline, assignee, merged_into) = app
        .db
        .read(move |c| {
            let detail = ticket::detail(c, id)?;
            let timeline = ticket::timeline(c, id)?;
            let assignee = match detail.ticket.assignee_id {
                Some(uid) => user::find(c, uid)?.map(|u| u.email),
                None => None,
            };
            let merged_into = match detail.ticket.merged_into_id {
                Some(target) => Some(ticket::detail(c, target)?.feedback.reference),
                None => None,
            };
            Ok((detail, timeline, assignee, merged_into))
        })
        .await?;
    let timeline = timeline
        .into_iter()
        .map(|entry| match entry {
            TimelineEntry::Submitted {
                reference,
                message,
                at,
                ..
            } => TimelineItem {
                kind: "submitted".into(),
                at: utc(at),
                reference: Some(reference),
                author: None,
                event: None,
                detail: None,
                staff: None,
                api_key: None,
                body: message,
            },
            TimelineEntry::Message { message, .. } => TimelineItem {
                kind: "message".into(),
                at: utc(message.created_at),
                reference: None,
                author: Some(message.author),
                event: None,
                detail: None,
                staff: message.staff_name,
                api_key: message.api_key,
                body: Some(message.body),
            },
            TimelineEntry::Event { event, .. } => TimelineItem {
                kind: "event".into(),
                at: utc(event.created_at),
                reference: None,
                author: None,
                event: Some(event.kind),
                detail: (!event.detail.is_empty()).then_some(event.detail),
                staff: event.actor,
                api_key: event.api_key,
                body: event.body,
            },
        })
        .collect();
    Ok(ApiTicket {
        reference: detail.feedback.reference,
        status: detail.ticket.status,
        priority: detail.ticket.priority,
        location: TicketLocation {
            slug: detail.location.slug,
            name: detail.location.name,
        },
        spot: detail.ticket.spot,
        face: detail.feedback.face,
        topic: detail
            .category
            .as_ref()
            .map(|n| category::name_in(n, Lang::En).to_owned()),
        message: detail.feedback.message,
        customer_name: detail.feedback.customer_name,
        customer_email: detail.feedback.customer_email,
        language: detail.feedback.language,
        assignee,
        due_at: detail.ticket.due_at.map(utc),
        created_at: utc(detail.ticket.created_at),
        updated_at: utc(detail.ticket.updated_at),
        merged_into,
        timeline,
    })
}

/// One ticket with its timeline.
#[utoipa::path(
    tag = "tickets",
    description = "Scope `tickets:read`.",
    params(("reference" = String, Path, description = "The ticket's reference, e.g. TL-7KQ2-9XMA")),
    responses((status = 200, description = "The ticket", body = ApiTicket))
)]
#[get("/tickets/{reference}")]
pub async fn get_one(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsRead)?;
    let id = find(&app, key, &reference).await?;
    Ok(web::Json(show(&app, id).await?))
}

/// A reply to the customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// The text; mailed to the customer when they gave an address.
    pub body: String,
    /// `keep` (the default: a new ticket becomes open), `waiting` or `resolved`.
    #[serde(default)]
    pub then: Option<String>,
}

/// An internal note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    /// The text, for staff eyes only.
    pub body: String,
}

/// A new status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// open, waiting, resolved or closed.
    pub status: String,
}

/// A new assignee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// An active staff member's email address, or null for nobody.
    pub assignee: Option<String>,
}

/// A new priority.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityBody {
    /// normal or high.
    pub priority: String,
}

const TICKETS_WRITE: &str = "Scope `tickets:write`. Answers the ticket as it is afterwards.";

/// Replies to the customer, exactly as a staff member's reply: the thread,
/// the mail, the first response, the status.
#[utoipa::path(
    tag = "tickets",
    description = TICKETS_WRITE,
    params(("reference" = String, Path, description = "The ticket's reference")),
    request_body = ReplyBody,
    responses((status = 200, description = "Replied", body = ApiTicket))
)]
#[post("/tickets/{reference}/reply")]
pub async fn reply(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
    body: ApiJson<ReplyBody>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsWrite)?;
    let then = AfterReply::parse(body.then.as_deref().unwrap_or(""))
        .ok_or_else(|| invalid("then", "keep, waiting or resolved"))?;
    let id = find(&app, key, &reference).await?;
    let (author, text, mail, now) = (key.author(), body.0.body, app.mail.clone(), app.clock.now());
    app.db
        .write(move |c| ticket::staff_reply(c, id, &author, &text, then, &mail, now))
        .await?
        .map_err(|e| Problem::from_field_errors(&[e], &[]))?;
    app.wake_senders();
    Ok(web::Json(show(&app, id).await?))
}

/// Adds an internal note.
#[utoipa::path(
    tag = "tickets",
    description = TICKETS_WRITE,
    params(("reference" = String, Path, description = "The ticket's reference")),
    request_body = NoteBody,
    responses((status = 200, description = "Noted", body = ApiTicket))
)]
#[post("/tickets/{reference}/note")]
pub async fn note(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
    body: ApiJson<NoteBody>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsWrite)?;
    let id = find(&app, key, &reference).await?;
    let (author, text, now) = (key.author(), body.0.body, app.clock.now());
    app.db
        .write(move |c| ticket::add_note(c, id, &author, &text, now))
        .await?
        .map_err(|e| Problem::from_field_errors(&[e], &[]))?;
    Ok(web::Json(show(&app, id).await?))
}

/// Sets the status (as staff may: open, waiting, resolved or closed).
#[utoipa::path(
    tag = "tickets",
    description = TICKETS_WRITE,
    params(("reference" = String, Path, description = "The ticket's reference")),
    request_body = StatusBody,
    responses((status = 200, description = "Set", body = ApiTicket))
)]
#[post("/tickets/{reference}/status")]
pub async fn set_status(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
    body: ApiJson<StatusBody>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsWrite)?;
    let to = Status::parse(&body.status)
        .filter(|s| Status::CHOSEN_BY_STAFF.contains(s))
        .ok_or_else(|| invalid("status", "open, waiting, resolved or closed"))?;
    let id = find(&app, key, &reference).await?;
    let (actor, now) = (key.actor(), app.clock.now());
    app.db
        .write(move |c| ticket::set_status(c, id, to, Some(actor), now))
        .await?;
    Ok(web::Json(show(&app, id).await?))
}

/// Assigns the ticket (the assignee is mailed, as from the staff page).
#[utoipa::path(
    tag = "tickets",
    description = TICKETS_WRITE,
    params(("reference" = String, Path, description = "The ticket's reference")),
    request_body = AssignBody,
    responses((status = 200, description = "Assigned", body = ApiTicket))
)]
#[post("/tickets/{reference}/assign")]
pub async fn assign(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
    body: ApiJson<AssignBody>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsWrite)?;
    let id = find(&app, key, &reference).await?;
    let assignee = match body.assignee.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(email) => {
            let email = email.to_lowercase();
            let found = app
                .db
                .read(move |c| user::find_by_email(c, &email))
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| invalid("assignee", "no active staff member with this address"))?;
            Some(found.id)
        }
    };
    let (author, mail, now) = (key.author(), app.mail.clone(), app.clock.now());
    app.db
        .write(move |c| ticket::assign(c, id, &author, assignee, &mail, now))
        .await?
        .map_err(|e| Problem::from_field_errors(&[e], &[]))?;
    app.wake_senders();
    Ok(web::Json(show(&app, id).await?))
}

/// Sets the priority.
#[utoipa::path(
    tag = "tickets",
    description = TICKETS_WRITE,
    params(("reference" = String, Path, description = "The ticket's reference")),
    request_body = PriorityBody,
    responses((status = 200, description = "Set", body = ApiTicket))
)]
#[post("/tickets/{reference}/priority")]
pub async fn set_priority(
    app: web::Data<AppState>,
    caller: Caller,
    reference: web::Path<String>,
    body: ApiJson<PriorityBody>,
) -> Result<web::Json<ApiTicket>, Problem> {
    let key = caller.require(Scope::TicketsWrite)?;
    let to =
        Priority::parse(&body.priority).ok_or_else(|| invalid("priority", "normal or high"))?;
    let id = find(&app, key, &reference).await?;
    let (author, now) = (key.author(), app.clock.now());
    app.db
        .write(move |c| ticket::set_priority(c, id, &author, to, now))
        .await?;
    Ok(web::Json(show(&app, id).await?))
}
