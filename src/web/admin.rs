//! The HR bureau's administration: accounts (office, expert and admin are created here).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{db, render, render_status, AppError, CsrfForm, CurrentUser, FormErrors, Page};
use crate::domain::{LoginName, RequiredText, Role};
use crate::store;
use crate::store::accounts::{self, Account, CreateError, NewStaff};
use crate::store::audit::{self, AuditRow};
use crate::AppState;

#[derive(Template)]
#[template(path = "admin/home.html")]
struct AdminHome {
    page: Page,
    name: String,
    audit: Vec<AuditRow>,
}

pub async fn home(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    let account = user.require(Role::Admin)?;
    let audit = db(&state, |conn| Ok(audit::latest(conn, 20)?)).await?;
    render(&AdminHome {
        page: user.page(),
        name: account.display_name.clone(),
        audit,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub login: String,
    pub display_name: String,
    pub role: String,
}

/// A row of the account list, ready to show.
pub struct AccountRow {
    pub login_name: String,
    pub display_name: String,
    pub role: &'static str,
    pub created_at: String,
    pub locked_until: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    page: Page,
    accounts: Vec<AccountRow>,
    form: StaffForm,
    errors: FormErrors,
    created: Option<(String, String)>,
    staff_roles: [Role; 3],
}

async fn account_rows(state: &web::Data<AppState>) -> Result<Vec<AccountRow>, AppError> {
    let now = state.now();
    let list: Vec<Account> = db(state, |conn| Ok(accounts::list(conn)?)).await?;
    Ok(list
        .into_iter()
        .map(|a| AccountRow {
            role: a.role().label(),
            created_at: crate::time::local_minutes(a.created_at),
            locked_until: a
                .locked_until
                .filter(|u| *u > now)
                .map(crate::time::local_minutes),
            login_name: a.login_name,
            display_name: a.display_name,
        })
        .collect())
}

const STAFF_ROLES: [Role; 3] = [Role::Office, Role::Expert, Role::Admin];

pub async fn accounts(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(Role::Admin)?;
    let accounts = account_rows(&state).await?;
    render(&AccountsPage {
        page: user.page(),
        accounts,
        form: StaffForm {
            role: Role::Office.as_str().into(),
            ..Default::default()
        },
        errors: FormErrors::default(),
        created: None,
        staff_roles: STAFF_ROLES,
    })
}

pub async fn create_account(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<HttpResponse, AppError> {
    user.require(Role::Admin)?;
    let mut errors = FormErrors::default();
    let login = errors.check("login", LoginName::parse(&form.login));
    let display_name = errors.check(
        "display_name",
        RequiredText::parse(&form.display_name, "姓名或机构名称", 100),
    );
    let role = match Role::parse(&form.role) {
        Some(r) => errors.check(
            "role",
            crate::access::may_create_staff(&user.account, r)
                .map(|_| r)
                .map_err(|d| d.0),
        ),
        None => {
            errors.add("role", "请选择账户角色");
            None
        }
    };
    let mut created = None;
    if let (Some(login_name), Some(display_name), Some(role)) = (login, display_name, role) {
        let password = crate::password::random_password();
        let hash = {
            let p = password.clone();
            web::block(move || crate::password::hash(&p)).await?
        };
        let admin = user.account.clone();
        let now = state.now();
        let new = NewStaff {
            login_name,
            role,
            display_name,
            password_hash: hash,
        };
        let result = db(&state, move |conn| {
            match store::write(conn, |conn| {
                accounts::create_staff(conn, &new, admin.actor(), now)
            }) {
                Ok(a) => Ok(Ok(a)),
                Err(CreateError::Duplicate { field, message }) => Ok(Err((field, message))),
                Err(CreateError::Db(e)) => Err(e.into()),
            }
        })
        .await?;
        match result {
            Ok(account) => created = Some((account.login_name, password)),
            Err((field, message)) => errors.add(field, message),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let accounts = account_rows(&state).await?;
    let form = if created.is_some() {
        StaffForm {
            role: form.role,
            ..Default::default()
        }
    } else {
        form
    };
    render_status(
        status,
        &AccountsPage {
            page: user.page(),
            accounts,
            form,
            errors,
            created,
            staff_roles: STAFF_ROLES,
        },
    )
}
