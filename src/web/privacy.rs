//! The owner's privacy page (`/staff/privacy`): the retention period, when
//! the retention job last ran and what it anonymised, and the per-address
//! tools: export everything held about a customer as a JSON download, and
//! erase it after an explicit confirmation step. Owners only; every POST
//! checks the CSRF token; the audit log gets counts, never the address.

use super::extract::{CurrentUser, Owner};
use super::form::CsrfForm;
use super::{html, see_other, unprocessable};
use crate::domain::audit::Actor;
use crate::domain::privacy::{self, Counts};
use crate::domain::FieldError;
use crate::error::AppResult;
use crate::error::Context;
use crate::views;
use crate::views::privacy::{Notice, PageView};
use crate::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/privacy", web::get().to(page))
        .route("/staff/privacy/retention", web::post().to(save_retention))
        .route("/staff/privacy/export", web::post().to(export))
        .route("/staff/privacy/erase", web::post().to(confirm_erase))
        .route("/staff/privacy/erase/confirm", web::post().to(erase));
}

/// Renders the page with what is stored, and what the owner typed.
async fn render(
    app: &AppState,
    user: &CurrentUser,
    months: Option<String>,
    email: &str,
    errors: &[FieldError],
    notice: Notice,
) -> AppResult<maud::Markup> {
    let (stored, last_run) = app
        .db
        .read(|c| Ok((privacy::retention_months(c)?, privacy::last_run(c)?)))
        .await?;
    Ok(views::privacy::page(
        user.lang,
        user.nav(),
        &PageView {
            months: &months.unwrap_or_else(|| stored.to_string()),
            last_run,
            email,
            errors,
            notice,
            tz: user.zone,
        },
    ))
}

/// `GET /staff/privacy`
pub async fn page(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let notice = if super::extract::query_param(&req, "saved").is_some() {
        Notice::Saved
    } else {
        Notice::None
    };
    Ok(html(render(&app, &user, None, "", &[], notice).await?))
}

/// The retention form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetentionForm {
    months: String,
}

/// `POST /staff/privacy/retention`
pub async fn save_retention(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<RetentionForm>,
) -> AppResult<HttpResponse> {
    let months = match privacy::parse_months(&form.months) {
        Ok(months) => months,
        Err(error) => {
            let page = render(
                &app,
                &user,
                Some(form.months.clone()),
                "",
                &[error],
                Notice::None,
            )
            .await?;
            return Ok(unprocessable(page));
        }
    };
    let (actor, now) = (Actor::from(&user.session.user), app.clock.now());
    app.db
        .write(move |c| privacy::set_retention_months(c, actor, months, now))
        .await?;
    Ok(see_other("/staff/privacy?saved=1"))
}

/// The export and erasure forms.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddressForm {
    email: String,
    confirm: String,
}

/// The checked address, or the page again with the mistake (422).
async fn address(
    app: &AppState,
    user: &CurrentUser,
    form: &AddressForm,
) -> AppResult<Result<String, HttpResponse>> {
    match privacy::check_address(&form.email) {
        Ok(address) => Ok(Ok(address)),
        Err(error) => {
            let page = render(app, user, None, &form.email, &[error], Notice::None).await?;
            Ok(Err(unprocessable(page)))
        }
    }
}

/// `POST /staff/privacy/export`: everything held about the address, as a
/// JSON download.
pub async fn export(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<AddressForm>,
) -> AppResult<HttpResponse> {
    let address = match address(&app, &user, &form).await? {
        Ok(address) => address,
        Err(page) => return Ok(page),
    };
    let (actor, now) = (Actor::from(&user.session.user), app.clock.now());
    let export = app
        .db
        .write(move |c| privacy::export(c, actor, &address, now))
        .await?;
    let body = serde_json::to_string_pretty(&export).internal("export as JSON")?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"tellus-customer-export.json\"",
        ))
        .body(body))
}

/// `POST /staff/privacy/erase`: the confirmation step, showing what is held.
pub async fn confirm_erase(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<AddressForm>,
) -> AppResult<HttpResponse> {
    let address = match address(&app, &user, &form).await? {
        Ok(address) => address,
        Err(page) => return Ok(page),
    };
    Ok(html(confirmation(&app, &user, &address, &[]).await?))
}

/// The confirmation step's page: what is held for the address, and why the
/// erasure did not go ahead yet (if it did not).
async fn confirmation(
    app: &AppState,
    user: &CurrentUser,
    address: &str,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let now = app.clock.now();
    let shown = address.to_owned();
    let held = app.db.read(move |c| privacy::held(c, &shown, now)).await?;
    Ok(views::privacy::confirm_erase(
        user.lang,
        user.nav(),
        address,
        &held,
        errors,
    ))
}

/// `POST /staff/privacy/erase/confirm`: erases, once the owner ticked the
/// confirmation; shows what was removed.
pub async fn erase(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<AddressForm>,
) -> AppResult<HttpResponse> {
    let address = match address(&app, &user, &form).await? {
        Ok(address) => address,
        Err(page) => return Ok(page),
    };
    let now = app.clock.now();
    if form.confirm != "yes" {
        let errors = [FieldError::new("confirm", "privacy-confirm-required")];
        let page = confirmation(&app, &user, &address, &errors).await?;
        return Ok(unprocessable(page));
    }
    let actor = Actor::from(&user.session.user);
    let erased: Counts = app
        .db
        .write(move |c| privacy::erase(c, actor, &address, now))
        .await?;
    Ok(html(
        render(&app, &user, None, "", &[], Notice::Erased(erased)).await?,
    ))
}
