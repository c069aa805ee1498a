//! Sessions in the database: a middleware loads the session of the request's cookie (starting an
//! anonymous one on a page view, so every form can carry a CSRF token) and extractors hand it out.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use std::future::{ready, Ready};

use super::AppError;
use crate::store::accounts::Account;
use crate::store::sessions::SessionData;
use crate::AppState;

pub const COOKIE: &str = "guantong_session";

/// The request's session; `None` inside when the request came without a live one and was not a
/// page view (a POST after the session expired, say).
#[derive(Debug, Clone, Default)]
pub struct Session(pub Option<SessionData>);

impl Session {
    pub fn account(&self) -> Option<&Account> {
        self.0.as_ref().and_then(|s| s.account.as_ref())
    }

    pub fn csrf_token(&self) -> &str {
        self.0.as_ref().map(|s| s.csrf_token.as_str()).unwrap_or("")
    }

    pub fn page(&self) -> Page {
        Page {
            csrf: self.csrf_token().to_string(),
            user: self.account().map(|a| NavUser {
                name: a.display_name.clone(),
                role: a.role.label(),
                home: a.role.home(),
            }),
        }
    }
}

/// What the base layout needs: the CSRF token for its forms and who is logged in.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub csrf: String,
    pub user: Option<NavUser>,
}

#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub role: &'static str,
    pub home: &'static str,
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when configured, for the whole site.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = cookie(String::new(), secure);
    c.set_max_age(CookieDuration::ZERO);
    c
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(AppError::Internal("application state missing".into()).into());
    };
    if req.path().starts_with("/static/") || req.path() == "/healthz" {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let token = req.cookie(COOKIE).map(|c| c.value().to_string());
    let page_view = req.method() == actix_web::http::Method::GET
        || req.method() == actix_web::http::Method::HEAD;
    let now = state.now();
    let idle = chrono::Duration::minutes(state.config.session_idle_minutes);
    let (data, new_token) = super::db(&state, move |conn| {
        Ok(crate::service::sessions::resolve(
            conn,
            token.as_deref(),
            page_view,
            now,
            idle,
        )?)
    })
    .await?;
    req.extensions_mut().insert(Session(data));
    let mut res = next.call(req).await?;
    if let Some(token) = new_token {
        // A handler that set its own session cookie (login) wins.
        let handler_set = res.response().cookies().any(|c| c.name() == COOKIE);
        if !handler_set {
            res.response_mut()
                .add_cookie(&cookie(token, state.config.secure_cookies))?;
        }
    }
    Ok(res.map_into_boxed_body())
}

impl FromRequest for Session {
    type Error = AppError;
    type Future = Ready<Result<Session, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(req
            .extensions()
            .get::<Session>()
            .cloned()
            .unwrap_or_default()))
    }
}
