//! Staff pages: login, inbox, ticket, quarantine, settings.

use super::components::{age, error_summary, face_img, field_error};
use super::layout::{page, staff_page, Frame, StaffNav};
use crate::domain::feedback::Quarantined;
use crate::domain::location::Location;
use crate::domain::review_link::ReviewLink;
use crate::domain::ticket::{InboxRow, Status};
use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// The login page.
pub fn login(lang: Lang, token: &str, email: &str, failed: bool) -> Markup {
    let title = lang.t("staff-login-title");
    page(
        &Frame {
            lang,
            title: &title,
            switch_href: None,
            nav: None,
            body_class: "staff",
        },
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

fn status_label(lang: Lang, status: &str) -> String {
    let status = Status::parse(status).unwrap_or(Status::Open);
    lang.t(&format!("status-{}", status.as_str())).into_owned()
}

/// The inbox's filter form: its choices and what is chosen.
pub struct InboxFilters<'a> {
    /// Every location, for the choice.
    pub locations: &'a [Location],
    /// The chosen location's slug, or empty.
    pub location: &'a str,
    /// The chosen spot, or empty.
    pub spot: &'a str,
}

/// The inbox: newest first, one page, with a link to the next.
pub fn inbox(
    lang: Lang,
    nav: StaffNav<'_>,
    rows: &[InboxRow],
    next: Option<&str>,
    now: NaiveDateTime,
    filters: &InboxFilters<'_>,
) -> Markup {
    let title = lang.t("staff-inbox");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            form.card.inline-form.filters method="get" action="/staff/inbox" {
                label for="filter-location" { (lang.t("staff-col-location")) }
                select id="filter-location" name="location" {
                    option value="" { (lang.t("staff-filter-all")) }
                    @for l in filters.locations {
                        option value=(l.slug) selected[l.slug == filters.location] { (l.name) }
                    }
                }
                label for="filter-spot" { (lang.t("staff-filter-spot")) }
                input type="text" id="filter-spot" name="spot" value=(filters.spot) maxlength="64";
                button type="submit" { (lang.t("staff-filter-apply")) }
            }
            @if rows.is_empty() {
                p { (lang.t("staff-inbox-empty")) }
            } @else {
                table.inbox {
                    thead { tr {
                        th scope="col" { (lang.t("staff-col-reference")) }
                        th scope="col" { (lang.t("staff-col-status")) }
                        th scope="col" { (lang.t("staff-col-location")) }
                        th scope="col" { (lang.t("staff-col-face")) }
                        th scope="col" { (lang.t("staff-col-category")) }
                        th scope="col" { (lang.t("staff-col-age")) }
                    } }
                    tbody {
                        @for row in rows {
                            tr.status-new[row.status == "new"] {
                                td { a href=(format!("/staff/tickets/{}", row.id)) { (row.reference) } }
                                td { (status_label(lang, &row.status)) }
                                td { (row.location) @if let Some(spot) = &row.spot { " · " (spot) } }
                                td { (face_img(row.face, lang)) }
                                td { @if let Some((nl, en)) = &row.category { (if lang == Lang::Nl { nl } else { en }) } }
                                td { time datetime=(row.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()) { (age(lang, row.created_at, now)) } }
                            }
                        }
                    }
                }
                @if let Some(href) = next { p { a href=(href) { (lang.t("staff-next-page")) " →" } } }
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
    let title = lang.t("staff-settings");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            section.card {
                h2 { (lang.t("staff-review-links")) }
                p { (lang.t("staff-review-links-lead")) }
                ul.plain {
                    @for link in links {
                        li {
                            (link.label) " – " code { (link.url) }
                            form.inline method="post" action=(format!("/staff/settings/review-links/{}/delete", link.id)) {
                                input type="hidden" name="csrf" value=(csrf);
                                button.link type="submit" { (lang.t("staff-review-remove")) }
                            }
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
