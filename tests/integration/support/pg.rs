//! A throwaway PostgreSQL server for the integration tests.
//!
//! [`database_url`] hands each caller a new, empty database of its own. The
//! server behind it is either the one named by `TELLUS_TEST_DATABASE_URL` (any
//! PostgreSQL server URL, e.g. `postgres://user@127.0.0.1:5432/postgres`) or a
//! private cluster started once per test process in a temporary folder: trust
//! authentication, bound to 127.0.0.1 on a free port, durability switched off
//! for speed. The cluster is stopped and its folder removed when the process
//! exits, and a small watchdog process does the same if the test process is
//! killed instead.
//!
//! PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.
//! Without PostgreSQL installed the PostgreSQL tests are skipped, unless
//! `CI=true`, where a missing server is an error.

// Not every test uses every helper here.
#![allow(dead_code)]

use std::collections::hash_map::RandomState;
use std::ffi::CString;
use std::fs::{self, File};
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Seek, SeekFrom, Write};
use std::net::TcpListener;
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once, OnceLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use diesel::{Connection, PgConnection, RunQueryDsl};

/// The role the private cluster is created with (trust authentication, no password).
const ROLE: &str = "tellus";
/// The unprivileged account the cluster runs as when the tests run as root.
const UNPRIVILEGED_USER: &str = "nobody";
/// Names a server URL to use instead of starting a private cluster.
const SERVER_URL_VAR: &str = "TELLUS_TEST_DATABASE_URL";

/// True when the PostgreSQL tests must run rather than be skipped (`CI=true`).
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The URL of a new, empty database on the shared test server, such as
/// `postgres://tellus@127.0.0.1:PORT/t_0123456789abcdef`.
///
/// `None` when PostgreSQL is not installed and not [`required`]: the caller
/// skips its test. Panics when the server cannot be started or the database
/// cannot be created.
pub fn database_url() -> Option<String> {
    let server = server()?;
    let name = format!("t_{}", random_hex(8));
    server.create_database(&name);
    Some(server.url_for(&name))
}

/// The shared server, started on first use.
fn server() -> Option<&'static Server> {
    static SERVER: OnceLock<Result<Option<Server>, String>> = OnceLock::new();
    static SKIP_NOTICE: Once = Once::new();
    match SERVER.get_or_init(Server::init) {
        Ok(Some(server)) => Some(server),
        Ok(None) => {
            // Straight to stderr, past the test harness's output capture, so
            // the skip shows even when every test passes.
            SKIP_NOTICE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "PostgreSQL not installed (no initdb under /usr/lib/postgresql/*/bin): \
                     skipping PostgreSQL tests"
                );
            });
            None
        }
        Err(message) => panic!("{message}"),
    }
}

/// A PostgreSQL server the tests may create databases on.
struct Server {
    /// `postgres://user@host:port` without a database.
    prefix: String,
    /// `?…` parameters of the configured URL, kept on every database URL.
    query: String,
    /// Where `CREATE DATABASE` is run.
    maintenance_url: String,
    maintenance: Mutex<Option<PgConnection>>,
    /// Whether the databases are dropped at exit: on a server we did not
    /// start; a private cluster goes away whole.
    drop_at_exit: bool,
}

impl Server {
    fn init() -> Result<Option<Server>, String> {
        if let Some(url) = std::env::var(SERVER_URL_VAR)
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            return Server::external(url.trim()).map(Some);
        }
        match find_bin_dir() {
            Some(bin) => Cluster::start(bin).map(|cluster| {
                let prefix = format!("postgres://{ROLE}@127.0.0.1:{}", cluster.port);
                Some(Server {
                    maintenance_url: format!("{prefix}/postgres"),
                    prefix,
                    query: String::new(),
                    maintenance: Mutex::new(None),
                    drop_at_exit: false,
                })
            }),
            None if required() => Err(
                "PostgreSQL not installed (no initdb under /usr/lib/postgresql/*/bin nor on \
                 PATH), and CI=true requires the PostgreSQL tests: install postgresql-15, or \
                 set TELLUS_TEST_DATABASE_URL to a server URL"
                    .to_owned(),
            ),
            None => Ok(None),
        }
    }

    /// A server named by a URL such as `postgres://user@host:5432/postgres?sslmode=disable`.
    fn external(url: &str) -> Result<Server, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("{SERVER_URL_VAR} is not a postgres:// URL: {url}"))?;
        if scheme != "postgres" && scheme != "postgresql" {
            return Err(format!("{SERVER_URL_VAR} is not a postgres:// URL: {url}"));
        }
        let (before_query, query) = match rest.find('?') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let authority = before_query.split('/').next().unwrap_or_default();
        let prefix = format!("{scheme}://{authority}");
        Ok(Server {
            maintenance_url: url.to_owned(),
            prefix,
            query: query.to_owned(),
            maintenance: Mutex::new(None),
            drop_at_exit: true,
        })
    }

    fn url_for(&self, database: &str) -> String {
        format!("{}/{database}{}", self.prefix, self.query)
    }

    fn create_database(&self, name: &str) {
        // FILE_COPY (PostgreSQL 15+) copies the small template instead of
        // writing it all to the WAL: much cheaper for many tiny test databases.
        let file_copy = format!("CREATE DATABASE \"{name}\" STRATEGY FILE_COPY");
        let plain = format!("CREATE DATABASE \"{name}\"");
        let mut slot = self
            .maintenance
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut last_error = String::new();
        // A second try on a fresh connection covers a maintenance connection
        // the server dropped in the meantime.
        for _ in 0..2 {
            if slot.is_none() {
                match PgConnection::establish(&self.maintenance_url) {
                    Ok(conn) => *slot = Some(conn),
                    Err(e) => {
                        last_error = format!("cannot connect to {}: {e}", self.maintenance_url);
                        thread::sleep(Duration::from_millis(200));
                        continue;
                    }
                }
            }
            let Some(conn) = slot.as_mut() else { continue };
            let created = diesel::sql_query(&file_copy)
                .execute(conn)
                .or_else(|_| diesel::sql_query(&plain).execute(conn));
            match created {
                Ok(_) => {
                    if self.drop_at_exit {
                        remember_for_drop(&self.maintenance_url, name);
                    }
                    return;
                }
                Err(e) => {
                    last_error = format!("{plain} failed on {}: {e}", self.maintenance_url);
                    *slot = None;
                }
            }
        }
        panic!("cannot create a test database: {last_error}");
    }
}

/// Databases created on a server named by `TELLUS_TEST_DATABASE_URL`, dropped at exit.
struct ExternalDatabases {
    maintenance_url: String,
    names: Vec<String>,
}

static EXTERNAL_DATABASES: Mutex<Option<ExternalDatabases>> = Mutex::new(None);

fn remember_for_drop(maintenance_url: &str, name: &str) {
    let mut guard = EXTERNAL_DATABASES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let list = guard.get_or_insert_with(|| {
        // SAFETY: registers a plain function that takes no arguments.
        unsafe { libc::atexit(drop_external_databases_at_exit) };
        ExternalDatabases {
            maintenance_url: maintenance_url.to_owned(),
            names: Vec::new(),
        }
    });
    list.names.push(name.to_owned());
}

extern "C" fn drop_external_databases_at_exit() {
    let _ = std::panic::catch_unwind(|| {
        // try_lock: a thread stopped mid-creation must not hang the exit.
        let Ok(guard) = EXTERNAL_DATABASES.try_lock() else {
            return;
        };
        let Some(list) = guard.as_ref() else { return };
        let Ok(mut conn) = PgConnection::establish(&list.maintenance_url) else {
            return;
        };
        for name in &list.names {
            // WITH (FORCE) ends connections the app's pools still hold (PostgreSQL 13+).
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn);
        }
    });
}

/// The private cluster: where it lives and how to stop it.
struct Cluster {
    port: u16,
}

/// What the exit hook needs to stop the private cluster.
struct Cleanup {
    stop: Vec<String>,
    base: PathBuf,
}

static CLEANUP: OnceLock<Cleanup> = OnceLock::new();

extern "C" fn stop_cluster_at_exit() {
    let _ = std::panic::catch_unwind(|| {
        if let Some(cleanup) = CLEANUP.get() {
            let _ = Command::new(&cleanup.stop[0])
                .args(&cleanup.stop[1..])
                .current_dir(&cleanup.base)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = fs::remove_dir_all(&cleanup.base);
        }
    });
}

/// Who runs the PostgreSQL programs.
enum RunAs {
    /// Ourselves (not root).
    Me,
    /// `runuser -u USER -- program args…` (util-linux).
    Runuser(PathBuf),
    /// `su -s /bin/sh USER -c 'program args…'`.
    Su,
}

impl Cluster {
    fn start(bin: PathBuf) -> Result<Cluster, String> {
        let root = unsafe { libc::geteuid() } == 0;
        let (run_as, owner) = if root {
            let owner = lookup_user(UNPRIVILEGED_USER).ok_or_else(|| {
                format!(
                    "the tests run as root and PostgreSQL refuses to, but there is no \
                     `{UNPRIVILEGED_USER}` user to run it as"
                )
            })?;
            let run_as = match find_program("runuser") {
                Some(runuser) => RunAs::Runuser(runuser),
                None => RunAs::Su,
            };
            (run_as, Some(owner))
        } else {
            (RunAs::Me, None)
        };

        // As root the folder goes under /tmp, which every user can reach, and is
        // handed to the user PostgreSQL runs as.
        let parent = if root {
            PathBuf::from("/tmp")
        } else {
            std::env::temp_dir()
        };
        let base = parent.join(format!("tellus-pg-{}", random_hex(6)));
        fs::DirBuilder::new()
            .mode(0o700)
            .create(&base)
            .map_err(|e| format!("cannot create {}: {e}", base.display()))?;
        if let Some((uid, gid)) = owner {
            let path = CString::new(base.as_os_str().as_encoded_bytes())
                .map_err(|e| format!("bad path {}: {e}", base.display()))?;
            // SAFETY: `path` is a valid NUL-terminated string for the whole call.
            if unsafe { libc::chown(path.as_ptr(), uid, gid) } != 0 {
                let e = std::io::Error::last_os_error();
                let _ = fs::remove_dir_all(&base);
                return Err(format!(
                    "cannot hand {} to {UNPRIVILEGED_USER}: {e}",
                    base.display()
                ));
            }
        }
        let data = base.join("data");
        let log = base.join("log");
        let tool = |program: &str, args: &[&str]| -> Vec<String> {
            let program = bin.join(program).to_string_lossy().into_owned();
            let mut argv = vec![program];
            argv.extend(args.iter().map(|a| (*a).to_owned()));
            match &run_as {
                RunAs::Me => argv,
                RunAs::Runuser(runuser) => {
                    let mut wrapped = vec![
                        runuser.to_string_lossy().into_owned(),
                        "-u".to_owned(),
                        UNPRIVILEGED_USER.to_owned(),
                        "--".to_owned(),
                    ];
                    wrapped.extend(argv);
                    wrapped
                }
                RunAs::Su => vec![
                    "su".to_owned(),
                    "-s".to_owned(),
                    "/bin/sh".to_owned(),
                    UNPRIVILEGED_USER.to_owned(),
                    "-c".to_owned(),
                    shell_join(&argv),
                ],
            }
        };
        let data_s = data.to_string_lossy().into_owned();
        let log_s = log.to_string_lossy().into_owned();
        let base_s = base.to_string_lossy().into_owned();
        let stop = tool(
            "pg_ctl",
            &["-D", &data_s, "-m", "immediate", "-w", "-t", "10", "stop"],
        );

        // From here on the folder and any server in it go away with the process.
        if CLEANUP
            .set(Cleanup {
                stop: stop.clone(),
                base: base.clone(),
            })
            .is_ok()
        {
            // SAFETY: registers a plain function that takes no arguments.
            unsafe { libc::atexit(stop_cluster_at_exit) };
            start_watchdog(&stop, &base);
        }

        let initdb = tool(
            "initdb",
            &[
                "-D",
                &data_s,
                "-U",
                ROLE,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let initdb_out = base.join("initdb.out");
        if let Err(e) = run_bounded(&initdb, &base, &initdb_out, Duration::from_secs(120)) {
            return Err(format!(
                "initdb failed ({e}): {}\n--- initdb output ---\n{}",
                shell_join(&initdb),
                tail(&initdb_out, 4000)
            ));
        }

        let pg_ctl_out = base.join("pg_ctl.out");
        // pg_ctl hands -o to a shell.
        let socket_dir = shell_quote(&base_s);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let port = free_port()?;
            let options = format!(
                "-p {port} -k {socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            );
            let start = tool(
                "pg_ctl",
                &[
                    "-D", &data_s, "-o", &options, "-l", &log_s, "-w", "-t", "60", "start",
                ],
            );
            match run_bounded(&start, &base, &pg_ctl_out, Duration::from_secs(90)) {
                Ok(()) => return Ok(Cluster { port }),
                Err(e) => {
                    let log_tail = tail(&log, 4000);
                    // Another process may have taken the port between our probe and the start.
                    if attempts < 3 && log_tail.contains("already in use") {
                        let _ = run_bounded(&stop, &base, &pg_ctl_out, Duration::from_secs(20));
                        continue;
                    }
                    return Err(format!(
                        "PostgreSQL did not start ({e}): {}\n--- pg_ctl output ---\n{}\n\
                         --- server log ({}) ---\n{}",
                        shell_join(&start),
                        tail(&pg_ctl_out, 2000),
                        log.display(),
                        log_tail
                    ));
                }
            }
        }
    }
}

/// Stops the cluster and removes its folder once this process is gone, even if
/// it was killed and never ran its exit hook.
fn start_watchdog(stop: &[String], base: &Path) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {base}",
        pid = std::process::id(),
        stop = shell_join(stop),
        base = shell_quote(&base.to_string_lossy()),
    );
    // Its own process group: a Ctrl-C aimed at the tests must not stop it first.
    let _ = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

/// Runs `argv` in `dir` with its output appended to `out`; kills it after `timeout`.
fn run_bounded(argv: &[String], dir: &Path, out: &Path, timeout: Duration) -> Result<(), String> {
    let file = File::options()
        .create(true)
        .append(true)
        .open(out)
        .map_err(|e| format!("cannot open {}: {e}", out.display()))?;
    let file2 = file
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", out.display()))?;
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        // Messages and locale checks in plain C, whatever the caller's locale.
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(file2)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", argv[0]))?;
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(status.to_string()),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "still running after {} s, killed",
                    timeout.as_secs()
                ));
            }
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("cannot wait for {}: {e}", argv[0])),
        }
    }
}

/// The last `max` bytes of a file, for error messages.
fn tail(path: &Path, max: u64) -> String {
    let Ok(mut file) = File::open(path) else {
        return format!("(cannot read {})", path.display());
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(max)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The bin folder of the newest PostgreSQL under /usr/lib/postgresql, else the
/// folder of an `initdb` on PATH.
fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Vec<u32> = name
                .split('.')
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let initdb = find_program("initdb")?;
    let dir = fs::canonicalize(&initdb).ok()?.parent()?.to_path_buf();
    if has_tools(&dir) {
        return Some(dir);
    }
    let dir = initdb.parent()?.to_path_buf();
    has_tools(&dir).then_some(dir)
}

/// A program on PATH (or in the sbin folders root's PATH usually has).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The uid and gid of a local user.
fn lookup_user(name: &str) -> Option<(libc::uid_t, libc::gid_t)> {
    let name = CString::new(name).ok()?;
    // SAFETY: `name` is NUL-terminated; the returned record is read at once,
    // before any other passwd lookup could overwrite it.
    unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            None
        } else {
            Some(((*pw).pw_uid, (*pw).pw_gid))
        }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// `n` random bytes as lowercase hex.
fn random_hex(n: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = String::with_capacity(n * 2 + 16);
    while out.len() < n * 2 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u32(std::process::id());
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(n * 2);
    out
}

fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

fn shell_join(argv: &[String]) -> String {
    argv.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}
