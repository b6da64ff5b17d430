//! Attachments of customer mail: images (PNG, JPEG, GIF, WebP) and PDFs,
//! recognised by their first bytes (never by the name or type the sender
//! gave; never SVG, which can carry script), stored with the ticket message
//! they came with, and handed to staff only.

use crate::db::schema::attachments;
use crate::db::DbConnection;
use crate::error::AppResult;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A file type Tellus keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The content type it is served with.
    pub content_type: &'static str,
    /// Its usual file name extension.
    pub extension: &'static str,
    /// Whether a browser may show it inline (raster images only).
    pub inline_safe: bool,
}

const PNG: Kind = Kind {
    content_type: "image/png",
    extension: "png",
    inline_safe: true,
};
const JPEG: Kind = Kind {
    content_type: "image/jpeg",
    extension: "jpg",
    inline_safe: true,
};
const GIF: Kind = Kind {
    content_type: "image/gif",
    extension: "gif",
    inline_safe: true,
};
const WEBP: Kind = Kind {
    content_type: "image/webp",
    extension: "webp",
    inline_safe: true,
};
const PDF: Kind = Kind {
    content_type: "application/pdf",
    extension: "pdf",
    inline_safe: false,
};

/// What the content is, by its magic bytes; `None` for anything not kept.
pub fn sniff(data: &[u8]) -> Option<Kind> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PNG)
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(JPEG)
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some(GIF)
    } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some(WEBP)
    } else if data.starts_with(b"%PDF-") {
        Some(PDF)
    } else {
        None
    }
}

/// The kind of a stored content type (the stored type was sniffed).
pub fn kind_of(content_type: &str) -> Option<Kind> {
    [PNG, JPEG, GIF, WEBP, PDF]
        .into_iter()
        .find(|k| k.content_type == content_type)
}

/// A file name safe to store and offer for download: no folders, no control
/// or shell characters, at most 100 characters, ending in the extension of
/// what the content really is.
pub fn sanitize_file_name(declared: &str, kind: Kind) -> String {
    let base = declared.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    name = name
        .trim_matches(|c: char| c == '.' || c == ' ')
        .chars()
        .take(100)
        .collect();
    if name.is_empty() {
        name = "attachment".into();
    }
    let extension_ok = name.rsplit_once('.').is_some_and(|(_, ext)| {
        let ext = ext.to_ascii_lowercase();
        ext == kind.extension || (kind == JPEG && ext == "jpeg")
    });
    if !extension_ok {
        name = format!("{name}.{}", kind.extension);
    }
    name
}

/// An attachment to store.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    /// Sanitised file name.
    pub file_name: String,
    /// Sniffed content type.
    pub content_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// What a page shows about an attachment (no bytes).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentMeta {
    /// Row id.
    pub id: i64,
    /// The ticket message it came with.
    pub ticket_message_id: i64,
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
}

impl AttachmentMeta {
    /// Whether a browser may show it inline.
    pub fn inline_safe(&self) -> bool {
        kind_of(&self.content_type).is_some_and(|k| k.inline_safe)
    }
}

/// A stored attachment with its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    /// File name.
    pub file_name: String,
    /// Content type.
    pub content_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// Stores the attachments of a ticket message, in the caller's transaction.
pub fn store(
    conn: &mut DbConnection,
    ticket_id: i64,
    ticket_message_id: i64,
    files: &[NewAttachment],
    now: NaiveDateTime,
) -> AppResult<()> {
    for file in files {
        diesel::insert_into(attachments::table)
            .values((
                attachments::ticket_id.eq(ticket_id),
                attachments::ticket_message_id.eq(ticket_message_id),
                attachments::file_name.eq(&file.file_name),
                attachments::content_type.eq(&file.content_type),
                attachments::size.eq(file.data.len() as i64),
                attachments::data.eq(&file.data),
                attachments::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The attachments of these tickets (one, or a ticket and those merged into
/// it), oldest first, without their bytes.
pub fn metas_for_tickets(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> AppResult<Vec<AttachmentMeta>> {
    Ok(attachments::table
        .filter(attachments::ticket_id.eq_any(ticket_ids))
        .order(attachments::id.asc())
        .select(AttachmentMeta::as_select())
        .load(conn)?)
}

/// One attachment, only if it belongs to this ticket.
pub fn find(
    conn: &mut DbConnection,
    ticket_id: i64,
    attachment_id: i64,
) -> AppResult<Option<Attachment>> {
    Ok(attachments::table
        .filter(attachments::id.eq(attachment_id))
        .filter(attachments::ticket_id.eq(ticket_id))
        .select(Attachment::as_select())
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(PNG));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(JPEG));
        assert_eq!(sniff(b"GIF89a..."), Some(GIF));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(WEBP));
        assert_eq!(sniff(b"%PDF-1.7"), Some(PDF));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
    }

    #[test]
    fn file_names_are_tamed() {
        assert_eq!(sanitize_file_name("../../etc/passwd", PNG), "passwd.png");
        assert_eq!(sanitize_file_name("C:\\x\\photo.JPEG", JPEG), "photo.JPEG");
        assert_eq!(
            sanitize_file_name("bon\"; x=.pdf", PDF),
            "bon__ x=.pdf".replace('=', "_")
        );
        assert_eq!(sanitize_file_name("evil.html", PNG), "evil.html.png");
        assert_eq!(sanitize_file_name("...", GIF), "attachment.gif");
        assert_eq!(
            sanitize_file_name("foto kapotte taart.png", PNG),
            "foto kapotte taart.png"
        );
        assert!(sanitize_file_name(&"a".repeat(500), PDF).len() <= 104);
    }
}
