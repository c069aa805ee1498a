//! One error type for handlers, rendered as a friendly zh-CN page (never a bare 500 text).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::session::Page;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The thing changed since the page was shown.
    #[error("stale")]
    Stale,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("CSRF token missing or wrong")]
    Csrf,
    /// Not logged in: go to the login page, then back to this path; `expired` when a session
    /// had just ended, so the login page can say why.
    #[error("login required")]
    LoginRequired { next: String, expired: bool },
    #[error("internal error: {0}")]
    Internal(String),
    /// The server holds as many uploads as it may at once: try again in a moment.
    #[error("busy")]
    Busy,
    /// Not an error: the page asked for lives elsewhere now (a submitted draft, say).
    #[error("see {0}")]
    SeeOther(String),
}

impl From<crate::store::StoreError> for AppError {
    fn from(e: crate::store::StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<crate::access::Denied> for AppError {
    fn from(d: crate::access::Denied) -> Self {
        match d.kind {
            crate::access::DeniedKind::Hide => AppError::NotFound,
            crate::access::DeniedKind::Refuse => AppError::Forbidden(d.why.to_string()),
        }
    }
}

impl From<crate::store::DbError> for AppError {
    fn from(e: crate::store::DbError) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

/// A use case that did not happen, where the page has no better place to say why: 404, a
/// refusal page, or "changed, reload".
impl From<crate::service::ActionError> for AppError {
    fn from(e: crate::service::ActionError) -> Self {
        use crate::service::ActionError;
        match e {
            ActionError::NotFound => AppError::NotFound,
            ActionError::Refused(why) => AppError::Forbidden(why),
            // A page that can show field errors handles these itself; anywhere else the first
            // one is the reason.
            ActionError::Invalid(errors) => AppError::Forbidden(
                errors
                    .items()
                    .first()
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default(),
            ),
            ActionError::Stale => AppError::Stale,
            ActionError::Store(e) => e.into(),
        }
    }
}

#[derive(Template)]
#[template(path = "shared/error.html")]
struct ErrorPage<'a> {
    page: Page,
    title: &'a str,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Stale => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::LoginRequired { .. } | AppError::SeeOther(_) => StatusCode::SEE_OTHER,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::LoginRequired { next, expired } = self {
            let flag = if *expired { "&expired=1" } else { "" };
            let location = format!("/login?next={}{flag}", urlencode(next));
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location))
                .finish();
        }
        if let AppError::SeeOther(location) = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, location.as_str()))
                .finish();
        }
        let Some((title, message)) = self.texts() else {
            return HttpResponse::InternalServerError().finish();
        };
        if matches!(self, AppError::Internal(_)) {
            log::error!("{self}");
        }
        self.page_response(Page::default(), title, &message)
    }
}

impl AppError {
    /// The page title and message; `None` for the redirects, which have no page.
    fn texts(&self) -> Option<(&'static str, String)> {
        Some(match self {
            AppError::LoginRequired { .. } | AppError::SeeOther(_) => return None,
            AppError::NotFound => ("页面不存在", "您要找的页面不存在，或您无权查看。".into()),
            AppError::Forbidden(reason) => ("无权访问", reason.clone()),
            AppError::Stale => (
                "内容已变化",
                "您看到的页面已过期：其他人或另一个窗口刚刚修改了这份申报。请返回并刷新页面，核对后再操作。".into(),
            ),
            AppError::BadRequest(_) => ("请求有误", "提交的内容无法识别，请返回上一页重新填写。".into()),
            AppError::Csrf => (
                "页面已过期",
                "页面已过期或会话已超时，请返回并刷新页面后重新提交。".into(),
            ),
            AppError::Busy => (
                "系统繁忙",
                "系统正在处理较多的上传，本次提交未被接收，您填写的内容未保存。请稍后返回上一页重新提交。".into(),
            ),
            AppError::Internal(_) => (
                "系统繁忙",
                "系统暂时无法处理您的请求，您填写的内容未被保存。请稍后再试。".into(),
            ),
        })
    }

    fn page_response(&self, page: Page, title: &str, message: &str) -> HttpResponse {
        let body = ErrorPage {
            page,
            title,
            message,
        }
        .render()
        .unwrap_or_else(|_| message.to_string());
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body)
    }

    /// The same error page for a logged-in person: with their name and links in the header, not
    /// 登录/注册 (`error_response` cannot see the session; the session middleware calls this).
    pub fn page_for(&self, page: Page) -> Option<HttpResponse> {
        let (title, message) = self.texts()?;
        Some(self.page_response(page, title, &message))
    }
}

/// Percent-encodes a query value.
/// What a page says when another person acted on the application first: the step still on the
/// page (`None`: sent again it is checked against what the page now shows, the typed text is
/// in its form), or the state that no longer offers it.
pub fn overtaken(now: Option<crate::domain::State>) -> String {
    match now {
        None => "这份申报刚刚被其他经办人处理过，本次未保存。下面是最新情况，您填写的内容仍在表单中，请核对后再提交。".into(),
        Some(state) => format!(
            "这份申报刚刚被其他经办人处理过，现为“{}”，本次未保存，您提交的这项操作已不再适用。下面是最新情况。",
            state.label()
        ),
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v[1..].to_string())
        .unwrap_or_default()
}
