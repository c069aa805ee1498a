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
    /// An office account's committee (its id).
    pub committee: String,
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
        let committee = self
            .committee
            .trim()
            .parse::<i64>()
            .ok()
            .map(crate::domain::CommitteeId);
        if role.is_some() && role != Some(Role::Office) && committee.is_some() {
            errors.add(
                "committee",
                "只有评委会办事机构账户归属评委会；评审专家请在评委会的专家库页面入库",
            );
        }
        if role == Some(Role::Office) && committee.is_none() {
            errors.add("committee", "请选择该办事机构账户所属的评委会");
        }
        match (login, name, role) {
            (Some(login_name), Some(display_name), Some(role)) if errors.is_empty() => {
                Ok(NewStaff {
                    login_name,
                    role,
                    display_name,
                    committee,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A row of the account list, ready to show.
pub struct AccountRow {
    pub id: i64,
    pub active: bool,
    pub must_change: bool,
    pub login_name: String,
    pub display_name: String,
    pub role: &'static str,
    pub created_at: String,
    pub locked_until: Option<String>,
    /// An employer's clerk whose login is a mobile number (from before clerks had logins of
    /// their own): the admin may release the mobile.
    pub mobile_login: bool,
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
    issued: Option<Issued>,
    staff_roles: [Role; 4],
    /// The committees an office account may belong to: (id, name).
    committees: Vec<(String, String)>,
    /// The admin's own account: no actions on it.
    me_id: i64,
    /// A clerk's mobile was just released: their new login.
    released: Option<String>,
}

/// A secret shown once after a redirect: a new account's password or a reset link.
pub struct Issued {
    pub reset: bool,
    pub login: String,
    pub secret: String,
}

impl Issued {
    fn encode(&self) -> String {
        format!(
            "{}\t{}\t{}",
            if self.reset { "reset" } else { "created" },
            self.login,
            self.secret
        )
    }

    fn decode(v: &str) -> Option<Issued> {
        let mut parts = v.splitn(3, '\t');
        let reset = parts.next()? == "reset";
        Some(Issued {
            reset,
            login: parts.next()?.to_string(),
            secret: parts.next()?.to_string(),
        })
    }
}

/// Accounts a page shows.
const PAGE: i64 = 50;

/// `?after=ID`: the page after that account; `?shown=1` after a secret was issued.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub after: Option<i64>,
    pub shown: Option<String>,
    /// A clerk's mobile was just released: their new login.
    pub released: Option<String>,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    form: StaffForm,
    errors: FormErrors,
    issued: Option<Issued>,
    after: Option<i64>,
) -> Result<AccountsPage, AppError> {
    let now = state.now();
    let (mut list, locked, committees) = crate::web::db_read(state, move |c| {
        Ok((
            crate::store::accounts::list(c, after, PAGE + 1)?,
            crate::store::throttles::paused_names(c, now)?,
            crate::store::committees::list(c)?,
        ))
    })
    .await?;
    let committees = committees
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let more = list.len() as i64 > PAGE;
    list.truncate(PAGE as usize);
    let next = list.last().map(|a| a.id.0).filter(|_| more);
    let accounts = list
        .into_iter()
        .map(|a| {
            let name = crate::service::accounts::name_hash(&a.login_name);
            AccountRow {
                id: a.id.0,
                mobile_login: crate::service::staff::holds_mobile_login(&a),
                active: a.active,
                must_change: a.must_change_password,
                role: a.role.label(),
                created_at: crate::time::local_minutes(a.created_at),
                locked_until: locked
                    .iter()
                    .filter(|(hash, _)| *hash == name)
                    .map(|(_, until)| *until)
                    .chain(a.locked_until.filter(|u| *u > now))
                    .max()
                    .map(crate::time::local_minutes),
                login_name: a.login_name,
                display_name: a.display_name,
            }
        })
        .collect();
    Ok(AccountsPage {
        page: me.page(),
        next,
        accounts,
        form,
        errors,
        issued,
        me_id: me.actor.id.0,
        released: None,
        staff_roles: [Role::Office, Role::Expert, Role::Supervisor, Role::Admin],
        committees,
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
    let issued = match q.shown.is_some() {
        true => crate::web::flash_take(&state, &me)
            .await?
            .as_deref()
            .and_then(Issued::decode),
        false => None,
    };
    let mut p = page(&state, &me, form, FormErrors::default(), issued, q.after).await?;
    p.released = q.released.clone();
    render_status(StatusCode::OK, &p)
}

/// Shows a secret once: kept for this session, then a redirect to the list that reads it.
async fn show_once(
    state: &web::Data<AppState>,
    me: &Me,
    issued: Issued,
) -> Result<HttpResponse, AppError> {
    crate::web::flash_put(state, me, issued.encode()).await?;
    Ok(crate::web::see_other("/admin/accounts?shown=1#issued"))
}

/// 重置密码, 停用, 启用, 解除锁定 on one account.
pub async fn manage(
    state: web::Data<AppState>,
    Admin(me): Admin,
    path: web::Path<(i64, String)>,
    _form: CsrfForm<crate::web::public::Empty>,
) -> Result<HttpResponse, AppError> {
    use crate::service::passwords;
    let (id, action) = path.into_inner();
    let (who, now, target) = (me.actor, state.now(), crate::domain::AccountId(id));
    if action == "reset" {
        let (token, login) = crate::web::db(&state, move |c| {
            Ok(passwords::issue_reset(c, &who, target, now)?)
        })
        .await?;
        let issued = Issued {
            reset: true,
            login,
            secret: format!("/reset/{token}"),
        };
        return show_once(&state, &me, issued).await;
    }
    if action == "release" {
        let login = crate::web::db(&state, move |c| {
            Ok(crate::service::staff::release_mobile(c, &who, target, now)?)
        })
        .await?;
        return Ok(crate::web::see_other(&format!(
            "/admin/accounts?released={}",
            crate::web::errors::urlencode(&login)
        )));
    }
    let step = match action.as_str() {
        "disable" => Some(false),
        "enable" => Some(true),
        "unlock" => None,
        _ => return Err(AppError::NotFound),
    };
    crate::web::db(&state, move |c| {
        Ok(match step {
            Some(active) => passwords::set_active(c, &who, target, active, now),
            None => passwords::unlock(c, &who, target, now),
        }?)
    })
    .await?;
    Ok(crate::web::see_other("/admin/accounts"))
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
                    let issued = Issued {
                        reset: false,
                        login: account.login_name,
                        secret: password,
                    };
                    return show_once(&state, &me, issued).await;
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
