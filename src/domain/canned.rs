//! Canned responses: answers the owner writes once, in the languages the
//! locations offer, that staff start a reply from (in the customer's
//! language, else the location's default one). Placeholders are filled in for the ticket at hand:
//! `{name}` (the customer's name, or a neutral greeting word), `{reference}`,
//! `{shop}` (the location) and `{staff}` (who is answering).

use super::audit::{self, Actor};
use super::{FieldError, WrittenRule};
use crate::db::schema::canned_responses;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::{Lang, Written};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Longest title, in characters.
pub const MAX_TITLE: usize = 80;
/// Longest body, in characters (a reply's limit).
pub const MAX_BODY: usize = super::ticket::MAX_REPLY;

/// A canned response.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = canned_responses)]
pub struct CannedResponse {
    /// Row id.
    pub id: i64,
    /// What staff pick it by.
    pub title: String,
    /// Dutch text.
    pub body_nl: String,
    /// English text.
    pub body_en: String,
    /// Order in the list.
    pub position: i32,
    /// Offered to staff.
    pub active: bool,
    /// French text (empty: not written).
    pub body_fr: String,
    /// German text (empty: not written).
    pub body_de: String,
}

impl CannedResponse {
    /// The texts in every language.
    pub fn bodies(&self) -> Written<&str> {
        Written([&self.body_nl, &self.body_en, &self.body_fr, &self.body_de])
    }
}

/// What fills the placeholders.
pub struct Placeholders<'a> {
    /// The customer's name, if they gave one.
    pub name: Option<&'a str>,
    /// The ticket's reference.
    pub reference: &'a str,
    /// The location's name.
    pub shop: &'a str,
    /// The staff member answering.
    pub staff: &'a str,
}

/// The canned text in `lang` with its placeholders filled in. Unknown
/// `{words}` stay as they are, so a typo shows instead of vanishing.
pub fn fill(text: &str, lang: Lang, values: &Placeholders<'_>) -> String {
    let neutral = lang.t("canned-no-name");
    let name = values.name.unwrap_or(&neutral);
    text.replace("{name}", name)
        .replace("{reference}", values.reference)
        .replace("{shop}", values.shop)
        .replace("{staff}", values.staff)
}

/// The owner's input for a canned response (decoded from the form's
/// `title` and `body_nl` … `body_de` fields).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(from = "CannedForm")]
pub struct CannedInput {
    /// Title.
    pub title: String,
    /// The text per language; at least one is needed.
    pub bodies: Written,
}

/// The canned-response form's fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CannedForm {
    title: String,
    body_nl: String,
    body_en: String,
    body_fr: String,
    body_de: String,
}

impl From<CannedForm> for CannedInput {
    fn from(form: CannedForm) -> CannedInput {
        CannedInput {
            title: form.title,
            bodies: Written([form.body_nl, form.body_en, form.body_fr, form.body_de]),
        }
    }
}

/// The form fields of the texts, in [`Lang::ALL`] order.
pub const BODY_FIELDS: [&str; 4] = ["body_nl", "body_en", "body_fr", "body_de"];

/// The texts: at least one written, none longer than a reply.
const BODIES: WrittenRule = WrittenRule {
    group: "body",
    fields: BODY_FIELDS,
    max: MAX_BODY,
    required: true,
    empty_key: "canned-body-empty",
    too_long_key: "canned-too-long",
};

fn check(input: &CannedInput) -> Result<CannedInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "canned-title-empty"));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(FieldError::new("title", "canned-too-long").arg("max", MAX_TITLE));
    }
    let bodies = BODIES.check(&input.bodies, &mut errors);
    if errors.is_empty() {
        Ok(CannedInput {
            title: title.to_owned(),
            bodies,
        })
    } else {
        Err(errors)
    }
}

/// Every canned response (or only the active ones), in list order.
pub fn list(conn: &mut DbConnection, active_only: bool) -> AppResult<Vec<CannedResponse>> {
    let mut query = canned_responses::table
        .select(CannedResponse::as_select())
        .order((canned_responses::position.asc(), canned_responses::id.asc()))
        .into_boxed();
    if active_only {
        query = query.filter(canned_responses::active.eq(true));
    }
    Ok(query.load(conn)?)
}

/// One canned response.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<CannedResponse>> {
    Ok(canned_responses::table
        .find(id)
        .select(CannedResponse::as_select())
        .first(conn)
        .optional()?)
}

/// Adds a canned response at the end of the list; returns its id. Audited
/// as `canned.add`.
pub fn add(
    conn: &mut DbConnection,
    actor: Actor,
    input: &CannedInput,
    now: NaiveDateTime,
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let valid = match check(input) {
        Ok(valid) => valid,
        Err(errors) => return Ok(Err(errors)),
    };
    let last: Option<i32> = canned_responses::table
        .select(diesel::dsl::max(canned_responses::position))
        .first(conn)?;
    let id: i64 = diesel::insert_into(canned_responses::table)
        .values((
            canned_responses::title.eq(&valid.title),
            body_values(&valid.bodies),
            canned_responses::position.eq(last.unwrap_or(0) + 1),
            canned_responses::active.eq(true),
            canned_responses::created_at.eq(now),
        ))
        .returning(canned_responses::id)
        .get_result(conn)?;
    audit::record(conn, actor, "canned.add", None, &id.to_string(), now)?;
    Ok(Ok(id))
}

/// Changes a canned response's texts. NotFound for an unknown id. Audited
/// as `canned.update`.
pub fn update(
    conn: &mut DbConnection,
    actor: Actor,
    id: i64,
    input: &CannedInput,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let valid = match check(input) {
        Ok(valid) => valid,
        Err(errors) => return Ok(Err(errors)),
    };
    let changed = diesel::update(canned_responses::table.find(id))
        .set((
            canned_responses::title.eq(&valid.title),
            body_values(&valid.bodies),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::error::AppError::not_found());
    }
    audit::record(conn, actor, "canned.update", None, &id.to_string(), now)?;
    Ok(Ok(()))
}

/// The text columns set to `bodies`.
#[allow(clippy::type_complexity)]
fn body_values(
    bodies: &Written,
) -> (
    diesel::dsl::Eq<canned_responses::body_nl, &str>,
    diesel::dsl::Eq<canned_responses::body_en, &str>,
    diesel::dsl::Eq<canned_responses::body_fr, &str>,
    diesel::dsl::Eq<canned_responses::body_de, &str>,
) {
    (
        canned_responses::body_nl.eq(bodies.get(Lang::Nl)),
        canned_responses::body_en.eq(bodies.get(Lang::En)),
        canned_responses::body_fr.eq(bodies.get(Lang::Fr)),
        canned_responses::body_de.eq(bodies.get(Lang::De)),
    )
}

/// Offers a canned response to staff, or stops offering it. Audited as
/// `canned.offer` or `canned.withdraw`.
pub fn set_active(
    conn: &mut DbConnection,
    actor: Actor,
    id: i64,
    active: bool,
    now: NaiveDateTime,
) -> AppResult<()> {
    let changed = diesel::update(canned_responses::table.find(id))
        .set(canned_responses::active.eq(active))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::error::AppError::not_found());
    }
    let action = if active {
        "canned.offer"
    } else {
        "canned.withdraw"
    };
    audit::record(conn, actor, action, None, &id.to_string(), now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_stay() {
        let values = Placeholders {
            name: Some("Sanne"),
            reference: "K7QX-M2",
            shop: "Bakery",
            staff: "Ahmed",
        };
        assert_eq!(
            fill(
                "Dear {name}, about {reference} at {shop}: {oops}. {staff}",
                Lang::En,
                &values
            ),
            "Dear Sanne, about K7QX-M2 at Bakery: {oops}. Ahmed"
        );
        let anonymous = Placeholders {
            name: None,
            ..values
        };
        assert!(!fill("Hi {name}", Lang::En, &anonymous).contains("{name}"));
    }
}
