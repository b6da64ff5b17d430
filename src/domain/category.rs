//! Categories: what a complaint was about ("service", "waiting time", …), named
//! in both languages. A few defaults come with the first migration.

use crate::db::schema::categories;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
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
}

impl Category {
    /// The name in a language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.name_nl,
            Lang::En => &self.name_en,
        }
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
