//! The submitted dossier, exactly as frozen: for the applicant, their employer and the committee.

use crate::domain::Role;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::summary::{self, SectionSummary};
use super::verdict::VerdictView;
use crate::application::{Section, Snapshot};
use crate::domain::ApplicationId;
use crate::web::extract::Me;
use crate::web::{render, AppError, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "shared/dossier.html")]
struct DossierPage {
    page: Page,
    reference: String,
    state_label: &'static str,
    submitted_at: String,
    snapshot: Snapshot,
    summaries: Vec<SectionSummary>,
    verdict: Option<VerdictView>,
    /// Where this reader goes back to.
    back: (String, &'static str),
    /// For the committee's readers: why the committee cannot act today, if so.
    committee_refusal: Option<&'static str>,
    /// The formal check's decision on record: a refusal with its reason and clause, or the
    /// correction asked for and its deadline.
    formal_check: Option<String>,
}

/// Where each reader of a dossier came from.
fn back_link(
    role: Role,
    committee: Option<&crate::store::committees::Committee>,
    id: ApplicationId,
) -> (String, &'static str) {
    match (role, committee) {
        (Role::Office | Role::Supervisor, Some(c)) => (
            format!("/committees/{}/applications", c.id),
            "返回本评委会的申报",
        ),
        (Role::Employer, _) => (format!("/employer/applications/{id}"), "返回该申报"),
        (Role::Applicant, _) => (format!("/applicant/applications/{id}"), "返回申报"),
        _ => ("/".to_string(), "返回首页"),
    }
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    // What was submitted is all it shows: the application with its frozen dossier, no draft.
    let (app, committee, formal_check) = crate::web::db_read(&state, move |c| {
        let app = crate::service::draft::load_app(c, &who, id)?;
        let committee = match app.committee {
            Some(cid) => crate::store::committees::find(c, cid)?,
            None => None,
        };
        let formal_check = crate::service::formal_check::on_record(c, &app)?;
        Ok((app, committee, formal_check))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let back = back_link(me.actor.role, committee.as_ref(), id);
    let committee_refusal = match me.actor.role {
        Role::Office | Role::Supervisor => committee
            .as_ref()
            .and_then(|c| c.standing(today).may_act().err()),
        _ => None,
    };
    let (Some(reference), Some(snapshot_json)) = (app.reference, app.snapshot) else {
        return Err(AppError::NotFound);
    };
    let snapshot: Snapshot = serde_json::from_str(&snapshot_json)
        .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
    let summaries = Section::ALL
        .iter()
        .map(|s| {
            SectionSummary::new(
                *s,
                summary::rows(*s, &snapshot.sections, Some(&snapshot.round_name)),
            )
        })
        .collect();
    render(&DossierPage {
        page: me.page(),
        reference,
        state_label: app.state.label(),
        submitted_at: app
            .submitted_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
        snapshot,
        summaries,
        verdict: VerdictView::frozen(app.verdict.as_deref()),
        back,
        committee_refusal,
        formal_check,
    })
}
