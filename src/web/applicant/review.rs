//! Starting an application, its task list and timeline, check answers, submission, the
//! confirmation with the reference number, and the frozen dossier.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::summary::{self, SummaryRow};
use super::{applicant, load, task_list_url, Loaded};
use crate::application::{submittable, Section, SectionStatus, Snapshot};
use crate::store::applications::{self, SubmitError};
use crate::web::verdict_view::VerdictView;
use crate::web::{
    db, render, render_status, see_other, AppError, CsrfForm, CurrentUser, FormErrors, Page,
};
use crate::AppState;

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    _form: CsrfForm<crate::web::public::Empty>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let now = state.now();
    let id = db(&state, move |conn| {
        Ok(applications::create(conn, &account, now)?)
    })
    .await?;
    Ok(see_other(&task_list_url(id)))
}

pub struct TaskRow {
    pub slug: &'static str,
    pub title: &'static str,
    pub status: SectionStatus,
    pub missing: String,
}

pub struct TimelineRow {
    pub at: String,
    pub role: &'static str,
    pub label: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "applicant/task_list.html")]
struct TaskListPage {
    page: Page,
    id: i64,
    reference: Option<String>,
    state_label: &'static str,
    editable: bool,
    tasks: Vec<TaskRow>,
    complete: bool,
    verdict: Option<VerdictView>,
    verdict_basis: String,
    timeline: Vec<TimelineRow>,
}

fn timeline_rows(rows: Vec<crate::store::audit::AuditRow>) -> Vec<TimelineRow> {
    rows.into_iter()
        .map(|r| {
            let action = r.action.trim_start_matches("application.");
            TimelineRow {
                at: crate::time::local_minutes(r.at),
                // The role only, never the person: expert names are confidential.
                role: r
                    .actor_role
                    .as_deref()
                    .and_then(crate::domain::Role::parse)
                    .map(|x| x.label())
                    .unwrap_or("系统"),
                label: crate::workflow::label_of(action)
                    .unwrap_or(if action == "create" {
                        "创建申报"
                    } else {
                        action
                    })
                    .to_string(),
                detail: r.detail,
            }
        })
        .collect()
}

pub async fn task_list(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, false).await?;
    let timeline = db(&state, move |conn| Ok(applications::timeline(conn, id)?)).await?;
    let today = crate::time::local_date(state.now());
    let editable = loaded.app.state().editable();
    let (verdict, basis) = if editable {
        let basis = match &loaded.round {
            Some(r) => format!("按{}的资格计算日期 {} 测算", r.name, r.reference_date),
            None => format!("按今天（{today}）测算；选择评审批次后按批次的资格计算日期测算"),
        };
        (loaded.verdict(today).map(|v| VerdictView::new(&v)), basis)
    } else {
        let frozen = loaded
            .app
            .verdict
            .as_deref()
            .and_then(|j| serde_json::from_str::<crate::policy::Verdict>(j).ok());
        (
            frozen.map(|v| VerdictView::new(&v)),
            "提交时的资格判断（已随申报冻结）".to_string(),
        )
    };
    let tasks = Section::ALL
        .iter()
        .map(|s| TaskRow {
            slug: s.slug(),
            title: s.title(),
            status: loaded.sections().status(*s),
            missing: loaded.sections().missing(*s).join("、"),
        })
        .collect();
    render(&TaskListPage {
        page: user.page(),
        id,
        reference: loaded.app.reference.clone(),
        state_label: loaded.app.state().label(),
        editable,
        complete: loaded.sections().all_complete(),
        tasks,
        verdict,
        verdict_basis: basis,
        timeline: timeline_rows(timeline),
    })
}

pub struct SectionSummary {
    pub slug: &'static str,
    pub title: &'static str,
    pub rows: Vec<SummaryRow>,
}

fn section_summaries(loaded: &Loaded) -> Vec<SectionSummary> {
    Section::ALL
        .iter()
        .map(|s| SectionSummary {
            slug: s.slug(),
            title: s.title(),
            rows: summary::rows(
                *s,
                loaded.sections(),
                loaded.round.as_ref().map(|r| r.name.as_str()),
            ),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "applicant/review.html")]
struct ReviewPage {
    page: Page,
    id: i64,
    summaries: Vec<SectionSummary>,
    verdict: Option<VerdictView>,
    can_submit: bool,
    blocked: String,
    version: i32,
    fingerprint: i64,
    errors: FormErrors,
    notice: Option<&'static str>,
}

fn review_page(
    user: &CurrentUser,
    loaded: &Loaded,
    today: chrono::NaiveDate,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> ReviewPage {
    let verdict = loaded.verdict(today);
    let complete = loaded.sections().all_complete();
    let can_submit = complete
        && verdict
            .as_ref()
            .is_some_and(|v| submittable(v, loaded.sections()));
    let blocked = if !complete {
        "还有未完成的部分，完成所有部分后才能提交。".to_string()
    } else if loaded.round.is_none() {
        "请在“申报目标”中选择评审批次。".to_string()
    } else {
        match &verdict {
            Some(v) if !can_submit => {
                let mut s = format!("根据资格判断，暂不能提交：{}", v.message);
                if let Some(d) = v.eligible_from {
                    s.push_str(&format!(" 您可于 {d} 起提交。"));
                }
                s
            }
            _ => String::new(),
        }
    };
    ReviewPage {
        page: user.page(),
        id: loaded.app.id,
        summaries: section_summaries(loaded),
        verdict: verdict.as_ref().map(VerdictView::new),
        can_submit: can_submit && loaded.round.is_some(),
        blocked,
        version: loaded.app.version,
        fingerprint: loaded.draft.fingerprint(),
        errors,
        notice,
    }
}

pub async fn review(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    let today = crate::time::local_date(state.now());
    render(&review_page(
        &user,
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
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, true).await?;
    let today = crate::time::local_date(state.now());
    let mut errors = FormErrors::default();
    if form.pledge != "yes" {
        errors.add("pledge", "请阅读并同意诚信承诺");
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &review_page(&user, &loaded, today, errors, None),
        );
    }
    let now = state.now();
    let submitter = account.clone();
    let result = db(&state, move |conn| {
        Ok(applications::submit(
            conn,
            id,
            &submitter,
            form.version,
            form.fingerprint,
            now,
        ))
    })
    .await?;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/applicant/applications/{id}/submitted"
        ))),
        Err(SubmitError::Changed) => {
            let loaded = load(&state, &account, id, true).await?;
            render_status(
                StatusCode::CONFLICT,
                &review_page(
                    &user,
                    &loaded,
                    today,
                    errors,
                    Some("申报内容已在其他窗口中修改。请重新检查以下内容后再提交。"),
                ),
            )
        }
        Err(SubmitError::Refused(reason)) => {
            errors.add("submit", reason);
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &review_page(&user, &loaded, today, errors, None),
            )
        }
        Err(SubmitError::Db(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "applicant/submitted.html")]
struct SubmittedPage {
    page: Page,
    id: i64,
    reference: String,
}

pub async fn submitted(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), false).await?;
    let Some(reference) = loaded.app.reference.clone() else {
        return Err(AppError::SeeOther(task_list_url(loaded.app.id)));
    };
    render(&SubmittedPage {
        page: user.page(),
        id: loaded.app.id,
        reference,
    })
}

#[derive(Template)]
#[template(path = "applicant/dossier.html")]
struct DossierPage {
    page: Page,
    reference: String,
    state_label: &'static str,
    submitted_at: String,
    snapshot: Snapshot,
    summaries: Vec<SectionSummary>,
    verdict: Option<VerdictView>,
}

/// The submitted dossier, exactly as frozen: for the applicant, their employer and the committee.
pub async fn dossier(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let loaded = load(&state, &user.account, path.into_inner(), false).await?;
    let (Some(reference), Some(snapshot_json)) =
        (loaded.app.reference.clone(), loaded.app.snapshot.clone())
    else {
        return Err(AppError::NotFound);
    };
    let snapshot: Snapshot = serde_json::from_str(&snapshot_json)
        .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
    let summaries = Section::ALL
        .iter()
        .map(|s| SectionSummary {
            slug: s.slug(),
            title: s.title(),
            rows: summary::rows(*s, &snapshot.sections, Some(&snapshot.round_name)),
        })
        .collect();
    let verdict = loaded
        .app
        .verdict
        .as_deref()
        .and_then(|j| serde_json::from_str::<crate::policy::Verdict>(j).ok());
    render(&DossierPage {
        page: user.page(),
        reference,
        state_label: loaded.app.state().label(),
        submitted_at: loaded
            .app
            .submitted_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
        snapshot,
        summaries,
        verdict: verdict.as_ref().map(VerdictView::new),
    })
}
