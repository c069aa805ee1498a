//! A committee's expert pool (专家库): the list, adding an expert, changing their record,
//! removing them with a reason and putting them back. The admin and the committee's own office
//! keep it; the supervisor reads it; another committee's office gets 404.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use super::committee::Pairs;
use crate::domain::committee::{reviewable, PoolTyped};
use crate::domain::{CommitteeId, PoolEntryId, Role, TitleLevel};
use crate::service::{pool, ActionError};
use crate::store::committees::Committee;
use crate::store::pool::PoolEntry;
use crate::web::extract::Me;
use crate::web::{db, db_read, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// The entry form as typed (or as stored).
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub login: String,
    pub title_name: String,
    pub title_level: String,
    pub series: String,
    pub specialty: String,
    pub employer_name: String,
    pub employer_code: String,
    pub code_confirmed: bool,
    pub term_from: String,
    pub term_until: String,
    pub skilled_worker: bool,
    pub apprentices: String,
}

impl EntryForm {
    fn from_pairs(p: &Pairs) -> EntryForm {
        EntryForm {
            login: p.get("login"),
            title_name: p.get("title_name"),
            title_level: p.get("title_level"),
            series: p.get("series"),
            specialty: p.get("specialty"),
            employer_name: p.get("employer_name"),
            employer_code: p.get("employer_code"),
            code_confirmed: !p.get("code_confirmed").is_empty(),
            term_from: p.get("term_from"),
            term_until: p.get("term_until"),
            skilled_worker: !p.get("skilled_worker").is_empty(),
            apprentices: p.get("apprentices"),
        }
    }

    fn of(e: &PoolEntry) -> EntryForm {
        EntryForm {
            login: e.login_name.clone(),
            title_name: e.title_name.clone(),
            title_level: e.title_level.zh().into(),
            series: e.series.clone(),
            specialty: e.specialty.clone(),
            employer_name: e.employer_name.clone(),
            employer_code: e.employer_code.clone(),
            code_confirmed: false,
            term_from: e.term_from.to_string(),
            term_until: e.term_until.to_string(),
            skilled_worker: e.skilled_worker,
            apprentices: e.apprentices.join("\n"),
        }
    }

    /// The fields whose typed value differs from `stored`'s.
    fn differences(&self, stored: &EntryForm) -> Option<String> {
        let yes_no = |b: bool| if b { "是" } else { "否" }.to_string();
        super::committee::differences(&[
            (
                "职称名称",
                self.title_name.clone(),
                stored.title_name.clone(),
            ),
            (
                "职称层级",
                self.title_level.clone(),
                stored.title_level.clone(),
            ),
            ("系列", self.series.clone(), stored.series.clone()),
            ("专业", self.specialty.clone(), stored.specialty.clone()),
            (
                "工作单位",
                self.employer_name.clone(),
                stored.employer_name.clone(),
            ),
            (
                "统一社会信用代码",
                self.employer_code.clone(),
                stored.employer_code.clone(),
            ),
            ("任期开始", self.term_from.clone(), stored.term_from.clone()),
            (
                "任期结束",
                self.term_until.clone(),
                stored.term_until.clone(),
            ),
            (
                "取得职称的高技能人才",
                yes_no(self.skilled_worker),
                yes_no(stored.skilled_worker),
            ),
            ("徒弟", self.apprentices.clone(), stored.apprentices.clone()),
        ])
    }

    fn typed(&self) -> PoolTyped<'_> {
        PoolTyped {
            title_name: &self.title_name,
            title_level: &self.title_level,
            series: &self.series,
            specialty: &self.specialty,
            employer_name: &self.employer_name,
            employer_code: &self.employer_code,
            code_confirmed: self.code_confirmed,
            term_from: &self.term_from,
            term_until: &self.term_until,
            skilled_worker: self.skilled_worker,
            apprentices: &self.apprentices,
        }
    }
}

/// An entry as the list shows it.
pub struct EntryRow {
    pub e: PoolEntry,
    /// The committee's levels this expert may review.
    pub may_review: String,
    pub in_term: bool,
}

fn rows(entries: Vec<PoolEntry>, committee: &Committee, today: chrono::NaiveDate) -> Vec<EntryRow> {
    entries
        .into_iter()
        .map(|e| {
            let levels: Vec<&str> = reviewable(e.title_level, &committee.levels)
                .iter()
                .map(|l| l.zh())
                .collect();
            EntryRow {
                in_term: e.term_from <= today && today <= e.term_until,
                may_review: if levels.is_empty() {
                    "无（职称层级低于本评委会评审层级）".into()
                } else {
                    levels.join("、")
                },
                e,
            }
        })
        .collect()
}

fn level_choices() -> Vec<(String, String)> {
    TitleLevel::ALL
        .iter()
        .rev()
        .map(|l| (l.zh().to_string(), l.zh().to_string()))
        .collect()
}

#[derive(Template)]
#[template(path = "shared/pool.html")]
struct PoolPage {
    page: Page,
    committee: Committee,
    /// Why the committee cannot act today, if so (its pool may still be kept).
    refusal: Option<&'static str>,
    rows: Vec<EntryRow>,
    active: usize,
    skilled: usize,
    manages: bool,
    form: EntryForm,
    levels: Vec<(String, String)>,
    errors: FormErrors,
    notice: Option<&'static str>,
    refused: Option<String>,
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "added" => Some("专家已入库。"),
        "updated" => Some("专家信息已保存。"),
        "removed" => Some("专家已出库，出库原因已记录。"),
        "restored" => Some("专家已恢复入库。"),
        _ => None,
    }
}

/// The pool and its committee, for someone who may see them.
async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
) -> Result<(Committee, Vec<PoolEntry>), AppError> {
    let who = me.actor;
    db_read(state, move |c| {
        let entries = pool::list(c, &who, id)?;
        let committee = crate::store::committees::find(c, id)?.ok_or(AppError::NotFound)?;
        Ok((committee, entries))
    })
    .await
}

async fn pool_page(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
    form: EntryForm,
    errors: FormErrors,
    done: &str,
) -> Result<PoolPage, AppError> {
    let (committee, entries) = load(state, me, id).await?;
    let today = crate::time::local_date(state.now());
    let rows = rows(entries, &committee, today);
    let form = EntryForm {
        series: if form.series.is_empty() {
            committee.series.clone()
        } else {
            form.series
        },
        ..form
    };
    Ok(PoolPage {
        page: me.page(),
        refusal: committee.standing(today).may_act().err(),
        active: rows.iter().filter(|r| r.e.active).count(),
        skilled: rows
            .iter()
            .filter(|r| r.e.active && r.e.skilled_worker)
            .count(),
        manages: matches!(me.actor.role, Role::Admin | Role::Office),
        committee,
        rows,
        form,
        levels: level_choices(),
        errors,
        notice: notice(done),
        refused: None,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    q: web::Query<super::committee::Done>,
) -> Result<HttpResponse, AppError> {
    let p = pool_page(
        &state,
        &me,
        *id,
        EntryForm::default(),
        FormErrors::default(),
        &q.done,
    )
    .await?;
    render_status(StatusCode::OK, &p)
}

/// A refusal the page shows at the top, or the refusal page for someone who may not keep the
/// pool at all.
fn refusal(me: &Me, e: ActionError) -> Result<(FormErrors, Option<String>), AppError> {
    match e {
        ActionError::Invalid(errors) => Ok((errors, None)),
        ActionError::Refused(why) if matches!(me.actor.role, Role::Admin | Role::Office) => {
            Ok((FormErrors::default(), Some(why)))
        }
        ActionError::Stale => Ok((
            FormErrors::default(),
            Some("该专家的信息已被他人修改：下面是最新的内容，您填写的内容保留在表单中，请核对后再提交。".into()),
        )),
        e => Err(e.into()),
    }
}

pub async fn add(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now) = (*id, me.actor, state.now());
    let form = EntryForm::from_pairs(&Pairs(form));
    let f = form.clone();
    let result = db(&state, move |c| {
        Ok(pool::add(c, &who, id, &f.login, &f.typed(), now))
    })
    .await?;
    let (errors, refused) = match result {
        Ok(_) => return Ok(see_other(&format!("/committees/{id}/pool?done=added#done"))),
        Err(e) => refusal(&me, e)?,
    };
    let mut p = pool_page(&state, &me, id, form, errors, "").await?;
    p.refused = refused;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

#[derive(Template)]
#[template(path = "shared/pool_entry.html")]
struct EntryPage {
    page: Page,
    committee: Committee,
    refusal: Option<&'static str>,
    entry: PoolEntry,
    may_review: String,
    manages: bool,
    form: EntryForm,
    levels: Vec<(String, String)>,
    reason: String,
    errors: FormErrors,
    refused: Option<String>,
}

async fn entry_page(
    state: &web::Data<AppState>,
    me: &Me,
    (id, eid): (CommitteeId, PoolEntryId),
    typed: Option<(EntryForm, String)>,
    errors: FormErrors,
) -> Result<EntryPage, AppError> {
    let who = me.actor;
    let (committee, entry) = db_read(state, move |c| {
        let entry = pool::find(c, &who, id, eid)?;
        let committee = crate::store::committees::find(c, id)?.ok_or(AppError::NotFound)?;
        Ok((committee, entry))
    })
    .await?;
    let (form, reason) = typed.unwrap_or_else(|| (EntryForm::of(&entry), String::new()));
    let today = crate::time::local_date(state.now());
    let may_review = rows(vec![entry.clone()], &committee, today)
        .pop()
        .map(|r| r.may_review)
        .unwrap_or_default();
    Ok(EntryPage {
        page: me.page(),
        refusal: committee.standing(today).may_act().err(),
        manages: matches!(me.actor.role, Role::Admin | Role::Office),
        committee,
        entry,
        may_review,
        form,
        levels: level_choices(),
        reason,
        errors,
        refused: None,
    })
}

pub async fn edit(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, PoolEntryId)>,
) -> Result<HttpResponse, AppError> {
    let p = entry_page(&state, &me, *path, None, FormErrors::default()).await?;
    render_status(StatusCode::OK, &p)
}

/// After a change to one entry: back to the pool, or the entry's page with the problems.
async fn entry_after(
    state: &web::Data<AppState>,
    me: &Me,
    ids: (CommitteeId, PoolEntryId),
    result: Result<(), ActionError>,
    typed: (EntryForm, String),
    done: &str,
) -> Result<HttpResponse, AppError> {
    let stale = matches!(result, Err(ActionError::Stale));
    let (errors, refused) = match result {
        Ok(()) => {
            return Ok(see_other(&format!(
                "/committees/{}/pool?done={done}#done",
                ids.0
            )))
        }
        Err(e) => refusal(me, e)?,
    };
    let mut p = entry_page(state, me, ids, Some(typed), errors).await?;
    // An overtaken edit names each field that now differs from what was typed.
    let diff = stale
        .then(|| p.form.differences(&EntryForm::of(&p.entry)))
        .flatten();
    p.refused = refused.map(|why| format!("{why}{}", diff.unwrap_or_default()));
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn update(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, PoolEntryId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, eid), who, now) = (*path, me.actor, state.now());
    let pairs = Pairs(form);
    let (form, version) = (EntryForm::from_pairs(&pairs), pairs.version());
    let f = form.clone();
    let result = db(&state, move |c| {
        Ok(pool::update(c, &who, id, eid, version, &f.typed(), now))
    })
    .await?;
    entry_after(&state, &me, *path, result, (form, String::new()), "updated").await
}

async fn set_removed(
    state: web::Data<AppState>,
    me: Me,
    (id, eid): (CommitteeId, PoolEntryId),
    pairs: Pairs,
    remove: bool,
) -> Result<HttpResponse, AppError> {
    let (who, now, version) = (me.actor, state.now(), pairs.version());
    let reason = pairs.get("reason");
    let r = reason.clone();
    let result = db(&state, move |c| {
        let reason = remove.then_some(r.as_str());
        Ok(pool::set_removed(c, &who, id, eid, version, reason, now))
    })
    .await?;
    let done = if remove { "removed" } else { "restored" };
    let (errors, refused) = match result {
        Ok(()) => {
            return Ok(see_other(&format!(
                "/committees/{id}/pool?done={done}#done"
            )))
        }
        Err(e) => refusal(&me, e)?,
    };
    // The record's form shows what is stored; the reason keeps what was typed.
    let mut p = entry_page(&state, &me, (id, eid), None, errors).await?;
    p.reason = reason;
    p.refused = refused;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn remove(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, PoolEntryId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    set_removed(state, me, *path, Pairs(form), true).await
}

pub async fn restore(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, PoolEntryId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    set_removed(state, me, *path, Pairs(form), false).await
}
