//! Customer-facing handlers: the landing page, the feedback form and its
//! submission, and the private ticket page. Thin: parse, ask the domain, render.

use super::extract::{client_ip, query_param, request_lang, request_lang_among};
use super::form::{check_token, issue_token, max_age, Form, FormToken};
use super::{html, html_status, unprocessable};
use crate::domain::consent::Surface;
use crate::domain::feedback::{self, clean_tag, Channel, Draft, Origin};
use crate::domain::location::Location;
use crate::domain::{location, ticket};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::i18n::Lang;
use crate::views;
use crate::views::layout::Switch;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

/// `GET /`
pub async fn landing(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let locations = app.db.read(location::list).await?;
    let active: Vec<_> = locations.into_iter().filter(|l| l.active).collect();
    let switch = Switch {
        prefix: "/?lang=",
        offered: &Lang::ALL,
    };
    Ok(html(views::public::landing(lang, &active, switch)))
}

/// The form's address up to its language code, keeping the spot and source.
fn switch_prefix(path: &str, spot: Option<&str>, src: Option<&str>) -> String {
    let mut query = Vec::new();
    if let Some(spot) = spot {
        query.push(("spot", spot));
    }
    if let Some(src) = src {
        query.push(("src", src));
    }
    let mut prefix = format!("{path}?");
    if !query.is_empty() {
        prefix.push_str(&serde_urlencoded::to_string(query).unwrap_or_default());
        prefix.push('&');
    }
    prefix.push_str("lang=");
    prefix
}

/// `GET /f/{slug}`: the form, with a fresh time token and idempotency key.
pub async fn form(
    req: HttpRequest,
    app: web::Data<AppState>,
    slug: web::Path<String>,
) -> AppResult<HttpResponse> {
    let location = app
        .cache
        .location(&app.db, &slug)
        .await?
        .ok_or_else(AppError::not_found)?;
    let categories = app.cache.categories(&app.db).await?;
    let brand = app.cache.brand(&app.db).await?;
    let offered = location.offered();
    let lang = request_lang_among(&req, None, &offered);
    let spot = query_param(&req, "spot").as_deref().and_then(clean_tag);
    let src = query_param(&req, "src").as_deref().and_then(clean_tag);
    let token = issue_token(&app, &location.slug);
    let key = crate::tokens::random_token();
    let prefix = switch_prefix(
        &format!("/f/{}", location.slug),
        spot.as_deref(),
        src.as_deref(),
    );
    let switch = Switch {
        prefix: &prefix,
        offered: &offered,
    };
    Ok(html(views::public::form(&views::public::FormView {
        lang,
        location: &location,
        categories: &categories,
        draft: &Draft::default(),
        errors: &[],
        token: &token,
        key: &key[..32],
        spot: spot.as_deref(),
        src: src.as_deref(),
        switch,
        brand: &brand,
    })))
}

/// The public form's fields, all optional so nothing typed is ever refused unread.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FeedbackForm {
    face: String,
    category: String,
    message: String,
    name: String,
    email: String,
    consent: Option<String>,
    lang: String,
    token: String,
    key: String,
    spot: String,
    src: String,
    /// Honeypot: people never see it, bots fill it in.
    website: String,
}

/// Why a submission looks automated, if it does.
fn spam_verdict(
    app: &AppState,
    form: &FeedbackForm,
    scope: &str,
    ip: &str,
) -> Option<&'static str> {
    // Both limits count every post, so a flood from one place cannot hide in the other.
    let over_ip = !app.limits.public_per_ip.hit(ip);
    let over_location = !app.limits.public_per_location.hit(scope);
    let over_rate = over_ip || over_location;
    if !form.website.trim().is_empty() {
        return Some("honeypot");
    }
    // A form older than its maximum age still counts, but is held for review.
    let age = match check_token(app, scope, &form.token, max_age::CUSTOMER) {
        FormToken::Forged => return Some("no-valid-token"),
        FormToken::Stale => return Some("stale-token"),
        FormToken::Fresh { age_secs } => age_secs,
    };
    if age < i64::from(app.config.form_min_seconds) {
        return Some("too-fast");
    }
    over_rate.then_some("rate-limit")
}

/// `POST /f/{slug}`: validate, store (one transaction, group-committed), thank.
pub async fn submit(
    req: HttpRequest,
    app: web::Data<AppState>,
    slug: web::Path<String>,
    form: Form<FeedbackForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let location = app
        .cache
        .location(&app.db, &slug)
        .await?
        .ok_or_else(AppError::not_found)?;
    let categories = app.cache.categories(&app.db).await?;
    let brand = app.cache.brand(&app.db).await?;
    let offered = location.offered();
    let lang = request_lang_among(&req, Some(&form.lang), &offered);
    let spot = clean_tag(&form.spot);
    let src = clean_tag(&form.src);
    let draft = Draft {
        face: form.face.clone(),
        category: form.category.clone(),
        message: form.message.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        consent: form.consent.is_some(),
    };
    let valid = match feedback::validate(&draft, &categories) {
        Ok(valid) => valid,
        Err(errors) => {
            // Everything typed comes back, with the same token and key.
            let key = clean_tag(&form.key)
                .unwrap_or_else(|| crate::tokens::random_token()[..32].to_owned());
            let prefix = switch_prefix(
                &format!("/f/{}", location.slug),
                spot.as_deref(),
                src.as_deref(),
            );
            let switch = Switch {
                prefix: &prefix,
                offered: &offered,
            };
            let page = views::public::form(&views::public::FormView {
                lang,
                location: &location,
                categories: &categories,
                draft: &draft,
                errors: &errors,
                token: &form.token,
                key: &key,
                spot: spot.as_deref(),
                src: src.as_deref(),
                switch,
                brand: &brand,
            });
            return Ok(unprocessable(page));
        }
    };
    let origin = Origin {
        lang,
        channel: if src.as_deref() == Some("qr") {
            Channel::Qr
        } else {
            Channel::Web
        },
        spot,
        idempotency_key: clean_tag(&form.key),
        quarantine: spam_verdict(&app, &form, &location.slug, &client_ip(&req)),
        device_id: None,
        consent_wording_id: app.consent.id(Surface::Form, lang),
    };
    let receipt = store(&app, &location, &valid, &origin).await?;
    app.wake_senders();
    let review_links = app.cache.review_links(&app.db).await?;
    let again = format!("/f/{}?lang={}", location.slug, lang.code());
    let ticket_href = receipt
        .ticket_token
        .as_ref()
        .map(|t| format!("/t/{t}?lang={}", lang.code()));
    Ok(html(views::public::thanks(
        lang,
        &location,
        &receipt,
        &review_links,
        &again,
        ticket_href.as_deref(),
        &brand,
    )))
}

/// `GET /tell-others`: where customers can review the shop (the page the
/// kiosk's QR code opens on the customer's own phone).
pub async fn tell_others(req: HttpRequest, app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, None);
    let links = app.cache.review_links(&app.db).await?;
    let brand = app.cache.brand(&app.db).await?;
    Ok(html(views::public::tell_others(lang, &links, &brand)))
}

/// `GET /brand.css`: the business's accent colour as a stylesheet (user data
/// never goes into inline style; this is a checked `#rrggbb`).
pub async fn brand_css(app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let brand = app.cache.brand(&app.db).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "public, max-age=60"))
        .body(brand.stylesheet()))
}

/// `GET /tell-others.svg`: a QR code to `/tell-others`, for the kiosk's thank-you screen.
pub async fn tell_others_qr(app: web::Data<AppState>) -> AppResult<HttpResponse> {
    let svg = crate::domain::qr::svg(&format!("{}/tell-others", app.config.base_url))?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=300",
        ))
        .body(svg))
}

/// Stores a submission through the group-commit writer, trying again on the
/// rare unique clash (a reference drawn twice, or a concurrent double submit,
/// which the retry then answers with the first one's receipt).
pub(super) async fn store(
    app: &AppState,
    location: &Location,
    valid: &feedback::Valid,
    origin: &Origin,
) -> AppResult<feedback::Receipt> {
    let mut tries = 0;
    loop {
        let prepared = feedback::prepare(location, valid, origin, &app.mail);
        let (loc, valid, origin) = (location.clone(), valid.clone(), origin.clone());
        let (mail, now) = (app.mail.clone(), app.clock.now());
        match app
            .db
            .write(move |c| feedback::submit(c, &loc, &valid, &origin, prepared, &mail, now))
            .await
        {
            Err(e) if e.kind == ErrorKind::Conflict && tries < 3 => tries += 1,
            result => return result,
        }
    }
}

/// The ticket a customer's page token opens; anything else reads 404.
pub(super) async fn ticket_for_token(app: &AppState, token: &str) -> AppResult<i64> {
    // Tokens are base64url of 32 bytes; anything else cannot match.
    if token.len() > 64 || token.is_empty() {
        return Err(AppError::not_found());
    }
    let token = token.to_owned();
    app.db
        .read(move |c| ticket::id_for_token(c, &token))
        .await?
        .ok_or_else(AppError::not_found)
}

async fn render_ticket_page(
    req: &HttpRequest,
    app: &AppState,
    ticket_id: i64,
    lang_field: Option<&str>,
    draft: &str,
    errors: &[crate::domain::FieldError],
    sent: bool,
) -> AppResult<maud::Markup> {
    let detail = app.db.read(move |c| ticket::detail(c, ticket_id)).await?;
    let offered = customer_offer(&detail);
    let among = |code: &str| Lang::from_code(code).filter(|l| offered.contains(l));
    let lang = lang_field
        .and_then(among)
        .or_else(|| query_param(req, "lang").as_deref().and_then(among))
        .unwrap_or_else(|| detail.lang());
    let reply_token = issue_token(app, "ticket-reply");
    let switch = Switch {
        prefix: "?lang=",
        offered: &offered,
    };
    Ok(views::public::ticket_page(views::public::TicketPage {
        lang,
        detail: &detail,
        reply_token: &reply_token,
        draft,
        errors,
        sent,
        switch,
        page_path: req.path(),
    }))
}

/// The languages a customer's own pages offer: their location's, and the
/// customer's own language first.
pub(super) fn customer_offer(detail: &ticket::TicketDetail) -> Vec<Lang> {
    let mut offered = vec![detail.lang()];
    offered.extend(
        detail
            .location
            .offered()
            .into_iter()
            .filter(|l| *l != detail.lang()),
    );
    offered
}

/// `GET /t/{token}`: the customer's private page.
pub async fn ticket_page(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ticket_id = ticket_for_token(&app, &token).await?;
    let sent = query_param(&req, "sent").is_some();
    let page = render_ticket_page(&req, &app, ticket_id, None, "", &[], sent).await?;
    Ok(html(page))
}

/// The customer's reply form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CustomerReplyForm {
    body: String,
    token: String,
    lang: String,
}

/// `POST /t/{token}`: the customer replies; a resolved ticket reopens.
pub async fn ticket_reply(
    req: HttpRequest,
    app: web::Data<AppState>,
    token: web::Path<String>,
    form: Form<CustomerReplyForm>,
) -> AppResult<HttpResponse> {
    let ticket_id = ticket_for_token(&app, &token).await?;
    let token_check = check_token(&app, "ticket-reply", &form.token, max_age::CUSTOMER);
    if token_check == FormToken::Forged {
        return Err(AppError::forbidden("ticket reply without a form token"));
    }
    if token_check == FormToken::Stale {
        // A page left open too long: the customer keeps what they typed.
        let expired = crate::domain::FieldError::new("body", "error-form-expired");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return reply_again(&req, &app, ticket_id, &form, status, expired).await;
    }
    let (body, mail, now) = (form.body.clone(), app.mail.clone(), app.clock.now());
    let outcome = app
        .db
        .write(move |c| ticket::customer_reply(c, ticket_id, &body, &mail, now))
        .await?;
    match outcome {
        Ok(_) => {
            app.wake_senders();
            let lang = Lang::from_code(&form.lang).unwrap_or(Lang::Nl);
            Ok(super::see_other(&format!(
                "/t/{}?sent=1&lang={}",
                token.as_str(),
                lang.code()
            )))
        }
        Err(error) => {
            // Held back, not lost: the text stays in the form.
            let status = if error.key == ticket::TOO_MANY_REPLIES {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            reply_again(&req, &app, ticket_id, &form, status, error).await
        }
    }
}

/// The ticket page again with what the customer typed and why it was held back.
async fn reply_again(
    req: &HttpRequest,
    app: &AppState,
    ticket_id: i64,
    form: &CustomerReplyForm,
    status: StatusCode,
    error: crate::domain::FieldError,
) -> AppResult<HttpResponse> {
    let errors = [error];
    let page = render_ticket_page(
        req,
        app,
        ticket_id,
        Some(&form.lang),
        &form.body,
        &errors,
        false,
    )
    .await?;
    Ok(html_status(status, page))
}
