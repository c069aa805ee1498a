//! A committee's rounds (评审批次): the list, creating one, and a round's page — its set-up, its
//! own rule values, its panel (draw, discard with a reason, chair and vice-chairs), opening and
//! closing. The committee's office sets them up; the admin and the supervisor read them;
//! another committee's office gets 404.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use super::committee::{setting_lines, typed_settings, Done, Pairs, SettingLine};
use crate::domain::round::{PanelRole, RoundTyped};
use crate::domain::settings::Scope;
use crate::domain::{CommitteeId, DrawId, PoolEntryId, Role, RoundId};
use crate::service::panels::{PanelView, Replay};
use crate::service::{panels, rounds, ActionError};
use crate::store::committees::Committee;
use crate::store::panels::Draw;
use crate::store::rounds::Round;
use crate::web::extract::Me;
use crate::web::{db, db_read, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// The set-up form as typed (or as stored).
#[derive(Debug, Clone, Default)]
pub struct SetupForm {
    pub name: String,
    pub levels: Vec<String>,
    pub submission_deadline: String,
    pub reference_date: String,
    pub scoring_deadline: String,
}

impl SetupForm {
    fn from_pairs(p: &Pairs) -> SetupForm {
        SetupForm {
            name: p.get("name"),
            levels: p.all("levels"),
            submission_deadline: p.get("submission_deadline"),
            reference_date: p.get("reference_date"),
            scoring_deadline: p.get("scoring_deadline"),
        }
    }

    /// Where the typed set-up differs from the round as stored now (after someone else's save).
    fn differences(&self, stored: &SetupForm) -> Option<String> {
        crate::web::shared::committee::differences(&[
            ("批次名称", self.name.clone(), stored.name.clone()),
            ("受理层级", self.levels.join("、"), stored.levels.join("、")),
            (
                "申报截止日期",
                self.submission_deadline.clone(),
                stored.submission_deadline.clone(),
            ),
            (
                "资格计算日期",
                self.reference_date.clone(),
                stored.reference_date.clone(),
            ),
            (
                "评分截止日期",
                self.scoring_deadline.clone(),
                stored.scoring_deadline.clone(),
            ),
        ])
    }

    fn of(r: &Round) -> SetupForm {
        SetupForm {
            name: r.name.clone(),
            levels: r
                .effective_levels()
                .iter()
                .map(|l| l.zh().to_string())
                .collect(),
            submission_deadline: r.submission_deadline.to_string(),
            reference_date: r.reference_date.to_string(),
            scoring_deadline: r
                .scoring_deadline
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }

    fn typed(&self) -> RoundTyped<'_> {
        RoundTyped {
            name: &self.name,
            levels: self.levels.iter().map(String::as_str).collect(),
            submission_deadline: &self.submission_deadline,
            reference_date: &self.reference_date,
            scoring_deadline: &self.scoring_deadline,
        }
    }

    /// The committee's levels as checkboxes, ticked as typed.
    fn level_choices(&self, committee: &Committee) -> Vec<(String, bool)> {
        committee
            .levels
            .iter()
            .map(|l| (l.zh().to_string(), self.levels.iter().any(|x| x == l.zh())))
            .collect()
    }
}

/// A round as a list shows it.
pub struct RoundRow {
    pub round: Round,
    pub status: &'static str,
    pub levels: String,
}

fn row(round: Round, today: chrono::NaiveDate) -> RoundRow {
    let levels: Vec<&str> = round.effective_levels().iter().map(|l| l.zh()).collect();
    RoundRow {
        status: rounds::info(&round).status(today),
        levels: levels.join("、"),
        round,
    }
}

/// Whether `me` sets up this committee's rounds (its own office), or only reads them.
fn runs(me: &Me) -> bool {
    me.actor.role == Role::Office
}

/// Where a refusal goes: field errors beside their fields; a rule refusal or a change made
/// meanwhile at the top, what was typed kept in the form. Someone who does not run the
/// committee's rounds (the admin, the supervisor) gets the refusal page.
const STALE: &str = "本批次在您打开本页后已被修改（可能是他人，或您在另一个窗口），您的操作没有执行：下面是最新的内容。仍在页面上的表单保留了您填写的内容，请核对后再提交。";

fn refusal(me: &Me, e: ActionError) -> Result<(FormErrors, Option<String>), AppError> {
    match e {
        ActionError::Invalid(errors) if runs(me) => Ok((errors, None)),
        ActionError::Refused(why) if runs(me) => Ok((FormErrors::default(), Some(why))),
        ActionError::Stale => Ok((FormErrors::default(), Some(STALE.into()))),
        e => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "shared/rounds.html")]
struct ListPage {
    page: Page,
    committee: Committee,
    refusal: Option<&'static str>,
    rows: Vec<RoundRow>,
    runs: bool,
    form: SetupForm,
    level_choices: Vec<(String, bool)>,
    errors: FormErrors,
    notice: Option<&'static str>,
    refused: Option<String>,
}

async fn list_page(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
    form: Option<SetupForm>,
    errors: FormErrors,
    done: &str,
) -> Result<ListPage, AppError> {
    let who = me.actor;
    let (committee, list) = db_read(state, move |c| {
        let list = rounds::list(c, &who, id)?;
        let committee = crate::store::committees::find(c, id)?.ok_or(AppError::NotFound)?;
        Ok((committee, list))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let form = form.unwrap_or_else(|| SetupForm {
        levels: committee
            .levels
            .iter()
            .map(|l| l.zh().to_string())
            .collect(),
        ..SetupForm::default()
    });
    Ok(ListPage {
        page: me.page(),
        refusal: committee.standing(today).may_act().err(),
        rows: list.into_iter().map(|r| row(r, today)).collect(),
        runs: runs(me),
        level_choices: form.level_choices(&committee),
        committee,
        form,
        errors,
        notice: (done == "created")
            .then_some("评审批次已创建。请抽取本次评审委员会，然后开始受理。"),
        refused: None,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let p = list_page(&state, &me, *id, None, FormErrors::default(), &q.done).await?;
    render_status(StatusCode::OK, &p)
}

pub async fn create(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now) = (*id, me.actor, state.now());
    let form = SetupForm::from_pairs(&Pairs(form));
    let f = form.clone();
    let result = db(&state, move |c| {
        Ok(rounds::create(c, &who, id, &f.typed(), now))
    })
    .await?;
    let (errors, refused) = match result {
        Ok(rid) => {
            state.rounds.forget();
            return Ok(see_other(&format!(
                "/committees/{id}/rounds/{rid}?done=created#done"
            )));
        }
        Err(e) => refusal(&me, e)?,
    };
    let mut p = list_page(&state, &me, id, Some(form), errors, "").await?;
    p.refused = refused;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// A panel member as the round's page shows them.
pub struct MemberRow {
    pub entry: PoolEntryId,
    pub position: i32,
    pub name: String,
    pub title: String,
    pub specialty: String,
    pub employer: String,
    pub role: PanelRole,
    pub skilled_worker: bool,
}

/// What the round's forms hold when the page is shown again with problems.
#[derive(Default)]
pub struct Typed {
    pub setup: Option<SetupForm>,
    pub draw: Option<Pairs>,
    pub reason: String,
    pub designation: Option<Pairs>,
    pub settings: Option<Pairs>,
}

#[derive(Template)]
#[template(path = "shared/round.html")]
struct RoundPage {
    page: Page,
    committee: Committee,
    refusal: Option<&'static str>,
    round: Round,
    status: &'static str,
    editable: bool,
    /// The office and the supervisor read the round's ranking, calibration and exports.
    reads_cases: bool,
    blockers: Vec<String>,
    members: Vec<MemberRow>,
    draws: Vec<Draw>,
    minimum: usize,
    eligible: usize,
    filters: String,
    specialty_choices: Vec<(String, String)>,
    draw_count: String,
    draw_specialty: String,
    reason: String,
    chair: String,
    vices: Vec<String>,
    settings: Vec<SettingLine>,
    settings_seen: String,
    form: SetupForm,
    level_choices: Vec<(String, bool)>,
    errors: FormErrors,
    notice: Option<&'static str>,
    refused: Option<String>,
    /// Closing was asked for without its confirmation: the page asks first.
    confirm_close: bool,
}

impl RoundPage {
    fn is_vice(&self, e: &PoolEntryId) -> bool {
        let e = e.to_string();
        self.vices.contains(&e)
    }
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("评审批次已创建。请抽取本次评审委员会，指定主任委员，然后开始受理。"),
        "updated" => Some("评审批次已保存。"),
        "drawn" => Some("已抽取本次评审委员会，抽取记录已保存。请指定主任委员和副主任委员。"),
        "discarded" => Some("抽取结果已作废，作废理由已记录。请重新抽取。"),
        "designated" => Some("主任委员和副主任委员已指定。"),
        "opened" => Some("本批次已开始受理，评审标准版本已锁定。"),
        "closed" => Some("本批次已关闭，不再接受申报。"),
        "settings" => Some("本批次的配置已保存。"),
        _ => None,
    }
}

fn member_rows(v: &PanelView) -> Vec<MemberRow> {
    v.members
        .iter()
        .map(|(m, e)| MemberRow {
            entry: m.entry,
            position: m.position,
            name: e.name.clone(),
            title: format!("{}（{}）", e.title_name, e.title_level.zh()),
            specialty: e.specialty.clone(),
            employer: e.employer_name.clone(),
            role: m.role,
            skilled_worker: e.skilled_worker,
        })
        .collect()
}

async fn round_page(
    state: &web::Data<AppState>,
    me: &Me,
    (id, rid): (CommitteeId, RoundId),
    typed: Typed,
    errors: FormErrors,
) -> Result<RoundPage, AppError> {
    let (who, st) = (me.actor, state.clone());
    let today = crate::time::local_date(state.now());
    let (committee, round, panel, blockers, settings) = db_read(state, move |c| {
        let round = rounds::find(c, &who, id, rid)?;
        let committee = crate::store::committees::find(c, id)?.ok_or(AppError::NotFound)?;
        let panel = panels::view(c, &who, id, &round, today)?;
        let blockers = rounds::open_blockers(c, &round, today)?;
        Ok((committee, round, panel, blockers, st.settings(c)?))
    })
    .await?;
    let form = typed.setup.unwrap_or_else(|| SetupForm::of(&round));
    let members = member_rows(&panel);
    let pick =
        |p: &Option<Pairs>, name: &str, stored: String| p.as_ref().map_or(stored, |p| p.get(name));
    let chair = members
        .iter()
        .find(|m| m.role == PanelRole::Chair)
        .map(|m| m.entry.to_string())
        .unwrap_or_default();
    let vices = match &typed.designation {
        Some(p) => p.all("vice"),
        None => members
            .iter()
            .filter(|m| m.role == PanelRole::ViceChair)
            .map(|m| m.entry.to_string())
            .collect(),
    };
    Ok(RoundPage {
        page: me.page(),
        refusal: committee.standing(today).may_act().err(),
        status: rounds::info(&round).status(today),
        editable: runs(me) && round.closed_at.is_none(),
        reads_cases: matches!(
            me.actor.role,
            crate::domain::Role::Office | crate::domain::Role::Supervisor
        ),
        blockers,
        draws: panel.draws.clone(),
        minimum: panel.minimum,
        eligible: panel.eligible,
        filters: panel.filters.clone(),
        specialty_choices: panel
            .specialties
            .iter()
            .map(|s| (s.clone(), s.clone()))
            .collect(),
        draw_count: pick(&typed.draw, "count", panel.minimum.to_string()),
        draw_specialty: pick(&typed.draw, "specialty", String::new()),
        reason: typed.reason,
        chair: pick(&typed.designation, "chair", chair),
        vices,
        settings: setting_lines(
            &settings,
            Scope::Round(rid),
            (Some(id), Some(rid)),
            typed.settings.as_ref(),
        ),
        settings_seen: settings.fingerprint(Scope::Round(rid)),
        members,
        level_choices: form.level_choices(&committee),
        form,
        committee,
        round,
        errors,
        notice: None,
        refused: None,
        confirm_close: false,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let mut p = round_page(&state, &me, *path, Typed::default(), FormErrors::default()).await?;
    p.notice = notice(&q.done);
    render_status(StatusCode::OK, &p)
}

/// After one of the round's actions: back to the page with its confirmation, or the page with
/// the problems and what was typed.
async fn after(
    state: &web::Data<AppState>,
    me: &Me,
    ids: (CommitteeId, RoundId),
    result: Result<(), ActionError>,
    typed: Typed,
    done: &str,
) -> Result<HttpResponse, AppError> {
    let stale = matches!(result, Err(ActionError::Stale));
    let (errors, refused) = match result {
        Ok(()) => {
            state.rounds.forget();
            state.settings.forget();
            return Ok(see_other(&format!(
                "/committees/{}/rounds/{}?done={done}#done",
                ids.0, ids.1
            )));
        }
        Err(e) => refusal(me, e)?,
    };
    let (typed_setup, settings_form) = (typed.setup.clone(), typed.settings.is_some());
    let mut p = round_page(state, me, ids, typed, errors).await?;
    // An overtaken edit names the fields where what was typed and what is stored now differ,
    // so saving again does not quietly undo the other change; an overtaken settings form says
    // so in the settings' words.
    p.refused = match (stale, settings_form, typed_setup) {
        (true, true, _) => Some(crate::web::shared::committee::SETTINGS_STALE.into()),
        (true, false, Some(t)) => {
            let diff = t.differences(&SetupForm::of(&p.round)).unwrap_or_default();
            refused.map(|r| format!("{r}{diff}"))
        }
        _ => refused,
    };
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// The round's version as the form carried it (`-1`: none, which no round has).
fn seen(p: &Pairs) -> i64 {
    p.get("version").trim().parse().unwrap_or(-1)
}

pub async fn update(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid), who, now) = (*path, me.actor, state.now());
    let p = Pairs(form);
    let (form, v) = (SetupForm::from_pairs(&p), seen(&p));
    let f = form.clone();
    let result = db(&state, move |c| {
        Ok(rounds::update(c, &who, id, rid, v, &f.typed(), now))
    })
    .await?;
    let typed = Typed {
        setup: Some(form),
        ..Typed::default()
    };
    after(&state, &me, *path, result, typed, "updated").await
}

/// Opening and closing: the whole form is the round's version.
async fn open_or_close(
    state: web::Data<AppState>,
    me: Me,
    (id, rid): (CommitteeId, RoundId),
    p: Pairs,
    open: bool,
) -> Result<HttpResponse, AppError> {
    let (who, now, v) = (me.actor, state.now(), seen(&p));
    // Closing cannot be undone: the first press only asks.
    if !open && p.get("confirm") != "yes" {
        rounds::may_run(&who, id)?;
        let mut page = round_page(
            &state,
            &me,
            (id, rid),
            Typed::default(),
            FormErrors::default(),
        )
        .await?;
        page.confirm_close = true;
        return render_status(StatusCode::OK, &page);
    }
    let result = db(&state, move |c| {
        Ok(if open {
            rounds::open(c, &who, id, rid, v, now)
        } else {
            rounds::close(c, &who, id, rid, v, now)
        })
    })
    .await?;
    let done = if open { "opened" } else { "closed" };
    after(&state, &me, (id, rid), result, Typed::default(), done).await
}

pub async fn open(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    open_or_close(state, me, *path, Pairs(form), true).await
}

pub async fn close(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    open_or_close(state, me, *path, Pairs(form), false).await
}

pub async fn draw(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid), who, now) = (*path, me.actor, state.now());
    let p = Pairs(form);
    let (v, count, specialty) = (seen(&p), p.get("count"), p.get("specialty"));
    let result = db(&state, move |c| {
        Ok(panels::draw(c, &who, id, rid, v, &count, &specialty, now).map(drop))
    })
    .await?;
    let typed = Typed {
        draw: Some(p),
        ..Typed::default()
    };
    after(&state, &me, *path, result, typed, "drawn").await
}

pub async fn discard(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid), who, now) = (*path, me.actor, state.now());
    let p = Pairs(form);
    let (v, reason) = (seen(&p), p.get("reason"));
    let r = reason.clone();
    let result = db(&state, move |c| {
        Ok(panels::discard(c, &who, id, rid, v, &r, now))
    })
    .await?;
    let typed = Typed {
        reason,
        ..Typed::default()
    };
    after(&state, &me, *path, result, typed, "discarded").await
}

pub async fn designate(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid), who, now) = (*path, me.actor, state.now());
    let p = Pairs(form);
    let v = seen(&p);
    let chair = p.get("chair").trim().parse::<i64>().ok().map(PoolEntryId);
    let vices: Vec<PoolEntryId> = p
        .all("vice")
        .iter()
        // Anything but an id names nobody on the panel, and is refused as such.
        .map(|s| PoolEntryId(s.trim().parse::<i64>().unwrap_or(0)))
        .collect();
    let result = db(&state, move |c| {
        Ok(panels::designate(c, &who, id, rid, v, chair, &vices, now))
    })
    .await?;
    let typed = Typed {
        designation: Some(p),
        ..Typed::default()
    };
    after(&state, &me, *path, result, typed, "designated").await
}

pub async fn set_settings(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid), who, now, p) = (*path, me.actor, state.now(), Pairs(form));
    let scope = Scope::Round(rid);
    let typed = typed_settings(&p, scope);
    let seen = p.get("settings_seen");
    let result = db(&state, move |c| {
        // The round is looked up under the committee of the address, so another committee's
        // round is not found.
        rounds::find(c, &who, id, rid)?;
        Ok(crate::service::settings::set(c, &who, scope, &typed, &seen, now).map(drop))
    })
    .await?;
    let typed = Typed {
        settings: Some(p),
        ..Typed::default()
    };
    after(&state, &me, *path, result, typed, "settings").await
}

#[derive(Template)]
#[template(path = "shared/draw.html")]
struct DrawPage {
    page: Page,
    committee: Committee,
    round: Round,
    draw: Draw,
    replay: Replay,
    /// Each candidate's entry id and name, in the recorded order.
    names: Vec<(i64, String)>,
}

impl DrawPage {
    fn name(&self, id: &i64) -> String {
        self.names
            .iter()
            .find(|(e, _)| e == id)
            .map_or_else(|| format!("编号 {id}"), |(_, n)| n.clone())
    }
}

/// One draw's record, replayed on the page: anyone who may see the committee can check that
/// the recorded candidates, seed and size give the recorded panel.
pub async fn draw_record(
    state: web::Data<AppState>,
    me: Me,
    path: web::Path<(CommitteeId, RoundId, DrawId)>,
) -> Result<HttpResponse, AppError> {
    let ((id, rid, did), who) = (*path, me.actor);
    let (committee, round, draw, names) = db_read(&state, move |c| {
        let round = rounds::find(c, &who, id, rid)?;
        let draw = crate::store::panels::find(c, rid, did)?.ok_or(AppError::NotFound)?;
        let committee = crate::store::committees::find(c, id)?.ok_or(AppError::NotFound)?;
        let names = crate::store::pool::of_committee(c, id)?
            .into_iter()
            .map(|e| (e.id.0, e.name))
            .collect();
        Ok((committee, round, draw, names))
    })
    .await?;
    let p = DrawPage {
        page: me.page(),
        replay: panels::replay(&draw),
        committee,
        round,
        draw,
        names,
    };
    render_status(StatusCode::OK, &p)
}
