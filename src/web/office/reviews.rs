//! The office's page of one case's reviews: every expert's marks and opinion with their name,
//! the case's aggregates, each review's history, reopening a submitted review with a reason, and
//! the review group's opinion (评议组意见).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::{ApplicationId, PoolEntryId};
use crate::rubric::points;
use crate::service::scoring::{self, OfficeReviews};
use crate::service::ActionError;
use crate::store::DbConnection;
use crate::web::expert::review::mark_text;
use crate::web::extract::{Me, Office};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn url(id: ApplicationId) -> String {
    format!("/office/applications/{id}/reviews")
}

/// Both forms of the page, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    pub entry: String,
    pub version: String,
    pub reason: String,
    pub group_version: String,
    pub group_opinion: String,
}

#[derive(Template)]
#[template(path = "office/reviews.html")]
pub struct ReviewsPage {
    page: Page,
    v: OfficeReviews,
    reference: String,
    typed: Typed,
    errors: FormErrors,
    done: Option<String>,
    refused: Option<String>,
    /// A reason typed into a form no longer on the page (another clerk acted first): shown to
    /// copy.
    lost: Option<String>,
    /// The group opinion stored by another clerk since the page was shown, beside the form.
    stored_group: Option<String>,
}

impl ReviewsPage {
    fn pts(&self, milli: &i64) -> String {
        points(*milli)
    }

    fn widest(&self) -> String {
        let key = &self.v.case.widest;
        self.v
            .rubric
            .as_ref()
            .and_then(|r| r.criterion(key))
            .map_or_else(|| "无明显分歧".to_string(), |c| c.name.clone())
    }

    fn mark(&self, r: &scoring::OfficeReview, key: &str) -> String {
        mark_text(r.marks.value(key))
    }

    fn comment<'a>(&self, r: &'a scoring::OfficeReview, key: &str) -> &'a str {
        r.marks.get(key).map_or("", |m| m.comment.as_str())
    }

    fn status(r: &scoring::OfficeReview) -> &'static str {
        match (&r.review, r.active) {
            (Some(x), false) if x.submitted() => "已提交（专家已回避或撤下，不计入）",
            (_, false) => "未提交（专家已回避或撤下）",
            (None, true) => "尚未评分",
            (Some(x), true) if x.submitted() => "已提交",
            (Some(x), true) if x.returned() => "已退回，等待专家重新提交",
            (Some(_), true) => "草稿（未提交）",
        }
    }

    fn reason_id(e: &PoolEntryId) -> String {
        format!("reason-{}", e.0)
    }

    /// The reason typed into this review's form, when it is the one sent.
    fn reason_for(&self, e: &PoolEntryId) -> &str {
        if self.typed.entry.trim() == e.0.to_string() {
            &self.typed.reason
        } else {
            ""
        }
    }

    fn history_line(h: &(crate::store::reviews::History, String)) -> String {
        let (h, by) = h;
        let at = crate::time::local_minutes(h.at);
        match h.event.as_str() {
            crate::store::reviews::EVENT_REOPENED => {
                format!("{at} {by}退回，理由：{}", h.reason)
            }
            _ => format!(
                "{at} 提交，总分 {}{}；评议意见：{}",
                points(h.total_milli),
                if h.veto { "（一票否决）" } else { "" },
                h.opinion
            ),
        }
    }
}

async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<OfficeReviews, AppError> {
    let (who, now, st) = (me.actor, state.now(), state.clone());
    crate::web::db_read(state, move |c| {
        let settings = st.settings(c)?;
        let round = |c: &mut DbConnection, r| st.round(c, r);
        let rubric = |c: &mut DbConnection, r| st.rubric(c, r);
        Ok(scoring::office_reviews(
            c,
            &who,
            id,
            (&settings, &round, &rubric),
            now,
        )?)
    })
    .await
}

fn page(me: &Me, v: OfficeReviews, typed: Typed, errors: FormErrors) -> ReviewsPage {
    ReviewsPage {
        page: me.page(),
        reference: v.app.reference.clone().unwrap_or_default(),
        v,
        typed,
        errors,
        done: None,
        refused: None,
        lost: None,
        stored_group: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

pub async fn show(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let v = load(&state, &me, *id).await?;
    let typed = Typed {
        group_version: v.case.group_version.to_string(),
        group_opinion: v.case.group_opinion.clone(),
        ..Typed::default()
    };
    let mut p = page(&me, v, typed, FormErrors::default());
    if !q.done.is_empty() {
        let prefix = format!("reviews:{}:", *id);
        let taken = crate::web::flash_take(&state, &me).await?;
        p.done = taken.and_then(|t| t.strip_prefix(&prefix).map(str::to_string));
    }
    render_status(StatusCode::OK, &p)
}

/// One step: back to the page saying what was done, or the page again with what was typed.
async fn act(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    typed: Typed,
    call: impl FnOnce(&mut DbConnection) -> Result<String, ActionError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let (status, errors, refused) = match db(state, move |c| Ok(call(c))).await? {
        Ok(done) => {
            crate::web::flash_put(state, me, format!("reviews:{id}:{done}")).await?;
            return Ok(see_other(&format!("{}?done=1#done", url(id))));
        }
        Err(ActionError::Invalid(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
        Err(ActionError::Refused(m)) => (StatusCode::CONFLICT, FormErrors::default(), Some(m)),
        Err(ActionError::Stale) => (
            StatusCode::CONFLICT,
            FormErrors::default(),
            Some(crate::web::errors::overtaken(None)),
        ),
        Err(e) => return Err(e.into()),
    };
    let v = load(state, me, id).await?;
    // The group opinion's form stands on what is stored now; what was typed stays in it.
    let group_opinion = match typed.group_opinion.is_empty() && errors.is_empty() {
        true => v.case.group_opinion.clone(),
        false => typed.group_opinion.clone(),
    };
    let typed = Typed {
        group_version: v.case.group_version.to_string(),
        group_opinion,
        ..typed
    };
    let reason = typed.reason.trim().to_string();
    let entry = typed.entry.trim().to_string();
    let mut p = page(me, v, typed, errors);
    p.refused = refused;
    if status == StatusCode::CONFLICT {
        // A reopening whose form is gone: the reason typed is shown to copy.
        let still =
            p.v.reviews
                .iter()
                .any(|r| r.entry.0.to_string() == entry && r.reopenable);
        if !reason.is_empty() && !still {
            p.lost = Some(reason);
        }
        if p.lost.is_some() && p.refused == Some(crate::web::errors::overtaken(None)) {
            p.refused = Some(
                "这份评分刚刚已由其他经办人退回或已有变化，本次未保存；您填写的理由见下方，可复制留存。"
                    .into(),
            );
        }
        // A group opinion saved by someone else meanwhile: theirs beside the form.
        if entry.is_empty() && p.typed.group_opinion != p.v.case.group_opinion {
            p.stored_group = Some(p.v.case.group_opinion.clone());
        }
    }
    render_status(status, &p)
}

pub async fn reopen(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let entry: Option<i64> = typed.entry.trim().parse().ok();
    let seen: i32 = typed.version.trim().parse().unwrap_or(-1);
    let reason = typed.reason.clone();
    let call = move |c: &mut DbConnection| {
        let entry = entry.ok_or(ActionError::NotFound)?;
        scoring::reopen(c, &who, id, PoolEntryId(entry), seen, &reason, now)?;
        Ok("已退回这份评分，专家修改后须重新提交；退回理由已记录。".to_string())
    };
    // The other form keeps the stored opinion, not a stale copy.
    let group = Typed {
        group_opinion: String::new(),
        ..typed
    };
    act(&state, &me, id, group, call).await
}

pub async fn opinion(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let seen: i32 = typed.group_version.trim().parse().unwrap_or(-1);
    let text = typed.group_opinion.clone();
    let call = move |c: &mut DbConnection| {
        scoring::record_group_opinion(c, &who, id, seen, &text, now)?;
        Ok("评议组意见已保存。".to_string())
    };
    let kept = Typed {
        entry: String::new(),
        reason: String::new(),
        ..typed
    };
    act(&state, &me, id, kept, call).await
}
