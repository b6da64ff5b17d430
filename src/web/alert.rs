//! Burst alerts and team chat on the staff side: the alerts page and its
//! acknowledge form (every staff member), and a location's "Alerts and chat"
//! page with the rule, the Slack and Teams channels, removing one and the
//! test message (owners only). Every POST checks the CSRF token, answers 303
//! on success and 422 with the form as typed on a mistake.

use super::extract::{CurrentUser, Owner};
use super::form::CsrfForm;
use super::{html, see_other, unprocessable};
use crate::delivery::guard;
use crate::domain::alert::{self, RuleInput};
use crate::domain::audit::Actor;
use crate::domain::chat::{self, TargetInput};
use crate::domain::location::{self, Location};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::views;
use crate::views::alert::SettingsPage;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Most alerts the page lists.
const LISTED: i64 = 50;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/alerts", web::get().to(list))
        .route(
            "/staff/alerts/{id}/acknowledge",
            web::post().to(acknowledge),
        )
        .route("/staff/locations/{id}/alerts", web::get().to(settings))
        .route("/staff/locations/{id}/alerts", web::post().to(save_rule))
        .route("/staff/locations/{id}/chat", web::post().to(add_target))
        .route(
            "/staff/locations/{id}/chat/{target}/remove",
            web::post().to(remove_target),
        )
        .route(
            "/staff/locations/{id}/chat/{target}/test",
            web::post().to(test_target),
        );
}

async fn alerts_page(
    app: &AppState,
    user: &CurrentUser,
    failed: Option<(i64, &[FieldError])>,
    acknowledged: bool,
) -> AppResult<maud::Markup> {
    let (alerts, answers) = app
        .db
        .read(|c| {
            let alerts = alert::list(c, LISTED)?;
            let ids: Vec<i64> = alerts.iter().map(|a| a.id).collect();
            let answers = alert::answers(c, &ids)?;
            Ok((alerts, answers))
        })
        .await?;
    Ok(views::alert::alerts_page(
        user.lang,
        user.nav(),
        user.zone,
        &alerts,
        &answers,
        failed,
        acknowledged,
    ))
}

/// `GET /staff/alerts`
pub async fn list(
    req: HttpRequest,
    app: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let acknowledged = super::extract::query_param(&req, "acknowledged").is_some();
    Ok(html(alerts_page(&app, &user, None, acknowledged).await?))
}

/// The acknowledge form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcknowledgeForm {
    comment: String,
}

/// `POST /staff/alerts/{id}/acknowledge`
pub async fn acknowledge(
    app: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    form: CsrfForm<AcknowledgeForm>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let comment = form.into_inner().comment;
    let (now, actor) = (app.clock.now(), Actor::from(&user.session.user));
    let outcome = app
        .db
        .write(move |c| alert::acknowledge(c, actor, id, &comment, now))
        .await?;
    match outcome {
        // Already acknowledged by someone else: the page shows by whom.
        Ok(_) => Ok(see_other(&format!(
            "/staff/alerts?acknowledged=1#alert-{id}"
        ))),
        Err(errors) => Ok(unprocessable(
            alerts_page(&app, &user, Some((id, &errors)), false).await?,
        )),
    }
}

async fn find_location(app: &AppState, id: i64) -> AppResult<Location> {
    app.db
        .read(move |c| location::find(c, id))
        .await?
        .ok_or_else(AppError::not_found)
}

/// The settings page with the stored values where the caller has none.
async fn settings_page(
    app: &AppState,
    user: &CurrentUser,
    location: &Location,
    rule: Option<(&RuleInput, &[FieldError])>,
    target: Option<(&TargetInput, &[FieldError])>,
    notice: Option<&'static str>,
) -> AppResult<maud::Markup> {
    let id = location.id;
    let (stored, targets) = app
        .db
        .read(move |c| Ok((alert::rule(c, id)?, chat::targets(c, id)?)))
        .await?;
    let stored = RuleInput::from_rule(&stored);
    let (rule, rule_errors) = rule.unwrap_or((&stored, &[]));
    let empty = TargetInput::default();
    let (target, target_errors) = target.unwrap_or((&empty, &[]));
    Ok(views::alert::settings(
        user.lang,
        user.nav(),
        location,
        &SettingsPage {
            rule,
            rule_errors,
            targets: &targets,
            target,
            target_errors,
            notice,
        },
    ))
}

/// `GET /staff/locations/{id}/alerts`
pub async fn settings(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let location = find_location(&app, *id).await?;
    let notice = match super::extract::query_param(&req, "done").as_deref() {
        Some("rule") => Some("alert-rule-saved"),
        Some("added") => Some("chat-added"),
        Some("removed") => Some("chat-removed"),
        Some("test") => Some("chat-test-queued"),
        _ => None,
    };
    Ok(html(
        settings_page(&app, &user, &location, None, None, notice).await?,
    ))
}

fn done(location_id: i64, what: &str) -> HttpResponse {
    see_other(&format!(
        "/staff/locations/{location_id}/alerts?done={what}"
    ))
}

/// `POST /staff/locations/{id}/alerts`
pub async fn save_rule(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<RuleInput>,
) -> AppResult<HttpResponse> {
    let location = find_location(&app, *id).await?;
    let input = form.into_inner();
    let (stored, now, actor, id) = (
        input.clone(),
        app.clock.now(),
        Actor::from(&user.session.user),
        location.id,
    );
    let outcome = app
        .db
        .write(move |c| alert::save_rule(c, actor, id, &stored, now))
        .await?;
    match outcome {
        Ok(()) => Ok(done(id, "rule")),
        Err(errors) => Ok(unprocessable(
            settings_page(&app, &user, &location, Some((&input, &errors)), None, None).await?,
        )),
    }
}

/// `POST /staff/locations/{id}/chat`
pub async fn add_target(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<TargetInput>,
) -> AppResult<HttpResponse> {
    let location = find_location(&app, *id).await?;
    let input = form.into_inner();
    // The same guard as webhooks: a name that resolves into a private network
    // is refused now (and, whatever DNS says later, again at send time).
    if chat::check_url(&input.url).is_ok() {
        if let Err(refusal @ guard::Refusal::Blocked(..)) =
            guard::check(&input.url, &app.config.webhook_allow_private).await
        {
            let errors = vec![FieldError::new("url", refusal.message_key())];
            return Ok(unprocessable(
                settings_page(&app, &user, &location, None, Some((&input, &errors)), None).await?,
            ));
        }
    }
    let (stored, now, actor, id) = (
        input.clone(),
        app.clock.now(),
        Actor::from(&user.session.user),
        location.id,
    );
    let outcome = app
        .db
        .write(move |c| chat::add(c, actor, id, &stored, now))
        .await?;
    match outcome {
        Ok(_) => Ok(done(id, "added")),
        Err(errors) => Ok(unprocessable(
            settings_page(&app, &user, &location, None, Some((&input, &errors)), None).await?,
        )),
    }
}

/// `POST /staff/locations/{id}/chat/{target}/remove`
pub async fn remove_target(
    app: web::Data<AppState>,
    Owner(user): Owner,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, target) = path.into_inner();
    let (now, actor) = (app.clock.now(), Actor::from(&user.session.user));
    let removed = app
        .db
        .write(move |c| chat::remove(c, actor, id, target, now))
        .await?;
    if !removed {
        return Err(AppError::not_found());
    }
    Ok(done(id, "removed"))
}

/// `POST /staff/locations/{id}/chat/{target}/test`
pub async fn test_target(
    app: web::Data<AppState>,
    Owner(_user): Owner,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, target) = path.into_inner();
    let now = app.clock.now();
    let queued = app
        .db
        .write(move |c| chat::send_test(c, id, target, now))
        .await?;
    if !queued {
        return Err(AppError::not_found());
    }
    Ok(done(id, "test"))
}
