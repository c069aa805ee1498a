//! The verdict: for each route, eligible or not and why, clause by clause (CHECKER.md).

use super::catalogue::Catalogue;
use super::seniority::reached_on;
use super::types::*;
use crate::calendar::{add_years, span_zh};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A condition that can fail, as the checker names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    SeriesOpen,
    Consistency,
    SkillLevelMinimum,
    AnnualAssessment,
    TitleHeld,
    Years,
    SkillLevel,
    TitleLevel,
    Frontline,
    LevelNotReachable,
}

/// One unmet condition: what is missing, under which clause, and when waiting is enough.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmet {
    pub condition: Condition,
    pub clause: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_from: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// §2.2.3 任职资历
    Seniority,
    /// §2.3.1 through the title held
    Title,
    /// §2.3.1 one-year upgrade
    Upgrade,
    /// §2.2.4 (b) honour
    Honour,
    /// §2.2.4 (a) 破格
    Exceptional,
}

impl RouteKind {
    pub fn zh(self) -> &'static str {
        match self {
            RouteKind::Seniority => "任职资历",
            RouteKind::Title => "已取得职称",
            RouteKind::Upgrade => "晋级评价",
            RouteKind::Honour => "荣誉（绿色通道）",
            RouteKind::Exceptional => "破格（绿色通道）",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteStatus {
    Eligible,
    NotEligible,
    NeedsVerification,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub route: RouteKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honour: Option<String>,
    pub status: RouteStatus,
    pub level: Option<Level>,
    pub clauses: Vec<String>,
    pub unmet: Vec<Unmet>,
}

pub use crate::domain::Pathway;

/// The answer for one profile. Serialises to exactly the checker's output object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub pathway: Pathway,
    pub target_level: Level,
    pub eligible: bool,
    pub by_appointment: bool,
    pub highest_level: Option<Level>,
    pub eligible_from: Option<NaiveDate>,
    pub theory_exam_exempt: Option<bool>,
    pub unmet: Vec<Unmet>,
    pub routes: Vec<Route>,
    pub message: String,
}

fn unmet(condition: Condition, clause: &str, message: String) -> Unmet {
    Unmet {
        condition,
        clause: clause.to_string(),
        message,
        eligible_from: None,
    }
}

fn clauses(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|c| c.to_string()).collect()
}

/// A route resting on one clause, eligible when its level reaches the target.
fn new_route(
    route: RouteKind,
    honour: Option<String>,
    level: Option<Level>,
    clause: &str,
    target: Level,
) -> Route {
    let status = if level.is_some_and(|l| l >= target) {
        RouteStatus::Eligible
    } else {
        RouteStatus::NotEligible
    };
    Route {
        route,
        honour,
        status,
        level,
        clauses: clauses(&[clause]),
        unmet: Vec::new(),
    }
}

/// Decides a profile against the catalogue on the profile's reference date.
pub fn evaluate(profile: &Profile, catalogue: &Catalogue) -> Verdict {
    let (pathway, unmet_common, routes, theory) = match &profile.target {
        Target::Title { series, level } => {
            let (u, r) = title_pathway(profile, catalogue, series, *level);
            (Pathway::Title, u, r, None)
        }
        Target::Skill { level } => {
            let (u, r) = skill_pathway(profile, catalogue, *level);
            (Pathway::Skill, u, r, Some(profile.diploma_major_related))
        }
    };
    let eligible =
        unmet_common.is_empty() && routes.iter().any(|r| r.status == RouteStatus::Eligible);
    let highest_level = routes.iter().filter_map(|r| r.level).max();
    // The earliest day on which a route that lacks only time is met; none while a common
    // condition fails, since waiting does not mend it.
    let eligible_from = if eligible || !unmet_common.is_empty() {
        None
    } else {
        routes.iter().filter_map(waiting_only).min()
    };
    let by_appointment = matches!(
        profile.target,
        Target::Title {
            level: TitleLevel::Junior,
            ..
        }
    );
    let target_level = profile.target.level();
    let message = summary(
        profile,
        eligible,
        by_appointment,
        eligible_from,
        &unmet_common,
        &routes,
    );
    Verdict {
        pathway,
        target_level,
        eligible,
        by_appointment,
        highest_level,
        eligible_from,
        theory_exam_exempt: theory,
        unmet: unmet_common,
        routes,
        message,
    }
}

/// The day a route is met when all it lacks is time (every unmet item is `years` with a date).
fn waiting_only(route: &Route) -> Option<NaiveDate> {
    let dates = route
        .unmet
        .iter()
        .map(|u| match u.condition {
            Condition::Years => u.eligible_from,
            _ => None,
        })
        .collect::<Option<Vec<NaiveDate>>>()?;
    dates.into_iter().max()
}

fn summary(
    profile: &Profile,
    eligible: bool,
    by_appointment: bool,
    eligible_from: Option<NaiveDate>,
    common: &[Unmet],
    routes: &[Route],
) -> String {
    let target = profile.target.level().zh();
    if eligible {
        let via: Vec<&str> = routes
            .iter()
            .filter(|r| r.status == RouteStatus::Eligible)
            .map(|r| r.route.zh())
            .collect();
        let what = match (&profile.target, by_appointment) {
            (_, true) => "可由单位聘任初级职称".to_string(),
            (Target::Title { series, .. }, _) => format!("可申报{series}系列{target}职称"),
            (Target::Skill { .. }, _) => {
                format!("可申报{}（{target}）职业技能评价", profile.occupation)
            }
        };
        return format!("符合条件，{what}（依据：{}）。", via.join("、"));
    }
    let mut reasons: Vec<&str> = common.iter().map(|u| u.message.as_str()).collect();
    if reasons.is_empty() {
        reasons = routes
            .iter()
            .flat_map(|r| r.unmet.iter().map(|u| u.message.as_str()))
            .collect();
        if routes
            .iter()
            .any(|r| r.status == RouteStatus::NeedsVerification)
        {
            reasons.push("破格申报须经评审委员会核实");
        }
    }
    let mut text = format!("暂不符合申报{target}的条件：{}", reasons.join("；"));
    // The date is said once: a reason that waits for it names it already.
    if let Some(from) = eligible_from.filter(|d| !text.contains(&d.to_string())) {
        text.push_str(&format!("。{from} 起可申报"));
    }
    text.push('。');
    text
}

/// §2.2.3: (skill level held, years after it, title level reachable).
const SENIORITY_ROWS: [(SkillLevel, i32, TitleLevel); 3] = [
    (SkillLevel::Senior, 2, TitleLevel::Junior),
    (SkillLevel::Technician, 3, TitleLevel::Intermediate),
    (SkillLevel::SeniorTechnician, 4, TitleLevel::AssociateSenior),
];

/// The periods to count, as declared: a period with a `to` counts up to that day and no further,
/// also past the reference date; `to: None` goes on; a later period counts from its own `from`.
/// Days after the reference date never decide eligibility on it, only the date from which
/// waiting is enough (`eligible_from`), which the declared history must bear out.
fn periods<'a>(work: impl Iterator<Item = &'a WorkPeriod>) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    work.map(|w| (w.from(), w.to())).collect()
}

/// "还差 8 个月，2027-03-01 起可申报" or why waiting is not enough.
fn wait_text(reference: NaiveDate, from: Option<NaiveDate>) -> String {
    match from {
        Some(date) => format!("还差 {}，{date} 起可申报", span_zh(reference, date)),
        None => "按现有工作经历无法满足，需继续从事相关工作".to_string(),
    }
}

fn title_pathway(
    p: &Profile,
    cat: &Catalogue,
    series: &str,
    target: TitleLevel,
) -> (Vec<Unmet>, Vec<Route>) {
    let reference = p.reference_date;
    let mut common = Vec::new();
    if !cat.series_open(series) {
        common.push(unmet(
            Condition::SeriesOpen,
            "§2.1",
            format!("{series}系列不在本市贯通领域内（贯通领域为工程、农业、工艺美术、文物博物、实验技术、艺术、体育、中等职业学校教师和技工院校教师系列）"),
        ));
    }
    if !cat.corresponds(&p.occupation, series) {
        common.push(unmet(
            Condition::Consistency,
            "§1.2.3",
            format!(
                "所从事的职业“{}”与{series}系列不对应，须专业相同或相近",
                p.occupation
            ),
        ));
    }
    let certs: Vec<&SkillCertificate> = p
        .skill_certificates
        .iter()
        .filter(|c| c.obtained_on <= reference && cat.corresponds(&c.occupation, series))
        .collect();
    if certs.is_empty() {
        common.push(unmet(
            Condition::SkillLevelMinimum,
            "§2.2.2",
            format!("须具有与{series}系列对应职业的高级工（三级）及以上职业资格或职业技能等级"),
        ));
    }
    if let Some(u) = annual_assessments(p) {
        common.push(u);
    }

    let work = periods(
        p.work
            .iter()
            .filter(|w| cat.corresponds(w.occupation(), series)),
    );
    let mut routes = vec![seniority_route(reference, &certs, &work, target)];
    for name in &p.honours {
        routes.push(honour_route(cat, name, p.frontline, target));
    }
    if p.exceptional {
        routes.push(Route {
            route: RouteKind::Exceptional,
            honour: None,
            status: RouteStatus::NeedsVerification,
            level: None,
            clauses: clauses(&["§2.2.4"]),
            unmet: Vec::new(),
        });
    }
    (common, routes)
}

/// The years whose annual assessments §2.2.2 asks for: the three calendar years before the
/// reference date's year, oldest first. The forms that ask for them (the applicant's, the
/// employer's) offer these.
pub fn assessment_years(reference_date: NaiveDate) -> [i32; 3] {
    let year = reference_date.year();
    [year - 3, year - 2, year - 1]
}

/// §2.2.2: the three calendar years before the reference year, each present and a pass.
fn annual_assessments(p: &Profile) -> Option<Unmet> {
    let year = p.reference_date.year();
    let mut problems = Vec::new();
    for y in assessment_years(p.reference_date) {
        match p.annual_assessments.iter().find(|a| a.year == y) {
            None => problems.push(format!("缺少{y}年度考核结果")),
            Some(a) if !a.result.passes() => {
                problems.push(format!("{y}年度考核为{}", a.result.zh()))
            }
            Some(_) => {}
        }
    }
    (!problems.is_empty()).then(|| {
        unmet(
            Condition::AnnualAssessment,
            "§2.2.2",
            format!(
                "须在现工作岗位上近3年（{}—{}年）年度考核合格：{}",
                year - 3,
                year - 1,
                problems.join("，")
            ),
        )
    })
}

fn seniority_route(
    reference: NaiveDate,
    certs: &[&SkillCertificate],
    work: &[(NaiveDate, Option<NaiveDate>)],
    target: TitleLevel,
) -> Route {
    let reached = |cert: &SkillCertificate, years: i32| reached_on(work, cert.obtained_on, years);
    let level = certs
        .iter()
        .flat_map(|c| {
            SENIORITY_ROWS
                .iter()
                .filter(move |(skill, _, _)| *skill <= c.level)
                .filter(|(_, years, _)| reached(c, *years).is_some_and(|d| d <= reference))
                .map(|(_, _, title)| *title)
        })
        .max();
    let mut route = new_route(
        RouteKind::Seniority,
        None,
        level.map(Level::Title),
        "§2.2.3",
        Level::Title(target),
    );
    if route.status == RouteStatus::Eligible {
        return route;
    }
    let Some(&(skill, years, _)) = SENIORITY_ROWS.iter().find(|(_, _, t)| *t == target) else {
        route.unmet.push(unmet(
            Condition::LevelNotReachable,
            "§2.2.3",
            "正高级职称不能通过任职资历折算申报，须通过绿色通道（§2.2.4）或本系列评审规定"
                .to_string(),
        ));
        return route;
    };
    let candidates: Vec<&&SkillCertificate> = certs.iter().filter(|c| c.level >= skill).collect();
    if candidates.is_empty() {
        route.unmet.push(unmet(
            Condition::SkillLevel,
            "§2.2.3",
            format!(
                "按任职资历申报{}须取得{}（{}）及以上职业技能等级",
                target.zh(),
                skill.zh(),
                skill_grade(skill)
            ),
        ));
        return route;
    }
    let from = candidates.iter().filter_map(|c| reached(c, years)).min();
    let action = if target == TitleLevel::Junior {
        "可由单位聘任初级职称".to_string()
    } else {
        format!("方可申报{}", target.zh())
    };
    route.unmet.push(Unmet {
        condition: Condition::Years,
        clause: "§2.2.3".to_string(),
        message: format!(
            "取得{}后从事技术工作满{years}年{action}，{}",
            skill.zh(),
            wait_text(reference, from)
        ),
        eligible_from: from,
    });
    route
}

fn skill_grade(level: SkillLevel) -> &'static str {
    match level {
        SkillLevel::Senior => "三级",
        SkillLevel::Technician => "二级",
        SkillLevel::SeniorTechnician => "一级",
    }
}

fn honour_route(cat: &Catalogue, name: &str, frontline: bool, target: TitleLevel) -> Route {
    let catalogue_level = cat.honour_level(name);
    let level = catalogue_level.filter(|_| frontline);
    let mut route = new_route(
        RouteKind::Honour,
        Some(name.to_string()),
        level.map(Level::Title),
        "§2.2.4",
        Level::Title(target),
    );
    if route.status == RouteStatus::Eligible {
        return route;
    }
    if !frontline {
        route.unmet.push(unmet(
            Condition::Frontline,
            "§2.2.4",
            "凭荣誉直接申报须作出突出贡献、具有绝招绝技绝活并长期坚守在生产服务一线岗位"
                .to_string(),
        ));
    }
    match catalogue_level {
        Some(l) if l < target => {
            let gives = if l == TitleLevel::Junior {
                "可由单位聘任初级职称".to_string()
            } else {
                format!("可申报{}职称", l.zh())
            };
            route.unmet.push(unmet(
                Condition::LevelNotReachable,
                "§2.2.4",
                format!("{name}{gives}，不能直接申报{}", target.zh()),
            ));
        }
        Some(_) => {}
        None => route.unmet.push(unmet(
            Condition::LevelNotReachable,
            "§2.2.4",
            format!("“{name}”不在荣誉目录中"),
        )),
    }
    route
}

fn skill_pathway(p: &Profile, cat: &Catalogue, target: SkillLevel) -> (Vec<Unmet>, Vec<Route>) {
    let reference = p.reference_date;
    let occupation = p.occupation.as_str();
    let mut common = Vec::new();
    let held: Vec<&TitleHeld> = p
        .titles
        .iter()
        .filter(|t| t.obtained_on <= reference)
        .collect();
    let matching: Vec<&TitleHeld> = held
        .iter()
        .copied()
        .filter(|t| cat.corresponds(occupation, &t.series))
        .collect();
    if held.is_empty() {
        common.push(unmet(
            Condition::TitleHeld,
            "§2.3.1",
            "申报职业技能评价须已取得专业技术职称".to_string(),
        ));
    } else if matching.is_empty() {
        common.push(unmet(
            Condition::Consistency,
            "§1.2.3",
            format!("所持职称的系列与职业“{occupation}”不对应，须专业相同或相近"),
        ));
    }
    let work = periods(
        p.work
            .iter()
            .filter(|w| cat.related(w.occupation(), occupation)),
    );
    let mut routes = vec![title_route(reference, occupation, &matching, &work, target)];
    let certs: Vec<&SkillCertificate> = p
        .skill_certificates
        .iter()
        .filter(|c| c.obtained_on <= reference && cat.related(&c.occupation, occupation))
        .collect();
    if !certs.is_empty() {
        routes.push(upgrade_route(reference, &certs, target));
    }
    (common, routes)
}

/// §2.3.1 by the title held: (title level, years after it, skill level reachable).
fn title_rows(level: TitleLevel) -> &'static [(i32, SkillLevel)] {
    match level {
        TitleLevel::Junior => &[(0, SkillLevel::Senior), (3, SkillLevel::Technician)],
        TitleLevel::Intermediate => &[
            (0, SkillLevel::Technician),
            (3, SkillLevel::SeniorTechnician),
        ],
        TitleLevel::AssociateSenior | TitleLevel::FullSenior => {
            &[(0, SkillLevel::SeniorTechnician)]
        }
    }
}

fn title_route(
    reference: NaiveDate,
    occupation: &str,
    titles: &[&TitleHeld],
    work: &[(NaiveDate, Option<NaiveDate>)],
    target: SkillLevel,
) -> Route {
    let reached = |t: &TitleHeld, years: i32| -> Option<NaiveDate> {
        if years == 0 {
            Some(t.obtained_on)
        } else {
            reached_on(work, t.obtained_on, years)
        }
    };
    let level = titles
        .iter()
        .flat_map(|t| {
            title_rows(t.level)
                .iter()
                .filter(move |(years, _)| reached(t, *years).is_some_and(|d| d <= reference))
                .map(|(_, skill)| *skill)
        })
        .max();
    let mut route = new_route(
        RouteKind::Title,
        None,
        level.map(Level::Skill),
        "§2.3.1",
        Level::Skill(target),
    );
    if route.status == RouteStatus::Eligible {
        return route;
    }
    // Titles that could reach the target by waiting.
    let candidates: Vec<(&TitleHeld, i32)> = titles
        .iter()
        .flat_map(|t| {
            title_rows(t.level)
                .iter()
                .filter(|(_, s)| *s >= target)
                .map(move |(y, _)| (*t, *y))
        })
        .collect();
    if candidates.is_empty() {
        let needed = match target {
            SkillLevel::Senior => "初级及以上",
            SkillLevel::Technician => "初级及以上",
            SkillLevel::SeniorTechnician => "中级及以上",
        };
        let message = if titles.is_empty() {
            format!("须取得与职业“{occupation}”对应系列的{needed}专业技术职称")
        } else {
            format!("申报{}须取得{needed}职称", target.zh())
        };
        route
            .unmet
            .push(unmet(Condition::TitleLevel, "§2.3.1", message));
        return route;
    }
    let from = candidates.iter().filter_map(|(t, y)| reached(t, *y)).min();
    let (title, years) = candidates[0];
    route.unmet.push(Unmet {
        condition: Condition::Years,
        clause: "§2.3.1".to_string(),
        message: format!(
            "取得{}职称后从事本职业或相关职业工作满{years}年方可申报{}，{}",
            title.level.zh(),
            target.zh(),
            wait_text(reference, from)
        ),
        eligible_from: from,
    });
    route
}

fn upgrade_route(reference: NaiveDate, certs: &[&SkillCertificate], target: SkillLevel) -> Route {
    let level = certs
        .iter()
        .filter(|c| add_years(c.obtained_on, 1) <= reference)
        .filter_map(|c| c.level.next())
        .max();
    let mut route = new_route(
        RouteKind::Upgrade,
        None,
        level.map(Level::Skill),
        "§2.3.1",
        Level::Skill(target),
    );
    if route.status == RouteStatus::Eligible {
        return route;
    }
    let candidates: Vec<&&SkillCertificate> = certs
        .iter()
        .filter(|c| c.level.next().is_some_and(|n| n >= target))
        .collect();
    if let Some(from) = candidates.iter().map(|c| add_years(c.obtained_on, 1)).min() {
        route.unmet.push(Unmet {
            condition: Condition::Years,
            clause: "§2.3.1".to_string(),
            message: format!(
                "取得职业技能等级满1年后方可申报高一等级，{}",
                wait_text(reference, Some(from))
            ),
            eligible_from: Some(from),
        });
    } else if certs
        .iter()
        .all(|c| c.level == SkillLevel::SeniorTechnician)
    {
        route.unmet.push(unmet(
            Condition::LevelNotReachable,
            "§2.3.1",
            "已取得最高等级高级技师，晋级评价没有更高等级".to_string(),
        ));
    } else {
        let below = SkillLevel::ALL
            .into_iter()
            .rev()
            .find(|l| l.next() == Some(target));
        let message = match below {
            Some(b) => format!(
                "晋级评价只能申报高一等级：申报{}须持有{}证书满1年",
                target.zh(),
                b.zh()
            ),
            None => format!("晋级评价不能申报{}", target.zh()),
        };
        route
            .unmet
            .push(unmet(Condition::SkillLevel, "§2.3.1", message));
    }
    route
}
