//! The list sections — 职业技能等级 (certificates with scans), 工作经历, honours on 申报目标,
//! 业绩与能力 (achievements with evidence, apprentices, renovations) — and removing an item.
//! Adding an item carries the section's version like any save.

use actix_multipart::Multipart;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::sections::{
    save, status_for, stored_target_form, SaveRequest, Saved, SectionTop, TargetPage,
};
use super::{applicant, load, Loaded};
use crate::application::{
    Achievement, Achievements, Apprentice, Certificate, Certificates, HonourClaim, Period,
    Renovation, Section, Sections, Work, ACHIEVEMENT_KINDS,
};
use crate::policy::SkillLevel;
use crate::web::self_check::parse_date;
use crate::web::upload::{self, MultipartData};
use crate::web::{
    render_status, see_other, AppError, CsrfForm, CurrentUser, FormErrors, Page, Session,
};
use crate::AppState;

fn section_url(id: i64, section: Section) -> String {
    format!("/applicant/applications/{id}/{}", section.slug())
}

fn new_item_id() -> String {
    crate::password::random_token(8)
}

/// A required text of at most `max` characters; the message names `what`.
fn required(errors: &mut FormErrors, field: &str, value: &str, what: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, format!("请填写{what}"));
    } else if v.chars().count() > max {
        errors.add(field, format!("{what}不能超过{max}个字"));
    }
    v.to_string()
}

fn required_date(
    errors: &mut FormErrors,
    field: &str,
    value: &str,
    what: &str,
) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            errors.add(field, format!("请填写{what}，如 2020-06-30"));
            None
        }
        v => parse_date(v).or_else(|| {
            errors.add(field, format!("{what}无效，如 2020-06-30"));
            None
        }),
    }
}

/// The message shown when another window saved first: a file chosen must be chosen again.
const FILE_AGAIN: &str =
    "为避免覆盖另一个窗口保存的内容，本次未保存。您填写的内容仍在表单中，附件需重新选择后再提交。";

// ---- 职业技能等级 ----

#[derive(Debug, Default, Clone)]
pub struct CertificateForm {
    pub occupation: String,
    pub level: String,
    pub number: String,
    pub issuer: String,
    pub obtained_on: String,
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
    levels: [SkillLevel; 3],
    max_mb: u32,
}

fn certificates_page(
    user: &CurrentUser,
    state: &AppState,
    loaded: &Loaded,
    form: CertificateForm,
    errors: FormErrors,
) -> CertificatesPage {
    CertificatesPage {
        page: user.page(),
        top: SectionTop::new(loaded, Section::Certificates),
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
        levels: SkillLevel::ALL,
        max_mb: state.config.max_upload_mb,
    }
}

pub async fn certificates(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    render_status(
        StatusCode::OK,
        &certificates_page(
            &user,
            &state,
            &loaded,
            CertificateForm::default(),
            FormErrors::default(),
        ),
    )
}

pub async fn add_certificate(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i64>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let data = upload::read(payload, &session, state.config.max_upload_bytes()).await?;
    let loaded = load(&state, &account, id, true).await?;
    let form = CertificateForm {
        occupation: data.get("occupation").to_string(),
        level: data.get("level").to_string(),
        number: data.get("number").to_string(),
        issuer: data.get("issuer").to_string(),
        obtained_on: data.get("obtained_on").to_string(),
    };
    let mut errors = FormErrors::default();
    let occupation = required(
        &mut errors,
        "occupation",
        &form.occupation,
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
    let level = SkillLevel::parse(&form.level);
    if level.is_none() {
        errors.add("level", "请选择证书等级");
    }
    let number = required(&mut errors, "number", &form.number, "证书编号", 50);
    let issuer = required(&mut errors, "issuer", &form.issuer, "发证机构", 100);
    let obtained_on = required_date(&mut errors, "obtained_on", &form.obtained_on, "取得日期");
    let file = match upload::evidence_list(&data, "scan", state.config.max_upload_mb, true) {
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
    let mut page_top_override = None;
    if let (true, Some(level), Some(obtained_on), Some(file)) =
        (errors.is_empty(), level, obtained_on, file)
    {
        let mut req = SaveRequest::new(Section::Certificates, version(&data));
        req.files = vec![file];
        let outcome = save(&state, &account, id, req, move |current, refs| {
            let mut c = current.certificates.clone().unwrap_or_default();
            c.items.push(Certificate {
                id: new_item_id(),
                occupation,
                level: level.zh().to_string(),
                number,
                issuer,
                obtained_on,
                evidence: refs,
            });
            Ok(Sections {
                certificates: Some(c),
                ..Sections::default()
            })
        })
        .await?;
        match outcome {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Certificates))),
            other => page_top_override = Some(other),
        }
    }
    let mut page = certificates_page(&user, &state, &loaded, form, errors);
    apply_outcome(&mut page.top, page_top_override, version(&data));
    render_status(status_for(&page.top), &page)
}

/// Shows a conflict or refusal on a re-shown page; otherwise keeps the version the form had.
fn apply_outcome(top: &mut SectionTop, outcome: Option<Saved>, form_version: i32) {
    top.version = form_version;
    let conflict = matches!(outcome, Some(Saved::Conflict { .. }));
    if let Some(outcome) = outcome {
        top.show(outcome);
    }
    if conflict {
        top.refused = Some(FILE_AGAIN.to_string());
    }
}

fn version(data: &MultipartData) -> i32 {
    data.get("version").trim().parse().unwrap_or(-1)
}

// ---- 工作经历 ----

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PeriodForm {
    pub version: i32,
    pub from: String,
    pub to: String,
    pub employer: String,
    pub occupation: String,
    pub post: String,
}

#[derive(Template)]
#[template(path = "applicant/work.html")]
struct WorkPage {
    page: Page,
    top: SectionTop,
    items: Vec<Period>,
    form: PeriodForm,
    errors: FormErrors,
    occupations: Vec<String>,
}

fn work_page(
    user: &CurrentUser,
    loaded: &Loaded,
    form: PeriodForm,
    errors: FormErrors,
) -> WorkPage {
    WorkPage {
        page: user.page(),
        top: SectionTop::new(loaded, Section::Work),
        items: loaded.sections().work.clone().unwrap_or_default().items,
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

pub async fn work(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    render_status(
        StatusCode::OK,
        &work_page(&user, &loaded, PeriodForm::default(), FormErrors::default()),
    )
}

pub async fn add_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<PeriodForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, true).await?;
    let mut errors = FormErrors::default();
    let from = required_date(&mut errors, "from", &form.from, "开始日期");
    let to = match form.to.trim() {
        "" => None,
        t => match parse_date(t) {
            Some(d) if from.is_some_and(|f| d < f) => {
                errors.add("to", "结束日期不能早于开始日期");
                None
            }
            Some(d) => Some(d),
            None => {
                errors.add("to", "结束日期无效，如 2020-06-30；仍在职请留空");
                None
            }
        },
    };
    let employer = required(&mut errors, "employer", &form.employer, "工作单位", 100);
    let occupation = required(
        &mut errors,
        "occupation",
        &form.occupation,
        "职业（工种）",
        50,
    );
    let post = required(&mut errors, "post", &form.post, "岗位", 100);
    let mut outcome = None;
    if let (true, Some(from)) = (errors.is_empty(), from) {
        let req = SaveRequest::new(Section::Work, form.version);
        let result = save(&state, &account, id, req, move |current, _| {
            let mut w = current.work.clone().unwrap_or_default();
            w.items.push(Period {
                id: new_item_id(),
                from,
                to,
                employer,
                occupation,
                post,
            });
            w.items.sort_by_key(|p| p.from);
            Ok(Sections {
                work: Some(w),
                ..Sections::default()
            })
        })
        .await?;
        match result {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Work))),
            other => outcome = Some(other),
        }
    }
    let form_version = form.version;
    let mut page = work_page(&user, &loaded, form, errors);
    apply_outcome(&mut page.top, outcome, form_version);
    if page.top.conflict.is_some() {
        page.top.refused = None;
    }
    render_status(status_for(&page.top), &page)
}

// ---- 申报目标: honours with evidence ----

pub async fn add_honour(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i64>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let data = upload::read(payload, &session, state.config.max_upload_bytes()).await?;
    let loaded = load(&state, &account, id, true).await?;
    let mut errors = FormErrors::default();
    let name = data.get("honour").trim().to_string();
    let existing = loaded.sections().target.clone().unwrap_or_default().honours;
    if loaded.catalogue.honour_level(&name).is_none() {
        errors.add("honour", "请从荣誉目录中选择荣誉");
    } else if existing.iter().any(|h| h.name == name) {
        errors.add("honour", "该荣誉已添加");
    }
    let files =
        match upload::evidence_list(&data, "honour_evidence", state.config.max_upload_mb, true) {
            Ok(f) => f,
            Err(e) => {
                errors.add("honour_evidence", e);
                Vec::new()
            }
        };
    let mut outcome = None;
    if errors.is_empty() {
        let mut req = SaveRequest::new(Section::Target, version(&data));
        req.files = files;
        let honour = name.clone();
        let result = save(&state, &account, id, req, move |current, refs| {
            let mut t = current.target.clone().unwrap_or_default();
            t.honours.push(HonourClaim {
                id: new_item_id(),
                name: honour,
                evidence: refs,
            });
            Ok(Sections {
                target: Some(t),
                ..Sections::default()
            })
        })
        .await?;
        match result {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Target))),
            other => outcome = Some(other),
        }
    }
    let mut page: TargetPage =
        TargetPage::build(&state, &user, &loaded, stored_target_form(&loaded)).await?;
    page.honour_errors = errors;
    page.honour_name = name;
    apply_outcome(&mut page.top, outcome, version(&data));
    render_status(status_for(&page.top), &page)
}

// ---- 业绩与能力 ----

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
    kinds: [&'static str; 9],
    max_mb: u32,
}

fn achievements_page(user: &CurrentUser, state: &AppState, loaded: &Loaded) -> AchievementsPage {
    let current = loaded.sections().achievements.clone().unwrap_or_default();
    AchievementsPage {
        page: user.page(),
        top: SectionTop::new(loaded, Section::Achievements),
        summary: current.summary.clone(),
        current,
        achievement: AchievementForm::default(),
        apprentice: ApprenticeForm::default(),
        renovation: RenovationForm::default(),
        errors: FormErrors::default(),
        kinds: ACHIEVEMENT_KINDS,
        max_mb: state.config.max_upload_mb,
    }
}

pub async fn achievements(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    render_status(StatusCode::OK, &achievements_page(&user, &state, &loaded))
}

/// Saves a change to 业绩与能力 and answers with the page (or back to it when saved).
async fn save_achievements<F>(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    loaded: &Loaded,
    req: SaveRequest,
    errors: FormErrors,
    fill: impl FnOnce(&mut AchievementsPage),
    change: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut Achievements, Vec<crate::application::EvidenceRef>) + Send + 'static,
{
    let id = loaded.app.id;
    let form_version = req.expected_version;
    let mut outcome = None;
    if errors.is_empty() {
        let result = save(state, &user.account, id, req, move |current, refs| {
            let mut a = current.achievements.clone().unwrap_or_default();
            change(&mut a, refs);
            Ok(Sections {
                achievements: Some(a),
                ..Sections::default()
            })
        })
        .await?;
        match result {
            Saved::Done => return Ok(see_other(&section_url(id, Section::Achievements))),
            other => outcome = Some(other),
        }
    }
    let mut page = achievements_page(user, state, loaded);
    page.errors = errors;
    fill(&mut page);
    apply_outcome(&mut page.top, outcome, form_version);
    render_status(status_for(&page.top), &page)
}

pub async fn save_summary(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<SummaryForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    let mut errors = FormErrors::default();
    let summary = required(&mut errors, "summary", &form.summary, "工作业绩总结", 5000);
    let typed = form.summary.clone();
    save_achievements(
        &state,
        &user,
        &loaded,
        SaveRequest::new(Section::Achievements, form.version),
        errors,
        |p| p.summary = typed,
        move |a, _| {
            a.summary = summary;
        },
    )
    .await
}

pub async fn add_achievement(
    state: web::Data<AppState>,
    user: CurrentUser,
    session: Session,
    path: web::Path<i64>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let data = upload::read(payload, &session, state.config.max_upload_bytes()).await?;
    let loaded = load(&state, &account, id, true).await?;
    let form = AchievementForm {
        kind: data.get("kind").to_string(),
        title: data.get("title").to_string(),
        date: data.get("date").to_string(),
        role: data.get("role").to_string(),
        description: data.get("description").to_string(),
    };
    let mut errors = FormErrors::default();
    if !ACHIEVEMENT_KINDS.contains(&form.kind.as_str()) {
        errors.add("kind", "请选择成果类别");
    }
    let title = required(&mut errors, "title", &form.title, "成果名称", 100);
    let date = required_date(&mut errors, "date", &form.date, "完成日期");
    let role = required(&mut errors, "role", &form.role, "本人作用", 200);
    let description = required(
        &mut errors,
        "description",
        &form.description,
        "成果简介",
        3000,
    );
    let files = match upload::evidence_list(&data, "evidence", state.config.max_upload_mb, true) {
        Ok(f) => f,
        Err(e) => {
            errors.add("evidence", e);
            Vec::new()
        }
    };
    let mut req = SaveRequest::new(Section::Achievements, version(&data));
    req.files = files;
    let kind = form.kind.clone();
    let date = date.unwrap_or_default();
    save_achievements(
        &state,
        &user,
        &loaded,
        req,
        errors,
        |p| p.achievement = form,
        move |a, refs| {
            a.items.push(Achievement {
                id: new_item_id(),
                kind,
                title,
                date,
                role,
                description,
                evidence: refs,
            });
        },
    )
    .await
}

pub async fn add_apprentice(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ApprenticeForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
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
    let req = SaveRequest::new(Section::Achievements, form.version);
    save_achievements(
        &state,
        &user,
        &loaded,
        req,
        errors,
        |p| p.apprentice = form,
        move |a, _| {
            a.apprentices.push(Apprentice {
                id: new_item_id(),
                name,
                period,
                outcome,
            });
        },
    )
    .await
}

pub async fn add_renovation(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RenovationForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
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
    )
    .unwrap_or_default();
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
    let req = SaveRequest::new(Section::Achievements, form.version);
    save_achievements(
        &state,
        &user,
        &loaded,
        req,
        errors,
        |p| p.renovation = form,
        move |a, _| {
            a.renovations.push(Renovation {
                id: new_item_id(),
                title,
                date,
                role,
                description,
            });
        },
    )
    .await
}

// ---- removing an item ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    pub version: i32,
    pub item: String,
}

/// Removes one item (and its evidence) from a list section; a stale page is told to reload.
pub async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i64, String)>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let (id, slug) = path.into_inner();
    let section = Section::parse(&slug).ok_or(AppError::NotFound)?;
    let loaded = load(&state, &account, id, true).await?;
    let s = loaded.sections().clone();
    let item = form.item.clone();
    let removed: Vec<String> = match section {
        Section::Certificates => s
            .certificates
            .iter()
            .flat_map(|c| &c.items)
            .filter(|i| i.id == item)
            .flat_map(|i| i.evidence.iter().map(|e| e.id.clone()))
            .collect(),
        Section::Target => s
            .target
            .iter()
            .flat_map(|t| &t.honours)
            .filter(|i| i.id == item)
            .flat_map(|i| i.evidence.iter().map(|e| e.id.clone()))
            .collect(),
        Section::Achievements => s
            .achievements
            .iter()
            .flat_map(|a| &a.items)
            .filter(|i| i.id == item)
            .flat_map(|i| i.evidence.iter().map(|e| e.id.clone()))
            .collect(),
        Section::Work => Vec::new(),
        Section::Basic | Section::Employment => return Err(AppError::NotFound),
    };
    let mut req = SaveRequest::new(section, form.version);
    req.removed_evidence = removed;
    let outcome = save(&state, &account, id, req, move |current, _| {
        let mut next = current.clone();
        let before = count_items(&next, section);
        if let Some(c) = next.certificates.as_mut() {
            c.items.retain(|i| i.id != item);
        }
        if let Some(w) = next.work.as_mut() {
            w.items.retain(|i| i.id != item);
        }
        if let Some(t) = next.target.as_mut() {
            t.honours.retain(|i| i.id != item);
        }
        if let Some(a) = next.achievements.as_mut() {
            a.items.retain(|i| i.id != item);
            a.apprentices.retain(|i| i.id != item);
            a.renovations.retain(|i| i.id != item);
        }
        if count_items(&next, section) == before {
            return Err("要删除的条目不存在，可能已在另一个窗口中删除".to_string());
        }
        Ok(next)
    })
    .await?;
    match outcome {
        // A stale page or an item already gone: the fresh page shows what is stored now.
        Saved::Done | Saved::Conflict { .. } | Saved::Refused(_) => {
            Ok(see_other(&section_url(id, section)))
        }
    }
}

fn count_items(s: &Sections, section: Section) -> usize {
    match section {
        Section::Certificates => s
            .certificates
            .as_ref()
            .map_or(0, |c: &Certificates| c.items.len()),
        Section::Work => s.work.as_ref().map_or(0, |w: &Work| w.items.len()),
        Section::Target => s.target.as_ref().map_or(0, |t| t.honours.len()),
        Section::Achievements => s.achievements.as_ref().map_or(0, |a| {
            a.items.len() + a.apprentices.len() + a.renovations.len()
        }),
        Section::Basic | Section::Employment => 0,
    }
}
