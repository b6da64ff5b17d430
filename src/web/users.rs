//! The owner's users page (invite, role, disable/enable, the two-step
//! rule), the audit log, and accepting an invitation. Thin: the rules live in
//! `domain::{user, invite, audit}`.

use super::account::{check_new_password, link_problem, notice, NewPasswordForm};
use super::extract::{request_lang, CurrentUser, Owner};
use super::form::{check_token, issue_token, max_age, ActiveForm, CsrfForm, Form, FormToken};
use super::login::with_cookie;
use super::{html, see_other, unprocessable};
use crate::domain::invite::{self, AcceptError, NewInvite};
use crate::domain::user::{self, Role};
use crate::domain::{audit, session, totp, FieldError};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::views::account::InviteDraft;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Audit entries per page.
const AUDIT_PAGE: i64 = 50;

/// Registers the users routes.
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
        .route("/invite/{token}", web::post().to(accept_invite));
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
            tz: user.zone,
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
    _: CsrfForm,
) -> AppResult<HttpResponse> {
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
    email: String,
    name: String,
    role: String,
    language: String,
}

/// `POST /staff/users`: invites a staff member by email (owners).
pub async fn invite(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<InviteForm>,
) -> AppResult<HttpResponse> {
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
            app.wake_senders();
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
            Ok(unprocessable(page))
        }
    }
}

/// The role form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

async fn refused(app: &AppState, user: &CurrentUser, error: FieldError) -> AppResult<HttpResponse> {
    let draft = InviteDraft {
        language: user.lang.code(),
        ..InviteDraft::default()
    };
    let page = users_page(app, user, &[error], &draft, None).await?;
    Ok(unprocessable(page))
}

/// `POST /staff/users/{id}/role` (owners)
pub async fn set_role(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<RoleForm>,
) -> AppResult<HttpResponse> {
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
    form: CsrfForm<ActiveForm>,
) -> AppResult<HttpResponse> {
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
    /// `yes` to make two-factor mandatory for owners, `no` to make it optional.
    required: String,
}

/// `POST /staff/users/totp-required` (owners)
pub async fn set_totp_required(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<RequiredForm>,
) -> AppResult<HttpResponse> {
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
        user.zone,
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
                &issue_token(&app, "invite"),
                &[],
            )))
        }
        Err(problem) => Ok(link_problem(request_lang(&req, None), problem, false)),
    }
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
    let fresh = match check_token(&app, "invite", &form.token, max_age::ACCOUNT) {
        FormToken::Forged => return Err(AppError::forbidden("invitation without a genuine token")),
        FormToken::Stale => false,
        FormToken::Fresh { .. } => true,
    };
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
        unprocessable(views::account::invite_accept(
            lang,
            &format!("/invite/{token}"),
            &found.email,
            &form.name,
            &issue_token(&app, "invite"),
            errors,
        ))
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
