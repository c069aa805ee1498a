//! Application rounds (评审批次), set up by the admin.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{AuditAction, RoundId, Subject};
use crate::store::{self, audit, rounds, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

pub struct NewRound {
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
        let id = rounds::insert(
            c,
            &new.name,
            new.submission_deadline,
            new.reference_date,
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
