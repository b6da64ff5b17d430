//! Kiosks: shop tablets paired to one location. An owner makes a one-time
//! pairing code (10 minutes); the tablet trades it for a device token (only
//! its hash is stored) that can submit feedback for that location and read
//! nothing. The location always comes from the device, never from the request.
//! A revoked kiosk stops working on its next request.

use crate::db::schema::{kiosk_devices, kiosk_pairing_codes, kiosk_submissions, locations};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::{hash_token, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::OsRng;
use rand::Rng;

/// How long a pairing code works.
pub const PAIRING_MINUTES: i64 = 10;
/// Shortest time between two customers' taps; the kiosk screen ignores faster
/// ones (a second customer cannot start sooner than this).
pub const MIN_TAP_INTERVAL_MS: i64 = 1500;
/// Submissions one kiosk may send per minute before the rest go to
/// quarantine. Generous enough for a queue sent after the Wi-Fi comes back,
/// far below what a script tapping the screen would produce.
pub const MAX_TAPS_PER_MINUTE: u32 = 20;

/// Letters for pairing codes: read off one screen and typed on another.
const CODE_LETTERS: &[u8] = b"346789ACDEFGHJKLMNPQRTUVWXY";

/// A paired tablet.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = kiosk_devices)]
pub struct Device {
    /// Internal id.
    pub id: i64,
    /// The location it is bound to.
    pub location_id: i64,
    /// Owner's name for it, e.g. "Counter tablet".
    pub name: String,
    /// When it was paired.
    pub created_at: NaiveDateTime,
    /// Last submission or heartbeat.
    pub last_seen_at: Option<NaiveDateTime>,
    /// When an owner revoked it.
    pub revoked_at: Option<NaiveDateTime>,
}

/// Normalises a typed code: uppercase, no spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Makes a pairing code for an active location; returns it as shown
/// (`XXXX-XXXX`), or `None` when there is no such active location.
pub fn create_pairing_code(
    conn: &mut DbConnection,
    location_id: i64,
    name: &str,
    now: NaiveDateTime,
) -> AppResult<Option<String>> {
    if !super::location::find(conn, location_id)?.is_some_and(|l| l.active) {
        return Ok(None);
    }
    let mut rng = OsRng;
    let raw: String = (0..8)
        .map(|_| CODE_LETTERS[rng.gen_range(0..CODE_LETTERS.len())] as char)
        .collect();
    let name = name.trim();
    let name = if name.is_empty() { "Kiosk" } else { name };
    diesel::insert_into(kiosk_pairing_codes::table)
        .values((
            kiosk_pairing_codes::location_id.eq(location_id),
            kiosk_pairing_codes::name.eq(name.chars().take(60).collect::<String>()),
            kiosk_pairing_codes::code_hash.eq(hash_token(&raw)),
            kiosk_pairing_codes::created_at.eq(now),
            kiosk_pairing_codes::expires_at.eq(now + Duration::minutes(PAIRING_MINUTES)),
        ))
        .execute(conn)?;
    Ok(Some(format!("{}-{}", &raw[..4], &raw[4..])))
}

/// Trades a pairing code for a device token, once, before it expires.
pub fn pair(conn: &mut DbConnection, code: &str, now: NaiveDateTime) -> AppResult<Option<String>> {
    let found = kiosk_pairing_codes::table
        .filter(kiosk_pairing_codes::code_hash.eq(hash_token(&normalise_code(code))))
        .filter(kiosk_pairing_codes::used_at.is_null())
        .filter(kiosk_pairing_codes::expires_at.gt(now))
        .select((
            kiosk_pairing_codes::id,
            kiosk_pairing_codes::location_id,
            kiosk_pairing_codes::name,
        ))
        .first::<(i64, i64, String)>(conn)
        .optional()?;
    let Some((code_id, location_id, name)) = found else {
        return Ok(None);
    };
    // Marking it used only if still unused makes a race between two tablets safe.
    let claimed = diesel::update(
        kiosk_pairing_codes::table
            .find(code_id)
            .filter(kiosk_pairing_codes::used_at.is_null()),
    )
    .set(kiosk_pairing_codes::used_at.eq(now))
    .execute(conn)?;
    if claimed != 1 {
        return Ok(None);
    }
    let token = random_token();
    diesel::insert_into(kiosk_devices::table)
        .values((
            kiosk_devices::location_id.eq(location_id),
            kiosk_devices::name.eq(name),
            kiosk_devices::token_hash.eq(hash_token(&token)),
            kiosk_devices::created_at.eq(now),
            kiosk_devices::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(token))
}

/// The device a cookie token belongs to (revoked ones too: they get a screen saying so).
pub fn device_for_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<Device>> {
    if token.is_empty() || token.len() > 64 {
        return Ok(None);
    }
    Ok(kiosk_devices::table
        .filter(kiosk_devices::token_hash.eq(hash_token(token)))
        .select(Device::as_select())
        .first(conn)
        .optional()?)
}

/// Notes that a kiosk is alive.
pub fn seen(conn: &mut DbConnection, device_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(kiosk_devices::table.find(device_id))
        .set(kiosk_devices::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Records which kiosk a submission came from.
pub fn record_submission(
    conn: &mut DbConnection,
    feedback_id: i64,
    device_id: i64,
) -> AppResult<()> {
    diesel::insert_into(kiosk_submissions::table)
        .values((
            kiosk_submissions::feedback_id.eq(feedback_id),
            kiosk_submissions::device_id.eq(device_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// A kiosk as owners see it.
#[derive(Debug, Clone, Queryable)]
pub struct DeviceRow {
    /// Device id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its location's name.
    pub location: String,
    /// Last seen.
    pub last_seen_at: Option<NaiveDateTime>,
    /// Revoked at.
    pub revoked_at: Option<NaiveDateTime>,
}

/// Every kiosk, newest first.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<DeviceRow>> {
    Ok(kiosk_devices::table
        .inner_join(locations::table)
        .order(kiosk_devices::id.desc())
        .select((
            kiosk_devices::id,
            kiosk_devices::name,
            locations::name,
            kiosk_devices::last_seen_at,
            kiosk_devices::revoked_at,
        ))
        .load(conn)?)
}

/// Revokes a kiosk: its next request shows the "not active" screen.
pub fn revoke(conn: &mut DbConnection, device_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        kiosk_devices::table
            .find(device_id)
            .filter(kiosk_devices::revoked_at.is_null()),
    )
    .set(kiosk_devices::revoked_at.eq(now))
    .execute(conn)?;
    Ok(())
}
