//! The business's workflow settings: when a resolved ticket closes by
//! itself, when a waiting customer gets a reminder, how long after resolution
//! the satisfaction survey goes out, and at which hour (in the business's
//! time zone) the daily digest is sent. Kept on row 1 of `business_profile`;
//! until an owner saves them, the defaults of the migration stand. Also who
//! among staff hears about workflow events ([`recipients`], [`tell_staff`]).

use super::audit::Actor;
use super::location::check_time_zone;
use super::user::Role;
use super::FieldError;
use crate::db::schema::{business_profile, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::templates::Rendered;
use crate::mail::MailContext;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Most days an owner may set for auto-close and reminders.
pub const MAX_DAYS: i32 = 365;
/// Most hours an owner may set for the survey delay (30 days).
pub const MAX_SURVEY_HOURS: i32 = 720;

/// The settings as the jobs use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowSettings {
    /// Days after resolution without a reply before a ticket closes; 0 = never.
    pub auto_close_days: i32,
    /// Days a ticket waits on the customer before one reminder; 0 = never.
    pub reminder_days: i32,
    /// Hours after resolution before the satisfaction survey (0 = at once).
    pub csat_delay_hours: i32,
    /// Hour of the day (0–23) of the daily digest, in `time_zone`.
    pub digest_hour: i32,
    /// IANA time zone of the business.
    pub time_zone: String,
}

impl Default for WorkflowSettings {
    fn default() -> WorkflowSettings {
        WorkflowSettings {
            auto_close_days: 7,
            reminder_days: 3,
            csat_delay_hours: 4,
            digest_hour: 8,
            time_zone: "Europe/Amsterdam".into(),
        }
    }
}

impl WorkflowSettings {
    /// The business's time zone (UTC if the stored name is unknown).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// What the owner typed (the settings form's fields).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct WorkflowInput {
    /// Auto-close after days.
    pub auto_close_days: String,
    /// Reminder after days.
    pub reminder_days: String,
    /// Survey after hours.
    pub csat_delay_hours: String,
    /// Digest hour.
    pub digest_hour: String,
    /// Time zone.
    pub time_zone: String,
}

impl WorkflowInput {
    /// The form's values for stored settings.
    pub fn from_settings(s: &WorkflowSettings) -> WorkflowInput {
        WorkflowInput {
            auto_close_days: s.auto_close_days.to_string(),
            reminder_days: s.reminder_days.to_string(),
            csat_delay_hours: s.csat_delay_hours.to_string(),
            digest_hour: s.digest_hour.to_string(),
            time_zone: s.time_zone.clone(),
        }
    }
}

/// The stored settings, or the defaults while none are saved.
pub fn get(conn: &mut DbConnection) -> AppResult<WorkflowSettings> {
    let row: Option<(i32, i32, i32, i32, String)> = business_profile::table
        .find(1_i64)
        .select((
            business_profile::auto_close_days,
            business_profile::reminder_days,
            business_profile::csat_delay_hours,
            business_profile::digest_hour,
            business_profile::time_zone,
        ))
        .first(conn)
        .optional()?;
    Ok(row
        .map(
            |(auto_close_days, reminder_days, csat_delay_hours, digest_hour, time_zone)| {
                WorkflowSettings {
                    auto_close_days,
                    reminder_days,
                    csat_delay_hours,
                    digest_hour,
                    time_zone,
                }
            },
        )
        .unwrap_or_default())
}

/// A whole number in `min..=max` typed into `field`.
fn number(field: &'static str, text: &str, min: i32, max: i32) -> Result<i32, FieldError> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            FieldError::new(field, "workflow-error-range")
                .arg("min", min)
                .arg("max", max)
        })
}

/// Checks every field at once.
pub fn validate(input: &WorkflowInput) -> Result<WorkflowSettings, Vec<FieldError>> {
    let auto_close = number("auto_close_days", &input.auto_close_days, 0, MAX_DAYS);
    let reminder = number("reminder_days", &input.reminder_days, 0, MAX_DAYS);
    let survey = number(
        "csat_delay_hours",
        &input.csat_delay_hours,
        0,
        MAX_SURVEY_HOURS,
    );
    let digest = number("digest_hour", &input.digest_hour, 0, 23);
    let time_zone = input.time_zone.trim();
    let zone = check_time_zone(time_zone);
    match (auto_close, reminder, survey, digest, zone) {
        (Ok(auto_close_days), Ok(reminder_days), Ok(csat_delay_hours), Ok(digest_hour), Ok(())) => {
            Ok(WorkflowSettings {
                auto_close_days,
                reminder_days,
                csat_delay_hours,
                digest_hour,
                time_zone: time_zone.to_owned(),
            })
        }
        (a, b, c, d, e) => Err([a.err(), b.err(), c.err(), d.err(), e.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

/// Saves checked settings, audited as `settings.workflow`; nothing is stored
/// when any field is wrong.
pub fn save(
    conn: &mut DbConnection,
    actor: Actor,
    input: &WorkflowInput,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let s = match validate(input) {
        Ok(s) => s,
        Err(errors) => return Ok(Err(errors)),
    };
    // A new time zone moves every local day's edges: the dashboard's
    // rollup is counted again.
    if get(conn)?.time_zone != s.time_zone {
        super::dashboard::clear(conn)?;
    }
    // Row 1 exists since the workflow migration. `updated_at` is left alone:
    // it versions the logo's address in mail.
    diesel::update(business_profile::table.find(1_i64))
        .set((
            business_profile::auto_close_days.eq(s.auto_close_days),
            business_profile::reminder_days.eq(s.reminder_days),
            business_profile::csat_delay_hours.eq(s.csat_delay_hours),
            business_profile::digest_hour.eq(s.digest_hour),
            business_profile::time_zone.eq(&s.time_zone),
        ))
        .execute(conn)?;
    super::audit::record(conn, actor, "settings.workflow", None, "", now)?;
    Ok(Ok(()))
}

/// Whom a workflow mail goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The active owners (everyone active when there is no active owner).
    Owners,
    /// Every active staff member and owner.
    Everyone,
    /// This user when active, else everyone.
    Assignee(Option<i64>),
}

/// A staff member or owner to mail, in their own language.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// User id.
    pub id: i64,
    /// Address.
    pub email: String,
    /// Their language.
    pub lang: Lang,
}

/// The active accounts an `audience` stands for.
pub fn recipients(conn: &mut DbConnection, audience: Audience) -> AppResult<Vec<Recipient>> {
    let rows: Vec<(i64, String, String, String)> = users::table
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select((users::id, users::email, users::role, users::language))
        .load(conn)?;
    let all: Vec<(Recipient, String)> = rows
        .into_iter()
        .map(|(id, email, role, language)| {
            let lang = Lang::from_code(&language).unwrap_or(Lang::Nl);
            (Recipient { id, email, lang }, role)
        })
        .collect();
    let chosen: Vec<Recipient> = match audience {
        Audience::Owners => all
            .iter()
            .filter(|(_, role)| Role::parse(role) == Some(Role::Owner))
            .map(|(r, _)| r.clone())
            .collect(),
        Audience::Assignee(Some(id)) => all
            .iter()
            .filter(|(r, _)| r.id == id)
            .map(|(r, _)| r.clone())
            .collect(),
        Audience::Assignee(None) | Audience::Everyone => Vec::new(),
    };
    if chosen.is_empty() {
        return Ok(all.into_iter().map(|(r, _)| r).collect());
    }
    Ok(chosen)
}

/// Queues one mail about a ticket to each account of `audience`, rendered
/// once per language; returns how many were queued.
pub fn tell_staff(
    conn: &mut DbConnection,
    ticket_id: i64,
    kind: MailKind,
    audience: Audience,
    render: impl Fn(Lang) -> Rendered,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let recipients = recipients(conn, audience)?;
    let mut rendered: Vec<(Lang, Rendered)> = Vec::new();
    for r in &recipients {
        if !rendered.iter().any(|(l, _)| *l == r.lang) {
            rendered.push((r.lang, render(r.lang)));
        }
        let Some((_, body)) = rendered.iter().find(|(l, _)| *l == r.lang) else {
            continue;
        };
        let message_id = mail.new_message_id(kind.as_str());
        let notice = NewMail::about_ticket(kind, ticket_id, &r.email, body, &message_id);
        outbox::enqueue(conn, &notice, now)?;
    }
    Ok(recipients.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(a: &str, r: &str, s: &str, d: &str, tz: &str) -> WorkflowInput {
        WorkflowInput {
            auto_close_days: a.into(),
            reminder_days: r.into(),
            csat_delay_hours: s.into(),
            digest_hour: d.into(),
            time_zone: tz.into(),
        }
    }

    #[test]
    fn checks_every_field() {
        let ok = validate(&input(" 7 ", "0", "4", "23", "UTC")).unwrap();
        assert_eq!(ok.auto_close_days, 7);
        assert_eq!(ok.reminder_days, 0);
        assert_eq!(ok.digest_hour, 23);
        let errors = validate(&input("-1", "x", "721", "24", "Mars/Base")).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "auto_close_days",
                "reminder_days",
                "csat_delay_hours",
                "digest_hour",
                "time_zone"
            ]
        );
    }
}
