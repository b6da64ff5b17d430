//! Service-level targets: first response and resolution, counted in the
//! location's opening hours and paused while a ticket waits on the customer.
//! The ticket workflow calls the hooks here on every change that moves a
//! clock; the background jobs read the due moments they leave on the ticket.
//!
//! Counting rules, in the location's own time zone (daylight saving included):
//! - an empty schedule means always open: targets count in plain time;
//! - a weekday without hours is closed; hours end at most at `24:00`, so a
//!   night shift is `sat 18:00-24:00` plus `sun 00:00-02:00`, which counts as
//!   one stretch;
//! - a schedule with no open minute at all (every line unreadable or empty
//!   days only) would never reach a target, so it counts as always open
//!   instead: a complaint must never be due "never";
//! - a day whose stored hours cannot be read counts as open all day, as the
//!   kiosk's [`super::location::is_open`] does.
//! - hours that start or end in a daylight-saving gap or overlap follow the
//!   rule of [`super::local_time`]: a skipped time is when the clocks land,
//!   a doubled one its first occurrence.
//!
//! The ticket keeps both targets as moments (`first_response_due_at`,
//! `resolution_due_at`) and `due_at`, the one that matters now: the first
//! response due moment until staff answered, then the resolution due moment;
//! `NULL` while waiting on the customer, resolved or closed. The inbox sorts by
//! it. Leaving `waiting` moves both moments later by the open time spent
//! waiting. Reopening a resolved or closed ticket keeps the original targets
//! (the clock did not stop for the customer), so it may be overdue at once.

use super::local_time;
use super::location::{day_minutes, parse_opening_hours, Location};
use super::workflow;
use crate::db::schema::{feedback, locations, tickets};
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::prelude::*;

/// Longest target an owner may set, in minutes (60 days).
pub const MAX_TARGET_MINUTES: i32 = 60 * 24 * 60;

/// How far ahead the counting looks for opening hours (20 years of days):
/// far beyond any target with at least one open minute a week.
const MAX_DAYS: i64 = 20 * 366;

/// A location's week in its own time zone.
struct Schedule {
    tz: Tz,
    /// Open from–to in minutes after local midnight, Monday first; `None` = closed.
    days: [Option<(u32, u32)>; 7],
    always_open: bool,
}

impl Schedule {
    fn of(location: &Location) -> Schedule {
        let tz: Tz = location.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let mut days = [None; 7];
        if location.opening_hours.trim().is_empty() {
            return Schedule {
                tz,
                days,
                always_open: true,
            };
        }
        for (day, text) in days
            .iter_mut()
            .zip(parse_opening_hours(&location.opening_hours))
        {
            *day = day_minutes(&text);
        }
        let always_open = days.iter().all(Option::is_none);
        Schedule {
            tz,
            days,
            always_open,
        }
    }

    /// The local calendar day of a UTC moment.
    fn local_date(&self, at: NaiveDateTime) -> NaiveDate {
        local_time::day_of(self.tz, at)
    }

    /// The open stretch of one local day, in UTC.
    fn open_on(&self, date: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let (open, close) = self.days[date.weekday().num_days_from_monday() as usize]?;
        let midnight = date.and_time(chrono::NaiveTime::MIN);
        let start = self.to_utc(midnight + Duration::minutes(i64::from(open)));
        let end = self.to_utc(midnight + Duration::minutes(i64::from(close)));
        (start < end).then_some((start, end))
    }

    fn to_utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        local_time::to_utc(self.tz, local)
    }
}

/// `start` plus `open` time counted in the location's opening hours. When
/// `start` falls outside them, counting begins at the next opening.
pub fn add_open_time(location: &Location, start: NaiveDateTime, open: Duration) -> NaiveDateTime {
    let schedule = Schedule::of(location);
    if schedule.always_open || open <= Duration::zero() {
        return start + open;
    }
    let mut remaining = open;
    let mut date = schedule.local_date(start) - Duration::days(1);
    for _ in 0..MAX_DAYS {
        if let Some((from, until)) = schedule.open_on(date) {
            if until > start {
                let from = from.max(start);
                if remaining <= until - from {
                    return from + remaining;
                }
                remaining -= until - from;
            }
        }
        date += Duration::days(1);
    }
    start + open
}

/// The open time of the location between two moments (zero when `to` is not
/// after `from`).
pub fn open_time_between(location: &Location, from: NaiveDateTime, to: NaiveDateTime) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let schedule = Schedule::of(location);
    if schedule.always_open {
        return to - from;
    }
    let mut total = Duration::zero();
    let mut date = schedule.local_date(from) - Duration::days(1);
    let last = schedule.local_date(to) + Duration::days(1);
    while date <= last {
        if let Some((open, close)) = schedule.open_on(date) {
            let (a, b) = (open.max(from), close.min(to));
            if b > a {
                total += b - a;
            }
        }
        date += Duration::days(1);
    }
    total
}

/// Default targets (as in the migration): first response 2 h, resolution 16 h.
pub const DEFAULT_TARGETS: (i32, i32) = (120, 960);

/// A target as owners read and type it: `H:MM` (`2:00`, `0:30`, `16:00`).
pub fn format_target(minutes: i32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// Reads a target typed as `H:MM` or whole hours `H`, in 1 minute to
/// [`MAX_TARGET_MINUTES`]; `None` when it is not one.
pub fn parse_target(text: &str) -> Option<i32> {
    let text = text.trim();
    let (h, m) = text.split_once(':').unwrap_or((text, "00"));
    let digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || m.len() != 2 || !digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && (1..=MAX_TARGET_MINUTES).contains(&minutes)).then_some(minutes)
}

/// The due moments of a new ticket: (first response, resolution).
pub fn targets(location: &Location, opened_at: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let minutes = |m: i32| Duration::minutes(i64::from(m.clamp(1, MAX_TARGET_MINUTES)));
    (
        add_open_time(
            location,
            opened_at,
            minutes(location.first_response_minutes),
        ),
        add_open_time(location, opened_at, minutes(location.resolution_minutes)),
    )
}

/// The moment that matters now for a ticket in `status` (see the module doc).
pub fn due_for(
    status: &str,
    first_response_at: Option<NaiveDateTime>,
    first_response_due_at: Option<NaiveDateTime>,
    resolution_due_at: Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    match status {
        "new" | "open" if first_response_at.is_none() => first_response_due_at,
        "new" | "open" => resolution_due_at,
        _ => None,
    }
}

/// How far a due moment is: time left, or how long it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeLeft {
    /// Still this many whole minutes to go.
    Left(i64),
    /// Overdue by this many whole minutes (at least 1).
    Overdue(i64),
}

/// The time left until `due_at`, in plain time (what staff feel).
pub fn time_left(due_at: NaiveDateTime, now: NaiveDateTime) -> TimeLeft {
    if due_at > now {
        TimeLeft::Left((due_at - now).num_minutes())
    } else {
        TimeLeft::Overdue((now - due_at).num_minutes().max(1))
    }
}

/// Sets `due_at` from the ticket's status and clocks (the invariant above).
fn refresh_due(conn: &mut DbConnection, ticket_id: i64) -> AppResult<()> {
    let (status, first_response_at, first_due, resolution_due): (
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    ) = tickets::table
        .find(ticket_id)
        .select((
            tickets::status,
            tickets::first_response_at,
            tickets::first_response_due_at,
            tickets::resolution_due_at,
        ))
        .first(conn)?;
    let due = due_for(&status, first_response_at, first_due, resolution_due);
    diesel::update(tickets::table.find(ticket_id))
        .set(tickets::due_at.eq(due))
        .execute(conn)?;
    Ok(())
}

/// A staff member answered the customer: the first response is given.
pub fn on_staff_reply(
    conn: &mut DbConnection,
    ticket_id: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(
        tickets::table
            .find(ticket_id)
            .filter(tickets::first_response_at.is_null()),
    )
    .set(tickets::first_response_at.eq(now))
    .execute(conn)?;
    refresh_due(conn, ticket_id)
}

/// The ticket's status changed from `from` to `to` (stored forms): pauses and
/// resumes the clocks, and sets or clears the resolved and closed moments.
pub fn on_status(
    conn: &mut DbConnection,
    ticket_id: i64,
    from: &str,
    to: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    if from == to {
        return refresh_due(conn, ticket_id);
    }
    let (location, waiting_since, first_due, resolution_due, email, consent): (
        Location,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<String>,
        bool,
    ) = tickets::table
        .inner_join(locations::table)
        .inner_join(feedback::table)
        .filter(tickets::id.eq(ticket_id))
        .select((
            Location::as_select(),
            tickets::waiting_since,
            tickets::first_response_due_at,
            tickets::resolution_due_at,
            feedback::customer_email,
            feedback::contact_consent,
        ))
        .first(conn)?;
    let row = tickets::table.find(ticket_id);
    // A resolution moved or undone leaves the dashboard's day it was counted on.
    let resolution_changes =
        to == "resolved" || (matches!(to, "new" | "open") && matches!(from, "resolved" | "closed"));
    if resolution_changes {
        let earlier: Option<NaiveDateTime> = row.select(tickets::resolved_at).first(conn)?;
        if let Some(at) = earlier {
            super::rollup::forget(conn, at)?;
        }
    }
    if from == "waiting" {
        let spent = waiting_since
            .map(|since| open_time_between(&location, since, now))
            .unwrap_or_else(Duration::zero);
        let shift = |due: Option<NaiveDateTime>| {
            due.map(|d| {
                if spent > Duration::zero() {
                    add_open_time(&location, d, spent)
                } else {
                    d
                }
            })
        };
        diesel::update(row)
            .set((
                tickets::first_response_due_at.eq(shift(first_due)),
                tickets::resolution_due_at.eq(shift(resolution_due)),
                tickets::waiting_since.eq(None::<NaiveDateTime>),
                tickets::reminder_sent_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    match to {
        "waiting" => {
            diesel::update(row)
                .set(tickets::waiting_since.eq(now))
                .execute(conn)?;
        }
        "resolved" => {
            let survey = (email.is_some() && consent).then(|| -> AppResult<NaiveDateTime> {
                let hours = workflow::get(conn)?.csat_delay_hours;
                Ok(now + Duration::hours(i64::from(hours)))
            });
            let survey = survey.transpose()?;
            diesel::update(row)
                .set((
                    tickets::resolved_at.eq(now),
                    tickets::closed_at.eq(None::<NaiveDateTime>),
                    tickets::csat_due_at.eq(survey),
                ))
                .execute(conn)?;
        }
        "closed" => {
            diesel::update(row)
                .set(tickets::closed_at.eq(now))
                .execute(conn)?;
        }
        "new" | "open" if matches!(from, "resolved" | "closed") => {
            diesel::update(row)
                .set((
                    tickets::resolved_at.eq(None::<NaiveDateTime>),
                    tickets::closed_at.eq(None::<NaiveDateTime>),
                    tickets::csat_due_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
        }
        _ => {}
    }
    refresh_due(conn, ticket_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop(tz: &str, hours: &str) -> Location {
        Location {
            id: 1,
            slug: "shop".into(),
            name: "Shop".into(),
            time_zone: tz.into(),
            default_language: "nl".into(),
            languages: "nl,en".into(),
            active: true,
            created_at: utc(2026, 1, 1, 0, 0),
            address: String::new(),
            opening_hours: hours.into(),
            first_response_minutes: 120,
            resolution_minutes: 960,
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    const WEEKDAYS_9_TO_17: &str =
        "mon 09:00-17:00\ntue 09:00-17:00\nwed 09:00-17:00\nthu 09:00-17:00\nfri 09:00-17:00";

    #[test]
    fn always_open_counts_plain_time() {
        let s = shop("Europe/Amsterdam", "");
        let t = utc(2026, 11, 28, 23, 0); // a Saturday night
        assert_eq!(
            add_open_time(&s, t, Duration::minutes(90)),
            t + Duration::minutes(90)
        );
        assert_eq!(
            open_time_between(&s, t, t + Duration::hours(5)),
            Duration::hours(5)
        );
        assert_eq!(
            targets(&s, t),
            (t + Duration::hours(2), t + Duration::hours(16))
        );
    }

    #[test]
    fn weekend_is_skipped() {
        // UTC shop, Friday 27 Nov 2026 16:00: one hour today, the rest on Monday.
        let s = shop("UTC", WEEKDAYS_9_TO_17);
        let friday = utc(2026, 11, 27, 16, 0);
        let (first, resolution) = targets(&s, friday);
        assert_eq!(first, utc(2026, 11, 30, 10, 0));
        // 16 h of work: 1 h Friday, 8 h Monday, 7 h Tuesday.
        assert_eq!(resolution, utc(2026, 12, 1, 16, 0));
        assert_eq!(
            open_time_between(&s, friday, utc(2026, 11, 30, 10, 0)),
            Duration::hours(2)
        );
    }

    #[test]
    fn opened_at_night_starts_at_opening() {
        let s = shop("UTC", WEEKDAYS_9_TO_17);
        let night = utc(2026, 11, 24, 22, 30);
        assert_eq!(targets(&s, night).0, utc(2026, 11, 25, 11, 0));
        assert_eq!(
            open_time_between(&s, night, utc(2026, 11, 25, 8, 0)),
            Duration::zero()
        );
    }

    #[test]
    fn overnight_hours_run_on_past_midnight() {
        // Friday 20:00–24:00 and Saturday 00:00–02:00: one stretch.
        let s = shop("UTC", "fri 20:00-24:00\nsat 00:00-02:00");
        let start = utc(2026, 11, 27, 23, 0);
        assert_eq!(
            add_open_time(&s, start, Duration::minutes(120)),
            utc(2026, 11, 28, 1, 0)
        );
        // Past Saturday 02:00 the next opening is Friday a week later.
        assert_eq!(
            add_open_time(&s, start, Duration::minutes(240)),
            utc(2026, 12, 4, 21, 0)
        );
        assert_eq!(
            open_time_between(&s, utc(2026, 11, 27, 0, 0), utc(2026, 11, 29, 0, 0)),
            Duration::hours(6)
        );
    }

    #[test]
    fn own_time_zone_and_daylight_saving() {
        let s = shop("Europe/Amsterdam", WEEKDAYS_9_TO_17);
        // Winter: 09:00 in Amsterdam is 08:00 UTC.
        assert_eq!(
            add_open_time(&s, utc(2026, 11, 24, 6, 0), Duration::minutes(60)),
            utc(2026, 11, 24, 9, 0)
        );
        // Summer: 09:00 is 07:00 UTC.
        assert_eq!(
            add_open_time(&s, utc(2026, 7, 7, 5, 0), Duration::minutes(60)),
            utc(2026, 7, 7, 8, 0)
        );
        // Across the autumn change (Sunday 25 Oct 2026): Friday's last hour
        // in summer time, Monday's first in winter time.
        assert_eq!(
            add_open_time(&s, utc(2026, 10, 23, 14, 0), Duration::minutes(120)),
            utc(2026, 10, 26, 9, 0)
        );
    }

    #[test]
    fn hours_inside_the_spring_gap_start_when_clocks_land() {
        // Sunday 29 Mar 2026 the clocks go 02:00 → 03:00 in Amsterdam.
        let s = shop("Europe/Amsterdam", "sun 02:30-05:00");
        // Opens at 03:00 local (01:00 UTC), closes 05:00 (03:00 UTC): two hours.
        assert_eq!(
            open_time_between(&s, utc(2026, 3, 28, 0, 0), utc(2026, 3, 30, 0, 0)),
            Duration::hours(2)
        );
    }

    #[test]
    fn never_open_falls_back_to_plain_time() {
        // Lines without a readable day: no open minute in the week.
        let s = shop("UTC", "someday 09:00-17:00");
        let t = utc(2026, 11, 24, 12, 0);
        assert_eq!(targets(&s, t).0, t + Duration::hours(2));
        assert_eq!(
            open_time_between(&s, t, t + Duration::hours(1)),
            Duration::hours(1)
        );
    }

    #[test]
    fn targets_typed_as_hours_and_minutes() {
        assert_eq!(parse_target("2:00"), Some(120));
        assert_eq!(parse_target(" 0:30 "), Some(30));
        assert_eq!(parse_target("16"), Some(960));
        assert_eq!(parse_target("1440:00"), Some(MAX_TARGET_MINUTES));
        for bad in [
            "",
            "0:00",
            "1:60",
            "1:5",
            "-1:00",
            "abc",
            "1441:00",
            "99999999:00",
            "1.5",
        ] {
            assert_eq!(parse_target(bad), None, "{bad}");
        }
        assert_eq!(format_target(130), "2:10");
        assert_eq!(parse_target(&format_target(965)), Some(965));
    }

    #[test]
    fn due_follows_the_status() {
        let (a, b, c) = (
            Some(utc(2026, 1, 1, 1, 0)),
            Some(utc(2026, 1, 1, 2, 0)),
            Some(utc(2026, 1, 1, 3, 0)),
        );
        assert_eq!(due_for("new", None, b, c), b);
        assert_eq!(due_for("open", a, b, c), c);
        for paused in ["waiting", "resolved", "closed"] {
            assert_eq!(due_for(paused, None, b, c), None);
        }
    }

    #[test]
    fn time_left_and_overdue() {
        let now = utc(2026, 1, 1, 12, 0);
        assert_eq!(
            time_left(now + Duration::minutes(130), now),
            TimeLeft::Left(130)
        );
        assert_eq!(
            time_left(now - Duration::minutes(25), now),
            TimeLeft::Overdue(25)
        );
        assert_eq!(time_left(now, now), TimeLeft::Overdue(1));
    }
}
