//! Business time: what a moment stored in the database (naive UTC) is on the
//! shop's wall clock, and back. Local days, months, midnights and dates as
//! people read them are worked out here and nowhere else, so the dashboard,
//! the service-level clocks, the gift budget and the jobs agree on when a day
//! begins.
//!
//! The zone is a [`Tz`]: the business's (from the workflow settings) or a
//! location's own. One rule for the wall-clock times that are not exactly one
//! moment, applied everywhere:
//!
//! - **A time the clocks skip** (spring forward: in Amsterdam and Brussels
//!   02:00–03:00 on the last Sunday of March) becomes the first moment after
//!   the gap, the one the clocks land on: 02:30 reads as 03:00. A zone that
//!   skips midnight starts that day an hour later.
//! - **A time that happens twice** (autumn: 02:00–03:00 on the last Sunday of
//!   October) is its first occurrence, still in summer time.
//!
//! So a local day is `[its first moment, the next day's first moment)`: 23
//! hours in spring, 25 in autumn.

use crate::i18n::Lang;
use chrono::offset::LocalResult;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;

/// How far past a skipped wall-clock time the next valid one is looked for:
/// no zone skips more than three hours.
const LONGEST_GAP_MINUTES: i64 = 180;

/// A wall-clock time in `tz` as UTC, by the rule in the module doc: a skipped
/// time becomes the moment the clocks land on, a doubled one its first
/// occurrence.
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> NaiveDateTime {
    for step in 0..=LONGEST_GAP_MINUTES {
        match tz.from_local_datetime(&(local + Duration::minutes(step))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => return t.naive_utc(),
            LocalResult::None => continue,
        }
    }
    // No zone skips three hours; read the wall clock as UTC then.
    local
}

/// A UTC moment on the wall clock in `tz`.
pub fn to_local(tz: Tz, at: NaiveDateTime) -> NaiveDateTime {
    tz.from_utc_datetime(&at).naive_local()
}

/// The local calendar day of a UTC moment.
pub fn day_of(tz: Tz, at: NaiveDateTime) -> NaiveDate {
    to_local(tz, at).date()
}

/// The UTC moment a local day begins.
pub fn day_start(tz: Tz, day: NaiveDate) -> NaiveDateTime {
    to_utc(tz, day.and_time(NaiveTime::MIN))
}

/// The UTC moment the local day around `at` began.
pub fn today_start(tz: Tz, at: NaiveDateTime) -> NaiveDateTime {
    day_start(tz, day_of(tz, at))
}

/// The UTC window `[start, end)` of a local day.
pub fn day_window(tz: Tz, day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (day_start(tz, day), day_start(tz, day + Duration::days(1)))
}

/// The UTC window `[start, end)` of the local calendar month around `at`.
pub fn month_window(tz: Tz, at: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    let day = day_of(tz, at);
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (day_start(tz, first), day_start(tz, next))
}

/// A UTC moment's local date as the reader writes it where the business is
/// (CLDR's short dates, with the whole year): nl-NL `05-10-2026`, nl-BE and
/// fr-BE `5/10/2026`, fr `05/10/2026`, de `05.10.2026`, en `5 Oct 2026`.
/// Belgium is told by the time zone, `Europe/Brussels`.
pub fn format_date(tz: Tz, at: NaiveDateTime, lang: Lang) -> String {
    let local = to_local(tz, at);
    let belgium = tz == chrono_tz::Europe::Brussels;
    match lang {
        Lang::Nl | Lang::Fr if belgium => local.format("%-d/%m/%Y").to_string(),
        Lang::Nl => local.format("%d-%m-%Y").to_string(),
        Lang::En => local.format("%-d %b %Y").to_string(),
        Lang::Fr => local.format("%d/%m/%Y").to_string(),
        Lang::De => local.format("%d.%m.%Y").to_string(),
    }
}

/// Month abbreviations as Dutch writes them in a date ("1 dec. 2026").
const NL_MONTHS: [&str; 12] = [
    "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.",
];

/// Month abbreviations as French writes them ("1 déc. 2026").
const FR_MONTHS: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// Month abbreviations as German writes them ("1. Dez. 2026").
const DE_MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];

/// A local day as the reader writes it: nl `1 dec. 2026`, en `1 Dec 2026`,
/// fr `1 déc. 2026`, de `1. Dez. 2026`.
pub fn format_day(day: NaiveDate, lang: Lang) -> String {
    format!("{} {}", format_day_month(day, lang), day.year())
}

/// A local day without its year, for axes and short lists: nl `1 dec.`,
/// en `1 Dec`, fr `1 déc.`, de `1. Dez.`.
pub fn format_day_month(day: NaiveDate, lang: Lang) -> String {
    let month =
        |names: &[&'static str; 12]| names.get(day.month0() as usize).copied().unwrap_or("");
    match lang {
        Lang::Nl => format!("{} {}", day.day(), month(&NL_MONTHS)),
        Lang::En => day.format("%-d %b").to_string(),
        Lang::Fr => format!("{} {}", day.day(), month(&FR_MONTHS)),
        Lang::De => format!("{}. {}", day.day(), month(&DE_MONTHS)),
    }
}

/// A UTC moment on the wall clock in `tz`, as the reader writes it: nl
/// `1 dec. 2026 20:51`, en `1 Dec 2026, 20:51`. Every page and mail that
/// shows a moment to a person goes through here (pages wrap it in a
/// `<time>` with [`iso`]: `views::components::moment`).
pub fn format_moment(tz: Tz, at: NaiveDateTime, lang: Lang) -> String {
    let local = to_local(tz, at);
    lang.t_with(
        "time-moment",
        &[
            ("day", &local.day().to_string()),
            ("month", &format!("m{}", local.month())),
            ("year", &local.year().to_string()),
            ("time", &local.format("%H:%M").to_string()),
        ],
    )
    .into_owned()
}

/// A UTC moment in ISO 8601 with its offset in `tz`, to the second:
/// `2026-12-01T20:51:00+01:00` (`Z` where the offset is zero). For
/// `<time datetime>` and for exports.
pub fn iso(tz: Tz, at: NaiveDateTime) -> String {
    tz.from_utc_datetime(&at)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A UTC moment in ISO 8601 with `Z`: `2026-12-01T19:51:00Z`.
pub fn iso_utc(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serialises a UTC moment as ISO 8601 with `Z` ([`iso_utc`]), for exports:
/// `#[serde(serialize_with = "local_time::serialize_utc")]`.
pub fn serialize_utc<S: serde::Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso_utc(*at))
}

/// [`serialize_utc`] for a moment that may be missing (`null`).
pub fn serialize_utc_opt<S: serde::Serializer>(
    at: &Option<NaiveDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&iso_utc(*at)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("moment")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn zone(name: &str) -> Tz {
        name.parse().expect("zone")
    }

    /// Both zones change on the same moments: 29 Mar 2026 02:00 → 03:00 and
    /// 25 Oct 2026 03:00 → 02:00, local time.
    const ZONES: [&str; 2] = ["Europe/Amsterdam", "Europe/Brussels"];

    /// Wall-clock times around the changes and the UTC moment each reads as.
    const WALL_TO_UTC: [(&str, &str); 8] = [
        // Spring: 02:00–03:00 never happens; it reads as 03:00 CEST.
        ("2026-03-29 01:59", "2026-03-29 00:59"),
        ("2026-03-29 02:00", "2026-03-29 01:00"),
        ("2026-03-29 02:30", "2026-03-29 01:00"),
        ("2026-03-29 03:00", "2026-03-29 01:00"),
        ("2026-03-29 03:01", "2026-03-29 01:01"),
        // Autumn: 02:00–03:00 happens twice; the first time, in CEST, counts.
        ("2026-10-25 02:00", "2026-10-25 00:00"),
        ("2026-10-25 02:30", "2026-10-25 00:30"),
        ("2026-10-25 03:00", "2026-10-25 02:00"),
    ];

    /// UTC moments, their local day and when that day began (UTC).
    const DAYS: [(&str, &str, &str); 8] = [
        // Summer: local midnight is 22:00 UTC the day before.
        ("2026-07-06 21:59", "2026-07-06", "2026-07-05 22:00"),
        ("2026-07-06 22:00", "2026-07-07", "2026-07-06 22:00"),
        // Winter: 23:00 UTC.
        ("2026-10-25 22:59", "2026-10-25", "2026-10-24 22:00"),
        ("2026-10-25 23:00", "2026-10-26", "2026-10-25 23:00"),
        // The changes' own days begin before the change.
        ("2026-03-29 12:00", "2026-03-29", "2026-03-28 23:00"),
        ("2026-10-25 12:00", "2026-10-25", "2026-10-24 22:00"),
        // Either occurrence of the doubled hour is the same day.
        ("2026-10-25 00:30", "2026-10-25", "2026-10-24 22:00"),
        ("2026-10-25 01:30", "2026-10-25", "2026-10-24 22:00"),
    ];

    #[test]
    fn skipped_times_land_after_the_gap_and_doubled_ones_take_the_first() {
        for name in ZONES {
            for (wall, utc) in WALL_TO_UTC {
                assert_eq!(to_utc(zone(name), at(wall)), at(utc), "{name} {wall}");
            }
            // Both occurrences of 02:30 read back as 02:30 on the wall clock.
            for utc in ["2026-10-25 00:30", "2026-10-25 01:30"] {
                assert_eq!(to_local(zone(name), at(utc)), at("2026-10-25 02:30"));
            }
        }
    }

    #[test]
    fn days_and_midnights_follow_the_offset() {
        for name in ZONES {
            for (utc, local, began) in DAYS {
                assert_eq!(day_of(zone(name), at(utc)), day(local), "{name} {utc}");
                assert_eq!(today_start(zone(name), at(utc)), at(began), "{name} {utc}");
            }
        }
    }

    #[test]
    fn change_days_have_23_and_25_hours() {
        let changes = [
            ("2026-03-29", "2026-03-28 23:00", "2026-03-29 22:00", 23),
            ("2026-10-25", "2026-10-24 22:00", "2026-10-25 23:00", 25),
        ];
        for name in ZONES {
            for (local, start, end, hours) in changes {
                let window = day_window(zone(name), day(local));
                assert_eq!(window, (at(start), at(end)), "{name} {local}");
                assert_eq!((window.1 - window.0).num_hours(), hours, "{name} {local}");
            }
        }
    }

    #[test]
    fn months_span_the_changes() {
        let months = [
            // March starts in winter time and ends in summer time.
            ("2026-03-15 12:00", "2026-02-28 23:00", "2026-03-31 22:00"),
            // October the other way round.
            ("2026-10-31 22:59", "2026-09-30 22:00", "2026-10-31 23:00"),
            // December runs into the next year.
            ("2026-12-31 12:00", "2026-11-30 23:00", "2026-12-31 23:00"),
        ];
        for name in ZONES {
            for (utc, start, end) in months {
                assert_eq!(
                    month_window(zone(name), at(utc)),
                    (at(start), at(end)),
                    "{name} {utc}"
                );
            }
        }
    }

    #[test]
    fn months_follow_the_business_time_zone() {
        let tz = zone("Europe/Amsterdam");
        // 23:30 UTC on 30 Nov is already 1 Dec in Amsterdam.
        assert_eq!(
            month_window(tz, at("2026-11-30 23:30")),
            (at("2026-11-30 23:00"), at("2026-12-31 23:00"))
        );
    }

    #[test]
    fn a_day_that_skips_midnight_starts_an_hour_later() {
        // Santiago de Chile springs forward at midnight: 6 Sep 2026 00:00
        // (UTC-4) becomes 01:00 (UTC-3), which is 04:00 UTC.
        let tz = zone("America/Santiago");
        assert_eq!(day_start(tz, day("2026-09-06")), at("2026-09-06 04:00"));
        assert_eq!(
            month_window(tz, at("2026-09-15 12:00")).0,
            at("2026-09-01 04:00")
        );
        let (start, end) = day_window(tz, day("2026-09-06"));
        assert_eq!((end - start).num_hours(), 23);
    }

    #[test]
    fn dates_read_in_the_business_time_zone() {
        let dates = [
            // 23:30 on 25 Oct, local; half an hour later it is the 26th.
            ("2026-10-25 22:30", Lang::De, "25.10.2026"),
            ("2026-10-25 23:30", Lang::De, "26.10.2026"),
            // 23:30 UTC on 28 Mar is already 29 Mar, still in winter time.
            ("2026-03-28 22:30", Lang::En, "28 Mar 2026"),
            ("2026-03-28 23:30", Lang::En, "29 Mar 2026"),
        ];
        for name in ZONES {
            for (utc, lang, shown) in dates {
                assert_eq!(
                    format_date(zone(name), at(utc), lang),
                    shown,
                    "{name} {utc}"
                );
            }
        }
    }

    #[test]
    fn numeric_dates_as_the_netherlands_and_belgium_write_them() {
        let when = at("2026-12-03 09:12");
        let amsterdam = zone("Europe/Amsterdam");
        let brussels = zone("Europe/Brussels");
        for (tz, lang, shown) in [
            (amsterdam, Lang::Nl, "03-12-2026"),
            (brussels, Lang::Nl, "3/12/2026"),
            (brussels, Lang::Fr, "3/12/2026"),
            (amsterdam, Lang::Fr, "03/12/2026"),
            (brussels, Lang::De, "03.12.2026"),
            (brussels, Lang::En, "3 Dec 2026"),
        ] {
            assert_eq!(format_date(tz, when, lang), shown, "{tz} {lang:?}");
        }
    }

    #[test]
    fn days_read_in_the_readers_language() {
        assert_eq!(format_day(day("2026-12-01"), Lang::Nl), "1 dec. 2026");
        assert_eq!(format_day(day("2026-05-31"), Lang::Nl), "31 mei 2026");
        assert_eq!(format_day(day("2026-12-01"), Lang::En), "1 Dec 2026");
        assert_eq!(format_day_month(day("2026-03-09"), Lang::Nl), "9 mrt.");
    }

    #[test]
    fn moments_read_on_the_wall_clock_in_the_readers_language() {
        let moments = [
            // Winter: UTC+1.
            (
                "2026-12-01 19:51",
                Lang::Nl,
                "1 dec. 2026 20:51",
                "2026-12-01T20:51:00+01:00",
            ),
            (
                "2026-12-01 19:51",
                Lang::En,
                "1 Dec 2026, 20:51",
                "2026-12-01T20:51:00+01:00",
            ),
            // Summer: UTC+2, and past midnight the next day.
            (
                "2026-07-06 22:05",
                Lang::Nl,
                "7 jul. 2026 00:05",
                "2026-07-07T00:05:00+02:00",
            ),
            (
                "2026-07-06 22:05",
                Lang::En,
                "7 Jul 2026, 00:05",
                "2026-07-07T00:05:00+02:00",
            ),
            (
                "2026-03-10 08:00",
                Lang::Nl,
                "10 mrt. 2026 09:00",
                "2026-03-10T09:00:00+01:00",
            ),
            (
                "2026-05-10 08:00",
                Lang::Nl,
                "10 mei 2026 10:00",
                "2026-05-10T10:00:00+02:00",
            ),
        ];
        for name in ZONES {
            for (utc, lang, shown, offset) in moments {
                assert_eq!(
                    format_moment(zone(name), at(utc), lang),
                    shown,
                    "{name} {utc}"
                );
                assert_eq!(iso(zone(name), at(utc)), offset, "{name} {utc}");
            }
        }
        assert_eq!(
            iso(chrono_tz::UTC, at("2026-12-01 19:51")),
            "2026-12-01T19:51:00Z"
        );
        assert_eq!(iso_utc(at("2026-12-01 19:51")), "2026-12-01T19:51:00Z");
    }
}
