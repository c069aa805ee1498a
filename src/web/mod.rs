//! HTTP: handlers grouped by who uses them, and the plumbing they share (sessions, CSRF, errors,
//! forms). Handlers are thin: parse the form into typed values, call one store function, render.

pub mod admin;
pub mod applicant;
pub mod errors;
pub mod evidence;
pub mod forms;
pub mod home;
pub mod public;
pub mod register;
pub mod self_check;
pub mod session;
pub mod upload;
pub mod verdict_view;

use actix_web::http::header;
use actix_web::{middleware, web, HttpResponse};
use askama::Template;

pub use errors::AppError;
pub use forms::{CsrfForm, FormErrors};
pub use session::{CurrentUser, Page, Session};

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
            .route("/", web::get().to(public::index))
            .route("/healthz", web::get().to(public::healthz))
            .route("/static/guantong.css", web::get().to(public::stylesheet))
            .route("/login", web::get().to(public::login_form))
            .route("/login", web::post().to(public::login))
            .route("/logout", web::post().to(public::logout))
            .route("/self-check", web::get().to(self_check::form))
            .route("/self-check", web::post().to(self_check::check))
            .route("/register", web::get().to(register::choose))
            .route(
                "/register/applicant",
                web::get().to(register::applicant_form),
            )
            .route("/register/applicant", web::post().to(register::applicant))
            .route("/register/employer", web::get().to(register::employer_form))
            .route("/register/employer", web::post().to(register::employer))
            .route("/applicant", web::get().to(home::applicant))
            .route(
                "/applicant/applications",
                web::post().to(applicant::review::create),
            )
            .service(
                web::scope("/applicant/applications/{id}")
                    .route("", web::get().to(applicant::review::task_list))
                    .route("/basic", web::get().to(applicant::sections::basic_form))
                    .route("/basic", web::post().to(applicant::sections::basic_save))
                    .route(
                        "/employment",
                        web::get().to(applicant::sections::employment_form),
                    )
                    .route(
                        "/employment",
                        web::post().to(applicant::sections::employment_save),
                    )
                    .route(
                        "/certificates",
                        web::get().to(applicant::lists::certificates),
                    )
                    .route(
                        "/certificates",
                        web::post().to(applicant::lists::add_certificate),
                    )
                    .route("/work", web::get().to(applicant::lists::work))
                    .route("/work", web::post().to(applicant::lists::add_period))
                    .route("/target", web::get().to(applicant::sections::target_form))
                    .route("/target", web::post().to(applicant::sections::target_save))
                    .route(
                        "/target/honours",
                        web::post().to(applicant::lists::add_honour),
                    )
                    .route(
                        "/achievements",
                        web::get().to(applicant::lists::achievements),
                    )
                    .route(
                        "/achievements/summary",
                        web::post().to(applicant::lists::save_summary),
                    )
                    .route(
                        "/achievements/items",
                        web::post().to(applicant::lists::add_achievement),
                    )
                    .route(
                        "/achievements/apprentices",
                        web::post().to(applicant::lists::add_apprentice),
                    )
                    .route(
                        "/achievements/renovations",
                        web::post().to(applicant::lists::add_renovation),
                    )
                    .route(
                        "/{section}/remove",
                        web::post().to(applicant::lists::remove),
                    )
                    .route("/review", web::get().to(applicant::review::review))
                    .route("/submit", web::post().to(applicant::review::submit))
                    .route("/submitted", web::get().to(applicant::review::submitted))
                    .default_service(web::to(public::not_found)),
            )
            .route(
                "/applications/{id}",
                web::get().to(applicant::review::dossier),
            )
            .route("/evidence/{id}", web::get().to(evidence::download))
            .route("/employer", web::get().to(home::employer))
            .route("/office", web::get().to(home::office))
            .route("/expert", web::get().to(home::expert))
            .route("/admin", web::get().to(admin::home))
            .route("/admin/accounts", web::get().to(admin::accounts))
            .route("/admin/accounts", web::post().to(admin::create_account))
            .route("/admin/rounds", web::get().to(admin::rounds))
            .route("/admin/rounds", web::post().to(admin::create_round))
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
