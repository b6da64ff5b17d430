//! API keys: what the shop's other systems (a till, a BI tool) present to the
//! JSON API. A key is `tellus_` and 256 random bits, shown once when it is
//! made; only its SHA-256 is kept, with a short prefix to tell keys apart.
//! Each key carries scopes and, optionally, the locations it is limited to.
//! A revoked key stops working on its next request: every request looks the
//! key up, nothing is cached. Also here: the web origins allowed to call the
//! API from a browser (CORS; none listed: CORS off).

use super::audit::{self, Actor};
use super::FieldError;
use crate::db::schema::{api_cors_origins, api_key_locations, api_keys, locations, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::{hash_token, random_token};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What every key starts with, so a leaked one is recognisable.
pub const KEY_PREFIX: &str = "tellus_";
/// Characters of the key kept to show in lists (`tellus_` and five more).
const SHOWN_PREFIX: usize = 12;
/// Longest key name, in characters.
pub const MAX_NAME: usize = 100;
/// Longest allowed origin, in characters.
const MAX_ORIGIN: usize = 200;

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Create feedback, as the form or a kiosk would.
    FeedbackWrite,
    /// Read tickets and their timelines.
    TicketsRead,
    /// Reply, note, set status, assign, set priority.
    TicketsWrite,
    /// Read gifts.
    GiftsRead,
    /// Send and redeem gifts.
    GiftsWrite,
    /// Read the dashboard's figures.
    DashboardRead,
    /// Read the locations.
    LocationsRead,
    /// Manage webhook endpoints.
    WebhooksWrite,
}

impl Scope {
    /// Every scope, in the order the settings page lists them.
    pub const ALL: [Scope; 8] = [
        Scope::FeedbackWrite,
        Scope::TicketsRead,
        Scope::TicketsWrite,
        Scope::GiftsRead,
        Scope::GiftsWrite,
        Scope::DashboardRead,
        Scope::LocationsRead,
        Scope::WebhooksWrite,
    ];

    /// The scope's name, e.g. `tickets:read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::FeedbackWrite => "feedback:write",
            Scope::TicketsRead => "tickets:read",
            Scope::TicketsWrite => "tickets:write",
            Scope::GiftsRead => "gifts:read",
            Scope::GiftsWrite => "gifts:write",
            Scope::DashboardRead => "dashboard:read",
            Scope::LocationsRead => "locations:read",
            Scope::WebhooksWrite => "webhooks:write",
        }
    }

    /// Reads a scope's name.
    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// Reads stored or typed scope names (separated by spaces or commas);
/// unknown names are left out.
pub fn parse_scopes(text: &str) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter_map(Scope::parse)
        .collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// A key as the settings page and `tellus api-key list` show it.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// Row id (what `tellus api-key revoke` takes).
    pub id: i64,
    /// The owner's name for it, e.g. "Till at Main Street".
    pub name: String,
    /// The first characters of the key.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// The slugs of the locations it is limited to (empty: all).
    pub locations: Vec<String>,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// Who made it (None: the command line).
    pub created_by: Option<String>,
    /// When it was last used (to the minute).
    pub last_used_at: Option<NaiveDateTime>,
    /// When it was revoked.
    pub revoked_at: Option<NaiveDateTime>,
}

/// The live key behind a request.
#[derive(Debug, Clone)]
pub struct Authorised {
    /// Row id.
    pub id: i64,
    /// Its name (for the timeline and mails).
    pub name: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// The location ids it is limited to (empty: all).
    pub location_ids: Vec<i64>,
    /// When its use was last written down.
    pub last_used_at: Option<NaiveDateTime>,
}

impl Authorised {
    /// Whether it may do `scope`.
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Whether it may see objects of this location.
    pub fn sees(&self, location_id: i64) -> bool {
        self.location_ids.is_empty() || self.location_ids.contains(&location_id)
    }

    /// The actor for the audit log and the timeline.
    pub fn actor(&self) -> Actor {
        Actor::ApiKey(self.id)
    }

    /// The author of what it writes on a ticket.
    pub fn author(&self) -> audit::Author {
        audit::Author {
            actor: self.actor(),
            name: self.name.clone(),
        }
    }
}

/// What a new key is to be.
#[derive(Debug, Clone, Default)]
pub struct NewKey {
    /// Its name.
    pub name: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// Location slugs it is limited to (empty: all).
    pub locations: Vec<String>,
}

/// A key just made: the only moment the secret exists outside the caller.
#[derive(Debug, Clone)]
pub struct Made {
    /// Row id.
    pub id: i64,
    /// The key itself, to show once.
    pub key: String,
}

/// Makes a key: the name must be given, at least one scope chosen, and every
/// location must exist. Audited as `api.key_add`.
pub fn create(
    conn: &mut DbConnection,
    new: &NewKey,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Result<Made, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let name = new.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "api-key-name-missing"));
    } else if name.chars().count() > MAX_NAME {
        errors.push(FieldError::new("name", "api-key-name-long").arg("max", MAX_NAME));
    }
    if new.scopes.is_empty() {
        errors.push(FieldError::new("scopes", "api-key-scopes-missing"));
    }
    let mut location_ids = Vec::new();
    for slug in &new.locations {
        let found: Option<i64> = locations::table
            .filter(locations::slug.eq(slug))
            .select(locations::id)
            .first(conn)
            .optional()?;
        match found {
            Some(id) => location_ids.push(id),
            None => {
                errors.push(FieldError::new("locations", "api-key-location-unknown"));
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let key = format!("{KEY_PREFIX}{}", random_token());
    let mut scopes = new.scopes.clone();
    scopes.sort();
    scopes.dedup();
    let scopes_text = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let id: i64 = diesel::insert_into(api_keys::table)
        .values((
            api_keys::name.eq(name),
            api_keys::prefix.eq(&key[..SHOWN_PREFIX]),
            api_keys::key_hash.eq(hash_token(&key)),
            api_keys::scopes.eq(&scopes_text),
            api_keys::created_at.eq(now),
            api_keys::created_by.eq(actor.user_id()),
        ))
        .returning(api_keys::id)
        .get_result(conn)?;
    location_ids.sort_unstable();
    location_ids.dedup();
    for location_id in location_ids {
        diesel::insert_into(api_key_locations::table)
            .values((
                api_key_locations::api_key_id.eq(id),
                api_key_locations::location_id.eq(location_id),
            ))
            .execute(conn)?;
    }
    audit::note(
        conn,
        actor,
        "api.key_add",
        &format!("{name} ({scopes_text})"),
        now,
    )?;
    Ok(Ok(Made { id, key }))
}

/// Every key, newest first, revoked ones included.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<ApiKey>> {
    type Row = (
        i64,
        String,
        String,
        String,
        NaiveDateTime,
        Option<String>,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = api_keys::table
        .left_join(users::table.on(users::id.nullable().eq(api_keys::created_by)))
        .order(api_keys::id.desc())
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::prefix,
            api_keys::scopes,
            api_keys::created_at,
            users::name.nullable(),
            api_keys::last_used_at,
            api_keys::revoked_at,
        ))
        .load(conn)?;
    let limits: Vec<(i64, String)> = api_key_locations::table
        .inner_join(locations::table)
        .order(locations::slug.asc())
        .select((api_key_locations::api_key_id, locations::slug))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, prefix, scopes, created_at, created_by, last_used_at, revoked_at)| ApiKey {
                id,
                name,
                prefix,
                scopes: parse_scopes(&scopes),
                locations: limits
                    .iter()
                    .filter(|(key, _)| *key == id)
                    .map(|(_, slug)| slug.clone())
                    .collect(),
                created_at,
                created_by,
                last_used_at,
                revoked_at,
            },
        )
        .collect())
}

/// Revokes a key at once. False when there is no such live key. Audited as
/// `api.key_revoke`.
pub fn revoke(
    conn: &mut DbConnection,
    id: i64,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let name: Option<String> = api_keys::table
        .find(id)
        .filter(api_keys::revoked_at.is_null())
        .select(api_keys::name)
        .first(conn)
        .optional()?;
    let Some(name) = name else {
        return Ok(false);
    };
    diesel::update(api_keys::table.find(id))
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)?;
    audit::note(conn, actor, "api.key_revoke", &name, now)?;
    Ok(true)
}

/// The live key a request presents, if it is one: known and not revoked.
pub fn authenticate(conn: &mut DbConnection, key: &str) -> AppResult<Option<Authorised>> {
    // Keys are `tellus_` and 43 characters; anything else cannot match.
    if !key.starts_with(KEY_PREFIX) || key.len() > 100 {
        return Ok(None);
    }
    let found: Option<(i64, String, String, Option<NaiveDateTime>)> = api_keys::table
        .filter(api_keys::key_hash.eq(hash_token(key)))
        .filter(api_keys::revoked_at.is_null())
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::scopes,
            api_keys::last_used_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, name, scopes, last_used_at)) = found else {
        return Ok(None);
    };
    let location_ids = api_key_locations::table
        .filter(api_key_locations::api_key_id.eq(id))
        .select(api_key_locations::location_id)
        .load(conn)?;
    Ok(Some(Authorised {
        id,
        name,
        scopes: parse_scopes(&scopes),
        location_ids,
        last_used_at,
    }))
}

/// Writes down that a key was used now.
pub fn touch(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(api_keys::table.find(id))
        .set(api_keys::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// The origins allowed to call the API from a browser, sorted.
pub fn cors_origins(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    Ok(api_cors_origins::table
        .order(api_cors_origins::origin.asc())
        .select(api_cors_origins::origin)
        .load(conn)?)
}

/// Replaces the allowed origins with those in `text` (one per line, or
/// separated by spaces): each an `http(s)://host[:port]` origin, written the
/// way a browser sends it. Audited as `api.cors`.
pub fn set_cors_origins(
    conn: &mut DbConnection,
    text: &str,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Result<Vec<String>, FieldError>> {
    let mut origins = Vec::new();
    for raw in text.split_whitespace() {
        let origin = origin_of(raw).filter(|o| {
            o.as_str() == raw.trim_end_matches('/') && raw.chars().count() <= MAX_ORIGIN
        });
        match origin {
            Some(origin) => origins.push(origin),
            None => return Ok(Err(FieldError::new("origins", "api-cors-invalid"))),
        }
    }
    origins.sort();
    origins.dedup();
    diesel::delete(api_cors_origins::table).execute(conn)?;
    for origin in &origins {
        diesel::insert_into(api_cors_origins::table)
            .values((
                api_cors_origins::origin.eq(origin),
                api_cors_origins::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    audit::note(conn, actor, "api.cors", &origins.join(" "), now)?;
    Ok(Ok(origins))
}

/// The origin of an http(s) URL, as a browser serialises it in `Origin`.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(
            parse_scopes("tickets:read,feedback:write nonsense tickets:read"),
            vec![Scope::FeedbackWrite, Scope::TicketsRead]
        );
    }
}
