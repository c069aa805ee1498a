//! Application rounds (评审批次): set up by their committee's office, opened once the committee
//! is registered and the round's panel is drawn, on the committee's rubric version of that day.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::application::submission::RoundInfo;
use crate::domain::round::{check_open, check_round, OpenFacts, RoundContext, RoundTyped};
use crate::domain::{AuditAction, CommitteeId, FieldErrors, RoundId, Subject};
use crate::store::rounds::Round;
use crate::store::{self, applications, audit, committees, rounds, DbConnection};
use chrono::NaiveDateTime;

/// A committee's rounds, for someone who may see the committee.
pub fn list(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<Vec<Round>, ActionError> {
    access::may_view_committee(who, committee)?;
    Ok(rounds::of_committee(c, committee)?)
}

/// One of a committee's rounds (another committee's, or one asked for under another
/// committee's address: `NotFound`).
pub fn find(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
) -> Result<Round, ActionError> {
    access::may_view_committee(who, committee)?;
    rounds::find(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)
}

/// What submission needs to know of a round.
pub fn info(r: &Round) -> RoundInfo {
    RoundInfo {
        name: r.name.clone(),
        submission_deadline: r.submission_deadline,
        reference_date: r.reference_date,
        closed: r.closed_at.is_some(),
        opened: r.opened_at.is_some(),
        reply_until: None,
        correction_until: None,
        committee: r.of.name.clone(),
        series: r.of.series.clone(),
        specialty: r.of.specialty.clone(),
        levels: r.effective_levels().to_vec(),
        scope: r.of.scope.clone(),
        registration: r.of.registration,
    }
}

/// Why a round's levels stay as they are once it opened.
pub const LEVELS_FIXED: &str = "本批次已开始受理，受理层级不能再修改";

/// Why a round's reference date stays as it is once applications were submitted to it.
pub const REFERENCE_FIXED: &str =
    "该批次已有申报提交，提交时的资格判断按原资格计算日期冻结，资格计算日期不能再修改";

/// Why a placeholder committee has no rounds yet.
pub const NOT_SET_UP: &str = "该评委会尚未完成设置（系列和评审层级），暂不能设置评审批次";

const NAME_TAKEN: &str = "本评委会已有同名的评审批次";

/// The typed set-up checked whole: a name another round of the committee holds is reported
/// with every other problem at once, not after they are fixed.
fn checked(
    c: &mut DbConnection,
    committee: CommitteeId,
    typed: &RoundTyped,
    cx: &RoundContext,
    except: Option<RoundId>,
) -> Result<crate::domain::round::RoundSetup, ActionError> {
    let name = typed.name.trim();
    let taken = !name.is_empty() && rounds::name_taken(c, committee, name, except)?;
    match check_round(typed, cx) {
        Ok(setup) if !taken && !rounds::name_taken(c, committee, &setup.name, except)? => Ok(setup),
        Ok(_) => Err(invalid("name", NAME_TAKEN)),
        Err(e) if taken && e.get("name").is_none() => {
            // First, as the name is first on the form and in the summary.
            let mut all = FieldErrors::default();
            all.add("name", NAME_TAKEN);
            all.merge(e);
            Err(ActionError::Invalid(all))
        }
        Err(e) => Err(ActionError::Invalid(e)),
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ActionError {
    let mut e = FieldErrors::default();
    e.add(field, message);
    ActionError::Invalid(e)
}

/// Creates a round of the committee, not yet open: the office then draws its panel and opens
/// it. A round may be prepared while the committee's registration is being renewed; it opens
/// only when the committee may act.
pub fn create(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    typed: &RoundTyped,
    now: NaiveDateTime,
) -> Result<RoundId, ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
        if com.series.is_empty() || com.levels.is_empty() {
            return Err(ActionError::Refused(NOT_SET_UP.into()));
        }
        let cx = RoundContext {
            committee_levels: &com.levels,
            today: crate::time::local_date(now),
            kept_deadline: None,
        };
        let setup = checked(c, committee, typed, &cx, None)?;
        let id = rounds::insert(c, committee, &setup, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundCreate,
            &Subject::Round(id),
            &format!(
                "{}：{}，申报截止 {}，评分截止 {}",
                setup.name,
                setup.levels_text(),
                setup.submission_deadline,
                setup.scoring_deadline
            ),
        )?;
        Ok(id)
    })
}

/// Reads the round for a change by its office: its own committee's, at the version the page
/// showed, not closed.
fn for_change(
    c: &mut DbConnection,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
) -> Result<Round, ActionError> {
    let round = rounds::find(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)?;
    if round.version != seen {
        return Err(ActionError::Stale);
    }
    if round.closed_at.is_some() {
        return Err(ActionError::Refused("本批次已关闭，不能再修改".into()));
    }
    Ok(round)
}

/// An open round's rules govern the cases it holds, so they change only while its committee
/// may act; a prepared round may be readied while a registration is renewed, and closing (which
/// only stops submissions) stays open to the office whatever the standing.
pub fn may_change_open(
    c: &mut DbConnection,
    round: &Round,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    if round.opened_at.is_none() {
        return Ok(());
    }
    let committee = round.committee.ok_or(ActionError::NotFound)?;
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    com.standing(crate::time::local_date(now))
        .may_act()
        .map_err(|m| ActionError::Refused(format!("{m}；已开始受理的批次不能再修改")))
}

/// Changes a round's set-up. Once it opened its levels stay; once an application was submitted
/// its reference date stays (verdicts were frozen on it).
pub fn update(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    typed: &RoundTyped,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        let round = for_change(c, committee, id, seen)?;
        may_change_open(c, &round, now)?;
        let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
        let cx = RoundContext {
            committee_levels: &com.levels,
            today: crate::time::local_date(now),
            kept_deadline: Some(round.submission_deadline),
        };
        let setup = checked(c, committee, typed, &cx, Some(id))?;
        let mut e = FieldErrors::default();
        if round.opened_at.is_some() && setup.levels != round.effective_levels() {
            e.add("levels", LEVELS_FIXED);
        }
        if setup.reference_date != round.reference_date
            && applications::any_submitted_in_round(c, id)?
        {
            e.add("reference_date", REFERENCE_FIXED);
        }
        if !e.is_empty() {
            return Err(ActionError::Invalid(e));
        }
        if !rounds::update(c, id, seen, &setup)? {
            return Err(ActionError::Stale);
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundUpdate,
            &Subject::Round(id),
            &format!(
                "{}：{}，申报截止 {}，资格计算日期 {}，评分截止 {}",
                setup.name,
                setup.levels_text(),
                setup.submission_deadline,
                setup.reference_date,
                setup.scoring_deadline
            ),
        )?;
        Ok(())
    })
}

/// What stands between a round and its opening, every reason at once (empty: it may open).
pub fn open_blockers(
    c: &mut DbConnection,
    round: &Round,
    today: chrono::NaiveDate,
) -> Result<Vec<String>, ActionError> {
    let committee = round.committee.ok_or(ActionError::NotFound)?;
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    let standing = com.standing(today);
    let members = store::panels::members(c, round.id)?;
    let minimum = super::panels::minimum(c, &com, round)?;
    let unfit = super::panels::unfit_members(c, &com, round, today)?;
    let facts = OpenFacts {
        committee_refusal: standing.may_act().err(),
        opened: round.opened_at.is_some(),
        closed: round.closed_at.is_some(),
        panel_size: members.len(),
        panel_minimum: minimum,
        has_chair: members
            .iter()
            .any(|m| m.role == crate::domain::round::PanelRole::Chair),
        unfit: &unfit,
        submission_deadline: round.submission_deadline,
        today,
    };
    Ok(check_open(&facts).err().unwrap_or_default())
}

/// Opens a round: it takes submissions from now, scored on the committee's current rubric
/// version, pinned here for good.
pub fn open(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        let round = for_change(c, committee, id, seen)?;
        // Taken first at the version seen, so that two openings at once do not both pin.
        if !rounds::bump(c, id, seen)? {
            return Err(ActionError::Stale);
        }
        let why = open_blockers(c, &round, crate::time::local_date(now))?;
        if !why.is_empty() {
            return Err(ActionError::Refused(why.join("；")));
        }
        let (rubric, hash) = super::rubrics::pin(c, who, committee, now)?;
        if !rounds::open(c, id, rubric, now)? {
            return Err(ActionError::Stale);
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundOpen,
            &Subject::Round(id),
            &format!("{}，评审标准版本 {}", round.name, &hash[..12]),
        )?;
        Ok(())
    })
}

/// Whether this person sets up the committee's rounds (its office; the admin and supervisor
/// only read them): asked before a page offers a confirmation step.
pub fn may_run(who: &Actor, committee: CommitteeId) -> Result<(), ActionError> {
    Ok(access::may_run_rounds(who, committee)?)
}

/// Closes a round before (or after) its deadline: it takes no more submissions.
pub fn close(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    seen: i64,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_run_rounds(who, committee)?;
    store::write(c, |c| {
        let round = for_change(c, committee, id, seen)?;
        rounds::close(c, id, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundClose,
            &Subject::Round(id),
            &round.name,
        )?;
        Ok(())
    })
}
