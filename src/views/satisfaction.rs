//! The customer's answer to "Did we solve it?": the confirmation page a face
//! link from the survey mail opens (the face preselected, nothing recorded
//! until the button is pressed), and the thank-you page with the review
//! invitation every customer gets. The faces as links on the customer's
//! ticket page are `components::rate_prompt`.

use super::components::{brand_header, error_summary, face_radios, field_error};
use super::layout::{public_page, thanks_page, Switch};
use crate::domain::profile::Brand;
use crate::domain::review_link::ReviewLink;
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// What the confirmation page shows.
pub struct Confirm<'a> {
    /// Page language.
    pub lang: Lang,
    /// Ticket reference.
    pub reference: &'a str,
    /// The location's name.
    pub shop: &'a str,
    /// The face to preselect, 1–4.
    pub face: i16,
    /// Where the form posts (`/t/{token}/rate`).
    pub action: &'a str,
    /// Signed form token.
    pub form_token: &'a str,
    /// The same page in the other language.
    pub switch: Switch<'a>,
    /// Problems with an earlier post.
    pub errors: &'a [FieldError],
    /// The business name and logo.
    pub brand: &'a Brand,
}

/// `GET /t/{token}/rate/{face}`: confirm the answer.
pub fn confirm(v: &Confirm<'_>) -> Markup {
    let lang = v.lang;
    let title = lang.t("csat-title");
    public_page(
        lang,
        &title,
        Some(v.switch),
        html! {
            form.card.feedback method="post" action=(v.action) {
                (brand_header(v.brand))
                h1 { (title) }
                p.lead { (lang.t_with("csat-lead", &[("shop", v.shop), ("reference", v.reference)])) }
                (error_summary(lang, v.errors))
                input type="hidden" name="token" value=(v.form_token);
                input type="hidden" name="lang" value=(lang.code());
                fieldset.faces id="face" {
                    legend { (lang.t("csat-faces-legend")) }
                    (face_radios(lang, Some(v.face)))
                    (field_error(lang, v.errors, "face"))
                }
                button.primary type="submit" { (lang.t("csat-submit")) }
            }
        },
    )
}

/// After the answer: thanks, what happens now, and the review invitation.
pub fn thanks(
    lang: Lang,
    unhappy: bool,
    ticket_href: &str,
    review_links: &[ReviewLink],
    brand: &Brand,
) -> Markup {
    thanks_page(
        lang,
        &lang.t("csat-thanks-title"),
        brand,
        review_links,
        html! {
            @if unhappy {
                p.lead { (lang.t("csat-thanks-unhappy")) }
            } @else {
                p.lead { (lang.t("csat-thanks-happy")) }
            }
            p { a href=(ticket_href) rel="noreferrer" { (lang.t("csat-ticket-link")) } }
        },
        html! {},
    )
}
