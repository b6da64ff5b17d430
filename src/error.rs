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
    /// What the log is told.
    pub cause: Option<String>,
}

/// Results across domain and web.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An error of `kind` with no further cause to log.
    pub fn new(kind: ErrorKind) -> AppError {
        AppError { kind, cause: None }
    }

    /// A fault on our side; `cause` goes to the log only.
    pub fn internal(cause: impl fmt::Display) -> AppError {
        AppError {
            kind: ErrorKind::Internal,
            cause: Some(cause.to_string()),
        }
    }

    /// Not found (or not yours).
    pub fn not_found() -> AppError {
        AppError::new(ErrorKind::NotFound)
    }

    /// Not found, with a cause for the log.
    pub fn not_found_because(cause: impl fmt::Display) -> AppError {
        AppError {
            kind: ErrorKind::NotFound,
            cause: Some(cause.to_string()),
        }
    }

    /// A malformed request.
    pub fn bad_request(cause: impl fmt::Display) -> AppError {
        AppError {
            kind: ErrorKind::BadRequest,
            cause: Some(cause.to_string()),
        }
    }

    /// An expired form or a cross-site post.
    pub fn forbidden(cause: impl fmt::Display) -> AppError {
        AppError {
            kind: ErrorKind::Forbidden,
            cause: Some(cause.to_string()),
        }
    }
}

impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}: {}",
            self.kind,
            self.cause.as_deref().unwrap_or("-")
        )
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for AppError {}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    /// A bare response carrying the kind; `web::error_pages` renders the page in the
    /// requester's language.
    fn error_response(&self) -> HttpResponse {
        if self.kind == ErrorKind::Internal || self.kind == ErrorKind::Unavailable {
            tracing::error!(kind = ?self.kind, cause = self.cause.as_deref().unwrap_or("-"), "request failed");
        } else if let Some(cause) = &self.cause {
            tracing::debug!(kind = ?self.kind, cause, "request refused");
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
            ) => AppError {
                kind: ErrorKind::Conflict,
                cause: Some(format!("unique violation: {}", info.message())),
            },
            other => AppError::internal(format!("database: {other}")),
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(error: r2d2::Error) -> AppError {
        AppError {
            kind: ErrorKind::Unavailable,
            cause: Some(format!("database pool: {error}")),
        }
    }
}
