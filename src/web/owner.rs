//! Owner settings: locations, categories and the business profile, plus the
//! public `GET /logo`. Owners only (anyone else gets 404); every POST checks
//! the session's CSRF token, answers 303 on success and 422 with the form
//! as typed on a mistake. Changes customers see clear the public cache.

use super::extract::{CurrentUser, Owner};
use super::form::{ActiveForm, CsrfForm};
use super::{html, see_other, unprocessable};
use crate::domain::category::{self, CategoryInput};
use crate::domain::location::{self, LocationInput};
use crate::domain::profile::{self, LogoChange, MAX_LOGO_BYTES};
use crate::domain::FieldError;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::i18n::Written;
use crate::views;
use crate::views::owner::CategoryDraft;
use crate::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;

/// Largest profile form body read: a logo at the limit plus room for the
/// other fields, so a logo somewhat over the limit still gets a clear field
/// error rather than a bare 413.
const MAX_PROFILE_BODY: usize = 2 * MAX_LOGO_BYTES;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/locations", web::get().to(locations))
        .route("/staff/locations", web::post().to(add_location))
        .route("/staff/locations/{id}/edit", web::get().to(edit_location))
        .route("/staff/locations/{id}", web::post().to(update_location))
        .route(
            "/staff/locations/{id}/active",
            web::post().to(set_location_active),
        )
        .route("/staff/categories", web::get().to(categories))
        .route("/staff/categories", web::post().to(add_category))
        .route("/staff/categories/{id}", web::post().to(update_category))
        .route("/staff/profile", web::get().to(profile_page))
        .route("/staff/profile", web::post().to(save_profile))
        .route("/logo", web::get().to(logo));
}

/// The location form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LocationForm {
    name: String,
    slug: String,
    address: String,
    time_zone: String,
    default_language: String,
    lang_nl: String,
    lang_en: String,
    lang_fr: String,
    lang_de: String,
    hours_mon: String,
    hours_tue: String,
    hours_wed: String,
    hours_thu: String,
    hours_fri: String,
    hours_sat: String,
    hours_sun: String,
    first_response: String,
    resolution: String,
}

impl LocationForm {
    fn input(&self) -> LocationInput {
        LocationInput {
            name: self.name.clone(),
            slug: self.slug.clone(),
            address: self.address.clone(),
            time_zone: self.time_zone.clone(),
            default_language: self.default_language.clone(),
            languages: [
                ("nl", &self.lang_nl),
                ("en", &self.lang_en),
                ("fr", &self.lang_fr),
                ("de", &self.lang_de),
            ]
            .into_iter()
            .filter(|(_, ticked)| !ticked.is_empty())
            .map(|(code, _)| code.to_owned())
            .collect(),
            hours: [
                self.hours_mon.clone(),
                self.hours_tue.clone(),
                self.hours_wed.clone(),
                self.hours_thu.clone(),
                self.hours_fri.clone(),
                self.hours_sat.clone(),
                self.hours_sun.clone(),
            ],
            first_response: self.first_response.clone(),
            resolution: self.resolution.clone(),
        }
    }
}

/// An empty add form with sensible defaults.
fn new_location_input() -> LocationInput {
    LocationInput {
        time_zone: "Europe/Amsterdam".into(),
        default_language: "nl".into(),
        languages: vec!["nl".into(), "en".into()],
        first_response: crate::domain::sla::format_target(crate::domain::sla::DEFAULT_TARGETS.0),
        resolution: crate::domain::sla::format_target(crate::domain::sla::DEFAULT_TARGETS.1),
        ..LocationInput::default()
    }
}

async fn locations_page(
    app: &AppState,
    user: &CurrentUser,
    input: &LocationInput,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let all = app.db.read(location::list).await?;
    Ok(views::owner::locations(
        user.lang,
        user.nav(),
        &all,
        input,
        errors,
    ))
}

/// `GET /staff/locations`
pub async fn locations(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let page = locations_page(&app, &user, &new_location_input(), &[]).await?;
    Ok(html(page))
}

/// `POST /staff/locations`
pub async fn add_location(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<LocationForm>,
) -> AppResult<HttpResponse> {
    let (input, now) = (form.input(), app.clock.now());
    let stored = input.clone();
    let outcome = app
        .db
        .write(move |c| location::add(c, &stored, now))
        .await?;
    match outcome {
        Ok(id) => {
            app.cache.clear();
            Ok(see_other(&format!("/staff/locations/{id}/edit")))
        }
        Err(errors) => {
            let page = locations_page(&app, &user, &input, &errors).await?;
            Ok(unprocessable(page))
        }
    }
}

async fn find_location(app: &AppState, id: i64) -> AppResult<location::Location> {
    app.db
        .read(move |c| location::find(c, id))
        .await?
        .ok_or_else(AppError::not_found)
}

/// `GET /staff/locations/{id}/edit`
pub async fn edit_location(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let found = find_location(&app, *id).await?;
    let input = LocationInput::from_location(&found);
    Ok(html(views::owner::location_edit(
        user.lang,
        user.nav(),
        &found,
        &input,
        &[],
    )))
}

/// `POST /staff/locations/{id}`
pub async fn update_location(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<LocationForm>,
) -> AppResult<HttpResponse> {
    let (id, input) = (*id, form.input());
    let stored = input.clone();
    let outcome = app
        .db
        .write(move |c| location::update(c, id, &stored))
        .await?;
    match outcome {
        Ok(true) => {
            app.cache.clear();
            Ok(see_other(&format!("/staff/locations/{id}/edit")))
        }
        Ok(false) => Err(AppError::not_found()),
        Err(errors) => {
            let found = find_location(&app, id).await?;
            let page = views::owner::location_edit(user.lang, user.nav(), &found, &input, &errors);
            Ok(unprocessable(page))
        }
    }
}

/// `POST /staff/locations/{id}/active`: `active=true` opens the location's
/// form to customers, `active=false` closes it (its `/f/{slug}` is then 404).
pub async fn set_location_active(
    app: web::Data<AppState>,
    _: Owner,
    id: web::Path<i64>,
    form: CsrfForm<ActiveForm>,
) -> AppResult<HttpResponse> {
    let active = form.active()?;
    let id = *id;
    let found = app
        .db
        .write(move |c| location::set_active(c, id, active))
        .await?;
    if !found {
        return Err(AppError::not_found());
    }
    app.cache.clear();
    Ok(see_other("/staff/locations"))
}

/// The category form (add and edit).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    name_nl: String,
    name_en: String,
    name_fr: String,
    name_de: String,
    position: String,
    /// A checkbox: present (`on`) when ticked.
    active: String,
}

impl CategoryForm {
    fn input(&self) -> CategoryInput {
        CategoryInput {
            names: Written([
                self.name_nl.clone(),
                self.name_en.clone(),
                self.name_fr.clone(),
                self.name_de.clone(),
            ]),
            position: self.position.clone(),
            active: !self.active.is_empty(),
        }
    }
}

async fn categories_page(
    app: &AppState,
    user: &CurrentUser,
    draft: CategoryDraft<'_>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let (all, offered) = app
        .db
        .read(|c| Ok((category::list_all(c)?, location::offered_anywhere(c)?)))
        .await?;
    Ok(views::owner::categories(
        user.lang,
        user.nav(),
        &all,
        &offered,
        draft,
        errors,
    ))
}

/// `GET /staff/categories`
pub async fn categories(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    Ok(html(
        categories_page(&app, &user, CategoryDraft::None, &[]).await?,
    ))
}

/// `POST /staff/categories`: adds an active category.
pub async fn add_category(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    let input = form.input();
    let stored = input.clone();
    let outcome = app.db.write(move |c| category::add(c, &stored)).await?;
    let added = outcome.map(|()| true);
    after_category_change(&app, &user, added, CategoryDraft::New(&input)).await
}

/// `POST /staff/categories/{id}`: names, position and whether it is offered.
pub async fn update_category(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    form: CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    let (id, input) = (*id, form.input());
    let stored = input.clone();
    let outcome = app
        .db
        .write(move |c| category::update(c, id, &stored))
        .await?;
    after_category_change(&app, &user, outcome, CategoryDraft::Existing(id, &input)).await
}

/// A category change's answer: the public forms' cache cleared and back to
/// the list, or the list again with the errors and what was typed.
async fn after_category_change(
    app: &AppState,
    user: &CurrentUser,
    outcome: Result<bool, Vec<FieldError>>,
    draft: CategoryDraft<'_>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(true) => {
            app.cache.clear();
            Ok(see_other("/staff/categories"))
        }
        Ok(false) => Err(AppError::not_found()),
        Err(errors) => {
            let page = categories_page(app, user, draft, &errors).await?;
            Ok(unprocessable(page))
        }
    }
}

/// `GET /staff/profile`
pub async fn profile_page(app: web::Data<AppState>, Owner(user): Owner) -> AppResult<HttpResponse> {
    let current = app.db.read(profile::get).await?;
    Ok(html(views::owner::profile(
        user.lang,
        user.nav(),
        &current,
        &current.name,
        &current.accent_colour,
        &[],
    )))
}

/// Reads a request body of at most `limit` bytes (413 beyond).
async fn read_body(mut payload: web::Payload, limit: usize) -> AppResult<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request(format!("body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::because(
                ErrorKind::PayloadTooLarge,
                format!("profile form over {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /staff/profile` (multipart): name, accent colour, optional logo
/// file, optional `remove_logo`. The logo's type is decided by its content.
pub async fn save_profile(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let boundary = multipart::boundary(&content_type)
        .ok_or_else(|| AppError::bad_request("profile form is not multipart"))?;
    let body = read_body(payload, MAX_PROFILE_BODY).await?;
    let parts = multipart::parse(&body, &boundary)
        .ok_or_else(|| AppError::bad_request("malformed multipart body"))?;
    let text = |name: &str| -> AppResult<String> {
        match parts
            .iter()
            .find(|p| p.name == name && p.filename.is_none())
        {
            Some(p) if p.data.iter().any(|&b| super::form::is_forbidden_control(b)) => Err(
                AppError::bad_request(format!("{name} holds control characters")),
            ),
            Some(p) => String::from_utf8(p.data.to_vec())
                .map_err(|_| AppError::bad_request(format!("{name} is not UTF-8"))),
            None => Ok(String::new()),
        }
    };
    super::form::check_csrf(&user.session, &text("csrf")?)?;
    let (name, accent) = (text("name")?, text("accent_colour")?);
    let upload = parts
        .iter()
        .find(|p| p.name == "logo" && p.filename.is_some())
        .map(|p| p.data)
        .filter(|d| !d.is_empty());
    let change = match upload {
        Some(data) => LogoChange::Upload(data.to_vec()),
        None if !text("remove_logo")?.is_empty() => LogoChange::Remove,
        None => LogoChange::Keep,
    };
    let now = app.clock.now();
    let (n, a) = (name.clone(), accent.clone());
    let outcome = app
        .db
        .write(move |c| profile::save(c, &n, &a, &change, now))
        .await?;
    match outcome {
        Ok(()) => {
            app.cache.clear();
            Ok(see_other("/staff/profile"))
        }
        Err(errors) => {
            let current = app.db.read(profile::get).await?;
            let page =
                views::owner::profile(user.lang, user.nav(), &current, &name, &accent, &errors);
            Ok(unprocessable(page))
        }
    }
}

/// `GET /logo` (public): the business logo with its stored type; 404 when none.
pub async fn logo(app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let current = app.db.read(profile::get).await?;
    let (mime, bytes) = current.logo.ok_or_else(AppError::not_found)?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}

/// A small `multipart/form-data` reader for the profile form: the whole body
/// is in memory (size-limited before), parts are split on the boundary.
mod multipart {
    /// One part of a multipart body.
    pub struct Part<'a> {
        /// The form field's name.
        pub name: String,
        /// The file name, for file fields (never trusted, only noted).
        pub filename: Option<String>,
        /// The raw content.
        pub data: &'a [u8],
    }

    /// The boundary of a `multipart/form-data` content type.
    pub fn boundary(content_type: &str) -> Option<String> {
        let mut params = content_type.split(';');
        let kind = params.next()?.trim();
        if !kind.eq_ignore_ascii_case("multipart/form-data") {
            return None;
        }
        params.find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("boundary") {
                return None;
            }
            let v = v.trim().trim_matches('"');
            (!v.is_empty() && v.len() <= 70).then(|| v.to_owned())
        })
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    /// A parameter (`name="..."`) of a `Content-Disposition` header.
    fn param(header: &str, key: &str) -> Option<String> {
        header.split(';').skip(1).find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(key)
                .then(|| v.trim().trim_matches('"').to_owned())
        })
    }

    /// The parts of `body`; `None` when it is not well-formed.
    pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
        let delimiter = format!("--{boundary}");
        let separator = format!("\r\n--{boundary}");
        let start = find(body, delimiter.as_bytes())?;
        let mut rest = &body[start + delimiter.len()..];
        let mut parts = Vec::new();
        loop {
            if rest.starts_with(b"--") {
                return Some(parts);
            }
            rest = rest.strip_prefix(b"\r\n")?;
            let head_end = find(rest, b"\r\n\r\n")?;
            let head = std::str::from_utf8(&rest[..head_end]).ok()?;
            rest = &rest[head_end + 4..];
            let end = find(rest, separator.as_bytes())?;
            let data = &rest[..end];
            rest = &rest[end + separator.len()..];
            let disposition = head.split("\r\n").find(|line| {
                line.split_once(':')
                    .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
            })?;
            parts.push(Part {
                name: param(disposition, "name")?,
                filename: param(disposition, "filename"),
                data,
            });
            if parts.len() > 20 {
                return None;
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_fields_and_files() {
            assert_eq!(
                boundary("multipart/form-data; boundary=\"XYZ\"").as_deref(),
                Some("XYZ")
            );
            assert_eq!(boundary("application/x-www-form-urlencoded"), None);
            let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nDe Zon\r\n\
                --XYZ\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"x.png\"\r\n\
                Content-Type: image/png\r\n\r\n\x89PNG\r\n--X\r\n--XYZ--\r\n";
            let parts = parse(body, "XYZ").unwrap();
            assert_eq!(parts.len(), 2);
            assert_eq!(parts[0].name, "name");
            assert_eq!(parts[0].data, b"De Zon");
            assert_eq!(parts[1].filename.as_deref(), Some("x.png"));
            assert_eq!(parts[1].data, b"\x89PNG\r\n--X");
            assert!(parse(b"--XYZ\r\nno headers", "XYZ").is_none());
        }
    }
}
