//! Starting an application, and its task list with the verdict and the timeline.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::task_list_url;
use crate::application::{Section, SectionStatus};
use crate::domain::ApplicationId;
use crate::service::draft::Loaded;
use crate::web::extract::Applicant;
use crate::web::shared::timeline::{self, TimelineRow};
use crate::web::shared::verdict::VerdictView;
use crate::web::{db, render, see_other, AppError, CsrfForm, Page};
use crate::AppState;

pub struct TaskRow {
    pub slug: &'static str,
    pub title: &'static str,
    pub status: SectionStatus,
    pub missing: String,
    /// What the employer or the committee asked to fix in this section.
    pub to_fix: Vec<String>,
}

#[derive(Template)]
#[template(path = "applicant/task_list.html")]
struct TaskListPage {
    page: Page,
    id: ApplicationId,
    reference: Option<String>,
    state_label: &'static str,
    editable: bool,
    tasks: Vec<TaskRow>,
    complete: bool,
    verdict: Option<VerdictView>,
    verdict_basis: String,
    timeline: Vec<TimelineRow>,
    /// Submitted to an employer not yet verified here: its credit code.
    awaiting_employer: Option<String>,
    /// The employer has not acted yet: the applicant may withdraw.
    can_withdraw: bool,
    /// What the applicant must do next.
    next_step: String,
    /// Returned for revision, or asked to correct: resubmit by this day.
    reply_deadline: Option<chrono::NaiveDate>,
    /// Who asked ("单位" or "评委会") and whether it was the committee's formal check.
    asker: &'static str,
    by_committee: bool,
    /// The employer's record makes the application ineligible: why.
    ineligible_on_record: Option<String>,
    /// Appointed by the employer: the record can be printed.
    appointed: bool,
    /// While drafting: the chosen round does not take this target, or its committee's scope
    /// does not list the occupation — the same answers the check-answers page and submission
    /// give.
    round_warnings: Vec<String>,
}

pub async fn create(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    _form: CsrfForm<crate::web::public::Empty>,
) -> Result<HttpResponse, AppError> {
    let (who, now) = (me.actor, state.now());
    let id = db(&state, move |c| {
        Ok(crate::service::draft::create(c, &who, now)?)
    })
    .await?;
    Ok(see_other(&task_list_url(id)))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CopyForm {
    pub from: i64,
}

/// A new application starting from a copy of an earlier one of the applicant's.
pub async fn create_copy(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    CsrfForm(form): CsrfForm<CopyForm>,
) -> Result<HttpResponse, AppError> {
    let (who, now, limits) = (me.actor, state.now(), state.config.evidence_limits());
    let from = ApplicationId(form.from);
    let id = db(&state, move |c| {
        Ok(crate::service::draft::create_copy(
            c, &who, from, limits, now,
        )?)
    })
    .await?;
    Ok(see_other(&task_list_url(id)))
}

fn round_warnings(loaded: &Loaded, today: chrono::NaiveDate) -> Vec<String> {
    if !loaded.app.state.editable() {
        return Vec::new();
    }
    let mut out: Vec<String> = loaded
        .blockers(today)
        .into_iter()
        .filter(|b| {
            matches!(
                b,
                crate::application::submission::Blocker::RoundNotForTarget(_)
            )
        })
        .map(|b| b.message())
        .collect();
    out.extend(loaded.scope_warning());
    out
}

/// The verdict to show: the live one while drafting; once the employer verified, the one on
/// its record, which decides now (next to a refusal on that record, the verdict frozen on the
/// declaration would contradict it); otherwise the one frozen at submission.
fn verdict(
    loaded: &Loaded,
    stage: &crate::service::employer_stage::ForApplicant,
    today: chrono::NaiveDate,
) -> (Option<VerdictView>, String) {
    if let Some(v) = &stage.verdict_on_record {
        let basis = "按单位核实的记录测算（年度考核以单位档案为准，证书以单位确认的为准）；提交时的判断见申报材料".to_string();
        return (Some(VerdictView::new(v)), basis);
    }
    if !loaded.app.state.editable() {
        let basis = "提交时的资格判断（已随申报冻结）".to_string();
        return (VerdictView::frozen(loaded.app.verdict.as_deref()), basis);
    }
    let basis = match &loaded.round {
        Some(r) => format!("按{}的资格计算日期 {} 测算", r.name, r.reference_date),
        None => format!("按今天（{today}）测算；选择评审批次后按批次的资格计算日期测算"),
    };
    (loaded.verdict(today).map(|v| VerdictView::new(&v)), basis)
}

/// The code of an employer the submitted application waits for (not verified yet).
pub fn awaiting_employer(
    state: crate::domain::State,
    employer: Option<crate::domain::AccountId>,
    code: Option<&String>,
) -> Option<String> {
    let waiting = state == crate::domain::State::EmployerReview && employer.is_none();
    code.cloned().filter(|_| waiting)
}

/// Each section with its status, what it still needs, and what the employer asked to fix.
fn tasks(loaded: &Loaded) -> Vec<TaskRow> {
    let s = loaded.sections();
    Section::ALL
        .iter()
        .map(|sec| {
            let to_fix: Vec<String> = loaded
                .returned
                .iter()
                .flat_map(|r| &r.items)
                .filter(|i| i.section == sec.slug())
                .map(|i| i.note.clone())
                .collect();
            // Asked to change and not changed since: it needs it still, whatever else holds.
            let status = match to_fix.is_empty() || loaded.revised.contains(sec) {
                true => s.status(*sec),
                false => SectionStatus::ToFix,
            };
            TaskRow {
                slug: sec.slug(),
                title: sec.title(),
                status,
                missing: s.missing(*sec).join("、"),
                to_fix,
            }
        })
        .collect()
}

pub async fn show(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let st = state.clone();
    let (loaded, steps, stage) = crate::web::db_read(&state, move |c| {
        let catalogue = st.catalogue(c)?;
        let loaded = crate::service::draft::load_with(c, &who, id, catalogue.clone(), |c, r| {
            st.round(c, r)
        })?;
        let stage = crate::service::employer_stage::for_viewed(c, &loaded.app, &catalogue)?;
        Ok((loaded, timeline::rows(c, id)?, stage))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let (verdict, verdict_basis) = verdict(&loaded, &stage, today);
    let s = loaded.sections();
    let tasks = tasks(&loaded);
    let awaiting = awaiting_employer(
        loaded.app.state,
        loaded.app.employer,
        loaded.app.employer_code.as_ref(),
    );
    let reply_deadline = loaded.returned.as_ref().map(|r| r.deadline);
    let next_step = super::next_step::text(
        loaded.app.state,
        awaiting.is_some(),
        &stage,
        reply_deadline,
        today,
    );
    render(&TaskListPage {
        page: me.page(),
        id,
        reference: loaded.app.reference.clone(),
        state_label: super::next_step::state_label(
            loaded.app.state,
            loaded.app.reference.is_some(),
        ),
        editable: loaded.app.state.editable(),
        complete: s.all_complete(),
        tasks,
        verdict,
        verdict_basis,
        timeline: steps,
        can_withdraw: super::withdraw::can_withdraw(loaded.app.state) && !stage.employer_acted,
        awaiting_employer: awaiting,
        next_step,
        reply_deadline,
        asker: loaded.returned.as_ref().map_or("单位", |r| r.asker()),
        by_committee: loaded.returned.as_ref().is_some_and(|r| r.by_committee),
        ineligible_on_record: stage.ineligible_on_record.clone(),
        appointed: loaded.app.state == crate::domain::State::Appointed,
        round_warnings: round_warnings(&loaded, today),
    })
}
