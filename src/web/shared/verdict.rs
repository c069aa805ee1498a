//! A verdict made ready for a page: plain Chinese, each clause with its title. The same view is
//! shown on the self-check page, the applicant's task list and to the employer and committee.

use crate::policy::{clause_title, Level, RouteKind, RouteStatus, Unmet, Verdict};

pub struct VerdictView {
    pub eligible: bool,
    pub headline: String,
    pub message: String,
    pub eligible_from: Option<String>,
    pub by_appointment: bool,
    pub highest_level: Option<&'static str>,
    pub theory_exam_exempt: Option<bool>,
    pub common: Vec<UnmetView>,
    pub routes: Vec<RouteView>,
}

pub struct UnmetView {
    pub clause: String,
    pub message: String,
}

pub struct RouteView {
    pub name: String,
    /// "ok", "no" or "wait": the tag's colour.
    pub tone: &'static str,
    pub status: &'static str,
    pub level: Option<&'static str>,
    pub clauses: String,
    pub unmet: Vec<UnmetView>,
}

fn clause(id: &str) -> String {
    match clause_title(id) {
        "" => id.to_string(),
        title => format!("{id} {title}"),
    }
}

fn unmet(u: &Unmet) -> UnmetView {
    UnmetView {
        clause: clause(&u.clause),
        message: u.message.clone(),
    }
}

/// A route that reaches a level, but not the one applied for, says so first (else 不符合 beside
/// 可达层级 初级 reads as a contradiction).
fn below_target(r: &crate::policy::Route, target: Level) -> Option<UnmetView> {
    let level = r
        .level
        .filter(|l| r.status == RouteStatus::NotEligible && *l != target)?;
    Some(UnmetView {
        clause: r.clauses.first().map(|c| clause(c)).unwrap_or_default(),
        message: format!("按此途径目前可达{}，低于申报的{}", level.zh(), target.zh()),
    })
}

impl VerdictView {
    /// The verdict frozen at submission, from its stored JSON.
    pub fn frozen(json: Option<&str>) -> Option<VerdictView> {
        json.and_then(|j| serde_json::from_str::<Verdict>(j).ok())
            .map(|v| VerdictView::new(&v))
    }

    pub fn new(v: &Verdict) -> VerdictView {
        let target = v.target_level.zh();
        let headline = if v.eligible {
            if v.by_appointment {
                "符合条件：可由单位聘任初级职称".to_string()
            } else {
                format!("符合条件：可以申报{target}")
            }
        } else {
            format!("暂不符合申报{target}的条件")
        };
        VerdictView {
            eligible: v.eligible,
            headline,
            message: v.message.clone(),
            eligible_from: v.eligible_from.map(|d| d.to_string()),
            by_appointment: v.by_appointment,
            highest_level: v.highest_level.map(Level::zh),
            theory_exam_exempt: v.theory_exam_exempt,
            common: v.unmet.iter().map(unmet).collect(),
            routes: v
                .routes
                .iter()
                .map(|r| RouteView {
                    name: match (&r.honour, r.route) {
                        (Some(h), _) => format!("荣誉：{h}"),
                        (None, RouteKind::Seniority) => {
                            "任职资历（取得技能等级后的工作年限）".to_string()
                        }
                        (None, RouteKind::Title) => "已取得的专业技术职称".to_string(),
                        (None, RouteKind::Upgrade) => "晋级评价（取得技能等级满1年）".to_string(),
                        (None, RouteKind::Exceptional) => "破格申报".to_string(),
                        (None, RouteKind::Honour) => "荣誉".to_string(),
                    },
                    tone: match r.status {
                        RouteStatus::Eligible => "ok",
                        RouteStatus::NotEligible => "no",
                        RouteStatus::NeedsVerification => "wait",
                    },
                    status: match r.status {
                        RouteStatus::Eligible => "符合",
                        RouteStatus::NotEligible => "不符合",
                        RouteStatus::NeedsVerification => "需评委会核实",
                    },
                    level: r.level.map(Level::zh),
                    clauses: r
                        .clauses
                        .iter()
                        .map(|c| clause(c))
                        .collect::<Vec<_>>()
                        .join("；"),
                    unmet: below_target(r, v.target_level)
                        .into_iter()
                        .chain(r.unmet.iter().map(unmet))
                        .collect(),
                })
                .collect(),
        }
    }
}
