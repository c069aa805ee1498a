//! The applicant's home: who they are (ID masked) and their applications.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::ApplicationId;
use crate::web::extract::Applicant;
use serde::Deserialize;

/// `?before=ID` (older than ID), `?welcome=1` after registration.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    pub before: Option<i64>,
    pub welcome: Option<String>,
}

/// Applications a page shows.
const PAGE: i64 = 20;
use crate::web::{render, AppError, Page};
use crate::AppState;

/// A row of the applicant's list of applications.
pub struct ApplicationItem {
    pub id: ApplicationId,
    pub reference: String,
    pub state: &'static str,
    /// Submitted, but the employer named is not verified yet.
    pub waiting_employer: bool,
    pub next_step: &'static str,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "applicant/home.html")]
struct ApplicantHome {
    page: Page,
    name: String,
    login_name: String,
    id_masked: String,
    mobile: String,
    welcome: bool,
    applications: Vec<ApplicationItem>,
    /// The id to continue from for older applications, when there are more.
    next: Option<ApplicationId>,
    /// What the applicant is asked to change and resubmit, with its deadline: (application,
    /// reference, deadline, asked by the committee).
    asked: Vec<(ApplicationId, String, chrono::NaiveDate, bool)>,
}

pub async fn show(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, before) = (me.actor.id, q.before);
    let (person, mut apps, asked) = crate::web::db_read(&state, move |c| {
        Ok((
            crate::store::accounts::person(c, id)?,
            crate::store::applications::for_applicant(c, id, before, PAGE + 1)?,
            crate::store::returns::open_of_applicant(c, id)?,
        ))
    })
    .await?;
    let asked = asked
        .into_iter()
        .map(|(id, r, d, c)| (id, r.unwrap_or_default(), d, c))
        .collect();
    let more = apps.len() as i64 > PAGE;
    apps.truncate(PAGE as usize);
    let next = apps.last().map(|a| a.id).filter(|_| more);
    let applications = apps
        .into_iter()
        .map(|a| {
            let waiting_employer =
                super::task_list::awaiting_employer(a.state, a.employer, a.employer_code.as_ref())
                    .is_some();
            ApplicationItem {
                id: a.id,
                waiting_employer,
                next_step: super::next_step::short(
                    a.state,
                    a.reference.is_some(),
                    waiting_employer,
                ),
                state: super::next_step::state_label(a.state, a.reference.is_some()),
                reference: a.reference.unwrap_or_else(|| "草稿（未提交）".into()),
                updated: crate::time::local_minutes(a.updated_at),
            }
        })
        .collect();
    let person =
        person.ok_or_else(|| AppError::Internal("applicant without a person row".into()))?;
    render(&ApplicantHome {
        page: me.page(),
        id_masked: person.id_number_masked(),
        name: person.name,
        mobile: person.mobile,
        login_name: me.account.login_name.clone(),
        welcome: q.welcome.is_some(),
        applications,
        next,
        asked,
    })
}
