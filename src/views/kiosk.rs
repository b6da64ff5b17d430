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

/// A text in each language the location offers (None for the others, so a
/// kiosk carries only the translations it can show), in [`Lang::ALL`]'s order.
fn each(offered: &[Lang], text: impl Fn(Lang) -> String) -> [Option<String>; 4] {
    Lang::ALL.map(|l| offered.contains(&l).then(|| text(l)))
}

/// An element's text in the page language, with the offered translations
/// for the script.
macro_rules! tr {
    ($lang:expr, $offered:expr, $key:expr) => {{
        let [nl, en, fr, de] = each($offered, |l| l.t($key).into_owned());
        html! { span data-nl=[nl] data-en=[en] data-fr=[fr] data-de=[de] { ($lang.t($key)) } }
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
    let offered = location.offered();
    let [title_nl, title_en, title_fr, title_de] = each(&offered, |l| {
        l.t_with("form-title", &[("shop", &location.name)])
            .into_owned()
    });
    let [consent_nl, consent_en, consent_fr, consent_de] =
        each(&offered, |l| l.t("error-consent-missing").into_owned());
    let [email_nl, email_en, email_fr, email_de] =
        each(&offered, |l| l.t("error-consent-needs-email").into_owned());
    let [invalid_nl, invalid_en, invalid_fr, invalid_de] =
        each(&offered, |l| l.t("error-email-invalid").into_owned());
    kiosk_frame(
        lang,
        &title,
        html! {
            main id="kiosk" data-lang=(lang.code()) {
                div.kiosk-bar {
                    (offline_sign(&offered))
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
                    h1 data-nl=[title_nl] data-en=[title_en] data-fr=[title_fr] data-de=[title_de] { (title) }
                    p.lead { (tr!(lang, &offered, "form-intro")) }
                    div.kiosk-faces role="group" aria-label=(lang.t("form-faces-legend")) {
                        @for face in 1..=4i16 {
                            button.kiosk-face type="button" data-face=(face) {
                                img src=(format!("/static/img/face-{face}.svg")) alt="" width="120" height="120";
                                (tr!(lang, &offered, &format!("face-{face}")))
                            }
                        }
                    }
                }
                section.kiosk-screen data-screen="details" hidden {
                    h1 { (tr!(lang, &offered, "kiosk-details-title")) }
                    // Two columns on a landscape tablet, so the whole screen,
                    // consent box and buttons included, fits without scrolling.
                    div.kiosk-details {
                        div.kiosk-details-what {
                            p.hint id="kiosk-category-legend" { (tr!(lang, &offered, "form-category-legend")) }
                            div.kiosk-categories role="group" aria-labelledby="kiosk-category-legend" {
                                @for category in categories {
                                    @let fallback = location.default_lang();
                                    @let [nl, en, fr, de] = each(&offered, |l| category.name(l, fallback).to_owned());
                                    button.kiosk-chip type="button" data-category=(category.slug) aria-pressed="false"
                                        data-nl=[nl] data-en=[en] data-fr=[fr] data-de=[de] { (category.name(lang, fallback)) }
                                }
                            }
                            label for="kiosk-message" { (tr!(lang, &offered, "form-message-label")) }
                            textarea id="kiosk-message" rows="3" maxlength="5000" autocomplete="off" {}
                        }
                        div.kiosk-details-who {
                            label for="kiosk-email" { (tr!(lang, &offered, "form-email-label")) }
                            input id="kiosk-email" type="email" inputmode="email" pattern=".+@.+[.].+" autocomplete="off" autocapitalize="off" spellcheck="false";
                            div.check {
                                input id="kiosk-consent" type="checkbox";
                                label for="kiosk-consent" { (tr!(lang, &offered, "form-consent-label")) }
                            }
                            p.field-error id="kiosk-error" role="alert" hidden
                                data-error-consent-nl=[consent_nl] data-error-consent-en=[consent_en]
                                data-error-consent-fr=[consent_fr] data-error-consent-de=[consent_de]
                                data-error-email-nl=[email_nl] data-error-email-en=[email_en]
                                data-error-email-fr=[email_fr] data-error-email-de=[email_de]
                                data-error-invalid-nl=[invalid_nl] data-error-invalid-en=[invalid_en]
                                data-error-invalid-fr=[invalid_fr] data-error-invalid-de=[invalid_de] {}
                            div.kiosk-actions {
                                button.primary type="button" data-action="send" { (tr!(lang, &offered, "form-submit")) }
                                button type="button" data-action="skip" { (tr!(lang, &offered, "kiosk-skip")) }
                            }
                        }
                    }
                }
                section.kiosk-screen.kiosk-thanks data-screen="thanks" hidden {
                    h1 { (tr!(lang, &offered, "thanks-title")) }
                    p.lead { (tr!(lang, &offered, "thanks-lead")) }
                    p.kiosk-reference hidden { (tr!(lang, &offered, "thanks-reference")) ": " strong.reference {} }
                    @if tell_others {
                        div.kiosk-tell-others {
                            p { (tr!(lang, &offered, "kiosk-tell-others")) }
                            img src="/tell-others.svg" alt=(lang.t("kiosk-tell-others")) width="200" height="200";
                        }
                    }
                }
                div.kiosk-countdown role="alertdialog" aria-modal="true" aria-labelledby="kiosk-countdown-text" hidden {
                    p id="kiosk-countdown-text" { (tr!(lang, &offered, "kiosk-still-there")) " " span.seconds {} }
                    button.primary type="button" data-action="continue" { (tr!(lang, &offered, "kiosk-continue")) }
                }
            }
            script src="/static/js/kiosk.js" defer {}
        },
    )
}

/// The staff's sign in the kiosk's corner: offline, or answers waiting to be
/// sent. Hidden until the script has something to say; its texts carry a
/// `{count}` the script fills in.
fn offline_sign(offered: &[Lang]) -> Markup {
    let count = [("count", "{count}")];
    let [offline_nl, offline_en, offline_fr, offline_de] =
        each(offered, |l| l.t("kiosk-offline").into_owned());
    let [waiting_nl, waiting_en, waiting_fr, waiting_de] =
        each(offered, |l| l.t_with("kiosk-waiting", &count).into_owned());
    let [label_nl, label_en, label_fr, label_de] = each(offered, |l| {
        l.t_with("kiosk-waiting-label", &count).into_owned()
    });
    html! {
        div.kiosk-offline role="status" hidden
            data-offline-nl=[offline_nl] data-offline-en=[offline_en]
            data-offline-fr=[offline_fr] data-offline-de=[offline_de]
            data-waiting-nl=[waiting_nl] data-waiting-en=[waiting_en]
            data-waiting-fr=[waiting_fr] data-waiting-de=[waiting_de]
            data-label-nl=[label_nl] data-label-en=[label_en]
            data-label-fr=[label_fr] data-label-de=[label_de] {
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
