//! Assigning a round's panel (本次评审委员会) to its accepted applications, and conflicts of
//! interest (回避): found from the applicant's data against every panel member when an
//! application is accepted (and again when the office asks), declared by a member or the
//! office, confirmed or dismissed by the office. A standing conflict keeps the member off the
//! case; a recusal ends their access at once. Nothing here is ever shown to the applicant or
//! the employer: audit rows go on the round, whose log only committee readers open.

use super::{audit_actor, facts_for_action, facts_for_reader, ActionError, Actor};
use crate::access;
use crate::application::Snapshot;
use crate::domain::settings::{Setting, Settings};
use crate::domain::{
    ApplicationId, AuditAction, CommitteeId, FieldErrors, PoolEntryId, RoundId, State, Subject,
};
use crate::panel::assign::{self as planner, Case, Expert};
use crate::panel::conflicts::{self as detection, Basis, Kind, Status};
use crate::store::applications::{self, Application};
use crate::store::assignments::{
    self as store_a, Conflict, NewAssignment, NewConflict, ReviewCase,
};
use crate::store::pool::{self, PoolEntry};
use crate::store::rounds::{self, Round};
use crate::store::{self, audit, committees, DbConnection};
use chrono::NaiveDateTime;
use std::collections::{HashMap, HashSet};

/// Reads a round: pages pass the server's cached rounds.
pub type RoundLoader<'a> =
    &'a dyn Fn(&mut DbConnection, RoundId) -> Result<Option<Round>, store::DbError>;

/// The round's panel members, in the order drawn, with their pool records.
pub fn panel_of(c: &mut DbConnection, round: &Round) -> Result<Vec<PoolEntry>, ActionError> {
    Ok(pool::of_panel(c, round.id)?)
}

/// The round's minimum of experts per application and the cap per expert, from stored
/// configuration.
pub fn numbers(c: &mut DbConnection, round: &Round) -> Result<(usize, usize), ActionError> {
    Ok(numbers_of(&super::settings::load(c)?, round))
}

/// The same from settings the caller holds (pages read the server's cached ones).
pub fn numbers_of(s: &Settings, round: &Round) -> (usize, usize) {
    let get = |k| s.count(k, round.committee, Some(round.id)) as usize;
    (
        get(Setting::MinExpertsPerApplication),
        get(Setting::MaxCasesPerExpert),
    )
}

fn snapshot(app: &Application) -> Result<Snapshot, ActionError> {
    let json = app.snapshot.as_deref().ok_or(ActionError::NotFound)?;
    serde_json::from_str(json).map_err(|e| {
        ActionError::Store(store::StoreError::Query(
            diesel::result::Error::DeserializationError(Box::new(e)),
        ))
    })
}

fn specialty(s: &Snapshot) -> String {
    s.sections
        .target
        .as_ref()
        .map(|t| t.specialty.clone())
        .unwrap_or_default()
}

/// Finds every tie between the case and each panel member and records the new ones. A member
/// found tied while assigned is taken off at once: for good when the tie is confirmed, until the
/// office dismisses it when found by name alone. Returns how many were new.
fn detect_case(
    c: &mut DbConnection,
    who: &Actor,
    round: RoundId,
    app: &Application,
    panel: &[PoolEntry],
    now: NaiveDateTime,
) -> Result<(usize, usize), ActionError> {
    let snap = snapshot(app)?;
    let (mut new, mut taken_off) = (0, 0);
    for m in panel {
        let member = detection::Member {
            name: &m.name,
            employer_name: &m.employer_name,
            employer_code: &m.employer_code,
            apprentices: &m.apprentices,
        };
        for f in detection::detect(&member, &snap.applicant_name, &snap.sections) {
            let status = if f.basis.confirmed() {
                Status::Confirmed
            } else {
                Status::Possible
            };
            let (stored, added) = store_a::record(
                c,
                &NewConflict {
                    round,
                    app: app.id,
                    entry: m.id,
                    kind: f.kind.code(),
                    basis: f.basis.code(),
                    key: &f.key,
                    evidence: &f.evidence,
                    status: status.code(),
                    raised_by: None,
                    now,
                },
            )?;
            if added {
                new += 1;
                taken_off += usize::from(recuse_if_assigned(c, who, app.id, m.id, stored.id, now)?);
            }
        }
    }
    Ok((new, taken_off))
}

/// Ends the member's assignment to the case, if active, for the conflict.
fn recuse_if_assigned(
    c: &mut DbConnection,
    who: &Actor,
    app: ApplicationId,
    entry: PoolEntryId,
    conflict: i64,
    now: NaiveDateTime,
) -> Result<bool, ActionError> {
    let ended = store_a::end(c, app, entry, who.id, Some(conflict), now)?;
    if ended {
        store_a::count_change(c, app, None, -1, now)?;
        super::scoring::on_members_changed(c, app, now)?;
    }
    Ok(ended)
}

/// Puts back a member a tie took off the case, once the tie is dismissed and no other stands.
fn restore_if_clear(
    c: &mut DbConnection,
    app: ApplicationId,
    entry: PoolEntryId,
    conflict: i64,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    if !standing_ties(&store_a::conflicts_of_case(c, app)?, entry).is_empty() {
        return Ok(());
    }
    if store_a::restore(c, app, conflict, now)? {
        store_a::count_change(c, app, None, 1, now)?;
        super::scoring::on_members_changed(c, app, now)?;
    }
    Ok(())
}

/// Ends every case a member reviews now: they left the pool (出库). The cases then show below
/// their minimum for the office to assign again.
pub fn on_leaving_pool(
    c: &mut DbConnection,
    who: &Actor,
    entry: PoolEntryId,
    now: NaiveDateTime,
) -> Result<usize, ActionError> {
    let cases = store_a::active_of_entry(c, entry)?;
    for app in &cases {
        if store_a::end(c, ApplicationId(*app), entry, who.id, None, now)? {
            store_a::count_change(c, ApplicationId(*app), None, -1, now)?;
            super::scoring::on_members_changed(c, ApplicationId(*app), now)?;
        }
    }
    Ok(cases.len())
}

/// Opens the review of an application the office accepts and checks it against the round's
/// panel. Runs inside the accept's transition.
pub fn on_accept(
    c: &mut DbConnection,
    who: &Actor,
    app: &Application,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let (Some(round_id), Some(committee)) = (app.round, app.committee) else {
        return Ok(());
    };
    let Some(round) = rounds::find(c, round_id)? else {
        return Ok(());
    };
    let snap = snapshot(app)?;
    let level = snap
        .sections
        .target
        .as_ref()
        .and_then(|t| t.level)
        .map_or("", |l| l.zh());
    store_a::open_case(
        c,
        app.id,
        round_id,
        committee,
        &specialty(&snap),
        level,
        now,
    )?;
    let panel = panel_of(c, &round)?;
    detect_case(c, who, round_id, app, &panel, now)?;
    Ok(())
}

/// The round, its committee's and able to act, for a change by the office.
pub(super) fn round_for_change(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    now: NaiveDateTime,
) -> Result<Round, ActionError> {
    access::may_run_rounds(who, committee)?;
    let round = rounds::find(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)?;
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    com.standing(crate::time::local_date(now))
        .may_act()
        .map_err(|m| ActionError::Refused(m.into()))?;
    store_a::lease_round(c, id)?;
    Ok(round)
}

/// Checks every case of the round against every panel member again (after the pool records
/// changed, or for applications accepted before the check existed). Returns (cases, new ties,
/// assigned members taken off by them).
pub fn detect_round(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    now: NaiveDateTime,
) -> Result<(usize, usize, usize), ActionError> {
    store::write(c, |c| {
        let round = round_for_change(c, who, committee, id, now)?;
        let found = detect_all(c, who, &round, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ConflictsDetect,
            &Subject::Round(id),
            &format!(
                "检测 {} 份申报，新发现 {} 项利益冲突，{} 名已分配的专家因此撤下",
                found.0, found.1, found.2
            ),
        )?;
        Ok(found)
    })
}

fn detect_all(
    c: &mut DbConnection,
    who: &Actor,
    round: &Round,
    now: NaiveDateTime,
) -> Result<(usize, usize, usize), ActionError> {
    let panel = panel_of(c, round)?;
    let cases = store_a::cases_of_round(c, round.id)?;
    let (mut new, mut taken_off) = (0, 0);
    for case in &cases {
        let app_id = ApplicationId(case.application_id);
        let Some(app) = applications::find(c, app_id)? else {
            continue;
        };
        let s = specialty(&snapshot(&app)?);
        if s != case.specialty {
            store_a::set_specialty(c, app_id, &s)?;
        }
        let (n, off) = detect_case(c, who, round.id, &app, &panel, now)?;
        new += n;
        taken_off += off;
    }
    Ok((cases.len(), new, taken_off))
}

/// What the round-wide assignment did.
#[derive(Debug, Clone, Default)]
pub struct AutoReport {
    pub added: usize,
    /// Each application left below the minimum: its reference and why.
    pub uncovered: Vec<(ApplicationId, String, String)>,
}

/// Gives every application of the round its minimum of experts in one action, all-or-nothing:
/// conflicts are checked again first, load balanced under the cap, never a member with a
/// standing conflict or recused from the case, the application's specialty preferred.
pub fn auto_assign(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    now: NaiveDateTime,
) -> Result<AutoReport, ActionError> {
    store::write(c, |c| {
        let round = round_for_change(c, who, committee, id, now)?;
        let panel = panel_of(c, &round)?;
        if panel.is_empty() {
            return Err(ActionError::Refused(
                "本批次还没有抽取本次评审委员会，无法分配评审专家".into(),
            ));
        }
        detect_all(c, who, &round, now)?;
        let (minimum, cap) = numbers(c, &round)?;
        let plan = plan_round(c, &round, &panel, minimum, cap)?;
        let accounts: HashMap<i64, &PoolEntry> = panel.iter().map(|e| (e.id.0, e)).collect();
        for (case, entry) in &plan.added {
            let e = accounts[entry];
            store_a::assign(
                c,
                &NewAssignment {
                    app: ApplicationId(*case),
                    entry: e.id,
                    account: e.account,
                    round: id,
                    by: who.id,
                    now,
                },
            )?;
            store_a::count_change(c, ApplicationId(*case), None, 1, now)?;
            super::scoring::on_members_changed(c, ApplicationId(*case), now)?;
        }
        let mut report = AutoReport {
            added: plan.added.len(),
            uncovered: Vec::new(),
        };
        for u in plan.uncovered {
            let app = ApplicationId(u.case);
            let reference = applications::find_without_frozen(c, app)?
                .and_then(|a| a.reference)
                .unwrap_or_else(|| format!("#{app}"));
            report.uncovered.push((app, reference, u.why));
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ExpertAssign,
            &Subject::Round(id),
            &format!(
                "自动分配：新增 {} 项分配；{} 份申报未达每份 {minimum} 名专家",
                report.added,
                report.uncovered.len()
            ),
        )?;
        Ok(report)
    })
}

fn plan_round(
    c: &mut DbConnection,
    round: &Round,
    panel: &[PoolEntry],
    minimum: usize,
    cap: usize,
) -> Result<planner::Plan, ActionError> {
    let mut cases: HashMap<i64, Case> = store_a::cases_of_round(c, round.id)?
        .into_iter()
        .map(|k| {
            (
                k.application_id,
                Case {
                    id: k.application_id,
                    specialty: k.specialty,
                    assigned: Vec::new(),
                    barred: Vec::new(),
                },
            )
        })
        .collect();
    let mut load: HashMap<i64, usize> = HashMap::new();
    for (app, entry, active, for_conflict) in store_a::of_round(c, round.id)? {
        if active {
            *load.entry(entry).or_default() += 1;
        }
        if let Some(k) = cases.get_mut(&app) {
            if active {
                k.assigned.push(entry);
            } else if for_conflict {
                k.barred.push(entry);
            }
        }
    }
    for (app, entry) in store_a::barred_pairs(c, round.id)? {
        if let Some(k) = cases.get_mut(&app) {
            k.barred.push(entry);
        }
    }
    // A member who left the pool, or whose account is disabled, is given nothing new.
    let experts: Vec<Expert> = panel
        .iter()
        .filter(|e| e.may_review())
        .map(|e| Expert {
            entry: e.id.0,
            specialty: e.specialty.clone(),
            load: load.get(&e.id.0).copied().unwrap_or(0),
        })
        .collect();
    let mut cases: Vec<Case> = cases.into_values().collect();
    cases.sort_by_key(|k| k.id);
    Ok(planner::plan(&cases, &experts, minimum, cap))
}

/// The application under review, for a change by its committee's office: locked, at its
/// review's version, in expert review.
fn case_for_change(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    now: NaiveDateTime,
) -> Result<(Application, ReviewCase, Round), ActionError> {
    let app = applications::find_for_update(c, id)?.ok_or(ActionError::NotFound)?;
    access::may_manage_review(who, &facts_for_action(c, &app, now)?)?;
    let case = store_a::find_case(c, id)?
        .ok_or_else(|| ActionError::Refused("这份申报尚未受理，还不能分配评审专家".into()))?;
    let round = rounds::find(c, RoundId(case.round_id))?.ok_or(ActionError::NotFound)?;
    store_a::lease_round(c, round.id)?;
    if case.version != seen {
        return Err(ActionError::Stale);
    }
    if app.state != State::ExpertReview {
        return Err(ActionError::Refused(format!(
            "这份申报现在是“{}”，只有专家评审阶段可以调整评审专家",
            app.state.label()
        )));
    }
    Ok((app, case, round))
}

fn invalid(field: &str, message: impl Into<String>) -> ActionError {
    let mut e = FieldErrors::default();
    e.add(field, message.into());
    ActionError::Invalid(e)
}

/// A panel member of the round by their pool entry, or the field's error.
fn member_of(panel: &[PoolEntry], entry: &str) -> Result<PoolEntry, ActionError> {
    entry
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|e| panel.iter().find(|m| m.id.0 == e).cloned())
        .ok_or_else(|| invalid("entry", "请从本次评审委员会成员中选择一位专家"))
}

/// The standing conflicts between the member and the case, in words.
fn standing_ties(conflicts: &[Conflict], entry: PoolEntryId) -> Vec<String> {
    conflicts
        .iter()
        .filter(|k| k.entry_id == entry.0)
        .filter(|k| Status::parse(&k.status).is_some_and(Status::blocks))
        .map(|k| {
            let kind = Kind::parse(&k.kind).map_or("利益冲突", Kind::label);
            let status = Status::parse(&k.status).map_or("", Status::label);
            format!("{kind}（{status}）：{}", k.evidence)
        })
        .collect()
}

/// Assigns a panel member to the case by hand. Refused, with the evidence, for a member with a
/// standing conflict (checked again on the spot) or one recused from it, and above the cap.
pub fn assign(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    entry: &str,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    // The member is checked against the case again first, in a transaction of its own: a tie
    // found now stays on record for the office to decide even though the assignment is refused.
    store::write(c, |c| {
        let (app, _, round) = case_for_change(c, who, id, seen, now)?;
        let m = member_of(&panel_of(c, &round)?, entry)?;
        detect_case(c, who, round.id, &app, std::slice::from_ref(&m), now).map(drop)
    })?;
    store::write(c, |c| {
        let (app, _, round) = case_for_change(c, who, id, seen, now)?;
        let m = member_of(&panel_of(c, &round)?, entry)?;
        if !m.may_review() {
            return Err(invalid(
                "entry",
                format!("{} 已出库或账户已停用，不能分配", m.name),
            ));
        }
        let rows = store_a::of_case(c, id)?;
        if rows.iter().any(|a| a.entry_id == m.id.0 && a.active) {
            return Err(invalid(
                "entry",
                format!("{} 已是这份申报的评审专家", m.name),
            ));
        }
        let ties = standing_ties(&store_a::conflicts_of_case(c, id)?, m.id);
        if !ties.is_empty() {
            return Err(invalid(
                "entry",
                format!(
                    "{} 与这份申报存在利益冲突，不能分配：{}。如经核实不构成利益冲突，请先在下方“利益冲突”中排除并说明理由",
                    m.name,
                    ties.join("；")
                ),
            ));
        }
        let (_, cap) = numbers(c, &round)?;
        let load = store_a::loads(c, round.id)?
            .into_iter()
            .find(|(e, _)| *e == m.id.0)
            .map_or(0, |(_, n)| n as usize);
        if load >= cap {
            return Err(invalid(
                "entry",
                format!(
                    "{} 本批次已分配 {load} 份申报，达到每人 {cap} 份的上限",
                    m.name
                ),
            ));
        }
        store_a::assign(
            c,
            &NewAssignment {
                app: id,
                entry: m.id,
                account: m.account,
                round: round.id,
                by: who.id,
                now,
            },
        )?;
        if !store_a::count_change(c, id, Some(seen), 1, now)? {
            return Err(ActionError::Stale);
        }
        super::scoring::on_members_changed(c, id, now)?;
        audit_case(
            c,
            who,
            &round,
            &app,
            AuditAction::ExpertAssign,
            &m.login_name,
            now,
        )?;
        Ok(format!("已分配 {} 评审这份申报", m.name))
    })
}

fn audit_case(
    c: &mut DbConnection,
    who: &Actor,
    round: &Round,
    app: &Application,
    action: AuditAction,
    what: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let reference = app.reference.clone().unwrap_or_default();
    audit::record(
        c,
        now,
        audit_actor(who),
        action,
        &Subject::Round(round.id),
        &format!("申报 {reference}：{what}"),
    )?;
    Ok(())
}

/// Takes a member off the case (not a recusal: no conflict is recorded).
pub fn unassign(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    entry: &str,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    store::write(c, |c| {
        let (app, _, round) = case_for_change(c, who, id, seen, now)?;
        let m = member_of(&panel_of(c, &round)?, entry)?;
        if !store_a::end(c, id, m.id, who.id, None, now)? {
            return Err(invalid(
                "entry",
                format!("{} 不是这份申报的评审专家", m.name),
            ));
        }
        if !store_a::count_change(c, id, Some(seen), -1, now)? {
            return Err(ActionError::Stale);
        }
        super::scoring::on_members_changed(c, id, now)?;
        audit_case(
            c,
            who,
            &round,
            &app,
            AuditAction::ExpertUnassign,
            &m.login_name,
            now,
        )?;
        Ok(format!("已取消 {} 对这份申报的评审", m.name))
    })
}

/// A declared conflict as typed: the kind and the note.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub kind: Kind,
    pub note: String,
}

/// Reads a declaration: one of the declared kinds; a note always for "other", at most 500
/// characters.
pub fn declaration(kind: &str, note: &str) -> Result<Declaration, FieldErrors> {
    let mut e = FieldErrors::default();
    let kind = Kind::parse(kind.trim()).filter(|k| Kind::DECLARED.contains(k));
    if kind.is_none() {
        e.add("kind", "请选择利益冲突的类型");
    }
    let note = e.text(
        "note",
        note,
        "说明",
        crate::domain::text::TextField::paragraph(500).optional(),
    );
    if kind == Some(Kind::Other) && note.trim().is_empty() {
        e.add("note", "选择“其他”时请说明是什么关系");
    }
    match kind {
        Some(kind) if e.is_empty() => Ok(Declaration { kind, note }),
        _ => Err(e),
    }
}

fn declared_evidence(d: &Declaration, by: &str) -> String {
    if d.note.trim().is_empty() {
        format!("{by}申报：{}", d.kind.label())
    } else {
        format!("{by}申报：{}。{}", d.kind.label(), d.note.trim())
    }
}

/// The office records a conflict it learned of: confirmed at once; an assigned member is
/// recused by the office.
pub fn declare_by_office(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen: i32,
    entry: &str,
    d: &Declaration,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    store::write(c, |c| {
        let (app, _, round) = case_for_change(c, who, id, seen, now)?;
        let m = member_of(&panel_of(c, &round)?, entry)?;
        // The review moves on with every declaration: of two clerks declaring at once from one
        // page, the second is told the case changed.
        if !store_a::count_change(c, id, Some(seen), 0, now)? {
            return Err(ActionError::Stale);
        }
        let confirmed = store_a::conflicts_of_case(c, id)?
            .into_iter()
            .any(|k| k.entry_id == m.id.0 && k.status == Status::Confirmed.code());
        if confirmed {
            return Err(invalid(
                "entry",
                format!("{} 与这份申报已有确认的利益冲突记录，无须重复登记", m.name),
            ));
        }
        let (stored, _) = store_a::record(
            c,
            &NewConflict {
                round: round.id,
                app: id,
                entry: m.id,
                kind: d.kind.code(),
                basis: Basis::Declared.code(),
                key: "office",
                evidence: &declared_evidence(d, "评委会办事机构"),
                status: Status::Confirmed.code(),
                raised_by: Some(who.id),
                now,
            },
        )?;
        let recused = recuse_if_assigned(c, who, id, m.id, stored.id, now)?;
        audit_case(
            c,
            who,
            &round,
            &app,
            AuditAction::ConflictDeclare,
            &format!("{} {}", m.login_name, d.kind.label()),
            now,
        )?;
        Ok(if recused {
            format!("已登记利益冲突，{} 已回避这份申报，请另行分配专家", m.name)
        } else {
            format!("已登记利益冲突，{} 不会被分配这份申报", m.name)
        })
    })
}

/// Whether the office may withdraw a conflict: one it declared itself (a wrong member picked,
/// a tie it learned of that proves untrue). A member's own declaration and a match by credit
/// code stand.
pub fn withdrawable(k: &Conflict) -> bool {
    k.status == Status::Confirmed.code()
        && k.basis == Basis::Declared.code()
        && k.match_key == "office"
}

/// The office confirms or dismisses a conflict found by name alone, or withdraws one it
/// declared; dismissing and withdrawing need a reason. Confirming recuses an assigned member;
/// dismissing or withdrawing puts back a member the tie took off, when no other tie stands.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    conflict: &str,
    seen: &str,
    confirm: bool,
    reason: &str,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    let mut e = FieldErrors::default();
    let reason = e.text(
        "reason",
        reason,
        "理由",
        crate::domain::text::TextField::paragraph(500).optional(),
    );
    if !confirm && e.is_empty() && reason.trim().is_empty() {
        e.add("reason", "排除利益冲突须说明核实的情况和理由");
    }
    if !e.is_empty() {
        return Err(ActionError::Invalid(e));
    }
    let reason = reason.trim();
    let (conflict, seen): (i64, i32) = match (conflict.trim().parse(), seen.trim().parse()) {
        (Ok(k), Ok(v)) => (k, v),
        _ => return Err(ActionError::NotFound),
    };
    store::write(c, |c| {
        let app = applications::find_for_update(c, id)?.ok_or(ActionError::NotFound)?;
        access::may_manage_review(who, &facts_for_action(c, &app, now)?)?;
        let k = store_a::find_conflict(c, conflict)?
            .filter(|k| k.application_id == id.0)
            .ok_or(ActionError::NotFound)?;
        store_a::lease_round(c, RoundId(k.round_id))?;
        if app.state != State::ExpertReview {
            return Err(ActionError::Refused(format!(
                "这份申报现在是“{}”，只有专家评审阶段可以核实利益冲突",
                app.state.label()
            )));
        }
        if k.version != seen {
            return Err(ActionError::Stale);
        }
        let withdrawing = !confirm && withdrawable(&k);
        if Status::parse(&k.status) != Some(Status::Possible) && !withdrawing {
            return Err(ActionError::Refused("这项利益冲突已经核实过".into()));
        }
        let status = if confirm {
            Status::Confirmed
        } else {
            Status::Dismissed
        };
        if !store_a::decide(c, k.id, seen, status.code(), who.id, reason, now)? {
            return Err(ActionError::Stale);
        }
        let entry = PoolEntryId(k.entry_id);
        if confirm {
            recuse_if_assigned(c, who, id, entry, k.id, now)?;
        } else {
            restore_if_clear(c, id, entry, k.id, now)?;
        }
        let round = rounds::find(c, RoundId(k.round_id))?.ok_or(ActionError::NotFound)?;
        let name = pool::find(c, entry)?
            .map(|e| e.login_name)
            .unwrap_or_default();
        audit_case(
            c,
            who,
            &round,
            &app,
            AuditAction::ConflictDecide,
            &format!("{name} {}", status.label()),
            now,
        )?;
        Ok(match (confirm, withdrawing) {
            (true, _) => "已确认利益冲突，该专家须回避这份申报".to_string(),
            (false, true) => "已撤销这项登记，理由已记录；该委员可以再分配".to_string(),
            (false, false) => "已排除这项利益冲突，理由已记录".to_string(),
        })
    })
}

/// An expert declares a conflict on a case assigned to them: recused at once (the case is
/// hidden from them from this moment), the declaration kept as who triggered the recusal.
pub fn recuse_self(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    d: &Declaration,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    store::write(c, |c| {
        let app = applications::find_for_update(c, id)?.ok_or(ActionError::NotFound)?;
        let mut f = facts_for_reader(c, who, &app)?;
        f.committee_standing = facts_for_action(c, &app, now)?.committee_standing;
        access::may_declare_conflict(who, &f)?;
        let a = store_a::of_case(c, id)?
            .into_iter()
            .find(|a| a.account_id == who.id.0 && a.active)
            .ok_or(ActionError::NotFound)?;
        let round = rounds::find(c, RoundId(a.round_id))?.ok_or(ActionError::NotFound)?;
        store_a::lease_round(c, round.id)?;
        let (stored, _) = store_a::record(
            c,
            &NewConflict {
                round: round.id,
                app: id,
                entry: PoolEntryId(a.entry_id),
                kind: d.kind.code(),
                basis: Basis::Declared.code(),
                key: "member",
                evidence: &declared_evidence(d, "专家本人"),
                status: Status::Confirmed.code(),
                raised_by: Some(who.id),
                now,
            },
        )?;
        recuse_if_assigned(c, who, id, PoolEntryId(a.entry_id), stored.id, now)?;
        audit_case(
            c,
            who,
            &round,
            &app,
            AuditAction::ExpertRecuse,
            d.kind.label(),
            now,
        )?;
        Ok(())
    })
}

/// A panel member as the office's case page lists them.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub entry: PoolEntry,
    /// Cases in the round they review now.
    pub load: usize,
    pub assigned: bool,
    /// Recused from this case (the conflict that ended it).
    pub recused: bool,
    /// Taken off by a tie found by name, until the office decides it.
    pub suspended: bool,
    /// Standing conflicts with this case, in words.
    pub ties: Vec<String>,
    pub same_specialty: bool,
}

/// A conflict as the office reads it, with the member's name and who decided.
#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub conflict: Conflict,
    pub member: String,
    pub kind: &'static str,
    pub basis: &'static str,
    pub status: Status,
    pub raised_by: String,
    pub decided_by: String,
    /// The office declared it and may withdraw it.
    pub withdrawable: bool,
}

/// What the office's page of one case shows.
pub struct CaseView {
    pub app: Application,
    /// None before the application is accepted.
    pub case: Option<ReviewCase>,
    pub round: Round,
    pub minimum: usize,
    pub cap: usize,
    pub members: Vec<MemberRow>,
    pub conflicts: Vec<ConflictRow>,
    /// Why the office cannot change anything now (another state, the committee's standing).
    pub refusal: Option<String>,
}

impl CaseView {
    /// The review's version the page's forms carry.
    pub fn version(&self) -> i32 {
        self.case.as_ref().map_or(0, |k| k.version)
    }

    pub fn specialty(&self) -> &str {
        self.case.as_ref().map_or("", |k| k.specialty.as_str())
    }
}

pub(super) fn account_names(
    c: &mut DbConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, ActionError> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<crate::domain::AccountId> =
        ids.into_iter().map(crate::domain::AccountId).collect();
    Ok(store::accounts::names(c, &ids)?
        .into_iter()
        .map(|(id, _, name)| (id.0, name))
        .collect())
}

pub fn case_view(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    (settings, round): (&Settings, RoundLoader),
    now: NaiveDateTime,
) -> Result<CaseView, ActionError> {
    let app = applications::find_without_frozen(c, id)?.ok_or(ActionError::NotFound)?;
    let facts = facts_for_action(c, &app, now)?;
    access::may_view_application(who, &facts)?;
    if who.role != crate::domain::Role::Office {
        return Err(ActionError::NotFound);
    }
    let case = store_a::find_case(c, id)?;
    let round = match case.as_ref().map(|k| RoundId(k.round_id)).or(app.round) {
        Some(r) => round(c, r)?,
        None => None,
    }
    .ok_or(ActionError::NotFound)?;
    let (minimum, cap) = numbers_of(settings, &round);
    let specialty = case
        .as_ref()
        .map_or("", |k| k.specialty.as_str())
        .to_string();
    let panel = panel_of(c, &round)?;
    let rows = store_a::of_case(c, id)?;
    let stored = store_a::conflicts_of_case(c, id)?;
    let loads: HashMap<i64, i64> = store_a::loads(c, round.id)?.into_iter().collect();
    let members = panel
        .iter()
        .map(|e| {
            let row = rows.iter().find(|a| a.entry_id == e.id.0);
            MemberRow {
                entry: e.clone(),
                load: loads.get(&e.id.0).copied().unwrap_or(0) as usize,
                assigned: row.is_some_and(|a| a.active),
                recused: row.is_some_and(|a| !a.active && a.conflict_id.is_some()),
                suspended: row.and_then(|a| a.conflict_id).is_some_and(|k| {
                    stored
                        .iter()
                        .any(|x| x.id == k && x.status == Status::Possible.code())
                }),
                ties: standing_ties(&stored, e.id),
                same_specialty: !specialty.is_empty() && e.specialty == specialty,
            }
        })
        .collect();
    let names = account_names(
        c,
        stored
            .iter()
            .flat_map(|k| k.raised_by.into_iter().chain(k.decided_by)),
    )?;
    let conflicts = stored
        .into_iter()
        .map(|k| ConflictRow {
            member: panel.iter().find(|e| e.id.0 == k.entry_id).map_or_else(
                || "（已不在本次评审委员会）".to_string(),
                |e| e.name.clone(),
            ),
            kind: Kind::parse(&k.kind).map_or("", Kind::label),
            basis: Basis::parse(&k.basis).map_or("", Basis::label),
            status: Status::parse(&k.status).unwrap_or(Status::Possible),
            raised_by: k.raised_by.map_or_else(
                || "系统比对".to_string(),
                |a| names.get(&a).cloned().unwrap_or_default(),
            ),
            decided_by: k
                .decided_by
                .and_then(|a| names.get(&a).cloned())
                .unwrap_or_default(),
            withdrawable: withdrawable(&k),
            conflict: k,
        })
        .collect();
    let refusal = access::may_manage_review(who, &facts)
        .err()
        .map(|d| d.why.to_string())
        .or_else(|| {
            case.is_none().then(|| match app.state {
                State::OfficeCheck | State::Correction => {
                    "这份申报尚未受理，形式审查受理后才能分配评审专家".to_string()
                }
                other => format!("这份申报现在是“{}”，没有进入专家评审", other.label()),
            })
        })
        .or_else(|| {
            (app.state != State::ExpertReview).then(|| {
                format!(
                    "这份申报现在是“{}”，只有专家评审阶段可以调整评审专家",
                    app.state.label()
                )
            })
        });
    Ok(CaseView {
        app,
        case,
        round,
        minimum,
        cap,
        members,
        conflicts,
        refusal,
    })
}

/// What the office's assignment page of a round shows.
pub struct RoundView {
    pub round: Round,
    pub minimum: usize,
    pub cap: usize,
    /// Each panel member and their load.
    pub panel: Vec<(PoolEntry, usize)>,
    /// How many cases are below the minimum, counted up to [`COUNT_BOUND`].
    pub below: i64,
    /// A page of the cases below the minimum, each with why.
    pub below_page: Vec<Uncovered>,
    /// Where the next page starts, when there is one.
    pub next: Option<(i32, i64)>,
    /// Conflicts waiting for the office's decision (a first page), with member names.
    pub possible: Vec<(Conflict, String, String)>,
    /// How many conflicts in each status.
    pub counts: Vec<(Status, i64)>,
}

pub const PAGE: i64 = 50;

/// Counts on pages stop here ("1000 份以上"): the number matters, its exact size beyond does
/// not, and counting a whole range on every view would cost more than the page.
pub const COUNT_BOUND: i64 = 1000;

pub fn round_view(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RoundId,
    after: Option<(i32, i64)>,
    (settings, round): (&Settings, RoundLoader),
) -> Result<RoundView, ActionError> {
    access::may_run_rounds(who, committee)?;
    let round = round(c, id)?
        .filter(|r| r.committee == Some(committee))
        .ok_or(ActionError::NotFound)?;
    let (minimum, cap) = numbers_of(settings, &round);
    let panel = panel_of(c, &round)?;
    let loads: HashMap<i64, i64> = store_a::loads(c, id)?.into_iter().collect();
    let min = i32::try_from(minimum).unwrap_or(i32::MAX);
    let below = store_a::count_below(c, id, min, COUNT_BOUND)?;
    let mut rows = store_a::below_minimum(c, id, min, after, PAGE + 1)?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|(a, n)| (*n, *a))
    });
    let below_page = explain_page(c, committee, &panel, &loads, &rows, (minimum, cap))?;
    let waiting = store_a::conflicts_of_round(c, id, Status::Possible.code(), 0, PAGE)?;
    let ids: Vec<ApplicationId> = waiting
        .iter()
        .map(|k| ApplicationId(k.application_id))
        .collect();
    let details = store::committee_list::details(c, committee, &ids)?;
    let possible = waiting
        .into_iter()
        .map(|k| {
            let member = panel
                .iter()
                .find(|e| e.id.0 == k.entry_id)
                .map_or_else(String::new, |e| e.name.clone());
            let case = details
                .iter()
                .find(|d| d.id.0 == k.application_id)
                .map(|d| {
                    format!(
                        "{} {}",
                        d.reference.clone().unwrap_or_default(),
                        d.applicant_name.clone().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            (k, member, case)
        })
        .collect();
    let counts = store_a::conflict_counts(c, id)?
        .into_iter()
        .filter_map(|(s, n)| Some((Status::parse(&s)?, n)))
        .collect();
    Ok(RoundView {
        panel: panel
            .into_iter()
            .map(|e| {
                let n = loads.get(&e.id.0).copied().unwrap_or(0) as usize;
                (e, n)
            })
            .collect(),
        round,
        minimum,
        cap,
        below,
        below_page,
        next: next.flatten(),
        possible,
        counts,
    })
}

/// An open round of the committee with assignment work waiting: cases below the minimum,
/// ties found by name waiting for a decision (each counted up to [`COUNT_BOUND`]).
#[derive(Debug, Clone)]
pub struct Attention {
    pub round: RoundId,
    pub name: String,
    pub below: i64,
    pub possible: i64,
}

/// What the office's overview says is waiting in its committee's opened rounds still scoring
/// on `today` (`rounds`: the server's cached ones). Rounds past their scoring deadline are left
/// out: two queries a round on every view of the overview is what this costs.
pub fn attention(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    (rounds, settings): (&[Round], &Settings),
    today: chrono::NaiveDate,
) -> Result<Vec<Attention>, ActionError> {
    access::may_run_rounds(who, committee)?;
    let mut out = Vec::new();
    let scoring = |r: &&Round| r.scoring_deadline.is_none_or(|d| d >= today);
    for r in rounds
        .iter()
        .filter(|r| r.committee == Some(committee) && r.opened_at.is_some())
        .filter(scoring)
    {
        let (minimum, _) = numbers_of(settings, r);
        let min = i32::try_from(minimum).unwrap_or(i32::MAX);
        let below = store_a::count_below(c, r.id, min, COUNT_BOUND)?;
        let possible = store_a::count_conflicts(c, r.id, Status::Possible.code(), COUNT_BOUND)?;
        if below > 0 || possible > 0 {
            out.push(Attention {
                round: r.id,
                name: r.name.clone(),
                below,
                possible,
            });
        }
    }
    Ok(out)
}

/// A case below the round's minimum, as the office reads it.
#[derive(Debug, Clone)]
pub struct Uncovered {
    pub id: ApplicationId,
    pub reference: String,
    pub name: String,
    pub assigned: i32,
    pub why: String,
}

/// Names each case of a page and says why it is below the minimum: two queries for the page's
/// details and one pair for their conflicts and assignments.
fn explain_page(
    c: &mut DbConnection,
    committee: CommitteeId,
    panel: &[PoolEntry],
    loads: &HashMap<i64, i64>,
    rows: &[(i64, i32)],
    (minimum, cap): (usize, usize),
) -> Result<Vec<Uncovered>, ActionError> {
    let ids: Vec<i64> = rows.iter().map(|(a, _)| *a).collect();
    let app_ids: Vec<ApplicationId> = ids.iter().map(|a| ApplicationId(*a)).collect();
    let details = store::committee_list::details(c, committee, &app_ids)?;
    let (barred, assigned) = store_a::standing_of_cases(c, &ids)?;
    let experts: Vec<Expert> = panel
        .iter()
        .filter(|e| e.may_review())
        .map(|e| Expert {
            entry: e.id.0,
            specialty: e.specialty.clone(),
            load: loads.get(&e.id.0).copied().unwrap_or(0) as usize,
        })
        .collect();
    let load: HashMap<i64, usize> = experts.iter().map(|e| (e.entry, e.load)).collect();
    Ok(rows
        .iter()
        .map(|&(app, n)| {
            let case = Case {
                id: app,
                specialty: String::new(),
                assigned: assigned
                    .iter()
                    .filter(|r| r.0 == app && r.2)
                    .map(|r| r.1)
                    .collect(),
                barred: barred
                    .iter()
                    .filter(|r| r.0 == app)
                    .map(|r| r.1)
                    .chain(assigned.iter().filter(|r| r.0 == app && r.3).map(|r| r.1))
                    .collect(),
            };
            let d = details.iter().find(|d| d.id.0 == app);
            Uncovered {
                id: ApplicationId(app),
                reference: d.and_then(|d| d.reference.clone()).unwrap_or_default(),
                name: d.and_then(|d| d.applicant_name.clone()).unwrap_or_default(),
                assigned: n,
                why: planner::explain(&case, &experts, &load, cap, minimum, n as usize),
            }
        })
        .collect())
}

/// A case on the expert's home, with its round's name and scoring deadline.
pub struct HomeCase {
    pub case: store_a::ExpertCase,
    pub round_name: String,
    /// The case's own deadline: the round's, or its extension when later.
    pub scoring_deadline: Option<chrono::NaiveDate>,
    pub extended: bool,
    /// What is left for the expert to do on it.
    pub to_do: &'static str,
    /// Scoring of the case is over (it went to the meeting or on): no deadline to show.
    pub over: bool,
}

/// The expert's home: their cases after an application, and counts.
pub struct ExpertHome {
    pub cases: Vec<HomeCase>,
    pub next: Option<i64>,
    /// How many they review: `None` when more than a page.
    pub active: Option<i64>,
    pub recused: i64,
}

/// `round` reads a round (pages use the server's cached ones).
pub fn expert_home(
    c: &mut DbConnection,
    who: &Actor,
    after: i64,
    mut round: impl FnMut(&mut DbConnection, RoundId) -> Result<Option<Round>, store::DbError>,
) -> Result<ExpertHome, ActionError> {
    access::may_use_area(who.role, crate::domain::Role::Expert)?;
    let mut cases = store_a::of_expert(c, who.id, after, PAGE + 1)?;
    let more = cases.len() as i64 > PAGE;
    let next = more.then(|| {
        cases.truncate(PAGE as usize);
        cases.last().map(|k| k.application_id)
    });
    // The first page holding them all counts them; beyond it the page says "more than a page"
    // (an expert reviews a few dozen at most; counting a long range on every view would cost
    // more than the page).
    let active = match (more, after) {
        (false, 0) => Some(cases.len() as i64),
        _ => None,
    };
    let recused = store_a::recused_count(c, who.id, COUNT_BOUND)?;
    let mut rounds: HashMap<RoundId, (String, Option<chrono::NaiveDate>)> = HashMap::new();
    let mut out = Vec::with_capacity(cases.len());
    for k in cases {
        let (round_name, scoring_deadline) = match rounds.entry(k.round) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().clone(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let r = round(c, k.round)?;
                v.insert(r.map_or_else(|| (String::new(), None), |r| (r.name, r.scoring_deadline)))
                    .clone()
            }
        };
        // Scoring is open while the case is in expert review; after, nothing is left to do.
        let status = k.review.as_deref();
        let over = State::parse(&k.state) != Some(State::ExpertReview);
        let to_do = match (State::parse(&k.state), status) {
            (Some(State::ExpertReview), Some(crate::store::reviews::SUBMITTED)) => {
                "已提交评分（查看）"
            }
            (Some(State::ExpertReview), Some(crate::store::reviews::RETURNED)) => {
                "已被退回：请修改后重新提交"
            }
            (Some(State::ExpertReview), Some(_)) => "继续评分（草稿已保存，尚未提交）",
            (Some(State::ExpertReview), None) => "开始评分",
            _ => "评分阶段已结束（查看）",
        };
        out.push(HomeCase {
            scoring_deadline: k
                .extended_until
                .filter(|e| scoring_deadline.is_none_or(|d| *e > d))
                .or(scoring_deadline),
            extended: k.extended_until.is_some(),
            case: k,
            round_name,
            to_do,
            over,
        });
    }
    Ok(ExpertHome {
        cases: out,
        next: next.flatten(),
        active,
        recused,
    })
}

/// An assigned case as its expert reads it: the application with its frozen dossier (access
/// reads the assignment: a recused expert is told it does not exist) and its round.
pub fn expert_case(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    round: RoundLoader,
) -> Result<(Application, Option<Round>), ActionError> {
    if who.role != crate::domain::Role::Expert {
        return Err(ActionError::NotFound);
    }
    let app = super::draft::load_app(c, who, id)?;
    let round = match app.round {
        Some(r) => round(c, r)?,
        None => None,
    };
    Ok((app, round))
}
