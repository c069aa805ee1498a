//! 业绩与能力: the work summary, representative achievements with evidence (in place of a thesis,
//! §2.2.5), apprentices trained and technical renovations.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{
    load_for_edit, required, required_date, save, section_url, Saved, SectionTop,
};
use crate::application::{
    Achievement, Achievements, Apprentice, Edit, Renovation, Section, ACHIEVEMENT_KINDS,
};
use crate::domain::ApplicationId;
use crate::service::draft::Loaded;
use crate::web::extract::{Applicant, Me};
use crate::web::forms::choices;
use crate::web::upload::{self, MultipartData};
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/achievements", web::get().to(show))
        .route("/achievements/summary", web::post().to(summary))
        .route("/achievements/items", web::post().to(add_achievement))
        .route("/achievements/apprentices", web::post().to(add_apprentice))
        .route("/achievements/renovations", web::post().to(add_renovation));
}

#[derive(Debug, Default, Clone)]
pub struct AchievementForm {
    pub kind: String,
    pub title: String,
    pub date: String,
    pub role: String,
    pub description: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApprenticeForm {
    pub version: i32,
    pub apprentice_name: String,
    pub apprentice_period: String,
    pub apprentice_outcome: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RenovationForm {
    pub version: i32,
    pub renovation_title: String,
    pub renovation_date: String,
    pub renovation_role: String,
    pub renovation_description: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SummaryForm {
    pub version: i32,
    pub summary: String,
}

/// What the person typed into one of the page's forms, to show again.
enum Typed {
    Summary(String),
    Achievement(AchievementForm),
    Apprentice(ApprenticeForm),
    Renovation(RenovationForm),
}

#[derive(Template)]
#[template(path = "applicant/achievements.html")]
struct AchievementsPage {
    page: Page,
    top: SectionTop,
    current: Achievements,
    summary: String,
    achievement: AchievementForm,
    apprentice: ApprenticeForm,
    renovation: RenovationForm,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
    max_mb: u32,
}

fn page(me: &Me, state: &AppState, loaded: &Loaded, top: SectionTop) -> AchievementsPage {
    let current = loaded.sections().achievements.clone().unwrap_or_default();
    AchievementsPage {
        page: me.page(),
        top,
        summary: current.summary.clone(),
        current,
        achievement: AchievementForm::default(),
        apprentice: ApprenticeForm::default(),
        renovation: RenovationForm::default(),
        errors: FormErrors::default(),
        kinds: choices(ACHIEVEMENT_KINDS.map(|k| (k, k))),
        max_mb: state.config.max_upload_mb,
    }
}

pub async fn show(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let top = SectionTop::new(&loaded, Section::Achievements);
    render(&page(&me, &state, &loaded, top))
}

/// Saves one change to the section, or shows the page again with what was typed.
#[allow(clippy::too_many_arguments)]
async fn apply(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    version: i32,
    parsed: Result<Edit, FormErrors>,
    files: Vec<crate::store::evidence::NewEvidence>,
    typed: Typed,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(state, me, id).await?;
    let (errors, outcome) = match parsed {
        Ok(edit) => match save(state, me, id, version, edit, files).await? {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Achievements))),
            other => (FormErrors::default(), Some(other)),
        },
        Err(errors) => (errors, None),
    };
    let mut top = SectionTop::again(&loaded, Section::Achievements, version, outcome);
    if matches!(typed, Typed::Achievement(_)) {
        top = top.with_files_again();
    }
    let mut p = page(me, state, &loaded, top);
    p.errors = errors;
    match typed {
        Typed::Summary(s) => p.summary = s,
        Typed::Achievement(f) => p.achievement = f,
        Typed::Apprentice(f) => p.apprentice = f,
        Typed::Renovation(f) => p.renovation = f,
    }
    render_status(p.top.status(), &p)
}

pub async fn summary(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<SummaryForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let text = required(&mut errors, "summary", &form.summary, "工作业绩总结", 5000);
    let parsed = errors.into_result(|| Edit::Summary(text));
    apply(
        &state,
        &me,
        *id,
        form.version,
        parsed,
        vec![],
        Typed::Summary(form.summary),
    )
    .await
}

fn parse_achievement(
    f: &AchievementForm,
    data: &MultipartData,
    max_mb: u32,
) -> Result<(Achievement, Vec<crate::store::evidence::NewEvidence>), FormErrors> {
    let mut errors = FormErrors::default();
    if !ACHIEVEMENT_KINDS.contains(&f.kind.as_str()) {
        errors.add("kind", "请选择成果类别");
    }
    let title = required(&mut errors, "title", &f.title, "成果名称", 100);
    let date = required_date(&mut errors, "date", &f.date, "完成日期");
    let role = required(&mut errors, "role", &f.role, "本人作用", 200);
    let description = required(&mut errors, "description", &f.description, "成果简介", 3000);
    let files = errors.check(
        "evidence",
        upload::evidence_list(data, "evidence", max_mb, true),
    );
    match (date, files) {
        (Some(date), Some(files)) if errors.is_empty() => Ok((
            Achievement {
                id: String::new(),
                kind: f.kind.clone(),
                title,
                date,
                role,
                description,
                evidence: Vec::new(),
            },
            files,
        )),
        _ => Err(errors),
    }
}

pub async fn add_achievement(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let data = upload::read_for_edit(&state, &me, *id, payload).await?;
    let form = AchievementForm {
        kind: data.get("kind").to_string(),
        title: data.get("title").to_string(),
        date: data.get("date").to_string(),
        role: data.get("role").to_string(),
        description: data.get("description").to_string(),
    };
    let (parsed, files) = match parse_achievement(&form, &data, state.config.max_upload_mb) {
        Ok((a, files)) => (Ok(Edit::AddAchievement(a)), files),
        Err(e) => (Err(e), vec![]),
    };
    apply(
        &state,
        &me,
        *id,
        data.version(),
        parsed,
        files,
        Typed::Achievement(form),
    )
    .await
}

pub async fn add_apprentice(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<ApprenticeForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let name = required(
        &mut errors,
        "apprentice_name",
        &form.apprentice_name,
        "徒弟姓名",
        50,
    );
    let period = required(
        &mut errors,
        "apprentice_period",
        &form.apprentice_period,
        "带徒时间",
        50,
    );
    let outcome = required(
        &mut errors,
        "apprentice_outcome",
        &form.apprentice_outcome,
        "带徒成效",
        500,
    );
    let parsed = errors.into_result(|| {
        Edit::AddApprentice(Apprentice {
            id: String::new(),
            name,
            period,
            outcome,
        })
    });
    apply(
        &state,
        &me,
        *id,
        form.version,
        parsed,
        vec![],
        Typed::Apprentice(form),
    )
    .await
}

pub async fn add_renovation(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<RenovationForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let title = required(
        &mut errors,
        "renovation_title",
        &form.renovation_title,
        "项目名称",
        100,
    );
    let date = required_date(
        &mut errors,
        "renovation_date",
        &form.renovation_date,
        "完成日期",
    );
    let role = required(
        &mut errors,
        "renovation_role",
        &form.renovation_role,
        "本人作用",
        200,
    );
    let description = required(
        &mut errors,
        "renovation_description",
        &form.renovation_description,
        "改造革新内容和成效",
        3000,
    );
    let parsed = match date {
        Some(date) if errors.is_empty() => Ok(Edit::AddRenovation(Renovation {
            id: String::new(),
            title,
            date,
            role,
            description,
        })),
        _ => Err(errors),
    };
    apply(
        &state,
        &me,
        *id,
        form.version,
        parsed,
        vec![],
        Typed::Renovation(form),
    )
    .await
}
