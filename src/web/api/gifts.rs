//! Gifts through the API: the active catalogue, the gifts made (newest
//! first, keyset paged), one gift, sending one within the same budget and
//! approval rules as staff (an API key is never an owner: above the approval
//! amount or the month's budget its gift waits for one), and redeeming a
//! code at the till, exactly once. The code itself never leaves Tellus
//! except in the customer's mail; another location's gift is not found for
//! a key limited to some locations.

use super::auth::{decode_query, ApiJson, Caller};
use super::feedback::idempotency_key;
use super::problem::{FieldProblem, Problem};
use super::utc;
use crate::domain::api_key::{Authorised, Scope};
use crate::domain::gift::{self, GiftLine, Redemption, SendInput, Sender, Sent, State};
use crate::domain::location::{self, Location};
use crate::domain::ticket;
use crate::i18n::{Lang, Written};
use crate::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use data_encoding::BASE64URL_NOPAD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// Rows per page unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;
/// Most rows per page.
const MAX_LIMIT: i64 = 200;

/// The routes (the catalogue and the till before `/gifts/{id}`).
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(catalogue)
        .service(list)
        .service(redeem)
        .service(get_one)
        .service(send);
}

/// A catalogue entry, with its texts in every language Tellus speaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCatalogueItem {
    /// Pass as `catalogue_id` to send one.
    pub id: i64,
    /// flowers, cinema, discount, store_credit, free_product or custom.
    pub kind: String,
    /// The title, by language code (only the languages it is written in).
    pub title: BTreeMap<String, String>,
    /// The description, by language code (only the languages it is written in).
    pub description: BTreeMap<String, String>,
    /// Its value in cents, for money gifts.
    pub value_cents: Option<i64>,
    /// The value's currency.
    pub currency: String,
    /// The percentage, for discounts.
    pub percent: Option<i16>,
    /// What one costs the shop (counts against the budget).
    pub cost_cents: i64,
    /// Days it stays valid after sending.
    pub validity_days: i32,
}

/// The active catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueList {
    /// By Dutch title.
    pub items: Vec<ApiCatalogueItem>,
}

/// Who made or redeemed a gift.
#[derive(Debug, Serialize, ToSchema)]
pub struct GiftActor {
    /// `staff` or `api_key`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The staff member's or the key's name.
    pub name: String,
}

/// A location as a gift shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct GiftLocation {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
}

/// A gift. Its code is never shown: only the customer gets it, by mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiGift {
    /// Its id.
    pub id: i64,
    /// awaiting_approval, declined, sent, expired, redeemed or void.
    pub status: String,
    /// The location whose budget pays.
    pub location: GiftLocation,
    /// The reference of the ticket it thanks for.
    pub ticket: Option<String>,
    /// The catalogue entry it was made from.
    pub catalogue_id: i64,
    /// Its kind.
    pub kind: String,
    /// Its title, in the customer's language.
    pub title: String,
    /// Its value as the customer reads it.
    pub value: String,
    /// What it costs the shop.
    pub cost_cents: i64,
    /// The currency.
    pub currency: String,
    /// The customer's language.
    pub language: String,
    /// Where it is mailed (emptied by retention and erasure).
    pub recipient_email: Option<String>,
    /// The customer's name.
    pub recipient_name: Option<String>,
    /// The personal message.
    pub message: String,
    /// Who made it.
    pub created_by: GiftActor,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When an owner approved or declined it.
    pub decided_at: Option<DateTime<Utc>>,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// When it was mailed.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it stops being redeemable.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was redeemed.
    pub redeemed_at: Option<DateTime<Utc>>,
    /// Who redeemed it.
    pub redeemed_by: Option<GiftActor>,
    /// The slug of the location where it was redeemed.
    pub redeemed_location: Option<String>,
    /// When an owner voided it.
    pub voided_at: Option<DateTime<Utc>>,
}

/// One page of gifts.
#[derive(Debug, Serialize, ToSchema)]
pub struct GiftPage {
    /// Newest first.
    pub items: Vec<ApiGift>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The list's query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields, default)]
#[into_params(parameter_in = Query)]
pub struct GiftQuery {
    /// awaiting_approval, declined, sent (still redeemable), expired, redeemed or void.
    pub status: Option<String>,
    /// A location slug.
    pub location: Option<String>,
    /// A ticket's reference.
    pub ticket: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page, 1–200 (50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// The state a status names, as the API spells it.
fn state_of(status: &str) -> Option<State> {
    Some(match status {
        "awaiting_approval" => State::Awaiting,
        "declined" => State::Declined,
        "sent" => State::Valid,
        "expired" => State::Expired,
        "redeemed" => State::Redeemed,
        "void" => State::Void,
        _ => return None,
    })
}

/// A state as the API spells it.
fn status_name(state: State) -> &'static str {
    match state {
        State::Awaiting => "awaiting_approval",
        State::Declined => "declined",
        State::Valid => "sent",
        State::Expired => "expired",
        State::Redeemed => "redeemed",
        State::Void => "void",
    }
}

/// Who, as the API shows it.
fn actor(user: Option<i64>, name: Option<&str>) -> Option<GiftActor> {
    name.map(|name| GiftActor {
        kind: if user.is_some() { "staff" } else { "api_key" }.to_owned(),
        name: name.to_owned(),
    })
}

/// The gifts as the API shows them: locations by slug, tickets by reference.
fn render(
    conn: &mut crate::db::DbConnection,
    found: Vec<GiftLine>,
    now: chrono::NaiveDateTime,
) -> crate::error::AppResult<Vec<ApiGift>> {
    let places = location::list(conn)?;
    let slug = |id: i64| {
        places
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.slug.clone())
            .unwrap_or_default()
    };
    let ticket_ids: Vec<i64> = found.iter().filter_map(|l| l.gift.ticket_id).collect();
    let references = ticket::references_of(conn, &ticket_ids)?;
    let mut out = Vec::with_capacity(found.len());
    for line in found {
        let g = &line.gift;
        let reference = g.ticket_id.and_then(|id| references.get(&id).cloned());
        out.push(ApiGift {
            id: g.id,
            status: status_name(g.state(now)).to_owned(),
            location: GiftLocation {
                slug: slug(g.location_id),
                name: line.location.clone(),
            },
            ticket: reference,
            catalogue_id: g.catalogue_id,
            kind: g.kind.clone(),
            title: g.title.clone(),
            value: g.value_text(g.lang()),
            cost_cents: g.cost_cents,
            currency: g.currency.clone(),
            language: g.language.clone(),
            recipient_email: g.recipient_email.clone(),
            recipient_name: g.recipient_name.clone(),
            message: g.message.clone(),
            created_by: actor(g.created_by, Some(&line.created_by)).unwrap_or(GiftActor {
                kind: "staff".into(),
                name: String::new(),
            }),
            created_at: utc(g.created_at),
            decided_at: g.decided_at.map(utc),
            decline_reason: g.decline_reason.clone(),
            sent_at: g.sent_at.map(utc),
            expires_at: g.expires_at.map(utc),
            redeemed_at: g.redeemed_at.map(utc),
            redeemed_by: actor(g.redeemed_by, line.redeemed_by.as_deref()),
            redeemed_location: g.redeemed_location_id.map(slug),
            voided_at: g.voided_at.map(utc),
        });
    }
    Ok(out)
}

/// The gift with this id as the API shows it, if the key may see it.
async fn show(app: &AppState, key: &Authorised, id: i64) -> Result<ApiGift, Problem> {
    let now = app.clock.now();
    let found = app
        .db
        .read(move |c| {
            let line = gift::line(c, id)?;
            Ok(match line {
                Some(line) => Some((line.gift.location_id, render(c, vec![line], now)?)),
                None => None,
            })
        })
        .await?;
    match found {
        Some((location_id, mut shown)) if key.sees(location_id) => {
            shown.pop().ok_or_else(|| Problem::not_found("gift"))
        }
        _ => Err(Problem::not_found("gift")),
    }
}

/// The active location with this slug, if the key may see it.
async fn visible_location(
    app: &AppState,
    key: &Authorised,
    slug: &str,
) -> Result<Option<Location>, Problem> {
    let slug = slug.trim().to_owned();
    Ok(app
        .db
        .read(move |c| location::find_by_slug(c, &slug))
        .await?
        .filter(|l| key.sees(l.id)))
}

/// The active catalogue, to choose what to send.
#[utoipa::path(
    tag = "gifts",
    description = "Scope `gifts:read`.",
    responses((status = 200, description = "The active entries", body = CatalogueList))
)]
#[get("/gifts/catalogue")]
pub async fn catalogue(
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<CatalogueList>, Problem> {
    caller.require(Scope::GiftsRead)?;
    let items = app.db.read(|c| gift::catalogue(c, true)).await?;
    let by_lang = |texts: Written<&str>| {
        Lang::ALL
            .into_iter()
            .filter(|lang| !texts.get(*lang).is_empty())
            .map(|lang| (lang.code().to_owned(), texts.get(lang).to_owned()))
            .collect::<BTreeMap<_, _>>()
    };
    Ok(web::Json(CatalogueList {
        items: items
            .into_iter()
            .map(|item| ApiCatalogueItem {
                id: item.id,
                kind: item.kind.clone(),
                title: by_lang(item.titles()),
                description: by_lang(item.descriptions()),
                value_cents: item.value_cents,
                currency: item.currency.clone(),
                percent: item.percent,
                cost_cents: item.cost_cents,
                validity_days: item.validity_days,
            })
            .collect(),
    }))
}

/// The gifts made, newest first, one page at a time.
#[utoipa::path(
    tag = "gifts",
    description = "Scope `gifts:read`.",
    params(GiftQuery),
    responses((status = 200, description = "One page", body = GiftPage))
)]
#[get("/gifts")]
pub async fn list(
    req: HttpRequest,
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<GiftPage>, Problem> {
    let key = caller.require(Scope::GiftsRead)?.clone();
    let query: GiftQuery = decode_query(req.query_string())?;
    // Every parameter is checked, and every wrong one named at once.
    let mut errors = Vec::new();
    let mut wrong = |field: &str, message: &str| {
        errors.push(FieldProblem {
            field: field.to_owned(),
            message: message.to_owned(),
        })
    };
    let mut filter = gift::Filter {
        location_ids: key.location_ids.clone(),
        ..gift::Filter::default()
    };
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        filter.state = state_of(status);
        if filter.state.is_none() {
            wrong(
                "status",
                "awaiting_approval, declined, sent, expired, redeemed or void",
            );
        }
    }
    if let Some(slug) = query.location.as_deref().filter(|s| !s.is_empty()) {
        match visible_location(&app, &key, slug).await? {
            Some(found) => filter.location_ids = vec![found.id],
            None => wrong("location", "no such location"),
        }
    }
    if let Some(reference) = query.ticket.as_deref().filter(|s| !s.is_empty()) {
        match super::tickets::visible(&app, &key, reference).await? {
            Some(found) => filter.ticket_id = Some(found.ticket.id),
            None => wrong("ticket", "no such ticket"),
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        wrong("limit", "1 to 200");
    }
    let before = match query.cursor.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(cursor) => {
            let found = BASE64URL_NOPAD
                .decode(cursor.as_bytes())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.strip_prefix('g').and_then(|n| n.parse::<i64>().ok()));
            if found.is_none() {
                wrong("cursor", "not a cursor this list gave");
            }
            found
        }
    };
    if !errors.is_empty() {
        return Err(Problem::fields(errors));
    }
    let now = app.clock.now();
    // One more than asked tells whether there is a next page.
    let mut items = app
        .db
        .read(move |c| {
            let found = gift::page(c, &filter, before, limit + 1, now)?;
            render(c, found, now)
        })
        .await?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items
            .last()
            .map(|g| BASE64URL_NOPAD.encode(format!("g{}", g.id).as_bytes()))
    } else {
        None
    };
    Ok(web::Json(GiftPage { items, next_cursor }))
}

/// One gift.
#[utoipa::path(
    tag = "gifts",
    description = "Scope `gifts:read`.",
    params(("id" = i64, Path, description = "The gift's id")),
    responses((status = 200, description = "The gift", body = ApiGift))
)]
#[get("/gifts/{id}")]
pub async fn get_one(
    app: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ApiGift>, Problem> {
    let key = caller.require(Scope::GiftsRead)?;
    let id = id
        .trim()
        .parse::<i64>()
        .map_err(|_| Problem::not_found("gift"))?;
    Ok(web::Json(show(&app, key, id).await?))
}

/// A gift to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGift {
    /// An active catalogue entry's id.
    pub catalogue_id: i64,
    /// The reference of the ticket it thanks for; its customer's address,
    /// name, language and location are the defaults.
    #[serde(default)]
    pub ticket: Option<String>,
    /// The slug of the location whose budget pays (required without a ticket).
    #[serde(default)]
    pub location: Option<String>,
    /// Where to mail it (required without a ticket that has one).
    #[serde(default)]
    pub email: Option<String>,
    /// The customer's name.
    #[serde(default)]
    pub name: Option<String>,
    /// A personal message, up to 1,000 characters.
    #[serde(default)]
    pub message: Option<String>,
    /// The customer's language (`nl`, `en`).
    #[serde(default)]
    pub language: Option<String>,
}

/// Sends a gift, by the same rules as a staff member: mailed at once, or,
/// above the location's approval amount or this month's budget, waiting for
/// an owner (who is mailed). With an `Idempotency-Key` already used by this
/// API key, answers 200 with the gift made the first time.
#[utoipa::path(
    tag = "gifts",
    description = "Scope `gifts:write`.",
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 48 letters, digits, '-' or '_'; the same key twice makes one gift")),
    request_body = NewGift,
    responses(
        (status = 201, description = "Sent, or waiting for an owner's approval (see `status`)", body = ApiGift),
        (status = 200, description = "Already made under this Idempotency-Key", body = ApiGift),
    )
)]
#[post("/gifts")]
pub async fn send(
    req: HttpRequest,
    app: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<NewGift>,
) -> Result<HttpResponse, Problem> {
    let key = caller.require(Scope::GiftsWrite)?.clone();
    let request_key = idempotency_key(&req, key.id)?.unwrap_or_else(crate::tokens::random_token);
    let body = body.0;
    let ticket = match body.ticket.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(reference) => Some(
            super::tickets::visible(&app, &key, reference)
                .await?
                .ok_or_else(|| Problem::field("ticket", "no such ticket"))?,
        ),
        None => None,
    };
    let location_id = match (
        body.location.as_deref().filter(|s| !s.trim().is_empty()),
        &ticket,
    ) {
        (Some(slug), _) => {
            visible_location(&app, &key, slug)
                .await?
                .ok_or_else(|| Problem::field("location", "no such location"))?
                .id
        }
        (None, Some(t)) => t.ticket.location_id,
        (None, None) => {
            return Err(Problem::field(
                "location",
                "a location or a ticket is required",
            ))
        }
    };
    let language = match body.language.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| Problem::field("language", "not a language Tellus speaks"))?,
        None => match &ticket {
            Some(t) => t.lang(),
            None => {
                let default = app
                    .db
                    .read(move |c| location::find(c, location_id))
                    .await?
                    .map(|l| l.default_language)
                    .unwrap_or_default();
                Lang::from_code(&default).unwrap_or(Lang::Nl)
            }
        },
    };
    let from_ticket = |pick: fn(&ticket::TicketDetail) -> Option<String>| {
        ticket.as_ref().and_then(pick).unwrap_or_default()
    };
    let input = SendInput {
        catalogue_id: body.catalogue_id.to_string(),
        location_id: location_id.to_string(),
        ticket_id: ticket.as_ref().map(|t| t.ticket.id),
        email: body
            .email
            .unwrap_or_else(|| from_ticket(|t| t.feedback.customer_email.clone())),
        name: body
            .name
            .unwrap_or_else(|| from_ticket(|t| t.feedback.customer_name.clone())),
        message: body.message.unwrap_or_default(),
        language,
        request_key,
        send_anyway: false,
    };
    let sender = Sender {
        actor: key.actor(),
        is_owner: false,
    };
    let (mail, now) = (app.mail.clone(), app.clock.now());
    let sent = app
        .db
        .write(move |c| gift::send(c, &input, &sender, &mail, now))
        .await?
        .map_err(|errors| Problem::from_field_errors(&errors, &[("location_id", "location")]))?;
    app.wake_senders();
    let (id, status) = match sent {
        Sent::Sent(id) | Sent::Awaiting(id) => (id, StatusCode::CREATED),
        Sent::Repeated(id) => (id, StatusCode::OK),
    };
    let shown = show(&app, &key, id).await?;
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("{}/gifts/{id}", super::PREFIX)))
        .json(shown))
}

/// A code typed or scanned at the till.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemBody {
    /// The code, as printed (`K7QF-M3XP-RW`; case, spaces and dashes do not matter).
    pub code: String,
    /// The slug of the location where it is redeemed (the gift's own by default).
    #[serde(default)]
    pub location: Option<String>,
}

/// Redeems a gift's code, exactly once however many tills try at the same
/// moment. A code that is not redeemable answers 409 saying why
/// (`gift-redeemed`, `gift-expired`, `gift-void`, `gift-not-sent`); unknown
/// codes count against the key (10 in 10 minutes, then 429).
#[utoipa::path(
    tag = "gifts",
    description = "Scope `gifts:write`.",
    request_body = RedeemBody,
    responses(
        (status = 200, description = "Redeemed now", body = ApiGift),
        (status = 409, description = "Not redeemable: already redeemed, expired, void or never sent", body = super::problem::ProblemBody, content_type = "application/problem+json"),
    )
)]
#[post("/gifts/redeem")]
pub async fn redeem(
    app: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<RedeemBody>,
) -> Result<web::Json<ApiGift>, Problem> {
    let key = caller.require(Scope::GiftsWrite)?.clone();
    let throttle_key = format!("apikey:{}", key.id);
    let limit = &app.limits.unknown_codes_per_user;
    if limit.is_blocked(&throttle_key) {
        let mut problem = Problem::new("rate-limited", "too many unknown codes for this API key");
        problem.retry_after = Some(600);
        return Err(problem);
    }
    let found = match gift::normalise_code(&body.code) {
        Some(code) => {
            let signer = app.signer.clone();
            app.db
                .read(move |c| gift::by_code(c, &signer, &code))
                .await?
        }
        None => None,
    }
    .filter(|line| key.sees(line.gift.location_id));
    let Some(line) = found else {
        limit.hit(&throttle_key);
        return Err(Problem::not_found("gift"));
    };
    let location_id = match body.location.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(slug) => {
            visible_location(&app, &key, slug)
                .await?
                .ok_or_else(|| Problem::field("location", "no such location"))?
                .id
        }
        None => line.gift.location_id,
    };
    let (gift_id, by, now) = (line.gift.id, key.actor(), app.clock.now());
    let outcome = app
        .db
        .write(move |c| gift::redeem(c, gift_id, by, location_id, now))
        .await?;
    app.http_wake.notify_one();
    let shown = show(&app, &key, gift_id).await?;
    let refused = |name: &'static str, detail: String| Err(Problem::new(name, detail));
    match outcome {
        Redemption::Redeemed => Ok(web::Json(shown)),
        Redemption::AlreadyRedeemed => refused(
            "gift-redeemed",
            format!(
                "already redeemed at {} ({}) by {}",
                shown
                    .redeemed_at
                    .map(|at| at.to_rfc3339())
                    .unwrap_or_default(),
                shown.redeemed_location.clone().unwrap_or_default(),
                shown.redeemed_by.map(|by| by.name).unwrap_or_default(),
            ),
        ),
        Redemption::Expired => refused(
            "gift-expired",
            format!(
                "expired at {}",
                shown
                    .expires_at
                    .map(|at| at.to_rfc3339())
                    .unwrap_or_default()
            ),
        ),
        Redemption::Void => refused("gift-void", "voided by an owner".to_owned()),
        Redemption::NotSent => refused(
            "gift-not-sent",
            "never sent: waiting for approval or declined".to_owned(),
        ),
    }
}
