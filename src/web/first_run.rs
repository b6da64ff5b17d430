//! The owner's first hour: the checklist at `/staff/start` (its steps
//! dismissed one by one or hidden, the public address checked from the
//! server), and the Mail page at `/staff/settings/mail` with a test mail
//! sent at once. Owners only; every POST checks the CSRF token and answers
//! with a redirect to the page it came from.

use super::extract::Owner;
use super::form::CsrfForm;
use super::self_check;
use super::{html, see_other};
use crate::domain::checklist::{self, Facts, SelfCheck, Step};
use crate::error::{AppError, AppResult};
use crate::mail::test_mail;
use crate::views;
use crate::views::first_run::{ChecklistPage, MailPage};
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/start", web::get().to(start))
        .route("/staff/start/dismiss", web::post().to(dismiss))
        .route("/staff/start/hide", web::post().to(hide))
        .route("/staff/start/check-address", web::post().to(check_address))
        .route("/staff/settings/mail", web::get().to(mail))
        .route("/staff/settings/mail/test", web::post().to(send_test));
}

/// The folder mail files go to, as the owner reads it.
fn mail_folder(app: &AppState) -> String {
    app.config.mail_dir().display().to_string()
}

/// `GET /staff/start`: the checklist, read in one transaction.
pub async fn start(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let facts = Facts::from_config(&app.config);
    let list = app.db.read(move |c| checklist::read(c, &facts)).await?;
    let folder = mail_folder(&app);
    Ok(html(views::first_run::checklist(
        user.lang,
        user.nav(),
        &ChecklistPage {
            checklist: &list,
            address_problem: app.config.public_address_problem(),
            base_url: &app.config.base_url,
            mail_saved_as_files: app.config.mail_saved_as_files(),
            mail_folder: &folder,
            now: app.clock.now(),
        },
    )))
}

/// The dismiss form: one step's name.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
}

/// `POST /staff/start/dismiss`
pub async fn dismiss(
    app: web::Data<AppState>,
    _: Owner,
    form: CsrfForm<StepForm>,
) -> AppResult<HttpResponse> {
    let step = Step::parse(&form.step).ok_or_else(|| AppError::bad_request("unknown step"))?;
    let now = app.clock.now();
    app.db
        .write(move |c| checklist::dismiss(c, step, now))
        .await?;
    Ok(see_other(&format!("/staff/start#{}", step.as_str())))
}

/// `POST /staff/start/hide`: the owner lands on the inbox from now on.
pub async fn hide(app: web::Data<AppState>, _: Owner, _: CsrfForm) -> AppResult<HttpResponse> {
    let now = app.clock.now();
    app.db.write(move |c| checklist::hide(c, now)).await?;
    Ok(see_other("/staff/inbox"))
}

/// `POST /staff/start/check-address`: the server asks for its own
/// `TELLUS_BASE_URL/healthz` and keeps what it found.
pub async fn check_address(
    app: web::Data<AppState>,
    _: Owner,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let url = self_check::health_url(&app.config.base_url);
    let found = self_check::check(&url).await;
    let result = SelfCheck {
        name: checklist::check::ADDRESS.into(),
        checked_at: app.clock.now(),
        target: url,
        via: String::new(),
        outcome: found.as_str().into(),
        detail: found.detail(),
    };
    app.db
        .write(move |c| checklist::record_check(c, &result))
        .await?;
    Ok(see_other("/staff/start#address"))
}

/// `GET /staff/settings/mail[?tested=1]`
pub async fn mail(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let latest = app
        .db
        .read(|c| checklist::latest_check(c, checklist::check::MAIL))
        .await?;
    let server = app.config.smtp_server();
    let folder = mail_folder(&app);
    let just_tested = super::extract::query_param(&req, "tested").is_some();
    Ok(html(views::first_run::mail(
        user.lang,
        user.nav(),
        &MailPage {
            smtp_server: if app.config.mail_saved_as_files() {
                None
            } else {
                Some(server.as_deref().unwrap_or("?"))
            },
            mail_folder: &folder,
            mail_from: &app.config.mail_from,
            latest: latest.as_ref(),
            just_tested,
            to: latest
                .as_ref()
                .map_or(user.session.user.email.as_str(), |l| l.target.as_str()),
            now: app.clock.now(),
        },
    )))
}

/// The test mail form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TestForm {
    to: String,
}

/// `POST /staff/settings/mail/test`: sends one mail now (not through the
/// outbox), waits for the answer within the bound and keeps it.
pub async fn send_test(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<TestForm>,
) -> AppResult<HttpResponse> {
    let to = match form.to.trim() {
        "" => user.session.user.email.clone(),
        to => to.to_owned(),
    };
    let outcome = test_mail::send(&app.config, user.lang, &to).await;
    let via = if app.config.mail_saved_as_files() {
        crate::mail::outbox::SAVED_AS_FILE.to_owned()
    } else {
        app.config.smtp_server().unwrap_or_default()
    };
    let result = SelfCheck {
        name: checklist::check::MAIL.into(),
        checked_at: app.clock.now(),
        target: to,
        via,
        outcome: outcome.as_str().into(),
        detail: outcome.detail().to_owned(),
    };
    app.db
        .write(move |c| checklist::record_check(c, &result))
        .await?;
    Ok(see_other("/staff/settings/mail?tested=1"))
}
