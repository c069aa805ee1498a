//! Withdrawing a submitted application (撤回申报) while the employer has not acted on it: a
//! page that says what withdrawing means, and the one transition that does it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::task_list_url;
use crate::domain::{Action, ApplicationId};
use crate::service::ActionError;
use crate::web::extract::Applicant;
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "applicant/withdraw.html")]
struct WithdrawPage {
    page: Page,
    id: ApplicationId,
    reference: String,
    version: i32,
    /// Why withdrawing was refused (the employer acted first, say).
    refused: Option<String>,
    /// Asked by the committee to correct it: withdrawing gives up this round.
    correcting: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    pub version: i32,
}

/// Whether the application can be withdrawn now (the same rule the service applies).
pub fn can_withdraw(state: crate::domain::State) -> bool {
    crate::workflow::actions(state, crate::domain::Role::Applicant)
        .iter()
        .any(|t| t.action == Action::Withdraw)
}

pub async fn confirm(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let loaded = crate::web::load_application(&state, who, id).await?;
    let st = state.clone();
    let acted = crate::web::db_read(&state, move |c| {
        let catalogue = st.catalogue(c)?;
        Ok(crate::service::employer_stage::for_applicant(c, &who, id, &catalogue)?.employer_acted)
    })
    .await?;
    if !can_withdraw(loaded.app.state) || acted {
        return Err(AppError::SeeOther(task_list_url(id)));
    }
    render(&WithdrawPage {
        page: me.page(),
        id,
        reference: loaded.app.reference.clone().unwrap_or_default(),
        version: loaded.app.version,
        refused: None,
        correcting: loaded.app.state == crate::domain::State::Correction,
    })
}

pub async fn withdraw(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let (who, id, now) = (me.actor, *id, state.now());
    let result = db(&state, move |c| {
        Ok(crate::service::submission::withdraw(
            c,
            &who,
            id,
            form.version,
            now,
        ))
    })
    .await?;
    let refused = match result {
        Ok(()) => return Ok(see_other(&task_list_url(id))),
        Err(ActionError::Refused(why)) => why,
        Err(ActionError::Stale) => {
            "申报刚刚有了变化（例如单位已开始办理），本次未撤回。请返回查看最新进度。".to_string()
        }
        Err(e) => return Err(e.into()),
    };
    let loaded = crate::web::load_application(&state, who, id).await?;
    render_status(
        StatusCode::CONFLICT,
        &WithdrawPage {
            page: me.page(),
            id,
            reference: loaded.app.reference.clone().unwrap_or_default(),
            version: loaded.app.version,
            refused: Some(refused),
            correcting: loaded.app.state == crate::domain::State::Correction,
        },
    )
}
