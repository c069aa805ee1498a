//! The employer's forms as typed (strings, so that whatever was typed comes back), and how each
//! becomes what the service takes, with every problem beside its field.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::application::verification::{CertificateCheck, Verification};
use crate::application::Sections;
use crate::domain::text::TextField;
use crate::domain::ApplicationId;
use crate::service::employer_stage::{Objection, Publicity, Resolution};
use crate::web::FormErrors;

/// A note beside a verified item (the post, a certificate), which may be left empty.
const NOTE: TextField = TextField::line(200).optional();

/// How many annual assessments the employer records (the last three years, §2.2.2).
pub const ASSESSMENT_YEARS: usize = 3;

/// A yes/no radio as typed: "yes", "no" or "" (unanswered).
fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn answer(errors: &mut FormErrors, field: &str, value: &str, question: &str) -> bool {
    match value {
        "yes" => true,
        "no" => false,
        "" => {
            errors.add(field, format!("请选择{question}"));
            false
        }
        _ => {
            errors.add(field, format!("{question}：只能选择“是”或“否”"));
            false
        }
    }
}

fn parse_version(v: &str) -> i32 {
    v.trim().parse().unwrap_or(-1)
}

#[derive(Debug, Clone, Default)]
pub struct CertificateAnswer {
    pub id: String,
    pub confirmed: String,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct AssessmentAnswer {
    pub year: String,
    pub result: String,
}

/// 单位核实 as typed.
#[derive(Debug, Clone, Default)]
pub struct VerifyForm {
    pub version: String,
    pub professional_post: String,
    pub post_note: String,
    pub certificates: Vec<CertificateAnswer>,
    pub assessments: Vec<AssessmentAnswer>,
    pub law_abiding: String,
    pub ethics: String,
    pub opinion: String,
}

impl VerifyForm {
    pub fn version(&self) -> i32 {
        parse_version(&self.version)
    }

    /// A new verification starts from the applicant's declaration: their certificates to
    /// confirm, and the years the rules ask for (`years`) with the results they declared.
    pub fn from_declaration(sections: &Sections, years: [i32; 3], version: i32) -> VerifyForm {
        let declared = sections
            .employment
            .as_ref()
            .map(|e| e.assessments.clone())
            .unwrap_or_default();
        VerifyForm {
            version: version.to_string(),
            certificates: sections
                .certificates
                .iter()
                .flat_map(|c| &c.items)
                .map(|c| CertificateAnswer {
                    id: c.id.clone(),
                    ..CertificateAnswer::default()
                })
                .collect(),
            assessments: years
                .into_iter()
                .map(|y| AssessmentAnswer {
                    year: y.to_string(),
                    result: declared
                        .iter()
                        .find(|a| a.year == y)
                        .map(|a| a.result.zh().to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            ..VerifyForm::default()
        }
    }

    pub fn from_saved(v: &Verification, version: i32) -> VerifyForm {
        VerifyForm {
            version: version.to_string(),
            professional_post: yes_no(v.professional_post),
            post_note: v.post_note.clone(),
            certificates: v
                .certificates
                .iter()
                .map(|c| CertificateAnswer {
                    id: c.certificate_id.clone(),
                    confirmed: yes_no(c.confirmed),
                    note: c.note.clone(),
                })
                .collect(),
            assessments: v
                .assessments
                .iter()
                .map(|a| AssessmentAnswer {
                    year: a.year.to_string(),
                    result: a.result.zh().to_string(),
                })
                .collect(),
            law_abiding: yes_no(v.law_abiding),
            ethics: yes_no(v.ethics),
            opinion: v.opinion.clone(),
        }
    }

    /// The form from its fields (`cert0_id`, `cert0_confirmed`, `assess0_year`…).
    pub fn from_pairs(pairs: &[(String, String)]) -> VerifyForm {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let certificates = (0..)
            .map_while(|i| {
                let id = get(&format!("cert{i}_id"));
                (!id.is_empty()).then(|| CertificateAnswer {
                    id,
                    confirmed: get(&format!("cert{i}_confirmed")),
                    note: get(&format!("cert{i}_note")),
                })
            })
            .take(50)
            .collect();
        let assessments = (0..ASSESSMENT_YEARS)
            .map(|i| AssessmentAnswer {
                year: get(&format!("assess{i}_year")),
                result: get(&format!("assess{i}_result")),
            })
            .collect();
        VerifyForm {
            version: get("version"),
            professional_post: get("professional_post"),
            post_note: get("post_note"),
            certificates,
            assessments,
            law_abiding: get("law_abiding"),
            ethics: get("ethics"),
            opinion: get("opinion"),
        }
    }

    /// The verification, or every problem beside its field.
    pub fn parse(&self, this_year: i32) -> Result<Verification, FormErrors> {
        let mut errors = FormErrors::default();
        let professional_post = answer(
            &mut errors,
            "professional_post",
            &self.professional_post,
            "申报人是否在专业技术岗位工作",
        );
        let mut certificates = Vec::new();
        for (i, c) in self.certificates.iter().enumerate() {
            let confirmed = answer(
                &mut errors,
                &format!("cert{i}_confirmed"),
                &c.confirmed,
                "该证书是否属实",
            );
            let note = errors.text(&format!("cert{i}_note"), &c.note, "说明", NOTE);
            certificates.push(CertificateCheck {
                certificate_id: c.id.clone(),
                confirmed,
                note,
            });
        }
        // The rule the applicant's declaration is checked by: every year's result is needed.
        let rows: Vec<(&str, &str)> = self
            .assessments
            .iter()
            .map(|a| (a.year.as_str(), a.result.as_str()))
            .collect();
        let (assessments, problems) =
            crate::application::assessments::parse(&rows, this_year, true);
        errors.merge(problems);
        let law_abiding = answer(
            &mut errors,
            "law_abiding",
            &self.law_abiding,
            "是否遵纪守法",
        );
        let ethics = answer(&mut errors, "ethics", &self.ethics, "职业道德是否良好");
        let opinion = errors.text(
            "opinion",
            &self.opinion,
            "单位核实意见",
            TextField::paragraph(1000),
        );
        let post_note = errors.text("post_note", &self.post_note, "岗位说明", NOTE);
        errors.into_result(|| Verification {
            professional_post,
            post_note,
            certificates,
            assessments,
            law_abiding,
            ethics,
            opinion,
        })
    }
}

/// 单位内部公示 as typed (for one application, or for a batch chosen from the list).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PublicityForm {
    pub version: String,
    pub starts_on: String,
    pub ends_on: String,
    pub contact: String,
}

impl PublicityForm {
    pub fn version(&self) -> i32 {
        parse_version(&self.version)
    }

    /// The notice, or every problem at once: the dates as typed, the contact, and (on the
    /// page's calendar) the period's rules, which the service checks again on the stored one.
    pub fn parse(
        &self,
        items: Vec<(ApplicationId, i32)>,
        dates: &crate::service::employer_stage::Dates,
        today: NaiveDate,
    ) -> Result<Publicity, FormErrors> {
        let mut errors = FormErrors::default();
        let starts_on =
            errors.required_date("starts_on", &self.starts_on, "公示开始日期", "2026-09-14");
        let ends_on = errors.required_date("ends_on", &self.ends_on, "公示结束日期", "2026-09-18");
        let rules = crate::service::employer_stage::publicity_problems(
            dates,
            dates.days,
            starts_on.unwrap_or(today),
            ends_on.unwrap_or(NaiveDate::MAX),
            &self.contact,
            today,
        );
        for (field, message) in rules.items() {
            let unparsed = (field == "starts_on" && starts_on.is_none())
                || (field == "ends_on" && (starts_on.is_none() || ends_on.is_none()));
            if !unparsed {
                errors.add(field.clone(), message.clone());
            }
        }
        match (starts_on, ends_on) {
            (Some(starts_on), Some(ends_on)) if errors.is_empty() => Ok(Publicity {
                items,
                starts_on,
                ends_on,
                contact: self.contact.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// An objection as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ObjectionForm {
    pub version: String,
    pub received_on: String,
    pub source: String,
    pub content: String,
}

impl ObjectionForm {
    pub fn version(&self) -> i32 {
        parse_version(&self.version)
    }

    /// The objection, or every problem at once (the date's rules with it: not in the future;
    /// the service checks it against the publicity again).
    pub fn parse(&self, today: NaiveDate) -> Result<Objection, FormErrors> {
        let mut errors = FormErrors::default();
        let received_on =
            errors.required_date("received_on", &self.received_on, "收到日期", "2026-09-16");
        if let Some(on) = received_on {
            errors.merge(crate::application::periods::objection_problems(
                on, today, None,
            ));
        }
        let source = errors.text(
            "source",
            &self.source,
            "异议来源",
            TextField::line(100).optional(),
        );
        let content = errors.text(
            "content",
            &self.content,
            "异议内容",
            TextField::paragraph(2000),
        );
        match received_on {
            Some(received_on) if errors.is_empty() => Ok(Objection {
                received_on,
                source,
                content,
            }),
            _ => Err(errors),
        }
    }
}

/// The decision forms (resolving an objection; recommending, not recommending, appointing).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub version: String,
    /// `recommend`, `not_recommend`, `appoint`; for objections `upheld` or `dismissed`.
    pub decision: String,
    pub objection: String,
    pub text: String,
    pub appointed_on: String,
    pub document_number: String,
}

/// What the employer decided, as the service takes it.
pub enum Decision {
    Recommend(String),
    NotRecommend(String),
    Appoint(NaiveDate, String),
}

impl DecisionForm {
    pub fn version(&self) -> i32 {
        parse_version(&self.version)
    }

    fn text(&self, errors: &mut FormErrors, what: &str) -> String {
        errors.text("text", &self.text, what, TextField::paragraph(1000))
    }

    /// The decision, or every problem at once: an appointment's date against the publicity
    /// that ended on `publicity_end` and today, with its document number (the service checks
    /// them again on what is stored).
    pub fn decision(
        &self,
        today: NaiveDate,
        publicity_end: Option<NaiveDate>,
    ) -> Result<Decision, FormErrors> {
        let mut errors = FormErrors::default();
        let decision = match self.decision.as_str() {
            "recommend" => Decision::Recommend(self.text(&mut errors, "推荐意见")),
            "not_recommend" => Decision::NotRecommend(self.text(&mut errors, "不予推荐的理由")),
            "appoint" => {
                let example = publicity_end
                    .and_then(|d| d.succ_opt())
                    .unwrap_or(today)
                    .to_string();
                let on =
                    errors.required_date("appointed_on", &self.appointed_on, "聘任日期", &example);
                if let Some(on) = on {
                    errors.merge(crate::application::periods::appointment_problems(
                        on,
                        publicity_end,
                        today,
                    ));
                }
                let document = errors.text(
                    "document_number",
                    &self.document_number,
                    "聘任文件文号",
                    TextField::line(50),
                );
                Decision::Appoint(on.unwrap_or_default(), document)
            }
            "" => {
                errors.add("decision", "请选择单位的决定");
                Decision::NotRecommend(String::new())
            }
            _ => {
                errors.add("decision", "所选的决定无效，请在下列选项中选择");
                Decision::NotRecommend(String::new())
            }
        };
        errors.into_result(|| decision)
    }

    pub fn resolution(&self) -> Result<Resolution, FormErrors> {
        let mut errors = FormErrors::default();
        let upheld = match self.decision.as_str() {
            "upheld" => true,
            "dismissed" => false,
            _ => {
                errors.add("decision", "请点击“异议不成立”或“异议成立”提交");
                false
            }
        };
        let reason = self.text(&mut errors, "处理理由");
        let objection = self.objection.trim().parse::<i64>().unwrap_or(-1);
        errors.into_result(|| Resolution {
            objection,
            upheld,
            reason,
        })
    }
}
