//! Burst alerts as staff see them: the inbox banner, the alerts page (each
//! alert with its counts, its answers and the acknowledge form), and the
//! owner's "Alerts and chat" page of a location (the rule and the Slack and
//! Teams channels).

use super::components::{error_summary, face_img, field_error, moment, post_button};
use super::layout::{staff_page, staff_page_own_heading, StaffNav};
use crate::domain::alert::{Alert, LinkedAnswer, RuleInput};
use crate::domain::category;
use crate::domain::chat::{ChatTarget, TargetInput};
use crate::domain::location::Location;
use crate::domain::FieldError;
use crate::i18n::Lang;
use chrono_tz::Tz;
use maud::{html, Markup};

/// The banner on the inbox while alerts wait to be acknowledged.
pub fn banner(lang: Lang, count: i64) -> Markup {
    html! {
        div.banner.alert-banner role="status" {
            (lang.t_with("alerts-banner", &[("count", &count.to_string())])) " "
            a href="/staff/alerts" { (lang.t("alerts-banner-link")) }
        }
    }
}

/// What an alert says in one line.
fn summary(lang: Lang, alert: &Alert) -> String {
    let key = if alert.kind == "happy" {
        "alert-happy-line"
    } else {
        "alert-unhappy-line"
    };
    lang.t_with(
        key,
        &[
            ("location", &alert.location),
            ("matching", &alert.matching.to_string()),
            ("answers", &alert.answers.to_string()),
            ("minutes", &alert.minutes.to_string()),
        ],
    )
    .into_owned()
}

/// The acknowledge form of an open alert, with its error if the last try
/// had one.
fn acknowledge_form(lang: Lang, csrf: &str, alert: &Alert, errors: &[FieldError]) -> Markup {
    let field = format!("comment-{}", alert.id);
    let hint = format!("{field}-hint");
    html! {
        form method="post" action=(format!("/staff/alerts/{}/acknowledge", alert.id)) {
            (error_summary(lang, errors))
            input type="hidden" name="csrf" value=(csrf);
            label for=(field) { (lang.t("alert-comment")) }
            p.hint id=(hint) { (lang.t("alert-comment-hint")) }
            textarea id=(field) name="comment" rows="2" maxlength="1000" aria-describedby=(hint) {}
            (field_error(lang, errors, "comment"))
            button.primary type="submit" { (lang.t("alert-acknowledge")) }
        }
    }
}

/// The answers behind an alert.
fn answer_list(lang: Lang, zone: Tz, answers: &[&LinkedAnswer]) -> Markup {
    html! {
        h3 { (lang.t("alert-answers")) }
        ul.alert-answers {
            @for a in answers {
                li {
                    (face_img(a.face, lang)) " "
                    (moment(lang, zone, a.created_at))
                    @if let Some(names) = &a.topic { " · " strong { (category::name_in(names, lang)) } }
                    " · "
                    @match &a.message {
                        Some(text) => span.alert-text { (text) },
                        None => span.hint { (lang.t("alert-no-text")) },
                    }
                    @if let Some(ticket) = a.ticket_id {
                        " · " a href=(format!("/staff/tickets/{ticket}")) { (lang.t("alert-open-ticket")) }
                    }
                }
            }
        }
    }
}

/// `GET /staff/alerts`: open alerts first, then the acknowledged ones.
/// `failed` is the alert whose acknowledgement was refused, with why.
pub fn alerts_page(
    lang: Lang,
    nav: StaffNav<'_>,
    zone: Tz,
    alerts: &[Alert],
    answers: &[LinkedAnswer],
    failed: Option<(i64, &[FieldError])>,
    acknowledged: bool,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("alerts-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @if acknowledged { p.notice role="status" { (lang.t("alert-acknowledged-notice")) } }
            @if alerts.is_empty() { p { (lang.t("alerts-none")) } }
            @for alert in alerts {
                @let mine: Vec<&LinkedAnswer> = answers.iter().filter(|a| a.alert_id == alert.id).collect();
                @let errors = failed.filter(|(id, _)| *id == alert.id).map(|(_, e)| e).unwrap_or(&[]);
                section.card.alert id=(format!("alert-{}", alert.id)) {
                    h2 { (summary(lang, alert)) }
                    p {
                        (moment(lang, zone, alert.raised_at)) " · "
                        (lang.t_with("alert-rule-line", &[
                            ("percent", &alert.percent.to_string()),
                            ("minutes", &alert.minutes.to_string()),
                        ]))
                    }
                    @match alert.acknowledged_at {
                        Some(at) => {
                            p {
                                span.badge {
                                    @match &alert.acknowledged_by {
                                        Some(name) => (lang.t_with("alert-acknowledged", &[("name", name)])),
                                        None => (lang.t("alert-acknowledged-someone")),
                                    }
                                }
                                " " (moment(lang, zone, at))
                            }
                            @if let Some(comment) = &alert.ack_comment { blockquote { (comment) } }
                        }
                        None => {
                            p { span.badge.todo { (lang.t("alert-waiting")) } }
                        }
                    }
                    (answer_list(lang, zone, &mine))
                    @if alert.acknowledged_at.is_none() {
                        (acknowledge_form(lang, &csrf, alert, errors))
                    }
                }
            }
        },
    )
}

/// What the owner's "Alerts and chat" page shows besides the location.
pub struct SettingsPage<'a> {
    /// The rule form's values.
    pub rule: &'a RuleInput,
    /// Its mistakes.
    pub rule_errors: &'a [FieldError],
    /// The location's channels.
    pub targets: &'a [ChatTarget],
    /// The add-a-channel form's values.
    pub target: &'a TargetInput,
    /// Its mistakes.
    pub target_errors: &'a [FieldError],
    /// A catalogue key for what just happened, if anything.
    pub notice: Option<&'static str>,
}

/// A number field of the rule form, with its hint's catalogue key if it has one.
fn number(
    lang: Lang,
    errors: &[FieldError],
    field: &str,
    value: &str,
    max: i32,
    hint: Option<&str>,
) -> Markup {
    let hint_id = format!("{field}-hint");
    html! {
        label for=(field) { (lang.t(&format!("alert-{}", field.replace('_', "-")))) }
        @if let Some(hint) = hint { p.hint id=(hint_id) { (lang.t(hint)) } }
        input type="number" id=(field) name=(field) value=(value) min="1" max=(max)
            inputmode="numeric" aria-describedby=[hint.map(|_| &hint_id)] required;
        (field_error(lang, errors, field))
    }
}

/// A tick box of the rule form.
fn tick(lang: Lang, field: &str, on: &str) -> Markup {
    html! {
        label.check {
            input type="checkbox" id=(field) name=(field) value="yes" checked[!on.trim().is_empty()];
            " " (lang.t(&format!("alert-{}", field.replace('_', "-"))))
        }
    }
}

/// `GET /staff/locations/{id}/alerts`
pub fn settings(
    lang: Lang,
    nav: StaffNav<'_>,
    location: &Location,
    view: &SettingsPage<'_>,
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("alert-settings-title");
    let base = format!("/staff/locations/{}", location.id);
    let rule = view.rule;
    let errors = view.rule_errors;
    staff_page_own_heading(
        lang,
        nav,
        &title,
        html! {
            p { a href=(format!("{base}/edit")) { (location.name) } }
            h1 { (title) ": " (location.name) }
            @if let Some(key) = view.notice { p.notice role="status" { (lang.t(key)) } }
            section.card {
                h2 { (lang.t("alert-rule-heading")) }
                p.hint { (lang.t("alert-rule-hint")) }
                form method="post" action=(format!("{base}/alerts")) {
                    (error_summary(lang, errors))
                    input type="hidden" name="csrf" value=(csrf);
                    (tick(lang, "unhappy_on", &rule.unhappy_on))
                    (number(lang, errors, "unhappy_percent", &rule.unhappy_percent, 100, None))
                    (tick(lang, "happy_on", &rule.happy_on))
                    (number(lang, errors, "happy_percent", &rule.happy_percent, 100, None))
                    (number(lang, errors, "minutes", &rule.minutes, 240, Some("alert-minutes-hint")))
                    (number(lang, errors, "min_answers", &rule.min_answers, 1000, Some("alert-min-answers-hint")))
                    button.primary type="submit" { (lang.t("owner-save")) }
                }
            }
            section.card {
                h2 { (lang.t("chat-heading")) }
                p.hint { (lang.t("chat-hint")) }
                @if view.targets.is_empty() {
                    p { (lang.t("chat-none")) }
                } @else {
                    ul.chat-targets {
                        @for t in view.targets {
                            li {
                                strong {
                                    @if t.kind == "teams" { (lang.t("chat-kind-teams")) } @else { (lang.t("chat-kind-slack")) }
                                }
                                br;
                                code.chat-url { (t.url) }
                                br;
                                (post_button(&format!("{base}/chat/{}/test", t.id), &csrf, &lang.t("chat-send-test")))
                                " · "
                                (post_button(&format!("{base}/chat/{}/remove", t.id), &csrf, &lang.t("chat-remove")))
                            }
                        }
                    }
                }
                form method="post" action=(format!("{base}/chat")) {
                    (error_summary(lang, view.target_errors))
                    input type="hidden" name="csrf" value=(csrf);
                    label for="kind" { (lang.t("chat-kind")) }
                    select id="kind" name="kind" {
                        option value="slack" selected[view.target.kind != "teams"] { (lang.t("chat-kind-slack")) }
                        option value="teams" selected[view.target.kind == "teams"] { (lang.t("chat-kind-teams")) }
                    }
                    (field_error(lang, view.target_errors, "kind"))
                    label for="url" { (lang.t("chat-url")) }
                    p.hint id="url-hint" { (lang.t("chat-url-hint")) }
                    input type="url" id="url" name="url" value=(view.target.url) maxlength="2000"
                        aria-describedby="url-hint" required;
                    (field_error(lang, view.target_errors, "url"))
                    button.primary type="submit" { (lang.t("chat-add")) }
                }
            }
        },
    )
}
