//! Staff sessions, kept server-side. The cookie holds a random token; the
//! database holds its hash, the user, a CSRF token, when it was last used and
//! its absolute expiry. A new session (new id) is made at every login; logout
//! deletes it; a disabled user's sessions, and a session unused for longer
//! than the idle timeout, stop working on their next request.
//!
//! A user with two-factor on first gets a *pending* session: it lives a few
//! minutes and is good for nothing but the code step, which replaces it with
//! a real one.

use super::user::User;
use crate::db::schema::{sessions, users};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::AppResult;
use crate::tokens::{hash_token, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long the step between password and code may take.
pub const SECOND_FACTOR_MINUTES: i64 = 10;

/// `last_seen_at` is written at most this often, so a busy page costs no write per request.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// A logged-in staff member and their session.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// Session row id.
    pub id: i64,
    /// Token to put in every form of this session.
    pub csrf_token: String,
    /// When the session was last used.
    pub last_seen_at: NaiveDateTime,
    /// Who is logged in.
    pub user: User,
    /// An owner who must set up two-factor before any other staff page works.
    pub must_enrol_totp: bool,
}

fn insert(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
    pending: bool,
) -> AppResult<String> {
    let token = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(expires_at),
            sessions::second_factor_pending.eq(pending),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Starts a full session for a user; returns the cookie token.
pub fn start(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    lifetime_hours: u32,
) -> AppResult<String> {
    let expires = now + Duration::hours(i64::from(lifetime_hours));
    insert(conn, user_id, now, expires, false)
}

/// After a correct password: a full session, or a pending one when the user
/// has two-factor on. Returns the cookie token and the page to go to next.
pub fn start_login(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    lifetime_hours: u32,
) -> AppResult<(String, &'static str)> {
    if super::totp::is_enabled(conn, user_id)? {
        let expires = now + Duration::minutes(SECOND_FACTOR_MINUTES);
        let token = insert(conn, user_id, now, expires, true)?;
        return Ok((token, "/staff/login/code"));
    }
    super::audit::record(conn, Actor::User(user_id), "account.login", None, "", now)?;
    Ok((start(conn, user_id, now, lifetime_hours)?, "/staff/inbox"))
}

/// After a right two-step code: the pending session ends, the login is
/// audited, and a full session starts (a new id). Returns its cookie token.
pub fn finish_two_step(
    conn: &mut DbConnection,
    pending_id: i64,
    user_id: i64,
    now: NaiveDateTime,
    lifetime_hours: u32,
) -> AppResult<String> {
    end(conn, pending_id)?;
    super::audit::note(conn, Actor::User(user_id), "account.login", "totp", now)?;
    start(conn, user_id, now, lifetime_hours)
}

/// The live session for a cookie token, if it exists, has passed every login
/// step, is within its lifetime and idle timeout, and its user is still active.
pub fn find(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    idle_minutes: u32,
) -> AppResult<Option<StaffSession>> {
    let idle_since = now - Duration::minutes(i64::from(idle_minutes));
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(idle_since))
        .filter(sessions::second_factor_pending.eq(false))
        .filter(users::active.eq(true))
        .select((
            sessions::id,
            sessions::csrf_token,
            sessions::last_seen_at,
            User::as_select(),
        ))
        .first::<(i64, String, NaiveDateTime, User)>(conn)
        .optional()?;
    let Some((id, csrf_token, last_seen_at, user)) = found else {
        return Ok(None);
    };
    let must_enrol_totp = super::totp::owner_must_enrol(conn, &user)?;
    Ok(Some(StaffSession {
        id,
        csrf_token,
        last_seen_at,
        user,
        must_enrol_totp,
    }))
}

/// Marks a session as used now (keeps it from idling out).
pub fn touch(conn: &mut DbConnection, session_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// The pending (password passed, code not yet) session for a cookie token:
/// its id and user, while it lasts and the user is active.
pub fn find_pending(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Option<(i64, User)>> {
    Ok(sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::second_factor_pending.eq(true))
        .filter(users::active.eq(true))
        .select((sessions::id, User::as_select()))
        .first::<(i64, User)>(conn)
        .optional()?)
}

/// Gives a session a new token (and CSRF token), so the old cookie stops
/// working; returns the new cookie token.
pub fn renew(conn: &mut DbConnection, session_id: i64, now: NaiveDateTime) -> AppResult<String> {
    let token = random_token();
    diesel::update(sessions::table.find(session_id))
        .set((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::csrf_token.eq(random_token()),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// Ends one session.
pub fn end(conn: &mut DbConnection, session_id: i64) -> AppResult<()> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)?;
    Ok(())
}

/// Ends the session a cookie token belongs to, if any.
pub fn end_by_token(conn: &mut DbConnection, token: &str) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(hash_token(token))))
        .execute(conn)?;
    Ok(())
}

/// Ends every session of a user (disabling, password reset).
pub fn end_all_for_user(conn: &mut DbConnection, user_id: i64) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// Ends every session of a user but one (password change from that session).
pub fn end_others(conn: &mut DbConnection, user_id: i64, keep: i64) -> AppResult<()> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)?;
    Ok(())
}
