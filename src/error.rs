//! `AppError`: what went wrong, as a user-safe message key plus a cause that is
//! only logged. The web layer turns it into a status and an error page in the
//! user's language (`web::error_pages`); the cause never reaches the user.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use std::fmt;

/// The kinds of failure a user can be told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Nothing here, or not yours (a missing right reads as not found).
    NotFound,
    /// A staff page without a live session: go to the login page.
    LoginRequired,
    /// An owner who must set up two-factor first: redirect to the set-up page.
    SecondFactorSetup,
    /// The request cannot be understood (malformed form, bad encoding).
    BadRequest,
    /// The form expired or came from another site.
    Forbidden,
    /// Too many attempts; try again later.
    TooManyRequests,
    /// The request body is larger than allowed.
    PayloadTooLarge,
    /// A unique value clashed with a concurrent change; the caller may retry.
    Conflict,
    /// The database does not answer.
    Unavailable,
    /// A fault on our side.
    Internal,
}

impl ErrorKind {
    /// The HTTP status for this kind.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::LoginRequired | ErrorKind::SecondFactorSetup => StatusCode::SEE_OTHER,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The kind that matches a status, for errors raised outside our handlers.
    pub fn from_status(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            404 | 405 => ErrorKind::NotFound,
            403 => ErrorKind::Forbidden,
            409 => ErrorKind::Conflict,
            413 => ErrorKind::PayloadTooLarge,
            429 => ErrorKind::TooManyRequests,
            503 => ErrorKind::Unavailable,
            400..=499 => ErrorKind::BadRequest,
            _ => ErrorKind::Internal,
        }
    }

    /// The catalogue key of the message shown to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            ErrorKind::NotFound | ErrorKind::LoginRequired | ErrorKind::SecondFactorSetup => {
                "error-not-found"
            }
            ErrorKind::BadRequest => "error-bad-request",
            ErrorKind::Forbidden => "error-forbidden",
            ErrorKind::TooManyRequests => "error-too-many",
            ErrorKind::PayloadTooLarge => "error-too-large",
            ErrorKind::Unavailable => "error-unavailable",
            ErrorKind::Internal | ErrorKind::Conflict => "error-internal",
        }
    }
}

/// An error on its way to becoming an error page.
pub struct AppError {
    /// What the user is told.
    pub kind: ErrorKind,
    /// What the log is told: what we were doing.
    pub cause: Option<String>,
    /// The error underneath, kept for the log (with its own sources).
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Results across domain and web.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error of `kind` with no further cause to log.
    pub fn new(kind: ErrorKind) -> AppError {
        AppError {
            kind,
            cause: None,
            source: None,
        }
    }

    /// An error of `kind`; `cause` goes to the log only.
    pub fn because(kind: ErrorKind, cause: impl fmt::Display) -> AppError {
        AppError {
            kind,
            cause: Some(cause.to_string()),
            source: None,
        }
    }

    /// A fault on our side; `cause` goes to the log only.
    pub fn internal(cause: impl fmt::Display) -> AppError {
        AppError::because(ErrorKind::Internal, cause)
    }

    /// Not found (or not yours).
    pub fn not_found() -> AppError {
        AppError::new(ErrorKind::NotFound)
    }

    /// Not found, with a cause for the log.
    pub fn not_found_because(cause: impl fmt::Display) -> AppError {
        AppError::because(ErrorKind::NotFound, cause)
    }

    /// A malformed request.
    pub fn bad_request(cause: impl fmt::Display) -> AppError {
        AppError::because(ErrorKind::BadRequest, cause)
    }

    /// An expired form or a cross-site post.
    pub fn forbidden(cause: impl fmt::Display) -> AppError {
        AppError::because(ErrorKind::Forbidden, cause)
    }

    /// Too many attempts; `cause` (which limit) goes to the log only.
    pub fn too_many(cause: impl fmt::Display) -> AppError {
        AppError::because(ErrorKind::TooManyRequests, cause)
    }

    /// The cause and every source under it, for the log: `doing: source: …`.
    pub fn log_line(&self) -> String {
        let mut line = self.cause.clone().unwrap_or_else(|| "-".into());
        let mut next = std::error::Error::source(self);
        while let Some(source) = next {
            line.push_str(": ");
            line.push_str(&source.to_string());
            next = source.source();
        }
        line
    }
}

/// What we were doing when something underneath failed, kept with the
/// failure: `listener.local_addr().internal("listener address")?` gives an
/// internal error whose log line reads `listener address: <the io error>`.
pub trait Context<T> {
    /// A fault on our side while `doing`.
    fn internal(self, doing: &str) -> AppResult<T>;
    /// An error of `kind` while `doing`.
    fn because(self, kind: ErrorKind, doing: &str) -> AppResult<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> Context<T> for Result<T, E> {
    fn internal(self, doing: &str) -> AppResult<T> {
        self.because(ErrorKind::Internal, doing)
    }

    fn because(self, kind: ErrorKind, doing: &str) -> AppResult<T> {
        self.map_err(|e| AppError {
            kind,
            cause: Some(doing.to_owned()),
            source: Some(Box::new(e)),
        })
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.log_line())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    /// A bare response carrying the kind; `web::error_pages` renders the page in the
    /// requester's language.
    fn error_response(&self) -> HttpResponse {
        if self.kind == ErrorKind::Internal || self.kind == ErrorKind::Unavailable {
            tracing::error!(kind = ?self.kind, cause = %self.log_line(), "request failed");
        } else if self.cause.is_some() {
            tracing::debug!(kind = ?self.kind, cause = %self.log_line(), "request refused");
        }
        if self.kind == ErrorKind::LoginRequired {
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, "/staff/login"))
                .finish();
        }
        if self.kind == ErrorKind::SecondFactorSetup {
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, "/staff/account/totp"))
                .finish();
        }
        let mut response = HttpResponse::new(self.kind.status());
        response.extensions_mut().insert(self.kind);
        response
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> AppError {
        match error {
            diesel::result::Error::NotFound => AppError::not_found(),
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                info,
            ) => AppError::because(
                ErrorKind::Conflict,
                format!("unique violation: {}", info.message()),
            ),
            other => AppError::internal(format!("database: {other}")),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(error: r2d2::Error) -> AppError {
        AppError::because(ErrorKind::Unavailable, format!("database pool: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keeps_the_source_for_the_log_only() {
        let failed: Result<(), std::io::Error> = Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "no write access to data/mail",
        ));
        let error = failed.internal("writing a mail file").unwrap_err();
        assert_eq!(error.kind, ErrorKind::Internal);
        assert_eq!(error.cause.as_deref(), Some("writing a mail file"));
        assert_eq!(
            error.log_line(),
            "writing a mail file: no write access to data/mail"
        );
        assert!(std::error::Error::source(&error).is_some());
        let refused: Result<(), std::fmt::Error> = Err(std::fmt::Error);
        let error = refused
            .because(ErrorKind::BadRequest, "reading")
            .unwrap_err();
        assert_eq!(error.kind.status(), StatusCode::BAD_REQUEST);
        assert!(error.log_line().starts_with("reading: "));
        assert_eq!(
            AppError::too_many("logins").kind,
            ErrorKind::TooManyRequests
        );
    }
}
