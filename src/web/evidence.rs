//! Downloading an evidence file: only for those who may see its application (others get 404),
//! always as an attachment, with the type recognised at upload and nosniff.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::errors::urlencode;
use super::{db, AppError, CurrentUser};
use crate::store::applications;
use crate::AppState;

pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let account = user.account.clone();
    let file = db(&state, move |conn| {
        let Some(file) = applications::evidence_file(conn, &id)? else {
            return Err(AppError::NotFound);
        };
        let Some(app) = applications::find(conn, file.application_id)? else {
            return Err(AppError::NotFound);
        };
        crate::access::may_view_application(&account, &app).map_err(|_| AppError::NotFound)?;
        Ok(file)
    })
    .await?;
    let ascii: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        urlencode(&file.file_name).replace('+', "%20")
    );
    Ok(HttpResponse::Ok()
        .content_type(file.content_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("ETag", format!("\"{}\"", file.sha256)))
        .body(file.bytes))
}
