//! The owner's catalogue of thank-yous: checking what was typed, adding,
//! changing, offering or withdrawing and removing entries, each with its
//! audit entry.

use super::{touched, CatalogueItem, Kind, MAX_TEXT, MAX_TITLE};
use crate::db::schema::{gift_catalogue, gifts};
use crate::db::DbConnection;
use crate::domain::audit::{self, Actor};
use crate::domain::money::{amount_input, parse_amount, MAX_CENTS};
use crate::domain::{FieldError, WrittenRule};
use crate::error::AppResult;
use crate::i18n::Written;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest validity, in days (ten years).
pub const MAX_VALIDITY_DAYS: i32 = 3660;

/// What the owner typed for a catalogue entry (decoded from the catalogue
/// form's fields: `title_nl` … `title_de`, `description_*`, `redeem_*`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(from = "CatalogueForm")]
pub struct CatalogueInput {
    /// Stored [`Kind`].
    pub kind: String,
    /// Title per language; at least one is needed.
    pub titles: Written,
    /// Description per language.
    pub descriptions: Written,
    /// How and where to redeem it, per language.
    pub redeem: Written,
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

/// The catalogue form's fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CatalogueForm {
    kind: String,
    title_nl: String,
    title_en: String,
    title_fr: String,
    title_de: String,
    description_nl: String,
    description_en: String,
    description_fr: String,
    description_de: String,
    redeem_nl: String,
    redeem_en: String,
    redeem_fr: String,
    redeem_de: String,
    value: String,
    percent: String,
    currency: String,
    cost: String,
    validity_days: String,
}

impl From<CatalogueForm> for CatalogueInput {
    fn from(f: CatalogueForm) -> CatalogueInput {
        CatalogueInput {
            kind: f.kind,
            titles: Written([f.title_nl, f.title_en, f.title_fr, f.title_de]),
            descriptions: Written([
                f.description_nl,
                f.description_en,
                f.description_fr,
                f.description_de,
            ]),
            redeem: Written([f.redeem_nl, f.redeem_en, f.redeem_fr, f.redeem_de]),
            value: f.value,
            percent: f.percent,
            currency: f.currency,
            cost: f.cost,
            validity_days: f.validity_days,
        }
    }
}

/// The form fields of the titles, in [`crate::i18n::Lang::ALL`] order.
pub const TITLE_FIELDS: [&str; 4] = ["title_nl", "title_en", "title_fr", "title_de"];
/// The form fields of the descriptions.
pub const DESCRIPTION_FIELDS: [&str; 4] = [
    "description_nl",
    "description_en",
    "description_fr",
    "description_de",
];
/// The form fields of the redemption texts.
pub const REDEEM_FIELDS: [&str; 4] = ["redeem_nl", "redeem_en", "redeem_fr", "redeem_de"];

const TITLES: WrittenRule = WrittenRule {
    group: "title",
    fields: TITLE_FIELDS,
    max: MAX_TITLE,
    required: true,
    empty_key: "gift-error-empty",
    too_long_key: "gift-error-too-long",
};

const DESCRIPTIONS: WrittenRule = WrittenRule {
    group: "description",
    fields: DESCRIPTION_FIELDS,
    max: MAX_TEXT,
    required: false,
    empty_key: "gift-error-empty",
    too_long_key: "gift-error-too-long",
};

const REDEEM: WrittenRule = WrittenRule {
    group: "redeem",
    fields: REDEEM_FIELDS,
    ..DESCRIPTIONS
};

impl CatalogueInput {
    /// The form of an existing entry.
    pub fn from_item(item: &CatalogueItem) -> CatalogueInput {
        CatalogueInput {
            kind: item.kind.clone(),
            titles: item.titles().owned(),
            descriptions: item.descriptions().owned(),
            redeem: item.redeem_texts().owned(),
            value: item.value_cents.map(amount_input).unwrap_or_default(),
            percent: item.percent.map(|p| p.to_string()).unwrap_or_default(),
            currency: item.currency.clone(),
            cost: amount_input(item.cost_cents),
            validity_days: item.validity_days.to_string(),
        }
    }
}

/// A checked catalogue entry: the columns an add or a change writes.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = gift_catalogue)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
struct ValidItem {
    kind: &'static str,
    title_nl: String,
    title_en: String,
    description_nl: String,
    description_en: String,
    redeem_nl: String,
    redeem_en: String,
    title_fr: String,
    title_de: String,
    description_fr: String,
    description_de: String,
    redeem_fr: String,
    redeem_de: String,
    value_cents: Option<i64>,
    percent: Option<i16>,
    currency: String,
    cost_cents: i64,
    validity_days: i32,
}

fn check_item(input: &CatalogueInput) -> Result<ValidItem, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "gift-error-kind"));
    }
    let Written([title_nl, title_en, title_fr, title_de]) =
        TITLES.check(&input.titles, &mut errors);
    let Written([description_nl, description_en, description_fr, description_de]) =
        DESCRIPTIONS.check(&input.descriptions, &mut errors);
    let Written([redeem_nl, redeem_en, redeem_fr, redeem_de]) =
        REDEEM.check(&input.redeem, &mut errors);
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
            kind: kind.as_str(),
            title_nl,
            title_en,
            description_nl,
            description_en,
            redeem_nl,
            redeem_en,
            title_fr,
            title_de,
            description_fr,
            description_de,
            redeem_fr,
            redeem_de,
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
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let item = match check_item(input) {
        Ok(item) => item,
        Err(errors) => return Ok(Err(errors)),
    };
    let id: i64 = diesel::insert_into(gift_catalogue::table)
        .values((
            &item,
            gift_catalogue::active.eq(true),
            gift_catalogue::created_at.eq(now),
            gift_catalogue::updated_at.eq(now),
        ))
        .returning(gift_catalogue::id)
        .get_result(conn)?;
    audit::note(conn, actor, "gift.catalogue.add", &id.to_string(), now)?;
    Ok(Ok(id))
}

/// Changes a catalogue entry. Gifts already made keep what they promised
/// (they hold their own copy). NotFound for an unknown id.
pub fn update_item(
    conn: &mut DbConnection,
    id: i64,
    input: &CatalogueInput,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let item = match check_item(input) {
        Ok(item) => item,
        Err(errors) => return Ok(Err(errors)),
    };
    let changed = diesel::update(gift_catalogue::table.find(id))
        .set((&item, gift_catalogue::updated_at.eq(now)))
        .execute(conn)?;
    touched(changed)?;
    audit::note(conn, actor, "gift.catalogue.update", &id.to_string(), now)?;
    Ok(Ok(()))
}

/// Offers a catalogue entry when sending, or stops offering it.
pub fn set_item_active(
    conn: &mut DbConnection,
    id: i64,
    active: bool,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<()> {
    set_active(conn, id, active, now)?;
    let action = if active {
        "gift.catalogue.offer"
    } else {
        "gift.catalogue.withdraw"
    };
    audit::record(conn, actor, action, None, &id.to_string(), now)
}

fn set_active(conn: &mut DbConnection, id: i64, active: bool, now: NaiveDateTime) -> AppResult<()> {
    let changed = diesel::update(gift_catalogue::table.find(id))
        .set((
            gift_catalogue::active.eq(active),
            gift_catalogue::updated_at.eq(now),
        ))
        .execute(conn)?;
    touched(changed)
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
pub fn remove_item(
    conn: &mut DbConnection,
    id: i64,
    actor: Actor,
    now: NaiveDateTime,
) -> AppResult<Removed> {
    let used: i64 = gifts::table
        .filter(gifts::catalogue_id.eq(id))
        .count()
        .get_result(conn)?;
    let removed = if used > 0 {
        set_active(conn, id, false, now)?;
        Removed::Deactivated
    } else {
        touched(diesel::delete(gift_catalogue::table.find(id)).execute(conn)?)?;
        Removed::Deleted
    };
    let action = match removed {
        Removed::Deleted => "gift.catalogue.delete",
        Removed::Deactivated => "gift.catalogue.withdraw",
    };
    audit::record(conn, actor, action, None, &id.to_string(), now)?;
    Ok(removed)
}
