//! The till: redeeming a gift exactly once, and why a code is refused.

use super::{find, in_status, note, State, Status};
use crate::db::schema::{gift_api_keys, gifts, locations};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::domain::events::{self, Event};
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The answer at the till.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// Redeemed now, by this request.
    Redeemed,
    /// Someone redeemed it before.
    AlreadyRedeemed,
    /// Past its expiry.
    Expired,
    /// Voided by an owner.
    Void,
    /// Not sent (waiting or declined): not a valid gift.
    NotSent,
}

/// Marks a gift redeemed by `by` (a staff member at the till, or the till
/// system's API key) at `location_id` — exactly once: one conditional
/// update, whatever runs at the same time.
pub fn redeem(
    conn: &mut DbConnection,
    gift_id: i64,
    by: Actor,
    location_id: i64,
    now: NaiveDateTime,
) -> AppResult<Redemption> {
    let location_ok: i64 = locations::table
        .find(location_id)
        .count()
        .get_result(conn)?;
    if location_ok == 0 {
        return Err(AppError::not_found());
    }
    let changed =
        diesel::update(in_status(gift_id, Status::Sent).filter(gifts::expires_at.gt(now)))
            .set((
                gifts::status.eq(Status::Redeemed.as_str()),
                gifts::redeemed_at.eq(now),
                gifts::redeemed_by.eq(by.user_id()),
                gifts::redeemed_location_id.eq(location_id),
            ))
            .execute(conn)?;
    let gift = find(conn, gift_id)?.ok_or_else(AppError::not_found)?;
    if changed == 1 {
        if let Some(key_id) = by.api_key_id() {
            // This request alone won the update above: no race on the row.
            let had_row = diesel::update(gift_api_keys::table.find(gift_id))
                .set(gift_api_keys::redeemed_by.eq(key_id))
                .execute(conn)?;
            if had_row == 0 {
                diesel::insert_into(gift_api_keys::table)
                    .values((
                        gift_api_keys::gift_id.eq(gift_id),
                        gift_api_keys::redeemed_by.eq(key_id),
                    ))
                    .execute(conn)?;
            }
        }
        note(conn, &gift, by, "gift_redeemed", "gift.redeem", now)?;
        events::emit(conn, Event::GiftRedeemed { gift_id }, now)?;
        return Ok(Redemption::Redeemed);
    }
    Ok(match gift.state(now) {
        State::Redeemed => Redemption::AlreadyRedeemed,
        State::Void => Redemption::Void,
        State::Expired | State::Valid => Redemption::Expired,
        State::Awaiting | State::Declined => Redemption::NotSent,
    })
}
