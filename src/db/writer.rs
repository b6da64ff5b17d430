//! Group commit. Every change goes through a writer thread that owns its own
//! connection: it takes every job waiting, runs each in its own savepoint
//! inside one transaction, commits once, and only then answers each caller.
//! On SQLite with `synchronous=FULL` that turns one fsync per request into one
//! per batch, and since SQLite allows one writer at a time anyway, nothing
//! ever waits on a lock.
//!
//! A caller waits a bounded time ([`super::WRITE_WAIT`]): a job still queued
//! then is abandoned, and the writer skips it, so an answer of "unavailable"
//! always means nothing was stored. Jobs of a batch whose transaction failed
//! before they ran (the database went away) are run again after the
//! reconnect, while their callers still wait; when the database refuses
//! writes altogether (a read-only database) they are answered with that.

use super::connection::Manager;
use super::DbConnection;
use crate::error::Context;
use crate::error::{AppError, AppResult, ErrorKind};
use diesel::Connection;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// Jobs one transaction may carry; more wait for the next commit.
const MAX_BATCH: usize = 512;
/// Jobs that may wait before callers are told the server is busy.
const QUEUE_DEPTH: usize = 16_384;

/// Called with the outcome of the commit that carried a job.
type Completion = Box<dyn FnOnce(Result<(), String>) + Send>;

/// Where a job is: queued, begun by the writer, or given up by its caller.
const WAITING: u8 = 0;
const BEGUN: u8 = 1;
const ABANDONED: u8 = 2;

/// A job's state, shared by its caller and the writer.
#[derive(Clone, Default)]
pub(super) struct Ticket(Arc<AtomicU8>);

impl Ticket {
    /// The writer begins the job, unless its caller gave up.
    fn begin(&self) -> bool {
        self.0
            .compare_exchange(WAITING, BEGUN, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// The caller gives up, unless the writer has begun the job (then its
    /// answer comes with the commit).
    pub(super) fn abandon(&self) -> bool {
        self.0
            .compare_exchange(WAITING, ABANDONED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

/// A change to make.
trait Change: Send {
    /// Runs in a savepoint; returns how to answer the caller after the commit.
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Completion;
    /// Answers the caller without running.
    fn refuse(self: Box<Self>, error: AppError);
}

type Job = (Ticket, Box<dyn Change>);

struct ChangeOf<T, F> {
    f: F,
    tx: oneshot::Sender<AppResult<T>>,
}

impl<T, F> Change for ChangeOf<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut DbConnection) -> Completion {
        let ChangeOf { f, tx } = *self;
        // A nested transaction is a savepoint: a failing job undoes only itself.
        let result = conn.transaction(f);
        Box::new(move |committed: Result<(), String>| {
            let outcome = match committed {
                Ok(()) => result,
                // Not stored (a full disk), or not known to be (a connection
                // lost during COMMIT): the caller is told to try again, as
                // when the database is away; forms, the kiosk and the API
                // carry idempotency keys, so a repeat is stored once.
                Err(cause) => Err(AppError::because(
                    ErrorKind::Unavailable,
                    format!("commit failed: {cause}"),
                )),
            };
            let _ = tx.send(outcome);
        })
    }

    fn refuse(self: Box<Self>, error: AppError) {
        let _ = self.tx.send(Err(error));
    }
}

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

    /// Queues `f`; the receiver yields its result after the commit. The
    /// ticket lets the caller give up while `f` has not begun.
    pub(super) fn submit<T, F>(&self, f: F) -> AppResult<(Ticket, oneshot::Receiver<AppResult<T>>)>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let ticket = Ticket::default();
        let job: Job = (ticket.clone(), Box::new(ChangeOf { f, tx }));
        match self.jobs.try_send(job) {
            Ok(()) => Ok((ticket, rx)),
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
        let mut waiting: VecDeque<Job> = batch.into();
        while !waiting.is_empty() {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let mut completions = Vec::with_capacity(waiting.len());
                let committed = conn.transaction::<_, diesel::result::Error, _>(|c| {
                    take_write_lock(c)?;
                    while let Some((ticket, change)) = waiting.pop_front() {
                        // A caller that gave up has answered "unavailable":
                        // its change must not happen later.
                        if ticket.begin() {
                            completions.push(change.run(c));
                        }
                    }
                    Ok(())
                });
                let committed = committed.map_err(|e| e.to_string());
                let failed = committed.as_ref().err().cloned();
                for complete in completions {
                    complete(committed.clone());
                }
                failed
            }));
            let (broken, cause) = match outcome {
                Ok(None) => (false, None),
                // A failed commit may mean a lost connection (a PostgreSQL restart).
                Ok(Some(cause)) => (super::connection::ping(&mut conn).is_err(), Some(cause)),
                Err(_) => {
                    // A job panicked: its callers get an error (their senders are dropped).
                    tracing::error!("a database job panicked; reopening the writer connection");
                    (true, None)
                }
            };
            if broken {
                tracing::warn!(
                    cause = cause.as_deref().unwrap_or("a job panicked"),
                    waiting = waiting.len(),
                    "database connection lost; the writer reconnects and runs what had not begun"
                );
                conn = reconnect(manager);
            } else if let Some(cause) = cause.filter(|_| !waiting.is_empty()) {
                // Refused before any job ran (a read-only database, a lock
                // held too long): answer, never pretend the writer stopped.
                tracing::warn!(cause, "the database refused a batch of changes");
                for (ticket, change) in waiting.drain(..) {
                    if ticket.begin() {
                        change.refuse(AppError::because(
                            ErrorKind::Unavailable,
                            "the database does not take changes now",
                        ));
                    }
                }
            }
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
