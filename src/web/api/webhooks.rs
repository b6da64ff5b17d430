//! Webhook endpoints through the API (scope `webhooks:write`): add one (its
//! signing secret answered once), list, read, delete, its delivery log, and
//! a test event. The same domain functions and URL guard as the owner's
//! pages; a refused URL is a 422 naming `url`. Endpoints are named by their
//! public id (`wh_…`), never the row id.
//!
//! An endpoint hears every location's events, so a key limited to some
//! locations may not manage them (403).

use super::auth::{ApiJson, Caller};
use super::problem::Problem;
use super::utc;
use crate::delivery::guard;
use crate::domain::api_key::{Authorised, Scope};
use crate::domain::webhook::{self, Endpoint, NewEndpoint};
use crate::domain::FieldError;
use crate::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// The routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get_one)
        .service(remove)
        .service(deliveries)
        .service(send_test);
}

const WEBHOOKS_WRITE: &str =
    "Scope `webhooks:write`, on a key not limited to some locations (an endpoint hears them all).";

/// What a new endpoint needs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where deliveries are posted: `https` (plain `http` only to
    /// localhost), to a public address.
    pub url: String,
    /// A note for people (at most 200 characters).
    #[serde(default)]
    pub description: Option<String>,
    /// The events it hears, at least one of `feedback.created`,
    /// `ticket.created`, `ticket.status_changed`, `ticket.customer_replied`,
    /// `ticket.staff_replied`, `satisfaction.answered`, `sla.breached`,
    /// `gift.sent`, `gift.redeemed`, `alert.raised`.
    pub events: Vec<String>,
}

/// A webhook endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiWebhook {
    /// Its public id, `wh_…`.
    pub id: String,
    /// Where deliveries are posted.
    pub url: String,
    /// The note for people.
    pub description: String,
    /// The events it hears.
    pub events: Vec<String>,
    /// Whether it gets new messages (false when paused).
    pub active: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// A new endpoint with its signing secret, answered only now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    /// Its public id, `wh_…`.
    pub id: String,
    /// Where deliveries are posted.
    pub url: String,
    /// The note for people.
    pub description: String,
    /// The events it hears.
    pub events: Vec<String>,
    /// Whether it gets new messages.
    pub active: bool,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// The Standard Webhooks signing secret, `whsec_…`. Shown once: keep it.
    pub secret: String,
}

/// The endpoints.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    /// Oldest first.
    pub items: Vec<ApiWebhook>,
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDelivery {
    /// The event's name.
    pub event: String,
    /// The message's `webhook-id`, the same on every attempt.
    pub delivery_id: String,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<i32>,
    /// What went wrong, when something did.
    pub error: Option<String>,
    /// How long the attempt took.
    pub duration_ms: i32,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// The delivery log.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    /// Newest first, the last 200.
    pub items: Vec<ApiDelivery>,
}

/// A queued test event.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuedTest {
    /// The message's `webhook-id`.
    pub delivery_id: String,
}

/// The key, when it may manage endpoints.
fn allowed(caller: &Caller) -> Result<&Authorised, Problem> {
    let key = caller.require(Scope::WebhooksWrite)?;
    if !key.location_ids.is_empty() {
        return Err(Problem::new(
            "missing-scope",
            "webhook endpoints hear every location; a key limited to some locations cannot manage them",
        ));
    }
    Ok(key)
}

fn events_of(endpoint: &Endpoint) -> Vec<String> {
    endpoint.events().into_iter().map(str::to_owned).collect()
}

fn show(endpoint: &Endpoint) -> ApiWebhook {
    ApiWebhook {
        id: endpoint.public_id.clone(),
        url: endpoint.url.clone(),
        description: endpoint.description.clone(),
        events: events_of(endpoint),
        active: endpoint.active,
        created_at: utc(endpoint.created_at),
    }
}

async fn find(app: &AppState, public_id: &str) -> Result<Endpoint, Problem> {
    let public_id = public_id.to_owned();
    app.db
        .read(move |c| webhook::get_by_public_id(c, &public_id))
        .await?
        .ok_or_else(|| Problem::not_found("webhook endpoint"))
}

/// Adds an endpoint. The URL must pass the same guard as the owner's page
/// (public addresses only, unless `TELLUS_WEBHOOK_ALLOW_PRIVATE` allows a
/// range); the answer carries the signing secret, once.
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    request_body = NewWebhook,
    responses((status = 201, description = "Added; the secret is shown only now", body = CreatedWebhook))
)]
#[post("/webhooks")]
pub async fn create(
    app: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<NewWebhook>,
) -> Result<HttpResponse, Problem> {
    let key = allowed(&caller)?;
    let body = body.0;
    let description = body.description.unwrap_or_default();
    let mut errors = webhook::validate(&description, &body.events);
    let approved = match guard::check(&body.url, &app.config.webhook_allow_private).await {
        Ok(approved) => Some(approved),
        Err(refusal) => {
            errors.insert(0, FieldError::new("url", refusal.message_key()));
            None
        }
    };
    let url = match approved {
        Some(url) if errors.is_empty() => url,
        _ => return Err(Problem::from_field_errors(&errors, &[])),
    };
    let input = NewEndpoint {
        url,
        description,
        events: body.events,
    };
    let (actor, now, signer) = (key.actor(), app.clock.now(), app.signer.clone());
    let (endpoint, secret) = app
        .db
        .write(move |c| webhook::create(c, actor, &signer, &input, now))
        .await?
        .map_err(|errors| Problem::from_field_errors(&errors, &[]))?;
    Ok(HttpResponse::Created().json(CreatedWebhook {
        id: endpoint.public_id.clone(),
        url: endpoint.url.clone(),
        description: endpoint.description.clone(),
        events: events_of(&endpoint),
        active: endpoint.active,
        created_at: utc(endpoint.created_at),
        secret,
    }))
}

/// Every endpoint (without secrets).
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    responses((status = 200, description = "The endpoints", body = WebhookList))
)]
#[get("/webhooks")]
pub async fn list(
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WebhookList>, Problem> {
    allowed(&caller)?;
    let all = app.db.read(webhook::list).await?;
    Ok(web::Json(WebhookList {
        items: all.iter().map(show).collect(),
    }))
}

/// One endpoint (without its secret).
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    params(("id" = String, Path, description = "The endpoint's id, `wh_…`")),
    responses((status = 200, description = "The endpoint", body = ApiWebhook))
)]
#[get("/webhooks/{id}")]
pub async fn get_one(
    app: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ApiWebhook>, Problem> {
    allowed(&caller)?;
    Ok(web::Json(show(&find(&app, &id).await?)))
}

/// Deletes an endpoint; its queued messages are not sent.
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    params(("id" = String, Path, description = "The endpoint's id, `wh_…`")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/webhooks/{id}")]
pub async fn remove(
    app: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let key = allowed(&caller)?;
    let endpoint = find(&app, &id).await?;
    let (actor, now) = (key.actor(), app.clock.now());
    let found = app
        .db
        .write(move |c| webhook::delete(c, actor, endpoint.id, now))
        .await?;
    if !found {
        return Err(Problem::not_found("webhook endpoint"));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The endpoint's delivery log: the last 200 attempts, newest first.
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    params(("id" = String, Path, description = "The endpoint's id, `wh_…`")),
    responses((status = 200, description = "The attempts", body = DeliveryList))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn deliveries(
    app: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<DeliveryList>, Problem> {
    allowed(&caller)?;
    let endpoint = find(&app, &id).await?;
    let log = app
        .db
        .read(move |c| webhook::attempts(c, endpoint.id))
        .await?;
    Ok(web::Json(DeliveryList {
        items: log
            .into_iter()
            .map(|a| ApiDelivery {
                event: a.event,
                delivery_id: a.delivery_id,
                attempt: a.attempt,
                status_code: a.status_code,
                error: a.error,
                duration_ms: a.duration_ms,
                created_at: utc(a.created_at),
            })
            .collect(),
    }))
}

/// Queues a test event (`webhook.test`) to this endpoint only, paused or
/// not.
#[utoipa::path(
    tag = "webhooks",
    description = WEBHOOKS_WRITE,
    params(("id" = String, Path, description = "The endpoint's id, `wh_…`")),
    responses((status = 202, description = "Queued", body = QueuedTest))
)]
#[post("/webhooks/{id}/test")]
pub async fn send_test(
    app: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let key = allowed(&caller)?;
    let endpoint = find(&app, &id).await?;
    let (actor, now) = (key.actor(), app.clock.now());
    let delivery_id = app
        .db
        .write(move |c| webhook::send_test(c, actor, endpoint.id, now))
        .await?
        .ok_or_else(|| Problem::not_found("webhook endpoint"))?;
    app.http_wake.notify_one();
    Ok(HttpResponse::Accepted().json(QueuedTest { delivery_id }))
}
