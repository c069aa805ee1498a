//! Removing one item (and its evidence) from a list section.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::section::{load_for_edit, save, section_url};
use crate::application::{Edit, Section};
use crate::domain::ApplicationId;
use crate::web::extract::Applicant;
use crate::web::{see_other, AppError, CsrfForm};
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{section}/remove", web::post().to(remove));
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    pub version: i32,
    pub item: String,
}

/// A stale page or an item already gone: the fresh page shows what is stored now.
pub async fn remove(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    path: web::Path<(ApplicationId, String)>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let (id, slug) = path.into_inner();
    let section = Section::parse(&slug)
        .filter(|s| !matches!(s, Section::Basic | Section::Employment))
        .ok_or(AppError::NotFound)?;
    load_for_edit(&state, &me, id).await?;
    let edit = Edit::Remove {
        section,
        item: form.item,
    };
    save(&state, &me, id, form.version, edit, vec![]).await?;
    Ok(see_other(&section_url(id, section)))
}
