//! The owner's workflow settings page (`/staff/settings/workflow`):
//! auto-close, the waiting reminder, the survey delay, the digest hour and
//! the business's time zone. Owners only; the POST checks the CSRF token,
//! answers 303 on success and 422 with the form as typed on a mistake.

use super::extract::Owner;
use super::form::CsrfForm;
use super::{html, see_other, unprocessable};
use crate::domain::audit::Actor;
use crate::domain::workflow::{self, WorkflowInput};
use crate::error::AppResult;
use crate::views;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/settings/workflow", web::get().to(page))
        .route("/staff/settings/workflow", web::post().to(save));
}

/// `GET /staff/settings/workflow`
pub async fn page(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let settings = app.db.read(workflow::get).await?;
    let saved = super::extract::query_param(&req, "saved").is_some();
    Ok(html(views::workflow::settings(
        user.lang,
        user.nav(),
        &WorkflowInput::from_settings(&settings),
        &[],
        saved,
    )))
}

/// `POST /staff/settings/workflow`
pub async fn save(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<WorkflowInput>,
) -> AppResult<HttpResponse> {
    let input = form.into_inner();
    let (stored, now, actor) = (
        input.clone(),
        app.clock.now(),
        Actor::from(&user.session.user),
    );
    let outcome = app
        .db
        .write(move |c| workflow::save(c, actor, &stored, now))
        .await?;
    match outcome {
        Ok(()) => {
            // Staff pages read the time zone from the cache.
            app.cache.clear();
            Ok(see_other("/staff/settings/workflow?saved=1"))
        }
        Err(errors) => Ok(unprocessable(views::workflow::settings(
            user.lang,
            user.nav(),
            &input,
            &errors,
            false,
        ))),
    }
}
