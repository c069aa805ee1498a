//! Work typed on a page whose session timed out is not lost (issue 11.3). A form posted after
//! the session timed out, carrying that session's CSRF token, is kept for the same account
//! (its text fields only, never passwords, short-lived, see `service::sessions::keep_form`),
//! and the person is sent to log in and then back to the page the form was on, with `kept=1`.
//! There the page offers what was typed, once, with a notice to check and save: nothing is
//! saved on the person's behalf.

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::{header, Method};
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;

use super::session::Session;
use super::AppError;
use crate::store::sessions::TimedOut;
use crate::AppState;

/// In the session middleware, before any handler: when the request posts a form of a session
/// that timed out, keeps it and answers with the way to log in again; otherwise `None`, with
/// the request's body left as it was.
pub async fn keep_timed_out_form(
    state: &web::Data<AppState>,
    req: &mut ServiceRequest,
    timed_out: &TimedOut,
) -> Result<Option<HttpResponse>, AppError> {
    if req.method() != Method::POST {
        return Ok(None);
    }
    let limit = state.config.max_upload_bytes() * super::upload::MAX_FILES_PER_FORM + (1 << 20);
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if length.is_none_or(|n| n > limit) {
        return Ok(None);
    }
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        body.extend_from_slice(&chunk.map_err(|e| AppError::BadRequest(e.to_string()))?);
    }
    let body = body.freeze();
    let fields = read_fields(req.headers(), body.clone()).await;
    // The token is checked exactly as for a live session, against the one that timed out.
    let expected = Session {
        anonymous_csrf: timed_out.csrf_token.clone(),
        ..Session::default()
    };
    let page = referring_page(req.request());
    let matches = fields.as_ref().is_some_and(|f| {
        f.iter()
            .any(|(k, v)| k == "csrf_token" && super::forms::csrf_ok(&expected, v))
    });
    let (Some(fields), Some(page), true) = (fields, page, matches) else {
        // Not this session's form (a login form posted with a stale cookie, say): as it came.
        req.set_payload(Payload::from(body));
        return Ok(None);
    };
    let (account, now, key) = (timed_out.account, state.now(), page_key(&page).to_string());
    super::db(state, move |c| {
        Ok(crate::service::sessions::keep_form(
            c, account, &key, &fields, now,
        )?)
    })
    .await?;
    let next = format!("{}?kept=1", page_key(&page));
    Ok(Some(
        AppError::LoginRequired {
            next,
            expired: true,
        }
        .error_response(),
    ))
}

/// The text fields of a urlencoded or multipart form (files are not kept).
async fn read_fields(
    headers: &header::HeaderMap,
    body: web::Bytes,
) -> Option<Vec<(String, String)>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        let multipart = actix_multipart::Multipart::new(
            headers,
            futures_util::stream::once(
                async move { Ok::<_, actix_web::error::PayloadError>(body) },
            ),
        );
        return super::upload::read_unchecked(multipart, 0)
            .await
            .ok()
            .map(|d| d.fields);
    }
    serde_urlencoded::from_bytes(&body).ok()
}

/// The page of this site a form was posted from (its `Referer`), as a path to return to.
pub fn referring_page(req: &actix_web::HttpRequest) -> Option<String> {
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let (_, rest) = referer.split_once("://")?;
    let (host, path) = rest.split_at(rest.find('/')?);
    (host == req.connection_info().host())
        .then(|| super::public::login::safe_next(path).map(str::to_string))
        .flatten()
}

/// A page's path without its query: the key a kept form is stored under.
pub fn page_key(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}
