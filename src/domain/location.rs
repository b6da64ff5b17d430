//! Locations: the shops a business runs. Each has a slug that appears in its
//! public form's address (`/f/{slug}`) and on its QR posters.

use super::FieldError;
use crate::db::schema::locations;
use crate::db::DbConnection;
use crate::error::AppResult;
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
