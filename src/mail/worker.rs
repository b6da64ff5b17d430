//! The mail worker: claims due outbox rows for a while (a lease, so several
//! instances on one PostgreSQL never send the same mail, and a crashed
//! instance's mail goes out after its lease), sends them one by one and
//! records each outcome as soon as it is known, so a crash resends at most the
//! mail in flight; then it sleeps until the next row is due or a new one is
//! queued. Temporary failures are logged with the server's answer and retried
//! with exponential backoff and jitter; permanent ones (a 5xx answer, a
//! malformed address, or too many attempts) are marked failed for staff.

use super::inbound::ReplyAddresses;
use super::outbox::{self, Attempt, MailKind, OutboxMail};
use super::templates::{frame, MailBrand};
use crate::clock::Clock;
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::error::Context;
use crate::error::{AppError, AppResult};
use chrono::{Duration as ChronoDuration, NaiveDateTime};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Rows claimed per round.
const BATCH: i64 = 20;
/// How long a claim holds; renewed while the round lasts, so only a crashed
/// sender's claims run out.
const LEASE_SECS: i64 = 120;
/// After a wake-up, wait this long so one round carries a burst of new mail.
const GATHER: Duration = Duration::from_millis(100);
/// Longest wait between two looks at the outbox.
const IDLE_POLL: Duration = Duration::from_secs(30);
/// Longest delay between two attempts at one mail.
const MAX_BACKOFF_SECS: i64 = 6 * 3600;

/// Where mail goes.
pub enum Transport {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder, for a first run without SMTP.
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Transport {
    /// SMTP when `TELLUS_SMTP_URL` is set, otherwise files under `<data>/mail`.
    pub fn from_config(config: &Config) -> AppResult<Transport> {
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .internal("TELLUS_SMTP_URL is not usable")?
                    .timeout(Some(Duration::from_secs(20)))
                    .build();
                Ok(Transport::Smtp(transport))
            }
            None => {
                let dir = config.mail_dir();
                std::fs::create_dir_all(&dir).map_err(|e| {
                    AppError::internal(format!("cannot create {}: {e}", dir.display()))
                })?;
                Ok(Transport::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    /// How a mail sent through this transport is recorded (`outbox.sent_via`).
    pub fn via(&self) -> &'static str {
        match self {
            Transport::Smtp(_) => outbox::SENT_BY_SMTP,
            Transport::Files(_) => outbox::SAVED_AS_FILE,
        }
    }

    async fn send(&self, message: Message) -> Result<(), (bool, String)> {
        match self {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (e.is_permanent(), e.to_string())),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (false, e.to_string())),
        }
    }
}

/// Sends mail until the process ends.
pub struct Worker {
    db: Db,
    clock: Clock,
    transport: Transport,
    from: Mailbox,
    replies: ReplyAddresses,
    retry_seconds: u32,
    max_attempts: u32,
    wake: Arc<Notify>,
    /// Public address, for the logo in the frame of every mail.
    base_url: String,
    /// The instance its claims carry.
    instance: String,
}

impl Worker {
    /// A worker for this configuration; `wake` is notified when mail is queued.
    pub fn new(
        config: &Config,
        db: Db,
        clock: Clock,
        wake: Arc<Notify>,
        instance: &str,
    ) -> AppResult<Worker> {
        let from = config.mail_from.parse().internal("TELLUS_MAIL_FROM")?;
        Ok(Worker {
            db,
            clock,
            transport: Transport::from_config(config)?,
            from,
            replies: ReplyAddresses::new(
                crate::tokens::Signer::new(&config.secret_key),
                &config.reply_domain,
            ),
            retry_seconds: config.mail_retry_seconds,
            max_attempts: config.mail_max_attempts,
            wake,
            base_url: config.base_url.clone(),
            instance: instance.to_owned(),
        })
    }

    /// The loop: send what is due, then wait for the next due row or a wake-up.
    pub async fn run(self) {
        // The only sender on a SQLite file: what it claimed before a crash
        // need not wait for the lease.
        if self.db.backend() == Backend::Sqlite {
            match self.db.write(outbox::release_claims).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "mail claimed before a restart is due again"),
                Err(e) => tracing::warn!(error = ?e, "could not release earlier mail claims"),
            }
        }
        loop {
            let sent = match self.round().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = ?e, "mail round failed");
                    0
                }
            };
            if sent as i64 >= BATCH {
                continue;
            }
            let wait = self.until_next_due().await;
            if tokio::time::timeout(wait, self.wake.notified())
                .await
                .is_ok()
            {
                tokio::time::sleep(GATHER).await;
            }
        }
    }

    async fn until_next_due(&self) -> Duration {
        let now = self.clock.now();
        let next = self
            .db
            .read(move |c| outbox::next_due_at(c, now))
            .await
            .ok()
            .flatten();
        match next {
            Some(at) => (at - self.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_POLL)
                .max(Duration::from_millis(20)),
            None => IDLE_POLL,
        }
    }

    /// Claims a batch of due mail and sends it, recording each outcome at
    /// once; returns how many were attempted.
    pub async fn round(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let lease = |at: NaiveDateTime| at + ChronoDuration::seconds(LEASE_SECS);
        let by = self.instance.clone();
        let claimed = self
            .db
            .write(move |c| outbox::claim(c, now, lease(now), BATCH, &by))
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let tickets: Vec<i64> = claimed.iter().filter_map(|m| m.ticket_id).collect();
        let (customers, (name, logo_version)) = self
            .db
            .read(move |c| {
                let customers = outbox::customer_addresses(c, &tickets)?;
                Ok((customers, crate::domain::profile::for_mail(c)?))
            })
            .await?;
        let customers: HashMap<i64, String> = customers.into_iter().collect();
        let brand = MailBrand {
            name,
            logo_url: logo_version.map(|v| format!("{}/logo?v={v}", self.base_url)),
        };
        let via = self.transport.via();
        let mut renewed = now;
        let mut attempted = 0;
        for (i, mail) in claimed.iter().enumerate() {
            // Half the lease gone: keep the rest of the batch ours.
            if self.clock.now() - renewed > ChronoDuration::seconds(LEASE_SECS / 2) {
                renewed = self.clock.now();
                let rest: Vec<i64> = claimed[i..].iter().map(|m| m.id).collect();
                self.db
                    .write(move |c| outbox::extend(c, &rest, lease(renewed)))
                    .await?;
            }
            let reply_to = self.reply_to(mail, &customers);
            let attempt = self.attempt(mail, reply_to, &brand).await;
            match &attempt {
                Attempt::Sent => {}
                Attempt::Retry(at, answer) => tracing::warn!(
                    outbox_id = mail.id,
                    kind = %mail.kind,
                    attempt = mail.attempts + 1,
                    next_attempt = %at,
                    answer,
                    "mail not delivered, will retry"
                ),
                Attempt::Failed(reason) => tracing::warn!(
                    outbox_id = mail.id,
                    kind = %mail.kind,
                    attempt = mail.attempts + 1,
                    reason,
                    "mail failed permanently"
                ),
            }
            let server_trouble = matches!(attempt, Attempt::Retry(..));
            let (id, at) = (mail.id, self.clock.now());
            self.db
                .write(move |c| outbox::record(c, id, &attempt, via, at))
                .await?;
            attempted += 1;
            // A server that is down or slow would fail the rest of the round
            // too, one timeout each: stop here and give the rest back.
            if server_trouble {
                let rest: Vec<i64> = claimed[i + 1..].iter().map(|m| m.id).collect();
                if !rest.is_empty() {
                    self.db.write(move |c| outbox::release(c, &rest)).await?;
                }
                break;
            }
        }
        Ok(attempted)
    }

    /// The signed reply address of the ticket, on the customer kinds of mail
    /// to that ticket's customer only: a staff member answering a staff mail
    /// must never become a customer message, even when a customer gave a
    /// staff member's address.
    fn reply_to(&self, mail: &OutboxMail, customers: &HashMap<i64, String>) -> Option<String> {
        let ticket_id = mail.ticket_id?;
        let to_customer = MailKind::is_to_customer(&mail.kind)
            && customers
                .get(&ticket_id)
                .is_some_and(|c| c.trim().eq_ignore_ascii_case(mail.recipient.trim()));
        to_customer.then(|| self.replies.address(ticket_id))
    }

    async fn attempt(
        &self,
        mail: &OutboxMail,
        reply_to: Option<String>,
        brand: &MailBrand,
    ) -> Attempt {
        let message = match self.build(mail, reply_to, brand) {
            Ok(message) => message,
            Err(reason) => return Attempt::Failed(reason),
        };
        match self.transport.send(message).await {
            Ok(()) => Attempt::Sent,
            Err((permanent, reason)) => {
                let attempts = mail.attempts as u32 + 1;
                if permanent || attempts >= self.max_attempts {
                    Attempt::Failed(reason)
                } else {
                    Attempt::Retry(self.next_try(attempts, self.clock.now()), reason)
                }
            }
        }
    }

    /// Exponential backoff with ±25 % jitter so retries do not arrive in waves.
    fn next_try(&self, attempts: u32, now: NaiveDateTime) -> NaiveDateTime {
        let base = i64::from(self.retry_seconds) * 1000;
        let delay = base
            .saturating_mul(1 << attempts.saturating_sub(1).min(20))
            .min(MAX_BACKOFF_SECS * 1000);
        let jitter = rand::thread_rng().gen_range(0.75..1.25);
        now + ChronoDuration::milliseconds((delay as f64 * jitter) as i64)
    }

    fn build(
        &self,
        mail: &OutboxMail,
        reply_to: Option<String>,
        brand: &MailBrand,
    ) -> Result<Message, String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|e| format!("invalid recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()));
        if let Some(reply_to) = reply_to {
            let address = reply_to
                .parse()
                .map_err(|e| format!("invalid reply address: {e}"))?;
            builder = builder.reply_to(Mailbox::new(self.from.name.clone(), address));
        }
        if let Some(parent) = &mail.in_reply_to {
            builder = builder.in_reply_to(parent.clone());
        }
        if let Some(references) = &mail.message_references {
            builder = builder.references(references.clone());
        }
        let (text, html) = frame(brand, &mail.subject, &mail.body_text, &mail.body_html);
        builder
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .map_err(|e| format!("cannot build message: {e}"))
    }
}
