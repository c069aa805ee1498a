//! 业绩与能力: the work summary, representative achievements with evidence (in place of a thesis,
//! §2.2.5), apprentices trained and technical renovations.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{
    load_for_edit, past_date, required, required_paragraph, save, section_url, Saved, SectionTop,
};
use crate::application::{
    Achievement, Achievements, Apprentice, Edit, List, Renovation, Section, ACHIEVEMENT_KINDS,
};
use crate::domain::text::TextField;
use crate::domain::ApplicationId;
use crate::service::draft::Loaded;
use crate::web::extract::{Applicant, Me};
use crate::web::forms::choices;
use crate::web::upload::{self, MultipartData};
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// Everything the page's one form carries: the summary and each "add" sub-form. Whichever button
/// was pressed, what was typed elsewhere on the page comes back with it and is kept.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PageForm {
    pub version: i32,
    /// `None` when the request did not carry the field (an older page): leave it as stored.
    pub summary: Option<String>,
    pub kind: String,
    pub title: String,
    pub date: String,
    pub role: String,
    pub description: String,
    /// One co-holder per line: a name, then their employer.
    pub co_holders: String,
    pub apprentice_name: String,
    pub apprentice_period: String,
    pub apprentice_outcome: String,
    pub renovation_title: String,
    pub renovation_date: String,
    pub renovation_role: String,
    pub renovation_description: String,
}

/// Which button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Summary,
    Achievement,
    Apprentice,
    Renovation,
}

impl Part {
    /// The list the part adds to, and the first field of its form (where a full list says so).
    fn list(self) -> Option<(List, &'static str)> {
        match self {
            Part::Summary => None,
            Part::Achievement => Some((List::Achievements, "kind")),
            Part::Apprentice => Some((List::Apprentices, "apprentice_name")),
            Part::Renovation => Some((List::Renovations, "renovation_title")),
        }
    }
}

impl PageForm {
    fn from_multipart(data: &MultipartData) -> PageForm {
        let get = |name: &str| data.get(name).to_string();
        PageForm {
            version: data.version(),
            summary: data.has("summary").then(|| get("summary")),
            kind: get("kind"),
            title: get("title"),
            date: get("date"),
            role: get("role"),
            description: get("description"),
            co_holders: get("co_holders"),
            apprentice_name: get("apprentice_name"),
            apprentice_period: get("apprentice_period"),
            apprentice_outcome: get("apprentice_outcome"),
            renovation_title: get("renovation_title"),
            renovation_date: get("renovation_date"),
            renovation_role: get("renovation_role"),
            renovation_description: get("renovation_description"),
        }
    }

    /// Whether a sub-form holds typed text.
    fn has_typed(&self, part: Part) -> bool {
        let any = |fields: &[&String]| fields.iter().any(|f| !f.trim().is_empty());
        match part {
            Part::Summary => false,
            Part::Achievement => any(&[
                &self.kind,
                &self.title,
                &self.date,
                &self.role,
                &self.description,
                &self.co_holders,
            ]),
            Part::Apprentice => any(&[
                &self.apprentice_name,
                &self.apprentice_period,
                &self.apprentice_outcome,
            ]),
            Part::Renovation => any(&[
                &self.renovation_title,
                &self.renovation_date,
                &self.renovation_role,
                &self.renovation_description,
            ]),
        }
    }

    /// Empties the sub-form whose item was just added.
    fn clear(&mut self, part: Part) {
        match part {
            Part::Summary => {}
            Part::Achievement => {
                for f in [
                    &mut self.kind,
                    &mut self.title,
                    &mut self.date,
                    &mut self.role,
                    &mut self.description,
                    &mut self.co_holders,
                ] {
                    f.clear();
                }
            }
            Part::Apprentice => {
                for f in [
                    &mut self.apprentice_name,
                    &mut self.apprentice_period,
                    &mut self.apprentice_outcome,
                ] {
                    f.clear();
                }
            }
            Part::Renovation => {
                for f in [
                    &mut self.renovation_title,
                    &mut self.renovation_date,
                    &mut self.renovation_role,
                    &mut self.renovation_description,
                ] {
                    f.clear();
                }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "applicant/achievements.html")]
struct AchievementsPage {
    page: Page,
    top: SectionTop,
    current: Achievements,
    form: PageForm,
    errors: FormErrors,
    /// After an item was added while other parts of the page held typed text.
    notice: Option<&'static str>,
    kinds: Vec<(String, String)>,
    max_mb: u32,
}

fn page(me: &Me, state: &AppState, loaded: &Loaded, top: SectionTop) -> AchievementsPage {
    let current = loaded.sections().achievements.clone().unwrap_or_default();
    AchievementsPage {
        page: me.page(),
        top,
        form: PageForm {
            summary: Some(current.summary.clone()),
            ..PageForm::default()
        },
        current,
        errors: FormErrors::default(),
        notice: None,
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

/// The summary as typed, when it changed: kept with whatever else is saved.
fn typed_summary(
    form: &PageForm,
    loaded: &Loaded,
    strict: bool,
    errors: &mut FormErrors,
) -> Option<Edit> {
    let stored = loaded
        .sections()
        .achievements
        .as_ref()
        .map(|a| a.summary.clone())
        .unwrap_or_default();
    let typed = form.summary.as_deref()?;
    let mut problems = FormErrors::default();
    let kind = TextField::paragraph(5000).required_if(strict);
    let text = problems.text("summary", typed, "工作业绩总结", kind);
    if !problems.is_empty() {
        errors.merge(problems);
        return None;
    }
    (strict || text != stored).then_some(Edit::Summary(text))
}

/// Saves what the pressed button asks for, with the summary as typed; then shows the page again
/// when other parts still hold typed text (so nothing is dropped), else goes back to it.
async fn apply(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    mut form: PageForm,
    part: Part,
    item: Result<Option<Edit>, FormErrors>,
    files: Vec<crate::store::evidence::NewEvidence>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(state, me, id).await?;
    let mut errors = item.as_ref().err().cloned().unwrap_or_default();
    if let Some((list, field)) = part.list() {
        if let Some(full) = list.full(loaded.sections()) {
            errors.add(field, full);
        }
    }
    let summary = typed_summary(&form, &loaded, part == Part::Summary, &mut errors);
    let edit = match (summary, item) {
        (_, Err(_)) => None,
        _ if !errors.is_empty() => None,
        (Some(keep), Ok(Some(then))) => Some(Edit::KeepThen {
            keep: Box::new(keep),
            then: Box::new(then),
        }),
        (keep, Ok(then)) => keep.or(then),
    };
    let mut outcome = None;
    if errors.is_empty() {
        let saved = match edit {
            Some(edit) => save(state, me, id, form.version, edit, files).await?,
            None => Saved::Done,
        };
        match saved {
            Saved::Done => {
                form.clear(part);
                let others = [Part::Achievement, Part::Apprentice, Part::Renovation]
                    .into_iter()
                    .any(|p| p != part && form.has_typed(p));
                if !others {
                    return Ok(see_other(&section_url(id, Section::Achievements)));
                }
                let loaded = load_for_edit(state, me, id).await?;
                let mut p = page(
                    me,
                    state,
                    &loaded,
                    SectionTop::new(&loaded, Section::Achievements),
                );
                p.form = PageForm {
                    version: p.top.version,
                    summary: p.form.summary,
                    ..form
                };
                p.notice = Some(
                    "已保存。页面上其他栏目中填写的内容还没有添加，请核对后点击对应的“添加”按钮。",
                );
                return render(&p);
            }
            other => outcome = Some(other),
        }
    }
    let mut top = SectionTop::again(&loaded, Section::Achievements, form.version, outcome);
    if part == Part::Achievement {
        top = top.with_files_again();
    }
    let mut p = page(me, state, &loaded, top);
    p.errors = errors;
    p.form = form;
    render_status(p.top.status(), &p)
}

pub async fn summary(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<PageForm>,
) -> Result<HttpResponse, AppError> {
    let form = PageForm {
        summary: Some(form.summary.clone().unwrap_or_default()),
        ..form
    };
    apply(&state, &me, *id, form, Part::Summary, Ok(None), vec![]).await
}

/// Enter pressed in a field of the page: no button says what to do, so the part with typed text
/// says it. A row typed in one list (an apprentice, a renovation) is added, as its button would;
/// anything else is saved as 保存总结 would, which keeps what else was typed on the page again
/// with a note (a representative achievement needs its evidence, chosen with 添加成果).
pub async fn enter(
    state: web::Data<AppState>,
    me: Applicant,
    id: web::Path<ApplicationId>,
    form: CsrfForm<PageForm>,
) -> Result<HttpResponse, AppError> {
    let typed = |p| form.0.has_typed(p);
    match (typed(Part::Apprentice), typed(Part::Renovation)) {
        (true, false) => add_apprentice(state, me, id, form).await,
        (false, true) => add_renovation(state, me, id, form).await,
        _ => summary(state, me, id, form).await,
    }
}

fn parse_achievement(
    f: &PageForm,
    data: &MultipartData,
    max_mb: u32,
    bounds: &crate::domain::date::Plausible,
) -> Result<(Achievement, Vec<crate::store::evidence::NewEvidence>), FormErrors> {
    let mut errors = FormErrors::default();
    if !ACHIEVEMENT_KINDS.contains(&f.kind.as_str()) {
        errors.add("kind", "请选择成果类别");
    }
    let title = required(&mut errors, "title", &f.title, "成果名称", 100);
    let date = past_date(&mut errors, "date", &f.date, "完成日期", bounds);
    let role = required(&mut errors, "role", &f.role, "本人作用", 200);
    let description =
        required_paragraph(&mut errors, "description", &f.description, "成果简介", 3000);
    let co_holders = errors.check(
        "co_holders",
        crate::application::parse_co_holders(&f.co_holders),
    );
    let files = errors.check(
        "evidence",
        upload::evidence_list(data, "evidence", max_mb, true),
    );
    match (date, files, co_holders) {
        (Some(date), Some(files), Some(co_holders)) if errors.is_empty() => Ok((
            Achievement {
                id: String::new(),
                kind: f.kind.clone(),
                title,
                date,
                role,
                description,
                evidence: Vec::new(),
                co_holders,
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
    let form = PageForm::from_multipart(&data);
    let bounds = super::section::plausible(&state, &me).await?;
    let (item, files) = match parse_achievement(&form, &data, state.config.max_upload_mb, &bounds) {
        Ok((a, files)) => (Ok(Some(Edit::AddAchievement(a))), files),
        Err(e) => (Err(e), vec![]),
    };
    apply(&state, &me, *id, form, Part::Achievement, item, files).await
}

pub async fn add_apprentice(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<PageForm>,
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
    let item = errors.into_result(|| {
        Some(Edit::AddApprentice(Apprentice {
            id: String::new(),
            name,
            period,
            outcome,
        }))
    });
    apply(&state, &me, *id, form, Part::Apprentice, item, vec![]).await
}

pub async fn add_renovation(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<PageForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let title = required(
        &mut errors,
        "renovation_title",
        &form.renovation_title,
        "项目名称",
        100,
    );
    let bounds = super::section::plausible(&state, &me).await?;
    let date = past_date(
        &mut errors,
        "renovation_date",
        &form.renovation_date,
        "完成日期",
        &bounds,
    );
    let role = required(
        &mut errors,
        "renovation_role",
        &form.renovation_role,
        "本人作用",
        200,
    );
    let description = required_paragraph(
        &mut errors,
        "renovation_description",
        &form.renovation_description,
        "改造革新内容和成效",
        3000,
    );
    let item = match date {
        Some(date) if errors.is_empty() => Ok(Some(Edit::AddRenovation(Renovation {
            id: String::new(),
            title,
            date,
            role,
            description,
        }))),
        _ => Err(errors),
    };
    apply(&state, &me, *id, form, Part::Renovation, item, vec![]).await
}
