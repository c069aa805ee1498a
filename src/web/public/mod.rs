//! Pages for everyone: the start page, logging in and out, registration and the self-check.

pub mod login;
pub mod register;
pub mod self_check;

use actix_web::HttpResponse;
use askama::Template;
use serde::Deserialize;

use crate::web::session::{Page, Session};
use crate::web::{render, AppError};

#[derive(Template)]
#[template(path = "public/index.html")]
struct IndexPage {
    page: Page,
}

pub async fn index(session: Session) -> Result<HttpResponse, AppError> {
    render(&IndexPage {
        page: session.page(),
    })
}

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The site's icon (browsers ask for /favicon.ico on every page; an SVG answers both).
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(include_str!("../../../static/favicon.svg"))
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(include_str!("../../../static/guantong.css"))
}

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// A form with nothing but its CSRF token.
#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

/// `?welcome=1` after registration.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WelcomeQuery {
    pub welcome: Option<String>,
}
