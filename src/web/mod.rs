//! The web room: the routes table, request guards (security headers,
//! cross-site refusal, body limits), error pages, static files, and one file
//! of thin handlers per area.

pub mod account;
pub mod alert;
pub mod api;
pub mod attachments;
pub mod cache;
pub mod canned;
pub mod dashboard;
pub mod extract;
pub mod first_run;
pub mod form;
pub mod gift;
pub mod inbox;
pub mod kiosk;
pub mod login;
pub mod owner;
pub mod posters;
pub mod privacy;
pub mod public;
pub mod satisfaction;
pub mod self_check;
pub mod setup;
pub mod staff;
pub mod throttle;
pub mod ticket;
pub mod users;
pub mod webhooks;
pub mod workflow;

use crate::error::{AppError, ErrorKind};
use crate::i18n::Lang;
use crate::AppState;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use rust_embed::RustEmbed;

/// Largest form body accepted (a 5,000-character message percent-encoded fits easily).
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // Bodies are read by `form::Form`, which decodes strictly.
    cfg.app_data(web::PayloadConfig::new(MAX_FORM_BYTES))
        .app_data(
            web::PathConfig::default()
                .error_handler(|err, _| AppError::not_found_because(err).into()),
        )
        .app_data(
            web::QueryConfig::default().error_handler(|err, _| AppError::bad_request(err).into()),
        )
        .route("/", web::get().to(public::landing))
        .route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/static/{path:.*}", web::get().to(asset))
        .route("/brand.css", web::get().to(public::brand_css))
        .route("/tell-others", web::get().to(public::tell_others))
        .route("/tell-others.svg", web::get().to(public::tell_others_qr))
        .route("/f/{slug}", web::get().to(public::form))
        .route("/f/{slug}", web::post().to(public::submit))
        .route("/t/{token}", web::get().to(public::ticket_page))
        .route("/t/{token}", web::post().to(public::ticket_reply))
        .route("/setup/{token}", web::get().to(setup::page))
        .route("/setup/{token}", web::post().to(setup::submit))
        .route("/staff", web::get().to(staff::home))
        .route("/staff/quarantine", web::get().to(staff::quarantine))
        .route(
            "/staff/quarantine/{id}/release",
            web::post().to(staff::release),
        )
        .route("/staff/settings", web::get().to(staff::settings))
        .route(
            "/staff/settings/review-links",
            web::post().to(staff::add_review_link),
        )
        .route(
            "/staff/settings/review-links/{id}/delete",
            web::post().to(staff::remove_review_link),
        )
        .configure(ticket::routes)
        .configure(canned::routes)
        .configure(dashboard::routes)
        .configure(owner::routes)
        .configure(login::routes)
        .configure(users::routes)
        .configure(account::routes)
        .configure(attachments::routes)
        .configure(inbox::routes)
        .configure(posters::routes)
        .configure(kiosk::routes)
        .configure(satisfaction::routes)
        .configure(workflow::routes)
        .configure(privacy::routes)
        .configure(gift::routes)
        .configure(first_run::routes)
        .configure(api::routes)
        .configure(webhooks::routes)
        .configure(alert::routes)
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::not_found())
}

/// A 200 HTML response.
pub fn html(markup: Markup) -> HttpResponse {
    html_status(StatusCode::OK, markup)
}

/// An HTML response with a status (e.g. 422 for a form with errors).
pub fn html_status(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// The form's page shown again with its errors and what was typed, as 422.
pub fn unprocessable(page: Markup) -> HttpResponse {
    html_status(StatusCode::UNPROCESSABLE_ENTITY, page)
}

/// A 303 redirect after a successful POST.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// Marks a probe's answer (`/healthz`, `/readyz`): its plain-text reason
/// is for the operator's monitor and is never replaced by an error page.
#[derive(Clone, Copy)]
struct ProbeAnswer;

/// A probe's plain-text answer.
fn probe(status: StatusCode, text: String) -> HttpResponse {
    let mut res = HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(text);
    res.extensions_mut().insert(ProbeAnswer);
    res
}

/// `GET /healthz`: 200 when the database answers.
async fn healthz(app: web::Data<AppState>) -> HttpResponse {
    if app.db.ping().await {
        probe(StatusCode::OK, "ok".into())
    } else {
        probe(
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".into(),
        )
    }
}

/// How long `/readyz` waits for its write.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// `GET /readyz`: 200 when the database takes a write (a `readyz` row in
/// `job_runs`, through the writer like every change) within [`READY_WITHIN`];
/// 503 with the reason when it does not: a full disk, a read-only or
/// unreachable database. Migrations ran before the server listened.
async fn readyz(app: web::Data<AppState>) -> HttpResponse {
    use crate::db::schema::job_runs;
    use diesel::prelude::*;
    let now = app.clock.now();
    let write = app.db.write(move |c| {
        let updated = diesel::update(job_runs::table.find("readyz"))
            .set(job_runs::last_run_at.eq(now))
            .execute(c)?;
        if updated == 0 {
            diesel::insert_into(job_runs::table)
                .values((job_runs::name.eq("readyz"), job_runs::last_run_at.eq(now)))
                .execute(c)?;
        }
        Ok(())
    });
    let unready = |why: &str| {
        probe(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        )
    };
    match tokio::time::timeout(READY_WITHIN, write).await {
        Ok(Ok(())) => probe(StatusCode::OK, "ready\n".into()),
        Ok(Err(e)) => {
            tracing::warn!(error = ?e, "readiness: the database does not take writes");
            unready("the database does not take writes")
        }
        Err(_) => unready("the database did not answer within 3 s"),
    }
}

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// `GET /static/...`: files embedded in the binary.
async fn asset(path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let file = Static::get(&path).ok_or_else(AppError::not_found)?;
    let mime = mime_guess::from_path(path.as_str()).first_or_octet_stream();
    Ok(HttpResponse::Ok()
        .content_type(mime.as_ref())
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(file.data.into_owned()))
}

/// The origin (scheme, host, port) of an absolute URL, as a browser
/// serialises it in `Origin`: `https://shop.example`, default ports left out.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

/// Whether a state-changing request was started by another site: it says so
/// (`Sec-Fetch-Site: cross-site`), or its `Origin` (or, without one, its
/// `Referer`) is present and is not the origin of `TELLUS_BASE_URL` (when it
/// is set: [`crate::config::Config::own_origin`]). A
/// browser that sends neither (`Origin: null` comes with our `no-referrer`
/// policy) is judged by the form's own tokens.
fn is_cross_site(req: &ServiceRequest, own_origin: Option<&str>) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    let claimed = match header("origin") {
        Some("null") | None => header("referer").map(origin_of),
        Some(origin) => Some(origin_of(origin)),
    };
    match (claimed, own_origin) {
        (None, _) => false,
        (Some(claimed), Some(own)) => claimed.as_deref() != Some(own),
        // No base URL origin to compare with: only Sec-Fetch-Site counts.
        (Some(_), None) => false,
    }
}

/// Refuses state-changing requests another site started: `Sec-Fetch-Site:
/// cross-site`, or an `Origin` (else `Referer`) that is not `TELLUS_BASE_URL`'s.
pub async fn refuse_cross_site(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // The API reads no cookie: a browser's credentials grant nothing there,
    // and the origins allowed to call it are its own CORS list.
    let changes_state = req.method() != Method::GET
        && req.method() != Method::HEAD
        && !req.path().starts_with("/api/v1/");
    if changes_state {
        let own = req
            .app_data::<web::Data<AppState>>()
            .and_then(|app| app.config.own_origin.as_deref());
        if is_cross_site(&req, own) {
            let (req, _) = req.into_parts();
            let response = actix_web::ResponseError::error_response(&AppError::forbidden(
                "cross-site request",
            ));
            return Ok(ServiceResponse::new(req, response).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Security headers on every response, and `no-store` on every response whose
/// handler did not choose its own caching (static files, the logo, the brand
/// stylesheet and QR image do).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let tls = req.connection_info().scheme() == "https";
    // The embedded Swagger UI adds a <style> element of its own; only its
    // page may use inline styles (still no inline script).
    let docs = req.path().starts_with("/api/docs");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let set = |headers: &mut header::HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(
            header::HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set(
        headers,
        "content-security-policy",
        if docs {
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'; form-action 'self'"
        } else {
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        },
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
    if tls {
        set(
            headers,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    Ok(res)
}

/// Renders every 4xx/5xx without an HTML (or JSON, for the kiosk script) body
/// as an error page in the user's language.
pub fn error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render_error_page)
}

fn render_error_page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("text/html")
                || v.starts_with("application/json")
                || v.starts_with(api::problem::CONTENT_TYPE)
        });
    if is_html || res.response().extensions().get::<ProbeAnswer>().is_some() {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let kind = res
        .response()
        .extensions()
        .get::<ErrorKind>()
        .copied()
        .unwrap_or_else(|| ErrorKind::from_status(status));
    let (req, res) = res.into_parts();
    let lang = error_lang(&req);
    let body = crate::views::error::error_page(lang, kind).into_string();
    let mut res = res.set_body(BoxBody::new(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, res).map_into_right_body(),
    ))
}

fn error_lang(req: &HttpRequest) -> Lang {
    extract::request_lang(req, None)
}
