//! One application on the employer's side: verification (单位核实), internal publicity,
//! objections and the decision, each a form on this page that posts one service call. A form
//! refused or out of date comes back with what was typed and the reason.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::Datelike;

use super::forms::{DecisionForm, ObjectionForm, PublicityForm, VerifyForm};
use crate::application::verification::Verification;
use crate::domain::{ApplicationId, AssessmentResult, State};
use crate::service::employer_stage::{self as stage, ForEmployer};
use crate::service::ActionError;
use crate::store::employer_stage::{ObjectionRow, PublicityRow};
use crate::store::DbConnection;
use crate::web::extract::{Employer, Me};
use crate::web::shared::returns::{ReturnField, ReturnForm};
use crate::web::shared::verdict::VerdictView;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn url(id: ApplicationId) -> String {
    format!("/employer/applications/{id}")
}

pub use crate::web::shared::verification::CertificateRow;

/// A certificate's fields in the verification form.
pub struct CertificateField {
    pub id: String,
    pub label: String,
    pub confirmed: String,
    pub note: String,
    pub id_name: String,
    pub confirmed_name: String,
    pub note_name: String,
}

/// A year's fields in the verification form.
pub struct AssessmentField {
    pub year: String,
    pub result: String,
    pub year_name: String,
    pub result_name: String,
}

fn fields(
    form: &VerifyForm,
    certificates: &[CertificateRow],
) -> (Vec<CertificateField>, Vec<AssessmentField>) {
    let certs = form
        .certificates
        .iter()
        .enumerate()
        .map(|(i, c)| CertificateField {
            id: c.id.clone(),
            label: certificates
                .iter()
                .find(|r| r.id == c.id)
                .map(|r| r.label.clone())
                .unwrap_or_else(|| "（申报人已删除的证书）".into()),
            confirmed: c.confirmed.clone(),
            note: c.note.clone(),
            id_name: format!("cert{i}_id"),
            confirmed_name: format!("cert{i}_confirmed"),
            note_name: format!("cert{i}_note"),
        })
        .collect();
    let years = form
        .assessments
        .iter()
        .enumerate()
        .map(|(i, a)| AssessmentField {
            year: a.year.clone(),
            result: a.result.clone(),
            year_name: format!("assess{i}_year"),
            result_name: format!("assess{i}_result"),
        })
        .collect();
    (certs, years)
}

/// The forms of the page, as stored or as typed.
#[derive(Default)]
pub struct Forms {
    pub verify: VerifyForm,
    pub publicity: PublicityForm,
    pub objection: ObjectionForm,
    pub decision: DecisionForm,
    /// The resolution as typed, for the objection it names.
    pub resolve: DecisionForm,
    pub ret: ReturnForm,
}

/// Which form of the page was sent: what a refusal may say about it, and under which ids its
/// errors sit on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    Verify,
    Publicity,
    Objection,
    /// Resolving one objection: each objection has its form, with fields of its own ids.
    Resolve(i64),
    Decision,
    Return,
}

impl Sent {
    /// Whether the page offers this form now (the stage's rules decide; a form not offered is
    /// not on the page, so nothing typed into it can be shown there).
    fn offered(
        self,
        o: &crate::application::employer_stage::Offers,
        open: &[ObjectionRow],
    ) -> bool {
        match self {
            Sent::Verify => o.verify,
            Sent::Publicity => o.publicise,
            Sent::Objection => o.record_objection,
            Sent::Resolve(id) => {
                o.resolve_objection && open.iter().any(|r| r.id == id && r.resolution.is_none())
            }
            Sent::Decision => o.decide || o.not_recommend,
            Sent::Return => o.return_for_revision,
        }
    }

    /// The page's id of the field a service or form names. The resolution forms share their
    /// field names (one form per objection): every problem of one goes beside its reason.
    fn field(self, name: &str) -> String {
        match self {
            Sent::Resolve(id) => resolve_field(id),
            _ => name.to_string(),
        }
    }

    /// Its errors under the page's ids.
    fn errors(self, errors: FormErrors) -> FormErrors {
        let mut out = FormErrors::default();
        for (name, message) in errors.items() {
            out.add(self.field(name), message.clone());
        }
        out
    }
}

impl Forms {
    /// Every form set to be sent at `version` (the page's, once what changed is on it).
    fn set_version(&mut self, version: i32) {
        let v = version.to_string();
        self.verify.version = v.clone();
        self.publicity.version = v.clone();
        self.objection.version = v.clone();
        self.decision.version = v.clone();
        self.resolve.version = v.clone();
        self.ret.version = v;
    }
}

/// An objection on the page, with its resolution form's field (as typed when it was sent).
pub struct ObjectionLine {
    pub row: ObjectionRow,
    /// The id of its reason field.
    pub field: String,
    pub typed: String,
    /// Its fold-out stays open: the resolution sent for it came back with a problem.
    pub open: bool,
}

/// The id of an objection's reason field (its form's only field that takes text).
pub fn resolve_field(objection: i64) -> String {
    format!("reason-{objection}")
}

#[derive(Template)]
#[template(path = "employer/application.html")]
struct ApplicationPage {
    page: Page,
    id: ApplicationId,
    reference: String,
    applicant: String,
    id_masked: String,
    state: State,
    certificate_fields: Vec<CertificateField>,
    assessment_fields: Vec<AssessmentField>,
    results: Vec<(String, String)>,
    verified: Option<Verification>,
    verified_at: String,
    verified_by: String,
    /// The verification as recorded, line by line (certificates and years by name).
    record: Vec<(String, String)>,
    differences: Vec<String>,
    verdict: Option<VerdictView>,
    publicity: Option<PublicityRow>,
    earliest_end: String,
    /// The first day an appointment may bear (the day after the publicity), once known.
    earliest_appointment: Option<chrono::NaiveDate>,
    objections: Vec<ObjectionLine>,
    decision: Option<crate::store::employer_stage::DecisionRow>,
    /// What the stage's rules allow now (the page offers nothing else; the service asks the
    /// same rules when it commits).
    can_verify: bool,
    can_return: bool,
    can_publicise: bool,
    can_object: bool,
    can_resolve: bool,
    can_not_recommend: bool,
    /// After publicity: the decision may be taken now.
    can_decide: bool,
    by_appointment: bool,
    /// Verified, and the employer's record makes the applicant ineligible: the page says so
    /// where publicity would be, and offers return or not recommending.
    ineligible_on_record: bool,
    /// A fold-out holding a form with errors stays open.
    open_verify: bool,
    open_return: bool,
    open_objection: bool,
    /// Returned, not yet resubmitted: (section title, note) and the deadline.
    returned: Option<(Vec<(&'static str, String)>, chrono::NaiveDate)>,
    return_hint: String,
    return_action: String,
    /// Not accepted at the committee's formal check: why.
    refusal: Option<String>,
    /// What is open was asked by the committee's formal check (补正), not by the employer.
    by_committee: bool,
    /// Resubmitted after a return: the sections changed since.
    changed: Vec<&'static str>,
    return_fields: Vec<ReturnField>,
    forms: Forms,
    errors: FormErrors,
    refused: Option<String>,
    /// A step just went through: what the page confirms.
    done: Option<&'static str>,
}

/// The application for its employer, and the server's cached calendar (for the dates the page
/// suggests).
async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<(ForEmployer, stage::Dates), AppError> {
    let (who, today) = (me.actor, crate::time::local_date(state.now()));
    let st = state.clone();
    crate::web::db_read(state, move |c| {
        let catalogue = st.catalogue(c)?;
        let dates = st.stage_dates(c)?;
        Ok((stage::for_employer(c, &who, id, &catalogue, today)?, dates))
    })
    .await
}

/// The page for what was loaded, with the forms as given.
fn page(
    state: &AppState,
    me: &Me,
    (f, calendar): (ForEmployer, stage::Dates),
    forms: Forms,
    errors: FormErrors,
    refused: Option<String>,
) -> ApplicationPage {
    let today = crate::time::local_date(state.now());
    let summary: crate::application::ListSummary = f
        .app
        .summary
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let certificates = crate::web::shared::verification::certificate_rows(&f.sections);
    let earliest_end = calendar
        .earliest_end(today)
        .map(|d| d.to_string())
        .unwrap_or_else(|e| e);
    let offers = crate::application::employer_stage::offers(&f.facts);
    let has = |fields: &[&str]| fields.iter().any(|n| errors.get(n).is_some());
    let open_verify = errors.items().iter().any(|(n, _)| {
        VERIFY_FIELDS.contains(&n.as_str()) || n.starts_with("cert") || n.starts_with("assess")
    });
    let open_return = errors
        .items()
        .iter()
        .any(|(n, _)| crate::web::shared::returns::is_field(n));
    let open_objection = has(&["received_on", "source", "content"]);
    let record = f
        .stage
        .verification
        .as_ref()
        .map(|v| crate::web::shared::verification::record_lines(v, &certificates))
        .unwrap_or_default();
    let (certificate_fields, assessment_fields) = fields(&forms.verify, &certificates);
    let return_fields = crate::web::shared::returns::fields(&forms.ret);
    let by_committee = f.returned.as_ref().is_some_and(|r| r.by_committee);
    let returned = f
        .returned
        .as_ref()
        .map(|r| (crate::web::shared::returns::items(r), r.deadline));
    ApplicationPage {
        page: me.page(),
        id: f.app.id,
        reference: f.app.reference.clone().unwrap_or_default(),
        applicant: summary.name,
        id_masked: summary.id_masked,
        state: f.app.state,
        certificate_fields,
        assessment_fields,
        results: crate::web::forms::choices(AssessmentResult::ALL.map(|r| (r, r))),
        differences: f
            .stage
            .verification
            .as_ref()
            .map(|v| v.differences(&f.sections))
            .unwrap_or_default(),
        verified_at: f
            .stage
            .verified_at
            .map(crate::time::local_minutes)
            .unwrap_or_default(),
        verified: f.stage.verification,
        verified_by: f.verified_by_name.unwrap_or_default(),
        record,
        by_appointment: f.facts.by_appointment,
        ineligible_on_record: f.facts.eligible_on_record == Some(false),
        open_verify,
        open_return,
        open_objection,
        verdict: f.verdict.as_ref().map(VerdictView::new),
        earliest_appointment: f
            .stage
            .publicity
            .as_ref()
            .and_then(|p| p.ends_on.succ_opt()),
        publicity: f.stage.publicity,
        earliest_end,
        objections: f
            .stage
            .objections
            .into_iter()
            .map(|row| {
                let field = resolve_field(row.id);
                let sent = forms.resolve.objection.trim() == row.id.to_string();
                ObjectionLine {
                    open: sent && errors.get(&field).is_some(),
                    typed: if sent {
                        forms.resolve.text.clone()
                    } else {
                        String::new()
                    },
                    field,
                    row,
                }
            })
            .collect(),
        decision: f.stage.decision,
        can_verify: offers.verify,
        can_return: offers.return_for_revision,
        can_publicise: offers.publicise,
        can_object: offers.record_objection,
        can_resolve: offers.resolve_objection,
        can_not_recommend: offers.not_recommend,
        can_decide: offers.decide,
        returned,
        by_committee,
        changed: f.changed,
        return_fields,
        return_action: format!("{}/return", url(f.app.id)),
        refusal: f.refusal.clone(),
        return_hint: format!(
            "默认为 {} 个工作日后；逾期未重新提交的视为放弃",
            calendar.days.revision
        ),
        forms,
        errors,
        refused,
        done: None,
    }
}

/// The verification form's own fields (besides its certificates' and years').
const VERIFY_FIELDS: [&str; 5] = [
    "professional_post",
    "post_note",
    "law_abiding",
    "ethics",
    "opinion",
];

/// The forms filled from what is stored (the verification as saved, or the applicant's
/// declaration of the last three years to start from).
fn stored_forms((f, calendar): &(ForEmployer, stage::Dates), today: chrono::NaiveDate) -> Forms {
    let verify = match &f.stage.verification {
        Some(v) => VerifyForm::from_saved(v, f.app.version),
        None => {
            let years = crate::policy::assessment_years(f.reference_date.unwrap_or(today));
            VerifyForm::from_declaration(&f.sections, years, f.app.version)
        }
    };
    Forms {
        verify,
        publicity: PublicityForm {
            version: f.app.version.to_string(),
            starts_on: today.to_string(),
            ..PublicityForm::default()
        },
        objection: ObjectionForm {
            version: f.app.version.to_string(),
            ..ObjectionForm::default()
        },
        decision: DecisionForm {
            version: f.app.version.to_string(),
            ..DecisionForm::default()
        },
        resolve: DecisionForm {
            version: f.app.version.to_string(),
            ..DecisionForm::default()
        },
        ret: ReturnForm::new(
            f.app.version,
            calendar
                .default_reply_deadline(today)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    }
}

/// `?done=…` after a step went through: the page says it was saved.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
}

impl Sent {
    /// The code of a step done, for `?done=`.
    fn code(self) -> &'static str {
        match self {
            Sent::Verify => "verify",
            Sent::Publicity => "publicity",
            Sent::Objection => "objection",
            Sent::Resolve(_) => "resolve",
            Sent::Decision => "decision",
            Sent::Return => "return",
        }
    }
}

/// What the page says after a step went through (`?done=` names it).
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "verify" => "单位核实已保存。",
        "publicity" => "公示已开始，可打印公示表。",
        "objection" => "异议已登记。",
        "resolve" => "异议处理结果已保存。",
        "decision" => "单位决定已保存。",
        "return" => "已退回申报人修改，申报人会在其申报页看到需修改的内容和答复期限。",
        _ => return None,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    q: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let f = load(&state, &me, *id).await?;
    let forms = stored_forms(&f, crate::time::local_date(state.now()));
    let mut p = page(&state, &me, f, forms, FormErrors::default(), None);
    p.done = done_message(&q.done);
    render_status(StatusCode::OK, &p)
}

/// Why a step was not taken.
enum Refusal {
    /// The service's reason.
    Said(String),
    /// Someone acted first: the application moved on since the page was read.
    Stale,
    /// The form sent is no longer on the page (the application moved on).
    Gone,
}

/// How a service call went: done (back to the page, which says so), or the page again with the
/// reason.
async fn after(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    sent: Sent,
    result: Result<(), ActionError>,
    put_back: impl FnOnce(&mut Forms),
) -> Result<HttpResponse, AppError> {
    let refused = match result {
        Ok(()) => return Ok(see_other(&format!("{}?done={}", url(id), sent.code()))),
        // A rule about what was typed: every problem beside its field, the form kept.
        Err(ActionError::Invalid(errors)) => {
            return again(state, me, id, sent, errors, None, put_back).await
        }
        Err(ActionError::Refused(m)) => Refusal::Said(m),
        Err(ActionError::Stale) => Refusal::Stale,
        Err(e) => return Err(e.into()),
    };
    again(
        state,
        me,
        id,
        sent,
        FormErrors::default(),
        Some(refused),
        put_back,
    )
    .await
}

/// The page again (409/422) with the typed form put back over the stored ones.
async fn again(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    sent: Sent,
    errors: FormErrors,
    refused: Option<Refusal>,
    put_back: impl FnOnce(&mut Forms),
) -> Result<HttpResponse, AppError> {
    let f = load(state, me, id).await?;
    let mut forms = stored_forms(&f, crate::time::local_date(state.now()));
    put_back(&mut forms);
    let offers = crate::application::employer_stage::offers(&f.0.facts);
    // Only a form still on the page can hold what was typed: the refusal says so only then.
    let offered = sent.offered(&offers, &f.0.stage.objections);
    // Problems with a form the page no longer shows could not be shown beside it: the step
    // no longer applies, and the page says that instead.
    let (errors, refused) = match refused {
        None if !offered && !errors.is_empty() => (FormErrors::default(), Some(Refusal::Gone)),
        refused => (errors, refused),
    };
    let refused = refused.map(|r| match (r, offered) {
        (Refusal::Said(m), _) => m,
        (Refusal::Stale, true) => {
            // Sent again, it is checked against what the page now shows.
            forms.set_version(f.0.app.version);
            crate::web::errors::overtaken(None)
        }
        (Refusal::Gone, _) => format!(
            "这份申报现为“{}”，您提交的这项操作已不再适用，本次未保存。下面是最新情况。",
            f.0.app.state.label()
        ),
        (Refusal::Stale, false) => crate::web::errors::overtaken(Some(f.0.app.state)),
    });
    let status = match refused {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let errors = sent.errors(errors);
    render_status(status, &page(state, me, f, forms, errors, refused))
}

/// A form parsed, then one service call: back to the page when it went through; otherwise the
/// page again with the form as typed and the errors, or the refusal.
async fn act<T: Send + 'static>(
    state: &web::Data<AppState>,
    me: &Me,
    (id, sent): (ApplicationId, Sent),
    parsed: Result<T, FormErrors>,
    call: impl FnOnce(&mut DbConnection, T) -> Result<(), ActionError> + Send + 'static,
    put_back: impl FnOnce(&mut Forms),
) -> Result<HttpResponse, AppError> {
    let value = match parsed {
        Ok(value) => value,
        Err(errors) => return again(state, me, id, sent, errors, None, put_back).await,
    };
    let result = db(state, move |c| Ok(call(c, value))).await?;
    after(state, me, id, sent, result, put_back).await
}

pub async fn verify(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let form = VerifyForm::from_pairs(&pairs);
    let (parsed, version) = (
        form.parse(crate::time::local_date(now).year()),
        form.version(),
    );
    let call =
        move |c: &mut DbConnection, v: Verification| stage::verify(c, &who, id, version, &v, now);
    act(&state, &me, (id, Sent::Verify), parsed, call, |f| {
        f.verify = form
    })
    .await
}

pub async fn publicise(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<PublicityForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let st = state.clone();
    let dates = crate::web::db_read(&state, move |c| Ok(st.stage_dates(c)?)).await?;
    let today = crate::time::local_date(now);
    let parsed = form.parse(vec![(id, form.version())], &dates, today);
    let call = move |c: &mut DbConnection, plan: stage::Publicity| {
        stage::start_publicity(c, &who, &plan, now).map(drop)
    };
    act(&state, &me, (id, Sent::Publicity), parsed, call, |f| {
        f.publicity = form
    })
    .await
}

pub async fn record_objection(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<ObjectionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who, version) = (*id, state.now(), me.actor, form.version());
    let call = move |c: &mut DbConnection, o: stage::Objection| {
        stage::record_objection(c, &who, id, version, &o, now)
    };
    let today = crate::time::local_date(now);
    act(
        &state,
        &me,
        (id, Sent::Objection),
        form.parse(today),
        call,
        |f| f.objection = form,
    )
    .await
}

pub async fn resolve_objection(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who, version) = (*id, state.now(), me.actor, form.version());
    let call = move |c: &mut DbConnection, r: stage::Resolution| {
        stage::resolve_objection(c, &who, id, version, &r, now)
    };
    let sent = Sent::Resolve(form.objection.trim().parse().unwrap_or(-1));
    act(&state, &me, (id, sent), form.resolution(), call, |f| {
        f.resolve = form
    })
    .await
}

pub async fn decide(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    use super::forms::Decision;
    let (id, now, who, version) = (*id, state.now(), me.actor, form.version());
    let call = move |c: &mut DbConnection, decision: Decision| match decision {
        Decision::Recommend(o) => stage::recommend(c, &who, id, version, &o, now),
        Decision::NotRecommend(r) => stage::not_recommend(c, &who, id, version, &r, now),
        Decision::Appoint(on, doc) => stage::appoint(c, &who, id, version, on, &doc, now),
    };
    let today = crate::time::local_date(now);
    // An appointment's date is checked against the publicity with everything else at once.
    let end = crate::web::db_read(&state, move |c| Ok(stage::publicity_end(c, &who, id)?)).await?;
    act(
        &state,
        &me,
        (id, Sent::Decision),
        form.decision(today, end),
        call,
        |f| f.decision = form,
    )
    .await
}

pub async fn return_for_revision(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<ApplicationId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let form = ReturnForm::from_pairs(&pairs);
    let version = form.version();
    let call = move |c: &mut DbConnection, (items, deadline): (Vec<stage::ReturnItem>, _)| {
        stage::return_for_revision(c, &who, id, version, &items, deadline, now)
    };
    let today = crate::time::local_date(now);
    act(
        &state,
        &me,
        (id, Sent::Return),
        form.parse(today, today + chrono::Duration::days(stage::MAX_REPLY_DAYS)),
        call,
        |f| f.ret = form,
    )
    .await
}
