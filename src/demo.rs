//! Demo data: fills a database with realistic generated feedback and tickets
//! (`tellus demo --tickets N`) to try Tellus or measure it at scale. It
//! refuses a database that holds real feedback: every generated submission
//! carries an idempotency key starting with `demo-`, and anything else is real.
//!
//! The data looks like a live shop on the day it is made: submissions up to
//! the moment it runs, in the shop's opening hours (busy hours and Saturdays
//! more), a full last week even for a small demo, and history thinning out
//! over two years. Today's and this week's tickets are in every status (new,
//! open, waiting on the customer, resolved, closed) with due moments on the
//! open work, a few overdue; older ones are nearly all closed. What customers
//! write fits their face ([`UNHAPPY`] on faces 1–2, [`HAPPY`] on 3–4) and
//! their language; handled tickets carry a staff answer that fits (an
//! apology, a question when waiting, thanks for praise), some customer
//! replies and internal notes; recent complaints some gifts, sent and
//! redeemed; resolved ones satisfaction answers. Assignees are four
//! generated staff members (who cannot log in).

use crate::db::schema::{
    feedback, gift_catalogue, gifts, ticket_events, ticket_messages, tickets, users,
};
use crate::db::{Backend, DbConnection};
use crate::domain::location::{self, Location};
use crate::domain::{category, local_time, workflow};
use crate::error::{AppError, AppResult};
use crate::tokens::{hash_token, new_reference, random_token};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use diesel::prelude::*;
use rand::Rng;

/// Rows written per statement (well under SQLite's bound-variable limit).
const CHUNK: usize = 1000;

/// What customers write with an unhappy face (1–2): (language, text).
pub const UNHAPPY: &[(&str, &str)] = &[
    ("nl", "Twintig minuten gewacht op mijn bestelling."),
    ("nl", "Het brood was oud en de koffie lauw."),
    ("nl", "De prijs op het schap klopte niet met de kassa."),
    ("nl", "Geen glutenvrije opties meer, jammer."),
    ("nl", "Het was erg druk en niemand hielp me."),
    ("nl", "Mijn bestelling was niet compleet."),
    ("nl", "De medewerker aan de kassa was kortaf."),
    ("nl", "Het toilet was vies en er was geen zeep."),
    ("en", "The table was dirty and nobody came to clean it."),
    (
        "en",
        "Ordered the soup, got the salad. Still waiting for the soup.",
    ),
    ("en", "The music was far too loud to talk."),
    ("en", "My coffee was cold and the cake was dry."),
    ("en", "The queue at the till took fifteen minutes."),
];

/// What customers write with a happy face (3–4): (language, text).
pub const HAPPY: &[(&str, &str)] = &[
    ("nl", "Heel fijn geholpen door de medewerker bij de kassa."),
    ("nl", "Lekkerste appeltaart van de stad!"),
    ("nl", "Snel geholpen, vriendelijk personeel."),
    ("nl", "Wat een gezellige zaak, we komen zeker terug."),
    ("nl", "Het brood was nog warm, heerlijk."),
    ("en", "Great service today, thank you!"),
    ("en", "Lovely fresh bread and friendly staff."),
    ("en", "Best cappuccino in town."),
    ("en", "Quick, friendly and spotless. Well done."),
];

/// Details added to an unhappy message, so words have many different
/// frequencies: (language, text).
const DETAILS: &[(&str, &str)] = &[
    ("nl", "De appeltaart was droog."),
    ("nl", "Het croissant was verbrand."),
    ("nl", "De kassa was gesloten."),
    ("nl", "Er lag geen servet bij."),
    ("nl", "De vloer was plakkerig."),
    ("nl", "De bezorger was te laat."),
    ("nl", "Het brood was niet vers."),
    ("en", "The sandwich had no cheese."),
    ("en", "My cappuccino was cold."),
    ("en", "The receipt was wrong."),
    ("en", "The staff member was rude."),
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

/// Staff answers to a complaint: (language, text).
const APOLOGIES: &[(&str, &str)] = &[
    (
        "nl",
        "Wat vervelend, dank voor het melden. We kijken ernaar.",
    ),
    ("nl", "Sorry voor het wachten. We passen de planning aan."),
    (
        "nl",
        "Excuses! Je krijgt bij je volgende bezoek een koffie van ons.",
    ),
    (
        "en",
        "Thank you for telling us. We have spoken to the team.",
    ),
    (
        "en",
        "We have replaced the machine; it should not happen again.",
    ),
];

/// Staff questions that leave a ticket waiting on the customer.
const QUESTIONS: &[(&str, &str)] = &[
    (
        "nl",
        "Wat vervelend! Op welke dag en rond welke tijd was je bij ons?",
    ),
    ("nl", "Sorry! Weet je nog bij welke vestiging dit was?"),
    (
        "en",
        "Sorry to hear that! Which day and around what time did you visit?",
    ),
];

/// Staff thanks for praise.
const THANKS: &[(&str, &str)] = &[
    (
        "nl",
        "Wat fijn om te horen, dank je wel! We zeggen het tegen het team.",
    ),
    ("nl", "Dank je! Tot de volgende keer."),
    ("en", "Thank you so much, we will pass it on to the team!"),
];

const CUSTOMER_REPLIES: &[(&str, &str)] = &[
    ("nl", "Dank voor de snelle reactie."),
    ("nl", "Prima, tot de volgende keer."),
    ("nl", "Het gebeurde vandaag weer."),
    ("en", "Thanks, that is kind of you."),
    ("en", "It happened again today, though."),
];

/// Internal notes staff leave on a complaint.
const NOTES: &[&str] = &[
    "Met de bakker besproken: oven 3 geeft te weinig warmte.",
    "Rooster zaterdag aangepast: extra kracht aan de kassa.",
    "Klant was eerder ook al ontevreden, extra aandacht.",
    "Camerabeelden bekeken: druk moment, twee mensen ziek.",
    "Checked with the supplier: the delivery was late.",
];

/// The gift apology: (language, text).
const GIFT_MESSAGES: &[(&str, &str)] = &[
    (
        "nl",
        "Sorry voor je slechte ervaring. Mogen we het goedmaken?",
    ),
    ("en", "Sorry about your visit. Let us make it up to you."),
];

/// A (language, text) list split by language: `[nl, en]`.
struct ByLang([Vec<&'static str>; 2]);

impl ByLang {
    fn new(texts: &[(&'static str, &'static str)]) -> ByLang {
        let of = |lang: &str| -> Vec<&'static str> {
            texts
                .iter()
                .filter(|(l, _)| *l == lang)
                .map(|(_, t)| *t)
                .collect()
        };
        ByLang([of("nl"), of("en")])
    }

    /// One text in `lang` (index 0 = nl, 1 = en).
    fn pick(&self, rng: &mut impl Rng, lang: usize) -> &'static str {
        let texts = &self.0[lang.min(1)];
        texts
            .get(rng.gen_range(0..texts.len().max(1)))
            .copied()
            .unwrap_or("")
    }
}

/// Every generated text, by language.
struct Words {
    unhappy: ByLang,
    happy: ByLang,
    details: ByLang,
    apologies: ByLang,
    questions: ByLang,
    thanks: ByLang,
    replies: ByLang,
    gift_messages: ByLang,
}

impl Words {
    fn new() -> Words {
        Words {
            unhappy: ByLang::new(UNHAPPY),
            happy: ByLang::new(HAPPY),
            details: ByLang::new(DETAILS),
            apologies: ByLang::new(APOLOGIES),
            questions: ByLang::new(QUESTIONS),
            thanks: ByLang::new(THANKS),
            replies: ByLang::new(CUSTOMER_REPLIES),
            gift_messages: ByLang::new(GIFT_MESSAGES),
        }
    }
}

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

/// A moment between `from` and `to` (inclusive), `to` when they are reversed.
fn between(rng: &mut impl Rng, from: NaiveDateTime, to: NaiveDateTime) -> NaiveDateTime {
    let span = (to - from).num_seconds();
    if span <= 0 {
        return to;
    }
    from + Duration::seconds(rng.gen_range(0..=span))
}

/// Where a ticket opened at `created` stands at `now`: the younger, the more
/// likely it still waits for a first answer; the older, the more likely it
/// is done. Open work carries its due moment (the first answer two hours
/// after it came in, the resolution forty: sixteen opening hours), so the
/// oldest open work is overdue and most is not.
fn ticket_state(rng: &mut impl Rng, created: NaiveDateTime, now: NaiveDateTime) -> Workflow {
    let age = (now - created).num_minutes().max(0);
    // Cumulative shares of new, open, waiting and resolved; the rest is closed.
    let shares: [f64; 4] = match age {
        a if a < 120 => [0.65, 0.90, 0.95, 0.99],
        a if a < 24 * 60 => [0.06, 0.51, 0.71, 0.93],
        a if a < 72 * 60 => [0.02, 0.14, 0.44, 0.87],
        a if a < 240 * 60 => [0.0, 0.02, 0.08, 0.50],
        // A few forgotten ones, long overdue.
        _ => [0.0, 0.0002, 0.0004, 0.0004],
    };
    let roll: f64 = rng.gen();
    let status = match shares.iter().position(|s| roll < *s) {
        Some(0) => "new",
        Some(1) => "open",
        Some(2) => "waiting",
        Some(3) => "resolved",
        _ => "closed",
    };
    let span = age.clamp(1, 240);
    let first_response = (created + Duration::minutes(rng.gen_range(span / 10..=span))).min(now);
    let answered = (status != "new").then_some(first_response);
    let latest_done = (first_response + Duration::hours(48)).min(now);
    let done = between(rng, first_response, latest_done);
    let closed = if (now - done).num_days() >= 7 {
        // Closed by itself a week after resolution.
        done + Duration::days(7)
    } else {
        between(rng, done, now)
    };
    Workflow {
        status,
        first_response_at: answered,
        due_at: match status {
            "new" => Some(created + Duration::hours(2)),
            "open" => Some(created + RESOLUTION_DUE),
            _ => None,
        },
        waiting_since: (status == "waiting").then_some(first_response),
        resolved_at: matches!(status, "resolved" | "closed").then_some(done),
        closed_at: (status == "closed").then_some(closed),
    }
}

/// When a ticket should be resolved: sixteen opening hours, about two days.
const RESOLUTION_DUE: Duration = Duration::hours(40);

/// How many days of history the demo spans.
const HISTORY_DAYS: i64 = 730;

/// How busy each local hour is (0–23): a bakery with a café, busiest around
/// lunch, with a trickle of phone feedback at night.
const HOUR_WEIGHTS: [f64; 24] = [
    0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.2, 0.7, 1.3, 1.6, 2.0, 2.3, 2.6, 2.1, 1.5, 1.6, 1.9, 1.6,
    0.9, 0.5, 0.3, 0.25, 0.15, 0.1,
];

/// How busy a weekday is, Monday first.
const WEEKDAY_WEIGHTS: [f64; 7] = [0.8, 0.85, 0.95, 1.0, 1.2, 1.5, 0.6];

/// How much of a day's feedback comes before local minute `minute`.
fn hour_mass(minute: i64) -> f64 {
    let minute = minute.clamp(0, 1440);
    let full = (minute / 60) as usize;
    let part = (minute % 60) as f64 / 60.0;
    HOUR_WEIGHTS[..full].iter().sum::<f64>() + HOUR_WEIGHTS.get(full).map_or(0.0, |w| w * part)
}

/// A local minute of the day before `limit`, busy hours more likely.
fn minute_of_day(rng: &mut impl Rng, limit: i64) -> i64 {
    let limit = limit.clamp(1, 1440);
    // Too early for the busy hours: any moment so far.
    if hour_mass(limit) < 0.3 {
        return rng.gen_range(0..limit);
    }
    let total = hour_mass(1440);
    loop {
        let mut u = rng.gen_range(0.0..total);
        let mut hour = 0;
        while hour < 23 && u >= HOUR_WEIGHTS[hour] {
            u -= HOUR_WEIGHTS[hour];
            hour += 1;
        }
        let minute = hour as i64 * 60 + rng.gen_range(0..60);
        if minute < limit {
            return minute;
        }
    }
}

/// How busy a local day is: growing towards today (so the history thins out
/// going back), Saturdays busiest, December more than February.
fn day_weight(day: NaiveDate, age_days: i64) -> f64 {
    let trend = 0.35 + 0.65 * (-(age_days as f64) / 200.0).exp();
    let weekday = WEEKDAY_WEIGHTS[day.weekday().num_days_from_monday() as usize];
    let month = f64::from(day.month());
    let season = 1.0 + 0.15 * (std::f64::consts::TAU * (month - 12.0) / 12.0).cos();
    trend * weekday * season
}

/// `n` submission moments over the history before `now`, oldest first, on
/// the wall clock of `tz`: today's so far, a full last week even for a small
/// demo, and busy hours and days more often.
fn schedule(rng: &mut impl Rng, n: usize, now: NaiveDateTime, tz: Tz) -> Vec<NaiveDateTime> {
    let today = local_time::day_of(tz, now);
    let now_minute = (now - local_time::day_start(tz, today)).num_minutes();
    let days = HISTORY_DAYS as usize;
    let mut weights: Vec<f64> = (0..HISTORY_DAYS)
        .map(|d| day_weight(today - Duration::days(d), d))
        .collect();
    weights[0] *= hour_mass(now_minute) / hour_mass(1440);
    // A floor for today and the six days before, so a small demo is live too.
    let mut counts = vec![0_usize; days];
    let mut left = n;
    for (d, count) in counts.iter_mut().enumerate().take(7) {
        let floor = if d == 0 {
            (n / 25).min(40)
        } else {
            (n / 33).min(30)
        };
        *count = floor.min(left);
        left -= *count;
    }
    // The rest by weight, rounded so that the counts add up.
    let total: f64 = weights.iter().sum();
    let (mut share, mut given) = (0.0, 0_usize);
    for (count, w) in counts.iter_mut().zip(&weights) {
        share += left as f64 * w / total;
        let upto = (share.round() as usize).clamp(given, left);
        *count += upto - given;
        given = upto;
    }
    counts[days - 1] += left - given;
    let mut times = Vec::with_capacity(n);
    for (d, &count) in counts.iter().enumerate() {
        let day = today - Duration::days(d as i64);
        let start = local_time::day_start(tz, day);
        let limit = if d == 0 { now_minute } else { 1440 };
        for _ in 0..count {
            let wall = day.and_time(NaiveTime::MIN)
                + Duration::minutes(minute_of_day(rng, limit))
                + Duration::seconds(rng.gen_range(0..60));
            times.push(local_time::to_utc(tz, wall).clamp(start, now));
        }
    }
    times.sort_unstable();
    times
}

/// A gift in the demo catalogue.
struct DemoGift {
    id: i64,
    kind: &'static str,
    /// nl, en, fr, de.
    title: [&'static str; 4],
    description: [&'static str; 4],
    redeem: [&'static str; 4],
    value_cents: Option<i64>,
    cost_cents: i64,
    validity_days: i32,
}

/// The demo catalogue's gifts, made when missing.
fn demo_catalogue(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<DemoGift>> {
    let specs = [
        DemoGift {
            id: 0,
            kind: "free_product",
            title: [
                "Koffie met gebak",
                "Coffee and cake",
                "Café et pâtisserie",
                "Kaffee und Kuchen",
            ],
            description: [
                "Een kop koffie en een stuk gebak naar keuze.",
                "A cup of coffee and a pastry of your choice.",
                "Un café et une pâtisserie de votre choix.",
                "Eine Tasse Kaffee und ein Stück Kuchen nach Wahl.",
            ],
            redeem: [
                "Laat de code zien aan de kassa.",
                "Show the code at the till.",
                "Montrez le code à la caisse.",
                "Zeigen Sie den Code an der Kasse.",
            ],
            value_cents: Some(450),
            cost_cents: 450,
            validity_days: 60,
        },
        DemoGift {
            id: 0,
            kind: "store_credit",
            title: [
                "Tegoed van € 10",
                "€10 credit",
                "Avoir de 10 €",
                "Guthaben von 10 €",
            ],
            description: [
                "Tien euro tegoed op je volgende aankoop.",
                "Ten euros off your next purchase.",
                "Dix euros de réduction sur votre prochain achat.",
                "Zehn Euro Rabatt auf Ihren nächsten Einkauf.",
            ],
            redeem: [
                "Laat de code zien aan de kassa.",
                "Show the code at the till.",
                "Montrez le code à la caisse.",
                "Zeigen Sie den Code an der Kasse.",
            ],
            value_cents: Some(1000),
            cost_cents: 1000,
            validity_days: 90,
        },
    ];
    let mut found = Vec::new();
    for mut spec in specs {
        let existing: Option<i64> = gift_catalogue::table
            .filter(gift_catalogue::title_nl.eq(spec.title[0]))
            .select(gift_catalogue::id)
            .first(conn)
            .optional()?;
        spec.id = match existing {
            Some(id) => id,
            None => diesel::insert_into(gift_catalogue::table)
                .values((
                    (
                        gift_catalogue::kind.eq(spec.kind),
                        gift_catalogue::title_nl.eq(spec.title[0]),
                        gift_catalogue::title_en.eq(spec.title[1]),
                        gift_catalogue::description_nl.eq(spec.description[0]),
                        gift_catalogue::description_en.eq(spec.description[1]),
                        gift_catalogue::redeem_nl.eq(spec.redeem[0]),
                        gift_catalogue::redeem_en.eq(spec.redeem[1]),
                    ),
                    (
                        gift_catalogue::title_fr.eq(spec.title[2]),
                        gift_catalogue::title_de.eq(spec.title[3]),
                        gift_catalogue::description_fr.eq(spec.description[2]),
                        gift_catalogue::description_de.eq(spec.description[3]),
                        gift_catalogue::redeem_fr.eq(spec.redeem[2]),
                        gift_catalogue::redeem_de.eq(spec.redeem[3]),
                    ),
                    (
                        gift_catalogue::value_cents.eq(spec.value_cents),
                        gift_catalogue::currency.eq("EUR"),
                        gift_catalogue::percent.eq(None::<i16>),
                        gift_catalogue::cost_cents.eq(spec.cost_cents),
                        gift_catalogue::validity_days.eq(spec.validity_days),
                        gift_catalogue::active.eq(true),
                        gift_catalogue::created_at.eq(now),
                        gift_catalogue::updated_at.eq(now),
                    ),
                ))
                .returning(gift_catalogue::id)
                .get_result(conn)?,
        };
        found.push(spec);
    }
    Ok(found)
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

/// One submission to generate, drawn before its moment is known.
struct Plan {
    face: i16,
    /// 0 = nl, 1 = en.
    lang: usize,
    message: bool,
}

impl Plan {
    fn follow_up(&self) -> bool {
        self.face <= 2 || self.message
    }
}

/// Gifts go to complaints of the last months only, as a shop starting with
/// them would have.
const GIFT_DAYS: i64 = 120;

fn generate_rows(
    conn: &mut DbConnection,
    backend: Backend,
    count: usize,
    now: NaiveDateTime,
    mut progress: impl FnMut(usize),
) -> AppResult<usize> {
    let locations = demo_locations(conn, now)?;
    let staff = demo_staff(conn, now)?;
    let catalogue = demo_catalogue(conn, now)?;
    let categories = category::list_active(conn)?;
    let tz = workflow::get(conn)?.tz();
    let words = Words::new();
    let mut rng = rand::thread_rng();
    // What each submission is first, then when: exactly `count` of them need
    // a ticket, and their moments in time order, so ids grow with time as in
    // a real shop.
    let mut plans = Vec::with_capacity(count + count / 3);
    let mut tickets_planned = 0;
    while tickets_planned < count {
        let face: i16 = [1, 1, 2, 2, 2, 3, 4][rng.gen_range(0..7)];
        let plan = Plan {
            face,
            lang: usize::from(rng.gen_bool(0.2)),
            message: rng.gen_bool(if face <= 2 { 0.85 } else { 0.3 }),
        };
        tickets_planned += usize::from(plan.follow_up());
        plans.push(plan);
    }
    let times = schedule(&mut rng, plans.len(), now, tz);
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
    let mut planned = plans.iter().zip(times);
    while done < count {
        let mut feedback_rows = Vec::with_capacity(CHUNK);
        let mut ticket_rows = Vec::with_capacity(CHUNK);
        let mut message_rows = Vec::with_capacity(CHUNK);
        let mut event_rows = Vec::new();
        let mut gift_rows = Vec::new();
        while feedback_rows.len() < CHUNK && done + ticket_rows.len() < count {
            let Some((plan, created)) = planned.next() else {
                break;
            };
            let (face, lang) = (plan.face, plan.lang);
            let language = ["nl", "en"][lang];
            let location = &locations[rng.gen_range(0..locations.len())];
            let message = plan.message.then(|| {
                if face <= 2 {
                    let mut text = words.unhappy.pick(&mut rng, lang).to_owned();
                    if rng.gen_bool(0.5) {
                        text.push(' ');
                        text.push_str(words.details.pick(&mut rng, lang));
                    }
                    text
                } else {
                    words.happy.pick(&mut rng, lang).to_owned()
                }
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
            feedback_rows.push((
                feedback::id.eq(id),
                feedback::reference.eq(new_reference()),
                feedback::location_id.eq(location.id),
                feedback::face.eq(face),
                feedback::category_id.eq(category),
                feedback::message.eq(message),
                feedback::customer_name.eq(name.clone()),
                feedback::customer_email.eq(email.clone()),
                feedback::contact_consent.eq(email.is_some()),
                feedback::language.eq(language),
                feedback::channel.eq(channel),
                feedback::spot.eq(spot.clone()),
                feedback::idempotency_key.eq(format!("demo-{}", &random_token()[..24])),
                feedback::created_at.eq(created),
            ));
            if !plan.follow_up() {
                continue;
            }
            let flow = ticket_state(&mut rng, created, now);
            let assigned = flow.status != "new" || rng.gen_bool(0.2);
            let assignee =
                (assigned && rng.gen_bool(0.9)).then(|| staff[rng.gen_range(0..staff.len())]);
            let author = assignee.unwrap_or(staff[0]);
            let priority = if rng.gen_bool(0.05) { "high" } else { "normal" };
            let token = random_token();
            let ticket_id = next_ticket;
            next_ticket += 1;
            let mut updated = created;
            if let Some(at) = flow.first_response_at {
                // Staff look into a complaint before they answer it.
                if face <= 2 && rng.gen_bool(0.25) {
                    let noted = between(&mut rng, created, at);
                    event_rows.push((
                        ticket_events::ticket_id.eq(ticket_id),
                        ticket_events::kind.eq("note"),
                        ticket_events::actor_id.eq(Some(author)),
                        ticket_events::detail.eq(String::new()),
                        ticket_events::body.eq(Some(NOTES[rng.gen_range(0..NOTES.len())])),
                        ticket_events::created_at.eq(noted),
                    ));
                }
                let body = if face > 2 {
                    words.thanks.pick(&mut rng, lang)
                } else if flow.status == "waiting" {
                    words.questions.pick(&mut rng, lang)
                } else {
                    words.apologies.pick(&mut rng, lang)
                };
                message_rows.push((
                    ticket_messages::ticket_id.eq(ticket_id),
                    ticket_messages::author.eq("staff"),
                    ticket_messages::staff_user_id.eq(Some(author)),
                    ticket_messages::body.eq(body),
                    ticket_messages::created_at.eq(at),
                ));
                updated = at;
                // The customer answered: on open work it is staff's turn again.
                if flow.status != "waiting" && rng.gen_bool(0.25) {
                    let replied = (at + Duration::hours(3)).min(flow.resolved_at.unwrap_or(now));
                    message_rows.push((
                        ticket_messages::ticket_id.eq(ticket_id),
                        ticket_messages::author.eq("customer"),
                        ticket_messages::staff_user_id.eq(None),
                        ticket_messages::body.eq(words.replies.pick(&mut rng, lang)),
                        ticket_messages::created_at.eq(replied.max(at)),
                    ));
                }
                // A gift to make up for it, sent at once; about half are
                // used at the till before they expire.
                let recent = (now - created).num_days() < GIFT_DAYS;
                if face <= 2 && recent && email.is_some() && rng.gen_bool(0.12) {
                    let item = &catalogue[rng.gen_range(0..catalogue.len())];
                    let sent = (at + Duration::minutes(rng.gen_range(1..30))).min(now);
                    let expires = sent + Duration::days(i64::from(item.validity_days));
                    let redeemed = rng
                        .gen_bool(0.5)
                        .then(|| sent + Duration::hours(rng.gen_range(2..24 * 21)))
                        .filter(|t| *t <= now && *t < expires);
                    event_rows.push((
                        ticket_events::ticket_id.eq(ticket_id),
                        ticket_events::kind.eq("gift_sent"),
                        ticket_events::actor_id.eq(Some(author)),
                        ticket_events::detail.eq(item.title[lang].to_owned()),
                        ticket_events::body.eq(None),
                        ticket_events::created_at.eq(sent),
                    ));
                    if let Some(at) = redeemed {
                        event_rows.push((
                            ticket_events::ticket_id.eq(ticket_id),
                            ticket_events::kind.eq("gift_redeemed"),
                            ticket_events::actor_id.eq(Some(staff[rng.gen_range(0..staff.len())])),
                            ticket_events::detail.eq(item.title[lang].to_owned()),
                            ticket_events::body.eq(None),
                            ticket_events::created_at.eq(at),
                        ));
                    }
                    gift_rows.push((
                        (
                            gifts::catalogue_id.eq(item.id),
                            gifts::ticket_id.eq(Some(ticket_id)),
                            gifts::location_id.eq(location.id),
                            gifts::kind.eq(item.kind),
                            gifts::title.eq(item.title[lang]),
                            gifts::description.eq(item.description[lang]),
                            gifts::redeem_how.eq(item.redeem[lang]),
                            gifts::value_cents.eq(item.value_cents),
                            gifts::currency.eq("EUR"),
                            gifts::percent.eq(None::<i16>),
                            gifts::cost_cents.eq(item.cost_cents),
                            gifts::validity_days.eq(item.validity_days),
                            gifts::language.eq(language),
                            gifts::recipient_email.eq(email.clone()),
                        ),
                        (
                            gifts::recipient_name.eq(name.clone()),
                            gifts::message.eq(words.gift_messages.pick(&mut rng, lang)),
                            gifts::status.eq(if redeemed.is_some() {
                                "redeemed"
                            } else {
                                "sent"
                            }),
                            gifts::code_hash.eq(Some(hash_token(&random_token()))),
                            gifts::access_token_hash.eq(Some(hash_token(&random_token()))),
                            gifts::created_by.eq(author),
                            gifts::created_at.eq(sent),
                            gifts::sent_at.eq(Some(sent)),
                            gifts::expires_at.eq(Some(expires)),
                            gifts::redeemed_at.eq(redeemed),
                            gifts::redeemed_by.eq(redeemed.map(|_| author)),
                            gifts::redeemed_location_id.eq(redeemed.map(|_| location.id)),
                        ),
                    ));
                }
            }
            // Asked after resolution whether it was solved; about half answer,
            // mostly content.
            let mut survey = (None, None, None, None);
            if let (Some(resolved), Some(_)) = (flow.resolved_at, &email) {
                let due = resolved + Duration::hours(4);
                if due <= now {
                    let answer = rng.gen_bool(0.55).then(|| {
                        let score: i16 = [1, 2, 2, 3, 3, 3, 4, 4, 4, 4][rng.gen_range(0..10)];
                        let at = (due + Duration::minutes(rng.gen_range(5..600))).min(now);
                        (score, at)
                    });
                    survey = (
                        Some(due),
                        Some(due),
                        answer.map(|a| a.0),
                        answer.map(|a| a.1),
                    );
                } else {
                    survey.0 = Some(due);
                }
            }
            for t in [flow.resolved_at, flow.closed_at, survey.3]
                .into_iter()
                .flatten()
            {
                updated = updated.max(t);
            }
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
                    tickets::priority.eq(priority),
                    tickets::assignee_id.eq(assignee),
                ),
                (
                    tickets::first_response_due_at.eq(created + Duration::hours(2)),
                    tickets::resolution_due_at.eq(created + RESOLUTION_DUE),
                    tickets::due_at.eq(flow.due_at),
                    tickets::first_response_at.eq(flow.first_response_at),
                    tickets::waiting_since.eq(flow.waiting_since),
                    tickets::resolved_at.eq(flow.resolved_at),
                    tickets::closed_at.eq(flow.closed_at),
                    tickets::csat_due_at.eq(survey.0),
                    tickets::csat_sent_at.eq(survey.1),
                    tickets::csat_score.eq(survey.2),
                    tickets::csat_at.eq(survey.3),
                    tickets::face.eq(Some(face)),
                    tickets::category_id.eq(category),
                ),
            ));
        }
        if feedback_rows.is_empty() {
            break;
        }
        let first_ticket = next_ticket - ticket_rows.len() as i64;
        // A reference drawn twice (likely somewhere in a million) fails the
        // chunk; it is written again with fresh references.
        // The same multi-row inserts on either backend's own connection:
        // multi-row statements need the concrete connection type.
        macro_rules! insert_rows {
            ($inner:expr) => {
                diesel::insert_into(feedback::table)
                    .values(&feedback_rows)
                    .execute($inner)?;
                diesel::insert_into(tickets::table)
                    .values(&ticket_rows)
                    .execute($inner)?;
                diesel::insert_into(ticket_messages::table)
                    .values(&message_rows)
                    .execute($inner)?;
                if !event_rows.is_empty() {
                    diesel::insert_into(ticket_events::table)
                        .values(&event_rows)
                        .execute($inner)?;
                }
                if !gift_rows.is_empty() {
                    diesel::insert_into(gifts::table)
                        .values(&gift_rows)
                        .execute($inner)?;
                }
            };
        }
        let mut tries = 0;
        while let Err(e) = conn.transaction::<_, AppError, _>(|c| {
            // Many rows per statement: only the inner connections can (backend specific).
            match c {
                DbConnection::Sqlite(inner) => {
                    insert_rows!(inner);
                }
                DbConnection::Pg(inner) => {
                    if bulk_mode {
                        // Row triggers off for this transaction: the rows
                        // carry face and category already, and the search
                        // documents are made once per chunk below.
                        diesel::sql_query("SET LOCAL session_replication_role = replica")
                            .execute(inner)?;
                    }
                    insert_rows!(inner);
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
