//! Gift pages. Staff: the gift list (`/staff/gifts`), one gift
//! (`/staff/gifts/{id}`), sending from a ticket (`/staff/tickets/{id}/gift`)
//! or to an address (`/staff/gifts/new`), and the till (`/staff/redeem`:
//! look the code up, then redeem it). Owners: the catalogue
//! (`/staff/gifts/catalogue`), budgets, the approvals list
//! (`/staff/gifts/approvals`), approve, decline and void. The customer:
//! `/v/{token}`, their gift page. The rules live in [`crate::domain::gift`].

use super::extract::{client_ip, CurrentUser, Owner};
use super::form::ActiveForm;
use super::form::CsrfForm;
use super::{html, html_status, see_other, unprocessable};
use crate::domain::audit::Actor;
use crate::domain::gift::{self, CatalogueInput, Redemption, RequestKey, SendInput, Sender, Sent};
use crate::domain::{location, ticket, FieldError};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::views::gift::{CatalogueDraft, SendDraft, SendPage, TillAnswer};
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Gifts listed on `/staff/gifts`.
const LIST_LIMIT: i64 = 200;

/// Registers the gift routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/v/{token}", web::get().to(customer_page))
        .route("/staff/redeem", web::get().to(till))
        .route("/staff/redeem", web::post().to(look_up))
        .route("/staff/redeem/confirm", web::post().to(redeem))
        .route("/staff/gifts", web::get().to(list))
        .route("/staff/gifts/new", web::get().to(new_page))
        .route("/staff/gifts/new", web::post().to(send_to_address))
        .route("/staff/gifts/catalogue", web::get().to(catalogue))
        .route("/staff/gifts/catalogue", web::post().to(add_item))
        .route("/staff/gifts/catalogue/{id}", web::post().to(update_item))
        .route(
            "/staff/gifts/catalogue/{id}/active",
            web::post().to(set_item_active),
        )
        .route(
            "/staff/gifts/catalogue/{id}/remove",
            web::post().to(remove_item),
        )
        .route("/staff/gifts/budget/{location}", web::post().to(set_budget))
        .route("/staff/gifts/approvals", web::get().to(approvals))
        .route("/staff/gifts/{id}", web::get().to(detail))
        .route("/staff/gifts/{id}/approve", web::post().to(approve))
        .route("/staff/gifts/{id}/decline", web::post().to(decline))
        .route("/staff/gifts/{id}/void", web::post().to(void))
        .route("/staff/tickets/{id}/gift", web::get().to(ticket_page))
        .route("/staff/tickets/{id}/gift", web::post().to(send_from_ticket));
}

// ---------------------------------------------------------------------------
// The catalogue and budgets (owners)

/// A catalogue change's answer: back to the catalogue, or the catalogue again
/// with the errors and what was typed.
async fn after_catalogue_change<T>(
    app: &AppState,
    user: &CurrentUser,
    outcome: Result<T, Vec<FieldError>>,
    draft: CatalogueDraft<'_>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(_) => Ok(see_other("/staff/gifts/catalogue")),
        Err(errors) => {
            let page = catalogue_page(app, user, draft, &errors).await?;
            Ok(unprocessable(page))
        }
    }
}

async fn catalogue_page(
    app: &AppState,
    user: &CurrentUser,
    draft: CatalogueDraft<'_>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let now = app.clock.now();
    let (items, offered, budgets) = app
        .db
        .read(move |c| {
            Ok((
                gift::catalogue(c, false)?,
                location::offered_anywhere(c)?,
                gift::budgets(c, now)?,
            ))
        })
        .await?;
    Ok(views::gift::catalogue(
        user.lang,
        user.nav(),
        &items,
        &offered,
        &budgets,
        draft,
        errors,
    ))
}

/// `GET /staff/gifts/catalogue`
pub async fn catalogue(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    Ok(html(
        catalogue_page(&app, &user, CatalogueDraft::None, &[]).await?,
    ))
}

/// `POST /staff/gifts/catalogue`: adds an entry.
pub async fn add_item(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    let (input, actor, now) = (form.clone(), user.session.user.id, app.clock.now());
    let outcome = app
        .db
        .write(move |c| gift::add_item(c, &input, Actor::User(actor), now))
        .await?;
    after_catalogue_change(&app, &user, outcome, CatalogueDraft::New(&form)).await
}

/// `POST /staff/gifts/catalogue/{id}`: changes an entry.
pub async fn update_item(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    let (id, input, actor, now) = (*id, form.clone(), user.session.user.id, app.clock.now());
    let outcome = app
        .db
        .write(move |c| gift::update_item(c, id, &input, Actor::User(actor), now))
        .await?;
    after_catalogue_change(&app, &user, outcome, CatalogueDraft::Existing(id, &form)).await
}

/// `POST /staff/gifts/catalogue/{id}/active`: offers it when sending, or not.
pub async fn set_item_active(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (id, active, actor, now) = (*id, form.active()?, user.session.user.id, app.clock.now());
    app.db
        .write(move |c| gift::set_item_active(c, id, active, Actor::User(actor), now))
        .await?;
    Ok(see_other("/staff/gifts/catalogue"))
}

/// `POST /staff/gifts/catalogue/{id}/remove`: deletes an unused entry,
/// withdraws a used one.
pub async fn remove_item(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, actor, now) = (*id, user.session.user.id, app.clock.now());
    app.db
        .write(move |c| gift::remove_item(c, id, Actor::User(actor), now))
        .await?;
    Ok(see_other("/staff/gifts/catalogue"))
}

/// The budget form of one location.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BudgetForm {
    budget: String,
    approval_above: String,
}

/// `POST /staff/gifts/budget/{location}`: the monthly budget and approval amount.
pub async fn set_budget(
    app: web::Data<AppState>,
    Owner(user): Owner,
    location: web::Path<i64>,
    form: CsrfForm<BudgetForm>,
) -> AppResult<HttpResponse> {
    let (location, actor, now) = (*location, user.session.user.id, app.clock.now());
    let (budget, above) = (form.budget.clone(), form.approval_above.clone());
    let outcome = app
        .db
        .write(move |c| gift::set_budget(c, location, &budget, &above, Actor::User(actor), now))
        .await?;
    let draft = CatalogueDraft::Budget(location, &form.budget, &form.approval_above);
    after_catalogue_change(&app, &user, outcome, draft).await
}

// ---------------------------------------------------------------------------
// Lists and one gift

/// `GET /staff/gifts`: the latest gifts.
pub async fn list(app: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let lines = app.db.read(|c| gift::recent(c, LIST_LIMIT)).await?;
    Ok(html(views::gift::list(
        user.lang,
        user.nav(),
        user.zone,
        &lines,
        app.clock.now(),
    )))
}

/// `GET /staff/gifts/approvals` (owners).
pub async fn approvals(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let lines = app.db.read(gift::awaiting).await?;
    Ok(html(views::gift::approvals(
        user.lang,
        user.nav(),
        user.zone,
        &lines,
        &[],
    )))
}

async fn detail_page(
    app: &AppState,
    user: &CurrentUser,
    id: i64,
    errors: &[FieldError],
    notice: Option<&str>,
) -> AppResult<maud::Markup> {
    let line = app
        .db
        .read(move |c| gift::line(c, id))
        .await?
        .ok_or_else(AppError::not_found)?;
    let reference = match line.gift.ticket_id {
        Some(ticket_id) => Some((
            ticket_id,
            app.db
                .read(move |c| Ok(ticket::detail(c, ticket_id)?.feedback.reference))
                .await?,
        )),
        None => None,
    };
    Ok(views::gift::detail(
        user.lang,
        user.nav(),
        user.zone,
        &line,
        reference.as_ref().map(|(id, r)| (*id, r.as_str())),
        app.clock.now(),
        errors,
        notice,
    ))
}

/// `GET /staff/gifts/{id}`
pub async fn detail(
    req: HttpRequest,
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let notice = super::extract::query_param(&req, "done");
    let files = app.config.mail_saved_as_files();
    let notice = match notice.as_deref() {
        Some("sent") if files => Some("gift-notice-sent-file"),
        Some("sent") => Some("gift-notice-sent"),
        Some("awaiting") => Some("gift-notice-awaiting"),
        Some("approved") if files => Some("gift-notice-approved-file"),
        Some("approved") => Some("gift-notice-approved"),
        Some("declined") => Some("gift-notice-declined"),
        Some("voided") => Some("gift-notice-voided"),
        _ => None,
    };
    Ok(html(detail_page(&app, &user, *id, &[], notice).await?))
}

/// The decline form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclineForm {
    reason: String,
}

/// `POST /staff/gifts/{id}/approve` (owners): sends a waiting gift.
pub async fn approve(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, owner, mail, now) = (*id, user.session.user.id, app.mail.clone(), app.clock.now());
    let exists = app.db.read(move |c| gift::find(c, id)).await?.is_some();
    if !exists {
        return Err(AppError::not_found());
    }
    let approved = app
        .db
        .write(move |c| gift::approve(c, id, owner, &mail, now))
        .await?;
    app.wake_senders();
    // Decided before (another owner, a second click): show it as it stands.
    let done = if approved { "approved" } else { "" };
    Ok(see_other(&format!("/staff/gifts/{id}?done={done}")))
}

/// `POST /staff/gifts/{id}/decline` (owners), with an optional reason.
pub async fn decline(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<DeclineForm>,
) -> AppResult<HttpResponse> {
    let (id, owner, mail, now) = (*id, user.session.user.id, app.mail.clone(), app.clock.now());
    let exists = app.db.read(move |c| gift::find(c, id)).await?.is_some();
    if !exists {
        return Err(AppError::not_found());
    }
    let reason = form.reason.clone();
    let outcome = app
        .db
        .write(move |c| gift::decline(c, id, owner, &reason, &mail, now))
        .await?;
    match outcome {
        Ok(declined) => {
            app.wake_senders();
            let done = if declined { "declined" } else { "" };
            Ok(see_other(&format!("/staff/gifts/{id}?done={done}")))
        }
        Err(errors) => {
            let page = detail_page(&app, &user, id, &errors, None).await?;
            Ok(unprocessable(page))
        }
    }
}

/// The void form: the session's token and the explicit confirmation.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoidForm {
    confirm: String,
}

/// `POST /staff/gifts/{id}/void` (owners): the till refuses it from now on.
pub async fn void(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<VoidForm>,
) -> AppResult<HttpResponse> {
    let (id, owner, now) = (*id, user.session.user.id, app.clock.now());
    let exists = app.db.read(move |c| gift::find(c, id)).await?.is_some();
    if !exists {
        return Err(AppError::not_found());
    }
    if form.confirm != "yes" {
        let errors = [FieldError::new("confirm", "gift-error-confirm-void")];
        let page = detail_page(&app, &user, id, &errors, None).await?;
        return Ok(unprocessable(page));
    }
    let voided = app.db.write(move |c| gift::void(c, id, owner, now)).await?;
    let done = if voided { "voided" } else { "" };
    Ok(see_other(&format!("/staff/gifts/{id}?done={done}")))
}

// ---------------------------------------------------------------------------
// Sending

/// The send form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SendForm {
    key: String,
    catalogue_id: String,
    location_id: String,
    email: String,
    name: String,
    message: String,
    language: String,
    send_anyway: String,
}

impl SendForm {
    fn draft(&self) -> SendDraft {
        SendDraft {
            catalogue_id: self.catalogue_id.clone(),
            location_id: self.location_id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            message: self.message.clone(),
            language: self.language.clone(),
        }
    }
}

async fn send_page(
    app: &AppState,
    user: &CurrentUser,
    ticket_id: Option<i64>,
    draft: Option<SendDraft>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let now = app.clock.now();
    let (items, budgets, ticket) = app
        .db
        .read(move |c| {
            let ticket = match ticket_id {
                Some(id) => Some(ticket::detail(c, id)?),
                None => None,
            };
            Ok((gift::catalogue(c, true)?, gift::budgets(c, now)?, ticket))
        })
        .await?;
    let draft = draft.unwrap_or_else(|| match &ticket {
        Some(t) => SendDraft {
            location_id: t.location.id.to_string(),
            email: t.feedback.customer_email.clone().unwrap_or_default(),
            name: t.feedback.customer_name.clone().unwrap_or_default(),
            language: t.lang().code().to_owned(),
            ..SendDraft::default()
        },
        None => SendDraft {
            language: user.lang.code().to_owned(),
            ..SendDraft::default()
        },
    });
    let key = gift::request_key(&app.signer, user.session.user.id, now);
    Ok(views::gift::send(SendPage {
        lang: user.lang,
        nav: user.nav(),
        ticket: ticket
            .as_ref()
            .map(|t| (t.ticket.id, t.feedback.reference.as_str())),
        items: &items,
        budgets: &budgets,
        draft: &draft,
        key: &key,
        is_owner: user.session.user.is_owner(),
        errors,
    }))
}

/// `GET /staff/gifts/new`: a gift to an address, without a ticket.
pub async fn new_page(app: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    Ok(html(send_page(&app, &user, None, None, &[]).await?))
}

/// `GET /staff/tickets/{id}/gift`: a gift to this ticket's customer.
pub async fn ticket_page(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = ticket_id(&app, *id).await?;
    Ok(html(send_page(&app, &user, Some(id), None, &[]).await?))
}

async fn ticket_id(app: &AppState, id: i64) -> AppResult<i64> {
    use diesel::prelude::*;
    let found = app
        .db
        .read(move |c| {
            Ok(crate::db::schema::tickets::table
                .find(id)
                .select(crate::db::schema::tickets::id)
                .first::<i64>(c)
                .optional()?)
        })
        .await?;
    found.ok_or_else(AppError::not_found)
}

/// `POST /staff/gifts/new`
pub async fn send_to_address(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<SendForm>,
) -> AppResult<HttpResponse> {
    send(&app, &user, None, form.into_inner()).await
}

/// `POST /staff/tickets/{id}/gift`
pub async fn send_from_ticket(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<SendForm>,
) -> AppResult<HttpResponse> {
    let id = ticket_id(&app, *id).await?;
    send(&app, &user, Some(id), form.into_inner()).await
}

async fn send(
    app: &AppState,
    user: &CurrentUser,
    ticket_id: Option<i64>,
    form: SendForm,
) -> AppResult<HttpResponse> {
    let now = app.clock.now();
    let user_id = user.session.user.id;
    let refused = match gift::check_request_key(&app.signer, user_id, &form.key, now) {
        RequestKey::Fresh => None,
        RequestKey::Stale => Some(FieldError::new("key", "gift-error-stale-form")),
        RequestKey::Forged => {
            return Err(AppError::forbidden("gift send form without a genuine key"))
        }
    };
    let language = Lang::from_code(form.language.trim());
    let refused = refused.or_else(|| {
        language
            .is_none()
            .then(|| FieldError::new("language", "gift-error-language"))
    });
    if let Some(error) = refused {
        let page = send_page(app, user, ticket_id, Some(form.draft()), &[error]).await?;
        return Ok(unprocessable(page));
    }
    let language = language.unwrap_or(Lang::Nl);
    let input = SendInput {
        catalogue_id: form.catalogue_id.clone(),
        location_id: form.location_id.clone(),
        ticket_id,
        email: form.email.clone(),
        name: form.name.clone(),
        message: form.message.clone(),
        language,
        request_key: form.key.clone(),
        send_anyway: form.send_anyway == "yes",
    };
    let sender = Sender {
        actor: Actor::User(user_id),
        is_owner: user.session.user.is_owner(),
    };
    let mail = app.mail.clone();
    let outcome = app
        .db
        .write(move |c| gift::send(c, &input, &sender, &mail, now))
        .await?;
    match outcome {
        Ok(sent) => {
            app.wake_senders();
            let (id, done) = match sent {
                Sent::Sent(id) | Sent::Repeated(id) => (id, "sent"),
                Sent::Awaiting(id) => (id, "awaiting"),
            };
            // A repeated form shows the gift as it stands.
            let done = if matches!(sent, Sent::Repeated(_)) {
                ""
            } else {
                done
            };
            Ok(see_other(&format!("/staff/gifts/{id}?done={done}")))
        }
        Err(errors) => {
            let page = send_page(app, user, ticket_id, Some(form.draft()), &errors).await?;
            Ok(unprocessable(page))
        }
    }
}

// ---------------------------------------------------------------------------
// The till

/// `GET /staff/redeem`: type (or scan) a code.
pub async fn till(app: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let locations = app.db.read(crate::domain::location::list).await?;
    Ok(html(views::gift::till(
        user.lang,
        user.nav(),
        user.zone,
        &locations,
        "",
        TillAnswer::None,
    )))
}

/// The till form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TillForm {
    code: String,
    location_id: String,
}

/// Throttle keys of a till request: the user and the address.
fn till_keys(req: &HttpRequest, user: &CurrentUser) -> (String, String) {
    (
        format!("user:{}", user.session.user.id),
        format!("ip:{}", client_ip(req)),
    )
}

/// Finds the gift a typed code names. Unknown codes count against the
/// user's and the address's limits; while either is over, nothing is looked up.
async fn find_typed(
    req: &HttpRequest,
    app: &AppState,
    user: &CurrentUser,
    typed: &str,
) -> AppResult<Option<gift::GiftLine>> {
    let (by_user, by_ip) = till_keys(req, user);
    let limit = &app.limits.unknown_codes_per_user;
    let ip_limit = &app.limits.unknown_codes_per_ip;
    if limit.is_blocked(&by_user) || ip_limit.is_blocked(&by_ip) {
        return Err(AppError::too_many("unknown gift codes per user or IP"));
    }
    let found = match gift::normalise_code(typed) {
        Some(code) => {
            let signer = app.signer.clone();
            app.db
                .read(move |c| gift::by_code(c, &signer, &code))
                .await?
        }
        None => None,
    };
    if found.is_none() {
        limit.hit(&by_user);
        ip_limit.hit(&by_ip);
    }
    Ok(found)
}

/// `POST /staff/redeem`: step 1, shows the gift the code names and its state.
pub async fn look_up(
    req: HttpRequest,
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<TillForm>,
) -> AppResult<HttpResponse> {
    let found = find_typed(&req, &app, &user, &form.code).await?;
    let locations = app.db.read(crate::domain::location::list).await?;
    let now = app.clock.now();
    let (status, answer) = match &found {
        Some(line) => (StatusCode::OK, TillAnswer::Found(line, now)),
        None => (StatusCode::NOT_FOUND, TillAnswer::Unknown),
    };
    let page = views::gift::till(
        user.lang,
        user.nav(),
        user.zone,
        &locations,
        &form.code,
        answer,
    );
    Ok(html_status(status, page))
}

/// `POST /staff/redeem/confirm`: step 2, redeems it — exactly once.
pub async fn redeem(
    req: HttpRequest,
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<TillForm>,
) -> AppResult<HttpResponse> {
    let found = find_typed(&req, &app, &user, &form.code).await?;
    let locations = app.db.read(crate::domain::location::list).await?;
    let Some(line) = found else {
        let page = views::gift::till(
            user.lang,
            user.nav(),
            user.zone,
            &locations,
            &form.code,
            TillAnswer::Unknown,
        );
        return Ok(html_status(StatusCode::NOT_FOUND, page));
    };
    let location_id = form
        .location_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| locations.iter().any(|l| l.id == *id))
        .unwrap_or(line.gift.location_id);
    let (gift_id, user_id, now) = (line.gift.id, user.session.user.id, app.clock.now());
    let outcome = app
        .db
        .write(move |c| gift::redeem(c, gift_id, Actor::User(user_id), location_id, now))
        .await?;
    let after = app
        .db
        .read(move |c| gift::line(c, gift_id))
        .await?
        .ok_or_else(AppError::not_found)?;
    let status = if outcome == Redemption::Redeemed {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let page = views::gift::till(
        user.lang,
        user.nav(),
        user.zone,
        &locations,
        "",
        TillAnswer::Outcome(&after, &outcome, now),
    );
    Ok(html_status(status, page))
}

// ---------------------------------------------------------------------------
// The customer's page

/// `GET /v/{token}`: the customer's gift, its code as text and QR code.
pub async fn customer_page(
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    // Tokens are base64url of 16 bytes; anything else cannot match.
    if token.len() != 22 {
        return Err(AppError::not_found());
    }
    let lookup = token.clone();
    let line = app
        .db
        .read(move |c| gift::by_token(c, &lookup))
        .await?
        .ok_or_else(AppError::not_found)?;
    let code = gift::code_for(&app.signer, &token);
    let qr = crate::domain::qr::svg(&code)?;
    let brand = app.cache.brand(&app.db).await?;
    // The customer reads dates on the clock of the shop the gift is for.
    let location_id = line.gift.location_id;
    let tz = app
        .db
        .read(move |c| crate::domain::location::find(c, location_id))
        .await?
        .map_or(chrono_tz::UTC, |l| l.tz());
    Ok(html(views::gift::customer_page(
        &line,
        &gift::grouped(&code),
        &qr,
        &brand,
        tz,
        app.clock.now(),
    )))
}
