//! API errors as RFC 9457 problem details (`application/problem+json`).
//! Every error answer under `/api/v1` is one: the handlers' own, the
//! extractors', the domain's (`AppError`), and actix's (unknown path, wrong
//! method), turned into one by [`super::guard`]. The `type` is
//! `{TELLUS_BASE_URL}/api/problems/<name>`, one stable name per kind
//! ([`NAMES`]).

use crate::domain::FieldError;
use crate::error::{AppError, ErrorKind};
use crate::i18n::Lang;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

/// What each problem means and what to do about it, for the page its
/// `type` URI opens (`/api/problems/<name>`).
pub const EXPLANATIONS: &[(&str, &str)] = &[
    ("bad-request", "The body or the query string could not be read: not well-formed JSON, or a value of the wrong type. Fix the request; sending it again unchanged will fail again."),
    ("unauthorized", "The request has no `Authorization: Bearer <key>` header, or the key is unknown or revoked. An owner makes keys under Settings → API or with `tellus api-key add`."),
    ("missing-scope", "The key is valid but lacks the scope this operation needs (named in `detail`). An owner can make a key with that scope; keys cannot be changed, only replaced."),
    ("not-found", "No such object, or one this key may not see: a key limited to some locations finds nothing of the others."),
    ("method-not-allowed", "The path exists but not with this HTTP method. The OpenAPI document at /api/v1/openapi.json lists every operation."),
    ("conflict", "The change conflicts with the object's current state. Read it again and decide."),
    ("gift-redeemed", "The gift's code was already redeemed; `detail` says when, where and by whom. A code is redeemed once."),
    ("gift-expired", "The gift is past its expiry date and can no longer be redeemed."),
    ("gift-void", "An owner voided the gift; it can no longer be redeemed."),
    ("gift-not-sent", "The gift was never sent: it waits for an owner's approval or was declined. It has no valid code yet."),
    ("payload-too-large", "The request body is larger than the API accepts."),
    ("unsupported-media-type", "The body must be JSON, sent with `Content-Type: application/json`."),
    ("invalid-fields", "Some fields are not valid. `errors` lists each field (a body field, a query parameter or a header) with what is wrong with it."),
    ("rate-limited", "Too many requests for this key. Wait the number of seconds in the `Retry-After` header, then try again."),
    ("internal", "Something went wrong inside Tellus. Nothing was half-done; the cause is in the server's log. Try again later."),
    ("unavailable", "Tellus cannot reach its database right now. Try again in a little while."),
];

/// The media type of every error body.
pub const CONTENT_TYPE: &str = "application/problem+json";

/// Every problem name, with its status and title.
pub const NAMES: &[(&str, u16, &str)] = &[
    ("bad-request", 400, "The request cannot be read"),
    ("unauthorized", 401, "A valid API key is required"),
    ("missing-scope", 403, "The API key lacks a scope"),
    ("not-found", 404, "Not found"),
    ("method-not-allowed", 405, "Method not allowed"),
    ("conflict", 409, "Conflicting change"),
    ("gift-redeemed", 409, "The gift was already redeemed"),
    ("gift-expired", 409, "The gift has expired"),
    ("gift-void", 409, "The gift was voided"),
    ("gift-not-sent", 409, "The gift was never sent"),
    ("payload-too-large", 413, "The request body is too large"),
    ("unsupported-media-type", 415, "The body must be JSON"),
    ("invalid-fields", 422, "Some fields are not valid"),
    ("rate-limited", 429, "Too many requests"),
    ("internal", 500, "Internal error"),
    ("unavailable", 503, "Temporarily unavailable"),
];

/// One field's error in a 422.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field (a body field, a query parameter or a header).
    pub field: String,
    /// What is wrong, in English.
    pub message: String,
}

/// The body of every API error.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemBody {
    /// A URI naming the kind of problem: `{base}/api/problems/<name>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened this time.
    pub detail: String,
    /// For 422: the fields and what is wrong with each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
}

/// An API error, rendered as problem details by [`super::guard`].
#[derive(Debug, Clone)]
pub struct Problem {
    /// Its name in [`NAMES`].
    pub name: &'static str,
    /// The status.
    pub status: StatusCode,
    /// What happened this time.
    pub detail: String,
    /// Field errors (422).
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait (429).
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of kind `name` (one of [`NAMES`]).
    pub fn new(name: &'static str, detail: impl Into<String>) -> Problem {
        let status = NAMES
            .iter()
            .find(|(n, _, _)| *n == name)
            .and_then(|(_, status, _)| StatusCode::from_u16(*status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Problem {
            name,
            status,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 401: no key, or not a live one.
    pub fn unauthorized(detail: &str) -> Problem {
        Problem::new("unauthorized", detail)
    }

    /// 404.
    pub fn not_found(what: &str) -> Problem {
        Problem::new("not-found", format!("{what} not found"))
    }

    /// 422 with one field's error.
    pub fn field(field: &str, message: impl Into<String>) -> Problem {
        Problem::fields(vec![FieldProblem {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// 422 with these field errors.
    pub fn fields(errors: Vec<FieldProblem>) -> Problem {
        let mut problem = Problem::new("invalid-fields", "some fields are not valid");
        problem.errors = errors;
        problem
    }

    /// 422 from the domain's field errors, their messages in English;
    /// `rename` maps a domain field name to the API's.
    pub fn from_field_errors(errors: &[FieldError], rename: &[(&str, &str)]) -> Problem {
        Problem::fields(
            errors
                .iter()
                .map(|e| FieldProblem {
                    field: rename
                        .iter()
                        .find(|(from, _)| *from == e.field)
                        .map_or(e.field, |(_, to)| *to)
                        .to_owned(),
                    message: crate::views::components::error_text(Lang::En, e),
                })
                .collect(),
        )
    }

    /// The problem a status stands for, for answers our handlers did not make.
    pub fn from_status(status: StatusCode) -> Problem {
        let name = NAMES.iter().find(|(_, s, _)| *s == status.as_u16()).map_or(
            if status.is_client_error() {
                "bad-request"
            } else {
                "internal"
            },
            |(n, _, _)| *n,
        );
        let mut problem = Problem::new(name, status.canonical_reason().unwrap_or("error"));
        problem.status = status;
        problem
    }

    /// The body, with `type` under `base_url`.
    pub fn body(&self, base_url: &str) -> ProblemBody {
        let title = NAMES
            .iter()
            .find(|(n, _, _)| *n == self.name)
            .map_or("Error", |(_, _, title)| *title);
        ProblemBody {
            kind: format!("{base_url}/api/problems/{}", self.name),
            title: title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            errors: (self.status == StatusCode::UNPROCESSABLE_ENTITY).then(|| self.errors.clone()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    // The body needs the base URL; `super::guard` writes it.
    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).finish()
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        Problem::from(&e)
    }
}

impl From<&AppError> for Problem {
    fn from(e: &AppError) -> Problem {
        let name = match e.kind {
            ErrorKind::NotFound | ErrorKind::LoginRequired | ErrorKind::SecondFactorSetup => {
                "not-found"
            }
            ErrorKind::BadRequest => "bad-request",
            ErrorKind::Forbidden => "missing-scope",
            ErrorKind::TooManyRequests => "rate-limited",
            ErrorKind::PayloadTooLarge => "payload-too-large",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        };
        if matches!(e.kind, ErrorKind::Internal | ErrorKind::Unavailable) {
            tracing::error!(kind = ?e.kind, cause = %e.log_line(), "API request failed");
        }
        // Causes are for the log; the caller gets the kind only.
        let detail = NAMES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or("error", |(_, _, title)| *title);
        Problem::new(name, detail.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_explained_once() {
        for (name, _, _) in NAMES {
            let n = EXPLANATIONS.iter().filter(|(e, _)| e == name).count();
            assert_eq!(n, 1, "{name}");
        }
        assert_eq!(NAMES.len(), EXPLANATIONS.len());
    }
}
