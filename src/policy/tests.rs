//! Table-driven tests: every row of every table in RULES.md and every condition of CHECKER.md,
//! each with a case that passes and one that does not.

use super::*;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn skill(s: &str) -> SkillLevel {
    SkillLevel::parse(s).unwrap()
}

fn title_level(s: &str) -> TitleLevel {
    TitleLevel::parse(s).unwrap()
}

/// A profile under construction.
struct P(Profile);

/// Title pathway, occupation 焊工, with passing assessments for the three years before `reference`.
fn title(series: &str, level: &str, reference: &str) -> P {
    let r = d(reference);
    let mut p = P(Profile::new(
        r,
        "焊工",
        Target::Title {
            series: series.into(),
            level: title_level(level),
        },
    ));
    for y in (chrono::Datelike::year(&r) - 3)..chrono::Datelike::year(&r) {
        p = p.assess(y, "合格");
    }
    p
}

fn skill_target(occupation: &str, level: &str, reference: &str) -> P {
    P(Profile::new(
        d(reference),
        occupation,
        Target::Skill {
            level: skill(level),
        },
    ))
}

impl P {
    fn occupation(mut self, o: &str) -> P {
        self.0.occupation = o.into();
        self
    }
    fn cert(mut self, occupation: &str, level: &str, on: &str) -> P {
        self.0.skill_certificates.push(SkillCertificate {
            occupation: occupation.into(),
            level: skill(level),
            obtained_on: d(on),
        });
        self
    }
    fn title(mut self, series: &str, level: &str, on: &str) -> P {
        self.0.titles.push(TitleHeld {
            series: series.into(),
            level: title_level(level),
            obtained_on: d(on),
        });
        self
    }
    fn work(mut self, occupation: &str, from: &str, to: Option<&str>) -> P {
        self.0
            .work
            .push(WorkPeriod::new(occupation, d(from), to.map(d)).unwrap());
        self
    }
    fn assess(mut self, year: i32, result: &str) -> P {
        self.0.annual_assessments.retain(|a| a.year != year);
        self.0.annual_assessments.push(AnnualAssessment {
            year,
            result: AssessmentResult::parse(result).unwrap(),
        });
        self
    }
    fn no_assessments(mut self) -> P {
        self.0.annual_assessments.clear();
        self
    }
    fn honour(mut self, name: &str) -> P {
        self.0.honours.push(name.into());
        self
    }
    fn frontline(mut self) -> P {
        self.0.frontline = true;
        self
    }
    fn exceptional(mut self) -> P {
        self.0.exceptional = true;
        self
    }
    fn diploma(mut self) -> P {
        self.0.diploma_major_related = true;
        self
    }
    fn verdict(&self) -> Verdict {
        evaluate(&self.0, &Catalogue::shipped())
    }
}

fn route(v: &Verdict, kind: RouteKind) -> &Route {
    v.routes
        .iter()
        .find(|r| r.route == kind)
        .unwrap_or_else(|| panic!("no {kind:?} route in {v:#?}"))
}

fn conditions(unmet: &[Unmet]) -> Vec<Condition> {
    unmet.iter().map(|u| u.condition).collect()
}

fn lvl(s: &str) -> Option<Level> {
    Some(
        TitleLevel::parse(s)
            .map(Level::Title)
            .unwrap_or_else(|| Level::Skill(skill(s))),
    )
}

// §2.2.3, each row: (skill held, years, level), on the anniversary itself and the day before.
#[test]
fn seniority_rows_on_the_anniversary_and_the_day_before() {
    for (held, years, target) in [
        ("高级工", 2, "初级"),
        ("技师", 3, "中级"),
        ("高级技师", 4, "副高级"),
    ] {
        let anniversary = format!("{}-03-01", 2020 + years);
        let day_before = format!("{}-02-29", 2020 + years);
        let day_before = if NaiveDate::parse_from_str(&day_before, "%Y-%m-%d").is_ok() {
            day_before
        } else {
            format!("{}-02-28", 2020 + years)
        };
        let on = title("工程", target, &anniversary)
            .cert("焊工", held, "2020-03-01")
            .work("焊工", "2010-01-01", None)
            .verdict();
        assert!(on.eligible, "{held} {years}y → {target}: {on:#?}");
        assert_eq!(
            route(&on, RouteKind::Seniority).status,
            RouteStatus::Eligible
        );
        assert_eq!(route(&on, RouteKind::Seniority).clauses, vec!["§2.2.3"]);
        assert_eq!(on.highest_level, lvl(target));
        assert_eq!(on.by_appointment, target == "初级");
        let before = title("工程", target, &day_before)
            .cert("焊工", held, "2020-03-01")
            .work("焊工", "2010-01-01", None)
            .verdict();
        assert!(!before.eligible);
        let r = route(&before, RouteKind::Seniority);
        assert_eq!(r.status, RouteStatus::NotEligible);
        assert_eq!(conditions(&r.unmet), vec![Condition::Years]);
        assert_eq!(r.unmet[0].eligible_from, Some(d(&anniversary)));
        assert_eq!(before.eligible_from, Some(d(&anniversary)));
        assert!(before.unmet.is_empty());
    }
}

#[test]
fn a_higher_skill_level_satisfies_a_lower_row() {
    // 技师 with 2 years: 初级 by appointment, not yet 中级.
    let p = title("工程", "初级", "2026-06-01")
        .cert("焊工", "技师", "2024-06-01")
        .work("焊工", "2020-01-01", None);
    let v = p.verdict();
    assert!(v.eligible && v.by_appointment);
    assert_eq!(route(&v, RouteKind::Seniority).level, lvl("初级"));
    let v = title("工程", "中级", "2026-06-01")
        .cert("焊工", "技师", "2024-06-01")
        .work("焊工", "2020-01-01", None)
        .verdict();
    assert!(!v.eligible);
    assert_eq!(v.eligible_from, Some(d("2027-06-01")));
    // 高级技师 with 3 years reaches 中级 through the 技师 row, not 副高级.
    let v = title("工程", "中级", "2026-06-01")
        .cert("焊工", "高级技师", "2023-06-01")
        .work("焊工", "2020-01-01", None)
        .verdict();
    assert!(v.eligible);
    assert_eq!(v.highest_level, lvl("中级"));
    let v = title("工程", "副高级", "2026-06-01")
        .cert("焊工", "高级技师", "2023-06-01")
        .work("焊工", "2020-01-01", None)
        .verdict();
    assert!(!v.eligible);
    assert_eq!(v.eligible_from, Some(d("2027-06-01")));
}

#[test]
fn a_lower_certificate_cannot_reach_a_higher_row() {
    let v = title("工程", "中级", "2026-06-01")
        .cert("焊工", "高级工", "2010-01-01")
        .work("焊工", "2005-01-01", None)
        .verdict();
    assert!(!v.eligible);
    let r = route(&v, RouteKind::Seniority);
    assert_eq!(conditions(&r.unmet), vec![Condition::SkillLevel]);
    assert_eq!(r.level, lvl("初级"));
    assert_eq!(v.eligible_from, None, "waiting is not enough");
}

#[test]
fn full_senior_is_out_of_reach_by_seniority() {
    let v = title("工程", "正高级", "2026-06-01")
        .cert("焊工", "高级技师", "2010-01-01")
        .work("焊工", "2005-01-01", None)
        .verdict();
    assert!(!v.eligible);
    let r = route(&v, RouteKind::Seniority);
    assert_eq!(conditions(&r.unmet), vec![Condition::LevelNotReachable]);
    assert_eq!(r.level, lvl("副高级"));
    assert_eq!(v.highest_level, lvl("副高级"));
    assert_eq!(v.eligible_from, None);
}

#[test]
fn gaps_in_work_move_the_date_and_ended_work_never_gets_there() {
    // Technician since 2022-01-01; 31 days without work in January 2023.
    let p = title("工程", "中级", "2025-01-15")
        .cert("焊工", "技师", "2022-01-01")
        .work("焊工", "2018-01-01", Some("2022-12-31"))
        .work("焊工", "2023-02-01", None);
    let v = p.verdict();
    assert_eq!(v.eligible_from, Some(d("2025-02-01")));
    let v = title("工程", "中级", "2025-02-01")
        .cert("焊工", "技师", "2022-01-01")
        .work("焊工", "2018-01-01", Some("2022-12-31"))
        .work("焊工", "2023-02-01", None)
        .verdict();
    assert!(v.eligible);
    // The last period ended: waiting is not enough.
    let v = title("工程", "中级", "2025-06-01")
        .cert("焊工", "技师", "2022-01-01")
        .work("焊工", "2018-01-01", Some("2024-06-30"))
        .verdict();
    assert!(!v.eligible);
    let r = route(&v, RouteKind::Seniority);
    assert_eq!(conditions(&r.unmet), vec![Condition::Years]);
    assert_eq!(r.unmet[0].eligible_from, None);
    assert_eq!(v.eligible_from, None);
    // Periods count as declared, also past the reference date: one ending on the reference
    // date ends there, so waiting is not enough…
    let v = title("工程", "中级", "2025-06-01")
        .cert("焊工", "技师", "2024-01-01")
        .work("焊工", "2018-01-01", Some("2025-06-01"))
        .verdict();
    assert_eq!(v.eligible_from, None, "the declared end is the end");
    // …one declared to end later counts up to its end…
    let v = title("工程", "中级", "2025-06-01")
        .cert("焊工", "技师", "2024-01-01")
        .work("焊工", "2018-01-01", Some("2027-06-30"))
        .verdict();
    assert_eq!(v.eligible_from, Some(d("2027-01-01")));
    let v = title("工程", "中级", "2025-06-01")
        .cert("焊工", "技师", "2024-01-01")
        .work("焊工", "2018-01-01", Some("2026-12-30"))
        .verdict();
    assert_eq!(
        v.eligible_from, None,
        "one day short, and nothing declared after"
    );
    // …and a later declared period counts from its own `from`: 912 days to 2026-06-30, then the
    // 184 still needed from 2027-02-01. (Treating the first as going on promised 2027-01-01.)
    let v = title("工程", "中级", "2025-06-01")
        .cert("焊工", "技师", "2024-01-01")
        .work("焊工", "2018-01-01", Some("2026-06-30"))
        .work("焊工", "2027-02-01", None)
        .verdict();
    assert_eq!(v.eligible_from, Some(d("2027-08-04")));
    let r = route(&v, RouteKind::Seniority);
    assert!(
        r.unmet[0].message.contains("还差 2 年 2 个月 3 天"),
        "{}",
        r.unmet[0].message
    );
    // Work in an occupation that does not correspond to the series does not count.
    let v = title("工程", "中级", "2026-06-01")
        .cert("焊工", "技师", "2020-01-01")
        .work("农艺工", "2015-01-01", None)
        .verdict();
    assert!(!v.eligible);
    assert_eq!(route(&v, RouteKind::Seniority).unmet[0].eligible_from, None);
    // A related occupation of the same series counts (车工 and 焊工 are both 工程).
    let v = title("工程", "中级", "2026-06-01")
        .cert("焊工", "技师", "2020-01-01")
        .work("车工", "2015-01-01", None)
        .verdict();
    assert!(v.eligible);
}

#[test]
fn several_certificates_the_earliest_date_wins() {
    let v = title("工程", "中级", "2026-01-01")
        .cert("焊工", "高级工", "2012-01-01")
        .cert("焊工", "技师", "2025-01-01")
        .cert("车工", "技师", "2024-01-01")
        .work("焊工", "2010-01-01", None)
        .verdict();
    assert!(!v.eligible);
    assert_eq!(v.highest_level, lvl("初级"));
    assert_eq!(v.eligible_from, Some(d("2027-01-01")));
    // A certificate not yet obtained on the reference date does not count.
    let v = title("工程", "中级", "2026-01-01")
        .cert("焊工", "技师", "2026-01-02")
        .work("焊工", "2010-01-01", None)
        .verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::SkillLevelMinimum]);
    // A certificate in an occupation that does not correspond to the series does not count.
    let v = title("工程", "中级", "2026-01-01")
        .cert("农艺工", "技师", "2015-01-01")
        .work("焊工", "2010-01-01", None)
        .verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::SkillLevelMinimum]);
    assert_eq!(v.unmet[0].clause, "§2.2.2");
}

#[test]
fn series_must_be_open_and_consistent() {
    let base = |series: &str, occupation: &str| {
        title(series, "中级", "2026-01-01")
            .occupation(occupation)
            .cert(occupation, "技师", "2015-01-01")
            .work(occupation, "2010-01-01", None)
    };
    assert!(base("工程", "焊工").verdict().eligible);
    let v = base("会计", "焊工").verdict();
    assert!(!v.eligible);
    assert_eq!(
        conditions(&v.unmet),
        vec![
            Condition::SeriesOpen,
            Condition::Consistency,
            Condition::SkillLevelMinimum
        ]
    );
    assert_eq!(v.unmet[0].clause, "§2.1");
    assert_eq!(v.unmet[1].clause, "§1.2.3");
    let v = base("农业", "焊工").verdict();
    assert_eq!(
        conditions(&v.unmet),
        vec![Condition::Consistency, Condition::SkillLevelMinimum]
    );
    // Every open series of §2.1 is open.
    for s in [
        "工程",
        "农业",
        "工艺美术",
        "文物博物",
        "实验技术",
        "艺术",
        "体育",
        "中等职业学校教师",
        "技工院校教师",
    ] {
        assert!(
            !conditions(&base(s, "焊工").verdict().unmet).contains(&Condition::SeriesOpen),
            "{s}"
        );
    }
    // The wildcard teacher series take every occupation.
    let v = base("技工院校教师", "焊工").verdict();
    assert!(v.eligible, "{v:#?}");
    let v = base("中等职业学校教师", "园艺工").verdict();
    assert!(v.eligible);
    // An occupation in two series corresponds to both.
    assert!(base("工程", "化学检验员").verdict().eligible);
    assert!(base("实验技术", "化学检验员").verdict().eligible);
    assert!(!base("实验技术", "焊工").verdict().eligible);
}

#[test]
fn annual_assessments_of_the_last_three_years() {
    let p = || {
        title("工程", "中级", "2026-05-01")
            .cert("焊工", "技师", "2015-01-01")
            .work("焊工", "2010-01-01", None)
    };
    assert!(p().verdict().eligible);
    // 称职 and 优秀 pass; the reference year itself does not count.
    assert!(
        p().assess(2024, "称职")
            .assess(2025, "优秀")
            .assess(2026, "不合格")
            .verdict()
            .eligible
    );
    for fail in ["基本合格", "基本称职", "不合格", "不称职"] {
        let v = p().assess(2024, fail).verdict();
        assert!(!v.eligible, "{fail}");
        assert_eq!(conditions(&v.unmet), vec![Condition::AnnualAssessment]);
        assert_eq!(v.eligible_from, None);
    }
    let v = p()
        .no_assessments()
        .assess(2023, "合格")
        .assess(2025, "合格")
        .assess(2022, "合格")
        .verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::AnnualAssessment]);
    assert!(v.unmet[0].message.contains("2024"));
    // highest_level ignores common unmet conditions.
    assert_eq!(v.highest_level, lvl("中级"));
}

#[test]
fn honours_need_frontline_and_a_level_at_least_the_target() {
    let p = |target: &str| {
        title("工程", target, "2026-01-01")
            .cert("焊工", "高级工", "2025-06-01")
            .work("焊工", "2010-01-01", None)
    };
    // Each honour row: direct access at its level, seniority waived.
    for (honour, level) in [
        ("上海市技术能手", "初级"),
        ("上海市首席技师资助获得者", "初级"),
        ("上海市杰出技术能手", "中级"),
        ("上海市技能大师工作室带头人", "中级"),
        ("国家级技能大师工作室带头人", "副高级"),
        ("全国技术能手", "副高级"),
        ("世界技能大赛金牌获得者", "副高级"),
        ("世界技能大赛银牌获得者", "副高级"),
        ("世界技能大赛铜牌获得者", "副高级"),
        ("世界技能大赛中国技术指导专家组组长", "副高级"),
        ("中华技能大奖获得者", "正高级"),
        ("享受国务院政府特殊津贴人员", "正高级"),
    ] {
        let v = p(level).honour(honour).frontline().verdict();
        assert!(v.eligible, "{honour}: {v:#?}");
        let r = route(&v, RouteKind::Honour);
        assert_eq!(
            (r.honour.as_deref(), r.status, r.level),
            (Some(honour), RouteStatus::Eligible, lvl(level))
        );
        assert_eq!(r.clauses, vec!["§2.2.4"]);
        assert_eq!(v.highest_level, lvl(level));
        // An honour also gives every lower level.
        assert!(p("初级").honour(honour).frontline().verdict().eligible);
        // Without frontline: level null, frontline unmet.
        let v = p(level).honour(honour).verdict();
        let r = route(&v, RouteKind::Honour);
        assert_eq!((r.status, r.level), (RouteStatus::NotEligible, None));
        assert_eq!(conditions(&r.unmet), vec![Condition::Frontline]);
    }
    // Below the target, with and without frontline.
    let v = p("中级").honour("上海市技术能手").frontline().verdict();
    assert_eq!(
        conditions(&route(&v, RouteKind::Honour).unmet),
        vec![Condition::LevelNotReachable]
    );
    let v = p("副高级").honour("上海市杰出技术能手").verdict();
    assert_eq!(
        conditions(&route(&v, RouteKind::Honour).unmet),
        vec![Condition::Frontline, Condition::LevelNotReachable]
    );
    assert_eq!(v.eligible_from, None);
    // Several honours: one route each, in input order; the highest level reachable is reported.
    let v = p("副高级")
        .honour("上海市技术能手")
        .honour("全国技术能手")
        .frontline()
        .verdict();
    let honours: Vec<_> = v
        .routes
        .iter()
        .filter_map(|r| r.honour.as_deref())
        .collect();
    assert_eq!(honours, vec!["上海市技术能手", "全国技术能手"]);
    assert!(v.eligible);
    assert_eq!(v.highest_level, lvl("副高级"));
    // The basic requirements still apply: assessments missing → not eligible despite the honour.
    let v = p("副高级")
        .honour("全国技术能手")
        .frontline()
        .no_assessments()
        .verdict();
    assert!(!v.eligible);
    assert_eq!(route(&v, RouteKind::Honour).status, RouteStatus::Eligible);
    assert_eq!(conditions(&v.unmet), vec![Condition::AnnualAssessment]);
    // …and so does the skill level minimum.
    let v = title("工程", "副高级", "2026-01-01")
        .honour("全国技术能手")
        .frontline()
        .verdict();
    assert!(!v.eligible);
    assert_eq!(conditions(&v.unmet), vec![Condition::SkillLevelMinimum]);
}

#[test]
fn exceptional_claims_need_verification_and_never_decide_alone() {
    let v = title("工程", "副高级", "2026-01-01")
        .cert("焊工", "技师", "2025-06-01")
        .work("焊工", "2010-01-01", None)
        .exceptional()
        .verdict();
    let r = route(&v, RouteKind::Exceptional);
    assert_eq!((r.status, r.level), (RouteStatus::NeedsVerification, None));
    assert_eq!(r.clauses, vec!["§2.2.4"]);
    assert!(r.unmet.is_empty());
    assert!(!v.eligible);
    // Route order: seniority, honours, exceptional.
    let v = title("工程", "中级", "2026-01-01")
        .honour("全国技术能手")
        .exceptional()
        .verdict();
    let kinds: Vec<RouteKind> = v.routes.iter().map(|r| r.route).collect();
    assert_eq!(
        kinds,
        vec![
            RouteKind::Seniority,
            RouteKind::Honour,
            RouteKind::Exceptional
        ]
    );
    assert_eq!(v.theory_exam_exempt, None);
}

// §2.3.1, each row, on the anniversary and the day before.
#[test]
fn skill_pathway_through_the_title_held() {
    let p = |target: &str, reference: &str| {
        skill_target("焊工", target, reference).work("焊工", "2015-01-01", None)
    };
    // 初级 title → 高级工 at once.
    let v = p("高级工", "2026-01-01")
        .title("工程", "初级", "2025-12-31")
        .verdict();
    assert!(v.eligible);
    assert_eq!(route(&v, RouteKind::Title).clauses, vec!["§2.3.1"]);
    assert!(!v.by_appointment);
    // 初级 title + 3 years → 技师.
    assert!(
        p("技师", "2026-01-01")
            .title("工程", "初级", "2023-01-01")
            .verdict()
            .eligible
    );
    let v = p("技师", "2025-12-31")
        .title("工程", "初级", "2023-01-01")
        .verdict();
    assert!(!v.eligible);
    assert_eq!(
        conditions(&route(&v, RouteKind::Title).unmet),
        vec![Condition::Years]
    );
    assert_eq!(v.eligible_from, Some(d("2026-01-01")));
    assert_eq!(v.highest_level, lvl("高级工"));
    // 中级 or higher → 技师 at once.
    assert!(
        p("技师", "2026-01-01")
            .title("工程", "中级", "2025-12-01")
            .verdict()
            .eligible
    );
    // 中级 + 3 years → 高级技师.
    assert!(
        p("高级技师", "2026-01-01")
            .title("工程", "中级", "2023-01-01")
            .verdict()
            .eligible
    );
    let v = p("高级技师", "2025-12-31")
        .title("工程", "中级", "2023-01-01")
        .verdict();
    assert_eq!(v.eligible_from, Some(d("2026-01-01")));
    // 副高级 or 正高级 → 高级技师 at once.
    assert!(
        p("高级技师", "2026-01-01")
            .title("工程", "副高级", "2025-12-01")
            .verdict()
            .eligible
    );
    assert!(
        p("高级技师", "2026-01-01")
            .title("工程", "正高级", "2025-12-01")
            .verdict()
            .eligible
    );
    // 初级 can never reach 高级技师 on this route.
    let v = p("高级技师", "2030-01-01")
        .title("工程", "初级", "2015-01-01")
        .verdict();
    assert_eq!(
        conditions(&route(&v, RouteKind::Title).unmet),
        vec![Condition::TitleLevel]
    );
    assert_eq!(v.eligible_from, None);
    // Years count only work in this or a related occupation (车工 shares 工程/机械 with 焊工; 电工 does not).
    let v = skill_target("焊工", "技师", "2026-01-01")
        .title("工程", "初级", "2023-01-01")
        .work("车工", "2015-01-01", None)
        .verdict();
    assert!(v.eligible);
    let v = skill_target("焊工", "技师", "2026-01-01")
        .title("工程", "初级", "2023-01-01")
        .work("电工", "2015-01-01", None)
        .verdict();
    assert!(!v.eligible);
    assert_eq!(route(&v, RouteKind::Title).unmet[0].eligible_from, None);
}

#[test]
fn skill_pathway_needs_a_consistent_title() {
    let v = skill_target("焊工", "高级工", "2026-01-01").verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::TitleHeld]);
    assert_eq!(
        conditions(&route(&v, RouteKind::Title).unmet),
        vec![Condition::TitleLevel]
    );
    assert_eq!(route(&v, RouteKind::Title).level, None);
    // A title in a series that does not correspond to the occupation.
    let v = skill_target("焊工", "高级工", "2026-01-01")
        .title("农业", "中级", "2020-01-01")
        .verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::Consistency]);
    assert_eq!(v.unmet[0].clause, "§1.2.3");
    assert!(!v.eligible);
    // A title obtained after the reference date is not held yet.
    let v = skill_target("焊工", "高级工", "2026-01-01")
        .title("工程", "中级", "2026-01-02")
        .verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::TitleHeld]);
}

#[test]
fn the_one_year_upgrade_rule() {
    let p = |target: &str, reference: &str| {
        skill_target("焊工", target, reference).title("工程", "初级", "2020-06-01")
    };
    // No related certificate: no upgrade route.
    assert!(p("技师", "2026-01-01")
        .verdict()
        .routes
        .iter()
        .all(|r| r.route != RouteKind::Upgrade));
    assert!(p("技师", "2026-01-01")
        .cert("电工", "高级工", "2020-01-01")
        .verdict()
        .routes
        .iter()
        .all(|r| r.route != RouteKind::Upgrade));
    // 高级工 in a related occupation, one year old → 技师, whatever the years of work.
    let v = p("技师", "2026-03-01")
        .cert("车工", "高级工", "2025-03-01")
        .verdict();
    assert!(v.eligible);
    assert_eq!(route(&v, RouteKind::Upgrade).level, lvl("技师"));
    assert_eq!(route(&v, RouteKind::Title).status, RouteStatus::NotEligible);
    // The day before the first anniversary.
    let v = p("技师", "2026-02-28")
        .cert("车工", "高级工", "2025-03-01")
        .verdict();
    assert!(!v.eligible);
    let r = route(&v, RouteKind::Upgrade);
    assert_eq!(conditions(&r.unmet), vec![Condition::Years]);
    assert_eq!(r.unmet[0].eligible_from, Some(d("2026-03-01")));
    assert_eq!(v.eligible_from, Some(d("2026-03-01")));
    // 29 February: one year later is 28 February.
    assert!(
        p("技师", "2025-02-28")
            .cert("焊工", "高级工", "2024-02-29")
            .verdict()
            .eligible
    );
    assert!(
        !p("技师", "2025-02-27")
            .cert("焊工", "高级工", "2024-02-29")
            .verdict()
            .eligible
    );
    // Only one level up.
    let v = p("高级技师", "2026-03-01")
        .cert("焊工", "高级工", "2020-01-01")
        .verdict();
    assert_eq!(
        conditions(&route(&v, RouteKind::Upgrade).unmet),
        vec![Condition::SkillLevel]
    );
    assert!(
        p("高级技师", "2026-03-01")
            .cert("焊工", "技师", "2020-01-01")
            .verdict()
            .eligible
    );
    // Nothing above 高级技师.
    let v = p("高级技师", "2026-03-01")
        .cert("焊工", "高级技师", "2020-01-01")
        .verdict();
    let r = route(&v, RouteKind::Upgrade);
    assert_eq!(
        (r.level, conditions(&r.unmet)),
        (None, vec![Condition::LevelNotReachable])
    );
}

#[test]
fn theory_exemption_and_ignored_fields() {
    let v = skill_target("焊工", "高级工", "2026-01-01")
        .title("工程", "初级", "2025-01-01")
        .diploma()
        .verdict();
    assert_eq!(v.theory_exam_exempt, Some(true));
    let v = skill_target("焊工", "高级工", "2026-01-01")
        .title("工程", "初级", "2025-01-01")
        .verdict();
    assert_eq!(v.theory_exam_exempt, Some(false));
    // Honours and exceptional claims belong to the title pathway.
    let v = skill_target("焊工", "高级工", "2026-01-01")
        .honour("全国技术能手")
        .exceptional()
        .verdict();
    assert!(v
        .routes
        .iter()
        .all(|r| !matches!(r.route, RouteKind::Honour | RouteKind::Exceptional)));
}

#[test]
fn verdict_serialises_as_the_checker_says() {
    let v = title("工程", "中级", "2026-07-01")
        .cert("焊工", "技师", "2024-03-01")
        .work("焊工", "2015-01-01", None)
        .honour("上海市技术能手")
        .frontline()
        .exceptional()
        .verdict();
    let json = serde_json::to_value(&v).unwrap();
    let expected = serde_json::json!({
        "pathway": "title", "target_level": "中级", "eligible": false, "by_appointment": false,
        "highest_level": "初级", "eligible_from": "2027-03-01", "theory_exam_exempt": null, "unmet": [],
    });
    for (k, val) in expected.as_object().unwrap() {
        assert_eq!(&json[k], val, "{k}");
    }
    assert_eq!(json["routes"][0]["unmet"][0]["eligible_from"], "2027-03-01");
    assert_eq!(json["routes"][1]["honour"], "上海市技术能手");
    assert_eq!(
        json["routes"][1]["unmet"][0]["condition"],
        "level_not_reachable"
    );
    assert!(json["routes"][1]["unmet"][0].get("eligible_from").is_none());
    assert_eq!(json["routes"][2]["status"], "needs_verification");
    assert!(json["message"].as_str().unwrap().contains("2027-03-01"));
}

#[test]
fn waiting_gives_no_date_while_a_common_condition_fails() {
    // The seniority route lacks only time, but 2025's assessment failed: waiting mends nothing.
    let mut p = title("工程", "中级", "2026-07-01")
        .cert("焊工", "技师", "2024-03-01")
        .work("焊工", "2015-01-01", None);
    p.0.annual_assessments.retain(|a| a.year != 2025);
    let v = p.assess(2025, "不合格").verdict();
    assert_eq!(conditions(&v.unmet), vec![Condition::AnnualAssessment]);
    let r = route(&v, RouteKind::Seniority);
    assert_eq!(r.unmet[0].eligible_from, Some(d("2027-03-01")));
    assert_eq!(v.eligible_from, None);
}

#[test]
fn a_junior_shortfall_says_the_employer_appoints() {
    let v = title("工程", "初级", "2026-07-01")
        .cert("焊工", "高级工", "2025-03-01")
        .work("焊工", "2015-01-01", None)
        .verdict();
    let m = &route(&v, RouteKind::Seniority).unmet[0].message;
    assert!(m.contains("满2年可由单位聘任初级职称"), "{m}");
    let v = title("工程", "中级", "2026-07-01")
        .cert("焊工", "技师", "2025-03-01")
        .work("焊工", "2015-01-01", None)
        .verdict();
    let m = &route(&v, RouteKind::Seniority).unmet[0].message;
    assert!(m.contains("满3年方可申报中级"), "{m}");
}

#[test]
fn an_honour_below_the_target_says_what_it_gives() {
    let v = title("工程", "中级", "2026-07-01")
        .cert("焊工", "高级工", "2020-03-01")
        .honour("上海市技术能手")
        .frontline()
        .verdict();
    let m = &route(&v, RouteKind::Honour).unmet[0].message;
    assert!(
        m.contains("上海市技术能手可由单位聘任初级职称，不能直接申报中级"),
        "{m}"
    );
    let v = title("工程", "副高级", "2026-07-01")
        .cert("焊工", "高级工", "2020-03-01")
        .honour("上海市杰出技术能手")
        .frontline()
        .verdict();
    let m = &route(&v, RouteKind::Honour).unmet[0].message;
    assert!(
        m.contains("上海市杰出技术能手可申报中级职称，不能直接申报副高级"),
        "{m}"
    );
}

#[test]
fn an_upgrade_too_far_names_the_level_below_the_target() {
    let v = skill_target("焊工", "高级技师", "2026-07-01")
        .title("工程", "初级", "2020-01-01")
        .cert("焊工", "高级工", "2020-01-01")
        .verdict();
    let r = route(&v, RouteKind::Upgrade);
    assert_eq!(conditions(&r.unmet), vec![Condition::SkillLevel]);
    assert!(
        r.unmet[0]
            .message
            .contains("申报高级技师须持有技师证书满1年"),
        "{}",
        r.unmet[0].message
    );
}
