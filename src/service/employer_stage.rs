//! The employer's stage (§2.2.2–§2.2.4 with the national rules): verification (单位核实),
//! internal publicity (单位内部公示, at least 5 working days, alone or as a batch), objections,
//! and the decision: recommend to the committee, not recommend, or appoint 初级 directly. Every
//! step is one [`super::transition`]; the staff member who takes it is the audit row's actor
//! (谁审核谁签名谁负责).

use super::{transition, ActionError, Actor};
use crate::application::employer_stage::{self as rules, StageFacts};
use crate::application::periods;
use crate::application::verification::Verification;
use crate::calendar::WorkCalendar;
use crate::domain::text::TextField;
use crate::domain::{Action, ApplicationId, FieldErrors, State};
use crate::policy::{Catalogue, Verdict};
use crate::store::applications::Application;
use crate::store::employer_stage::{self as stage, ObjectionRow, PublicityRow};
use crate::store::returns::AskedBy;
use crate::store::{self, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

/// The working days a publicity lasts at least and an applicant has by default to revise: the
/// stored settings (the national minimum of 5 and the default of 10 unless an admin set
/// others).
#[derive(Debug, Clone, Copy)]
pub struct StageDays {
    pub publicity: u32,
    pub revision: u32,
}

/// The working-day calendar with the stage's day counts: what a page suggesting dates needs.
#[derive(Clone)]
pub struct Dates {
    pub calendar: std::sync::Arc<WorkCalendar>,
    pub days: StageDays,
}

impl std::ops::Deref for Dates {
    type Target = WorkCalendar;
    fn deref(&self) -> &WorkCalendar {
        &self.calendar
    }
}

impl Dates {
    /// The earliest end of a publicity starting on `starts_on`.
    pub fn earliest_end(&self, starts_on: NaiveDate) -> Result<NaiveDate, String> {
        earliest_end(&self.calendar, self.days, starts_on)
    }

    /// The default reply deadline for a return made `today`.
    pub fn default_reply_deadline(&self, today: NaiveDate) -> Result<NaiveDate, String> {
        default_reply_deadline(&self.calendar, self.days, today)
    }
}

impl StageDays {
    pub fn of(settings: &crate::domain::settings::Settings) -> StageDays {
        use crate::domain::settings::Setting;
        StageDays {
            publicity: settings.global_count(Setting::EmployerPublicityDays),
            revision: settings.global_count(Setting::RevisionDays),
        }
    }
}

pub use super::returns::{ReturnItem, MAX_REPLY_DAYS, RETURN_NOTE};

/// Typed text as every text field takes it ([`crate::domain::text::free_text`]), or the
/// problem beside `field`. The forms check it first; a use case called otherwise checks again.
fn typed(field: &str, value: &str, what: &str, kind: TextField) -> Result<String, ActionError> {
    let mut errors = FieldErrors::default();
    let text = errors.text(field, value, what, kind);
    check(errors).map(|()| text)
}

/// Refuses with every problem when there are any.
fn check(errors: FieldErrors) -> Result<(), ActionError> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(ActionError::Invalid(errors)),
    }
}

/// The facts the stage's rules decide on: the application, its stage with its employer, and the
/// verdict on the employer's record (`catalogue`: the stored one when committing, the page's
/// cached one when previewing).
pub fn facts_of(
    c: &mut DbConnection,
    app: &Application,
    stage: &Stage,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<StageFacts, ActionError> {
    let verdict = match &stage.verification {
        Some(v) => verdict_on_record(c, app, v, catalogue)?,
        None => None,
    };
    Ok(facts_with(app, stage, verdict.as_ref(), today))
}

/// [`facts_of`] with the verdict already computed.
fn facts_with(
    app: &Application,
    stage: &Stage,
    verdict: Option<&Verdict>,
    today: NaiveDate,
) -> StageFacts {
    StageFacts {
        state: app.state,
        verified: stage.verification.is_some(),
        eligible_on_record: verdict.map(|v| v.eligible),
        by_appointment: verdict.is_some_and(|v| v.by_appointment),
        obstacle: stage
            .verification
            .as_ref()
            .is_some_and(|v| !v.obstacles().is_empty()),
        publicity: stage.publicity.as_ref().map(|p| (p.starts_on, p.ends_on)),
        open_objections: stage.open_objections(),
        today,
    }
}

/// What an employer's application page shows of its stage.
#[derive(Debug, Clone, Default)]
pub struct Stage {
    pub verification: Option<Verification>,
    pub verified_by: Option<crate::domain::AccountId>,
    pub verified_at: Option<NaiveDateTime>,
    pub publicity: Option<PublicityRow>,
    pub objections: Vec<ObjectionRow>,
    pub decision: Option<stage::DecisionRow>,
}

impl Stage {
    pub fn open_objections(&self) -> usize {
        self.objections
            .iter()
            .filter(|o| o.resolution.is_none())
            .count()
    }
}

fn stored(e: serde_json::Error) -> ActionError {
    ActionError::Refused(format!("已保存的核实内容无法读取：{e}"))
}

/// An application's employer stage with its current employer, as stored (the caller has checked
/// access). What another employer recorded on it, before the applicant changed employer, is
/// never part of it; without an employer there is no stage.
pub fn read(c: &mut DbConnection, app: &Application) -> Result<Stage, ActionError> {
    let (id, Some(employer)) = (app.id, app.employer) else {
        return Ok(Stage::default());
    };
    let review = stage::review(c, id, employer)?;
    let verification = match &review {
        Some(r) => Some(serde_json::from_str(&r.data).map_err(stored)?),
        None => None,
    };
    Ok(Stage {
        verification,
        verified_by: review
            .as_ref()
            .map(|r| crate::domain::AccountId(r.verified_by)),
        verified_at: review.map(|r| r.verified_at),
        publicity: stage::publicity_of(c, id, employer)?,
        objections: stage::objections_of(c, id, employer)?,
        decision: stage::decision(c, id, employer)?,
    })
}

/// What the employer's page of one application needs, read for an employer of it (anyone else:
/// `NotFound`): the application, its sections, its stage, the calendar, and the verdict on the
/// employer's record once verified.
pub struct ForEmployer {
    pub app: Application,
    pub sections: crate::application::Sections,
    pub stage: Stage,
    pub verdict: Option<Verdict>,
    /// Returned by this employer and not yet resubmitted, or at the committee's formal check
    /// asked to correct it: the items and the deadline.
    pub returned: Option<super::returns::Request>,
    /// Resubmitted after the employer's return: the sections changed since.
    pub changed: Vec<&'static str>,
    /// Not accepted at the committee's formal check: why, as one sentence.
    pub refusal: Option<String>,
    /// What the stage's rules decide on (the page offers what they allow).
    pub facts: StageFacts,
    /// The staff member who recorded the verification.
    pub verified_by_name: Option<String>,
    /// The round's reference date, on which eligibility is decided (the years of assessment
    /// the verification asks for follow from it).
    pub reference_date: Option<NaiveDate>,
}

pub fn for_employer(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<ForEmployer, ActionError> {
    // The page shows the live sections and the verdict on the employer's record, never the
    // frozen dossier.
    let app =
        crate::store::applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
    crate::access::may_view_application(who, &super::facts(&app))?;
    if who.role != crate::domain::Role::Employer {
        return Err(ActionError::NotFound);
    }
    let stage = read(c, &app)?;
    let verdict = match &stage.verification {
        Some(v) => verdict_on_record(c, &app, v, catalogue)?,
        None => None,
    };
    // The employer's latest return, read once: open (its items), or answered (what changed
    // since).
    let latest = match app.employer {
        Some(employer) => crate::store::returns::latest_of_employer(c, id, employer)?,
        None => None,
    };
    let sections = super::draft::read_draft(c, id)?.sections;
    let reference_date = match app.round {
        Some(round) => crate::store::rounds::reference_date(c, round)?,
        None => None,
    };
    let verified_by_name = match stage.verified_by {
        Some(by) => crate::store::accounts::names(c, &[by])?
            .into_iter()
            .next()
            .map(|(_, _, name)| name),
        None => None,
    };
    Ok(ForEmployer {
        facts: facts_with(&app, &stage, verdict.as_ref(), today),
        refusal: super::formal_check::refusal_text(c, &app)?,
        returned: match app.state {
            State::Correction => super::returns::open(c, id)?,
            _ => super::returns::open_of(latest.as_ref())?,
        },
        changed: super::returns::changed_since_answered(latest.as_ref(), &sections)?
            .into_iter()
            .map(|s| s.title())
            .collect(),
        sections,
        app,
        stage,
        verdict,
        verified_by_name,
        reference_date,
    })
}

/// What the applicant sees of the employer's stage: the publicity period and the decision
/// (never the objections, nor who at the employer acted).
#[derive(Debug, Clone, Default)]
pub struct ForApplicant {
    pub publicity: Option<(NaiveDate, NaiveDate)>,
    pub decision: Option<stage::DecisionRow>,
    /// The employer has verified it: the applicant can no longer withdraw it.
    pub employer_acted: bool,
    /// While the employer decides: why the employer's record makes the application ineligible
    /// (the engine's message and clauses), so the applicant is not left guessing.
    pub ineligible_on_record: Option<String>,
    /// While the employer decides, once it verified: the verdict on its record, which is what
    /// counts now (the one frozen at submission was on the applicant's declaration).
    pub verdict_on_record: Option<Verdict>,
    /// A 初级 title the employer appoints (聘任) rather than recommends (推荐) to a committee.
    pub by_appointment: bool,
    /// Not accepted at the committee's formal check: the reason, the clause and the office's
    /// words, as one sentence.
    pub refusal: Option<String>,
}

pub fn for_applicant(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    catalogue: &Catalogue,
) -> Result<ForApplicant, ActionError> {
    let app = crate::store::applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    crate::access::may_view_application(who, &super::facts(&app))?;
    for_viewed(c, &app, catalogue)
}

/// [`for_applicant`] for an application already read and shown to be the viewer's.
pub fn for_viewed(
    c: &mut DbConnection,
    app: &Application,
    catalogue: &Catalogue,
) -> Result<ForApplicant, ActionError> {
    // Never submitted: the employer has not seen it, so it has no stage to read.
    if app.reference.is_none() {
        return Ok(ForApplicant::default());
    }
    let stage = read(c, app)?;
    let verification = match app.state {
        State::EmployerReview | State::EmployerPublicity => stage.verification,
        _ => None,
    };
    let on_record = match &verification {
        Some(v) => verdict_on_record(c, app, v, catalogue)?,
        None => None,
    };
    let frozen = app
        .verdict
        .as_deref()
        .and_then(|j| serde_json::from_str::<Verdict>(j).ok());
    let by_appointment = on_record
        .as_ref()
        .or(frozen.as_ref())
        .is_some_and(|v| v.by_appointment);
    Ok(ForApplicant {
        publicity: stage.publicity.map(|p| (p.starts_on, p.ends_on)),
        decision: stage.decision,
        employer_acted: verification.is_some(),
        ineligible_on_record: on_record
            .as_ref()
            .filter(|v| !v.eligible)
            .map(|v| ineligible(v).to_string()),
        verdict_on_record: on_record,
        by_appointment,
        refusal: super::formal_check::refusal_text(c, app)?,
    })
}

/// One application as the printable publicity notice (公示表) lists it, kept with the notice
/// when it starts: a printed notice never changes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NoticeRow {
    pub reference: String,
    pub name_masked: String,
    pub post: String,
    pub skill_level: String,
    pub target: String,
    pub route: String,
}

impl NoticeRow {
    /// The row of an application as it stands (read when its publicity starts).
    fn of(c: &mut DbConnection, app: &Application) -> Result<NoticeRow, ActionError> {
        let sections = super::draft::read_draft(c, app.id)?.sections;
        let summary: crate::application::ListSummary = app
            .summary
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        let target = sections.target.clone().unwrap_or_default();
        Ok(NoticeRow {
            reference: app.reference.clone().unwrap_or_default(),
            name_masked: crate::domain::text::mask_name(&summary.name),
            post: summary.post,
            skill_level: sections
                .certificates
                .iter()
                .flat_map(|c| &c.items)
                .map(|c| c.level)
                .max()
                .map(|l| l.zh().to_string())
                .unwrap_or_default(),
            target: format!(
                "{}系列{}",
                target.series,
                target.level.map(|l| l.zh()).unwrap_or_default()
            ),
            route: target
                .route
                .map(|r| r.label())
                .unwrap_or_default()
                .to_string(),
        })
    }
}

/// A publicity notice of the actor's employer, with its applications as listed when it started
/// (anyone else: `NotFound`).
pub fn notice(
    c: &mut DbConnection,
    who: &Actor,
    id: i64,
) -> Result<(PublicityRow, Vec<NoticeRow>), ActionError> {
    let (publicity, items) = stage::publicity(c, id)?.ok_or(ActionError::NotFound)?;
    if who.role != crate::domain::Role::Employer || publicity.employer_id != who.org.0 {
        return Err(ActionError::NotFound);
    }
    let mut rows = Vec::with_capacity(items.len());
    for (app_id, entry) in items {
        let row = match entry.as_deref().map(serde_json::from_str::<NoticeRow>) {
            Some(Ok(row)) => row,
            // A notice from before entries were kept: what the application shows now, while
            // it is still this employer's; only its reference once it is not.
            _ => {
                let app =
                    crate::store::applications::find(c, app_id)?.ok_or(ActionError::NotFound)?;
                if app.employer == Some(who.org) {
                    NoticeRow::of(c, &app)?
                } else {
                    NoticeRow {
                        reference: app.reference.unwrap_or_default(),
                        ..NoticeRow::default()
                    }
                }
            }
        };
        rows.push(row);
    }
    Ok((publicity, rows))
}

/// The verdict on the employer's record: the applicant's sections with the employer's
/// assessments and confirmed certificates, on the round's reference date.
pub fn verdict_on_record(
    c: &mut DbConnection,
    app: &Application,
    verification: &Verification,
    catalogue: &Catalogue,
) -> Result<Option<Verdict>, ActionError> {
    let Some(round) = app.round else {
        return Ok(None);
    };
    let round = crate::store::rounds::find(c, round)?.ok_or(ActionError::NotFound)?;
    let sections = super::draft::read_draft(c, app.id)?.sections;
    Ok(verification
        .profile(&sections, round.reference_date)
        .map(|p| crate::policy::evaluate(&p, catalogue)))
}

/// Saves the employer's verification (while the application waits for the employer).
pub fn verify(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    verification: &Verification,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let opinion = typed(
        "opinion",
        &verification.opinion,
        "单位核实意见",
        TextField::paragraph(1000),
    )?;
    let json = serde_json::to_string(verification).map_err(stored)?;
    store::write(c, |c| {
        transition(c, who, id, seen_version, Action::Verify, now, |c, app| {
            // Kept with the record, so the list can offer a batch publicity by the same rule
            // as the page (the stored catalogue, as at every commit).
            let catalogue = super::catalogue::load(c)?;
            let eligible = verdict_on_record(c, app, verification, &catalogue)?.map(|v| v.eligible);
            stage::put_review(c, id, who.org, &json, eligible, who.id, now)?;
            Ok(((), format!("单位核实意见：{opinion}")))
        })
    })
}

/// A publicity notice to start: the applications (each with the version its row showed), the
/// period (both days included) and where to object.
#[derive(Debug, Clone)]
pub struct Publicity {
    pub items: Vec<(ApplicationId, i32)>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub contact: String,
}

/// The earliest end of a publicity starting on `starts_on`, or why it cannot be known.
pub fn earliest_end(
    calendar: &WorkCalendar,
    days: StageDays,
    starts_on: NaiveDate,
) -> Result<NaiveDate, String> {
    periods::earliest_end(calendar, starts_on, days.publicity)
}

/// Every problem of a publicity's period and contact, beside their fields (the form previews
/// it on the page's calendar; the service commits on the stored one).
pub fn publicity_problems(
    calendar: &WorkCalendar,
    days: StageDays,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    contact: &str,
    today: NaiveDate,
) -> FieldErrors {
    // In the form's order: the period, then the contact.
    let mut errors =
        periods::publicity_problems(calendar, starts_on, ends_on, today, days.publicity);
    errors.text(
        "contact",
        contact,
        "受理异议的部门和联系方式",
        TextField::line(200),
    );
    errors
}

/// Starts one notice for every application listed, all or none: one stale or unverified
/// application changes none of them. Returns the notice's id. The notice lists them in the
/// order of their ids.
pub fn start_publicity(
    c: &mut DbConnection,
    who: &Actor,
    plan: &Publicity,
    now: NaiveDateTime,
) -> Result<i64, ActionError> {
    let contact = plan.contact.trim();
    if plan.items.is_empty() {
        return Err(ActionError::Refused("请至少选择一份申报".into()));
    }
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        let calendar = super::calendar::load(c)?;
        let days = StageDays::of(&super::settings::load(c)?);
        check(publicity_problems(
            &calendar,
            days,
            plan.starts_on,
            plan.ends_on,
            contact,
            today,
        ))?;
        let catalogue = super::catalogue::load(c)?;
        let id = stage::insert_publicity(
            c,
            who.org,
            plan.starts_on,
            plan.ends_on,
            contact,
            who.id,
            now,
        )?;
        // Applications are taken (their rows locked for the transition) in ascending id order,
        // whatever order the form listed them in: two batches over the same applications then
        // lock them in one order on PostgreSQL, so one waits for the other and finds them
        // changed, instead of each holding what the other needs (a deadlock ends one of them
        // with an error). The counters' trigger keeps its own key order for the same reason.
        let mut items = plan.items.clone();
        items.sort_unstable();
        items.dedup();
        for (app, version) in &items {
            transition(
                c,
                who,
                *app,
                *version,
                Action::StartPublicity,
                now,
                |c, a| {
                    let stage = read(c, a)?;
                    let facts = facts_of(c, a, &stage, &catalogue, today)?;
                    if let Err(why) = rules::may_publicise(&facts) {
                        let reference = a.reference.clone().unwrap_or_default();
                        return Err(ActionError::Refused(format!("{reference}：{why}")));
                    }
                    let entry = serde_json::to_string(&NoticeRow::of(c, a)?).map_err(stored)?;
                    stage::add_to_publicity(c, id, a.id, &entry, (plan.starts_on, plan.ends_on))?;
                    Ok(((), format!("公示期 {} 至 {}", plan.starts_on, plan.ends_on)))
                },
            )?;
        }
        Ok(id)
    })
}

/// An objection received during publicity.
#[derive(Debug, Clone)]
pub struct Objection {
    pub received_on: NaiveDate,
    pub source: String,
    pub content: String,
}

pub fn record_objection(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    objection: &Objection,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let today = crate::time::local_date(now);
    let mut typed = FieldErrors::default();
    let content = typed.text(
        "content",
        &objection.content,
        "异议内容",
        TextField::paragraph(2000),
    );
    let source = typed.text(
        "source",
        &objection.source,
        "异议来源",
        TextField::line(100).optional(),
    );
    store::write(c, |c| {
        transition(
            c,
            who,
            id,
            seen_version,
            Action::RecordObjection,
            now,
            |c, app| {
                let starts = read(c, app)?.publicity.map(|p| p.starts_on);
                if !periods::objection_may_be_recorded(today, starts) {
                    return Err(ActionError::Refused(
                        "公示尚未开始：公示开始后收到的意见才作为公示异议登记".into(),
                    ));
                }
                let mut errors = periods::objection_problems(objection.received_on, today, starts);
                errors.merge(typed.clone());
                check(errors)?;
                stage::insert_objection(
                    c,
                    id,
                    who.org,
                    objection.received_on,
                    &source,
                    &content,
                    who.id,
                    now,
                )?;
                Ok(((), format!("{} 收到异议", objection.received_on)))
            },
        )
    })
}

/// How an objection is resolved.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub objection: i64,
    /// Upheld: the application is not recommended; dismissed: it stays in publicity.
    pub upheld: bool,
    pub reason: String,
}

/// Resolves an objection: dismissed (recorded with the reason; the application stays in
/// publicity) or upheld (the application is not recommended, with the reason).
pub fn resolve_objection(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    resolution: &Resolution,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let (objection, upheld) = (resolution.objection, resolution.upheld);
    let reason = &typed(
        "text",
        &resolution.reason,
        "处理理由",
        TextField::paragraph(1000),
    )?;
    let (action, resolution) = match upheld {
        true => (Action::ObjectionUpheld, "upheld"),
        false => (Action::ResolveObjection, "dismissed"),
    };
    store::write(c, |c| {
        transition(c, who, id, seen_version, action, now, |c, _| {
            if !stage::resolve_objection(
                c, id, who.org, objection, resolution, reason, who.id, now,
            )? {
                return Err(ActionError::Refused("该异议已经处理过".into()));
            }
            if upheld {
                stage::put_decision(c, id, who.org, "not_recommend", reason, None, who.id, now)?;
                return Ok(((), format!("公示异议成立，不予推荐：{reason}")));
            }
            Ok(((), format!("异议不成立：{reason}")))
        })
    })
}

/// What must hold before the employer recommends or appoints (the rules' [`rules::may_decide`],
/// on the stored catalogue): returns the verdict on the employer's record.
fn ready_to_decide(
    c: &mut DbConnection,
    app: &Application,
    today: NaiveDate,
) -> Result<Verdict, ActionError> {
    let stage = read(c, app)?;
    // The decision reads the catalogue as stored now, not a page's cached copy.
    let catalogue = super::catalogue::load(c)?;
    let verdict = match &stage.verification {
        Some(v) => verdict_on_record(c, app, v, &catalogue)?,
        None => None,
    };
    let facts = facts_with(app, &stage, verdict.as_ref(), today);
    match (rules::may_decide(&facts), verdict) {
        (Ok(()), Some(verdict)) => Ok(verdict),
        // The rules say why in general; the record says exactly what.
        (Err(rules::Blocked::Obstacle), _) => {
            let obstacle = stage
                .verification
                .as_ref()
                .and_then(|v| v.obstacles().first().copied())
                .unwrap_or_default();
            Err(ActionError::Refused(format!("不能推荐：{obstacle}")))
        }
        (Err(rules::Blocked::Ineligible), Some(verdict)) => Err(ineligible(&verdict)),
        (Err(blocked), _) => Err(ActionError::Refused(blocked.message())),
        (Ok(()), None) => Err(ActionError::Refused(rules::Blocked::Incomplete.message())),
    }
}

/// The engine's refusal with its clauses, in words.
fn ineligible(verdict: &Verdict) -> ActionError {
    let mut clauses: Vec<&str> = verdict
        .unmet
        .iter()
        .chain(verdict.routes.iter().flat_map(|r| &r.unmet))
        .map(|u| u.clause.as_str())
        .collect();
    clauses.dedup();
    ActionError::Refused(format!(
        "按单位核实的记录，{}（依据 {}）",
        verdict.message.trim_end_matches('。'),
        clauses.join("、")
    ))
}

/// Recommends the application to the committee, with the recommendation opinion.
pub fn recommend(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    opinion: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let opinion = &typed("text", opinion, "推荐意见", TextField::paragraph(1000))?;
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        transition(
            c,
            who,
            id,
            seen_version,
            Action::Recommend,
            now,
            |c, app| {
                let verdict = ready_to_decide(c, app, today)?;
                if verdict.by_appointment {
                    return Err(ActionError::Refused(
                        "初级职称由单位按规定直接聘任（§2.2.3），不报送评委会：请选择“单位聘任”"
                            .into(),
                    ));
                }
                // The application goes to its round's committee, and from now on that
                // committee's office (and only it) sees it.
                let committee = match app.round {
                    Some(round) => crate::store::rounds::find(c, round)?.and_then(|r| r.committee),
                    None => None,
                };
                let Some(committee) = committee else {
                    return Err(ActionError::Refused(
                        "该申报的评审批次尚未指定评委会，暂不能推荐，请联系管理员".into(),
                    ));
                };
                crate::store::applications::set_committee(c, id, committee)?;
                stage::put_decision(c, id, who.org, "recommend", opinion, None, who.id, now)?;
                Ok(((), format!("推荐意见：{opinion}")))
            },
        )
    })
}

/// Does not recommend the application, with the reason the applicant is shown.
pub fn not_recommend(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let reason = &typed("text", reason, "不予推荐的理由", TextField::paragraph(1000))?;
    store::write(c, |c| {
        transition(
            c,
            who,
            id,
            seen_version,
            Action::NotRecommend,
            now,
            |c, _| {
                stage::put_decision(c, id, who.org, "not_recommend", reason, None, who.id, now)?;
                Ok(((), format!("不予推荐：{reason}")))
            },
        )
    })
}

/// Appoints 初级 directly after publicity (单位聘任): only when the verdict on the employer's
/// record is 初级 by appointment.
pub fn appoint(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    appointed_on: NaiveDate,
    document_number: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let mut typed = FieldErrors::default();
    let document = typed.text(
        "document_number",
        document_number,
        "聘任文件文号",
        TextField::line(50),
    );
    let document = document.as_str();
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        transition(c, who, id, seen_version, Action::Appoint, now, |c, app| {
            let publicity_end = stage::publicity_of(c, id, who.org)?.map(|p| p.ends_on);
            let mut errors = periods::appointment_problems(appointed_on, publicity_end, today);
            errors.merge(typed.clone());
            check(errors)?;
            let verdict = ready_to_decide(c, app, today)?;
            if !verdict.by_appointment {
                return Err(ActionError::Refused(format!(
                    "单位只能直接聘任初级职称（§2.2.3、§2.2.4），本申报为{}，应推荐报送评委会",
                    verdict.target_level.zh()
                )));
            }
            stage::put_decision(
                c,
                id,
                who.org,
                "appoint",
                "",
                Some((appointed_on, document)),
                who.id,
                now,
            )?;
            Ok(((), format!("聘任日期 {appointed_on}，文号 {document}")))
        })
    })
}

/// The default reply deadline for a return made `today`: the configured working days after it
/// (10 by default).
pub fn default_reply_deadline(
    calendar: &WorkCalendar,
    days: StageDays,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    periods::default_deadline(calendar, today, days.revision)
}

/// Every problem of an employer's return: no item, or a deadline not after today or more than
/// [`MAX_REPLY_DAYS`] ahead.
pub fn return_problems(items: &[ReturnItem], deadline: NaiveDate, today: NaiveDate) -> FieldErrors {
    let latest = today + chrono::Duration::days(MAX_REPLY_DAYS);
    super::returns::problems(items, deadline, today, latest)
}

/// Returns the application to the applicant with every item to fix at once and a reply
/// deadline. Everything entered stays; the reference number stays; what the sections held is
/// kept so the employer later sees what changed.
pub fn return_for_revision(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    items: &[ReturnItem],
    deadline: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let today = crate::time::local_date(now);
    check(return_problems(items, deadline, today))?;
    store::write(c, |c| {
        transition(c, who, id, seen_version, Action::Return, now, |c, _| {
            let by = AskedBy {
                employer: who.org,
                committee: None,
                account: who.id,
            };
            super::returns::record(c, id, by, items, deadline, now)?;
            Ok((
                (),
                format!(
                    "一次性告知 {} 项需修改的内容，请于 {deadline} 前修改后重新提交",
                    items.len()
                ),
            ))
        })
    })
}

/// The last day of the employer's current publicity of the application, if it has one (for
/// anyone else: none), so that a form can check an appointment's date with its other fields.
pub fn publicity_end(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
) -> Result<Option<NaiveDate>, ActionError> {
    if who.role != crate::domain::Role::Employer {
        return Ok(None);
    }
    Ok(stage::publicity_of(c, id, who.org)?.map(|p| p.ends_on))
}

/// The printable record of a 初级 appointment (聘任记录), for the applicant and for the employer
/// that appointed them (anyone else, or an application not appointed: `NotFound`).
pub struct AppointmentRecord {
    pub id: ApplicationId,
    pub reference: String,
    pub name: String,
    pub id_masked: String,
    pub employer: String,
    pub title: String,
    pub appointed_on: Option<NaiveDate>,
    pub document_number: String,
    pub publicity: Option<(NaiveDate, NaiveDate)>,
}

pub fn appointment_record(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
) -> Result<AppointmentRecord, ActionError> {
    let app = crate::store::applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    crate::access::may_view_application(who, &super::facts(&app))?;
    if app.state != State::Appointed {
        return Err(ActionError::NotFound);
    }
    let stage = read(c, &app)?;
    let decision = stage.decision.ok_or(ActionError::NotFound)?;
    let employer = match app.employer {
        Some(e) => crate::store::accounts::employer(c, e)?.map(|e| e.name),
        None => None,
    };
    let summary: crate::application::ListSummary = app
        .summary
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let series = super::draft::read_draft(c, id)?
        .sections
        .target
        .map(|t| t.series)
        .unwrap_or_default();
    Ok(AppointmentRecord {
        id,
        reference: app.reference.clone().unwrap_or_default(),
        name: summary.name,
        id_masked: summary.id_masked,
        employer: employer.unwrap_or_default(),
        title: format!("{series}系列初级"),
        appointed_on: decision.appointed_on,
        document_number: decision.document_number.unwrap_or_default(),
        publicity: stage.publicity.map(|p| (p.starts_on, p.ends_on)),
    })
}
