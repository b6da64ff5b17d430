//! The owner's webhook pages: the endpoints with an Add form, the secret
//! shown once after adding, one endpoint with its delivery log, and the
//! delete confirmation.

use super::components::{active_toggle, error_summary, field_error, moment};
use super::layout::{staff_page, StaffNav};
use crate::domain::events::WEBHOOK_EVENTS;
use crate::domain::webhook::{Attempt, Endpoint, PAUSED_FAILING};
use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono_tz::Tz;
use maud::{html, Markup};

/// What the owner typed into the Add form.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The URL.
    pub url: String,
    /// The note.
    pub description: String,
    /// The ticked events.
    pub events: Vec<String>,
}

/// The catalogue key of an event's plain-language label.
pub fn event_label_key(event: &str) -> String {
    format!("webhook-event-{}", event.replace(['.', '_'], "-"))
}

fn event_labels(lang: Lang, endpoint: &Endpoint) -> String {
    endpoint
        .events()
        .iter()
        .map(|e| lang.t(&event_label_key(e)).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

fn state(lang: Lang, endpoint: &Endpoint) -> Markup {
    html! {
        @if endpoint.active {
            @if endpoint.failing_since.is_some() {
                span.badge.warn { (lang.t("webhook-state-failing")) }
            } @else {
                span.badge { (lang.t("webhook-state-active")) }
            }
        } @else if endpoint.paused_reason.as_deref() == Some(PAUSED_FAILING) {
            span.badge.warn { (lang.t("webhook-state-paused-failing")) }
        } @else {
            span.badge { (lang.t("webhook-state-paused")) }
        }
    }
}

fn last_delivery(lang: Lang, tz: Tz, endpoint: &Endpoint) -> Markup {
    html! {
        @match endpoint.last_attempt_at {
            Some(at) => {
                (moment(lang, tz, at))
                @if let Some(code) = endpoint.last_status { " · HTTP " (code) }
            }
            None => { (lang.t("webhook-last-never")) }
        }
    }
}

/// The list of endpoints and the Add form.
pub fn list(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    endpoints: &[Endpoint],
    draft: &Draft,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("webhooks-nav");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t("webhooks-lead")) }
            @if endpoints.is_empty() {
                p { (lang.t("webhooks-none")) }
            } @else {
                table.webhooks {
                    thead {
                        tr {
                            th scope="col" { (lang.t("webhooks-col-url")) }
                            th scope="col" { (lang.t("webhooks-col-events")) }
                            th scope="col" { (lang.t("webhooks-col-state")) }
                            th scope="col" { (lang.t("webhooks-col-last")) }
                        }
                    }
                    tbody {
                        @for endpoint in endpoints {
                            tr {
                                td {
                                    a href=(format!("/staff/settings/webhooks/{}", endpoint.id)) { (endpoint.url) }
                                    @if !endpoint.description.is_empty() {
                                        br; small { (endpoint.description) }
                                    }
                                }
                                td { (event_labels(lang, endpoint)) }
                                td { (state(lang, endpoint)) }
                                td { (last_delivery(lang, tz, endpoint)) }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { (lang.t("webhooks-add-title")) }
                (error_summary(lang, errors))
                form method="post" action="/staff/settings/webhooks" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="url" { (lang.t("webhook-field-url")) }
                    p.hint id="url-hint" { (lang.t("webhook-field-url-hint")) }
                    input type="url" id="url" name="url" value=(draft.url) maxlength="2000" required aria-describedby="url-hint";
                    (field_error(lang, errors, "url"))
                    label for="description" { (lang.t("webhook-field-description")) }
                    input type="text" id="description" name="description" value=(draft.description) maxlength="200";
                    (field_error(lang, errors, "description"))
                    fieldset {
                        legend { (lang.t("webhook-field-events")) }
                        @for event in WEBHOOK_EVENTS {
                            @let id = format!("event-{}", event.replace('.', "-"));
                            div.check {
                                input type="checkbox" id=(id) name="events" value=(event) checked[draft.events.iter().any(|e| e == event)];
                                label for=(id) { (lang.t(&event_label_key(event))) " " code { (event) } }
                            }
                        }
                        (field_error(lang, errors, "events"))
                    }
                    button type="submit" { (lang.t("webhook-add")) }
                }
            }
        },
    )
}

/// After adding: the secret, shown this once, and how to verify deliveries.
pub fn added(lang: Lang, nav: StaffNav<'_>, endpoint: &Endpoint, secret: &str) -> Markup {
    let title = lang.t("webhook-secret-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t_with("webhook-secret-lead", &[("url", &endpoint.url)])) }
            p { code.secret data-secret { (secret) } }
            p { (lang.t("webhook-secret-once")) }
            p { (lang.t("webhook-secret-verify")) }
            p { a href=(format!("/staff/settings/webhooks/{}", endpoint.id)) { (lang.t("webhook-open")) } }
        },
    )
}

/// One endpoint: its settings, its buttons and its delivery log.
pub fn detail(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: Tz,
    endpoint: &Endpoint,
    log: &[Attempt],
    test_queued: bool,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("webhook-title");
    let base = format!("/staff/settings/webhooks/{}", endpoint.id);
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { a href="/staff/settings/webhooks" { (lang.t("webhook-back")) } }
            @if test_queued {
                p.notice role="status" { (lang.t("webhook-test-queued")) }
            }
            dl.webhook-detail {
                dt { (lang.t("webhooks-col-url")) }
                dd { code { (endpoint.url) } }
                @if !endpoint.description.is_empty() {
                    dt { (lang.t("webhook-field-description")) }
                    dd { (endpoint.description) }
                }
                dt { (lang.t("webhooks-col-events")) }
                dd { (event_labels(lang, endpoint)) }
                dt { (lang.t("webhooks-col-state")) }
                dd { (state(lang, endpoint)) }
                dt { (lang.t("webhooks-col-last")) }
                dd { (last_delivery(lang, tz, endpoint)) }
            }
            div.actions {
                form.inline method="post" action=(format!("{base}/test")) {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (lang.t("webhook-test")) }
                }
                (active_toggle(
                    &format!("{base}/active"),
                    &csrf,
                    endpoint.active,
                    &if endpoint.active { lang.t("webhook-pause") } else { lang.t("webhook-resume") },
                    None,
                ))
                a href=(format!("{base}/delete")) { (lang.t("webhook-delete")) }
            }
            h2 { (lang.t("webhook-log-title")) }
            @if log.is_empty() {
                p { (lang.t("webhook-log-empty")) }
            } @else {
                table.log {
                    thead {
                        tr {
                            th scope="col" { (lang.t("webhook-log-time")) }
                            th scope="col" { (lang.t("webhook-log-event")) }
                            th scope="col" { (lang.t("webhook-log-attempt")) }
                            th scope="col" { (lang.t("webhook-log-status")) }
                            th scope="col" { (lang.t("webhook-log-duration")) }
                        }
                    }
                    tbody {
                        @for attempt in log {
                            tr {
                                td { (moment(lang, tz, attempt.created_at)) }
                                td { code { (attempt.event) } br; small { (attempt.delivery_id) } }
                                td { (attempt.attempt) }
                                td {
                                    @if let Some(code) = attempt.status_code { (code) " " }
                                    @if let Some(error) = &attempt.error { small { (error) } }
                                }
                                td { (lang.t_with("webhook-log-ms", &[("ms", &attempt.duration_ms.to_string())])) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// "Delete this endpoint?"
pub fn confirm_delete(lang: Lang, nav: StaffNav<'_>, endpoint: &Endpoint) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("webhook-delete-title");
    let base = format!("/staff/settings/webhooks/{}", endpoint.id);
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p { (lang.t_with("webhook-delete-lead", &[("url", &endpoint.url)])) }
            form method="post" action=(format!("{base}/delete")) {
                input type="hidden" name="csrf" value=(csrf);
                button.danger type="submit" { (lang.t("webhook-delete-yes")) }
                " "
                a href=(base) { (lang.t("webhook-delete-no")) }
            }
        },
    )
}
