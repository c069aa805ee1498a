//! Check your answers, the integrity pledge and submission, and the confirmation with the
//! reference number. What blocks submission comes from the same function the service asks.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::load_for_edit;
use super::task_list_url;
use crate::application::Section;
use crate::domain::ApplicationId;
use crate::service::draft::Loaded;
use crate::service::submission::{self, Submit};
use crate::service::ActionError;
use crate::web::extract::{Applicant, Me};
use crate::web::shared::summary::{self, SectionSummary};
use crate::web::shared::verdict::VerdictView;
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "applicant/review.html")]
struct ReviewPage {
    page: Page,
    id: ApplicationId,
    summaries: Vec<SectionSummary>,
    verdict: Option<VerdictView>,
    can_submit: bool,
    blocked: String,
    scope_warning: Option<String>,
    version: i32,
    fingerprint: i64,
    errors: FormErrors,
    notice: Option<&'static str>,
    /// A correction the committee asked for goes back to the committee, not the employer.
    to_committee: bool,
}

fn review_page(
    me: &Me,
    loaded: &Loaded,
    today: chrono::NaiveDate,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> ReviewPage {
    let blockers = loaded.blockers(today);
    let round = loaded.round.as_ref().map(|r| r.name.as_str());
    ReviewPage {
        page: me.page(),
        id: loaded.app.id,
        summaries: Section::ALL
            .iter()
            .map(|s| SectionSummary::new(*s, summary::rows(*s, loaded.sections(), round)))
            .collect(),
        verdict: loaded.verdict(today).as_ref().map(VerdictView::new),
        can_submit: blockers.is_empty(),
        blocked: blockers.first().map(|b| b.message()).unwrap_or_default(),
        scope_warning: loaded.scope_warning(),
        version: loaded.app.version,
        fingerprint: loaded.draft.fingerprint(),
        errors,
        notice,
        to_committee: loaded.app.state == crate::domain::State::Correction,
    }
}

pub async fn review(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let today = crate::time::local_date(state.now());
    render(&review_page(
        &me,
        &loaded,
        today,
        FormErrors::default(),
        None,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SubmitForm {
    pub version: i32,
    pub fingerprint: i64,
    pub pledge: String,
}

pub async fn submit(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let loaded = load_for_edit(&state, &me, id).await?;
    let (now, today) = (state.now(), crate::time::local_date(state.now()));
    let mut errors = FormErrors::default();
    if form.pledge != "yes" {
        errors.add("pledge", "请阅读并同意诚信承诺");
        let page = review_page(&me, &loaded, today, errors, None);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let who = me.actor;
    let cmd = Submit {
        id,
        seen_version: form.version,
        seen_fingerprint: form.fingerprint,
    };
    match db(&state, move |c| Ok(submission::submit(c, &who, cmd, now))).await? {
        Ok(_) => Ok(see_other(&format!("{}/submitted", task_list_url(id)))),
        Err(ActionError::Stale) => {
            let loaded = load_for_edit(&state, &me, id).await?;
            let notice = Some("申报内容已在其他窗口中修改。请重新检查以下内容后再提交。");
            render_status(
                StatusCode::CONFLICT,
                &review_page(&me, &loaded, today, errors, notice),
            )
        }
        Err(ActionError::Refused(reason)) => {
            errors.add("submit", reason);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &review_page(&me, &loaded, today, errors, None),
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "applicant/submitted.html")]
struct SubmittedPage {
    page: Page,
    id: ApplicationId,
    reference: String,
    /// Resubmitted to the committee after a correction.
    to_committee: bool,
}

pub async fn submitted(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let loaded = crate::web::load_application(&state, who, id).await?;
    let Some(reference) = loaded.app.reference else {
        return Err(AppError::SeeOther(task_list_url(id)));
    };
    render(&SubmittedPage {
        page: me.page(),
        id,
        reference,
        to_committee: loaded.app.state == crate::domain::State::OfficeCheck,
    })
}
