//! Customer pages: the landing page, the feedback form (works without
//! JavaScript on any phone), the thank-you page, and the private ticket page.

use super::components::{
    brand_header, error_summary, face_img, face_radios, field_error, moment, rate_prompt,
};
use super::layout::{public_page, thanks_page, Switch};
use crate::domain::category::Category;
use crate::domain::feedback::{Draft, Receipt, MAX_EMAIL, MAX_MESSAGE, MAX_NAME};
use crate::domain::location::Location;
use crate::domain::profile::Brand;
use crate::domain::review_link::ReviewLink;
use crate::domain::ticket::{Status, TicketDetail};
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// The business landing page.
pub fn landing(lang: Lang, locations: &[Location], switch: Switch<'_>) -> Markup {
    let title = lang.t("landing-title");
    public_page(
        lang,
        &title,
        Some(switch),
        html! {
            section.card {
                h1 { (title) }
                p.lead { (lang.t("landing-lead")) }
                @if !locations.is_empty() {
                    h2 { (lang.t("landing-forms")) }
                    ul.plain {
                        @for location in locations {
                            li { a href=(format!("/f/{}?lang={}", location.slug, lang.code())) { (location.name) } }
                        }
                    }
                }
                p { a.button.secondary href="/staff/login" { (lang.t("landing-staff-login")) } }
            }
        },
    )
}

/// Everything the feedback form shows.
pub struct FormView<'a> {
    /// Language of the page.
    pub lang: Lang,
    /// The shop.
    pub location: &'a Location,
    /// Topics to offer.
    pub categories: &'a [Category],
    /// What was typed so far (empty on first view).
    pub draft: &'a Draft,
    /// Problems with what was typed.
    pub errors: &'a [FieldError],
    /// Signed time token.
    pub token: &'a str,
    /// Idempotency key for this form.
    pub key: &'a str,
    /// Spot from the QR code.
    pub spot: Option<&'a str>,
    /// Source marker from the QR code.
    pub src: Option<&'a str>,
    /// The same form in the other offered languages.
    pub switch: Switch<'a>,
    /// The business name and logo.
    pub brand: &'a Brand,
}

/// The public feedback form.
pub fn form(v: &FormView<'_>) -> Markup {
    let lang = v.lang;
    let title = lang.t_with("form-title", &[("shop", &v.location.name)]);
    let has = |field: &str| v.errors.iter().any(|e| e.field == field);
    let described = |field: &str, hint: Option<&str>| {
        let mut ids = Vec::new();
        if let Some(h) = hint {
            ids.push(h.to_owned());
        }
        if has(field) {
            ids.push(format!("{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    public_page(
        lang,
        &title,
        Some(v.switch),
        html! {
            form.card.feedback method="post" action=(format!("/f/{}", v.location.slug)) novalidate autocomplete="off" {
                (brand_header(v.brand))
                h1 { (title) }
                p.lead { (lang.t("form-intro")) }
                (error_summary(lang, v.errors))
                input type="hidden" name="token" value=(v.token);
                input type="hidden" name="key" value=(v.key);
                input type="hidden" name="lang" value=(lang.code());
                @if let Some(spot) = v.spot { input type="hidden" name="spot" value=(spot); }
                @if let Some(src) = v.src { input type="hidden" name="src" value=(src); }
                fieldset.faces id="face" aria-describedby=[described("face", None)] {
                    legend { (lang.t("form-faces-legend")) }
                    (face_radios(lang, (1..=4i16).find(|face| v.draft.face == face.to_string())))
                    (field_error(lang, v.errors, "face"))
                }
                fieldset id="category" {
                    legend { (lang.t("form-category-legend")) }
                    div.chips {
                        input type="radio" name="category" id="category-none" value="" checked[v.draft.category.is_empty()];
                        label for="category-none" { (lang.t("form-category-none")) }
                        @for category in v.categories {
                            @let id = format!("category-{}", category.slug);
                            input type="radio" name="category" id=(id) value=(category.slug) checked[v.draft.category == category.slug];
                            label for=(id) { (category.name(lang, v.location.default_lang())) }
                        }
                    }
                    (field_error(lang, v.errors, "category"))
                }
                label for="message" { (lang.t("form-message-label")) }
                p.hint id="message-hint" { (lang.t("form-message-hint")) }
                textarea id="message" name="message" rows="5" maxlength=(MAX_MESSAGE)
                    aria-describedby=[described("message", Some("message-hint"))] aria-invalid=[has("message").then_some("true")] {
                    (v.draft.message)
                }
                (field_error(lang, v.errors, "message"))
                label for="name" { (lang.t("form-name-label")) }
                input type="text" id="name" name="name" value=(v.draft.name) maxlength=(MAX_NAME) autocomplete="off"
                    aria-describedby=[described("name", None)];
                (field_error(lang, v.errors, "name"))
                label for="email" { (lang.t("form-email-label")) }
                p.hint id="email-hint" { (lang.t("form-email-hint")) }
                input type="email" id="email" name="email" value=(v.draft.email) maxlength=(MAX_EMAIL) autocomplete="off"
                    inputmode="email" aria-describedby=[described("email", Some("email-hint"))] aria-invalid=[has("email").then_some("true")];
                (field_error(lang, v.errors, "email"))
                div.check id="consent" {
                    input type="checkbox" id="consent-box" name="consent" value="yes" checked[v.draft.consent]
                        aria-describedby=[described("consent", Some("consent-hint"))];
                    label for="consent-box" { (lang.t("form-consent-label")) }
                }
                p.hint id="consent-hint" { (lang.t("form-consent-hint")) }
                (field_error(lang, v.errors, "consent"))
                div.hp aria-hidden="true" {
                    label for="website" { (lang.t("form-honeypot-label")) }
                    input type="text" id="website" name="website" tabindex="-1" autocomplete="off";
                }
                button.primary type="submit" { (lang.t("form-submit")) }
            }
        },
    )
}

/// The thank-you page: reference, what happens next, and the invitation to
/// tell others, shown to every customer whatever face they chose.
pub fn thanks(
    lang: Lang,
    location: &Location,
    receipt: &Receipt,
    review_links: &[ReviewLink],
    again_href: &str,
    ticket_href: Option<&str>,
    brand: &Brand,
) -> Markup {
    thanks_page(
        lang,
        &lang.t("thanks-title"),
        brand,
        review_links,
        html! {
            p.lead { (lang.t("thanks-lead")) }
            p { (lang.t("thanks-reference")) ": " strong.reference { (receipt.reference) } }
            @if receipt.emailed { p { (lang.t("thanks-email-coming")) } }
            @if let Some(href) = ticket_href {
                p { a href=(href) rel="noreferrer" { (lang.t("thanks-follow")) } }
                p.hint { (lang.t("thanks-follow-hint")) }
            }
        },
        html! {
            p { a href=(again_href) { (lang.t("thanks-again")) " – " (location.name) } }
        },
    )
}

/// The review links on their own page (opened from the kiosk's QR code).
pub fn tell_others(lang: Lang, review_links: &[ReviewLink], brand: &Brand) -> Markup {
    let title = lang.t("thanks-tell-others");
    public_page(
        lang,
        &title,
        None,
        html! {
            section.card.tell-others {
                (brand_header(brand))
                h1 { (title) }
                p { (lang.t("thanks-tell-others-lead")) }
                ul.plain.review-links {
                    @for link in review_links {
                        li { a.button.secondary href=(link.url) rel="noopener noreferrer" { (link.label) } }
                    }
                }
            }
        },
    )
}

/// What the customer's private ticket page shows.
pub struct TicketPage<'a> {
    /// Page language.
    pub lang: Lang,
    /// The ticket.
    pub detail: &'a TicketDetail,
    /// Signed token of the reply form.
    pub reply_token: &'a str,
    /// What the reply box holds.
    pub draft: &'a str,
    /// Errors of the last reply.
    pub errors: &'a [FieldError],
    /// Whether a reply was just sent.
    pub sent: bool,
    /// The other language's address.
    pub switch: Switch<'a>,
    /// `/t/{token}`: the satisfaction links hang below it.
    pub page_path: &'a str,
}

/// The customer's private ticket page: their feedback, the thread, a reply
/// box, and once resolved the satisfaction question.
pub fn ticket_page(p: TicketPage<'_>) -> Markup {
    let TicketPage {
        lang,
        detail,
        reply_token,
        draft,
        errors,
        sent,
        switch,
        page_path,
    } = p;
    let title = lang.t_with("ticket-title", &[("reference", &detail.feedback.reference)]);
    let status = Status::parse(&detail.ticket.status).unwrap_or(Status::Open);
    let shop = lang.t_with("ticket-staff", &[("shop", &detail.location.name)]);
    // The customer reads times on the clock of the shop they visited.
    let tz = detail.location.tz();
    public_page(
        lang,
        &title,
        Some(switch),
        html! {
            section.card {
                h1 { (title) }
                p { (lang.t("ticket-status")) ": " strong {
                    @if status == Status::Waiting { (lang.t("ticket-status-waiting-you")) }
                    @else { (lang.t(&format!("status-{}", status.as_str()))) }
                } }
                @if detail.ticket.merged_into_id.is_some() { p.notice { (lang.t("ticket-merged-notice")) } }
                @if sent { p.notice role="status" { (lang.t("ticket-reply-sent")) } }
                ol.thread {
                    li.msg.customer {
                        p.meta { (face_img(detail.feedback.face, lang)) " " (lang.t("ticket-you")) " · " (moment(lang, tz, detail.feedback.created_at)) }
                        @match &detail.feedback.message {
                            Some(text) => p.body { (text) },
                            None => p.body.muted { (lang.t("ticket-no-message")) },
                        }
                    }
                    @for message in &detail.thread {
                        @let mine = message.author == "customer";
                        li.msg.customer[mine].staff[!mine] {
                            p.meta { @if mine { (lang.t("ticket-you")) } @else { (shop) } " · " (moment(lang, tz, message.created_at)) }
                            p.body { (message.body) }
                        }
                    }
                }
                @if matches!(status, Status::Resolved | Status::Closed) && detail.ticket.merged_into_id.is_none() {
                    (rate_prompt(lang, page_path, detail.ticket.csat_score))
                }
                form method="post" action="" {
                    input type="hidden" name="token" value=(reply_token);
                    input type="hidden" name="lang" value=(lang.code());
                    label for="body" { (lang.t("ticket-reply-label")) }
                    textarea id="body" name="body" rows="4" maxlength=(MAX_MESSAGE) { (draft) }
                    (field_error(lang, errors, "body"))
                    button.primary type="submit" { (lang.t("ticket-reply-submit")) }
                }
            }
        },
    )
}
