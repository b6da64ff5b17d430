//! The first hour's pages and pieces: the warning about a public address
//! customers cannot reach (on the posters, kiosk pairing and setup pages),
//! the owner's checklist (`/staff/start`) and the Mail page
//! (`/staff/settings/mail`) with its test mail. Pure functions of the data.

use super::components::{age, post_button};
use super::layout::{staff_page, StaffNav};
use crate::config::AddressProblem;
use crate::domain::checklist::{Checklist, SelfCheck, Step};
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// The calm warning card about `TELLUS_BASE_URL`, with what to set; nothing
/// when the address is fine.
pub fn address_warning(lang: Lang, problem: Option<AddressProblem>, base_url: &str) -> Markup {
    let Some(problem) = problem else {
        return html! {};
    };
    let kind = problem.as_str();
    html! {
        section.card.warning role="status" aria-labelledby="address-warning-title" {
            h2 id="address-warning-title" { (lang.t(&format!("address-warning-{kind}-title"))) }
            p { (lang.t_with(&format!("address-warning-{kind}"), &[("url", base_url)])) }
            p { (lang.t("address-warning-fix")) }
            pre.settings { code {
                "TELLUS_BASE_URL=https://feedback.your-shop.example\n"
                "TELLUS_BIND=0.0.0.0:8080"
            } }
            p.hint { (lang.t("address-warning-fix-hint")) }
        }
    }
}

/// The small print under a poster whose address customers cannot reach.
pub fn poster_footnote(lang: Lang, problem: AddressProblem, url: &str) -> String {
    lang.t_with(
        &format!("address-footnote-{}", problem.as_str()),
        &[("url", url)],
    )
    .into_owned()
}

/// A stored test mail's result in words.
pub fn mail_result(lang: Lang, result: &SelfCheck, folder: &str) -> String {
    let args = [
        ("to", result.target.as_str()),
        ("detail", result.detail.as_str()),
        ("folder", folder),
    ];
    let key = match result.outcome.as_str() {
        "delivered" => "mail-result-delivered",
        "refused" => "mail-result-refused",
        "could_not_connect" => "mail-result-could-not-connect",
        "timed_out" => "mail-result-timed-out",
        "saved_as_file" => "mail-result-saved-as-file",
        _ => "mail-result-invalid",
    };
    lang.t_with(key, &args).into_owned()
}

/// A stored self-check of the public address in words.
fn address_result(lang: Lang, result: &SelfCheck) -> String {
    let args = [
        ("url", result.target.as_str()),
        ("detail", result.detail.as_str()),
    ];
    let key = match result.outcome.as_str() {
        "ok" => "checklist-address-ok",
        "status" => "checklist-address-status",
        "timed_out" => "checklist-address-timed-out",
        _ => "checklist-address-could-not-connect",
    };
    lang.t_with(key, &args).into_owned()
}

/// What the checklist page shows.
pub struct ChecklistPage<'a> {
    /// The steps and the latest checks.
    pub checklist: &'a Checklist,
    /// What is wrong with the public address, if anything.
    pub address_problem: Option<AddressProblem>,
    /// `TELLUS_BASE_URL`.
    pub base_url: &'a str,
    /// Mail is only saved as files.
    pub mail_saved_as_files: bool,
    /// The folder mail files go to.
    pub mail_folder: &'a str,
    /// Now, for "checked 5 minutes ago".
    pub now: NaiveDateTime,
}

/// `GET /staff/start`: the owner's checklist.
pub fn checklist(lang: Lang, nav: StaffNav<'_>, page: &ChecklistPage<'_>) -> Markup {
    let csrf = nav.csrf.to_owned();
    let list = page.checklist;
    let total = list.steps.len();
    let done = list.done();
    let title = lang.t("checklist-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            p.lead { (lang.t("checklist-lead")) }
            p.progress {
                label for="checklist-progress" {
                    (lang.t_with("checklist-progress", &[("done", &done.to_string()), ("total", &total.to_string())]))
                }
                " "
                progress id="checklist-progress" max=(total) value=(done) { (done) "/" (total) }
            }
            @if list.finished() { p.notice role="status" { (lang.t("checklist-finished")) } }
            (address_warning(lang, page.address_problem, page.base_url))
            ol.checklist {
                @for state in &list.steps {
                    @let name = state.step.as_str();
                    li.card.step.done[state.done] id=(name) {
                        h2 {
                            @if state.done { span.badge.ok { (lang.t("checklist-done")) } }
                            @else if state.dismissed { span.badge { (lang.t("checklist-dismissed")) } }
                            @else { span.badge.todo { (lang.t("checklist-todo")) } }
                            " " (lang.t(&format!("checklist-step-{name}-title")))
                        }
                        p { (lang.t(&format!("checklist-step-{name}-why"))) }
                        @match state.step {
                            Step::Address => {
                                p {
                                    @match &list.address_check {
                                        Some(check) => {
                                            (address_result(lang, check)) " "
                                            span.muted { (age(lang, check.checked_at, page.now)) }
                                            @if check.outcome == "ok" && page.address_problem.is_some() {
                                                " " (lang.t("checklist-address-local"))
                                            }
                                        }
                                        None => (lang.t("checklist-address-never")),
                                    }
                                }
                                form.inline method="post" action="/staff/start/check-address" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { (lang.t("checklist-address-check")) }
                                }
                            }
                            Step::Mail => {
                                @if page.mail_saved_as_files { p { (lang.t("checklist-mail-files")) } }
                                @if let Some(check) = &list.mail_check {
                                    p { (mail_result(lang, check, page.mail_folder)) " " span.muted { (age(lang, check.checked_at, page.now)) } }
                                }
                            }
                            _ => {}
                        }
                        div.step-actions {
                            a.button href=(state.step.link()) { (lang.t(&format!("checklist-step-{name}-link"))) }
                            @if !state.done && !state.dismissed {
                                " "
                                form.inline method="post" action="/staff/start/dismiss" {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="step" value=(name);
                                    button.link type="submit" aria-label=(lang.t_with("checklist-dismiss-step", &[("step", &lang.t(&format!("checklist-step-{name}-title")))])) {
                                        (lang.t("checklist-dismiss"))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if !list.hidden {
                section.card {
                    p { (lang.t("checklist-hide-lead")) }
                    (post_button("/staff/start/hide", &csrf, &lang.t("checklist-hide")))
                }
            }
        },
    )
}

/// What the Mail page shows.
pub struct MailPage<'a> {
    /// The SMTP server (`host:port`), or `None` when mail is saved as files.
    pub smtp_server: Option<&'a str>,
    /// The folder mail files go to.
    pub mail_folder: &'a str,
    /// The From address.
    pub mail_from: &'a str,
    /// The latest test mail.
    pub latest: Option<&'a SelfCheck>,
    /// Whether the latest test was just sent (the page after the form).
    pub just_tested: bool,
    /// The test form's address (the owner's own).
    pub to: &'a str,
    /// Now, for "5 minutes ago".
    pub now: NaiveDateTime,
}

/// `GET /staff/settings/mail`: which transport is in use, how to set up
/// SMTP, and the test mail with its latest result.
pub fn mail(lang: Lang, nav: StaffNav<'_>, page: &MailPage<'_>) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("mail-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @match page.smtp_server {
                Some(server) => p.notice role="status" { (lang.t_with("mail-transport-smtp", &[("server", server), ("from", page.mail_from)])) },
                None => section.card.warning role="status" {
                    h2 { (lang.t("mail-transport-files-title")) }
                    p { (lang.t_with("mail-transport-files", &[("folder", page.mail_folder)])) }
                },
            }
            section.card aria-labelledby="mail-test-title" {
                h2 id="mail-test-title" { (lang.t("mail-test-title")) }
                @if let Some(latest) = page.latest {
                    @let ok = latest.outcome == "delivered";
                    p.notice[ok].failure[!ok] role=[page.just_tested.then_some("status")] {
                        strong { (lang.t(if ok { "mail-test-ok" } else { "mail-test-not-ok" })) } " "
                        (mail_result(lang, latest, page.mail_folder)) " "
                        span.muted { (age(lang, latest.checked_at, page.now)) }
                    }
                }
                form method="post" action="/staff/settings/mail/test" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="to" { (lang.t("mail-test-to")) }
                    p.hint id="to-hint" { (lang.t("mail-test-hint")) }
                    input type="email" id="to" name="to" value=(page.to) autocomplete="email" aria-describedby="to-hint" required;
                    button.primary type="submit" { (lang.t("mail-test-submit")) }
                }
            }
            section.card aria-labelledby="mail-setup-title" {
                h2 id="mail-setup-title" { (lang.t("mail-setup-title")) }
                p { (lang.t("mail-setup-lead")) }
                dl.settings {
                    dt { code { "TELLUS_SMTP_URL" } }
                    dd {
                        (lang.t("mail-setup-smtp-url"))
                        pre.settings { code {
                            "TELLUS_SMTP_URL=smtps://user:password@mail.your-shop.example:465\n"
                            "TELLUS_SMTP_URL=smtp://user:password@mail.your-shop.example:587?tls=required"
                        } }
                    }
                    dt { code { "TELLUS_MAIL_FROM" } }
                    dd {
                        (lang.t("mail-setup-from"))
                        pre.settings { code { "TELLUS_MAIL_FROM=Your Shop <feedback@your-shop.example>" } }
                    }
                    dt { code { "TELLUS_REPLY_DOMAIN" } }
                    dd { (lang.t("mail-setup-reply-domain")) }
                }
                p.hint { (lang.t("mail-setup-hint")) }
            }
        },
    )
}
