//! Kiosk handlers: pairing a tablet, the kiosk page and its submissions, the
//! service worker that keeps the kiosk usable offline, and the owner's list of
//! kiosks (pairing codes, revocation). The kiosk's location always comes from
//! its device cookie; nothing in the request can change it.

use super::extract::{client_ip, request_lang, CurrentUser, Owner};
use super::form::{check_token, issue_token, max_age, CsrfForm, Form};
use super::{html, html_status, see_other, unprocessable};
use crate::domain::consent::Surface;
use crate::domain::feedback::{self, clean_tag, Channel, Draft, Origin};
use crate::domain::kiosk::{self, Device, DeviceRow};
use crate::domain::location::{self, Location};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::AppState;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// The device cookie's name (`__Host-` whenever it is `Secure`).
fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tellus_kiosk"
    } else {
        "tellus_kiosk"
    }
}

/// Registers the kiosk routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/kiosk", web::get().to(page))
        .route("/kiosk/pair", web::get().to(pair_page))
        .route("/kiosk/pair", web::post().to(pair))
        .route("/kiosk/submit", web::post().to(submit))
        .route("/kiosk/heartbeat", web::post().to(heartbeat))
        .route("/kiosk/sw.js", web::get().to(service_worker))
        .route("/staff/kiosks", web::get().to(list))
        .route("/staff/kiosks/pairing", web::post().to(create_code))
        .route("/staff/kiosks/{id}/revoke", web::post().to(revoke));
}

/// The kiosk behind the request's cookie, if any, with its location when that
/// is active and the kiosk is not revoked.
async fn kiosk_of(
    req: &HttpRequest,
    app: &AppState,
) -> AppResult<Option<(Device, Option<Location>)>> {
    let Some(token) = req.cookie(cookie_name(app.config.secure_cookies())) else {
        return Ok(None);
    };
    let found = app.cache.kiosk(&app.db, token.value()).await?;
    Ok(found.map(|(device, place)| {
        let place = place.filter(|_| device.revoked_at.is_none());
        (device, place)
    }))
}

/// `GET /kiosk`: the kiosk, the "not active" screen, or the way to pairing.
async fn page(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let Some((_device, place)) = kiosk_of(&req, &app).await? else {
        return Ok(see_other("/kiosk/pair"));
    };
    let Some(location) = place else {
        let lang = request_lang(&req, None);
        return Ok(html_status(
            StatusCode::FORBIDDEN,
            views::kiosk::inactive(lang),
        ));
    };
    let lang = Lang::from_code(&location.default_language).unwrap_or(Lang::Nl);
    if !location::is_open(&location, app.clock.now()) {
        let mut response = html(views::kiosk::closed(lang, &location));
        // The service worker keeps no copy of this screen.
        response.headers_mut().insert(
            header::HeaderName::from_static("x-tellus-kiosk-screen"),
            header::HeaderValue::from_static("closed"),
        );
        return Ok(response);
    }
    let categories = app.cache.categories(&app.db).await?;
    let review_links = app.cache.review_links(&app.db).await?;
    Ok(html(views::kiosk::kiosk(
        lang,
        &location,
        &categories,
        !review_links.is_empty(),
    )))
}

/// `GET /kiosk/pair`
async fn pair_page(req: HttpRequest, app: web::Data<AppState>) -> HttpResponse {
    let lang = request_lang(&req, None);
    html(views::kiosk::pair(
        lang,
        &issue_token(&app, "kiosk-pair"),
        None,
    ))
}

/// The pairing form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PairForm {
    code: String,
    token: String,
    lang: String,
}

/// `POST /kiosk/pair`: a valid, unused, unexpired code gives this tablet its device cookie.
async fn pair(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<PairForm>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, Some(&form.lang));
    check_token(&app, "kiosk-pair", &form.token, max_age::KIOSK_PAIRING)
        .require("kiosk pairing")?;
    if !app.limits.pairing_per_ip.hit(&client_ip(&req)) {
        return Err(AppError::too_many("kiosk pairing per IP"));
    }
    let (code, now) = (form.code.clone(), app.clock.now());
    let Some(token) = app.db.write(move |c| kiosk::pair(c, &code, now)).await? else {
        let page = views::kiosk::pair(lang, &issue_token(&app, "kiosk-pair"), Some(&form.code));
        return Ok(unprocessable(page));
    };
    let secure = app.config.secure_cookies();
    let cookie = Cookie::build(cookie_name(secure), token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(3650))
        .finish();
    let mut response = see_other("/kiosk");
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    // A shared tablet carries no staff session: pairing ends it, here and on the server.
    if let Some(staff_cookie) = req.cookie(super::extract::session_cookie_name(secure)) {
        let token = staff_cookie.value().to_owned();
        app.db
            .write(move |c| crate::domain::session::end_by_token(c, &token))
            .await?;
    }
    let staff = super::extract::session_cookie_removal(secure);
    response.add_cookie(&staff).map_err(AppError::internal)?;
    Ok(response)
}

/// A kiosk submission, as the kiosk script sends it.
#[derive(Deserialize, Default)]
#[serde(default)]
struct KioskForm {
    face: String,
    category: String,
    message: String,
    email: String,
    consent: Option<String>,
    lang: String,
    key: String,
    // Any `location` field is ignored on purpose: the device decides.
}

fn json(status: StatusCode, value: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/json")
        .body(value.to_string())
}

/// Requests from the kiosk script carry this header, which another site's
/// page cannot send without the browser asking first.
fn from_kiosk_script(req: &HttpRequest) -> bool {
    req.headers().get("x-tellus-kiosk").is_some()
}

/// `POST /kiosk/submit`: stores one customer's feedback for the device's location.
async fn submit(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<KioskForm>,
) -> AppResult<HttpResponse> {
    if !from_kiosk_script(&req) {
        return Err(AppError::forbidden(
            "kiosk submission without the kiosk header",
        ));
    }
    let Some((device, place)) = kiosk_of(&req, &app).await? else {
        return Ok(json(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({ "error": "not-paired" }),
        ));
    };
    let Some(location) = place else {
        return Ok(json(
            StatusCode::FORBIDDEN,
            serde_json::json!({ "error": "inactive" }),
        ));
    };
    let form = form.into_inner();
    let lang = Lang::from_code(&form.lang).unwrap_or(Lang::Nl);
    let draft = Draft {
        face: form.face,
        category: form.category,
        message: form.message,
        name: String::new(),
        email: form.email,
        consent: form.consent.is_some(),
    };
    let categories = app.cache.categories(&app.db).await?;
    let valid = match feedback::validate_kiosk(&draft, &categories) {
        Ok(valid) => valid,
        Err(errors) => {
            let errors: Vec<_> = errors
                .iter()
                .map(|e| serde_json::json!({ "field": e.field, "message": views::components::error_text(lang, e) }))
                .collect();
            return Ok(json(
                StatusCode::UNPROCESSABLE_ENTITY,
                serde_json::json!({ "errors": errors }),
            ));
        }
    };
    let too_fast = !app.limits.kiosk_per_device.hit(&device.id.to_string());
    let over_location = !app.limits.public_per_location.hit(&location.slug);
    let origin = Origin {
        lang,
        channel: Channel::Kiosk,
        spot: None,
        idempotency_key: clean_tag(&form.key),
        quarantine: if too_fast {
            Some("kiosk-rate")
        } else if over_location {
            Some("rate-limit")
        } else {
            None
        },
        device_id: Some(device.id),
        consent_wording_id: app.consent.id(Surface::Kiosk, lang),
    };
    let receipt = super::public::store(&app, &location, &valid, &origin).await?;
    app.wake_senders();
    Ok(json(
        StatusCode::OK,
        serde_json::json!({ "reference": receipt.reference, "emailed": receipt.emailed, "duplicate": receipt.duplicate }),
    ))
}

/// `POST /kiosk/heartbeat`: the kiosk is alive (shown to owners as "last seen").
async fn heartbeat(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    if !from_kiosk_script(&req) {
        return Err(AppError::forbidden("heartbeat without the kiosk header"));
    }
    let Some((device, place)) = kiosk_of(&req, &app).await? else {
        return Ok(json(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({ "error": "not-paired" }),
        ));
    };
    if place.is_none() {
        return Ok(json(
            StatusCode::FORBIDDEN,
            serde_json::json!({ "error": "inactive" }),
        ));
    }
    let (id, now) = (device.id, app.clock.now());
    app.db.write(move |c| kiosk::seen(c, id, now)).await?;
    Ok(json(StatusCode::OK, serde_json::json!({ "ok": true })))
}

/// `GET /kiosk/sw.js`: the service worker, allowed to control `/kiosk`.
async fn service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Service-Worker-Allowed", "/kiosk"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(include_str!("../../static/sw.js"))
}

/// `GET /staff/kiosks` (owners)
async fn list(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let (devices, locations) = app
        .db
        .read(|c| Ok((kiosk::list(c)?, location::list(c)?)))
        .await?;
    Ok(owner_page(&app, &user, &devices, &locations, None))
}

/// The owners' kiosk page, with the pairing code just made (if any), and
/// the warning when tablets cannot reach `TELLUS_BASE_URL`.
fn owner_page(
    app: &AppState,
    user: &CurrentUser,
    devices: &[DeviceRow],
    locations: &[Location],
    new_code: Option<&str>,
) -> HttpResponse {
    html(views::kiosk::owner_list(
        user.lang,
        user.nav(),
        &views::kiosk::OwnerKiosks {
            devices,
            locations,
            new_code,
            now: app.clock.now(),
            tz: user.zone,
        },
        views::first_run::address_warning(
            user.lang,
            app.config.public_address_problem(),
            &app.config.base_url,
        ),
    ))
}

/// The pairing-code form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    location_id: i64,
    name: String,
}

/// `POST /staff/kiosks/pairing` (owners): a one-time code for a tablet.
async fn create_code(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<CodeForm>,
) -> AppResult<HttpResponse> {
    let (location_id, name, now) = (form.location_id, form.name.clone(), app.clock.now());
    let (code, devices, locations) = app
        .db
        .write(move |c| {
            let code = kiosk::create_pairing_code(c, location_id, &name, now)?
                .ok_or_else(AppError::not_found)?;
            Ok((code, kiosk::list(c)?, location::list(c)?))
        })
        .await?;
    Ok(owner_page(&app, &user, &devices, &locations, Some(&code)))
}

/// `POST /staff/kiosks/{id}/revoke` (owners)
async fn revoke(
    app: web::Data<AppState>,
    _: Owner,
    id: web::Path<i64>,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, now) = (*id, app.clock.now());
    app.db.write(move |c| kiosk::revoke(c, id, now)).await?;
    app.cache.clear();
    Ok(see_other("/staff/kiosks"))
}
