//! Getting in: the login form (bound to a pre-login cookie), logout, the
//! two-step code, and password reset by email. Thin: the rules live in
//! `domain::{user, session, totp, password_reset}`.

use super::account::{check_new_password, link_problem, NewPasswordForm};
use super::extract::{
    client_ip, request_lang, session_cookie, session_cookie_name, session_cookie_removal,
    AccountHolder,
};
use super::form::{check_token, issue_token, max_age, CsrfForm, Form};
use super::throttle::RateLimiter;
use super::{html, html_status, see_other, unprocessable};
use crate::domain::invite::LinkProblem;
use crate::domain::user;
use crate::domain::{checklist, password_reset, session, totp, FieldError};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::AppState;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use maud::Markup;
use serde::Deserialize;

/// Registers the login routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/login", web::get().to(login_page))
        .route("/staff/login", web::post().to(login))
        .route("/staff/logout", web::post().to(logout))
        .route("/staff/login/code", web::get().to(code_page))
        .route("/staff/login/code", web::post().to(code_submit))
        .route("/staff/reset", web::get().to(reset_page))
        .route("/staff/reset", web::post().to(request_reset))
        .route("/staff/reset/{token}", web::get().to(reset_link))
        .route("/staff/reset/{token}", web::post().to(complete_reset));
}

/// Reads an anonymous account form's token: a stale or forged one is refused.
fn check_form_token(app: &AppState, scope: &str, token: &str) -> AppResult<()> {
    check_token(app, scope, token, max_age::ACCOUNT).require("account form")
}

/// A redirect to `to` that carries a new session cookie.
pub(super) fn with_cookie(app: &AppState, token: String, to: &str) -> AppResult<HttpResponse> {
    let cookie = session_cookie(
        app.config.secure_cookies(),
        token,
        CookieDuration::hours(i64::from(app.config.session_hours)),
    );
    let mut response = see_other(to);
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

/// The pre-login cookie: a random value that binds the login form to the
/// browser it was served to. `SameSite=Strict`, so another site's form
/// posted into this browser arrives without it and cannot sign the visitor
/// in as someone else (login CSRF), whatever headers the browser sends.
fn login_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tellus_login"
    } else {
        "tellus_login"
    }
}

/// The login form token's scope for one browser's pre-login cookie.
fn login_scope(browser: &str) -> String {
    format!("login:{browser}")
}

/// The login page again after a failed attempt, with a new token for the
/// same browser (whose cookie is left as it is).
fn login_failed(app: &AppState, browser: &str, lang: Lang, email: &str) -> HttpResponse {
    let token = issue_token(app, &login_scope(browser));
    html_status(
        StatusCode::UNAUTHORIZED,
        views::staff::login(lang, &token, email, true),
    )
}

/// Counts an attempt against both its IP's and its address's limit (both
/// always count); refused when either is over.
fn count_attempt(
    (per_ip, per_email): (&RateLimiter, &RateLimiter),
    ip: &str,
    email: &str,
    what: &'static str,
) -> AppResult<()> {
    let ip_ok = per_ip.hit(ip);
    let email_ok = per_email.hit(email);
    if !ip_ok || !email_ok {
        return Err(AppError::too_many(what));
    }
    Ok(())
}

/// `GET /staff/login`: the login page with a token for this browser, and
/// its pre-login cookie (two tabs share one, so both their forms stay good).
pub async fn login_page(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let browser = browser_of(&app, &req).unwrap_or_else(crate::tokens::random_token);
    let token = issue_token(&app, &login_scope(&browser));
    let mut response = html(views::staff::login(lang, &token, "", false));
    let secure = app.config.secure_cookies();
    let mut cookie = Cookie::build(login_cookie_name(secure), browser.to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    cookie.set_max_age(CookieDuration::seconds(max_age::ACCOUNT));
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

/// This browser's pre-login cookie, if it has one.
fn browser_of(app: &AppState, req: &HttpRequest) -> Option<String> {
    req.cookie(login_cookie_name(app.config.secure_cookies()))
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// The login form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    token: String,
}

/// `POST /staff/login`: only with the form served to this browser (its
/// pre-login cookie); throttled per IP and per address; one answer for an
/// unknown address and a wrong password, in the same time.
pub async fn login(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let now = app.clock.now();
    let browser = browser_of(&app, &req).unwrap_or_default();
    check_token(&app, &login_scope(&browser), &form.token, max_age::ACCOUNT).require("login")?;
    let ip = client_ip(&req);
    let email = form.email.trim().to_lowercase();
    // Every attempt counts before the password is checked, so parallel guesses
    // cannot slip past the limit; a success clears the address's count.
    let limits = (&app.limits.login_per_ip, &app.limits.login_per_email);
    count_attempt(limits, &ip, &email, "logins per IP or address")?;
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
        _ => return Ok(login_failed(&app, &browser, lang, &form.email)),
    };
    app.limits.login_per_email.clear(&email);
    let hours = app.config.session_hours;
    let facts = checklist::Facts::from_config(&app.config);
    // With two-factor on, this is a pending session that only the code step
    // accepts. An owner still setting up lands on the checklist.
    let (token, next) = app
        .db
        .write(move |c| {
            let (token, next) = session::start_login(c, user.id, now, hours)?;
            let next = match next {
                "/staff/inbox" => checklist::landing(c, user.is_owner(), &facts)?,
                other => other,
            };
            Ok((token, next))
        })
        .await?;
    let secure = app.config.secure_cookies();
    let cookie = session_cookie(secure, token, CookieDuration::hours(i64::from(hours)));
    let mut response = see_other(next);
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

/// `POST /staff/logout`: ends the session at once.
pub async fn logout(
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let id = user.session.id;
    app.db.write(move |c| session::end(c, id)).await?;
    let secure = app.config.secure_cookies();
    let gone = session_cookie_removal(secure);
    let mut response = see_other("/staff/login");
    response.add_cookie(&gone).map_err(AppError::internal)?;
    Ok(response)
}

// ---- password reset -----------------------------------------------------------

/// `GET /staff/reset`
pub async fn reset_page(req: HttpRequest, app: web::Data<AppState>) -> HttpResponse {
    let lang = request_lang(&req, None);
    html(views::account::reset_request(
        lang,
        &issue_token(&app, "reset"),
        false,
        app.config.mail_saved_as_files(),
    ))
}

/// The reset request form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    email: String,
}

/// `POST /staff/reset`: throttled per IP and per address; the same answer,
/// through the same steps, whether or not the address has an account.
pub async fn request_reset(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<ResetForm>,
) -> AppResult<HttpResponse> {
    check_form_token(&app, "reset", &form.token)?;
    let lang = request_lang(&req, None);
    let email = form.email.trim().to_lowercase();
    let limits = (&app.limits.reset_per_ip, &app.limits.reset_per_email);
    count_attempt(
        limits,
        &client_ip(&req),
        &email,
        "password resets per IP or address",
    )?;
    let (mail, now) = (app.mail.clone(), app.clock.now());
    app.db
        .write(move |c| password_reset::request(c, &email, &mail, now))
        .await?;
    app.wake_senders();
    Ok(html(views::account::reset_request(
        lang,
        "",
        true,
        app.config.mail_saved_as_files(),
    )))
}

/// `GET /staff/reset/{token}`
pub async fn reset_link(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let (token, now) = (token.into_inner(), app.clock.now());
    Ok(match find_reset(&app, &token, now).await? {
        Ok(_) => html(reset_form(&app, lang, &token, &[])),
        Err(problem) => link_problem(lang, problem, true),
    })
}

/// The reset link a token names, or why it does not work.
async fn find_reset(
    app: &AppState,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Result<i64, LinkProblem>> {
    let lookup = token.to_owned();
    app.db
        .read(move |c| password_reset::find(c, &lookup, now))
        .await
}

/// The new-password form of a reset link, with a fresh form token.
fn reset_form(app: &AppState, lang: Lang, token: &str, errors: &[FieldError]) -> Markup {
    views::account::reset_form(
        lang,
        &format!("/staff/reset/{token}"),
        &issue_token(app, "reset-new"),
        errors,
    )
}

/// `POST /staff/reset/{token}`: sets the password, ends all the user's
/// sessions; they log in again (with their second factor, if on).
pub async fn complete_reset(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    check_form_token(&app, "reset-new", &form.token)?;
    let lang = request_lang(&req, None);
    let (token, now) = (token.into_inner(), app.clock.now());
    if let Err(problem) = find_reset(&app, &token, now).await? {
        return Ok(link_problem(lang, problem, true));
    }
    let errors = check_new_password(&form.password, &form.password2);
    if !errors.is_empty() {
        return Ok(unprocessable(reset_form(&app, lang, &token, &errors)));
    }
    let hash = app.passwords.hash(form.password.clone()).await?;
    let outcome = app
        .db
        .write(move |c| password_reset::complete(c, &token, &hash, now))
        .await?;
    Ok(match outcome {
        Ok(_) => html(views::account::reset_done(lang)),
        Err(problem) => link_problem(lang, problem, true),
    })
}

// ---- the code step of the login -------------------------------------------------

async fn pending(app: &AppState, req: &HttpRequest) -> AppResult<Option<(i64, user::User)>> {
    let Some(token) = req
        .cookie(session_cookie_name(app.config.secure_cookies()))
        .map(|c| c.value().to_owned())
    else {
        return Ok(None);
    };
    let now = app.clock.now();
    app.db
        .read(move |c| session::find_pending(c, &token, now))
        .await
}

/// `GET /staff/login/code`
pub async fn code_page(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    if pending(&app, &req).await?.is_none() {
        return Ok(see_other("/staff/login"));
    }
    let lang = request_lang(&req, None);
    Ok(html(views::account::login_code(
        lang,
        &issue_token(&app, "login-code"),
        false,
    )))
}

/// The code form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    token: String,
    code: String,
}

/// `POST /staff/login/code`: a right, unused code turns the pending session
/// into a real one (a new id); throttled per user.
pub async fn code_submit(
    req: HttpRequest,
    app: web::Data<AppState>,
    form: Form<CodeForm>,
) -> AppResult<HttpResponse> {
    check_form_token(&app, "login-code", &form.token)?;
    let Some((pending_id, user)) = pending(&app, &req).await? else {
        return Ok(see_other("/staff/login"));
    };
    let key = format!("login:{}", user.id);
    if !app.limits.codes_per_user.hit(&key) {
        // Too many guesses: this half-login ends; the password is asked again later.
        app.db.write(move |c| session::end(c, pending_id)).await?;
        return Err(AppError::too_many("two-step codes per login"));
    }
    let (code, now, hours) = (form.code.clone(), app.clock.now(), app.config.session_hours);
    let signer = app.signer.clone();
    let facts = checklist::Facts::from_config(&app.config);
    let token = app
        .db
        .write(move |c| {
            if !totp::check_code(c, &signer, user.id, &code, now)? {
                return Ok(None);
            }
            let token = session::finish_two_step(c, pending_id, user.id, now, hours)?;
            Ok(Some((
                token,
                checklist::landing(c, user.is_owner(), &facts)?,
            )))
        })
        .await?;
    match token {
        Some((token, next)) => {
            app.limits.codes_per_user.clear(&key);
            with_cookie(&app, token, next)
        }
        None => {
            let lang = request_lang(&req, None);
            let page = views::account::login_code(lang, &issue_token(&app, "login-code"), true);
            Ok(html_status(StatusCode::UNAUTHORIZED, page))
        }
    }
}
