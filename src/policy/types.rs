//! The facts of a profile, as types that cannot hold an invalid value.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// 职业技能等级 / 职业资格, from lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkillLevel {
    /// 高级工（三级）
    Senior,
    /// 技师（二级）
    Technician,
    /// 高级技师（一级）
    SeniorTechnician,
}

impl SkillLevel {
    pub const ALL: [SkillLevel; 3] = [
        SkillLevel::Senior,
        SkillLevel::Technician,
        SkillLevel::SeniorTechnician,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            SkillLevel::Senior => "高级工",
            SkillLevel::Technician => "技师",
            SkillLevel::SeniorTechnician => "高级技师",
        }
    }

    pub fn parse(s: &str) -> Option<SkillLevel> {
        SkillLevel::ALL.into_iter().find(|l| l.zh() == s)
    }

    /// The next level up, if any.
    pub fn next(self) -> Option<SkillLevel> {
        match self {
            SkillLevel::Senior => Some(SkillLevel::Technician),
            SkillLevel::Technician => Some(SkillLevel::SeniorTechnician),
            SkillLevel::SeniorTechnician => None,
        }
    }
}

/// 职称层级, from lowest to highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TitleLevel {
    /// 初级
    Junior,
    /// 中级
    Intermediate,
    /// 副高级
    AssociateSenior,
    /// 正高级
    FullSenior,
}

impl TitleLevel {
    pub const ALL: [TitleLevel; 4] = [
        TitleLevel::Junior,
        TitleLevel::Intermediate,
        TitleLevel::AssociateSenior,
        TitleLevel::FullSenior,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            TitleLevel::Junior => "初级",
            TitleLevel::Intermediate => "中级",
            TitleLevel::AssociateSenior => "副高级",
            TitleLevel::FullSenior => "正高级",
        }
    }

    pub fn parse(s: &str) -> Option<TitleLevel> {
        TitleLevel::ALL.into_iter().find(|l| l.zh() == s)
    }
}

/// A level of either kind, as a verdict reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Title(TitleLevel),
    Skill(SkillLevel),
}

impl Level {
    pub fn zh(self) -> &'static str {
        match self {
            Level::Title(l) => l.zh(),
            Level::Skill(l) => l.zh(),
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let s = String::deserialize(d)?;
        TitleLevel::parse(&s)
            .map(Level::Title)
            .or_else(|| SkillLevel::parse(&s).map(Level::Skill))
            .ok_or_else(|| serde::de::Error::custom(format!("unknown level {s:?}")))
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.zh())
    }
}

/// 年度考核结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentResult {
    Excellent,
    Good,
    Pass,
    Competent,
    BasicPass,
    BasicCompetent,
    Fail,
    Incompetent,
}

impl AssessmentResult {
    pub const ALL: [AssessmentResult; 8] = [
        AssessmentResult::Excellent,
        AssessmentResult::Good,
        AssessmentResult::Pass,
        AssessmentResult::Competent,
        AssessmentResult::BasicPass,
        AssessmentResult::BasicCompetent,
        AssessmentResult::Fail,
        AssessmentResult::Incompetent,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            AssessmentResult::Excellent => "优秀",
            AssessmentResult::Good => "良好",
            AssessmentResult::Pass => "合格",
            AssessmentResult::Competent => "称职",
            AssessmentResult::BasicPass => "基本合格",
            AssessmentResult::BasicCompetent => "基本称职",
            AssessmentResult::Fail => "不合格",
            AssessmentResult::Incompetent => "不称职",
        }
    }

    pub fn parse(s: &str) -> Option<AssessmentResult> {
        AssessmentResult::ALL.into_iter().find(|r| r.zh() == s)
    }

    /// 优秀, 良好, 合格, 称职 pass; the rest fail.
    pub fn passes(self) -> bool {
        matches!(
            self,
            AssessmentResult::Excellent
                | AssessmentResult::Good
                | AssessmentResult::Pass
                | AssessmentResult::Competent
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillCertificate {
    pub occupation: String,
    pub level: SkillLevel,
    pub obtained_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleHeld {
    pub series: String,
    pub level: TitleLevel,
    pub obtained_on: NaiveDate,
}

/// A period of work; `to` is the last day worked (inclusive), `None` while it goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkPeriod {
    occupation: String,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl WorkPeriod {
    /// Refuses a period that ends before it starts.
    pub fn new(
        occupation: impl Into<String>,
        from: NaiveDate,
        to: Option<NaiveDate>,
    ) -> Result<WorkPeriod, &'static str> {
        if to.is_some_and(|t| t < from) {
            return Err("before from");
        }
        Ok(WorkPeriod {
            occupation: occupation.into(),
            from,
            to,
        })
    }

    pub fn occupation(&self) -> &str {
        &self.occupation
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnualAssessment {
    pub year: i32,
    pub result: AssessmentResult,
}

/// What is applied for: a title in a series (§2.2) or a skill level (§2.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Title { series: String, level: TitleLevel },
    Skill { level: SkillLevel },
}

impl Target {
    pub fn level(&self) -> Level {
        match self {
            Target::Title { level, .. } => Level::Title(*level),
            Target::Skill { level } => Level::Skill(*level),
        }
    }
}

/// Everything the rules look at, for one person on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub reference_date: NaiveDate,
    /// 职业（工种）the person works in now; on the skill pathway also the occupation evaluated.
    pub occupation: String,
    pub target: Target,
    pub skill_certificates: Vec<SkillCertificate>,
    pub titles: Vec<TitleHeld>,
    pub work: Vec<WorkPeriod>,
    /// At most one per year (the checker refuses duplicates).
    pub annual_assessments: Vec<AnnualAssessment>,
    /// Honour names, each in the catalogue.
    pub honours: Vec<String>,
    pub frontline: bool,
    pub exceptional: bool,
    pub diploma_major_related: bool,
}

impl Profile {
    /// A blank profile for a target, to fill in.
    pub fn new(
        reference_date: NaiveDate,
        occupation: impl Into<String>,
        target: Target,
    ) -> Profile {
        Profile {
            reference_date,
            occupation: occupation.into(),
            target,
            skill_certificates: Vec::new(),
            titles: Vec::new(),
            work: Vec::new(),
            annual_assessments: Vec::new(),
            honours: Vec::new(),
            frontline: false,
            exceptional: false,
            diploma_major_related: false,
        }
    }
}
