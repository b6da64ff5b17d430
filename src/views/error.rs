//! The error page, in the user's language.

use super::layout::{page, Frame};
use crate::error::ErrorKind;
use crate::i18n::Lang;
use maud::{html, Markup};

/// A whole page explaining `kind`.
pub fn error_page(lang: Lang, kind: ErrorKind) -> Markup {
    let title = lang.t("error-title");
    page(
        &Frame {
            lang,
            title: &title,
            switch_href: None,
            nav: None,
            body_class: "public",
        },
        html! {
            section.card {
                h1 { (title) }
                p { (lang.t(kind.message_key())) }
                p { a href="/" { (lang.t("error-back-home")) } }
            }
        },
    )
}
