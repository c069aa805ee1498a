//! The facts of a profile, as types that cannot hold an invalid value.

use chrono::NaiveDate;

pub use crate::domain::levels::{AssessmentResult, Level, SkillLevel, TitleLevel};

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
