//! A small real SMTP server for the tests: it listens on 127.0.0.1, accepts
//! any sender and recipient without TLS or authentication, and keeps every
//! message it is given so a test can read it back.
//!
//! It speaks what lettre's plain SMTP transport needs: EHLO/HELO, MAIL FROM,
//! RCPT TO (several), DATA with dot-unstuffing, RSET, NOOP and QUIT, several
//! messages per connection and several connections at once. It does not
//! advertise PIPELINING. [`SmtpServer::stop`] also cuts open connections, so a
//! stopped server looks down to a client that pooled its connection; a test
//! can bring it back on the same port with [`SmtpServer::start_on`].

// Not every test uses every helper here.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use mail_parser::{MessageParser, PartType};

/// How long a connection may stay silent before the server hangs up.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the accept loop looks at the stop flag.
const ACCEPT_POLL: Duration = Duration::from_millis(5);
/// Longest command line or message line accepted.
const MAX_LINE: usize = 1 << 20;
/// Largest message accepted.
const MAX_MESSAGE: usize = 50 << 20;

/// One message as the server received it.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets; empty for `<>`.
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message as sent after DATA, dot-unstuffed, without the final `.` line.
    pub raw: Vec<u8>,
}

impl ReceivedMail {
    /// The decoded Subject, or `""`.
    pub fn subject(&self) -> String {
        self.parsed(|m| m.subject().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The raw value of the first header called `name` (any case), unfolded
    /// and trimmed; not decoded. E.g. `header("Message-ID")` → `<…@…>`.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed(|m| {
            m.headers_raw()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, value)| unfold(value))
        })
    }

    /// The first text/plain body, decoded (transfer encoding and charset), with
    /// `\n` line ends; `""` when the message has none.
    pub fn text_body(&self) -> String {
        self.first_body(false)
    }

    /// The first text/html body, decoded, with `\n` line ends; `""` when the
    /// message has none.
    pub fn html_body(&self) -> String {
        self.first_body(true)
    }

    /// The first HTML (or text/plain) body, decoded, with `\n` line ends;
    /// `""` when the message has none.
    fn first_body(&self, html: bool) -> String {
        self.parsed(|m| {
            let ids = if html { &m.html_body } else { &m.text_body };
            ids.iter().find_map(|&id| match &m.parts.get(id)?.body {
                PartType::Text(text) if !html => Some(text.replace("\r\n", "\n")),
                PartType::Html(page) if html => Some(page.replace("\r\n", "\n")),
                _ => None,
            })
        })
        .unwrap_or_default()
    }

    /// The addresses of the To header, comma-separated (`a@x, b@y`), without
    /// display names; `""` when there is none.
    pub fn to(&self) -> String {
        self.parsed(|m| {
            m.to().map(|to| {
                to.iter()
                    .filter_map(|addr| addr.address())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
        .unwrap_or_default()
    }

    fn parsed<T>(&self, read: impl FnOnce(&mail_parser::Message<'_>) -> Option<T>) -> Option<T> {
        let message = MessageParser::default().parse(&self.raw[..])?;
        read(&message)
    }
}

/// Joins a folded header value onto one line and trims it.
fn unfold(value: &str) -> String {
    value
        .replace("\r\n", "")
        .replace('\n', "")
        .trim()
        .to_owned()
}

/// A listening SMTP server; stops when dropped.
pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    messages: Mutex<Vec<ReceivedMail>>,
    arrived: Condvar,
    /// Open connections, so stopping can cut them.
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
}

impl Shared {
    fn messages(&self) -> MutexGuard<'_, Vec<ReceivedMail>> {
        self.messages.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn connections(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.connections.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free TCP port on 127.0.0.1")
}

impl SmtpServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind the test SMTP server");
        SmtpServer::serve(listener)
    }

    /// Starts a server on `port` of 127.0.0.1, e.g. to bring one back up on the
    /// port of an earlier one. Waits up to 5 s for the port to be free.
    pub fn start_on(port: u16) -> SmtpServer {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match TcpListener::bind(("127.0.0.1", port)) {
                Ok(listener) => return SmtpServer::serve(listener),
                Err(e) if e.kind() == ErrorKind::AddrInUse && Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("cannot bind the test SMTP server to 127.0.0.1:{port}: {e}"),
            }
        }
    }

    fn serve(listener: TcpListener) -> SmtpServer {
        let port = listener.local_addr().expect("listener address").port();
        // Non-blocking accept polled against the stop flag: stopping never
        // depends on a wake-up connection getting through.
        listener
            .set_nonblocking(true)
            .expect("non-blocking test SMTP listener");
        let shared = Arc::new(Shared::default());
        let accept_shared = Arc::clone(&shared);
        let accept_thread = thread::Builder::new()
            .name(format!("smtp-accept-{port}"))
            .spawn(move || accept_loop(listener, accept_shared))
            .expect("spawn the test SMTP accept thread");
        SmtpServer {
            port,
            shared,
            accept_thread: Some(accept_thread),
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.messages().clone()
    }

    /// Forgets the messages received so far.
    pub fn clear(&self) {
        self.shared.messages().clear();
    }

    /// Waits until at least `n` messages have arrived or `timeout` has passed,
    /// then returns all messages received so far (maybe fewer than `n`).
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        let mut messages = self.shared.messages();
        while messages.len() < n {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            messages = self
                .shared
                .arrived
                .wait_timeout(messages, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        messages.clone()
    }

    /// Stops listening and cuts open connections; the port is free on return.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.accept_thread.take() {
            let _ = thread.join();
        }
        for (_, stream) in self.shared.connections().drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
                let Ok(handle) = stream.try_clone() else {
                    continue;
                };
                shared.connections().insert(id, handle);
                let conn_shared = Arc::clone(&shared);
                let spawned = thread::Builder::new()
                    .name(format!("smtp-conn-{id}"))
                    .spawn(move || {
                        let _ = serve_connection(stream, &conn_shared);
                        if let Some(s) = conn_shared.connections().remove(&id) {
                            let _ = s.shutdown(Shutdown::Both);
                        }
                    });
                if spawned.is_err() {
                    if let Some(s) = shared.connections().remove(&id) {
                        let _ = s.shutdown(Shutdown::Both);
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(ACCEPT_POLL),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // E.g. too many open files: back off instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
    // The listener is dropped here, which frees the port.
}

/// The envelope of the message being built on one connection.
#[derive(Default)]
struct Envelope {
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

fn serve_connection(stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_write_timeout(Some(IDLE_TIMEOUT))?;
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |text: &str| -> io::Result<()> {
        writer.write_all(text.as_bytes())?;
        writer.flush()
    };

    reply("220 localhost ESMTP test server ready\r\n")?;
    let mut envelope = Envelope::default();
    let mut line = Vec::new();
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if !read_line(&mut reader, &mut line)? {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end_matches(['\r', '\n']).trim_start();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let argument = command.get(verb.len()..).unwrap_or_default().trim();
        match verb.as_str() {
            "EHLO" => {
                envelope = Envelope::default();
                reply("250-localhost greets you\r\n250-SMTPUTF8\r\n250-SIZE 52428800\r\n250 8BITMIME\r\n")?;
            }
            "HELO" => {
                envelope = Envelope::default();
                reply("250 localhost\r\n")?;
            }
            "MAIL" => match path_after(argument, "FROM:") {
                Some(from) => {
                    envelope = Envelope {
                        mail_from: Some(from),
                        rcpt_to: Vec::new(),
                    };
                    reply("250 OK\r\n")?;
                }
                None => reply("501 Syntax: MAIL FROM:<address>\r\n")?,
            },
            "RCPT" => match path_after(argument, "TO:") {
                _ if envelope.mail_from.is_none() => reply("503 MAIL first\r\n")?,
                Some(to) if !to.is_empty() => {
                    envelope.rcpt_to.push(to);
                    reply("250 OK\r\n")?;
                }
                _ => reply("501 Syntax: RCPT TO:<address>\r\n")?,
            },
            "DATA" => {
                if envelope.mail_from.is_none() {
                    reply("503 MAIL first\r\n")?;
                    continue;
                }
                if envelope.rcpt_to.is_empty() {
                    reply("554 No valid recipients\r\n")?;
                    continue;
                }
                reply("354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let raw = read_data(&mut reader)?;
                let envelope = std::mem::take(&mut envelope);
                let Some(raw) = raw else {
                    reply("552 Message too big\r\n")?;
                    continue;
                };
                let mail = ReceivedMail {
                    mail_from: envelope.mail_from.unwrap_or_default(),
                    rcpt_to: envelope.rcpt_to,
                    raw,
                };
                shared.messages().push(mail);
                shared.arrived.notify_all();
                reply("250 OK: queued\r\n")?;
            }
            "RSET" => {
                envelope = Envelope::default();
                reply("250 OK\r\n")?;
            }
            "NOOP" => reply("250 OK\r\n")?,
            "VRFY" => reply("252 Cannot VRFY user\r\n")?,
            "QUIT" => {
                reply("221 Bye\r\n")?;
                return Ok(());
            }
            "" => reply("500 Empty command\r\n")?,
            _ => reply("502 Command not implemented\r\n")?,
        }
    }
}

/// Reads one line including its `\n` into `line`; false at end of stream.
/// A line longer than [`MAX_LINE`] is an error that closes the connection.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let n = (&mut *reader)
        .take(MAX_LINE as u64)
        .read_until(b'\n', line)?;
    if n == 0 {
        return Ok(false);
    }
    if !line.ends_with(b"\n") && n >= MAX_LINE {
        return Err(io::Error::new(ErrorKind::InvalidData, "line too long"));
    }
    Ok(true)
}

/// Reads message lines up to the lone `.` line, undoing dot-stuffing. `None`
/// when the message was larger than [`MAX_MESSAGE`] (it is still read to its end).
fn read_data(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    let mut too_big = false;
    loop {
        if !read_line(reader, &mut line)? {
            return Err(io::Error::new(
                ErrorKind::UnexpectedEof,
                "connection closed inside DATA",
            ));
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(if too_big { None } else { Some(raw) });
        }
        let content = line.strip_prefix(b".").unwrap_or(&line);
        if raw.len() + content.len() > MAX_MESSAGE {
            too_big = true;
            raw.clear();
        }
        if !too_big {
            raw.extend_from_slice(content);
        }
    }
}

/// The address in `FROM:<a@b> PARAMS` (for `prefix` `FROM:`), without brackets.
fn path_after(argument: &str, prefix: &str) -> Option<String> {
    let head = argument.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = argument[prefix.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        Some(inner[..end].trim().to_owned())
    } else {
        // Tolerate a bare address without brackets.
        rest.split_whitespace().next().map(str::to_owned)
    }
}
