//! Every logged-in person's account page: who they are logged in as, and "log out everywhere".

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::web::extract::Me;
use crate::web::public::Empty;
use crate::web::session::removal_cookie;
use crate::web::{db, render, see_other, AppError, CsrfForm, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "shared/account.html")]
struct AccountPage {
    page: Page,
    login_name: String,
    role: &'static str,
    idle_minutes: i64,
    max_hours: i64,
    changed: bool,
}

/// `?changed=1` after a password change.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    pub changed: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    q: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    render(&AccountPage {
        changed: q.changed.is_some(),
        page: me.page(),
        login_name: me.account.login_name.clone(),
        role: me.account.role.label(),
        idle_minutes: state.config.session_idle_minutes,
        max_hours: state.config.session_max_hours,
    })
}

/// Ends every session of the account (a lost phone, a shared computer), this one included.
pub async fn logout_everywhere(
    state: web::Data<AppState>,
    me: Me,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (who, now) = (me.actor, state.now());
    db(&state, move |c| {
        Ok(crate::service::sessions::end_everywhere(c, &who, now)?)
    })
    .await?;
    let mut res = see_other("/login?ended=everywhere");
    res.add_cookie(&removal_cookie(state.config.secure_cookies))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(res)
}
