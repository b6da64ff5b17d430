//! The SLA clock as staff see it: "2 h 10 min left" or "overdue by 25 min",
//! for the inbox and the ticket page (and the follow-up mails' text).

use crate::domain::local_time;
use crate::domain::sla::{time_left, TimeLeft};
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use maud::{html, Markup};

/// A span of minutes for people: `25 min`, `2 h 10 min`, `3 d 4 h`.
pub fn duration_text(lang: Lang, minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let s = |v: i64| v.to_string();
    if minutes < 60 {
        lang.t_with("sla-duration-min", &[("m", &s(m))])
    } else if minutes < 48 * 60 {
        lang.t_with(
            "sla-duration-h-min",
            &[("h", &s(minutes / 60)), ("m", &s(m))],
        )
    } else {
        lang.t_with("sla-duration-d-h", &[("d", &s(d)), ("h", &s(h))])
    }
    .into_owned()
}

/// "2 h 10 min left" or "overdue by 25 min".
pub fn time_left_text(lang: Lang, left: TimeLeft) -> String {
    match left {
        TimeLeft::Left(m) => lang.t_with("sla-left", &[("time", &duration_text(lang, m))]),
        TimeLeft::Overdue(m) => lang.t_with("sla-overdue", &[("time", &duration_text(lang, m))]),
    }
    .into_owned()
}

/// The clock of a ticket: nothing without a due moment (waiting, resolved,
/// closed), else the time left, marked when overdue, with the exact due
/// moment on the clock of `tz` in its `title`.
pub fn due_badge(lang: Lang, tz: Tz, due_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Markup {
    html! {
        @if let Some(due) = due_at {
            @let left = time_left(due, now);
            @let overdue = matches!(left, TimeLeft::Overdue(_));
            @let title = local_time::format_moment(tz, due, lang);
            span.sla.badge.bad[overdue].ok[!overdue] title=(title) {
                (time_left_text(lang, left))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_person_would_say_it() {
        assert_eq!(
            time_left_text(Lang::En, TimeLeft::Left(130)),
            "2 h 10 min left"
        );
        assert_eq!(
            time_left_text(Lang::En, TimeLeft::Overdue(25)),
            "overdue by 25 min"
        );
        assert_eq!(
            time_left_text(Lang::Nl, TimeLeft::Left(130)),
            "nog 2 u 10 min"
        );
        assert_eq!(
            time_left_text(Lang::Nl, TimeLeft::Overdue(25)),
            "25 min te laat"
        );
        assert_eq!(duration_text(Lang::En, 3 * 1440 + 4 * 60 + 5), "3 d 4 h");
    }

    #[test]
    fn badge_only_with_a_due_moment() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            due_badge(Lang::En, chrono_tz::UTC, None, now).into_string(),
            ""
        );
        let late = due_badge(
            Lang::En,
            chrono_tz::UTC,
            Some(now - chrono::Duration::minutes(5)),
            now,
        )
        .into_string();
        assert!(
            late.contains("bad") && late.contains("overdue by 5 min"),
            "{late}"
        );
    }
}
