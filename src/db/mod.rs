//! The database room: one connection type over SQLite and PostgreSQL
//! (`DbConnection`), chosen at runtime from `DATABASE_URL`; a pool for reads, the
//! group-commit writer for every change, per-connection settings checked at
//! start, and the embedded migrations.
//!
//! Backend-specific SQL lives only here (`connection`, `migrations`, and
//! `sql` for the staff inbox's hand-written queries and full-text search) and
//! in the few `match` arms named `backend specific`.

mod connection;
pub mod migrations;
pub mod schema;
pub mod sql;
mod writer;

pub use connection::{Backend, DbConnection};

use crate::config::DatabaseUrl;
use crate::error::Context;
use crate::error::{AppError, AppResult, ErrorKind};
use connection::Manager;
use std::time::Duration;

/// How long a change waits for the database before its caller is told it is
/// unavailable (and the change is dropped, never made later): a database
/// that is away answers within this, not when it comes back.
pub const WRITE_WAIT: Duration = Duration::from_secs(5);

/// Handle to the database: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    writer: writer::Writer,
    backend: Backend,
    /// Background helpers stop when the last handle is dropped.
    _alive: std::sync::Arc<()>,
}

impl Db {
    /// Opens the database, applies pending migrations and checks the
    /// durability settings of every kind of connection we will use.
    pub fn open(url: &DatabaseUrl) -> AppResult<Db> {
        let manager = Manager::new(url)?;
        let backend = manager.backend();
        let mut setup = manager.connect_checked()?;
        migrations::run(&mut setup)?;
        connection::verify_settings(&mut setup)?;
        drop(setup);
        let pool_size = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 12,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager.clone())
            .map_err(AppError::from)?;
        // SQLite allows one writer at a time anyway; PostgreSQL gains from a few.
        let writers = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        let writer = writer::Writer::start(&manager, writers)?;
        let alive = std::sync::Arc::new(());
        connection::start_checkpointer(&manager, std::sync::Arc::downgrade(&alive))?;
        Ok(Db {
            pool,
            writer,
            backend,
            _alive: alive,
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs a read on a pooled connection, off the async threads.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .internal("read task")?
    }

    /// Runs a read on a pooled connection, for the command line.
    pub fn read_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> AppResult<T>,
    ) -> AppResult<T> {
        let mut conn = self.pool.get()?;
        f(&mut conn)
    }

    /// Lends a pooled connection for a bulk job from the command line (demo
    /// data), which manages its own transactions outside the writer: the
    /// same pooled connection a command-line read gets.
    pub fn bulk_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> AppResult<T>,
    ) -> AppResult<T> {
        self.read_blocking(f)
    }

    /// Runs `f` in its own savepoint inside a shared transaction (group commit)
    /// and answers only once that transaction is committed. An error in `f`
    /// rolls back `f`'s changes alone.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let (ticket, mut answer) = self.writer.submit(f)?;
        match tokio::time::timeout(WRITE_WAIT, &mut answer).await {
            Ok(result) => result.map_err(|_| writer::stopped())?,
            Err(_) if ticket.abandon() => {
                tracing::warn!(
                    "a change waited {} s for the database and was given up; nothing of it is stored",
                    WRITE_WAIT.as_secs()
                );
                Err(AppError::because(
                    ErrorKind::Unavailable,
                    "the database did not answer in time",
                ))
            }
            // Begun just now: its answer comes with the commit.
            Err(_) => answer.await.map_err(|_| writer::stopped())?,
        }
    }

    /// `write`, waiting on the calling thread (command line, tests).
    pub fn write_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        self.writer
            .submit(f)?
            .1
            .blocking_recv()
            .map_err(|_| writer::stopped())?
    }

    /// Whether the database answers a trivial query now.
    pub async fn ping(&self) -> bool {
        self.read(|conn| connection::ping(conn).map_err(AppError::from))
            .await
            .is_ok()
    }
}

/// After rows were written with explicit ids (demo data), moves PostgreSQL's
/// id sequences past them (backend specific; SQLite needs nothing).
pub fn advance_id_sequences(conn: &mut DbConnection, backend: Backend) -> AppResult<()> {
    use diesel::RunQueryDsl;
    if backend == Backend::Postgres {
        for table in ["feedback", "tickets"] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            ))
            .execute(conn)?;
        }
    }
    Ok(())
}

/// After a bulk load (demo data), refreshes the planner's statistics so it
/// sees the new sizes at once (backend specific: PostgreSQL would do it later
/// by itself, and its vacuum also marks the pages that let the inbox read
/// its indexes alone; SQLite only analyses when asked).
pub fn refresh_statistics(conn: &mut DbConnection, backend: Backend) -> AppResult<()> {
    use diesel::RunQueryDsl;
    let sql = match backend {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM ANALYZE",
    };
    diesel::sql_query(sql).execute(conn)?;
    Ok(())
}
