//! The employer's home: the organisation and the submitted applications that name it.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::ApplicationId;
use crate::store::accounts::Employer as EmployerRow;
use crate::store::applications::Keyset;
use crate::web::extract::Employer;
use crate::web::{render, AppError, Page};
use crate::AppState;
use serde::Deserialize;

/// A submitted application of one of the employer's people.
pub struct EmployeeApplication {
    pub id: ApplicationId,
    pub reference: String,
    pub applicant: String,
    pub id_masked: String,
    pub department: String,
    pub post: String,
    pub state: &'static str,
    pub submitted: String,
}

/// Rows a page shows.
const PAGE: i64 = 50;

/// `?before=ID` (older than ID), `?page=last`, `?welcome=1` after registration.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub before: Option<i64>,
    pub page: String,
    pub welcome: Option<String>,
}

impl ListQuery {
    fn keyset(&self) -> Keyset {
        match (self.page.as_str(), self.before) {
            ("last", _) => Keyset::Oldest,
            (_, Some(id)) => Keyset::Before(id),
            _ => Keyset::Newest,
        }
    }
}

#[derive(Template)]
#[template(path = "employer/home.html")]
struct EmployerHome {
    page: Page,
    login_name: String,
    employer: Option<EmployerRow>,
    welcome: bool,
    applications: Vec<EmployeeApplication>,
    /// The id to continue from for the next (older) page, when there is one.
    next: Option<ApplicationId>,
    /// This is not the first page.
    paged: bool,
}

pub async fn show(
    state: web::Data<AppState>,
    Employer(me): Employer,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, keyset) = (me.actor.org, q.keyset());
    let (employer, mut apps) = crate::web::db_read(&state, move |c| {
        Ok((
            crate::store::accounts::employer(c, id)?,
            crate::store::applications::for_employer(c, id, keyset, PAGE + 1)?,
        ))
    })
    .await?;
    // One row more than a page tells whether an older page exists.
    let more = apps.len() as i64 > PAGE && keyset != Keyset::Oldest;
    if keyset == Keyset::Oldest && apps.len() as i64 > PAGE {
        apps.remove(0);
    }
    apps.truncate(PAGE as usize);
    let next = apps.last().map(|a| a.id).filter(|_| more);
    let applications = apps
        .into_iter()
        .map(|a| {
            // Who, where and in which post, as submission froze it; the ID number masked.
            let summary: crate::application::ListSummary = a
                .summary
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            EmployeeApplication {
                id: a.id,
                reference: a.reference.unwrap_or_default(),
                applicant: summary.name,
                id_masked: summary.id_masked,
                department: summary.department,
                post: summary.post,
                state: a.state.label(),
                submitted: a
                    .submitted_at
                    .map(crate::time::local_minutes)
                    .unwrap_or_default(),
            }
        })
        .collect();
    render(&EmployerHome {
        page: me.page(),
        login_name: me.account.login_name.clone(),
        employer,
        welcome: q.welcome.is_some(),
        applications,
        next,
        paged: keyset != Keyset::Newest,
    })
}
