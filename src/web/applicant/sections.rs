//! The single-form sections: 基本信息, 工作单位与岗位, 申报目标. Each page saves on its own; a
//! stale page (another window saved first) shows both versions and overwrites nothing.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::summary::{self, SummaryRow};
use super::{applicant, load, task_list_url, Loaded};
use crate::application::{
    Assessment, Basic, Employment, Section, Sections, TargetData, EDUCATION, ROUTES,
};
use crate::domain::{IdNumber, MobileNumber};
use crate::policy::{AssessmentResult, TitleLevel};
use crate::store::accounts::{self, Account};
use crate::store::applications::{self, NewEvidence, SaveError, SectionChange};
use crate::web::self_check::parse_date;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, CurrentUser, FormErrors, Page};
use crate::AppState;

/// How a save went, for the page to show.
pub enum Saved {
    Done,
    /// Another window saved first: that version (to show) and its number (to save over it).
    Conflict {
        theirs: Vec<SummaryRow>,
        version: i32,
    },
    /// Refused with a reason for the person (too large, not editable).
    Refused(String),
}

/// Everything a section save needs besides the new data.
pub struct SaveRequest {
    pub section: Section,
    pub expected_version: i32,
    pub files: Vec<NewEvidence>,
    pub removed_evidence: Vec<String>,
    pub employer_id: Option<Option<i64>>,
    pub round_id: Option<Option<i64>>,
}

impl SaveRequest {
    pub fn new(section: Section, expected_version: i32) -> SaveRequest {
        SaveRequest {
            section,
            expected_version,
            files: Vec::new(),
            removed_evidence: Vec::new(),
            employer_id: None,
            round_id: None,
        }
    }
}

/// Saves a section in one transaction. `build` turns what is stored now (and the refs of the
/// files just stored) into the new section; it runs inside the transaction.
pub async fn save<F>(
    state: &web::Data<AppState>,
    account: &Account,
    id: i64,
    req: SaveRequest,
    build: F,
) -> Result<Saved, AppError>
where
    F: FnOnce(&Sections, Vec<crate::application::EvidenceRef>) -> Result<Sections, String>
        + Send
        + 'static,
{
    let account = account.clone();
    let now = state.now();
    let max = state.config.max_application_bytes();
    let section = req.section;
    db(state, move |conn| {
        let change = SectionChange {
            application_id: id,
            section,
            expected_version: req.expected_version,
            new_files: req.files,
            removed_evidence: req.removed_evidence,
            employer_id: req.employer_id,
            round_id: req.round_id,
            max_application_bytes: max,
            actor: &account,
        };
        let result = applications::save_section(conn, change, now, move |current, refs| {
            let sections =
                Sections::from_json(|s| if s == section { current.clone() } else { None });
            let next = build(&sections, refs)?;
            section_json(&next, section).ok_or_else(|| "empty section".to_string())
        });
        match result {
            Ok(_) => Ok(Saved::Done),
            Err(SaveError::Conflict { data, version }) => {
                let theirs =
                    Sections::from_json(|s| if s == section { data.clone() } else { None });
                Ok(Saved::Conflict {
                    theirs: summary::rows(section, &theirs, None),
                    version,
                })
            }
            Err(SaveError::NotEditable(m))
            | Err(SaveError::TooLarge(m))
            | Err(SaveError::Invalid(m)) => Ok(Saved::Refused(m)),
            Err(SaveError::Db(e)) => Err(e.into()),
        }
    })
    .await
}

/// The JSON of one section.
fn section_json(s: &Sections, section: Section) -> Option<String> {
    let json = match section {
        Section::Basic => serde_json::to_string(s.basic.as_ref()?),
        Section::Employment => serde_json::to_string(s.employment.as_ref()?),
        Section::Certificates => serde_json::to_string(s.certificates.as_ref()?),
        Section::Work => serde_json::to_string(s.work.as_ref()?),
        Section::Target => serde_json::to_string(s.target.as_ref()?),
        Section::Achievements => serde_json::to_string(s.achievements.as_ref()?),
    };
    json.ok()
}

/// The top of every section page: which application, which section, and a conflict if any.
pub struct SectionTop {
    pub id: i64,
    pub title: &'static str,
    pub version: i32,
    pub conflict: Option<Vec<SummaryRow>>,
    pub refused: Option<String>,
}

impl SectionTop {
    /// Shows how a save that did not go through went: a conflict shows the other window's
    /// version (and takes its number, so that saving again is a deliberate overwrite); a refusal
    /// shows its reason.
    pub fn show(&mut self, outcome: Saved) {
        match outcome {
            Saved::Done => {}
            Saved::Conflict { theirs, version } => {
                self.conflict = Some(theirs);
                self.version = version;
            }
            Saved::Refused(m) => self.refused = Some(m),
        }
    }

    pub fn new(loaded: &Loaded, section: Section) -> SectionTop {
        SectionTop {
            id: loaded.app.id,
            title: section.title(),
            version: loaded.draft.version(section),
            conflict: None,
            refused: None,
        }
    }
}

/// The status of a re-shown form: 409 for a conflict, 422 for errors.
pub fn status_for(top: &SectionTop) -> StatusCode {
    if top.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// "Save and continue" checks that the required answers are there; "save for later" keeps
/// whatever was typed, checking only that what is there is well formed.
fn strict(action: &str) -> bool {
    action != "later"
}

// ---- 基本信息 ----

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

pub struct PersonFacts {
    pub name: String,
    pub id_masked: String,
    pub gender: &'static str,
    pub birth_date: String,
}

#[derive(Template)]
#[template(path = "applicant/basic.html")]
struct BasicPage {
    page: Page,
    top: SectionTop,
    person: PersonFacts,
    form: BasicForm,
    errors: FormErrors,
    education: [&'static str; 6],
}

async fn person_facts(
    state: &web::Data<AppState>,
    account: &Account,
) -> Result<(PersonFacts, String), AppError> {
    let id = account.id;
    let person = db(state, move |conn| Ok(accounts::person(conn, id)?)).await?;
    let Some(p) = person else {
        return Ok((
            PersonFacts {
                name: account.display_name.clone(),
                id_masked: String::new(),
                gender: "",
                birth_date: String::new(),
            },
            String::new(),
        ));
    };
    let parsed = IdNumber::parse(&p.id_number).ok();
    Ok((
        PersonFacts {
            name: p.name.clone(),
            id_masked: p.id_number_masked(),
            gender: parsed.as_ref().map(IdNumber::gender).unwrap_or(""),
            birth_date: parsed
                .as_ref()
                .map(|i| i.birth_date().format("%Y年%m月%d日").to_string())
                .unwrap_or_default(),
        },
        p.mobile,
    ))
}

pub async fn basic_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    let (person, mobile) = person_facts(&state, &account).await?;
    let b = loaded.sections().basic.clone().unwrap_or_default();
    let form = BasicForm {
        version: loaded.draft.version(Section::Basic),
        action: String::new(),
        mobile: if b.mobile.is_empty() {
            mobile
        } else {
            b.mobile
        },
        education: b.education,
        email: b.email,
        address: b.address,
    };
    let top = SectionTop::new(&loaded, Section::Basic);
    render_status(
        StatusCode::OK,
        &BasicPage {
            page: user.page(),
            top,
            person,
            form,
            errors: FormErrors::default(),
            education: EDUCATION,
        },
    )
}

pub async fn basic_save(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<BasicForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, true).await?;
    let mut errors = FormErrors::default();
    let strict = strict(&form.action);
    if !form.education.is_empty() && !EDUCATION.contains(&form.education.as_str()) {
        errors.add("education", "请从列表中选择学历");
    } else if strict && form.education.is_empty() {
        errors.add("education", "请选择学历");
    }
    let mobile = match MobileNumber::parse(&form.mobile) {
        Ok(m) => m.as_str().to_string(),
        Err(e) if strict || !form.mobile.trim().is_empty() => {
            errors.add("mobile", e);
            String::new()
        }
        Err(_) => String::new(),
    };
    let email = form.email.trim().to_string();
    if !email.is_empty()
        && (!email.contains('@') || email.len() > 100 || email.contains(char::is_whitespace))
    {
        errors.add("email", "电子邮箱格式不正确，如 name@example.com");
    }
    if form.address.chars().count() > 200 {
        errors.add("address", "通讯地址不能超过200个字");
    }
    let mut top = SectionTop::new(&loaded, Section::Basic);
    if errors.is_empty() {
        let basic = Basic {
            education: form.education.clone(),
            mobile,
            email,
            address: form.address.trim().to_string(),
        };
        let req = SaveRequest::new(Section::Basic, form.version);
        match save(&state, &account, id, req, move |_, _| {
            Ok(Sections {
                basic: Some(basic),
                ..Sections::default()
            })
        })
        .await?
        {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            other => top.show(other),
        }
    } else {
        top.version = form.version;
    }
    let (person, _) = person_facts(&state, &account).await?;
    render_status(
        status_for(&top),
        &BasicPage {
            page: user.page(),
            top,
            person,
            form,
            errors,
            education: EDUCATION,
        },
    )
}

// ---- 工作单位与岗位 ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmploymentForm {
    pub version: i32,
    pub action: String,
    pub employer_query: String,
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
    fn assessments(&self) -> [(&'static str, &str, &'static str, &str); 3] {
        [
            (
                "assess0_year",
                self.assess0_year.as_str(),
                "assess0_result",
                self.assess0_result.as_str(),
            ),
            (
                "assess1_year",
                self.assess1_year.as_str(),
                "assess1_result",
                self.assess1_result.as_str(),
            ),
            (
                "assess2_year",
                self.assess2_year.as_str(),
                "assess2_result",
                self.assess2_result.as_str(),
            ),
        ]
    }
}

#[derive(Template)]
#[template(path = "applicant/employment.html")]
struct EmploymentPage {
    page: Page,
    top: SectionTop,
    form: EmploymentForm,
    errors: FormErrors,
    occupations: Vec<String>,
    results: [AssessmentResult; 8],
}

impl EmploymentPage {
    fn assessment_rows(&self) -> Vec<(usize, String, String)> {
        self.form
            .assessments()
            .iter()
            .enumerate()
            .map(|(i, (_, y, _, r))| (i, y.to_string(), r.to_string()))
            .collect()
    }
}

pub async fn employment_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    let e = loaded.sections().employment.clone().unwrap_or_default();
    let today = crate::time::local_date(state.now());
    let year = |i: usize| {
        e.assessments
            .get(i)
            .map(|a| a.year.to_string())
            .unwrap_or_else(|| (chrono::Datelike::year(&today) - 3 + i as i32).to_string())
    };
    let result = |i: usize| {
        e.assessments
            .get(i)
            .map(|a| a.result.clone())
            .unwrap_or_default()
    };
    let form = EmploymentForm {
        version: loaded.draft.version(Section::Employment),
        action: String::new(),
        employer_query: if e.employer_code.is_empty() {
            e.employer_name.clone()
        } else {
            e.employer_code.clone()
        },
        department: e.department.clone(),
        post: e.post.clone(),
        professional_post: match e.professional_post {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        occupation: e.occupation.clone(),
        since: e.since.map(|d| d.to_string()).unwrap_or_default(),
        assess0_year: year(0),
        assess0_result: result(0),
        assess1_year: year(1),
        assess1_result: result(1),
        assess2_year: year(2),
        assess2_result: result(2),
    };
    let top = SectionTop::new(&loaded, Section::Employment);
    let occupations = loaded
        .catalogue
        .occupations()
        .into_iter()
        .map(str::to_string)
        .collect();
    render_status(
        StatusCode::OK,
        &EmploymentPage {
            page: user.page(),
            top,
            form,
            errors: FormErrors::default(),
            occupations,
            results: AssessmentResult::ALL,
        },
    )
}

pub async fn employment_save(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EmploymentForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, true).await?;
    let strict = strict(&form.action);
    let mut errors = FormErrors::default();
    // The employer: by credit code, or by a name that matches one registered employer.
    let query = form.employer_query.trim().to_string();
    let mut employer = None;
    if !query.is_empty() {
        let q = query.clone();
        let found = db(&state, move |conn| {
            Ok(accounts::search_employers(conn, &q, 6)?)
        })
        .await?;
        match found.as_slice() {
            [] => errors.add(
                "employer_query",
                "未找到该单位。请确认单位已在本系统注册，或输入统一社会信用代码",
            ),
            [one] => employer = Some(one.clone()),
            many => match many.iter().find(|e| e.name == query) {
                Some(exact) => employer = Some(exact.clone()),
                None => {
                    let names: Vec<String> = many
                        .iter()
                        .take(5)
                        .map(|e| format!("{}（{}）", e.name, e.credit_code))
                        .collect();
                    errors.add(
                        "employer_query",
                        format!("找到多个单位，请输入统一社会信用代码：{}", names.join("、")),
                    );
                }
            },
        }
    } else if strict {
        errors.add("employer_query", "请输入工作单位名称或统一社会信用代码");
    }
    let text = |errors: &mut FormErrors, field: &'static str, value: &str, what: &str| -> String {
        let v = value.trim();
        if v.is_empty() && strict {
            errors.add(field, format!("请填写{what}"));
        } else if v.chars().count() > 100 {
            errors.add(field, format!("{what}不能超过100个字"));
        }
        v.to_string()
    };
    let department = text(&mut errors, "department", &form.department, "所在部门");
    let post = text(&mut errors, "post", &form.post, "岗位");
    let professional_post = match form.professional_post.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            if strict {
                errors.add("professional_post", "请选择是否在专业技术岗位工作");
            }
            None
        }
    };
    let occupation = form.occupation.trim().to_string();
    if !occupation.is_empty()
        && !loaded
            .catalogue
            .occupations()
            .contains(&occupation.as_str())
    {
        errors.add("occupation", "请从职业目录中选择职业（工种）");
    } else if occupation.is_empty() && strict {
        errors.add("occupation", "请选择现从事的职业（工种）");
    }
    let since = match form.since.trim() {
        "" => {
            if strict {
                errors.add("since", "请填写现岗位起始日期，如 2018-07-01");
            }
            None
        }
        s => match parse_date(s) {
            Some(d) => Some(d),
            None => {
                errors.add("since", "现岗位起始日期无效，如 2018-07-01");
                None
            }
        },
    };
    let mut assessments: Vec<Assessment> = Vec::new();
    for (year_field, year, result_field, result) in form.assessments() {
        if result.is_empty() {
            if strict {
                errors.add(result_field, "请选择年度考核结果");
            }
            continue;
        }
        let Some(y) = year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1950..=2100).contains(y))
        else {
            errors.add(year_field, "请填写考核年度，如 2025");
            continue;
        };
        if AssessmentResult::parse(result).is_none() {
            errors.add(result_field, "请从列表中选择考核结果");
            continue;
        }
        if assessments.iter().any(|a| a.year == y) {
            errors.add(year_field, format!("{y}年度重复填写"));
            continue;
        }
        assessments.push(Assessment {
            year: y,
            result: result.to_string(),
        });
    }
    let mut top = SectionTop::new(&loaded, Section::Employment);
    if errors.is_empty() {
        let employment = Employment {
            employer_id: employer.as_ref().map(|e| e.account_id),
            employer_name: employer
                .as_ref()
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            employer_code: employer
                .as_ref()
                .map(|e| e.credit_code.clone())
                .unwrap_or_default(),
            department,
            post,
            professional_post,
            occupation,
            since,
            assessments,
        };
        let mut req = SaveRequest::new(Section::Employment, form.version);
        req.employer_id = Some(employment.employer_id);
        match save(&state, &account, id, req, move |_, _| {
            Ok(Sections {
                employment: Some(employment),
                ..Sections::default()
            })
        })
        .await?
        {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            other => top.show(other),
        }
    } else {
        top.version = form.version;
    }
    let occupations = loaded
        .catalogue
        .occupations()
        .into_iter()
        .map(str::to_string)
        .collect();
    render_status(
        status_for(&top),
        &EmploymentPage {
            page: user.page(),
            top,
            form,
            errors,
            occupations,
            results: AssessmentResult::ALL,
        },
    )
}

// ---- 申报目标 ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TargetForm {
    pub version: i32,
    pub action: String,
    pub round_id: String,
    pub series: String,
    pub specialty: String,
    pub level: String,
    pub route: String,
    pub frontline_statement: String,
    pub exceptional_grounds: String,
}

#[derive(Template)]
#[template(path = "applicant/target.html")]
pub struct TargetPage {
    pub page: Page,
    pub top: SectionTop,
    pub form: TargetForm,
    pub errors: FormErrors,
    pub rounds: Vec<(i64, String)>,
    pub series: Vec<String>,
    pub specialties: Vec<String>,
    pub levels: [TitleLevel; 4],
    pub routes: [(&'static str, &'static str); 3],
    pub honours: Vec<crate::application::HonourClaim>,
    pub honour_names: Vec<String>,
    pub honour_errors: FormErrors,
    pub honour_name: String,
}

impl TargetPage {
    /// The page for a loaded application, with `form` as typed (or as stored).
    pub async fn build(
        state: &web::Data<AppState>,
        user: &CurrentUser,
        loaded: &Loaded,
        form: TargetForm,
    ) -> Result<TargetPage, AppError> {
        let today = crate::time::local_date(state.now());
        let rounds = db(state, |conn| Ok(applications::rounds(conn)?)).await?;
        let chosen = form.round_id.parse::<i64>().ok();
        let rounds = rounds
            .into_iter()
            .filter(|r| r.submission_deadline >= today || Some(r.id) == chosen)
            .map(|r| {
                (
                    r.id,
                    format!(
                        "{}（{} 截止申报，资格计算日期 {}）",
                        r.name, r.submission_deadline, r.reference_date
                    ),
                )
            })
            .collect();
        let series = loaded
            .catalogue
            .series()
            .iter()
            .filter(|s| s.open)
            .map(|s| s.name.clone())
            .collect();
        let mut specialties: Vec<String> = loaded
            .catalogue
            .correspondences()
            .iter()
            .filter(|c| form.series.is_empty() || c.series == form.series)
            .map(|c| c.specialty.clone())
            .collect();
        specialties.sort();
        specialties.dedup();
        Ok(TargetPage {
            page: user.page(),
            top: SectionTop::new(loaded, Section::Target),
            form,
            errors: FormErrors::default(),
            rounds,
            series,
            specialties,
            levels: TitleLevel::ALL,
            routes: ROUTES,
            honours: loaded.sections().target.clone().unwrap_or_default().honours,
            honour_names: loaded
                .catalogue
                .honours()
                .iter()
                .map(|h| h.name.clone())
                .collect(),
            honour_errors: FormErrors::default(),
            honour_name: String::new(),
        })
    }
}

pub fn stored_target_form(loaded: &Loaded) -> TargetForm {
    let t = loaded.sections().target.clone().unwrap_or_default();
    TargetForm {
        version: loaded.draft.version(Section::Target),
        action: String::new(),
        round_id: t.round_id.map(|r| r.to_string()).unwrap_or_default(),
        series: t.series,
        specialty: t.specialty,
        level: t.level,
        route: t.route,
        frontline_statement: t.frontline_statement,
        exceptional_grounds: t.exceptional_grounds,
    }
}

pub async fn target_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let loaded = load(&state, &account, path.into_inner(), true).await?;
    let page = TargetPage::build(&state, &user, &loaded, stored_target_form(&loaded)).await?;
    render_status(StatusCode::OK, &page)
}

pub async fn target_save(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> Result<HttpResponse, AppError> {
    let account = applicant(&user)?.clone();
    let id = path.into_inner();
    let loaded = load(&state, &account, id, true).await?;
    let strict = strict(&form.action);
    let today = crate::time::local_date(state.now());
    let mut errors = FormErrors::default();
    let rounds = db(&state, |conn| Ok(applications::rounds(conn)?)).await?;
    let round_id = match form.round_id.trim() {
        "" => {
            if strict {
                errors.add("round_id", "请选择评审批次");
            }
            None
        }
        r => match r
            .parse::<i64>()
            .ok()
            .and_then(|r| rounds.iter().find(|x| x.id == r))
        {
            Some(round) if round.submission_deadline >= today => Some(round.id),
            Some(round) => {
                errors.add(
                    "round_id",
                    format!("{}已于 {} 截止申报", round.name, round.submission_deadline),
                );
                None
            }
            None => {
                errors.add("round_id", "请从列表中选择评审批次");
                None
            }
        },
    };
    let series = form.series.trim().to_string();
    if !series.is_empty()
        && !loaded
            .catalogue
            .series()
            .iter()
            .any(|s| s.open && s.name == series)
    {
        errors.add("series", "请从列表中选择职称系列（仅限本市贯通领域，§2.1）");
    } else if series.is_empty() && strict {
        errors.add("series", "请选择职称系列");
    }
    let specialty = form.specialty.trim().to_string();
    if specialty.is_empty() && strict {
        errors.add("specialty", "请填写申报专业");
    } else if specialty.chars().count() > 50 {
        errors.add("specialty", "专业不能超过50个字");
    }
    if !form.level.is_empty() && TitleLevel::parse(&form.level).is_none() {
        errors.add("level", "请从列表中选择申报层级");
    } else if form.level.is_empty() && strict {
        errors.add("level", "请选择申报层级");
    }
    let route_known = ROUTES.iter().any(|(k, _)| *k == form.route);
    if (!form.route.is_empty() || strict) && !route_known {
        errors.add("route", "请选择申报途径");
    }
    if strict && form.route == "honour" && form.frontline_statement.trim().is_empty() {
        errors.add(
            "frontline_statement",
            "凭荣誉申报须说明长期坚守生产服务一线、具有绝招绝技绝活和突出贡献的情况",
        );
    }
    if strict && form.route == "exceptional" && form.exceptional_grounds.trim().is_empty() {
        errors.add(
            "exceptional_grounds",
            "破格申报须写明符合本系列破格条件的理由",
        );
    }
    for (field, value, what) in [
        ("frontline_statement", &form.frontline_statement, "说明"),
        ("exceptional_grounds", &form.exceptional_grounds, "理由"),
    ] {
        if value.chars().count() > 3000 {
            errors.add(field, format!("{what}不能超过3000字"));
        }
    }
    if errors.is_empty() {
        let (level, route) = (form.level.clone(), form.route.clone());
        let (frontline, grounds) = (
            form.frontline_statement.trim().to_string(),
            form.exceptional_grounds.trim().to_string(),
        );
        let mut req = SaveRequest::new(Section::Target, form.version);
        req.round_id = Some(round_id);
        let outcome = save(&state, &account, id, req, move |current, _| {
            // Honours are added on their own form: keep them.
            let honours = current.target.clone().unwrap_or_default().honours;
            let target = TargetData {
                round_id,
                series,
                specialty,
                level,
                route,
                honours,
                frontline_statement: frontline,
                exceptional_grounds: grounds,
            };
            Ok(Sections {
                target: Some(target),
                ..Sections::default()
            })
        })
        .await?;
        let mut page = TargetPage::build(&state, &user, &loaded, form).await?;
        match outcome {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            other => page.top.show(other),
        }
        return render_status(status_for(&page.top), &page);
    }
    let version = form.version;
    let mut page = TargetPage::build(&state, &user, &loaded, form).await?;
    page.errors = errors;
    page.top.version = version;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
