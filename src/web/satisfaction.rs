//! The satisfaction answer, customer side. `GET /t/{token}/rate/{face}` (the
//! links in the survey mail) only shows a confirmation with the face
//! preselected, so a mail scanner or link prefetch never votes;
//! `POST /t/{token}/rate` with a signed form token records the answer and
//! thanks the customer. An unknown token or face reads 404.

use super::extract::query_param;
use super::form::{check_token, issue_token, max_age, Form, FormToken};
use super::public::ticket_for_token;
use super::{html, unprocessable};
use crate::domain::satisfaction::{self, is_unhappy, parse_face};
use crate::domain::ticket;
use crate::domain::FieldError;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::views;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// Registers this area's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/{token}/rate/{face}", web::get().to(confirm))
        .route("/t/{token}/rate", web::post().to(answer));
}

fn form_scope(ticket_id: i64) -> String {
    format!("csat:{ticket_id}")
}

/// Renders the confirmation page for `face`.
async fn confirm_page(
    app: &AppState,
    token: &str,
    ticket_id: i64,
    face: i16,
    lang: Option<Lang>,
    errors: &[FieldError],
) -> AppResult<maud::Markup> {
    let detail = app.db.read(move |c| ticket::detail(c, ticket_id)).await?;
    let offered = super::public::customer_offer(&detail);
    let lang = lang
        .filter(|l| offered.contains(l))
        .unwrap_or_else(|| detail.lang());
    let brand = app.cache.brand(&app.db).await?;
    let form_token = issue_token(app, &form_scope(ticket_id));
    let action = format!("/t/{token}/rate");
    let switch = crate::views::layout::Switch {
        prefix: "?lang=",
        offered: &offered,
    };
    Ok(views::satisfaction::confirm(
        &views::satisfaction::Confirm {
            lang,
            reference: &detail.feedback.reference,
            shop: &detail.location.name,
            face,
            action: &action,
            form_token: &form_token,
            switch,
            errors,
            brand: &brand,
        },
    ))
}

/// `GET /t/{token}/rate/{face}`: the confirmation; records nothing.
pub async fn confirm(
    req: HttpRequest,
    app: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (token, face) = path.into_inner();
    let face = parse_face(&face).ok_or_else(AppError::not_found)?;
    let ticket_id = ticket_for_token(&app, &token).await?;
    let lang = query_param(&req, "lang")
        .as_deref()
        .and_then(Lang::from_code);
    let page = confirm_page(&app, &token, ticket_id, face, lang, &[]).await?;
    Ok(html(page))
}

/// The confirmation form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    face: String,
    token: String,
    lang: String,
}

/// `POST /t/{token}/rate`: records the answer and thanks the customer.
pub async fn answer(
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<AnswerForm>,
) -> AppResult<HttpResponse> {
    let ticket_id = ticket_for_token(&app, &token).await?;
    let lang = Lang::from_code(&form.lang);
    // A confirmation page older than its maximum age asks to be confirmed again.
    let expired = match check_token(&app, &form_scope(ticket_id), &form.token, max_age::CUSTOMER) {
        FormToken::Forged => {
            return Err(AppError::forbidden(
                "satisfaction answer without a form token",
            ))
        }
        FormToken::Stale => true,
        FormToken::Fresh { .. } => false,
    };
    let face = parse_face(&form.face);
    let face = match (face, expired) {
        (Some(face), false) => face,
        (face, _) => {
            let key = if face.is_none() {
                "csat-error-face"
            } else {
                "csat-error-expired"
            };
            // The page again with a fresh token, the choice (if any) kept.
            let errors = [FieldError::new("face", key)];
            let face = face.unwrap_or(0);
            let page = confirm_page(&app, &token, ticket_id, face, lang, &errors).await?;
            return Ok(unprocessable(page));
        }
    };
    let (mail, now) = (app.mail.clone(), app.clock.now());
    app.db
        .write(move |c| satisfaction::record_answer(c, ticket_id, face, &mail, now))
        .await?;
    app.wake_senders();
    let lang = match lang {
        Some(lang) => lang,
        None => app
            .db
            .read(move |c| ticket::detail(c, ticket_id))
            .await?
            .lang(),
    };
    let review_links = app.cache.review_links(&app.db).await?;
    let brand = app.cache.brand(&app.db).await?;
    let ticket_href = format!("/t/{}?lang={}", token.as_str(), lang.code());
    Ok(html(views::satisfaction::thanks(
        lang,
        is_unhappy(face),
        &ticket_href,
        &review_links,
        &brand,
    )))
}
