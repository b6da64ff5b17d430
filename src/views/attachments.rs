//! The attachments of a ticket message, for staff: a download link per file
//! with its size, and a small preview for raster images (served inline only
//! on explicit request, see [`crate::web::attachments`]).

use crate::domain::attachment::AttachmentMeta;
use crate::i18n::Lang;
use maud::{html, Markup};

/// The attachments among `all` that came with one ticket message; nothing when there are none.
pub fn for_message(lang: Lang, ticket_id: i64, message_id: i64, all: &[AttachmentMeta]) -> Markup {
    let mine: Vec<AttachmentMeta> = all
        .iter()
        .filter(|a| a.ticket_message_id == message_id)
        .cloned()
        .collect();
    list(lang, ticket_id, &mine)
}

/// A list of attachments with download links; nothing when the list is empty.
pub fn list(lang: Lang, ticket_id: i64, attachments: &[AttachmentMeta]) -> Markup {
    html! {
        @if !attachments.is_empty() {
            div.attachments {
                p.meta { (lang.t("inbound-attachments-title")) }
                ul {
                    @for a in attachments {
                        @let href = format!("/staff/tickets/{ticket_id}/attachments/{}", a.id);
                        li {
                            @if a.inline_safe() {
                                a href=(href) download=(a.file_name) {
                                    img.attachment-preview src=(format!("{href}?inline=1")) alt=(a.file_name) width="120" loading="lazy";
                                }
                                " "
                            }
                            a href=(href) download=(a.file_name) { (a.file_name) }
                            " "
                            span.muted { "(" (size(lang, a.size)) ")" }
                        }
                    }
                }
            }
        }
    }
}

/// A file size people read: bytes, KB or MB.
fn size(lang: Lang, bytes: i64) -> String {
    if bytes < 1024 {
        lang.t_with("inbound-size-bytes", &[("n", &bytes.to_string())])
            .into_owned()
    } else if bytes < 1024 * 1024 {
        lang.t_with("inbound-size-kb", &[("n", &(bytes / 1024).to_string())])
            .into_owned()
    } else {
        let mb = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let mb = if lang == Lang::Nl {
            mb.replace('.', ",")
        } else {
            mb
        };
        lang.t_with("inbound-size-mb", &[("n", &mb)]).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: i64, message: i64, name: &str, content_type: &str) -> AttachmentMeta {
        AttachmentMeta {
            id,
            ticket_message_id: message,
            file_name: name.into(),
            content_type: content_type.into(),
            size: 2048,
        }
    }

    #[test]
    fn links_escape_names_and_preview_only_images() {
        let all = [
            meta(1, 10, "<script>.png", "image/png"),
            meta(2, 10, "bon.pdf", "application/pdf"),
            meta(3, 11, "other.gif", "image/gif"),
        ];
        let html = for_message(Lang::En, 5, 10, &all).into_string();
        assert!(html.contains("/staff/tickets/5/attachments/1?inline=1"));
        assert!(!html.contains("/staff/tickets/5/attachments/2?inline=1"));
        assert!(html.contains("/staff/tickets/5/attachments/2"));
        assert!(!html.contains("other.gif"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("2 KB"));
        assert!(for_message(Lang::En, 5, 12, &all).into_string().is_empty());
    }
}
