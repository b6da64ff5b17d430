//! The server asks for its own `TELLUS_BASE_URL/healthz`, the way a
//! customer's phone would, and says what it found: answered ok, answered
//! with another status, could not connect, or no answer within [`TIMEOUT`].
//! One plain HTTP/1.1 GET over TCP (TLS for https), no redirects followed,
//! at most `MAX_ANSWER` bytes read.

use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest the whole check may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);
/// The most of the answer read: the status line and a short body.
const MAX_ANSWER: u64 = 16 * 1024;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// 200 with `ok`: this is a Tellus that answers.
    Ok,
    /// Another answer: its status code (404: something else answers there).
    Status(u16),
    /// No conversation: why.
    CouldNotConnect(String),
    /// No answer within [`TIMEOUT`].
    TimedOut,
}

impl Found {
    /// Stored form (`self_checks.outcome`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Found::Ok => "ok",
            Found::Status(_) => "status",
            Found::CouldNotConnect(_) => "could_not_connect",
            Found::TimedOut => "timed_out",
        }
    }

    /// The status code or the reason; empty otherwise.
    pub fn detail(&self) -> String {
        match self {
            Found::Status(code) => code.to_string(),
            Found::CouldNotConnect(why) => why.clone(),
            Found::Ok | Found::TimedOut => String::new(),
        }
    }
}

/// The address the check asks for: `{base_url}/healthz`.
pub fn health_url(base_url: &str) -> String {
    format!("{}/healthz", base_url.trim_end_matches('/'))
}

/// Asks `url` once and says what answered, within [`TIMEOUT`].
pub async fn check(url: &str) -> Found {
    match tokio::time::timeout(TIMEOUT, fetch(url)).await {
        Ok(found) => found,
        Err(_) => Found::TimedOut,
    }
}

async fn fetch(url: &str) -> Found {
    let Ok(parsed) = url::Url::parse(url) else {
        return Found::CouldNotConnect(format!("not an address: {url}"));
    };
    let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
        return Found::CouldNotConnect(format!("no host in {url}"));
    };
    // An IPv6 literal comes with brackets, which the socket address must not have.
    let bare = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let stream = match TcpStream::connect((bare.as_str(), port)).await {
        Ok(stream) => stream,
        Err(e) => return Found::CouldNotConnect(e.to_string()),
    };
    let path = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    let host_header = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: Tellus self-check\r\n\
         Accept: text/plain\r\nConnection: close\r\n\r\n"
    );
    match parsed.scheme() {
        "https" => {
            let connector = match tokio_native_tls::native_tls::TlsConnector::new() {
                Ok(c) => tokio_native_tls::TlsConnector::from(c),
                Err(e) => return Found::CouldNotConnect(e.to_string()),
            };
            match connector.connect(&bare, stream).await {
                Ok(tls) => exchange(tls, &request).await,
                Err(e) => Found::CouldNotConnect(e.to_string()),
            }
        }
        _ => exchange(stream, &request).await,
    }
}

/// Sends the request and reads the status line (and a short body).
async fn exchange(mut stream: impl AsyncRead + AsyncWrite + Unpin, request: &str) -> Found {
    if let Err(e) = stream.write_all(request.as_bytes()).await {
        return Found::CouldNotConnect(e.to_string());
    }
    let mut answer = Vec::new();
    if let Err(e) = (&mut stream)
        .take(MAX_ANSWER)
        .read_to_end(&mut answer)
        .await
    {
        // A TLS peer that closes without a close_notify still answered.
        if answer.is_empty() {
            return Found::CouldNotConnect(e.to_string());
        }
    }
    read_answer(&answer)
}

/// The verdict on a raw HTTP answer.
fn read_answer(answer: &[u8]) -> Found {
    let text = String::from_utf8_lossy(answer);
    let status = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok());
    match status {
        None => Found::CouldNotConnect("the answer was not HTTP".into()),
        Some(200) => {
            let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
            if body.trim() == "ok" {
                Found::Ok
            } else {
                Found::Status(200)
            }
        }
        Some(code) => Found::Status(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(
            read_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"),
            Found::Ok
        );
        assert_eq!(
            read_answer(b"HTTP/1.1 200 OK\r\n\r\n<html>parking page</html>"),
            Found::Status(200)
        );
        assert_eq!(
            read_answer(b"HTTP/1.1 404 Not Found\r\n\r\n"),
            Found::Status(404)
        );
        assert!(matches!(
            read_answer(b"SSH-2.0-OpenSSH"),
            Found::CouldNotConnect(_)
        ));
        assert_eq!(
            health_url("https://shop.example/"),
            "https://shop.example/healthz"
        );
    }
}
