//! First run: while no owner exists, a one-time setup link lets the owner create
//! their account and the first location. The link dies when it is used, and
//! setting up is refused once any owner exists.

use super::location::{self, Location};
use super::user::{self, NewUser, Role, User};
use super::FieldError;
use crate::db::schema::setup_tokens;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::{hash_token, random_token};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A new setup token when no owner exists yet (replacing older ones), else `None`.
pub fn issue_link_token(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Option<String>> {
    if user::owner_exists(conn)? {
        diesel::delete(setup_tokens::table).execute(conn)?;
        return Ok(None);
    }
    let token = random_token();
    diesel::delete(setup_tokens::table).execute(conn)?;
    diesel::insert_into(setup_tokens::table)
        .values((
            setup_tokens::token_hash.eq(hash_token(&token)),
            setup_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(token))
}

/// Ends first-run setup: the link stops working (an owner exists now).
pub fn close(conn: &mut DbConnection) -> AppResult<()> {
    diesel::delete(setup_tokens::table).execute(conn)?;
    Ok(())
}

/// Whether a setup token is valid now.
pub fn token_is_valid(conn: &mut DbConnection, token: &str) -> AppResult<bool> {
    if user::owner_exists(conn)? {
        return Ok(false);
    }
    Ok(diesel::select(diesel::dsl::exists(
        setup_tokens::table.filter(setup_tokens::token_hash.eq(hash_token(token))),
    ))
    .get_result(conn)?)
}

/// What a setup link is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// It works: no owner yet, and it is the link printed at start.
    Valid,
    /// Setup is done: an owner exists, so every setup link is spent.
    Used,
    /// No owner yet, but this is not the link printed at start.
    Unknown,
}

/// Whether a setup link works, was used, or never existed.
pub fn link_state(conn: &mut DbConnection, token: &str) -> AppResult<LinkState> {
    if user::owner_exists(conn)? {
        return Ok(LinkState::Used);
    }
    Ok(if token_is_valid(conn, token)? {
        LinkState::Valid
    } else {
        LinkState::Unknown
    })
}

/// What the setup form asks for.
pub struct SetupForm {
    /// Owner's name.
    pub name: String,
    /// Owner's email address.
    pub email: String,
    /// First location's name.
    pub location_name: String,
    /// First location's slug.
    pub slug: String,
}

/// Creates the owner and the first location and burns the token, all or nothing.
/// `Ok(None)` when the token is no longer valid.
pub fn complete(
    conn: &mut DbConnection,
    token: &str,
    form: &SetupForm,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Option<Result<(User, Location), FieldError>>> {
    if !token_is_valid(conn, token)? {
        return Ok(None);
    }
    // Check the location first so nothing is stored unless everything is right.
    let slug = form.slug.trim().to_ascii_lowercase();
    if let Err(e) = location::check_slug(&slug)
        .and_then(|_| location::check_name("location_name", &form.location_name))
    {
        return Ok(Some(Err(e)));
    }
    if location::find_by_slug(conn, &slug)?.is_some() {
        return Ok(Some(Err(FieldError::new("slug", "error-slug-taken"))));
    }
    let owner = NewUser {
        email: form.email.clone(),
        name: form.name.clone(),
        role: Role::Owner,
    };
    let user = match user::insert(conn, &owner, password_hash, now)? {
        Ok(user) => user,
        Err(e) => return Ok(Some(Err(e))),
    };
    let location = match location::create(conn, &slug, &form.location_name, now)? {
        Ok(location) => location,
        Err(e) => return Ok(Some(Err(e))),
    };
    diesel::delete(setup_tokens::table).execute(conn)?;
    Ok(Some(Ok((user, location))))
}
