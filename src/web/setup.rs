//! The one-time setup link: the owner's account and the first location;
//! then the owner is logged in and lands on the checklist. A used or
//! unknown link gets a page that says so and leads to the login.

use super::extract::request_lang;
use super::form::{check_token, issue_token, max_age, Form, FormToken};
use super::{html, html_status, unprocessable};
use crate::domain::setup::{self, LinkState, SetupForm};
use crate::domain::FieldError;
use crate::domain::{session, user};
use crate::error::{AppError, AppResult};
use crate::views;
use crate::views::setup::SetupDraft;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// The setup link is live (no owner exists yet and the token is its own),
/// or the page that says why not: 410 once it was used (an owner exists),
/// 404 for a link that never was.
async fn check_setup_link(
    app: &AppState,
    req: &HttpRequest,
    token: &str,
) -> AppResult<Result<(), HttpResponse>> {
    let token = token.to_owned();
    let state = app.db.read(move |c| setup::link_state(c, &token)).await?;
    let lang = request_lang(req, None);
    Ok(match state {
        LinkState::Valid => Ok(()),
        LinkState::Used => Err(html_status(
            StatusCode::GONE,
            views::setup::link_problem(lang, true),
        )),
        LinkState::Unknown => Err(html_status(
            StatusCode::NOT_FOUND,
            views::setup::link_problem(lang, false),
        )),
    })
}

/// The warning about the public address, for the setup page.
fn address_warning(app: &AppState, lang: crate::i18n::Lang) -> maud::Markup {
    views::first_run::address_warning(
        lang,
        app.config.public_address_problem(),
        &app.config.base_url,
    )
}

/// `GET /setup/{token}`
pub async fn page(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    if let Err(page) = check_setup_link(&app, &req, &token).await? {
        return Ok(page);
    }
    let lang = request_lang(&req, None);
    let switch = crate::views::layout::Switch {
        prefix: "?lang=",
        offered: &crate::i18n::Lang::ALL,
    };
    let form_token = issue_token(&app, "setup");
    Ok(html(views::setup::form(
        lang,
        &SetupDraft::default(),
        &[],
        switch,
        &form_token,
        address_warning(&app, lang),
    )))
}

/// The setup form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupFields {
    name: String,
    email: String,
    password: String,
    location_name: String,
    slug: String,
    lang: String,
    form_token: String,
}

/// `POST /setup/{token}`: creates the owner and the first location, once,
/// and logs the owner in (a session as the login makes) on the checklist.
pub async fn submit(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<SetupFields>,
) -> AppResult<HttpResponse> {
    if let Err(page) = check_setup_link(&app, &req, &token).await? {
        return Ok(page);
    }
    let token_check = check_token(&app, "setup", &form.form_token, max_age::SETUP);
    if token_check == FormToken::Forged {
        return Err(AppError::forbidden("setup without its form token"));
    }
    let lang = request_lang(&req, Some(&form.lang));
    let draft = SetupDraft {
        name: form.name.clone(),
        email: form.email.clone(),
        location_name: form.location_name.clone(),
        slug: form.slug.clone(),
    };
    let reject = |error, form_token: &str| {
        let switch = crate::views::layout::Switch {
            prefix: "?lang=",
            offered: &crate::i18n::Lang::ALL,
        };
        unprocessable(views::setup::form(
            lang,
            &draft,
            &[error],
            switch,
            form_token,
            address_warning(&app, lang),
        ))
    };
    if token_check == FormToken::Stale {
        // A page left open too long: shown again with what was typed and a
        // fresh token.
        let error = FieldError::new("password", "error-form-expired");
        return Ok(reject(error, &issue_token(&app, "setup")));
    }
    if let Err(error) = user::check_new(&form.email, &form.name, &form.password) {
        return Ok(reject(error, &form.form_token));
    }
    let hash = app.passwords.hash(form.password.clone()).await?;
    let setup_form = SetupForm {
        name: form.name.clone(),
        email: form.email.clone(),
        location_name: form.location_name.clone(),
        slug: form.slug.clone(),
    };
    let (token, now, hours) = (
        token.into_inner(),
        app.clock.now(),
        app.config.session_hours,
    );
    let outcome = app
        .db
        .write(move |c| {
            Ok(match setup::complete(c, &token, &setup_form, &hash, now)? {
                Some(Ok((owner, _))) => {
                    // The same session a login makes (and audits), in the
                    // same transaction as the account it belongs to.
                    let (session, _) = session::start_login(c, owner.id, now, hours)?;
                    Some(Ok(session))
                }
                Some(Err(error)) => Some(Err(error)),
                None => None,
            })
        })
        .await?;
    app.cache.clear();
    match outcome {
        // Used by another tab a moment ago.
        None => Ok(html_status(
            StatusCode::GONE,
            views::setup::link_problem(lang, true),
        )),
        Some(Err(error)) => Ok(reject(error, &form.form_token)),
        Some(Ok(session)) => super::login::with_cookie(&app, session, "/staff/start"),
    }
}
