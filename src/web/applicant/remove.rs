//! Removing one item (and its evidence) from a list section: 删除 asks first, on a page of its
//! own, naming the item and its files; only 确认删除 removes it.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{load_for_edit, save, section_url};
use crate::application::{Edit, Section};
use crate::domain::ApplicationId;
use crate::web::extract::Applicant;
use crate::web::{render, see_other, AppError, CsrfForm, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    pub version: i32,
    pub item: String,
    /// `yes` from the confirmation page; anything else asks first.
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "applicant/remove.html")]
struct ConfirmPage {
    page: Page,
    id: ApplicationId,
    slug: &'static str,
    section_title: &'static str,
    item: String,
    version: i32,
    what: String,
    files: usize,
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
    let loaded = load_for_edit(&state, &me, id).await?;
    if form.confirm != "yes" {
        let described =
            crate::application::edit::describe_item(loaded.sections(), section, &form.item);
        let Some((what, files)) = described else {
            return Ok(see_other(&section_url(id, section)));
        };
        return render(&ConfirmPage {
            page: me.page(),
            id,
            slug: section.slug(),
            section_title: section.title(),
            item: form.item,
            version: form.version,
            what,
            files,
        });
    }
    let edit = Edit::Remove {
        section,
        item: form.item,
    };
    save(&state, &me, id, form.version, edit, vec![]).await?;
    Ok(see_other(&section_url(id, section)))
}
