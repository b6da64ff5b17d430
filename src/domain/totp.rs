//! Two-factor sign-in with an authenticator app: TOTP as in RFC 6238 (HMAC-SHA-1,
//! 30-second steps, 6 digits, one step of clock drift either way). A code is
//! accepted once: the last accepted step is stored and only later steps pass.
//! The owner can make it mandatory for owners (`business_profile.owner_totp_required`).
//!
//! The secret must be readable to check codes, so it cannot be hashed; it is
//! stored sealed with the server's key (XOR with an HMAC-derived pad under a
//! random nonce), so a copy of the database alone does not give it away.

use super::user::User;
use crate::db::schema::{business_profile, totp_credentials};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use data_encoding::BASE32_NOPAD;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha1::Sha1;

use crate::tokens::Signer;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

/// A fresh secret: 160 bits from the OS RNG (RFC 4226's recommended length), base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

const SEAL_PURPOSE: &str = "totp-secret";

fn pad(signer: &Signer, nonce: &str) -> Option<Vec<u8>> {
    data_encoding::BASE64URL_NOPAD
        .decode(signer.derive(SEAL_PURPOSE, nonce).as_bytes())
        .ok()
}

/// The stored form of a base32 secret: `nonce.sealed`, both base32.
pub fn seal(signer: &Signer, secret: &str) -> Option<String> {
    let plain = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let nonce = BASE32_NOPAD.encode(&nonce);
    let pad = pad(signer, &nonce)?;
    // The pad (32 bytes) is longer than any secret we make (20 bytes).
    if plain.len() > pad.len() {
        return None;
    }
    let sealed: Vec<u8> = plain.iter().zip(&pad).map(|(a, b)| a ^ b).collect();
    Some(format!("{nonce}.{}", BASE32_NOPAD.encode(&sealed)))
}

/// The base32 secret inside a stored `nonce.sealed`.
pub fn unseal(signer: &Signer, stored: &str) -> Option<String> {
    let (nonce, sealed) = stored.split_once('.')?;
    let sealed = BASE32_NOPAD.decode(sealed.as_bytes()).ok()?;
    let pad = pad(signer, nonce)?;
    let plain: Vec<u8> = sealed.iter().zip(&pad).map(|(a, b)| a ^ b).collect();
    Some(BASE32_NOPAD.encode(&plain))
}

/// The 30-second step a moment falls in.
pub fn step_of(now: NaiveDateTime) -> i64 {
    now.and_utc().timestamp().div_euclid(STEP_SECONDS)
}

/// The code for a base32 secret at a step (RFC 4226 dynamic truncation); None
/// for a secret that is not base32.
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    ))
}

/// The step within ±1 of `now` whose code is `code`, if any and later than `after`.
pub fn matching_step(secret: &str, code: &str, now: NaiveDateTime, after: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let current = step_of(now);
    (current - 1..=current + 1)
        .filter(|step| *step > after)
        .find(|step| {
            code_at(secret, *step).is_some_and(|expected| {
                // Constant-time over the six digits.
                expected
                    .bytes()
                    .zip(code.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
            })
        })
}

/// The `otpauth://` link an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

/// Whether a user has two-factor on.
pub fn is_enabled(conn: &mut DbConnection, user_id: i64) -> AppResult<bool> {
    Ok(
        diesel::select(diesel::dsl::exists(totp_credentials::table.find(user_id)))
            .get_result(conn)?,
    )
}

/// The ids of every user with two-factor on.
pub fn enabled_user_ids(conn: &mut DbConnection) -> AppResult<Vec<i64>> {
    Ok(totp_credentials::table
        .select(totp_credentials::user_id)
        .load(conn)?)
}

/// Whether owners must use two-factor.
pub fn required_for_owners(conn: &mut DbConnection) -> AppResult<bool> {
    Ok(business_profile::table
        .find(1_i64)
        .select(business_profile::owner_totp_required)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// Whether this user is an owner who must set up two-factor before anything else.
pub fn owner_must_enrol(conn: &mut DbConnection, user: &User) -> AppResult<bool> {
    Ok(user.is_owner() && required_for_owners(conn)? && !is_enabled(conn, user.id)?)
}

/// Checks a code at login or to turn two-factor off, and uses it up. False
/// for a wrong, stale or already used code, or a user without two-factor.
pub fn check_code(
    conn: &mut DbConnection,
    signer: &Signer,
    user_id: i64,
    code: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let stored = totp_credentials::table
        .find(user_id)
        .select((totp_credentials::secret, totp_credentials::last_step))
        .first::<(String, i64)>(conn)
        .optional()?;
    let Some((stored, last_step)) = stored else {
        return Ok(false);
    };
    let Some(secret) = unseal(signer, &stored) else {
        return Ok(false);
    };
    let Some(step) = matching_step(&secret, code, now, last_step) else {
        return Ok(false);
    };
    // Only moves forward, so two requests racing with one code cannot both pass.
    let updated = diesel::update(
        totp_credentials::table
            .find(user_id)
            .filter(totp_credentials::last_step.lt(step)),
    )
    .set(totp_credentials::last_step.eq(step))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Turns two-factor on with a secret the user's app now shows `code` for.
/// False when the code does not match, or when two-factor is already on
/// (nothing stored: replacing an authenticator takes turning it off first,
/// which needs the password and a current code).
pub fn enable(
    conn: &mut DbConnection,
    signer: &Signer,
    user_id: i64,
    secret: &str,
    code: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    if is_enabled(conn, user_id)? {
        return Ok(false);
    }
    let Some(step) = matching_step(secret, code, now, i64::MIN) else {
        return Ok(false);
    };
    let sealed = seal(signer, secret)
        .ok_or_else(|| crate::error::AppError::internal("two-factor secret cannot be sealed"))?;
    diesel::insert_into(totp_credentials::table)
        .values((
            totp_credentials::user_id.eq(user_id),
            totp_credentials::secret.eq(&sealed),
            totp_credentials::last_step.eq(step),
            totp_credentials::enabled_at.eq(now),
        ))
        .execute(conn)?;
    super::audit::record(conn, Actor::User(user_id), "account.totp_on", None, "", now)?;
    Ok(true)
}

/// Turns two-factor off (the caller has checked the password and a code).
pub fn disable(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::delete(totp_credentials::table.find(user_id)).execute(conn)?;
    super::audit::note(conn, Actor::User(user_id), "account.totp_off", "", now)?;
    Ok(())
}

/// Makes two-factor mandatory for owners, or optional again.
pub fn set_required_for_owners(
    conn: &mut DbConnection,
    actor_id: i64,
    required: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    // Row 1 exists since the workflow migration.
    diesel::update(business_profile::table.find(1_i64))
        .set(business_profile::owner_totp_required.eq(required))
        .execute(conn)?;
    let detail = if required { "required" } else { "optional" };
    super::audit::note(
        conn,
        Actor::User(actor_id),
        "account.totp_policy",
        detail,
        now,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (the key "12345678901234567890"), last six digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        for (time, code) in [
            (59_i64, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(&secret, time / 30).as_deref(), Some(code), "{time}");
        }
    }

    #[test]
    fn sealed_secrets_open_only_with_the_key() {
        let signer = Signer::new(b"0123456789abcdef0123456789abcdef");
        let secret = new_secret();
        let stored = seal(&signer, &secret).unwrap();
        assert!(!stored.contains(&secret));
        assert_ne!(
            seal(&signer, &secret).unwrap(),
            stored,
            "a fresh nonce each time"
        );
        assert_eq!(unseal(&signer, &stored).as_deref(), Some(secret.as_str()));
        let other = Signer::new(b"another key, also long enough...");
        assert_ne!(unseal(&other, &stored).as_deref(), Some(secret.as_str()));
    }

    #[test]
    fn one_step_of_drift_and_no_reuse() {
        let secret = new_secret();
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap()
            .naive_utc();
        let step = step_of(now);
        let previous = code_at(&secret, step - 1).unwrap();
        assert_eq!(matching_step(&secret, &previous, now, 0), Some(step - 1));
        assert_eq!(matching_step(&secret, &previous, now, step - 1), None);
        let old = code_at(&secret, step - 2).unwrap();
        assert_eq!(matching_step(&secret, &old, now, 0), None);
        assert_eq!(matching_step(&secret, "12345", now, 0), None);
    }
}
