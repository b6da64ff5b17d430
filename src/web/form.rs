//! Forms, one way each:
//!
//! - `Form<T>`: a strict urlencoded form extractor for anonymous forms.
//!   actix's own decodes leniently (invalid UTF-8 becomes U+FFFD, a stray `%`
//!   passes), which would store a customer's text corrupted instead of asking
//!   them to send it again. This one refuses such bodies with a 400 page, and
//!   bodies over the limit with 413.
//! - `CsrfForm<T>`: the same, for a signed-in staff member's form: it also
//!   checks the form's `csrf` field against the session. A staff page's POST
//!   cannot read its form any other way: `Form<T>` refuses under `/staff/`
//!   except on the pages before login ([`PRE_LOGIN_FORMS`]).
//! - Signed form tokens on anonymous forms ([`issue_token`], [`check_token`]):
//!   when the page was served, so a stale page is told apart from a forged
//!   one, each form with its own maximum age ([`max_age`]).

use crate::domain::session::StaffSession;
use crate::error::{AppError, ErrorKind};
use crate::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// The staff pages that post before anyone is signed in: they carry signed
/// form tokens instead of the session's CSRF token.
pub const PRE_LOGIN_FORMS: [&str; 3] = ["/staff/login", "/staff/login/code", "/staff/reset"];

/// Whether a POST to `path` is a signed-in staff member's form.
fn is_staff_form(path: &str) -> bool {
    path.starts_with("/staff/")
        && !PRE_LOGIN_FORMS
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// How long each kind of form page stays good, in seconds.
pub mod max_age {
    /// The customer's feedback form, reply box and satisfaction page: a week,
    /// for a phone tab left open.
    pub const CUSTOMER: i64 = 7 * 24 * 3600;
    /// The staff login and the account forms (the two-step code, reset,
    /// invitation): four hours.
    pub const ACCOUNT: i64 = 4 * 3600;
    /// The tablet's pairing page: thirty days, so a tablet left on the
    /// pairing page overnight, over a weekend or a holiday still pairs.
    pub const KIOSK_PAIRING: i64 = 30 * 24 * 3600;
    /// The first-run setup page: a day (the link itself lasts until an owner
    /// exists); a page open longer is shown again with what was typed.
    pub const SETUP: i64 = 24 * 3600;
}

/// What a signed form token says about the page it came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormToken {
    /// Genuine, served `age_secs` ago, within the form's maximum age.
    Fresh {
        /// Seconds since the page was served.
        age_secs: i64,
    },
    /// Genuine, but the page stood open longer than the form allows.
    Stale,
    /// Missing, altered, or signed for another form.
    Forged,
}

impl FormToken {
    /// Fresh, or a 403 naming `what` for the log when stale or forged.
    pub fn require(self, what: &str) -> Result<(), AppError> {
        match self {
            FormToken::Fresh { .. } => Ok(()),
            FormToken::Stale => Err(AppError::forbidden(format!("{what}: stale form token"))),
            FormToken::Forged => Err(AppError::forbidden(format!(
                "{what}: no genuine form token"
            ))),
        }
    }
}

/// A signed token for the form `scope`, stamped with the app clock's now.
pub fn issue_token(app: &AppState, scope: &str) -> String {
    app.signer
        .form_token(scope, app.clock.now().and_utc().timestamp())
}

/// Reads a form's signed token: genuine for `scope`, and served at most
/// `max_age_secs` ago by the app clock.
pub fn check_token(app: &AppState, scope: &str, token: &str, max_age_secs: i64) -> FormToken {
    match app.signer.form_token_time(scope, token) {
        None => FormToken::Forged,
        Some(served) => {
            let age_secs = app.clock.now().and_utc().timestamp() - served;
            if age_secs <= max_age_secs {
                FormToken::Fresh { age_secs }
            } else {
                FormToken::Stale
            }
        }
    }
}

/// A form body, decoded strictly into `T`.
pub struct Form<T>(pub T);

impl<T> Form<T> {
    /// The decoded form.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Form<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Whether every name and value of a urlencoded body decodes to valid UTF-8
/// with well-formed `%XX` escapes and no control characters but tab, line feed
/// and carriage return (a NUL cannot be stored in PostgreSQL text, and no
/// person types the others).
pub fn is_well_formed(body: &[u8]) -> bool {
    let mut decoded = Vec::new();
    body.split(|&b| b == b'&').all(|pair| {
        pair.split(|&b| b == b'=').all(|part| {
            decoded.clear();
            let mut bytes = part.iter();
            while let Some(&b) = bytes.next() {
                match b {
                    b'%' => {
                        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
                        match (hex(bytes.next()), hex(bytes.next())) {
                            (Some(hi), Some(lo)) => decoded.push((hi * 16 + lo) as u8),
                            _ => return false,
                        }
                    }
                    b'+' => decoded.push(b' '),
                    other => decoded.push(other),
                }
            }
            !decoded.iter().any(|&b| is_forbidden_control(b))
                && std::str::from_utf8(&decoded).is_ok()
        })
    })
}

/// A control character no form field may hold.
pub fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f
}

/// The request's body, when it is a well-formed urlencoded form within the limit.
fn form_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<web::Bytes, AppError>> {
    let is_form = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let body = web::Bytes::from_request(req, payload);
    async move {
        if !is_form {
            return Err(AppError::bad_request("not a urlencoded form"));
        }
        let body = body.await.map_err(|e| {
            let too_large = e.as_response_error().status_code()
                == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
            let kind = if too_large {
                ErrorKind::PayloadTooLarge
            } else {
                ErrorKind::BadRequest
            };
            AppError::because(kind, format!("form body: {e}"))
        })?;
        if !is_well_formed(&body) {
            return Err(AppError::bad_request("form body is not well-formed UTF-8"));
        }
        Ok(body)
    }
}

/// Decodes a checked form body into `T`.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::bad_request(format!("form fields: {e}")))
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Form<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff_form = is_staff_form(req.path());
        let body = form_body(req, payload);
        Box::pin(async move {
            if staff_form {
                // A signed-in staff member's form is read with its CSRF check.
                return Err(AppError::internal("a staff form read without CsrfForm"));
            }
            decode(&body.await?).map(Form)
        })
    }
}

/// A signed-in staff member's form, decoded strictly into `T`, whose `csrf`
/// field is the session's CSRF token. Put the user's extractor (`CurrentUser`,
/// `Owner`, `AccountHolder`) before it: it decides who may post at all.
pub struct CsrfForm<T = CsrfOnly>(pub T);

impl<T> CsrfForm<T> {
    /// The decoded form.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for CsrfForm<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// A form that carries nothing but the CSRF token (a button: log out,
/// release, revoke, approve…).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

/// Whether `given` is the session's CSRF token, compared in constant time.
pub fn check_csrf(session: &StaffSession, given: &str) -> Result<(), AppError> {
    let expected = session.csrf_token.as_bytes();
    let given = given.as_bytes();
    // Constant-time: compare every byte whatever the first difference.
    let same = expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(AppError::forbidden("CSRF token mismatch"))
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = form_body(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let body = body.await?;
            let session = super::extract::live_session(&req).await?.session;
            let CsrfOnly { csrf } = decode(&body)?;
            check_csrf(&session, &csrf)?;
            decode(&body).map(CsrfForm)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::is_well_formed;

    #[test]
    fn strict_decoding() {
        assert!(is_well_formed(
            b"face=1&message=Koud+brood+%E2%82%AC&email="
        ));
        assert!(is_well_formed(b""));
        assert!(is_well_formed("message=caf\u{e9}".as_bytes()));
        assert!(!is_well_formed(b"message=%FF%FE"));
        assert!(!is_well_formed(b"face=1&&&=%%%"));
        assert!(!is_well_formed(b"message=%E2%82"));
        assert!(!is_well_formed(&[b'm', b'=', 0xFF, 0xFE]));
        assert!(!is_well_formed(b"message=50%"));
        assert!(!is_well_formed(b"body=a%00b"));
        assert!(!is_well_formed(b"body=a%1Bb"));
        assert!(is_well_formed(b"body=line%0D%0Anext%09tab"));
    }
}

/// The form of every switch that offers or withdraws something (a location,
/// a user, a canned response): `active=true` or `active=false` (read with
/// [`CsrfForm`]).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

impl ActiveForm {
    /// The wanted state; anything but `true` or `false` is a bad request.
    pub fn active(&self) -> Result<bool, AppError> {
        match self.active.as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(AppError::bad_request("active must be true or false")),
        }
    }
}
