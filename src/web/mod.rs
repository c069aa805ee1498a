//! HTTP: handlers grouped by who uses them, and the plumbing they share (sessions, CSRF, errors,
//! forms). Handlers are thin: parse the form into typed values, call one store function, render.

pub mod admin;
pub mod applicant;
pub mod employer;
pub mod errors;
pub mod expert;
pub mod extract;
pub mod forms;
pub mod office;
pub mod public;
pub mod session;
pub mod shared;
pub mod upload;

use actix_web::http::header;
use actix_web::{middleware, web, HttpResponse};
use askama::Template;

pub use errors::AppError;
pub use forms::{CsrfForm, FormErrors};
pub use session::{Page, Session};

use crate::store::DbConnection;
use crate::AppState;

/// The content security policy: no inline script or style, nothing from elsewhere, no framing.
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Extractor failures get the styled pages too: a path that does not parse does not exist.
    cfg.app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|e, _| AppError::BadRequest(e.to_string()).into()),
        );
    cfg.service(
        web::scope("")
            .wrap(middleware::from_fn(session::middleware))
            .wrap(
                middleware::DefaultHeaders::new()
                    .add((header::CONTENT_SECURITY_POLICY, CSP))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((
                        "Permissions-Policy",
                        "camera=(), microphone=(), geolocation=()",
                    )),
            )
            .wrap(middleware::Logger::new("%a \"%r\" %s %Dms"))
            .configure(public::routes)
            .configure(applicant::routes)
            .configure(employer::routes)
            .configure(office::routes)
            .configure(expert::routes)
            .configure(admin::routes)
            .configure(shared::routes)
            .default_service(web::to(public::not_found)),
    );
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn db<T, F>(state: &web::Data<AppState>, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(crate::store::StoreError::from)?;
        f(&mut conn)
    })
    .await?
}

/// Renders a page with 200 OK.
pub fn render<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render_status(actix_web::http::StatusCode::OK, page)
}

/// Renders a page with the given status (422 for a form with errors).
pub fn render_status<T: Template>(
    status: actix_web::http::StatusCode,
    page: &T,
) -> Result<HttpResponse, AppError> {
    let html = page.render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// 303 See Other to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
