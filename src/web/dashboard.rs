//! The owner's dashboard (`/staff/dashboard`) and its CSV downloads
//! (`/staff/dashboard/<chart>.csv`), both with the same query:
//! `?location=<id|all>&from=YYYY-MM-DD&to=YYYY-MM-DD`. Owners only; anyone
//! else is told the page does not exist.

use super::extract::{CurrentUser, Owner};
use super::{html, html_status};
use crate::domain::dashboard::{self, Figures, Range, RangeError};
use crate::domain::{local_time, location, workflow};
use crate::error::{AppError, AppResult};
use crate::views::dashboard::{Chart, DashboardPage};
use crate::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// Registers the dashboard routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/dashboard", web::get().to(page))
        .route("/staff/dashboard/{chart}.csv", web::get().to(csv));
}

/// The dashboard's query string.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DashboardQuery {
    location: String,
    from: String,
    to: String,
}

/// What the query asked for, understood.
struct Asked {
    locations: Vec<(i64, String)>,
    zone: chrono_tz::Tz,
    location: Option<i64>,
    dates: Result<(Range, bool), RangeError>,
}

/// Reads the query against the locations and the business's today. An
/// unknown location is not found.
async fn resolve_query(app: &AppState, query: &DashboardQuery) -> AppResult<Asked> {
    let now = app.clock.now();
    let (locations, tz) = app
        .db
        .read(|c| Ok((location::list(c)?, workflow::get(c)?.tz())))
        .await?;
    let locations: Vec<(i64, String)> = locations.into_iter().map(|l| (l.id, l.name)).collect();
    let location = match query.location.trim() {
        "" | "all" => None,
        text => {
            let id = text.parse::<i64>().map_err(AppError::not_found_because)?;
            if !locations.iter().any(|(l, _)| *l == id) {
                return Err(AppError::not_found_because("no such location"));
            }
            Some(id)
        }
    };
    let today = local_time::day_of(tz, now);
    let dates = dashboard::parse_dates(Some(&query.from), Some(&query.to), today)
        .map(|(from, to, shortened)| (Range { location, from, to }, shortened));
    Ok(Asked {
        locations,
        zone: tz,
        location,
        dates,
    })
}

fn error_key(error: RangeError) -> &'static str {
    match error {
        RangeError::BadDate => "dashboard-bad-date",
        RangeError::FromAfterTo => "dashboard-from-after-to",
    }
}

async fn figures_for(app: &AppState, range: Range) -> AppResult<Figures> {
    let now = app.clock.now();
    app.db
        .read(move |c| dashboard::figures(c, &range, now))
        .await
}

/// The range's figures and those of the range of the same length before it.
async fn compared(app: &AppState, range: Range) -> AppResult<(Figures, Figures)> {
    let now = app.clock.now();
    app.db
        .read(move |c| dashboard::compare(c, &range, now))
        .await
}

/// `GET /staff/dashboard`
pub async fn page(
    app: web::Data<AppState>,
    Owner(user): Owner,
    query: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    let asked = resolve_query(&app, &query).await?;
    let categories = app.db.read(dashboard::category_names).await?;
    let zone = asked.zone.name();
    let render = |user: &CurrentUser, figures: Option<(&Figures, &Figures)>, error, shortened| {
        let (from, to) = match figures {
            Some((f, _)) => (
                f.range.from.format("%Y-%m-%d").to_string(),
                f.range.to.format("%Y-%m-%d").to_string(),
            ),
            None => (query.from.clone(), query.to.clone()),
        };
        crate::views::dashboard::page(
            user.lang,
            user.nav(),
            &DashboardPage {
                locations: &asked.locations,
                location: asked.location,
                from: &from,
                to: &to,
                error,
                shortened,
                figures: figures.map(|(f, _)| f),
                previous: figures.map(|(_, b)| b),
                zone,
                categories: &categories,
            },
        )
    };
    match asked.dates {
        Ok((range, shortened)) => {
            let (figures, previous) = compared(&app, range).await?;
            Ok(html(render(
                &user,
                Some((&figures, &previous)),
                None,
                shortened,
            )))
        }
        Err(e) => Ok(html_status(
            StatusCode::BAD_REQUEST,
            render(&user, None, Some(error_key(e)), false),
        )),
    }
}

/// `GET /staff/dashboard/<chart>.csv`: the numbers of one chart.
pub async fn csv(
    app: web::Data<AppState>,
    Owner(user): Owner,
    chart: web::Path<String>,
    query: web::Query<DashboardQuery>,
) -> AppResult<HttpResponse> {
    let chart = Chart::parse(&chart).ok_or_else(AppError::not_found)?;
    let asked = resolve_query(&app, &query).await?;
    let (range, _) = asked
        .dates
        .map_err(|e| AppError::bad_request(format!("dashboard dates: {e:?}")))?;
    let categories = app.db.read(dashboard::category_names).await?;
    let figures = figures_for(&app, range).await?;
    let body = crate::views::dashboard::csv_file(
        user.lang,
        chart,
        &figures,
        &categories,
        &asked.locations,
    );
    let name = format!(
        "tellus-{}-{}-{}.csv",
        chart.name(),
        figures.range.from.format("%Y-%m-%d"),
        figures.range.to.format("%Y-%m-%d")
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body))
}
