//! The customer's answer to "Did we solve it?": the confirmation page a face
//! link from the survey mail opens (the face preselected, nothing recorded
//! until the button is pressed), and the thank-you page with the review
//! invitation every customer gets; and the faces as links for the
//! customer's ticket page.

use super::components::{error_summary, field_error};
use super::layout::{page, Frame};
use super::public::{brand_header, review_invitation};
use crate::domain::profile::Brand;
use crate::domain::review_link::ReviewLink;
use crate::domain::FieldError;
use crate::i18n::Lang;
use maud::{html, Markup};

/// "Did we solve it?" with the four faces as links to the confirmation page,
/// for the customer's ticket page once the ticket is resolved; `page` is the
/// ticket page's path (`/t/{token}`), `current` the answer given, if any.
pub fn rate_prompt(lang: Lang, page: &str, current: Option<i16>) -> Markup {
    html! {
        section.card.rate {
            h2 { (lang.t("csat-title")) }
            ul.plain.face-row {
                @for face in (1..=4i16).rev() {
                    li {
                        a.face-label href=(format!("{page}/rate/{face}")) aria-current=[(current == Some(face)).then_some("true")] {
                            img.face src=(format!("/static/img/face-{face}.svg")) alt="" width="48" height="48";
                            span { (lang.t(&format!("face-{face}"))) }
                        }
                    }
                }
            }
        }
    }
}

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
    pub switch_href: &'a str,
    /// Problems with an earlier post.
    pub errors: &'a [FieldError],
    /// The business name and logo.
    pub brand: &'a Brand,
}

/// `GET /t/{token}/rate/{face}`: confirm the answer.
pub fn confirm(v: &Confirm<'_>) -> Markup {
    let lang = v.lang;
    let title = lang.t("csat-title");
    page(
        &Frame {
            lang,
            title: &title,
            switch_href: Some(v.switch_href),
            nav: None,
            body_class: "public",
        },
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
                    div.face-row {
                        @for face in 1..=4i16 {
                            @let id = format!("face-{face}");
                            input.face-input type="radio" name="face" id=(id) value=(face)
                                checked[v.face == face] required;
                            label.face-label for=(id) {
                                img.face src=(format!("/static/img/face-{face}.svg")) alt="" width="64" height="64";
                                span { (lang.t(&format!("face-{face}"))) }
                            }
                        }
                    }
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
    let title = lang.t("csat-thanks-title");
    page(
        &Frame {
            lang,
            title: &title,
            switch_href: None,
            nav: None,
            body_class: "public",
        },
        html! {
            section.card.thanks {
                (brand_header(brand))
                h1 { (title) }
                @if unhappy {
                    p.lead { (lang.t("csat-thanks-unhappy")) }
                } @else {
                    p.lead { (lang.t("csat-thanks-happy")) }
                }
                p { a href=(ticket_href) rel="noreferrer" { (lang.t("csat-ticket-link")) } }
            }
            (review_invitation(lang, review_links))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_prompt_links_every_face_and_marks_the_answer() {
        let html = rate_prompt(Lang::En, "/t/abc", Some(2)).into_string();
        for face in 1..=4 {
            assert!(
                html.contains(&format!("href=\"/t/abc/rate/{face}\"")),
                "{html}"
            );
        }
        assert_eq!(html.matches("aria-current=\"true\"").count(), 1);
        assert!(html.contains("Did we solve it?"));
    }
}
