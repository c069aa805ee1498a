//! The employer's verification as recorded (单位核实), line by line: the employer's page and
//! the committee office's formal check show the same record.

use crate::application::verification::Verification;
use crate::application::Sections;

/// A certificate the employer confirms.
pub struct CertificateRow {
    pub id: String,
    pub label: String,
}

/// The certificates of the sections, each named as the verification names it.
pub fn certificate_rows(sections: &Sections) -> Vec<CertificateRow> {
    sections
        .certificates
        .iter()
        .flat_map(|c| &c.items)
        .map(|c| CertificateRow {
            id: c.id.clone(),
            label: format!(
                "{} {}（证书编号 {}，{} 取得）",
                c.occupation, c.level, c.number, c.obtained_on
            ),
        })
        .collect()
}

/// The verification as recorded, for the page: each answer with its question.
pub fn record_lines(v: &Verification, certificates: &[CertificateRow]) -> Vec<(String, String)> {
    let yes = |b: bool, y: &str, n: &str| if b { y } else { n }.to_string();
    let mut lines = vec![(
        "专业技术岗位（§2.2.1）".to_string(),
        format!(
            "{}{}",
            yes(v.professional_post, "是", "否"),
            if v.post_note.is_empty() {
                String::new()
            } else {
                format!("（{}）", v.post_note)
            }
        ),
    )];
    for c in &v.certificates {
        let label = certificates
            .iter()
            .find(|r| r.id == c.certificate_id)
            .map(|r| r.label.clone())
            .unwrap_or_else(|| "（申报人已删除的证书）".into());
        let note = if c.note.is_empty() {
            String::new()
        } else {
            format!("（{}）", c.note)
        };
        lines.push((
            label,
            format!("{}{note}", yes(c.confirmed, "属实", "不属实或无法确认")),
        ));
    }
    for a in &v.assessments {
        lines.push((format!("{} 年度考核", a.year), a.result.zh().to_string()));
    }
    lines.push(("遵纪守法".into(), yes(v.law_abiding, "是", "否")));
    lines.push(("职业道德".into(), yes(v.ethics, "良好", "不符合要求")));
    lines.push(("单位核实意见".into(), v.opinion.clone()));
    lines
}
