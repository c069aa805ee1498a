//! A title application (pathway A, §2.2) as the applicant prepares it: seven sections, each saved
//! on its own as JSON with a version, and what makes each one complete. No web or database code.

pub mod assessments;
pub mod draft;
pub mod edit;
pub mod employer_stage;
pub mod periods;
pub mod self_check;
pub mod submission;
pub mod verification;

pub use draft::{Draft, SectionRecord};
pub use edit::{Edit, List};

use crate::domain::{
    AccountId, AssessmentResult, Education, RoundId, RouteClaim, SkillLevel, TitleLevel,
};
use crate::policy::{AnnualAssessment, Profile, SkillCertificate, Target, WorkPeriod};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The sections of the task list, in order. The integrity pledge (诚信承诺) is agreed to on the
/// check-answers page at submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Basic,
    Employment,
    Certificates,
    Work,
    Target,
    Achievements,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Basic,
        Section::Employment,
        Section::Certificates,
        Section::Work,
        Section::Target,
        Section::Achievements,
    ];

    /// The name in URLs and in the database.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Basic => "basic",
            Section::Employment => "employment",
            Section::Certificates => "certificates",
            Section::Work => "work",
            Section::Target => "target",
            Section::Achievements => "achievements",
        }
    }

    pub fn parse(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.slug() == s)
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Basic => "基本信息",
            Section::Employment => "工作单位与岗位",
            Section::Certificates => "职业技能等级",
            Section::Work => "工作经历",
            Section::Target => "申报目标",
            Section::Achievements => "业绩与能力",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionStatus {
    NotStarted,
    InProgress,
    Completed,
    /// Returned with items to fix here, and not saved with a change since.
    ToFix,
}

impl SectionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SectionStatus::NotStarted => "未开始",
            SectionStatus::InProgress => "进行中",
            SectionStatus::Completed => "已完成",
            SectionStatus::ToFix => "需修改",
        }
    }

    pub fn css(self) -> &'static str {
        match self {
            SectionStatus::NotStarted => "grey",
            SectionStatus::InProgress => "wait",
            SectionStatus::Completed => "ok",
            SectionStatus::ToFix => "no",
        }
    }
}

/// A stored evidence file as a section refers to it (the bytes stay in the evidence table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

impl EvidenceRef {
    pub fn size_text(&self) -> String {
        human_size(self.size)
    }
}

pub fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Basic {
    pub education: Option<Education>,
    pub mobile: String,
    pub email: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub year: i32,
    pub result: AssessmentResult,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Employment {
    pub employer_id: Option<AccountId>,
    pub employer_name: String,
    pub employer_code: String,
    pub department: String,
    pub post: String,
    pub professional_post: Option<bool>,
    pub occupation: String,
    pub since: Option<NaiveDate>,
    /// The last three annual assessments as the applicant declares them (the employer confirms).
    pub assessments: Vec<Assessment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: String,
    pub occupation: String,
    pub level: SkillLevel,
    pub number: String,
    pub issuer: String,
    pub obtained_on: NaiveDate,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Certificates {
    pub items: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub id: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub employer: String,
    pub occupation: String,
    pub post: String,
    /// The employer's credit code, when the applicant gives it (optional: periods saved before
    /// it was asked read as empty). A committee finds an expert from the same employer by it.
    #[serde(default)]
    pub employer_code: String,
    /// 证明人: who can confirm the period, and how to reach them (optional).
    #[serde(default)]
    pub witness_name: String,
    #[serde(default)]
    pub witness_phone: String,
}

impl Period {
    /// Its last day: the end it gives, or (still working there) the far future.
    fn last_day(&self) -> NaiveDate {
        self.to.unwrap_or(NaiveDate::MAX)
    }

    /// Whether it shares a day with `other` (both days included).
    pub fn overlaps(&self, other: &Period) -> bool {
        self.from <= other.last_day() && other.from <= self.last_day()
    }
}

/// For each period, whether it overlaps another: unusual (a second job, a typo) but allowed, so
/// a page warns beside it and saves; the verdict counts overlapping days once.
pub fn overlapping(periods: &[Period]) -> Vec<bool> {
    periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            periods
                .iter()
                .enumerate()
                .any(|(j, q)| i != j && p.overlaps(q))
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Work {
    pub items: Vec<Period>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonourClaim {
    pub id: String,
    pub name: String,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TargetData {
    pub round_id: Option<RoundId>,
    pub series: String,
    pub specialty: String,
    pub level: Option<TitleLevel>,
    /// The route the applicant claims (the verdict still considers every route).
    pub route: Option<RouteClaim>,
    pub honours: Vec<HonourClaim>,
    pub frontline_statement: String,
    pub exceptional_grounds: String,
}

/// The nine kinds of representative achievement that count in place of a thesis (§2.2.5).
pub const ACHIEVEMENT_KINDS: [&str; 9] = [
    "技能技艺",
    "行业工法",
    "操作法",
    "完成项目",
    "技术报告",
    "经验总结",
    "专利发明",
    "科研成果",
    "行业标准",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Achievement {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub date: NaiveDate,
    pub role: String,
    pub description: String,
    pub evidence: Vec<EvidenceRef>,
    /// Who else holds it (optional; achievements saved before it was asked have none).
    #[serde(default)]
    pub co_holders: Vec<CoHolder>,
}

/// A co-holder of a representative achievement: a name and, when given, their employer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoHolder {
    pub name: String,
    pub employer: String,
}

/// The most co-holders one achievement lists.
pub const MAX_CO_HOLDERS: usize = 30;

/// Reads co-holders typed one per line, a name and then (after a comma, a tab or spaces) their
/// employer. Blank lines are skipped. Errors name the line.
pub fn parse_co_holders(text: &str) -> Result<Vec<CoHolder>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let split = line
            .char_indices()
            .find(|(_, c)| matches!(c, '，' | ',' | '、' | '\t' | '；' | ';') || c.is_whitespace());
        let (name, employer) = match split {
            Some((at, c)) => (
                &line[..at],
                line[at + c.len_utf8()..].trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '，' | ',' | '、' | '；' | ';')
                }),
            ),
            None => (line, ""),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(format!(
                "第 {} 行缺少姓名：每行先写姓名，再写工作单位",
                i + 1
            ));
        }
        if name.chars().count() > 50 {
            return Err(format!("第 {} 行的姓名超过 50 个字", i + 1));
        }
        if employer.chars().count() > 100 {
            return Err(format!("第 {} 行的单位名称超过 100 个字", i + 1));
        }
        if name.chars().any(char::is_control) || employer.chars().any(char::is_control) {
            return Err(format!("第 {} 行含有无法显示的字符", i + 1));
        }
        out.push(CoHolder {
            name: name.to_string(),
            employer: employer.to_string(),
        });
        if out.len() > MAX_CO_HOLDERS {
            return Err(format!("共同完成人最多填写 {MAX_CO_HOLDERS} 人"));
        }
    }
    Ok(out)
}

/// Co-holders as the form shows them again: one per line.
pub fn co_holders_text(list: &[CoHolder]) -> String {
    list.iter()
        .map(|h| {
            if h.employer.is_empty() {
                h.name.clone()
            } else {
                format!("{}，{}", h.name, h.employer)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// 传技带徒: an apprentice trained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apprentice {
    pub id: String,
    pub name: String,
    pub period: String,
    pub outcome: String,
}

/// 技术改造革新: a technical renovation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renovation {
    pub id: String,
    pub title: String,
    pub date: NaiveDate,
    pub role: String,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Achievements {
    pub summary: String,
    pub items: Vec<Achievement>,
    pub apprentices: Vec<Apprentice>,
    pub renovations: Vec<Renovation>,
}

/// All sections of one application, as saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sections {
    pub basic: Option<Basic>,
    pub employment: Option<Employment>,
    pub certificates: Option<Certificates>,
    pub work: Option<Work>,
    pub target: Option<TargetData>,
    pub achievements: Option<Achievements>,
}

impl Sections {
    /// Takes every section `other` holds in place of this one's.
    pub fn overlay(&mut self, other: Sections) {
        let Sections {
            basic,
            employment,
            certificates,
            work,
            target,
            achievements,
        } = other;
        macro_rules! take {
            ($($f:ident),*) => { $(if $f.is_some() { self.$f = $f; })* };
        }
        take!(basic, employment, certificates, work, target, achievements);
    }

    /// Sets one section to a copy of `from`'s.
    pub fn copy_section(&mut self, from: &Sections, section: Section) {
        match section {
            Section::Basic => self.basic.clone_from(&from.basic),
            Section::Employment => self.employment.clone_from(&from.employment),
            Section::Certificates => self.certificates.clone_from(&from.certificates),
            Section::Work => self.work.clone_from(&from.work),
            Section::Target => self.target.clone_from(&from.target),
            Section::Achievements => self.achievements.clone_from(&from.achievements),
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl Sections {
    /// Sets one section from its stored JSON; unreadable JSON is an error, not "not started".
    pub fn set_json(&mut self, section: Section, json: &str) -> Result<(), serde_json::Error> {
        match section {
            Section::Basic => self.basic = Some(serde_json::from_str(json)?),
            Section::Employment => self.employment = Some(serde_json::from_str(json)?),
            Section::Certificates => self.certificates = Some(serde_json::from_str(json)?),
            Section::Work => self.work = Some(serde_json::from_str(json)?),
            Section::Target => self.target = Some(serde_json::from_str(json)?),
            Section::Achievements => self.achievements = Some(serde_json::from_str(json)?),
        }
        Ok(())
    }

    /// One section's JSON as stored (`None` while it was never saved).
    pub fn json(&self, section: Section) -> Option<String> {
        let json = match section {
            Section::Basic => serde_json::to_string(self.basic.as_ref()?),
            Section::Employment => serde_json::to_string(self.employment.as_ref()?),
            Section::Certificates => serde_json::to_string(self.certificates.as_ref()?),
            Section::Work => serde_json::to_string(self.work.as_ref()?),
            Section::Target => serde_json::to_string(self.target.as_ref()?),
            Section::Achievements => serde_json::to_string(self.achievements.as_ref()?),
        };
        json.ok()
    }

    /// What is still missing in a section (empty when it is complete).
    pub fn missing(&self, section: Section) -> Vec<&'static str> {
        let mut m = Vec::new();
        let mut need = |cond: bool, what: &'static str| {
            if cond {
                m.push(what)
            }
        };
        match section {
            Section::Basic => {
                let none = Default::default();
                let b = self.basic.as_ref().unwrap_or(&none);
                need(b.education.is_none(), "学历");
                need(blank(&b.mobile), "联系电话");
            }
            Section::Employment => {
                let none = Default::default();
                let e = self.employment.as_ref().unwrap_or(&none);
                need(
                    blank(&e.employer_code) || blank(&e.employer_name),
                    "工作单位",
                );
                need(blank(&e.department), "部门");
                need(blank(&e.post), "岗位");
                need(e.professional_post.is_none(), "是否专业技术岗位");
                need(blank(&e.occupation), "职业（工种）");
                need(e.since.is_none(), "现岗位起始日期");
                need(e.assessments.len() < 3, "近3年年度考核");
            }
            Section::Certificates => {
                let none = Default::default();
                let c = self.certificates.as_ref().unwrap_or(&none);
                need(c.items.is_empty(), "至少一个职业技能等级证书");
                need(
                    c.items.iter().any(|i| i.evidence.is_empty()),
                    "每个证书的扫描件",
                );
            }
            Section::Work => {
                need(
                    self.work.as_ref().is_none_or(|w| w.items.is_empty()),
                    "至少一段工作经历",
                );
            }
            Section::Target => {
                let none = Default::default();
                let t = self.target.as_ref().unwrap_or(&none);
                need(t.round_id.is_none(), "评审批次");
                need(blank(&t.series), "职称系列");
                need(blank(&t.specialty), "专业");
                need(t.level.is_none(), "申报层级");
                need(t.route.is_none(), "申报途径");
                if t.route == Some(RouteClaim::Honour) {
                    need(t.honours.is_empty(), "所获荣誉及证明");
                    need(blank(&t.frontline_statement), "长期坚守一线的说明");
                }
                if t.route == Some(RouteClaim::Exceptional) {
                    need(blank(&t.exceptional_grounds), "破格申报理由");
                }
            }
            Section::Achievements => {
                let none = Default::default();
                let a = self.achievements.as_ref().unwrap_or(&none);
                need(blank(&a.summary), "工作业绩总结");
                need(a.items.is_empty(), "至少一项代表性成果");
            }
        }
        m
    }

    pub fn status(&self, section: Section) -> SectionStatus {
        let started = match section {
            Section::Basic => self.basic.is_some(),
            Section::Employment => self.employment.is_some(),
            Section::Certificates => self
                .certificates
                .as_ref()
                .is_some_and(|c| !c.items.is_empty()),
            Section::Work => self.work.as_ref().is_some_and(|w| !w.items.is_empty()),
            Section::Target => self.target.is_some(),
            Section::Achievements => self.achievements.as_ref().is_some_and(|a| {
                !a.summary.is_empty()
                    || !a.items.is_empty()
                    || !a.apprentices.is_empty()
                    || !a.renovations.is_empty()
            }),
        };
        if !started {
            SectionStatus::NotStarted
        } else if self.missing(section).is_empty() {
            SectionStatus::Completed
        } else {
            SectionStatus::InProgress
        }
    }

    pub fn all_complete(&self) -> bool {
        Section::ALL
            .iter()
            .all(|s| self.status(*s) == SectionStatus::Completed)
    }

    /// The facts the policy engine needs, once occupation and target are known.
    pub fn profile(&self, reference_date: NaiveDate) -> Option<Profile> {
        let employment = self.employment.as_ref()?;
        let target = self.target.as_ref()?;
        let level = target.level?;
        if blank(&employment.occupation) || blank(&target.series) {
            return None;
        }
        let mut p = Profile::new(
            reference_date,
            employment.occupation.clone(),
            Target::Title {
                series: target.series.clone(),
                level,
            },
        );
        p.skill_certificates = self
            .certificates
            .iter()
            .flat_map(|c| &c.items)
            .map(|c| SkillCertificate {
                occupation: c.occupation.clone(),
                level: c.level,
                obtained_on: c.obtained_on,
            })
            .collect();
        p.work = self
            .work
            .iter()
            .flat_map(|w| &w.items)
            .filter_map(|w| WorkPeriod::new(w.occupation.clone(), w.from, w.to).ok())
            .collect();
        p.annual_assessments = employment
            .assessments
            .iter()
            .map(|a| AnnualAssessment {
                year: a.year,
                result: a.result,
            })
            .collect();
        p.honours = target.honours.iter().map(|h| h.name.clone()).collect();
        p.frontline = !blank(&target.frontline_statement);
        p.exceptional = target.route == Some(RouteClaim::Exceptional);
        Some(p)
    }

    /// The sections a new application starts from when it copies this one: the round is chosen
    /// again (an application belongs to one round).
    pub fn for_copy(&self) -> Sections {
        let mut copy = self.clone();
        if let Some(t) = &mut copy.target {
            t.round_id = None;
        }
        copy
    }

    /// Every evidence reference, to point them at copied files.
    pub fn evidence_refs_mut(&mut self) -> Vec<&mut EvidenceRef> {
        let mut refs: Vec<&mut EvidenceRef> = Vec::new();
        for c in self.certificates.iter_mut().flat_map(|c| &mut c.items) {
            refs.extend(c.evidence.iter_mut());
        }
        for h in self.target.iter_mut().flat_map(|t| &mut t.honours) {
            refs.extend(h.evidence.iter_mut());
        }
        for a in self.achievements.iter_mut().flat_map(|a| &mut a.items) {
            refs.extend(a.evidence.iter_mut());
        }
        refs
    }

    /// Every evidence file the sections refer to.
    pub fn evidence_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for c in self.certificates.iter().flat_map(|c| &c.items) {
            ids.extend(c.evidence.iter().map(|e| e.id.as_str()));
        }
        for h in self.target.iter().flat_map(|t| &t.honours) {
            ids.extend(h.evidence.iter().map(|e| e.id.as_str()));
        }
        for a in self.achievements.iter().flat_map(|a| &a.items) {
            ids.extend(a.evidence.iter().map(|e| e.id.as_str()));
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_go_from_not_started_to_completed() {
        let mut s = Sections::default();
        assert_eq!(s.status(Section::Basic), SectionStatus::NotStarted);
        s.basic = Some(Basic {
            education: Some(Education::College),
            ..Basic::default()
        });
        assert_eq!(s.status(Section::Basic), SectionStatus::InProgress);
        assert_eq!(s.missing(Section::Basic), vec!["联系电话"]);
        s.basic.as_mut().unwrap().mobile = "13800138000".into();
        assert_eq!(s.status(Section::Basic), SectionStatus::Completed);
        assert!(!s.all_complete());
        for sec in Section::ALL {
            assert_eq!(Section::parse(sec.slug()), Some(sec));
        }
    }

    #[test]
    fn certificates_need_their_scans() {
        let mut s = Sections::default();
        let cert = Certificate {
            id: "a".into(),
            occupation: "焊工".into(),
            level: SkillLevel::Technician,
            number: "1".into(),
            issuer: "x".into(),
            obtained_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            evidence: vec![],
        };
        s.certificates = Some(Certificates { items: vec![cert] });
        assert_eq!(s.status(Section::Certificates), SectionStatus::InProgress);
        s.certificates.as_mut().unwrap().items[0]
            .evidence
            .push(EvidenceRef {
                id: "e".into(),
                ..EvidenceRef::default()
            });
        assert_eq!(s.status(Section::Certificates), SectionStatus::Completed);
        assert_eq!(s.evidence_ids(), vec!["e"]);
    }
}

/// What lists show of a submitted application, frozen with it: who, with the ID number masked,
/// and where they work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListSummary {
    pub name: String,
    pub id_masked: String,
    pub department: String,
    pub post: String,
}

impl ListSummary {
    pub fn of(snapshot: &Snapshot) -> ListSummary {
        let e = snapshot.sections.employment.clone().unwrap_or_default();
        ListSummary {
            name: snapshot.applicant_name.clone(),
            id_masked: snapshot.id_masked.clone(),
            department: e.department,
            post: e.post,
        }
    }
}

/// What submission freezes: the sections as they were, with who applied and on which round.
/// The employer and the committee see this, never the live draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub applicant_name: String,
    pub id_masked: String,
    pub gender: String,
    /// 出生年月: the year and month only (the day would help rebuild the ID number).
    pub birth_month: String,
    pub round_name: String,
    pub reference_date: Option<NaiveDate>,
    pub sections: Sections,
}

impl Snapshot {
    /// Freezes the sections with the applicant's facts derived from the stored ID number (shown
    /// masked, never in full) and the round they were submitted to.
    pub fn new(
        name: &str,
        id_number: &str,
        round_name: &str,
        reference_date: NaiveDate,
        sections: Sections,
    ) -> Snapshot {
        let id = crate::domain::IdNumber::parse(id_number).ok();
        Snapshot {
            applicant_name: name.to_string(),
            id_masked: crate::domain::id_number::mask_id_number(id_number),
            gender: id
                .as_ref()
                .map(|i| i.gender().to_string())
                .unwrap_or_default(),
            birth_month: id
                .as_ref()
                .map(crate::domain::IdNumber::birth_month_zh)
                .unwrap_or_default(),
            round_name: round_name.to_string(),
            reference_date: Some(reference_date),
            sections,
        }
    }
}

#[cfg(test)]
mod overlap_tests {
    use super::*;

    fn period(from: &str, to: Option<&str>) -> Period {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Period {
            id: String::new(),
            from: d(from),
            to: to.map(d),
            employer: String::new(),
            occupation: String::new(),
            post: String::new(),
            employer_code: String::new(),
            witness_name: String::new(),
            witness_phone: String::new(),
        }
    }

    #[test]
    fn periods_and_achievements_saved_before_the_conflict_fields_still_read() {
        let period: Period = serde_json::from_str(
            r#"{"id":"w1","from":"2010-01-01","to":null,"employer":"厂","occupation":"焊工","post":"焊工"}"#,
        )
        .unwrap();
        assert_eq!(period.employer_code, "");
        assert_eq!(period.witness_name, "");
        let item: Achievement = serde_json::from_str(
            r#"{"id":"a","kind":"操作法","title":"t","date":"2020-01-01","role":"r","description":"d","evidence":[]}"#,
        )
        .unwrap();
        assert!(item.co_holders.is_empty());
    }

    #[test]
    fn co_holders_read_one_per_line() {
        let list =
            parse_co_holders("王强，上海某厂\n\n李四\n张三 上海某研究所\n赵六,某单位").unwrap();
        let names: Vec<&str> = list.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["王强", "李四", "张三", "赵六"]);
        assert_eq!(list[2].employer, "上海某研究所");
        assert_eq!(co_holders_text(&list).lines().count(), 4);
        let many = "某人\n".repeat(MAX_CO_HOLDERS + 1);
        assert!(parse_co_holders(&many).is_err());
        assert!(parse_co_holders("王\u{7}强")
            .unwrap_err()
            .contains("第 1 行"));
    }

    #[test]
    fn periods_overlap_when_they_share_a_day() {
        let a = period("2010-01-01", Some("2015-12-31"));
        let b = period("2015-12-31", None);
        let c = period("2016-01-01", None);
        assert!(a.overlaps(&b) && b.overlaps(&a));
        assert!(!a.overlaps(&c));
        assert!(b.overlaps(&c), "two periods still running overlap");
        assert_eq!(overlapping(&[a.clone(), c.clone()]), [false, false]);
        assert_eq!(overlapping(&[a, b, c]), [true, true, true]);
    }
}
