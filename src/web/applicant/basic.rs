//! 基本信息: education and contact details; name, sex and birth date come from the account.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{load_for_edit, save, strict, Saved, SectionTop};
use super::task_list_url;
use crate::application::{Basic, Edit, Section};
use crate::domain::text::TextField;
use crate::domain::{ApplicationId, Education, IdNumber, MobileNumber};
use crate::web::extract::Applicant;
use crate::web::forms::choices;
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BasicForm {
    pub version: i32,
    pub action: String,
    pub education: String,
    pub mobile: String,
    pub email: String,
    pub address: String,
}

impl BasicForm {
    fn parse(&self) -> Result<Basic, FormErrors> {
        let mut errors = FormErrors::default();
        let strict = strict(&self.action);
        let education = match self.education.as_str() {
            "" if strict => {
                errors.add("education", "请选择学历");
                None
            }
            "" => None,
            e => errors.check("education", Education::parse(e).ok_or("请从列表中选择学历")),
        };
        let mobile = match MobileNumber::parse(&self.mobile) {
            Ok(m) => m.as_str().to_string(),
            Err(e) if strict || !self.mobile.trim().is_empty() => {
                errors.add("mobile", e);
                String::new()
            }
            Err(_) => String::new(),
        };
        let email = errors.text(
            "email",
            &self.email,
            "电子邮箱",
            TextField::line(100).optional(),
        );
        if !email.is_empty() && (!email.contains('@') || email.contains(char::is_whitespace)) {
            errors.add("email", "电子邮箱格式不正确，如 name@example.com");
        }
        let address = errors.text(
            "address",
            &self.address,
            "通讯地址",
            TextField::line(200).optional(),
        );
        errors.into_result(|| Basic {
            education,
            mobile,
            email,
            address,
        })
    }
}

/// Who the applicant is, from the account: shown, never asked again.
pub struct PersonFacts {
    pub name: String,
    pub id_masked: String,
    pub gender: &'static str,
    /// 出生年月 (never the day).
    pub birth_month: String,
}

#[derive(Template)]
#[template(path = "applicant/basic.html")]
struct BasicPage {
    page: Page,
    top: SectionTop,
    person: PersonFacts,
    form: BasicForm,
    errors: FormErrors,
    education: Vec<(String, String)>,
}

async fn person_facts(
    state: &web::Data<AppState>,
    me: &crate::web::extract::Me,
) -> Result<(PersonFacts, String), AppError> {
    let id = me.actor.id;
    let person =
        crate::web::db_read(state, move |c| Ok(crate::store::accounts::person(c, id)?)).await?;
    let Some(p) = person else {
        return Err(AppError::Internal("applicant without a person row".into()));
    };
    let parsed = IdNumber::parse(&p.id_number).ok();
    let facts = PersonFacts {
        name: p.name.clone(),
        id_masked: p.id_number_masked(),
        gender: parsed.as_ref().map(IdNumber::gender).unwrap_or(""),
        birth_month: parsed
            .as_ref()
            .map(IdNumber::birth_month_zh)
            .unwrap_or_default(),
    };
    Ok((facts, p.mobile))
}

pub async fn form(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let (person, mobile) = person_facts(&state, &me).await?;
    let b = loaded.sections().basic.clone().unwrap_or_default();
    let form = BasicForm {
        version: loaded.draft.version(Section::Basic),
        action: String::new(),
        mobile: if b.mobile.is_empty() {
            mobile
        } else {
            b.mobile
        },
        education: b.education.map(|e| e.zh().to_string()).unwrap_or_default(),
        email: b.email,
        address: b.address,
    };
    render(&BasicPage {
        page: me.page(),
        top: SectionTop::new(&loaded, Section::Basic),
        person,
        form,
        errors: FormErrors::default(),
        education: choices(Education::ALL.map(|e| (e, e))),
    })
}

pub async fn submit(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<BasicForm>,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let loaded = load_for_edit(&state, &me, id).await?;
    let (errors, outcome) = match form.parse() {
        Ok(basic) => match save(&state, &me, id, form.version, Edit::Basic(basic), vec![]).await? {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            other => (FormErrors::default(), Some(other)),
        },
        Err(errors) => (errors, None),
    };
    let top = SectionTop::again(&loaded, Section::Basic, form.version, outcome);
    let (person, _) = person_facts(&state, &me).await?;
    render_status(
        top.status(),
        &BasicPage {
            page: me.page(),
            top,
            person,
            form,
            errors,
            education: choices(Education::ALL.map(|e| (e, e))),
        },
    )
}
