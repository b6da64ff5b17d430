//! Background jobs: what happens because time passed, not because someone
//! clicked. Every round runs, each in its own writer job (savepoint):
//!
//! - **escalation**: a ticket past its first-response or resolution due
//!   moment gets one email to the owners per kind of breach, recorded in
//!   `first_response_escalated_at` / `resolution_escalated_at` and as an
//!   `escalation` event. A ticket has one target of each kind (moved later by
//!   waiting, kept on reopening), so it breaches each at most once;
//! - **reminder**: a ticket waiting on the customer for `reminder_days` gets
//!   one gentle reminder to the customer (only with an address and consent),
//!   `reminder_sent_at` and a `reminder` event;
//! - **auto-close**: resolved for `auto_close_days` (a customer reply would
//!   have reopened it) → closed, with a `status` event `resolved>closed`;
//! - **survey**: `csat_due_at` passed and no survey sent → one "Did we solve
//!   it?" mail with the four faces, `csat_sent_at` (and `csat_due_at` cleared)
//!   and a `csat_sent` event; one survey per ticket, even if resolved again;
//! - **digest**: once per day (in the business's time zone), from
//!   `digest_hour` on, each active staff member and owner gets the counts of
//!   open, overdue and unassigned tickets and the most urgent ones; guarded by
//!   the `digest` row of `job_runs`. No digest on a day with nothing open.
//! - **dashboard rollup**: the finished local days the owner's dashboard
//!   has not stored yet (and the last few again, once a day), each day in
//!   its own writer job so submissions never wait long, at most
//!   [`dashboard::ROLL_PER_ROUND`] per round; see [`crate::domain::dashboard`].
//! - **retention**: what is past the owner's retention period is anonymised
//!   ([`crate::domain::privacy`]), [`privacy::BATCH`] submissions per writer
//!   transaction with a pause after each, at most a few seconds of writer
//!   time per round, so a backlog (the first run over years of data) never
//!   starves submissions; when nothing is left the `retention` row of
//!   `job_runs` marks the day done. A round that anonymised something leaves
//!   its counts in the audit log.
//! - **alert counts**: the per-minute counters of the burst alerts older
//!   than the longest window are deleted ([`crate::domain::alert`]).
//!
//! Each job first claims its work with a conditional update (`… WHERE
//! reminder_sent_at IS NULL`) and queues mail only for what it claimed, so a
//! round that runs twice, or on two writers at once, mails once. Mail is
//! rendered inside the writer: a round handles at most [`BATCH`] tickets per
//! job, and the next round continues.
//!
//! [`spawn`] runs a round every [`INTERVAL`] on the app's clock; tests call
//! [`run_now`] after moving the clock.

use crate::clock::Clock;
use crate::db::schema::{feedback, job_runs, locations, tickets};
use crate::db::{Db, DbConnection};
use crate::domain::dashboard;
use crate::domain::events::{self, Event};
use crate::domain::local_time;
use crate::domain::sla::time_left;
use crate::domain::ticket::{self, page_token, Status};
use crate::domain::workflow::{self, Audience};
use crate::domain::{audit, privacy};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::followup_mail::{Breach, Digest, DigestItem, Escalation, Survey, WaitingReminder};
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::templates::Rendered;
use crate::mail::MailContext;
use crate::AppState;
use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Notify;

/// How often the jobs run.
pub const INTERVAL: std::time::Duration = std::time::Duration::from_secs(45);

/// Most tickets one job handles in one round.
pub const BATCH: i64 = 200;

/// A job: does what is due at `now`, returns how many things it did.
type Job = fn(&mut DbConnection, NaiveDateTime, &MailContext) -> AppResult<usize>;

const JOBS: [(&str, Job); 6] = [
    ("escalation", escalate),
    ("reminder", remind),
    ("auto_close", auto_close),
    ("survey", send_surveys),
    ("digest", digest),
    ("alert_counts", prune_alert_counts),
];

/// Forgets burst counters older than any window; counts as nothing done.
fn prune_alert_counts(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    _: &MailContext,
) -> AppResult<usize> {
    crate::domain::alert::prune_counts(conn, now)?;
    Ok(0)
}

/// Runs every job once for `now`. A failing job is logged and the others
/// still run; returns how many things were done (mails queued, tickets closed).
pub async fn run_due(db: &Db, now: NaiveDateTime, mail: &MailContext) -> usize {
    let mut done = 0;
    for (name, job) in JOBS {
        let mail = mail.clone();
        match db.write(move |c| job(c, now, &mail)).await {
            Ok(n) => done += n,
            Err(e) => tracing::error!(job = name, error = %e, "background job failed"),
        }
    }
    // Many writer jobs one after another: off the async threads.
    let retention_db = db.clone();
    match tokio::task::spawn_blocking(move || retention(&retention_db, now)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => tracing::error!(job = "retention", error = %e, "background job failed"),
        Err(e) => tracing::error!(job = "retention", error = %e, "background job stopped"),
    }
    if let Err(e) = roll_up(db, now).await {
        tracing::error!(job = "dashboard", error = %e, "background job failed");
    }
    done
}

/// Rolls up the dashboard days that are due, one writer job per day;
/// returns how many days were rolled.
pub async fn roll_up(db: &Db, now: NaiveDateTime) -> AppResult<usize> {
    let days = db.read(move |c| dashboard::days_to_roll(c, now)).await?;
    for day in &days {
        let day = *day;
        db.write(move |c| dashboard::roll_day(c, day, now)).await?;
    }
    Ok(days.len())
}

/// [`roll_up`], waiting on the calling thread (tests, the command line).
pub fn roll_up_blocking(db: &Db, now: NaiveDateTime) -> AppResult<usize> {
    let days = db.read_blocking(|c| dashboard::days_to_roll(c, now))?;
    for day in &days {
        let day = *day;
        db.write_blocking(move |c| dashboard::roll_day(c, day, now))?;
    }
    Ok(days.len())
}

/// Runs every job once now, waiting on the calling thread, and wakes the
/// mail worker: what tests call after moving the clock.
pub fn run_now(state: &AppState) -> AppResult<usize> {
    let now = state.clock.now();
    let mut done = 0;
    for (_, job) in JOBS {
        let mail = state.mail.clone();
        done += state.db.write_blocking(move |c| job(c, now, &mail))?;
    }
    retention(&state.db, now)?;
    roll_up_blocking(&state.db, now)?;
    state.wake_senders();
    Ok(done)
}

/// The daily retention run: claims the day, then anonymises batch after
/// batch (each its own writer job) until nothing past the period is left.
/// Returns the counts (None: it had already run today).
pub fn retention(db: &Db, now: NaiveDateTime) -> AppResult<Option<privacy::Counts>> {
    let due = db.write_blocking(move |c| {
        let today = local_time::today_start(workflow::get(c)?.tz(), now);
        if ran_since(c, privacy::RETENTION_JOB, today)? {
            return Ok(None);
        }
        Ok(Some(privacy::cutoff(now, privacy::retention_months(c)?)))
    })?;
    let Some(cutoff) = due else {
        return Ok(None);
    };
    // A backlog (the first run over years of data) is worked off a slice per
    // round: at most RETENTION_BUDGET of writer time, and after each batch a
    // pause as long as the batch took, so submissions keep at least half of
    // the writer. The day counts as done only when nothing is left.
    let started = Instant::now();
    let mut total = privacy::Counts::default();
    let mut cursor = None;
    let mut finished = false;
    while started.elapsed() < RETENTION_BUDGET {
        let batch = Instant::now();
        let (counts, next) =
            db.write_blocking(move |c| privacy::retention_batch(c, now, cutoff, cursor))?;
        total.add(counts);
        match next {
            Some(next) => cursor = Some(next),
            None => {
                finished = true;
                break;
            }
        }
        std::thread::sleep(batch.elapsed());
    }
    while finished {
        let counts = db.write_blocking(move |c| privacy::retention_gifts(c, cutoff))?;
        total.add(counts);
        if counts.gifts < privacy::BATCH {
            break;
        }
        if started.elapsed() >= RETENTION_BUDGET {
            finished = false;
        }
    }
    let summary = (!total.is_empty()).then(|| total.summary());
    db.write_blocking(move |c| {
        if finished {
            let today = local_time::today_start(workflow::get(c)?.tz(), now);
            claim_day(c, privacy::RETENTION_JOB, today, now)?;
        }
        match &summary {
            Some(summary) => audit::record(
                c,
                audit::Actor::Job,
                privacy::RETENTION_ACTION,
                None,
                summary,
                now,
            ),
            None => Ok(()),
        }
    })?;
    Ok(Some(total))
}

/// How much writer time one round gives the retention backlog.
const RETENTION_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the job `name` has run since `day_start`.
fn ran_since(conn: &mut DbConnection, name: &str, day_start: NaiveDateTime) -> AppResult<bool> {
    Ok(job_runs::table
        .find(name)
        .select(job_runs::last_run_at)
        .first::<NaiveDateTime>(conn)
        .optional()?
        .is_some_and(|at| at >= day_start))
}

/// Starts the loop on the current tokio runtime: a round every [`INTERVAL`]
/// (the first one an interval after start), waking the mail worker when a
/// round queued mail.
pub fn spawn(db: Db, clock: Clock, mail: MailContext, wake: Arc<Notify>) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + INTERVAL, INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if run_due(&db, clock.now(), &mail).await > 0 {
                wake.notify_one();
            }
        }
    });
}

/// Queues a mail to the customer, threaded under the ticket's earlier mails.
fn mail_customer(
    conn: &mut DbConnection,
    ticket_id: i64,
    kind: MailKind,
    to: &str,
    rendered: &Rendered,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    let thread = outbox::thread(conn, ticket_id)?;
    let message_id = mail.new_message_id(kind.as_str());
    let threaded = NewMail {
        in_reply_to: thread.in_reply_to.as_deref(),
        references: thread.references.as_deref(),
        ..NewMail::about_ticket(kind, ticket_id, to, rendered, &message_id)
    };
    outbox::enqueue(conn, &threaded, now)
}

/// (ticket id, reference, location name, due moment)
type Breached = (i64, String, String, Option<NaiveDateTime>);

/// Escalates the tickets of `$candidates` past their `$due` moment and not
/// yet escalated, each claimed by setting `$escalated`; the number of
/// mails queued. (A macro: the two kinds differ only in their columns.)
macro_rules! escalate_breached {
    ($conn:ident, $now:ident, $mail:ident, $candidates:expr, $due:ident, $escalated:ident, $breach:expr) => {{
        let not_yet = || tickets::$escalated.is_null();
        let rows: Vec<Breached> = $candidates
            .filter(tickets::$due.lt($now))
            .filter(not_yet())
            .select((
                tickets::id,
                feedback::reference,
                locations::name,
                tickets::$due,
            ))
            .limit(BATCH)
            .load($conn)?;
        let mut done = 0;
        for row in rows {
            let claimed = diesel::update(tickets::table.find(row.0).filter(not_yet()))
                .set(tickets::$escalated.eq($now))
                .execute($conn)?;
            if claimed == 1 {
                done += escalation($conn, row, $breach, $mail, $now)?;
            }
        }
        done
    }};
}

fn escalate(conn: &mut DbConnection, now: NaiveDateTime, mail: &MailContext) -> AppResult<usize> {
    let candidates = || {
        tickets::table
            .inner_join(feedback::table)
            .inner_join(locations::table)
            // `due_at` is the earlier of the two while unanswered and NULL
            // unless the ticket needs staff: the index on it finds both kinds.
            .filter(tickets::due_at.lt(now))
            .filter(tickets::status.eq_any(["new", "open"]))
            .filter(tickets::merged_into_id.is_null())
    };
    let unanswered = candidates().filter(tickets::first_response_at.is_null());
    let first = escalate_breached!(
        conn,
        now,
        mail,
        unanswered,
        first_response_due_at,
        first_response_escalated_at,
        Breach::FirstResponse
    );
    let resolution = escalate_breached!(
        conn,
        now,
        mail,
        candidates(),
        resolution_due_at,
        resolution_escalated_at,
        Breach::Resolution
    );
    Ok(first + resolution)
}

fn escalation(
    conn: &mut DbConnection,
    (ticket_id, reference, location, due): Breached,
    breach: Breach,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<usize> {
    ticket::add_event(
        conn,
        ticket_id,
        "escalation",
        None,
        breach.as_str(),
        None,
        now,
    )?;
    events::emit(
        conn,
        Event::SlaBreached {
            ticket_id,
            breach: breach.as_str(),
        },
        now,
    )?;
    let staff_link = mail.link(&format!("/staff/tickets/{ticket_id}"));
    let late = time_left(due.unwrap_or(now), now);
    workflow::tell_staff(
        conn,
        ticket_id,
        MailKind::Escalation,
        Audience::Owners,
        |lang| {
            Escalation {
                lang,
                shop: &location,
                reference: &reference,
                breach,
                late,
                staff_link: &staff_link,
            }
            .render()
        },
        mail,
        now,
    )
}

/// A claim for [`mail_customers`]: sets the ticket's `$column` to `$now`
/// (and the `$also` changes) when it is still unset; answers whether it was.
macro_rules! claim_once {
    ($column:ident, $now:ident $(, $also:expr)*) => {
        |conn: &mut DbConnection, id: i64| -> AppResult<bool> {
            let row = tickets::table.find(id).filter(tickets::$column.is_null());
            let claimed = diesel::update(row)
                .set((tickets::$column.eq($now), $($also,)*))
                .execute(conn)?;
            Ok(claimed == 1)
        }
    };
}

/// A customer who asked to be mailed about their ticket.
#[derive(Queryable)]
struct Customer {
    ticket_id: i64,
    nonce: String,
    reference: String,
    shop: String,
    email: String,
    name: Option<String>,
    language: String,
}

impl Customer {
    fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or(Lang::Nl)
    }
}

/// For each ticket in `ids`: claims it (`claim` answers whether this round
/// got it), queues the mail `render` makes for its customer (given the page
/// token), and records `event` on its timeline.
#[expect(
    clippy::too_many_arguments,
    reason = "one driver for every customer job; the arguments are what differs"
)]
fn mail_customers(
    conn: &mut DbConnection,
    ids: &[i64],
    kind: MailKind,
    event: &str,
    claim: impl Fn(&mut DbConnection, i64) -> AppResult<bool>,
    render: impl Fn(&Customer, &str) -> Rendered,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let customers: Vec<Customer> = tickets::table
        .inner_join(feedback::table)
        .inner_join(locations::table)
        .filter(tickets::id.eq_any(ids))
        .filter(feedback::customer_email.is_not_null())
        .select((
            tickets::id,
            tickets::access_nonce,
            feedback::reference,
            locations::name,
            feedback::customer_email.assume_not_null(),
            feedback::customer_name,
            feedback::language,
        ))
        .load(conn)?;
    let mut done = 0;
    for customer in customers {
        if !claim(conn, customer.ticket_id)? {
            continue;
        }
        let rendered = render(&customer, &page_token(mail, &customer.nonce));
        mail_customer(
            conn,
            customer.ticket_id,
            kind,
            &customer.email,
            &rendered,
            mail,
            now,
        )?;
        ticket::add_event(conn, customer.ticket_id, event, None, "", None, now)?;
        done += 1;
    }
    Ok(done)
}

fn remind(conn: &mut DbConnection, now: NaiveDateTime, mail: &MailContext) -> AppResult<usize> {
    let days = workflow::get(conn)?.reminder_days;
    if days <= 0 {
        return Ok(0);
    }
    let ids: Vec<i64> = tickets::table
        .inner_join(feedback::table)
        .filter(tickets::status.eq("waiting"))
        .filter(tickets::waiting_since.le(now - Duration::days(i64::from(days))))
        .filter(tickets::reminder_sent_at.is_null())
        .filter(feedback::customer_email.is_not_null())
        .filter(feedback::contact_consent.eq(true))
        .select(tickets::id)
        .limit(BATCH)
        .load(conn)?;
    let claim = claim_once!(reminder_sent_at, now);
    let render = |c: &Customer, token: &str| {
        WaitingReminder {
            lang: c.lang(),
            shop: &c.shop,
            reference: &c.reference,
            name: c.name.as_deref(),
            ticket_link: &mail.link(&format!("/t/{token}")),
        }
        .render()
    };
    let kind = MailKind::WaitingReminder;
    mail_customers(conn, &ids, kind, "reminder", claim, render, mail, now)
}

fn auto_close(conn: &mut DbConnection, now: NaiveDateTime, _: &MailContext) -> AppResult<usize> {
    let days = workflow::get(conn)?.auto_close_days;
    if days <= 0 {
        return Ok(0);
    }
    let ids: Vec<i64> = tickets::table
        .filter(tickets::status.eq("resolved"))
        .filter(tickets::resolved_at.le(now - Duration::days(i64::from(days))))
        .select(tickets::id)
        .limit(BATCH)
        .load(conn)?;
    let mut done = 0;
    for id in ids {
        if ticket::move_status(conn, id, Status::Resolved, Status::Closed, None, now)? {
            done += 1;
        }
    }
    Ok(done)
}

fn send_surveys(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    mail: &MailContext,
) -> AppResult<usize> {
    let ids: Vec<i64> = tickets::table
        .inner_join(feedback::table)
        .filter(tickets::csat_due_at.le(now))
        .filter(tickets::csat_sent_at.is_null())
        .filter(tickets::csat_score.is_null())
        .filter(tickets::status.eq_any(["resolved", "closed"]))
        // A merged duplicate is answered on the ticket it joined.
        .filter(tickets::merged_into_id.is_null())
        .filter(feedback::customer_email.is_not_null())
        .filter(feedback::contact_consent.eq(true))
        .select(tickets::id)
        .limit(BATCH)
        .load(conn)?;
    // Sent: no longer due, which also keeps the index on `csat_due_at` small.
    let not_due = tickets::csat_due_at.eq(None::<NaiveDateTime>);
    let claim = claim_once!(csat_sent_at, now, not_due);
    let render = |c: &Customer, token: &str| {
        Survey {
            lang: c.lang(),
            shop: &c.shop,
            reference: &c.reference,
            name: c.name.as_deref(),
            face_links: [1, 2, 3, 4].map(|face| mail.link(&format!("/t/{token}/rate/{face}"))),
        }
        .render()
    };
    let kind = MailKind::SatisfactionSurvey;
    mail_customers(conn, &ids, kind, "csat_sent", claim, render, mail, now)
}

/// (ticket id, reference, location name, due moment, assignee)
type Urgent = (i64, String, String, Option<NaiveDateTime>, Option<i64>);

/// How many tickets the digest lists by name.
const DIGEST_ITEMS: i64 = 10;

fn digest(conn: &mut DbConnection, now: NaiveDateTime, mail: &MailContext) -> AppResult<usize> {
    let settings = workflow::get(conn)?;
    let tz = settings.tz();
    if i64::from(local_time::to_local(tz, now).hour()) < i64::from(settings.digest_hour) {
        return Ok(0);
    }
    let today = local_time::today_start(tz, now);
    if !claim_day(conn, "digest", today, now)? {
        return Ok(0);
    }
    let active = || {
        tickets::table
            .filter(tickets::status.eq_any(Status::ACTIVE.map(Status::as_str)))
            .filter(tickets::merged_into_id.is_null())
    };
    let open: i64 = active().count().get_result(conn)?;
    if open == 0 {
        return Ok(0);
    }
    let overdue: i64 = active()
        .filter(tickets::due_at.lt(now))
        .count()
        .get_result(conn)?;
    let unassigned: i64 = active()
        .filter(tickets::assignee_id.is_null())
        .count()
        .get_result(conn)?;
    let per_assignee: Vec<(Option<i64>, i64)> = active()
        .filter(tickets::assignee_id.is_not_null())
        .group_by(tickets::assignee_id)
        .select((tickets::assignee_id, diesel::dsl::count_star()))
        .load(conn)?;
    let top: Vec<Urgent> = active()
        .filter(tickets::due_at.is_not_null())
        .inner_join(feedback::table)
        .inner_join(locations::table)
        .order((tickets::due_at.asc(), tickets::id.asc()))
        .select((
            tickets::id,
            feedback::reference,
            locations::name,
            tickets::due_at,
            tickets::assignee_id,
        ))
        .limit(DIGEST_ITEMS)
        .load(conn)?;
    let items: Vec<DigestItem> = top
        .into_iter()
        .map(|(id, reference, location, due, assignee)| DigestItem {
            reference,
            location,
            due: due.map(|d| time_left(d, now)),
            unassigned: assignee.is_none(),
            link: mail.link(&format!("/staff/tickets/{id}")),
        })
        .collect();
    let inbox_link = mail.link("/staff/inbox");
    let recipients = workflow::recipients(conn, Audience::Everyone)?;
    for r in &recipients {
        let mine = per_assignee
            .iter()
            .find(|(id, _)| *id == Some(r.id))
            .map_or(0, |(_, n)| *n);
        let rendered = Digest {
            lang: r.lang,
            open,
            overdue,
            unassigned,
            mine,
            items: &items,
            inbox_link: &inbox_link,
        }
        .render();
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::Digest,
                ticket_id: None,
                ticket_message_id: None,
                recipient: &r.email,
                rendered: &rendered,
                message_id: &mail.new_message_id("digest"),
                in_reply_to: None,
                references: None,
            },
            now,
        )?;
    }
    Ok(recipients.len())
}

/// Claims the run of job `name` for the day that began at `day_start`:
/// true when it had not run since then (and now counts as run).
fn claim_day(
    conn: &mut DbConnection,
    name: &str,
    day_start: NaiveDateTime,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let updated = diesel::update(
        job_runs::table
            .filter(job_runs::name.eq(name))
            .filter(job_runs::last_run_at.lt(day_start)),
    )
    .set(job_runs::last_run_at.eq(now))
    .execute(conn)?;
    if updated == 1 {
        return Ok(true);
    }
    let exists = job_runs::table
        .find(name)
        .select(job_runs::name)
        .first::<String>(conn)
        .optional()?
        .is_some();
    if exists {
        return Ok(false);
    }
    diesel::insert_into(job_runs::table)
        .values((job_runs::name.eq(name), job_runs::last_run_at.eq(now)))
        .execute(conn)?;
    Ok(true)
}
