//! Locations: the shops a business runs. Each has a slug that appears in its
//! public form's address (`/f/{slug}`) and on its QR posters.

use super::{sla, FieldError};
use crate::db::schema::locations;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A shop location.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = locations)]
pub struct Location {
    /// Internal id.
    pub id: i64,
    /// The part of the public form address after `/f/`.
    pub slug: String,
    /// The name customers see.
    pub name: String,
    /// IANA time zone for display and opening hours.
    pub time_zone: String,
    /// Language customers see first.
    pub default_language: String,
    /// Inactive locations take no feedback.
    pub active: bool,
    /// When it was added.
    pub created_at: NaiveDateTime,
    /// Street address shown on posters.
    pub address: String,
    /// Opening hours, one weekday per line (`mon 09:00-17:30`); empty = always open.
    pub opening_hours: String,
    /// SLA target for the first answer, in minutes of opening hours.
    pub first_response_minutes: i32,
    /// SLA target for the resolution, in minutes of opening hours.
    pub resolution_minutes: i32,
    /// The languages offered to customers, default first (`fr,nl`).
    pub languages: String,
}

impl Location {
    /// The language customers see first.
    pub fn default_lang(&self) -> Lang {
        Lang::from_code(&self.default_language).unwrap_or(Lang::Nl)
    }

    /// The languages offered to customers, the default first; never empty.
    pub fn offered(&self) -> Vec<Lang> {
        offered_languages(self.default_lang(), &self.languages)
    }

    /// The location's time zone (UTC if the stored name is unknown).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// Checks a slug: 2–60 lowercase letters, digits and inner dashes.
pub fn check_slug(slug: &str) -> Result<(), FieldError> {
    let ok = (2..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(FieldError::new("slug", "error-slug-invalid"))
    }
}

/// Checks a display name: 1–100 characters.
pub fn check_name(field: &'static str, name: &str) -> Result<(), FieldError> {
    let len = name.trim().chars().count();
    if (1..=100).contains(&len) {
        Ok(())
    } else {
        Err(FieldError::new(field, "error-name-required"))
    }
}

/// Adds a location after checking its slug and name; a taken slug is a field error.
pub fn create(
    conn: &mut DbConnection,
    slug: &str,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Location, FieldError>> {
    let slug = slug.trim().to_ascii_lowercase();
    if let Err(e) = check_slug(&slug).and_then(|_| check_name("location_name", name)) {
        return Ok(Err(e));
    }
    if find_by_slug(conn, &slug)?.is_some() {
        return Ok(Err(FieldError::new("slug", "error-slug-taken")));
    }
    // RETURNING with a `Selectable` is not available across backends: read it back.
    let id: i64 = diesel::insert_into(locations::table)
        .values((
            locations::slug.eq(&slug),
            locations::name.eq(name.trim()),
            locations::languages.eq(default_offer(Lang::Nl)),
            locations::created_at.eq(now),
        ))
        .returning(locations::id)
        .get_result(conn)?;
    let location = locations::table
        .find(id)
        .select(Location::as_select())
        .first(conn)?;
    Ok(Ok(location))
}

/// The location with this slug, active or not.
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> AppResult<Option<Location>> {
    Ok(locations::table
        .filter(locations::slug.eq(slug))
        .select(Location::as_select())
        .first(conn)
        .optional()?)
}

/// Every location, by name.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<Location>> {
    Ok(locations::table
        .order(locations::name.asc())
        .select(Location::as_select())
        .load(conn)?)
}

/// The weekdays as they appear in stored opening hours, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Languages a location's customers may see first.
pub const LANGUAGES: [&str; 4] = ["nl", "en", "fr", "de"];

/// The languages offered, from the stored list: the default first, then the
/// others in their stored order.
pub fn offered_languages(default: Lang, stored: &str) -> Vec<Lang> {
    let mut out = vec![default];
    out.extend(
        Lang::parse_list(stored)
            .into_iter()
            .filter(|l| *l != default),
    );
    out
}

/// The languages some location offers (the active ones, or every one when
/// none is active): what owners should write their texts in. Languages that
/// are some location's default come first; Dutch and English when there is
/// no location yet.
pub fn offered_anywhere(conn: &mut DbConnection) -> AppResult<Vec<Lang>> {
    let rows: Vec<(String, String, bool)> = locations::table
        .select((
            locations::default_language,
            locations::languages,
            locations::active,
        ))
        .load(conn)?;
    let any_active = rows.iter().any(|(_, _, active)| *active);
    let offers: Vec<Vec<Lang>> = rows
        .iter()
        .filter(|(_, _, active)| *active || !any_active)
        .map(|(default, list, _)| {
            offered_languages(Lang::from_code(default).unwrap_or(Lang::Nl), list)
        })
        .collect();
    if offers.is_empty() {
        return Ok(vec![Lang::Nl, Lang::En]);
    }
    let defaults = Lang::ALL
        .into_iter()
        .filter(|l| offers.iter().any(|o| o[0] == *l));
    let others = Lang::ALL
        .into_iter()
        .filter(|l| offers.iter().any(|o| o[1..].contains(l)));
    let mut out: Vec<Lang> = Vec::new();
    for lang in defaults.chain(others) {
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    Ok(out)
}

/// Languages typed as a list (`fr,nl`), in order, without repeats; the
/// first code we do not speak is the error. Never empty.
pub fn parse_languages(list: &str) -> Result<Vec<Lang>, String> {
    let mut out = Vec::new();
    for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let lang = Lang::ALL
            .into_iter()
            .find(|l| l.code() == code.to_ascii_lowercase())
            .ok_or_else(|| code.to_owned())?;
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    if out.is_empty() {
        return Err(list.to_owned());
    }
    Ok(out)
}

/// Sets the languages a location offers, the first its default.
pub fn offer_languages(conn: &mut DbConnection, id: i64, languages: &[Lang]) -> AppResult<()> {
    let Some(default) = languages.first() else {
        return Ok(());
    };
    diesel::update(locations::table.find(id))
        .set((
            locations::default_language.eq(default.code()),
            locations::languages.eq(Lang::list_code(languages)),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a new location offers unless told otherwise: its default language
/// and English (for visitors), or Dutch beside an English default.
pub fn default_offer(default: Lang) -> String {
    let second = if default == Lang::En {
        Lang::Nl
    } else {
        Lang::En
    };
    Lang::list_code(&[default, second])
}

/// What an owner types for a location. Opening hours are one field per
/// weekday (`09:00-17:30`), Monday first; see [`format_opening_hours`].
#[derive(Debug, Clone, Default)]
pub struct LocationInput {
    /// Name customers see.
    pub name: String,
    /// Part of the public address after `/f/`.
    pub slug: String,
    /// Street address.
    pub address: String,
    /// IANA time zone, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// `nl`, `en`, `fr` or `de`.
    pub default_language: String,
    /// The other languages offered to customers (codes); the default is
    /// always offered.
    pub languages: Vec<String>,
    /// Opening hours per weekday, Monday first; empty = closed that day.
    pub hours: [String; 7],
    /// SLA first-response target as `H:MM` of opening hours; empty = the default.
    pub first_response: String,
    /// SLA resolution target as `H:MM` of opening hours; empty = the default.
    pub resolution: String,
}

impl LocationInput {
    /// The form's values for an existing location.
    pub fn from_location(location: &Location) -> LocationInput {
        LocationInput {
            name: location.name.clone(),
            slug: location.slug.clone(),
            address: location.address.clone(),
            time_zone: location.time_zone.clone(),
            default_language: location.default_language.clone(),
            languages: location
                .offered()
                .into_iter()
                .map(|l| l.code().to_owned())
                .collect(),
            hours: parse_opening_hours(&location.opening_hours),
            first_response: sla::format_target(location.first_response_minutes),
            resolution: sla::format_target(location.resolution_minutes),
        }
    }
}

/// Checks an IANA time zone name against the chrono-tz database.
pub fn check_time_zone(time_zone: &str) -> Result<(), FieldError> {
    time_zone
        .parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| FieldError::new("time_zone", "owner-error-time-zone"))
}

/// Minutes after midnight of `HH:MM` (`H:MM` too); `24:00` is the end of the day.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// Normalises one day's hours (`9:00 - 17:30` → `09:00-17:30`); `None` when
/// it is not `HH:MM-HH:MM` with opening before closing.
pub fn normalise_day_hours(text: &str) -> Option<String> {
    let (open, close) = text.split_once('-')?;
    let (open, close) = (parse_clock(open)?, parse_clock(close)?);
    (open < close).then(|| {
        format!(
            "{:02}:{:02}-{:02}:{:02}",
            open / 60,
            open % 60,
            close / 60,
            close % 60
        )
    })
}

/// Turns the seven day fields into the stored text: one line per open day,
/// `mon 09:00-17:30`. An empty field means closed that day; all seven empty
/// stores an empty text, which means always open. Errors name the field
/// (`hours_mon` … `hours_sun`).
pub fn format_opening_hours(hours: &[String; 7]) -> Result<String, Vec<FieldError>> {
    const FIELDS: [&str; 7] = [
        "hours_mon",
        "hours_tue",
        "hours_wed",
        "hours_thu",
        "hours_fri",
        "hours_sat",
        "hours_sun",
    ];
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for ((day, field), value) in WEEKDAYS.iter().zip(FIELDS).zip(hours) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match normalise_day_hours(value) {
            Some(range) => lines.push(format!("{day} {range}")),
            None => errors.push(FieldError::new(field, "owner-error-hours")),
        }
    }
    if errors.is_empty() {
        Ok(lines.join("\n"))
    } else {
        Err(errors)
    }
}

/// The seven day fields of stored opening hours (unknown lines are ignored).
pub fn parse_opening_hours(text: &str) -> [String; 7] {
    let mut hours: [String; 7] = Default::default();
    for line in text.lines() {
        if let Some((day, range)) = line.trim().split_once(' ') {
            if let Some(i) = WEEKDAYS.iter().position(|d| *d == day) {
                hours[i] = range.trim().to_owned();
            }
        }
    }
    hours
}

/// A checked location, ready to store: its fields are the columns it sets.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = locations)]
struct Valid {
    name: String,
    slug: String,
    address: String,
    time_zone: String,
    default_language: String,
    languages: String,
    opening_hours: String,
    first_response_minutes: i32,
    resolution_minutes: i32,
}

/// Reads one SLA target field; empty gives `default`.
fn target(field: &'static str, text: &str, default: i32) -> Result<i32, FieldError> {
    if text.trim().is_empty() {
        return Ok(default);
    }
    sla::parse_target(text).ok_or_else(|| {
        FieldError::new(field, "sla-error-target")
            .arg("max", sla::format_target(sla::MAX_TARGET_MINUTES))
    })
}

/// Checks every field at once, so the form shows all mistakes together.
fn validate(input: &LocationInput) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let slug = input.slug.trim().to_ascii_lowercase();
    if let Err(e) = check_name("name", &input.name) {
        errors.push(e);
    }
    if let Err(e) = check_slug(&slug) {
        errors.push(e);
    }
    let address = input.address.trim();
    if address.chars().count() > 200 {
        errors.push(FieldError::new("address", "owner-error-address").arg("max", 200));
    }
    let time_zone = input.time_zone.trim();
    if let Err(e) = check_time_zone(time_zone) {
        errors.push(e);
    }
    let default = Lang::from_code(&input.default_language)
        .filter(|_| LANGUAGES.contains(&input.default_language.as_str()));
    if default.is_none() {
        errors.push(FieldError::new("default_language", "owner-error-language"));
    }
    if input
        .languages
        .iter()
        .any(|code| !LANGUAGES.contains(&code.as_str()))
    {
        errors.push(FieldError::new("languages", "owner-error-language"));
    }
    let languages = Lang::list_code(&offered_languages(
        default.unwrap_or(Lang::Nl),
        &input.languages.join(","),
    ));
    let opening_hours = format_opening_hours(&input.hours).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        String::new()
    });
    let (first_default, resolution_default) = sla::DEFAULT_TARGETS;
    let first = target("first_response", &input.first_response, first_default);
    let resolution = target("resolution", &input.resolution, resolution_default);
    let (first_response_minutes, resolution_minutes) = match (first, resolution) {
        (Ok(f), Ok(r)) if f > r => {
            errors.push(FieldError::new("resolution", "sla-error-order"));
            (f, r)
        }
        (Ok(f), Ok(r)) => (f, r),
        (f, r) => {
            errors.extend([f.err(), r.err()].into_iter().flatten());
            sla::DEFAULT_TARGETS
        }
    };
    if errors.is_empty() {
        Ok(Valid {
            name: input.name.trim().to_owned(),
            slug,
            address: address.to_owned(),
            time_zone: time_zone.to_owned(),
            default_language: input.default_language.clone(),
            languages,
            opening_hours,
            first_response_minutes,
            resolution_minutes,
        })
    } else {
        Err(errors)
    }
}

/// The location with this id.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Location>> {
    Ok(locations::table
        .find(id)
        .select(Location::as_select())
        .first(conn)
        .optional()?)
}

/// Whether another location than `except` uses `slug`.
fn slug_taken(conn: &mut DbConnection, slug: &str, except: Option<i64>) -> AppResult<bool> {
    Ok(find_by_slug(conn, slug)?.is_some_and(|l| Some(l.id) != except))
}

/// The input checked, with a slug no location but `except` uses.
fn check(
    conn: &mut DbConnection,
    input: &LocationInput,
    except: Option<i64>,
) -> AppResult<Result<Valid, Vec<FieldError>>> {
    let valid = match validate(input) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    if slug_taken(conn, &valid.slug, except)? {
        return Ok(Err(vec![FieldError::new("slug", "error-slug-taken")]));
    }
    Ok(Ok(valid))
}

/// Adds a location with all its details; mistakes (a taken slug too) come back as field errors.
pub fn add(
    conn: &mut DbConnection,
    input: &LocationInput,
    now: NaiveDateTime,
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let valid = match check(conn, input, None)? {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let id: i64 = diesel::insert_into(locations::table)
        .values((&valid, locations::created_at.eq(now)))
        .returning(locations::id)
        .get_result(conn)?;
    Ok(Ok(id))
}

/// Changes a location's details; a slug another location uses is refused.
/// `Ok(Ok(false))` when there is no such location.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    input: &LocationInput,
) -> AppResult<Result<bool, Vec<FieldError>>> {
    let valid = match check(conn, input, Some(id))? {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let changed = diesel::update(locations::table.find(id))
        .set(&valid)
        .execute(conn)?;
    Ok(Ok(changed == 1))
}

/// Opens or closes a location to feedback; `false` when there is no such location.
pub fn set_active(conn: &mut DbConnection, id: i64, active: bool) -> AppResult<bool> {
    let changed = diesel::update(locations::table.find(id))
        .set(locations::active.eq(active))
        .execute(conn)?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(days: [&str; 7]) -> [String; 7] {
        days.map(str::to_owned)
    }

    #[test]
    fn opening_hours_round_trip() {
        let hours = week([
            "9:00-17:30",
            " 09:00 - 17:30 ",
            "",
            "",
            "",
            "10:00-24:00",
            "",
        ]);
        let text = format_opening_hours(&hours).unwrap();
        assert_eq!(text, "mon 09:00-17:30\ntue 09:00-17:30\nsat 10:00-24:00");
        let back = parse_opening_hours(&text);
        assert_eq!(back[0], "09:00-17:30");
        assert_eq!(back[2], "");
        assert_eq!(back[5], "10:00-24:00");
        assert_eq!(format_opening_hours(&back).unwrap(), text);
    }

    #[test]
    fn all_empty_means_always_open() {
        assert_eq!(format_opening_hours(&Default::default()).unwrap(), "");
        assert_eq!(parse_opening_hours(""), <[String; 7]>::default());
    }

    #[test]
    fn bad_hours_name_their_day() {
        let hours = week([
            "17:00-09:00",
            "",
            "9-17",
            "25:00-26:00",
            "",
            "",
            "09:60-10:00",
        ]);
        let errors = format_opening_hours(&hours).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["hours_mon", "hours_wed", "hours_thu", "hours_sun"]);
        assert_eq!(normalise_day_hours("09:00-09:00"), None);
        assert_eq!(normalise_day_hours("24:00-24:30"), None);
        assert_eq!(normalise_day_hours("+9:00-17:00"), None);
    }

    #[test]
    fn time_zones_from_the_iana_database() {
        assert!(check_time_zone("Europe/Amsterdam").is_ok());
        assert!(check_time_zone("UTC").is_ok());
        assert!(check_time_zone("Europe/Atlantis").is_err());
        assert!(check_time_zone("").is_err());
    }
}

/// Whether a location is open at `now` (UTC), by its opening hours in its own
/// time zone. No hours at all means always open; a day without hours is closed.
pub fn is_open(location: &Location, now: chrono::NaiveDateTime) -> bool {
    use chrono::{Datelike, TimeZone, Timelike};
    if location.opening_hours.trim().is_empty() {
        return true;
    }
    let tz: chrono_tz::Tz = location.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let local = tz.from_utc_datetime(&now);
    let day = local.weekday().num_days_from_monday() as usize;
    let minute = local.hour() * 60 + local.minute();
    let hours = parse_opening_hours(&location.opening_hours);
    day_minutes(&hours[day]).is_some_and(|(open, close)| open <= minute && minute < close)
}

/// One day's stored hours (`09:00-17:30`) as minutes after local midnight:
/// `None` when closed (no hours, or closing before opening). Hours that
/// cannot be read count as open all day, so a typo never hides the shop.
pub fn day_minutes(text: &str) -> Option<(u32, u32)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text
        .split_once('-')
        .map(|(open, close)| (parse_clock(open), parse_clock(close)))
    {
        Some((Some(open), Some(close))) if open < close => Some((open, close)),
        Some((Some(_), Some(_))) => None,
        _ => Some((0, 24 * 60)),
    }
}

#[cfg(test)]
mod opening_tests {
    use super::*;
    use chrono::NaiveDate;

    fn shop(hours: &str) -> Location {
        Location {
            id: 1,
            slug: "shop".into(),
            name: "Shop".into(),
            time_zone: "Europe/Amsterdam".into(),
            default_language: "nl".into(),
            languages: "nl,en".into(),
            active: true,
            created_at: NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            address: String::new(),
            opening_hours: hours.into(),
            first_response_minutes: 120,
            resolution_minutes: 960,
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn hours_in_the_shops_own_time_zone() {
        let s = shop("mon 09:00-17:30\nsat 10:00-16:00");
        // Monday 23 Nov 2026, 08:30 UTC = 09:30 in Amsterdam (winter time).
        assert!(is_open(&s, utc(2026, 11, 23, 8, 30)));
        // 07:59 UTC = 08:59 local: not yet.
        assert!(!is_open(&s, utc(2026, 11, 23, 7, 59)));
        // 16:30 UTC = 17:30 local: just closed.
        assert!(!is_open(&s, utc(2026, 11, 23, 16, 30)));
        // Tuesday has no hours: closed all day.
        assert!(!is_open(&s, utc(2026, 11, 24, 12, 0)));
        // Summer time: Saturday 4 Jul 2026 08:30 UTC = 10:30 local.
        assert!(is_open(&s, utc(2026, 7, 4, 8, 30)));
    }

    #[test]
    fn no_hours_means_always_open() {
        assert!(is_open(&shop(""), utc(2026, 11, 24, 3, 0)));
    }
}
