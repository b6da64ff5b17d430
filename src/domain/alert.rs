//! Burst alerts: when a location has a bad (or a very good) stretch right
//! now. Each location has a rule, "at least X % unhappy (faces 1–2) within N
//! minutes with at least M answers", and optionally the same for happy
//! answers (faces 3–4); a location without a stored rule has [`Rule::DEFAULT`].
//!
//! Every answer that is not held in quarantine is counted by [`record`] in
//! its own transaction, on the database writer: it bumps one row of small
//! per-location, per-minute counters and sums at most N of them, so a busy
//! location never has its feedback counted over the window. The window is
//! the current minute and the N − 1 before it. Only when the rule fires are
//! the answers themselves read, to link them to the alert.
//!
//! An alert holds back the next one of its kind at its location until it is
//! acknowledged, or until the rule was not met for N minutes after the last
//! answer that kept it met. On PostgreSQL the location's row is locked
//! before deciding, so two answers at once cannot both miss or both fire;
//! SQLite has one writer, whose transaction already excludes every other.

use super::audit::{self, Actor};
use super::events::{self, Event};
use super::location::Location;
use super::workflow::{self, Audience};
use super::FieldError;
use crate::db::schema::{alert_answers, alert_counts, alert_rules, alerts, feedback, locations};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::alert_mail::BurstAlert;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::MailContext;
use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;

/// Percentages a rule may ask for.
pub const PERCENT: std::ops::RangeInclusive<i32> = 1..=100;
/// Window lengths a rule may have, in minutes.
pub const MINUTES: std::ops::RangeInclusive<i32> = 1..=240;
/// Least numbers of answers a rule may ask for.
pub const ANSWERS: std::ops::RangeInclusive<i32> = 1..=1000;
/// Most answers linked to one alert (the newest in its window).
pub const MAX_LINKED: i64 = 200;
/// Longest acknowledgement comment, in characters.
pub const MAX_COMMENT: usize = 1000;

/// Which way a burst goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Faces 1–2.
    Unhappy,
    /// Faces 3–4.
    Happy,
}

impl Kind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unhappy => "unhappy",
            Kind::Happy => "happy",
        }
    }

    /// Whether a face counts for this kind.
    pub fn counts(self, face: i16) -> bool {
        match self {
            Kind::Unhappy => face <= 2,
            Kind::Happy => face >= 3,
        }
    }
}

/// A location's burst rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Whether unhappy bursts raise an alert.
    pub unhappy_on: bool,
    /// The share of unhappy answers that raises it, in percent.
    pub unhappy_percent: i32,
    /// Whether happy bursts raise an alert.
    pub happy_on: bool,
    /// The share of happy answers that raises it, in percent.
    pub happy_percent: i32,
    /// The window, in minutes.
    pub minutes: i32,
    /// The least number of answers in the window.
    pub min_answers: i32,
}

impl Rule {
    /// The rule of a location whose owner changed nothing.
    pub const DEFAULT: Rule = Rule {
        unhappy_on: true,
        unhappy_percent: 50,
        happy_on: false,
        happy_percent: 80,
        minutes: 15,
        min_answers: 4,
    };

    /// The kinds this rule watches, with their percentages.
    fn watched(&self) -> impl Iterator<Item = (Kind, i32)> {
        [
            (self.unhappy_on, Kind::Unhappy, self.unhappy_percent),
            (self.happy_on, Kind::Happy, self.happy_percent),
        ]
        .into_iter()
        .filter(|(on, _, _)| *on)
        .map(|(_, kind, percent)| (kind, percent))
    }
}

/// A location's rule (the default when none is stored).
pub fn rule(conn: &mut DbConnection, location_id: i64) -> AppResult<Rule> {
    let stored = alert_rules::table
        .find(location_id)
        .select((
            alert_rules::unhappy_on,
            alert_rules::unhappy_percent,
            alert_rules::happy_on,
            alert_rules::happy_percent,
            alert_rules::minutes,
            alert_rules::min_answers,
        ))
        .first::<(bool, i32, bool, i32, i32, i32)>(conn)
        .optional()?;
    Ok(stored.map_or(
        Rule::DEFAULT,
        |(unhappy_on, unhappy_percent, happy_on, happy_percent, minutes, min_answers)| Rule {
            unhappy_on,
            unhappy_percent,
            happy_on,
            happy_percent,
            minutes,
            min_answers,
        },
    ))
}

/// The rule form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct RuleInput {
    /// "yes" when unhappy bursts raise an alert.
    pub unhappy_on: String,
    /// Percent, 1–100.
    pub unhappy_percent: String,
    /// "yes" when happy bursts raise an alert.
    pub happy_on: String,
    /// Percent, 1–100.
    pub happy_percent: String,
    /// Minutes, 1–240.
    pub minutes: String,
    /// Answers, 1–1000.
    pub min_answers: String,
}

impl RuleInput {
    /// The form's values for a stored rule.
    pub fn from_rule(rule: &Rule) -> RuleInput {
        let on = |b: bool| if b { "yes".to_owned() } else { String::new() };
        RuleInput {
            unhappy_on: on(rule.unhappy_on),
            unhappy_percent: rule.unhappy_percent.to_string(),
            happy_on: on(rule.happy_on),
            happy_percent: rule.happy_percent.to_string(),
            minutes: rule.minutes.to_string(),
            min_answers: rule.min_answers.to_string(),
        }
    }
}

/// Checks a rule form, reporting every problem at once.
pub fn validate(input: &RuleInput) -> Result<Rule, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut number = |field: &'static str,
                      value: &str,
                      range: std::ops::RangeInclusive<i32>,
                      key: &'static str| {
        match value.trim().parse::<i32>() {
            Ok(n) if range.contains(&n) => n,
            _ => {
                errors.push(
                    FieldError::new(field, key)
                        .arg("min", range.start())
                        .arg("max", range.end()),
                );
                0
            }
        }
    };
    let unhappy_percent = number(
        "unhappy_percent",
        &input.unhappy_percent,
        PERCENT,
        "alert-error-percent",
    );
    let happy_percent = number(
        "happy_percent",
        &input.happy_percent,
        PERCENT,
        "alert-error-percent",
    );
    let minutes = number("minutes", &input.minutes, MINUTES, "alert-error-minutes");
    let min_answers = number(
        "min_answers",
        &input.min_answers,
        ANSWERS,
        "alert-error-answers",
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        unhappy_on: !input.unhappy_on.trim().is_empty(),
        unhappy_percent,
        happy_on: !input.happy_on.trim().is_empty(),
        happy_percent,
        minutes,
        min_answers,
    })
}

/// Stores a location's rule; audited as `alert.rule` with the location id.
/// The window's counts and any open alert stay as they are.
pub fn save_rule(
    conn: &mut DbConnection,
    actor: Actor,
    location_id: i64,
    input: &RuleInput,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let rule = match validate(input) {
        Ok(rule) => rule,
        Err(errors) => return Ok(Err(errors)),
    };
    lock_location(conn, location_id)?;
    let values = (
        alert_rules::unhappy_on.eq(rule.unhappy_on),
        alert_rules::unhappy_percent.eq(rule.unhappy_percent),
        alert_rules::happy_on.eq(rule.happy_on),
        alert_rules::happy_percent.eq(rule.happy_percent),
        alert_rules::minutes.eq(rule.minutes),
        alert_rules::min_answers.eq(rule.min_answers),
        alert_rules::updated_at.eq(now),
    );
    let updated = diesel::update(alert_rules::table.find(location_id))
        .set(values)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(alert_rules::table)
            .values((alert_rules::location_id.eq(location_id), values))
            .execute(conn)?;
    }
    audit::note(conn, actor, "alert.rule", &location_id.to_string(), now)?;
    Ok(Ok(()))
}

/// Serialises decisions about one location's alerts.
fn lock_location(conn: &mut DbConnection, location_id: i64) -> AppResult<()> {
    match conn {
        // backend specific: SQLite has one writer at a time; its transaction
        // already excludes every other.
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Pg(pg) => {
            // NO KEY UPDATE: other transactions may still insert rows that
            // refer to the location (their foreign-key check takes KEY SHARE).
            locations::table
                .find(location_id)
                .select(locations::id)
                .for_no_key_update()
                .first::<i64>(pg)
                .optional()?;
            Ok(())
        }
    }
}

/// The start of the minute `at` falls in.
fn minute_of(at: NaiveDateTime) -> NaiveDateTime {
    at.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(at)
}

/// Counts one answer of `location` (a submission just stored, or one let
/// through from quarantine; `at` is when it arrived) and raises an alert when
/// the rule is met and nothing holds it back. Returns the new alert's id.
pub fn record(
    conn: &mut DbConnection,
    location: &Location,
    face: i16,
    at: NaiveDateTime,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Option<i64>> {
    let rule = rule(conn, location.id)?;
    lock_location(conn, location.id)?;
    let minute = minute_of(at);
    let unhappy = i32::from(Kind::Unhappy.counts(face));
    let happy = i32::from(Kind::Happy.counts(face));
    let bucket = alert_counts::table
        .filter(alert_counts::location_id.eq(location.id))
        .filter(alert_counts::minute.eq(minute));
    let bumped = diesel::update(bucket)
        .set((
            alert_counts::answers.eq(alert_counts::answers + 1),
            alert_counts::unhappy.eq(alert_counts::unhappy + unhappy),
            alert_counts::happy.eq(alert_counts::happy + happy),
        ))
        .execute(conn)?;
    if bumped == 0 {
        diesel::insert_into(alert_counts::table)
            .values((
                alert_counts::location_id.eq(location.id),
                alert_counts::minute.eq(minute),
                alert_counts::answers.eq(1),
                alert_counts::unhappy.eq(unhappy),
                alert_counts::happy.eq(happy),
            ))
            .execute(conn)?;
    }
    if !rule.unhappy_on && !rule.happy_on {
        return Ok(None);
    }
    let window_start = minute_of(now) - Duration::minutes(i64::from(rule.minutes - 1));
    let (answers, unhappy_n, happy_n): (Option<i64>, Option<i64>, Option<i64>) =
        alert_counts::table
            .filter(alert_counts::location_id.eq(location.id))
            .filter(alert_counts::minute.ge(window_start))
            .select((
                diesel::dsl::sum(alert_counts::answers),
                diesel::dsl::sum(alert_counts::unhappy),
                diesel::dsl::sum(alert_counts::happy),
            ))
            .first(conn)?;
    let answers = answers.unwrap_or(0);
    let mut raised = None;
    for (kind, percent) in rule.watched() {
        let matching = match kind {
            Kind::Unhappy => unhappy_n.unwrap_or(0),
            Kind::Happy => happy_n.unwrap_or(0),
        };
        let met = answers >= i64::from(rule.min_answers)
            && answers > 0
            && matching * 100 >= i64::from(percent) * answers;
        if !met {
            continue;
        }
        let latest: Option<(i64, Option<NaiveDateTime>, NaiveDateTime)> = alerts::table
            .filter(alerts::location_id.eq(location.id))
            .filter(alerts::kind.eq(kind.as_str()))
            .order(alerts::id.desc())
            .select((alerts::id, alerts::acknowledged_at, alerts::last_met_at))
            .first(conn)
            .optional()?;
        // Minutes, like the window: held until a whole window of minutes
        // after the last one in which the rule was met.
        let this_minute = minute_of(now);
        let holding = latest.filter(|(_, acknowledged, last_met)| {
            acknowledged.is_none()
                && this_minute < minute_of(*last_met) + Duration::minutes(i64::from(rule.minutes))
        });
        if let Some((id, _, last_met)) = holding {
            // Once a minute is enough: a burst writes its alert row once a
            // minute, not once per answer.
            if minute_of(last_met) < this_minute {
                diesel::update(alerts::table.find(id))
                    .set(alerts::last_met_at.eq(now))
                    .execute(conn)?;
            }
            continue;
        }
        // Only an answer of the burst's own kind raises it.
        if !kind.counts(face) {
            continue;
        }
        let counts = Counts {
            window_start,
            minutes: rule.minutes,
            answers: to_i32(answers),
            matching: to_i32(matching),
            percent,
        };
        raised = Some(raise(conn, location, kind, &counts, mail, now)?);
    }
    Ok(raised)
}

fn to_i32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The window of an alert as it fired.
struct Counts {
    window_start: NaiveDateTime,
    minutes: i32,
    answers: i32,
    matching: i32,
    percent: i32,
}

fn raise(
    conn: &mut DbConnection,
    location: &Location,
    kind: Kind,
    counts: &Counts,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let alert_id: i64 = diesel::insert_into(alerts::table)
        .values((
            alerts::location_id.eq(location.id),
            alerts::kind.eq(kind.as_str()),
            alerts::raised_at.eq(now),
            alerts::window_start.eq(counts.window_start),
            alerts::minutes.eq(counts.minutes),
            alerts::answers.eq(counts.answers),
            alerts::matching.eq(counts.matching),
            alerts::percent.eq(counts.percent),
            alerts::last_met_at.eq(now),
        ))
        .returning(alerts::id)
        .get_result(conn)?;
    let ids: Vec<i64> = feedback::table
        .filter(feedback::location_id.eq(location.id))
        .filter(feedback::created_at.ge(counts.window_start))
        .filter(feedback::quarantine_reason.is_null())
        .order((feedback::created_at.desc(), feedback::id.desc()))
        .limit(MAX_LINKED)
        .select(feedback::id)
        .load(conn)?;
    for feedback_id in ids {
        diesel::insert_into(alert_answers::table)
            .values((
                alert_answers::alert_id.eq(alert_id),
                alert_answers::feedback_id.eq(feedback_id),
            ))
            .execute(conn)?;
    }
    let link = mail.link(&alerts_path(alert_id));
    let answers = counts.answers.to_string();
    let matching = counts.matching.to_string();
    let minutes = counts.minutes.to_string();
    let render = |lang: Lang| {
        BurstAlert {
            lang,
            location: &location.name,
            happy: kind == Kind::Happy,
            answers: &answers,
            matching: &matching,
            minutes: &minutes,
            link: &link,
        }
        .render()
    };
    let mut rendered: Vec<(Lang, crate::mail::templates::Rendered)> = Vec::new();
    for r in workflow::recipients(conn, Audience::Everyone)? {
        if !rendered.iter().any(|(l, _)| *l == r.lang) {
            rendered.push((r.lang, render(r.lang)));
        }
        let Some((_, body)) = rendered.iter().find(|(l, _)| *l == r.lang) else {
            continue;
        };
        let message_id = mail.new_message_id(MailKind::BurstAlert.as_str());
        let notice = NewMail {
            kind: MailKind::BurstAlert,
            ticket_id: None,
            ticket_message_id: None,
            recipient: &r.email,
            rendered: body,
            message_id: &message_id,
            in_reply_to: None,
            references: None,
        };
        outbox::enqueue(conn, &notice, now)?;
    }
    events::emit(conn, Event::AlertRaised { alert_id }, now)?;
    Ok(alert_id)
}

/// Where staff see an alert.
pub fn alerts_path(alert_id: i64) -> String {
    format!("/staff/alerts#alert-{alert_id}")
}

/// An alert as the staff page shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Alert {
    /// Row id.
    pub id: i64,
    /// The location's name.
    pub location: String,
    /// `unhappy` or `happy`.
    pub kind: String,
    /// When it fired.
    pub raised_at: NaiveDateTime,
    /// The window's length, in minutes.
    pub minutes: i32,
    /// Answers in the window.
    pub answers: i32,
    /// Answers of its kind among them.
    pub matching: i32,
    /// The rule's percentage.
    pub percent: i32,
    /// When it was acknowledged.
    pub acknowledged_at: Option<NaiveDateTime>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// What they said.
    pub ack_comment: Option<String>,
}

/// One answer linked to an alert.
#[derive(Debug, Clone, Queryable)]
pub struct LinkedAnswer {
    /// The alert.
    pub alert_id: i64,
    /// The face, 1–4.
    pub face: i16,
    /// The topic's names, if one was chosen.
    pub topic: Option<super::category::NamesRow>,
    /// The customer's text.
    pub message: Option<String>,
    /// When it arrived.
    pub created_at: NaiveDateTime,
    /// Its ticket, if it has one.
    pub ticket_id: Option<i64>,
}

/// The newest alerts, unacknowledged first.
pub fn list(conn: &mut DbConnection, limit: i64) -> AppResult<Vec<Alert>> {
    use crate::db::schema::users;
    Ok(alerts::table
        .inner_join(locations::table)
        .left_join(users::table.on(users::id.nullable().eq(alerts::acknowledged_by)))
        .order((alerts::acknowledged_at.is_not_null(), alerts::id.desc()))
        .limit(limit)
        .select((
            alerts::id,
            locations::name,
            alerts::kind,
            alerts::raised_at,
            alerts::minutes,
            alerts::answers,
            alerts::matching,
            alerts::percent,
            alerts::acknowledged_at,
            users::name.nullable(),
            alerts::ack_comment,
        ))
        .load(conn)?)
}

/// The answers linked to these alerts, newest first.
pub fn answers(conn: &mut DbConnection, alert_ids: &[i64]) -> AppResult<Vec<LinkedAnswer>> {
    use crate::db::schema::{categories, tickets};
    Ok(alert_answers::table
        .inner_join(feedback::table.left_join(categories::table))
        .left_join(tickets::table.on(tickets::feedback_id.eq(alert_answers::feedback_id)))
        .filter(alert_answers::alert_id.eq_any(alert_ids))
        .order((feedback::created_at.desc(), feedback::id.desc()))
        .select((
            alert_answers::alert_id,
            feedback::face,
            super::category::NAMES.nullable(),
            feedback::message,
            feedback::created_at,
            tickets::id.nullable(),
        ))
        .load(conn)?)
}

/// How many alerts wait for someone to acknowledge them.
pub fn unacknowledged(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(alerts::table
        .filter(alerts::acknowledged_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Acknowledges an alert with a comment; audited as `alert.acknowledge` with
/// the alert id. Returns `Ok(Ok(false))` for an unknown or already
/// acknowledged alert, and the field error for an over-long comment.
pub fn acknowledge(
    conn: &mut DbConnection,
    actor: Actor,
    alert_id: i64,
    comment: &str,
    now: NaiveDateTime,
) -> AppResult<Result<bool, Vec<FieldError>>> {
    let comment = super::optional_text(&super::without_controls(comment));
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        return Ok(Err(vec![
            FieldError::new("comment", "alert-error-comment").arg("max", MAX_COMMENT)
        ]));
    }
    let done = diesel::update(
        alerts::table
            .find(alert_id)
            .filter(alerts::acknowledged_at.is_null()),
    )
    .set((
        alerts::acknowledged_at.eq(now),
        alerts::acknowledged_by.eq(actor.user_id()),
        alerts::ack_comment.eq(&comment),
    ))
    .execute(conn)?;
    if done == 0 {
        return Ok(Ok(false));
    }
    audit::note(conn, actor, "alert.acknowledge", &alert_id.to_string(), now)?;
    Ok(Ok(true))
}

/// Forgets counters older than the longest window: nothing reads them.
pub fn prune_counts(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<usize> {
    let before = minute_of(now) - Duration::minutes(i64::from(*MINUTES.end()));
    Ok(
        diesel::delete(alert_counts::table.filter(alert_counts::minute.lt(before)))
            .execute(conn)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(percent: &str, minutes: &str, answers: &str) -> RuleInput {
        RuleInput {
            unhappy_on: "yes".into(),
            unhappy_percent: percent.into(),
            happy_on: String::new(),
            happy_percent: "80".into(),
            minutes: minutes.into(),
            min_answers: answers.into(),
        }
    }

    #[test]
    fn a_rule_is_checked_field_by_field() {
        let rule = validate(&input(" 50 ", "15", "4")).unwrap();
        assert_eq!(rule, Rule::DEFAULT);
        let errors = validate(&input("0", "241", "x")).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["unhappy_percent", "minutes", "min_answers"]);
        assert!(validate(&input("100", "240", "1000")).is_ok());
        assert!(validate(&input("101", "1", "1")).is_err());
    }

    #[test]
    fn faces_count_for_one_kind() {
        assert!(Kind::Unhappy.counts(2) && !Kind::Unhappy.counts(3));
        assert!(Kind::Happy.counts(3) && !Kind::Happy.counts(2));
    }

    #[test]
    fn minutes_start_at_zero_seconds() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_milli_opt(10, 14, 59, 999))
            .unwrap();
        assert_eq!(minute_of(at).to_string(), "2026-12-02 10:14:00");
    }
}
