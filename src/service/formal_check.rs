//! The committee office's formal check (形式审查, §3.2 with the national rules): of completeness
//! and of the committee's occupation scope. The office accepts an application (singly or a
//! ticked batch, all-or-nothing), asks for every correction at once with a deadline (一次性告知
//! 补正: the applicant corrects and resubmits to the committee; past the deadline the sweep
//! withdraws it, 视为放弃), or refuses it (不予受理) with the kind of reason, the clause and its
//! words, which the applicant and the employer are shown. Every step is one
//! [`super::transition`], taken by the office clerk whose name the audit row keeps.

use super::{transition, ActionError, Actor};
use crate::application::{Section, SectionStatus, Sections, Snapshot};
use crate::calendar::WorkCalendar;
use crate::domain::settings::{Setting, Settings};
use crate::domain::text::TextField;
use crate::domain::{Action, ApplicationId, FieldErrors, Role, RoundId, State};
use crate::policy::{Catalogue, Verdict};
use crate::store::applications::Application;
use crate::store::committees::Committee;
use crate::store::returns::{self as rows, AskedBy, RefusalRow};
use crate::store::rounds::Round;
use crate::store::{self, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

pub use super::returns::{Request, ReturnItem};

/// Why the committee does not accept an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// The occupation is not in the committee's declared scope (§3.2).
    OutOfScope,
    /// On the round's reference date, with the employer's confirmed record, the applicant does
    /// not meet the conditions.
    Ineligible,
    Other,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 3] = [
        RefusalReason::OutOfScope,
        RefusalReason::Ineligible,
        RefusalReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RefusalReason::OutOfScope => "out_of_scope",
            RefusalReason::Ineligible => "ineligible",
            RefusalReason::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<RefusalReason> {
        RefusalReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RefusalReason::OutOfScope => "不属于本评委会受理的职业（工种）范围",
            RefusalReason::Ineligible => "在资格计算日期不符合申报条件",
            RefusalReason::Other => "其他原因",
        }
    }
}

/// The clause a scope refusal rests on.
pub const SCOPE_CLAUSE: &str = "沪人社专〔2021〕312号 §3.2";

/// What the office writes when it refuses.
pub const REFUSAL_NOTE: TextField = TextField::paragraph(1000);
/// The clause, as the office cites it.
pub const CLAUSE: TextField = TextField::line(200);

/// A refusal as the office typed it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub reason: RefusalReason,
    pub clause: String,
    pub note: String,
}

/// One point of the formal check with what the records say about it (`None`: for the office
/// to judge from the dossier).
#[derive(Debug, Clone)]
pub struct CheckPoint {
    pub label: &'static str,
    pub met: Option<bool>,
    pub detail: String,
}

/// The dates a correction request may be given: the default (the round's working days after
/// today) and the last day allowed (before the round's scoring deadline, and within
/// [`super::returns::MAX_REPLY_DAYS`]).
#[derive(Debug, Clone, Copy)]
pub struct CorrectionWindow {
    pub default: Option<NaiveDate>,
    pub latest: NaiveDate,
    /// The round's scoring deadline, when it is what bounds the window.
    pub scoring_deadline: Option<NaiveDate>,
}

/// The correction window of an application of `round` on `today`.
pub fn correction_window(
    calendar: &WorkCalendar,
    settings: &Settings,
    round: Option<&Round>,
    today: NaiveDate,
) -> CorrectionWindow {
    let days = settings.count(
        Setting::CorrectionDays,
        round.and_then(|r| r.committee),
        round.map(|r| r.id),
    );
    let mut latest = today + chrono::Duration::days(super::returns::MAX_REPLY_DAYS);
    let scoring = round.and_then(|r| r.scoring_deadline);
    if let Some(s) = scoring.and_then(|s| s.pred_opt()) {
        latest = latest.min(s);
    }
    let default = crate::application::periods::default_deadline(calendar, today, days)
        .ok()
        .map(|d| d.min(latest))
        .filter(|d| *d > today);
    CorrectionWindow {
        default,
        latest,
        scoring_deadline: scoring,
    }
}

/// The correction window of an application the actor may see (a form checks a deadline
/// against it before the request is sent).
pub fn window_of(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    calendar: &WorkCalendar,
    settings: &Settings,
    today: NaiveDate,
) -> Result<CorrectionWindow, ActionError> {
    let app = store::applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    crate::access::may_view_application(who, &super::facts(&app))?;
    let round = match app.round {
        Some(r) => store::rounds::find(c, r)?,
        None => None,
    };
    Ok(correction_window(calendar, settings, round.as_ref(), today))
}

/// Every problem of a correction request (the same rules as an employer's return, the
/// deadline bounded by the round's window).
pub fn correction_problems(
    items: &[ReturnItem],
    deadline: NaiveDate,
    today: NaiveDate,
    window: CorrectionWindow,
) -> FieldErrors {
    let far = today + chrono::Duration::days(super::returns::MAX_REPLY_DAYS);
    let asked = super::returns::problems(items, deadline, today, far.max(deadline));
    // The same rules as a return, said of this field by its name.
    let mut errors = FieldErrors::default();
    for (field, message) in asked.items() {
        errors.add(field.clone(), message.replace("答复期限", "补正期限"));
    }
    if deadline > today && deadline > window.latest {
        let why = match window.scoring_deadline {
            Some(s) if window.latest < far => {
                format!(
                    "补正须在本批次评分截止日期（{s}）之前完成，补正期限不能晚于 {}",
                    window.latest
                )
            }
            _ => format!("补正期限不能晚于 {}", window.latest),
        };
        errors.add("deadline", why);
    }
    errors
}

/// Every problem of a refusal as typed.
pub fn refusal_problems(reason: Option<RefusalReason>, clause: &str, note: &str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if reason.is_none() {
        errors.add("reason", "请选择不予受理的理由类别");
    }
    errors.text("clause", clause, "依据条款", CLAUSE);
    errors.text("note", note, "不予受理的说明", REFUSAL_NOTE);
    errors
}

/// Everything the office's page of an application shows.
pub struct OfficeCase {
    pub app: Application,
    pub snapshot: Snapshot,
    pub committee: Committee,
    pub round: Option<Round>,
    pub employer_name: String,
    pub stage: super::employer_stage::Stage,
    /// The employer's staff who verified and who recommended (谁审核谁签名谁负责).
    pub verified_by: Option<String>,
    pub decided_by: Option<String>,
    /// The verdict frozen at submission (on the applicant's declaration).
    pub frozen: Option<Verdict>,
    /// The verdict recomputed on the round's reference date with the employer's record.
    pub on_record: Option<Verdict>,
    /// The occupation, and whether the committee's scope lists it (`None`: no scope declared).
    pub occupation: String,
    pub in_scope: Option<bool>,
    pub checklist: Vec<CheckPoint>,
    /// The committee's open correction request.
    pub request: Option<Request>,
    /// Resubmitted after a correction request: the sections changed, with what they held
    /// when it was asked.
    pub corrected: Vec<Section>,
    pub before: Option<Sections>,
    /// Resubmitted after a correction request: what it asked for.
    pub asked: Vec<ReturnItem>,
    pub refusal: Option<RefusalRow>,
    pub window: CorrectionWindow,
    /// Why the committee may not act today, if so.
    pub standing_refusal: Option<&'static str>,
}

impl OfficeCase {
    /// Whether the frozen verdict and the one on the employer's record differ.
    pub fn verdicts_differ(&self) -> bool {
        match (&self.frozen, &self.on_record) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        }
    }

    /// What the office may do now.
    pub fn may(&self, action: Action) -> bool {
        self.standing_refusal.is_none()
            && crate::workflow::allows(self.app.state, action, Role::Office)
    }
}

fn stored(e: serde_json::Error) -> ActionError {
    ActionError::Refused(format!("记录无法读取：{e}"))
}

/// The office's page of an application of its committee (anyone else: `NotFound`).
#[allow(clippy::too_many_arguments)]
pub fn case(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    catalogue: &Catalogue,
    calendar: &WorkCalendar,
    settings: &Settings,
    today: NaiveDate,
    round: impl FnOnce(&mut DbConnection, RoundId) -> Result<Option<Round>, store::DbError>,
) -> Result<OfficeCase, ActionError> {
    let app = store::applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    crate::access::may_view_application(who, &super::facts(&app))?;
    if who.role != Role::Office {
        return Err(ActionError::NotFound);
    }
    let (Some(cid), Some(json)) = (app.committee, app.snapshot.as_deref()) else {
        return Err(ActionError::NotFound);
    };
    let snapshot: Snapshot = serde_json::from_str(json).map_err(stored)?;
    let committee = store::committees::find(c, cid)?.ok_or(ActionError::NotFound)?;
    let round = match app.round {
        Some(r) => round(c, r)?,
        None => None,
    };
    let stage = super::employer_stage::read(c, &app)?;
    let employer_name = match app.employer {
        Some(e) => store::accounts::employer(c, e)?.map(|e| e.name),
        None => None,
    }
    .unwrap_or_default();
    let staff: Vec<_> = [
        stage.verified_by,
        stage
            .decision
            .as_ref()
            .map(|d| crate::domain::AccountId(d.decided_by)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let names = store::accounts::names(c, &staff)?;
    let name_of = |id: Option<crate::domain::AccountId>| {
        id.and_then(|id| names.iter().find(|(a, _, _)| *a == id))
            .map(|(_, _, n)| n.clone())
    };
    let verified_by = name_of(stage.verified_by);
    let decided_by = name_of(
        stage
            .decision
            .as_ref()
            .map(|d| crate::domain::AccountId(d.decided_by)),
    );
    let frozen = app
        .verdict
        .as_deref()
        .and_then(|j| serde_json::from_str::<Verdict>(j).ok());
    let reference_date = round
        .as_ref()
        .map(|r| r.reference_date)
        .or(snapshot.reference_date);
    let on_record = match (&stage.verification, reference_date) {
        (Some(v), Some(date)) => v
            .profile(&snapshot.sections, date)
            .map(|p| crate::policy::evaluate(&p, catalogue)),
        _ => None,
    };
    let occupation = snapshot
        .sections
        .employment
        .as_ref()
        .map(|e| e.occupation.trim().to_string())
        .unwrap_or_default();
    let in_scope = store::committees::scope_has(c, cid, &occupation)?;
    let latest = rows::latest_of_committee(c, id, cid)?;
    let request = super::returns::open_of(latest.as_ref())?;
    let (corrected, before, asked) = match latest.as_ref().filter(|r| r.answered_at.is_some()) {
        Some(r) if app.state == State::OfficeCheck => (
            super::returns::changed(r, &snapshot.sections)?,
            Some(super::returns::before(r)?),
            serde_json::from_str(&r.items).map_err(stored)?,
        ),
        _ => (Vec::new(), None, Vec::new()),
    };
    let refusal = match app.state {
        State::NotAccepted => rows::refusal(c, id)?,
        _ => None,
    };
    let window = correction_window(calendar, settings, round.as_ref(), today);
    let checklist = checklist(
        &snapshot,
        &stage,
        in_scope,
        &occupation,
        on_record.as_ref(),
        reference_date,
        today,
    );
    Ok(OfficeCase {
        standing_refusal: committee.standing(today).may_act().err(),
        app,
        snapshot,
        committee,
        round,
        employer_name,
        stage,
        verified_by,
        decided_by,
        frozen,
        on_record,
        occupation,
        in_scope,
        checklist,
        request,
        corrected,
        before,
        asked,
        refusal,
        window,
    })
}

/// What the formal check covers, each point with what the records say.
fn checklist(
    snapshot: &Snapshot,
    stage: &super::employer_stage::Stage,
    in_scope: Option<bool>,
    occupation: &str,
    on_record: Option<&Verdict>,
    reference_date: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<CheckPoint> {
    let incomplete: Vec<&str> = Section::ALL
        .into_iter()
        .filter(|s| snapshot.sections.status(*s) != SectionStatus::Completed)
        .map(|s| s.title())
        .collect();
    let publicity = stage.publicity.as_ref();
    let mut points = vec![
        CheckPoint {
            label: "申报材料齐全（各部分填写完整，证明材料已上传）",
            met: Some(incomplete.is_empty()),
            detail: match incomplete.is_empty() {
                true => "各部分均已完成；请逐项核对证明材料与填写内容是否一致".into(),
                false => format!("未完成：{}", incomplete.join("、")),
            },
        },
        CheckPoint {
            label: "职业（工种）属于本评委会受理范围",
            met: in_scope,
            detail: match in_scope {
                Some(true) => format!("“{occupation}”在本评委会受理范围内"),
                Some(false) => format!("本评委会受理范围不含“{occupation}”"),
                None => "本评委会未声明受理的职业（工种）范围，请按评委会的组建范围判断".into(),
            },
        },
        CheckPoint {
            label: "单位已核实（岗位、技能证书、近三年年度考核、遵纪守法和职业道德）",
            met: Some(stage.verification.is_some()),
            detail: match stage.verification.is_some() {
                true => "单位核实记录见下".into(),
                false => "没有单位核实记录".into(),
            },
        },
        CheckPoint {
            label: "单位内部公示期满，异议均已处理",
            met: Some(publicity.is_some_and(|p| p.ends_on < today) && stage.open_objections() == 0),
            detail: match publicity {
                Some(p) => format!(
                    "公示 {} 至 {}；收到异议 {} 件，未处理 {} 件",
                    p.starts_on,
                    p.ends_on,
                    stage.objections.len(),
                    stage.open_objections()
                ),
                None => "没有公示记录".into(),
            },
        },
        CheckPoint {
            label: "单位推荐意见",
            met: Some(
                stage
                    .decision
                    .as_ref()
                    .is_some_and(|d| d.decision == "recommend"),
            ),
            detail: stage
                .decision
                .as_ref()
                .map(|d| d.opinion.clone())
                .unwrap_or_else(|| "没有单位推荐记录".into()),
        },
    ];
    let date = reference_date
        .map(|d| d.to_string())
        .unwrap_or_else(|| "资格计算日期".into());
    points.push(CheckPoint {
        label: "按单位核实的记录，在资格计算日期符合申报条件",
        met: on_record.map(|v| v.eligible),
        detail: match on_record {
            Some(v) => format!("{date}：{}", v.message),
            None => "没有单位核实的记录，无法按其测算".into(),
        },
    });
    points
}

/// The office's words about a refusal, as the applicant and the employer read them.
pub fn refusal_sentence(r: &RefusalRow) -> String {
    let reason = RefusalReason::parse(&r.reason).map_or("其他原因", |r| r.label());
    let note = r.note.trim().trim_end_matches('。');
    format!("理由：{reason}（依据 {}）。{note}。", r.clause)
}

/// The refusal of an application not accepted, as one sentence (none otherwise).
pub fn refusal_text(
    c: &mut DbConnection,
    app: &Application,
) -> Result<Option<String>, ActionError> {
    if app.state != State::NotAccepted {
        return Ok(None);
    }
    Ok(rows::refusal(c, app.id)?.as_ref().map(refusal_sentence))
}

/// The formal check's decision on record, as one sentence for the dossier's readers: a refusal
/// with its reason and clause, or the correction asked for and its deadline.
pub fn on_record(c: &mut DbConnection, app: &Application) -> Result<Option<String>, ActionError> {
    Ok(match app.state {
        State::NotAccepted => {
            refusal_text(c, app)?.map(|why| format!("评委会形式审查不予受理。{why}"))
        }
        State::Correction => super::returns::open(c, app.id)?.map(|r| {
            let items: Vec<String> = r
                .items
                .iter()
                .map(|i| {
                    let title = Section::parse(&i.section).map_or("其他", |s| s.title());
                    format!("{title}：{}", i.note)
                })
                .collect();
            format!(
                "评委会形式审查要求补正，期限 {}。{}",
                r.deadline,
                items.join("；")
            )
        }),
        _ => None,
    })
}

/// Accepts each (application, version the office saw) of its committee: all of them, or none
/// when any cannot be (the answer names it). Returns how many were accepted.
pub fn accept(
    c: &mut DbConnection,
    who: &Actor,
    picked: &[(ApplicationId, i32)],
    now: NaiveDateTime,
) -> Result<usize, ActionError> {
    if picked.is_empty() {
        return Err(ActionError::Refused("请先勾选要受理的申报".into()));
    }
    store::write(c, |c| {
        for (id, version) in picked {
            // Accepted, the application's review opens and it is checked against the
            // round's panel for conflicts of interest before anyone is assigned.
            let done = transition(c, who, *id, *version, Action::Accept, now, |c, app| {
                super::assignment::on_accept(c, who, app, now)?;
                Ok(((), "形式审查通过，予以受理".to_string()))
            });
            if let Err(e) = done {
                return Err(name_in_batch(c, *id, e, picked.len()));
            }
        }
        Ok(picked.len())
    })
}

/// An error of one application of a batch, naming it (a single one keeps its own error, so
/// that its page answers as for any step).
fn name_in_batch(c: &mut DbConnection, id: ApplicationId, e: ActionError, n: usize) -> ActionError {
    if n == 1 {
        return e;
    }
    let why = match e {
        ActionError::Stale => "刚刚被其他经办人处理过".to_string(),
        ActionError::Refused(m) => m,
        // Another committee's application is named by the number sent, never by its reference.
        ActionError::NotFound => {
            return ActionError::Refused(format!(
                "所勾选的第 {id} 号申报不存在或不属于本评委会，本次勾选的 {n} 份申报均未受理。请核对下列申报后重新勾选"
            ))
        }
        other => return other,
    };
    let reference = store::applications::find(c, id)
        .ok()
        .flatten()
        .and_then(|a| a.reference)
        .unwrap_or_else(|| format!("#{id}"));
    ActionError::Refused(format!(
        "申报 {reference} {why}，本次勾选的 {n} 份申报均未受理。请核对下列申报后重新勾选"
    ))
}

/// Asks the applicant to correct every item at once by `deadline` (一次性告知补正). What the
/// applicant entered stays; the round and the employer stay; resubmitted, it comes back to this
/// committee's formal check.
#[allow(clippy::too_many_arguments)]
pub fn request_correction(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    items: &[ReturnItem],
    deadline: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        transition(
            c,
            who,
            id,
            seen_version,
            Action::ReturnForCorrection,
            now,
            |c, app| {
                let round = match app.round {
                    Some(r) => store::rounds::find(c, r)?,
                    None => None,
                };
                let calendar = super::calendar::load(c)?;
                let settings = super::settings::load(c)?;
                let window = correction_window(&calendar, &settings, round.as_ref(), today);
                let errors = correction_problems(items, deadline, today, window);
                if !errors.is_empty() {
                    return Err(ActionError::Invalid(errors));
                }
                let (Some(employer), Some(committee)) = (app.employer, app.committee) else {
                    return Err(ActionError::NotFound);
                };
                let by = AskedBy {
                    employer,
                    committee: Some(committee),
                    account: who.id,
                };
                super::returns::record(c, id, by, items, deadline, now)?;
                Ok((
                    (),
                    format!(
                        "一次性告知补正 {} 项，请于 {deadline} 前补正后重新提交评委会",
                        items.len()
                    ),
                ))
            },
        )
    })
}

/// Does not accept the application (不予受理), with the kind of reason, the clause and the
/// office's words.
pub fn refuse(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    refusal: &Refusal,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let errors = refusal_problems(Some(refusal.reason), &refusal.clause, &refusal.note);
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    store::write(c, |c| {
        transition(c, who, id, seen_version, Action::Refuse, now, |c, app| {
            let committee = app.committee.ok_or(ActionError::NotFound)?;
            rows::insert_refusal(
                c,
                id,
                committee,
                refusal.reason.code(),
                refusal.clause.trim(),
                refusal.note.trim(),
                who.id,
                now,
            )?;
            Ok((
                (),
                format!(
                    "不予受理：{}（依据 {}）",
                    refusal.reason.label(),
                    refusal.clause.trim()
                ),
            ))
        })
    })
}

/// A correction falling due, as the office's home lists it.
pub struct Due {
    pub id: ApplicationId,
    pub reference: String,
    pub name: String,
    pub deadline: NaiveDate,
}

/// The office's home: its committee's corrections falling due, the soonest first.
pub fn due(c: &mut DbConnection, who: &Actor, limit: i64) -> Result<Vec<Due>, ActionError> {
    let Some(committee) = who.committee else {
        return Ok(Vec::new());
    };
    crate::access::may_list_committee_cases(who, committee)?;
    Ok(rows::due_of_committee(c, committee, limit)?
        .into_iter()
        .map(|(id, reference, name, deadline)| Due {
            id,
            reference: reference.unwrap_or_default(),
            name: name.unwrap_or_default(),
            deadline,
        })
        .collect())
}
