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
    /// The request's path, which marks the current link and tells a
    /// settings page from the daily ones.
    pub path: &'a str,
    /// Whether mail is only saved as files (no SMTP): owners then see a
    /// banner on every page.
    pub mail_saved_as_files: bool,
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

/// The language choice of a page: links to the same page in each other
/// offered language, named in that language.
#[derive(Debug, Clone, Copy)]
pub struct Switch<'a> {
    /// The page's address up to the language code, e.g. `?lang=` or
    /// `/f/shop?spot=table-4&lang=`.
    pub prefix: &'a str,
    /// The languages the page is offered in (a location's, or all).
    pub offered: &'a [Lang],
}

impl Switch<'_> {
    /// The links to the other offered languages; nothing when there are none.
    pub fn links(self, lang: Lang) -> Markup {
        let others: Vec<Lang> = self
            .offered
            .iter()
            .copied()
            .filter(|l| *l != lang)
            .collect();
        html! {
            @if !others.is_empty() {
                nav.lang-switch aria-label=(lang.t("lang-choice-label")) {
                    @for other in others {
                        a href=(format!("{}{}", self.prefix, other.code())) hreflang=(other.code()) lang=(other.code()) {
                            (other.name())
                        }
                    }
                }
            }
        }
    }
}

/// A page title followed by the app's name, as tabs and bookmarks show it.
pub fn titled(lang: Lang, title: &str) -> String {
    format!("{title} · {}", lang.t("app-name"))
}

/// The daily work in the top bar: address, catalogue key and whether only
/// owners see it.
const DAILY_LINKS: [(&str, &str, bool); 4] = [
    ("/staff/inbox", "staff-inbox", false),
    ("/staff/redeem", "gift-till-nav", false),
    ("/staff/gifts", "gift-nav", false),
    ("/staff/dashboard", "dashboard-nav", true),
];

/// Everything an owner sets once, in the settings area's side menu, in
/// order. Each page under one of these addresses belongs to it (the
/// longest address that fits wins).
const SETTINGS_LINKS: [(&str, &str); 15] = [
    ("/staff/start", "nav-start"),
    ("/staff/locations", "owner-locations"),
    ("/staff/kiosks", "kiosk-nav"),
    ("/staff/posters", "poster-nav"),
    ("/staff/categories", "owner-categories"),
    ("/staff/canned", "canned-nav"),
    ("/staff/settings/workflow", "workflow-title"),
    ("/staff/settings", "staff-review-links"),
    ("/staff/settings/mail", "nav-mail"),
    ("/staff/settings/api", "api-nav"),
    ("/staff/settings/webhooks", "webhooks-nav"),
    ("/staff/profile", "owner-profile"),
    ("/staff/users", "account-nav-users"),
    ("/staff/audit", "account-nav-audit"),
    ("/staff/privacy", "privacy-nav"),
];

/// Pages that belong to a daily link without sitting under its address.
const DAILY_ALSO: [(&str, &str); 3] = [
    ("/staff/tickets", "/staff/inbox"),
    ("/staff/quarantine", "/staff/inbox"),
    ("/staff/alerts", "/staff/inbox"),
];

/// Whether `path` is `href` or a page under it.
fn under(path: &str, href: &str) -> bool {
    path.strip_prefix(href)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The settings link `path` belongs to: the longest address it is under.
fn settings_link(path: &str) -> Option<&'static str> {
    SETTINGS_LINKS
        .iter()
        .map(|(href, _)| *href)
        .filter(|href| under(path, href))
        .max_by_key(|href| href.len())
}

/// The daily link `path` belongs to.
fn daily_link(path: &str) -> Option<&'static str> {
    DAILY_LINKS
        .iter()
        .map(|(href, _, _)| *href)
        .find(|href| under(path, href))
        .or_else(|| {
            DAILY_ALSO
                .iter()
                .find(|(prefix, _)| under(path, prefix))
                .map(|(_, href)| *href)
        })
}

/// One navigation link, marked as the current page's when it is.
fn nav_link(href: &str, label: &str, current: bool) -> Markup {
    html! {
        a href=(href) aria-current=[current.then_some("page")] { (label) }
    }
}

/// The top bar behind the login: the daily work, the settings, the account
/// and the logout on a wide screen; on a phone the same links fold into a
/// menu that opens without JavaScript (`<details>`).
fn staff_bar(lang: Lang, nav: &StaffNav<'_>) -> Markup {
    let daily = daily_link(nav.path);
    let settings = nav.is_owner && settings_link(nav.path).is_some();
    let account = under(nav.path, "/staff/account");
    let links = html! {
        @for (href, key, owner_only) in DAILY_LINKS {
            @if !owner_only || nav.is_owner {
                li { (nav_link(href, &lang.t(key), daily == Some(href))) }
            }
        }
    };
    let end = html! {
        @if nav.is_owner {
            li { (nav_link("/staff/start", &lang.t("staff-settings"), settings)) }
        }
        li { (nav_link("/staff/account", nav.user_name, account)) }
        li { (post_button("/staff/logout", nav.csrf, &lang.t("staff-logout"))) }
    };
    html! {
        a.skip href="#main" { (lang.t("nav-skip")) }
        a.brand href="/staff/inbox" { (lang.t("app-name")) }
        nav.bar aria-label=(lang.t("nav-main")) {
            ul.daily { (links) }
            ul.end { (end) }
        }
        details.menu {
            summary { (lang.t("nav-menu")) }
            nav aria-label=(lang.t("nav-menu")) {
                ul { (links) (end) }
            }
        }
    }
}

/// The settings area's side menu, with the current page marked; on a
/// phone it folds into a disclosure above the page.
fn settings_menu(lang: Lang, path: &str) -> Markup {
    let current = settings_link(path);
    let label = lang.t("staff-settings");
    let items = html! {
        ul {
            @for (href, key) in SETTINGS_LINKS {
                li { (nav_link(href, &lang.t(key), current == Some(href))) }
            }
        }
    };
    let here = SETTINGS_LINKS
        .iter()
        .find(|(href, _)| current == Some(*href))
        .map(|(_, key)| lang.t(key));
    html! {
        nav.side aria-label=(label) { (items) }
        details.side-menu {
            summary {
                (label)
                @if let Some(here) = here { ": " (here) }
            }
            nav aria-label=(lang.t("nav-settings-menu")) { (items) }
        }
    }
}

/// The owners' reminder, on every staff page, while mail is only saved as
/// files.
fn mail_banner(lang: Lang) -> Markup {
    html! {
        div.banner role="status" {
            (lang.t("mail-banner-files")) " "
            a href="/staff/settings/mail" { (lang.t("mail-banner-link")) }
        }
    }
}

/// Wraps `content` in the document with the top bar: the staff navigation
/// (`nav`) or the app's name, and the link to the other language
/// (`switch_href`); `body_class` gives the customer or the staff look.
fn page(
    lang: Lang,
    title: &str,
    switch: Option<Switch<'_>>,
    nav: Option<StaffNav<'_>>,
    body_class: &str,
    content: Markup,
) -> Markup {
    let settings = nav
        .as_ref()
        .filter(|n| n.is_owner && settings_link(n.path).is_some());
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
                    (staff_bar(lang, nav))
                } @else {
                    span.brand { (lang.t("app-name")) }
                }
                @if let Some(switch) = switch {
                    (switch.links(lang))
                }
            }
            @if nav.as_ref().is_some_and(|n| n.is_owner && n.mail_saved_as_files) {
                (mail_banner(lang))
            }
            @if let Some(nav) = settings {
                div.settings-area {
                    (settings_menu(lang, nav.path))
                    main id="main" { (content) }
                }
            } @else {
                main id="main" { (content) }
            }
        },
    )
}

/// A page for customers (and anyone without a login): the plain frame in the
/// customer look, with a link to the other language when `switch_href` is given.
pub fn public_page(lang: Lang, title: &str, switch: Option<Switch<'_>>, content: Markup) -> Markup {
    page(lang, title, switch, None, "public", content)
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
    switch: Option<Switch<'_>>,
    content: Markup,
) -> Markup {
    page(lang, title, switch, None, "staff", content)
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

    #[test]
    fn a_page_belongs_to_the_longest_settings_address_it_is_under() {
        assert_eq!(settings_link("/staff/settings"), Some("/staff/settings"));
        assert_eq!(
            settings_link("/staff/settings/workflow"),
            Some("/staff/settings/workflow")
        );
        assert_eq!(
            settings_link("/staff/settings/review-links"),
            Some("/staff/settings")
        );
        assert_eq!(
            settings_link("/staff/locations/3/edit"),
            Some("/staff/locations")
        );
        assert_eq!(settings_link("/staff/locationsx"), None);
        assert_eq!(settings_link("/staff/inbox"), None);
        assert_eq!(daily_link("/staff/tickets/7"), Some("/staff/inbox"));
        assert_eq!(daily_link("/staff/gifts/catalogue"), Some("/staff/gifts"));
    }

    // The navigation's keys are data, out of reach of the catalogue's scan
    // of `.t("…")` calls, so they are checked here.
    #[test]
    fn every_navigation_key_is_in_the_catalogue() {
        let known = crate::i18n::keys(&crate::i18n::source(Lang::En));
        let daily = DAILY_LINKS.iter().map(|(_, key, _)| key);
        for key in daily.chain(SETTINGS_LINKS.iter().map(|(_, key)| key)) {
            assert!(
                known.iter().any(|k| k == key),
                "{key} is not in the catalogue"
            );
        }
    }
}
