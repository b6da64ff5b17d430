//! What handlers pull out of a request: the user's language, the client's
//! address, and the logged-in staff member (`CurrentUser`, `Owner`,
//! `AccountHolder`). Session rules (lifetime, idle timeout, disabled users,
//! the two-factor step) are checked here on every request.

use crate::domain::session::{self, StaffSession};
use crate::error::{AppError, ErrorKind};
use crate::i18n::Lang;
use crate::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// A query parameter's value.
pub fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The user's language: an explicit choice (form field or `?lang=`), then
/// `Accept-Language`, then Dutch — [`request_lang_among`] every language.
pub fn request_lang(req: &HttpRequest, explicit: Option<&str>) -> Lang {
    request_lang_among(req, explicit, &Lang::ALL)
}

/// The language of a page offered in `offered` (a location's languages,
/// default first): an explicit choice (form field or `?lang=`) among them,
/// then the first of them in `Accept-Language`, then the default.
pub fn request_lang_among(req: &HttpRequest, explicit: Option<&str>, offered: &[Lang]) -> Lang {
    let among = |code: &str| Lang::from_code(code).filter(|l| offered.contains(l));
    explicit
        .and_then(among)
        .or_else(|| query_param(req, "lang").as_deref().and_then(among))
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|h| Lang::from_accept_language_among(h, offered))
        })
        .or_else(|| offered.first().copied())
        .unwrap_or(Lang::Nl)
}

/// The address the request came from (the TCP peer).
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The name of the session cookie: `__Host-` prefixed whenever it is `Secure`.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tellus_session"
    } else {
        "tellus_session"
    }
}

/// The staff session cookie carrying `token`: HttpOnly, SameSite=Lax, and
/// `Secure` (with the `__Host-` name) whenever the site is served over https.
pub fn session_cookie(
    secure: bool,
    token: String,
    max_age: actix_web::cookie::time::Duration,
) -> Cookie<'static> {
    let mut cookie = Cookie::build(session_cookie_name(secure), token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    cookie.set_max_age(max_age);
    cookie
}

/// The cookie that removes the staff session cookie from a browser.
pub fn session_cookie_removal(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie(
        secure,
        String::new(),
        actix_web::cookie::time::Duration::ZERO,
    );
    cookie.make_removal();
    cookie
}

/// The state every handler shares.
pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::internal("application state missing"))
}

/// A logged-in staff member; requests without a live session go to the login page.
pub struct CurrentUser {
    /// The session and its user.
    pub session: StaffSession,
    /// Their language for this request.
    pub lang: Lang,
    /// The request's path, for the navigation.
    pub path: String,
    /// Whether mail is only saved as files, for the owners' banner.
    pub mail_saved_as_files: bool,
    /// The business's time zone: staff pages show moments on its clock.
    pub zone: chrono_tz::Tz,
}

impl CurrentUser {
    /// The page navigation for this user.
    pub fn nav(&self) -> crate::views::layout::StaffNav<'_> {
        crate::views::layout::StaffNav {
            user_name: &self.session.user.name,
            is_owner: self.session.user.is_owner(),
            csrf: &self.session.csrf_token,
            path: &self.path,
            mail_saved_as_files: self.mail_saved_as_files,
        }
    }
}

/// The live session behind the request's cookie: within its lifetime and idle
/// timeout, past every login step, its user active. Marks it as used (at most
/// once a minute, so a busy page costs no write per request). Looked up once
/// per request: the user's extractor and the form's CSRF check share it.
pub(super) async fn live_session(req: &HttpRequest) -> Result<CurrentUser, AppError> {
    let seen = req.extensions().get::<StaffSession>().cloned();
    let state = state(req)?;
    let zone = state.cache.business_zone(&state.db).await?;
    let user = |session| CurrentUser {
        session,
        lang: request_lang(req, None),
        path: req.path().to_owned(),
        mail_saved_as_files: state.config.mail_saved_as_files(),
        zone,
    };
    if let Some(session) = seen {
        return Ok(user(session));
    }
    let name = session_cookie_name(state.config.secure_cookies());
    let token = req
        .cookie(name)
        .map(|c| c.value().to_owned())
        .ok_or(AppError::new(ErrorKind::LoginRequired))?;
    let now = state.clock.now();
    let idle = state.config.session_idle_minutes;
    let found = state
        .db
        .read(move |c| session::find(c, &token, now, idle))
        .await?;
    let session = found.ok_or(AppError::new(ErrorKind::LoginRequired))?;
    if (now - session.last_seen_at).num_seconds() >= session::TOUCH_EVERY_SECONDS {
        let id = session.id;
        state.db.write(move |c| session::touch(c, id, now)).await?;
    }
    req.extensions_mut().insert(session.clone());
    Ok(user(session))
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CurrentUser, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let user = live_session(&req).await?;
            // An owner who must set up two-factor gets nothing else first.
            if user.session.must_enrol_totp {
                return Err(AppError::new(ErrorKind::SecondFactorSetup));
            }
            Ok(user)
        })
    }
}

/// A logged-in staff member, including an owner who still has to set up
/// two-factor: only for the account pages where they do that.
pub struct AccountHolder(pub CurrentUser);

impl FromRequest for AccountHolder {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<AccountHolder, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(AccountHolder(live_session(&req).await?)) })
    }
}

/// A logged-in owner; anyone else is told the page does not exist.
pub struct Owner(pub CurrentUser);

impl FromRequest for Owner {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Owner, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            let user = user.await?;
            if user.session.user.is_owner() {
                Ok(Owner(user))
            } else {
                Err(AppError::not_found())
            }
        })
    }
}
