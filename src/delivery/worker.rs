//! The HTTP sender: claims one due message of the HTTP outbox at a time,
//! posts it, and records its outcome before taking the next, so a crash
//! resends at most the one in flight (its claim runs out after [`LEASE_SECS`]).
//!
//! Webhooks are signed the Standard Webhooks way at send time: `webhook-id`
//! (the row's delivery id, the same on every retry), `webhook-timestamp`
//! (this attempt, in unix seconds of the real time receivers compare it
//! with) and `webhook-signature: v1,<base64 HMAC-SHA256 of
//! "{id}.{timestamp}.{body}">`. Slack and Teams messages are rendered by
//! [`crate::domain::chat::render`] and posted without signature headers.
//!
//! Every attempt goes through the guard ([`super::guard`]): the URL's form
//! and literal address here, and every resolved address in the client's
//! resolver. Redirects are not followed (a 3xx is a failed attempt), each
//! attempt has [`TIMEOUT`] in all, and at most [`MAX_RESPONSE_BYTES`] of the
//! answer is read. A 2xx is delivered; anything else is tried again after
//! `TELLUS_WEBHOOK_RETRY_SECONDS` (default 10 s), doubling up to an hour,
//! with ±20 % jitter, until [`GIVE_UP_HOURS`] after the message was queued,
//! when it is marked failed.

use super::guard::{self, GuardedResolver, Net};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::domain::outbound::{self, Claimed, Outcome};
use crate::domain::webhook::{self, AttemptRecord};
use crate::error::{AppResult, Context};
use crate::mail::MailContext;
use crate::tokens::Signer;
use chrono::{Duration as ChronoDuration, NaiveDateTime};
use data_encoding::BASE64;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Longest wait between two looks at the outbox when nothing wakes the sender.
pub const POLL: Duration = Duration::from_secs(2);

/// The shortest time between two looks when nothing was due: a busy shop
/// wakes the sender with every submission, and each look is a read.
pub const MIN_GAP: Duration = Duration::from_millis(200);
/// How long a claim holds: well beyond one attempt's [`TIMEOUT`].
pub const LEASE_SECS: i64 = 60;
/// One attempt, connecting and reading the answer included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a receiver's answer that is read.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// A message not delivered this long after it was queued is failed.
pub const GIVE_UP_HOURS: i64 = 24;
/// Longest delay between two attempts at one message.
pub const MAX_BACKOFF_SECS: i64 = 3600;

/// Sends the HTTP outbox until the process ends.
pub struct Sender {
    db: Db,
    clock: Clock,
    client: reqwest::Client,
    allow: Vec<Net>,
    signer: Signer,
    base_url: String,
    retry_seconds: u32,
    wake: Arc<Notify>,
    mail: MailContext,
    mail_wake: Arc<Notify>,
}

impl Sender {
    /// A sender for this configuration; `wake` is notified when a message is
    /// queued, `mail_wake` is notified when it queues mail (a paused endpoint).
    pub fn new(
        config: &Config,
        db: Db,
        clock: Clock,
        wake: Arc<Notify>,
        mail: MailContext,
        mail_wake: Arc<Notify>,
    ) -> AppResult<Sender> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            // A proxy would connect on our behalf, past the guard.
            .no_proxy()
            .user_agent(format!("Tellus/{}", env!("CARGO_PKG_VERSION")))
            .dns_resolver(GuardedResolver::new(&config.webhook_allow_private))
            .build()
            .internal("HTTP client")?;
        Ok(Sender {
            db,
            clock,
            client,
            allow: config.webhook_allow_private.clone(),
            signer: Signer::new(&config.secret_key),
            base_url: config.base_url.clone(),
            retry_seconds: config.webhook_retry_seconds,
            wake,
            mail,
            mail_wake,
        })
    }

    /// The loop: send what is due, one at a time, then wait for a wake-up or
    /// the next look.
    pub async fn run(self) {
        loop {
            let looked = tokio::time::Instant::now();
            match self.send_one().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = ?e, "outgoing HTTP round failed"),
            }
            let _ = tokio::time::timeout(POLL, self.wake.notified()).await;
            // However often woken, look at most every MIN_GAP.
            tokio::time::sleep_until(looked + MIN_GAP).await;
        }
    }

    /// Claims, sends and records one due message; false when none is due.
    pub async fn send_one(&self) -> AppResult<bool> {
        let now = self.clock.now();
        // A read first: an idle look costs the writer nothing.
        let next = self.db.read(outbound::next_due_at).await?;
        if next.is_none_or(|at| at > now) {
            return Ok(false);
        }
        let lease = now + ChronoDuration::seconds(LEASE_SECS);
        let Some(message) = self
            .db
            .write(move |c| outbound::claim_one(c, now, lease))
            .await?
        else {
            return Ok(false);
        };
        let secret = match (message.target.as_str(), message.webhook_id) {
            ("webhook", Some(id)) => {
                let nonce = self.db.read(move |c| webhook::nonce(c, id)).await?;
                match nonce {
                    Some(nonce) => Some(webhook::secret_bytes(&self.signer, &nonce)),
                    None => {
                        let failed = Outcome::Failed {
                            status: None,
                            error: "endpoint deleted".into(),
                        };
                        let (id, now) = (message.id, self.clock.now());
                        self.db
                            .write(move |c| outbound::record(c, id, &failed, now))
                            .await?;
                        return Ok(true);
                    }
                }
            }
            _ => None,
        };
        let started = Instant::now();
        let answer = self.post(&message, secret.as_deref()).await;
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let now = self.clock.now();
        let attempt = message.attempts + 1;
        let host = webhook::host_of(&message.url);
        let outcome = match answer {
            Ok(code) if (200..300).contains(&code) => Outcome::Sent(code),
            Ok(code) if (300..400).contains(&code) => self.not_delivered(
                &message,
                Some(code),
                format!("HTTP {code} (redirects are not followed)"),
                now,
            ),
            Ok(code) => self.not_delivered(&message, Some(code), format!("HTTP {code}"), now),
            Err(error) => self.not_delivered(&message, None, error, now),
        };
        match &outcome {
            Outcome::Sent(code) => tracing::info!(
                target_kind = %message.target,
                host = %host,
                status = code,
                attempt,
                delivery_id = %message.delivery_id,
                "outgoing message delivered"
            ),
            Outcome::Retry { status, error, at } => tracing::warn!(
                target_kind = %message.target,
                host = %host,
                status = ?status,
                error = %error,
                attempt,
                next_attempt = %at,
                delivery_id = %message.delivery_id,
                "outgoing message not delivered, will retry"
            ),
            Outcome::Failed { status, error } => tracing::warn!(
                target_kind = %message.target,
                host = %host,
                status = ?status,
                error = %error,
                attempt,
                delivery_id = %message.delivery_id,
                "outgoing message failed, giving up"
            ),
        }
        let mail = self.mail.clone();
        let paused = self
            .db
            .write(move |c| {
                outbound::record(c, message.id, &outcome, now)?;
                let Some(webhook_id) = message.webhook_id.filter(|_| message.target == "webhook")
                else {
                    return Ok(false);
                };
                let (status_code, error, delivered) = match &outcome {
                    Outcome::Sent(code) => (Some(i32::from(*code)), None, true),
                    Outcome::Retry { status, error, .. } | Outcome::Failed { status, error } => {
                        (status.map(i32::from), Some(error.as_str()), false)
                    }
                };
                webhook::record_attempt(
                    c,
                    &mail,
                    &AttemptRecord {
                        webhook_id,
                        delivery_id: &message.delivery_id,
                        event: &message.event,
                        attempt,
                        status_code,
                        error,
                        duration_ms,
                        delivered,
                    },
                    now,
                )
            })
            .await?;
        if paused {
            tracing::warn!(host = %host, "webhook endpoint failing for a day: paused, owners mailed");
            self.mail_wake.notify_one();
        }
        Ok(true)
    }

    /// A failed attempt: tried again later, or given up once the message is
    /// [`GIVE_UP_HOURS`] old.
    fn not_delivered(
        &self,
        message: &Claimed,
        status: Option<u16>,
        error: String,
        now: NaiveDateTime,
    ) -> Outcome {
        let deadline = message.created_at + ChronoDuration::hours(GIVE_UP_HOURS);
        if now >= deadline {
            return Outcome::Failed { status, error };
        }
        let attempts = u32::try_from(message.attempts + 1).unwrap_or(1);
        Outcome::Retry {
            status,
            error,
            at: next_try(self.retry_seconds, attempts, now).min(deadline),
        }
    }

    /// Posts the message; the receiver's status, or why there is none.
    async fn post(&self, message: &Claimed, secret: Option<&[u8]>) -> Result<u16, String> {
        let url = guard::parse(&message.url).map_err(|r| format!("refused: {r}"))?;
        guard::check_literal(&url, &self.allow).map_err(|r| format!("refused: {r}"))?;
        let body = if message.target == "webhook" {
            message.body.clone()
        } else {
            crate::domain::chat::render(&message.target, &message.body, &self.base_url)
                .map_err(|e| format!("cannot render the message: {e:?}"))?
        };
        let mut request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        if let Some(secret) = secret {
            let timestamp = chrono::Utc::now().timestamp();
            let signature = sign(secret, &message.delivery_id, timestamp, &body);
            request = request
                .header("webhook-id", &message.delivery_id)
                .header("webhook-timestamp", timestamp.to_string())
                .header("webhook-signature", signature);
        }
        let mut response = request.body(body).send().await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        // Read (and drop) at most this much: the answer only matters as a status.
        let mut read = 0;
        while read < MAX_RESPONSE_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => read += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        Ok(status)
    }
}

/// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, the Standard
/// Webhooks signature.
pub fn sign(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    format!("v1,{}", BASE64.encode(&mac.finalize().into_bytes()))
}

/// When to try again after `attempts` failures: `first` seconds doubling
/// each time, capped at [`MAX_BACKOFF_SECS`], with ±20 % jitter so retries do
/// not arrive in waves.
pub fn next_try(first: u32, attempts: u32, now: NaiveDateTime) -> NaiveDateTime {
    let base = i64::from(first.max(1)) * 1000;
    let delay = base
        .saturating_mul(1 << attempts.saturating_sub(1).min(20))
        .min(MAX_BACKOFF_SECS * 1000);
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    now + ChronoDuration::milliseconds((delay as f64 * jitter) as i64)
}

/// An HTTP error with its causes (the guard's refusal sits among them).
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example in the Standard Webhooks specification.
        let secret = BASE64
            .decode(b"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("base64");
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let now = chrono::DateTime::from_timestamp(0, 0)
            .expect("epoch")
            .naive_utc();
        let secs =
            |attempts| (next_try(10, attempts, now) - now).num_milliseconds() as f64 / 1000.0;
        for (attempts, expected) in [(1, 10.0), (2, 20.0), (3, 40.0), (10, 3600.0), (30, 3600.0)] {
            let got = secs(attempts);
            assert!(
                got >= expected * 0.8 && got <= expected * 1.2,
                "attempt {attempts}: {got} s, expected about {expected}"
            );
        }
    }
}
