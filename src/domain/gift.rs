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
//! - **Exactly once.** [`redeem`] is one conditional update
//!   (`status = 'sent' AND expires_at > now`); whoever loses is told when,
//!   where and by whom it was redeemed.
//! - **Budget and approval.** [`send`]: a staff member's gift waits for an
//!   owner when its cost is above the location's approval amount, or when
//!   this month's spend (sent, redeemed and waiting gifts; calendar month in
//!   the business time zone) plus its cost would pass the budget. An owner's
//!   gift goes at once; past the budget only with an explicit "send anyway".
//!   The location row is locked first ([`lock_location`]) so two concurrent
//!   sends cannot both slip under the budget.
//! - A doubled submit of the send form makes one gift: every form carries a
//!   signed request key, kept (hashed) in `gift_requests`.
//!
//! The audit log names gifts by id, never by the customer's address.

use super::local_time;
use super::money::{self, amount_input, format_money, parse_amount, MAX_CENTS};
use super::{audit, ticket, valid_email, workflow, FieldError};
use crate::db::schema::{gift_catalogue, gift_requests, gifts, locations, users};
use crate::db::DbConnection;
use crate::domain::audit::Actor;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::gift_mail::{GiftDecided, GiftForCustomer, GiftWaiting};
use crate::mail::outbox::{self, MailKind, NewMail};
use crate::mail::MailContext;
use crate::tokens::{hash_token, Signer};
use chrono::{Duration, NaiveDateTime};
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use diesel::prelude::*;
use rand::rngs::OsRng;
use rand::RngCore;

/// The characters of a code: digits and capitals without the ones misread
/// aloud or on a till receipt (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
pub const CODE_ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTWXY";
/// Characters in a code.
pub const CODE_LEN: usize = 10;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 80;
/// Longest description, redemption text or personal message, in characters.
pub const MAX_TEXT: usize = 1000;
/// Longest recipient name.
pub const MAX_NAME: usize = 100;
/// Longest validity, in days (ten years).
pub const MAX_VALIDITY_DAYS: i32 = 3660;
/// Longest decline reason.
pub const MAX_REASON: usize = 500;
/// A send form older than this is refused (shown again with a fresh key).
pub const REQUEST_KEY_MAX_AGE_SECS: i64 = 24 * 3600;

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
    /// The title in a language.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.title_nl,
            Lang::En => &self.title_en,
        }
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
    /// Who made it.
    pub created_by: i64,
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

// ---------------------------------------------------------------------------
// The catalogue

/// What the owner typed for a catalogue entry.
#[derive(Debug, Clone, Default)]
pub struct CatalogueInput {
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
    /// Dutch redemption text.
    pub redeem_nl: String,
    /// English redemption text.
    pub redeem_en: String,
    /// A money value (`12.50`), or empty for a percentage.
    pub value: String,
    /// A percentage (`15`), or empty for a money value.
    pub percent: String,
    /// ISO currency code.
    pub currency: String,
    /// What one costs the shop.
    pub cost: String,
    /// Days valid.
    pub validity_days: String,
}

impl CatalogueInput {
    /// The form of an existing entry.
    pub fn from_item(item: &CatalogueItem) -> CatalogueInput {
        CatalogueInput {
            kind: item.kind.clone(),
            title_nl: item.title_nl.clone(),
            title_en: item.title_en.clone(),
            description_nl: item.description_nl.clone(),
            description_en: item.description_en.clone(),
            redeem_nl: item.redeem_nl.clone(),
            redeem_en: item.redeem_en.clone(),
            value: item.value_cents.map(amount_input).unwrap_or_default(),
            percent: item.percent.map(|p| p.to_string()).unwrap_or_default(),
            currency: item.currency.clone(),
            cost: amount_input(item.cost_cents),
            validity_days: item.validity_days.to_string(),
        }
    }
}

/// A checked catalogue entry.
#[derive(Debug, Clone)]
struct ValidItem {
    kind: Kind,
    title_nl: String,
    title_en: String,
    description_nl: String,
    description_en: String,
    redeem_nl: String,
    redeem_en: String,
    value_cents: Option<i64>,
    percent: Option<i16>,
    currency: String,
    cost_cents: i64,
    validity_days: i32,
}

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

fn check_item(input: &CatalogueInput) -> Result<ValidItem, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "gift-error-kind"));
    }
    let title_nl = check_text(&mut errors, "title_nl", &input.title_nl, MAX_TITLE, true);
    let title_en = check_text(&mut errors, "title_en", &input.title_en, MAX_TITLE, true);
    let description_nl = check_text(
        &mut errors,
        "description_nl",
        &input.description_nl,
        MAX_TEXT,
        false,
    );
    let description_en = check_text(
        &mut errors,
        "description_en",
        &input.description_en,
        MAX_TEXT,
        false,
    );
    let redeem_nl = check_text(&mut errors, "redeem_nl", &input.redeem_nl, MAX_TEXT, false);
    let redeem_en = check_text(&mut errors, "redeem_en", &input.redeem_en, MAX_TEXT, false);
    let (value, percent) = (input.value.trim(), input.percent.trim());
    let (mut value_cents, mut percent_value) = (None, None);
    match (value.is_empty(), percent.is_empty()) {
        (true, true) | (false, false) => {
            errors.push(FieldError::new("value", "gift-error-value-or-percent"));
        }
        (false, true) => match parse_amount(value) {
            Some(cents) if cents > 0 => value_cents = Some(cents),
            _ => errors
                .push(FieldError::new("value", "gift-error-amount").arg("max", MAX_CENTS / 100)),
        },
        (true, false) => match percent.parse::<i16>() {
            Ok(p) if (1..=100).contains(&p) => percent_value = Some(p),
            _ => errors.push(FieldError::new("percent", "gift-error-percent")),
        },
    }
    let currency = input.currency.trim().to_ascii_uppercase();
    let currency = if currency.is_empty() {
        "EUR".to_owned()
    } else {
        currency
    };
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(FieldError::new("currency", "gift-error-currency"));
    }
    let cost_cents = match parse_amount(&input.cost) {
        Some(cents) => cents,
        None => {
            errors.push(FieldError::new("cost", "gift-error-amount").arg("max", MAX_CENTS / 100));
            0
        }
    };
    let validity_days = match input.validity_days.trim().parse::<i32>() {
        Ok(days) if (1..=MAX_VALIDITY_DAYS).contains(&days) => days,
        _ => {
            errors.push(
                FieldError::new("validity_days", "gift-error-validity")
                    .arg("max", MAX_VALIDITY_DAYS),
            );
            0
        }
    };
    match (kind, errors.is_empty()) {
        (Some(kind), true) => Ok(ValidItem {
            kind,
            title_nl,
            title_en,
            description_nl,
            description_en,
            redeem_nl,
            redeem_en,
            value_cents,
            percent: percent_value,
            currency,
            cost_cents,
            validity_days,
        }),
        _ => Err(errors),
    }
}

/// Every catalogue entry (or only the active ones), by title.
pub fn catalogue(conn: &mut DbConnection, active_only: bool) -> AppResult<Vec<CatalogueItem>> {
    let mut query = gift_catalogue::table
        .select(CatalogueItem::as_select())
        .order((gift_catalogue::title_nl.asc(), gift_catalogue::id.asc()))
        .into_boxed();
    if active_only {
        query = query.filter(gift_catalogue::active.eq(true));
    }
    Ok(query.load(conn)?)
}

/// Adds a catalogue entry; returns its id.
pub fn add_item(
    conn: &mut DbConnection,
    input: &CatalogueInput,
    now: NaiveDateTime,
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let v = match check_item(input) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let id = diesel::insert_into(gift_catalogue::table)
        .values((
            gift_catalogue::kind.eq(v.kind.as_str()),
            gift_catalogue::title_nl.eq(&v.title_nl),
            gift_catalogue::title_en.eq(&v.title_en),
            gift_catalogue::description_nl.eq(&v.description_nl),
            gift_catalogue::description_en.eq(&v.description_en),
            gift_catalogue::redeem_nl.eq(&v.redeem_nl),
            gift_catalogue::redeem_en.eq(&v.redeem_en),
            gift_catalogue::value_cents.eq(v.value_cents),
            gift_catalogue::currency.eq(&v.currency),
            gift_catalogue::percent.eq(v.percent),
            gift_catalogue::cost_cents.eq(v.cost_cents),
            gift_catalogue::validity_days.eq(v.validity_days),
            gift_catalogue::active.eq(true),
            gift_catalogue::created_at.eq(now),
            gift_catalogue::updated_at.eq(now),
        ))
        .returning(gift_catalogue::id)
        .get_result(conn)?;
    Ok(Ok(id))
}

/// Changes a catalogue entry. Gifts already made keep what they promised
/// (they hold their own copy). NotFound for an unknown id.
pub fn update_item(
    conn: &mut DbConnection,
    id: i64,
    input: &CatalogueInput,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let v = match check_item(input) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let changed = diesel::update(gift_catalogue::table.find(id))
        .set((
            gift_catalogue::kind.eq(v.kind.as_str()),
            gift_catalogue::title_nl.eq(&v.title_nl),
            gift_catalogue::title_en.eq(&v.title_en),
            gift_catalogue::description_nl.eq(&v.description_nl),
            gift_catalogue::description_en.eq(&v.description_en),
            gift_catalogue::redeem_nl.eq(&v.redeem_nl),
            gift_catalogue::redeem_en.eq(&v.redeem_en),
            gift_catalogue::value_cents.eq(v.value_cents),
            gift_catalogue::currency.eq(&v.currency),
            gift_catalogue::percent.eq(v.percent),
            gift_catalogue::cost_cents.eq(v.cost_cents),
            gift_catalogue::validity_days.eq(v.validity_days),
            gift_catalogue::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::not_found());
    }
    Ok(Ok(()))
}

/// Offers a catalogue entry when sending, or stops offering it.
pub fn set_item_active(
    conn: &mut DbConnection,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    let changed = diesel::update(gift_catalogue::table.find(id))
        .set((
            gift_catalogue::active.eq(active),
            gift_catalogue::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// What removing a catalogue entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    /// Never used: deleted.
    Deleted,
    /// Gifts were made from it: withdrawn instead, so they keep their source.
    Deactivated,
}

/// Deletes an unused catalogue entry; a used one is withdrawn instead.
pub fn remove_item(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> AppResult<Removed> {
    let used: i64 = gifts::table
        .filter(gifts::catalogue_id.eq(id))
        .count()
        .get_result(conn)?;
    if used > 0 {
        set_item_active(conn, id, false, now)?;
        return Ok(Removed::Deactivated);
    }
    let deleted = diesel::delete(gift_catalogue::table.find(id)).execute(conn)?;
    if deleted == 0 {
        return Err(AppError::not_found());
    }
    Ok(Removed::Deleted)
}

// ---------------------------------------------------------------------------
// Budget

/// A location's gift budget and this month's spend.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Location id.
    pub location_id: i64,
    /// Location name.
    pub name: String,
    /// Monthly budget in cents; None: no budget.
    pub budget_cents: Option<i64>,
    /// A staff member's gift above this waits for an owner; None: never.
    pub approval_above_cents: Option<i64>,
    /// Spent this calendar month (sent, redeemed and waiting gifts).
    pub spent_cents: i64,
}

impl Budget {
    /// Whether a gift costing `cost` would pass the budget.
    pub fn would_exceed(&self, cost: i64) -> bool {
        self.budget_cents
            .is_some_and(|budget| self.spent_cents.saturating_add(cost) > budget)
    }

    /// Whether a staff member's gift costing `cost` waits for an owner.
    pub fn needs_approval(&self, cost: i64) -> bool {
        self.approval_above_cents.is_some_and(|above| cost > above) || self.would_exceed(cost)
    }
}

/// This month's spend of a location: gifts sent or redeemed (by when they
/// were sent) and gifts waiting for approval (by when they were asked for).
pub fn month_spend(
    conn: &mut DbConnection,
    location_id: i64,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let tz = workflow::get(conn)?.tz();
    let (start, end) = local_time::month_window(tz, now);
    let sent: Vec<i64> = gifts::table
        .filter(gifts::location_id.eq(location_id))
        .filter(gifts::status.eq_any([Status::Sent.as_str(), Status::Redeemed.as_str()]))
        .filter(gifts::sent_at.ge(start).and(gifts::sent_at.lt(end)))
        .select(gifts::cost_cents)
        .load(conn)?;
    let waiting: Vec<i64> = gifts::table
        .filter(gifts::location_id.eq(location_id))
        .filter(gifts::status.eq(Status::AwaitingApproval.as_str()))
        .filter(gifts::created_at.ge(start).and(gifts::created_at.lt(end)))
        .select(gifts::cost_cents)
        .load(conn)?;
    Ok(sent.iter().chain(&waiting).sum())
}

/// The budget of every active location, with this month's spend.
pub fn budgets(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Vec<Budget>> {
    let rows: Vec<(i64, String, Option<i64>, Option<i64>)> = locations::table
        .filter(locations::active.eq(true))
        .order(locations::name.asc())
        .select((
            locations::id,
            locations::name,
            locations::gift_budget_cents,
            locations::gift_approval_above_cents,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (location_id, name, budget_cents, approval_above_cents) in rows {
        out.push(Budget {
            location_id,
            name,
            budget_cents,
            approval_above_cents,
            spent_cents: month_spend(conn, location_id, now)?,
        });
    }
    Ok(out)
}

fn budget_of(
    conn: &mut DbConnection,
    location_id: i64,
    now: NaiveDateTime,
) -> AppResult<Option<Budget>> {
    let row: Option<(String, Option<i64>, Option<i64>)> = locations::table
        .find(location_id)
        .filter(locations::active.eq(true))
        .select((
            locations::name,
            locations::gift_budget_cents,
            locations::gift_approval_above_cents,
        ))
        .first(conn)
        .optional()?;
    let Some((name, budget_cents, approval_above_cents)) = row else {
        return Ok(None);
    };
    Ok(Some(Budget {
        location_id,
        name,
        budget_cents,
        approval_above_cents,
        spent_cents: month_spend(conn, location_id, now)?,
    }))
}

/// Sets a location's monthly budget and approval amount (empty: none).
pub fn set_budget(
    conn: &mut DbConnection,
    location_id: i64,
    budget: &str,
    approval_above: &str,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let mut errors = Vec::new();
    let mut optional = |field: &'static str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = parse_amount(text);
        if parsed.is_none() {
            errors.push(FieldError::new(field, "gift-error-amount").arg("max", MAX_CENTS / 100));
        }
        parsed
    };
    let budget = optional("budget", budget);
    let approval_above = optional("approval_above", approval_above);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let changed = diesel::update(locations::table.find(location_id))
        .set((
            locations::gift_budget_cents.eq(budget),
            locations::gift_approval_above_cents.eq(approval_above),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(AppError::not_found());
    }
    Ok(Ok(()))
}

/// Locks the location's row for the rest of the transaction, so two sends
/// against one budget take turns: the second sees the first one's gift.
fn lock_location(conn: &mut DbConnection, location_id: i64) -> AppResult<()> {
    match conn {
        // backend specific: SQLite has one writer at a time; its transaction
        // already excludes every other.
        DbConnection::Sqlite(_) => Ok(()),
        DbConnection::Pg(pg) => {
            locations::table
                .find(location_id)
                .select(locations::id)
                .for_update()
                .first::<i64>(pg)
                .optional()?;
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------
// Codes and page tokens

/// A fresh page token: 128 bits from the OS RNG, URL-safe.
pub fn new_page_token() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    BASE64URL_NOPAD.encode(&bytes)
}

/// The code of the gift whose page token is `token`: HMAC under the server
/// secret, mapped onto [`CODE_ALPHABET`] without bias (bytes past the last
/// whole multiple of the alphabet are skipped).
pub fn code_for(signer: &Signer, token: &str) -> String {
    let limit = (256 / CODE_ALPHABET.len() * CODE_ALPHABET.len()) as u8;
    let mut code = String::with_capacity(CODE_LEN);
    let mut round = 0u32;
    while code.len() < CODE_LEN {
        let tag = signer.tag(&format!("gift-code:{round}"), token);
        for b in tag {
            if b < limit && code.len() < CODE_LEN {
                code.push(CODE_ALPHABET[usize::from(b) % CODE_ALPHABET.len()] as char);
            }
        }
        round += 1;
    }
    code
}

/// A code grouped for reading out: `K7QF-M3XP-RW`.
pub fn grouped(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + 2);
    for (i, c) in code.chars().enumerate() {
        if i == 4 || i == 8 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// A typed code without case, spaces or dashes; None when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// The stored form of a code: HMAC(server secret, code), hex.
pub fn code_hash(signer: &Signer, code: &str) -> String {
    HEXLOWER.encode(&signer.tag("gift-code-hash", code))
}

/// A signed request key for one send form, bound to the user.
pub fn request_key(signer: &Signer, user_id: i64, now: NaiveDateTime) -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    let value = format!(
        "{}:{}",
        BASE64URL_NOPAD.encode(&bytes),
        now.and_utc().timestamp()
    );
    signer.sign(&format!("gift-send:{user_id}"), &value)
}

/// What a submitted request key says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestKey {
    /// Genuine and fresh.
    Fresh,
    /// Genuine but older than [`REQUEST_KEY_MAX_AGE_SECS`].
    Stale,
    /// Not ours or not this user's.
    Forged,
}

/// Checks a request key from the send form.
pub fn check_request_key(
    signer: &Signer,
    user_id: i64,
    key: &str,
    now: NaiveDateTime,
) -> RequestKey {
    let Some(value) = signer.verify(&format!("gift-send:{user_id}"), key) else {
        return RequestKey::Forged;
    };
    let issued = value
        .rsplit_once(':')
        .and_then(|(_, t)| t.parse::<i64>().ok());
    match issued {
        Some(t) if now.and_utc().timestamp() - t <= REQUEST_KEY_MAX_AGE_SECS => RequestKey::Fresh,
        Some(_) => RequestKey::Stale,
        None => RequestKey::Forged,
    }
}

// ---------------------------------------------------------------------------
// Sending

/// Who is sending.
#[derive(Debug, Clone)]
pub struct Sender {
    /// User id.
    pub id: i64,
    /// Whether they are an owner (their gifts never wait).
    pub is_owner: bool,
}

/// What the send form carries.
#[derive(Debug, Clone)]
pub struct SendInput {
    /// Catalogue entry (a number as typed).
    pub catalogue_id: String,
    /// The location whose budget pays (a number as typed).
    pub location_id: String,
    /// The ticket it thanks for, if any (already checked to exist).
    pub ticket_id: Option<i64>,
    /// Where to mail it.
    pub email: String,
    /// The customer's name, optional.
    pub name: String,
    /// A personal message, optional.
    pub message: String,
    /// The customer's language.
    pub language: Lang,
    /// The form's signed request key (already checked).
    pub request_key: String,
    /// An owner's explicit choice to pass the budget.
    pub send_anyway: bool,
}

/// What a send did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Mailed to the customer.
    Sent(i64),
    /// Waiting for an owner's approval.
    Awaiting(i64),
    /// This form was already sent: nothing new was made.
    Repeated(i64),
}

/// Sends a gift, or queues it for an owner's approval (see the module doc).
pub fn send(
    conn: &mut DbConnection,
    input: &SendInput,
    sender: &Sender,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<Sent, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let location_id = input.location_id.trim().parse::<i64>().ok();
    if let Some(location_id) = location_id {
        lock_location(conn, location_id)?;
    }
    let key_hash = hash_token(&input.request_key);
    let repeated: Option<i64> = gift_requests::table
        .find(&key_hash)
        .select(gift_requests::gift_id)
        .first(conn)
        .optional()?;
    if let Some(gift_id) = repeated {
        return Ok(Ok(Sent::Repeated(gift_id)));
    }
    let item = match input.catalogue_id.trim().parse::<i64>() {
        Ok(id) => gift_catalogue::table
            .find(id)
            .filter(gift_catalogue::active.eq(true))
            .select(CatalogueItem::as_select())
            .first(conn)
            .optional()?,
        Err(_) => None,
    };
    if item.is_none() {
        errors.push(FieldError::new("catalogue_id", "gift-error-catalogue"));
    }
    let budget = match location_id {
        Some(id) => budget_of(conn, id, now)?,
        None => None,
    };
    if budget.is_none() {
        errors.push(FieldError::new("location_id", "gift-error-location"));
    }
    let email = input.email.trim().to_owned();
    if !valid_email(&email) {
        errors.push(FieldError::new("email", "gift-error-email"));
    }
    let name = check_text(&mut errors, "name", &input.name, MAX_NAME, false);
    let message = check_text(&mut errors, "message", &input.message, MAX_TEXT, false);
    let (Some(item), Some(budget), true) = (item, budget, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let over_budget = budget.would_exceed(item.cost_cents);
    let waits = if sender.is_owner {
        if over_budget && !input.send_anyway {
            return Ok(Err(vec![FieldError::new(
                "send_anyway",
                "gift-error-over-budget",
            )]));
        }
        false
    } else {
        budget.needs_approval(item.cost_cents)
    };
    let lang = input.language;
    let (title, description, redeem_how) = match lang {
        Lang::Nl => (&item.title_nl, &item.description_nl, &item.redeem_nl),
        Lang::En => (&item.title_en, &item.description_en, &item.redeem_en),
    };
    let status = if waits {
        Status::AwaitingApproval
    } else {
        Status::Sent
    };
    let gift_id: i64 = diesel::insert_into(gifts::table)
        .values((
            gifts::catalogue_id.eq(item.id),
            gifts::ticket_id.eq(input.ticket_id),
            gifts::location_id.eq(budget.location_id),
            gifts::kind.eq(&item.kind),
            gifts::title.eq(title),
            gifts::description.eq(description),
            gifts::redeem_how.eq(redeem_how),
            gifts::value_cents.eq(item.value_cents),
            gifts::currency.eq(&item.currency),
            gifts::percent.eq(item.percent),
            gifts::cost_cents.eq(item.cost_cents),
            gifts::validity_days.eq(item.validity_days),
            gifts::language.eq(lang.code()),
            gifts::recipient_email.eq(&email),
            gifts::recipient_name.eq((!name.is_empty()).then_some(&name)),
            gifts::message.eq(&message),
            gifts::status.eq(status.as_str()),
            gifts::created_by.eq(sender.id),
            gifts::created_at.eq(now),
        ))
        .returning(gifts::id)
        .get_result(conn)?;
    diesel::insert_into(gift_requests::table)
        .values((
            gift_requests::key_hash.eq(&key_hash),
            gift_requests::gift_id.eq(gift_id),
            gift_requests::created_at.eq(now),
        ))
        .execute(conn)?;
    let gift = find(conn, gift_id)?.ok_or_else(|| AppError::internal("gift just made is gone"))?;
    if waits {
        if let Some(ticket_id) = gift.ticket_id {
            ticket::add_event(
                conn,
                ticket_id,
                "gift_awaiting",
                Some(sender.id),
                &gift.title,
                None,
                now,
            )?;
        }
        audit::record(
            conn,
            Actor::User(sender.id),
            "gift.request",
            gift.ticket_id,
            &gift_id.to_string(),
            now,
        )?;
        tell_owners(conn, &gift, &budget.name, mail, now)?;
        Ok(Ok(Sent::Awaiting(gift_id)))
    } else {
        let detail = if over_budget {
            format!("{gift_id} over budget")
        } else {
            gift_id.to_string()
        };
        audit::record(
            conn,
            Actor::User(sender.id),
            "gift.send",
            gift.ticket_id,
            &detail,
            now,
        )?;
        deliver(conn, &gift, Some(sender.id), "gift_sent", mail, now)?;
        Ok(Ok(Sent::Sent(gift_id)))
    }
}

/// Gives a gift its token and code, marks it sent, mails the customer and
/// notes it on the ticket's timeline.
fn deliver(
    conn: &mut DbConnection,
    gift: &Gift,
    actor: Option<i64>,
    event: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    // A code or token clash is astronomically rare; draw again when it happens.
    let (token, code_hash_value) = loop {
        let token = new_page_token();
        let hash = code_hash(&mail.signer, &code_for(&mail.signer, &token));
        let token_hash = hash_token(&token);
        let taken: i64 = gifts::table
            .filter(
                gifts::code_hash
                    .eq(&hash)
                    .or(gifts::access_token_hash.eq(&token_hash)),
            )
            .count()
            .get_result(conn)?;
        if taken == 0 {
            break (token, hash);
        }
    };
    let expires_at = now + Duration::days(i64::from(gift.validity_days));
    diesel::update(gifts::table.find(gift.id))
        .set((
            gifts::status.eq(Status::Sent.as_str()),
            gifts::code_hash.eq(&code_hash_value),
            gifts::access_token_hash.eq(hash_token(&token)),
            gifts::sent_at.eq(now),
            gifts::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    let Some(recipient) = gift.recipient_email.as_deref() else {
        return Err(AppError::internal("a gift to send has no address"));
    };
    let shop: String = locations::table
        .find(gift.location_id)
        .select(locations::name)
        .first(conn)?;
    let tz = workflow::get(conn)?.tz();
    let lang = gift.lang();
    let expires = local_time::format_date(tz, expires_at, lang);
    let link = mail.link(&format!("/v/{token}"));
    let value = gift.value_text(lang);
    let rendered = GiftForCustomer {
        lang,
        shop: &shop,
        name: gift.recipient_name.as_deref(),
        title: &gift.title,
        value: &value,
        message: &gift.message,
        expires: &expires,
        link: &link,
    }
    .render();
    let thread = match gift.ticket_id {
        Some(ticket_id) => outbox::thread(conn, ticket_id)?,
        None => outbox::Thread::default(),
    };
    let message_id = mail.new_message_id("gift");
    outbox::enqueue(
        conn,
        &NewMail {
            kind: MailKind::Gift,
            ticket_id: gift.ticket_id,
            ticket_message_id: None,
            recipient,
            rendered: &rendered,
            message_id: &message_id,
            in_reply_to: thread.in_reply_to.as_deref(),
            references: thread.references.as_deref(),
        },
        now,
    )?;
    if let Some(ticket_id) = gift.ticket_id {
        ticket::add_event(conn, ticket_id, event, actor, &gift.title, None, now)?;
    }
    Ok(())
}

fn tell_owners(
    conn: &mut DbConnection,
    gift: &Gift,
    shop: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    let asker: String = users::table
        .find(gift.created_by)
        .select(users::name)
        .first(conn)?;
    let link = mail.link("/staff/gifts/approvals");
    for owner in workflow::recipients(conn, workflow::Audience::Owners)? {
        let cost = format_money(gift.cost_cents, &gift.currency, owner.lang);
        let rendered = GiftWaiting {
            lang: owner.lang,
            shop,
            title: &gift.title,
            cost: &cost,
            asked_by: &asker,
            link: &link,
        }
        .render();
        let message_id = mail.new_message_id("gift-waiting");
        outbox::enqueue(
            conn,
            &NewMail {
                kind: MailKind::GiftWaiting,
                ticket_id: gift.ticket_id,
                ticket_message_id: None,
                recipient: &owner.email,
                rendered: &rendered,
                message_id: &message_id,
                in_reply_to: None,
                references: None,
            },
            now,
        )?;
    }
    Ok(())
}

fn tell_asker(
    conn: &mut DbConnection,
    gift: &Gift,
    approved: bool,
    reason: Option<&str>,
    owner_id: i64,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<()> {
    if gift.created_by == owner_id {
        return Ok(());
    }
    let (email, language, active): (String, String, bool) = users::table
        .find(gift.created_by)
        .select((users::email, users::language, users::active))
        .first(conn)?;
    if !active {
        return Ok(());
    }
    let lang = Lang::from_code(&language).unwrap_or(Lang::Nl);
    let shop: String = locations::table
        .find(gift.location_id)
        .select(locations::name)
        .first(conn)?;
    let link = mail.link(&format!("/staff/gifts/{}", gift.id));
    let rendered = GiftDecided {
        lang,
        shop: &shop,
        title: &gift.title,
        approved,
        reason,
        link: &link,
    }
    .render();
    let message_id = mail.new_message_id("gift-decided");
    outbox::enqueue(
        conn,
        &NewMail {
            kind: MailKind::GiftDecided,
            ticket_id: gift.ticket_id,
            ticket_message_id: None,
            recipient: &email,
            rendered: &rendered,
            message_id: &message_id,
            in_reply_to: None,
            references: None,
        },
        now,
    )
}

/// An owner approves a waiting gift: it is sent now and its asker told.
/// False when it was not waiting (already decided).
pub fn approve(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let changed = diesel::update(
        gifts::table
            .find(gift_id)
            .filter(gifts::status.eq(Status::AwaitingApproval.as_str())),
    )
    .set((gifts::decided_by.eq(owner_id), gifts::decided_at.eq(now)))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    let gift = find(conn, gift_id)?.ok_or_else(AppError::not_found)?;
    deliver(conn, &gift, Some(owner_id), "gift_approved", mail, now)?;
    audit::record(
        conn,
        Actor::User(owner_id),
        "gift.approve",
        gift.ticket_id,
        &gift_id.to_string(),
        now,
    )?;
    tell_asker(conn, &gift, true, None, owner_id, mail, now)?;
    Ok(true)
}

/// An owner declines a waiting gift, with an optional reason for the asker.
/// `Ok(false)` when it was not waiting.
pub fn decline(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    reason: &str,
    mail: &MailContext,
    now: NaiveDateTime,
) -> AppResult<Result<bool, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let reason = check_text(&mut errors, "reason", reason, MAX_REASON, false);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    let changed = diesel::update(
        gifts::table
            .find(gift_id)
            .filter(gifts::status.eq(Status::AwaitingApproval.as_str())),
    )
    .set((
        gifts::status.eq(Status::Declined.as_str()),
        gifts::decided_by.eq(owner_id),
        gifts::decided_at.eq(now),
        gifts::decline_reason.eq(&reason),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(Ok(false));
    }
    let gift = find(conn, gift_id)?.ok_or_else(AppError::not_found)?;
    if let Some(ticket_id) = gift.ticket_id {
        ticket::add_event(
            conn,
            ticket_id,
            "gift_declined",
            Some(owner_id),
            &gift.title,
            None,
            now,
        )?;
    }
    audit::record(
        conn,
        Actor::User(owner_id),
        "gift.decline",
        gift.ticket_id,
        &gift_id.to_string(),
        now,
    )?;
    tell_asker(conn, &gift, false, reason.as_deref(), owner_id, mail, now)?;
    Ok(Ok(true))
}

/// An owner voids a sent gift: the till refuses it from now on. False when
/// it was not in the sent state (redeemed, voided, never sent).
pub fn void(
    conn: &mut DbConnection,
    gift_id: i64,
    owner_id: i64,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let changed = diesel::update(
        gifts::table
            .find(gift_id)
            .filter(gifts::status.eq(Status::Sent.as_str())),
    )
    .set((
        gifts::status.eq(Status::Void.as_str()),
        gifts::voided_at.eq(now),
        gifts::voided_by.eq(owner_id),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    let gift = find(conn, gift_id)?.ok_or_else(AppError::not_found)?;
    if let Some(ticket_id) = gift.ticket_id {
        ticket::add_event(
            conn,
            ticket_id,
            "gift_voided",
            Some(owner_id),
            &gift.title,
            None,
            now,
        )?;
    }
    audit::record(
        conn,
        Actor::User(owner_id),
        "gift.void",
        gift.ticket_id,
        &gift_id.to_string(),
        now,
    )?;
    Ok(true)
}

// ---------------------------------------------------------------------------
// Reading

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
    Ok(lines(conn, found.into_iter().collect())?.pop())
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
    Ok(lines(conn, found.into_iter().collect())?.pop())
}

/// The gift a customer's page token opens, with its location's name.
pub fn by_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<GiftLine>> {
    let found = gifts::table
        .filter(gifts::access_token_hash.eq(hash_token(token)))
        .select(Gift::as_select())
        .first(conn)
        .optional()?;
    Ok(lines(conn, found.into_iter().collect())?.pop())
}

// ---------------------------------------------------------------------------
// Redeeming

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

/// Marks a gift redeemed by `user_id` at `location_id` — exactly once: one
/// conditional update, whatever runs at the same time.
pub fn redeem(
    conn: &mut DbConnection,
    gift_id: i64,
    user_id: i64,
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
    let changed = diesel::update(
        gifts::table
            .find(gift_id)
            .filter(gifts::status.eq(Status::Sent.as_str()))
            .filter(gifts::expires_at.gt(now)),
    )
    .set((
        gifts::status.eq(Status::Redeemed.as_str()),
        gifts::redeemed_at.eq(now),
        gifts::redeemed_by.eq(user_id),
        gifts::redeemed_location_id.eq(location_id),
    ))
    .execute(conn)?;
    let gift = find(conn, gift_id)?.ok_or_else(AppError::not_found)?;
    if changed == 1 {
        if let Some(ticket_id) = gift.ticket_id {
            ticket::add_event(
                conn,
                ticket_id,
                "gift_redeemed",
                Some(user_id),
                &gift.title,
                None,
                now,
            )?;
        }
        audit::record(
            conn,
            Actor::User(user_id),
            "gift.redeem",
            gift.ticket_id,
            &gift_id.to_string(),
            now,
        )?;
        return Ok(Redemption::Redeemed);
    }
    Ok(match gift.state(now) {
        State::Redeemed => Redemption::AlreadyRedeemed,
        State::Void => Redemption::Void,
        State::Expired | State::Valid => Redemption::Expired,
        State::Awaiting | State::Declined => Redemption::NotSent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_normalise() {
        let signer = Signer::new(b"a key for the test, long enough to be a key");
        let code = code_for(&signer, &new_page_token());
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let shown = grouped(&code);
        assert_eq!(shown.len(), 12);
        assert_eq!(
            normalise_code(&shown.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        assert_eq!(normalise_code("0000-0000-00"), None);
        for c in b"0O1IL2Z5S8BUV" {
            assert!(!CODE_ALPHABET.contains(c));
        }
    }
}
