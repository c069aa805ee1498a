//! Experts' scoring (评分) against the rubric version the round pinned: drafts saved over the
//! version the expert saw, a submission checked complete, reopening by the office with a reason
//! (every submitted version and reopening kept), each case's aggregates written when a review is
//! submitted or reopened or an expert leaves the case, the review group's opinion, and closing
//! scoring: complete cases go to the committee's meeting in one batch under the round's lease,
//! by the system at the deadline or by the office with a reason.
//!
//! Scores inform the committee's vote and never replace it: a veto (一票否决 on the ethics gate)
//! flags the case for the meeting; nothing here passes or fails an application. Audit rows go on
//! the round: an application's timeline shows only its stage, never a review or an expert.

use super::assignment::{account_names, numbers, numbers_of, RoundLoader, COUNT_BOUND, PAGE};
use super::{audit_actor, facts_for_action, facts_for_reader, transition, ActionError, Actor};
use crate::access;
use crate::domain::settings::{Setting, Settings};
use crate::domain::text::{free_text, Lines};
use crate::domain::{
    AccountId, Action, ApplicationId, AuditAction, CommitteeId, FieldErrors, PoolEntryId, RoundId,
    RubricVersionId, State, Subject,
};
use crate::rubric::{self, Marks, Rubric, Sums, Total};
use crate::store::applications::{self, Application};
use crate::store::assignments::{self as store_a, ReviewCase};
use crate::store::reviews::{self as store_r, History, Review};
use crate::store::rounds::{self, Round};
use crate::store::{self, audit, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashSet;
use std::sync::Arc;

/// Most characters of an expert's written opinion (评议意见) and of the review group's.
pub const MAX_OPINION: usize = 3000;
/// Most characters of the office's reason to reopen a review or close scoring.
pub const MAX_REASON: usize = 500;
/// How far past the round's scoring deadline an extension may run.
pub const MAX_EXTENSION_DAYS: i64 = 180;
/// Cases closed per read while closing a round (the whole batch is one transaction).
const CLOSE_CHUNK: i64 = 500;

/// Reads a rubric version: pages and saves pass the server's cache (versions never change).
pub type RubricLoader<'a> =
    &'a dyn Fn(&mut DbConnection, RubricVersionId) -> Result<Arc<Rubric>, ActionError>;

/// A rubric version as stored, parsed.
pub fn load_rubric(c: &mut DbConnection, id: RubricVersionId) -> Result<Arc<Rubric>, ActionError> {
    let v = store::rubrics::find(c, id)?.ok_or(ActionError::NotFound)?;
    Ok(Arc::new(super::rubrics::parse(&v)?))
}

fn stored_marks(json: &str) -> Result<Marks, ActionError> {
    serde_json::from_str(json).map_err(|e| {
        ActionError::Store(store::StoreError::Query(
            diesel::result::Error::DeserializationError(Box::new(e)),
        ))
    })
}

/// Whether a case still takes reviews on `today`, or why not: until the round's scoring
/// deadline (none set: open), past it only to the end of the case's own extension, and never
/// once its scoring closed.
pub fn open_for_reviews(round: &Round, case: &ReviewCase, today: NaiveDate) -> Result<(), String> {
    if case.closed {
        return Err("这份申报的专家评分已经结束，已提交评审会议".into());
    }
    match (round.scoring_deadline, case.extended_until) {
        (Some(d), Some(e)) if today > d && today > e => Err(format!(
            "评分已于 {d} 截止，这份申报延长的期限 {e} 也已届满"
        )),
        (Some(d), None) if today > d => Err(format!(
            "评分已于 {d} 截止；如需继续评分，请联系评委会办事机构延长期限"
        )),
        _ => Ok(()),
    }
}

/// Writes a case's aggregates from its submitted reviews by experts still on it, and moves the
/// calibration sums of each expert whose pair on this case changed.
fn refresh(
    c: &mut DbConnection,
    app: ApplicationId,
    rubric: &Rubric,
    now: NaiveDateTime,
) -> Result<rubric::Aggregate, ActionError> {
    let active: HashSet<i64> = store_a::of_case(c, app)?
        .into_iter()
        .filter(|a| a.active)
        .map(|a| a.entry_id)
        .collect();
    let all = store_r::of_case(c, app)?;
    let mut counted: Vec<(Total, Marks)> = Vec::new();
    for r in all
        .iter()
        .filter(|r| r.submitted() && active.contains(&r.entry_id))
    {
        let total = Total {
            milli: r.total_milli,
            veto: r.veto,
        };
        counted.push((total, stored_marks(&r.marks)?));
    }
    let refs: Vec<(Total, &Marks)> = counted.iter().map(|(t, m)| (*t, m)).collect();
    let a = rubric::aggregate(rubric, &refs);
    store_r::set_aggregates(
        c,
        app,
        &store_r::Aggregates {
            submitted: a.count as i32,
            mean_milli: a.mean_milli,
            median_milli: a.median_milli,
            spread_milli: a.spread_milli,
            stddev_milli: a.stddev_milli,
            vetoes: a.vetoes as i32,
            widest: a.widest.as_deref().unwrap_or(""),
        },
        now,
    )?;
    repair_pairs(c, &all, &active)?;
    Ok(a)
}

/// Pairs each counted review of one case with the mean of the others (see
/// [`rubric::others_means`]) and moves its expert's sums by the difference from the pair it
/// was counted with before: a review reopened, recused or left alone takes its pair back.
fn repair_pairs(
    c: &mut DbConnection,
    reviews: &[Review],
    active: &HashSet<i64>,
) -> Result<(), ActionError> {
    let counts = |r: &Review| r.submitted() && active.contains(&r.entry_id);
    let totals: Vec<i64> = reviews
        .iter()
        .filter(|r| counts(r))
        .map(|r| r.total_milli)
        .collect();
    let mut panels = rubric::others_means(&totals).into_iter();
    for r in reviews {
        let now = if counts(r) {
            panels.next().flatten().map(|p| (r.total_milli, p))
        } else {
            None
        };
        let before = r.cal_own_milli.zip(r.cal_panel_milli);
        let pair = |p: Option<(i64, i64)>| p.map_or(Sums::default(), |(x, y)| Sums::pair(x, y));
        if now != before {
            let delta = pair(now).minus(pair(before));
            store::ranking::add_sums(c, RoundId(r.round_id), AccountId(r.account_id), delta)?;
            store::ranking::set_pair(c, r.application_id, r.entry_id, now)?;
        }
    }
    Ok(())
}

/// Computes a round's calibration pairs and sums afresh from its reviews (after a bulk load,
/// or to check the kept sums): the same pairs [`refresh`] keeps, one application at a time.
pub fn rebuild_calibration(c: &mut DbConnection, round: RoundId) -> Result<(), ActionError> {
    let active: HashSet<(i64, i64)> = store_a::of_round(c, round)?
        .into_iter()
        .filter(|a| a.2)
        .map(|a| (a.0, a.1))
        .collect();
    let mut sums: std::collections::BTreeMap<i64, Sums> = Default::default();
    let mut after = 0;
    loop {
        let page = store::ranking::reviews_page(c, round, after, 2000)?;
        let Some(last) = page.last().map(|r| r.application_id) else {
            break;
        };
        for case in page.chunk_by(|a, b| a.application_id == b.application_id) {
            let counts =
                |r: &Review| r.submitted() && active.contains(&(r.application_id, r.entry_id));
            let totals: Vec<i64> = case
                .iter()
                .filter(|r| counts(r))
                .map(|r| r.total_milli)
                .collect();
            let mut panels = rubric::others_means(&totals).into_iter();
            for r in case {
                let now = if counts(r) {
                    panels.next().flatten().map(|p| (r.total_milli, p))
                } else {
                    None
                };
                if let Some((x, y)) = now {
                    let s = sums.entry(r.account_id).or_default();
                    *s = s.plus(Sums::pair(x, y));
                }
                if now != r.cal_own_milli.zip(r.cal_panel_milli) {
                    store::ranking::set_pair(c, r.application_id, r.entry_id, now)?;
                }
            }
        }
        after = last;
    }
    let sums: Vec<(i64, Sums)> = sums.into_iter().collect();
    store::ranking::replace_sums(c, round, &sums)?;
    Ok(())
}

/// After an expert joined or left a case (assignment, recusal, a tie dismissed): its
/// aggregates count only the reviews of experts on it now. Nothing to do before any review.
pub fn on_members_changed(
    c: &mut DbConnection,
    app: ApplicationId,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let Some(case) = store_a::find_case(c, app)? else {
        return Ok(());
    };
    if case.submitted == 0 && store_r::of_case(c, app)?.iter().all(|r| !r.submitted()) {
        return Ok(());
    }
    let Some(rubric) = rounds::find(c, RoundId(case.round_id))?.and_then(|r| r.rubric) else {
        return Ok(());
    };
    let rubric = load_rubric(c, rubric)?;
    refresh(c, app, &rubric, now)?;
    Ok(())
}

/// Reads `m_{key}`, `m_{key}_comment` and `opinion` from a form as typed.
fn typed<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The marks and the opinion from a scoring form, checked as a draft or as a submission:
/// every problem at once, beside its field.
pub fn read_form(
    rubric: &Rubric,
    form: &[(String, String)],
    submit: bool,
) -> Result<(Marks, String), FieldErrors> {
    let (marks, mut e) = rubric.marks_from_form(|name| typed(form, name));
    if let Err(more) = rubric.check_marks(&marks, submit) {
        for (field, message) in more.items() {
            // A field the form could not read is already named; the check would only repeat it.
            if e.get(field).is_none() {
                e.add(field.clone(), message.clone());
            }
        }
    }
    let opinion = match free_text(
        typed(form, "opinion").unwrap_or(""),
        Lines::Many,
        MAX_OPINION,
    ) {
        Ok(t) => t,
        Err(p) => {
            e.add("opinion", p.message("评议意见"));
            String::new()
        }
    };
    if submit && opinion.is_empty() && e.get("opinion").is_none() {
        e.add(
            "opinion",
            "请填写评议意见：对申报人职业能力、工作业绩和代表性成果的总体评价",
        );
    }
    // The summary lists the problems in the order of the form.
    let mut order: Vec<String> = rubric
        .criteria
        .iter()
        .flat_map(|c| [format!("m_{}", c.key), format!("m_{}_comment", c.key)])
        .collect();
    order.push("opinion".into());
    let mut sorted = FieldErrors::default();
    for f in &order {
        for (field, message) in e.items().iter().filter(|(x, _)| x == f) {
            sorted.add(field.clone(), message.clone());
        }
    }
    for (field, message) in e.items().iter().filter(|(x, _)| !order.contains(x)) {
        sorted.add(field.clone(), message.clone());
    }
    sorted.into_result(|| (marks, opinion))
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Draft,
    Submitted,
}

/// Saves the expert's review over the version they saw (0: none yet): a draft whenever they
/// like, a submission when complete. A save that finds another since (a second tab, another
/// device) is `Stale`; the page then shows both.
#[allow(clippy::too_many_arguments)]
pub fn save(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    form: &[(String, String)],
    submit: bool,
    rubrics: RubricLoader,
    now: NaiveDateTime,
) -> Result<Saved, ActionError> {
    store::write(c, |c| {
        let case = store_r::find_case_for_update(c, id)?.ok_or(ActionError::NotFound)?;
        let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
        let mut f = facts_for_reader(c, who, &app)?;
        f.committee_standing = facts_for_action(c, &app, now)?.committee_standing;
        access::may_score(who, &f)?;
        let entry = store_a::of_case(c, id)?
            .into_iter()
            .find(|a| a.active && a.account_id == who.id.0)
            .map(|a| PoolEntryId(a.entry_id))
            .ok_or(ActionError::NotFound)?;
        let round = rounds::find(c, RoundId(case.round_id))?.ok_or(ActionError::NotFound)?;
        open_for_reviews(&round, &case, crate::time::local_date(now))
            .map_err(ActionError::Refused)?;
        let current = store_r::find(c, id, entry)?;
        if current.as_ref().is_some_and(Review::submitted) {
            return Err(ActionError::Refused(SUBMITTED_ALREADY.into()));
        }
        if current.as_ref().map_or(0, |r| r.version) != seen {
            return Err(ActionError::Stale);
        }
        let rubric_id = round
            .rubric
            .ok_or_else(|| ActionError::Refused("本批次尚未确定评审标准，暂不能评分".into()))?;
        let rubric = rubrics(c, rubric_id)?;
        let (marks, opinion) = read_form(&rubric, form, submit).map_err(ActionError::Invalid)?;
        let total = rubric.total(&marks);
        let json = serde_json::to_string(&marks).unwrap_or_default();
        let w = store_r::Write {
            app: id,
            entry,
            account: who.id,
            round: round.id,
            rubric: rubric_id.0,
            marks: &json,
            opinion: &opinion,
            total_milli: total.milli,
            veto: total.veto,
            submit,
            now,
        };
        if !store_r::write(c, &w, seen)? {
            return Err(ActionError::Stale);
        }
        let reference = app.reference.clone().unwrap_or_default();
        if submit {
            let stored = store_r::find(c, id, entry)?.ok_or(ActionError::NotFound)?;
            store_r::keep(c, &stored, store_r::EVENT_SUBMITTED, who.id, "", now)?;
            refresh(c, id, &rubric, now)?;
        }
        let (action, detail) = match submit {
            true => (
                AuditAction::ReviewSubmit,
                format!("申报 {reference}：提交评分"),
            ),
            false => (
                AuditAction::ReviewSave,
                format!("申报 {reference}：保存评分草稿"),
            ),
        };
        audit::record(
            c,
            now,
            audit_actor(who),
            action,
            &Subject::Round(round.id),
            &detail,
        )?;
        Ok(if submit {
            Saved::Submitted
        } else {
            Saved::Draft
        })
    })
}

/// Why a submitted review is not saved again.
pub const SUBMITTED_ALREADY: &str =
    "您已提交这份申报的评分，提交后不能再修改；如确需修改，请联系评委会办事机构退回";

/// The applicant's name as the committee's lists show it.
fn applicant_name(app: &Application) -> String {
    app.summary
        .as_deref()
        .and_then(|s| serde_json::from_str::<crate::application::ListSummary>(s).ok())
        .map(|s| s.name)
        .unwrap_or_default()
}

fn invalid(field: &str, message: impl Into<String>) -> ActionError {
    let mut e = FieldErrors::default();
    e.add(field, message);
    ActionError::Invalid(e)
}

/// The office reopens a submitted review with a reason: back to a draft with its marks, the
/// submitted version and the reason kept, the case's aggregates written without it.
pub fn reopen(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    entry: PoolEntryId,
    seen: i32,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let field = format!("reason-{}", entry.0);
    let reason = match free_text(reason, Lines::Many, MAX_REASON) {
        Ok(t) if t.is_empty() => return Err(invalid(&field, "请填写退回理由")),
        Ok(t) => t,
        Err(p) => return Err(invalid(&field, p.message("退回理由"))),
    };
    store::write(c, |c| {
        let case = store_r::find_case_for_update(c, id)?.ok_or(ActionError::NotFound)?;
        let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
        access::may_manage_review(who, &facts_for_action(c, &app, now)?)?;
        if app.state != State::ExpertReview || case.closed {
            return Err(ActionError::Refused(
                "专家评分已经结束，不能再退回评分".into(),
            ));
        }
        let review = store_r::find(c, id, entry)?.ok_or(ActionError::NotFound)?;
        if review.version != seen {
            return Err(ActionError::Stale);
        }
        // A recused expert's review is kept as it was: it no longer counts, and nobody would
        // submit it again.
        if !store_a::of_case(c, id)?
            .iter()
            .any(|a| a.entry_id == entry.0 && a.active)
        {
            return Err(ActionError::Refused(
                "该专家已不在这份申报的评审专家中（已回避或撤下），其评分不计入，不能退回".into(),
            ));
        }
        let round = rounds::find(c, RoundId(case.round_id))?.ok_or(ActionError::NotFound)?;
        // Past the deadline a reopened review could not be submitted again: the case would stay
        // below its minimum until someone noticed.
        if open_for_reviews(&round, &case, crate::time::local_date(now)).is_err() {
            return Err(ActionError::Refused(
                "评分已截止：请先在本批次的评分进度页为这份申报延长评分期限，再退回评分，以便专家重新提交".into(),
            ));
        }
        if !review.submitted() {
            return Err(ActionError::Refused("这份评分尚未提交，无需退回".into()));
        }
        if !store_r::reopen(c, id, entry, seen, now)? {
            return Err(ActionError::Stale);
        }
        store_r::keep(c, &review, store_r::EVENT_REOPENED, who.id, &reason, now)?;
        if let Some(r) = round.rubric {
            let rubric = load_rubric(c, r)?;
            refresh(c, id, &rubric, now)?;
        }
        let expert = account_names(c, [review.account_id])?
            .remove(&review.account_id)
            .unwrap_or_default();
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ReviewReopen,
            &Subject::Round(round.id),
            &format!(
                "申报 {}：退回{expert}的评分，理由：{reason}",
                app.reference.clone().unwrap_or_default()
            ),
        )?;
        Ok(())
    })
}

/// The office records the review group's opinion (评议组意见), summing up the experts', over
/// the version it saw.
pub fn record_group_opinion(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    text: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let text = match free_text(text, Lines::Many, MAX_OPINION) {
        Ok(t) if t.is_empty() => return Err(invalid("group_opinion", "请填写评议组意见")),
        Ok(t) => t,
        Err(p) => return Err(invalid("group_opinion", p.message("评议组意见"))),
    };
    store::write(c, |c| {
        let case = store_r::find_case_for_update(c, id)?.ok_or(ActionError::NotFound)?;
        let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
        access::may_manage_review(who, &facts_for_action(c, &app, now)?)?;
        if !matches!(app.state, State::ExpertReview | State::Meeting) {
            return Err(ActionError::Refused(format!(
                "这份申报现在是“{}”，评议组意见只能在专家评审和评审会议前记录",
                app.state.label()
            )));
        }
        if case.group_version != seen {
            return Err(ActionError::Stale);
        }
        if !store_r::set_group_opinion(c, id, &text, who.id, seen, now)? {
            return Err(ActionError::Stale);
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::GroupOpinion,
            &Subject::Round(RoundId(case.round_id)),
            &format!(
                "申报 {}：记录评议组意见",
                app.reference.clone().unwrap_or_default()
            ),
        )?;
        Ok(())
    })
}

/// What closing did: cases sent to the meeting, and those left open (counted up to
/// [`COUNT_BOUND`]) because they lack reviews or have an extension running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed {
    pub moved: usize,
    pub left: i64,
}

/// Closes scoring of the round's complete cases, all or nothing: each goes to `meeting` by
/// one transition. `extended_too`: the office closes a complete case even while its extension
/// runs; the system leaves it to the end of the extension.
fn close_complete(
    c: &mut DbConnection,
    who: &Actor,
    round: &Round,
    extended_too: bool,
    now: NaiveDateTime,
) -> Result<usize, ActionError> {
    let today = crate::time::local_date(now);
    let (minimum, _) = numbers(c, round)?;
    let min = i32::try_from(minimum).unwrap_or(i32::MAX);
    let (mut after, mut moved) = (None, 0usize);
    loop {
        let page = store_r::open_cases(c, round.id, (min, i32::MAX), after, CLOSE_CHUNK)?;
        let Some(last) = page.last() else { break };
        after = Some((last.1, last.0));
        for (app, _, _, extension) in page {
            if !extended_too && extension.is_some_and(|e| e >= today) {
                continue;
            }
            let id = ApplicationId(app);
            // Read again under the case's lock: a review reopened since the page above was read
            // leaves the case below its minimum, and it stays.
            match store_r::find_case_for_update(c, id)? {
                Some(k) if !k.closed && k.submitted >= min => {}
                _ => continue,
            }
            let a = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
            transition(c, who, id, a.version, Action::CloseScoring, now, |c, _| {
                store_r::close(c, id, now)?;
                Ok(((), "专家评分结束，提交评审会议".to_string()))
            })?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The office closes scoring of a round by hand, with a reason: every complete case goes to the
/// meeting now; the rest stay and are named on the round's scoring page.
pub fn close_by_office(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<Closed, ActionError> {
    let reason = match free_text(reason, Lines::Many, MAX_REASON) {
        Ok(t) if t.is_empty() => return Err(invalid("reason", "请填写提前结束评分的理由")),
        Ok(t) => t,
        Err(p) => return Err(invalid("reason", p.message("理由"))),
    };
    store::write(c, |c| {
        let round = super::assignment::round_for_change(c, who, committee, id, now)?;
        let moved = close_complete(c, who, &round, true, now)?;
        if moved == 0 {
            return Err(ActionError::Refused(
                "没有评分已完成、可以提交评审会议的申报".into(),
            ));
        }
        let left = left_open(c, &round)?;
        store_r::record_close(c, id, Some(who.id), &reason, moved as i32, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ScoringClose,
            &Subject::Round(id),
            &format!("结束专家评分：{moved} 份申报提交评审会议，{left} 份未完成；理由：{reason}"),
        )?;
        Ok(Closed { moved, left })
    })
}

fn left_open(c: &mut DbConnection, round: &Round) -> Result<i64, ActionError> {
    let (minimum, _) = numbers(c, round)?;
    let (complete, incomplete) = store_r::count_open(
        c,
        round.id,
        i32::try_from(minimum).unwrap_or(i32::MAX),
        COUNT_BOUND,
    )?;
    Ok(complete + incomplete)
}

/// The system at the scoring deadline: for every round past it, the complete cases without an
/// extension still running go to the meeting, each round in one batch under its lease (two
/// instances sweeping at once close each case once). Idempotent; returns the cases moved.
pub fn sweep_closing(c: &mut DbConnection, now: NaiveDateTime) -> Result<usize, ActionError> {
    let today = crate::time::local_date(now);
    let who = Actor::system();
    let mut moved = 0;
    for round in rounds::list(c)? {
        if round.scoring_deadline.is_none_or(|d| today <= d) {
            continue;
        }
        let done = store::write(c, |c| {
            store_a::lease_round(c, round.id)?;
            let n = close_complete(c, &who, &round, false, now)?;
            if n > 0 {
                let left = left_open(c, &round)?;
                store_r::record_close(c, round.id, None, "评分截止", n as i32, now)?;
                audit::record(
                    c,
                    now,
                    audit_actor(&who),
                    AuditAction::ScoringClose,
                    &Subject::Round(round.id),
                    &format!(
                        "评分截止：{n} 份评分已完成的申报提交评审会议，{left} 份未完成或在延长期内"
                    ),
                )?;
            }
            Ok::<_, ActionError>(n)
        });
        match done {
            Ok(n) => moved += n,
            // A committee that may not act now (suspended): its round waits for the next sweep.
            Err(ActionError::Refused(why)) => {
                log::warn!("scoring close of round {}: {why}", round.id.0)
            }
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// The office extends the scoring deadline of named open cases of a round: past the round's
/// deadline, only these take reviews, until the date given.
pub fn extend(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    cases: &[i64],
    until: &str,
    now: NaiveDateTime,
) -> Result<usize, ActionError> {
    let today = crate::time::local_date(now);
    let mut e = FieldErrors::default();
    let date = e.required_date("until", until, "延长至", "2026-12-31");
    if let Some(d) = date.filter(|d| *d < today) {
        e.add(
            "until",
            format!("延长至的日期 {d} 已经过去，请填写评分截止日期之后、今天或以后的日期"),
        );
    }
    if cases.is_empty() {
        e.add("cases", "请勾选要延长评分期限的申报");
    } else if cases.len() as i64 > COUNT_BOUND {
        e.add("cases", format!("一次最多延长 {COUNT_BOUND} 份申报"));
    }
    let until = match (e.is_empty(), date) {
        (true, Some(d)) => d,
        _ => return Err(ActionError::Invalid(e)),
    };
    store::write(c, |c| {
        let round = super::assignment::round_for_change(c, who, committee, id, now)?;
        match round.scoring_deadline {
            None => {
                return Err(ActionError::Refused(
                    "本批次没有设定评分截止日期，无需延长".into(),
                ))
            }
            Some(d) if until <= d => {
                return Err(invalid(
                    "until",
                    format!("延长至的日期须晚于本批次的评分截止日期 {d}"),
                ))
            }
            // An extension years out would keep a complete case from its meeting for good.
            Some(d) if until > d + chrono::Duration::days(MAX_EXTENSION_DAYS) => {
                return Err(invalid(
                    "until",
                    format!("延长至的日期不能晚于评分截止日期 {d} 之后 {MAX_EXTENSION_DAYS} 天"),
                ))
            }
            Some(_) => {}
        }
        let n = store_r::extend(c, id, cases, until, now)?;
        if n == 0 {
            return Err(ActionError::Refused(
                "勾选的申报都已结束评分，没有可延长的申报".into(),
            ));
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ScoringExtend,
            &Subject::Round(id),
            &format!("{n} 份申报的评分期限延长至 {until}"),
        )?;
        Ok(n)
    })
}

/// Another expert's submitted review as an expert may see it: without their name.
pub struct PeerReview {
    pub label: String,
    pub total_milli: i64,
    pub veto: bool,
    pub marks: Marks,
    pub opinion: String,
}

/// The expert's scoring page.
pub struct ExpertScoring {
    pub app: Application,
    pub name: String,
    pub round: Round,
    pub case: ReviewCase,
    pub rubric: Option<Arc<Rubric>>,
    pub review: Option<Review>,
    pub marks: Marks,
    pub history: Vec<History>,
    /// Why the case takes no review now (`None`: open).
    pub closed: Option<String>,
    /// The other experts' submitted reviews once the expert submitted theirs, when the round
    /// shows them; `Err` says why they are not shown.
    pub peers: Result<Vec<PeerReview>, &'static str>,
}

pub fn expert_scoring(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    (settings, round, rubrics): (&Settings, RoundLoader, RubricLoader),
    now: NaiveDateTime,
) -> Result<ExpertScoring, ActionError> {
    if who.role != crate::domain::Role::Expert {
        return Err(ActionError::NotFound);
    }
    let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
    access::may_view_application(who, &facts_for_reader(c, who, &app)?)?;
    let case = store_a::find_case(c, id)?.ok_or(ActionError::NotFound)?;
    let round = round(c, RoundId(case.round_id))?.ok_or(ActionError::NotFound)?;
    let all = store_a::of_case(c, id)?;
    let mine = all
        .iter()
        .find(|a| a.active && a.account_id == who.id.0)
        .ok_or(ActionError::NotFound)?;
    let reviews = store_r::of_case(c, id)?;
    let review = reviews
        .iter()
        .find(|r| r.entry_id == mine.entry_id)
        .cloned();
    let marks = match &review {
        Some(r) => stored_marks(&r.marks)?,
        None => Marks::default(),
    };
    let history = match &review {
        Some(_) => store_r::history_of(c, id, PoolEntryId(mine.entry_id))?,
        None => Vec::new(),
    };
    let rubric = match round.rubric {
        Some(r) => Some(rubrics(c, r)?),
        None => None,
    };
    let closed = match app.state {
        State::ExpertReview => open_for_reviews(&round, &case, crate::time::local_date(now)).err(),
        _ => Some("这份申报的专家评分已经结束".to_string()),
    };
    let active: HashSet<i64> = all
        .iter()
        .filter(|a| a.active)
        .map(|a| a.entry_id)
        .collect();
    let peers = if !review.as_ref().is_some_and(Review::submitted) {
        Err("提交本人评分后，才能看到同组其他专家的评分")
    } else if !settings.flag(
        Setting::PeerReviewsAfterSubmit,
        round.committee,
        Some(round.id),
    ) {
        Err("本批次设定专家只能查看本人的评分")
    } else {
        let mut out = Vec::new();
        for r in reviews.iter().filter(|r| {
            r.entry_id != mine.entry_id && r.submitted() && active.contains(&r.entry_id)
        }) {
            out.push(PeerReview {
                label: format!("其他专家 {}", out.len() + 1),
                total_milli: r.total_milli,
                veto: r.veto,
                marks: stored_marks(&r.marks)?,
                opinion: r.opinion.clone(),
            });
        }
        Ok(out)
    };
    Ok(ExpertScoring {
        name: applicant_name(&app),
        app,
        round,
        case,
        rubric,
        review,
        marks,
        history,
        closed,
        peers,
    })
}

/// One expert's review as the office reads it.
pub struct OfficeReview {
    pub entry: PoolEntryId,
    pub expert: String,
    /// Still on the case (a recused expert's review is kept and not counted).
    pub active: bool,
    pub review: Option<Review>,
    pub marks: Marks,
    pub history: Vec<(History, String)>,
    /// The office may reopen it now: submitted, its expert still on the case, scoring open.
    pub reopenable: bool,
}

/// The office's page of a case's reviews.
pub struct OfficeReviews {
    pub app: Application,
    pub name: String,
    pub round: Round,
    pub case: ReviewCase,
    pub minimum: usize,
    pub rubric: Option<Arc<Rubric>>,
    pub reviews: Vec<OfficeReview>,
    pub group_by: String,
    /// Why the office may not change anything here now (`None`: it may).
    pub refusal: Option<String>,
}

pub fn office_reviews(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    (settings, round, rubrics): (&Settings, RoundLoader, RubricLoader),
    now: NaiveDateTime,
) -> Result<OfficeReviews, ActionError> {
    let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
    let facts = facts_for_action(c, &app, now)?;
    access::may_view_application(who, &facts)?;
    if who.role != crate::domain::Role::Office {
        return Err(ActionError::NotFound);
    }
    let stored = store_a::find_case(c, id)?;
    let in_review = stored.is_some();
    let case = match stored {
        Some(k) => k,
        None => not_in_review(&app).ok_or(ActionError::NotFound)?,
    };
    let round = round(c, RoundId(case.round_id))?.ok_or(ActionError::NotFound)?;
    let (minimum, _) = numbers_of(settings, &round);
    let rubric = match round.rubric {
        Some(r) => Some(rubrics(c, r)?),
        None => None,
    };
    let all = store_a::of_case(c, id)?;
    let reviews = store_r::of_case(c, id)?;
    let history = store_r::history_of_case(c, id)?;
    let names = account_names(
        c,
        all.iter()
            .map(|a| a.account_id)
            .chain(history.iter().map(|h| h.by_account))
            .chain(case.group_opinion_by),
    )?;
    let refusal = access::may_manage_review(who, &facts)
        .err()
        .map(|d| d.why.to_string())
        .or_else(|| {
            (!in_review).then(|| {
                format!(
                    "这份申报现在是“{}”，尚未进入专家评审，还没有专家评分",
                    app.state.label()
                )
            })
        });
    let open = refusal.is_none() && !case.closed && app.state == State::ExpertReview;
    let mut out = Vec::with_capacity(all.len());
    for a in &all {
        let review = reviews.iter().find(|r| r.entry_id == a.entry_id).cloned();
        // A member assigned and taken off before writing anything has nothing to show.
        if review.is_none() && !a.active {
            continue;
        }
        let marks = match &review {
            Some(r) => stored_marks(&r.marks)?,
            None => Marks::default(),
        };
        out.push(OfficeReview {
            reopenable: open && a.active && review.as_ref().is_some_and(Review::submitted),
            entry: PoolEntryId(a.entry_id),
            expert: names.get(&a.account_id).cloned().unwrap_or_default(),
            active: a.active,
            review,
            marks,
            history: history
                .iter()
                .filter(|h| h.entry_id == a.entry_id)
                .map(|h| {
                    (
                        h.clone(),
                        names.get(&h.by_account).cloned().unwrap_or_default(),
                    )
                })
                .collect(),
        });
    }
    Ok(OfficeReviews {
        group_by: case
            .group_opinion_by
            .and_then(|b| names.get(&b).cloned())
            .unwrap_or_default(),
        name: applicant_name(&app),
        app,
        round,
        case,
        minimum,
        rubric,
        reviews: out,
        refusal,
    })
}

/// What the reviews page shows of an application not (yet) in review: its round, nothing
/// scored. `None` without a round.
fn not_in_review(app: &Application) -> Option<ReviewCase> {
    Some(ReviewCase {
        application_id: app.id.0,
        round_id: app.round?.0,
        committee_id: app.committee?.0,
        specialty: String::new(),
        assigned: 0,
        version: 0,
        updated_at: app.updated_at,
        level: String::new(),
        submitted: 0,
        mean_milli: 0,
        median_milli: 0,
        spread_milli: 0,
        stddev_milli: 0,
        vetoes: 0,
        widest: String::new(),
        extended_until: None,
        closed: false,
        group_opinion: String::new(),
        group_opinion_by: None,
        group_opinion_at: None,
        group_version: 0,
    })
}

/// A case of a round still missing reviews, with who has not submitted.
pub struct Missing {
    pub id: ApplicationId,
    pub reference: String,
    pub name: String,
    pub submitted: i32,
    pub assigned: i32,
    pub waiting_for: Vec<String>,
    pub extended_until: Option<NaiveDate>,
}

/// The round's scoring page.
pub struct RoundScoring {
    pub round: Round,
    pub minimum: usize,
    /// Open cases with enough submitted reviews, and without (each up to [`COUNT_BOUND`]).
    pub complete: i64,
    pub incomplete: i64,
    pub missing: Vec<Missing>,
    pub next: Option<(i32, i64)>,
    pub past_deadline: bool,
    pub refusal: Option<String>,
    /// The latest close, with who closed it (系统 for the system).
    pub last_close: Option<(store_r::Close, String)>,
}

pub fn round_scoring(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    after: Option<(i32, i64)>,
    (settings, round): (&Settings, RoundLoader),
    now: NaiveDateTime,
) -> Result<RoundScoring, ActionError> {
    access::may_run_rounds(who, committee)?;
    let round = round(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)?;
    let (minimum, _) = numbers_of(settings, &round);
    let min = i32::try_from(minimum).unwrap_or(i32::MAX);
    let (complete, incomplete) = store_r::count_open(c, id, min, COUNT_BOUND)?;
    let mut rows = store_r::incomplete_open(c, id, min, after, PAGE + 1)?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|k| (k.1, k.0))
    });
    let ids: Vec<i64> = rows.iter().map(|k| k.0).collect();
    let app_ids: Vec<ApplicationId> = ids.iter().map(|a| ApplicationId(*a)).collect();
    let details = store::committee_list::details(c, committee, &app_ids)?;
    let on_case = store_r::on_cases(c, &ids)?;
    let names = account_names(c, on_case.iter().map(|(_, a, _)| *a))?;
    let missing = rows
        .iter()
        .map(|&(app, submitted, assigned, extended_until)| {
            let d = details.iter().find(|d| d.id.0 == app);
            Missing {
                id: ApplicationId(app),
                reference: d.and_then(|d| d.reference.clone()).unwrap_or_default(),
                name: d.and_then(|d| d.applicant_name.clone()).unwrap_or_default(),
                submitted,
                assigned,
                waiting_for: on_case
                    .iter()
                    .filter(|(a, _, done)| *a == app && !done)
                    .map(|(_, acc, _)| names.get(acc).cloned().unwrap_or_default())
                    .collect(),
                extended_until,
            }
        })
        .collect();
    let last_close = match store_r::last_close(c, id)? {
        Some(k) => {
            let by = match k.by_account {
                Some(a) => account_names(c, [a])?.remove(&a).unwrap_or_default(),
                None => "系统".to_string(),
            };
            Some((k, by))
        }
        None => None,
    };
    let today = crate::time::local_date(now);
    let refusal = access::may_change_anything(who)
        .err()
        .map(|d| d.why.to_string());
    Ok(RoundScoring {
        past_deadline: round.scoring_deadline.is_some_and(|d| today > d),
        round,
        minimum,
        complete,
        incomplete,
        missing,
        next: next.flatten(),
        refusal,
        last_close,
    })
}
