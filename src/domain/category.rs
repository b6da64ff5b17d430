//! Categories: what a complaint was about ("service", "waiting time", …), named
//! by the owner in the languages their locations offer (a reader whose
//! language is missing gets the location's default one). A few defaults come
//! with the migrations, in all four languages.

use super::{FieldError, WrittenRule};
use crate::db::schema::categories;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::{Lang, Written};
use diesel::prelude::*;

/// A topic a customer can pick.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct Category {
    /// Internal id.
    pub id: i64,
    /// Stable name used in forms.
    pub slug: String,
    /// Dutch name.
    pub name_nl: String,
    /// English name.
    pub name_en: String,
    /// Order on the form.
    pub position: i32,
    /// Inactive ones are not offered.
    pub active: bool,
    /// French name (empty: not written).
    pub name_fr: String,
    /// German name (empty: not written).
    pub name_de: String,
}

/// The name columns, in [`Lang::ALL`] order, for queries that show a
/// ticket's topic (`category::NAMES.nullable()`); see [`Written`].
pub const NAMES: (
    categories::name_nl,
    categories::name_en,
    categories::name_fr,
    categories::name_de,
) = (
    categories::name_nl,
    categories::name_en,
    categories::name_fr,
    categories::name_de,
);

/// A row of [`NAMES`].
pub type NamesRow = (String, String, String, String);

/// A topic's name for staff reading `lang` (else the first written), from
/// a [`NamesRow`].
pub fn name_in(row: &NamesRow, lang: Lang) -> &str {
    Written([row.0.as_str(), &row.1, &row.2, &row.3]).pick(lang, lang)
}

impl Category {
    /// The names in every language.
    pub fn names(&self) -> Written<&str> {
        Written([&self.name_nl, &self.name_en, &self.name_fr, &self.name_de])
    }

    /// The name for a reader of `lang` at a location whose default is
    /// `fallback`.
    pub fn name(&self, lang: Lang, fallback: Lang) -> &str {
        self.names().pick(lang, fallback)
    }
}

/// Categories offered to customers, in order.
pub fn list_active(conn: &mut DbConnection) -> AppResult<Vec<Category>> {
    Ok(categories::table
        .filter(categories::active.eq(true))
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(conn)?)
}

/// Every category, active or not, in order (for the owner).
pub fn list_all(conn: &mut DbConnection) -> AppResult<Vec<Category>> {
    Ok(categories::table
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(conn)?)
}

/// What an owner types for a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    /// Its name per language; at least one is needed.
    pub names: Written,
    /// Order on the form, as typed; empty when adding = at the end.
    pub position: String,
    /// Offered to customers.
    pub active: bool,
}

/// Longest name, in characters.
pub const MAX_NAME: usize = 60;

/// The form fields of the names, in [`Lang::ALL`] order.
pub const NAME_FIELDS: [&str; 4] = ["name_nl", "name_en", "name_fr", "name_de"];

/// The names: at least one written, none longer than [`MAX_NAME`].
const NAMES_RULE: WrittenRule = WrittenRule {
    group: "name",
    fields: NAME_FIELDS,
    max: MAX_NAME,
    required: true,
    empty_key: "owner-error-category-name",
    too_long_key: "owner-error-category-name",
};

/// Checks names and order; the position is `None` when left empty.
fn validate(input: &CategoryInput) -> Result<(Written, Option<i32>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let names = NAMES_RULE.check(&input.names, &mut errors);
    let raw = input.position.trim();
    let position = if raw.is_empty() {
        Ok(None)
    } else {
        match raw.parse::<i32>() {
            Ok(p) if (0..=9999).contains(&p) => Ok(Some(p)),
            _ => {
                errors.push(FieldError::new("position", "owner-error-position").arg("max", 9999));
                Err(())
            }
        }
    };
    match position {
        Ok(position) if errors.is_empty() => Ok((names, position)),
        _ => Err(errors),
    }
}

/// A slug made from a name: lowercase ASCII letters and digits joined by
/// single dashes, at most 50 characters; `category` when nothing is left.
pub fn slug_from_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            if slug.len() >= 50 {
                break;
            }
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "category".to_owned()
    } else {
        slug.to_owned()
    }
}

/// Adds a category (active) with a slug made from its English name (or the
/// first one written), made unique with a number when needed. An empty
/// position puts it last.
pub fn add(
    conn: &mut DbConnection,
    input: &CategoryInput,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let (names, position) = match validate(input) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let base = slug_from_name(names.for_reader(Lang::En, Lang::En));
    let taken: Vec<String> = categories::table
        .filter(categories::slug.like(format!("{base}%")))
        .select(categories::slug)
        .load(conn)?;
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|s| !taken.contains(s))
        .unwrap_or(base);
    let position = match position {
        Some(p) => p,
        None => {
            let last: Option<i32> = categories::table
                .select(diesel::dsl::max(categories::position))
                .first(conn)?;
            last.unwrap_or(0).saturating_add(1)
        }
    };
    diesel::insert_into(categories::table)
        .values((
            categories::slug.eq(&slug),
            name_values(&names),
            categories::position.eq(position),
            categories::active.eq(true),
        ))
        .execute(conn)?;
    Ok(Ok(()))
}

/// Renames, reorders, activates or deactivates a category; its slug stays, so
/// past feedback keeps its topic. An empty position keeps the current one.
/// `Ok(Ok(false))` when there is no such category.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    input: &CategoryInput,
) -> AppResult<Result<bool, Vec<FieldError>>> {
    let (names, position) = match validate(input) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    let current: Option<i32> = categories::table
        .find(id)
        .select(categories::position)
        .first(conn)
        .optional()?;
    let Some(current) = current else {
        return Ok(Ok(false));
    };
    diesel::update(categories::table.find(id))
        .set((
            name_values(&names),
            categories::position.eq(position.unwrap_or(current)),
            categories::active.eq(input.active),
        ))
        .execute(conn)?;
    Ok(Ok(true))
}

/// The name columns set to `names`.
#[allow(clippy::type_complexity)]
fn name_values(
    names: &Written,
) -> (
    diesel::dsl::Eq<categories::name_nl, &str>,
    diesel::dsl::Eq<categories::name_en, &str>,
    diesel::dsl::Eq<categories::name_fr, &str>,
    diesel::dsl::Eq<categories::name_de, &str>,
) {
    (
        categories::name_nl.eq(names.get(Lang::Nl)),
        categories::name_en.eq(names.get(Lang::En)),
        categories::name_fr.eq(names.get(Lang::Fr)),
        categories::name_de.eq(names.get(Lang::De)),
    )
}

#[cfg(test)]
mod tests {
    use super::slug_from_name;

    #[test]
    fn slugs_from_names() {
        assert_eq!(slug_from_name("Waiting time"), "waiting-time");
        assert_eq!(slug_from_name("  Café & Crème!! "), "cafe-creme");
        assert_eq!(slug_from_name("???"), "category");
        assert_eq!(slug_from_name(&"x".repeat(80)).len(), 50);
    }
}
