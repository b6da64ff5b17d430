//! The one-time setup link: the owner's account and the first location.

use super::extract::request_lang;
use super::form::{check_token, issue_token, max_age, Form, FormToken};
use super::{html, unprocessable};
use crate::domain::setup::{self, SetupForm};
use crate::domain::user;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::views;
use crate::views::setup::SetupDraft;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// The setup link is live: no owner exists yet and the token is its own.
async fn check_setup_link(app: &AppState, token: &str) -> AppResult<()> {
    let token = token.to_owned();
    if app
        .db
        .read(move |c| setup::token_is_valid(c, &token))
        .await?
    {
        Ok(())
    } else {
        Err(AppError::not_found())
    }
}

/// `GET /setup/{token}`
pub async fn page(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    check_setup_link(&app, &token).await?;
    let lang = request_lang(&req, None);
    let switch = format!("?lang={}", lang.other().code());
    let form_token = issue_token(&app, "setup");
    Ok(html(views::setup::form(
        lang,
        &SetupDraft::default(),
        &[],
        &switch,
        &form_token,
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

/// `POST /setup/{token}`: creates the owner and the first location, once.
pub async fn submit(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<SetupFields>,
) -> AppResult<HttpResponse> {
    check_setup_link(&app, &token).await?;
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
        let switch = format!("?lang={}", lang.other().code());
        unprocessable(views::setup::form(
            lang,
            &draft,
            &[error],
            &switch,
            form_token,
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
    let (token, now) = (token.into_inner(), app.clock.now());
    let outcome = app
        .db
        .write(move |c| setup::complete(c, &token, &setup_form, &hash, now))
        .await?;
    app.cache.clear();
    match outcome {
        None => Err(AppError::not_found()),
        Some(Err(error)) => Ok(reject(error, &form.form_token)),
        Some(Ok(_)) => Ok(html(views::setup::done(lang))),
    }
}
