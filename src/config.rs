//! Settings: read once from the environment at start, validated, with working
//! defaults so a first run needs nothing. Secrets never appear in logs: `Debug`
//! redacts them.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Where the data lives: an embedded SQLite file or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// Path of the SQLite database file.
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Reads `DATABASE_URL` syntax: a `postgres://` URL, a `sqlite://` URL or a plain path.
    pub fn parse(raw: &str) -> DatabaseUrl {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return DatabaseUrl::Postgres(raw.to_owned());
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .unwrap_or(raw);
        DatabaseUrl::Sqlite(PathBuf::from(path))
    }

    /// The URL with any password replaced, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_url_password(url),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Every setting Tellus runs with.
#[derive(Clone)]
pub struct Config {
    /// Address the HTTP server listens on (`TELLUS_BIND`).
    pub bind: SocketAddr,
    /// Folder for the SQLite database, the secret key and `.eml` files (`TELLUS_DATA_DIR`).
    pub data_dir: PathBuf,
    /// The database (`DATABASE_URL`, default `<data>/tellus.db`).
    pub database_url: DatabaseUrl,
    /// Public address used in links in emails and QR codes (`TELLUS_BASE_URL`).
    pub base_url: String,
    /// The origin every state-changing browser request must come from: that
    /// of `TELLUS_BASE_URL` when it is set. Without it (the address derived
    /// from `TELLUS_BIND`, which browsers may reach by another name) only
    /// `Sec-Fetch-Site` and the forms' tokens guard.
    pub own_origin: Option<String>,
    /// SMTP server in lettre's URL form (`TELLUS_SMTP_URL`); `None` writes `.eml` files.
    pub smtp_url: Option<String>,
    /// The From address of every mail (`TELLUS_MAIL_FROM`).
    pub mail_from: String,
    /// Key for signing form tokens and reply addresses (`TELLUS_SECRET_KEY`, else a file in the data folder).
    pub secret_key: Vec<u8>,
    /// Public submissions per IP address per minute before they go to quarantine (`TELLUS_PUBLIC_RATE_LIMIT`).
    pub public_rate_limit: u32,
    /// API requests per key per minute (`TELLUS_API_RATE_LIMIT`).
    pub api_rate_limit: u32,
    /// A form sent back sooner than this after it was served is quarantined (`TELLUS_FORM_MIN_SECONDS`).
    pub form_min_seconds: u32,
    /// First retry delay of a failed mail; it doubles each time (`TELLUS_MAIL_RETRY_SECONDS`).
    pub mail_retry_seconds: u32,
    /// Attempts before a mail is marked as failed for staff to see (`TELLUS_MAIL_MAX_ATTEMPTS`).
    pub mail_max_attempts: u32,
    /// How long a staff session lasts at most, however busy (`TELLUS_SESSION_HOURS`).
    pub session_hours: u32,
    /// A staff session unused for this long ends (`TELLUS_SESSION_IDLE_MINUTES`).
    pub session_idle_minutes: u32,
    /// Domain of the signed reply addresses (`TELLUS_REPLY_DOMAIN`, default: the From domain).
    pub reply_domain: String,
    /// Largest attachment kept from a customer's mail (`TELLUS_ATTACHMENT_MAX_BYTES`).
    pub attachment_max_bytes: usize,
    /// Mailbox polled for replies, e.g. `imaps://user:pass@host:993/INBOX` (`TELLUS_IMAP_URL`).
    pub imap_url: Option<String>,
    /// Seconds between two looks at that mailbox (`TELLUS_IMAP_POLL_SECONDS`).
    pub imap_poll_seconds: u32,
    /// HTTP worker threads (`TELLUS_WORKERS`, default: one per core).
    pub workers: usize,
    /// Private address ranges webhooks and chat messages may still go to
    /// (`TELLUS_WEBHOOK_ALLOW_PRIVATE`, comma-separated CIDR ranges; default none).
    pub webhook_allow_private: Vec<crate::delivery::guard::Net>,
    /// First retry delay of an undelivered webhook or chat message; it
    /// doubles each time, up to an hour (`TELLUS_WEBHOOK_RETRY_SECONDS`).
    pub webhook_retry_seconds: u32,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url)
            .field("base_url", &self.base_url)
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(redact_url_password),
            )
            .field("mail_from", &self.mail_from)
            .field("secret_key", &"[redacted]")
            .field("public_rate_limit", &self.public_rate_limit)
            .field("api_rate_limit", &self.api_rate_limit)
            .field("form_min_seconds", &self.form_min_seconds)
            .field("mail_retry_seconds", &self.mail_retry_seconds)
            .field("mail_max_attempts", &self.mail_max_attempts)
            .field("session_hours", &self.session_hours)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("reply_domain", &self.reply_domain)
            .field("attachment_max_bytes", &self.attachment_max_bytes)
            .field(
                "imap_url",
                &self.imap_url.as_deref().map(redact_url_password),
            )
            .field("imap_poll_seconds", &self.imap_poll_seconds)
            .field("workers", &self.workers)
            .field("webhook_allow_private", &self.webhook_allow_private)
            .field("webhook_retry_seconds", &self.webhook_retry_seconds)
            .finish()
    }
}

/// A setting that cannot be used, with the variable to fix.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the settings from any name → value lookup (the environment, or a test's map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let bind: SocketAddr = parse_or(&get, "TELLUS_BIND", "127.0.0.1:8080".parse().ok())?;
        let data_dir = PathBuf::from(get("TELLUS_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match get("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(&url),
            None => DatabaseUrl::Sqlite(data_dir.join("tellus.db")),
        };
        let explicit_base_url = get("TELLUS_BASE_URL");
        let own_origin = explicit_base_url.as_deref().and_then(crate::web::origin_of);
        let base_url = explicit_base_url
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        check_base_url(&base_url)?;
        let secret_key = match get("TELLUS_SECRET_KEY") {
            Some(key) if key.len() >= 32 => key.into_bytes(),
            Some(_) => {
                return Err(ConfigError(
                    "TELLUS_SECRET_KEY must be at least 32 characters".into(),
                ))
            }
            None => load_or_create_secret(&data_dir)?,
        };
        let mail_from =
            get("TELLUS_MAIL_FROM").unwrap_or_else(|| "Tellus <tellus@localhost>".into());
        let reply_domain = get("TELLUS_REPLY_DOMAIN")
            .unwrap_or_else(|| crate::mail::address_domain(&mail_from).unwrap_or_default())
            .trim()
            .to_ascii_lowercase();
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Config {
            bind,
            data_dir,
            database_url,
            base_url,
            own_origin,
            smtp_url: get("TELLUS_SMTP_URL"),
            mail_from,
            reply_domain,
            attachment_max_bytes: parse_or(&get, "TELLUS_ATTACHMENT_MAX_BYTES", Some(10 << 20))?,
            imap_url: get("TELLUS_IMAP_URL"),
            imap_poll_seconds: parse_or(&get, "TELLUS_IMAP_POLL_SECONDS", Some(60))?,
            secret_key,
            public_rate_limit: parse_or(&get, "TELLUS_PUBLIC_RATE_LIMIT", Some(10))?,
            api_rate_limit: parse_or(&get, "TELLUS_API_RATE_LIMIT", Some(600))?,
            form_min_seconds: parse_or(&get, "TELLUS_FORM_MIN_SECONDS", Some(2))?,
            mail_retry_seconds: parse_or(&get, "TELLUS_MAIL_RETRY_SECONDS", Some(30))?,
            mail_max_attempts: parse_or(&get, "TELLUS_MAIL_MAX_ATTEMPTS", Some(10))?,
            session_hours: parse_or(&get, "TELLUS_SESSION_HOURS", Some(12))?,
            session_idle_minutes: parse_or(&get, "TELLUS_SESSION_IDLE_MINUTES", Some(120))?,
            workers: parse_or(&get, "TELLUS_WORKERS", Some(workers))?,
            webhook_allow_private: crate::delivery::guard::parse_list(
                &get("TELLUS_WEBHOOK_ALLOW_PRIVATE").unwrap_or_default(),
            )
            .map_err(|e| ConfigError(format!("TELLUS_WEBHOOK_ALLOW_PRIVATE: {e}")))?,
            webhook_retry_seconds: parse_or(&get, "TELLUS_WEBHOOK_RETRY_SECONDS", Some(10))?,
        })
        .and_then(Config::validated)
    }

    fn validated(self) -> Result<Config, ConfigError> {
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "TELLUS_MAIL_FROM is not a mail address: {}",
                self.mail_from
            )));
        }
        let domain_ok = |d: &str| {
            !d.is_empty()
                && d.split('.').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                })
        };
        if !domain_ok(&self.reply_domain) {
            return Err(ConfigError(format!(
                "TELLUS_REPLY_DOMAIN is not a domain name: {}",
                self.reply_domain
            )));
        }
        if self.imap_poll_seconds == 0 {
            return Err(ConfigError(
                "TELLUS_IMAP_POLL_SECONDS must be above 0".into(),
            ));
        }
        if self.workers == 0 || self.session_hours == 0 || self.mail_max_attempts == 0 {
            return Err(ConfigError(
                "TELLUS_WORKERS, TELLUS_SESSION_HOURS and TELLUS_MAIL_MAX_ATTEMPTS must be above 0"
                    .into(),
            ));
        }
        if self.session_idle_minutes == 0 {
            return Err(ConfigError(
                "TELLUS_SESSION_IDLE_MINUTES must be above 0".into(),
            ));
        }
        // Hours longer than a year overflow nothing, but are surely a typo.
        if self.session_hours > 24 * 366 {
            return Err(ConfigError(
                "TELLUS_SESSION_HOURS must be at most 8784 (a year)".into(),
            ));
        }
        Ok(self)
    }

    /// Whether cookies must carry `Secure` (everything but plain-HTTP localhost).
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Folder where mails go when no SMTP server is set.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// Whether mail is only written to files in [`Config::mail_dir`] (no
    /// `TELLUS_SMTP_URL`): nothing leaves this server.
    pub fn mail_saved_as_files(&self) -> bool {
        self.smtp_url.is_none()
    }

    /// The SMTP server mail goes to, as `host:port`, without user or password.
    pub fn smtp_server(&self) -> Option<String> {
        let url = url::Url::parse(self.smtp_url.as_deref()?).ok()?;
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        })
    }

    /// What is wrong with `TELLUS_BASE_URL` as the address customers' phones
    /// and the shop's tablets use (QR codes, posters, mail links), if anything.
    pub fn public_address_problem(&self) -> Option<AddressProblem> {
        address_problem(&self.base_url)
    }
}

/// Why the public address (`TELLUS_BASE_URL`) will not work for customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    /// 127.0.0.0/8, ::1 or localhost: only this computer reaches it.
    ThisComputer,
    /// A private or link-local address or a `.local` name: only this network.
    ThisNetwork,
    /// Plain http on a public name: browsers warn and cookies are not protected.
    PlainHttp,
}

impl AddressProblem {
    /// The catalogue key part: `this-computer`, `this-network`, `plain-http`.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressProblem::ThisComputer => "this-computer",
            AddressProblem::ThisNetwork => "this-network",
            AddressProblem::PlainHttp => "plain-http",
        }
    }
}

/// The one judgement of a public address: loopback, private or link-local
/// (IPv4 and IPv6, and `.local` names), or plain http on a name elsewhere.
pub fn address_problem(base_url: &str) -> Option<AddressProblem> {
    use std::net::IpAddr;
    let Ok(url) = url::Url::parse(base_url) else {
        return Some(AddressProblem::ThisComputer);
    };
    let host = match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                return Some(AddressProblem::ThisComputer);
            }
            if name.ends_with(".local") || !name.contains('.') {
                return Some(AddressProblem::ThisNetwork);
            }
            None
        }
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        None => return Some(AddressProblem::ThisComputer),
    };
    match host {
        Some(ip) if ip.is_loopback() || ip.is_unspecified() => Some(AddressProblem::ThisComputer),
        Some(IpAddr::V4(ip)) if ip.is_private() || ip.is_link_local() => {
            Some(AddressProblem::ThisNetwork)
        }
        Some(IpAddr::V6(ip))
            if (ip.segments()[0] & 0xfe00) == 0xfc00 || (ip.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            Some(AddressProblem::ThisNetwork)
        }
        _ if url.scheme() != "https" => Some(AddressProblem::PlainHttp),
        _ => None,
    }
}

fn parse_or<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: Option<T>,
) -> Result<T, ConfigError> {
    match get(name) {
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|_| ConfigError(format!("{name} has an invalid value: {raw}"))),
        None => default.ok_or_else(|| ConfigError(format!("{name} is required"))),
    }
}

/// Plain HTTP is accepted only for a local address: cookies must be `Secure` elsewhere.
fn check_base_url(url: &str) -> Result<(), ConfigError> {
    if url.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = url.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if matches!(host, "localhost" | "127.0.0.1" | "[" | "") || host.starts_with("127.") {
            return Ok(());
        }
        return Err(ConfigError(format!(
            "TELLUS_BASE_URL must use https:// unless it is localhost: {url}"
        )));
    }
    Err(ConfigError(format!(
        "TELLUS_BASE_URL must start with http:// or https://: {url}"
    )))
}

/// The signing key lives in the data folder so links keep working across restarts.
fn load_or_create_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join("secret.key");
    if let Ok(key) = std::fs::read(&path) {
        if key.len() >= 32 {
            return Ok(key);
        }
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|e| ConfigError(format!("cannot create {}: {e}", data_dir.display())))?;
    let key = crate::tokens::random_token().into_bytes();
    write_private(&path, &key)
        .map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

fn redact_url_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_forms() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            DatabaseUrl::Postgres("postgres://u:p@h/db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db"),
            DatabaseUrl::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("x.db"),
            DatabaseUrl::Sqlite("x.db".into())
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url_password("smtp://user:secret@mail:25"),
            "smtp://user:***@mail:25"
        );
        let config = Config::from_lookup(|name| match name {
            "TELLUS_SECRET_KEY" => Some("k".repeat(40)),
            "TELLUS_SMTP_URL" => Some("smtp://a:hunter2@h".into()),
            _ => None,
        })
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2") && !shown.contains(&"k".repeat(40)));
    }

    #[test]
    fn session_limits_are_checked() {
        let with = |name: &'static str, value: &'static str| {
            Config::from_lookup(move |n| match n {
                "TELLUS_SECRET_KEY" => Some("k".repeat(40)),
                _ if n == name => Some(value.into()),
                _ => None,
            })
        };
        assert_eq!(
            with("TELLUS_SESSION_IDLE_MINUTES", "30")
                .unwrap()
                .session_idle_minutes,
            30
        );
        assert!(with("TELLUS_SESSION_IDLE_MINUTES", "0").is_err());
        assert!(with("TELLUS_SESSION_IDLE_MINUTES", "soon").is_err());
        assert!(with("TELLUS_SESSION_HOURS", "100000").is_err());
    }

    #[test]
    fn reply_domain_defaults_to_the_from_domain() {
        let config = |from: &str, domain: Option<&str>| {
            let (from, domain) = (from.to_owned(), domain.map(str::to_owned));
            Config::from_lookup(move |name| match name {
                "TELLUS_SECRET_KEY" => Some("k".repeat(40)),
                "TELLUS_MAIL_FROM" => Some(from.clone()),
                "TELLUS_REPLY_DOMAIN" => domain.clone(),
                _ => None,
            })
        };
        let c = config("Shop <shop@Mail.Example.org>", None).unwrap();
        assert_eq!(c.reply_domain, "mail.example.org");
        assert_eq!(c.attachment_max_bytes, 10 << 20);
        let c = config("shop@example.org", Some("replies.example.org")).unwrap();
        assert_eq!(c.reply_domain, "replies.example.org");
        assert!(config("shop@example.org", Some("bad domain")).is_err());
    }

    #[test]
    fn public_address_problems() {
        use AddressProblem::*;
        for (url, want) in [
            ("http://127.0.0.1:8080", Some(ThisComputer)),
            ("http://127.4.5.6", Some(ThisComputer)),
            ("http://localhost:8080", Some(ThisComputer)),
            ("http://[::1]:8080", Some(ThisComputer)),
            ("http://0.0.0.0:8080", Some(ThisComputer)),
            ("https://10.1.2.3", Some(ThisNetwork)),
            ("https://172.16.0.9", Some(ThisNetwork)),
            ("https://172.31.255.1", Some(ThisNetwork)),
            ("https://192.168.1.20:8443", Some(ThisNetwork)),
            ("https://169.254.10.10", Some(ThisNetwork)),
            ("https://[fd12::1]", Some(ThisNetwork)),
            ("https://[fe80::1]", Some(ThisNetwork)),
            ("https://shop.local", Some(ThisNetwork)),
            ("https://tellus", Some(ThisNetwork)),
            ("http://feedback.shop.example", Some(PlainHttp)),
            ("http://172.32.0.1", Some(PlainHttp)),
            ("https://172.32.0.1", None),
            ("https://feedback.shop.example", None),
            ("https://feedback.shop.example/tellus", None),
        ] {
            assert_eq!(address_problem(url), want, "{url}");
        }
    }

    #[test]
    fn mail_transport_in_words() {
        let config = |smtp: Option<&'static str>| {
            Config::from_lookup(move |name| match name {
                "TELLUS_SECRET_KEY" => Some("k".repeat(40)),
                "TELLUS_SMTP_URL" => smtp.map(str::to_owned),
                _ => None,
            })
            .unwrap()
        };
        assert!(config(None).mail_saved_as_files());
        let smtp = config(Some("smtps://user:hunter2@mail.shop.example:465"));
        assert!(!smtp.mail_saved_as_files());
        assert_eq!(smtp.smtp_server().as_deref(), Some("mail.shop.example:465"));
    }

    #[test]
    fn private_webhook_ranges_are_checked_at_start() {
        let with = |value: &str| {
            Config::from_lookup(|name| match name {
                "TELLUS_SECRET_KEY" => Some("k".repeat(40)),
                "TELLUS_WEBHOOK_ALLOW_PRIVATE" => Some(value.to_owned()),
                _ => None,
            })
        };
        let ok = with("127.0.0.0/8, ::1/128").expect("valid ranges");
        assert_eq!(ok.webhook_allow_private.len(), 2);
        let err = with("10.0.0.0/40").expect_err("a bad prefix");
        assert!(err.0.contains("TELLUS_WEBHOOK_ALLOW_PRIVATE"), "{}", err.0);
        assert!(with("intranet").is_err());
    }

    #[test]
    fn plain_http_only_for_localhost() {
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://localhost").is_ok());
        assert!(check_base_url("https://shop.example").is_ok());
        assert!(check_base_url("http://shop.example").is_err());
        assert!(check_base_url("ftp://x").is_err());
    }
}
