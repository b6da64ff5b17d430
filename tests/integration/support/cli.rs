//! The `tellus` binary driven from a test: one-shot commands ([`Tellus`]),
//! a running `tellus serve` killed when dropped ([`Served`]) and a small
//! cookie-keeping HTTP client for it ([`Http`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::html::hidden;

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
