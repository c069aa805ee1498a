//! 资格自测 as data: the facts a person typed on the self-check form, kept as text so the page can
//! show them again, and their conversion into the engine's profile with every problem named
//! against its field. Pure: the web page only renders it.

use crate::domain::date::parse_date;
use crate::domain::FieldErrors;
use crate::policy::{
    AnnualAssessment, AssessmentResult, Catalogue, Profile, SkillCertificate, SkillLevel, Target,
    TitleHeld, TitleLevel, WorkPeriod,
};
use chrono::{Datelike, NaiveDate};

pub const CERT_ROWS: usize = 3;
pub const TITLE_ROWS: usize = 2;
pub const WORK_ROWS: usize = 3;
pub const ASSESSMENT_ROWS: usize = 3;
/// Rows a group can grow to with "add another" (no JavaScript: the form is sent and shown again).
pub const MAX_ROWS: usize = 20;

fn add_row<T: Default>(rows: &mut Vec<T>) {
    if rows.len() < MAX_ROWS {
        rows.push(T::default());
    }
}

/// The row at `i`, growing the list up to [`MAX_ROWS`].
fn row_at<T: Default + Clone>(rows: &mut Vec<T>, i: usize) -> Option<&mut T> {
    if i >= MAX_ROWS {
        return None;
    }
    if rows.len() <= i {
        rows.resize(i + 1, T::default());
    }
    rows.get_mut(i)
}

#[derive(Debug, Clone, Default)]
pub struct CertRow {
    pub occupation: String,
    pub level: String,
    pub date: String,
}

#[derive(Debug, Clone, Default)]
pub struct TitleRow {
    pub series: String,
    pub level: String,
    pub date: String,
}

#[derive(Debug, Clone, Default)]
pub struct WorkRow {
    pub occupation: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Default)]
pub struct AssessmentRow {
    pub year: String,
    pub result: String,
}

/// What the person typed, kept as text so that the page can show it again.
#[derive(Debug, Clone, Default)]
pub struct SelfCheckForm {
    pub pathway: String,
    pub reference_date: String,
    pub occupation: String,
    pub series: String,
    pub target_title: String,
    pub target_skill: String,
    pub certs: Vec<CertRow>,
    pub titles: Vec<TitleRow>,
    pub work: Vec<WorkRow>,
    pub assessments: Vec<AssessmentRow>,
    pub honours: Vec<String>,
    pub frontline: bool,
    pub exceptional: bool,
    pub diploma: bool,
    /// "Add another" was pressed: show the form again with one more row, decide nothing yet.
    pub adding: bool,
}

impl SelfCheckForm {
    /// An empty form for `today`: the reference date and the last three assessment years filled in.
    pub fn blank(today: NaiveDate) -> SelfCheckForm {
        SelfCheckForm {
            pathway: "title".into(),
            reference_date: today.to_string(),
            certs: vec![CertRow::default(); CERT_ROWS],
            titles: vec![TitleRow::default(); TITLE_ROWS],
            work: vec![WorkRow::default(); WORK_ROWS],
            assessments: (1..=ASSESSMENT_ROWS as i32)
                .rev()
                .map(|back| AssessmentRow {
                    year: (today.year() - back).to_string(),
                    result: String::new(),
                })
                .collect(),
            ..SelfCheckForm::default()
        }
    }

    pub fn from_pairs(pairs: &[(String, String)]) -> SelfCheckForm {
        let mut f = SelfCheckForm {
            certs: vec![CertRow::default(); CERT_ROWS],
            titles: vec![TitleRow::default(); TITLE_ROWS],
            work: vec![WorkRow::default(); WORK_ROWS],
            assessments: vec![AssessmentRow::default(); ASSESSMENT_ROWS],
            ..SelfCheckForm::default()
        };
        let mut add: Option<String> = None;
        for (key, value) in pairs {
            let v = value.clone();
            match key.as_str() {
                "pathway" => f.pathway = v,
                "reference_date" => f.reference_date = v,
                "occupation" => f.occupation = v,
                "series" => f.series = v,
                "target_title" => f.target_title = v,
                "target_skill" => f.target_skill = v,
                "honour" => f.honours.push(v),
                "frontline" => f.frontline = true,
                "exceptional" => f.exceptional = true,
                "diploma" => f.diploma = true,
                "add" => {
                    f.adding = true;
                    add = Some(v);
                }
                other => {
                    // Row fields: cert0_occupation, work2_to, …
                    let Some((row, field)) = other.split_once('_') else {
                        continue;
                    };
                    let split = row.find(|c: char| c.is_ascii_digit()).unwrap_or(row.len());
                    let (group, index) = row.split_at(split);
                    let Ok(i) = index.parse::<usize>() else {
                        continue;
                    };
                    match (group, field) {
                        ("cert", "occupation") => {
                            if let Some(r) = row_at(&mut f.certs, i) {
                                r.occupation = v;
                            }
                        }
                        ("cert", "level") => {
                            if let Some(r) = row_at(&mut f.certs, i) {
                                r.level = v;
                            }
                        }
                        ("cert", "date") => {
                            if let Some(r) = row_at(&mut f.certs, i) {
                                r.date = v;
                            }
                        }
                        ("title", "series") => {
                            if let Some(r) = row_at(&mut f.titles, i) {
                                r.series = v;
                            }
                        }
                        ("title", "level") => {
                            if let Some(r) = row_at(&mut f.titles, i) {
                                r.level = v;
                            }
                        }
                        ("title", "date") => {
                            if let Some(r) = row_at(&mut f.titles, i) {
                                r.date = v;
                            }
                        }
                        ("work", "occupation") => {
                            if let Some(r) = row_at(&mut f.work, i) {
                                r.occupation = v;
                            }
                        }
                        ("work", "from") => {
                            if let Some(r) = row_at(&mut f.work, i) {
                                r.from = v;
                            }
                        }
                        ("work", "to") => {
                            if let Some(r) = row_at(&mut f.work, i) {
                                r.to = v;
                            }
                        }
                        ("assess", "year") => {
                            if let Some(r) = row_at(&mut f.assessments, i) {
                                r.year = v;
                            }
                        }
                        ("assess", "result") => {
                            if let Some(r) = row_at(&mut f.assessments, i) {
                                r.result = v;
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        // One more row after everything sent (rows may have grown while reading).
        match add.as_deref() {
            Some("cert") => add_row(&mut f.certs),
            Some("title") => add_row(&mut f.titles),
            Some("work") => add_row(&mut f.work),
            Some("assess") => add_row(&mut f.assessments),
            _ => {}
        }
        f
    }

    /// The profile these facts describe, or every problem, each against its field.
    pub fn to_profile(&self, catalogue: &Catalogue) -> Result<Profile, FieldErrors> {
        let mut e = FieldErrors::default();
        let title_pathway = match self.pathway.as_str() {
            "title" => Some(true),
            "skill" => Some(false),
            _ => {
                e.add("pathway", "请选择申报类型");
                None
            }
        };
        let reference_date = parse_date(&self.reference_date);
        if reference_date.is_none() {
            e.add("reference_date", "请输入有效的测算日期，如 2026-12-31");
        }
        let occupation = self.occupation.trim().to_string();
        if occupation.is_empty() {
            e.add("occupation", "请输入现从事的职业（工种）");
        }
        let target = match title_pathway {
            Some(true) => {
                let series = self.series.trim();
                if series.is_empty() {
                    e.add("series", "请选择申报的职称系列");
                }
                let level = TitleLevel::parse(&self.target_title);
                if level.is_none() {
                    e.add("target_title", "请选择申报的职称层级");
                }
                level
                    .filter(|_| !series.is_empty())
                    .map(|level| Target::Title {
                        series: series.to_string(),
                        level,
                    })
            }
            Some(false) => {
                let level = SkillLevel::parse(&self.target_skill);
                if level.is_none() {
                    e.add("target_skill", "请选择申报的职业技能等级");
                }
                level.map(|level| Target::Skill { level })
            }
            None => None,
        };
        let mut certs = Vec::new();
        for (i, row) in self.certs.iter().enumerate() {
            if row.occupation.trim().is_empty()
                && row.level.is_empty()
                && row.date.trim().is_empty()
            {
                continue;
            }
            let n = i + 1;
            if row.occupation.trim().is_empty() {
                e.add(
                    format!("cert{i}_occupation"),
                    format!("请填写第{n}个证书的职业（工种）"),
                );
            }
            let level = SkillLevel::parse(&row.level);
            if level.is_none() {
                e.add(format!("cert{i}_level"), format!("请选择第{n}个证书的等级"));
            }
            let date = held_date(
                &mut e,
                format!("cert{i}_date"),
                &row.date,
                n,
                "证书",
                reference_date,
            );
            if let (Some(level), Some(obtained_on)) = (level, date) {
                certs.push(SkillCertificate {
                    occupation: row.occupation.trim().to_string(),
                    level,
                    obtained_on,
                });
            }
        }
        let mut titles = Vec::new();
        for (i, row) in self.titles.iter().enumerate() {
            if row.series.trim().is_empty() && row.level.is_empty() && row.date.trim().is_empty() {
                continue;
            }
            let n = i + 1;
            if row.series.trim().is_empty() {
                e.add(
                    format!("title{i}_series"),
                    format!("请选择第{n}个职称的系列"),
                );
            }
            let level = TitleLevel::parse(&row.level);
            if level.is_none() {
                e.add(
                    format!("title{i}_level"),
                    format!("请选择第{n}个职称的层级"),
                );
            }
            let date = held_date(
                &mut e,
                format!("title{i}_date"),
                &row.date,
                n,
                "职称",
                reference_date,
            );
            if let (Some(level), Some(obtained_on)) = (level, date) {
                titles.push(TitleHeld {
                    series: row.series.trim().to_string(),
                    level,
                    obtained_on,
                });
            }
        }
        let mut work = Vec::new();
        for (i, row) in self.work.iter().enumerate() {
            if row.occupation.trim().is_empty()
                && row.from.trim().is_empty()
                && row.to.trim().is_empty()
            {
                continue;
            }
            let n = i + 1;
            if row.occupation.trim().is_empty() {
                e.add(
                    format!("work{i}_occupation"),
                    format!("请填写第{n}段工作经历的职业（工种）"),
                );
            }
            let from = parse_date(&row.from);
            if from.is_none() {
                e.add(
                    format!("work{i}_from"),
                    format!("请填写第{n}段工作经历的开始日期，如 2015-07-01"),
                );
            }
            let to = match row.to.trim() {
                "" => Some(None),
                t => match parse_date(t) {
                    Some(d) => Some(Some(d)),
                    None => {
                        e.add(
                            format!("work{i}_to"),
                            format!("第{n}段工作经历的结束日期无效；仍在职请留空"),
                        );
                        None
                    }
                },
            };
            if let (Some(from), Some(to)) = (from, to) {
                match WorkPeriod::new(row.occupation.trim(), from, to) {
                    Ok(p) => work.push(p),
                    Err(_) => e.add(
                        format!("work{i}_to"),
                        format!("第{n}段工作经历的结束日期早于开始日期"),
                    ),
                }
            }
        }
        let mut assessments: Vec<AnnualAssessment> = Vec::new();
        for (i, row) in self.assessments.iter().enumerate() {
            if row.result.is_empty() {
                continue;
            }
            let year = row
                .year
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (1950..=2100).contains(y));
            let Some(year) = year else {
                e.add(format!("assess{i}_year"), "请填写考核年度，如 2025");
                continue;
            };
            let Some(result) = AssessmentResult::parse(&row.result) else {
                e.add(format!("assess{i}_result"), "请选择考核结果");
                continue;
            };
            if assessments.iter().any(|a| a.year == year) {
                e.add(format!("assess{i}_year"), format!("{year}年度重复填写"));
                continue;
            }
            assessments.push(AnnualAssessment { year, result });
        }
        for h in &self.honours {
            if catalogue.honour_level(h).is_none() {
                e.add("honours", "请从列表中选择荣誉");
            }
        }
        match (reference_date, target) {
            (Some(reference_date), Some(target)) if e.is_empty() => Ok(Profile {
                reference_date,
                occupation,
                target,
                skill_certificates: certs,
                titles,
                work,
                annual_assessments: assessments,
                honours: self.honours.clone(),
                frontline: self.frontline,
                exceptional: self.exceptional,
                diploma_major_related: self.diploma,
            }),
            _ => Err(e),
        }
    }
}

/// The date a certificate or title (`what`, the `n`th) was obtained: a date, and not after the
/// reference date, since only what is held by then counts. The reason goes beside `field`.
fn held_date(
    e: &mut FieldErrors,
    field: String,
    text: &str,
    n: usize,
    what: &str,
    reference_date: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let Some(date) = parse_date(text) else {
        e.add(
            field,
            format!("请填写第{n}个{what}的取得日期，如 2020-06-30"),
        );
        return None;
    };
    match reference_date {
        Some(r) if date > r => {
            e.add(
                field,
                format!("第{n}个{what}的取得日期晚于测算日期（{r}）：测算只计入届时已取得的{what}"),
            );
            None
        }
        _ => Some(date),
    }
}
