//! The employer's home: the organisation and the submitted applications that name it.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::ApplicationId;
use crate::store::accounts::Employer as EmployerRow;
use crate::web::extract::Employer;
use crate::web::public::WelcomeQuery;
use crate::web::{db, render, AppError, Page};
use crate::AppState;

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

#[derive(Template)]
#[template(path = "employer/home.html")]
struct EmployerHome {
    page: Page,
    login_name: String,
    employer: Option<EmployerRow>,
    welcome: bool,
    applications: Vec<EmployeeApplication>,
}

pub async fn show(
    state: web::Data<AppState>,
    Employer(me): Employer,
    q: web::Query<WelcomeQuery>,
) -> Result<HttpResponse, AppError> {
    let id = me.actor.id;
    let (employer, apps) = db(&state, move |c| {
        Ok((
            crate::store::accounts::employer(c, id)?,
            crate::store::applications::for_employer(c, id)?,
        ))
    })
    .await?;
    let applications = apps
        .into_iter()
        .map(|(a, applicant)| {
            // Who, where and in which post, as the dossier froze it; the ID number masked.
            let snap: crate::application::Snapshot = a
                .snapshot
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            let employment = snap.sections.employment.unwrap_or_default();
            EmployeeApplication {
                id: a.id,
                reference: a.reference.unwrap_or_default(),
                applicant,
                id_masked: snap.id_masked,
                department: employment.department,
                post: employment.post,
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
    })
}
