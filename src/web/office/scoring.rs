//! The office's scoring page of a round: how many open cases have their minimum of submitted
//! reviews and how many do not, the latter named with the experts whose reviews are missing,
//! and two actions: close scoring now (complete cases go to the meeting, with a reason), and
//! extend the deadline for chosen cases.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{CommitteeId, FieldErrors, RoundId};
use crate::service::scoring::{self, RoundScoring};
use crate::service::ActionError;
use crate::store::DbConnection;
use crate::web::extract::{Me, Office};
use crate::web::forms::field;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, Page};
use crate::AppState;

pub fn url(committee: CommitteeId, round: RoundId) -> String {
    format!("/committees/{committee}/rounds/{round}/scoring")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Query {
    /// Where the page of incomplete cases starts: `submitted-application`.
    pub after: String,
    pub done: String,
}

impl Query {
    fn after(&self) -> Option<(i32, i64)> {
        super::assignment::count_after(&self.after)
    }
}

#[derive(Template)]
#[template(path = "office/scoring.html")]
pub struct ScoringPage {
    page: Page,
    committee: CommitteeId,
    v: RoundScoring,
    done: Option<String>,
    refused: Option<String>,
    errors: FieldErrors,
    reason: String,
    until: String,
    chosen: Vec<String>,
    paged: bool,
}

impl ScoringPage {
    fn is_chosen(&self, id: &crate::domain::ApplicationId) -> bool {
        self.chosen.contains(&id.0.to_string())
    }
}

async fn view(
    state: &web::Data<AppState>,
    me: &Me,
    (committee, round): (CommitteeId, RoundId),
    after: Option<(i32, i64)>,
) -> Result<ScoringPage, AppError> {
    let (who, st, now) = (me.actor, state.clone(), state.now());
    let v = crate::web::db_read(state, move |c| {
        let settings = st.settings(c)?;
        let load = |c: &mut DbConnection, r| st.round(c, r);
        Ok(scoring::round_scoring(
            c,
            &who,
            committee,
            round,
            after,
            (&settings, &load),
            now,
        )?)
    })
    .await?;
    Ok(ScoringPage {
        page: me.page(),
        committee,
        v,
        done: None,
        refused: None,
        errors: FieldErrors::default(),
        reason: String::new(),
        until: String::new(),
        chosen: Vec::new(),
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
        let prefix = format!("scoring:{}:", path.1);
        let taken = crate::web::flash_take(&state, &me).await?;
        p.done = taken.and_then(|t| t.strip_prefix(&prefix).map(str::to_string));
    }
    render_status(StatusCode::OK, &p)
}

/// Back to the page with what was done, or the page with what was typed and why not.
async fn after(
    state: &web::Data<AppState>,
    me: &Me,
    ids: (CommitteeId, RoundId),
    form: &[(String, String)],
    result: Result<String, ActionError>,
) -> Result<HttpResponse, AppError> {
    let (status, errors, refused) = match result {
        Ok(done) => {
            crate::web::flash_put(state, me, format!("scoring:{}:{done}", ids.1)).await?;
            return Ok(see_other(&format!("{}?done=1#done", url(ids.0, ids.1))));
        }
        Err(ActionError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
        Err(ActionError::Refused(m)) => (StatusCode::CONFLICT, FieldErrors::default(), Some(m)),
        Err(e) => return Err(e.into()),
    };
    let mut p = view(state, me, ids, None).await?;
    p.errors = errors;
    p.refused = refused;
    p.reason = field(form, "reason").to_string();
    p.until = field(form, "until").to_string();
    p.chosen = form
        .iter()
        .filter(|(k, _)| k == "cases")
        .map(|(_, v)| v.clone())
        .collect();
    render_status(status, &p)
}

pub async fn close(
    state: web::Data<AppState>,
    Office(me): Office,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ids, now, who) = (*path, state.now(), me.actor);
    let reason = field(&form, "reason").to_string();
    let result = db(&state, move |c| {
        Ok(
            scoring::close_by_office(c, &who, ids.0, ids.1, &reason, now).map(|d| match d.left {
                0 => format!("已结束评分：{} 份申报提交评审会议。", d.moved),
                n => format!(
                    "已结束评分：{} 份申报提交评审会议；仍有 {n} 份未完成评分或在延长期内，见下表。",
                    d.moved
                ),
            }),
        )
    })
    .await?;
    after(&state, &me, ids, &form, result).await
}

pub async fn extend(
    state: web::Data<AppState>,
    Office(me): Office,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ids, now, who) = (*path, state.now(), me.actor);
    // A value that is not an application number names nothing: it is left out, and an empty
    // choice is refused beside the list.
    let cases: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "cases")
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect();
    let until = field(&form, "until").to_string();
    let result = db(&state, move |c| {
        Ok(
            scoring::extend(c, &who, ids.0, ids.1, &cases, &until, now).map(|n| {
                format!("已延长 {n} 份申报的评分期限；截止日期后只有这些申报可以继续提交评分。")
            }),
        )
    })
    .await?;
    after(&state, &me, ids, &form, result).await
}
