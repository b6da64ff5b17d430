//! Invitations: the owner names a new staff member's address, name, role and
//! language; they get a mail with a one-use link (`/invite/{token}`, valid 72
//! hours, only the token's SHA-256 stored) where they choose a password and
//! are logged in. An address that already has an account cannot be invited;
//! a new invitation to the same address replaces any earlier unused one.

use super::user::{self, NewUser, Role, User};
use super::FieldError;
use crate::db::schema::invites;
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::mail::account_mail;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::MailContext;
use crate::tokens::{hash_token, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long an invitation link works.
pub const VALID_HOURS: i64 = 72;

/// What the owner fills in.
pub struct NewInvite {
    /// The address to invite.
    pub email: String,
    /// Their name (they may change it when accepting).
    pub name: String,
    /// Their role.
    pub role: Role,
    /// The language of the mail and their account.
    pub lang: Lang,
}

/// A pending invitation, as the invitee's page shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Invite {
    /// Row id.
    pub id: i64,
    /// Invited address.
    pub email: String,
    /// Suggested name.
    pub name: String,
    /// `owner` or `staff`.
    pub role: String,
    /// `nl` or `en`.
    pub language: String,
    /// Until when the link works.
    pub expires_at: NaiveDateTime,
    /// When it was used, if it was.
    pub used_at: Option<NaiveDateTime>,
}

/// Why an invitation link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such link (or mistyped).
    Unknown,
    /// Already used.
    Used,
    /// Older than 72 hours, or replaced by a newer invitation.
    Expired,
}

/// Checks an invitation's fields.
pub fn check(invite: &NewInvite) -> Result<(), FieldError> {
    if !super::valid_email(invite.email.trim()) {
        return Err(FieldError::new("email", "error-email-invalid"));
    }
    super::location::check_name("name", &invite.name)
}

/// Stores an invitation and queues its mail. A field error when the address
/// is invalid or already has an account.
pub fn create(
    conn: &mut DbConnection,
    inviter: &User,
    invite: &NewInvite,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<(), FieldError>> {
    if let Err(error) = check(invite) {
        return Ok(Err(error));
    }
    let email = invite.email.trim().to_lowercase();
    if user::find_by_email(conn, &email)?.is_some() {
        return Ok(Err(FieldError::new("email", "account-error-already-user")));
    }
    // An earlier unused invitation to this address stops working.
    diesel::update(
        invites::table
            .filter(invites::email.eq(&email))
            .filter(invites::used_at.is_null())
            .filter(invites::expires_at.gt(now)),
    )
    .set(invites::expires_at.eq(now))
    .execute(conn)?;
    let token = random_token();
    diesel::insert_into(invites::table)
        .values((
            invites::token_hash.eq(hash_token(&token)),
            invites::email.eq(&email),
            invites::name.eq(invite.name.trim()),
            invites::role.eq(invite.role.as_str()),
            invites::language.eq(invite.lang.code()),
            invites::invited_by.eq(inviter.id),
            invites::created_at.eq(now),
            invites::expires_at.eq(now + Duration::hours(VALID_HOURS)),
        ))
        .execute(conn)?;
    let business = super::profile::get(conn)?.name;
    let rendered = account_mail::Invite {
        lang: invite.lang,
        business: &business,
        inviter: &inviter.name,
        name: invite.name.trim(),
        link: &mail.link(&format!("/invite/{token}")),
        valid_hours: VALID_HOURS,
    }
    .render();
    outbox::enqueue(
        conn,
        &NewMail {
            kind: MailKind::Invite,
            ticket_id: None,
            ticket_message_id: None,
            recipient: &email,
            rendered: &rendered,
            message_id: &mail.new_message_id("invite"),
            in_reply_to: None,
            references: None,
        },
        now,
    )?;
    let detail = format!("{email} ({})", invite.role.as_str());
    super::audit::note(
        conn,
        Actor::User(inviter.id),
        "account.invite",
        &detail,
        now,
    )?;
    Ok(Ok(()))
}

/// The invitation a link names, if it still works.
pub fn find(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Result<Invite, LinkProblem>> {
    let found: Option<Invite> = invites::table
        .filter(invites::token_hash.eq(hash_token(token)))
        .select((
            invites::id,
            invites::email,
            invites::name,
            invites::role,
            invites::language,
            invites::expires_at,
            invites::used_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match found {
        None => Err(LinkProblem::Unknown),
        Some(i) if i.used_at.is_some() => Err(LinkProblem::Used),
        Some(i) if i.expires_at <= now => Err(LinkProblem::Expired),
        Some(i) => Ok(i),
    })
}

/// What accepting can run into.
#[derive(Debug)]
pub enum AcceptError {
    /// The link no longer works.
    Link(LinkProblem),
    /// A field is wrong.
    Field(FieldError),
}

/// Accepts an invitation: makes the account with the chosen name and password
/// hash, uses up the link, and returns the new user's id.
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    name: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Result<i64, AcceptError>> {
    let invite = match find(conn, token, now)? {
        Ok(invite) => invite,
        Err(problem) => return Ok(Err(AcceptError::Link(problem))),
    };
    if let Err(error) = super::location::check_name("name", name) {
        return Ok(Err(AcceptError::Field(error)));
    }
    // Claimed first, in one conditional update: of two accepts at once only
    // one gets the row (the other waits for it, then finds it used).
    let claimed = diesel::update(
        invites::table
            .find(invite.id)
            .filter(invites::used_at.is_null()),
    )
    .set(invites::used_at.eq(now))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(Err(AcceptError::Link(LinkProblem::Used)));
    }
    let role = Role::parse(&invite.role).unwrap_or(Role::Staff);
    let new = NewUser {
        email: invite.email.clone(),
        name: name.to_owned(),
        role,
    };
    let created = match user::insert(conn, &new, password_hash, now)? {
        Ok(created) => created,
        // Someone made this account in the meantime: the link has done its work.
        Err(_) => return Ok(Err(AcceptError::Link(LinkProblem::Used))),
    };
    let lang = Lang::from_code(&invite.language).unwrap_or(Lang::Nl);
    user::set_language(conn, created.id, lang)?;
    super::audit::note(
        conn,
        Actor::User(created.id),
        "account.accept",
        &format!("{} ({})", created.email, role.as_str()),
        now,
    )?;
    Ok(Ok(created.id))
}

/// Ends the open invitations someone sent, when they lose the right to
/// invite (disabled, or no longer an owner): a link they sent to a mistyped
/// address must not outlive their say.
pub fn expire_sent_by(conn: &mut DbConnection, user_id: i64, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        invites::table
            .filter(invites::invited_by.eq(user_id))
            .filter(invites::used_at.is_null())
            .filter(invites::expires_at.gt(now)),
    )
    .set(invites::expires_at.eq(now))
    .execute(conn)?;
    Ok(())
}

/// An invitation not yet used and not expired, for the owner's list.
#[derive(Debug, Clone, Queryable)]
pub struct Pending {
    /// Row id.
    pub id: i64,
    /// Who it was sent to.
    pub email: String,
    /// The role it gives.
    pub role: String,
    /// Until when the link works.
    pub expires_at: NaiveDateTime,
}

/// The invitations still open, soonest to expire first.
pub fn pending(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<Pending>> {
    Ok(invites::table
        .filter(invites::used_at.is_null())
        .filter(invites::expires_at.gt(now))
        .order((invites::expires_at.asc(), invites::id.asc()))
        .select((
            invites::id,
            invites::email,
            invites::role,
            invites::expires_at,
        ))
        .load(conn)?)
}

/// The owner withdraws an open invitation: its link stops working at once.
/// One already used, expired or withdrawn (a second click, an old tab) is
/// left as it is.
pub fn revoke(
    conn: &mut DbConnection,
    actor_id: i64,
    id: i64,
    now: NaiveDateTime,
) -> AppResult<()> {
    let email: Option<String> = invites::table
        .find(id)
        .filter(invites::used_at.is_null())
        .filter(invites::expires_at.gt(now))
        .select(invites::email)
        .first(conn)
        .optional()?;
    let Some(email) = email else {
        return Ok(());
    };
    diesel::update(invites::table.find(id))
        .set(invites::expires_at.eq(now))
        .execute(conn)?;
    super::audit::note(
        conn,
        Actor::User(actor_id),
        "account.invite_revoke",
        &email,
        now,
    )?;
    Ok(())
}
