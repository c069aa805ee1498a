//! Each section as rows of (question, answer) for the check-answers page, the frozen dossier and
//! the "saved in another window" panel.

use crate::application::{EvidenceRef, Section, Sections};

/// One section as question/answer rows, with its slug for links and CSS.
pub struct SectionSummary {
    pub slug: &'static str,
    pub title: &'static str,
    pub rows: Vec<SummaryRow>,
}

impl SectionSummary {
    pub fn new(section: Section, rows: Vec<SummaryRow>) -> SectionSummary {
        SectionSummary {
            slug: section.slug(),
            title: section.title(),
            rows,
        }
    }
}

pub struct SummaryRow {
    pub label: String,
    pub value: String,
    pub evidence: Vec<EvidenceRef>,
}

fn row(label: &str, value: impl Into<String>) -> SummaryRow {
    let value = value.into();
    SummaryRow {
        label: label.to_string(),
        value: if value.trim().is_empty() {
            "未填写".into()
        } else {
            value
        },
        evidence: Vec::new(),
    }
}

fn with_files(label: String, value: String, evidence: &[EvidenceRef]) -> SummaryRow {
    SummaryRow {
        label,
        value,
        evidence: evidence.to_vec(),
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn witness(p: &crate::application::Period) -> String {
    match (p.witness_name.as_str(), p.witness_phone.as_str()) {
        ("", _) => String::new(),
        (name, "") => name.to_string(),
        (name, phone) => format!("{name}（{phone}）"),
    }
}

fn co_holders(list: &[crate::application::CoHolder]) -> String {
    list.iter()
        .map(|h| {
            if h.employer.is_empty() {
                h.name.clone()
            } else {
                format!("{}（{}）", h.name, h.employer)
            }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The rows of one section.
pub fn rows(section: Section, s: &Sections, round_name: Option<&str>) -> Vec<SummaryRow> {
    match section {
        Section::Basic => {
            let b = s.basic.clone().unwrap_or_default();
            vec![
                row("学历", b.education.map_or("", |e| e.zh())),
                row("联系电话", b.mobile),
                row("电子邮箱", b.email),
                row("通讯地址", b.address),
            ]
        }
        Section::Employment => {
            let e = s.employment.clone().unwrap_or_default();
            let assessments: Vec<String> = e
                .assessments
                .iter()
                .map(|a| format!("{}年度 {}", a.year, a.result.zh()))
                .collect();
            vec![
                row(
                    "工作单位",
                    if e.employer_code.is_empty() {
                        e.employer_name
                    } else {
                        format!("{}（{}）", e.employer_name, e.employer_code)
                    },
                ),
                row("部门", e.department),
                row("岗位", e.post),
                row(
                    "是否专业技术岗位",
                    match e.professional_post {
                        Some(true) => "是",
                        Some(false) => "否",
                        None => "",
                    },
                ),
                row("职业（工种）", e.occupation),
                row("现岗位起始日期", date(e.since)),
                row("近3年年度考核", assessments.join("，")),
            ]
        }
        Section::Certificates => {
            let items = s.certificates.clone().unwrap_or_default().items;
            if items.is_empty() {
                return vec![row("职业技能等级证书", "")];
            }
            items
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    with_files(
                        format!("证书 {}", i + 1),
                        format!(
                            "{} {}，证书编号 {}，{} 发证，{} 取得",
                            c.occupation, c.level, c.number, c.issuer, c.obtained_on
                        ),
                        &c.evidence,
                    )
                })
                .collect()
        }
        Section::Work => {
            let items = s.work.clone().unwrap_or_default().items;
            if items.is_empty() {
                return vec![row("工作经历", "")];
            }
            items
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    let to = p.to.map(|d| d.to_string()).unwrap_or_else(|| "今".into());
                    [
                        row(
                            &format!("经历 {}", i + 1),
                            format!(
                                "{} 至 {}，{}，{}，{}",
                                p.from, to, p.employer, p.occupation, p.post
                            ),
                        ),
                        row(
                            &format!("经历 {} 单位代码（选填）", i + 1),
                            p.employer_code.clone(),
                        ),
                        row(&format!("经历 {} 证明人（选填）", i + 1), witness(p)),
                    ]
                })
                .collect()
        }
        Section::Target => {
            let t = s.target.clone().unwrap_or_default();
            let route = t.route.map_or("", |r| r.label());
            let mut rows = vec![
                row("评审批次", round_name.unwrap_or("")),
                row("职称系列", t.series),
                row("专业", t.specialty),
                row("申报层级", t.level.map_or("", |l| l.zh())),
                row("申报途径", route),
            ];
            for h in &t.honours {
                rows.push(with_files("所获荣誉".into(), h.name.clone(), &h.evidence));
            }
            if !t.frontline_statement.is_empty() {
                rows.push(row("长期坚守一线的说明", t.frontline_statement));
            }
            if !t.exceptional_grounds.is_empty() {
                rows.push(row("破格申报理由", t.exceptional_grounds));
            }
            rows
        }
        Section::Achievements => {
            let a = s.achievements.clone().unwrap_or_default();
            let mut rows = vec![row("工作业绩总结", a.summary)];
            for (i, item) in a.items.iter().enumerate() {
                rows.push(with_files(
                    format!("代表性成果 {}（{}）", i + 1, item.kind),
                    format!(
                        "{}，{}，本人作用：{}。{}",
                        item.title, item.date, item.role, item.description
                    ),
                    &item.evidence,
                ));
                rows.push(row(
                    &format!("代表性成果 {} 共同完成人（选填）", i + 1),
                    co_holders(&item.co_holders),
                ));
            }
            for p in &a.apprentices {
                rows.push(row(
                    "传技带徒",
                    format!("{}，{}，{}", p.name, p.period, p.outcome),
                ));
            }
            for r in &a.renovations {
                rows.push(row(
                    "技术改造革新",
                    format!(
                        "{}，{}，本人作用：{}。{}",
                        r.title, r.date, r.role, r.description
                    ),
                ));
            }
            rows
        }
    }
}
