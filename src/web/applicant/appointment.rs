//! The applicant's printable record of a 初级 appointment by their employer (单位聘任).

use actix_web::{web, HttpResponse};
use askama::Template;

use super::task_list_url;
use crate::domain::{ApplicationId, State};
use crate::web::extract::Applicant;
use crate::web::{render, AppError, Page};
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/appointment", web::get().to(show));
}

#[derive(Template)]
#[template(path = "applicant/appointment.html")]
struct AppointmentPage {
    page: Page,
    id: ApplicationId,
    reference: String,
    name: String,
    id_masked: String,
    employer: String,
    title: String,
    appointed_on: String,
    document_number: String,
    publicity: String,
}

pub async fn show(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let loaded = crate::web::load_application(&state, who, id).await?;
    if loaded.app.state != State::Appointed {
        return Err(AppError::SeeOther(task_list_url(id)));
    }
    let employer_id = loaded.app.employer;
    let st = state.clone();
    let (stage, employer) = crate::web::db_read(&state, move |c| {
        let catalogue = st.catalogue(c)?;
        let stage = crate::service::employer_stage::for_applicant(c, &who, id, &catalogue)?;
        let employer = match employer_id {
            Some(e) => crate::store::accounts::employer(c, e)?.map(|e| e.name),
            None => None,
        };
        Ok((stage, employer.unwrap_or_default()))
    })
    .await?;
    let decision = stage.decision.ok_or(AppError::NotFound)?;
    let summary: crate::application::ListSummary = loaded
        .app
        .summary
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let target = loaded.sections().target.clone().unwrap_or_default();
    render(&AppointmentPage {
        page: me.page(),
        id,
        reference: loaded.app.reference.clone().unwrap_or_default(),
        name: summary.name,
        id_masked: summary.id_masked,
        employer,
        title: format!("{}系列初级", target.series),
        appointed_on: decision
            .appointed_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
        document_number: decision.document_number.unwrap_or_default(),
        publicity: stage
            .publicity
            .map(|(from, to)| format!("{from} 至 {to}"))
            .unwrap_or_default(),
    })
}
