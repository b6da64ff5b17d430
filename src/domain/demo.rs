//! Demo data: fills a database with realistic generated feedback and tickets
//! (`tellus demo --tickets N`) to try Tellus or measure it at scale. It
//! refuses a database that holds real feedback: every generated submission
//! carries an idempotency key starting with `demo-`, and anything else is real.

use super::category;
use super::location::{self, Location};
use crate::db::schema::{feedback, tickets};
use crate::db::{Backend, DbConnection};
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

/// Adds submissions over the two years before `now` until `count` tickets were
/// added (about four in five submissions need one; the rest are taps that are
/// only counted), in one transaction per chunk. Returns the tickets added.
pub fn generate(
    conn: &mut DbConnection,
    backend: Backend,
    count: usize,
    now: NaiveDateTime,
    mut progress: impl FnMut(usize),
) -> AppResult<usize> {
    if !only_demo_data(conn)? {
        return Err(AppError::bad_request(
            "this database holds real feedback: demo data goes only into an empty or demo database",
        ));
    }
    let locations = demo_locations(conn, now)?;
    let categories = category::list_active(conn)?;
    let mut rng = rand::thread_rng();
    let span = 2 * 365 * 24 * 3600;
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
    let mut done = 0;
    while done < count {
        let mut feedback_rows = Vec::with_capacity(CHUNK);
        let mut ticket_rows = Vec::with_capacity(CHUNK);
        while feedback_rows.len() < CHUNK && done + ticket_rows.len() < count {
            let face: i16 = *[1, 1, 2, 2, 2, 3, 4].get(rng.gen_range(0..7)).unwrap_or(&2);
            let created = now - Duration::seconds(rng.gen_range(0..span));
            let location = &locations[rng.gen_range(0..locations.len())];
            let message = (face <= 2 || rng.gen_bool(0.3))
                .then(|| MESSAGES[rng.gen_range(0..MESSAGES.len())].to_owned());
            let email = rng
                .gen_bool(0.4)
                .then(|| format!("klant{}@example.com", rng.gen_range(1..100_000)));
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
                feedback::customer_email.eq(email.clone()),
                feedback::contact_consent.eq(email.is_some()),
                feedback::language.eq(if rng.gen_bool(0.8) { "nl" } else { "en" }),
                feedback::channel.eq(channel),
                feedback::spot.eq(spot.clone()),
                feedback::idempotency_key.eq(format!("demo-{}", &random_token()[..24])),
                feedback::created_at.eq(created),
            ));
            if follow_up {
                let age = (now - created).num_days();
                let status = if age > 14 {
                    "resolved"
                } else if age > 1 {
                    "open"
                } else {
                    "new"
                };
                let token = random_token();
                ticket_rows.push((
                    tickets::id.eq(next_ticket),
                    tickets::feedback_id.eq(id),
                    tickets::location_id.eq(location.id),
                    tickets::status.eq(status),
                    tickets::access_nonce.eq(random_token()),
                    tickets::access_token_hash.eq(hash_token(&token)),
                    tickets::created_at.eq(created),
                    tickets::updated_at.eq(created),
                    tickets::spot.eq(spot),
                ));
                next_ticket += 1;
            }
        }
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
                }
                DbConnection::Pg(inner) => {
                    diesel::insert_into(feedback::table)
                        .values(&feedback_rows)
                        .execute(inner)?;
                    diesel::insert_into(tickets::table)
                        .values(&ticket_rows)
                        .execute(inner)?;
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
    Ok(done)
}
