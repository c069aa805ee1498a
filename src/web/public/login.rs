//! Logging in and out.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::Empty;
use crate::service::accounts::{self, LoginAttempt, LoginOutcome};
use crate::web::session::{self, Page, Session};
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub login: String,
    pub password: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "public/login.html")]
struct LoginPage {
    page: Page,
    login: String,
    next: String,
    errors: FormErrors,
    notice: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
    /// `everywhere` after "log out everywhere".
    pub ended: String,
    /// Set when the session had just timed out.
    pub expired: String,
    /// Set after a password was set with a reset link.
    pub reset: String,
    /// Set after registering (made, or already held: the same answer).
    pub registered: String,
}

/// Only a path of this site is followed after login; anything else is quietly ignored. The path
/// must start with one `/`, hold only printable ASCII without spaces or backslashes, and stay a
/// local path once percent-decoded (`/%09/evil.example`, `/%2F%2Fevil` are refused).
pub fn safe_next(next: &str) -> Option<&str> {
    let printable = next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    let decoded: Vec<u8> = percent_decode(next.as_bytes());
    let decoded_ok = decoded.iter().all(|b| !b.is_ascii_control() && *b != b'\\')
        && !decoded.starts_with(b"//")
        && !decoded.starts_with(b"/ ");
    let local = next.starts_with('/') && !next.starts_with("//");
    (printable && decoded_ok && local).then_some(next)
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

pub async fn form(
    session: Session,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(account) = session.account() {
        return Ok(see_other(account.role.home()));
    }
    let q = query.into_inner();
    let notice = if q.ended == "everywhere" {
        Some("已退出所有设备上的登录。")
    } else if !q.reset.is_empty() {
        Some("新密码已设置，请用新密码登录。")
    } else if !q.registered.is_empty() {
        Some(crate::service::accounts::REGISTERED_OR_NOT)
    } else if q.next.contains("lost=1") {
        Some("您已超时退出。超时前填写的内容超过可保留的长度，未能保留，请重新登录后重新填写。")
    } else if session.ended || !q.expired.is_empty() {
        Some("您已超时退出，请重新登录。")
    } else {
        None
    };
    render(&LoginPage {
        page: session.page(),
        login: String::new(),
        next: safe_next(&q.next).unwrap_or_default().to_string(),
        errors: FormErrors::default(),
        notice,
    })
}

/// The one message for an unknown name and a wrong password.
pub const REFUSED: &str = "登录名或密码不正确";

/// What a paused sign-in says: until when, and how to reset. The same words whether or not an
/// account has the name (the pause is kept per name typed, account or not).
pub fn paused(until: chrono::NaiveDateTime) -> String {
    let at = crate::time::local_minutes(until);
    format!(
        "此登录名从您所在网络的密码错误次数过多，登录已暂停至 {at}。请到时再试；忘记密码的，申报人和单位请联系管理员、经办人请联系本单位的账户管理员重置密码。"
    )
}

pub async fn login(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    if form.login.trim().is_empty() {
        errors.add("login", "请输入登录名");
    }
    if form.password.is_empty() {
        errors.add("password", "请输入密码");
    }
    if errors.is_empty() {
        let (now, pool, rules) = (state.now(), state.pool.clone(), state.login_rules());
        let client = crate::web::client_addr(&req, &state.config);
        // An address with many failures waits before each attempt: slowed, never refused.
        let delay = crate::web::db_read(&state, move |c| {
            Ok(accounts::login_delay(c, client, now, rules)?)
        })
        .await?;
        if !delay.is_zero() {
            actix_web::rt::time::sleep(delay).await;
        }
        let old = session.token_hash();
        let (login, password) = (form.login.clone(), form.password.clone());
        let outcome = web::block(move || {
            let attempt = LoginAttempt {
                login: &login,
                password: &password,
                client,
                old_session: old.as_deref(),
            };
            accounts::login(&pool, &attempt, now, rules)
        })
        .await??;
        if let LoginOutcome::LoggedIn(done) = outcome {
            let target = safe_next(&form.next).unwrap_or(done.account.role.home());
            let mut res = see_other(&crate::web::kept::after_login(target, done.kept_forms));
            res.add_cookie(&session::cookie(done.token, state.config.secure_cookies))
                .map_err(|e| AppError::Internal(e.to_string()))?;
            return Ok(res);
        }
        match outcome {
            LoginOutcome::Inactive(why) => errors.add("login", why.message()),
            LoginOutcome::Paused { until } => errors.add("login", paused(until)),
            _ => errors.add("password", REFUSED),
        }
    }
    let page = LoginPage {
        page: session.page(),
        login: form.login,
        next: safe_next(&form.next).unwrap_or_default().to_string(),
        errors,
        notice: None,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    if let Some(data) = session.data {
        db(&state, move |c| {
            Ok(crate::service::sessions::end(c, &data.token_hash)?)
        })
        .await?;
    }
    let mut res = see_other("/");
    res.add_cookie(&session::removal_cookie(state.config.secure_cookies))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(res)
}
