//! What stands between a draft and its submission. The check-answers page shows these and the
//! submission service refuses on them: one function, so preview and commit never disagree.

use super::{RouteClaim, Sections};
use crate::policy::{RouteStatus, Verdict};
use chrono::NaiveDate;

/// The facts of a round that submission depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInfo {
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    /// Closed early by an admin.
    pub closed: bool,
    /// A returned application may be resubmitted until this day, past the deadline.
    pub reply_until: Option<NaiveDate>,
}

impl RoundInfo {
    /// A round takes submissions up to and including its deadline, unless closed early.
    pub fn open_on(&self, today: NaiveDate) -> bool {
        let last = self.reply_until.map_or(self.submission_deadline, |r| {
            r.max(self.submission_deadline)
        });
        !self.closed && today <= last
    }

    /// Why a closed round cannot be chosen or submitted to.
    pub fn closed_message(&self) -> String {
        if self.closed {
            return format!("{}已关闭，不再接受申报", self.name);
        }
        format!("{}已于 {} 截止申报", self.name, self.submission_deadline)
    }

    /// 接受申报 / 已截止 / 已关闭, on `today`.
    pub fn status(&self, today: NaiveDate) -> &'static str {
        match (self.closed, today <= self.submission_deadline) {
            (true, _) => "已关闭",
            (false, true) => "接受申报",
            (false, false) => "已截止",
        }
    }
}

/// One reason the draft cannot be submitted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocker {
    /// Some section is not complete.
    Incomplete,
    /// No round chosen.
    NoRound,
    /// The round's deadline has passed.
    RoundClosed(String),
    /// Occupation, series or level are not known, so eligibility cannot be decided.
    Undecidable,
    /// The rules do not allow it (yet): the engine's message and, if waiting is enough, from when.
    Ineligible {
        message: String,
        from: Option<NaiveDate>,
    },
}

impl Blocker {
    pub fn message(&self) -> String {
        match self {
            Blocker::Incomplete => "还有未完成的部分，完成所有部分后才能提交。".into(),
            Blocker::NoRound => "请在“申报目标”中选择评审批次。".into(),
            Blocker::RoundClosed(m) => format!("{m}。"),
            Blocker::Undecidable => "申报信息不完整，无法判断申报资格。".into(),
            Blocker::Ineligible { message, from } => {
                let mut s = format!("根据资格判断，暂不能提交：{message}");
                if let Some(d) = from {
                    s.push_str(&format!(" 您可于 {d} 起提交。"));
                }
                s
            }
        }
    }
}

/// May this verdict carry a submission? Eligible, or an exceptional (破格) claim with its grounds
/// and no failing basic condition, which the committee then verifies.
pub fn submittable(verdict: &Verdict, sections: &Sections) -> bool {
    let exceptional_claim = sections.target.as_ref().is_some_and(|t| {
        t.route == Some(RouteClaim::Exceptional) && !t.exceptional_grounds.trim().is_empty()
    });
    verdict.eligible
        || (exceptional_claim
            && verdict.unmet.is_empty()
            && verdict
                .routes
                .iter()
                .any(|r| r.status == RouteStatus::NeedsVerification))
}

/// Everything that blocks submission on `today`, first the most basic. `verdict` is the
/// engine's answer on the round's reference date (`None` when it cannot be decided).
pub fn blockers(
    sections: &Sections,
    round: Option<&RoundInfo>,
    verdict: Option<&Verdict>,
    today: NaiveDate,
) -> Vec<Blocker> {
    let mut out = Vec::new();
    if !sections.all_complete() {
        out.push(Blocker::Incomplete);
    }
    match round {
        None => out.push(Blocker::NoRound),
        Some(r) if !r.open_on(today) => out.push(Blocker::RoundClosed(r.closed_message())),
        Some(_) => {}
    }
    match verdict {
        None => {
            if out.is_empty() {
                out.push(Blocker::Undecidable);
            }
        }
        Some(v) if !submittable(v, sections) => out.push(Blocker::Ineligible {
            message: v.message.clone(),
            from: v.eligible_from,
        }),
        Some(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_draft_is_blocked_and_a_closed_round_says_so() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let round = RoundInfo {
            name: "2026年度评审".into(),
            submission_deadline: d("2026-12-31"),
            closed: false,
            reply_until: None,
            reference_date: d("2026-12-31"),
        };
        let s = Sections::default();
        assert_eq!(
            blockers(&s, None, None, d("2026-06-01")),
            vec![Blocker::Incomplete, Blocker::NoRound]
        );
        assert!(round.open_on(d("2026-12-31")));
        assert!(!round.open_on(d("2027-01-01")));
        let b = blockers(&s, Some(&round), None, d("2027-01-01"));
        assert_eq!(
            b[1],
            Blocker::RoundClosed("2026年度评审已于 2026-12-31 截止申报".into())
        );
    }
}
