//! The printable record of a 初级 appointment by the employer (单位聘任): the applicant and the
//! employer that appointed them both print it.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::{ApplicationId, Role};
use crate::service::employer_stage::AppointmentRecord;
use crate::web::extract::Me;
use crate::web::{render, AppError, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "shared/appointment.html")]
struct AppointmentPage {
    page: Page,
    record: AppointmentRecord,
    /// Where the back link leads: the applicant's task list or the employer's page.
    back: String,
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let record = crate::web::db_read(&state, move |c| {
        Ok(crate::service::employer_stage::appointment_record(
            c, &who, id,
        )?)
    })
    .await?;
    let back = match who.role {
        Role::Employer => crate::web::employer::application::url(id),
        _ => crate::web::applicant::task_list_url(id),
    };
    render(&AppointmentPage {
        page: me.page(),
        record,
        back,
    })
}
