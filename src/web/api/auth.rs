//! What an API handler pulls out of a request: the caller's key
//! (`Authorization: Bearer <key>`, never a cookie), checked on every request
//! (a revoked key is refused at once) and counted against its rate limit,
//! and a JSON body decoded strictly (unknown fields are refused).

use super::problem::{FieldProblem, Problem};
use crate::domain::api_key::{self, Authorised, Scope};
use crate::web::extract::state;
use crate::web::throttle::RateLimiter;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::NaiveDateTime;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

/// Largest JSON body accepted.
pub const MAX_JSON_BYTES: usize = 64 * 1024;
/// Seconds between two writes of a key's last use.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// What the API remembers in memory: the per-key rate limit and when each
/// key's last use was written down (so a busy key costs no write per request).
pub struct ApiState {
    limiter: RateLimiter,
    touched: Mutex<HashMap<i64, NaiveDateTime>>,
}

impl ApiState {
    /// `per_minute` requests per key per minute.
    pub fn new(per_minute: u32) -> ApiState {
        ApiState {
            limiter: RateLimiter::new(per_minute, Duration::from_secs(60)),
            touched: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the key's last use should be written now (at most once a
    /// minute per key, whatever the database last said).
    fn should_touch(&self, key: &Authorised, now: NaiveDateTime) -> bool {
        let due = |at: Option<NaiveDateTime>| {
            at.is_none_or(|at| (now - at).num_seconds() >= TOUCH_EVERY_SECONDS)
        };
        if !due(key.last_used_at) {
            return false;
        }
        let Ok(mut touched) = self.touched.lock() else {
            return false;
        };
        if !due(touched.get(&key.id).copied()) {
            return false;
        }
        touched.insert(key.id, now);
        true
    }
}

/// The live API key behind a request.
#[derive(Debug, Clone)]
pub struct Caller(pub Authorised);

impl Caller {
    /// The key, if it has `scope`; else 403.
    pub fn require(&self, scope: Scope) -> Result<&Authorised, Problem> {
        if self.0.may(scope) {
            Ok(&self.0)
        } else {
            Err(Problem::new(
                "missing-scope",
                format!("this API key lacks the scope {}", scope.as_str()),
            ))
        }
    }
}

/// The bearer token of the `Authorization` header, if there is one.
fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

async fn caller(req: &HttpRequest) -> Result<Caller, Problem> {
    if let Some(found) = req.extensions().get::<Caller>() {
        return Ok(found.clone());
    }
    let app = state(req).map_err(Problem::from)?;
    let Some(token) = bearer(req) else {
        return Err(Problem::unauthorized(
            "send the API key as Authorization: Bearer <key>",
        ));
    };
    let key = app
        .db
        .read(move |c| api_key::authenticate(c, &token))
        .await
        .map_err(Problem::from)?
        .ok_or_else(|| Problem::unauthorized("the API key is unknown or revoked"))?;
    if !app.api.limiter.hit(&key.id.to_string()) {
        let mut problem = Problem::new("rate-limited", "too many requests for this API key");
        problem.retry_after = Some(60);
        return Err(problem);
    }
    let now = app.clock.now();
    if app.api.should_touch(&key, now) {
        let id = key.id;
        app.db
            .write(move |c| api_key::touch(c, id, now))
            .await
            .map_err(Problem::from)?;
    }
    let caller = Caller(key);
    req.extensions_mut().insert(caller.clone());
    Ok(caller)
}

impl FromRequest for Caller {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { caller(&req).await })
    }
}

/// A JSON body decoded strictly: `Content-Type: application/json` (else
/// 415), at most [`MAX_JSON_BYTES`] (else 413), well-formed (else 400), an
/// object with known fields of the right types (else 422 naming the field).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T> std::ops::Deref for ApiJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The field a serde error is about, from its message (serde names it in
/// backquotes for unknown and missing fields).
fn field_of(message: &str) -> String {
    let mut parts = message.split('`');
    match (parts.next(), parts.next()) {
        (Some(_), Some(name)) if message.contains("field") => name.to_owned(),
        _ => String::new(),
    }
}

/// Decodes a query string; a parameter that is unknown or of the wrong type
/// is a 422 naming it.
pub fn decode_query<T: DeserializeOwned>(query: &str) -> Result<T, Problem> {
    serde_urlencoded::from_str(query).map_err(|e| {
        let message = e.to_string();
        let field = message.split('`').nth(1).unwrap_or_default().to_owned();
        Problem::fields(vec![FieldProblem { field, message }])
    })
}

/// Decodes a body already read.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Problem::new("bad-request", format!("the body is not JSON: {e}")))?;
    let serde_json::Value::Object(object) = value else {
        return Err(Problem::field("", "the body must be a JSON object"));
    };
    // Each field on its own first, so a wrong type names its field.
    let whole = serde_json::Value::Object(object.clone());
    match serde_json::from_value::<T>(whole) {
        Ok(decoded) => Ok(decoded),
        Err(e) => {
            let message = e.to_string();
            let mut field = field_of(&message);
            if field.is_empty() {
                field = guess_field::<T>(&object).unwrap_or_default();
            }
            Err(Problem::fields(vec![FieldProblem { field, message }]))
        }
    }
}

/// The field whose value makes decoding fail: the first whose removal lets
/// the rest decode or fail otherwise (than by missing that very field); else
/// a required field (its removal only makes it missing).
fn guess_field<T: DeserializeOwned>(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Option<String> {
    let base = serde_json::from_value::<T>(serde_json::Value::Object(object.clone()))
        .err()?
        .to_string();
    let mut required = None;
    for key in object.keys() {
        let mut without = object.clone();
        without.remove(key);
        let other = serde_json::from_value::<T>(serde_json::Value::Object(without))
            .err()
            .map(|e| e.to_string());
        match other {
            None => return Some(key.clone()),
            Some(other) if other.starts_with(&format!("missing field `{key}`")) => {
                required.get_or_insert_with(|| key.clone());
            }
            Some(other) if other != base => return Some(key.clone()),
            Some(_) => {}
        }
    }
    required
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<ApiJson<T>, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(Problem::new(
                    "unsupported-media-type",
                    "send the body as Content-Type: application/json",
                ));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk =
                    chunk.map_err(|e| Problem::new("bad-request", format!("reading: {e}")))?;
                if body.len() + chunk.len() > MAX_JSON_BYTES {
                    return Err(Problem::new(
                        "payload-too-large",
                        format!("the body may hold at most {MAX_JSON_BYTES} bytes"),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            decode(&body).map(ApiJson)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        face: i16,
        #[serde(default)]
        message: String,
    }

    #[test]
    fn errors_name_their_field() {
        let field = |json: &str| {
            decode::<Body>(json.as_bytes()).unwrap_err().errors[0]
                .field
                .clone()
        };
        assert_eq!(field(r#"{"face":1,"extra":2}"#), "extra");
        assert_eq!(field(r#"{"message":"x"}"#), "face");
        assert_eq!(field(r#"{"face":"one","message":"x"}"#), "face");
        assert_eq!(field(r#"{"face":1,"message":5}"#), "message");
        assert_eq!(decode::<Body>(b"[1]").unwrap_err().status.as_u16(), 422);
        assert_eq!(decode::<Body>(b"{").unwrap_err().status.as_u16(), 400);
    }
}
