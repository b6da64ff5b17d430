//! Kiosk pages: pairing, the kiosk itself (one page whose screens the kiosk
//! script switches), the "not active" screen, and the owner's kiosk list.
//! Every text is rendered in each language as `data-nl`/`data-en`/
//! `data-fr`/`data-de` so the script can switch language for one customer
//! without a round trip (and back to the location's default after them).

use super::components::post_button;
use super::layout::{app_stylesheets, document, public_page, staff_page, Document, StaffNav};
use crate::domain::category::Category;
use crate::domain::kiosk::DeviceRow;
use crate::domain::location::Location;
use crate::i18n::Lang;
use chrono::NaiveDateTime;
use maud::{html, Markup};

/// A text in each language, in [`Lang::ALL`]'s order.
fn each(text: impl Fn(Lang) -> String) -> [String; 4] {
    Lang::ALL.map(text)
}

/// An element's text in the page language, with every translation for the script.
macro_rules! tr {
    ($lang:expr, $key:expr) => {{
        let [nl, en, fr, de] = each(|l| l.t($key).into_owned());
        html! { span data-nl=(nl) data-en=(en) data-fr=(fr) data-de=(de) { ($lang.t($key)) } }
    }};
}

/// The kiosk's own document: the title alone (no app name), the kiosk
/// stylesheet, and no frame around `body`.
fn kiosk_frame(lang: Lang, title: &str, body: Markup) -> Markup {
    document(
        Document {
            lang,
            html_class: None,
            title,
            links: html! {
                (app_stylesheets())
                link rel="stylesheet" href="/static/css/kiosk.css";
            },
            body_class: "kiosk",
        },
        body,
    )
}

/// The pairing page: type the code the owner made.
pub fn pair(lang: Lang, token: &str, failed_code: Option<&str>) -> Markup {
    let title = lang.t("kiosk-pair-title");
    public_page(
        lang,
        &title,
        None,
        html! {
            form.card.narrow method="post" action="/kiosk/pair" autocomplete="off" {
                h1 { (title) }
                p { (lang.t("kiosk-pair-lead")) }
                @if failed_code.is_some() { p.field-error role="alert" id="code-error" { (lang.t("kiosk-pair-failed")) } }
                input type="hidden" name="token" value=(token);
                input type="hidden" name="lang" value=(lang.code());
                label for="code" { (lang.t("kiosk-pair-code")) }
                input type="text" id="code" name="code" value=(failed_code.unwrap_or("")) autocomplete="off"
                    autocapitalize="characters" spellcheck="false" required aria-describedby=[failed_code.map(|_| "code-error")];
                button.primary type="submit" { (lang.t("kiosk-pair-submit")) }
            }
        },
    )
}

/// Shown by a revoked kiosk (or one whose location was deactivated).
pub fn inactive(lang: Lang) -> Markup {
    let title = lang.t("kiosk-inactive-title");
    kiosk_frame(
        lang,
        &title,
        html! {
            main.kiosk-screen.inactive {
                h1 { (title) }
                p { (lang.t("kiosk-inactive-lead")) }
            }
        },
    )
}

/// Outside opening hours: a calm closed screen with the week's hours. It looks
/// again every few minutes, so the kiosk opens by itself.
pub fn closed(lang: Lang, location: &Location) -> Markup {
    let title = lang.t("kiosk-closed-title");
    let hours = crate::domain::location::parse_opening_hours(&location.opening_hours);
    kiosk_frame(
        lang,
        &title,
        html! {
            main.kiosk-screen.inactive id="kiosk-closed" data-refresh-seconds="300" {
                h1 { (title) }
                p.lead { (location.name) }
                table.hours {
                    @for (day, range) in crate::domain::location::WEEKDAYS.iter().zip(hours.iter()) {
                        tr {
                            th scope="row" { (lang.t(&format!("kiosk-day-{day}"))) }
                            td { @if range.is_empty() { (lang.t("kiosk-day-closed")) } @else { (range) } }
                        }
                    }
                }
            }
            script src="/static/js/kiosk.js" defer {}
        },
    )
}

/// The kiosk: faces, details, thanks, and the inactivity countdown.
pub fn kiosk(
    lang: Lang,
    location: &Location,
    categories: &[Category],
    tell_others: bool,
) -> Markup {
    let title = lang.t_with("form-title", &[("shop", &location.name)]);
    let [title_nl, title_en, title_fr, title_de] = each(|l| {
        l.t_with("form-title", &[("shop", &location.name)])
            .into_owned()
    });
    let offered = location.offered();
    kiosk_frame(
        lang,
        &title,
        html! {
            main id="kiosk" data-lang=(lang.code()) {
                div.kiosk-bar {
                    (offline_sign())
                    @if offered.len() > 1 {
                        div.kiosk-langs role="group" aria-label=(lang.t("kiosk-lang-choice")) {
                            @for choice in &offered {
                                button.lang-choice type="button" data-action="set-lang" data-lang-choice=(choice.code())
                                    lang=(choice.code()) aria-pressed=(if *choice == lang { "true" } else { "false" }) {
                                    (choice.name())
                                }
                            }
                        }
                    }
                }
                section.kiosk-screen data-screen="faces" {
                    h1 data-nl=(title_nl) data-en=(title_en) data-fr=(title_fr) data-de=(title_de) { (title) }
                    p.lead { (tr!(lang, "form-intro")) }
                    div.kiosk-faces role="group" aria-label=(lang.t("form-faces-legend")) {
                        @for face in 1..=4i16 {
                            button.kiosk-face type="button" data-face=(face) {
                                img src=(format!("/static/img/face-{face}.svg")) alt="" width="120" height="120";
                                (tr!(lang, &format!("face-{face}")))
                            }
                        }
                    }
                }
                section.kiosk-screen data-screen="details" hidden {
                    h1 { (tr!(lang, "kiosk-details-title")) }
                    // Two columns on a landscape tablet, so the whole screen,
                    // consent box and buttons included, fits without scrolling.
                    div.kiosk-details {
                        div.kiosk-details-what {
                            p.hint id="kiosk-category-legend" { (tr!(lang, "form-category-legend")) }
                            div.kiosk-categories role="group" aria-labelledby="kiosk-category-legend" {
                                @for category in categories {
                                    button.kiosk-chip type="button" data-category=(category.slug) aria-pressed="false"
                                        data-nl=(category.name(Lang::Nl)) data-en=(category.name(Lang::En))
                                        data-fr=(category.name(Lang::Fr)) data-de=(category.name(Lang::De)) { (category.name(lang)) }
                                }
                            }
                            label for="kiosk-message" { (tr!(lang, "form-message-label")) }
                            textarea id="kiosk-message" rows="3" maxlength="5000" autocomplete="off" {}
                        }
                        div.kiosk-details-who {
                            label for="kiosk-email" { (tr!(lang, "form-email-label")) }
                            input id="kiosk-email" type="email" inputmode="email" pattern=".+@.+[.].+" autocomplete="off" autocapitalize="off" spellcheck="false";
                            div.check {
                                input id="kiosk-consent" type="checkbox";
                                label for="kiosk-consent" { (tr!(lang, "form-consent-label")) }
                            }
                            p.field-error id="kiosk-error" role="alert" hidden
                                data-error-consent-nl=(Lang::Nl.t("error-consent-missing")) data-error-consent-en=(Lang::En.t("error-consent-missing"))
                                data-error-consent-fr=(Lang::Fr.t("error-consent-missing")) data-error-consent-de=(Lang::De.t("error-consent-missing"))
                                data-error-email-nl=(Lang::Nl.t("error-consent-needs-email")) data-error-email-en=(Lang::En.t("error-consent-needs-email"))
                                data-error-email-fr=(Lang::Fr.t("error-consent-needs-email")) data-error-email-de=(Lang::De.t("error-consent-needs-email"))
                                data-error-invalid-nl=(Lang::Nl.t("error-email-invalid")) data-error-invalid-en=(Lang::En.t("error-email-invalid"))
                                data-error-invalid-fr=(Lang::Fr.t("error-email-invalid")) data-error-invalid-de=(Lang::De.t("error-email-invalid")) {}
                            div.kiosk-actions {
                                button.primary type="button" data-action="send" { (tr!(lang, "form-submit")) }
                                button type="button" data-action="skip" { (tr!(lang, "kiosk-skip")) }
                            }
                        }
                    }
                }
                section.kiosk-screen.kiosk-thanks data-screen="thanks" hidden {
                    h1 { (tr!(lang, "thanks-title")) }
                    p.lead { (tr!(lang, "thanks-lead")) }
                    p.kiosk-reference hidden { (tr!(lang, "thanks-reference")) ": " strong.reference {} }
                    @if tell_others {
                        div.kiosk-tell-others {
                            p { (tr!(lang, "kiosk-tell-others")) }
                            img src="/tell-others.svg" alt=(lang.t("kiosk-tell-others")) width="200" height="200";
                        }
                    }
                }
                div.kiosk-countdown role="alertdialog" aria-modal="true" aria-labelledby="kiosk-countdown-text" hidden {
                    p id="kiosk-countdown-text" { (tr!(lang, "kiosk-still-there")) " " span.seconds {} }
                    button.primary type="button" data-action="continue" { (tr!(lang, "kiosk-continue")) }
                }
            }
            script src="/static/js/kiosk.js" defer {}
        },
    )
}

/// The staff's sign in the kiosk's corner: offline, or answers waiting to be
/// sent. Hidden until the script has something to say; its texts carry a
/// `{count}` the script fills in.
fn offline_sign() -> Markup {
    let count = [("count", "{count}")];
    html! {
        div.kiosk-offline role="status" hidden
            data-offline-nl=(Lang::Nl.t("kiosk-offline")) data-offline-en=(Lang::En.t("kiosk-offline"))
            data-offline-fr=(Lang::Fr.t("kiosk-offline")) data-offline-de=(Lang::De.t("kiosk-offline"))
            data-waiting-nl=(Lang::Nl.t_with("kiosk-waiting", &count)) data-waiting-en=(Lang::En.t_with("kiosk-waiting", &count))
            data-waiting-fr=(Lang::Fr.t_with("kiosk-waiting", &count)) data-waiting-de=(Lang::De.t_with("kiosk-waiting", &count))
            data-label-nl=(Lang::Nl.t_with("kiosk-waiting-label", &count)) data-label-en=(Lang::En.t_with("kiosk-waiting-label", &count))
            data-label-fr=(Lang::Fr.t_with("kiosk-waiting-label", &count)) data-label-de=(Lang::De.t_with("kiosk-waiting-label", &count)) {
            span.dot aria-hidden="true" {}
            span.text {}
        }
    }
}

/// What the owner's kiosk page shows.
pub struct OwnerKiosks<'a> {
    /// The paired tablets.
    pub devices: &'a [DeviceRow],
    /// The locations a new tablet may show.
    pub locations: &'a [Location],
    /// A pairing code just made, shown once.
    pub new_code: Option<&'a str>,
    /// Now, on the business's clock.
    pub now: NaiveDateTime,
    /// The business's time zone.
    pub tz: chrono_tz::Tz,
}

/// The owner's kiosks: pairing codes and revocation.
pub fn owner_list(
    lang: Lang,
    nav: StaffNav<'_>,
    page: &OwnerKiosks<'_>,
    address_warning: Markup,
) -> Markup {
    let OwnerKiosks {
        devices,
        locations,
        new_code,
        now,
        tz,
    } = *page;
    let csrf = nav.csrf.to_owned();
    let title = lang.t("kiosk-owner-title");
    staff_page(
        lang,
        nav,
        &title,
        html! {
            (address_warning)
            @if let Some(code) = new_code {
                section.card role="status" {
                    h2 { (lang.t("kiosk-code-title")) }
                    p.reference id="pairing-code" { (code) }
                    p { (lang.t("kiosk-code-lead")) }
                }
            }
            section.card {
                h2 { (lang.t("kiosk-new-title")) }
                form method="post" action="/staff/kiosks/pairing" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="location_id" { (lang.t("staff-col-location")) }
                    select id="location_id" name="location_id" {
                        @for l in locations.iter().filter(|l| l.active) { option value=(l.id) { (l.name) } }
                    }
                    label for="name" { (lang.t("kiosk-name")) }
                    input type="text" id="name" name="name" maxlength="60";
                    button type="submit" { (lang.t("kiosk-make-code")) }
                }
            }
            table.inbox {
                thead { tr {
                    th scope="col" { (lang.t("kiosk-name")) }
                    th scope="col" { (lang.t("staff-col-location")) }
                    th scope="col" { (lang.t("kiosk-last-seen")) }
                    th scope="col" { span.visually-hidden { (lang.t("owner-col-actions")) } }
                } }
                tbody {
                    @for d in devices {
                        tr {
                            td { (d.name) }
                            td { (d.location) }
                            td { @if let Some(t) = d.last_seen_at { (super::components::age(lang, t, now)) } }
                            td {
                                @if d.revoked_at.is_some() { (lang.t("kiosk-revoked")) }
                                @else { (post_button(&format!("/staff/kiosks/{}/revoke", d.id), &csrf, &lang.t("kiosk-revoke"))) }
                            }
                        }
                    }
                }
            }
            p.hint { (super::components::moment(lang, tz, now)) }
        },
    )
}
