//! `GET /api/v1/dashboard`: the owner's dashboard figures as JSON, from the
//! same computation as the page ([`crate::domain::dashboard::figures`]),
//! for the same range rules (`from`/`to` as local dates; empty: the default
//! range ending today; long ranges keep their last days).

use super::auth::{decode_query, Caller};
use super::problem::Problem;
use crate::domain::api_key::Scope;
use crate::domain::dashboard::{self, Figures, Range, RangeError, Times};
use crate::domain::{category, local_time, location, workflow};
use crate::AppState;
use actix_web::{get, web, HttpRequest};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// The routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(figures);
}

/// The query.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields, default)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// First local day, `YYYY-MM-DD` (default: 30 days before `to`).
    pub from: Option<String>,
    /// Last local day, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
    /// A location slug (default: all the key may see; required for a key
    /// limited to several locations).
    pub location: Option<String>,
}

/// First responses or resolutions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTimes {
    /// How many.
    pub count: i64,
    /// How many met their target.
    pub on_time: i64,
    /// Share on time, whole percent.
    pub on_time_percent: Option<i64>,
    /// Median, whole minutes of opening hours.
    pub median_minutes: Option<i64>,
    /// 90th percentile, whole minutes.
    pub p90_minutes: Option<i64>,
}

impl From<&Times> for ApiTimes {
    fn from(t: &Times) -> ApiTimes {
        ApiTimes {
            count: t.count,
            on_time: t.on_time,
            on_time_percent: t.on_time_percent(),
            median_minutes: t.median,
            p90_minutes: t.p90,
        }
    }
}

/// A count for a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct DayCount {
    /// The local day.
    pub day: NaiveDate,
    /// Submissions.
    pub count: i64,
}

/// A count for a name.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedCount {
    /// A channel (kiosk, qr, web, api) or a topic slug (null: none chosen).
    pub name: Option<String>,
    /// Submissions.
    pub count: i64,
}

/// Satisfaction answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Satisfaction {
    /// Answers per face 1–4.
    pub answers: [i64; 4],
    /// Complaints that started unhappy and were answered.
    pub unhappy_answered: i64,
    /// Of those, answered happy: recovered customers.
    pub recovered: i64,
}

/// Gifts.
#[derive(Debug, Serialize, ToSchema)]
pub struct GiftCounts {
    /// Sent.
    pub sent: i64,
    /// Redeemed.
    pub redeemed: i64,
    /// What the gifts sent cost, in cents.
    pub spend_cents: i64,
    /// The monthly budgets of the months touched, in cents.
    pub budget_cents: Option<i64>,
    /// Calendar months the range touches.
    pub months: i64,
}

/// One location's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationRow {
    /// Its slug.
    pub location: String,
    /// All submissions.
    pub submissions: i64,
    /// Unhappy submissions (face 1–2).
    pub complaints: i64,
    /// First responses.
    pub first_response: ApiTimes,
    /// Satisfaction answers per face 1–4.
    pub answers: [i64; 4],
}

/// The dashboard's figures for one range.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardFigures {
    /// First local day.
    pub from: NaiveDate,
    /// Last local day.
    pub to: NaiveDate,
    /// The location's slug, or null for all.
    pub location: Option<String>,
    /// Whether the range asked for was shortened (future days, or too long).
    pub shortened: bool,
    /// Submissions per local day.
    pub volume: Vec<DayCount>,
    /// Submissions per face 1–4.
    pub faces: [i64; 4],
    /// Submissions per channel.
    pub channels: Vec<NamedCount>,
    /// Submissions per topic, most first.
    pub topics: Vec<NamedCount>,
    /// First responses.
    pub first_response: ApiTimes,
    /// Resolutions.
    pub resolution: ApiTimes,
    /// Satisfaction.
    pub satisfaction: Satisfaction,
    /// Gifts.
    pub gifts: GiftCounts,
    /// Unhappy submissions per local weekday (Monday first) and hour.
    pub unhappy_hours: Vec<Vec<i64>>,
    /// Per location.
    pub locations: Vec<LocationRow>,
}

/// The dashboard's figures: the same numbers as the owner's page.
#[utoipa::path(
    tag = "dashboard",
    description = "Scope `dashboard:read`.",
    params(DashboardQuery),
    responses((status = 200, description = "The figures", body = DashboardFigures))
)]
#[get("/dashboard")]
pub async fn figures(
    req: HttpRequest,
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<DashboardFigures>, Problem> {
    let key = caller.require(Scope::DashboardRead)?.clone();
    let query: DashboardQuery = decode_query(req.query_string())?;
    let now = app.clock.now();
    let (locations, tz, topics) = app
        .db
        .read(|c| {
            Ok((
                location::list(c)?,
                workflow::get(c)?.tz(),
                category::list_all(c)?,
            ))
        })
        .await?;
    let visible: Vec<_> = locations.iter().filter(|l| key.sees(l.id)).collect();
    let location = match query.location.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => Some(
            visible
                .iter()
                .find(|l| l.slug == slug)
                .ok_or_else(|| Problem::field("location", "no such location"))?
                .id,
        ),
        None if key.location_ids.is_empty() => None,
        None => match visible.as_slice() {
            [only] => Some(only.id),
            _ => {
                return Err(Problem::field(
                    "location",
                    "this key is limited to several locations: name one",
                ))
            }
        },
    };
    let today = local_time::day_of(tz, now);
    let (from, to, shortened) =
        dashboard::parse_dates(query.from.as_deref(), query.to.as_deref(), today).map_err(|e| {
            match e {
                RangeError::BadDate => Problem::field("from", "dates are YYYY-MM-DD"),
                RangeError::FromAfterTo => Problem::field("from", "from lies after to"),
            }
        })?;
    let range = Range { location, from, to };
    let f: Figures = app
        .db
        .read(move |c| dashboard::figures(c, &range, now))
        .await?;
    let slug_of = |id: i64| {
        locations
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.slug.clone())
            .unwrap_or_default()
    };
    Ok(web::Json(DashboardFigures {
        from: f.range.from,
        to: f.range.to,
        location: f.range.location.map(slug_of),
        shortened,
        volume: f
            .volume
            .iter()
            .map(|(day, count)| DayCount {
                day: *day,
                count: *count,
            })
            .collect(),
        faces: f.faces,
        channels: f
            .channels
            .iter()
            .map(|(name, count)| NamedCount {
                name: Some(name.clone()),
                count: *count,
            })
            .collect(),
        topics: f
            .categories
            .iter()
            .map(|(id, count)| NamedCount {
                name: topics.iter().find(|t| t.id == *id).map(|t| t.slug.clone()),
                count: *count,
            })
            .collect(),
        first_response: (&f.first_response).into(),
        resolution: (&f.resolution).into(),
        satisfaction: Satisfaction {
            answers: f.answers,
            unhappy_answered: f.unhappy_answered,
            recovered: f.recovered,
        },
        gifts: GiftCounts {
            sent: f.gifts.sent,
            redeemed: f.gifts.redeemed,
            spend_cents: f.gifts.spend_cents,
            budget_cents: f.gifts.budget_cents,
            months: f.gifts.months,
        },
        unhappy_hours: f.hours.iter().map(|day| day.to_vec()).collect(),
        locations: f
            .locations
            .iter()
            .map(|l| LocationRow {
                location: slug_of(l.location_id),
                submissions: l.submissions,
                complaints: l.complaints,
                first_response: (&l.first_response).into(),
                answers: l.answers,
            })
            .collect(),
    }))
}
