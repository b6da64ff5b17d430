//! `Form<T>`: a strict urlencoded form extractor. actix's own decodes leniently
//! (invalid UTF-8 becomes U+FFFD, a stray `%` passes), which would store a
//! customer's text corrupted instead of asking them to send it again. This one
//! refuses such bodies with a 400 page, and bodies over the limit with 413.

use crate::error::{AppError, ErrorKind};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

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

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Form<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
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
        Box::pin(async move {
            if !is_form {
                return Err(AppError::bad_request("not a urlencoded form"));
            }
            let body = body.await.map_err(|e| {
                let too_large = e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
                AppError {
                    kind: if too_large {
                        ErrorKind::PayloadTooLarge
                    } else {
                        ErrorKind::BadRequest
                    },
                    cause: Some(format!("form body: {e}")),
                }
            })?;
            if !is_well_formed(&body) {
                return Err(AppError::bad_request("form body is not well-formed UTF-8"));
            }
            serde_urlencoded::from_bytes(&body)
                .map(Form)
                .map_err(|e| AppError::bad_request(format!("form fields: {e}")))
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
/// a user, a canned response): the session's CSRF token and `active=true`
/// or `active=false`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    /// The session's CSRF token.
    pub csrf: String,
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
