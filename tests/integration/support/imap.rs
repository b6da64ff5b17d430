//! A throwaway Dovecot IMAP server for the tests: its own config folder, a
//! passwd-file user and a Maildir in a temp folder, listening on 127.0.0.1 on
//! a free port, run in the foreground as a child of the test and stopped when
//! dropped. [`ImapServer::start`] gives `None` (with a message) where Dovecot
//! is not installed, and panics instead under CI, which installs it.
//!
//! A tiny IMAP client is here too, to put messages in (APPEND) and look at
//! their flags, so the test checks the server's view, not Tellus's.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The mailbox user.
pub const USER: &str = "replies";
/// Its password.
pub const PASSWORD: &str = "imap-test-password";

/// A running Dovecot.
pub struct ImapServer {
    /// The port on 127.0.0.1.
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

fn dovecot_binary() -> Option<PathBuf> {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// The uid and gid that own the Maildir: Dovecot refuses uid 0 for mail, so
/// as root it is Dovecot's own system user.
fn mail_owner() -> (u32, u32) {
    // SAFETY: getuid/getgid cannot fail and touch no memory.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    if uid != 0 {
        return (uid, gid);
    }
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, "dovecot"]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    (id("-u").unwrap_or(65534), id("-g").unwrap_or(65534))
}

impl ImapServer {
    /// Starts Dovecot, or says why it cannot (skipping the test unless `CI=true`).
    pub fn start() -> Option<ImapServer> {
        let Some(binary) = dovecot_binary() else {
            let why = "Dovecot is not installed (apt-get install dovecot-imapd)";
            assert!(!super::pg::required(), "{why}");
            eprintln!("skipping the IMAP test: {why}");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(root.join(sub)).expect("dovecot folders");
        }
        let (uid, gid) = mail_owner();
        for sub in ["mail", "home"] {
            std::os::unix::fs::chown(root.join(sub), Some(uid), Some(gid)).expect("chown");
        }
        // Dovecot's login processes must reach the folder.
        std::fs::set_permissions(root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))
            .expect("passwd file");
        let port = super::smtp::free_port();
        let config = root.join("dovecot.conf");
        std::fs::write(&config, config_text(root, port, uid, gid)).expect("dovecot.conf");
        let child = Command::new(binary)
            .args(["-F", "-c"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dovecot starts");
        let server = ImapServer { port, child, dir };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "dovecot did not listen within 20 s: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// `imap://user:password@127.0.0.1:port/INBOX`
    pub fn url(&self) -> String {
        format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX", self.port)
    }

    /// Dovecot's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Puts a message into INBOX (unseen).
    pub fn append(&self, raw: &[u8]) {
        let mut session = Session::open(self.port);
        session.append(raw);
        session.command("LOGOUT");
    }

    /// The UIDs of INBOX messages that carry `flag` (e.g. `UNSEEN`, `FLAGGED`, `ALL`).
    pub fn search(&self, criterion: &str) -> Vec<u32> {
        let mut session = Session::open(self.port);
        session.command("SELECT INBOX");
        let lines = session.command(&format!("UID SEARCH {criterion}"));
        session.command("LOGOUT");
        lines
            .iter()
            .filter_map(|l| l.strip_prefix("* SEARCH"))
            .flat_map(|rest| rest.split_whitespace().filter_map(|n| n.parse().ok()))
            .collect()
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config_text(root: &Path, port: u16, uid: u32, gid: u32) -> String {
    let r = root.display();
    format!(
        r#"base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{r}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"#
    )
}

/// A logged-in IMAP conversation, one tagged command at a time.
struct Session {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    tag: u32,
}

impl Session {
    fn open(port: u16) -> Session {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to dovecot");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let writer = stream.try_clone().expect("clone stream");
        let mut session = Session {
            reader: BufReader::new(stream),
            writer,
            tag: 0,
        };
        let greeting = session.line();
        assert!(greeting.starts_with("* OK"), "greeting: {greeting}");
        session.command(&format!("LOGIN {USER} {PASSWORD}"));
        session
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("read from dovecot");
        line.trim_end().to_owned()
    }

    /// Sends a command; returns the untagged lines; panics unless it ends OK.
    fn command(&mut self, command: &str) -> Vec<String> {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        write!(self.writer, "{tag} {command}\r\n").expect("write to dovecot");
        self.until_tagged(&tag)
    }

    fn until_tagged(&mut self, tag: &str) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let line = self.line();
            if let Some(rest) = line.strip_prefix(&format!("{tag} ")) {
                assert!(rest.starts_with("OK"), "IMAP {tag}: {rest}");
                return lines;
            }
            assert!(
                !line.is_empty() || lines.len() < 10_000,
                "IMAP conversation ended"
            );
            lines.push(line);
        }
    }

    fn append(&mut self, raw: &[u8]) {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        write!(self.writer, "{tag} APPEND INBOX {{{}}}\r\n", raw.len()).expect("write");
        let go = self.line();
        assert!(go.starts_with('+'), "APPEND continuation: {go}");
        self.writer.write_all(raw).expect("write message");
        self.writer.write_all(b"\r\n").expect("write");
        self.until_tagged(&tag);
    }
}
