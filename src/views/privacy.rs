//! The owner's privacy page: the retention period, the retention job's last
//! run, and the per-address export and erasure forms with the erasure's
//! confirmation step.

use super::components::{error_summary, field_error};
use super::layout::{staff_page, StaffNav};
use crate::domain::local_time::format_moment;
use crate::domain::privacy::{Counts, LastRun, MONTHS};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// What the page says on top after an action.
#[derive(Debug, Clone, Copy)]
pub enum Notice {
    /// Nothing.
    None,
    /// The retention period was saved.
    Saved,
    /// An address was erased; what was removed.
    Erased(Counts),
}

/// What the page shows.
pub struct PageView<'a> {
    /// The retention period as stored or typed.
    pub months: &'a str,
    /// The retention job's last run.
    pub last_run: LastRun,
    /// The address as typed (after a mistake).
    pub email: &'a str,
    /// Mistakes.
    pub errors: &'a [FieldError],
    /// A notice on top.
    pub notice: Notice,
    /// The business's time zone, for the last run.
    pub tz: chrono_tz::Tz,
}

/// The counts as a small table.
fn counts_table(lang: Lang, counts: &Counts) -> Markup {
    let rows = [
        ("privacy-count-submissions", counts.submissions),
        ("privacy-count-tickets", counts.tickets),
        ("privacy-count-inbound-mails", counts.inbound_mails),
        ("privacy-count-outbox", counts.outbox),
        ("privacy-count-attachments", counts.attachments),
        ("privacy-count-gifts", counts.gifts),
    ];
    html! {
        table.counts {
            tbody {
                @for (key, n) in rows {
                    tr { th scope="row" { (lang.t(key)) } td { (n) } }
                }
            }
        }
    }
}

/// `GET /staff/privacy`
pub fn page(lang: Lang, nav: StaffNav<'_>, view: &PageView<'_>) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("privacy-title");
    let errors = view.errors;
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @match view.notice {
                Notice::None => {},
                Notice::Saved => { p.notice role="status" { (lang.t("privacy-saved")) } },
                Notice::Erased(counts) => {
                    div.notice role="status" {
                        p { (lang.t("privacy-erased")) }
                        (counts_table(lang, &counts))
                    }
                },
            }
            (error_summary(lang, errors))
            section.card {
                h2 { (lang.t("privacy-retention-heading")) }
                p { (lang.t("privacy-retention-lead")) }
                form method="post" action="/staff/privacy/retention" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="months" { (lang.t("privacy-months")) }
                    p.hint id="months-hint" { (lang.t("privacy-months-hint")) }
                    input type="number" id="months" name="months" value=(view.months)
                        min=(MONTHS.start()) max=(MONTHS.end()) inputmode="numeric"
                        aria-describedby="months-hint" required;
                    (field_error(lang, errors, "months"))
                    button.primary type="submit" { (lang.t("owner-save")) }
                }
                @if let Some(at) = view.last_run.at {
                    p { (lang.t_with("privacy-last-run", &[("when", &format_moment(view.tz, at, lang))])) }
                    (counts_table(lang, &view.last_run.counts))
                } @else {
                    p { (lang.t("privacy-never-run")) }
                }
            }
            section.card {
                h2 { (lang.t("privacy-customer-heading")) }
                p { (lang.t("privacy-customer-lead")) }
                form method="post" action="/staff/privacy/export" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="email" { (lang.t("privacy-email")) }
                    input type="email" id="email" name="email" value=(view.email)
                        autocomplete="off" required;
                    (field_error(lang, errors, "email"))
                    div.actions {
                        button.primary type="submit" { (lang.t("privacy-export")) }
                        button type="submit" formaction="/staff/privacy/erase" { (lang.t("privacy-erase")) }
                    }
                }
            }
        },
    )
}

/// The erasure's confirmation step: what is held about the address, and a
/// box to tick before it goes.
pub fn confirm_erase(
    lang: Lang,
    nav: StaffNav<'_>,
    email: &str,
    held: &Counts,
    errors: &[FieldError],
) -> Markup {
    let csrf = nav.csrf.to_owned();
    let title = lang.t("privacy-confirm-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            (error_summary(lang, errors))
            section.card {
                p { (lang.t_with("privacy-confirm-lead", &[("email", email)])) }
                @if held.is_empty() {
                    p { (lang.t("privacy-nothing-held")) }
                } @else {
                    (counts_table(lang, held))
                }
                form method="post" action="/staff/privacy/erase/confirm" {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="email" value=(email);
                    div.check id="confirm" {
                        input type="checkbox" id="confirm-box" name="confirm" value="yes";
                        label for="confirm-box" { (lang.t("privacy-confirm-box")) }
                    }
                    (field_error(lang, errors, "confirm"))
                    button.primary type="submit" { (lang.t("privacy-confirm-button")) }
                }
                p { a href="/staff/privacy" { (lang.t("privacy-cancel")) } }
            }
        },
    )
}
