//! The staff ticket page: the facts, the whole timeline (the customer's
//! messages, staff replies with their delivery state, internal notes, status,
//! assignment and priority changes, merges, reminders, escalations,
//! satisfaction), and the forms to reply (from a canned response if wanted),
//! note, set status, assign, set priority and merge.

use super::attachments;
use super::components::{error_summary, face_img, field_error, moment};
use super::layout::{staff_page, StaffNav};
use super::sla;
use crate::domain::attachment::AttachmentMeta;
use crate::domain::canned::CannedResponse;
use crate::domain::category;
use crate::domain::ticket::{Priority, Status, TicketDetail, TicketEvent, TimelineEntry};
use crate::domain::FieldError;
use crate::i18n::Lang;
use crate::mail::outbox::Delivery;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// A status in words.
pub fn status_label(lang: Lang, status: &str) -> String {
    let status = Status::parse(status).unwrap_or(Status::Open);
    lang.t(&format!("status-{}", status.as_str())).into_owned()
}

/// Everything the ticket page shows.
pub struct TicketPage<'a> {
    /// The reader's language.
    pub lang: Lang,
    /// Navigation (and the CSRF token).
    pub nav: StaffNav<'a>,
    /// The ticket.
    pub detail: &'a TicketDetail,
    /// Its timeline, oldest first.
    pub timeline: &'a [TimelineEntry],
    /// Mails to the customer and their state.
    pub deliveries: &'a [Delivery],
    /// Files customers sent by email, without their bytes.
    pub attachments: &'a [AttachmentMeta],
    /// Who can be assigned: (id, name).
    pub staff: &'a [(i64, String)],
    /// Canned responses on offer.
    pub canned: &'a [CannedResponse],
    /// The reply box's text.
    pub reply_draft: &'a str,
    /// The note box's text.
    pub note_draft: &'a str,
    /// The merge box's text.
    pub merge_draft: &'a str,
    /// Errors of the last POST.
    pub errors: &'a [FieldError],
    /// Now, for the time left.
    pub now: NaiveDateTime,
    /// The business's time zone, for every moment shown.
    pub tz: chrono_tz::Tz,
}

fn delivery_badge(lang: Lang, d: Option<&Delivery>) -> Markup {
    html! {
        @if let Some(d) = d {
            @match d.status.as_str() {
                "sent" if d.saved_as_file() => span.badge.bad { (lang.t("staff-mail-saved-as-file")) },
                "sent" => span.badge.ok { (lang.t("staff-mail-sent")) },
                "failed" => span.badge.bad title=(d.last_error.as_deref().unwrap_or("")) {
                    (lang.t_with("staff-mail-failed-detail", &[("recipient", &d.recipient), ("error", d.last_error.as_deref().unwrap_or("-"))]))
                },
                _ => span.badge { (lang.t("staff-mail-pending")) },
            }
        }
    }
}

fn event_text(lang: Lang, event: &TicketEvent) -> String {
    let (from, to) = event.detail.split_once('>').unwrap_or(("", &event.detail));
    match event.kind.as_str() {
        "status" => lang
            .t_with(
                "ticket-event-status",
                &[
                    ("from", &status_label(lang, from)),
                    ("to", &status_label(lang, to)),
                ],
            )
            .into_owned(),
        "priority" => lang
            .t_with(
                "ticket-event-priority",
                &[("to", &lang.t(&format!("priority-{}", priority_key(to))))],
            )
            .into_owned(),
        "assign" if event.detail.is_empty() => lang.t("ticket-event-unassigned").into_owned(),
        "assign" => lang
            .t_with("ticket-event-assigned", &[("name", &event.detail)])
            .into_owned(),
        "merged_into" => lang
            .t_with("ticket-event-merged-into", &[("reference", &event.detail)])
            .into_owned(),
        "merged_from" => lang
            .t_with("ticket-event-merged-from", &[("reference", &event.detail)])
            .into_owned(),
        "note" => lang.t("ticket-event-note").into_owned(),
        // The stored details are codes; the timeline says them in words.
        "escalation" => {
            let missed = match event.detail.as_str() {
                "first_response" => lang.t("followup-escalation-first-response"),
                _ => lang.t("followup-escalation-resolution"),
            };
            lang.t_with("ticket-event-escalation", &[("detail", &missed)])
                .into_owned()
        }
        "csat" => lang
            .t_with(
                "ticket-event-csat",
                &[("detail", &lang.t(&format!("face-{}", event.detail)))],
            )
            .into_owned(),
        // Events of the follow-up jobs (reminder, escalation, survey): their
        // kind names a catalogue entry; the detail says which clock or face.
        other => lang
            .t_with(
                &format!("ticket-event-{other}"),
                &[("detail", &event.detail)],
            )
            .into_owned(),
    }
}

fn priority_key(stored: &str) -> &'static str {
    Priority::parse(stored).unwrap_or(Priority::Normal).as_str()
}

/// The staff ticket page.
pub fn page(p: TicketPage<'_>) -> Markup {
    let lang = p.lang;
    let csrf = p.nav.csrf.to_owned();
    let d = p.detail;
    let t = &d.ticket;
    let fb = &d.feedback;
    let title = format!("{} · {}", fb.reference, d.location.name);
    let action = |what: &str| format!("/staff/tickets/{}/{what}", t.id);
    let delivery_of = |message_id: i64| {
        p.deliveries
            .iter()
            .find(|x| x.ticket_message_id == Some(message_id))
    };
    let ack = p.deliveries.iter().find(|x| x.kind == "acknowledgement");
    let assignee = t
        .assignee_id
        .and_then(|id| p.staff.iter().find(|(sid, _)| *sid == id))
        .map(|(_, name)| name.as_str());
    let high = t.priority == Priority::High.as_str();
    // A side form that posts one choice from a list to `/staff/tickets/{id}/{what}`.
    let choice_form =
        |what: &str, field: &str, label: &str, options: Markup, after: Markup, submit: &str| {
            html! {
                form.card method="post" action=(action(what)) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for=(field) { (label) }
                    select id=(field) name=(field) { (options) }
                    (after)
                    button type="submit" { (submit) }
                }
            }
        };
    let content = html! {
        p.ticket-badges {
            span.badge.status { (status_label(lang, &t.status)) }
            @if high { " " span.badge.bad { (lang.t("priority-high")) } }
            " " (sla::due_badge(lang, p.tz, t.due_at.filter(|_| t.status().is_active()), p.now))
        }
        (error_summary(lang, p.errors))
        dl.facts {
            dt { (lang.t("staff-col-location")) } dd { (d.location.name) @if let Some(spot) = &fb.spot { " · " (spot) } }
            dt { (lang.t("staff-col-face")) } dd { (face_img(fb.face, lang)) " " (lang.t(&format!("face-{}", fb.face.clamp(1, 4)))) }
            @if let Some(names) = &d.category {
                dt { (lang.t("staff-col-category")) } dd { (category::name_in(names, lang)) }
            }
            dt { (lang.t("staff-ticket-customer")) }
            dd {
                @if let Some(name) = &fb.customer_name { (name) " " }
                @if let Some(email) = &fb.customer_email { "<" (email) "> " (delivery_badge(lang, ack)) }
                @else { span.muted { (lang.t("staff-ticket-no-contact")) } }
                " · " (lang.t(&format!("lang-name-{}", d.lang().code())))
            }
            dt { (lang.t("ticket-assignee")) }
            dd { @match assignee { Some(name) => (name), None => span.muted { (lang.t("ticket-nobody")) } } }
            @if let Some(score) = t.csat_score {
                dt { (lang.t("ticket-satisfaction")) } dd { (face_img(score, lang)) " " (lang.t(&format!("face-{}", score.clamp(1, 4)))) }
            }
            @if let Some(into) = t.merged_into_id {
                dt { (lang.t("ticket-merged")) } dd { a href=(format!("/staff/tickets/{into}")) { (lang.t("ticket-merged-link")) } }
            }
        }
        div.ticket-layout {
            section.timeline aria-labelledby="timeline-title" {
                h2 id="timeline-title" { (lang.t("ticket-timeline")) }
                ol.thread {
                    @for entry in p.timeline {
                        @match entry {
                            TimelineEntry::Submitted { ticket_id, reference, message, at } => {
                                li.msg.customer {
                                    p.meta {
                                        (lang.t("staff-ticket-customer")) " · " (moment(lang, p.tz, *at))
                                        @if *ticket_id != t.id { " · " (reference) }
                                    }
                                    @match message {
                                        Some(text) => p.body { (text) },
                                        None => p.body.muted { (lang.t("ticket-no-message")) },
                                    }
                                }
                            }
                            TimelineEntry::Message { ticket_id, message } => {
                                @let staff = message.author == "staff";
                                li.msg.staff[staff].customer[!staff] {
                                    p.meta {
                                        @if let Some(name) = &message.staff_name { (name) } @else if let Some(key) = &message.api_key { (lang.t_with("api-key-actor", &[("name", key)])) } @else { (lang.t("staff-ticket-customer")) }
                                        " · " (moment(lang, p.tz, message.created_at)) " "
                                        @if staff { (delivery_badge(lang, delivery_of(message.id))) }
                                    }
                                    p.body { (message.body) }
                                    (attachments::for_message(lang, *ticket_id, message.id, p.attachments))
                                }
                            }
                            TimelineEntry::Event { event, .. } => {
                                @if event.kind == "note" {
                                    li.msg.note {
                                        p.meta {
                                            span.badge { (lang.t("ticket-note-badge")) } " "
                                            @if let Some(name) = &event.actor { (name) " · " }
                                            @if let Some(key) = &event.api_key { (lang.t_with("api-key-actor", &[("name", key)])) " · " }
                                            (moment(lang, p.tz, event.created_at))
                                        }
                                        @if let Some(body) = &event.body { p.body { (body) } }
                                    }
                                } @else {
                                    li.event {
                                        (event_text(lang, event))
                                        @if let Some(name) = &event.actor { " · " (name) }
                                        @if let Some(key) = &event.api_key { " · " (lang.t_with("api-key-actor", &[("name", key)])) }
                                        " · " (moment(lang, p.tz, event.created_at))
                                    }
                                }
                            }
                        }
                    }
                }
                @if !p.canned.is_empty() {
                    form.card.inline-form method="get" action=(format!("/staff/tickets/{}", t.id)) {
                        label for="canned" { (lang.t("ticket-canned-label")) }
                        select id="canned" name="canned" {
                            @for c in p.canned {
                                // Not written in the customer's language: say
                                // which one the box will be filled in.
                                @let from = c.bodies().source_for(d.lang(), d.location.default_lang());
                                option value=(c.id) {
                                    (c.title)
                                    @if from != d.lang() { " · " (lang.t_with("ticket-canned-in", &[("language", from.name())])) }
                                }
                            }
                        }
                        button type="submit" { (lang.t("ticket-canned-use")) }
                    }
                }
                form.card method="post" action=(action("reply")) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="body" { (lang.t_with("staff-reply-to-customer", &[("language", &lang.t(&format!("lang-name-{}", d.lang().code())))])) }
                    textarea id="body" name="body" rows="8" { (p.reply_draft) }
                    (field_error(lang, p.errors, "body"))
                    fieldset.then {
                        legend { (lang.t("ticket-then")) }
                        label { input type="radio" name="then" value="keep" checked; " " (lang.t("ticket-then-keep")) }
                        label { input type="radio" name="then" value="waiting"; " " (lang.t("ticket-then-waiting")) }
                        label { input type="radio" name="then" value="resolved"; " " (lang.t("ticket-then-resolved")) }
                    }
                    button.primary type="submit" { (lang.t("staff-reply-submit")) }
                }
                form.card method="post" action=(action("note")) {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="note" { (lang.t("ticket-note-label")) }
                    p.hint { (lang.t("ticket-note-hint")) }
                    textarea id="note" name="note" rows="3" { (p.note_draft) }
                    (field_error(lang, p.errors, "note"))
                    button type="submit" { (lang.t("ticket-note-submit")) }
                }
            }
            aside.ticket-actions {
                p.card { a href=(action("gift")) { (lang.t("gift-send-new")) } }
                (choice_form("status", "status", &lang.t("staff-status-label"), html! {
                    @for status in Status::CHOSEN_BY_STAFF {
                        option value=(status.as_str()) selected[t.status == status.as_str()] { (lang.t(&format!("status-{}", status.as_str()))) }
                    }
                }, html! {}, &lang.t("staff-status-submit")))
                (choice_form("assign", "assignee", &lang.t("ticket-assignee"), html! {
                    option value="" selected[t.assignee_id.is_none()] { (lang.t("ticket-nobody")) }
                    @for (id, name) in p.staff {
                        option value=(id) selected[t.assignee_id == Some(*id)] { (name) }
                    }
                }, field_error(lang, p.errors, "assignee"), &lang.t("ticket-assign-submit")))
                (choice_form("priority", "priority", &lang.t("ticket-priority"), html! {
                    @for pr in Priority::ALL {
                        option value=(pr.as_str()) selected[t.priority == pr.as_str()] { (lang.t(&format!("priority-{}", pr.as_str()))) }
                    }
                }, html! {}, &lang.t("ticket-priority-submit")))
                @if t.merged_into_id.is_none() {
                    form.card method="post" action=(action("merge")) {
                        input type="hidden" name="csrf" value=(csrf);
                        label for="reference" { (lang.t("ticket-merge-label")) }
                        p.hint { (lang.t("ticket-merge-hint")) }
                        input type="text" id="reference" name="reference" value=(p.merge_draft) maxlength="32" autocomplete="off";
                        (field_error(lang, p.errors, "reference"))
                        button type="submit" { (lang.t("ticket-merge-submit")) }
                    }
                }
            }
        }
    };
    staff_page(lang, p.nav, &title, content)
}
