//! The expert's scoring page: the rubric the round pinned, criterion by criterion with its
//! guidance and anchors, a mark and a comment for each, and the written opinion; saved as a
//! draft at any time, submitted when complete. A save overtaken by another (a second tab, a
//! second device) shows what is stored beside each field, with what was typed kept in the form.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::ApplicationId;
use crate::rubric::{points, Kind, MarkValue, Marks, Rubric};
use crate::service::scoring::{self, ExpertScoring, Saved};
use crate::service::ActionError;
use crate::store::DbConnection;
use crate::web::extract::{Expert, Me};
use crate::web::forms::field;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn url(id: ApplicationId) -> String {
    format!("/expert/cases/{id}/review")
}

/// One criterion of the form: the rubric's words and what is typed (or stored).
pub struct Row {
    pub key: String,
    pub name: String,
    pub guidance: String,
    pub gate: bool,
    pub max: u32,
    pub weight: u32,
    pub high: String,
    pub middle: String,
    pub low: String,
    pub comment_required: bool,
    pub value: String,
    pub comment: String,
    /// What is stored now, when a save was overtaken (shown beside the field).
    pub stored: Option<String>,
}

impl Row {
    pub fn field(&self) -> String {
        format!("m_{}", self.key)
    }

    pub fn comment_field(&self) -> String {
        format!("m_{}_comment", self.key)
    }
}

/// A mark as shown: 通过 / 不通过（一票否决） / 85 分 / 未评.
pub fn mark_text(v: MarkValue) -> String {
    match v {
        MarkValue::Pass => "通过".into(),
        MarkValue::Fail => "不通过（一票否决）".into(),
        MarkValue::Score(n) => format!("{n} 分"),
        MarkValue::Missing => "未评".into(),
    }
}

fn value_text(v: MarkValue) -> String {
    match v {
        MarkValue::Pass => "pass".into(),
        MarkValue::Fail => "fail".into(),
        MarkValue::Score(n) => n.to_string(),
        MarkValue::Missing => String::new(),
    }
}

/// The rubric's rows with the values of `marks`.
fn rows(rubric: &Rubric, marks: &Marks) -> Vec<Row> {
    rubric
        .criteria
        .iter()
        .map(|c| {
            let m = marks.get(&c.key);
            Row {
                key: c.key.clone(),
                name: c.name.clone(),
                guidance: c.guidance.clone(),
                gate: c.kind == Kind::Gate,
                max: c.max(),
                weight: c.weight(),
                high: c.anchors.high.clone(),
                middle: c.anchors.middle.clone(),
                low: c.anchors.low.clone(),
                comment_required: c.comment_required,
                value: value_text(marks.value(&c.key)),
                comment: m.map(|m| m.comment.clone()).unwrap_or_default(),
                stored: None,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "expert/review.html")]
pub struct ReviewPage {
    page: Page,
    id: ApplicationId,
    v: ExpertScoring,
    reference: String,
    name: String,
    deadline: String,
    rows: Vec<Row>,
    opinion: String,
    version: i32,
    errors: FormErrors,
    done: Option<String>,
    refused: Option<String>,
    /// The stored opinion when a save was overtaken.
    stored_opinion: Option<String>,
    /// What was typed came back in the form (a save refused): shown even where the page is
    /// otherwise read only, so nothing typed is lost.
    kept: bool,
}

impl ReviewPage {
    fn status(&self) -> &'static str {
        match &self.v.review {
            None => "尚未评分",
            Some(r) if r.submitted() => "已提交",
            Some(r) if r.returned() => "已被退回，修改后须重新提交",
            Some(_) => "草稿（未提交）",
        }
    }

    /// Why the office sent the review back, while it is back with the expert.
    fn returned_because(&self) -> Option<String> {
        if !self.v.review.as_ref().is_some_and(|r| r.returned()) {
            return None;
        }
        self.v
            .history
            .iter()
            .rev()
            .find(|h| h.event == crate::store::reviews::EVENT_REOPENED)
            .map(|h| h.reason.clone())
    }

    /// The expert's own review shown, not a form: submitted (only the office reopens it), or
    /// the case takes no reviews now.
    fn read_only(&self) -> bool {
        self.v.closed.is_some() || self.v.review.as_ref().is_some_and(|r| r.submitted())
    }

    fn veto(&self) -> bool {
        self.v.review.as_ref().is_some_and(|r| r.veto)
    }

    fn total(&self) -> String {
        self.v
            .review
            .as_ref()
            .map_or_else(String::new, |r| points(r.total_milli))
    }

    fn history_line(h: &crate::store::reviews::History) -> String {
        let at = crate::time::local_minutes(h.at);
        match h.event.as_str() {
            crate::store::reviews::EVENT_REOPENED => {
                format!("{at} 评委会办事机构退回，理由：{}", h.reason)
            }
            _ => format!(
                "{at} 提交，总分 {}{}",
                points(h.total_milli),
                if h.veto { "（一票否决）" } else { "" }
            ),
        }
    }

    fn peer_mark(&self, marks: &Marks, key: &str) -> String {
        mark_text(marks.value(key))
    }
}

async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<ExpertScoring, AppError> {
    let (who, now, st) = (me.actor, state.now(), state.clone());
    crate::web::db_read(state, move |c| {
        let settings = st.settings(c)?;
        let round = |c: &mut DbConnection, r| st.round(c, r);
        let rubric = |c: &mut DbConnection, r| st.rubric(c, r);
        Ok(scoring::expert_scoring(
            c,
            &who,
            id,
            (&settings, &round, &rubric),
            now,
        )?)
    })
    .await
}

fn page(me: &Me, id: ApplicationId, v: ExpertScoring) -> ReviewPage {
    let rows = v
        .rubric
        .as_ref()
        .map_or_else(Vec::new, |r| rows(r, &v.marks));
    ReviewPage {
        page: me.page(),
        id,
        reference: v.app.reference.clone().unwrap_or_default(),
        name: v.name.clone(),
        deadline: match (v.round.scoring_deadline, v.case.extended_until) {
            (Some(d), Some(e)) => format!("{d}（这份申报延长至 {e}）"),
            (Some(d), None) => d.to_string(),
            (None, _) => "未设定".into(),
        },
        opinion: v
            .review
            .as_ref()
            .map(|r| r.opinion.clone())
            .unwrap_or_default(),
        version: v.review.as_ref().map_or(0, |r| r.version),
        rows,
        v,
        errors: FormErrors::default(),
        done: None,
        refused: None,
        stored_opinion: None,
        kept: false,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

pub async fn show(
    state: web::Data<AppState>,
    Expert(me): Expert,
    id: web::Path<ApplicationId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let v = load(&state, &me, *id).await?;
    let mut p = page(&me, *id, v);
    if !q.done.is_empty() {
        let prefix = format!("review:{}:", *id);
        let taken = crate::web::flash_take(&state, &me).await?;
        p.done = taken.and_then(|t| t.strip_prefix(&prefix).map(str::to_string));
    }
    render_status(StatusCode::OK, &p)
}

/// Saves a draft or submits. Whatever goes wrong, the page comes back with what was typed.
pub async fn save(
    state: web::Data<AppState>,
    Expert(me): Expert,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who, st) = (*id, state.now(), me.actor, state.clone());
    let submit = field(&form, "action") == "submit";
    let seen: i32 = field(&form, "version").trim().parse().unwrap_or(-1);
    let typed = form.clone();
    let result = db(&state, move |c| {
        let rubric = |c: &mut DbConnection, r| st.rubric(c, r);
        Ok(scoring::save(
            c, &who, id, seen, &typed, submit, &rubric, now,
        ))
    })
    .await?;
    let (status, errors, refused, stale) = match result {
        Ok(saved) => {
            let done = match saved {
                Saved::Draft => format!("草稿已于 {} 保存。", crate::time::local_minutes(now)),
                Saved::Submitted => {
                    "评分已提交，评委会办事机构已收到。提交后如需修改，请联系评委会办事机构退回。"
                        .into()
                }
            };
            crate::web::flash_put(&state, &me, format!("review:{id}:{done}")).await?;
            return Ok(see_other(&format!("{}?done=1#done", url(id))));
        }
        Err(ActionError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e, None, false),
        // Submitted in another window: the refusal shows what was submitted beside each field.
        Err(ActionError::Refused(m)) => {
            let shown = m == scoring::SUBMITTED_ALREADY;
            (StatusCode::CONFLICT, FormErrors::default(), Some(m), shown)
        }
        Err(ActionError::Stale) => (StatusCode::CONFLICT, FormErrors::default(), None, true),
        Err(e) => return Err(e.into()),
    };
    let v = load(&state, &me, id).await?;
    let mut p = page(&me, id, v);
    typed_back(&mut p, &form, stale);
    p.errors = errors;
    p.refused = refused.or_else(|| stale.then(|| STALE.to_string()));
    render_status(status, &p)
}

/// Why a save was overtaken, and what saving again does.
const STALE: &str = "您打开本页后，这份评分已在另一个窗口或设备上保存过，本次没有保存。下面的表单仍是您刚才填写的内容；与已保存版本不同的项，旁边列出了已保存的内容。核对后再次保存，将以表单中的全部内容为准。";

/// Puts what was typed back into the form; when overtaken (or submitted meanwhile), what is
/// stored goes beside each field that differs and the form stands on the stored version (saving
/// again replaces it, knowingly).
fn typed_back(p: &mut ReviewPage, form: &[(String, String)], stale: bool) {
    p.kept = true;
    for r in &mut p.rows {
        let (stored_value, stored_comment) = (r.value.clone(), r.comment.clone());
        r.value = field(form, &r.field()).to_string();
        r.comment = field(form, &r.comment_field()).to_string();
        let differs = stored_value != r.value.trim() || stored_comment.trim() != r.comment.trim();
        if stale && differs {
            let v = match (r.gate, stored_value.as_str()) {
                (_, "") => "未评".to_string(),
                (true, "pass") => "通过".to_string(),
                (true, _) => "不通过（一票否决）".to_string(),
                (false, n) => format!("{n} 分"),
            };
            r.stored = Some(match stored_comment.is_empty() {
                true => v,
                false => format!("{v}；意见：{stored_comment}"),
            });
        }
    }
    if stale && p.opinion.trim() != field(form, "opinion").trim() {
        p.stored_opinion = Some(p.opinion.clone());
    }
    if !stale {
        // Not overtaken: the version the expert saw stays, so a second try is checked the same.
        p.version = field(form, "version").trim().parse().unwrap_or(p.version);
    }
    p.opinion = field(form, "opinion").to_string();
}
