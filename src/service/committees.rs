//! Committees (评审委员会): the admin sets them up, registers and suspends them and gives them
//! office accounts; the admin, the supervisor and the committee's own office read them.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::committee::{
    check_committee, check_registration, levels_text, CommitteeDraft, CommitteeTyped,
    RegistrationDraft,
};
use crate::domain::settings::Setting;
use crate::domain::text::TextField;
use crate::domain::{AccountId, AuditAction, CommitteeId, FieldErrors, Role, State, Subject};
use crate::store::committees::{self, Committee, Description, OfficeAccount};
use crate::store::{self, audit, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

/// A committee's description, checked against the stored catalogue.
pub fn check(
    c: &mut DbConnection,
    typed: &CommitteeTyped,
) -> Result<Result<CommitteeDraft, FieldErrors>, ActionError> {
    let catalogue = super::catalogue::load(c)?;
    Ok(check_committee(typed, &catalogue))
}

fn description<'a>(d: &'a CommitteeDraft, levels: &'a str) -> Description<'a> {
    Description {
        name: &d.name,
        series: &d.series,
        specialty: &d.specialty,
        levels,
        sponsor: &d.sponsor,
    }
}

fn name_taken() -> ActionError {
    let mut e = FieldErrors::default();
    e.add("name", "已有同名的评委会");
    ActionError::Invalid(e)
}

/// Sets up a committee (unregistered until the admin records its registration).
pub fn create(
    c: &mut DbConnection,
    who: &Actor,
    typed: &CommitteeTyped,
    now: NaiveDateTime,
) -> Result<CommitteeId, ActionError> {
    access::may_manage_committees(who)?;
    store::write(c, |c| {
        let d = check(c, typed)?.map_err(ActionError::Invalid)?;
        if committees::name_taken(c, &d.name, None)? {
            return Err(name_taken());
        }
        let levels = levels_text(&d.levels);
        let id = committees::insert(c, &description(&d, &levels), now)?;
        committees::set_occupations(c, id, &d.occupations)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CommitteeCreate,
            &Subject::Committee(id),
            &format!("{}：{}系列 {}", d.name, d.series, levels),
        )?;
        Ok(id)
    })
}

/// Changes a committee's description and scope (completing a placeholder).
pub fn update(
    c: &mut DbConnection,
    who: &Actor,
    id: CommitteeId,
    seen: i32,
    typed: &CommitteeTyped,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_view_committee(who, id)?;
    access::may_manage_committees(who)?;
    store::write(c, |c| {
        committees::find(c, id)?.ok_or(ActionError::NotFound)?;
        let d = check(c, typed)?.map_err(ActionError::Invalid)?;
        if committees::name_taken(c, &d.name, Some(id))? {
            return Err(name_taken());
        }
        let levels = levels_text(&d.levels);
        if !committees::update(c, id, seen, &description(&d, &levels), now)? {
            return Err(ActionError::Stale);
        }
        committees::set_occupations(c, id, &d.occupations)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CommitteeUpdate,
            &Subject::Committee(id),
            &format!(
                "{}：{}系列 {} {}；受理职业 {} 个",
                d.name,
                d.series,
                d.specialty,
                levels,
                d.occupations.len()
            ),
        )?;
        Ok(())
    })
}

/// A registration as typed (dates that did not parse are `None`).
#[derive(Debug, Clone, Default)]
pub struct RegistrationTyped {
    pub number: String,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// The registration as typed, checked against the stored maximum validity.
pub fn check_registration_typed(
    c: &mut DbConnection,
    t: &RegistrationTyped,
) -> Result<Result<RegistrationDraft, FieldErrors>, ActionError> {
    let settings = super::settings::load(c)?;
    let max = settings.global_count(Setting::RegistrationMaxYears);
    Ok(check_registration(&t.number, t.from, t.until, max))
}

/// Records a registration (核准备案) or its renewal: a number and a validity of at most the
/// configured years (3). A placeholder is completed first.
pub fn register(
    c: &mut DbConnection,
    who: &Actor,
    id: CommitteeId,
    seen: i32,
    typed: &RegistrationTyped,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_view_committee(who, id)?;
    access::may_manage_committees(who)?;
    store::write(c, |c| {
        let committee = committees::find(c, id)?.ok_or(ActionError::NotFound)?;
        let r = check_registration_typed(c, typed)?.map_err(ActionError::Invalid)?;
        if !committee.set_up {
            return Err(ActionError::Refused(
                "请先补全评委会的系列、层级和组建单位（未完成设置），再登记核准备案".into(),
            ));
        }
        if committees::registration_taken(c, &r.number, id)? {
            let mut e = crate::domain::FieldErrors::default();
            e.add(
                "registration_number",
                format!(
                    "核准备案文号“{}”已由另一个评委会登记，请核对备案文件",
                    r.number
                ),
            );
            return Err(ActionError::Invalid(e));
        }
        if !committees::register(c, id, seen, &r.number, r.from, r.until, now)? {
            return Err(ActionError::Stale);
        }
        let renewal = committee.registered_until.is_some();
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::CommitteeRegister,
            &Subject::Committee(id),
            &format!(
                "{}：{}，有效期 {} 至 {}",
                if renewal {
                    "重新核准备案"
                } else {
                    "核准备案"
                },
                r.number,
                r.from,
                r.until
            ),
        )?;
        Ok(())
    })
}

/// Suspends a committee's review work (with the reason) or resumes it (`None`).
pub fn suspend(
    c: &mut DbConnection,
    who: &Actor,
    id: CommitteeId,
    seen: i32,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_view_committee(who, id)?;
    access::may_manage_committees(who)?;
    let mut errors = FieldErrors::default();
    let reason =
        reason.map(|r| errors.text("reason", r, "暂停评审工作的原因", TextField::paragraph(500)));
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    let reason = reason.as_deref();
    let today = crate::time::local_date(now);
    store::write(c, |c| {
        let committee = committees::find(c, id)?.ok_or(ActionError::NotFound)?;
        if committee.suspended_on.is_some() == reason.is_some() {
            return Err(ActionError::Refused(
                if reason.is_some() {
                    "该评委会已暂停评审工作"
                } else {
                    "该评委会未暂停评审工作"
                }
                .into(),
            ));
        }
        if !committees::set_suspended(c, id, seen, reason.map(|r| (today, r)), now)? {
            return Err(ActionError::Stale);
        }
        let (action, detail) = match reason {
            Some(r) => (AuditAction::CommitteeSuspend, format!("原因：{r}")),
            None => (AuditAction::CommitteeResume, String::new()),
        };
        audit::record(
            c,
            now,
            audit_actor(who),
            action,
            &Subject::Committee(id),
            &detail,
        )?;
        Ok(())
    })
}

/// Moves an office account to a committee: from then on it sees that committee's cases only.
pub fn assign_office(
    c: &mut DbConnection,
    who: &Actor,
    id: CommitteeId,
    account: AccountId,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_view_committee(who, id)?;
    access::may_manage_committees(who)?;
    store::write(c, |c| {
        let committee = committees::find(c, id)?.ok_or(ActionError::NotFound)?;
        let target = store::accounts::find(c, account)?;
        let Some(target) = target.filter(|a| a.role == Role::Office) else {
            let mut e = FieldErrors::default();
            e.add("account", "请选择一个评委会办事机构账户");
            return Err(ActionError::Invalid(e));
        };
        if target.committee == Some(id) {
            return Ok(());
        }
        committees::assign_office(c, account, id)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::OfficeAssign,
            &Subject::Account(account),
            &format!(
                "{}（{}）归属 {}",
                target.display_name, target.login_name, committee.name
            ),
        )?;
        Ok(())
    })
}

/// A committee as its page shows it.
pub struct CommitteeView {
    pub committee: Committee,
    pub occupations: Vec<String>,
    pub offices: Vec<OfficeAccount>,
    pub counts: Vec<(State, i64)>,
}

impl CommitteeView {
    /// How many applications the committee holds, in every state.
    pub fn total(&self) -> i64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

/// A committee for someone who may see it (another committee's office: `NotFound`).
pub fn view(
    c: &mut DbConnection,
    who: &Actor,
    id: CommitteeId,
) -> Result<CommitteeView, ActionError> {
    access::may_view_committee(who, id)?;
    let committee = committees::find(c, id)?.ok_or(ActionError::NotFound)?;
    let occupations = committees::occupations(c, id)?;
    let offices = committees::offices_of(c, id)?;
    let counts = committees::state_counts(c, id)?;
    Ok(CommitteeView {
        committee,
        occupations,
        offices,
        counts,
    })
}

/// Every committee (the admin's and the supervisor's lists).
pub fn list(c: &mut DbConnection, who: &Actor) -> Result<Vec<Committee>, ActionError> {
    if !matches!(who.role, Role::Admin | Role::Supervisor) {
        return Err(access::Denied::hide().into());
    }
    Ok(committees::list(c)?)
}

/// A page of a committee's applications (their keys) and its counts per state, for its office
/// or the supervisor.
pub fn applications(
    c: &mut DbConnection,
    who: &Actor,
    filter: &crate::store::committee_list::CommitteeFilter,
    before: Option<crate::domain::ApplicationId>,
    limit: i64,
) -> Result<CasePage, ActionError> {
    access::may_list_committee_cases(who, filter.committee)?;
    let committee = committees::find(c, filter.committee)?.ok_or(ActionError::NotFound)?;
    let keys = crate::store::committee_list::page(c, filter, before, limit)?;
    let counts = committees::state_counts(c, filter.committee)?;
    Ok(CasePage {
        committee,
        keys,
        counts,
    })
}

/// What [`applications`] returns.
pub struct CasePage {
    pub committee: Committee,
    pub keys: Vec<crate::store::applications::ListKey>,
    pub counts: Vec<(State, i64)>,
}

/// What the rows of `ids` (of the committee's list) show, with the names of their employers:
/// for the rows a page does not hold rendered.
pub fn case_rows(
    c: &mut DbConnection,
    who: &Actor,
    committee: crate::domain::CommitteeId,
    ids: &[crate::domain::ApplicationId],
) -> Result<CaseRows, ActionError> {
    access::may_list_committee_cases(who, committee)?;
    if ids.is_empty() {
        return Ok(CaseRows::default());
    }
    let rows = crate::store::committee_list::details(c, committee, ids)?;
    let mut employers: Vec<AccountId> = rows.iter().filter_map(|r| r.employer).collect();
    employers.sort_by_key(|a| a.0);
    employers.dedup();
    let employer_names = store::accounts::names(c, &employers)?
        .into_iter()
        .map(|(id, _, name)| (id, name))
        .collect();
    Ok(CaseRows {
        rows,
        employer_names,
    })
}

/// What [`case_rows`] returns.
#[derive(Default)]
pub struct CaseRows {
    pub rows: Vec<crate::store::committee_list::CommitteeRow>,
    pub employer_names: std::collections::HashMap<AccountId, String>,
}

/// Records a page a supervisor opened (its path and the answer it got), so that supervision
/// is itself on the record.
pub fn record_supervisor_view(
    c: &mut DbConnection,
    supervisor: AccountId,
    path: &str,
    status: u16,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let path: String = path.chars().take(500).collect();
    store::write(c, |c| {
        audit::record(
            c,
            now,
            crate::store::audit::AuditActor::account(supervisor, Role::Supervisor),
            AuditAction::SupervisorView,
            &Subject::Page(path.clone()),
            &format!("HTTP {status}"),
        )?;
        Ok(())
    })
}
