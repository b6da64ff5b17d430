//! The owner's canned responses page.

use super::components::{
    active_badge, active_toggle, error_summary, field_error, missing_languages, written_fields,
    FormDraft, WrittenFields,
};
use super::layout::{staff_page, StaffNav};
use crate::domain::canned::{CannedInput, CannedResponse, BODY_FIELDS};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// Which form shows what was typed (with the errors), if any.
pub type Draft<'a> = FormDraft<'a, CannedInput>;

fn fields(
    lang: Lang,
    prefix: &str,
    input: &CannedInput,
    offered: &[Lang],
    errors: &[FieldError],
) -> Markup {
    html! {
        label for=(format!("{prefix}title")) { (lang.t("canned-title")) }
        input type="text" id=(format!("{prefix}title")) name="title" value=(input.title) maxlength="80" required;
        (field_error(lang, errors, "title"))
        (written_fields(lang, errors, &WrittenFields {
            prefix,
            group: "body",
            fields: BODY_FIELDS,
            legend: "canned-body",
            texts: input.bodies.borrowed(),
            offered,
            rows: Some(5),
            max_line: 0,
        }))
    }
}

/// Every canned response with its edit form, and a form for a new one.
pub fn list(
    lang: Lang,
    nav: StaffNav<'_>,
    all: &[CannedResponse],
    offered: &[Lang],
    draft: Draft<'_>,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("canned-nav");
    let empty = CannedInput::default();
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("canned-lead")) }
            (error_summary(lang, errors))
            @for canned in all {
                @let (input, row_errors) = draft.row(canned.id, errors, || CannedInput {
                    title: canned.title.clone(),
                    bodies: canned.bodies().owned(),
                });
                section.card {
                    form method="post" action=(format!("/staff/canned/{}", canned.id)) {
                        input type="hidden" name="csrf" value=(csrf);
                        p { (active_badge(lang, canned.active)) }
                        (missing_languages(lang, &[canned.bodies()], offered))
                        (fields(lang, &format!("c{}-", canned.id), &input, offered, row_errors))
                        button type="submit" { (lang.t("owner-save")) }
                    }
                    (active_toggle(
                        &format!("/staff/canned/{}/active", canned.id),
                        &csrf,
                        canned.active,
                        &if canned.active { lang.t("canned-withdraw") } else { lang.t("canned-offer") },
                        Some("link"),
                    ))
                }
            }
            section.card {
                h2 { (lang.t("canned-new")) }
                @let (input, new_errors) = draft.new_row(&empty, errors);
                form method="post" action="/staff/canned" {
                    input type="hidden" name="csrf" value=(csrf);
                    (fields(lang, "", input, offered, new_errors))
                    button type="submit" { (lang.t("canned-add")) }
                }
            }
        },
    )
}
