//! The staff inbox: which tickets a filter selects, in which order, one page
//! at a time, full-text search, and the number of tickets per status.
//!
//! It must stay fast at a million tickets, so every page is read by walking
//! one index in the wanted order (keyset pagination, never `OFFSET`):
//!
//! - the default status choice is the work in hand (new, open, waiting),
//!   a small slice with its own partial index; single statuses walk
//!   `(status, created_at, id, …)`; closed and all walk the index that fits
//!   the location, spot or assignee filter, else `(created_at, id)`; the
//!   small and the per-status indexes carry every filter column (face and
//!   category are copied onto the ticket by a trigger), so the rows they
//!   skip are never read;
//! - by due time: first the tickets with a due moment, `(due_at, id)`
//!   ascending (overdue ones come first by nature), then those without one,
//!   newest first; the cursor says which of the two parts a page is in;
//! - search reads the full-text index newest first (by ticket id) and
//!   applies the other filters on the way; an exact reference or email
//!   address finds its tickets through their own indexes;
//! - counts per status stop at [`COUNT_CAP`] and are given for the
//!   statuses that hold work in hand and resolved; closed and all are
//!   history and get no number.
//!
//! The SQL is written by hand (through [`crate::db::sql`]) so the index is
//! chosen on purpose; the rows of a page are then read by id with the query
//! builder.

use super::category;
use super::ticket::Status;
use crate::db::schema::{categories, feedback, locations, tickets, users};
use crate::db::sql::{Sql, Value};
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamp};
use serde::Deserialize;

/// Counts stop here ("1000+"): counting further would read history.
pub const COUNT_CAP: i64 = 1000;

/// Which statuses the inbox shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusChoice {
    /// New, open and waiting: the default.
    #[default]
    Active,
    /// One status (a stored [`Status`]).
    Only(&'static str),
    /// Every status.
    All,
}

impl StatusChoice {
    /// Parses the query-string form (`active`, `all` or a status); empty is `None`.
    pub fn parse(raw: &str) -> Option<StatusChoice> {
        match raw {
            "active" => Some(StatusChoice::Active),
            "all" => Some(StatusChoice::All),
            other => Status::parse(other).map(|s| StatusChoice::Only(s.as_str())),
        }
    }

    /// The query-string form.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusChoice::Active => "active",
            StatusChoice::All => "all",
            StatusChoice::Only(s) => s,
        }
    }
}

/// Whose tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Assignee {
    /// Assigned or not.
    #[default]
    Anyone,
    /// Not assigned to anybody.
    Nobody,
    /// Assigned to this staff member.
    User(i64),
}

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Due moment first (overdue on top), then tickets without one, newest first.
    #[default]
    Due,
    /// Newest first.
    Newest,
}

/// What the inbox shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Which statuses.
    pub status: StatusChoice,
    /// Only this location.
    pub location_id: Option<i64>,
    /// Only this spot (e.g. `table-4`).
    pub spot: Option<String>,
    /// Only this category.
    pub category_id: Option<i64>,
    /// Only this face (1–4).
    pub face: Option<i16>,
    /// Whose tickets.
    pub assignee: Assignee,
    /// Only tickets past their due moment.
    pub overdue: bool,
}

/// Where the next page starts: after the last row of the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// By due time, still among tickets with a due moment: after (due_at, id).
    Due(NaiveDateTime, i64),
    /// By due time, among tickets without one: after (created_at, id), newest first.
    Undated(NaiveDateTime, i64),
    /// Newest first: after (created_at, id).
    Newest(NaiveDateTime, i64),
    /// Search results: tickets with a smaller id.
    Search(i64),
}

impl Cursor {
    /// The opaque text form carried in the next-page link.
    pub fn encode(self) -> String {
        let micros = |t: NaiveDateTime| t.and_utc().timestamp_micros();
        match self {
            Cursor::Due(t, id) => format!("d{}_{id}", micros(t)),
            Cursor::Undated(t, id) => format!("u{}_{id}", micros(t)),
            Cursor::Newest(t, id) => format!("n{}_{id}", micros(t)),
            Cursor::Search(id) => format!("s{id}"),
        }
    }

    /// Reads the text form; anything else is no cursor (the first page).
    pub fn decode(raw: &str) -> Option<Cursor> {
        let kind = raw.chars().next()?;
        let rest = &raw[kind.len_utf8()..];
        if kind == 's' {
            return rest.parse().ok().map(Cursor::Search);
        }
        let (micros, id) = rest.split_once('_')?;
        let at = crate::clock::from_unix_micros(micros.parse().ok()?)?;
        let id = id.parse().ok()?;
        match kind {
            'd' => Some(Cursor::Due(at, id)),
            'u' => Some(Cursor::Undated(at, id)),
            'n' => Some(Cursor::Newest(at, id)),
            _ => None,
        }
    }
}

/// The inbox's query string, as sent (every field may be empty). Filters
/// carry over to the tabs, the sort switch and the next page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Params {
    /// Search words, a reference or an email address.
    pub q: String,
    /// `active` (default), `all` or one status.
    pub status: String,
    /// Location slug.
    pub location: String,
    /// Spot.
    pub spot: String,
    /// Category slug.
    pub category: String,
    /// Face 1–4.
    pub face: String,
    /// `me`, `nobody`, a staff member's id, or empty for anyone.
    pub assignee: String,
    /// `1` for overdue only.
    pub overdue: String,
    /// `due` (default) or `newest`.
    pub sort: String,
    /// The opaque cursor of the next page.
    pub before: String,
}

/// What a query string asks the inbox for, checked against what exists.
#[derive(Debug, Clone)]
pub struct Request {
    /// The filter.
    pub filter: Filter,
    /// The order (search results are always newest first).
    pub sort: Sort,
    /// Search words, a reference or an email address.
    pub q: Option<String>,
    /// Where the page starts.
    pub after: Option<Cursor>,
}

/// Longest search taken, in characters.
pub const MAX_SEARCH: usize = 200;

/// What the filter can choose from: every location, category and staff
/// member. The page shows them as choices and `resolve` turns the
/// query string against them, so one read serves both.
#[derive(Debug, Clone)]
pub struct Choices {
    /// Every location, by name.
    pub locations: Vec<super::location::Location>,
    /// Every category, in order.
    pub categories: Vec<super::category::Category>,
    /// Staff who can be assigned: (id, name).
    pub staff: Vec<(i64, String)>,
}

impl Choices {
    /// Reads them.
    pub fn load(conn: &mut DbConnection) -> AppResult<Choices> {
        Ok(Choices {
            locations: super::location::list(conn)?,
            categories: super::category::list_all(conn)?,
            staff: super::ticket::assignable(conn)?,
        })
    }
}

/// Reads the query string for staff member `me`: anything unknown (a
/// location or category that does not exist, a face outside 1–4, a bad
/// cursor) is simply not applied. A search looks through every status
/// unless one is chosen.
pub fn resolve(params: &Params, me: i64, choices: &Choices) -> Request {
    let q: String = params.q.trim().chars().take(MAX_SEARCH).collect();
    let q = (!q.is_empty()).then_some(q);
    let status = StatusChoice::parse(&params.status).unwrap_or(if q.is_some() {
        StatusChoice::All
    } else {
        StatusChoice::Active
    });
    let location_id = choices
        .locations
        .iter()
        .find(|l| l.slug == params.location)
        .map(|l| l.id);
    let category_id = choices
        .categories
        .iter()
        .find(|c| c.slug == params.category)
        .map(|c| c.id);
    let assignee = match params.assignee.as_str() {
        "me" => Assignee::User(me),
        "nobody" => Assignee::Nobody,
        other => other
            .parse::<i64>()
            .ok()
            .filter(|id| choices.staff.iter().any(|(staff, _)| staff == id))
            .map_or(Assignee::Anyone, Assignee::User),
    };
    Request {
        filter: Filter {
            status,
            location_id,
            spot: super::feedback::clean_tag(&params.spot),
            category_id,
            face: params.face.parse().ok().filter(|f| (1..=4).contains(f)),
            assignee,
            overdue: params.overdue == "1",
        },
        sort: if params.sort == "newest" {
            Sort::Newest
        } else {
            Sort::Due
        },
        q,
        after: Cursor::decode(&params.before),
    }
}

/// One line of the inbox.
#[derive(Debug, Clone, Queryable)]
pub struct InboxRow {
    /// Ticket id.
    pub id: i64,
    /// Reference.
    pub reference: String,
    /// Stored status.
    pub status: String,
    /// `normal` or `high`.
    pub priority: String,
    /// Location name.
    pub location: String,
    /// Spot within the location, if the QR code named one.
    pub spot: Option<String>,
    /// Face 1–4.
    pub face: i16,
    /// Topic names, if one was chosen (see [`category::name_in`]).
    pub category: Option<category::NamesRow>,
    /// The assigned staff member's name.
    pub assignee: Option<String>,
    /// The customer's message.
    pub message: Option<String>,
    /// The SLA moment that matters now; none while waiting, resolved or closed.
    pub due_at: Option<NaiveDateTime>,
    /// Opened at.
    pub created_at: NaiveDateTime,
}

/// One page of the inbox.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows, in order.
    pub rows: Vec<InboxRow>,
    /// Where the next page starts, when there is one.
    pub next: Option<Cursor>,
}

/// A ticket the index walk found, with its sort keys.
#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    due_at: Option<NaiveDateTime>,
}

const SELECT_HIT: &str = "SELECT t.id AS id, t.created_at AS created_at, t.due_at AS due_at";

/// Splits a search into the words the full-text index holds: letters and
/// digits, lowercased; at most eight.
pub fn search_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(8)
        .collect()
}

/// Whether `q` has the shape of a ticket reference (`TL-ABCD-EFGH`).
fn as_reference(q: &str) -> Option<String> {
    let q = q.trim().to_uppercase();
    let parts: Vec<&str> = q.split('-').collect();
    let ok = parts.len() == 3
        && parts[0] == "TL"
        && parts[1..]
            .iter()
            .all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    ok.then_some(q)
}

/// Whether `q` is one whole email address.
fn as_email(q: &str) -> Option<String> {
    let q = q.trim();
    let (local, domain) = q.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !q.chars().any(|c| c.is_whitespace() || c == '<' || c == '>');
    ok.then(|| q.to_owned())
}

/// Appends the status condition. The sets are written as literals so they
/// match the partial index's own condition.
fn push_status(sql: &mut Sql, status: StatusChoice) {
    match status {
        StatusChoice::Active => {
            sql.push(" AND t.status IN ('new', 'open', 'waiting')");
        }
        StatusChoice::Only(s) => {
            sql.push(" AND t.status = ").bind(Value::Text(s.to_owned()));
        }
        StatusChoice::All => {}
    }
}

/// Appends the conditions of every filter but the status.
fn push_filters(sql: &mut Sql, filter: &Filter, now: NaiveDateTime) {
    if let Some(id) = filter.location_id {
        sql.push(" AND t.location_id = ").bind(Value::Int(id));
    }
    if let Some(spot) = &filter.spot {
        sql.push(" AND t.spot = ").bind(Value::Text(spot.clone()));
    }
    // Face and category are copied from the submission onto the ticket (see
    // the `inbox_search` migration), so the indexes carry them.
    if let Some(id) = filter.category_id {
        sql.push(" AND t.category_id = ").bind(Value::Int(id));
    }
    if let Some(face) = filter.face {
        sql.push(" AND t.face = ").bind(Value::Small(face));
    }
    match filter.assignee {
        Assignee::Anyone => {}
        Assignee::Nobody => {
            sql.push(" AND t.assignee_id IS NULL");
        }
        Assignee::User(id) => {
            sql.push(" AND t.assignee_id = ").bind(Value::Int(id));
        }
    }
    if filter.overdue {
        sql.push(" AND t.due_at < ").bind(Value::Time(now));
    }
}

/// The index that yields `(created_at, id)` order for this filter with the
/// fewest rows to skip.
fn newest_index(filter: &Filter) -> &'static str {
    match filter.status {
        StatusChoice::Active => "tickets_active_created",
        StatusChoice::Only(s) if s != "closed" => "tickets_status_walk",
        _ => match (filter.location_id, &filter.spot, filter.assignee) {
            (Some(_), Some(_), _) => "tickets_location_spot_created",
            (Some(_), None, _) => "tickets_location_walk",
            (None, _, Assignee::User(_) | Assignee::Nobody) => "tickets_assignee_created",
            _ if filter.status == StatusChoice::Only("closed") => "tickets_status_walk",
            _ => "tickets_created",
        },
    }
}

/// Tickets newest first (optionally only those without a due moment), after `after`.
fn walk_newest(
    conn: &mut DbConnection,
    filter: &Filter,
    undated_only: bool,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::for_connection(conn);
    sql.push(SELECT_HIT)
        .from_tickets(newest_index(filter))
        .push(" WHERE 1 = 1");
    push_status(&mut sql, filter.status);
    push_filters(&mut sql, filter, now);
    if undated_only {
        sql.push(" AND t.due_at IS NULL");
    }
    push_page(&mut sql, "t.created_at", Order::Descending, after, limit);
    run(conn, sql, plans)
}

/// Which way a page of tickets runs along its moment (then its id).
#[derive(Clone, Copy)]
enum Order {
    Ascending,
    Descending,
}

/// One page of a walk along `moment` (then the ticket id): the rows past
/// `after` in the walk's `order`, at most `limit` of them.
fn push_page(
    sql: &mut Sql,
    moment: &str,
    order: Order,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
) {
    let (past, direction) = match order {
        Order::Ascending => (">", "ASC"),
        Order::Descending => ("<", "DESC"),
    };
    if let Some((at, id)) = after {
        sql.push(" AND (")
            .push(moment)
            .push(", t.id) ")
            .push(past)
            .push(" (")
            .bind(Value::Time(at))
            .push(", ")
            .bind(Value::Int(id))
            .push(")");
    }
    sql.push(" ORDER BY ")
        .push(moment)
        .push(" ")
        .push(direction)
        .push(", t.id ")
        .push(direction)
        .push(" LIMIT ")
        .bind(Value::Int(limit));
}

/// Tickets with a due moment, soonest (most overdue) first, after `after`.
fn walk_due(
    conn: &mut DbConnection,
    filter: &Filter,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::for_connection(conn);
    sql.push(SELECT_HIT)
        .from_tickets("tickets_due_id")
        .push(" WHERE t.due_at IS NOT NULL");
    push_status(&mut sql, filter.status);
    push_filters(&mut sql, filter, now);
    push_page(&mut sql, "t.due_at", Order::Ascending, after, limit);
    run(conn, sql, plans)
}

/// Search hits, newest (highest id) first, below `before`.
fn walk_search(
    conn: &mut DbConnection,
    filter: &Filter,
    q: &str,
    before: Option<i64>,
    limit: i64,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::for_connection(conn);
    sql.push(SELECT_HIT);
    let id_column = if let Some(email) = as_email(q) {
        // Stored as typed; found whatever its case.
        sql.push(
            " FROM feedback f JOIN tickets t ON t.feedback_id = f.id \
             WHERE lower(f.customer_email) = ",
        )
        .bind(Value::Text(email.to_lowercase()));
        "t.id"
    } else {
        let words = search_words(q);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        sql.from_search(&words);
        sql.search_id()
    };
    push_status(&mut sql, filter.status);
    push_filters(&mut sql, filter, now);
    if let Some(id) = before {
        sql.push(" AND ")
            .push(id_column)
            .push(" < ")
            .bind(Value::Int(id));
    }
    sql.push(" ORDER BY ")
        .push(id_column)
        .push(" DESC LIMIT ")
        .bind(Value::Int(limit));
    run(conn, sql, plans)
}

/// The ticket with this exact reference, if it passes the filter.
fn by_reference(
    conn: &mut DbConnection,
    filter: &Filter,
    reference: &str,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<Hit>> {
    let mut sql = Sql::for_connection(conn);
    sql.push(SELECT_HIT)
        .push(" FROM feedback f JOIN tickets t ON t.feedback_id = f.id WHERE f.reference = ")
        .bind(Value::Text(reference.to_owned()));
    push_status(&mut sql, filter.status);
    push_filters(&mut sql, filter, now);
    run(conn, sql, plans)
}

/// Query plans collected instead of nothing (see [`explain`]).
type Plans = Option<Vec<String>>;

/// Runs a query, first noting its SQL and plan when plans are asked for.
fn run<T>(conn: &mut DbConnection, sql: Sql, plans: &mut Plans) -> AppResult<Vec<T>>
where
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    if let Some(plans) = plans {
        plans.push(sql.text().to_owned());
        plans.extend(
            sql.explain(conn)?
                .into_iter()
                .map(|line| format!("  {line}")),
        );
    }
    Ok(sql.load(conn)?)
}

/// One page of the inbox: `limit` rows after `after`, for `filter` in
/// `sort` order, or the search `q` (newest first) when given.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter,
    sort: Sort,
    q: Option<&str>,
    after: Option<Cursor>,
    limit: i64,
    now: NaiveDateTime,
) -> AppResult<Page> {
    read_page(conn, filter, sort, q, after, limit, now, &mut None)
}

/// The SQL and the query plans of everything a request's page reads
/// (`tellus inbox-plan`): SQLite's `EXPLAIN QUERY PLAN`, PostgreSQL's
/// `EXPLAIN ANALYZE` (which runs the query).
pub fn explain(
    conn: &mut DbConnection,
    request: &Request,
    limit: i64,
    now: NaiveDateTime,
) -> AppResult<Vec<String>> {
    let mut plans = Some(Vec::new());
    let Request {
        filter,
        sort,
        q,
        after,
    } = request;
    read_page(
        conn,
        filter,
        *sort,
        q.as_deref(),
        *after,
        limit,
        now,
        &mut plans,
    )?;
    if q.is_none() {
        count_statuses(conn, filter, now, &mut plans)?;
    }
    Ok(plans.unwrap_or_default())
}

#[expect(
    clippy::too_many_arguments,
    reason = "the page's inputs plus where its plans go"
)]
fn read_page(
    conn: &mut DbConnection,
    filter: &Filter,
    sort: Sort,
    q: Option<&str>,
    after: Option<Cursor>,
    limit: i64,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Page> {
    // One row more than shown says whether there is a next page.
    let want = limit + 1;
    let mut hits: Vec<(Hit, Cursor)>;
    if let Some(q) = q {
        let before = match after {
            Some(Cursor::Search(id)) => Some(id),
            _ => None,
        };
        let found = match as_reference(q).filter(|_| before.is_none()) {
            Some(reference) => by_reference(conn, filter, &reference, now, plans)?,
            None => Vec::new(),
        };
        let found = if found.is_empty() {
            walk_search(conn, filter, q, before, want, now, plans)?
        } else {
            found
        };
        hits = found
            .into_iter()
            .map(|h| {
                let c = Cursor::Search(h.id);
                (h, c)
            })
            .collect();
    } else {
        match (sort, after) {
            (Sort::Newest, after) => {
                let after = match after {
                    Some(Cursor::Newest(at, id)) => Some((at, id)),
                    _ => None,
                };
                hits = walk_newest(conn, filter, false, after, want, now, plans)?
                    .into_iter()
                    .map(|h| {
                        let c = Cursor::Newest(h.created_at, h.id);
                        (h, c)
                    })
                    .collect();
            }
            (Sort::Due, Some(Cursor::Undated(at, id))) => {
                hits = undated(conn, filter, Some((at, id)), want, now, plans)?;
            }
            (Sort::Due, after) => {
                let after = match after {
                    Some(Cursor::Due(at, id)) => Some((at, id)),
                    _ => None,
                };
                hits = walk_due(conn, filter, after, want, now, plans)?
                    .into_iter()
                    .filter_map(|h| {
                        let c = Cursor::Due(h.due_at?, h.id);
                        Some((h, c))
                    })
                    .collect();
                // Overdue tickets all have a due moment: nothing undated follows.
                if (hits.len() as i64) < want && !filter.overdue {
                    let more = want - hits.len() as i64;
                    hits.extend(undated(conn, filter, None, more, now, plans)?);
                }
            }
        }
    }
    let next = if hits.len() as i64 > limit {
        hits.truncate(limit as usize);
        hits.last().map(|(_, c)| *c)
    } else {
        None
    };
    let ids: Vec<i64> = hits.iter().map(|(h, _)| h.id).collect();
    let rows = rows_for(conn, &ids)?;
    Ok(Page { rows, next })
}

fn undated(
    conn: &mut DbConnection,
    filter: &Filter,
    after: Option<(NaiveDateTime, i64)>,
    limit: i64,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<(Hit, Cursor)>> {
    Ok(walk_newest(conn, filter, true, after, limit, now, plans)?
        .into_iter()
        .map(|h| {
            let c = Cursor::Undated(h.created_at, h.id);
            (h, c)
        })
        .collect())
}

/// The inbox rows of these tickets, in the order given.
fn rows_for(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Vec<InboxRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<InboxRow> = tickets::table
        .inner_join(feedback::table.left_join(categories::table))
        .inner_join(locations::table)
        .left_join(users::table)
        .filter(tickets::id.eq_any(ids))
        .select((
            tickets::id,
            feedback::reference,
            tickets::status,
            tickets::priority,
            locations::name,
            tickets::spot,
            feedback::face,
            category::NAMES.nullable(),
            users::name.nullable(),
            feedback::message,
            tickets::due_at,
            tickets::created_at,
        ))
        .load(conn)?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// A count that stopped at [`COUNT_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// How many were counted.
    pub n: i64,
    /// Whether counting stopped at the cap (there may be more).
    pub capped: bool,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tickets per status under every filter but the status: for new, open,
/// waiting and resolved, each stopping at [`COUNT_CAP`].
pub fn counts(
    conn: &mut DbConnection,
    filter: &Filter,
    now: NaiveDateTime,
) -> AppResult<Vec<(&'static str, Count)>> {
    count_statuses(conn, filter, now, &mut None)
}

fn count_statuses(
    conn: &mut DbConnection,
    filter: &Filter,
    now: NaiveDateTime,
    plans: &mut Plans,
) -> AppResult<Vec<(&'static str, Count)>> {
    let mut out = Vec::new();
    for status in ["new", "open", "waiting", "resolved"] {
        let mut sql = Sql::for_connection(conn);
        sql.push("SELECT COUNT(*) AS n FROM (SELECT 1 AS one")
            .from_tickets("tickets_status_walk")
            .push(" WHERE 1 = 1");
        push_status(&mut sql, StatusChoice::Only(status));
        push_filters(&mut sql, filter, now);
        sql.push(" LIMIT ")
            .bind(Value::Int(COUNT_CAP))
            .push(") capped");
        let n = run::<Counted>(conn, sql, plans)?
            .first()
            .map(|c| c.n)
            .unwrap_or(0);
        out.push((
            status,
            Count {
                n,
                capped: n >= COUNT_CAP,
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_survive_their_text_form() {
        let at = chrono::DateTime::from_timestamp_micros(1_700_000_000_123_456)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        for c in [
            Cursor::Due(at, 7),
            Cursor::Undated(at, 8),
            Cursor::Newest(at, 9),
            Cursor::Search(10),
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("x1_2"), None);
        assert_eq!(Cursor::decode(""), None);
    }

    #[test]
    fn searches_are_read_as_words_references_or_addresses() {
        assert_eq!(search_words("Koffie, LAUW!"), vec!["koffie", "lauw"]);
        assert_eq!(
            as_reference(" tl-abcd-2345 ").as_deref(),
            Some("TL-ABCD-2345")
        );
        assert_eq!(as_reference("abcd"), None);
        assert_eq!(
            as_email(" Jan@Example.com").as_deref(),
            Some("Jan@Example.com")
        );
        assert_eq!(as_email("jan at example"), None);
    }
}
