//! QR posters for owners: the index of every location with its downloads
//! (SVG, PNG) and printable posters (A4, A5), and the poster page itself —
//! a bilingual call to give feedback, the business name and logo, a large QR
//! code and the short address under it. Pure functions of the data given.

use super::components::column_heads;
use super::layout::{document, staff_page, titled, Document, StaffNav};
use crate::config::AddressProblem;
use crate::domain::location::Location;
use crate::i18n::Lang;
use maud::{html, Markup};

/// The paper a poster is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSize {
    /// 210 × 297 mm.
    A4,
    /// 148 × 210 mm.
    A5,
}

impl PaperSize {
    /// Both sizes, largest first.
    pub const ALL: [PaperSize; 2] = [PaperSize::A4, PaperSize::A5];

    /// `a4` or `a5`, as in the address and the CSS class.
    pub fn code(self) -> &'static str {
        match self {
            PaperSize::A4 => "a4",
            PaperSize::A5 => "a5",
        }
    }

    /// The size for `a4`/`A4` or `a5`/`A5`.
    pub fn from_code(code: &str) -> Option<PaperSize> {
        PaperSize::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// A `data:` URL for a stored logo, only for PNG, JPEG or WebP and only
/// when the stored text is plain base64.
pub fn logo_data_url(logo_type: Option<&str>, logo_base64: Option<&str>) -> Option<String> {
    let mime = logo_type?;
    let data = logo_base64?;
    let allowed = matches!(mime, "image/png" | "image/jpeg" | "image/webp");
    let base64 = !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    (allowed && base64).then(|| format!("data:{mime};base64,{data}"))
}

/// The query string (with `?`) that carries an optional spot and other pairs.
/// Slugs, spots and sizes are checked to need no escaping.
fn query(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// `/staff/locations/{slug}/qr.svg` or `qr.png`, with the spot.
pub fn qr_path(slug: &str, ext: &str, spot: Option<&str>) -> String {
    format!(
        "/staff/locations/{slug}/qr.{ext}{}",
        query(&[("spot", spot)])
    )
}

/// `/staff/locations/{slug}/poster?size=…`, with the spot.
pub fn poster_path(slug: &str, size: PaperSize, spot: Option<&str>) -> String {
    format!(
        "/staff/locations/{slug}/poster{}",
        query(&[("size", Some(size.code())), ("spot", spot)])
    )
}

/// The index: every location with links to its QR downloads and posters,
/// and a small form that adds a spot name to all the links; `warning` (the
/// public address customers cannot reach) comes first.
pub fn index(
    lang: Lang,
    nav: StaffNav<'_>,
    locations: &[Location],
    spot: Option<&str>,
    spot_invalid: bool,
    warning: Markup,
) -> Markup {
    let title = lang.t("poster-index-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            (warning)
            p.lead { (lang.t("poster-index-intro")) }
            form.inline-form method="get" action="/staff/posters" {
                div {
                    label for="spot" { (lang.t("poster-spot")) }
                    p.hint { (lang.t("poster-spot-hint")) }
                    input type="text" id="spot" name="spot" value=(spot.unwrap_or(""))
                        maxlength="64" pattern="[A-Za-z0-9_\\-]{1,64}" placeholder="table-4"
                        aria-describedby=[spot_invalid.then_some("spot-error")];
                    @if spot_invalid {
                        p.field-error id="spot-error" role="alert" { (lang.t("poster-spot-invalid")) }
                    }
                }
                button type="submit" { (lang.t("poster-spot-apply")) }
            }
            @if let Some(spot) = spot {
                p.notice { (lang.t_with("poster-spot-current", &[("spot", spot)])) " "
                    a href="/staff/posters" { (lang.t("poster-spot-clear")) } }
            }
            @if locations.is_empty() {
                p { (lang.t("poster-no-locations")) }
            } @else {
                table.inbox {
                    (column_heads(&[lang.t("poster-col-location"), lang.t("poster-col-code"), lang.t("poster-col-poster")]))
                    tbody {
                        @for location in locations {
                            tr {
                                td {
                                    (location.name)
                                    br;
                                    span.muted { "/f/" (location.slug) }
                                    @if !location.active { " " span.badge { (lang.t("poster-inactive")) } }
                                }
                                td {
                                    a href=(qr_path(&location.slug, "svg", spot)) download { "SVG" }
                                    " · "
                                    a href=(qr_path(&location.slug, "png", spot)) download { "PNG" }
                                }
                                td {
                                    a href=(poster_path(&location.slug, PaperSize::A4, spot)) { (lang.t("poster-a4")) }
                                    " · "
                                    a href=(poster_path(&location.slug, PaperSize::A5, spot)) { (lang.t("poster-a5")) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What a poster shows.
pub struct Poster<'a> {
    /// A4 or A5.
    pub size: PaperSize,
    /// The business name (the location's name when no profile is saved).
    pub business_name: &'a str,
    /// A `data:` URL of the logo, from [`logo_data_url`].
    pub logo: Option<&'a str>,
    /// The location the code leads to.
    pub location: &'a Location,
    /// The spot within the location, if any.
    pub spot: Option<&'a str>,
    /// Address of the QR code image (same origin).
    pub qr_src: &'a str,
    /// The address printed under the code.
    pub short_url: &'a str,
    /// Why customers cannot reach that address, if they cannot: the
    /// poster's small print says so.
    pub address_problem: Option<AddressProblem>,
}

/// A printable poster page: its own document with print CSS for the paper
/// size; `warning` shows on screen only, above the sheet.
pub fn poster(lang: Lang, poster: &Poster<'_>, warning: Markup) -> Markup {
    let size = poster.size;
    let location = poster.location;
    let title = lang.t_with("poster-title", &[("location", &location.name)]);
    let other = PaperSize::ALL.into_iter().find(|s| *s != size);
    // Under the short address: the location (when not the business name), its street address, the spot.
    let mut details: Vec<&str> = Vec::new();
    if location.name != poster.business_name {
        details.push(&location.name);
    }
    if !location.address.trim().is_empty() {
        details.push(location.address.trim());
    }
    if let Some(spot) = poster.spot {
        details.push(spot);
    }
    let details = details.join(" · ");
    document(
        Document {
            lang,
            html_class: Some(size.code()),
            title: &titled(lang, &title),
            links: html! {
                link rel="stylesheet" href="/static/css/poster.css";
                link rel="stylesheet" href=(format!("/static/css/poster-{}.css", size.code()));
            },
            body_class: "poster",
        },
        html! {
                nav.screen-only aria-label=(lang.t("poster-index-title")) {
                    a href="/staff/posters" { "← " (lang.t("poster-back")) }
                    @if let Some(other) = other {
                        a href=(poster_path(&location.slug, other, poster.spot)) {
                            (lang.t(&format!("poster-{}", other.code())))
                        }
                    }
                    span { (lang.t("poster-print-hint")) }
                }
                div.screen-only.poster-warning { (warning) }
                main.sheet {
                    header.brand {
                        @if let Some(logo) = poster.logo {
                            img.logo src=(logo) alt=(poster.business_name);
                        }
                        p.business { (poster.business_name) }
                    }
                    div.lines.nl lang="nl" {
                        p { (Lang::Nl.t("poster-unhappy")) }
                        p { (Lang::Nl.t("poster-happy")) }
                    }
                    div.lines.en lang="en" {
                        p { (Lang::En.t("poster-unhappy")) }
                        p { (Lang::En.t("poster-happy")) }
                    }
                    img.qr src=(poster.qr_src) alt=(lang.t_with("poster-qr-alt", &[("url", poster.short_url)]));
                    p.url { (poster.short_url) }
                    @if !details.is_empty() { p.where { (details) } }
                    @if let Some(problem) = poster.address_problem {
                        p.footnote { (super::first_run::poster_footnote(lang, problem, poster.short_url)) }
                    }
                }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_paths() {
        assert_eq!(PaperSize::from_code("A5"), Some(PaperSize::A5));
        assert_eq!(PaperSize::from_code("letter"), None);
        assert_eq!(
            poster_path("shop", PaperSize::A4, Some("t-1")),
            "/staff/locations/shop/poster?size=a4&spot=t-1"
        );
        assert_eq!(qr_path("shop", "svg", None), "/staff/locations/shop/qr.svg");
    }

    #[test]
    fn logo_only_for_images() {
        assert_eq!(
            logo_data_url(Some("image/png"), Some("iVBO+/=")).as_deref(),
            Some("data:image/png;base64,iVBO+/=")
        );
        assert_eq!(logo_data_url(Some("image/svg+xml"), Some("PHN2Zz4=")), None);
        assert_eq!(logo_data_url(Some("image/png"), Some("a\"b")), None);
        assert_eq!(logo_data_url(None, Some("iVBO")), None);
    }
}
