//! Optional IMAP polling (`TELLUS_IMAP_URL`): every few seconds the server
//! looks for UNSEEN messages in one mailbox, ingests each exactly as
//! `tellus ingest-mail` does ([`super::inbound::ingest`]), and marks it
//! `\Seen` only after the ingest committed, so a crash in between means the
//! message is read again (and the Message-ID check stores it once). A mail
//! that is rejected (no valid reply address) cannot be bounced from here: it
//! is marked `\Seen` and `\Flagged` for whoever reads that mailbox.
//!
//! async-imap is used because it is maintained (it carries Delta Chat's mail)
//! and runs on the tokio runtime the server already has; TLS is native-tls,
//! which lettre already brings.

use super::inbound::{ingest, Inbox, Ingested};
use crate::db::Db;
use crate::error::Context;
use crate::error::{AppError, AppResult};
use futures_util::TryStreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// Longest wait for the server to answer one step.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Messages taken per round, so one round stays short.
const BATCH: usize = 50;

/// Where to poll, from `imaps://user:password@host:993/INBOX` (or `imap://` without TLS).
#[derive(Clone)]
pub struct ImapSource {
    tls: bool,
    host: String,
    port: u16,
    user: String,
    password: String,
    mailbox: String,
}

impl std::fmt::Debug for ImapSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}://{}@{}:{}/{}",
            if self.tls { "imaps" } else { "imap" },
            self.user,
            self.host,
            self.port,
            self.mailbox
        )
    }
}

impl ImapSource {
    /// Reads the URL; user and password may be percent-encoded, the mailbox defaults to INBOX.
    pub fn parse(raw: &str) -> Result<ImapSource, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("TELLUS_IMAP_URL: {e}"))?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => {
                return Err(format!(
                    "TELLUS_IMAP_URL: use imaps:// or imap://, not {other}://"
                ))
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("TELLUS_IMAP_URL: no host")?
            .trim_matches(['[', ']'])
            .to_owned();
        let decode = |s: &str| {
            percent_decode(s).ok_or_else(|| "TELLUS_IMAP_URL: bad percent-encoding".to_owned())
        };
        let user = decode(url.username())?;
        let password = decode(url.password().unwrap_or(""))?;
        if user.is_empty() {
            return Err("TELLUS_IMAP_URL: no user name".into());
        }
        let mailbox = decode(url.path().trim_start_matches('/'))?;
        Ok(ImapSource {
            tls,
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            host,
            user,
            password,
            mailbox: if mailbox.is_empty() {
                "INBOX".into()
            } else {
                mailbox
            },
        })
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What one look at the mailbox did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Polled {
    /// Messages stored (as replies, ignored auto-replies or duplicates).
    pub stored: usize,
    /// Messages rejected (marked seen and flagged).
    pub rejected: usize,
}

/// Polls until the process ends, waking the mail worker after each stored reply.
pub async fn run(source: ImapSource, db: Db, inbox: Inbox, every: Duration, wake: Arc<Notify>) {
    loop {
        match poll_once(&source, &db, &inbox).await {
            Ok(polled) => {
                if polled.stored > 0 {
                    wake.notify_one();
                }
            }
            Err(e) => tracing::warn!(
                source = ?source,
                error = e.cause.as_deref().unwrap_or(""),
                "IMAP poll failed"
            ),
        }
        tokio::time::sleep(every).await;
    }
}

/// One look at the mailbox: ingest every UNSEEN message (up to a batch).
pub async fn poll_once(source: &ImapSource, db: &Db, inbox: &Inbox) -> AppResult<Polled> {
    let tcp = within(TcpStream::connect((source.host.as_str(), source.port))).await?;
    if source.tls {
        let connector = native_tls_connector()?;
        let stream = within(connector.connect(&source.host, tcp)).await?;
        session(stream, source, db, inbox).await
    } else {
        session(tcp, source, db, inbox).await
    }
}

fn native_tls_connector() -> AppResult<tokio_native_tls::TlsConnector> {
    let connector = tokio_native_tls::native_tls::TlsConnector::new().internal("TLS")?;
    Ok(tokio_native_tls::TlsConnector::from(connector))
}

async fn within<T, E: std::fmt::Display>(
    step: impl std::future::Future<Output = Result<T, E>>,
) -> AppResult<T> {
    match tokio::time::timeout(TIMEOUT, step).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(AppError::internal(format!("IMAP: {e}"))),
        Err(_) => Err(AppError::internal(
            "IMAP: the server did not answer in time",
        )),
    }
}

async fn session<T>(stream: T, source: &ImapSource, db: &Db, inbox: &Inbox) -> AppResult<Polled>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut client = async_imap::Client::new(stream);
    match tokio::time::timeout(TIMEOUT, client.read_response()).await {
        Ok(Some(Ok(_greeting))) => {}
        _ => return Err(AppError::internal("IMAP: no greeting from the server")),
    }
    let mut session =
        match tokio::time::timeout(TIMEOUT, client.login(&source.user, &source.password)).await {
            Ok(Ok(session)) => session,
            Ok(Err((e, _))) => return Err(AppError::internal(format!("IMAP login: {e}"))),
            Err(_) => return Err(AppError::internal("IMAP login: no answer in time")),
        };
    within(session.select(&source.mailbox)).await?;
    let mut uids: Vec<u32> = within(session.uid_search("UNSEEN"))
        .await?
        .into_iter()
        .collect();
    uids.sort_unstable();
    let mut polled = Polled::default();
    for uid in uids.into_iter().take(BATCH) {
        let fetched: Vec<async_imap::types::Fetch> = within(async {
            session
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await?
                .try_collect()
                .await
        })
        .await?;
        let Some(raw) = fetched.iter().find_map(|f| f.body()).map(<[u8]>::to_vec) else {
            continue;
        };
        // Marked only once the ingest has committed: an error leaves it
        // unseen, for the next round.
        let flags = match ingest(db, inbox, raw).await {
            Err(e) => {
                tracing::warn!(
                    uid,
                    error = e.cause.as_deref().unwrap_or(""),
                    "IMAP message not stored yet"
                );
                continue;
            }
            Ok(Ingested::Stored(outcome)) => {
                tracing::info!(uid, %outcome, "IMAP message stored");
                polled.stored += 1;
                "+FLAGS (\\Seen)"
            }
            Ok(Ingested::Rejected(why)) => {
                tracing::warn!(uid, reason = %why, "IMAP message rejected");
                polled.rejected += 1;
                "+FLAGS (\\Seen \\Flagged)"
            }
        };
        within(async {
            session
                .uid_store(uid.to_string(), flags)
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
    }
    // The work is done; a failed goodbye changes nothing.
    let _ = tokio::time::timeout(TIMEOUT, session.logout()).await;
    Ok(polled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let s = ImapSource::parse("imaps://shop%40example.org:p%40ss@mail.example.org/Replies")
            .unwrap();
        assert!(s.tls);
        assert_eq!((s.host.as_str(), s.port), ("mail.example.org", 993));
        assert_eq!(
            (s.user.as_str(), s.password.as_str()),
            ("shop@example.org", "p@ss")
        );
        assert_eq!(s.mailbox, "Replies");
        assert!(!format!("{s:?}").contains("p@ss"));
        let s = ImapSource::parse("imap://u:p@127.0.0.1:1143").unwrap();
        assert_eq!((s.tls, s.port, s.mailbox.as_str()), (false, 1143, "INBOX"));
        assert!(ImapSource::parse("http://u:p@h/").is_err());
        assert!(ImapSource::parse("imaps://h/").is_err());
    }
}
