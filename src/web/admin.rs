//! The HR bureau's administration: accounts (office, expert and admin are created here).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{db, render, render_status, AppError, CsrfForm, CurrentUser, FormErrors, Page};
use crate::domain::{LoginName, RequiredText, Role};
use crate::store;
use crate::store::accounts::{self, Account, NewStaff};
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
            let result = store::write(conn, |conn| {
                accounts::create_staff(conn, &new, admin.actor(), now)
            });
            Ok(accounts::split_duplicate(result)?)
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

// ---- 评审批次 (rounds), until the committee office takes them over ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub name: String,
    pub submission_deadline: String,
    pub reference_date: String,
}

#[derive(Template)]
#[template(path = "admin/rounds.html")]
struct RoundsPage {
    page: Page,
    rounds: Vec<crate::store::applications::Round>,
    form: RoundForm,
    errors: FormErrors,
    created: bool,
}

async fn rounds_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    form: RoundForm,
    errors: FormErrors,
    created: bool,
) -> Result<RoundsPage, AppError> {
    let rounds = db(state, |conn| Ok(crate::store::applications::rounds(conn)?)).await?;
    Ok(RoundsPage {
        page: user.page(),
        rounds,
        form,
        errors,
        created,
    })
}

pub async fn rounds(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(Role::Admin)?;
    render(
        &rounds_page(
            &state,
            &user,
            RoundForm::default(),
            FormErrors::default(),
            false,
        )
        .await?,
    )
}

pub async fn create_round(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<RoundForm>,
) -> Result<HttpResponse, AppError> {
    user.require(Role::Admin)?;
    let mut errors = FormErrors::default();
    let name = errors.check("name", RequiredText::parse(&form.name, "批次名称", 100));
    let today = crate::time::local_date(state.now());
    let deadline = match crate::web::self_check::parse_date(&form.submission_deadline) {
        Some(d) if d < today => {
            errors.add("submission_deadline", "截止日期不能早于今天");
            None
        }
        Some(d) => Some(d),
        None => {
            errors.add("submission_deadline", "请填写申报截止日期，如 2026-12-31");
            None
        }
    };
    let reference = match form.reference_date.trim() {
        "" => deadline,
        r => match crate::web::self_check::parse_date(r) {
            Some(d) => Some(d),
            None => {
                errors.add(
                    "reference_date",
                    "资格计算日期无效，如 2026-12-31；留空则与截止日期相同",
                );
                None
            }
        },
    };
    if let (Some(name), Some(deadline), Some(reference)) = (name, deadline, reference) {
        let admin = user.account.clone();
        let now = state.now();
        let result = db(
            &state,
            move |conn| match crate::store::applications::create_round(
                conn,
                name.as_str(),
                deadline,
                reference,
                &admin,
                now,
            ) {
                Ok(()) => Ok(None),
                Err(crate::store::applications::SaveError::Db(e)) => Err(e.into()),
                Err(other) => Ok(Some(other.to_string())),
            },
        )
        .await?;
        match result {
            None => {
                return render(
                    &rounds_page(
                        &state,
                        &user,
                        RoundForm::default(),
                        FormErrors::default(),
                        true,
                    )
                    .await?,
                )
            }
            Some(message) => errors.add("name", message),
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &rounds_page(&state, &user, form, errors, false).await?,
    )
}
