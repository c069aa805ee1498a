//! 申报目标: the round, series, specialty, level and the route claimed, and the honours with
//! their evidence (added one by one).

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::section::{load_for_edit, save, section_url, strict, Saved, SectionTop};
use super::task_list_url;
use crate::application::submission::RoundInfo;
use crate::application::{Edit, HonourClaim, List, Section, TargetData};
use crate::domain::text::TextField;
use crate::domain::{ApplicationId, RoundId, RouteClaim, State, TitleLevel};
use crate::service::draft::Loaded;
use crate::store::rounds::Round;
use crate::web::extract::{Applicant, Me};
use crate::web::forms::choices;
use crate::web::upload;
use crate::web::{render, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

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

fn info(r: &Round) -> RoundInfo {
    crate::service::rounds::info(r)
}

impl TargetForm {
    /// The page's fields as 添加荣誉 carried them, to keep as a draft ("save for later" rules).
    fn from_multipart(data: &upload::MultipartData) -> TargetForm {
        let get = |name: &str| data.get(name).to_string();
        TargetForm {
            version: data.version(),
            action: "later".into(),
            round_id: get("round_id"),
            series: get("series"),
            specialty: get("specialty"),
            level: get("level"),
            route: get("route"),
            frontline_statement: get("frontline_statement"),
            exceptional_grounds: get("exceptional_grounds"),
        }
    }

    fn from_stored(t: TargetData, version: i32) -> TargetForm {
        TargetForm {
            version,
            action: String::new(),
            round_id: t.round_id.map(|r| r.to_string()).unwrap_or_default(),
            series: t.series,
            specialty: t.specialty,
            level: t.level.map(|l| l.zh().to_string()).unwrap_or_default(),
            route: t.route.map(|r| r.as_str().to_string()).unwrap_or_default(),
            frontline_statement: t.frontline_statement,
            exceptional_grounds: t.exceptional_grounds,
        }
    }

    fn parse(
        &self,
        loaded: &Loaded,
        rounds: &[Round],
        today: chrono::NaiveDate,
    ) -> Result<TargetData, FormErrors> {
        let strict = strict(&self.action);
        let mut errors = FormErrors::default();
        let round_id = match self.round_id.trim() {
            "" => {
                if strict {
                    errors.add("round_id", "请选择评审批次");
                }
                None
            }
            r => match r
                .parse::<RoundId>()
                .ok()
                .and_then(|r| rounds.iter().find(|x| x.id == r))
            {
                // Asked to correct it, the applicant keeps the round the committee holds it in.
                Some(round)
                    if loaded.app.state == State::Correction
                        && Some(round.id) != loaded.app.round =>
                {
                    errors.add("round_id", crate::service::draft::CORRECTION_KEEPS_ROUND);
                    None
                }
                // Returned or asked to correct, its own round stays open until the deadline.
                Some(round)
                    if Some(round.id) == loaded.app.round
                        && loaded.returned.is_some()
                        && loaded.round_info().is_some_and(|i| i.open_on(today)) =>
                {
                    Some(round.id)
                }
                Some(round) if info(round).open_on(today) => Some(round.id),
                Some(round) => {
                    errors.add("round_id", info(round).closed_message(today));
                    None
                }
                None => {
                    errors.add("round_id", "请从列表中选择评审批次");
                    None
                }
            },
        };
        let series = self.series.trim().to_string();
        let open = loaded
            .catalogue
            .series()
            .iter()
            .any(|s| s.open && s.name == series);
        if !series.is_empty() && !open {
            errors.add("series", "请从列表中选择职称系列（仅限本市贯通领域，§2.1）");
        } else if series.is_empty() && strict {
            errors.add("series", "请选择职称系列");
        }
        let specialty = errors.text(
            "specialty",
            &self.specialty,
            "申报专业",
            TextField::line(50).required_if(strict),
        );
        let level = TitleLevel::parse(&self.level);
        if level.is_none() && (strict || !self.level.is_empty()) {
            errors.add(
                "level",
                if self.level.is_empty() {
                    "请选择申报层级"
                } else {
                    "请从列表中选择申报层级"
                },
            );
        }
        // One answer for the list of rounds, this form, the task list and submission.
        if let Some(r) = round_id.and_then(|id| rounds.iter().find(|x| x.id == id)) {
            if let Err(m) = info(r).takes(&series, &specialty, level) {
                errors.add(
                    "round_id",
                    format!("{m}，请另选评审批次，或修改申报系列、专业、层级"),
                );
            }
        }
        let route = RouteClaim::parse(&self.route);
        if route.is_none() && (strict || !self.route.is_empty()) {
            errors.add("route", "请选择申报途径");
        }
        let mut paragraph = |field: &str, value: &str, what: &str| {
            errors.text(field, value, what, TextField::paragraph(3000).optional())
        };
        let frontline = paragraph("frontline_statement", &self.frontline_statement, "说明");
        let grounds = paragraph("exceptional_grounds", &self.exceptional_grounds, "理由");
        if strict && route == Some(RouteClaim::Honour) && frontline.is_empty() {
            errors.add(
                "frontline_statement",
                "凭荣誉申报须说明长期坚守生产服务一线、具有绝招绝技绝活和突出贡献的情况",
            );
        }
        if strict && route == Some(RouteClaim::Exceptional) && grounds.is_empty() {
            errors.add(
                "exceptional_grounds",
                "破格申报须写明符合本系列破格条件的理由",
            );
        }
        errors.into_result(|| TargetData {
            round_id,
            series,
            specialty,
            level,
            route,
            honours: Vec::new(),
            frontline_statement: frontline,
            exceptional_grounds: grounds,
        })
    }
}

#[derive(Template)]
#[template(path = "applicant/target.html")]
pub struct TargetPage {
    pub page: Page,
    pub top: SectionTop,
    pub form: TargetForm,
    pub errors: FormErrors,
    pub rounds: Vec<(String, String)>,
    pub series: Vec<(String, String)>,
    pub specialties: Vec<String>,
    pub levels: Vec<(String, String)>,
    pub routes: Vec<(String, String)>,
    pub honours: Vec<HonourClaim>,
    pub honour_names: Vec<(String, String)>,
    pub honour_name: String,
    pub max_mb: u32,
}

/// The page for a loaded application, with `form` as typed (or as stored).
fn page(
    state: &AppState,
    me: &Me,
    loaded: &Loaded,
    rounds: Vec<Round>,
    form: TargetForm,
    top: SectionTop,
) -> TargetPage {
    let today = crate::time::local_date(state.now());
    let chosen = form.round_id.parse::<RoundId>().ok();
    let level = TitleLevel::parse(&form.level);
    let rounds = rounds
        .iter()
        .filter(|r| {
            let i = info(r);
            let offered = i.open_on(today) && i.takes(&form.series, &form.specialty, level).is_ok();
            offered || Some(r.id) == chosen
        })
        // A correction stays in the round the committee holds it in: the only one offered.
        .filter(|r| loaded.app.state != State::Correction || Some(r.id) == loaded.app.round)
        .map(|r| {
            let levels: Vec<&str> = r.effective_levels().iter().map(|l| l.zh()).collect();
            (
                r.id,
                format!(
                    "{}（{}，受理{}；{} 截止申报，资格计算日期 {}）",
                    r.name,
                    r.of.name,
                    levels.join("、"),
                    r.submission_deadline,
                    r.reference_date
                ),
            )
        });
    let rounds = choices(rounds);
    let mut specialties: Vec<String> = loaded
        .catalogue
        .correspondences()
        .iter()
        .filter(|c| form.series.is_empty() || c.series == form.series)
        .map(|c| c.specialty.clone())
        .collect();
    specialties.sort();
    specialties.dedup();
    TargetPage {
        page: me.page(),
        top,
        form,
        errors: FormErrors::default(),
        rounds,
        series: choices(
            loaded
                .catalogue
                .series()
                .iter()
                .filter(|s| s.open)
                .map(|s| (&s.name, &s.name)),
        ),
        specialties,
        levels: choices(TitleLevel::ALL.map(|l| (l, l))),
        routes: choices(RouteClaim::ALL.map(|r| (r.as_str(), r.label()))),
        honours: loaded.sections().target.clone().unwrap_or_default().honours,
        honour_names: choices(
            loaded
                .catalogue
                .honours()
                .iter()
                .map(|h| (&h.name, &h.name)),
        ),
        honour_name: String::new(),
        max_mb: state.config.max_upload_mb,
    }
}

async fn rounds(state: &web::Data<AppState>) -> Result<Vec<Round>, AppError> {
    crate::web::db_read(state, |c| Ok(crate::store::rounds::list(c)?)).await
}

fn stored_form(loaded: &Loaded) -> TargetForm {
    let t = loaded.sections().target.clone().unwrap_or_default();
    TargetForm::from_stored(t, loaded.draft.version(Section::Target))
}

pub async fn form(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let loaded = load_for_edit(&state, &me, *id).await?;
    let top = SectionTop::new(&loaded, Section::Target);
    let form = stored_form(&loaded);
    render(&page(
        &state,
        &me,
        &loaded,
        rounds(&state).await?,
        form,
        top,
    ))
}

pub async fn submit(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<TargetForm>,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let loaded = load_for_edit(&state, &me, id).await?;
    let rounds = rounds(&state).await?;
    let today = crate::time::local_date(state.now());
    let (errors, outcome) = match form.parse(&loaded, &rounds, today) {
        Ok(t) => match save(&state, &me, id, form.version, Edit::Target(t), vec![]).await? {
            Saved::Done => return Ok(see_other(&task_list_url(id))),
            Saved::Refused(m) if m == crate::service::draft::ONE_PER_ROUND => {
                let mut e = FormErrors::default();
                e.add("round_id", m);
                (e, None)
            }
            other => (FormErrors::default(), Some(other)),
        },
        Err(errors) => (errors, None),
    };
    let top = SectionTop::again(&loaded, Section::Target, form.version, outcome);
    let mut page = page(&state, &me, &loaded, rounds, form, top);
    page.errors = errors;
    render_status(page.top.status(), &page)
}

/// 添加荣誉: the page's other fields come with it (one form) and are kept as a draft in the same
/// save, so adding an honour never drops what was typed.
pub async fn add_honour(
    state: web::Data<AppState>,
    Applicant(me): Applicant,
    id: web::Path<ApplicationId>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let id = *id;
    let data = upload::read_for_edit(&state, &me, id, payload).await?;
    let loaded = load_for_edit(&state, &me, id).await?;
    let rounds = rounds(&state).await?;
    let today = crate::time::local_date(state.now());
    let typed = TargetForm::from_multipart(&data);
    let kept = typed.parse(&loaded, &rounds, today);
    let mut errors = FormErrors::default();
    let name = data.get("honour").trim().to_string();
    if loaded.catalogue.honour_level(&name).is_none() {
        errors.add("honour", "请从荣誉目录中选择荣誉");
    } else if let Some(full) = List::Honours.full(loaded.sections()) {
        errors.add("honour", full);
    }
    let files = errors.check(
        "honour_evidence",
        upload::evidence_list(&data, "honour_evidence", state.config.max_upload_mb, true),
    );
    let mut outcome = None;
    let mut field_errors = FormErrors::default();
    match (kept, files) {
        (Ok(t), Some(files)) if errors.is_empty() => {
            let add = Edit::AddHonour(name.clone());
            // A request without the page's fields (an older page) leaves them as stored.
            let edit = match data.has("series") {
                true => Edit::KeepThen {
                    keep: Box::new(Edit::Target(t)),
                    then: Box::new(add),
                },
                false => add,
            };
            match save(&state, &me, id, data.version(), edit, files).await? {
                Saved::Done => return Ok(see_other(&section_url(id, Section::Target))),
                Saved::Refused(m) if m == "该荣誉已添加" => errors.add("honour", m),
                other => outcome = Some(other),
            }
        }
        (Err(e), _) => field_errors = e,
        _ => {}
    }
    let top =
        SectionTop::again(&loaded, Section::Target, data.version(), outcome).with_files_again();
    let mut page = page(&state, &me, &loaded, rounds, typed, top);
    // One summary at the top of the page, the honour's problems with the rest.
    let mut all = field_errors;
    all.merge(errors);
    page.errors = all;
    page.honour_name = name;
    render_status(page.top.status(), &page)
}
