//! `GET /api/v1/locations`: the locations the key may see.

use super::auth::Caller;
use super::problem::Problem;
use super::utc;
use crate::domain::api_key::Scope;
use crate::domain::location;
use crate::AppState;
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

/// The routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

/// A location.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiLocation {
    /// Its short name, as in the form's address `/f/{slug}`.
    pub slug: String,
    /// The name customers see.
    pub name: String,
    /// Whether it takes feedback.
    pub active: bool,
    /// IANA time zone.
    pub time_zone: String,
    /// The language customers see first.
    pub default_language: String,
    /// Every language offered to customers, the default first.
    pub languages: Vec<String>,
    /// Street address.
    pub address: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
}

/// The locations.
#[derive(Debug, Serialize, ToSchema)]
pub struct LocationList {
    /// By name.
    pub items: Vec<ApiLocation>,
}

/// The locations this key may see (all, unless it is limited to some).
#[utoipa::path(
    tag = "locations",
    description = "Scope `locations:read`.",
    responses((status = 200, description = "The locations", body = LocationList))
)]
#[get("/locations")]
pub async fn list(
    app: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<LocationList>, Problem> {
    let key = caller.require(Scope::LocationsRead)?.clone();
    let all = app.db.read(location::list).await?;
    Ok(web::Json(LocationList {
        items: all
            .into_iter()
            .filter(|l| key.sees(l.id))
            .map(|l| ApiLocation {
                languages: l.offered().iter().map(|x| x.code().to_owned()).collect(),
                slug: l.slug,
                name: l.name,
                active: l.active,
                time_zone: l.time_zone,
                default_language: l.default_language,
                address: l.address,
                created_at: utc(l.created_at),
            })
            .collect(),
    }))
}
