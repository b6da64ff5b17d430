//! Staff handlers: login and logout,
//! quarantine, and the owner's settings. Every POST checks the session's CSRF
//! token; every object is looked up through the caller's rights.

use super::extract::{
    client_ip, request_lang, session_cookie, session_cookie_removal, AccountHolder, CurrentUser,
    Owner,
};
use super::form::Form;
use super::{html, html_status, see_other};
use crate::domain::{feedback, review_link, session, user};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::views;
use crate::AppState;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;

/// Rows per quarantine page.
const PAGE: i64 = 50;
/// A login form is good for this long.
const LOGIN_FORM_SECS: i64 = 4 * 3600;

/// `GET /staff`
pub async fn home() -> HttpResponse {
    see_other("/staff/inbox")
}

/// `GET /staff/login`
pub async fn login_page(req: HttpRequest, app: web::Data<AppState>) -> HttpResponse {
    let lang = request_lang(&req, None);
    let token = app
        .signer
        .form_token("login", app.clock.now().and_utc().timestamp());
    html(views::staff::login(lang, &token, "", false))
}

/// The login form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    token: String,
}

/// `POST /staff/login`: throttled per IP and per address; one answer for an
/// unknown address and a wrong password, in the same time.
pub async fn login(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let now = app.clock.now();
    let fresh = app
        .signer
        .form_token_time("login", &form.token)
        .is_some_and(|t| now.and_utc().timestamp() - t < LOGIN_FORM_SECS);
    if !fresh {
        return Err(AppError::forbidden("login without a fresh form token"));
    }
    let ip = client_ip(&req);
    let email = form.email.trim().to_lowercase();
    // Every attempt counts before the password is checked, so parallel guesses
    // cannot slip past the limit; a success clears the address's count.
    let ip_ok = app.limits.login_per_ip.hit(&ip);
    let email_ok = app.limits.login_per_email.hit(&email);
    if !ip_ok || !email_ok {
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let lookup = email.clone();
    let found = app
        .db
        .read(move |c| user::find_by_email(c, &lookup))
        .await?
        .filter(|u| u.active);
    let ok = app
        .passwords
        .verify(
            form.password.clone(),
            found.as_ref().map(|u| u.password_hash.clone()),
        )
        .await?;
    let user = match (ok, found) {
        (true, Some(user)) => user,
        _ => {
            let token = app.signer.form_token("login", now.and_utc().timestamp());
            let page = views::staff::login(lang, &token, &form.email, true);
            return Ok(html_status(StatusCode::UNAUTHORIZED, page));
        }
    };
    app.limits.login_per_email.clear(&email);
    let hours = app.config.session_hours;
    // With two-factor on, this is a pending session that only the code step accepts.
    let (token, next) = app
        .db
        .write(move |c| session::start_login(c, user.id, now, hours))
        .await?;
    let secure = app.config.secure_cookies();
    let cookie = session_cookie(secure, token, CookieDuration::hours(i64::from(hours)));
    let mut response = see_other(next);
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

/// A form that carries only the CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The submitted CSRF token.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /staff/logout`: ends the session at once.
pub async fn logout(
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
    form: Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let id = user.session.id;
    app.db.write(move |c| session::end(c, id)).await?;
    let secure = app.config.secure_cookies();
    let gone = session_cookie_removal(secure);
    let mut response = see_other("/staff/login");
    response.add_cookie(&gone).map_err(AppError::internal)?;
    Ok(response)
}

/// Quarantine paging.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    /// `<unix micros>_<id>` of the last row of the previous page.
    before: String,
}

fn parse_cursor(raw: &str) -> Option<(NaiveDateTime, i64)> {
    let (micros, id) = raw.split_once('_')?;
    let at = crate::clock::from_unix_micros(micros.parse().ok()?)?;
    Some((at, id.parse().ok()?))
}

fn cursor_of(at: NaiveDateTime, id: i64) -> String {
    format!("{}_{id}", at.and_utc().timestamp_micros())
}

/// `GET /staff/quarantine`
pub async fn quarantine(
    app: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let before = parse_cursor(&query.before);
    let rows = app
        .db
        .read(move |c| feedback::quarantined(c, before, PAGE))
        .await?;
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last())
        .flatten()
        .map(|r| format!("/staff/quarantine?before={}", cursor_of(r.created_at, r.id)));
    Ok(html(views::staff::quarantine(
        user.lang,
        user.nav(),
        &rows,
        next.as_deref(),
        app.clock.now(),
    )))
}

/// `POST /staff/quarantine/{id}/release`
pub async fn release(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let (id, mail, now) = (*id, app.mail.clone(), app.clock.now());
    let ticket_id = app
        .db
        .write(move |c| feedback::release(c, id, &mail, now))
        .await?;
    app.mail_wake.notify_one();
    Ok(match ticket_id {
        Some(t) => see_other(&format!("/staff/tickets/{t}")),
        None => see_other("/staff/quarantine"),
    })
}

/// `GET /staff/settings` (owners)
pub async fn settings(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let links = app.db.read(review_link::list).await?;
    Ok(html(views::staff::settings(
        user.lang,
        user.nav(),
        &links,
        &[],
        "",
        "",
    )))
}

/// The review link form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewLinkForm {
    csrf: String,
    label: String,
    url: String,
}

/// `POST /staff/settings/review-links` (owners)
pub async fn add_review_link(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: Form<ReviewLinkForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let (label, url) = (form.label.clone(), form.url.clone());
    let outcome = app
        .db
        .write(move |c| review_link::add(c, &label, &url))
        .await?;
    app.cache.clear();
    match outcome {
        Ok(()) => Ok(see_other("/staff/settings")),
        Err(error) => {
            let links = app.db.read(review_link::list).await?;
            let page = views::staff::settings(
                user.lang,
                user.nav(),
                &links,
                &[error],
                &form.label,
                &form.url,
            );
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// `POST /staff/settings/review-links/{id}/delete` (owners)
pub async fn remove_review_link(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: Form<CsrfForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let id = *id;
    app.db.write(move |c| review_link::remove(c, id)).await?;
    app.cache.clear();
    Ok(see_other("/staff/settings"))
}
