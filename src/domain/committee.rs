//! A title review committee (评审委员会) and its expert pool (专家库), as rules: whether a
//! committee may act today, what a committee and a pool entry must hold, and which levels an
//! expert may review. Pure: the store keeps them, services ask here.

use super::text::{TextError, TextField};
use super::{CreditCode, FieldErrors, RequiredText, TitleLevel};
use chrono::{Months, NaiveDate};

/// Where a committee stands today. Only a registered one acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Made from an existing round by the migration, not completed by an administrator.
    SetUp,
    /// Never registered (核准备案).
    Unregistered,
    /// Registered from a later day.
    NotYet {
        from: NaiveDate,
    },
    Registered {
        until: NaiveDate,
    },
    Expired {
        on: NaiveDate,
    },
    Suspended {
        on: NaiveDate,
    },
}

/// What [`standing`] reads of a committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    pub set_up: bool,
    pub registered_on: Option<NaiveDate>,
    pub registered_until: Option<NaiveDate>,
    pub suspended_on: Option<NaiveDate>,
}

/// A committee's standing on `today`.
pub fn standing(r: &Registration, today: NaiveDate) -> Standing {
    if !r.set_up {
        return Standing::SetUp;
    }
    if let Some(on) = r.suspended_on {
        return Standing::Suspended { on };
    }
    match (r.registered_on, r.registered_until) {
        (Some(from), Some(_)) if today < from => Standing::NotYet { from },
        (Some(_), Some(until)) if today <= until => Standing::Registered { until },
        (Some(_), Some(until)) => Standing::Expired { on: until },
        _ => Standing::Unregistered,
    }
}

/// Why an unregistered, expired or suspended committee takes no action (one sentence for every
/// refusal and banner).
pub const NOT_SET_UP: &str =
    "本评委会尚未完成设置（未完成设置），不能开展评审，请管理员补全并核准备案";
pub const NOT_REGISTERED: &str = "本评委会未核准备案，不能开展评审";
pub const NOT_YET: &str = "本评委会核准备案尚未生效，不能开展评审";
pub const EXPIRED: &str = "本评委会核准备案已过期，不能开展评审，请重新核准备案";
pub const SUSPENDED: &str = "本评委会已暂停评审工作，不能开展评审";

impl Standing {
    /// `Ok` when the committee may act; otherwise the sentence that says why not.
    pub fn may_act(&self) -> Result<(), &'static str> {
        match self {
            Standing::Registered { .. } => Ok(()),
            Standing::SetUp => Err(NOT_SET_UP),
            Standing::Unregistered => Err(NOT_REGISTERED),
            Standing::NotYet { .. } => Err(NOT_YET),
            Standing::Expired { .. } => Err(EXPIRED),
            Standing::Suspended { .. } => Err(SUSPENDED),
        }
    }

    /// The short status a list shows.
    pub fn label(&self) -> String {
        match self {
            Standing::SetUp => "未完成设置".into(),
            Standing::Unregistered => "未核准备案".into(),
            Standing::NotYet { from } => format!("备案自 {from} 起生效"),
            Standing::Registered { until } => format!("已备案，有效期至 {until}"),
            Standing::Expired { on } => format!("备案已于 {on} 到期"),
            Standing::Suspended { on } => format!("{on} 起暂停评审"),
        }
    }

    pub fn is_registered(&self) -> bool {
        matches!(self, Standing::Registered { .. })
    }
}

/// A committee's description as typed (an administrator's form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeDraft {
    pub name: String,
    pub series: String,
    /// Empty when organised by whole series.
    pub specialty: String,
    pub levels: Vec<TitleLevel>,
    pub sponsor: String,
    pub occupations: Vec<String>,
}

/// The levels as stored (`中级,初级`), highest first.
pub fn levels_text(levels: &[TitleLevel]) -> String {
    let mut sorted = levels.to_vec();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    sorted.iter().map(|l| l.zh()).collect::<Vec<_>>().join(",")
}

/// The stored levels read back (unknown words skipped).
pub fn parse_levels(text: &str) -> Vec<TitleLevel> {
    let mut out: Vec<TitleLevel> = text.split(',').filter_map(TitleLevel::parse).collect();
    out.sort_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// What a committee's description is checked against: the catalogue of series, their
/// specialties and the occupations that correspond to them.
pub trait SeriesFacts {
    fn has_series(&self, series: &str) -> bool;
    fn has_specialty(&self, series: &str, specialty: &str) -> bool;
    fn occupation_in(&self, series: &str, occupation: &str) -> bool;
}

/// A committee's description as typed.
#[derive(Debug, Clone, Default)]
pub struct CommitteeTyped<'a> {
    pub name: &'a str,
    pub series: &'a str,
    pub specialty: &'a str,
    pub levels: &'a [String],
    pub sponsor: &'a str,
    pub occupations: &'a [String],
}

/// Every problem of a committee's description, checked against the catalogue.
pub fn check_committee(
    t: &CommitteeTyped,
    known: &dyn SeriesFacts,
) -> Result<CommitteeDraft, FieldErrors> {
    let CommitteeTyped {
        name,
        series,
        specialty,
        levels,
        sponsor,
        occupations,
    } = *t;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", RequiredText::parse(name, "评委会名称", 100));
    let series = series.trim();
    let series_known = known.has_series(series);
    if !series_known {
        errors.add("series", "请选择评委会评审的职称系列");
    }
    let specialty = specialty.trim();
    if !specialty.is_empty() && series_known && !known.has_specialty(series, specialty) {
        errors.add(
            "specialty",
            format!("“{specialty}”不是{series}系列目录中的专业；按整个系列组建的请留空"),
        );
    }
    let mut parsed = Vec::new();
    for l in levels {
        match TitleLevel::parse(l.trim()) {
            Some(level) => parsed.push(level),
            None => errors.add("levels", "评审层级无效"),
        }
    }
    if levels.is_empty() {
        errors.add("levels", "请至少选择一个评审层级");
    }
    let sponsor = errors.check("sponsor", RequiredText::parse(sponsor, "组建单位", 100));
    let mut scope: Vec<String> = occupations
        .iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    scope.sort();
    scope.dedup();
    let outside: Vec<&str> = scope
        .iter()
        .filter(|o| !known.occupation_in(series, o))
        .map(String::as_str)
        .collect();
    if !outside.is_empty() && series_known {
        errors.add(
            "occupations",
            format!(
                "以下职业不在{series}系列的职业对应目录中：{}",
                outside.join("、")
            ),
        );
    }
    match (name, sponsor) {
        (Some(name), Some(sponsor)) if errors.is_empty() => Ok(CommitteeDraft {
            name: name.into_string(),
            series: series.to_string(),
            specialty: specialty.to_string(),
            levels: parsed,
            sponsor: sponsor.into_string(),
            occupations: scope,
        }),
        _ => Err(errors),
    }
}

/// A registration (核准备案) as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationDraft {
    pub number: String,
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// Every problem of a registration: a number, a first day, a last day after it and at most
/// `max_years` later (stored configuration, 3 by the national rules).
pub fn check_registration(
    number: &str,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    max_years: u32,
) -> Result<RegistrationDraft, FieldErrors> {
    let mut errors = FieldErrors::default();
    let number = errors.check(
        "registration_number",
        RequiredText::parse(number, "核准备案文号", 100),
    );
    if from.is_none() {
        errors.add("registered_on", "请填写备案生效日期，如 2026-01-01");
    }
    if until.is_none() {
        errors.add(
            "registered_until",
            "请填写备案有效期截止日期，如 2028-12-31",
        );
    }
    if let (Some(f), Some(u)) = (from, until) {
        let latest = f
            .checked_add_months(Months::new(12 * max_years))
            .and_then(|d| d.pred_opt());
        if u < f {
            errors.add("registered_until", "截止日期不能早于生效日期");
        } else if latest.is_some_and(|l| u > l) {
            errors.add(
                "registered_until",
                format!(
                    "核准备案有效期最长{max_years}年：自 {f} 起最晚到 {}",
                    latest.map(|d| d.to_string()).unwrap_or_default()
                ),
            );
        }
    }
    match (number, from, until) {
        (Some(n), Some(from), Some(until)) if errors.is_empty() => Ok(RegistrationDraft {
            number: n.into_string(),
            from,
            until,
        }),
        _ => Err(errors),
    }
}

/// The rule an expert's level is checked against.
pub const EXPERT_LEVEL_RULE: &str =
    "评审专家只能评审不高于本人职称层级的申报（正高级评审须由正高级专家担任）";

/// The levels of a committee an expert of `own` level may review: those at or below it.
pub fn reviewable(own: TitleLevel, committee: &[TitleLevel]) -> Vec<TitleLevel> {
    committee.iter().copied().filter(|l| *l <= own).collect()
}

/// A pool entry as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDraft {
    pub title_name: String,
    pub title_level: TitleLevel,
    pub series: String,
    pub specialty: String,
    pub employer_name: String,
    pub employer_code: String,
    pub term_from: NaiveDate,
    pub term_until: NaiveDate,
    pub skilled_worker: bool,
    pub apprentices: Vec<String>,
}

/// What a pool entry form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct PoolTyped<'a> {
    pub title_name: &'a str,
    pub title_level: &'a str,
    pub series: &'a str,
    pub specialty: &'a str,
    pub employer_name: &'a str,
    pub employer_code: &'a str,
    pub code_confirmed: bool,
    /// As typed (`YYYY-MM-DD`).
    pub term_from: &'a str,
    pub term_until: &'a str,
    pub skilled_worker: bool,
    pub apprentices: &'a str,
}

/// The committee a pool entry is checked against.
#[derive(Debug, Clone)]
pub struct PoolOf<'a> {
    pub series: &'a str,
    pub levels: &'a [TitleLevel],
}

/// Every problem of a pool entry: the title and its level (an expert reviews only at or below
/// it, so one below every level the committee reviews is refused, with the rule), the series
/// (the committee's own: experts hold a title in the series they review), the employer and its
/// credit code, the term (at most `max_term_years`), the apprentices (one name a line).
pub fn check_pool_entry(
    t: &PoolTyped,
    of: &PoolOf,
    max_term_years: u32,
) -> Result<PoolDraft, FieldErrors> {
    let mut errors = FieldErrors::default();
    let title_name = errors.check(
        "title_name",
        RequiredText::parse(t.title_name, "职称名称（如 高级工程师）", 50),
    );
    let level = TitleLevel::parse(t.title_level.trim());
    match level {
        None => errors.add("title_level", "请选择职称层级"),
        Some(l) if reviewable(l, of.levels).is_empty() => {
            let lowest = of.levels.iter().min().map(|l| l.zh()).unwrap_or("");
            errors.add(
                "title_level",
                format!(
                    "{EXPERT_LEVEL_RULE}。本评委会评审的最低层级为{lowest}，{}职称的专家不能入库",
                    l.zh()
                ),
            );
        }
        Some(_) => {}
    }
    let series = t.series.trim();
    if series != of.series {
        errors.add(
            "series",
            format!(
                "评审专家须具有所评审系列的职称：本评委会评审{}系列",
                of.series
            ),
        );
    }
    let specialty = errors.text(
        "specialty",
        t.specialty,
        "专业",
        TextField::line(50).optional(),
    );
    let employer_name = errors.check(
        "employer_name",
        RequiredText::parse(t.employer_name, "工作单位", 100),
    );
    let code = match CreditCode::parse(t.employer_code, t.code_confirmed) {
        Ok(c) => Some(c.as_str().to_string()),
        Err(e) => {
            errors.add("employer_code", e.message());
            None
        }
    };
    // Each date on its own: an empty end is reported with a mistyped start, not on the next
    // submission; a date typed but impossible (2026-02-30) is not called missing.
    let term_from = errors.required_date("term_from", t.term_from, "任期开始日期", "2026-01-01");
    let term_until = errors.required_date("term_until", t.term_until, "任期结束日期", "2028-12-31");
    match (term_from, term_until) {
        (None, _) | (_, None) => {}
        (Some(f), Some(u)) => {
            let latest = f
                .checked_add_months(Months::new(12 * max_term_years))
                .and_then(|d| d.pred_opt());
            if u < f {
                errors.add("term_until", "任期结束日期不能早于开始日期");
            } else if latest.is_some_and(|l| u > l) {
                errors.add(
                    "term_until",
                    format!(
                        "评审专家每届任期不超过{max_term_years}年：自 {f} 起最晚到 {}",
                        latest.map(|d| d.to_string()).unwrap_or_default()
                    ),
                );
            }
        }
    }
    let mut apprentices: Vec<String> = Vec::new();
    for line in t.apprentices.lines() {
        match TextField::line(30).optional().parse(line) {
            Ok(name) if name.is_empty() => {}
            Ok(name) if apprentices.contains(&name) => {}
            Ok(name) => apprentices.push(name),
            Err(TextError::TooLong(..)) => {
                let name = line.trim();
                errors.add("apprentices", format!("“{name}”过长：每行填写一个姓名"));
            }
            Err(e) => errors.add("apprentices", e.message("徒弟姓名")),
        }
    }
    if apprentices.len() > 100 {
        errors.add("apprentices", "徒弟姓名最多100个");
    }
    match (
        title_name,
        level,
        employer_name,
        code,
        term_from,
        term_until,
    ) {
        (Some(title), Some(level), Some(employer), Some(code), Some(from), Some(until))
            if errors.is_empty() =>
        {
            Ok(PoolDraft {
                title_name: title.into_string(),
                title_level: level,
                series: series.to_string(),
                specialty,
                employer_name: employer.into_string(),
                employer_code: code,
                term_from: from,
                term_until: until,
                skilled_worker: t.skilled_worker,
                apprentices,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_a_registered_committee_acts() {
        let r =
            |set_up, on: Option<&str>, until: Option<&str>, suspended: Option<&str>| Registration {
                set_up,
                registered_on: on.map(d),
                registered_until: until.map(d),
                suspended_on: suspended.map(d),
            };
        let today = d("2026-12-07");
        let cases = [
            (r(false, None, None, None), Err(NOT_SET_UP)),
            (r(true, None, None, None), Err(NOT_REGISTERED)),
            (
                r(true, Some("2026-01-01"), Some("2028-12-31"), None),
                Ok(()),
            ),
            (
                r(true, Some("2026-01-01"), Some("2026-12-07"), None),
                Ok(()),
            ),
            (
                r(true, Some("2023-01-01"), Some("2026-12-06"), None),
                Err(EXPIRED),
            ),
            (
                r(true, Some("2027-01-01"), Some("2029-12-31"), None),
                Err(NOT_YET),
            ),
            (
                r(
                    true,
                    Some("2026-01-01"),
                    Some("2028-12-31"),
                    Some("2026-11-01"),
                ),
                Err(SUSPENDED),
            ),
        ];
        for (reg, expected) in cases {
            assert_eq!(standing(&reg, today).may_act(), expected, "{reg:?}");
        }
    }

    #[test]
    fn a_registration_lasts_at_most_the_configured_years() {
        let ok = check_registration(
            "沪人社备〔2026〕1号",
            Some(d("2026-01-01")),
            Some(d("2028-12-31")),
            3,
        );
        assert!(ok.is_ok());
        let long =
            check_registration("备1", Some(d("2026-01-01")), Some(d("2029-01-01")), 3).unwrap_err();
        assert!(long
            .get("registered_until")
            .unwrap()
            .contains("最晚到 2028-12-31"));
        let all = check_registration("", None, None, 3).unwrap_err();
        assert_eq!(all.items().len(), 3);
    }

    fn typed<'a>(level: &'a str) -> PoolTyped<'a> {
        PoolTyped {
            title_name: "高级工程师",
            title_level: level,
            series: "工程",
            specialty: "机械",
            employer_name: "上海示范机械有限公司",
            employer_code: "91310000MA1FL8XQ30",
            code_confirmed: true,
            term_from: "2026-01-01",
            term_until: "2028-12-31",
            skilled_worker: false,
            apprentices: "张三\n\n李四\n张三",
        }
    }

    #[test]
    fn an_expert_below_every_level_of_the_committee_is_refused_with_the_rule() {
        let senior = [TitleLevel::FullSenior];
        let of = PoolOf {
            series: "工程",
            levels: &senior,
        };
        let e = check_pool_entry(&typed("副高级"), &of, 3).unwrap_err();
        assert!(e.get("title_level").unwrap().contains(EXPERT_LEVEL_RULE));
        assert!(check_pool_entry(&typed("正高级"), &of, 3).is_ok());
        let mixed = [TitleLevel::Intermediate, TitleLevel::Junior];
        let of = PoolOf {
            series: "工程",
            levels: &mixed,
        };
        let ok = check_pool_entry(&typed("中级"), &of, 3).unwrap();
        assert_eq!(ok.apprentices, ["张三", "李四"]);
        assert_eq!(
            reviewable(TitleLevel::Junior, &mixed),
            vec![TitleLevel::Junior]
        );
        let mut other_series = typed("中级");
        other_series.series = "经济";
        assert!(check_pool_entry(&other_series, &of, 3)
            .unwrap_err()
            .get("series")
            .is_some());
        let mut long_term = typed("中级");
        long_term.term_until = "2029-01-01";
        assert!(check_pool_entry(&long_term, &of, 3)
            .unwrap_err()
            .get("term_until")
            .is_some());
    }

    #[test]
    fn levels_are_stored_highest_first_once_each() {
        let text = levels_text(&[
            TitleLevel::Junior,
            TitleLevel::Intermediate,
            TitleLevel::Junior,
        ]);
        assert_eq!(text, "中级,初级");
        assert_eq!(
            parse_levels(&text),
            vec![TitleLevel::Intermediate, TitleLevel::Junior]
        );
        assert!(parse_levels("").is_empty());
    }
}
