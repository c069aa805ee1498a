//! Accounts: the list, and creating office, expert and admin accounts.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{LoginName, RequiredText, Role};
use crate::service::accounts::{self, NewStaff};
use crate::web::extract::{Admin, Me};
use crate::web::{render_status, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub login: String,
    pub display_name: String,
    pub role: String,
}

impl StaffForm {
    fn parse(&self) -> Result<NewStaff, FormErrors> {
        let mut errors = FormErrors::default();
        let login = errors.check("login", LoginName::parse(&self.login));
        let name = errors.check(
            "display_name",
            RequiredText::parse(&self.display_name, "姓名或机构名称", 100),
        );
        let role = match Role::parse(&self.role) {
            Some(r) if r.created_by_admin() => Some(r),
            Some(_) => {
                errors.add("role", "申报人和用人单位账户由本人注册");
                None
            }
            None => {
                errors.add("role", "请选择账户角色");
                None
            }
        };
        match (login, name, role) {
            (Some(login_name), Some(display_name), Some(role)) => Ok(NewStaff {
                login_name,
                role,
                display_name,
            }),
            _ => Err(errors),
        }
    }
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
    /// The account to continue after, when there are more.
    next: Option<i64>,
    accounts: Vec<AccountRow>,
    form: StaffForm,
    errors: FormErrors,
    created: Option<(String, String)>,
    staff_roles: [Role; 3],
}

/// Accounts a page shows.
const PAGE: i64 = 50;

/// `?after=ID`: the page after that account.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub after: Option<i64>,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    form: StaffForm,
    errors: FormErrors,
    created: Option<(String, String)>,
    after: Option<i64>,
) -> Result<AccountsPage, AppError> {
    let now = state.now();
    let mut list = crate::web::db_read(state, move |c| {
        Ok(crate::store::accounts::list(c, after, PAGE + 1)?)
    })
    .await?;
    let more = list.len() as i64 > PAGE;
    list.truncate(PAGE as usize);
    let next = list.last().map(|a| a.id.0).filter(|_| more);
    let accounts = list
        .into_iter()
        .map(|a| AccountRow {
            role: a.role.label(),
            created_at: crate::time::local_minutes(a.created_at),
            locked_until: a
                .locked_until
                .filter(|u| *u > now)
                .map(crate::time::local_minutes),
            login_name: a.login_name,
            display_name: a.display_name,
        })
        .collect();
    Ok(AccountsPage {
        page: me.page(),
        next,
        accounts,
        form,
        errors,
        created,
        staff_roles: [Role::Office, Role::Expert, Role::Admin],
    })
}

pub async fn list(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let form = StaffForm {
        role: Role::Office.as_str().into(),
        ..Default::default()
    };
    let p = page(&state, &me, form, FormErrors::default(), None, q.after).await?;
    render_status(StatusCode::OK, &p)
}

pub async fn create(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = match form.parse() {
        Ok(new) => {
            let (pool, who, now) = (state.pool.clone(), me.actor, state.now());
            let created =
                web::block(move || accounts::create_staff(&pool, &who, &new, now)).await??;
            match created {
                Ok((account, password)) => {
                    let blank = StaffForm {
                        role: form.role,
                        ..Default::default()
                    };
                    let p = page(
                        &state,
                        &me,
                        blank,
                        FormErrors::default(),
                        Some((account.login_name, password)),
                        None,
                    )
                    .await?;
                    return render_status(StatusCode::OK, &p);
                }
                Err(d) => {
                    let mut e = FormErrors::default();
                    e.add(d.field, d.message);
                    e
                }
            }
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add("login", "无法创建账户");
    }
    let p = page(&state, &me, form, errors, None, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}
