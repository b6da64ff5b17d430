//! Small pieces used on several pages.

use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
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

/// The face image for 1–4.
pub fn face_img(face: i16, lang: Lang) -> Markup {
    let face = face.clamp(1, 4);
    html! {
        img.face src=(format!("/static/img/face-{face}.svg")) alt=(lang.t(&format!("face-{face}"))) width="32" height="32";
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

/// A UTC time as `YYYY-MM-DD HH:MM UTC`.
pub fn timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}
