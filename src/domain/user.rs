//! Staff accounts: owners and staff, with argon2id password hashes. Hashing is
//! slow on purpose, so `Passwords` caps how many run at once and runs them off
//! the async threads; an unknown address costs the same time as a wrong
//! password.

use super::FieldError;
use crate::db::schema::users;
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::Context;
use crate::error::{AppError, AppResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::rngs::OsRng;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Shortest password we accept.
pub const MIN_PASSWORD_LEN: usize = 10;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the business: settings, locations, staff.
    Owner,
    /// Handles complaints.
    Staff,
}

impl Role {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

/// A staff account.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    /// Internal id.
    pub id: i64,
    /// Login and alert address, lowercase.
    pub email: String,
    /// Display name.
    pub name: String,
    /// `owner` or `staff`.
    pub role: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Disabled users cannot log in and their sessions stop working.
    pub active: bool,
    /// When it was made.
    pub created_at: NaiveDateTime,
}

impl User {
    /// Whether this user is an owner.
    pub fn is_owner(&self) -> bool {
        Role::parse(&self.role) == Some(Role::Owner)
    }
}

/// A new account's details, checked by `check_new`.
pub struct NewUser {
    /// Email address (lowercased on save).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// Checks the fields of a new account.
pub fn check_new(email: &str, name: &str, password: &str) -> Result<(), FieldError> {
    if !super::valid_email(email.trim()) {
        return Err(FieldError::new("email", "error-email-invalid"));
    }
    super::location::check_name("name", name)?;
    check_password(password)
}

/// Stores a new account with an already computed hash; a taken address is a field error.
pub fn insert(
    conn: &mut DbConnection,
    user: &NewUser,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Result<User, FieldError>> {
    let email = user.email.trim().to_lowercase();
    if find_by_email(conn, &email)?.is_some() {
        return Ok(Err(FieldError::new("email", "error-email-taken")));
    }
    let id: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(&email),
            users::name.eq(user.name.trim()),
            users::role.eq(user.role.as_str()),
            users::password_hash.eq(password_hash),
            users::created_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)?;
    let created = users::table
        .find(id)
        .select(User::as_select())
        .first(conn)?;
    Ok(Ok(created))
}

/// The account with this address, if any.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> AppResult<Option<User>> {
    Ok(users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Whether any owner account exists.
pub fn owner_exists(conn: &mut DbConnection) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table.filter(users::role.eq(Role::Owner.as_str())),
    ))
    .get_result(conn)?)
}

/// Every account, owners first, then by name.
pub fn list(conn: &mut DbConnection) -> AppResult<Vec<User>> {
    let mut all: Vec<User> = users::table
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)?;
    all.sort_by(|a, b| {
        (!a.is_owner(), a.name.to_lowercase()).cmp(&(!b.is_owner(), b.name.to_lowercase()))
    });
    Ok(all)
}

/// The account with this id, if any.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<User>> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// A user's chosen language for staff mail (`nl` or `en`).
pub fn language(conn: &mut DbConnection, id: i64) -> AppResult<crate::i18n::Lang> {
    let code: Option<String> = users::table
        .find(id)
        .select(users::language)
        .first(conn)
        .optional()?;
    Ok(code
        .as_deref()
        .and_then(crate::i18n::Lang::from_code)
        .unwrap_or(crate::i18n::Lang::Nl))
}

/// Sets a user's language.
pub fn set_language(conn: &mut DbConnection, id: i64, lang: crate::i18n::Lang) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set(users::language.eq(lang.code()))
        .execute(conn)?;
    Ok(())
}

/// Stores a new password hash (the caller ends sessions as the rule asks).
pub fn set_password_hash(conn: &mut DbConnection, id: i64, hash: &str) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

/// How many active owners there are, with their rows locked until the
/// transaction ends (PostgreSQL runs several writers: two owners demoting
/// each other at once must not both see the other one still there; SQLite's
/// single writer needs no lock, the no-op update is harmless).
fn active_owners(conn: &mut DbConnection) -> AppResult<i64> {
    diesel::update(
        users::table
            .filter(users::role.eq(Role::Owner.as_str()))
            .filter(users::active.eq(true)),
    )
    .set(users::active.eq(true))
    .execute(conn)?;
    Ok(users::table
        .filter(users::role.eq(Role::Owner.as_str()))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)?)
}

/// The owner changes someone's role. Refused when it would leave no active
/// owner. An unknown id is a 404.
pub fn set_role(
    conn: &mut DbConnection,
    actor_id: i64,
    target_id: i64,
    role: Role,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let target = find(conn, target_id)?.ok_or_else(AppError::not_found)?;
    if Role::parse(&target.role) == Some(role) {
        return Ok(Ok(()));
    }
    if target.is_owner() && target.active && active_owners(conn)? <= 1 {
        return Ok(Err(FieldError::new("user", "account-error-last-owner")));
    }
    diesel::update(users::table.find(target_id))
        .set(users::role.eq(role.as_str()))
        .execute(conn)?;
    if role != Role::Owner {
        super::invite::expire_sent_by(conn, target_id, now)?;
    }
    let detail = format!("{}: {}>{}", target.email, target.role, role.as_str());
    super::audit::note(conn, Actor::User(actor_id), "account.role", &detail, now)?;
    Ok(Ok(()))
}

/// The owner disables or enables an account. Disabling ends its sessions at
/// once; an owner cannot disable themselves or the last active owner.
pub fn set_active(
    conn: &mut DbConnection,
    actor_id: i64,
    target_id: i64,
    active: bool,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    let target = find(conn, target_id)?.ok_or_else(AppError::not_found)?;
    if target.active == active {
        return Ok(Ok(()));
    }
    if !active {
        if target_id == actor_id {
            return Ok(Err(FieldError::new("user", "account-error-disable-self")));
        }
        if target.is_owner() && active_owners(conn)? <= 1 {
            return Ok(Err(FieldError::new("user", "account-error-last-owner")));
        }
    }
    diesel::update(users::table.find(target_id))
        .set(users::active.eq(active))
        .execute(conn)?;
    let action = if active {
        "account.enable"
    } else {
        super::session::end_all_for_user(conn, target_id)?;
        super::invite::expire_sent_by(conn, target_id, now)?;
        "account.disable"
    };
    super::audit::note(conn, Actor::User(actor_id), action, &target.email, now)?;
    Ok(Ok(()))
}

/// Changes a user's own password from one of their sessions: every other
/// session ends, and this one gets a new token. Returns that token.
pub fn change_password(
    conn: &mut DbConnection,
    user_id: i64,
    session_id: i64,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<String> {
    set_password_hash(conn, user_id, password_hash)?;
    super::session::end_others(conn, user_id, session_id)?;
    let token = super::session::renew(conn, session_id, now)?;
    super::audit::note(
        conn,
        Actor::User(user_id),
        "account.password_change",
        "",
        now,
    )?;
    Ok(token)
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(
            FieldError::new("password", "error-password-short").arg("min", MIN_PASSWORD_LEN)
        );
    }
    Ok(())
}

/// Active accounts that get an alert for new feedback.
pub fn alert_recipients(conn: &mut DbConnection) -> AppResult<Vec<User>> {
    Ok(users::table
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)?)
}

/// argon2id with m = 19456 KiB, t = 2, p = 1 (the OWASP minimum).
fn argon2() -> Argon2<'static> {
    // Constant parameters inside argon2's documented ranges.
    let params = Params::new(19_456, 2, 1, None)
        .unwrap_or_else(|_| unreachable!("argon2 parameters are constant and valid"));
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (slow; call through `Passwords` from async code).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .internal("password hashing")
}

/// Whether `password` matches `hash` (slow).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, so an unknown address costs the same as a known one.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&crate::tokens::random_token()).unwrap_or_default())
}

/// Runs password hashing off the async threads, a few at a time.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    /// At most `concurrent` hashes at once (each takes ~19 MiB).
    pub fn new(concurrent: usize) -> Passwords {
        // Made now, so the first unknown address takes no longer than any other.
        decoy_hash();
        Passwords {
            permits: Arc::new(Semaphore::new(concurrent.max(1))),
        }
    }

    async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .internal("hash permits")?;
        // The permit lives as long as the hash itself, even if the client hangs up.
        actix_web::rt::task::spawn_blocking(move || {
            let _permit = permit;
            f()
        })
        .await
        .internal("hash task")
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> AppResult<String> {
        self.run(move || hash_password(&password)).await?
    }

    /// Checks a password against a user's hash, or against a decoy when there is
    /// no such user, so both take the same time. True only for a real match.
    pub async fn verify(&self, password: String, hash: Option<String>) -> AppResult<bool> {
        self.run(move || match hash {
            Some(hash) => verify_password(&password, &hash),
            None => {
                verify_password(&password, decoy_hash());
                false
            }
        })
        .await
    }
}
