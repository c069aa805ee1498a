//! 经办人: the employer's own account adds named staff (name and mobile; a login of the
//! employer's code and a number and a one-time password shown once and changed at first login),
//! resets their password, and disables or enables them.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{AccountId, MobileNumber, PersonName};
use crate::service::staff::{self, NewClerk};
use crate::service::ActionError;
use crate::store::accounts::Account;
use crate::web::extract::{Employer, Me};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClerkForm {
    pub name: String,
    pub mobile: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Shown {
    pub shown: Option<String>,
}

#[derive(Template)]
#[template(path = "employer/staff.html")]
struct StaffPage {
    page: Page,
    staff: Vec<Account>,
    form: ClerkForm,
    errors: FormErrors,
    /// Just added: the login and its one-time password, shown once.
    issued: Option<(String, String)>,
    /// About to be disabled: the clerk, for the employer to confirm.
    confirm: Option<Account>,
    /// Why a switch or a reset was not done (the clerk changed since the page was shown).
    refused: Option<String>,
}

/// 停用 asks first (the clerk is logged out at once and can no longer act): `confirm=yes` is
/// the answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageForm {
    pub confirm: String,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    form: ClerkForm,
    errors: FormErrors,
    issued: Option<(String, String)>,
) -> Result<StaffPage, AppError> {
    let who = me.actor;
    let staff = crate::web::db_read(state, move |c| Ok(staff::list(c, &who)?)).await?;
    Ok(StaffPage {
        page: me.page(),
        staff,
        form,
        errors,
        issued,
        confirm: None,
        refused: None,
    })
}

/// The page again, as it is now, saying why a clerk was left as they were (409); any other
/// failure is the error page.
async fn refused(
    state: &web::Data<AppState>,
    me: &Me,
    e: ActionError,
) -> Result<HttpResponse, AppError> {
    let ActionError::Refused(why) = e else {
        return Err(e.into());
    };
    let mut p = page(state, me, ClerkForm::default(), FormErrors::default(), None).await?;
    p.refused = Some(why);
    render_status(StatusCode::CONFLICT, &p)
}

pub async fn list(
    state: web::Data<AppState>,
    Employer(me): Employer,
    q: web::Query<Shown>,
) -> Result<HttpResponse, AppError> {
    let issued = match q.shown.is_some() {
        true => crate::web::flash_take(&state, &me).await?.and_then(|v| {
            let (login, password) = v.split_once('\t')?;
            Some((login.to_string(), password.to_string()))
        }),
        false => None,
    };
    let p = page(
        &state,
        &me,
        ClerkForm::default(),
        FormErrors::default(),
        issued,
    )
    .await?;
    render_status(StatusCode::OK, &p)
}

impl ClerkForm {
    fn parse(&self) -> Result<NewClerk, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.check("name", PersonName::parse(&self.name));
        let mobile = errors.check("mobile", MobileNumber::parse(&self.mobile));
        match (name, mobile) {
            (Some(name), Some(mobile)) => Ok(NewClerk { name, mobile }),
            _ => Err(errors),
        }
    }
}

pub async fn add(
    state: web::Data<AppState>,
    Employer(me): Employer,
    CsrfForm(form): CsrfForm<ClerkForm>,
) -> Result<HttpResponse, AppError> {
    let errors = match form.parse() {
        Ok(new) => {
            let (pool, who, now) = (state.pool.clone(), me.actor, state.now());
            match web::block(move || staff::add(&pool, &who, &new, now)).await? {
                Ok((account, password)) => {
                    let value = format!("{}\t{password}", account.login_name);
                    crate::web::flash_put(&state, &me, value).await?;
                    return Ok(see_other("/employer/staff?shown=1#issued"));
                }
                Err(ActionError::Refused(m)) => {
                    let mut errors = FormErrors::default();
                    errors.add("name", m);
                    errors
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(errors) => errors,
    };
    let p = page(&state, &me, form, errors, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// 停用 or 启用 one clerk.
pub async fn manage(
    state: web::Data<AppState>,
    Employer(me): Employer,
    path: web::Path<(i64, String)>,
    CsrfForm(form): CsrfForm<ManageForm>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let active = match action.as_str() {
        "enable" => true,
        "disable" if form.confirm == "yes" => false,
        "disable" => return confirm_disable(&state, &me, id).await,
        "reset" => return reset(state, me, AccountId(id)).await,
        _ => return Err(AppError::NotFound),
    };
    let (who, now) = (me.actor, state.now());
    match db(&state, move |c| {
        Ok(staff::set_active(c, &who, AccountId(id), active, now))
    })
    .await?
    {
        Ok(()) => Ok(see_other("/employer/staff")),
        Err(e) => refused(&state, &me, e).await,
    }
}

/// The staff page asking to confirm disabling one of its clerks (anyone else's: 404).
async fn confirm_disable(
    state: &web::Data<AppState>,
    me: &Me,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let mut p = page(state, me, ClerkForm::default(), FormErrors::default(), None).await?;
    let clerk = p.staff.iter().find(|s| s.id.0 == id && s.active).cloned();
    p.confirm = Some(clerk.ok_or(AppError::NotFound)?);
    render_status(StatusCode::OK, &p)
}

/// 重置密码: a new one-time password for the clerk, shown once like a new clerk's.
async fn reset(
    state: web::Data<AppState>,
    me: Me,
    clerk: AccountId,
) -> Result<HttpResponse, AppError> {
    let (pool, who, now) = (state.pool.clone(), me.actor, state.now());
    let (login, password) =
        match web::block(move || staff::reset_password(&pool, &who, clerk, now)).await? {
            Ok(done) => done,
            Err(e) => return refused(&state, &me, e).await,
        };
    crate::web::flash_put(&state, &me, format!("{login}\t{password}")).await?;
    Ok(see_other("/employer/staff?shown=1#issued"))
}
