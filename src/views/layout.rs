//! The page frame shared by every HTML page: the document and its head, the
//! customer pages' frame (and their thank-you pages), the staff pages
//! outside the login, and the staff pages behind it with their navigation.

use super::components::{brand_header, post_button, review_invitation};
use crate::domain::profile::Brand;
use crate::domain::review_link::ReviewLink;
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

/// What a whole document has besides its body: the language, an optional
/// class on `<html>`, the full `<title>` text and the links in the head.
pub struct Document<'a> {
    /// The document's language.
    pub lang: Lang,
    /// A class on `<html>` (the poster's paper size), if any.
    pub html_class: Option<&'a str>,
    /// The whole `<title>` text.
    pub title: &'a str,
    /// The stylesheets and icon links, in order.
    pub links: Markup,
    /// The class on `<body>`.
    pub body_class: &'a str,
}

/// A whole HTML document: the head every page has (charset, viewport, no
/// referrer, title, the given links) and `body`.
pub fn document(d: Document<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(d.lang.code()) class=[d.html_class] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (d.title) }
                (d.links)
            }
            body class=(d.body_class) { (body) }
        }
    }
}

/// The app's own stylesheet and the business's colours, which every page
/// but the poster loads first.
pub fn app_stylesheets() -> Markup {
    html! {
        link rel="stylesheet" href="/static/css/tellus.css";
        link rel="stylesheet" href="/brand.css";
    }
}

/// A page title followed by the app's name, as tabs and bookmarks show it.
pub fn titled(lang: Lang, title: &str) -> String {
    format!("{title} · {}", lang.t("app-name"))
}

/// The navigation's links for everyone, after the app's name: address and
/// catalogue key.
const STAFF_LINKS: [(&str, &str); 4] = [
    ("/staff/inbox", "staff-inbox"),
    ("/staff/quarantine", "staff-quarantine"),
    ("/staff/redeem", "gift-till-nav"),
    ("/staff/gifts", "gift-nav"),
];

/// The navigation's links for owners only, after those for everyone.
const OWNER_LINKS: [(&str, &str); 11] = [
    ("/staff/dashboard", "dashboard-nav"),
    ("/staff/settings", "staff-settings"),
    ("/staff/settings/workflow", "workflow-title"),
    ("/staff/locations", "owner-locations"),
    ("/staff/categories", "owner-categories"),
    ("/staff/canned", "canned-nav"),
    ("/staff/profile", "owner-profile"),
    ("/staff/posters", "poster-nav"),
    ("/staff/users", "account-nav-users"),
    ("/staff/audit", "account-nav-audit"),
    ("/staff/privacy", "privacy-nav"),
];

/// Wraps `content` in the document with the top bar: the staff navigation
/// (`nav`) or the app's name, and the link to the other language
/// (`switch_href`); `body_class` gives the customer or the staff look.
fn page(
    lang: Lang,
    title: &str,
    switch_href: Option<&str>,
    nav: Option<StaffNav<'_>>,
    body_class: &str,
    content: Markup,
) -> Markup {
    document(
        Document {
            lang,
            html_class: None,
            title: &titled(lang, title),
            links: html! {
                (app_stylesheets())
                link rel="icon" href="/static/img/icon.svg" type="image/svg+xml";
            },
            body_class,
        },
        html! {
            header.top {
                @if let Some(nav) = &nav {
                    nav aria-label=(lang.t("app-name")) {
                        a.brand href="/staff/inbox" { (lang.t("app-name")) }
                        @for (href, key) in STAFF_LINKS {
                            a href=(href) { (lang.t(key)) }
                        }
                        @if nav.is_owner {
                            @for (href, key) in OWNER_LINKS {
                                a href=(href) { (lang.t(key)) }
                            }
                        }
                        a href="/staff/account" { (lang.t("account-nav-account")) }
                        span.who { (nav.user_name) }
                        (post_button("/staff/logout", nav.csrf, &lang.t("staff-logout")))
                    }
                } @else {
                    span.brand { (lang.t("app-name")) }
                }
                @if let Some(href) = switch_href {
                    a.lang-switch href=(href) hreflang=(lang.other().code()) lang=(lang.other().code()) {
                        (lang.t("lang-switch"))
                    }
                }
            }
            main id="main" { (content) }
        },
    )
}

/// A page for customers (and anyone without a login): the plain frame in the
/// customer look, with a link to the other language when `switch_href` is given.
pub fn public_page(lang: Lang, title: &str, switch_href: Option<&str>, content: Markup) -> Markup {
    page(lang, title, switch_href, None, "public", content)
}

/// A customer's thank-you page: a card with the business's header, the title
/// and `card`, then the invitation to tell others, then `after`.
pub fn thanks_page(
    lang: Lang,
    title: &str,
    brand: &Brand,
    review_links: &[ReviewLink],
    card: Markup,
    after: Markup,
) -> Markup {
    public_page(
        lang,
        title,
        None,
        html! {
            section.card.thanks {
                (brand_header(brand))
                h1 { (title) }
                (card)
            }
            (review_invitation(lang, review_links))
            (after)
        },
    )
}

/// A staff page outside the login (login, first-run setup, invitation,
/// password reset): the staff look without the navigation.
pub fn staff_entry_page(
    lang: Lang,
    title: &str,
    switch_href: Option<&str>,
    content: Markup,
) -> Markup {
    page(lang, title, switch_href, None, "staff", content)
}

/// A page behind the staff login whose content brings its own heading.
pub fn staff_page_own_heading(
    lang: Lang,
    nav: StaffNav<'_>,
    title: &str,
    content: Markup,
) -> Markup {
    page(lang, title, None, Some(nav), "staff", content)
}

/// A page behind the staff login: the frame with navigation, and the title as
/// its heading.
pub fn staff_page(lang: Lang, nav: StaffNav<'_>, title: &str, content: Markup) -> Markup {
    staff_page_own_heading(
        lang,
        nav,
        title,
        html! {
            h1 { (title) }
            (content)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // The navigation's keys are data, out of reach of the catalogue's scan
    // of `.t("…")` calls, so they are checked here.
    #[test]
    fn every_navigation_key_is_in_the_catalogue() {
        let known = crate::i18n::keys(&crate::i18n::source(Lang::En));
        for (_, key) in STAFF_LINKS.iter().chain(OWNER_LINKS.iter()) {
            assert!(
                known.iter().any(|k| k == key),
                "{key} is not in the catalogue"
            );
        }
    }
}
