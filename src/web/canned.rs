//! Owner pages for canned responses: list, add, edit, offer or withdraw.

use super::extract::{CurrentUser, Owner};
use super::form::{ActiveForm, CsrfForm};
use super::{html, see_other, unprocessable};
use crate::domain::audit::Actor;
use crate::domain::canned::{self, CannedInput};
use crate::domain::location;
use crate::domain::FieldError;
use crate::error::AppResult;
use crate::views;
use crate::views::canned::Draft;
use crate::AppState;
use actix_web::{web, HttpResponse};

/// Registers the canned-response routes (owners only).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/canned", web::get().to(list))
        .route("/staff/canned", web::post().to(add))
        .route("/staff/canned/{id}", web::post().to(update))
        .route("/staff/canned/{id}/active", web::post().to(set_active));
}

async fn render(
    app: &AppState,
    user: &CurrentUser,
    draft: Draft<'_>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let (all, offered) = app
        .db
        .read(|c| Ok((canned::list(c, false)?, location::offered_anywhere(c)?)))
        .await?;
    Ok(views::canned::list(
        user.lang,
        user.nav(),
        &all,
        &offered,
        draft,
        errors,
    ))
}

/// `GET /staff/canned`
pub async fn list(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    Ok(html(render(&app, &user, Draft::None, &[]).await?))
}

/// `POST /staff/canned`: adds an offered canned response.
pub async fn add(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<CannedInput>,
) -> AppResult<HttpResponse> {
    let (input, actor, now) = (
        form.clone(),
        Actor::from(&user.session.user),
        app.clock.now(),
    );
    let outcome = app
        .db
        .write(move |c| canned::add(c, actor, &input, now))
        .await?;
    after_change(&app, &user, outcome, Draft::New(&form)).await
}

/// `POST /staff/canned/{id}`: changes the title and texts.
pub async fn update(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<CannedInput>,
) -> AppResult<HttpResponse> {
    let (id, input, now) = (*id, form.clone(), app.clock.now());
    let actor = Actor::from(&user.session.user);
    let outcome = app
        .db
        .write(move |c| canned::update(c, actor, id, &input, now))
        .await?;
    after_change(&app, &user, outcome, Draft::Existing(id, &form)).await
}

/// A change's answer: back to the list, or the page again with the errors
/// and what was typed.
async fn after_change<T>(
    app: &AppState,
    user: &CurrentUser,
    outcome: Result<T, Vec<FieldError>>,
    draft: Draft<'_>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(_) => Ok(see_other("/staff/canned")),
        Err(errors) => {
            let page = render(app, user, draft, &errors).await?;
            Ok(unprocessable(page))
        }
    }
}

/// `POST /staff/canned/{id}/active`: offers it to staff (`active=true`) or not.
pub async fn set_active(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (id, active, now) = (*id, form.active()?, app.clock.now());
    let actor = Actor::from(&user.session.user);
    app.db
        .write(move |c| canned::set_active(c, actor, id, active, now))
        .await?;
    Ok(see_other("/staff/canned"))
}
