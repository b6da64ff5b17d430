//! First run and the command line: the one-time setup link (works once, keeps
//! what was typed on bad input, dies once an owner exists) and the `tellus`
//! binary itself (`migrate`, `location add|list`, `user add` with a piped or
//! generated password, `serve` printing the setup link, refusing bad settings,
//! and answering `/healthz` and logins), on SQLite and PostgreSQL.
//!
//! The process helpers here ([`Tellus`], [`Served`]) are shared with the
//! durability test.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::both;
use crate::support::html::hidden;
use crate::support::{pg, Backend, TestApp};

/// Password of the owner made by these tests.
const OWNER_PASSWORD: &str = "a long enough password";

// ---------------------------------------------------------------------------
// The setup link, through the test harness.
// ---------------------------------------------------------------------------

/// The path of a setup link (`/setup/…`), whatever base address it was printed with.
fn setup_path(link: &str) -> String {
    let at = link
        .find("/setup/")
        .unwrap_or_else(|| panic!("not a setup link: {link}"));
    link[at..].to_owned()
}

/// The setup form's fields, with the given ones replaced.
fn setup_fields<'a>(token: &'a str, replace: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("form_token", token),
        ("name", "Olga Owner"),
        ("email", "olga@shop.example"),
        ("password", OWNER_PASSWORD),
        ("location_name", "Bakkerij De Zon"),
        ("slug", "de-zon"),
        ("lang", "en"),
    ];
    for (name, value) in replace {
        let field = fields
            .iter_mut()
            .find(|(n, _)| n == name)
            .expect("known field");
        field.1 = value;
    }
    fields
}

/// The signed form token a setup page carries (as a browser would send it back).
fn page_token(app: &TestApp) -> String {
    app.state
        .signer
        .form_token("setup", app.clock.now().and_utc().timestamp())
}

both!(setup_link_works_once, |backend| {
    let app = TestApp::start(backend);
    let link = app
        .setup_link
        .clone()
        .expect("a setup link while no owner exists");
    let path = setup_path(&link);
    let client = app.client();

    let form = client.get(&format!("{path}?lang=en"));
    assert_eq!(form.status, 200, "setup form: {}", form.body);
    assert!(form.body.contains("Set up Tellus"), "{}", form.body);
    assert!(form.body.contains("name=\"slug\""), "{}", form.body);

    let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
    assert_eq!(done.status, 200, "setup: {}", done.body);
    assert!(done.body.contains("Tellus is ready"), "{}", done.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE role = 'owner'"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM locations WHERE slug = 'de-zon'"),
        1
    );

    // The new location's form is open to customers.
    let public = client.get("/f/de-zon");
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Bakkerij De Zon"));

    // The owner logs in with what they just chose.
    let res = app.client().log_in("olga@shop.example", OWNER_PASSWORD);
    assert_eq!(res.status, 303, "owner login: {}", res.body);

    // The link is spent: neither the page nor a second submission works.
    assert_eq!(client.get(&path).status, 404);
    let again = client.post_form(
        &path,
        &setup_fields(
            &page_token(&app),
            &[("email", "mallory@shop.example"), ("slug", "other")],
        ),
    );
    assert_eq!(again.status, 404);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM users"), 1);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM locations"), 1);

    // A made-up link was never valid.
    assert_eq!(client.get("/setup/xyz").status, 404);
    assert_eq!(
        client
            .post_form("/setup/xyz", &setup_fields(&page_token(&app), &[]))
            .status,
        404
    );
});

both!(
    setup_bad_input_keeps_fields_and_creates_nothing,
    |backend| {
        let app = TestApp::start(backend);
        let path = setup_path(app.setup_link.as_deref().expect("setup link"));
        let client = app.client();
        let cases: [(&str, &str, &str); 3] = [
            ("password", "short", "at least 10 characters"),
            ("slug", "A B", "Use 2 to 60 lowercase letters"),
            (
                "email",
                "not-an-email",
                "does not look like an email address",
            ),
        ];
        let token = page_token(&app);
        for (field, value, message) in cases {
            let fields = setup_fields(&token, &[(field, value)]);
            let res = client.post_form(&path, &fields);
            assert_eq!(res.status, 422, "{field}={value}: {}", res.body);
            assert!(
                res.body.contains(message),
                "{field}={value}: no `{message}` in {}",
                res.body
            );
            // What was typed comes back, except any password.
            for (name, typed) in &fields {
                match *name {
                    "password" | "lang" => {}
                    _ => assert!(
                        res.body.contains(&format!("value=\"{typed}\"")),
                        "{field}={value}: `{name}` not kept in {}",
                        res.body
                    ),
                }
            }
            let password = fields
                .iter()
                .find(|(n, _)| *n == "password")
                .expect("password")
                .1;
            assert!(
                !res.body.contains(password),
                "{field}={value}: the password came back"
            );
            assert_eq!(
                app.count("SELECT COUNT(*) AS n FROM users"),
                0,
                "{field}={value}"
            );
            assert_eq!(
                app.count("SELECT COUNT(*) AS n FROM locations"),
                0,
                "{field}={value}"
            );
        }
        // A mistake does not burn the link.
        assert_eq!(client.get(&path).status, 200);
        let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
        assert_eq!(done.status, 200, "{}", done.body);
    }
);

/// An owner added from the shell ends the setup link the server printed, and a
/// restarted server prints none.
#[test]
fn owner_from_cli_ends_the_setup_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let start = || {
        TestApp::builder(Backend::Sqlite)
            .env("TELLUS_DATA_DIR", dir.path().display())
            .start()
    };
    let app = start();
    let path = setup_path(
        app.setup_link
            .as_deref()
            .expect("setup link on an empty database"),
    );
    let client = app.client();
    assert_eq!(client.get(&path).status, 200);

    let out = cli.add_user(
        "olga@shop.example",
        "Olga",
        "owner",
        &format!("{OWNER_PASSWORD}\n"),
    );
    out.assert_success();
    assert_eq!(
        client.get(&path).status,
        404,
        "the printed link still works after an owner was added"
    );
    drop(app);
    // The stopped app's connections close on their own threads; the last one
    // checkpoints under an exclusive lock and removes the WAL file. Starting
    // again before that trips over the lock (see
    // `cli_waits_for_a_briefly_locked_database`), so wait for it.
    let wal = dir.path().join("tellus.db-wal");
    let deadline = Instant::now() + Duration::from_secs(10);
    while wal.exists() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }

    let app = start();
    assert_eq!(
        app.setup_link, None,
        "a restart with an owner printed a setup link"
    );
    assert_eq!(app.client().get(&path).status, 404);
    // The owner made on the command line logs in to the restarted server.
    let res = app.client().log_in("olga@shop.example", OWNER_PASSWORD);
    assert_eq!(res.status, 303, "{}", res.body);
}

/// Adding a staff member from the shell before setup leaves the printed setup link working.
#[test]
fn staff_from_cli_keeps_the_setup_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let app = TestApp::builder(Backend::Sqlite)
        .env("TELLUS_DATA_DIR", dir.path().display())
        .start();
    let path = setup_path(
        app.setup_link
            .as_deref()
            .expect("setup link on an empty database"),
    );
    let out = cli.add_user(
        "sam@shop.example",
        "Sam",
        "staff",
        "a long staff password\n",
    );
    out.assert_success();
    let client = app.client();
    assert_eq!(
        client.get(&path).status,
        200,
        "adding a staff member killed the setup link the server printed"
    );
    let done = client.post_form(&path, &setup_fields(&page_token(&app), &[]));
    assert_eq!(done.status, 200, "{}", done.body);
}

// ---------------------------------------------------------------------------
// The binary.
// ---------------------------------------------------------------------------

both!(cli_commands_and_serve, |backend| {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg::database_url().expect("PostgreSQL available")),
    };
    let cli = Tellus::new(dir.path(), database_url);

    let out = cli.run(&["migrate"], "");
    out.assert_success();
    assert!(out.stdout.contains("migrations applied"), "{out:?}");

    let out = cli.add_location("main-street", "Main Street");
    out.assert_success();
    assert!(out.stdout.contains("/f/main-street"), "{out:?}");
    let out = cli.run(&["location", "list"], "");
    out.assert_success();
    assert!(
        out.stdout.contains("main-street\tactive\tMain Street"),
        "{out:?}"
    );

    let out = cli.add_location("main-street", "Again");
    assert!(
        !out.status.success(),
        "a duplicate slug was accepted: {out:?}"
    );
    assert!(
        out.stderr.contains("already in use"),
        "unclear message: {out:?}"
    );
    let out = cli.run(&["location", "add", "--slug", "A B", "--name", "Bad"], "");
    assert!(!out.status.success(), "a bad slug was accepted: {out:?}");
    assert!(out.stderr.contains("lowercase"), "unclear message: {out:?}");
    let out = cli.run(&["location", "list"], "");
    assert_eq!(out.stdout.lines().count(), 1, "{out:?}");

    // Password on stdin: used as given, never echoed.
    let out = cli.add_user(
        "e@x.example",
        "Erin Owner",
        "owner",
        &format!("{OWNER_PASSWORD}\n"),
    );
    out.assert_success();
    assert!(out.stdout.contains("e@x.example"), "{out:?}");
    assert!(
        !out.stdout.contains(OWNER_PASSWORD) && !out.stderr.contains(OWNER_PASSWORD),
        "{out:?}"
    );

    // Nothing on stdin: a password is generated and shown once.
    let out = cli.add_user("s@x.example", "Sam Staff", "staff", "");
    out.assert_success();
    let marker = "password (shown once): ";
    assert_eq!(out.stdout.matches(marker).count(), 1, "{out:?}");
    let generated = out
        .stdout
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("password");
    let generated = generated.trim().to_owned();
    assert!(
        generated.len() >= 10,
        "weak generated password: {generated:?}"
    );

    let out = cli.add_user("e@x.example", "Twice", "staff", "another long password\n");
    assert!(
        !out.status.success(),
        "a taken address was accepted: {out:?}"
    );
    assert!(out.stderr.contains("already has an account"), "{out:?}");
    let out = cli.add_user("t@x.example", "Tim", "staff", "short\n");
    assert!(
        !out.status.success(),
        "a short password was accepted: {out:?}"
    );
    assert!(out.stderr.contains("at least 10"), "{out:?}");

    // The server on the same database: both passwords work, a wrong one does not.
    let mut server = cli.serve(&[]);
    server.wait_healthy(Duration::from_secs(30));
    let running = server.wait_line("Tellus is running", Duration::from_secs(10));
    assert!(
        running.is_some(),
        "no start message; stdout: {:?}",
        server.stdout_seen
    );
    let http = Http::new(&server.base);
    assert_eq!(http.get("/healthz").0, 200);
    assert_eq!(http.get("/f/main-street").0, 200);
    assert_eq!(
        http.login("e@x.example", OWNER_PASSWORD),
        303,
        "piped password"
    );
    assert_eq!(
        http.login("s@x.example", &generated),
        303,
        "generated password"
    );
    assert_eq!(http.login("s@x.example", "not the password"), 401);
    server.stop();
    let stdout = server.stdout_seen.join("\n");
    assert!(
        !stdout.contains("/setup/"),
        "setup link printed although an owner exists: {stdout}"
    );
});

both!(serve_prints_a_working_setup_link, |backend| {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg::database_url().expect("PostgreSQL available")),
    };
    let cli = Tellus::new(dir.path(), database_url);
    let mut server = cli.serve(&[]);
    let line = server.wait_line("/setup/", Duration::from_secs(30));
    let line = line.unwrap_or_else(|| {
        panic!(
            "no setup link printed; stdout {:?}, stderr {}",
            server.stdout_seen,
            server.stderr()
        )
    });
    let link = line
        .split_whitespace()
        .find(|w| w.contains("/setup/"))
        .expect("link in line");
    assert!(
        link.starts_with(&server.base),
        "link {link} is not on {}",
        server.base
    );
    server.wait_healthy(Duration::from_secs(30));
    let http = Http::new(&server.base);
    assert_eq!(http.get("/healthz").0, 200);
    // The printed address opens the setup form.
    let (status, body) = http.get(link);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("name=\"location_name\""), "{body}");
});

#[test]
fn serve_refuses_bad_settings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    let cases = [
        ("TELLUS_BASE_URL", "http://shop.example"),
        ("TELLUS_BIND", "not-an-address"),
        ("TELLUS_SECRET_KEY", "too-short"),
    ];
    for (name, value) in cases {
        let out = cli.run_with(&["serve"], "", &[(name, value)]);
        assert_eq!(out.status.code(), Some(2), "{name}={value}: {out:?}");
        assert!(
            out.stderr.contains(name),
            "{name}={value}: message does not name it: {out:?}"
        );
    }
    // Nothing was started or created on the way out.
    assert!(
        !dir.path().join("tellus.db").exists(),
        "a refused start created the database"
    );
}

/// A command run while the database is locked for a moment (as it is while a
/// stopping server checkpoints its last connection) waits for the lock, as the
/// app's 10 s busy timeout promises, instead of failing with "database is locked".
#[test]
fn cli_waits_for_a_briefly_locked_database() {
    use diesel::connection::SimpleConnection;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};

    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    cli.run(&["location", "add", "--slug", "shop", "--name", "Shop"], "")
        .assert_success();
    let path = dir.path().join("tellus.db").to_string_lossy().into_owned();
    let (locked, is_locked) = mpsc::channel();
    let holder = thread::spawn(move || {
        let mut conn = SqliteConnection::establish(&path).expect("open the database");
        conn.batch_execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .expect("lock the database");
        diesel::sql_query("SELECT 1 FROM locations")
            .execute(&mut conn)
            .expect("read under the lock");
        locked.send(()).expect("test waits");
        thread::sleep(Duration::from_millis(1500));
        // The lock goes when the connection closes, at the end of this thread.
        conn.batch_execute("COMMIT;").expect("commit");
    });
    is_locked
        .recv_timeout(Duration::from_secs(10))
        .expect("database locked");
    let out = cli.run(&["location", "list"], "");
    holder.join().expect("lock holder");
    out.assert_success();
    assert!(out.stdout.contains("shop"), "{out:?}");
}

// ---------------------------------------------------------------------------
// Process helpers (also used by `durability`).
// ---------------------------------------------------------------------------

/// What a finished `tellus` command printed.
#[derive(Debug)]
pub(crate) struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Panics, showing the output, unless the command exited 0.
    pub fn assert_success(&self) {
        assert!(self.status.success(), "command failed: {self:?}");
    }
}

/// The `tellus` binary on one data folder (and optionally a PostgreSQL database).
pub(crate) struct Tellus {
    data_dir: PathBuf,
    database_url: Option<String>,
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Text read from a pipe by a thread, and word from that thread once it hit the end.
struct Drained {
    text: Arc<Mutex<String>>,
    done: Receiver<()>,
}

impl Drained {
    /// Everything read by the time the pipe ends (or `within` passes).
    fn finish(&self, within: Duration) -> String {
        let _ = self.done.recv_timeout(within);
        taken(&self.text)
    }
}

/// Reads `from` to the end on a thread, appending to a shared buffer.
fn drain(mut from: impl Read + Send + 'static) -> Drained {
    let buffer = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&buffer);
    let (tx, done) = mpsc::channel();
    thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&chunk[..n]).into_owned();
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push_str(&text);
        }
        let _ = tx.send(());
    });
    Drained { text: buffer, done }
}

fn taken(buffer: &Arc<Mutex<String>>) -> String {
    buffer.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

impl Tellus {
    /// The binary on `data_dir`, and on `database_url` when given.
    pub fn new(data_dir: &Path, database_url: Option<String>) -> Tellus {
        Tellus {
            data_dir: data_dir.to_owned(),
            database_url,
        }
    }

    /// A command with only the settings given here: nothing from the caller's
    /// environment leaks into the test.
    pub fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tellus"));
        cmd.args(args);
        for (name, _) in std::env::vars_os() {
            let name_s = name.to_string_lossy();
            if name_s.starts_with("TELLUS_") || name_s == "DATABASE_URL" {
                cmd.env_remove(&name);
            }
        }
        cmd.env("TELLUS_DATA_DIR", &self.data_dir)
            .env("TELLUS_LOG", "warn");
        if let Some(url) = &self.database_url {
            cmd.env("DATABASE_URL", url);
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd
    }

    /// `tellus location add --slug {slug} --name {name}`.
    pub fn add_location(&self, slug: &str, name: &str) -> Output {
        self.run(&["location", "add", "--slug", slug, "--name", name], "")
    }

    /// `tellus user add` for `email`, with `typed` on its standard input (a
    /// password and a newline, or `""` to have one made up).
    pub fn add_user(&self, email: &str, name: &str, role: &str, typed: &str) -> Output {
        self.run(
            &[
                "user", "add", "--email", email, "--name", name, "--role", role,
            ],
            typed,
        )
    }

    /// Runs a command to its end with `stdin` piped in (bounded: 60 s).
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        self.run_with(args, stdin, &[])
    }

    /// `run` with extra settings.
    pub fn run_with(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
        let mut child = self
            .command(args, env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tellus starts");
        let stdout = drain(child.stdout.take().expect("stdout"));
        let stderr = drain(child.stderr.take().expect("stderr"));
        if let Some(mut input) = child.stdin.take() {
            // The command may not read it, or be gone already: either is fine.
            let _ = input.write_all(stdin.as_bytes());
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            match child.try_wait().expect("wait for tellus") {
                Some(status) => break status,
                None if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "tellus {args:?} still running after 60 s; stderr: {}",
                        taken(&stderr.text)
                    );
                }
                None => thread::sleep(Duration::from_millis(20)),
            }
        };
        // The pipes close with the process: the readers reach their end.
        Output {
            status,
            stdout: stdout.finish(Duration::from_secs(10)),
            stderr: stderr.finish(Duration::from_secs(10)),
        }
    }

    /// Starts `tellus serve` on a free port of 127.0.0.1.
    pub fn serve(&self, env: &[(&str, &str)]) -> Served {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let mut all: Vec<(&str, &str)> = vec![("TELLUS_BIND", &bind)];
        all.extend_from_slice(env);
        let mut child = self
            .command(&["serve"], &all)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tellus serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = drain(child.stderr.take().expect("stderr"));
        Served {
            child: Some(child),
            base: format!("http://{bind}"),
            lines,
            stdout_seen: Vec::new(),
            stderr,
        }
    }
}

/// A running `tellus serve`, killed (by its PID) when dropped.
pub(crate) struct Served {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    lines: Receiver<String>,
    /// Every stdout line read so far.
    pub stdout_seen: Vec<String>,
    stderr: Drained,
}

impl Served {
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        taken(&self.stderr.text)
    }

    /// Reads stdout until a line containing `needle` (returned), or gives up after `within`.
    pub fn wait_line(&mut self, needle: &str, within: Duration) -> Option<String> {
        if let Some(line) = self.stdout_seen.iter().find(|l| l.contains(needle)) {
            return Some(line.clone());
        }
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.stdout_seen.push(line.clone());
                    if found {
                        return Some(line);
                    }
                }
                Err(_) => return None,
            }
        }
    }

    /// Waits for `GET /healthz` to answer 200; panics (with the server's
    /// stderr) when it does not within `within` or the server exits.
    pub fn wait_healthy(&mut self, within: Duration) {
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(2))
            .build();
        let deadline = Instant::now() + within;
        loop {
            if let Ok(res) = agent.get(&format!("{}/healthz", self.base)).call() {
                if res.status() == 200 {
                    return;
                }
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "tellus serve exited with {status}; stderr: {}",
                    self.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "tellus serve not healthy after {within:?}; stderr: {}",
                self.stderr()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the server at once (SIGKILL, by PID) and reaps it, then collects
    /// the rest of its stdout.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            self.stdout_seen.push(line);
        }
    }

    /// Reaps a server killed by other means (e.g. `libc::kill`).
    pub fn reap(&mut self) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        child.wait().ok()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A small HTTP client for a `tellus serve` process: cookies, no redirects.
pub(crate) struct Http {
    base: String,
    agent: ureq::Agent,
}

impl Http {
    /// A client for `base`.
    pub fn new(base: &str) -> Http {
        Http {
            base: base.to_owned(),
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(30))
                .build(),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        }
    }

    fn finish(result: Result<ureq::Response, ureq::Error>) -> Result<(u16, String), String> {
        let res = match result {
            Ok(res) => res,
            Err(ureq::Error::Status(_, res)) => res,
            Err(ureq::Error::Transport(t)) => return Err(t.to_string()),
        };
        let status = res.status();
        Ok((status, res.into_string().unwrap_or_default()))
    }

    /// GET; panics on a connection error.
    pub fn get(&self, path: &str) -> (u16, String) {
        Http::finish(self.agent.get(&self.url(path)).call())
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// POST a form; a connection error comes back as `Err`, described.
    pub fn try_post(&self, path: &str, fields: &[(&str, &str)]) -> Result<(u16, String), String> {
        Http::finish(self.agent.post(&self.url(path)).send_form(fields))
    }

    /// Logs in through the login form; returns the status of the POST.
    pub fn login(&self, email: &str, password: &str) -> u16 {
        let (status, page) = self.get("/staff/login");
        assert_eq!(status, 200, "login page: {page}");
        let token = hidden(&page, "token").expect("login token");
        let fields = [
            ("email", email),
            ("password", password),
            ("token", token.as_str()),
        ];
        self.try_post("/staff/login", &fields)
            .unwrap_or_else(|e| panic!("login: {e}"))
            .0
    }
}
