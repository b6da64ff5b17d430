//! Account handlers: the owner's users page (invite, role, disable/enable,
//! two-factor rule) and audit log; accepting an invitation; password reset by
//! email; the account page (language, password, two-factor); and the code step
//! of the login. Thin: every rule lives in `domain::{user, invite,
//! password_reset, totp, session}`.

use super::extract::{
    client_ip, query_param, request_lang, session_cookie, session_cookie_name, AccountHolder,
    CurrentUser, Owner,
};
use super::form::{ActiveForm, Form};
use super::{html, html_status, see_other};
use crate::domain::audit::Actor;
use crate::domain::invite::{self, AcceptError, LinkProblem, NewInvite};
use crate::domain::user::{self, Role};
use crate::domain::{audit, password_reset, profile, qr, session, totp, FieldError};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::i18n::Lang;
use crate::views;
use crate::views::account::{Enrolment, InviteDraft};
use crate::AppState;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// An anonymous account form (invitation, reset, code) is good for this long.
const FORM_SECS: i64 = 4 * 3600;
/// Audit entries per page.
const AUDIT_PAGE: i64 = 50;

/// Registers the account routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/users", web::get().to(users))
        .route("/staff/users", web::post().to(invite))
        .route(
            "/staff/users/totp-required",
            web::post().to(set_totp_required),
        )
        .route("/staff/users/{id}/role", web::post().to(set_role))
        .route("/staff/users/{id}/active", web::post().to(set_active))
        .route(
            "/staff/users/invites/{id}/revoke",
            web::post().to(revoke_invite),
        )
        .route("/staff/audit", web::get().to(audit_log))
        .route("/invite/{token}", web::get().to(invite_page))
        .route("/invite/{token}", web::post().to(accept_invite))
        .route("/staff/reset", web::get().to(reset_page))
        .route("/staff/reset", web::post().to(request_reset))
        .route("/staff/reset/{token}", web::get().to(reset_link))
        .route("/staff/reset/{token}", web::post().to(complete_reset))
        .route("/staff/account", web::get().to(account))
        .route("/staff/account/language", web::post().to(set_language))
        .route("/staff/account/password", web::post().to(change_password))
        .route("/staff/account/totp", web::get().to(totp_page))
        .route("/staff/account/totp", web::post().to(totp_confirm))
        .route("/staff/account/totp/disable", web::post().to(totp_disable))
        .route("/staff/login/code", web::get().to(code_page))
        .route("/staff/login/code", web::post().to(code_submit));
}

fn form_token(app: &AppState, scope: &str) -> String {
    app.signer
        .form_token(scope, app.clock.now().and_utc().timestamp())
}

fn check_form_token(app: &AppState, scope: &str, token: &str) -> AppResult<()> {
    if form_token_fresh(app, scope, token)? {
        Ok(())
    } else {
        Err(AppError::forbidden("account form without a fresh token"))
    }
}

/// Whether a form's signed token is still fresh: false for a genuine one
/// whose page stood open too long (show the form again, with what can be
/// kept), an error for a forged or missing one.
fn form_token_fresh(app: &AppState, scope: &str, token: &str) -> AppResult<bool> {
    let now = app.clock.now().and_utc().timestamp();
    match app.signer.form_token_time(scope, token) {
        Some(served) => Ok(now - served < FORM_SECS),
        None => Err(AppError::forbidden("account form without a genuine token")),
    }
}

fn with_cookie(app: &AppState, token: String, to: &str) -> AppResult<HttpResponse> {
    let cookie = session_cookie(
        app.config.secure_cookies(),
        token,
        CookieDuration::hours(i64::from(app.config.session_hours)),
    );
    let mut response = see_other(to);
    response.add_cookie(&cookie).map_err(AppError::internal)?;
    Ok(response)
}

fn link_problem(lang: Lang, problem: LinkProblem, reset: bool) -> HttpResponse {
    let status = match problem {
        LinkProblem::Unknown => StatusCode::NOT_FOUND,
        LinkProblem::Used | LinkProblem::Expired => StatusCode::GONE,
    };
    html_status(status, views::account::link_problem(lang, problem, reset))
}

/// The notice for `?done=` after a change, from a fixed list.
fn notice(req: &HttpRequest, lang: Lang) -> Option<String> {
    let key = match query_param(req, "done")?.as_str() {
        "invited" => "account-done-invited",
        "password" => "account-done-password",
        "language" => "account-done-language",
        "totp-on" => "account-done-totp-on",
        "totp-off" => "account-done-totp-off",
        _ => return None,
    };
    Some(lang.t(key).into_owned())
}

/// The two new-password fields, checked before anything is hashed.
fn check_new_password(password: &str, again: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(error) = user::check_password(password) {
        errors.push(error);
    }
    if password != again {
        errors.push(FieldError::new(
            "password2",
            "account-error-password-mismatch",
        ));
    }
    errors
}

// ---- the owner's users page -------------------------------------------------

async fn users_page(
    app: &AppState,
    user: &CurrentUser,
    errors: &[FieldError],
    draft: &InviteDraft<'_>,
    notice: Option<&str>,
) -> AppResult<maud::Markup> {
    let now = app.clock.now();
    let (all, totp_users, required, pending) = app
        .db
        .read(move |c| {
            Ok((
                user::list(c)?,
                totp::enabled_user_ids(c)?,
                totp::required_for_owners(c)?,
                invite::pending(c, now)?,
            ))
        })
        .await?;
    Ok(views::account::users(
        user.lang,
        user.nav(),
        &views::account::UsersList {
            me: user.session.user.id,
            users: &all,
            totp_users: &totp_users,
            totp_required: required,
            pending: &pending,
            notice,
        },
        errors,
        draft,
    ))
}

/// `GET /staff/users` (owners)
pub async fn users(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let notice = notice(&req, user.lang);
    let draft = InviteDraft {
        language: user.lang.code(),
        ..InviteDraft::default()
    };
    Ok(html(
        users_page(&app, &user, &[], &draft, notice.as_deref()).await?,
    ))
}

/// `POST /staff/users/invites/{id}/revoke` (owners): the link stops working.
pub async fn revoke_invite(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: Form<super::staff::CsrfForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(form.csrf())?;
    let (actor, id, now) = (user.session.user.id, *id, app.clock.now());
    app.db
        .write(move |c| invite::revoke(c, actor, id, now))
        .await?;
    Ok(see_other("/staff/users"))
}

/// The invitation form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    csrf: String,
    email: String,
    name: String,
    role: String,
    language: String,
}

/// `POST /staff/users`: invites a staff member by email (owners).
pub async fn invite(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: Form<InviteForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::bad_request("unknown role"))?;
    let lang =
        Lang::from_code(&form.language).ok_or_else(|| AppError::bad_request("unknown language"))?;
    let new = NewInvite {
        email: form.email.clone(),
        name: form.name.clone(),
        role,
        lang,
    };
    let (inviter, mail, now) = (user.session.user.clone(), app.mail.clone(), app.clock.now());
    let outcome = app
        .db
        .write(move |c| invite::create(c, &inviter, &new, &mail, now))
        .await?;
    match outcome {
        Ok(()) => {
            app.mail_wake.notify_one();
            Ok(see_other("/staff/users?done=invited"))
        }
        Err(error) => {
            let draft = InviteDraft {
                email: &form.email,
                name: &form.name,
                role: &form.role,
                language: &form.language,
            };
            let page = users_page(&app, &user, &[error], &draft, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
}

/// The role form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    csrf: String,
    role: String,
}

async fn refused(app: &AppState, user: &CurrentUser, error: FieldError) -> AppResult<HttpResponse> {
    let draft = InviteDraft {
        language: user.lang.code(),
        ..InviteDraft::default()
    };
    let page = users_page(app, user, &[error], &draft, None).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// `POST /staff/users/{id}/role` (owners)
pub async fn set_role(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: Form<RoleForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let role = Role::parse(&form.role).ok_or_else(|| AppError::bad_request("unknown role"))?;
    let (actor, target, now) = (user.session.user.id, *id, app.clock.now());
    let outcome = app
        .db
        .write(move |c| user::set_role(c, actor, target, role, now))
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/staff/users")),
        Err(error) => refused(&app, &user, error).await,
    }
}

/// `POST /staff/users/{id}/active` (owners): disabling ends the user's sessions at once.
pub async fn set_active(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: Form<ActiveForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let active = form.active()?;
    let (actor, target, now) = (user.session.user.id, *id, app.clock.now());
    let outcome = app
        .db
        .write(move |c| user::set_active(c, actor, target, active, now))
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/staff/users")),
        Err(error) => refused(&app, &user, error).await,
    }
}

/// The two-factor rule form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RequiredForm {
    csrf: String,
    /// `yes` to make two-factor mandatory for owners, `no` to make it optional.
    required: String,
}

/// `POST /staff/users/totp-required` (owners)
pub async fn set_totp_required(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: Form<RequiredForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let required = match form.required.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::bad_request("required must be yes or no")),
    };
    let (actor, now) = (user.session.user.id, app.clock.now());
    app.db
        .write(move |c| totp::set_required_for_owners(c, actor, required, now))
        .await?;
    Ok(see_other("/staff/users"))
}

/// Audit log paging.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    /// Row id of the last entry of the previous page.
    before: String,
}

/// `GET /staff/audit` (owners): newest first, keyset-paged.
pub async fn audit_log(
    app: web::Data<AppState>,
    Owner(user): Owner,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let before = query.before.parse::<i64>().ok();
    let entries = app
        .db
        .read(move |c| audit::page(c, before, AUDIT_PAGE))
        .await?;
    let next = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last())
        .flatten()
        .map(|e| format!("/staff/audit?before={}", e.id));
    Ok(html(views::account::audit(
        user.lang,
        user.nav(),
        &entries,
        next.as_deref(),
    )))
}

// ---- invitation ---------------------------------------------------------------

/// `GET /invite/{token}`
pub async fn invite_page(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (token, now) = (token.into_inner(), app.clock.now());
    let lookup = token.clone();
    let found = app.db.read(move |c| invite::find(c, &lookup, now)).await?;
    match found {
        Ok(found) => {
            let lang = request_lang(&req, Some(&found.language));
            Ok(html(views::account::invite_accept(
                lang,
                &format!("/invite/{token}"),
                &found.email,
                &found.name,
                &form_token(&app, "invite"),
                &[],
            )))
        }
        Err(problem) => Ok(link_problem(request_lang(&req, None), problem, false)),
    }
}

/// The form behind an invitation or reset link.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    token: String,
    name: String,
    password: String,
    password2: String,
}

/// `POST /invite/{token}`: makes the account and logs the new member in.
pub async fn accept_invite(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<NewPasswordForm>,
) -> AppResult<HttpResponse> {
    // An invitation lasts 72 hours, its page's token 4: a page left open
    // that long is shown again with the name kept, not refused.
    let fresh = form_token_fresh(&app, "invite", &form.token)?;
    let (token, now) = (token.into_inner(), app.clock.now());
    let lookup = token.clone();
    let found = app.db.read(move |c| invite::find(c, &lookup, now)).await?;
    let found = match found {
        Ok(found) => found,
        Err(problem) => return Ok(link_problem(request_lang(&req, None), problem, false)),
    };
    let lang = request_lang(&req, Some(&found.language));
    let mut errors = check_new_password(&form.password, &form.password2);
    if let Err(error) = crate::domain::location::check_name("name", &form.name) {
        errors.insert(0, error);
    }
    let again = |errors: &[FieldError]| {
        html_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            views::account::invite_accept(
                lang,
                &format!("/invite/{token}"),
                &found.email,
                &form.name,
                &form_token(&app, "invite"),
                errors,
            ),
        )
    };
    if !fresh {
        return Ok(again(&[FieldError::new("password", "error-form-expired")]));
    }
    if !errors.is_empty() {
        return Ok(again(&errors));
    }
    let hash = app.passwords.hash(form.password.clone()).await?;
    let (accept_token, name, hours) = (token.clone(), form.name.clone(), app.config.session_hours);
    let outcome = app
        .db
        .write(move |c| {
            Ok(match invite::accept(c, &accept_token, &name, &hash, now)? {
                Ok(user_id) => Ok(session::start(c, user_id, now, hours)?),
                Err(error) => Err(error),
            })
        })
        .await?;
    match outcome {
        Ok(session_token) => with_cookie(&app, session_token, "/staff/inbox"),
        Err(AcceptError::Link(problem)) => Ok(link_problem(lang, problem, false)),
        Err(AcceptError::Field(error)) => Ok(again(&[error])),
    }
}

// ---- password reset -----------------------------------------------------------

/// `GET /staff/reset`
pub async fn reset_page(req: HttpRequest, app: web::Data<AppState>) -> HttpResponse {
    let lang = request_lang(&req, None);
    html(views::account::reset_request(
        lang,
        &form_token(&app, "reset"),
        false,
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
    let ip_ok = app.limits.reset_per_ip.hit(&client_ip(&req));
    let email_ok = app.limits.reset_per_email.hit(&email);
    if !ip_ok || !email_ok {
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let (mail, now) = (app.mail.clone(), app.clock.now());
    app.db
        .write(move |c| password_reset::request(c, &email, &mail, now))
        .await?;
    app.mail_wake.notify_one();
    Ok(html(views::account::reset_request(lang, "", true)))
}

/// `GET /staff/reset/{token}`
pub async fn reset_link(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let (token, now) = (token.into_inner(), app.clock.now());
    let lookup = token.clone();
    let found = app
        .db
        .read(move |c| password_reset::find(c, &lookup, now))
        .await?;
    Ok(match found {
        Ok(_) => html(views::account::reset_form(
            lang,
            &format!("/staff/reset/{token}"),
            &form_token(&app, "reset-new"),
            &[],
        )),
        Err(problem) => link_problem(lang, problem, true),
    })
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
    let lookup = token.clone();
    let found = app
        .db
        .read(move |c| password_reset::find(c, &lookup, now))
        .await?;
    if let Err(problem) = found {
        return Ok(link_problem(lang, problem, true));
    }
    let errors = check_new_password(&form.password, &form.password2);
    if !errors.is_empty() {
        let page = views::account::reset_form(
            lang,
            &format!("/staff/reset/{token}"),
            &form_token(&app, "reset-new"),
            &errors,
        );
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page));
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

// ---- the account page ---------------------------------------------------------

async fn account_page(
    app: &AppState,
    user: &CurrentUser,
    errors: &[FieldError],
    notice: Option<&str>,
) -> AppResult<maud::Markup> {
    let id = user.session.user.id;
    let (language, totp_on) = app
        .db
        .read(move |c| Ok((user::language(c, id)?, totp::is_enabled(c, id)?)))
        .await?;
    Ok(views::account::account(
        user.lang,
        user.nav(),
        &user.session.user,
        language.code(),
        totp_on,
        errors,
        notice,
    ))
}

/// `GET /staff/account`
pub async fn account(
    req: HttpRequest,
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
) -> AppResult<HttpResponse> {
    let notice = notice(&req, user.lang);
    Ok(html(
        account_page(&app, &user, &[], notice.as_deref()).await?,
    ))
}

/// The language form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    csrf: String,
    language: String,
}

/// `POST /staff/account/language`: the language of the user's staff mail.
pub async fn set_language(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: Form<LanguageForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let lang =
        Lang::from_code(&form.language).ok_or_else(|| AppError::bad_request("unknown language"))?;
    let id = user.session.user.id;
    app.db
        .write(move |c| user::set_language(c, id, lang))
        .await?;
    Ok(see_other("/staff/account?done=language"))
}

/// The password change form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    password: String,
    password2: String,
}

/// `POST /staff/account/password`: needs the current password; ends every
/// other session of the user, and this one continues under a new token.
pub async fn change_password(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let me = user.session.user.clone();
    // Guessing the current password from a stolen session is throttled like a login.
    if !app.limits.login_per_email.hit(&me.email) {
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let mut errors = check_new_password(&form.password, &form.password2);
    let ok = app
        .passwords
        .verify(form.current.clone(), Some(me.password_hash.clone()))
        .await?;
    if !ok {
        errors.insert(
            0,
            FieldError::new("current", "account-error-current-password"),
        );
    }
    if !errors.is_empty() {
        let page = account_page(&app, &user, &errors, None).await?;
        return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    app.limits.login_per_email.clear(&me.email);
    let hash = app.passwords.hash(form.password.clone()).await?;
    let (session_id, now) = (user.session.id, app.clock.now());
    let token = app
        .db
        .write(move |c| user::change_password(c, me.id, session_id, &hash, now))
        .await?;
    with_cookie(&app, token, "/staff/account?done=password")
}

// ---- two-factor -----------------------------------------------------------------

fn enrol_purpose(user_id: i64) -> String {
    format!("totp-enrol:{user_id}")
}

async fn enrol_page(
    app: &AppState,
    user: &CurrentUser,
    secret: &str,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let business = app.db.read(|c| Ok(profile::get(c)?.name)).await?;
    let issuer = if business.trim().is_empty() {
        user.lang.t("app-name").into_owned()
    } else {
        business
    };
    let uri = totp::otpauth_uri(&issuer, &user.session.user.email, secret);
    let svg = qr::svg(&uri)?;
    let signed = app
        .signer
        .sign(&enrol_purpose(user.session.user.id), secret);
    Ok(views::account::totp_enrol(
        user.lang,
        user.nav(),
        &Enrolment {
            secret,
            signed_secret: &signed,
            qr_svg: &svg,
            forced: user.session.must_enrol_totp,
        },
        errors,
    ))
}

/// `GET /staff/account/totp`: a fresh secret to scan (nothing is stored until
/// a code confirms it).
pub async fn totp_page(
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
) -> AppResult<HttpResponse> {
    let id = user.session.user.id;
    if app.db.read(move |c| totp::is_enabled(c, id)).await? {
        return Ok(see_other("/staff/account"));
    }
    let secret = totp::new_secret();
    Ok(html(enrol_page(&app, &user, &secret, &[]).await?))
}

/// The confirm form: the signed secret and a code from the app.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    csrf: String,
    secret: String,
    code: String,
}

/// `POST /staff/account/totp`: turns two-factor on once a code matches.
pub async fn totp_confirm(
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
    form: Form<EnrolForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let id = user.session.user.id;
    let secret = app
        .signer
        .verify(&enrol_purpose(id), &form.secret)
        .ok_or_else(|| AppError::bad_request("two-factor secret not signed for this user"))?
        .to_owned();
    if !app.limits.codes_per_user.hit(&format!("account:{id}")) {
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let (stored, code, now) = (secret.clone(), form.code.clone(), app.clock.now());
    let signer = app.signer.clone();
    let on = app
        .db
        .write(move |c| totp::enable(c, &signer, id, &stored, &code, now))
        .await?;
    if on {
        app.limits.codes_per_user.clear(&format!("account:{id}"));
        return Ok(see_other("/staff/account?done=totp-on"));
    }
    let error = FieldError::new("code", "account-error-code");
    let page = enrol_page(&app, &user, &secret, &[error]).await?;
    Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
}

/// The turn-off form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DisableForm {
    csrf: String,
    password: String,
    code: String,
}

/// `POST /staff/account/totp/disable`: needs the password and a current code.
pub async fn totp_disable(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: Form<DisableForm>,
) -> AppResult<HttpResponse> {
    user.check_csrf(&form.csrf)?;
    let me = user.session.user.clone();
    // Counted apart from the login step, so a stranger guessing codes at the
    // login does not lock the account holder out of their own settings.
    if !app.limits.codes_per_user.hit(&format!("account:{}", me.id)) {
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let password_ok = app
        .passwords
        .verify(form.password.clone(), Some(me.password_hash.clone()))
        .await?;
    let (code, now, signer) = (form.code.clone(), app.clock.now(), app.signer.clone());
    let outcome = app
        .db
        .write(move |c| {
            // The code is only tried (and used up) with the right password, so
            // a mistyped password does not spend a good code.
            let code_ok = password_ok && totp::check_code(c, &signer, me.id, &code, now)?;
            if password_ok && code_ok {
                totp::disable(c, me.id, now)?;
            }
            Ok((password_ok, code_ok))
        })
        .await?;
    match outcome {
        (true, true) => Ok(see_other("/staff/account?done=totp-off")),
        (password_ok, code_ok) => {
            let mut errors = Vec::new();
            if !password_ok {
                errors.push(FieldError::new(
                    "password",
                    "account-error-current-password",
                ));
            }
            if password_ok && !code_ok {
                errors.push(FieldError::new("code", "account-error-code"));
            }
            let page = account_page(&app, &user, &errors, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
    }
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
        &form_token(&app, "login-code"),
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
        return Err(AppError::new(ErrorKind::TooManyRequests));
    }
    let (code, now, hours) = (form.code.clone(), app.clock.now(), app.config.session_hours);
    let signer = app.signer.clone();
    let token = app
        .db
        .write(move |c| {
            if !totp::check_code(c, &signer, user.id, &code, now)? {
                return Ok(None);
            }
            session::end(c, pending_id)?;
            audit::record(c, Actor::User(user.id), "account.login", None, "totp", now)?;
            Ok(Some(session::start(c, user.id, now, hours)?))
        })
        .await?;
    match token {
        Some(token) => {
            app.limits.codes_per_user.clear(&key);
            with_cookie(&app, token, "/staff/inbox")
        }
        None => {
            let lang = request_lang(&req, None);
            let page = views::account::login_code(lang, &form_token(&app, "login-code"), true);
            Ok(html_status(StatusCode::UNAUTHORIZED, page))
        }
    }
}
