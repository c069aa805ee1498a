//! The submitted dossier, exactly as frozen: for the applicant, their employer and the committee.

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
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    // What was submitted is all it shows: the application with its frozen dossier, no draft.
    let app = crate::web::db_read(&state, move |c| {
        Ok(crate::service::draft::load_app(c, &who, id)?)
    })
    .await?;
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
    })
}
