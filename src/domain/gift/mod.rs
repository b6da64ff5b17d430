//! Thank-you gifts: the owner's catalogue, gifts sent to a customer (from a
//! ticket or to a bare address), the monthly budget per location with the
//! amount above which a staff member's gift waits for an owner, and the
//! single-use code redeemed at the till.
//!
//! - **Codes.** A gift gets its page token and code when it is *sent* (not
//!   while it waits). The token is 128 random bits from the OS (only its
//!   SHA-256 is stored); the code is derived from the token with HMAC under
//!   the server secret ([`code_for`]), 10 characters from an alphabet without
//!   look-alikes ([`CODE_ALPHABET`]), shown as `K7QF-M3XP-RW`. The database
//!   keeps only HMAC(secret, code) ([`code_hash`]), so a leaked copy reveals
//!   no live code; a clash draws a new token.
//! - **Exactly once.** [`redeem()`] is one conditional update
//!   (`status = 'sent' AND expires_at > now`); whoever loses is told when,
//!   where and by whom it was redeemed.
//! - **Budget and approval.** [`send()`]: a staff member's gift waits for an
//!   owner when its cost is above the location's approval amount, or when
//!   this month's spend (sent, redeemed and waiting gifts; calendar month in
//!   the business time zone) plus its cost would pass the budget. An API key
//!   sends as a staff member does. An owner's gift goes at once; past the
//!   budget only with an explicit "send anyway".
//!   The location row is locked first, so two concurrent sends cannot both
//!   slip under the budget.
//! - A doubled submit of the send form makes one gift: every form carries a
//!   signed request key, kept (hashed) in `gift_requests`.
//!
//! The audit log names gifts by id, never by the customer's address. Every
//! change here records its own entry, in the same transaction.
//!
//! The parts: the owner's catalogue (`catalogue`), budgets and this month's
//! spend (`budget`), codes, page tokens and the send form's request keys
//! (`code`), sending with approval, declining and voiding (`send`), reading
//! gifts with the names staff see (`read`) and the till (`redeem`). Every
//! public item is used as `gift::…`.

mod budget;
mod catalogue;
mod code;
mod read;
mod redeem;
mod send;

pub use budget::{budgets, month_spend, set_budget, Budget};
pub use catalogue::{
    add_item, catalogue, remove_item, set_item_active, update_item, CatalogueInput, Removed,
    DESCRIPTION_FIELDS, MAX_VALIDITY_DAYS, REDEEM_FIELDS, TITLE_FIELDS,
};
pub use code::{
    check_request_key, code_for, code_hash, grouped, new_page_token, normalise_code, request_key,
    RequestKey, CODE_ALPHABET, CODE_LEN, REQUEST_KEY_MAX_AGE_SECS,
};
pub use read::{awaiting, by_code, by_token, find, line, page, recent, Filter, GiftLine};
pub use redeem::{redeem, Redemption};
pub use send::{approve, decline, send, void, SendInput, Sender, Sent};

use super::{audit, money, ticket, FieldError};
use crate::db::schema::{gift_catalogue, gifts};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Written};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 80;
/// Longest description, redemption text or personal message, in characters.
pub const MAX_TEXT: usize = 1000;
/// Longest recipient name.
pub const MAX_NAME: usize = 100;
/// Longest decline reason.
pub const MAX_REASON: usize = 500;

/// What kind of thank-you a catalogue entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bunch of flowers.
    Flowers,
    /// A cinema voucher.
    Cinema,
    /// A discount code.
    Discount,
    /// Credit in the shop.
    StoreCredit,
    /// A product for free.
    FreeProduct,
    /// Anything else.
    Custom,
}

impl Kind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [Kind; 6] = [
        Kind::Flowers,
        Kind::Cinema,
        Kind::Discount,
        Kind::StoreCredit,
        Kind::FreeProduct,
        Kind::Custom,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Flowers => "flowers",
            Kind::Cinema => "cinema",
            Kind::Discount => "discount",
            Kind::StoreCredit => "store_credit",
            Kind::FreeProduct => "free_product",
            Kind::Custom => "custom",
        }
    }

    /// The kind of a stored or submitted value.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a gift stands, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A staff member's gift waiting for an owner.
    AwaitingApproval,
    /// An owner said no.
    Declined,
    /// Mailed to the customer; redeemable until it expires.
    Sent,
    /// Used at the till.
    Redeemed,
    /// Cancelled by an owner after sending.
    Void,
}

impl Status {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::AwaitingApproval => "awaiting_approval",
            Status::Declined => "declined",
            Status::Sent => "sent",
            Status::Redeemed => "redeemed",
            Status::Void => "void",
        }
    }
}

/// What a person sees about a gift now: its status, with "expired" for a sent
/// gift past its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for an owner.
    Awaiting,
    /// Declined by an owner.
    Declined,
    /// Sent and redeemable.
    Valid,
    /// Sent, but past its expiry.
    Expired,
    /// Redeemed.
    Redeemed,
    /// Voided.
    Void,
}

impl State {
    /// Catalogue key stem (`gift-state-…`) and CSS hint.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Awaiting => "awaiting",
            State::Declined => "declined",
            State::Valid => "valid",
            State::Expired => "expired",
            State::Redeemed => "redeemed",
            State::Void => "void",
        }
    }
}

/// One entry of the owner's catalogue.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = gift_catalogue)]
pub struct CatalogueItem {
    /// Row id.
    pub id: i64,
    /// Stored [`Kind`].
    pub kind: String,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// Dutch description.
    pub description_nl: String,
    /// English description.
    pub description_en: String,
    /// How and where to redeem it, in Dutch.
    pub redeem_nl: String,
    /// How and where to redeem it, in English.
    pub redeem_en: String,
    /// French title (empty: not written).
    pub title_fr: String,
    /// German title (empty: not written).
    pub title_de: String,
    /// French description.
    pub description_fr: String,
    /// German description.
    pub description_de: String,
    /// How and where to redeem it, in French.
    pub redeem_fr: String,
    /// How and where to redeem it, in German.
    pub redeem_de: String,
    /// Its value in cents (None for a percentage).
    pub value_cents: Option<i64>,
    /// ISO currency of the value.
    pub currency: String,
    /// Discount percentage (None for a money value).
    pub percent: Option<i16>,
    /// What one costs the shop; counts against the budget.
    pub cost_cents: i64,
    /// Days it stays valid after sending.
    pub validity_days: i32,
    /// Offered when sending.
    pub active: bool,
    /// Added.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

impl CatalogueItem {
    /// The titles in every language.
    pub fn titles(&self) -> Written<&str> {
        Written([
            &self.title_nl,
            &self.title_en,
            &self.title_fr,
            &self.title_de,
        ])
    }

    /// The descriptions in every language.
    pub fn descriptions(&self) -> Written<&str> {
        Written([
            &self.description_nl,
            &self.description_en,
            &self.description_fr,
            &self.description_de,
        ])
    }

    /// How to redeem it, in every language.
    pub fn redeem_texts(&self) -> Written<&str> {
        Written([
            &self.redeem_nl,
            &self.redeem_en,
            &self.redeem_fr,
            &self.redeem_de,
        ])
    }

    /// The title for a reader of `lang`: theirs, else in `fallback`, else
    /// the first written.
    pub fn title(&self, lang: Lang, fallback: Lang) -> &str {
        self.titles().pick(lang, fallback)
    }

    /// Title, description and how to redeem it for a reader of `lang`, all
    /// from one language: the one the title is in (so a gift never mixes
    /// languages), see [`Written::source_for`].
    pub fn texts_for(&self, lang: Lang, fallback: Lang) -> (&str, &str, &str) {
        let from = self.titles().source_for(lang, fallback);
        (
            self.titles().pick(from, from),
            self.descriptions().pick(from, from),
            self.redeem_texts().pick(from, from),
        )
    }

    /// Its value as people read it in `lang`.
    pub fn value_text(&self, lang: Lang) -> String {
        money::value_text(self.value_cents, self.percent, &self.currency, lang)
    }
}

/// A gift, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = gifts)]
pub struct Gift {
    /// Row id.
    pub id: i64,
    /// The catalogue entry it was made from.
    pub catalogue_id: i64,
    /// The ticket it thanks for, if any.
    pub ticket_id: Option<i64>,
    /// Whose budget it counts against.
    pub location_id: i64,
    /// Stored [`Kind`].
    pub kind: String,
    /// Title in the gift's language.
    pub title: String,
    /// Description in the gift's language.
    pub description: String,
    /// How and where to redeem it.
    pub redeem_how: String,
    /// Value in cents, for money gifts.
    pub value_cents: Option<i64>,
    /// Currency of the value.
    pub currency: String,
    /// Percentage, for discounts.
    pub percent: Option<i16>,
    /// What it costs the shop.
    pub cost_cents: i64,
    /// Days valid after sending.
    pub validity_days: i32,
    /// The customer's language (`nl`/`en`).
    pub language: String,
    /// Where it is mailed (emptied by retention and erasure).
    pub recipient_email: Option<String>,
    /// The customer's name, if given.
    pub recipient_name: Option<String>,
    /// The personal message.
    pub message: String,
    /// Stored [`Status`].
    pub status: String,
    /// HMAC of the code, once sent.
    pub code_hash: Option<String>,
    /// SHA-256 of the page token, once sent.
    pub access_token_hash: Option<String>,
    /// The staff member who made it (None: an API key did, see
    /// `gift_api_keys`).
    pub created_by: Option<i64>,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// The owner who approved or declined it.
    pub decided_by: Option<i64>,
    /// When.
    pub decided_at: Option<NaiveDateTime>,
    /// Why it was declined.
    pub decline_reason: Option<String>,
    /// When it was mailed.
    pub sent_at: Option<NaiveDateTime>,
    /// When it stops being redeemable.
    pub expires_at: Option<NaiveDateTime>,
    /// When it was redeemed.
    pub redeemed_at: Option<NaiveDateTime>,
    /// Who redeemed it.
    pub redeemed_by: Option<i64>,
    /// At which location.
    pub redeemed_location_id: Option<i64>,
    /// When it was voided.
    pub voided_at: Option<NaiveDateTime>,
    /// Who voided it.
    pub voided_by: Option<i64>,
}

impl Gift {
    /// The customer's language.
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or(Lang::Nl)
    }

    /// Where it stands at `now`.
    pub fn state(&self, now: NaiveDateTime) -> State {
        match self.status.as_str() {
            "awaiting_approval" => State::Awaiting,
            "declined" => State::Declined,
            "redeemed" => State::Redeemed,
            "void" => State::Void,
            _ if self.expires_at.is_some_and(|at| at <= now) => State::Expired,
            _ => State::Valid,
        }
    }

    /// Its value as people read it in `lang`.
    pub fn value_text(&self, lang: Lang) -> String {
        money::value_text(self.value_cents, self.percent, &self.currency, lang)
    }
}

/// A typed text, trimmed; an error on `field` when it is required and empty
/// or longer than `max` characters.
fn check_text(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
) -> String {
    let text = text.trim();
    if required && text.is_empty() {
        errors.push(FieldError::new(field, "gift-error-empty"));
    } else if text.chars().count() > max {
        errors.push(FieldError::new(field, "gift-error-too-long").arg("max", max));
    }
    text.to_owned()
}

/// NotFound when an update or delete by id touched no row.
fn touched(rows: usize) -> AppResult<()> {
    if rows == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// Puts `event` on the timeline of the ticket a gift thanks for, if any.
fn on_timeline(
    conn: &mut DbConnection,
    gift: &Gift,
    event: &str,
    actor: Option<Actor>,
    now: NaiveDateTime,
) -> AppResult<()> {
    if let Some(ticket_id) = gift.ticket_id {
        ticket::add_event_by(conn, ticket_id, event, actor, &gift.title, None, now)?;
    }
    Ok(())
}

/// Notes what a person did to a gift: `event` on its ticket's timeline and
/// `action` in the audit log, naming the gift by id.
fn note(
    conn: &mut DbConnection,
    gift: &Gift,
    actor: Actor,
    event: &str,
    action: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    on_timeline(conn, gift, event, Some(actor), now)?;
    audit::record(
        conn,
        actor,
        action,
        gift.ticket_id,
        &gift.id.to_string(),
        now,
    )
}

/// The gift `gift_id` if it is in `status`: what an update that moves a gift
/// on from one state targets, so that only one of two at once succeeds.
fn in_status(
    gift_id: i64,
    status: Status,
) -> diesel::dsl::Filter<
    diesel::dsl::Find<gifts::table, i64>,
    diesel::dsl::Eq<gifts::status, &'static str>,
> {
    gifts::table
        .find(gift_id)
        .filter(gifts::status.eq(status.as_str()))
}
