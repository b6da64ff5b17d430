//! The page frame shared by every HTML page.

use crate::i18n::Lang;
use maud::{html, Markup, DOCTYPE};

/// The staff navigation, for pages behind the login.
pub struct StaffNav<'a> {
    /// Logged-in user's name.
    pub user_name: &'a str,
    /// Whether the owner-only links show.
    pub is_owner: bool,
    /// The session's CSRF token, for the logout form.
    pub csrf: &'a str,
}

/// What every page needs.
pub struct Frame<'a> {
    /// Page language.
    pub lang: Lang,
    /// The `<title>`.
    pub title: &'a str,
    /// Link that shows this page in the other language.
    pub switch_href: Option<&'a str>,
    /// Staff navigation, if logged in.
    pub nav: Option<StaffNav<'a>>,
    /// Extra class on `<body>` (e.g. `public`).
    pub body_class: &'a str,
}

/// Wraps `content` in the document.
pub fn page(frame: &Frame<'_>, content: Markup) -> Markup {
    let lang = frame.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (frame.title) " · " (lang.t("app-name")) }
                link rel="stylesheet" href="/static/css/tellus.css";
                link rel="stylesheet" href="/brand.css";
                link rel="icon" href="/static/img/icon.svg" type="image/svg+xml";
            }
            body class=(frame.body_class) {
                header.top {
                    @if let Some(nav) = &frame.nav {
                        nav aria-label=(lang.t("app-name")) {
                            a.brand href="/staff/inbox" { (lang.t("app-name")) }
                            a href="/staff/inbox" { (lang.t("staff-inbox")) }
                            a href="/staff/quarantine" { (lang.t("staff-quarantine")) }
                            a href="/staff/redeem" { (lang.t("gift-till-nav")) }
                            a href="/staff/gifts" { (lang.t("gift-nav")) }
                            @if nav.is_owner {
                                a href="/staff/dashboard" { (lang.t("dashboard-nav")) }
                                a href="/staff/settings" { (lang.t("staff-settings")) }
                                a href="/staff/settings/workflow" { (lang.t("workflow-title")) }
                                a href="/staff/locations" { (lang.t("owner-locations")) }
                                a href="/staff/categories" { (lang.t("owner-categories")) }
                                a href="/staff/canned" { (lang.t("canned-nav")) }
                                a href="/staff/profile" { (lang.t("owner-profile")) }
                                a href="/staff/posters" { (lang.t("poster-nav")) }
                                a href="/staff/users" { (lang.t("account-nav-users")) }
                                a href="/staff/audit" { (lang.t("account-nav-audit")) }
                                a href="/staff/privacy" { (lang.t("privacy-nav")) }
                            }
                            a href="/staff/account" { (lang.t("account-nav-account")) }
                            span.who { (nav.user_name) }
                            form.inline method="post" action="/staff/logout" {
                                input type="hidden" name="csrf" value=(nav.csrf);
                                button.link type="submit" { (lang.t("staff-logout")) }
                            }
                        }
                    } @else {
                        span.brand { (lang.t("app-name")) }
                    }
                    @if let Some(href) = frame.switch_href {
                        a.lang-switch href=(href) hreflang=(lang.other().code()) lang=(lang.other().code()) {
                            (lang.t("lang-switch"))
                        }
                    }
                }
                main id="main" { (content) }
            }
        }
    }
}

/// A page behind the staff login: the frame with navigation, and the title as
/// its heading.
pub fn staff_page(lang: Lang, nav: StaffNav<'_>, title: &str, content: Markup) -> Markup {
    page(
        &Frame {
            lang,
            title,
            switch_href: None,
            nav: Some(nav),
            body_class: "staff",
        },
        html! {
            h1 { (title) }
            (content)
        },
    )
}
