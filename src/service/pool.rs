//! Expert pools (专家库): the admin and a committee's own office add experts, change their
//! records, remove them with a reason and put them back. An expert who reviews is an `expert`
//! account; one expert may sit in several committees' pools.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::committee::{check_pool_entry, PoolOf, PoolTyped};
use crate::domain::settings::Setting;
use crate::domain::text::TextField;
use crate::domain::{AuditAction, CommitteeId, FieldErrors, LoginName, PoolEntryId, Role, Subject};
use crate::store::pool::{self, PoolEntry};
use crate::store::{self, audit, committees, DbConnection};
use chrono::NaiveDateTime;

fn invalid(field: &str, message: impl Into<String>) -> ActionError {
    let mut e = FieldErrors::default();
    e.add(field, message);
    ActionError::Invalid(e)
}

/// A committee's pool, for someone who may see the committee.
pub fn list(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<Vec<PoolEntry>, ActionError> {
    access::may_view_committee(who, committee)?;
    Ok(pool::of_committee(c, committee)?)
}

/// One entry, for someone who may see its committee (an entry of another committee, or one
/// asked for under another committee's address: `NotFound`).
pub fn find(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: PoolEntryId,
) -> Result<PoolEntry, ActionError> {
    access::may_view_committee(who, committee)?;
    pool::find(c, id)?
        .filter(|e| e.committee == committee)
        .ok_or(ActionError::NotFound)
}

/// Checks an entry against its committee (series, levels) and the configured term.
fn checked(
    c: &mut DbConnection,
    committee: CommitteeId,
    typed: &PoolTyped,
) -> Result<crate::domain::committee::PoolDraft, ActionError> {
    let com = committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    if com.series.is_empty() || com.levels.is_empty() {
        return Err(ActionError::Refused(
            "该评委会尚未设置系列和评审层级（未完成设置），暂不能维护专家库".into(),
        ));
    }
    let max = super::settings::load(c)?.global_count(Setting::ExpertTermMaxYears);
    let of = PoolOf {
        series: &com.series,
        levels: &com.levels,
    };
    check_pool_entry(typed, &of, max).map_err(ActionError::Invalid)
}

/// Adds an expert (an existing, active `expert` account named by its login) to the pool.
pub fn add(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    login: &str,
    typed: &PoolTyped,
    now: NaiveDateTime,
) -> Result<PoolEntryId, ActionError> {
    access::may_manage_pool(who, committee)?;
    store::write(c, |c| {
        let found = match LoginName::parse(login) {
            Ok(name) => store::accounts::find_by_login(c, name.as_str())?,
            Err(_) => None,
        };
        let account = found.clone().filter(|a| a.role == Role::Expert && a.active);
        let problem = match (&account, &found) {
            _ if login.trim().is_empty() => Some("请填写专家的登录名".to_string()),
            (None, Some(a)) if a.role == Role::Expert => Some(format!(
                "评审专家账户“{}”已停用：请先请管理员启用该账户",
                login.trim()
            )),
            (None, _) => Some(format!(
                "没有登录名为“{}”的评审专家账户：评审专家账户由管理员创建",
                login.trim()
            )),
            (Some(a), _) if pool::has_entry(c, committee, a.id)? => Some(format!(
                "{}（{}）已在本评委会专家库中",
                a.display_name, a.login_name
            )),
            (Some(_), _) => None,
        };
        // Every problem at once: the account and the record.
        let record = checked(c, committee, typed);
        match (problem, record) {
            (None, Ok(draft)) => {
                let account = account.expect("checked above");
                let id = pool::insert(c, committee, account.id, &draft, now)?;
                audit::record(
                    c,
                    now,
                    audit_actor(who),
                    AuditAction::PoolAdd,
                    &Subject::PoolEntry(id),
                    &format!(
                        "{}（{}）{} {}，任期 {} 至 {}",
                        account.display_name,
                        account.login_name,
                        draft.title_name,
                        draft.title_level.zh(),
                        draft.term_from,
                        draft.term_until
                    ),
                )?;
                Ok(id)
            }
            (Some(p), Err(ActionError::Invalid(e))) => {
                // The login is the form's first field: its problem comes first in the summary.
                let mut all = FieldErrors::default();
                all.add("login", p);
                all.merge(e);
                Err(ActionError::Invalid(all))
            }
            (Some(p), _) => Err(invalid("login", p)),
            (None, Err(e)) => Err(e),
        }
    })
}

/// Changes an entry's record (the version the page showed is checked).
pub fn update(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: PoolEntryId,
    seen: i32,
    typed: &PoolTyped,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_pool(who, committee)?;
    store::write(c, |c| {
        let entry = find(c, who, committee, id)?;
        let draft = checked(c, committee, typed)?;
        if !pool::update(c, id, seen, &draft, now)? {
            return Err(ActionError::Stale);
        }
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PoolUpdate,
            &Subject::PoolEntry(id),
            &format!(
                "{}：{} {}，任期 {} 至 {}",
                entry.name,
                draft.title_name,
                draft.title_level.zh(),
                draft.term_from,
                draft.term_until
            ),
        )?;
        Ok(())
    })
}

/// Removes an expert from the pool with the reason (`Some`), or puts them back (`None`).
pub fn set_removed(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: PoolEntryId,
    seen: i32,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_pool(who, committee)?;
    let mut errors = FieldErrors::default();
    let reason = reason.map(|r| errors.text("reason", r, "出库原因", TextField::paragraph(500)));
    if !errors.is_empty() {
        return Err(ActionError::Invalid(errors));
    }
    let reason = reason.as_deref();
    store::write(c, |c| {
        let entry = find(c, who, committee, id)?;
        if entry.active == reason.is_none() {
            return Err(ActionError::Refused(
                if entry.active {
                    "该专家在库中"
                } else {
                    "该专家已出库"
                }
                .into(),
            ));
        }
        if !pool::set_removed(c, id, seen, reason, now)? {
            return Err(ActionError::Stale);
        }
        // Leaving the pool ends the cases the expert reviews now: they read nothing more.
        let ended = match reason {
            Some(_) => super::assignment::on_leaving_pool(c, who, id, now)?,
            None => 0,
        };
        let (action, detail) = match reason {
            Some(r) if ended > 0 => (
                AuditAction::PoolRemove,
                format!("{}：{r}（结束其正在评审的 {ended} 份申报）", entry.name),
            ),
            Some(r) => (AuditAction::PoolRemove, format!("{}：{r}", entry.name)),
            None => (AuditAction::PoolRestore, entry.name.clone()),
        };
        audit::record(
            c,
            now,
            audit_actor(who),
            action,
            &Subject::PoolEntry(id),
            &detail,
        )?;
        Ok(())
    })
}
