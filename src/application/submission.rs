//! What stands between a draft and its submission. The check-answers page shows these and the
//! submission service refuses on them: one function, so preview and commit never disagree.

use super::{RouteClaim, Sections};
use crate::domain::TitleLevel;
use crate::policy::{RouteStatus, Verdict};
use chrono::NaiveDate;

/// The facts of a round that submission depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInfo {
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    /// Closed early by its office.
    pub closed: bool,
    /// Opened by its office (a round being set up takes nobody yet).
    pub opened: bool,
    /// A returned application may be resubmitted until this day, past the deadline.
    pub reply_until: Option<NaiveDate>,
    /// An application the committee asked to correct is resubmitted by this day, and by no
    /// other: neither the round's deadline nor its closing changes it.
    pub correction_until: Option<NaiveDate>,
    /// Its committee's name, series and specialty (empty: a committee not yet set up, which
    /// restricts nothing), the levels the round takes and the committee's occupation scope.
    pub committee: String,
    pub series: String,
    pub specialty: String,
    pub levels: Vec<TitleLevel>,
    pub scope: Vec<String>,
    /// The committee's registration (`None`: a placeholder not yet set up, which restricts
    /// nothing): a committee that may not act takes no submissions.
    pub registration: Option<crate::domain::committee::Registration>,
}

impl RoundInfo {
    /// A round takes submissions up to and including its deadline, unless closed early.
    pub fn open_on(&self, today: NaiveDate) -> bool {
        if let Some(until) = self.correction_until {
            return self.opened && today <= until && self.committee_refusal(today).is_none();
        }
        let last = self.reply_until.map_or(self.submission_deadline, |r| {
            r.max(self.submission_deadline)
        });
        self.opened && !self.closed && today <= last && self.committee_refusal(today).is_none()
    }

    /// Why the round's committee may not act on `today` (expired, suspended…), if so.
    pub fn committee_refusal(&self, today: NaiveDate) -> Option<&'static str> {
        let r = self.registration.as_ref()?;
        crate::domain::committee::standing(r, today).may_act().err()
    }

    /// Whether the round takes applications for this series, specialty and level: its
    /// committee reviews the series (and the specialty, when organised by one) and the round
    /// takes the level. One answer for the applicant's list of rounds, the target form, the
    /// task list and submission.
    pub fn takes(
        &self,
        series: &str,
        specialty: &str,
        level: Option<TitleLevel>,
    ) -> Result<(), String> {
        let mut why = Vec::new();
        if !self.series.is_empty() && !series.is_empty() && series != self.series {
            why.push(format!("只评审{}系列", self.series));
        }
        if !self.specialty.is_empty() && !specialty.is_empty() && specialty != self.specialty {
            why.push(format!("只评审{}专业", self.specialty));
        }
        if let Some(l) = level {
            if !self.levels.is_empty() && !self.levels.contains(&l) {
                let names: Vec<&str> = self.levels.iter().map(|l| l.zh()).collect();
                why.push(format!(
                    "本批次只受理{}，不受理{}",
                    names.join("、"),
                    l.zh()
                ));
            }
        }
        if why.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}（{}）{}",
                self.name,
                self.committee,
                why.join("；")
            ))
        }
    }

    /// The warning when the committee's occupation scope (§3.2) does not include the
    /// applicant's occupation: the office may refuse it at the formal check.
    pub fn scope_warning(&self, occupation: &str) -> Option<String> {
        let occupation = occupation.trim();
        if self.scope.is_empty()
            || occupation.is_empty()
            || self.scope.iter().any(|o| o == occupation)
        {
            return None;
        }
        Some(format!(
            "{}受理范围不含“{occupation}”，形式审查可能不予受理",
            if self.committee.is_empty() {
                "本评委会"
            } else {
                &self.committee
            }
        ))
    }

    /// Why a closed round cannot be chosen or submitted to.
    pub fn closed_message(&self, today: NaiveDate) -> String {
        if let Some(r) = self
            .registration
            .as_ref()
            .filter(|_| self.opened && !self.closed)
        {
            let standing = crate::domain::committee::standing(r, today);
            if standing.may_act().is_err() {
                // Said to the applicant: the committee's standing, not the office's to-do.
                return format!("{}暂不受理申报：评委会{}", self.name, standing.label());
            }
        }
        if let Some(until) = self.correction_until {
            return format!("补正期限已于 {until} 届满，不能再重新提交");
        }
        if !self.opened {
            return format!("{}尚未开始受理", self.name);
        }
        if self.closed {
            return format!("{}已关闭，不再接受申报", self.name);
        }
        format!("{}已于 {} 截止申报", self.name, self.submission_deadline)
    }

    /// 接受申报 / 已截止 / 已关闭, on `today`.
    pub fn status(&self, today: NaiveDate) -> &'static str {
        if !self.opened && !self.closed {
            return "设置中";
        }
        match (self.closed, today <= self.submission_deadline) {
            (true, _) => "已关闭",
            (false, true) if self.committee_refusal(today).is_some() => "暂不受理",
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
    /// The round does not take the series, specialty or level applied for.
    RoundNotForTarget(String),
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
            Blocker::RoundNotForTarget(m) => format!("{m}，请在“申报目标”中另选评审批次。"),
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
        Some(r) if !r.open_on(today) => out.push(Blocker::RoundClosed(r.closed_message(today))),
        Some(r) => {
            if let Some(t) = &sections.target {
                if let Err(m) = r.takes(&t.series, &t.specialty, t.level) {
                    out.push(Blocker::RoundNotForTarget(m));
                }
            }
        }
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
            opened: true,
            reply_until: None,
            correction_until: None,
            reference_date: d("2026-12-31"),
            committee: "工程系列中级评委会".into(),
            series: "工程".into(),
            specialty: String::new(),
            levels: vec![TitleLevel::Intermediate],
            scope: vec!["焊工".into()],
            registration: None,
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

    #[test]
    fn a_round_takes_its_committees_series_and_its_own_levels() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut round = RoundInfo {
            name: "2027年度".into(),
            submission_deadline: d("2027-03-31"),
            closed: false,
            opened: false,
            reply_until: None,
            correction_until: None,
            reference_date: d("2027-03-31"),
            committee: "工程系列中级评委会".into(),
            series: "工程".into(),
            specialty: String::new(),
            levels: vec![TitleLevel::Intermediate],
            scope: vec!["焊工".into(), "电工".into()],
            registration: None,
        };
        assert!(
            !round.open_on(d("2027-01-04")),
            "a round being set up takes nobody"
        );
        assert_eq!(
            round.closed_message(d("2027-01-04")),
            "2027年度尚未开始受理"
        );
        round.opened = true;
        assert!(round.open_on(d("2027-01-04")));
        // A committee whose registration lapsed takes no submissions, and says why.
        round.registration = Some(crate::domain::committee::Registration {
            set_up: true,
            registered_on: Some(d("2024-01-01")),
            registered_until: Some(d("2026-12-31")),
            suspended_on: None,
        });
        assert!(round.open_on(d("2026-12-31")));
        assert!(!round.open_on(d("2027-01-04")));
        assert_eq!(round.status(d("2027-01-04")), "暂不受理");
        let why = round.closed_message(d("2027-01-04"));
        assert!(why.starts_with("2027年度暂不受理申报："), "{why}");
        round.registration = None;
        assert_eq!(
            round.takes("工程", "电气", Some(TitleLevel::Intermediate)),
            Ok(())
        );
        let why = round
            .takes("经济", "", Some(TitleLevel::AssociateSenior))
            .unwrap_err();
        assert!(why.contains("只评审工程系列"), "{why}");
        assert!(why.contains("不受理副高级"), "{why}");
        assert_eq!(round.scope_warning("焊工"), None);
        assert_eq!(
            round.scope_warning("车工").as_deref(),
            Some("工程系列中级评委会受理范围不含“车工”，形式审查可能不予受理")
        );
        round.scope.clear();
        assert_eq!(
            round.scope_warning("车工"),
            None,
            "no scope recorded, no warning"
        );
    }
}
