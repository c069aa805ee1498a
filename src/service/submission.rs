//! Submitting a draft: a transition whose step asks the same `blockers()` the check-answers page
//! shows, then freezes the dossier and the verdict under a new reference number.

use super::draft::{load, read_draft};
use super::{ActionError, Actor};
use crate::application::{ListSummary, Snapshot};
use crate::domain::{Action, ApplicationId};
use crate::store::{self, accounts, applications, DbConnection};
use chrono::{Datelike, NaiveDateTime};

/// What the person's check-answers page showed: the application's and the sections' versions.
pub struct Submit {
    pub id: ApplicationId,
    pub seen_version: i32,
    pub seen_fingerprint: i64,
}

/// Submits the draft and returns its reference number (GT-2026-000123).
pub fn submit(
    c: &mut DbConnection,
    who: &Actor,
    cmd: Submit,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        super::transition(
            c,
            who,
            cmd.id,
            cmd.seen_version,
            Action::Submit,
            now,
            |c, app| {
                crate::access::may_edit_application(who, &super::facts(app))?;
                if read_draft(c, app.id)?.fingerprint() != cmd.seen_fingerprint {
                    return Err(ActionError::Stale);
                }
                let loaded = load(c, who, app.id)?;
                if let Some(blocker) = loaded.blockers(today).first() {
                    return Err(ActionError::Refused(blocker.message()));
                }
                let (round, verdict) = match (loaded.round_info(), loaded.verdict(today)) {
                    (Some(r), Some(v)) => (r, v),
                    _ => return Err(ActionError::Refused("申报信息不完整".into())),
                };
                // A resubmission after a return keeps its reference number.
                let reference = match &app.reference {
                    Some(r) => r.clone(),
                    None => {
                        let number = applications::next_reference_number(c, today.year())?;
                        format!("GT-{}-{number:06}", today.year())
                    }
                };
                let person = accounts::person(c, app.applicant)?.ok_or(ActionError::NotFound)?;
                let snapshot = Snapshot::new(
                    &person.name,
                    &person.id_number,
                    &round.name,
                    round.reference_date,
                    loaded.draft.sections.clone(),
                );
                let json = |v: serde_json::Result<String>| {
                    v.map_err(|e| ActionError::Refused(format!("无法保存申报快照：{e}")))
                };
                applications::freeze(
                    c,
                    app.id,
                    &reference,
                    &person.name,
                    &json(serde_json::to_string(&snapshot))?,
                    &json(serde_json::to_string(&verdict))?,
                    &json(serde_json::to_string(&ListSummary::of(&snapshot)))?,
                    now,
                )?;
                let resubmitted = app.reference.is_some();
                // A correction goes back to the committee as it stands: its employer stays.
                if resubmitted && app.state == crate::domain::State::Draft {
                    // The employer named now takes it over from here (a draft's changes of
                    // employer took no effect until this resubmission).
                    let employer = loaded.draft.sections.employment.as_ref().map(|e| {
                        let code = Some(e.employer_code.clone()).filter(|c| !c.is_empty());
                        (code, e.employer_id)
                    });
                    applications::set_links(c, app.id, employer, None, now)?;
                }
                crate::store::returns::close(c, app.id, now)?;
                let detail = match (app.state, resubmitted) {
                    (crate::domain::State::Correction, _) => {
                        format!("补正后重新提交评委会，申报编号 {reference}")
                    }
                    (_, true) => format!("修改后重新提交，申报编号 {reference}"),
                    (_, false) => format!("申报编号 {reference}"),
                };
                Ok((reference, detail))
            },
        )
    })
}

/// The applicant takes a submitted application back while the employer has not acted on it
/// yet; it ends as withdrawn (a new application may start from a copy of it).
pub fn withdraw(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    store::write(c, |c| {
        super::transition(c, who, id, seen_version, Action::Withdraw, now, |c, app| {
            let employer_acted = app.state == crate::domain::State::EmployerReview
                && super::employer_stage::read(c, app)?.verification.is_some();
            if employer_acted {
                return Err(ActionError::Refused(
                    "单位已开始办理（已核实），不能撤回；如需更正，请联系单位退回修改".into(),
                ));
            }
            let detail = match app.state {
                crate::domain::State::Correction => {
                    // Withdrawn, nothing is waiting for a correction any more.
                    crate::store::returns::close(c, app.id, now)?;
                    "申报人在评委会补正期间撤回"
                }
                _ => "申报人在单位审核前撤回",
            };
            Ok(((), detail.to_string()))
        })
    })
}
