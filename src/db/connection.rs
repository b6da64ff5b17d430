//! Opening connections: the `DbConnection` enum, the pool manager, and the
//! per-connection settings (SQLite pragmas, PostgreSQL `synchronous_commit`).

use crate::config::DatabaseUrl;
use crate::error::Context;
use crate::error::{AppError, AppResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

/// A connection to either database; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL, for bigger deployments.
    Pg(diesel::PgConnection),
    /// Embedded SQLite, the default.
    Sqlite(diesel::SqliteConnection),
}

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// How long a SQLite connection waits for a lock before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;
/// WAL size at which a committing connection checkpoints by itself. The
/// checkpointer thread normally does it long before, off the writer's path;
/// this is the fallback.
const SQLITE_AUTOCHECKPOINT_PAGES: u32 = 16_000;

/// Page cache of the writer's connection (KiB); readers keep SQLite's 4 MiB so
/// memory stays small with many pooled connections.
pub(super) const SQLITE_WRITER_CACHE_KIB: u32 = 16_000;

/// Pool manager: opens the right kind of connection and applies its settings.
#[derive(Clone)]
pub(super) struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    pub(super) fn new(url: &DatabaseUrl) -> AppResult<Manager> {
        if let DatabaseUrl::Sqlite(path) = url {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    AppError::internal(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        Ok(Manager { url: url.clone() })
    }

    pub(super) fn backend(&self) -> Backend {
        match self.url {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    fn open(&self) -> ConnectionResult<DbConnection> {
        let mut conn = match &self.url {
            DatabaseUrl::Sqlite(path) => {
                DbConnection::Sqlite(SqliteConnection::establish(&path.to_string_lossy())?)
            }
            DatabaseUrl::Postgres(url) => DbConnection::Pg(PgConnection::establish(url)?),
        };
        apply_settings(&mut conn).map_err(ConnectionError::CouldntSetupConfiguration)?;
        Ok(conn)
    }

    /// A configured connection, or an error that names the database.
    pub(super) fn connect_checked(&self) -> AppResult<DbConnection> {
        self.open().map_err(|e| {
            AppError::because(
                crate::error::ErrorKind::Unavailable,
                format!("cannot open {}: {e}", self.url.redacted()),
            )
        })
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        ping(conn).map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// A trivial round trip.
pub(crate) fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

/// Durability and integrity settings, on every connection (backend specific).
fn apply_settings(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute(&format!(
            // The timeout first, so even switching to WAL waits for a lock.
            "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -4000; \
             PRAGMA wal_autocheckpoint = {SQLITE_AUTOCHECKPOINT_PAGES};"
        )),
        DbConnection::Pg(c) => c.batch_execute("SET synchronous_commit = on; SET TIME ZONE 'UTC';"),
    }
}

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

fn setting(conn: &mut DbConnection, sql: &str) -> QueryResult<String> {
    diesel::sql_query(sql)
        .get_result::<Setting>(conn)
        .map(|s| s.value.to_lowercase())
}

/// Refuses to start when the database is not set up to keep what it acknowledged.
pub(super) fn verify_settings(conn: &mut DbConnection) -> AppResult<()> {
    let expected: &[(&str, &str)] = match conn {
        DbConnection::Sqlite(_) => &[
            (
                "SELECT journal_mode AS value FROM pragma_journal_mode",
                "wal",
            ),
            // 2 = FULL
            (
                "SELECT CAST(synchronous AS TEXT) AS value FROM pragma_synchronous",
                "2",
            ),
            (
                "SELECT CAST(foreign_keys AS TEXT) AS value FROM pragma_foreign_keys",
                "1",
            ),
            (
                "SELECT CAST(timeout AS TEXT) AS value FROM pragma_busy_timeout",
                "10000",
            ),
        ],
        DbConnection::Pg(_) => &[(
            "SELECT setting AS value FROM pg_settings WHERE name = 'synchronous_commit'",
            "on",
        )],
    };
    for (sql, want) in expected {
        let got = setting(conn, sql)?;
        if got != *want {
            return Err(AppError::internal(format!(
                "database setting check failed: `{sql}` gave {got}, expected {want}"
            )));
        }
    }
    Ok(())
}

/// Copies the SQLite WAL back into the database file every second from its own
/// connection, so the group-commit writer never pauses for a checkpoint.
/// PASSIVE: it never blocks readers or the writer. Not needed on PostgreSQL.
/// It stops once `alive` can no longer be upgraded (the `Db` is gone).
pub(super) fn start_checkpointer(manager: &Manager, alive: std::sync::Weak<()>) -> AppResult<()> {
    if manager.backend() != Backend::Sqlite {
        return Ok(());
    }
    let manager = manager.clone();
    std::thread::Builder::new()
        .name("db-checkpoint".into())
        .spawn(move || {
            let mut conn = None;
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
                if alive.upgrade().is_none() {
                    return;
                }
                let c = match conn.as_mut() {
                    Some(c) => c,
                    None => match manager.open() {
                        Ok(c) => conn.insert(c),
                        Err(e) => {
                            tracing::warn!(error = %e, "checkpointer cannot connect");
                            continue;
                        }
                    },
                };
                if let DbConnection::Sqlite(sqlite) = c {
                    if let Err(e) = sqlite.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                        conn = None;
                    }
                }
            }
        })
        .map(|_| ())
        .internal("cannot start checkpointer")
}
