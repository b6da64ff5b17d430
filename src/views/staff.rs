//! Staff pages: login, ticket, quarantine, settings (the inbox is in `inbox`).

use super::components::{age, error_summary, face_img, field_error, timestamp};
use super::layout::{page, staff_page, Frame, StaffNav};
use crate::domain::feedback::Quarantined;
use crate::domain::review_link::ReviewLink;
use crate::domain::ticket::{Status, TicketDetail};
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::mail::outbox::Delivery;
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
            }
        },
    )
}

fn status_label(lang: Lang, status: &str) -> String {
    let status = Status::parse(status).unwrap_or(Status::Open);
    lang.t(&format!("status-{}", status.as_str())).into_owned()
}

/// A ticket for staff: the customer's feedback, the thread with delivery
/// state, the reply box and the status control.
pub fn ticket(
    lang: Lang,
    nav: StaffNav<'_>,
    detail: &TicketDetail,
    deliveries: &[Delivery],
    draft: &str,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let fb = &detail.feedback;
    let title = format!("{} · {}", fb.reference, detail.location.name);
    let delivery_of = |message_id: Option<i64>| {
        deliveries
            .iter()
            .find(|d| d.ticket_message_id == message_id)
    };
    let delivery_badge = |d: Option<&Delivery>| {
        html! {
            @if let Some(d) = d {
                @match d.status.as_str() {
                    "sent" => span.badge.ok { (lang.t("staff-mail-sent")) },
                    "failed" => span.badge.bad title=(d.last_error.as_deref().unwrap_or("")) {
                        (lang.t_with("staff-mail-failed-detail", &[("recipient", &d.recipient), ("error", d.last_error.as_deref().unwrap_or("-"))]))
                    },
                    _ => span.badge { (lang.t("staff-mail-pending")) },
                }
            }
        }
    };
    let ack = deliveries.iter().find(|d| d.kind == "acknowledgement");
    page(
        &Frame {
            lang,
            title: &title,
            switch_href: None,
            nav: Some(nav),
            body_class: "staff",
        },
        html! {
            h1 { (fb.reference) }
            dl.facts {
                dt { (lang.t("staff-col-status")) } dd { (status_label(lang, &detail.ticket.status)) }
                dt { (lang.t("staff-col-location")) } dd { (detail.location.name) @if let Some(spot) = &fb.spot { " · " (spot) } }
                dt { (lang.t("staff-col-face")) } dd { (face_img(fb.face, lang)) " " (lang.t(&format!("face-{}", fb.face.clamp(1, 4)))) }
                @if let Some((nl, en)) = &detail.category {
                    dt { (lang.t("staff-col-category")) } dd { (if lang == Lang::Nl { nl } else { en }) }
                }
                dt { (lang.t("staff-ticket-customer")) }
                dd {
                    @if let Some(name) = &fb.customer_name { (name) " " }
                    @if let Some(email) = &fb.customer_email { "<" (email) "> " (delivery_badge(ack)) }
                    @else { span.muted { (lang.t("staff-ticket-no-contact")) } }
                }
            }
            ol.thread {
                li.msg.customer {
                    p.meta { (timestamp(fb.created_at)) }
                    @match &fb.message {
                        Some(text) => p.body { (text) },
                        None => p.body.muted { (lang.t("ticket-no-message")) },
                    }
                }
                @for message in &detail.thread {
                    @let staff = message.author == "staff";
                    li.msg.staff[staff].customer[!staff] {
                        p.meta {
                            @if let Some(name) = &message.staff_name { (name) } @else { (lang.t("staff-ticket-customer")) }
                            " · " (timestamp(message.created_at)) " "
                            @if staff { (delivery_badge(delivery_of(Some(message.id)))) }
                        }
                        p.body { (message.body) }
                    }
                }
            }
            form.card method="post" action=(format!("/staff/tickets/{}/reply", detail.ticket.id)) {
                (error_summary(lang, errors))
                input type="hidden" name="csrf" value=(csrf);
                label for="body" { (lang.t("staff-reply-label")) }
                textarea id="body" name="body" rows="6" { (draft) }
                (field_error(lang, errors, "body"))
                button.primary type="submit" { (lang.t("staff-reply-submit")) }
            }
            form.card.inline-form method="post" action=(format!("/staff/tickets/{}/status", detail.ticket.id)) {
                input type="hidden" name="csrf" value=(csrf);
                label for="status" { (lang.t("staff-status-label")) }
                select id="status" name="status" {
                    @for status in Status::ALL {
                        option value=(status.as_str()) selected[detail.ticket.status == status.as_str()] { (lang.t(&format!("status-{}", status.as_str()))) }
                    }
                }
                button type="submit" { (lang.t("staff-status-submit")) }
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
