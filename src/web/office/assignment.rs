//! The office's assignment page of a round: the panel with each member's load, the cases below
//! the round's minimum of experts with why, the conflicts found by name waiting for a
//! decision, and two actions: check conflicts again, assign the whole round at once.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{CommitteeId, RoundId};
use crate::panel::conflicts::Status;
use crate::service::assignment::{self as assign, RoundView};
use crate::service::ActionError;
use crate::web::extract::{Me, Office};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, Page};
use crate::AppState;

pub fn url(committee: CommitteeId, round: RoundId) -> String {
    format!("/committees/{committee}/rounds/{round}/assignment")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Where the page of cases below the minimum starts: `count-application`.
    pub after: String,
    pub done: String,
}

impl Query {
    fn after(&self) -> Option<(i32, i64)> {
        count_after(&self.after)
    }
}

/// Where a list ordered by a count, then by application, starts: `count-application` in a
/// page's link (anything else is the first page).
pub fn count_after(typed: &str) -> Option<(i32, i64)> {
    let (n, id) = typed.split_once('-')?;
    Some((n.parse().ok()?, id.parse().ok()?))
}

#[derive(Template)]
#[template(path = "office/assignment.html")]
pub struct AssignmentPage {
    page: Page,
    committee: CommitteeId,
    v: RoundView,
    done: Option<String>,
    refused: Option<String>,
    /// A page after the first: the link back to the start.
    paged: bool,
}

impl AssignmentPage {
    fn count(&self, s: &str) -> i64 {
        self.v
            .counts
            .iter()
            .find(|(st, _)| Some(*st) == Status::parse(s))
            .map_or(0, |(_, n)| *n)
    }
}

async fn view(
    state: &web::Data<AppState>,
    me: &Me,
    (committee, round): (CommitteeId, RoundId),
    after: Option<(i32, i64)>,
) -> Result<AssignmentPage, AppError> {
    let (who, st) = (me.actor, state.clone());
    let v = crate::web::db_read(state, move |c| {
        let settings = st.settings(c)?;
        let load = |c: &mut crate::store::DbConnection, r| st.round(c, r);
        Ok(assign::round_view(
            c,
            &who,
            committee,
            round,
            after,
            (&settings, &load),
        )?)
    })
    .await?;
    Ok(AssignmentPage {
        page: me.page(),
        committee,
        v,
        done: None,
        refused: None,
        paged: after.is_some(),
    })
}

pub async fn show(
    state: web::Data<AppState>,
    Office(me): Office,
    path: web::Path<(CommitteeId, RoundId)>,
    q: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let mut p = view(&state, &me, *path, q.after()).await?;
    if !q.done.is_empty() {
        let prefix = format!("assignment:{}:", path.1);
        let taken = crate::web::flash_take(&state, &me).await?;
        p.done = taken.and_then(|t| t.strip_prefix(&prefix).map(str::to_string));
    }
    render_status(StatusCode::OK, &p)
}

#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

/// Sends the result back as the page's message, or the page with why it was refused.
async fn after(
    state: &web::Data<AppState>,
    me: &Me,
    ids: (CommitteeId, RoundId),
    result: Result<String, ActionError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(done) => {
            crate::web::flash_put(state, me, format!("assignment:{}:{done}", ids.1)).await?;
            Ok(see_other(&format!("{}?done=1#done", url(ids.0, ids.1))))
        }
        Err(ActionError::Refused(m)) => {
            let mut p = view(state, me, ids, None).await?;
            p.refused = Some(m);
            render_status(StatusCode::CONFLICT, &p)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn auto(
    state: web::Data<AppState>,
    Office(me): Office,
    path: web::Path<(CommitteeId, RoundId)>,
    _f: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (ids, now, who) = (*path, state.now(), me.actor);
    let result = db(&state, move |c| {
        Ok(
            assign::auto_assign(c, &who, ids.0, ids.1, now).map(|r| match r.uncovered.len() {
                0 => format!(
                    "已自动分配：新增 {} 项分配，每份申报均达到最少人数。",
                    r.added
                ),
                n => format!(
                    "已自动分配：新增 {} 项分配；仍有 {n} 份申报未达到最少人数，见下表及其原因。",
                    r.added
                ),
            }),
        )
    })
    .await?;
    after(&state, &me, ids, result).await
}

pub async fn detect(
    state: web::Data<AppState>,
    Office(me): Office,
    path: web::Path<(CommitteeId, RoundId)>,
    _f: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (ids, now, who) = (*path, state.now(), me.actor);
    let result = db(&state, move |c| {
        Ok(assign::detect_round(c, &who, ids.0, ids.1, now)
            .map(|(n, new, off)| match off {
                0 => format!("已重新比对 {n} 份申报，新发现 {new} 项利益冲突。"),
                off => format!(
                    "已重新比对 {n} 份申报，新发现 {new} 项利益冲突；其中 {off} 名已分配的专家因此撤下，相关申报的评审专家需要补足（见下表）。"
                ),
            }))
    })
    .await?;
    after(&state, &me, ids, result).await
}
