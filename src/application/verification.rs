//! PURE: the employer's verification of an application (单位核实, §2.2.2): the post, each skill
//! certificate, the last three annual assessments as the employer's records show them, law-abidance
//! and professional ethics, and the written opinion. The employer's record, not the applicant's
//! declaration, is what eligibility is then decided on; where they differ, both are shown.

use super::{Assessment, Sections};
use crate::policy::{AnnualAssessment, Profile};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One certificate as the employer checked it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CertificateCheck {
    /// The certificate's id in the applicant's section.
    pub certificate_id: String,
    pub confirmed: bool,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Verification {
    /// The post is a professional-technical post (§2.2.1).
    pub professional_post: bool,
    pub post_note: String,
    pub certificates: Vec<CertificateCheck>,
    /// The employer's record of the last three years.
    pub assessments: Vec<Assessment>,
    pub law_abiding: bool,
    pub ethics: bool,
    /// 单位核实意见.
    pub opinion: String,
}

impl Verification {
    /// A verification confirming everything the applicant declared, with `opinion`.
    pub fn confirming(sections: &Sections, opinion: &str) -> Verification {
        Verification {
            professional_post: true,
            post_note: String::new(),
            certificates: sections
                .certificates
                .iter()
                .flat_map(|c| &c.items)
                .map(|c| CertificateCheck {
                    certificate_id: c.id.clone(),
                    confirmed: true,
                    note: String::new(),
                })
                .collect(),
            assessments: sections
                .employment
                .as_ref()
                .map(|e| e.assessments.clone())
                .unwrap_or_default(),
            law_abiding: true,
            ethics: true,
            opinion: opinion.to_string(),
        }
    }

    /// The profile eligibility is decided on: the applicant's, with the employer's assessments
    /// and only the certificates the employer confirmed.
    pub fn profile(&self, sections: &Sections, reference_date: NaiveDate) -> Option<Profile> {
        let mut p = sections.profile(reference_date)?;
        p.annual_assessments = self
            .assessments
            .iter()
            .map(|a| AnnualAssessment {
                year: a.year,
                result: a.result,
            })
            .collect();
        let confirmed: Vec<&str> = self
            .certificates
            .iter()
            .filter(|c| c.confirmed)
            .map(|c| c.certificate_id.as_str())
            .collect();
        let certificates = sections.certificates.iter().flat_map(|c| &c.items);
        p.skill_certificates = certificates
            .zip(p.skill_certificates.iter().cloned())
            .filter(|(c, _)| confirmed.contains(&c.id.as_str()))
            .map(|(_, s)| s)
            .collect();
        Some(p)
    }

    /// Where the employer's record differs from what the applicant declared, in words.
    pub fn differences(&self, sections: &Sections) -> Vec<String> {
        let mut out = Vec::new();
        let declared = sections
            .employment
            .as_ref()
            .map(|e| e.assessments.clone())
            .unwrap_or_default();
        for a in &self.assessments {
            match declared.iter().find(|d| d.year == a.year) {
                Some(d) if d.result != a.result => out.push(format!(
                    "{} 年度考核：申报人填写“{}”，单位记录“{}”",
                    a.year, d.result, a.result
                )),
                None => out.push(format!(
                    "{} 年度考核：申报人未填写，单位记录“{}”",
                    a.year, a.result
                )),
                Some(_) => {}
            }
        }
        for c in sections.certificates.iter().flat_map(|c| &c.items) {
            let check = self.certificates.iter().find(|k| k.certificate_id == c.id);
            if !check.is_some_and(|k| k.confirmed) {
                out.push(format!(
                    "{}（{}）证书：单位未确认{}",
                    c.occupation,
                    c.level,
                    check
                        .filter(|k| !k.note.is_empty())
                        .map(|k| format!("，{}", k.note))
                        .unwrap_or_default()
                ));
            }
        }
        let post = sections
            .employment
            .as_ref()
            .and_then(|e| e.professional_post);
        if post == Some(true) && !self.professional_post {
            out.push("岗位：申报人填写为专业技术岗位，单位未确认".into());
        }
        out
    }

    /// What stands in the way of recommending on this record (the conduct checks of §2.2.2).
    pub fn obstacles(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.professional_post {
            out.push("单位未确认申报人在专业技术岗位工作（§2.2.1）");
        }
        if !self.law_abiding {
            out.push("单位未确认申报人遵纪守法（§2.2.2）");
        }
        if !self.ethics {
            out.push("单位未确认申报人具有良好的职业道德（§2.2.2）");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{Certificate, Certificates, Employment};
    use crate::domain::{AssessmentResult, SkillLevel};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_employers_record_is_what_counts_and_differences_are_named() {
        let cert = |id: &str, level| Certificate {
            id: id.into(),
            occupation: "焊工".into(),
            level,
            number: "N".into(),
            issuer: "鉴定中心".into(),
            obtained_on: d("2018-03-01"),
            evidence: vec![],
        };
        let sections = Sections {
            employment: Some(Employment {
                occupation: "焊工".into(),
                professional_post: Some(true),
                assessments: vec![Assessment {
                    year: 2025,
                    result: AssessmentResult::Excellent,
                }],
                ..Employment::default()
            }),
            certificates: Some(Certificates {
                items: vec![
                    cert("a", SkillLevel::Technician),
                    cert("b", SkillLevel::Senior),
                ],
            }),
            ..Sections::default()
        };
        let v = Verification {
            professional_post: true,
            certificates: vec![CertificateCheck {
                certificate_id: "b".into(),
                confirmed: true,
                note: String::new(),
            }],
            assessments: vec![Assessment {
                year: 2025,
                result: AssessmentResult::Fail,
            }],
            law_abiding: true,
            ethics: true,
            ..Verification::default()
        };
        let diffs = v.differences(&sections);
        assert_eq!(diffs.len(), 2, "{diffs:?}");
        assert!(diffs[0].contains("2025 年度考核"));
        assert!(diffs[1].contains("技师") && diffs[1].contains("未确认"));
        assert!(v.obstacles().is_empty());
        let mut with_target = sections.clone();
        with_target.target = Some(crate::application::TargetData {
            series: "工程".into(),
            level: Some(crate::domain::TitleLevel::Intermediate),
            ..Default::default()
        });
        let p = v.profile(&with_target, d("2026-12-31")).unwrap();
        assert_eq!(
            p.skill_certificates.len(),
            1,
            "only the confirmed certificate"
        );
        assert_eq!(p.skill_certificates[0].level, SkillLevel::Senior);
        assert_eq!(p.annual_assessments[0].result, AssessmentResult::Fail);
        assert!(Verification::default().obstacles().len() == 3);
    }
}
