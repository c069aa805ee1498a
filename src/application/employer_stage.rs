//! PURE rules of the employer's stage: who may do what next, from plain facts. The employer's
//! page offers exactly what [`offers`] says, and each use case asks the same function before it
//! commits ([`may_publicise`], [`may_decide`]), so a page never offers what the service refuses.

use crate::domain::{Action, Role, State};
use chrono::NaiveDate;

/// What the employer's stage holds for one application, as far as the next step depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageFacts {
    pub state: State,
    /// The employer has recorded its verification.
    pub verified: bool,
    /// On the employer's record: eligible (`Some(true)`), not (`Some(false)`), or unknown (not
    /// verified yet, or the record is incomplete).
    pub eligible_on_record: Option<bool>,
    /// The verdict on record is 初级 by appointment: the employer appoints, never recommends.
    pub by_appointment: bool,
    /// The verification leaves an obstacle (post, conduct) that forbids recommending.
    pub obstacle: bool,
    /// The current publicity's first and last day.
    pub publicity: Option<(NaiveDate, NaiveDate)>,
    pub open_objections: usize,
    pub today: NaiveDate,
}

/// What the page offers now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offers {
    pub verify: bool,
    pub return_for_revision: bool,
    pub publicise: bool,
    pub record_objection: bool,
    pub resolve_objection: bool,
    /// Recommend or appoint (whichever the verdict says), after the publicity.
    pub decide: bool,
    pub not_recommend: bool,
}

fn allows(f: &StageFacts, action: Action) -> bool {
    crate::workflow::allows(f.state, action, Role::Employer)
}

/// Why the application cannot go into publicity now (`Ok`: it can): verified, and eligible on
/// the employer's record. An application the employer's own record finds ineligible is
/// returned for revision or not recommended, never publicised.
pub fn may_publicise(f: &StageFacts) -> Result<(), String> {
    if !allows(f, Action::StartPublicity) {
        return Err(format!("申报当前状态为“{}”，不能公示", f.state.label()));
    }
    if !f.verified {
        return Err("尚未核实：请先填写并保存单位核实".into());
    }
    match f.eligible_on_record {
        Some(true) => Ok(()),
        Some(false) => Err(
            "按单位核实的记录，申报人暂不符合申报条件，不能公示。请退回申报人修改，或不予推荐"
                .into(),
        ),
        None => Err("申报信息不完整，无法按单位核实的记录判断资格，请退回申报人补充".into()),
    }
}

/// Why a decision cannot be taken yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// Not now: the state, the publicity or its objections (the words say why).
    NotNow(String),
    /// The verification records an obstacle (post, conduct).
    Obstacle,
    /// The employer's record makes the applicant ineligible.
    Ineligible,
    /// The record is incomplete: eligibility cannot be decided.
    Incomplete,
}

impl Blocked {
    pub fn message(&self) -> String {
        match self {
            Blocked::NotNow(why) => why.clone(),
            Blocked::Obstacle => "单位核实的情况不符合推荐条件".into(),
            Blocked::Ineligible => "按单位核实的记录，申报人暂不符合申报条件".into(),
            Blocked::Incomplete => "申报信息不完整，无法判断资格".into(),
        }
    }
}

/// Why the employer cannot recommend or appoint now (`Ok`: it can): the publicity is over, every
/// objection resolved, nothing in the verification forbids it, and the record is eligible.
pub fn may_decide(f: &StageFacts) -> Result<(), Blocked> {
    if !allows(f, Action::Recommend) {
        return Err(Blocked::NotNow(format!(
            "申报当前状态为“{}”，不能作出决定",
            f.state.label()
        )));
    }
    let Some((_, ends)) = f.publicity else {
        return Err(Blocked::NotNow("尚未进行单位内部公示".into()));
    };
    if f.today <= ends {
        let from = ends.succ_opt().unwrap_or(ends);
        return Err(Blocked::NotNow(format!(
            "公示期至 {ends}，{from} 起才能作出决定"
        )));
    }
    if f.open_objections > 0 {
        return Err(Blocked::NotNow(format!(
            "还有 {} 条公示异议未处理，处理完毕后才能作出决定",
            f.open_objections
        )));
    }
    if f.obstacle {
        return Err(Blocked::Obstacle);
    }
    match f.eligible_on_record {
        Some(true) => Ok(()),
        Some(false) => Err(Blocked::Ineligible),
        None => Err(Blocked::Incomplete),
    }
}

/// Everything the employer may do now.
pub fn offers(f: &StageFacts) -> Offers {
    let publicity_started = f.publicity.is_some_and(|(start, _)| f.today >= start);
    Offers {
        verify: allows(f, Action::Verify),
        return_for_revision: allows(f, Action::Return),
        publicise: may_publicise(f).is_ok(),
        record_objection: allows(f, Action::RecordObjection) && publicity_started,
        resolve_objection: allows(f, Action::ResolveObjection) && f.open_objections > 0,
        decide: may_decide(f).is_ok(),
        not_recommend: allows(f, Action::NotRecommend),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts(state: State) -> StageFacts {
        StageFacts {
            state,
            verified: true,
            eligible_on_record: Some(true),
            by_appointment: false,
            obstacle: false,
            publicity: None,
            open_objections: 0,
            today: d("2026-09-21"),
        }
    }

    #[test]
    fn an_ineligible_record_is_returned_or_not_recommended_never_publicised() {
        let eligible = facts(State::EmployerReview);
        assert!(offers(&eligible).publicise);
        let ineligible = StageFacts {
            eligible_on_record: Some(false),
            ..eligible
        };
        let o = offers(&ineligible);
        assert!(!o.publicise && o.return_for_revision && o.not_recommend);
        assert!(may_publicise(&ineligible).unwrap_err().contains("不能公示"));
        let unverified = StageFacts {
            verified: false,
            eligible_on_record: None,
            ..eligible
        };
        assert!(may_publicise(&unverified).unwrap_err().contains("尚未核实"));
        assert!(offers(&unverified).verify);
    }

    #[test]
    fn deciding_waits_for_the_publicity_and_its_objections() {
        let during = StageFacts {
            publicity: Some((d("2026-09-14"), d("2026-09-21"))),
            ..facts(State::EmployerPublicity)
        };
        assert!(may_decide(&during)
            .unwrap_err()
            .message()
            .contains("2026-09-22 起"));
        assert!(offers(&during).record_objection && !offers(&during).decide);
        let after = StageFacts {
            today: d("2026-09-22"),
            ..during
        };
        assert!(offers(&after).decide);
        let objected = StageFacts {
            open_objections: 1,
            ..after
        };
        assert!(!offers(&objected).decide && offers(&objected).resolve_objection);
        // Not before the publicity starts: no objection is recorded yet.
        let later = StageFacts {
            publicity: Some((d("2026-09-25"), d("2026-10-09"))),
            ..during
        };
        assert!(!offers(&later).record_objection);
    }
}
