//! The audit log: who did what, when, to which ticket. Append-only (the
//! database refuses updates and deletes); owners read it at `/staff/audit`.

use crate::db::schema::{api_keys, audit_log, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Who did something. Every state-changing domain function that is audited
/// takes one and records its own entry, in the same transaction as the change,
/// so the staff pages, the command line and the jobs cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in staff member or owner (their user id).
    User(i64),
    /// Someone at the server's command line (`tellus …`).
    Cli,
    /// Tellus itself, because time passed (the jobs).
    Job,
    /// Someone who is not signed in (e.g. asking for a password reset).
    Visitor,
    /// Another system, through the API with this key (its id).
    ApiKey(i64),
}

impl Actor {
    /// The user behind it, if a person with an account did it.
    pub fn user_id(self) -> Option<i64> {
        match self {
            Actor::User(id) => Some(id),
            Actor::Cli | Actor::Job | Actor::Visitor | Actor::ApiKey(_) => None,
        }
    }

    /// The API key behind it, if another system did it through the API.
    pub fn api_key_id(self) -> Option<i64> {
        match self {
            Actor::ApiKey(id) => Some(id),
            Actor::User(_) | Actor::Cli | Actor::Job | Actor::Visitor => None,
        }
    }
}

/// The name people are shown for an actor: the staff member's or the API
/// key's (also once revoked or removed from the team); empty for the others.
pub fn name_of(conn: &mut DbConnection, actor: Actor) -> AppResult<String> {
    let found = match actor {
        Actor::User(id) => users::table
            .find(id)
            .select(users::name)
            .first(conn)
            .optional()?,
        Actor::ApiKey(id) => api_keys::table
            .find(id)
            .select(api_keys::name)
            .first(conn)
            .optional()?,
        Actor::Cli | Actor::Job | Actor::Visitor => None,
    };
    Ok(found.unwrap_or_default())
}

/// Who acts on a ticket, with the name others are told (an assignee's
/// mail says who assigned them): a staff member, or an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The actor recorded on the timeline and in the log.
    pub actor: Actor,
    /// The staff member's or the key's name.
    pub name: String,
}

impl From<&crate::domain::user::User> for Author {
    fn from(user: &crate::domain::user::User) -> Author {
        Author {
            actor: Actor::User(user.id),
            name: user.name.clone(),
        }
    }
}

impl From<&crate::domain::user::User> for Actor {
    fn from(user: &crate::domain::user::User) -> Actor {
        Actor::User(user.id)
    }
}

/// Every action the log knows, in the order the owner's pages list them.
/// [`record`] refuses any other, so a new audited action is added here, and
/// the audit test (`tests/integration/audit.rs`) then asks for a way to
/// trigger it from the staff pages and, where one exists, the command line.
pub const ACTIONS: &[&str] = &[
    "account.login",
    "account.invite",
    "account.invite_revoke",
    "account.accept",
    "account.role",
    "account.disable",
    "account.enable",
    "account.totp_policy",
    "account.totp_on",
    "account.totp_off",
    "account.password_change",
    "account.reset_requested",
    "account.reset_unknown",
    "account.password_reset",
    "ticket.reply",
    "ticket.note",
    "ticket.status",
    "ticket.assign",
    "ticket.priority",
    "ticket.merge",
    "canned.add",
    "canned.update",
    "canned.offer",
    "canned.withdraw",
    "settings.workflow",
    "gift.catalogue.add",
    "gift.catalogue.update",
    "gift.catalogue.offer",
    "gift.catalogue.withdraw",
    "gift.catalogue.delete",
    "gift.budget",
    "gift.request",
    "gift.send",
    "gift.approve",
    "gift.decline",
    "gift.void",
    "gift.redeem",
    "privacy.retention_months",
    "privacy.export",
    "privacy.erase",
    "privacy.retention",
    "api.key_add",
    "api.key_revoke",
    "api.cors",
    "webhook.add",
    "webhook.pause",
    "webhook.resume",
    "webhook.test",
    "webhook.delete",
    "alert.rule",
    "alert.acknowledge",
    "chat.add",
    "chat.remove",
];

/// Records one action. `detail` is short, for people (e.g. `open>resolved`).
/// An action missing from [`ACTIONS`] is refused (an internal error), so the
/// list cannot fall behind the code.
pub fn record(
    conn: &mut DbConnection,
    actor: Actor,
    action: &str,
    ticket_id: Option<i64>,
    detail: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    if !ACTIONS.contains(&action) {
        return Err(crate::error::AppError::internal(format!(
            "audit action {action} is not in audit::ACTIONS"
        )));
    }
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(actor.user_id()),
            audit_log::api_key_id.eq(actor.api_key_id()),
            audit_log::action.eq(action),
            audit_log::ticket_id.eq(ticket_id),
            audit_log::detail.eq(detail),
            audit_log::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records an action that is not about one ticket (an account, a setting,
/// the privacy tools): [`record`] without a ticket.
pub fn note(
    conn: &mut DbConnection,
    actor: Actor,
    action: &str,
    detail: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    record(conn, actor, action, None, detail, now)
}

/// One line of the audit log, with the actor's name.
#[derive(Debug, Clone, Queryable)]
pub struct AuditEntry {
    /// Row id.
    pub id: i64,
    /// Who (None: the system or someone since removed).
    pub actor: Option<String>,
    /// The API key's name, when another system did it through the API.
    pub api_key: Option<String>,
    /// What, e.g. `ticket.status`.
    pub action: String,
    /// Which ticket, if any.
    pub ticket_id: Option<i64>,
    /// Detail for people.
    pub detail: String,
    /// When.
    pub created_at: NaiveDateTime,
}

/// A page of the log, newest first, before the row id `before`.
pub fn page(
    conn: &mut DbConnection,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<AuditEntry>> {
    let mut query = audit_log::table
        .left_join(users::table)
        .left_join(api_keys::table)
        .select((
            audit_log::id,
            users::name.nullable(),
            api_keys::name.nullable(),
            audit_log::action,
            audit_log::ticket_id,
            audit_log::detail,
            audit_log::created_at,
        ))
        .order(audit_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query.load(conn)?)
}
