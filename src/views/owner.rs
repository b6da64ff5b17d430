//! Owner settings pages: locations (list, add, edit, activate), categories
//! (add, rename, reorder, activate) and the business profile (name, accent
//! colour, logo). Pure functions of the data; every form carries the session's
//! CSRF token and re-renders everything typed when something is wrong.

use super::components::{
    active_badge, active_toggle, error_summary, field_error, missing_languages, written_fields,
    FormDraft, WrittenFields,
};
use super::layout::{staff_page, staff_page_own_heading, StaffNav};
use crate::domain::category::{self, Category, CategoryInput};
use crate::domain::location::{Location, LocationInput, LANGUAGES, WEEKDAYS};
use crate::domain::profile::BusinessProfile;
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// The fields of a location form (shared by add and edit).
fn location_fields(lang: Lang, input: &LocationInput, errors: &[FieldError]) -> Markup {
    html! {
        label for="name" { (lang.t("owner-location-name")) }
        input type="text" id="name" name="name" value=(input.name) maxlength="100" required;
        (field_error(lang, errors, "name"))
        label for="slug" { (lang.t("owner-location-slug")) }
        p.hint { (lang.t("owner-location-slug-hint")) }
        input type="text" id="slug" name="slug" value=(input.slug) maxlength="60" required;
        (field_error(lang, errors, "slug"))
        label for="address" { (lang.t("owner-location-address")) }
        input type="text" id="address" name="address" value=(input.address) maxlength="200";
        (field_error(lang, errors, "address"))
        label for="time_zone" { (lang.t("owner-location-time-zone")) }
        p.hint { (lang.t("owner-location-time-zone-hint")) }
        input type="text" id="time_zone" name="time_zone" value=(input.time_zone) required;
        (field_error(lang, errors, "time_zone"))
        label for="default_language" { (lang.t("owner-location-language")) }
        select id="default_language" name="default_language" {
            @for code in LANGUAGES {
                option value=(code) selected[input.default_language == code] {
                    (Lang::from_code(code).map_or(code, Lang::name))
                }
            }
        }
        (field_error(lang, errors, "default_language"))
        fieldset.choices {
            legend { (lang.t("owner-location-languages")) }
            p.hint { (lang.t("owner-location-languages-hint")) }
            @for code in LANGUAGES {
                @let id = format!("lang_{code}");
                label.check for=(id) {
                    input type="checkbox" id=(id) name=(id) value="on" checked[input.languages.iter().any(|l| l == code) || input.default_language == code];
                    " "
                    span lang=(code) { (Lang::from_code(code).map_or(code, Lang::name)) }
                }
            }
            (field_error(lang, errors, "languages"))
        }
        fieldset {
            legend { (lang.t("owner-hours")) }
            p.hint { (lang.t("owner-hours-hint")) }
            @for (day, value) in WEEKDAYS.iter().zip(&input.hours) {
                @let field = format!("hours_{day}");
                label for=(field) { (lang.t(&format!("owner-day-{day}"))) }
                input type="text" id=(field) name=(field) value=(value) placeholder="09:00-17:30" maxlength="20";
                (field_error(lang, errors, &field))
            }
        }
        fieldset {
            legend { (lang.t("sla-targets")) }
            p.hint { (lang.t("sla-targets-hint")) }
            label for="first_response" { (lang.t("sla-first-response")) }
            input type="text" id="first_response" name="first_response" value=(input.first_response) placeholder="2:00" maxlength="8" inputmode="numeric";
            (field_error(lang, errors, "first_response"))
            label for="resolution" { (lang.t("sla-resolution")) }
            input type="text" id="resolution" name="resolution" value=(input.resolution) placeholder="16:00" maxlength="8" inputmode="numeric";
            (field_error(lang, errors, "resolution"))
        }
    }
}

/// `GET /staff/locations`: every location and a form to add one.
pub fn locations(
    lang: Lang,
    nav: StaffNav<'_>,
    locations: &[Location],
    input: &LocationInput,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("owner-locations");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            section.card {
                table.inbox {
                    thead { tr {
                        th { (lang.t("owner-location-name")) }
                        th { (lang.t("owner-location-slug")) }
                        th { (lang.t("owner-col-status")) }
                        th { span.hp { (lang.t("owner-col-actions")) } }
                    } }
                    tbody {
                        @for location in locations {
                            tr {
                                td { a href=(format!("/staff/locations/{}/edit", location.id)) { (location.name) } }
                                td { code { "/f/" (location.slug) } }
                                td { (active_badge(lang, location.active)) }
                                td { (active_form(lang, &csrf, location)) }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { (lang.t("owner-location-new")) }
                form method="post" action="/staff/locations" {
                    (error_summary(lang, errors))
                    input type="hidden" name="csrf" value=(csrf);
                    (location_fields(lang, input, errors))
                    button.primary type="submit" { (lang.t("owner-location-add")) }
                }
            }
        },
    )
}

/// The activate/deactivate button of a location.
fn active_form(lang: Lang, csrf: &str, location: &Location) -> Markup {
    active_toggle(
        &format!("/staff/locations/{}/active", location.id),
        csrf,
        location.active,
        &if location.active {
            lang.t("owner-deactivate")
        } else {
            lang.t("owner-activate")
        },
        Some("link"),
    )
}

/// `GET /staff/locations/{id}/edit`
pub fn location_edit(
    lang: Lang,
    nav: StaffNav<'_>,
    location: &Location,
    input: &LocationInput,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("owner-location-edit");
    staff_page_own_heading(
        lang,
        nav,
        &title,
        html! {
            p { a href="/staff/locations" { (lang.t("owner-locations")) } }
            h1 { (title) ": " (location.name) }
            section.card {
                p {
                    (active_badge(lang, location.active))
                    @if location.active {
                        " " a href=(format!("/f/{}", location.slug)) { (lang.t("owner-location-form-link")) }
                    }
                    " " (active_form(lang, &csrf, location))
                }
                p { a href=(format!("/staff/locations/{}/alerts", location.id)) { (lang.t("alert-settings-link")) } }
                form method="post" action=(format!("/staff/locations/{}", location.id)) {
                    (error_summary(lang, errors))
                    input type="hidden" name="csrf" value=(csrf);
                    (location_fields(lang, input, errors))
                    button.primary type="submit" { (lang.t("owner-save")) }
                }
            }
        },
    )
}

/// The fields of a category form; `prefix` keeps element ids unique per row.
fn category_fields(
    lang: Lang,
    prefix: &str,
    input: &CategoryInput,
    offered: &[Lang],
    errors: &[FieldError],
    with_active: bool,
) -> Markup {
    let id = |field: &str| format!("{prefix}{field}");
    html! {
        (written_fields(lang, errors, &WrittenFields {
            prefix,
            group: "name",
            fields: category::NAME_FIELDS,
            legend: "owner-category-name",
            texts: input.names.borrowed(),
            offered,
            rows: None,
            max_line: category::MAX_NAME,
        }))
        div.inline-form {
            div {
                label for=(id("position")) { (lang.t("owner-category-position")) }
                input type="text" inputmode="numeric" id=(id("position")) name="position" value=(input.position) size="4";
            }
            @if with_active {
                div.check {
                    input type="checkbox" id=(id("active")) name="active" value="on" checked[input.active];
                    label for=(id("active")) { (lang.t("owner-category-active")) }
                }
            }
        }
        (field_error(lang, errors, "position"))
    }
}

/// Which category form a failed post came from, with what was typed.
pub type CategoryDraft<'a> = FormDraft<'a, CategoryInput>;

/// `GET /staff/categories`: every category with its own form, and an add form.
pub fn categories(
    lang: Lang,
    nav: StaffNav<'_>,
    categories: &[Category],
    offered: &[Lang],
    draft: CategoryDraft<'_>,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("owner-categories");
    let empty = CategoryInput::default();
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("owner-categories-lead")) }
            (error_summary(lang, errors))
            @for category in categories {
                @let (input, row_errors) = draft.row(category.id, errors, || CategoryInput {
                    names: category.names().owned(),
                    position: category.position.to_string(),
                    active: category.active,
                });
                form.card method="post" action=(format!("/staff/categories/{}", category.id)) {
                    input type="hidden" name="csrf" value=(csrf);
                    p {
                        code { (category.slug) } " "
                        (active_badge(lang, category.active))
                    }
                    (missing_languages(lang, &[category.names()], offered))
                    (category_fields(lang, &format!("c{}-", category.id), &input, offered, row_errors, true))
                    button type="submit" { (lang.t("owner-save")) }
                }
            }
            section.card {
                h2 { (lang.t("owner-category-new")) }
                @let (input, new_errors) = draft.new_row(&empty, errors);
                form method="post" action="/staff/categories" {
                    input type="hidden" name="csrf" value=(csrf);
                    (category_fields(lang, "", input, offered, new_errors, false))
                    button type="submit" { (lang.t("owner-category-add")) }
                }
            }
        },
    )
}

/// `GET /staff/profile`: name, accent colour and logo. `name` and `accent`
/// are what the form shows (the stored values, or what was typed).
pub fn profile(
    lang: Lang,
    nav: StaffNav<'_>,
    profile: &BusinessProfile,
    name: &str,
    accent: &str,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("owner-profile");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            form.card method="post" action="/staff/profile" enctype="multipart/form-data" {
                p { (lang.t("owner-profile-lead")) }
                (error_summary(lang, errors))
                input type="hidden" name="csrf" value=(csrf);
                label for="name" { (lang.t("owner-profile-name")) }
                input type="text" id="name" name="name" value=(name) maxlength="100";
                (field_error(lang, errors, "name"))
                label for="accent_colour" { (lang.t("owner-profile-accent")) }
                p.hint { (lang.t("owner-profile-accent-hint")) }
                input type="text" id="accent_colour" name="accent_colour" value=(accent) maxlength="7" pattern="#[0-9a-fA-F]{6}";
                (field_error(lang, errors, "accent_colour"))
                label for="logo" { (lang.t("owner-profile-logo")) }
                p.hint { (lang.t("owner-profile-logo-hint")) }
                @if profile.logo.is_some() {
                    p { img.logo src="/logo" alt=(lang.t("owner-profile-logo-current")) height="64"; }
                    div.check {
                        input type="checkbox" id="remove_logo" name="remove_logo" value="on";
                        label for="remove_logo" { (lang.t("owner-profile-logo-remove")) }
                    }
                } @else {
                    p.muted { (lang.t("owner-profile-logo-none")) }
                }
                input type="file" id="logo" name="logo" accept="image/png,image/jpeg,image/webp";
                (field_error(lang, errors, "logo"))
                button.primary type="submit" { (lang.t("owner-save")) }
            }
        },
    )
}
