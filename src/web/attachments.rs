//! `GET /staff/tickets/{id}/attachments/{attachment_id}`: a customer's
//! attachment, for staff only (anyone else is sent to the login page). It is
//! always a download (`Content-Disposition: attachment`, `nosniff`,
//! `no-store`); a raster image is shown inline only when asked with
//! `?inline=1`, and then only with its sniffed image type. An attachment of
//! another ticket reads as 404.

use crate::domain::attachment::{self, kind_of};
use crate::error::{AppError, AppResult};
use crate::web::extract::CurrentUser;
use crate::AppState;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// Registers the attachment route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/staff/tickets/{id}/attachments/{attachment_id}",
        web::get().to(download),
    );
}

/// `?inline=1` asks to show an image in the page.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Shown {
    inline: Option<String>,
}

async fn download(
    app: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<(i64, i64)>,
    shown: web::Query<Shown>,
) -> AppResult<HttpResponse> {
    let (ticket_id, attachment_id) = path.into_inner();
    let file = app
        .db
        .read(move |c| attachment::find(c, ticket_id, attachment_id))
        .await?
        .ok_or_else(AppError::not_found)?;
    let kind = kind_of(&file.content_type).ok_or_else(AppError::not_found)?;
    let inline = shown.inline.as_deref() == Some("1") && kind.inline_safe;
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: file.file_name.into_bytes(),
            }),
        ],
    };
    Ok(HttpResponse::Ok()
        .content_type(kind.content_type)
        .insert_header(disposition)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(file.data))
}
