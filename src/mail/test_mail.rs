//! The owner's test mail: sent at once, not through the outbox, over the
//! transport the worker uses (SMTP, or a file in the data folder), within
//! [`TIMEOUT`], so the Mail page can say what happened while the owner waits:
//! delivered (with the server's answer), refused (its code and text), could
//! not connect, timed out, or saved as a file (its name).

use crate::config::Config;
use crate::i18n::Lang;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Longest the owner waits for an answer, connecting included.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What became of a test mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestOutcome {
    /// The SMTP server accepted it; its answer (`250 OK: queued`).
    Delivered(String),
    /// The SMTP server said no: its answer code and text.
    Refused(String),
    /// No conversation with the server: why (refused connection, unknown host, TLS).
    CouldNotConnect(String),
    /// The server did not answer within [`TIMEOUT`].
    TimedOut,
    /// No SMTP server is set: written to this file in the data folder.
    SavedAsFile(String),
    /// The address or the message could not be used.
    Invalid(String),
}

impl TestOutcome {
    /// Stored form (`self_checks.outcome`).
    pub fn as_str(&self) -> &'static str {
        match self {
            TestOutcome::Delivered(_) => "delivered",
            TestOutcome::Refused(_) => "refused",
            TestOutcome::CouldNotConnect(_) => "could_not_connect",
            TestOutcome::TimedOut => "timed_out",
            TestOutcome::SavedAsFile(_) => "saved_as_file",
            TestOutcome::Invalid(_) => "invalid",
        }
    }

    /// The server's answer, the reason or the file name; empty for a timeout.
    pub fn detail(&self) -> &str {
        match self {
            TestOutcome::Delivered(d)
            | TestOutcome::Refused(d)
            | TestOutcome::CouldNotConnect(d)
            | TestOutcome::SavedAsFile(d)
            | TestOutcome::Invalid(d) => d,
            TestOutcome::TimedOut => "",
        }
    }
}

/// The test mail to `to`, in the owner's language.
fn message(config: &Config, lang: Lang, to: &str) -> Result<Message, String> {
    let from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|e| format!("TELLUS_MAIL_FROM: {e}"))?;
    let to: Mailbox = to.trim().parse().map_err(|e| format!("{e}"))?;
    let body = lang.t_with("mail-test-body", &[("url", &config.base_url)]);
    Message::builder()
        .from(from)
        .to(to)
        .subject(lang.t("mail-test-subject").into_owned())
        .header(ContentType::TEXT_PLAIN)
        .body(body.into_owned())
        .map_err(|e| e.to_string())
}

/// Sends one test mail now and says what happened, in at most [`TIMEOUT`].
pub async fn send(config: &Config, lang: Lang, to: &str) -> TestOutcome {
    let message = match message(config, lang, to) {
        Ok(message) => message,
        Err(reason) => return TestOutcome::Invalid(reason),
    };
    let Some(url) = &config.smtp_url else {
        let dir = config.mail_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return TestOutcome::Invalid(format!("{}: {e}", dir.display()));
        }
        return match AsyncFileTransport::<Tokio1Executor>::new(&dir)
            .send(message)
            .await
        {
            Ok(id) => TestOutcome::SavedAsFile(format!("{id}.eml")),
            Err(e) => TestOutcome::Invalid(e.to_string()),
        };
    };
    let transport = match AsyncSmtpTransport::<Tokio1Executor>::from_url(url) {
        // A transport of its own, dropped after this one mail: the worker's
        // connections are left alone.
        Ok(builder) => builder.timeout(Some(TIMEOUT)).build(),
        Err(e) => return TestOutcome::Invalid(format!("TELLUS_SMTP_URL: {e}")),
    };
    // lettre's timeout bounds each step; this bounds the whole conversation.
    match tokio::time::timeout(TIMEOUT, transport.send(message)).await {
        Err(_) => TestOutcome::TimedOut,
        Ok(Ok(response)) => {
            let text: Vec<&str> = response.message().collect();
            TestOutcome::Delivered(format!("{} {}", response.code(), text.join(" ")))
        }
        Ok(Err(e)) if e.is_timeout() => TestOutcome::TimedOut,
        Ok(Err(e)) => match e.status() {
            Some(code) => {
                let text = std::error::Error::source(&e)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                TestOutcome::Refused(format!("{code} {text}").trim().to_owned())
            }
            None => TestOutcome::CouldNotConnect(e.to_string()),
        },
    }
}
