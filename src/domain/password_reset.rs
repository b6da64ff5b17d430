//! Password reset by email. Asking always gets the same answer: when the
//! address belongs to an active account, a one-use link (`/staff/reset/{token}`,
//! valid 30 minutes, only the token's SHA-256 stored) is mailed; otherwise
//! nothing happens, through the same code path. Setting the new password uses
//! up every open link of that user and ends all their sessions.

use super::user;
use crate::db::schema::{password_resets, users};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::AppResult;
use crate::mail::account_mail;
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::MailContext;
use crate::tokens::{hash_token, random_token};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long a reset link works.
pub const VALID_MINUTES: i64 = 30;

pub use super::invite::LinkProblem;

/// Handles a reset request for `email`: queues the mail when an active
/// account has that address. Both cases do the same work, so neither the
/// answer nor its time tells them apart: a token is made and a mail rendered
/// either way, and either way one audit row is written (so the transaction
/// commits, with its disk flush, in both cases; the unknown address itself is
/// not stored).
pub fn request(
    conn: &mut DbConnection,
    email: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    let token = random_token();
    let token_hash = hash_token(&token);
    let account = user::find_by_email(conn, email)?.filter(|u| u.active);
    let lang = match &account {
        Some(account) => user::language(conn, account.id)?,
        None => crate::i18n::Lang::Nl,
    };
    let rendered = account_mail::PasswordReset {
        lang,
        name: account.as_ref().map_or("", |a| a.name.as_str()),
        link: &mail.link(&format!("/staff/reset/{token}")),
        valid_minutes: VALID_MINUTES,
    }
    .render();
    let Some(account) = account else {
        super::audit::note(
            conn,
            super::audit::Actor::Visitor,
            "account.reset_unknown",
            "",
            now,
        )?;
        return Ok(());
    };
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(&token_hash),
            password_resets::user_id.eq(account.id),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(now + Duration::minutes(VALID_MINUTES)),
        ))
        .execute(conn)?;
    outbox::enqueue(
        conn,
        &NewMail {
            kind: MailKind::PasswordReset,
            ticket_id: None,
            ticket_message_id: None,
            recipient: &account.email,
            rendered: &rendered,
            message_id: &mail.new_message_id("reset"),
            in_reply_to: None,
            references: None,
        },
        now,
    )?;
    super::audit::note(
        conn,
        Actor::User(account.id),
        "account.reset_requested",
        "",
        now,
    )?;
    Ok(())
}

/// The user a reset link is for, if it still works.
pub fn find(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> AppResult<Result<i64, LinkProblem>> {
    let found: Option<(i64, i64, NaiveDateTime, Option<NaiveDateTime>, bool)> =
        password_resets::table
            .inner_join(users::table)
            .filter(password_resets::token_hash.eq(hash_token(token)))
            .select((
                password_resets::id,
                password_resets::user_id,
                password_resets::expires_at,
                password_resets::used_at,
                users::active,
            ))
            .first(conn)
            .optional()?;
    Ok(match found {
        None => Err(LinkProblem::Unknown),
        Some((_, _, _, Some(_), _)) => Err(LinkProblem::Used),
        Some((_, _, expires, None, active)) if expires <= now || !active => {
            Err(LinkProblem::Expired)
        }
        Some((_, user_id, _, None, _)) => Ok(user_id),
    })
}

/// Sets the new password through a reset link: uses up the user's open
/// links, ends all their sessions, records it. Returns the user's id.
pub fn complete(
    conn: &mut DbConnection,
    token: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> AppResult<Result<i64, LinkProblem>> {
    let user_id = match find(conn, token, now)? {
        Ok(id) => id,
        Err(problem) => return Ok(Err(problem)),
    };
    // This link is claimed in one conditional update: of two uses at once
    // only one gets it (the other waits for the row, then finds it used).
    let claimed = diesel::update(
        password_resets::table
            .filter(password_resets::token_hash.eq(hash_token(token)))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(Err(LinkProblem::Used));
    }
    user::set_password_hash(conn, user_id, password_hash)?;
    diesel::update(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    super::session::end_all_for_user(conn, user_id)?;
    super::audit::note(
        conn,
        Actor::User(user_id),
        "account.password_reset",
        "",
        now,
    )?;
    Ok(Ok(user_id))
}
