//! The error page, in the user's language.

use super::layout::public_page;
use crate::error::ErrorKind;
use crate::i18n::Lang;
use maud::{html, Markup};

/// A whole page explaining `kind`.
pub fn error_page(lang: Lang, kind: ErrorKind) -> Markup {
    let title = lang.t("error-title");
    public_page(
        lang,
        &title,
        None,
        html! {
            section.card {
                h1 { (title) }
                p { (lang.t(kind.message_key())) }
                p { a href="/" { (lang.t("error-back-home")) } }
            }
        },
    )
}
