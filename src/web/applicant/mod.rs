//! The applicant's application pages: the task list, one page per section, check answers,
//! submission, and the frozen dossier.

pub mod lists;
pub mod review;
pub mod sections;
pub mod summary;

use actix_web::web;

use super::{db, AppError, CurrentUser};
use crate::access;
use crate::application::Sections;
use crate::domain::Role;
use crate::policy::{Catalogue, Verdict};
use crate::store::accounts::Account;
use crate::store::applications::{self, ApplicationRow, Draft, Round};
use crate::AppState;

/// An application with what its pages need.
pub struct Loaded {
    pub app: ApplicationRow,
    pub draft: Draft,
    pub round: Option<Round>,
    pub catalogue: Catalogue,
}

impl Loaded {
    /// The engine's verdict on the draft: on the round's reference date, or today before a round
    /// is chosen. `None` until occupation, series and level are known.
    pub fn verdict(&self, today: chrono::NaiveDate) -> Option<Verdict> {
        let date = self
            .round
            .as_ref()
            .map(|r| r.reference_date)
            .unwrap_or(today);
        self.draft
            .sections
            .profile(date)
            .map(|p| crate::policy::evaluate(&p, &self.catalogue))
    }

    pub fn sections(&self) -> &Sections {
        &self.draft.sections
    }
}

/// Loads an application the account may see (404 otherwise, so existence does not leak). With
/// `edit`, a draft that can no longer be edited sends the person to its task list.
pub async fn load(
    state: &web::Data<AppState>,
    account: &Account,
    id: i64,
    edit: bool,
) -> Result<Loaded, AppError> {
    let account = account.clone();
    let loaded = db(state, move |conn| {
        let Some(app) = applications::find(conn, id)? else {
            return Err(AppError::NotFound);
        };
        access::may_view_application(&account, &app).map_err(|_| AppError::NotFound)?;
        let draft = applications::draft(conn, id)?;
        let round = match app.round_id {
            Some(r) => applications::round(conn, r)?,
            None => None,
        };
        let catalogue = crate::store::catalogue::load(conn)?;
        Ok(Loaded {
            app,
            draft,
            round,
            catalogue,
        })
    })
    .await?;
    if edit && !loaded.app.state().editable() {
        return Err(AppError::SeeOther(task_list_url(id)));
    }
    Ok(loaded)
}

/// The applicant area's guard: the logged-in account must be an applicant.
pub fn applicant(user: &CurrentUser) -> Result<&Account, AppError> {
    user.require(Role::Applicant)
}

pub fn task_list_url(id: i64) -> String {
    format!("/applicant/applications/{id}")
}
