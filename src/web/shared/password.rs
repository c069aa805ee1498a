//! Passwords: change one's own (forced after an admin issued it), and set one with an admin's
//! one-time reset link.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::service::passwords::{self, Refused};
use crate::web::extract::Me;
use crate::web::session::Session;
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// The fields of both forms (never shown again: password fields come back empty).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "shared/password.html")]
struct PasswordPage {
    page: Page,
    /// The reset link's path, or None for changing one's own password.
    reset_action: Option<String>,
    forced: bool,
    /// A clerk's password is issued by their employer, not an admin.
    issued_by_employer: bool,
    errors: FormErrors,
    link_gone: bool,
}

fn errors_of(r: Refused) -> FormErrors {
    let mut e = FormErrors::default();
    e.add(r.field, r.message);
    e
}

pub async fn form(me: Me) -> Result<HttpResponse, AppError> {
    render(&PasswordPage {
        page: me.page(),
        reset_action: None,
        forced: me.account.must_change_password,
        issued_by_employer: me.account.employer.is_some(),
        errors: FormErrors::default(),
        link_gone: false,
    })
}

pub async fn change(
    state: web::Data<AppState>,
    me: Me,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = match passwords::new_password(&form.new_password, &form.confirm) {
        Err(r) => Err(r),
        Ok(new) => {
            let (who, now) = (me.actor, state.now());
            let keep = me.session.token_hash().unwrap_or_default();
            let current = form.current_password.clone();
            let rule = state.login_rules().per_name;
            let pool = state.pool.clone();
            web::block(move || passwords::change(&pool, &who, &current, &new, &keep, rule, now))
                .await??
        }
    };
    match outcome {
        // This browser goes on under a new session id.
        Ok(token) => {
            let mut res = see_other("/account?changed=1");
            res.add_cookie(&crate::web::session::cookie(
                token,
                state.config.secure_cookies,
            ))
            .map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(res)
        }
        Err(r) => render_status(
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                page: me.page(),
                reset_action: None,
                forced: me.account.must_change_password,
                issued_by_employer: me.account.employer.is_some(),
                errors: errors_of(r),
                link_gone: false,
            },
        ),
    }
}

pub async fn reset_form(
    state: web::Data<AppState>,
    session: Session,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (t, now) = (token.into_inner(), state.now());
    let tok = t.clone();
    let live =
        crate::web::db_read(&state, move |c| Ok(passwords::reset_is_live(c, &tok, now)?)).await?;
    let page = PasswordPage {
        page: session.page(),
        reset_action: Some(format!("/reset/{t}")),
        forced: false,
        issued_by_employer: false,
        errors: FormErrors::default(),
        link_gone: !live,
    };
    let status = match live {
        true => actix_web::http::StatusCode::OK,
        false => actix_web::http::StatusCode::GONE,
    };
    render_status(status, &page)
}

pub async fn reset(
    state: web::Data<AppState>,
    session: Session,
    token: web::Path<String>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let t = token.into_inner();
    let outcome = match passwords::new_password(&form.new_password, &form.confirm) {
        Err(r) => Err(r),
        Ok(new) => {
            let (tok, now) = (t.clone(), state.now());
            db(&state, move |c| Ok(passwords::reset(c, &tok, &new, now)?)).await?
        }
    };
    match outcome {
        Ok(_) => Ok(see_other("/login?reset=1")),
        Err(r) => {
            let link_gone = r.message == passwords::LINK_GONE;
            render_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordPage {
                    page: session.page(),
                    reset_action: Some(format!("/reset/{t}")),
                    forced: false,
                    issued_by_employer: false,
                    errors: if link_gone {
                        FormErrors::default()
                    } else {
                        errors_of(r)
                    },
                    link_gone,
                },
            )
        }
    }
}
