//! The owner's API page (`/staff/settings/api`): keys listed, added (the key
//! is shown once, in the answer to the POST, never again) and revoked, and
//! the origins allowed to call the API from a browser. Owners only; every
//! POST checks the CSRF token.

use crate::domain::api_key::{self, NewKey, Scope};
use crate::domain::audit::Actor;
use crate::domain::location;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::views::api::ApiPage;
use crate::web::extract::{query_param, CurrentUser, Owner};
use crate::web::form::CsrfForm;
use crate::web::{html, see_other, unprocessable};
use crate::{views, AppState};
use actix_web::{web, HttpRequest, HttpResponse};

/// Registers the page's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff/settings/api", web::get().to(page))
        .route("/staff/settings/api/keys", web::post().to(add))
        .route(
            "/staff/settings/api/keys/{id}/revoke",
            web::post().to(revoke),
        )
        .route("/staff/settings/api/cors", web::post().to(save_cors));
}

/// What differs between the page's answers.
#[derive(Default)]
struct Shown<'a> {
    draft: NewKey,
    errors: Vec<FieldError>,
    made: Option<(&'a str, &'a str)>,
    origins: Option<String>,
    origin_errors: Vec<FieldError>,
    origins_saved: bool,
}

async fn render(app: &AppState, user: &CurrentUser, shown: Shown<'_>) -> AppResult<maud::Markup> {
    let (keys, locations, origins) = app
        .db
        .read(|c| {
            Ok((
                api_key::list(c)?,
                location::list(c)?,
                api_key::cors_origins(c)?,
            ))
        })
        .await?;
    Ok(views::api::page(
        user.lang,
        user.nav(),
        &ApiPage {
            keys: &keys,
            locations: &locations,
            draft: &shown.draft,
            errors: &shown.errors,
            made: shown.made,
            origins: &shown.origins.unwrap_or_else(|| origins.join("\n")),
            origin_errors: &shown.origin_errors,
            origins_saved: shown.origins_saved,
            zone: user.zone,
        },
    ))
}

/// `GET /staff/settings/api`
pub async fn page(
    req: HttpRequest,
    app: web::Data<AppState>,
    Owner(user): Owner,
) -> AppResult<HttpResponse> {
    let shown = Shown {
        origins_saved: query_param(&req, "saved").is_some(),
        ..Shown::default()
    };
    Ok(html(render(&app, &user, shown).await?))
}

/// `POST /staff/settings/api/keys`: `name`, `scope` (repeated), `location`
/// (repeated slugs). Answers the page with the new key, shown this once.
pub async fn add(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let mut new = NewKey::default();
    for (name, value) in form.into_inner() {
        match name.as_str() {
            "name" => new.name = value,
            "scope" => new
                .scopes
                .push(Scope::parse(&value).ok_or_else(|| AppError::bad_request("unknown scope"))?),
            "location" => new.locations.push(value),
            _ => {}
        }
    }
    let (stored, actor, now) = (
        new.clone(),
        Actor::from(&user.session.user),
        app.clock.now(),
    );
    let made = app
        .db
        .write(move |c| api_key::create(c, &stored, actor, now))
        .await?;
    match made {
        Ok(made) => {
            let name = new.name.trim().to_owned();
            let shown = Shown {
                made: Some((&name, &made.key)),
                ..Shown::default()
            };
            Ok(html(render(&app, &user, shown).await?))
        }
        Err(errors) => Ok(unprocessable(
            render(
                &app,
                &user,
                Shown {
                    draft: new,
                    errors,
                    ..Shown::default()
                },
            )
            .await?,
        )),
    }
}

/// `POST /staff/settings/api/keys/{id}/revoke`: the key stops working on its next request.
pub async fn revoke(
    app: web::Data<AppState>,
    Owner(user): Owner,
    id: web::Path<i64>,
    _form: CsrfForm,
) -> AppResult<HttpResponse> {
    let (id, actor, now) = (*id, Actor::from(&user.session.user), app.clock.now());
    let revoked = app
        .db
        .write(move |c| api_key::revoke(c, id, actor, now))
        .await?;
    if !revoked {
        return Err(AppError::not_found());
    }
    Ok(see_other("/staff/settings/api"))
}

/// The origins form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CorsForm {
    origins: String,
}

/// `POST /staff/settings/api/cors`
pub async fn save_cors(
    app: web::Data<AppState>,
    Owner(user): Owner,
    form: CsrfForm<CorsForm>,
) -> AppResult<HttpResponse> {
    let text = form.origins.clone();
    let (actor, now) = (Actor::from(&user.session.user), app.clock.now());
    let saved = app
        .db
        .write(move |c| api_key::set_cors_origins(c, &text, actor, now))
        .await?;
    match saved {
        Ok(_) => Ok(see_other("/staff/settings/api?saved=1")),
        Err(error) => Ok(unprocessable(
            render(
                &app,
                &user,
                Shown {
                    origins: Some(form.origins.clone()),
                    origin_errors: vec![error],
                    ..Shown::default()
                },
            )
            .await?,
        )),
    }
}
