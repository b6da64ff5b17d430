//! Reading gifts: one by id, code or page token, the latest and the waiting
//! ones, each with the names of the people and places staff see next to it.

use super::code::code_hash;
use super::{Gift, Status};
use crate::db::schema::{gifts, locations, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::tokens::{hash_token, Signer};
use diesel::prelude::*;

/// One gift by id.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Gift>> {
    Ok(gifts::table
        .find(id)
        .select(Gift::as_select())
        .first(conn)
        .optional()?)
}

/// A gift with the names staff see next to it.
#[derive(Debug, Clone)]
pub struct GiftLine {
    /// The gift.
    pub gift: Gift,
    /// Its location's name.
    pub location: String,
    /// Who made it.
    pub created_by: String,
    /// Who approved or declined it.
    pub decided_by: Option<String>,
    /// Who redeemed it.
    pub redeemed_by: Option<String>,
    /// Where it was redeemed.
    pub redeemed_at_location: Option<String>,
    /// Who voided it.
    pub voided_by: Option<String>,
}

/// The gifts with the names of their people and places, two queries for all.
fn lines(conn: &mut DbConnection, found: Vec<Gift>) -> AppResult<Vec<GiftLine>> {
    let mut user_ids: Vec<i64> = Vec::new();
    let mut location_ids: Vec<i64> = Vec::new();
    for g in &found {
        user_ids.extend(
            [Some(g.created_by), g.decided_by, g.redeemed_by, g.voided_by]
                .into_iter()
                .flatten(),
        );
        location_ids.extend(
            [Some(g.location_id), g.redeemed_location_id]
                .into_iter()
                .flatten(),
        );
    }
    let people: Vec<(i64, String)> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::name))
        .load(conn)?;
    let places: Vec<(i64, String)> = locations::table
        .filter(locations::id.eq_any(&location_ids))
        .select((locations::id, locations::name))
        .load(conn)?;
    let name = |list: &[(i64, String)], id: Option<i64>| {
        id.and_then(|id| list.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()))
    };
    Ok(found
        .into_iter()
        .map(|gift| GiftLine {
            location: name(&places, Some(gift.location_id)).unwrap_or_default(),
            created_by: name(&people, Some(gift.created_by)).unwrap_or_default(),
            decided_by: name(&people, gift.decided_by),
            redeemed_by: name(&people, gift.redeemed_by),
            redeemed_at_location: name(&places, gift.redeemed_location_id),
            voided_by: name(&people, gift.voided_by),
            gift,
        })
        .collect())
}

/// [`lines`] for at most one gift.
fn one(conn: &mut DbConnection, found: Option<Gift>) -> AppResult<Option<GiftLine>> {
    Ok(lines(conn, found.into_iter().collect())?.pop())
}

/// The most recent gifts, newest first.
pub fn recent(conn: &mut DbConnection, limit: i64) -> AppResult<Vec<GiftLine>> {
    let found = gifts::table
        .order(gifts::id.desc())
        .limit(limit)
        .select(Gift::as_select())
        .load(conn)?;
    lines(conn, found)
}

/// Gifts waiting for an owner, oldest first.
pub fn awaiting(conn: &mut DbConnection) -> AppResult<Vec<GiftLine>> {
    let found = gifts::table
        .filter(gifts::status.eq(Status::AwaitingApproval.as_str()))
        .order(gifts::created_at.asc())
        .select(Gift::as_select())
        .load(conn)?;
    lines(conn, found)
}

/// One gift with its names.
pub fn line(conn: &mut DbConnection, id: i64) -> AppResult<Option<GiftLine>> {
    let found = find(conn, id)?;
    one(conn, found)
}

/// The gift a typed code names, if any.
pub fn by_code(
    conn: &mut DbConnection,
    signer: &Signer,
    code: &str,
) -> AppResult<Option<GiftLine>> {
    let hash = code_hash(signer, code);
    let found = gifts::table
        .filter(gifts::code_hash.eq(hash))
        .select(Gift::as_select())
        .first(conn)
        .optional()?;
    one(conn, found)
}

/// The gift a customer's page token opens, with its location's name.
pub fn by_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<GiftLine>> {
    let found = gifts::table
        .filter(gifts::access_token_hash.eq(hash_token(token)))
        .select(Gift::as_select())
        .first(conn)
        .optional()?;
    one(conn, found)
}
