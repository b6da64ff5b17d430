//! The first-run setup page.

use super::components::{error_summary, field_error};
use super::layout::{staff_entry_page, Switch};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// What the setup form was filled with.
#[derive(Default)]
pub struct SetupDraft {
    /// Owner's name.
    pub name: String,
    /// Owner's address.
    pub email: String,
    /// First location's name.
    pub location_name: String,
    /// First location's slug.
    pub slug: String,
}

/// The setup form.
pub fn form(
    lang: Lang,
    draft: &SetupDraft,
    errors: &[FieldError],
    switch: Switch<'_>,
    form_token: &str,
    address_warning: Markup,
) -> Markup {
    let title = lang.t("setup-title");
    staff_entry_page(
        lang,
        &title,
        Some(switch),
        html! {
            form.card.narrow method="post" action="" {
                h1 { (title) }
                p { (lang.t("setup-lead")) }
                (address_warning)
                (error_summary(lang, errors))
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="form_token" value=(form_token);
                fieldset {
                    legend { (lang.t("setup-owner")) }
                    label for="name" { (lang.t("setup-name")) }
                    input type="text" id="name" name="name" value=(draft.name) autocomplete="name" required;
                    (field_error(lang, errors, "name"))
                    label for="email" { (lang.t("staff-email")) }
                    input type="email" id="email" name="email" value=(draft.email) autocomplete="username" required;
                    (field_error(lang, errors, "email"))
                    label for="password" { (lang.t("staff-password")) }
                    input type="password" id="password" name="password" autocomplete="new-password" required minlength="10";
                    (field_error(lang, errors, "password"))
                }
                fieldset {
                    legend { (lang.t("setup-location")) }
                    label for="location_name" { (lang.t("setup-location-name")) }
                    input type="text" id="location_name" name="location_name" value=(draft.location_name) required;
                    (field_error(lang, errors, "location_name"))
                    label for="slug" { (lang.t("setup-location-slug")) }
                    p.hint id="slug-hint" { (lang.t("setup-location-slug-hint")) }
                    input type="text" id="slug" name="slug" value=(draft.slug) aria-describedby="slug-hint" required pattern="[a-z0-9-]{2,60}";
                    (field_error(lang, errors, "slug"))
                }
                button.primary type="submit" { (lang.t("setup-submit")) }
            }
        },
    )
}

/// A setup link that was used (`used`: an owner exists) or never existed,
/// with the way to the login.
pub fn link_problem(lang: Lang, used: bool) -> Markup {
    let kind = if used { "used" } else { "unknown" };
    let title = lang.t(&format!("setup-link-{kind}-title"));
    staff_entry_page(
        lang,
        &title,
        None,
        html! {
            section.card.narrow {
                h1 { (title) }
                p { (lang.t(&format!("setup-link-{kind}"))) }
                p { a.button.primary href="/staff/login" { (lang.t("staff-login-submit")) } }
            }
        },
    )
}
