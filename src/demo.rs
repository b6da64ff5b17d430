//! Demo data: fills a database with realistic generated feedback and tickets
//! (`tellus demo --tickets N`) to try Tellus or measure it at scale. It
//! refuses a database that holds real feedback: every generated submission
//! carries an idempotency key starting with `demo-`, and anything else is real.
//!
//! The tickets look like a shop's history: spread over two years in id order,
//! nearly all older ones closed, the last days' ones new, open, waiting or
//! resolved, with due moments on the open work (some overdue), a few high
//! priority, assigned among four generated staff members (who cannot log
//! in), customer names and addresses, and staff and customer replies.

use crate::db::schema::{feedback, ticket_messages, tickets, users};
use crate::db::{Backend, DbConnection};
use crate::domain::category;
use crate::domain::location::{self, Location};
use crate::error::{AppError, AppResult};
use crate::tokens::{hash_token, new_reference, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;

/// Rows written per statement (well under SQLite's bound-variable limit).
const CHUNK: usize = 1000;

const MESSAGES: &[&str] = &[
    "Twintig minuten gewacht op mijn bestelling.",
    "Het brood was oud en de koffie lauw.",
    "Vriendelijk personeel, maar het was erg druk.",
    "The table was dirty and nobody came to clean it.",
    "Ordered the soup, got the salad. Still waiting for the soup.",
    "De prijs op het schap klopte niet met de kassa.",
    "Great service today, thank you!",
    "Geen glutenvrije opties meer, jammer.",
    "The music was far too loud to talk.",
    "Heel fijn geholpen door de medewerker bij de kassa.",
];

/// Details added to a message, so words have many different frequencies.
const DETAILS: &[&str] = &[
    "De appeltaart was droog.",
    "Het croissant was verbrand.",
    "De kassa was gesloten.",
    "Er lag geen servet bij.",
    "The sandwich had no cheese.",
    "My cappuccino was cold.",
    "De vloer was plakkerig.",
    "Het toilet was vies.",
    "The receipt was wrong.",
    "De bezorger was te laat.",
    "The staff member was rude.",
    "Het brood was niet vers.",
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Bram", "Carla", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Ilse", "Joris", "Kees",
    "Lotte", "Maarten", "Noor", "Olivier", "Petra", "Ruben", "Sanne", "Tom", "Vera", "Willem",
    "Yara", "Zoe", "Emma", "Liam", "Sophie", "Lucas", "Julia", "Finn", "Mila",
];

const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "van den Berg",
    "Willems",
    "Vermeulen",
];

const STAFF_REPLIES: &[&str] = &[
    "Wat vervelend, dank voor het melden. We kijken ernaar.",
    "Sorry voor het wachten. We passen de planning aan.",
    "Thank you for telling us. We have spoken to the team.",
    "Excuses! U krijgt bij uw volgende bezoek een koffie van ons.",
    "We have replaced the machine; it should not happen again.",
];

const CUSTOMER_REPLIES: &[&str] = &[
    "Dank voor de snelle reactie.",
    "Thanks, that is kind of you.",
    "Het gebeurde vandaag weer.",
    "Prima, tot de volgende keer.",
];

/// The generated staff members: (email, name).
const STAFF: &[(&str, &str)] = &[
    ("anna@demo.example", "Anna Demo"),
    ("bram@demo.example", "Bram Demo"),
    ("carla@demo.example", "Carla Demo"),
    ("daan@demo.example", "Daan Demo"),
];

const SPOTS: &[&str] = &["table-1", "table-2", "table-4", "counter", "terrace"];

/// Whether every stored submission is demo data (an empty database counts).
pub fn only_demo_data(conn: &mut DbConnection) -> AppResult<bool> {
    let real: i64 = feedback::table
        .filter(
            feedback::idempotency_key
                .is_null()
                .or(feedback::idempotency_key.not_like("demo-%")),
        )
        .count()
        .get_result(conn)?;
    Ok(real == 0)
}

/// The demo locations, made when missing.
fn demo_locations(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<Location>> {
    let mut found = Vec::new();
    for (slug, name) in [
        ("demo-centrum", "Bakkerij Centrum"),
        ("demo-station", "Bakkerij Station"),
        ("demo-haven", "Bakkerij Haven"),
    ] {
        let location = match location::find_by_slug(conn, slug)? {
            Some(l) => l,
            None => location::create(conn, slug, name, now)?
                .map_err(|e| AppError::internal(format!("demo location: {}", e.key)))?,
        };
        found.push(location);
    }
    Ok(found)
}

/// The generated staff members' ids, made when missing. Their password hash
/// is no valid hash, so nobody can log in as them.
fn demo_staff(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for (email, name) in STAFF {
        let found: Option<i64> = users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(conn)
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => diesel::insert_into(users::table)
                .values((
                    users::email.eq(email),
                    users::name.eq(name),
                    users::role.eq("staff"),
                    users::password_hash.eq("!demo"),
                    users::created_at.eq(now),
                ))
                .returning(users::id)
                .get_result(conn)?,
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Whether PostgreSQL lets this session switch row triggers off for a bulk
/// load (`session_replication_role`, superusers only); backend specific.
/// Without it, the triggers do the same work row by row, only slower.
fn postgres_bulk_mode(conn: &mut DbConnection) -> AppResult<bool> {
    #[derive(QueryableByName)]
    struct Super {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rolsuper: bool,
    }
    match conn {
        DbConnection::Sqlite(_) => Ok(false),
        DbConnection::Pg(inner) => Ok(diesel::sql_query(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
        )
        .get_result::<Super>(inner)
        .optional()?
        .is_some_and(|r| r.rolsuper)),
    }
}

/// A generated ticket's workflow state.
struct Workflow {
    status: &'static str,
    first_response_at: Option<NaiveDateTime>,
    due_at: Option<NaiveDateTime>,
    waiting_since: Option<NaiveDateTime>,
    resolved_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
}

/// Where a ticket opened at `created` stands at `now`: the older, the more
/// likely it is done; open work carries its due moment.
fn workflow(rng: &mut impl Rng, created: NaiveDateTime, now: NaiveDateTime) -> Workflow {
    let hours = (now - created).num_hours();
    let roll: f64 = rng.gen();
    let status = if hours < 24 {
        match roll {
            r if r < 0.45 => "new",
            r if r < 0.85 => "open",
            r if r < 0.95 => "waiting",
            _ => "resolved",
        }
    } else if hours < 72 {
        match roll {
            r if r < 0.05 => "new",
            r if r < 0.40 => "open",
            r if r < 0.60 => "waiting",
            _ => "resolved",
        }
    } else if hours < 240 {
        match roll {
            r if r < 0.03 => "open",
            r if r < 0.08 => "waiting",
            r if r < 0.50 => "resolved",
            _ => "closed",
        }
    } else {
        // A few forgotten ones, long overdue.
        match roll {
            r if r < 0.0002 => "open",
            r if r < 0.0004 => "waiting",
            _ => "closed",
        }
    };
    let first_response = created + Duration::minutes(rng.gen_range(5..240));
    let answered = (status != "new").then_some(first_response);
    let done = created + Duration::hours(rng.gen_range(2..48));
    let done = done.min(now);
    Workflow {
        status,
        first_response_at: answered.map(|t| t.min(now)),
        due_at: match status {
            "new" => Some(created + Duration::hours(2)),
            "open" => Some(created + Duration::hours(16)),
            _ => None,
        },
        waiting_since: (status == "waiting").then(|| first_response.min(now)),
        resolved_at: matches!(status, "resolved" | "closed").then_some(done),
        closed_at: (status == "closed").then(|| (done + Duration::days(7)).min(now)),
    }
}

/// Adds submissions over the two years before `now`, oldest first, until
/// `count` tickets were added (about four in five submissions need one; the
/// rest are taps that are only counted), in one transaction per chunk.
/// Returns the tickets added.
pub fn generate(
    conn: &mut DbConnection,
    backend: Backend,
    count: usize,
    now: NaiveDateTime,
    progress: impl FnMut(usize),
) -> AppResult<usize> {
    if !only_demo_data(conn)? {
        return Err(AppError::bad_request(
            "this database holds real feedback: demo data goes only into an empty or demo database",
        ));
    }
    // Every demo ticket gets a staff reply, which rewrites its search
    // document; FTS5's secure-delete (kept on so erased words leave the index
    // at once) makes each rewrite read the old entries back. Generated data
    // is never erased, so it is off while generating and on again after.
    fts_secure_delete(conn, false)?;
    let added = generate_rows(conn, backend, count, now, progress);
    fts_secure_delete(conn, true)?;
    added
}

/// Turns FTS5's secure-delete of the SQLite search index on or off
/// (PostgreSQL's search index needs no such setting).
fn fts_secure_delete(conn: &mut DbConnection, on: bool) -> AppResult<()> {
    if let DbConnection::Sqlite(inner) = conn {
        diesel::sql_query(
            "INSERT INTO ticket_search(ticket_search, rank) VALUES('secure-delete', ?)",
        )
        .bind::<diesel::sql_types::Integer, _>(i32::from(on))
        .execute(inner)?;
    }
    Ok(())
}

fn generate_rows(
    conn: &mut DbConnection,
    backend: Backend,
    count: usize,
    now: NaiveDateTime,
    mut progress: impl FnMut(usize),
) -> AppResult<usize> {
    let locations = demo_locations(conn, now)?;
    let staff = demo_staff(conn, now)?;
    let categories = category::list_active(conn)?;
    let mut rng = rand::thread_rng();
    let span: i64 = 2 * 365 * 24 * 3600;
    // Submissions in time order, so ids grow with time as in a real shop,
    // counted back from now so the last days always hold the open work.
    let expected = (count as f64 * 1.25).max(1.0);
    let step_ms = span as f64 * 1000.0 / expected;
    let mut seq: f64 = 0.0;
    let mut next_feedback: i64 = feedback::table
        .select(diesel::dsl::max(feedback::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_ticket: i64 = tickets::table
        .select(diesel::dsl::max(tickets::id))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0)
        + 1;
    let bulk_mode = postgres_bulk_mode(conn)?;
    let mut done = 0;
    while done < count {
        let mut feedback_rows = Vec::with_capacity(CHUNK);
        let mut ticket_rows = Vec::with_capacity(CHUNK);
        let mut message_rows = Vec::with_capacity(CHUNK);
        while feedback_rows.len() < CHUNK && done + ticket_rows.len() < count {
            let face: i16 = *[1, 1, 2, 2, 2, 3, 4].get(rng.gen_range(0..7)).unwrap_or(&2);
            let back_ms = (expected - seq - rng.gen_range(0.0..1.0)) * step_ms;
            let created = (now - Duration::milliseconds(back_ms as i64)).min(now);
            seq += 1.0;
            let location = &locations[rng.gen_range(0..locations.len())];
            let message = (face <= 2 || rng.gen_bool(0.3)).then(|| {
                let mut text = MESSAGES[rng.gen_range(0..MESSAGES.len())].to_owned();
                if rng.gen_bool(0.5) {
                    text.push(' ');
                    text.push_str(DETAILS[rng.gen_range(0..DETAILS.len())]);
                }
                text
            });
            let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
            let name = rng.gen_bool(0.5).then(|| format!("{first} {last}"));
            let email = rng.gen_bool(0.4).then(|| match &name {
                Some(_) => format!(
                    "{}.{}{}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase().replace(' ', ""),
                    rng.gen_range(1..1000)
                ),
                None => format!("klant{}@example.com", rng.gen_range(1..100_000)),
            });
            let category = (!categories.is_empty() && rng.gen_bool(0.7))
                .then(|| categories[rng.gen_range(0..categories.len())].id);
            let spot = rng
                .gen_bool(0.3)
                .then(|| SPOTS[rng.gen_range(0..SPOTS.len())].to_owned());
            let channel = ["qr", "web", "kiosk"][rng.gen_range(0..3)];
            let id = next_feedback;
            next_feedback += 1;
            let follow_up = face <= 2 || message.is_some();
            feedback_rows.push((
                feedback::id.eq(id),
                feedback::reference.eq(new_reference()),
                feedback::location_id.eq(location.id),
                feedback::face.eq(face),
                feedback::category_id.eq(category),
                feedback::message.eq(message),
                feedback::customer_name.eq(name),
                feedback::customer_email.eq(email.clone()),
                feedback::contact_consent.eq(email.is_some()),
                feedback::language.eq(if rng.gen_bool(0.8) { "nl" } else { "en" }),
                feedback::channel.eq(channel),
                feedback::spot.eq(spot.clone()),
                feedback::idempotency_key.eq(format!("demo-{}", &random_token()[..24])),
                feedback::created_at.eq(created),
            ));
            if follow_up {
                let flow = workflow(&mut rng, created, now);
                let assigned = flow.status != "new" || rng.gen_bool(0.2);
                let assignee =
                    (assigned && rng.gen_bool(0.9)).then(|| staff[rng.gen_range(0..staff.len())]);
                let priority = if rng.gen_bool(0.05) { "high" } else { "normal" };
                let token = random_token();
                let ticket_id = next_ticket;
                next_ticket += 1;
                if let Some(at) = flow.first_response_at {
                    let body = STAFF_REPLIES[rng.gen_range(0..STAFF_REPLIES.len())];
                    message_rows.push((
                        ticket_messages::ticket_id.eq(ticket_id),
                        ticket_messages::author.eq("staff"),
                        ticket_messages::staff_user_id.eq(assignee.or(Some(staff[0]))),
                        ticket_messages::body.eq(body),
                        ticket_messages::created_at.eq(at),
                    ));
                    if rng.gen_bool(0.25) {
                        let body = CUSTOMER_REPLIES[rng.gen_range(0..CUSTOMER_REPLIES.len())];
                        message_rows.push((
                            ticket_messages::ticket_id.eq(ticket_id),
                            ticket_messages::author.eq("customer"),
                            ticket_messages::staff_user_id.eq(None),
                            ticket_messages::body.eq(body),
                            ticket_messages::created_at.eq((at + Duration::hours(3)).min(now)),
                        ));
                    }
                }
                let updated = [flow.closed_at, flow.resolved_at, flow.first_response_at]
                    .into_iter()
                    .flatten()
                    .next()
                    .unwrap_or(created);
                ticket_rows.push((
                    (
                        tickets::id.eq(ticket_id),
                        tickets::feedback_id.eq(id),
                        tickets::location_id.eq(location.id),
                        tickets::status.eq(flow.status),
                        tickets::access_nonce.eq(random_token()),
                        tickets::access_token_hash.eq(hash_token(&token)),
                        tickets::created_at.eq(created),
                        tickets::updated_at.eq(updated),
                        tickets::spot.eq(spot),
                    ),
                    (
                        tickets::priority.eq(priority),
                        tickets::assignee_id.eq(assignee),
                        tickets::first_response_due_at.eq(created + Duration::hours(2)),
                        tickets::resolution_due_at.eq(created + Duration::hours(16)),
                        tickets::due_at.eq(flow.due_at),
                        tickets::first_response_at.eq(flow.first_response_at),
                        tickets::waiting_since.eq(flow.waiting_since),
                        tickets::resolved_at.eq(flow.resolved_at),
                        tickets::closed_at.eq(flow.closed_at),
                        tickets::face.eq(Some(face)),
                        tickets::category_id.eq(category),
                    ),
                ));
            }
        }
        let first_ticket = next_ticket - ticket_rows.len() as i64;
        // A reference drawn twice (likely somewhere in a million) fails the
        // chunk; it is written again with fresh references.
        let mut tries = 0;
        while let Err(e) = conn.transaction::<_, AppError, _>(|c| {
            // Many rows per statement: only the inner connections can (backend specific).
            match c {
                DbConnection::Sqlite(inner) => {
                    diesel::insert_into(feedback::table)
                        .values(&feedback_rows)
                        .execute(inner)?;
                    diesel::insert_into(tickets::table)
                        .values(&ticket_rows)
                        .execute(inner)?;
                    diesel::insert_into(ticket_messages::table)
                        .values(&message_rows)
                        .execute(inner)?;
                }
                DbConnection::Pg(inner) => {
                    if bulk_mode {
                        // Row triggers off for this transaction: the rows
                        // carry face and category already, and the search
                        // documents are made once per chunk below.
                        diesel::sql_query("SET LOCAL session_replication_role = replica")
                            .execute(inner)?;
                    }
                    diesel::insert_into(feedback::table)
                        .values(&feedback_rows)
                        .execute(inner)?;
                    diesel::insert_into(tickets::table)
                        .values(&ticket_rows)
                        .execute(inner)?;
                    diesel::insert_into(ticket_messages::table)
                        .values(&message_rows)
                        .execute(inner)?;
                    if bulk_mode {
                        diesel::sql_query(
                            "INSERT INTO ticket_search (ticket_id, document) \
                             SELECT id, ticket_search_document(id) FROM tickets \
                             WHERE id BETWEEN $1 AND $2",
                        )
                        .bind::<diesel::sql_types::BigInt, _>(first_ticket)
                        .bind::<diesel::sql_types::BigInt, _>(next_ticket - 1)
                        .execute(inner)?;
                    }
                }
            }
            Ok(())
        }) {
            tries += 1;
            if e.kind != crate::error::ErrorKind::Conflict || tries > 5 {
                return Err(e);
            }
            for row in &mut feedback_rows {
                row.1 = feedback::reference.eq(new_reference());
            }
        }
        done += ticket_rows.len();
        progress(done);
    }
    crate::db::advance_id_sequences(conn, backend)?;
    crate::db::refresh_statistics(conn, backend)?;
    Ok(done)
}
