//! The owner's workflow settings page: when tickets close by themselves,
//! when a waiting customer is reminded, when the satisfaction survey goes
//! out, and when the daily digest is sent.

use super::components::{error_summary, field_error};
use super::layout::{staff_page, StaffNav};
use crate::domain::workflow::{WorkflowInput, MAX_DAYS, MAX_SURVEY_HOURS};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// One number field with its label and hint.
fn number(lang: Lang, errors: &[FieldError], field: &str, value: &str, max: i32) -> Markup {
    html! {
        label for=(field) { (lang.t(&format!("workflow-{}", field.replace('_', "-")))) }
        p.hint id=(format!("{field}-hint")) { (lang.t(&format!("workflow-{}-hint", field.replace('_', "-")))) }
        input type="number" id=(field) name=(field) value=(value) min="0" max=(max)
            inputmode="numeric" aria-describedby=(format!("{field}-hint")) required;
        (field_error(lang, errors, field))
    }
}

/// `GET /staff/settings/workflow`
pub fn settings(
    lang: Lang,
    nav: StaffNav<'_>,
    input: &WorkflowInput,
    errors: &[FieldError],
    saved: bool,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("workflow-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            section.card {
                @if saved { p.notice role="status" { (lang.t("workflow-saved")) } }
                form method="post" action="/staff/settings/workflow" {
                    (error_summary(lang, errors))
                    input type="hidden" name="csrf" value=(csrf);
                    (number(lang, errors, "auto_close_days", &input.auto_close_days, MAX_DAYS))
                    (number(lang, errors, "reminder_days", &input.reminder_days, MAX_DAYS))
                    (number(lang, errors, "csat_delay_hours", &input.csat_delay_hours, MAX_SURVEY_HOURS))
                    (number(lang, errors, "digest_hour", &input.digest_hour, 23))
                    label for="time_zone" { (lang.t("owner-location-time-zone")) }
                    p.hint { (lang.t("owner-location-time-zone-hint")) }
                    input type="text" id="time_zone" name="time_zone" value=(input.time_zone) required;
                    (field_error(lang, errors, "time_zone"))
                    button.primary type="submit" { (lang.t("owner-save")) }
                }
            }
        },
    )
}
