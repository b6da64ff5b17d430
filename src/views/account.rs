//! Account pages: the owner's users page and audit log, the invitation and
//! password reset pages, the account page (password, language, two-factor),
//! two-factor set-up and the code step of the login.

use super::components::{
    active_toggle, column_heads, error_summary, field_error, moment, post_button,
};
use super::layout::{staff_entry_page, staff_page, StaffNav};
use crate::domain::audit::AuditEntry;
use crate::domain::invite::LinkProblem;
use crate::domain::local_time::format_moment;
use crate::domain::user::{Role, User};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// A page outside the login (invitation, reset, code step), as a narrow card.
fn public_card(lang: Lang, title: &str, content: Markup) -> Markup {
    staff_entry_page(
        lang,
        title,
        None,
        html! {
            div.card.narrow {
                h1 { (title) }
                (content)
            }
        },
    )
}

fn role_label(lang: Lang, role: &str) -> String {
    match Role::parse(role) {
        Some(Role::Owner) => lang.t("account-role-owner").into_owned(),
        _ => lang.t("account-role-staff").into_owned(),
    }
}

/// Each language Tellus speaks, named in itself.
fn lang_options(chosen: &str) -> Markup {
    html! {
        @for option in Lang::ALL {
            option value=(option.code()) lang=(option.code()) selected[chosen == option.code()] { (option.name()) }
        }
    }
}

/// What the invitation form shows again after an error.
#[derive(Default)]
pub struct InviteDraft<'a> {
    /// Address typed.
    pub email: &'a str,
    /// Name typed.
    pub name: &'a str,
    /// `owner` or `staff`.
    pub role: &'a str,
    /// `nl` or `en`.
    pub language: &'a str,
}

/// What the users page lists.
pub struct UsersList<'a> {
    /// The owner looking (no disable button on their own row).
    pub me: i64,
    /// Every account.
    pub users: &'a [User],
    /// Who has two-factor on.
    pub totp_users: &'a [i64],
    /// Whether owners must use two-factor.
    pub totp_required: bool,
    /// Invitations not used yet.
    pub pending: &'a [crate::domain::invite::Pending],
    /// A confirmation to show, if any.
    pub notice: Option<&'a str>,
    /// The business's time zone, for when invitations run out.
    pub tz: chrono_tz::Tz,
}

/// The owner's users page: everyone with role and state, controls to change
/// them, the invitation form and the two-factor rule for owners.
pub fn users(
    lang: Lang,
    nav: StaffNav<'_>,
    list: &UsersList<'_>,
    errors: &[FieldError],
    draft: &InviteDraft<'_>,
) -> Markup {
    let (me, all, totp_required, notice) = (list.me, list.users, list.totp_required, list.notice);
    let title = lang.t("account-users-title");
    let csrf = nav.csrf.to_owned();
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (error_summary(lang, errors))
            (field_error(lang, errors, "user"))
            table.users {
                (column_heads(&[
                    lang.t("account-col-name"),
                    lang.t("staff-email"),
                    lang.t("account-col-role"),
                    lang.t("account-col-state"),
                    lang.t("account-totp-title"),
                ]))
                tbody {
                    @for u in all {
                        tr {
                            td { (u.name) }
                            td { (u.email) }
                            td {
                                form.inline method="post" action=(format!("/staff/users/{}/role", u.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    select id=(format!("role-{}", u.id)) name="role" aria-label=(lang.t("account-col-role")) {
                                        option value="staff" selected[!u.is_owner()] { (lang.t("account-role-staff")) }
                                        option value="owner" selected[u.is_owner()] { (lang.t("account-role-owner")) }
                                    }
                                    button type="submit" { (lang.t("account-role-change")) }
                                }
                            }
                            td {
                                @if u.active { (lang.t("account-active")) } @else { (lang.t("account-disabled")) }
                                @if u.id != me {
                                    " "
                                    (active_toggle(
                                        &format!("/staff/users/{}/active", u.id),
                                        &csrf,
                                        u.active,
                                        &if u.active { lang.t("account-disable") } else { lang.t("account-enable") },
                                        None,
                                    ))
                                }
                            }
                            td {
                                @if list.totp_users.contains(&u.id) { (lang.t("account-yes")) } @else { (lang.t("account-no")) }
                            }
                        }
                    }
                }
            }
            @if !list.pending.is_empty() {
                section.card {
                    h2 { (lang.t("account-pending-title")) }
                    ul.plain {
                        @for p in list.pending {
                            li {
                                (p.email) " · " (lang.t(&format!("account-role-{}", if p.role == "owner" { "owner" } else { "staff" })))
                                " · " (lang.t_with("account-pending-until", &[("when", &format_moment(list.tz, p.expires_at, lang))])) " "
                                (post_button(&format!("/staff/users/invites/{}/revoke", p.id), &csrf, &lang.t("account-pending-revoke")))
                            }
                        }
                    }
                }
            }
            form.card method="post" action="/staff/users" {
                h2 { (lang.t("account-invite-title")) }
                input type="hidden" name="csrf" value=(csrf);
                label for="email" { (lang.t("staff-email")) }
                input type="email" id="email" name="email" value=(draft.email) required;
                (field_error(lang, errors, "email"))
                label for="name" { (lang.t("account-col-name")) }
                input type="text" id="name" name="name" value=(draft.name) maxlength="100" required;
                (field_error(lang, errors, "name"))
                label for="role" { (lang.t("account-col-role")) }
                select id="role" name="role" {
                    option value="staff" selected[draft.role != "owner"] { (lang.t("account-role-staff")) }
                    option value="owner" selected[draft.role == "owner"] { (lang.t("account-role-owner")) }
                }
                label for="language" { (lang.t("account-language")) }
                select id="language" name="language" { (lang_options(draft.language)) }
                button.primary type="submit" { (lang.t("account-invite-submit")) }
            }
            form.card method="post" action="/staff/users/totp-required" {
                h2 { (lang.t("account-totp-policy-title")) }
                input type="hidden" name="csrf" value=(csrf);
                p {
                    @if totp_required { (lang.t("account-totp-policy-on")) } @else { (lang.t("account-totp-policy-off")) }
                }
                input type="hidden" name="required" value=(if totp_required { "no" } else { "yes" });
                button type="submit" {
                    @if totp_required { (lang.t("account-totp-policy-make-optional")) } @else { (lang.t("account-totp-policy-make-required")) }
                }
            }
        },
    )
}

/// A link that no longer works (used, expired or unknown), said plainly.
pub fn link_problem(lang: Lang, problem: LinkProblem, reset: bool) -> Markup {
    let title = lang.t("account-link-title");
    let key = match problem {
        LinkProblem::Unknown => "account-link-unknown",
        LinkProblem::Used => "account-link-used",
        LinkProblem::Expired => "account-link-expired",
    };
    public_card(
        lang,
        &title,
        html! {
            p role="alert" { (lang.t(key)) }
            @if reset {
                p { a href="/staff/reset" { (lang.t("account-reset-again")) } }
            } @else {
                p { (lang.t("account-invite-ask-again")) }
            }
            p { a href="/staff/login" { (lang.t("staff-login-title")) } }
        },
    )
}

/// The invitee's page: choose a name and a password.
pub fn invite_accept(
    lang: Lang,
    path: &str,
    email: &str,
    name: &str,
    form_token: &str,
    errors: &[FieldError],
) -> Markup {
    let title = lang.t("account-accept-title");
    public_card(
        lang,
        &title,
        html! {
            p { (lang.t_with("account-accept-lead", &[("email", email)])) }
            (error_summary(lang, errors))
            form method="post" action=(path) {
                input type="hidden" name="token" value=(form_token);
                label for="name" { (lang.t("account-col-name")) }
                input type="text" id="name" name="name" value=(name) maxlength="100" autocomplete="name" required;
                (field_error(lang, errors, "name"))
                (new_password_fields(lang, errors))
                button.primary type="submit" { (lang.t("account-accept-submit")) }
            }
        },
    )
}

fn new_password_fields(lang: Lang, errors: &[FieldError]) -> Markup {
    html! {
        label for="password" { (lang.t("account-new-password")) }
        input type="password" id="password" name="password" autocomplete="new-password" minlength="10" required;
        (field_error(lang, errors, "password"))
        label for="password2" { (lang.t("account-new-password-again")) }
        input type="password" id="password2" name="password2" autocomplete="new-password" required;
        (field_error(lang, errors, "password2"))
    }
}

/// Asking for a reset link; after sending, the same answer for every
/// address, saying what became of the mail (`saved_as_files`: no SMTP
/// server, so it only went into a file).
pub fn reset_request(lang: Lang, form_token: &str, sent: bool, saved_as_files: bool) -> Markup {
    let title = lang.t("account-reset-title");
    public_card(
        lang,
        &title,
        html! {
            @if sent {
                p.notice role="status" {
                    (lang.t(if saved_as_files { "account-reset-saved-as-file" } else { "account-reset-sent" }))
                }
                p { a href="/staff/login" { (lang.t("staff-login-title")) } }
            } @else {
                p { (lang.t("account-reset-lead")) }
                form method="post" action="/staff/reset" {
                    input type="hidden" name="token" value=(form_token);
                    label for="email" { (lang.t("staff-email")) }
                    input type="email" id="email" name="email" autocomplete="username" required;
                    button.primary type="submit" { (lang.t("account-reset-submit")) }
                }
            }
        },
    )
}

/// Choosing a new password through a reset link.
pub fn reset_form(lang: Lang, path: &str, form_token: &str, errors: &[FieldError]) -> Markup {
    let title = lang.t("account-reset-new-title");
    public_card(
        lang,
        &title,
        html! {
            (error_summary(lang, errors))
            form method="post" action=(path) {
                input type="hidden" name="token" value=(form_token);
                (new_password_fields(lang, errors))
                button.primary type="submit" { (lang.t("account-reset-new-submit")) }
            }
        },
    )
}

/// The staff member's own account: language, password, two-factor.
pub fn account(
    lang: Lang,
    nav: StaffNav<'_>,
    user: &User,
    user_language: &str,
    totp_on: bool,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let title = lang.t("account-title");
    let csrf = nav.csrf.to_owned();
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (error_summary(lang, errors))
            p { (user.name) " · " (user.email) " · " (role_label(lang, &user.role)) }
            form.card method="post" action="/staff/account/language" {
                h2 { (lang.t("account-language")) }
                input type="hidden" name="csrf" value=(csrf);
                label for="language" { (lang.t("account-language-lead")) }
                select id="language" name="language" { (lang_options(user_language)) }
                button type="submit" { (lang.t("account-save")) }
            }
            form.card method="post" action="/staff/account/password" {
                h2 { (lang.t("account-password-title")) }
                input type="hidden" name="csrf" value=(csrf);
                label for="current" { (lang.t("account-current-password")) }
                input type="password" id="current" name="current" autocomplete="current-password" required;
                (field_error(lang, errors, "current"))
                (new_password_fields(lang, errors))
                p { (lang.t("account-password-other-sessions")) }
                button.primary type="submit" { (lang.t("account-password-submit")) }
            }
            section.card {
                h2 { (lang.t("account-totp-title")) }
                @if totp_on {
                    p { (lang.t("account-totp-on")) }
                    form method="post" action="/staff/account/totp/disable" {
                        input type="hidden" name="csrf" value=(csrf);
                        label for="totp-password" { (lang.t("account-current-password")) }
                        input type="password" id="totp-password" name="password" autocomplete="current-password" required;
                        (field_error(lang, errors, "password"))
                        label for="totp-code" { (lang.t("account-totp-code")) }
                        input type="text" id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required;
                        (field_error(lang, errors, "code"))
                        button type="submit" { (lang.t("account-totp-disable")) }
                    }
                } @else {
                    p { (lang.t("account-totp-off")) }
                    p { a href="/staff/account/totp" { (lang.t("account-totp-enable")) } }
                }
            }
        },
    )
}

/// What the two-factor set-up page shows.
pub struct Enrolment<'a> {
    /// The new secret, base32, for typing in.
    pub secret: &'a str,
    /// The secret signed for the confirm form.
    pub signed_secret: &'a str,
    /// The otpauth:// QR code as an SVG document.
    pub qr_svg: &'a str,
    /// Whether the owner is here because two-factor is mandatory.
    pub forced: bool,
}

/// Setting up two-factor: the secret as text and QR code, and a code to confirm.
pub fn totp_enrol(
    lang: Lang,
    nav: StaffNav<'_>,
    enrolment: &Enrolment<'_>,
    errors: &[FieldError],
) -> Markup {
    let title = lang.t("account-totp-setup-title");
    let csrf = nav.csrf.to_owned();
    let qr = format!(
        "data:image/svg+xml;base64,{}",
        data_encoding::BASE64.encode(enrolment.qr_svg.as_bytes())
    );
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @if enrolment.forced { p.notice role="alert" { (lang.t("account-totp-required-notice")) } }
            (error_summary(lang, errors))
            p { (lang.t("account-totp-setup-lead")) }
            img.qr src=(qr) alt=(lang.t("account-totp-qr-alt")) width="240" height="240";
            p { (lang.t("account-totp-secret")) " " code.totp-secret { (enrolment.secret) } }
            form.card method="post" action="/staff/account/totp" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="secret" value=(enrolment.signed_secret);
                label for="code" { (lang.t("account-totp-code")) }
                input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required;
                (field_error(lang, errors, "code"))
                button.primary type="submit" { (lang.t("account-totp-confirm")) }
            }
        },
    )
}

/// The second login step: the code from the authenticator app.
pub fn login_code(lang: Lang, form_token: &str, failed: bool) -> Markup {
    let title = lang.t("account-code-title");
    public_card(
        lang,
        &title,
        html! {
            @if failed { p.field-error role="alert" { (lang.t("account-code-failed")) } }
            p { (lang.t("account-code-lead")) }
            form method="post" action="/staff/login/code" {
                input type="hidden" name="token" value=(form_token);
                label for="code" { (lang.t("account-totp-code")) }
                input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required autofocus;
                button.primary type="submit" { (lang.t("staff-login-submit")) }
            }
        },
    )
}

/// The audit log, newest first, one page with a link to older entries.
pub fn audit(
    lang: Lang,
    nav: StaffNav<'_>,
    tz: chrono_tz::Tz,
    entries: &[AuditEntry],
    next: Option<&str>,
) -> Markup {
    let title = lang.t("account-audit-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            @if entries.is_empty() {
                p { (lang.t("account-audit-empty")) }
            } @else {
                table.audit {
                    (column_heads(&[
                        lang.t("account-audit-when"),
                        lang.t("account-audit-who"),
                        lang.t("account-audit-what"),
                        lang.t("account-audit-ticket"),
                    ]))
                    tbody {
                        @for e in entries {
                            tr {
                                td { (moment(lang, tz, e.created_at)) }
                                td {
                                    @match (&e.actor, &e.api_key) {
                                        (Some(name), _) => (name),
                                        (None, Some(key)) => (lang.t_with("api-key-actor", &[("name", key)])),
                                        (None, None) => (lang.t("account-audit-system")),
                                    }
                                }
                                td { code { (e.action) } @if !e.detail.is_empty() { " · " (e.detail) } }
                                td {
                                    @if let Some(id) = e.ticket_id {
                                        a href=(format!("/staff/tickets/{id}")) { "#" (id) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(href) = next { p { a href=(href) { (lang.t("staff-next-page")) " →" } } }
            }
        },
    )
}

/// After a new password was set through a reset link.
pub fn reset_done(lang: Lang) -> Markup {
    let title = lang.t("account-reset-new-title");
    public_card(
        lang,
        &title,
        html! {
            p.notice role="status" { (lang.t("account-reset-done")) }
            p { a href="/staff/login" { (lang.t("staff-login-title")) } }
        },
    )
}
