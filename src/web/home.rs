//! Each role's landing page.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{db, render, AppError, CurrentUser, Page};
use crate::domain::Role;
use crate::store::accounts::{self, Employer};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WelcomeQuery {
    pub welcome: Option<String>,
}

/// A row of the applicant's list of applications.
pub struct ApplicationItem {
    pub id: i64,
    pub reference: String,
    pub state: &'static str,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "home/applicant.html")]
struct ApplicantHome {
    page: Page,
    name: String,
    login_name: String,
    id_masked: String,
    mobile: String,
    welcome: bool,
    applications: Vec<ApplicationItem>,
}

pub async fn applicant(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<WelcomeQuery>,
) -> Result<HttpResponse, AppError> {
    let account = user.require(Role::Applicant)?.clone();
    let id = account.id;
    let (person, apps) = db(&state, move |conn| {
        Ok((
            accounts::person(conn, id)?,
            crate::store::applications::for_applicant(conn, id)?,
        ))
    })
    .await?;
    let applications = apps
        .into_iter()
        .map(|a| ApplicationItem {
            id: a.id,
            reference: a
                .reference
                .clone()
                .unwrap_or_else(|| "草稿（未提交）".into()),
            state: a.state().label(),
            updated: crate::time::local_minutes(a.updated_at),
        })
        .collect();
    let (name, id_masked, mobile) = match person {
        Some(p) => (p.name.clone(), p.id_number_masked(), p.mobile),
        None => (account.display_name.clone(), String::new(), String::new()),
    };
    render(&ApplicantHome {
        page: user.page(),
        name,
        login_name: account.login_name,
        id_masked,
        mobile,
        welcome: q.welcome.is_some(),
        applications,
    })
}

/// A submitted application of one of the employer's people.
pub struct EmployeeApplication {
    pub id: i64,
    pub reference: String,
    pub applicant: String,
    pub state: &'static str,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "home/employer.html")]
struct EmployerHome {
    page: Page,
    login_name: String,
    employer: Option<Employer>,
    welcome: bool,
    applications: Vec<EmployeeApplication>,
}

pub async fn employer(
    state: web::Data<AppState>,
    user: CurrentUser,
    q: web::Query<WelcomeQuery>,
) -> Result<HttpResponse, AppError> {
    let account = user.require(Role::Employer)?.clone();
    let id = account.id;
    let (employer, apps) = db(&state, move |conn| {
        Ok((
            accounts::employer(conn, id)?,
            crate::store::applications::for_employer(conn, id)?,
        ))
    })
    .await?;
    let applications = apps
        .into_iter()
        .map(|(a, applicant)| EmployeeApplication {
            id: a.id,
            reference: a.reference.clone().unwrap_or_default(),
            applicant,
            state: a.state().label(),
            submitted: a
                .submitted_at
                .map(crate::time::local_minutes)
                .unwrap_or_default(),
        })
        .collect();
    render(&EmployerHome {
        page: user.page(),
        login_name: account.login_name,
        employer,
        welcome: q.welcome.is_some(),
        applications,
    })
}

#[derive(Template)]
#[template(path = "home/staff.html")]
struct StaffHome {
    page: Page,
    title: &'static str,
    name: String,
    duties: &'static [&'static str],
}

pub async fn office(user: CurrentUser) -> Result<HttpResponse, AppError> {
    let account = user.require(Role::Office)?;
    render(&StaffHome {
        page: user.page(),
        title: "评委会办事机构工作台",
        name: account.display_name.clone(),
        duties: &[
            "评审批次与截止日期",
            "形式审查与一次性告知补正",
            "分配评审专家",
            "评审会议与投票记录",
            "结果公示与证书",
        ],
    })
}

pub async fn expert(user: CurrentUser) -> Result<HttpResponse, AppError> {
    let account = user.require(Role::Expert)?;
    render(&StaffHome {
        page: user.page(),
        title: "评审专家工作台",
        name: account.display_name.clone(),
        duties: &["申报回避声明", "按评审标准评分", "参加评审会议并投票"],
    })
}
