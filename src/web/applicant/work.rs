//! 工作经历: the periods of work, added one at a time.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{load_for_edit, past_date, required, save, section_url, Saved, SectionTop};
use crate::application::{Edit, List, Period, Section, Sections};
use crate::domain::text::TextField;
use crate::domain::{ApplicationId, CreditCode};
use crate::service::draft::Loaded;
use crate::web::extract::{Applicant, Me};
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PeriodForm {
    pub version: i32,
    pub from: String,
    pub to: String,
    pub employer: String,
    pub occupation: String,
    pub post: String,
    pub employer_code: String,
    /// Ticked: a code whose check character does not match is the licence's (a few are).
    pub code_confirmed: String,
    pub witness_name: String,
    pub witness_phone: String,
}

impl PeriodForm {
    fn parse(
        &self,
        bounds: &crate::domain::date::Plausible,
        stored: &Sections,
    ) -> Result<Period, FormErrors> {
        let mut errors = FormErrors::default();
        if let Some(full) = List::Work.full(stored) {
            errors.add("from", full);
        }
        let from = past_date(&mut errors, "from", &self.from, "开始日期", bounds);
        let to = match self.to.trim() {
            "" => None,
            t => match crate::domain::date::parse_date(t) {
                Some(d) if from.is_some_and(|f| d < f) => {
                    errors.add("to", "结束日期不能早于开始日期");
                    None
                }
                Some(d) if d > bounds.today => {
                    errors.add(
                        "to",
                        format!("结束日期不能晚于今天（{}）；仍在职请留空", bounds.today),
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.add("to", "结束日期无效，如 2020-06-30；仍在职请留空");
                    None
                }
            },
        };
        let employer = required(&mut errors, "employer", &self.employer, "工作单位", 100);
        let occupation = required(
            &mut errors,
            "occupation",
            &self.occupation,
            "职业（工种）",
            50,
        );
        let post = required(&mut errors, "post", &self.post, "岗位", 100);
        let (employer_code, witness_name, witness_phone) = self.conflict_data(&mut errors);
        match from {
            Some(from) if errors.is_empty() => Ok(Period {
                id: String::new(),
                from,
                to,
                employer,
                occupation,
                post,
                employer_code,
                witness_name,
                witness_phone,
            }),
            _ => Err(errors),
        }
    }
}

impl PeriodForm {
    /// The optional fields a committee checks conflicts of interest with: the employer's
    /// credit code (checked like the employer's own; a check mismatch passes, as a few genuine
    /// early codes fail it) and the witness (证明人).
    fn conflict_data(&self, errors: &mut FormErrors) -> (String, String, String) {
        let code = match self.employer_code.trim() {
            "" => String::new(),
            typed => match CreditCode::parse(typed, self.code_confirmed == "yes") {
                Ok(c) => c.as_str().to_string(),
                Err(e) => {
                    errors.add("employer_code", format!("{}（不清楚可不填）", e.message()));
                    String::new()
                }
            },
        };
        let name = errors.text(
            "witness_name",
            &self.witness_name,
            "证明人姓名",
            TextField::line(50).optional(),
        );
        let phone = match self.witness_phone.trim() {
            "" => String::new(),
            typed => match crate::domain::text::phone_number(typed) {
                Ok(p) => p,
                Err(m) => {
                    errors.add("witness_phone", m);
                    String::new()
                }
            },
        };
        if !phone.is_empty() && name.trim().is_empty() {
            errors.add("witness_name", "填写了证明人电话，请同时填写证明人姓名");
        }
        (code, name, phone)
    }
}

#[derive(Template)]
#[template(path = "applicant/work.html")]
struct WorkPage {
    page: Page,
    top: SectionTop,
    items: Vec<Period>,
    /// Beside each item: it overlaps another (a warning, never a refusal).
    overlaps: Vec<bool>,
    form: PeriodForm,
    errors: FormErrors,
    occupations: Vec<String>,
}

fn page(
    me: &Me,
    loaded: &Loaded,
    top: SectionTop,
    form: PeriodForm,
    errors: FormErrors,
) -> WorkPage {
    let items = loaded.sections().work.clone().unwrap_or_default().items;
    WorkPage {
        page: me.page(),
        top,
        overlaps: crate::application::overlapping(&items),
        items,
        form,
        errors,
        occupations: loaded
            .catalogue
            .occupations()
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

pub async fn list(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let top = SectionTop::new(&loaded, Section::Work);
    let form = PeriodForm::default();
    render(&page(&me, &loaded, top, form, FormErrors::default()))
}

pub async fn add(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<PeriodForm>,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let loaded = load_for_edit(&state, &me, id).await?;
    let bounds = super::section::plausible(&state, &me).await?;
    let (errors, outcome) = match form.parse(&bounds, loaded.sections()) {
        Ok(p) => match save(&state, &me, id, form.version, Edit::AddPeriod(p), vec![]).await? {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Work))),
            other => (FormErrors::default(), Some(other)),
        },
        Err(errors) => (errors, None),
    };
    let top = SectionTop::again(&loaded, Section::Work, form.version, outcome);
    let form_page = page(&me, &loaded, top, form, errors);
    render_status(form_page.top.status(), &form_page)
}
