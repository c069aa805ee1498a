//! The office's page of one application at its formal check (形式审查): the frozen dossier with
//! its evidence, the employer's verification, publicity and recommendation, the verdict on the
//! employer's record beside the one frozen at submission, the committee's scope, a checklist,
//! and the three steps: accept, ask for corrections at once, refuse with the clause.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::application::Section;
use crate::domain::{Action, ApplicationId, State};
use crate::service::formal_check::{self as check, CheckPoint, OfficeCase, RefusalReason};
use crate::service::ActionError;
use crate::store::DbConnection;
use crate::web::extract::{Me, Office};
use crate::web::shared::returns::{ReturnField, ReturnForm};
use crate::web::shared::summary::{self, SectionSummary, SummaryRow};
use crate::web::shared::verdict::VerdictView;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn url(id: ApplicationId) -> String {
    format!("/office/applications/{id}")
}

/// 不予受理 as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RefuseForm {
    pub version: String,
    pub reason: String,
    pub clause: String,
    pub note: String,
}

impl RefuseForm {
    fn version(&self) -> i32 {
        self.version.trim().parse().unwrap_or(-1)
    }

    fn parse(&self) -> Result<check::Refusal, FormErrors> {
        let reason = RefusalReason::parse(self.reason.trim());
        let errors = check::refusal_problems(reason, &self.clause, &self.note);
        match reason {
            Some(reason) if errors.is_empty() => Ok(check::Refusal {
                reason,
                clause: self.clause.trim().to_string(),
                note: self.note.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

/// 受理: the version the page showed, and that the clerk confirms the check was done.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    pub version: String,
    pub checked: String,
}

impl AcceptForm {
    /// Accepting cannot be undone: the clerk ticks that the checklist was gone through.
    fn parse(&self) -> Result<(), FormErrors> {
        let mut errors = FormErrors::default();
        if self.checked != "yes" {
            errors.add("checked", "请勾选确认已逐项核对形式审查要点，再予以受理");
        }
        errors.into_result(|| ())
    }
}

/// The page's forms, as stored or as typed.
pub struct Forms {
    pub version: i32,
    pub ret: ReturnForm,
    pub refuse: RefuseForm,
}

/// A section changed by a correction: what it held when asked, and now.
pub struct Corrected {
    pub title: &'static str,
    pub slug: &'static str,
    pub before: Vec<SummaryRow>,
    pub now: Vec<SummaryRow>,
    /// The labels of the rows whose value differs from before (or that are new).
    pub changed: Vec<String>,
}

#[derive(Template)]
#[template(path = "office/application.html")]
pub struct CasePage {
    page: Page,
    id: ApplicationId,
    reference: String,
    c: OfficeCase,
    state_label: &'static str,
    submitted_at: String,
    round_name: String,
    reference_date: String,
    verdict: Option<VerdictView>,
    /// The verdict frozen at submission, when the one on the employer's record differs.
    frozen_differs: Option<String>,
    verification: Vec<(String, String)>,
    verified_at: String,
    recommended_at: String,
    request: Option<(Vec<(&'static str, String)>, chrono::NaiveDate)>,
    corrected: Vec<Corrected>,
    /// Resubmitted after a correction request: what it asked, per section.
    asked: Option<Vec<(&'static str, String)>>,
    /// Where the employer's verified record and what the applicant declares now differ.
    differences: Vec<String>,
    /// Typed into a step no longer on the page (someone acted first): shown to copy.
    lost: Vec<(&'static str, String)>,
    refusal: Option<String>,
    summaries: Vec<SectionSummary>,
    checklist: Vec<CheckPoint>,
    can_accept: bool,
    can_return: bool,
    can_refuse: bool,
    forms: Forms,
    return_fields: Vec<ReturnField>,
    reasons: Vec<(String, String)>,
    deadline_hint: String,
    return_action: String,
    errors: FormErrors,
    open_return: bool,
    open_refuse: bool,
    done: Option<&'static str>,
    refused: Option<String>,
}

async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<OfficeCase, AppError> {
    let (who, st) = (me.actor, state.clone());
    let today = crate::time::local_date(state.now());
    crate::web::db_read(state, move |c| {
        let (catalogue, calendar, settings) = (st.catalogue(c)?, st.calendar(c)?, st.settings(c)?);
        let round = |c: &mut DbConnection, r| st.round(c, r);
        Ok(check::case(
            c, &who, id, &catalogue, &calendar, &settings, today, round,
        )?)
    })
    .await
}

/// The forms filled from what is stored: the default deadline, and the refusal the records
/// suggest (out of scope, or ineligible on the employer's record, with its clauses).
fn stored_forms(c: &OfficeCase) -> Forms {
    let deadline = c.window.default.map(|d| d.to_string()).unwrap_or_default();
    let ineligible = c.on_record.as_ref().filter(|v| !v.eligible);
    let (reason, clause) = match (c.in_scope, ineligible) {
        (Some(false), _) => (
            RefusalReason::OutOfScope.code(),
            check::SCOPE_CLAUSE.to_string(),
        ),
        (_, Some(v)) => {
            let mut clauses: Vec<&str> = v.unmet.iter().map(|u| u.clause.as_str()).collect();
            clauses.dedup();
            let clauses = format!("沪人社专〔2021〕312号 {}", clauses.join("、"));
            (RefusalReason::Ineligible.code(), clauses.trim().to_string())
        }
        _ => ("", String::new()),
    };
    Forms {
        version: c.app.version,
        ret: ReturnForm::new(c.app.version, deadline),
        refuse: RefuseForm {
            version: c.app.version.to_string(),
            reason: reason.into(),
            clause,
            note: String::new(),
        },
    }
}

fn corrected(c: &OfficeCase) -> Vec<Corrected> {
    let Some(before) = &c.before else {
        return Vec::new();
    };
    let round = Some(c.snapshot.round_name.as_str());
    c.corrected
        .iter()
        .map(|s| {
            let before = summary::rows(*s, before, round);
            let now = summary::rows(*s, &c.snapshot.sections, round);
            let changed = now
                .iter()
                .filter(|r| {
                    !before
                        .iter()
                        .any(|b| b.label == r.label && b.value == r.value && same_files(b, r))
                })
                .map(|r| r.label.clone())
                .collect();
            Corrected {
                title: s.title(),
                slug: s.slug(),
                before,
                now,
                changed,
            }
        })
        .collect()
}

fn same_files(a: &SummaryRow, b: &SummaryRow) -> bool {
    a.evidence.len() == b.evidence.len()
        && a.evidence
            .iter()
            .zip(&b.evidence)
            .all(|(x, y)| x.sha256 == y.sha256)
}

/// What a step no longer on the page carried, to show so that it can be copied.
fn lost_text(step: Step, forms: &Forms) -> Vec<(&'static str, String)> {
    match step {
        Step::Accept => Vec::new(),
        Step::Correction => forms
            .ret
            .notes
            .iter()
            .filter(|(_, n)| !n.trim().is_empty())
            .map(|(slug, n)| {
                let title = Section::parse(slug).map_or("其他", |s| s.title());
                (title, n.clone())
            })
            .collect(),
        Step::Refuse => [
            ("依据条款", &forms.refuse.clause),
            ("不予受理的说明", &forms.refuse.note),
        ]
        .into_iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(l, t)| (l, t.clone()))
        .collect(),
    }
}

fn page(me: &Me, c: OfficeCase, forms: Forms, errors: FormErrors) -> CasePage {
    let verdict = c
        .on_record
        .as_ref()
        .or(c.frozen.as_ref())
        .map(VerdictView::new);
    let frozen_differs = c
        .verdicts_differ()
        .then(|| c.frozen.as_ref().map(|v| v.message.clone()))
        .flatten();
    let certificates = crate::web::shared::verification::certificate_rows(&c.snapshot.sections);
    let verification = c
        .stage
        .verification
        .as_ref()
        .map(|v| crate::web::shared::verification::record_lines(v, &certificates))
        .unwrap_or_default();
    let round = Some(c.snapshot.round_name.as_str());
    let summaries = Section::ALL
        .iter()
        .map(|s| SectionSummary::new(*s, summary::rows(*s, &c.snapshot.sections, round)))
        .collect();
    let open_return = errors
        .items()
        .iter()
        .any(|(n, _)| crate::web::shared::returns::is_field(n));
    let open_refuse = ["reason", "clause", "note"]
        .iter()
        .any(|n| errors.get(n).is_some());
    let deadline_hint = match c.window.default {
        Some(d) => format!(
            "默认为本批次设定的补正工作日数后的 {d}；最迟 {}；逾期未补正的视为放弃",
            c.window.latest
        ),
        None => format!("最迟 {}；逾期未补正的视为放弃", c.window.latest),
    };
    CasePage {
        page: me.page(),
        id: c.app.id,
        reference: c.app.reference.clone().unwrap_or_default(),
        state_label: c.app.state.label(),
        submitted_at: c
            .app
            .submitted_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
        round_name: c.snapshot.round_name.clone(),
        reference_date: c
            .round
            .as_ref()
            .map(|r| r.reference_date.to_string())
            .unwrap_or_default(),
        verdict,
        frozen_differs,
        verification,
        verified_at: c
            .stage
            .verified_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
        recommended_at: c
            .stage
            .decision
            .as_ref()
            .map(|d| crate::time::local_minutes(d.decided_at))
            .unwrap_or_default(),
        request: c
            .request
            .as_ref()
            .map(|r| (crate::web::shared::returns::items(r), r.deadline)),
        corrected: corrected(&c),
        asked: (!c.asked.is_empty()).then(|| {
            c.asked
                .iter()
                .map(|i| {
                    let title = Section::parse(&i.section).map_or("其他", |s| s.title());
                    (title, i.note.clone())
                })
                .collect()
        }),
        differences: c
            .stage
            .verification
            .as_ref()
            .map(|v| v.differences(&c.snapshot.sections))
            .unwrap_or_default(),
        lost: Vec::new(),
        refusal: c.refusal.as_ref().map(check::refusal_sentence),
        summaries,
        checklist: c.checklist.clone(),
        can_accept: c.may(Action::Accept),
        can_return: c.may(Action::ReturnForCorrection),
        can_refuse: c.may(Action::Refuse),
        return_fields: crate::web::shared::returns::fields(&forms.ret),
        forms,
        reasons: RefusalReason::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label().to_string()))
            .collect(),
        deadline_hint,
        return_action: format!("{}/correction", url(c.app.id)),
        errors,
        open_return,
        open_refuse,
        done: None,
        refused: None,
        c,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "accept" => "已通过形式审查，予以受理，转入专家评审。",
        "correction" => "已一次性告知补正。申报人会在其申报页看到各部分的补正要求和期限，补正后直接重新提交评委会。",
        "refuse" => "已作出不予受理决定，申报人和单位会看到理由和依据。",
        _ => return None,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    q: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let c = load(&state, &me, *id).await?;
    let forms = stored_forms(&c);
    let mut p = page(&me, c, forms, FormErrors::default());
    // Said only after the step this session just took, never because a link says so.
    if !q.done.is_empty() {
        let taken = crate::web::flash_take(&state, &me).await?;
        if taken.as_deref() == Some(format!("done:{}:{}", *id, q.done).as_str()) {
            p.done = done_message(&q.done);
        }
    }
    render_status(StatusCode::OK, &p)
}

/// Which step was sent, to say it was done or to put what was typed back.
#[derive(Clone, Copy)]
enum Step {
    Accept,
    Correction,
    Refuse,
}

impl Step {
    fn code(self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::Correction => "correction",
            Step::Refuse => "refuse",
        }
    }
}

/// A form parsed, then one service call: back to the page saying it was done; otherwise the
/// page again with what was typed, its problems beside their fields, or why it was refused.
async fn act<T: Send + 'static>(
    state: &web::Data<AppState>,
    me: &Me,
    (id, step): (ApplicationId, Step),
    parsed: Result<T, FormErrors>,
    call: impl FnOnce(&mut DbConnection, T) -> Result<(), ActionError> + Send + 'static,
    put_back: impl FnOnce(&mut Forms),
) -> Result<HttpResponse, AppError> {
    let result = match parsed {
        Ok(value) => db(state, move |c| Ok(call(c, value))).await?,
        Err(errors) => Err(ActionError::Invalid(errors)),
    };
    let (errors, refused) = match result {
        Ok(()) => {
            crate::web::flash_put(state, me, format!("done:{id}:{}", step.code())).await?;
            return Ok(see_other(&format!("{}?done={}", url(id), step.code())));
        }
        Err(ActionError::Invalid(errors)) => (errors, None),
        Err(ActionError::Refused(m)) => (FormErrors::default(), Some(m)),
        Err(ActionError::Stale) => (FormErrors::default(), Some(String::new())),
        Err(e) => return Err(e.into()),
    };
    let c = load(state, me, id).await?;
    let mut forms = stored_forms(&c);
    put_back(&mut forms);
    let (state_now, version) = (c.app.state, c.app.version);
    let still = state_now == State::OfficeCheck;
    let refused = refused.map(|m| match (m.is_empty(), still) {
        (false, _) => m,
        (true, true) => crate::web::errors::overtaken(None),
        (true, false) => crate::web::errors::overtaken(Some(state_now)),
    });
    if refused.is_some() && still {
        // Sent again, it is checked against what the page now shows.
        forms.version = version;
        forms.ret.version = version.to_string();
        forms.refuse.version = version.to_string();
    }
    let status = match refused {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let lost = match (&refused, still) {
        (Some(_), false) => lost_text(step, &forms),
        _ => Vec::new(),
    };
    let mut p = page(me, c, forms, errors);
    p.refused = refused;
    p.lost = lost;
    render_status(status, &p)
}

pub async fn accept(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let version = form.version.trim().parse().unwrap_or(-1);
    let call =
        move |c: &mut DbConnection, ()| check::accept(c, &who, &[(id, version)], now).map(drop);
    act(&state, &me, (id, Step::Accept), form.parse(), call, |_| {}).await
}

pub async fn correction(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let form = ReturnForm::from_pairs(&pairs);
    let version = form.version();
    let today = crate::time::local_date(now);
    let st = state.clone();
    let window = crate::web::db_read(&state, move |c| {
        let (calendar, settings) = (st.calendar(c)?, st.settings(c)?);
        Ok(check::window_of(c, &who, id, &calendar, &settings, today)?)
    })
    .await?;
    let call = move |c: &mut DbConnection, (items, deadline): (Vec<check::ReturnItem>, _)| {
        check::request_correction(c, &who, id, version, &items, deadline, now)
    };
    let parsed = form.parse_with("补正期限", |items, d| {
        check::correction_problems(items, d, today, window)
    });
    act(&state, &me, (id, Step::Correction), parsed, call, |f| {
        f.ret = form
    })
    .await
}

pub async fn refuse(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<RefuseForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who, version) = (*id, state.now(), me.actor, form.version());
    let call =
        move |c: &mut DbConnection, r: check::Refusal| check::refuse(c, &who, id, version, &r, now);
    act(&state, &me, (id, Step::Refuse), form.parse(), call, |f| {
        f.refuse = form
    })
    .await
}
