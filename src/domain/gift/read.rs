//! Reading gifts: one by id, code or page token, the latest and the waiting
//! ones, each with the names of the people and places staff see next to it.

use super::code::code_hash;
use super::{Gift, Status};
use crate::db::schema::{api_keys, gift_api_keys, gifts, locations, users};
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
    /// Who made it: a staff member's name, or an API key's.
    pub created_by: String,
    /// Who approved or declined it.
    pub decided_by: Option<String>,
    /// Who redeemed it: a staff member's name, or an API key's.
    pub redeemed_by: Option<String>,
    /// Where it was redeemed.
    pub redeemed_at_location: Option<String>,
    /// Who voided it.
    pub voided_by: Option<String>,
}

/// The gifts with the names of their people, API keys and places, at most
/// three queries for all.
fn lines(conn: &mut DbConnection, found: Vec<Gift>) -> AppResult<Vec<GiftLine>> {
    let mut user_ids: Vec<i64> = Vec::new();
    let mut location_ids: Vec<i64> = Vec::new();
    for g in &found {
        user_ids.extend(
            [g.created_by, g.decided_by, g.redeemed_by, g.voided_by]
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
    // Only gifts made without a staff member, or redeemed without one, can
    // have an API key's name.
    let by_key: Vec<i64> = found
        .iter()
        .filter(|g| g.created_by.is_none() || (g.redeemed_at.is_some() && g.redeemed_by.is_none()))
        .map(|g| g.id)
        .collect();
    let keys: Vec<(i64, Option<String>, Option<String>)> = if by_key.is_empty() {
        Vec::new()
    } else {
        let (made, redeemed) = diesel::alias!(api_keys as made, api_keys as redeemed);
        gift_api_keys::table
            .left_join(made.on(gift_api_keys::created_by.eq(made.field(api_keys::id).nullable())))
            .left_join(
                redeemed.on(gift_api_keys::redeemed_by.eq(redeemed.field(api_keys::id).nullable())),
            )
            .filter(gift_api_keys::gift_id.eq_any(&by_key))
            .select((
                gift_api_keys::gift_id,
                made.field(api_keys::name).nullable(),
                redeemed.field(api_keys::name).nullable(),
            ))
            .load(conn)?
    };
    let key = |gift_id: i64| keys.iter().find(|(id, _, _)| *id == gift_id);
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
            created_by: name(&people, gift.created_by)
                .or_else(|| key(gift.id).and_then(|(_, made, _)| made.clone()))
                .unwrap_or_default(),
            decided_by: name(&people, gift.decided_by),
            redeemed_by: name(&people, gift.redeemed_by)
                .or_else(|| key(gift.id).and_then(|(_, _, redeemed)| redeemed.clone())),
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

/// Which gifts a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only in this state (an expired gift is a sent one past its date).
    pub state: Option<super::State>,
    /// Only of these locations (empty: all).
    pub location_ids: Vec<i64>,
    /// Only those thanking for this ticket.
    pub ticket_id: Option<i64>,
}

/// A page of gifts, newest first, before the row id `before`: the primary
/// key walked backwards, so every gift is listed once however many are made
/// meanwhile.
pub fn page(
    conn: &mut DbConnection,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
    now: chrono::NaiveDateTime,
) -> AppResult<Vec<GiftLine>> {
    use super::State;
    let mut query = gifts::table
        .select(Gift::as_select())
        .order(gifts::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(gifts::id.lt(before));
    }
    if !filter.location_ids.is_empty() {
        query = query.filter(gifts::location_id.eq_any(filter.location_ids.clone()));
    }
    if let Some(ticket_id) = filter.ticket_id {
        query = query.filter(gifts::ticket_id.eq(ticket_id));
    }
    query = match filter.state {
        None => query,
        Some(State::Awaiting) => query.filter(gifts::status.eq(Status::AwaitingApproval.as_str())),
        Some(State::Declined) => query.filter(gifts::status.eq(Status::Declined.as_str())),
        Some(State::Redeemed) => query.filter(gifts::status.eq(Status::Redeemed.as_str())),
        Some(State::Void) => query.filter(gifts::status.eq(Status::Void.as_str())),
        Some(State::Valid) => query
            .filter(gifts::status.eq(Status::Sent.as_str()))
            .filter(gifts::expires_at.gt(now)),
        Some(State::Expired) => query
            .filter(gifts::status.eq(Status::Sent.as_str()))
            .filter(gifts::expires_at.le(now)),
    };
    let found = query.load(conn)?;
    lines(conn, found)
}
