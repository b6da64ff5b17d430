//! Staff pages: login, ticket, quarantine, settings (the inbox is in `inbox`).

use super::components::{age, error_summary, face_img, field_error, post_button};
use super::layout::{staff_entry_page, staff_page, StaffNav};
use crate::domain::feedback::Quarantined;
use crate::domain::review_link::ReviewLink;
use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// The login page.
pub fn login(lang: Lang, token: &str, email: &str, failed: bool) -> Markup {
    let title = lang.t("staff-login-title");
    staff_entry_page(
        lang,
        &title,
        None,
        html! {
            form.card.narrow method="post" action="/staff/login" {
                h1 { (title) }
                @if failed { p.field-error role="alert" { (lang.t("staff-login-failed")) } }
                input type="hidden" name="token" value=(token);
                label for="email" { (lang.t("staff-email")) }
                input type="email" id="email" name="email" value=(email) autocomplete="username" required;
                label for="password" { (lang.t("staff-password")) }
                input type="password" id="password" name="password" autocomplete="current-password" required;
                button.primary type="submit" { (lang.t("staff-login-submit")) }
                p { a href="/staff/reset" { (lang.t("account-forgot-link")) } }
            }
        },
    )
}

/// Submissions held back as possible spam.
pub fn quarantine(
    lang: Lang,
    nav: StaffNav<'_>,
    rows: &[Quarantined],
    next: Option<&str>,
    now: NaiveDateTime,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("staff-quarantine");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("staff-quarantine-lead")) }
            @if rows.is_empty() { p { (lang.t("staff-quarantine-empty")) } }
            @for row in rows {
                article.card.quarantined {
                    p.meta { (row.reference) " · " (row.location) " · " (face_img(row.face, lang)) " · " (age(lang, row.created_at, now))
                        " · " (lang.t("staff-quarantine-reason")) ": " code { (row.reason) } }
                    @if let Some(message) = &row.message { p.body { (message) } }
                    form method="post" action=(format!("/staff/quarantine/{}/release", row.id)) {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" { (lang.t("staff-quarantine-release")) }
                    }
                }
            }
            @if let Some(href) = next { p { a href=(href) { (lang.t("staff-next-page")) " →" } } }
        },
    )
}

/// Owner settings: review links.
pub fn settings(
    lang: Lang,
    nav: StaffNav<'_>,
    links: &[ReviewLink],
    errors: &[FieldError],
    label: &str,
    url: &str,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("staff-review-links");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            section.card {
                p { (lang.t("staff-review-links-lead")) }
                ul.plain {
                    @for link in links {
                        li {
                            (link.label) " – " code { (link.url) }
                            (post_button(
                                &format!("/staff/settings/review-links/{}/delete", link.id),
                                &csrf,
                                &lang.t("staff-review-remove"),
                            ))
                        }
                    }
                }
                form method="post" action="/staff/settings/review-links" {
                    (error_summary(lang, errors))
                    input type="hidden" name="csrf" value=(csrf);
                    label for="label" { (lang.t("staff-review-label")) }
                    input type="text" id="label" name="label" value=(label) maxlength="60";
                    (field_error(lang, errors, "label"))
                    label for="url" { (lang.t("staff-review-url")) }
                    input type="url" id="url" name="url" value=(url);
                    (field_error(lang, errors, "url"))
                    button type="submit" { (lang.t("staff-review-add")) }
                }
            }
        },
    )
}
