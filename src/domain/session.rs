//! Staff sessions, kept server-side. The cookie holds a random token; the
//! database holds its hash, the user, a CSRF token and the expiry. A new
//! session (new id) is made at every login; logout deletes it, and a disabled
//! user's sessions stop working on their next request.

use super::user::User;
use crate::db::schema::{sessions, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::{hash_token, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// A logged-in staff member and their session.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// Session row id.
    pub id: i64,
    /// Token to put in every form of this session.
    pub csrf_token: String,
    /// Who is logged in.
    pub user: User,
}

/// Starts a session for a user; returns the cookie token.
pub fn start(
    conn: &mut DbConnection,
    user_id: i64,
    now: NaiveDateTime,
    lifetime_hours: u32,
) -> AppResult<String> {
    let token = random_token();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(hash_token(&token)),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(random_token()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(now + Duration::hours(i64::from(lifetime_hours))),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The live session for a cookie token, if it exists, has not expired and its
/// user is still active.
pub fn find(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Option<StaffSession>> {
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now))
        .filter(users::active.eq(true))
        .select((sessions::id, sessions::csrf_token, User::as_select()))
        .first::<(i64, String, User)>(conn)
        .optional()?;
    Ok(found.map(|(id, csrf_token, user)| StaffSession {
        id,
        csrf_token,
        user,
    }))
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

/// Ends every session of a user (disabling, password change).
pub fn end_all_for_user(conn: &mut DbConnection, user_id: i64) -> AppResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}
