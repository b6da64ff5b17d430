//! One's own account: the account page (language, password) and setting up
//! or turning off the two-step login. Thin: the rules live in
//! `domain::{user, totp}`. Shared by the login and users pages: the
//! new-password check and the page for a used or expired link.

use super::extract::{query_param, AccountHolder, CurrentUser};
use super::form::CsrfForm;
use super::login::with_cookie;
use super::{html, html_status, see_other, unprocessable};
use crate::domain::invite::LinkProblem;
use crate::domain::user;
use crate::domain::{profile, qr, totp, FieldError};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::views::account::Enrolment;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Registers the account routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/account", web::get().to(account))
        .route("/staff/account/language", web::post().to(set_language))
        .route("/staff/account/password", web::post().to(change_password))
        .route("/staff/account/totp", web::get().to(totp_page))
        .route("/staff/account/totp", web::post().to(totp_confirm))
        .route("/staff/account/totp/disable", web::post().to(totp_disable));
}

/// The page for an invitation or reset link that is unknown, used or expired.
pub(super) fn link_problem(lang: Lang, problem: LinkProblem, reset: bool) -> HttpResponse {
    let status = match problem {
        LinkProblem::Unknown => StatusCode::NOT_FOUND,
        LinkProblem::Used | LinkProblem::Expired => StatusCode::GONE,
    };
    html_status(status, views::account::link_problem(lang, problem, reset))
}

/// The notice for `?done=` after a change, from a fixed list. An invitation
/// says where it went when mail is only saved as files.
pub(super) fn notice(req: &HttpRequest, lang: Lang) -> Option<String> {
    let key = match query_param(req, "done")?.as_str() {
        "invited" => {
            let app = super::extract::state(req).ok()?;
            if app.config.mail_saved_as_files() {
                let folder = app.config.mail_dir().display().to_string();
                return Some(
                    lang.t_with("account-done-invited-file", &[("folder", &folder)])
                        .into_owned(),
                );
            }
            "account-done-invited"
        }
        "password" => "account-done-password",
        "language" => "account-done-language",
        "totp-on" => "account-done-totp-on",
        "totp-off" => "account-done-totp-off",
        _ => return None,
    };
    Some(lang.t(key).into_owned())
}

/// The form behind an invitation or reset link.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    pub(super) token: String,
    pub(super) name: String,
    pub(super) password: String,
    pub(super) password2: String,
}

/// The two new-password fields, checked before anything is hashed.
pub(super) fn check_new_password(password: &str, again: &str) -> Vec<FieldError> {
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
    language: String,
}

/// `POST /staff/account/language`: the language of the user's staff mail.
pub async fn set_language(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<LanguageForm>,
) -> AppResult<HttpResponse> {
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
    current: String,
    password: String,
    password2: String,
}

/// `POST /staff/account/password`: needs the current password; ends every
/// other session of the user, and this one continues under a new token.
pub async fn change_password(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let me = user.session.user.clone();
    // Guessing the current password from a stolen session is throttled like a login.
    if !app.limits.login_per_email.hit(&me.email) {
        return Err(AppError::too_many("password checks per address"));
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
        return Ok(unprocessable(page));
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
    secret: String,
    code: String,
}

/// `POST /staff/account/totp`: turns two-factor on once a code matches.
pub async fn totp_confirm(
    app: web::Data<AppState>,
    AccountHolder(user): AccountHolder,
    form: CsrfForm<EnrolForm>,
) -> AppResult<HttpResponse> {
    let id = user.session.user.id;
    let secret = app
        .signer
        .verify(&enrol_purpose(id), &form.secret)
        .ok_or_else(|| AppError::bad_request("two-factor secret not signed for this user"))?
        .to_owned();
    if !app.limits.codes_per_user.hit(&format!("account:{id}")) {
        return Err(AppError::too_many("two-step codes per user"));
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
    Ok(unprocessable(page))
}

/// The turn-off form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DisableForm {
    password: String,
    code: String,
}

/// `POST /staff/account/totp/disable`: needs the password and a current code.
pub async fn totp_disable(
    app: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<DisableForm>,
) -> AppResult<HttpResponse> {
    let me = user.session.user.clone();
    // Counted apart from the login step, so a stranger guessing codes at the
    // login does not lock the account holder out of their own settings.
    if !app.limits.codes_per_user.hit(&format!("account:{}", me.id)) {
        return Err(AppError::too_many("two-step codes per user"));
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
            Ok(unprocessable(page))
        }
    }
}
