//! The owner's API page: the keys (name, prefix, scopes, locations, created,
//! last used, revoke), the form to add one, the new key shown once, and the
//! origins allowed to call the API from a browser.

use super::components::{column_heads, error_summary, field_error, moment, post_button};
use super::layout::{staff_page, StaffNav};
use crate::domain::api_key::{ApiKey, NewKey, Scope};
use crate::domain::location::Location;
use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono_tz::Tz;
use maud::{html, Markup};

/// What the page shows.
pub struct ApiPage<'a> {
    /// Every key, newest first.
    pub keys: &'a [ApiKey],
    /// Every location, for the add form.
    pub locations: &'a [Location],
    /// The add form as typed (after a mistake).
    pub draft: &'a NewKey,
    /// The add form's errors.
    pub errors: &'a [FieldError],
    /// A key just made: its name and the key, shown this once.
    pub made: Option<(&'a str, &'a str)>,
    /// The allowed origins, one per line (as typed, after a mistake).
    pub origins: &'a str,
    /// The origins form's errors.
    pub origin_errors: &'a [FieldError],
    /// Whether the origins were just saved.
    pub origins_saved: bool,
    /// The business's time zone.
    pub zone: Tz,
}

/// A scope's catalogue key, e.g. `api-scope-tickets-read`.
fn scope_key(scope: Scope) -> String {
    format!("api-scope-{}", scope.as_str().replace(':', "-"))
}

/// `GET /staff/settings/api`
pub fn page(lang: Lang, nav: StaffNav<'_>, p: &ApiPage<'_>) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("api-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("api-intro")) " " a href="/api/docs/" { (lang.t("api-docs-link")) } }
            @if let Some((name, key)) = p.made {
                section.card.notice role="status" aria-labelledby="made-title" {
                    h2 id="made-title" { (lang.t_with("api-key-made-title", &[("name", name)])) }
                    p { strong { (lang.t("api-key-made-warning")) } }
                    p { code id="new-key" { (key) } }
                }
            }
            section.card aria-labelledby="keys-title" {
                h2 id="keys-title" { (lang.t("api-keys-heading")) }
                @if p.keys.is_empty() {
                    p { (lang.t("api-keys-none")) }
                } @else {
                    table.api-keys {
                        (column_heads(&[
                            lang.t("api-key-name"),
                            lang.t("api-key-prefix"),
                            lang.t("api-key-scopes"),
                            lang.t("api-key-locations"),
                            lang.t("api-key-created"),
                            lang.t("api-key-last-used"),
                            lang.t("api-key-status"),
                        ]))
                        tbody {
                            @for key in p.keys {
                                tr {
                                    td { (key.name) }
                                    td { code { (key.prefix) "…" } }
                                    td {
                                        @for (i, scope) in key.scopes.iter().enumerate() {
                                            @if i > 0 { ", " }
                                            code { (scope.as_str()) }
                                        }
                                    }
                                    td {
                                        @if key.locations.is_empty() {
                                            (lang.t("api-key-all-locations"))
                                        } @else {
                                            (key.locations.join(", "))
                                        }
                                    }
                                    td {
                                        (moment(lang, p.zone, key.created_at))
                                        @if let Some(by) = &key.created_by { " · " (by) }
                                    }
                                    td {
                                        @match key.last_used_at {
                                            Some(at) => (moment(lang, p.zone, at)),
                                            None => (lang.t("api-key-never")),
                                        }
                                    }
                                    td {
                                        @if let Some(at) = key.revoked_at {
                                            (lang.t("api-key-revoked")) " · " (moment(lang, p.zone, at))
                                        } @else {
                                            (lang.t("api-key-live")) " "
                                            (post_button(&format!("/staff/settings/api/keys/{}/revoke", key.id), &csrf, &lang.t("api-key-revoke")))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-title" {
                h2 id="add-title" { (lang.t("api-key-add-heading")) }
                form method="post" action="/staff/settings/api/keys" {
                    (error_summary(lang, p.errors))
                    input type="hidden" name="csrf" value=(csrf);
                    label for="name" { (lang.t("api-key-name")) }
                    p.hint id="name-hint" { (lang.t("api-key-name-hint")) }
                    input type="text" id="name" name="name" value=(p.draft.name) maxlength="100" aria-describedby="name-hint" required;
                    (field_error(lang, p.errors, "name"))
                    fieldset id="scopes" {
                        legend { (lang.t("api-key-scopes")) }
                        @for scope in Scope::ALL {
                            @let id = format!("scope-{}", scope.as_str().replace(':', "-"));
                            label for=(id) {
                                input type="checkbox" id=(id) name="scope" value=(scope.as_str()) checked[p.draft.scopes.contains(&scope)];
                                " " code { (scope.as_str()) } " — " (lang.t(&scope_key(scope)))
                            }
                        }
                        (field_error(lang, p.errors, "scopes"))
                    }
                    fieldset id="locations" {
                        legend { (lang.t("api-key-locations")) }
                        p.hint { (lang.t("api-key-locations-hint")) }
                        @for location in p.locations {
                            @let id = format!("location-{}", location.slug);
                            label for=(id) {
                                input type="checkbox" id=(id) name="location" value=(location.slug) checked[p.draft.locations.contains(&location.slug)];
                                " " (location.name)
                            }
                        }
                        (field_error(lang, p.errors, "locations"))
                    }
                    button.primary type="submit" { (lang.t("api-key-add")) }
                }
            }
            section.card aria-labelledby="cors-title" {
                h2 id="cors-title" { (lang.t("api-cors-heading")) }
                @if p.origins_saved { p.notice role="status" { (lang.t("api-cors-saved")) } }
                form method="post" action="/staff/settings/api/cors" {
                    (error_summary(lang, p.origin_errors))
                    input type="hidden" name="csrf" value=(csrf);
                    label for="origins" { (lang.t("api-cors-origins")) }
                    p.hint id="origins-hint" { (lang.t("api-cors-hint")) }
                    textarea id="origins" name="origins" rows="3" aria-describedby="origins-hint" { (p.origins) }
                    (field_error(lang, p.origin_errors, "origins"))
                    button type="submit" { (lang.t("api-cors-save")) }
                }
            }
        },
    )
}
