//! QR codes and printable posters, for owners only (anyone else gets 404):
//! the index of every location's downloads, the code as SVG or PNG for a
//! location and optional spot, and the A4/A5 poster page. A spot that is not
//! 1–64 letters, digits, `-` or `_` is a 400. The index and the poster warn
//! when customers cannot reach `TELLUS_BASE_URL` (a poster printed anyway
//! says so in its small print); the first download is the checklist's step.

use super::extract::{query_param, Owner};
use super::html;
use crate::db::DbConnection;
use crate::domain::checklist;
use crate::domain::location::{self, Location};
use crate::domain::qr;
use crate::error::{AppError, AppResult};
use crate::views::posters::{self as view, PaperSize, Poster};
use crate::AppState;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;

/// Pixels per module in the PNG: 656 px for a typical 33-module code.
const PNG_SCALE: usize = 16;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/posters", web::get().to(index))
        .route("/staff/locations/{slug}/qr.svg", web::get().to(qr_svg))
        .route("/staff/locations/{slug}/qr.png", web::get().to(qr_png))
        .route("/staff/locations/{slug}/poster", web::get().to(poster));
}

/// The `spot` query parameter: none, a valid name, or a 400.
fn spot(req: &HttpRequest) -> AppResult<Option<String>> {
    qr::parse_spot(query_param(req, "spot").as_deref())
        .map_err(|_| AppError::bad_request("invalid spot name"))
}

/// The location named in the path, or a 404.
async fn find_location(app: &AppState, slug: String) -> AppResult<Location> {
    app.db
        .read(move |c| location::find_by_slug(c, &slug))
        .await?
        .ok_or_else(AppError::not_found)
}

/// The business name and logo columns of profile row 1.
#[derive(Queryable)]
struct Business {
    name: String,
    logo_type: Option<String>,
    logo_base64: Option<String>,
}

/// Profile row 1, if saved.
fn business_row(conn: &mut DbConnection) -> AppResult<Option<Business>> {
    use crate::db::schema::business_profile as bp;
    Ok(bp::table
        .filter(bp::id.eq(1))
        .select((bp::name, bp::logo_type, bp::logo_base64))
        .first(conn)
        .optional()?)
}

/// `GET /staff/posters?spot=`: every location with its downloads and posters.
pub async fn index(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let (spot, invalid) = match spot(&req) {
        Ok(spot) => (spot, false),
        Err(_) => (None, true),
    };
    let locations = app.db.read(location::list).await?;
    let warning = crate::views::first_run::address_warning(
        user.lang,
        app.config.public_address_problem(),
        &app.config.base_url,
    );
    let page = view::index(
        user.lang,
        user.nav(),
        &locations,
        spot.as_deref(),
        invalid,
        warning,
    );
    let mut response = html(page);
    if invalid {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

/// A QR image download with its file name.
fn download(content_type: &str, file_name: &str, body: impl Into<Vec<u8>>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(body.into())
}

/// `GET /staff/locations/{slug}/qr.svg?spot=`
pub async fn qr_svg(
    req: HttpRequest,
    app: web::Data<AppState>,
    _owner: Owner,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (url, name) = qr_target(&req, &app, path.into_inner(), "svg").await?;
    Ok(download("image/svg+xml", &name, qr::svg(&url)?))
}

/// `GET /staff/locations/{slug}/qr.png?spot=`
pub async fn qr_png(
    req: HttpRequest,
    app: web::Data<AppState>,
    _owner: Owner,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (url, name) = qr_target(&req, &app, path.into_inner(), "png").await?;
    Ok(download("image/png", &name, qr::png(&url, PNG_SCALE)?))
}

/// Notes that a poster or QR code left Tellus (the checklist's step).
async fn note_download(app: &AppState) -> AppResult<()> {
    let now = app.clock.now();
    app.db
        .write(move |c| checklist::poster_downloaded_now(c, now))
        .await
}

/// Where a location's QR code points (with the `?spot=` it was asked for)
/// and the file name it downloads as; the download is noted.
async fn qr_target(
    req: &HttpRequest,
    app: &AppState,
    slug: String,
    extension: &str,
) -> AppResult<(String, String)> {
    let spot = spot(req)?;
    let location = find_location(app, slug).await?;
    let url = qr::target_url(&app.config.base_url, &location.slug, spot.as_deref());
    let name = qr::file_name(&location.slug, spot.as_deref(), extension);
    note_download(app).await?;
    Ok((url, name))
}

/// `GET /staff/locations/{slug}/poster?size=a4|a5&spot=`: the printable poster.
pub async fn poster(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let spot = spot(&req)?;
    let size = match query_param(&req, "size") {
        None => PaperSize::A4,
        Some(code) => PaperSize::from_code(&code)
            .ok_or_else(|| AppError::bad_request("unknown paper size"))?,
    };
    let location = find_location(&app, path.into_inner()).await?;
    let business = app.db.read(business_row).await?;
    let (name, logo) = match &business {
        Some(b) => (
            Some(b.name.trim()).filter(|n| !n.is_empty()),
            view::logo_data_url(b.logo_type.as_deref(), b.logo_base64.as_deref()),
        ),
        None => (None, None),
    };
    note_download(&app).await?;
    let spot = spot.as_deref();
    let problem = app.config.public_address_problem();
    let page = view::poster(
        user.lang,
        &Poster {
            size,
            business_name: name.unwrap_or(&location.name),
            logo: logo.as_deref(),
            location: &location,
            spot,
            qr_src: &view::qr_path(&location.slug, "svg", spot),
            short_url: &qr::short_url(&app.config.base_url, &location.slug, spot),
            address_problem: problem,
        },
        crate::views::first_run::address_warning(user.lang, problem, &app.config.base_url),
    );
    Ok(html(page))
}
