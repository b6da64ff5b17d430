//! Test support: a real Tellus server per test on a fresh database (a SQLite
//! file in a temp folder, or a new database on a throwaway PostgreSQL
//! cluster), an HTTP client with a cookie jar (logging in, reading a page's
//! CSRF token), a real SMTP listener, and the steps most tests share:
//! complaints at the public form (`complain`), reading forms (`html`), kiosk
//! tablets (`kiosk`) and gifts in a given state (`gift`).

// Not every test binary module uses every helper.
#![allow(dead_code)]

pub mod account;
pub mod cli;
pub mod complain;
pub mod gift;
pub mod html;
pub mod imap;
pub mod kiosk;
pub mod pg;
pub mod smtp;

use std::collections::HashMap;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use tellus::clock::Clock;
use tellus::config::Config;
use tellus::db::DbConnection;
use tellus::error::AppResult;
use tellus::AppState;

pub use complain::{is_reference, private_path, Complaint};
pub use html::html_unescape;
pub use smtp::{ReceivedMail, SmtpServer};

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body once per backend: `both!(name, |app| { ... });` makes
/// `name::sqlite` and `name::postgres`. The PostgreSQL one is skipped (with a
/// message) where PostgreSQL is not installed, and fails instead under CI.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                let body: fn($crate::support::Backend) = $body;
                body($crate::support::Backend::Sqlite);
            }
            #[test]
            fn postgres() {
                if $crate::support::postgres_available() {
                    let body: fn($crate::support::Backend) = $body;
                    body($crate::support::Backend::Postgres);
                }
            }
        }
    };
}

/// Whether PostgreSQL tests can run here (panics under CI when they cannot).
pub fn postgres_available() -> bool {
    pg::database_url().is_some()
}

/// Password used for accounts made by tests.
pub const PASSWORD: &str = "correct horse battery";

/// How to start a test server.
pub struct Builder {
    backend: Backend,
    env: HashMap<String, String>,
    /// Where the server must listen, when chosen up front.
    base: Option<String>,
}

impl Builder {
    /// Sets a `TELLUS_*` setting.
    pub fn env(mut self, name: &str, value: impl ToString) -> Builder {
        self.env.insert(name.to_owned(), value.to_string());
        self
    }

    /// Sends mail to this SMTP URL instead of `.eml` files.
    pub fn smtp(self, url: &str) -> Builder {
        self.env("TELLUS_SMTP_URL", url)
    }

    /// Listens on a port chosen up front and makes `TELLUS_BASE_URL` that
    /// address, so links in mail can be followed as a customer would.
    pub fn reachable(mut self) -> Builder {
        let port = smtp::free_port();
        let base = format!("http://127.0.0.1:{port}");
        self.base = Some(base.clone());
        self.env("TELLUS_BIND", format!("127.0.0.1:{port}"))
            .env("TELLUS_BASE_URL", base)
    }

    /// Starts the server and adds the shop and its people ([`TestApp::seed_shop`]).
    pub fn with_shop(self) -> TestApp {
        let app = self.start();
        app.seed_shop();
        app
    }

    /// Starts the server.
    pub fn start(self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut env = self.env;
        env.entry("TELLUS_DATA_DIR".into())
            .or_insert_with(|| dir.path().to_string_lossy().into_owned());
        env.entry("TELLUS_BIND".into())
            .or_insert_with(|| "127.0.0.1:0".into());
        env.entry("TELLUS_SECRET_KEY".into())
            .or_insert_with(|| "test-secret-key-0123456789abcdef-0123456789".into());
        env.entry("TELLUS_WORKERS".into())
            .or_insert_with(|| "2".into());
        env.entry("TELLUS_MAIL_RETRY_SECONDS".into())
            .or_insert_with(|| "1".into());
        env.entry("TELLUS_MAIL_FROM".into())
            .or_insert_with(|| "Tellus <tellus@shop.example>".into());
        if self.backend == Backend::Postgres && !env.contains_key("DATABASE_URL") {
            let url = pg::database_url().expect("PostgreSQL available");
            env.insert("DATABASE_URL".into(), url);
        }
        let config = Config::from_lookup(|name| env.get(name).cloned()).expect("test config");
        let clock = Clock::system();
        let (tx, rx) = mpsc::channel();
        let thread_clock = clock.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let running = tellus::start(config, thread_clock)
                    .await
                    .expect("server starts");
                tx.send((
                    running.addr,
                    running.server.handle(),
                    running.state.clone(),
                    running.setup_link.clone(),
                ))
                .expect("test waits");
                let _ = running.server.await;
            })
        });
        let (addr, server, state, setup_link) = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server started");
        let base = format!("http://{addr}");
        if let Some(expected) = &self.base {
            assert_eq!(
                &base, expected,
                "server listens where TELLUS_BASE_URL points"
            );
        }
        TestApp {
            base,
            backend: self.backend,
            state,
            clock,
            setup_link,
            server: Some(server),
            thread: Some(thread),
            _dir: dir,
        }
    }
}

/// A running Tellus with its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Which database.
    pub backend: Backend,
    /// The server's shared state.
    pub state: actix_web::web::Data<AppState>,
    /// The server's clock (tests move it instead of sleeping).
    pub clock: Clock,
    /// The setup link printed at start, if no owner exists.
    pub setup_link: Option<String>,
    server: Option<actix_web::dev::ServerHandle>,
    thread: Option<JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            // The stop command is sent at once; the returned future only reports completion.
            drop(server.stop(false));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl TestApp {
    /// A builder for a server on `backend`.
    pub fn builder(backend: Backend) -> Builder {
        Builder {
            backend,
            env: HashMap::new(),
            base: None,
        }
    }

    /// A server on `backend` with default settings.
    pub fn start(backend: Backend) -> TestApp {
        TestApp::builder(backend).start()
    }

    /// A server with a location `shop` ("Bakkerij De Zon"), an owner and a staff member.
    pub fn with_shop(backend: Backend) -> TestApp {
        TestApp::builder(backend).with_shop()
    }

    /// Adds the location `shop`, the owner `owner@shop.example` and staff `staff@shop.example`.
    pub fn seed_shop(&self) {
        self.add_location("shop", "Bakkerij De Zon");
        self.add_user(
            "owner@shop.example",
            "Olga Owner",
            tellus::domain::user::Role::Owner,
        );
        self.add_user(
            "staff@shop.example",
            "Sam Staff",
            tellus::domain::user::Role::Staff,
        );
    }

    /// Runs a read on the app's database.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConnection) -> AppResult<T>) -> T {
        self.state.db.read_blocking(f).expect("test read")
    }

    /// Runs a change through the app's writer.
    pub fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    ) -> T {
        self.state.db.write_blocking(f).expect("test write")
    }

    /// Runs raw SQL returning one count.
    pub fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = sql.to_owned();
        self.read(move |c| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query(sql).get_result::<Count>(c)?.n)
        })
    }

    /// Runs raw SQL returning one text column aliased `v`, one entry per row.
    pub fn texts(&self, sql: &str) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Text {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        let sql = sql.to_owned();
        self.read(move |c| {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query(sql).load::<Text>(c)?)
        })
        .into_iter()
        .map(|row| row.v)
        .collect()
    }

    /// Adds a location.
    pub fn add_location(&self, slug: &str, name: &str) {
        let (slug, name, now) = (slug.to_owned(), name.to_owned(), self.clock.now());
        self.write(move |c| tellus::domain::location::create(c, &slug, &name, now))
            .expect("valid location");
    }

    /// Adds an account with the test password.
    pub fn add_user(&self, email: &str, name: &str, role: tellus::domain::user::Role) {
        let hash = tellus::domain::user::hash_password(PASSWORD).expect("hash");
        let new = tellus::domain::user::NewUser {
            email: email.to_owned(),
            name: name.to_owned(),
            role,
        };
        let now = self.clock.now();
        self.write(move |c| tellus::domain::user::insert(c, &new, &hash, now))
            .expect("valid user");
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, seconds: i64) {
        self.clock.advance(chrono::Duration::seconds(seconds));
    }

    /// Wakes the mail worker (after moving the clock).
    pub fn kick_mail(&self) {
        self.state.mail_wake.notify_one();
    }

    /// A browser-like client with its own cookie jar, not following redirects.
    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    /// A client logged in as `email` with the test password.
    pub fn login(&self, email: &str) -> Client {
        let client = self.client();
        let res = client.log_in(email, PASSWORD);
        assert_eq!(res.status, 303, "login as {email}: {}", res.body);
        client
    }
}

/// An HTTP client with a cookie jar.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    agent: ureq::Agent,
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// A response whose body is kept as bytes, whatever its status.
#[derive(Debug)]
pub struct Download {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Download {
    /// A header's value (names are lower-cased), or "" when it is absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

impl Response {
    /// A header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The value of the hidden input named `name`.
    pub fn hidden(&self, name: &str) -> Option<String> {
        html::hidden(&self.body, name)
    }

    /// The reference (`TL-XXXX-XXXX`) on a thank-you page.
    pub fn reference(&self) -> Option<String> {
        let start = self.body.find("class=\"reference\">")? + "class=\"reference\">".len();
        Some(self.body[start..start + 12].to_owned())
    }

    /// The ticket references linked on a staff list (the inbox), top to bottom.
    pub fn ticket_references(&self) -> Vec<String> {
        self.body
            .split("href=\"/staff/tickets/")
            .skip(1)
            .map(|rest| {
                let start = rest.find('>').expect("link text") + 1;
                rest[start..start + 12].to_owned()
            })
            .collect()
    }

    /// The first link whose href starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let marker = format!("href=\"{prefix}");
        let start = self.body.find(&marker)? + "href=\"".len();
        let end = self.body[start..].find('"')? + start;
        Some(html_unescape(&self.body[start..end]))
    }
}

/// The first link starting with `prefix` in a mail's text, up to the next space.
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("link {prefix}… in:\n{text}"));
    let end = text[start..]
        .find(char::is_whitespace)
        .map_or(text.len(), |n| start + n);
    text[start..end].to_owned()
}

impl Client {
    /// The answer to a request, whatever its status.
    fn answer(result: Result<ureq::Response, ureq::Error>) -> ureq::Response {
        match result {
            Ok(res) => res,
            Err(ureq::Error::Status(_, res)) => res,
            Err(e) => panic!("request failed: {e}"),
        }
    }

    /// An answer's headers, names in lower case.
    fn headers(res: &ureq::Response) -> HashMap<String, String> {
        res.headers_names()
            .into_iter()
            .filter_map(|n| res.header(&n).map(|v| (n.to_lowercase(), v.to_owned())))
            .collect()
    }

    fn finish(result: Result<ureq::Response, ureq::Error>) -> Response {
        let res = Client::answer(result);
        let status = res.status();
        let headers = Client::headers(&res);
        let body = res.into_string().unwrap_or_default();
        Response {
            status,
            headers,
            body,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    /// GET a path.
    pub fn get(&self, path: &str) -> Response {
        Client::finish(self.agent.get(&self.url(path)).call())
    }

    /// GET a path, keeping the body as bytes (an image, a download).
    pub fn get_bytes(&self, path: &str) -> Download {
        let res = Client::answer(self.agent.get(&self.url(path)).call());
        let status = res.status();
        let headers = Client::headers(&res);
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut res.into_reader(), &mut body).expect("read body");
        Download {
            status,
            headers,
            body,
        }
    }

    /// GET with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut req = self.agent.get(&self.url(path));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        Client::finish(req.call())
    }

    /// The CSRF token of the staff page at `path` (which must open).
    pub fn csrf(&self, path: &str) -> String {
        let page = self.get(path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        page.hidden("csrf").expect("csrf token on the page")
    }

    /// Posts the form at `path` with the CSRF token of the staff page `page`
    /// (which must open) and `fields`; returns the answer, whatever its status.
    pub fn post_with_csrf(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(page);
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all)
    }

    /// Posts the form for `action` on the staff ticket page `ticket` (a path,
    /// `/staff/tickets/…`); returns the answer, whatever its status.
    pub fn ticket_action(&self, ticket: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        self.post_with_csrf(ticket, &format!("{ticket}/{action}"), fields)
    }

    /// Opens the login form and posts it with `email` and `password`;
    /// returns the answer, whatever its status.
    pub fn log_in(&self, email: &str, password: &str) -> Response {
        let page = self.get("/staff/login");
        assert_eq!(page.status, 200, "login page: {}", page.body);
        let token = page.hidden("token").expect("login token");
        self.post_form(
            "/staff/login",
            &[("email", email), ("password", password), ("token", &token)],
        )
    }

    /// POST a urlencoded form.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        Client::finish(self.agent.post(&self.url(path)).send_form(fields))
    }

    /// POST raw bytes with a content type and extra headers.
    pub fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Response {
        let mut req = self
            .agent
            .post(&self.url(path))
            .set("Content-Type", content_type);
        for (k, v) in headers {
            req = req.set(k, v);
        }
        Client::finish(req.send_bytes(body))
    }
}
