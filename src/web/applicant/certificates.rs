//! 职业技能等级: the certificates, each with its scan.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::section::{load_for_edit, past_date, required, save, section_url, Saved, SectionTop};
use crate::application::{Certificate, Edit, List, Section};
use crate::domain::{ApplicationId, SkillLevel};
use crate::service::draft::Loaded;
use crate::store::evidence::NewEvidence;
use crate::web::extract::{Applicant, Me};
use crate::web::forms::choices;
use crate::web::upload::{self, MultipartData};
use crate::web::{render, render_status, see_other, AppError, FormErrors, Page};
use crate::AppState;

#[derive(Debug, Default, Clone)]
pub struct CertificateForm {
    pub occupation: String,
    pub level: String,
    pub number: String,
    pub issuer: String,
    pub obtained_on: String,
}

impl CertificateForm {
    fn read(data: &MultipartData) -> CertificateForm {
        CertificateForm {
            occupation: data.get("occupation").to_string(),
            level: data.get("level").to_string(),
            number: data.get("number").to_string(),
            issuer: data.get("issuer").to_string(),
            obtained_on: data.get("obtained_on").to_string(),
        }
    }

    /// The certificate and its one scan, or every problem beside its field.
    fn parse(
        &self,
        data: &MultipartData,
        loaded: &Loaded,
        max_mb: u32,
        bounds: &crate::domain::date::Plausible,
    ) -> Result<(Certificate, NewEvidence), FormErrors> {
        let mut errors = FormErrors::default();
        if let Some(full) = List::Certificates.full(loaded.sections()) {
            errors.add("occupation", full);
        }
        let occupation = required(
            &mut errors,
            "occupation",
            &self.occupation,
            "证书的职业（工种）",
            50,
        );
        if !occupation.is_empty()
            && !loaded
                .catalogue
                .occupations()
                .contains(&occupation.as_str())
        {
            errors.add("occupation", "请从职业目录中选择职业（工种）");
        }
        let level = errors.check(
            "level",
            SkillLevel::parse(&self.level).ok_or("请选择证书等级"),
        );
        let number = required(&mut errors, "number", &self.number, "证书编号", 50);
        let issuer = required(&mut errors, "issuer", &self.issuer, "发证机构", 100);
        let obtained_on = past_date(
            &mut errors,
            "obtained_on",
            &self.obtained_on,
            "取得日期",
            bounds,
        );
        let file = match upload::evidence_list(data, "scan", max_mb, true) {
            Ok(mut files) if files.len() == 1 => files.pop(),
            Ok(_) => {
                errors.add("scan", "每个证书上传一个扫描件");
                None
            }
            Err(e) => {
                errors.add("scan", e);
                None
            }
        };
        match (level, obtained_on, file) {
            (Some(level), Some(obtained_on), Some(file)) if errors.is_empty() => Ok((
                Certificate {
                    id: String::new(),
                    occupation,
                    level,
                    number,
                    issuer,
                    obtained_on,
                    evidence: Vec::new(),
                },
                file,
            )),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "applicant/certificates.html")]
struct CertificatesPage {
    page: Page,
    top: SectionTop,
    items: Vec<Certificate>,
    form: CertificateForm,
    errors: FormErrors,
    occupations: Vec<String>,
    levels: Vec<(String, String)>,
    max_mb: u32,
}

fn page(
    me: &Me,
    state: &AppState,
    loaded: &Loaded,
    top: SectionTop,
    form: CertificateForm,
    errors: FormErrors,
) -> CertificatesPage {
    CertificatesPage {
        page: me.page(),
        top,
        items: loaded
            .sections()
            .certificates
            .clone()
            .unwrap_or_default()
            .items,
        form,
        errors,
        occupations: loaded
            .catalogue
            .occupations()
            .into_iter()
            .map(str::to_string)
            .collect(),
        levels: choices(SkillLevel::ALL.map(|l| (l, l))),
        max_mb: state.config.max_upload_mb,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let top = SectionTop::new(&loaded, Section::Certificates);
    let form = CertificateForm::default();
    render(&page(
        &me,
        &state,
        &loaded,
        top,
        form,
        FormErrors::default(),
    ))
}

pub async fn add(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let data = upload::read_for_edit(&state, &me, id, payload).await?;
    let loaded = load_for_edit(&state, &me, id).await?;
    let form = CertificateForm::read(&data);
    let bounds = super::section::plausible(&state, &me).await?;
    let (errors, outcome) = match form.parse(&data, &loaded, state.config.max_upload_mb, &bounds) {
        Ok((cert, file)) => {
            match save(
                &state,
                &me,
                id,
                data.version(),
                Edit::AddCertificate(cert),
                vec![file],
            )
            .await?
            {
                Saved::Done => return Ok(see_other(&section_url(id, Section::Certificates))),
                other => (FormErrors::default(), Some(other)),
            }
        }
        Err(errors) => (errors, None),
    };
    let top = SectionTop::again(&loaded, Section::Certificates, data.version(), outcome)
        .with_files_again();
    render_status(top.status(), &page(&me, &state, &loaded, top, form, errors))
}
