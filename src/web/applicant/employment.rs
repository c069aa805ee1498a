//! 工作单位与岗位: the employer (who will verify and recommend), the post, the occupation, and
//! the last three annual assessments as the applicant declares them.

use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use super::section::{load_for_edit, save, strict, Saved, SectionTop};
use super::task_list_url;
use crate::application::{Assessment, Edit, Employment, Section};
use crate::domain::text::TextField;
use crate::domain::{
    ApplicationId, AssessmentResult, CreditCode, CreditCodeError, RequiredText, State,
};
use crate::policy::Catalogue;
use crate::service::draft::{verified_employer, Loaded};
use crate::store::accounts::Employer;
use crate::web::extract::{Applicant, Me};
use crate::web::forms::choices;
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmploymentForm {
    pub version: i32,
    pub action: String,
    /// The employer's unified social credit code, exactly.
    pub employer_code: String,
    /// The employer's name, typed only when no verified employer holds the code.
    pub employer_name: String,
    pub department: String,
    pub post: String,
    pub professional_post: String,
    pub occupation: String,
    pub since: String,
    pub assess0_year: String,
    pub assess0_result: String,
    pub assess1_year: String,
    pub assess1_result: String,
    pub assess2_year: String,
    pub assess2_result: String,
}

impl EmploymentForm {
    /// (row, year typed, result typed) of the three assessment rows.
    pub fn assessment_rows(&self) -> [(usize, &str, &str); 3] {
        [
            (0, self.assess0_year.as_str(), self.assess0_result.as_str()),
            (1, self.assess1_year.as_str(), self.assess1_result.as_str()),
            (2, self.assess2_year.as_str(), self.assess2_result.as_str()),
        ]
    }

    /// The form as stored; rows not filled yet offer `years`, the ones the rules ask for.
    fn from_stored(e: Employment, version: i32, years: [i32; 3]) -> EmploymentForm {
        let year = |i: usize| {
            e.assessments
                .get(i)
                .map_or(years[i], |a| a.year)
                .to_string()
        };
        let result = |i: usize| {
            e.assessments
                .get(i)
                .map(|a| a.result.zh().to_string())
                .unwrap_or_default()
        };
        EmploymentForm {
            version,
            action: String::new(),
            employer_code: e.employer_code.clone(),
            employer_name: e.employer_name.clone(),
            professional_post: match e.professional_post {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
            since: e.since.map(|d| d.to_string()).unwrap_or_default(),
            assess0_year: year(0),
            assess0_result: result(0),
            assess1_year: year(1),
            assess1_result: result(1),
            assess2_year: year(2),
            assess2_result: result(2),
            department: e.department,
            post: e.post,
            occupation: e.occupation,
        }
    }

    /// The credit code typed, normalised, when it is well formed (a check mismatch is allowed:
    /// a few genuine early codes fail it).
    fn code(&self) -> Option<String> {
        match CreditCode::parse(&self.employer_code, true) {
            Ok(c) => Some(c.as_str().to_string()),
            Err(_) => None,
        }
    }

    /// Parses the section; `verified` is the verified employer holding the code, if any.
    fn parse(
        &self,
        catalogue: &Catalogue,
        verified: Option<Employer>,
        bounds: &crate::domain::date::Plausible,
    ) -> Result<Employment, FormErrors> {
        let strict = strict(&self.action);
        let mut errors = FormErrors::default();
        let code = match CreditCode::parse(&self.employer_code, true) {
            Ok(c) => c.as_str().to_string(),
            Err(CreditCodeError::Invalid(m)) if strict || !self.employer_code.trim().is_empty() => {
                errors.add(
                    "employer_code",
                    format!("{m}（见单位营业执照，可向单位人事部门询问）"),
                );
                String::new()
            }
            Err(_) => String::new(),
        };
        let employer_name = match &verified {
            Some(e) => e.name.clone(),
            None if code.is_empty() => errors.text(
                "employer_name",
                &self.employer_name,
                "单位名称",
                TextField::line(100).optional(),
            ),
            None => match RequiredText::parse(&self.employer_name, "单位名称", 100) {
                Ok(n) => n.into_string(),
                Err(_) if !strict && self.employer_name.trim().is_empty() => String::new(),
                Err(m) => {
                    errors.add(
                        "employer_name",
                        format!("该单位尚未在本系统认证，{m}（与营业执照一致）"),
                    );
                    String::new()
                }
            },
        };
        let mut line = |field: &'static str, value: &str, what: &str| -> String {
            errors.text(field, value, what, TextField::line(100).required_if(strict))
        };
        let department = line("department", &self.department, "所在部门");
        let post = line("post", &self.post, "岗位");
        let professional_post = match self.professional_post.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                if strict {
                    errors.add("professional_post", "请选择是否在专业技术岗位工作");
                }
                None
            }
        };
        let occupation = self.occupation.trim().to_string();
        if !occupation.is_empty() && !catalogue.occupations().contains(&occupation.as_str()) {
            errors.add("occupation", "请从职业目录中选择职业（工种）");
        } else if occupation.is_empty() && strict {
            errors.add("occupation", "请选择现从事的职业（工种）");
        }
        let since = match self.since.trim() {
            "" if strict => {
                errors.add("since", "请填写现岗位起始日期，如 2018-07-01");
                None
            }
            "" => None,
            s => errors
                .check(
                    "since",
                    crate::domain::date::parse_date(s).ok_or("现岗位起始日期无效，如 2018-07-01"),
                )
                .and_then(|d| errors.check("since", bounds.check(d, "现岗位起始日期").map(|_| d))),
        };
        let assessments = self.assessments(strict, bounds.today.year(), &mut errors);
        errors.into_result(|| Employment {
            employer_id: verified.as_ref().map(Employer::id),
            employer_name,
            employer_code: code,
            department,
            post,
            professional_post,
            occupation,
            since,
            assessments,
        })
    }

    /// The rows by the one rule the employer's record is checked by too.
    fn assessments(
        &self,
        strict: bool,
        this_year: i32,
        errors: &mut FormErrors,
    ) -> Vec<Assessment> {
        let rows = self
            .assessment_rows()
            .map(|(_, year, result)| (year, result));
        let (out, problems) = crate::application::assessments::parse(&rows, this_year, strict);
        errors.merge(problems);
        out
    }
}

#[derive(Template)]
#[template(path = "applicant/employment.html")]
struct EmploymentPage {
    page: Page,
    top: SectionTop,
    /// Whether the employer named is verified (its name to confirm), or what happens if not.
    employer_note: String,
    form: EmploymentForm,
    errors: FormErrors,
    occupations: Vec<String>,
    results: Vec<(String, String)>,
}

fn page(
    me: &Me,
    loaded: &Loaded,
    top: SectionTop,
    form: EmploymentForm,
    errors: FormErrors,
) -> EmploymentPage {
    let stored = loaded.sections().employment.clone().unwrap_or_default();
    let correcting = loaded.app.state == State::Correction;
    let employer_note = match (stored.employer_id, stored.employer_code.is_empty()) {
        (Some(_), _) if correcting => format!(
            "推荐本申报的单位：{}（{}）。评委会要求补正期间不能更改工作单位。",
            stored.employer_name, stored.employer_code
        ),
        (Some(_), _) => format!("已认证的单位：{}（{}）。如不是您的单位，请改正代码。", stored.employer_name, stored.employer_code),
        (None, false) => "该单位尚未在本系统认证：申报提交后将显示“用人单位未认证”，等单位完成认证后自动转到单位审核。请提醒单位人事部门在本系统注册。".to_string(),
        (None, true) => String::new(),
    };
    EmploymentPage {
        page: me.page(),
        top,
        employer_note,
        form,
        errors,
        occupations: loaded
            .catalogue
            .occupations()
            .into_iter()
            .map(str::to_string)
            .collect(),
        results: choices(AssessmentResult::ALL.map(|r| (r, r))),
    }
}

pub async fn form(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let stored = loaded.sections().employment.clone().unwrap_or_default();
    // The years the round's reference date asks for (today's, before a round is chosen).
    let reference = loaded.round.as_ref().map(|r| r.reference_date);
    let years = crate::policy::assessment_years(
        reference.unwrap_or_else(|| crate::time::local_date(state.now())),
    );
    let top = SectionTop::new(&loaded, Section::Employment);
    let form =
        EmploymentForm::from_stored(stored, loaded.draft.version(Section::Employment), years);
    render(&page(&me, &loaded, top, form, FormErrors::default()))
}

pub async fn submit(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<EmploymentForm>,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let loaded = load_for_edit(&state, &me, id).await?;
    let code = form.code();
    let verified = match code {
        Some(code) => {
            crate::web::db_read(&state, move |c| Ok(verified_employer(c, &code)?)).await?
        }
        None => None,
    };
    let bounds = super::section::plausible(&state, &me).await?;
    let parsed = form
        .parse(&loaded.catalogue, verified, &bounds)
        .and_then(|e| keeps_employer(&loaded, e));
    let (errors, outcome) = match parsed {
        Ok(e) => match save(&state, &me, id, form.version, Edit::Employment(e), vec![]).await? {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            other => (FormErrors::default(), Some(other)),
        },
        Err(errors) => (errors, None),
    };
    let top = SectionTop::again(&loaded, Section::Employment, form.version, outcome);
    render_status(top.status(), &page(&me, &loaded, top, form, errors))
}

/// Asked by the committee to correct it, the applicant keeps the employer that recommended it.
fn keeps_employer(loaded: &Loaded, e: Employment) -> Result<Employment, FormErrors> {
    let named = Some(&e.employer_code).filter(|c| !c.is_empty());
    if loaded.app.state == State::Correction && named != loaded.app.employer_code.as_ref() {
        let mut errors = FormErrors::default();
        errors.add(
            "employer_code",
            crate::service::draft::CORRECTION_KEEPS_EMPLOYER,
        );
        return Err(errors);
    }
    Ok(e)
}
