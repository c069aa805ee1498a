//! Downloading an evidence file: only for those who may see its application (others get 404),
//! always as an attachment, with the type recognised at upload and nosniff.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::web::errors::urlencode;
use crate::web::extract::Me;
use crate::web::AppError;
use crate::AppState;

pub async fn download(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, path.into_inner());
    let file = crate::web::db_read(&state, move |c| {
        Ok(crate::service::evidence::download(c, &who, &id)?)
    })
    .await?;
    let disposition = attachment(&file.file_name);
    Ok(HttpResponse::Ok()
        .content_type(file.content_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("ETag", format!("\"{}\"", file.sha256)))
        .body(file.bytes))
}

/// `Content-Disposition: attachment` with an ASCII fallback name and the UTF-8 one.
pub fn attachment(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencode(file_name).replace('+', "%20")
    )
}
