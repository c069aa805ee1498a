//! Application rounds (评审批次), set up by the admin.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::application::submission::RoundInfo;
use crate::domain::{AuditAction, RoundId, Subject};
use crate::store::rounds::Round;
use crate::store::{self, applications, audit, rounds, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

pub struct NewRound {
    /// The committee that reviews the round.
    pub committee: crate::domain::CommitteeId,
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
}

pub fn create(
    c: &mut DbConnection,
    who: &Actor,
    new: &NewRound,
    now: NaiveDateTime,
) -> Result<RoundId, ActionError> {
    access::may_manage_rounds(who)?;
    store::write(c, |c| {
        if rounds::name_taken(c, &new.name)? {
            return Err(ActionError::Refused("已有同名的评审批次".into()));
        }
        if crate::store::committees::find(c, new.committee)?.is_none() {
            return Err(ActionError::Refused(NO_COMMITTEE.into()));
        }
        let id = rounds::insert(
            c,
            &new.name,
            new.submission_deadline,
            new.reference_date,
            new.committee,
            now,
        )?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundCreate,
            &Subject::Round(id),
            &format!("{}，截止 {}", new.name, new.submission_deadline),
        )?;
        Ok(id)
    })
}

/// What submission needs to know of a round.
pub fn info(r: &Round) -> RoundInfo {
    RoundInfo {
        name: r.name.clone(),
        submission_deadline: r.submission_deadline,
        reference_date: r.reference_date,
        closed: r.closed_at.is_some(),
        reply_until: None,
    }
}

/// A round names an existing committee.
pub const NO_COMMITTEE: &str = "请选择评审该批次的评委会";

/// Why a round's committee stays once applications were recommended to it.
pub const COMMITTEE_FIXED: &str = "该批次已有申报推荐至评委会，不能再更换评委会";

/// Why a round's reference date stays as it is once applications were submitted to it.
pub const REFERENCE_FIXED: &str =
    "该批次已有申报提交，提交时的资格判断按原资格计算日期冻结，资格计算日期不能再修改";

/// Changes a round's name and dates. The reference date is fixed once any application was
/// submitted (their verdicts were frozen on it); a closed round is not changed.
pub fn update(
    c: &mut DbConnection,
    who: &Actor,
    id: RoundId,
    new: &NewRound,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_rounds(who)?;
    store::write(c, |c| {
        let round = rounds::find(c, id)?.ok_or(ActionError::NotFound)?;
        if round.closed_at.is_some() {
            return Err(ActionError::Refused("该批次已关闭，不能再修改".into()));
        }
        if rounds::name_taken_by_other(c, &new.name, id)? {
            return Err(ActionError::Refused("已有同名的评审批次".into()));
        }
        if new.reference_date != round.reference_date
            && applications::any_submitted_in_round(c, id)?
        {
            return Err(ActionError::Refused(REFERENCE_FIXED.into()));
        }
        if Some(new.committee) != round.committee {
            if crate::store::committees::find(c, new.committee)?.is_none() {
                return Err(ActionError::Refused(NO_COMMITTEE.into()));
            }
            if applications::any_recommended_in_round(c, id)? {
                return Err(ActionError::Refused(COMMITTEE_FIXED.into()));
            }
        }
        rounds::update(
            c,
            id,
            &new.name,
            new.submission_deadline,
            new.reference_date,
            new.committee,
        )?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RoundUpdate,
            &Subject::Round(id),
            &format!(
                "{}，截止 {}，资格计算日期 {}",
                new.name, new.submission_deadline, new.reference_date
            ),
        )?;
        Ok(())
    })
}

/// Closes a round before (or after) its deadline: it takes no more submissions.
pub fn close(
    c: &mut DbConnection,
    who: &Actor,
    id: RoundId,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_rounds(who)?;
    store::write(c, |c| {
        let round = rounds::find(c, id)?.ok_or(ActionError::NotFound)?;
        if round.closed_at.is_some() {
            return Err(ActionError::Refused("该批次已关闭".into()));
        }
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
