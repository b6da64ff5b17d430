//! Owner pages for webhook endpoints: list and add (the secret shown once),
//! one endpoint with its delivery log, send a test event, pause or resume,
//! delete after confirming. A URL the guard refuses is a field error saying
//! why; nothing is stored.

use super::extract::{query_param, Owner};
use super::form::{ActiveForm, CsrfForm};
use super::{html, see_other, unprocessable};
use crate::delivery::guard;
use crate::domain::audit::Actor;
use crate::domain::webhook::{self, NewEndpoint};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::views;
use crate::views::webhooks::Draft;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

/// Registers the webhook routes (owners only).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/settings/webhooks", web::get().to(list))
        .route("/staff/settings/webhooks", web::post().to(add))
        .route("/staff/settings/webhooks/{id}", web::get().to(detail))
        .route("/staff/settings/webhooks/{id}/test", web::post().to(test))
        .route(
            "/staff/settings/webhooks/{id}/active",
            web::post().to(set_active),
        )
        .route(
            "/staff/settings/webhooks/{id}/delete",
            web::get().to(confirm_delete),
        )
        .route(
            "/staff/settings/webhooks/{id}/delete",
            web::post().to(delete),
        );
}

/// `GET /staff/settings/webhooks`
pub async fn list(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let endpoints = app.db.read(webhook::list).await?;
    let tz = app.cache.business_zone(&app.db).await?;
    Ok(html(views::webhooks::list(
        user.lang,
        user.nav(),
        tz,
        &endpoints,
        &Draft::default(),
        &[],
    )))
}

/// The Add form's fields from its pairs (the events repeat).
fn draft_of(pairs: &[(String, String)]) -> Draft {
    let mut draft = Draft::default();
    for (name, value) in pairs {
        match name.as_str() {
            "url" => draft.url = value.clone(),
            "description" => draft.description = value.clone(),
            "events" => draft.events.push(value.clone()),
            _ => {}
        }
    }
    draft
}

/// `POST /staff/settings/webhooks`: checks the URL with the guard, then adds
/// the endpoint and shows its secret once.
pub async fn add(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let draft = draft_of(&form);
    let mut errors = webhook::validate(&draft.description, &draft.events);
    let approved = match guard::check(&draft.url, &app.config.webhook_allow_private).await {
        Ok(approved) => Some(approved),
        Err(refusal) => {
            errors.insert(0, FieldError::new("url", refusal.message_key()));
            None
        }
    };
    let outcome = match approved {
        Some(url) if errors.is_empty() => {
            let input = NewEndpoint {
                url,
                description: draft.description.clone(),
                events: draft.events.clone(),
            };
            let (actor, now, signer) = (
                Actor::from(&user.session.user),
                app.clock.now(),
                app.signer.clone(),
            );
            app.db
                .write(move |c| webhook::create(c, actor, &signer, &input, now))
                .await?
        }
        _ => Err(errors),
    };
    match outcome {
        Ok((endpoint, secret)) => Ok(html(views::webhooks::added(
            user.lang,
            user.nav(),
            &endpoint,
            &secret,
        ))),
        Err(errors) => {
            let endpoints = app.db.read(webhook::list).await?;
            let tz = app.cache.business_zone(&app.db).await?;
            Ok(unprocessable(views::webhooks::list(
                user.lang,
                user.nav(),
                tz,
                &endpoints,
                &draft,
                &errors,
            )))
        }
    }
}

async fn endpoint_or_404(app: &AppState, id: i64) -> AppResult<webhook::Endpoint> {
    app.db
        .read(move |c| webhook::get(c, id))
        .await?
        .ok_or_else(AppError::not_found)
}

/// `GET /staff/settings/webhooks/{id}`: the endpoint and its delivery log.
pub async fn detail(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let id = *id;
    let endpoint = endpoint_or_404(&app, id).await?;
    let log = app.db.read(move |c| webhook::attempts(c, id)).await?;
    let tz = app.cache.business_zone(&app.db).await?;
    let test_queued = query_param(&req, "test").is_some();
    Ok(html(views::webhooks::detail(
        user.lang,
        user.nav(),
        tz,
        &endpoint,
        &log,
        test_queued,
    )))
}

/// `POST /staff/settings/webhooks/{id}/test`: queues a test event to this
/// endpoint only.
pub async fn test(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (id, now, actor) = (*id, app.clock.now(), Actor::from(&user.session.user));
    app.db
        .write(move |c| webhook::send_test(c, actor, id, now))
        .await?
        .ok_or_else(AppError::not_found)?;
    app.http_wake.notify_one();
    Ok(see_other(&format!(
        "/staff/settings/webhooks/{id}?test=queued"
    )))
}

/// `POST /staff/settings/webhooks/{id}/active`: resumes (`active=true`) or
/// pauses it.
pub async fn set_active(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<ActiveForm>,
) -> AppResult<HttpResponse> {
    let (id, active, now) = (*id, form.active()?, app.clock.now());
    let actor = Actor::from(&user.session.user);
    let found = app
        .db
        .write(move |c| webhook::set_active(c, actor, id, active, now))
        .await?;
    if !found {
        return Err(AppError::not_found());
    }
    Ok(see_other(&format!("/staff/settings/webhooks/{id}")))
}

/// `GET /staff/settings/webhooks/{id}/delete`: asks first.
pub async fn confirm_delete(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let endpoint = endpoint_or_404(&app, *id).await?;
    Ok(html(views::webhooks::confirm_delete(
        user.lang,
        user.nav(),
        &endpoint,
    )))
}

/// `POST /staff/settings/webhooks/{id}/delete`
pub async fn delete(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    _form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (id, now, actor) = (*id, app.clock.now(), Actor::from(&user.session.user));
    let found = app
        .db
        .write(move |c| webhook::delete(c, actor, id, now))
        .await?;
    if !found {
        return Err(AppError::not_found());
    }
    Ok(see_other("/staff/settings/webhooks"))
}
