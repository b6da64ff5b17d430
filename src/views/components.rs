//! Small pieces used on several pages: field errors, the faces, the
//! business's header and review invitation on customer pages, the small
//! one-button forms of the staff pages, and moments in local time.

use crate::domain::local_time;
use crate::domain::profile::Brand;
use crate::domain::review_link::ReviewLink;
use crate::domain::FieldError;
use crate::i18n::{Lang, Written};
use chrono::NaiveDateTime;
use chrono_tz::Tz;
use maud::{html, Markup};

/// The translated message of a field error.
pub fn error_text(lang: Lang, error: &FieldError) -> String {
    let args: Vec<(&str, &str)> = error.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    lang.t_with(error.key, &args).into_owned()
}

/// The error under a field, if that field has one.
pub fn field_error(lang: Lang, errors: &[FieldError], field: &str) -> Markup {
    html! {
        @for error in errors.iter().filter(|e| e.field == field) {
            p.field-error id=(format!("{field}-error")) { (error_text(lang, error)) }
        }
    }
}

/// A text an owner writes per language, as one group of fields.
pub struct WrittenFields<'a> {
    /// Element id prefix, when a page has one form per row.
    pub prefix: &'a str,
    /// The group's field name (`name`): its id, and where the error shows
    /// when no language is written.
    pub group: &'static str,
    /// Each language's form field, in [`Lang::ALL`] order.
    pub fields: [&'static str; 4],
    /// Catalogue key of the group's legend.
    pub legend: &'static str,
    /// What is stored or was typed.
    pub texts: Written<&'a str>,
    /// The languages some location offers.
    pub offered: &'a [Lang],
    /// Rows of a text area, or `None` for one line of at most `max_line`.
    pub rows: Option<u8>,
    /// `maxlength` of a one-line field.
    pub max_line: usize,
}

/// The fields of a [`WrittenFields`]: the offered languages first, each
/// labelled with its own name and marked when it is not written yet; the
/// other languages folded away unless one holds a text or an error.
pub fn written_fields(lang: Lang, errors: &[FieldError], f: &WrittenFields<'_>) -> Markup {
    let others: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| !f.offered.contains(l))
        .collect();
    let open = others.iter().any(|l| {
        !f.texts.get(*l).is_empty() || errors.iter().any(|e| e.field == f.fields[l.index()])
    });
    html! {
        fieldset.written id=(format!("{}{}", f.prefix, f.group)) {
            legend { (lang.t(f.legend)) }
            (field_error(lang, errors, f.group))
            @for l in f.offered { (written_field(lang, errors, f, *l)) }
            @if !others.is_empty() {
                details open[open] {
                    summary { (lang.t("written-more-languages")) }
                    @for l in &others { (written_field(lang, errors, f, *l)) }
                }
            }
        }
    }
}

fn written_field(lang: Lang, errors: &[FieldError], f: &WrittenFields<'_>, of: Lang) -> Markup {
    let name = f.fields[of.index()];
    let id = format!("{}{}", f.prefix, name);
    let text = f.texts.get(of);
    // An optional text written in no language is not missing anywhere.
    let written_somewhere = f.texts.0.iter().any(|t| !t.trim().is_empty());
    let missing = written_somewhere && f.offered.contains(&of) && text.trim().is_empty();
    html! {
        div.written-one {
            label for=(id) lang=(of.code()) { (of.name()) }
            @if missing { p.hint.missing { (lang.t("written-missing")) } }
            @match f.rows {
                Some(rows) => textarea id=(id) name=(name) rows=(rows) lang=(of.code()) { (text) },
                None => input type="text" id=(id) name=(name) value=(text) lang=(of.code()) maxlength=(f.max_line);,
            }
            (field_error(lang, errors, name))
        }
    }
}

/// For a row of an owner's list: the offered languages some of its texts
/// are not written in yet (readers of those get the location's default
/// language), or nothing.
pub fn missing_languages(lang: Lang, texts: &[Written<&str>], offered: &[Lang]) -> Markup {
    let missing: Vec<&str> = offered
        .iter()
        .filter(|l| {
            texts
                .iter()
                .any(|t| t.0.iter().any(|s| !s.trim().is_empty()) && t.get(**l).trim().is_empty())
        })
        .map(|l| l.name())
        .collect();
    html! {
        @if !missing.is_empty() {
            p.missing-languages {
                span.badge.todo { (lang.t_with("written-missing-in", &[("languages", &missing.join(", "))])) }
            }
        }
    }
}

/// A summary of all errors at the top of a form, announced to screen readers.
pub fn error_summary(lang: Lang, errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" {
                h2 { (lang.t("form-errors-title")) }
                ul {
                    @for error in errors {
                        li { a href=(format!("#{}", error.field)) { (error_text(lang, error)) } }
                    }
                }
            }
        }
    }
}

/// Which form of a list page (one form per row, and one to add a row) shows
/// what was typed, with the errors; the other forms show what is stored.
pub enum FormDraft<'a, T> {
    /// Nothing failed: every form shows the stored values.
    None,
    /// The add form was posted with this.
    New(&'a T),
    /// The form of the row with this id was posted with this.
    Existing(i64, &'a T),
}

// Written out so that the draft copies whatever `T` is (derive would ask `T: Copy`).
impl<T> Clone for FormDraft<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for FormDraft<'_, T> {}

impl<'a, T: Clone> FormDraft<'a, T> {
    /// What the form of row `id` shows, and its errors: what was typed if
    /// that form was posted, otherwise `stored()` and no errors.
    pub fn row(
        self,
        id: i64,
        errors: &[FieldError],
        stored: impl FnOnce() -> T,
    ) -> (T, &[FieldError]) {
        match self {
            FormDraft::Existing(posted, input) if posted == id => (input.clone(), errors),
            _ => (stored(), &[]),
        }
    }

    /// What the add form shows, and its errors: what was typed if it was
    /// posted, otherwise `empty` and no errors.
    pub fn new_row<'e>(self, empty: &'a T, errors: &'e [FieldError]) -> (&'a T, &'e [FieldError]) {
        match self {
            FormDraft::New(input) => (input, errors),
            _ => (empty, &[]),
        }
    }
}

/// The face image for 1–4.
pub fn face_img(face: i16, lang: Lang) -> Markup {
    let face = face.clamp(1, 4);
    html! {
        img.face src=(format!("/static/img/face-{face}.svg")) alt=(lang.t(&format!("face-{face}"))) width="32" height="32";
    }
}

/// The four faces as radio buttons (as on the feedback form), `chosen`
/// checked.
pub fn face_radios(lang: Lang, chosen: Option<i16>) -> Markup {
    html! {
        div.face-row {
            @for face in 1..=4i16 {
                @let id = format!("face-{face}");
                input.face-input type="radio" name="face" id=(id) value=(face)
                    checked[chosen == Some(face)] required;
                label.face-label for=(id) {
                    img.face src=(format!("/static/img/face-{face}.svg")) alt="" width="64" height="64";
                    span { (lang.t(&format!("face-{face}"))) }
                }
            }
        }
    }
}

/// "Did we solve it?" with the four faces as links to the confirmation page,
/// for the customer's ticket page once the ticket is resolved; `page` is the
/// ticket page's path (`/t/{token}`), `current` the answer given, if any.
pub fn rate_prompt(lang: Lang, page: &str, current: Option<i16>) -> Markup {
    html! {
        section.card.rate {
            h2 { (lang.t("csat-title")) }
            ul.plain.face-row {
                @for face in (1..=4i16).rev() {
                    li {
                        a.face-label href=(format!("{page}/rate/{face}")) aria-current=[(current == Some(face)).then_some("true")] {
                            img.face src=(format!("/static/img/face-{face}.svg")) alt="" width="48" height="48";
                            span { (lang.t(&format!("face-{face}"))) }
                        }
                    }
                }
            }
        }
    }
}

/// The business's logo and name above a customer page, when set.
pub fn brand_header(brand: &Brand) -> Markup {
    html! {
        @if brand.logo_version.is_some() || !brand.name.is_empty() {
            div.brand-header {
                @if let Some(version) = &brand.logo_version {
                    img.logo src=(format!("/logo?v={version}")) alt=(brand.name) height="64";
                } @else {
                    span.business-name { (brand.name) }
                }
            }
        }
    }
}

/// The invitation to tell others, the same for every customer whatever they
/// answered; nothing when the owner set no review links.
pub fn review_invitation(lang: Lang, review_links: &[ReviewLink]) -> Markup {
    html! {
        @if !review_links.is_empty() {
            section.card.tell-others {
                h2 { (lang.t("thanks-tell-others")) }
                p { (lang.t("thanks-tell-others-lead")) }
                ul.plain.review-links {
                    @for link in review_links {
                        li { a.button.secondary href=(link.url) rel="noopener noreferrer" target="_blank" { (link.label) } }
                    }
                }
            }
        }
    }
}

/// A table's column headings.
pub fn column_heads(heads: &[impl AsRef<str>]) -> Markup {
    html! {
        thead { tr {
            @for head in heads {
                th scope="col" { (head.as_ref()) }
            }
        } }
    }
}

/// "Active" or "inactive" as a badge.
pub fn active_badge(lang: Lang, active: bool) -> Markup {
    html! {
        @if active {
            span.badge.ok { (lang.t("owner-active")) }
        } @else {
            span.badge.bad { (lang.t("owner-inactive")) }
        }
    }
}

/// A form that is only a button, shown as a link, posting to `action`
/// with the session's CSRF token.
pub fn post_button(action: &str, csrf: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            button.link type="submit" { (label) }
        }
    }
}

/// A one-button form that switches something on or off: it posts
/// `active=false` while `active` holds and `active=true` otherwise;
/// `button_class` is the button's class, if any.
pub fn active_toggle(
    action: &str,
    csrf: &str,
    active: bool,
    label: &str,
    button_class: Option<&str>,
) -> Markup {
    html! {
        form.inline method="post" action=(action) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="active" value=(if active { "false" } else { "true" });
            button class=[button_class] type="submit" { (label) }
        }
    }
}

/// How long ago, in minutes, hours or days.
pub fn age(lang: Lang, then: NaiveDateTime, now: NaiveDateTime) -> String {
    let minutes = (now - then).num_minutes().max(0);
    if minutes < 60 {
        lang.t_with("age-minutes", &[("n", &minutes.to_string())])
            .into_owned()
    } else if minutes < 48 * 60 {
        lang.t_with("age-hours", &[("n", &(minutes / 60).to_string())])
            .into_owned()
    } else {
        lang.t_with("age-days", &[("n", &(minutes / 1440).to_string())])
            .into_owned()
    }
}

/// A moment as the reader reads it, on the wall clock in `tz`:
/// `<time datetime="2026-12-01T20:51:00+01:00">1 dec. 2026 20:51</time>`
/// (the words from [`local_time::format_moment`]).
pub fn moment(lang: Lang, tz: Tz, at: NaiveDateTime) -> Markup {
    html! {
        time datetime=(local_time::iso(tz, at)) { (local_time::format_moment(tz, at, lang)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_prompt_links_every_face_and_marks_the_answer() {
        let html = rate_prompt(Lang::En, "/t/abc", Some(2)).into_string();
        for face in 1..=4 {
            assert!(
                html.contains(&format!("href=\"/t/abc/rate/{face}\"")),
                "{html}"
            );
        }
        assert_eq!(html.matches("aria-current=\"true\"").count(), 1);
        assert!(html.contains("Did we solve it?"));
    }
}
