//! Group commit. Every change goes through a writer thread that owns its own
//! connection: it takes every job waiting, runs each in its own savepoint
//! inside one transaction, commits once, and only then answers each caller.
//! On SQLite with `synchronous=FULL` that turns one fsync per request into one
//! per batch, and since SQLite allows one writer at a time anyway, nothing
//! ever waits on a lock.

use super::connection::Manager;
use super::DbConnection;
use crate::error::Context;
use crate::error::{AppError, AppResult, ErrorKind};
use diesel::Connection;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Jobs one transaction may carry; more wait for the next commit.
const MAX_BATCH: usize = 512;
/// Jobs that may wait before callers are told the server is busy.
const QUEUE_DEPTH: usize = 16_384;

/// Called with the outcome of the commit that carried a job.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A change to make: runs in a savepoint, returns how to answer its caller.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Completion + Send>;

/// Sends jobs to the writer threads.
#[derive(Clone)]
pub(super) struct Writer {
    jobs: SyncSender<Job>,
}

/// The error callers see when the writer is gone.
pub(super) fn stopped() -> AppError {
    AppError::because(ErrorKind::Unavailable, "database writer stopped")
}

impl Writer {
    /// Starts `threads` writer threads, each with its own connection.
    pub(super) fn start(manager: &Manager, threads: usize) -> AppResult<Writer> {
        let (jobs, queue) = sync_channel::<Job>(QUEUE_DEPTH);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads {
            let mut conn = manager.connect_checked()?;
            // The writer touches index pages all over: a larger cache saves rereads.
            if let DbConnection::Sqlite(sqlite) = &mut conn {
                use diesel::connection::SimpleConnection;
                sqlite
                    .batch_execute(&format!(
                        "PRAGMA cache_size = -{};",
                        super::connection::SQLITE_WRITER_CACHE_KIB
                    ))
                    .map_err(AppError::from)?;
            }
            let queue = Arc::clone(&queue);
            let manager = manager.clone();
            std::thread::Builder::new()
                .name(format!("db-writer-{n}"))
                .spawn(move || run(conn, &queue, &manager))
                .internal("cannot start writer")?;
        }
        Ok(Writer { jobs })
    }

    /// Queues `f`; the receiver yields its result after the commit.
    pub(super) fn submit<T, F>(&self, f: F) -> AppResult<oneshot::Receiver<AppResult<T>>>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // A nested transaction is a savepoint: a failing job undoes only itself.
            let result = conn.transaction(f);
            Box::new(move |committed: Result<(), String>| {
                let outcome = match committed {
                    Ok(()) => result,
                    Err(cause) => Err(AppError::internal(format!("commit failed: {cause}"))),
                };
                let _ = tx.send(outcome);
            })
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_)) => Err(AppError::because(
                ErrorKind::Unavailable,
                "write queue full",
            )),
            Err(TrySendError::Disconnected(_)) => Err(stopped()),
        }
    }
}

/// Takes the next batch: waits for one job, then everything already queued.
fn next_batch(queue: &Mutex<Receiver<Job>>) -> Option<Vec<Job>> {
    let queue = queue.lock().ok()?;
    let first = queue.recv().ok()?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match queue.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn run(mut conn: DbConnection, queue: &Mutex<Receiver<Job>>, manager: &Manager) {
    while let Some(batch) = next_batch(queue) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut completions = Vec::with_capacity(batch.len());
            let committed = conn.transaction::<_, diesel::result::Error, _>(|c| {
                take_write_lock(c)?;
                for job in batch {
                    completions.push(job(c));
                }
                Ok(())
            });
            let failed = committed.is_err();
            let committed = committed.map_err(|e| e.to_string());
            for complete in completions {
                complete(committed.clone());
            }
            failed
        }));
        let broken = match outcome {
            Ok(false) => false,
            // A failed commit may mean a lost connection (a PostgreSQL restart).
            Ok(true) => super::connection::ping(&mut conn).is_err(),
            Err(_) => {
                // A job panicked: its callers get an error (their senders are dropped).
                tracing::error!("a database job panicked; reopening the writer connection");
                true
            }
        };
        if broken {
            conn = reconnect(manager);
        }
    }
}

/// A fresh connection, retrying with growing pauses while the database is away.
fn reconnect(manager: &Manager) -> DbConnection {
    let mut pause = std::time::Duration::from_millis(100);
    loop {
        match manager.connect_checked() {
            Ok(fresh) => return fresh,
            Err(e) => {
                tracing::error!(error = ?e, "writer cannot reconnect; retrying");
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
}

/// SQLite: takes the write lock before any job reads (backend specific). A
/// plain `BEGIN` would read first, and a write by another process in between
/// (the command line) would then fail the whole batch instead of waiting for
/// the busy timeout. A no-op `UPDATE` makes the transaction `IMMEDIATE`.
fn take_write_lock(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    if let DbConnection::Sqlite(_) = conn {
        diesel::sql_query("UPDATE setup_tokens SET id = id WHERE 0").execute(conn)?;
    }
    Ok(())
}
