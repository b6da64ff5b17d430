//! Consent wordings: the exact text shown next to the email box, stored once
//! per language and text in `consent_wordings`, so every submission that gave
//! consent can point at what it agreed to (`feedback.consent_wording_id`; the
//! moment is the submission's `created_at`).
//!
//! The public form shows the box's label and the hint under it; the kiosk
//! shows the label alone: two wordings per language. They are resolved once
//! at start ([`register`], insert-if-missing), never per request: the
//! submission path only copies an id. A changed catalogue text yields a new
//! row at the next start; older submissions keep pointing at theirs.

use crate::db::schema::consent_wordings;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Where the email box was shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The public form (`/f/{slug}`): label and hint.
    Form,
    /// The shop tablet: the label only.
    Kiosk,
}

/// The wording shown with the email box on `surface` in `lang`, as the
/// customer saw it (lines joined by a line feed).
pub fn wording(surface: Surface, lang: Lang) -> String {
    let label = lang.t("form-consent-label");
    match surface {
        Surface::Form => format!("{label}\n{}", lang.t("form-consent-hint")),
        Surface::Kiosk => label.into_owned(),
    }
}

/// The ids of the current wordings, resolved at start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wordings {
    /// Form wording, in [`Lang::ALL`]'s order.
    form: [Option<i64>; 4],
    /// Kiosk wording, in [`Lang::ALL`]'s order.
    kiosk: [Option<i64>; 4],
}

impl Wordings {
    /// The id of the wording shown on `surface` in `lang` (None only before
    /// [`register`] ran, e.g. in a state built by hand).
    pub fn id(&self, surface: Surface, lang: Lang) -> Option<i64> {
        let slot = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        match surface {
            Surface::Form => self.form[slot],
            Surface::Kiosk => self.kiosk[slot],
        }
    }
}

/// Stores the current wordings that are not stored yet and returns the ids of
/// all of them. The server runs it once at start, through the writer (a
/// second server starting at the same moment on the same database would
/// fail on the unique key and can simply be started again).
pub fn register(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<Wordings> {
    let mut found = Wordings::default();
    for (slot, lang) in Lang::ALL.into_iter().enumerate() {
        found.form[slot] = Some(resolve(conn, lang, &wording(Surface::Form, lang), now)?);
        found.kiosk[slot] = Some(resolve(conn, lang, &wording(Surface::Kiosk, lang), now)?);
    }
    Ok(found)
}

fn resolve(conn: &mut DbConnection, lang: Lang, text: &str, now: NaiveDateTime) -> AppResult<i64> {
    let existing = || {
        consent_wordings::table
            .filter(consent_wordings::language.eq(lang.code()))
            .filter(consent_wordings::wording.eq(text))
            .select(consent_wordings::id)
    };
    if let Some(id) = existing().first::<i64>(conn).optional()? {
        return Ok(id);
    }
    Ok(diesel::insert_into(consent_wordings::table)
        .values((
            consent_wordings::language.eq(lang.code()),
            consent_wordings::wording.eq(text),
            consent_wordings::first_shown_at.eq(now),
        ))
        .returning(consent_wordings::id)
        .get_result::<i64>(conn)?)
}

/// A stored wording, for the export.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consent_wordings)]
pub struct StoredWording {
    /// Row id.
    pub id: i64,
    /// Language code.
    pub language: String,
    /// The text as shown.
    pub wording: String,
    /// When it was first shown.
    pub first_shown_at: NaiveDateTime,
}
