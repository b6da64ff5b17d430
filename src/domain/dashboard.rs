//! The owner's service-recovery dashboard: what came in, how fast it was
//! answered and solved, how customers felt afterwards, who was won back, and
//! what the thank-you gifts cost, per location or for all, over a range of
//! local days in the business's time zone.
//!
//! Every event counts on the local day it happened: a submission by
//! `created_at`, a first response by `first_response_at`, a resolution by
//! `resolved_at`, a satisfaction answer by `csat_at`, a gift by `sent_at` and
//! `redeemed_at`. A local day becomes a UTC window `[start, end)` here, in
//! Rust (DST-correct, see [`crate::domain::local_time`]); the SQL only compares times.
//!
//! **The rollup.** Reading a million tickets per page view is too slow, so
//! the jobs loop stores each finished local day's figures ([`roll_day`], one
//! day per writer job, the days [`days_to_roll`] picks) in `daily_feedback`,
//! `daily_durations` and `daily_satisfaction`, and marks the day in
//! `dashboard_days`. The page ([`figures`]) reads rolled days from there and
//! counts every other day (today, and days not rolled yet) live with the very
//! same code (`count_day`), so it is always complete. The last
//! [`REROLL_DAYS`] finished days are rolled again once a day for late
//! changes; a change to an older day ([`forget`]: a reopened or re-resolved
//! ticket, a changed satisfaction answer, a released submission) drops that
//! day's rollup so it is counted live until rolled again; a new business time
//! zone drops all of it ([`clear`]). Gifts are few and always counted live.
//!
//! The same rows give each location's own figures (the comparison table)
//! and the hour-of-week of unhappy submissions (the heat map: each day
//! stores the local hour of its face 1–2 submissions, the weekday is the
//! day's). [`compare`] reads a range and the one of the same length before
//! it with this same code.
//!
//! Durations are wall-clock whole minutes from the ticket's arrival; each
//! rolled day keeps them as an exact histogram, so medians and the 90th
//! percentile (nearest rank) are exact over any range.

use crate::db::schema::{
    categories, daily_durations, daily_feedback, daily_satisfaction, dashboard_days, feedback,
    gifts, locations, tickets,
};
use crate::db::DbConnection;
use crate::domain::local_time::{day_of, day_start, day_window, to_local};
use crate::domain::{rollup, workflow};
use crate::error::AppResult;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use chrono_tz::Tz;
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use crate::domain::rollup::{clear, forget};

/// Days shown when the owner picks no range: the last 30, today included.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest range one page shows (two years); longer ones are shortened.
pub const MAX_DAYS: i64 = 731;
/// Finished days re-rolled once a day, for late changes.
pub const REROLL_DAYS: i64 = 3;
/// Most days one round of the jobs loop rolls up (a two-year backfill takes
/// a few rounds; each day is its own short writer job).
pub const ROLL_PER_ROUND: usize = 120;

/// `daily_feedback.dimension` for the face, channel and category counts.
const FACE: &str = "face";
const CHANNEL: &str = "channel";
const CATEGORY: &str = "category";
/// The local hour (0–23) of an unhappy submission (face 1–2), for the
/// hour-of-week heat map; the weekday is the day's.
const UNHAPPY_HOUR: &str = "unhappy_hour";
/// `daily_durations.measure` values.
const FIRST_RESPONSE: &str = "first_response";
const RESOLUTION: &str = "resolution";

/// The channels a submission can arrive by, in the order they are shown.
pub const CHANNELS: [&str; 3] = ["kiosk", "qr", "web"];

/// What the owner asked to see: one location or all, and inclusive local dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// One location, or `None` for all.
    pub location: Option<i64>,
    /// First local day.
    pub from: NaiveDate,
    /// Last local day (included).
    pub to: NaiveDate,
}

/// Why a range typed into the page cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// Not a date in `YYYY-MM-DD` form.
    BadDate,
    /// The start lies after the end.
    FromAfterTo,
}

/// Understands the page's `from` and `to` (empty: the default range ending
/// `today`). A range reaching past today ends today; one longer than
/// [`MAX_DAYS`] keeps its last [`MAX_DAYS`] days. Returns the dates and
/// whether they were shortened.
pub fn parse_dates(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate, bool), RangeError> {
    let parse = |text: Option<&str>| -> Result<Option<NaiveDate>, RangeError> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| RangeError::BadDate),
        }
    };
    let (from, to) = (parse(from)?, parse(to)?);
    let to_given = to.unwrap_or(today);
    let from_given = from.unwrap_or(to_given - Duration::days(DEFAULT_DAYS - 1));
    if from_given > to_given {
        return Err(RangeError::FromAfterTo);
    }
    let to = to_given.min(today);
    let from = from_given.min(to).max(to - Duration::days(MAX_DAYS - 1));
    Ok((from, to, from != from_given || to != to_given))
}

/// First responses or resolutions over a range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Times {
    /// How many.
    pub count: i64,
    /// How many met their SLA target (no target counts as met).
    pub on_time: i64,
    /// Median in whole minutes (nearest rank); `None` without any.
    pub median: Option<i64>,
    /// 90th percentile in whole minutes (nearest rank).
    pub p90: Option<i64>,
}

impl Times {
    /// Share on time in whole percent; `None` without any.
    pub fn on_time_percent(&self) -> Option<i64> {
        percent(self.on_time, self.count)
    }
}

/// Gifts over a range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GiftFigures {
    /// Sent (still valid or redeemed since), by `sent_at`.
    pub sent: i64,
    /// Redeemed, by `redeemed_at`.
    pub redeemed: i64,
    /// What the gifts sent cost, in cents.
    pub spend_cents: i64,
    /// The monthly budgets of the calendar months the range touches, added
    /// up over the chosen locations; `None` when none has a budget.
    pub budget_cents: Option<i64>,
    /// How many calendar months the range touches.
    pub months: i64,
}

/// Everything the dashboard shows for one range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The range shown.
    pub range: Range,
    /// Submissions per local day, every day of the range (zeros included).
    pub volume: Vec<(NaiveDate, i64)>,
    /// Submissions per category id (0: none chosen), most first.
    pub categories: Vec<(i64, i64)>,
    /// Submissions per face 1–4.
    pub faces: [i64; 4],
    /// Submissions per channel, in [`CHANNELS`] order.
    pub channels: Vec<(String, i64)>,
    /// First responses.
    pub first_response: Times,
    /// Resolutions.
    pub resolution: Times,
    /// Satisfaction answers per face 1–4.
    pub answers: [i64; 4],
    /// Complaints that started unhappy (face 1–2) and were answered.
    pub unhappy_answered: i64,
    /// Of those, answered happy (3–4): recovered customers.
    pub recovered: i64,
    /// Thank-you gifts.
    pub gifts: GiftFigures,
    /// Unhappy submissions (face 1–2) per local weekday (Monday first) and
    /// local hour, in the business's time zone.
    pub hours: [[i64; 24]; 7],
    /// The same figures per chosen location, in location id order.
    pub locations: Vec<LocationFigures>,
}

/// One location's row of the comparison table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationFigures {
    /// The location.
    pub location_id: i64,
    /// All submissions.
    pub submissions: i64,
    /// Unhappy submissions (face 1–2).
    pub complaints: i64,
    /// First responses.
    pub first_response: Times,
    /// Satisfaction answers per face 1–4.
    pub answers: [i64; 4],
    /// Complaints that started unhappy and were answered.
    pub unhappy_answered: i64,
    /// Of those, answered happy: recovered customers.
    pub recovered: i64,
}

impl LocationFigures {
    /// Happy answers as a share of all answers, in whole percent.
    pub fn happy_percent(&self) -> Option<i64> {
        percent(self.answers[2] + self.answers[3], self.answers.iter().sum())
    }
}

/// The range of the same length that ends the day before `range` begins,
/// same location: what the dashboard compares against.
pub fn previous(range: &Range) -> Range {
    let days = (range.to - range.from).num_days() + 1;
    Range {
        location: range.location,
        from: range.from - Duration::days(days),
        to: range.from - Duration::days(1),
    }
}

/// The figures for `range` and for the [`previous`] range of the same
/// length, by the same code.
pub fn compare(
    conn: &mut DbConnection,
    range: &Range,
    now: NaiveDateTime,
) -> AppResult<(Figures, Figures)> {
    let current = figures(conn, range, now)?;
    let before = figures(conn, &previous(range), now)?;
    Ok((current, before))
}

impl Figures {
    /// Unhappy submissions (face 1–2): the complaints.
    pub fn complaints(&self) -> i64 {
        self.faces[0] + self.faces[1]
    }

    /// All submissions in the range.
    pub fn total(&self) -> i64 {
        self.volume.iter().map(|(_, n)| n).sum()
    }

    /// Satisfaction answers in the range.
    pub fn answered(&self) -> i64 {
        self.answers.iter().sum()
    }

    /// Happy answers (3–4) as a share of all answers, in whole percent.
    pub fn happy_percent(&self) -> Option<i64> {
        percent(self.answers[2] + self.answers[3], self.answered())
    }

    /// Gift spend per recovered customer, in cents; `None` with none recovered.
    pub fn cost_per_recovered_cents(&self) -> Option<i64> {
        (self.recovered > 0).then(|| (self.gifts.spend_cents + self.recovered / 2) / self.recovered)
    }
}

/// `part` of `whole` in whole percent, rounded; `None` when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (2 * whole))
}

/// A day's submissions of one location with one face, channel or category.
#[derive(Debug, Clone)]
struct Counted {
    location_id: i64,
    dimension: &'static str,
    value: String,
    count: i64,
}

/// A day's first responses or resolutions of one location.
#[derive(Debug, Clone, Default)]
struct Timed {
    count: i64,
    on_time: i64,
    /// minutes → how many.
    minutes: BTreeMap<i64, i64>,
}

/// One local day's figures, per location: what the rollup stores.
#[derive(Debug, Default)]
struct Day {
    counted: Vec<Counted>,
    /// (location, measure) → durations.
    timed: BTreeMap<(i64, &'static str), Timed>,
    /// (location, first face, answer) → how many.
    answered: BTreeMap<(i64, i16, i16), i64>,
}

/// Counts one local day straight from the submissions and tickets, for
/// every location.
fn count_day(conn: &mut DbConnection, tz: Tz, day: NaiveDate) -> AppResult<Day> {
    let (start, end) = day_window(tz, day);
    let location_ids: Vec<i64> = locations::table.select(locations::id).load(conn)?;
    // By location: the index on (location_id, created_at) finds the day.
    let submissions: Vec<(i64, String, i16, Option<i64>, i64)> = feedback::table
        .filter(feedback::location_id.eq_any(&location_ids))
        .filter(feedback::created_at.ge(start))
        .filter(feedback::created_at.lt(end))
        .filter(feedback::quarantine_reason.is_null())
        .group_by((
            feedback::location_id,
            feedback::channel,
            feedback::face,
            feedback::category_id,
        ))
        .select((
            feedback::location_id,
            feedback::channel,
            feedback::face,
            feedback::category_id,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut counts: BTreeMap<(i64, &'static str, String), i64> = BTreeMap::new();
    for (location, channel, face, category, n) in submissions {
        *counts
            .entry((location, FACE, face.to_string()))
            .or_default() += n;
        *counts.entry((location, CHANNEL, channel)).or_default() += n;
        let category = category.unwrap_or(0).to_string();
        *counts.entry((location, CATEGORY, category)).or_default() += n;
    }
    // The unhappy ones one by one: their local hour is worked out here,
    // where daylight saving is known.
    let unhappy: Vec<(i64, NaiveDateTime)> = feedback::table
        .filter(feedback::location_id.eq_any(&location_ids))
        .filter(feedback::created_at.ge(start))
        .filter(feedback::created_at.lt(end))
        .filter(feedback::quarantine_reason.is_null())
        .filter(feedback::face.le(2))
        .select((feedback::location_id, feedback::created_at))
        .load(conn)?;
    for (location, at) in unhappy {
        let hour = to_local(tz, at).hour().to_string();
        *counts.entry((location, UNHAPPY_HOUR, hour)).or_default() += 1;
    }
    let mut out = Day {
        counted: counts
            .into_iter()
            .map(|((location_id, dimension, value), count)| Counted {
                location_id,
                dimension,
                value,
                count,
            })
            .collect(),
        ..Day::default()
    };
    type Moments = (
        i64,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let answered: Vec<Moments> = tickets::table
        .filter(tickets::first_response_at.ge(start))
        .filter(tickets::first_response_at.lt(end))
        .select((
            tickets::location_id,
            tickets::created_at,
            tickets::first_response_at,
            tickets::first_response_due_at,
        ))
        .load(conn)?;
    let resolved: Vec<Moments> = tickets::table
        .filter(tickets::resolved_at.ge(start))
        .filter(tickets::resolved_at.lt(end))
        .select((
            tickets::location_id,
            tickets::created_at,
            tickets::resolved_at,
            tickets::resolution_due_at,
        ))
        .load(conn)?;
    for (measure, rows) in [(FIRST_RESPONSE, answered), (RESOLUTION, resolved)] {
        for (location, created, at, due) in rows {
            let Some(at) = at else { continue };
            let timed = out.timed.entry((location, measure)).or_default();
            timed.count += 1;
            timed.on_time += i64::from(due.is_none_or(|due| at <= due));
            let minutes = (at - created).num_minutes().max(0);
            *timed.minutes.entry(minutes).or_default() += 1;
        }
    }
    let answers: Vec<(i64, Option<i16>, Option<i16>)> = tickets::table
        .filter(tickets::csat_at.ge(start))
        .filter(tickets::csat_at.lt(end))
        .filter(tickets::csat_score.is_not_null())
        .select((tickets::location_id, tickets::face, tickets::csat_score))
        .load(conn)?;
    for (location, first_face, answer) in answers {
        let key = (location, first_face.unwrap_or(0), answer.unwrap_or(0));
        *out.answered.entry(key).or_default() += 1;
    }
    Ok(out)
}

/// A histogram as stored: `minutes:count` pairs, ascending, space-separated.
fn encode_minutes(minutes: &BTreeMap<i64, i64>) -> String {
    let pairs: Vec<String> = minutes.iter().map(|(m, n)| format!("{m}:{n}")).collect();
    pairs.join(" ")
}

/// Adds a stored histogram to `into`; a malformed pair is skipped (the
/// rollup writes only well-formed ones).
fn add_encoded_minutes(text: &str, into: &mut HashMap<i64, i64>) {
    for pair in text.split_ascii_whitespace() {
        if let Some((m, n)) = pair.split_once(':') {
            if let (Ok(m), Ok(n)) = (m.parse::<i64>(), n.parse::<i64>()) {
                *into.entry(m).or_default() += n;
            }
        }
    }
}

/// Stores one finished local day's figures (replacing what was stored) and
/// marks it rolled up. One writer job per day.
pub fn roll_day(conn: &mut DbConnection, day: NaiveDate, now: NaiveDateTime) -> AppResult<()> {
    let tz = workflow::get(conn)?.tz();
    let counted = count_day(conn, tz, day)?;
    rollup::drop_day(conn, day)?;
    // Row by row: a day has a few dozen rows per location, and multi-row
    // inserts are not available on the shared connection type.
    for c in &counted.counted {
        diesel::insert_into(daily_feedback::table)
            .values((
                daily_feedback::day.eq(day),
                daily_feedback::location_id.eq(c.location_id),
                daily_feedback::dimension.eq(c.dimension),
                daily_feedback::value.eq(&c.value),
                daily_feedback::count.eq(to_i32(c.count)),
            ))
            .execute(conn)?;
    }
    for ((location, measure), timed) in &counted.timed {
        diesel::insert_into(daily_durations::table)
            .values((
                daily_durations::day.eq(day),
                daily_durations::location_id.eq(location),
                daily_durations::measure.eq(measure),
                daily_durations::count.eq(to_i32(timed.count)),
                daily_durations::on_time.eq(to_i32(timed.on_time)),
                daily_durations::minutes.eq(encode_minutes(&timed.minutes)),
            ))
            .execute(conn)?;
    }
    for ((location, first_face, answer), n) in &counted.answered {
        diesel::insert_into(daily_satisfaction::table)
            .values((
                daily_satisfaction::day.eq(day),
                daily_satisfaction::location_id.eq(*location),
                daily_satisfaction::first_face.eq(*first_face),
                daily_satisfaction::answer.eq(*answer),
                daily_satisfaction::count.eq(to_i32(*n)),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(dashboard_days::table)
        .values((
            dashboard_days::day.eq(day),
            dashboard_days::rolled_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// A day's count as the rollup stores it (no local day holds 2³¹ events).
fn to_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The local day of the first submission, if any.
fn first_day(conn: &mut DbConnection, tz: Tz) -> AppResult<Option<NaiveDate>> {
    let location_ids: Vec<i64> = locations::table.select(locations::id).load(conn)?;
    let mut first: Option<NaiveDateTime> = None;
    // Per location: each is one step down the (location_id, created_at) index.
    for id in location_ids {
        let at: Option<NaiveDateTime> = feedback::table
            .filter(feedback::location_id.eq(id))
            .select(diesel::dsl::min(feedback::created_at))
            .first(conn)?;
        first = match (first, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(first.map(|at| day_of(tz, at)))
}

/// The finished local days the next round should roll up, newest first, at
/// most [`ROLL_PER_ROUND`]: days never rolled (back to the first
/// submission), and the last [`REROLL_DAYS`] days when not yet rolled today.
pub fn days_to_roll(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<NaiveDate>> {
    let tz = workflow::get(conn)?.tz();
    let today = day_of(tz, now);
    let Some(first) = first_day(conn, tz)? else {
        return Ok(Vec::new());
    };
    let today_start = day_start(tz, today);
    let rolled: HashMap<NaiveDate, NaiveDateTime> = dashboard_days::table
        .filter(dashboard_days::day.ge(first))
        .select((dashboard_days::day, dashboard_days::rolled_at))
        .load::<(NaiveDate, NaiveDateTime)>(conn)?
        .into_iter()
        .collect();
    let mut due = Vec::new();
    let mut day = today - Duration::days(1);
    while day >= first && due.len() < ROLL_PER_ROUND {
        let wanted = match rolled.get(&day) {
            None => true,
            Some(at) => day >= today - Duration::days(REROLL_DAYS) && *at < today_start,
        };
        if wanted {
            due.push(day);
        }
        day -= Duration::days(1);
    }
    Ok(due)
}

/// What the figures are added up in.
#[derive(Default)]
struct Tally {
    volume: BTreeMap<NaiveDate, i64>,
    faces: [i64; 4],
    channels: BTreeMap<String, i64>,
    categories: BTreeMap<i64, i64>,
    /// measure → (count, on time, minutes → how many)
    times: HashMap<&'static str, (i64, i64, HashMap<i64, i64>)>,
    /// (first face, answer) → how many
    answers: BTreeMap<(i16, i16), i64>,
    /// weekday (Monday 0) × local hour → unhappy submissions
    hours: [[i64; 24]; 7],
}

/// The whole selection's tally and each location's own.
#[derive(Default)]
struct Tallies {
    all: Tally,
    by_location: BTreeMap<i64, Tally>,
}

impl Tallies {
    fn of(&mut self, location: i64) -> &mut Tally {
        self.by_location.entry(location).or_default()
    }

    fn count(&mut self, location: i64, day: NaiveDate, dimension: &str, value: &str, n: i64) {
        self.all.count(day, dimension, value, n);
        self.of(location).count(day, dimension, value, n);
    }

    fn time(&mut self, location: i64, measure: &str, count: i64, on_time: i64) {
        for tally in [&mut self.all, self.by_location.entry(location).or_default()] {
            let slot = tally.measure(measure);
            slot.0 += count;
            slot.1 += on_time;
        }
    }

    fn minutes(&mut self, location: i64, measure: &str, minutes: &HashMap<i64, i64>) {
        for tally in [&mut self.all, self.by_location.entry(location).or_default()] {
            let slot = &mut tally.measure(measure).2;
            for (m, n) in minutes {
                *slot.entry(*m).or_default() += n;
            }
        }
    }

    fn answer(&mut self, location: i64, first: i16, answer: i16, n: i64) {
        *self.all.answers.entry((first, answer)).or_default() += n;
        *self
            .of(location)
            .answers
            .entry((first, answer))
            .or_default() += n;
    }

    fn add_live(&mut self, day: NaiveDate, counted: Day, locations: &BTreeSet<i64>) {
        for c in counted.counted {
            if locations.contains(&c.location_id) {
                self.count(c.location_id, day, c.dimension, &c.value, c.count);
            }
        }
        for ((location, measure), timed) in counted.timed {
            if locations.contains(&location) {
                self.time(location, measure, timed.count, timed.on_time);
                let minutes: HashMap<i64, i64> = timed.minutes.into_iter().collect();
                self.minutes(location, measure, &minutes);
            }
        }
        for ((location, first, answer), n) in counted.answered {
            if locations.contains(&location) {
                self.answer(location, first, answer, n);
            }
        }
    }
}

impl Tally {
    fn count(&mut self, day: NaiveDate, dimension: &str, value: &str, n: i64) {
        match dimension {
            FACE => {
                if let Some(slot) = face_slot(value.parse().unwrap_or(0)) {
                    self.faces[slot] += n;
                }
                // The faces add up to the day's volume.
                *self.volume.entry(day).or_default() += n;
            }
            CHANNEL => *self.channels.entry(value.to_owned()).or_default() += n,
            CATEGORY => {
                *self
                    .categories
                    .entry(value.parse().unwrap_or(0))
                    .or_default() += n
            }
            UNHAPPY_HOUR => {
                let weekday = day.weekday().num_days_from_monday() as usize;
                if let Some(slot) = value
                    .parse::<usize>()
                    .ok()
                    .and_then(|hour| self.hours.get_mut(weekday)?.get_mut(hour))
                {
                    *slot += n;
                }
            }
            _ => {}
        }
    }

    fn measure(&mut self, measure: &str) -> &mut (i64, i64, HashMap<i64, i64>) {
        let key = if measure == FIRST_RESPONSE {
            FIRST_RESPONSE
        } else {
            RESOLUTION
        };
        self.times.entry(key).or_default()
    }
}

/// Index of a face 1–4 in a `[_; 4]`.
fn face_slot(face: i16) -> Option<usize> {
    (1..=4)
        .contains(&face)
        .then(|| usize::try_from(face - 1).ok())
        .flatten()
}

/// The value at nearest rank `p` percent of a histogram (minutes → count).
pub fn nearest_rank(minutes: &HashMap<i64, i64>, p: i64) -> Option<i64> {
    let total: i64 = minutes.values().sum();
    if total <= 0 {
        return None;
    }
    // Nearest rank: the smallest value with at least ceil(p% of n) at or below it.
    let rank = ((p * total + 99) / 100).max(1);
    let mut keys: Vec<&i64> = minutes.keys().collect();
    keys.sort_unstable();
    let mut seen = 0;
    for m in keys {
        seen += minutes[m];
        if seen >= rank {
            return Some(*m);
        }
    }
    None
}

fn times_of(tally: &Tally, measure: &str) -> Times {
    match tally.times.get(measure) {
        None => Times::default(),
        Some((count, on_time, minutes)) => Times {
            count: *count,
            on_time: *on_time,
            median: nearest_rank(minutes, 50),
            p90: nearest_rank(minutes, 90),
        },
    }
}

/// The figures for `range` at `now`: rolled days from the rollup, all other
/// days counted live. The caller checked that the location exists.
pub fn figures(conn: &mut DbConnection, range: &Range, now: NaiveDateTime) -> AppResult<Figures> {
    let tz = workflow::get(conn)?.tz();
    let today = day_of(tz, now);
    let all: Vec<(i64, Option<i64>)> = locations::table
        .select((locations::id, locations::gift_budget_cents))
        .order(locations::id)
        .load(conn)?;
    let chosen: Vec<(i64, Option<i64>)> = all
        .into_iter()
        .filter(|(id, _)| range.location.is_none_or(|l| l == *id))
        .collect();
    let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
    let id_set: BTreeSet<i64> = ids.iter().copied().collect();
    let (from, to) = (range.from, range.to);
    let mut tallies = Tallies::default();

    let rolled: BTreeSet<NaiveDate> = dashboard_days::table
        .filter(dashboard_days::day.between(from, to))
        .select(dashboard_days::day)
        .load(conn)?
        .into_iter()
        .collect();
    if !rolled.is_empty() {
        // Grouped by location too: the comparison table comes from the
        // same rows as the totals.
        let counts: Vec<(i64, NaiveDate, String, String, Option<i64>)> = daily_feedback::table
            .filter(daily_feedback::day.between(from, to))
            .filter(daily_feedback::location_id.eq_any(&ids))
            .group_by((
                daily_feedback::location_id,
                daily_feedback::day,
                daily_feedback::dimension,
                daily_feedback::value,
            ))
            .select((
                daily_feedback::location_id,
                daily_feedback::day,
                daily_feedback::dimension,
                daily_feedback::value,
                diesel::dsl::sum(daily_feedback::count),
            ))
            .load(conn)?;
        for (location, day, dimension, value, n) in counts {
            tallies.count(location, day, &dimension, &value, n.unwrap_or(0));
        }
        // A month of histograms at a time: a year of them is megabytes of
        // text, and folding it in slices keeps each request's memory small.
        let mut slice_from = from;
        while slice_from <= to {
            let slice_to = (slice_from + Duration::days(30)).min(to);
            let durations: Vec<(i64, String, i32, i32, String)> = daily_durations::table
                .filter(daily_durations::day.between(slice_from, slice_to))
                .filter(daily_durations::location_id.eq_any(&ids))
                .select((
                    daily_durations::location_id,
                    daily_durations::measure,
                    daily_durations::count,
                    daily_durations::on_time,
                    daily_durations::minutes,
                ))
                .load(conn)?;
            for (location, measure, count, on_time, minutes) in durations {
                tallies.time(location, &measure, i64::from(count), i64::from(on_time));
                let mut histogram = HashMap::new();
                add_encoded_minutes(&minutes, &mut histogram);
                tallies.minutes(location, &measure, &histogram);
            }
            slice_from = slice_to + Duration::days(1);
        }
        let answers: Vec<(i64, i16, i16, Option<i64>)> = daily_satisfaction::table
            .filter(daily_satisfaction::day.between(from, to))
            .filter(daily_satisfaction::location_id.eq_any(&ids))
            .group_by((
                daily_satisfaction::location_id,
                daily_satisfaction::first_face,
                daily_satisfaction::answer,
            ))
            .select((
                daily_satisfaction::location_id,
                daily_satisfaction::first_face,
                daily_satisfaction::answer,
                diesel::dsl::sum(daily_satisfaction::count),
            ))
            .load(conn)?;
        for (location, first, answer, n) in answers {
            tallies.answer(location, first, answer, n.unwrap_or(0));
        }
    }

    // Days not rolled up: today, and any the jobs have not reached yet.
    let live_to = to.min(today);
    if from <= live_to && (live_to - from).num_days() + 1 > rolled.len() as i64 {
        if let Some(first) = first_day(conn, tz)? {
            let mut day = from.max(first);
            while day <= live_to {
                if !rolled.contains(&day) {
                    let counted = count_day(conn, tz, day)?;
                    tallies.add_live(day, counted, &id_set);
                }
                day += Duration::days(1);
            }
        }
    }

    let gifts = gift_figures(conn, tz, range, &chosen)?;
    let tally = &tallies.all;
    let mut volume = Vec::new();
    let mut day = from;
    while day <= to {
        volume.push((day, tally.volume.get(&day).copied().unwrap_or(0)));
        day += Duration::days(1);
    }
    let mut categories: Vec<(i64, i64)> = tally.categories.iter().map(|(c, n)| (*c, *n)).collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut channels: Vec<(String, i64)> = CHANNELS
        .iter()
        .map(|c| {
            (
                (*c).to_owned(),
                tally.channels.get(*c).copied().unwrap_or(0),
            )
        })
        .collect();
    for (c, n) in &tally.channels {
        if !CHANNELS.contains(&c.as_str()) {
            channels.push((c.clone(), *n));
        }
    }
    let (answers, unhappy_answered, recovered) = satisfaction_of(tally);
    let empty = Tally::default();
    let locations = ids
        .iter()
        .map(|id| {
            let own = tallies.by_location.get(id).unwrap_or(&empty);
            let (answers, unhappy_answered, recovered) = satisfaction_of(own);
            LocationFigures {
                location_id: *id,
                submissions: own.volume.values().sum(),
                complaints: own.faces[0] + own.faces[1],
                first_response: times_of(own, FIRST_RESPONSE),
                answers,
                unhappy_answered,
                recovered,
            }
        })
        .collect();
    Ok(Figures {
        range: range.clone(),
        volume,
        categories,
        faces: tally.faces,
        channels,
        first_response: times_of(tally, FIRST_RESPONSE),
        resolution: times_of(tally, RESOLUTION),
        answers,
        unhappy_answered,
        recovered,
        gifts,
        hours: tally.hours,
        locations,
    })
}

/// Satisfaction answers per face, how many started unhappy and were
/// answered, and how many of those answered happy (recovered).
fn satisfaction_of(tally: &Tally) -> ([i64; 4], i64, i64) {
    let mut answers = [0; 4];
    let (mut unhappy_answered, mut recovered) = (0, 0);
    for ((first, answer), n) in &tally.answers {
        if let Some(slot) = face_slot(*answer) {
            answers[slot] += n;
        }
        if (1..=2).contains(first) {
            unhappy_answered += n;
            if (3..=4).contains(answer) {
                recovered += n;
            }
        }
    }
    (answers, unhappy_answered, recovered)
}

/// Gifts sent and redeemed in the range, their cost, and the budget.
fn gift_figures(
    conn: &mut DbConnection,
    tz: Tz,
    range: &Range,
    chosen: &[(i64, Option<i64>)],
) -> AppResult<GiftFigures> {
    let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
    let start = day_start(tz, range.from);
    let end = day_window(tz, range.to).1;
    let costs: Vec<i64> = gifts::table
        .filter(gifts::sent_at.ge(start))
        .filter(gifts::sent_at.lt(end))
        .filter(gifts::status.eq_any(["sent", "redeemed"]))
        .filter(gifts::location_id.eq_any(&ids))
        .select(gifts::cost_cents)
        .load(conn)?;
    let redeemed: i64 = gifts::table
        .filter(gifts::redeemed_at.ge(start))
        .filter(gifts::redeemed_at.lt(end))
        .filter(gifts::location_id.eq_any(&ids))
        .count()
        .get_result(conn)?;
    let months = i64::from(
        (range.to.year() - range.from.year()) * 12 + range.to.month() as i32
            - range.from.month() as i32
            + 1,
    );
    let budgets: Vec<i64> = chosen.iter().filter_map(|(_, b)| *b).collect();
    Ok(GiftFigures {
        sent: costs.len() as i64,
        redeemed,
        spend_cents: costs.iter().sum(),
        budget_cents: (!budgets.is_empty()).then(|| budgets.iter().sum::<i64>() * months),
        months,
    })
}

/// Category names for the figures (inactive ones too), by id.
pub fn category_names(
    conn: &mut DbConnection,
) -> AppResult<BTreeMap<i64, super::category::Category>> {
    Ok(categories::table
        .select(super::category::Category::as_select())
        .load(conn)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn ranges() {
        let today = d("2026-06-15");
        assert_eq!(
            parse_dates(None, None, today),
            Ok((d("2026-05-17"), today, false))
        );
        assert_eq!(
            parse_dates(Some("2026-06-01"), Some("2026-06-03"), today),
            Ok((d("2026-06-01"), d("2026-06-03"), false))
        );
        assert_eq!(
            parse_dates(Some("2026-06-03"), Some("2026-06-01"), today),
            Err(RangeError::FromAfterTo)
        );
        assert_eq!(
            parse_dates(Some("2026-13-01"), None, today),
            Err(RangeError::BadDate)
        );
        assert_eq!(
            parse_dates(Some("x"), None, today),
            Err(RangeError::BadDate)
        );
        // Absurd ranges are shortened to two years ending today.
        let (from, to, shortened) =
            parse_dates(Some("1900-01-01"), Some("9999-12-31"), today).expect("clamped");
        assert_eq!(
            (to, (to - from).num_days() + 1, shortened),
            (today, MAX_DAYS, true)
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let h: HashMap<i64, i64> = [(10, 1), (20, 1), (30, 1), (40, 1)].into();
        assert_eq!(nearest_rank(&h, 50), Some(20));
        assert_eq!(nearest_rank(&h, 90), Some(40));
        let one: HashMap<i64, i64> = [(7, 3)].into();
        assert_eq!(nearest_rank(&one, 90), Some(7));
        assert_eq!(nearest_rank(&HashMap::new(), 50), None);
    }

    #[test]
    fn histograms_round_trip() {
        let m: BTreeMap<i64, i64> = [(0, 2), (75, 1), (3000, 4)].into();
        let text = encode_minutes(&m);
        assert_eq!(text, "0:2 75:1 3000:4");
        let mut back = HashMap::new();
        add_encoded_minutes(&text, &mut back);
        add_encoded_minutes("75:2 junk", &mut back);
        assert_eq!(back, [(0, 2), (75, 3), (3000, 4)].into());
    }

    #[test]
    fn local_days_follow_daylight_saving() {
        let tz: Tz = "Europe/Amsterdam".parse().expect("zone");
        // The last Sunday of March has 23 hours.
        let (start, end) = day_window(tz, d("2026-03-29"));
        assert_eq!((end - start).num_hours(), 23);
        assert_eq!(start.to_string(), "2026-03-28 23:00:00");
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
    }
}
