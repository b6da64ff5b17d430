//! Staff handlers: login and logout,
//! quarantine, and the owner's settings. Every POST checks the session's CSRF
//! token; every object is looked up through the caller's rights.

use super::extract::{CurrentUser, Owner};
use super::form::CsrfForm;
use super::{html, see_other, unprocessable};
use crate::domain::{feedback, review_link};
use crate::error::AppResult;
use crate::views;
use crate::AppState;
use actix_web::{web, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;

/// Rows per quarantine page.
const PAGE: i64 = 50;

/// `GET /staff`
pub async fn home() -> HttpResponse {
    see_other("/staff/inbox")
}

/// Quarantine paging.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    /// `<unix micros>_<id>` of the last row of the previous page.
    before: String,
}

fn parse_cursor(raw: &str) -> Option<(NaiveDateTime, i64)> {
    let (micros, id) = raw.split_once('_')?;
    let at = crate::clock::from_unix_micros(micros.parse().ok()?)?;
    Some((at, id.parse().ok()?))
}

fn cursor_of(at: NaiveDateTime, id: i64) -> String {
    format!("{}_{id}", at.and_utc().timestamp_micros())
}

/// `GET /staff/quarantine`
pub async fn quarantine(
    app: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let before = parse_cursor(&query.before);
    let rows = app
        .db
        .read(move |c| feedback::quarantined(c, before, PAGE))
        .await?;
    let next = (rows.len() as i64 == PAGE)
        .then(|| rows.last())
        .flatten()
        .map(|r| format!("/staff/quarantine?before={}", cursor_of(r.created_at, r.id)));
    Ok(html(views::staff::quarantine(
        user.lang,
        user.nav(),
        &rows,
        next.as_deref(),
        app.clock.now(),
    )))
}

/// `POST /staff/quarantine/{id}/release`
pub async fn release(
    app: web::Data<AppState>,
    _: CurrentUser,
    id: web::Path<i64>,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, mail, now) = (*id, app.mail.clone(), app.clock.now());
    let ticket_id = app
        .db
        .write(move |c| feedback::release(c, id, &mail, now))
        .await?;
    app.wake_senders();
    Ok(match ticket_id {
        Some(t) => see_other(&format!("/staff/tickets/{t}")),
        None => see_other("/staff/quarantine"),
    })
}

/// `GET /staff/settings` (owners)
pub async fn settings(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let links = app.db.read(review_link::list).await?;
    Ok(html(views::staff::settings(
        user.lang,
        user.nav(),
        &links,
        &[],
        "",
        "",
    )))
}

/// The review link form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewLinkForm {
    label: String,
    url: String,
}

/// `POST /staff/settings/review-links` (owners)
pub async fn add_review_link(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<ReviewLinkForm>,
) -> AppResult<HttpResponse> {
    let (label, url) = (form.label.clone(), form.url.clone());
    let outcome = app
        .db
        .write(move |c| review_link::add(c, &label, &url))
        .await?;
    app.cache.clear();
    match outcome {
        Ok(()) => Ok(see_other("/staff/settings")),
        Err(error) => {
            let links = app.db.read(review_link::list).await?;
            let page = views::staff::settings(
                user.lang,
                user.nav(),
                &links,
                &[error],
                &form.label,
                &form.url,
            );
            Ok(unprocessable(page))
        }
    }
}

/// `POST /staff/settings/review-links/{id}/delete` (owners)
pub async fn remove_review_link(
    app: web::Data<AppState>,
    _: Owner,
    id: web::Path<i64>,
    _: CsrfForm,
) -> AppResult<HttpResponse> {
    let id = *id;
    app.db.write(move |c| review_link::remove(c, id)).await?;
    app.cache.clear();
    Ok(see_other("/staff/settings"))
}
