//! `POST /api/v1/feedback`: feedback as the form or a kiosk would send it,
//! through the same validation and the same store (a ticket and mails when
//! it needs follow-up). An `Idempotency-Key` makes a resend harmless: the
//! same key (per API key) twice gives the first answer, stored once.

use super::auth::{ApiJson, Caller};
use super::problem::Problem;
use crate::domain::api_key::Scope;
use crate::domain::feedback::{self, Channel, Draft, Origin};
use crate::domain::location;
use crate::i18n::Lang;
use crate::web::public;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// Longest `Idempotency-Key` taken.
const MAX_IDEMPOTENCY_KEY: usize = 48;

/// The routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create);
}

/// New feedback.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedback {
    /// The location's slug.
    pub location: String,
    /// 1 (very unhappy) to 4 (very happy).
    #[schema(minimum = 1, maximum = 4)]
    pub face: i16,
    /// A topic (category) slug.
    #[serde(default)]
    pub topic: Option<String>,
    /// What the customer wrote.
    #[serde(default)]
    pub message: Option<String>,
    /// The customer's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The customer's email address (only with `consent`).
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the customer agreed to be answered by email.
    #[serde(default)]
    pub consent: bool,
    /// The customer's language (`nl`, `en`); the location's by default.
    #[serde(default)]
    pub language: Option<String>,
    /// A spot within the location, e.g. `table-4`.
    #[serde(default)]
    pub spot: Option<String>,
}

/// Stored feedback.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackReceipt {
    /// The reference the customer quotes (also the ticket's, when one was opened).
    pub reference: String,
    /// Whether it became a ticket (an unhappy face or a message).
    pub ticket_opened: bool,
    /// Whether an acknowledgement mail is on its way to the customer.
    pub emailed: bool,
    /// Whether this answers a repeat of an `Idempotency-Key` already used.
    pub duplicate: bool,
}

/// The `Idempotency-Key` header, checked.
pub(super) fn idempotency_key(req: &HttpRequest, key_id: i64) -> Result<Option<String>, Problem> {
    let Some(raw) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let raw = raw.to_str().unwrap_or_default().trim();
    let ok = !raw.is_empty()
        && raw.len() <= MAX_IDEMPOTENCY_KEY
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(Problem::field(
            "Idempotency-Key",
            format!("1 to {MAX_IDEMPOTENCY_KEY} letters, digits, '-' or '_'"),
        ));
    }
    // Per API key: two systems cannot collide on each other's keys.
    Ok(Some(format!("api{key_id}-{raw}")))
}

/// Stores feedback. With an `Idempotency-Key` already used by this API key
/// for this location, answers 200 with the first receipt instead of 201.
#[utoipa::path(
    tag = "feedback",
    description = "Scope `feedback:write`.",
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 48 letters, digits, '-' or '_'; the same key twice stores once")),
    request_body = NewFeedback,
    responses(
        (status = 201, description = "Stored", body = FeedbackReceipt),
        (status = 200, description = "Already stored under this Idempotency-Key", body = FeedbackReceipt),
    )
)]
#[post("/feedback")]
pub async fn create(
    req: HttpRequest,
    app: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<NewFeedback>,
) -> Result<HttpResponse, Problem> {
    let key = caller.require(Scope::FeedbackWrite)?.clone();
    let idempotency = idempotency_key(&req, key.id)?;
    let body = body.0;
    let slug = body.location.clone();
    let found = app
        .db
        .read(move |c| location::find_by_slug(c, &slug))
        .await?
        .filter(|l| l.active && key.sees(l.id))
        .ok_or_else(|| Problem::field("location", "no such active location"))?;
    let lang = match body.language.as_deref() {
        None | Some("") => Lang::from_code(&found.default_language).unwrap_or(Lang::Nl),
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| Problem::field("language", "not a language Tellus speaks"))?,
    };
    let spot = match body.spot.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            feedback::clean_tag(raw)
                .ok_or_else(|| Problem::field("spot", "up to 64 letters, digits, '-' or '_'"))?,
        ),
    };
    let draft = Draft {
        face: body.face.to_string(),
        category: body.topic.unwrap_or_default(),
        message: body.message.unwrap_or_default(),
        name: body.name.unwrap_or_default(),
        email: body.email.unwrap_or_default(),
        consent: body.consent,
    };
    let categories = app.cache.categories(&app.db).await?;
    let valid = feedback::validate(&draft, &categories)
        .map_err(|errors| Problem::from_field_errors(&errors, &[("category", "topic")]))?;
    let origin = Origin {
        lang,
        channel: Channel::Api,
        spot,
        idempotency_key: idempotency,
        quarantine: None,
        device_id: None,
        // The wording the customer saw is the calling system's, not ours.
        consent_wording_id: None,
    };
    let receipt = public::store(&app, &found, &valid, &origin).await?;
    app.wake_senders();
    let status = if receipt.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(HttpResponse::build(status).json(FeedbackReceipt {
        reference: receipt.reference,
        ticket_opened: receipt.ticket_token.is_some(),
        emailed: receipt.emailed,
        duplicate: receipt.duplicate,
    }))
}
