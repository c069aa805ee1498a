//! The applicant's old address of the appointment record: the record is shared with the
//! employer now (`/applications/{id}/appointment`).

use actix_web::{web, HttpResponse};

use crate::domain::ApplicationId;
use crate::web::extract::Applicant;
use crate::web::{see_other, AppError};

pub async fn show(
    Applicant(_me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    Ok(see_other(&format!("/applications/{}/appointment", *id)))
}
