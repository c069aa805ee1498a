//! Stored configuration: reading it (pages cache it; decisions read it inside their
//! transaction) and the admin changing it at a scope.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::settings::{check_form, Scope, Setting, Settings};
use crate::domain::{AuditAction, Subject};
use crate::store::{self, audit, DbConnection};
use chrono::NaiveDateTime;

/// Every stored value.
pub fn load(c: &mut DbConnection) -> Result<Settings, store::DbError> {
    let rows = store::settings::all(c)?;
    Ok(Settings::from_rows(
        rows.iter()
            .map(|r| (r.scope, r.key.as_str(), r.value.as_str())),
    ))
}

/// The audit subject of a scope.
fn subject(scope: Scope) -> Subject {
    let (kind, id) = scope.parts();
    Subject::Settings(match scope {
        Scope::Global => kind.to_string(),
        _ => format!("{kind}:{id}"),
    })
}

/// Sets what was typed at a scope: an empty field clears the value there (the wider scope or
/// the default applies). Every problem is reported at once; nothing changes unless all is well.
/// Returns how many values changed.
///
/// `seen` is the scope's [`Settings::fingerprint`] the form was shown with: when another save
/// changed the scope since, this one is refused (`Stale`) instead of silently undoing it.
pub fn set(
    c: &mut DbConnection,
    who: &Actor,
    scope: Scope,
    typed: &[(Setting, String)],
    seen: &str,
    now: NaiveDateTime,
) -> Result<usize, ActionError> {
    match scope {
        Scope::Committee(id) => {
            access::may_view_committee(who, id)?;
            access::may_change_settings(who)?;
        }
        // A round's own values are its office's, as the rest of the round is.
        Scope::Round(id) => {
            let committee = store::rounds::find(c, id)?
                .and_then(|r| r.committee)
                .ok_or(ActionError::NotFound)?;
            access::may_run_rounds(who, committee)?;
        }
        Scope::Global => access::may_change_settings(who)?,
    }
    let values = check_form(scope, typed).map_err(ActionError::Invalid)?;
    store::write(c, |c| {
        match scope {
            Scope::Committee(id) => {
                store::committees::find(c, id)?.ok_or(ActionError::NotFound)?;
            }
            Scope::Round(id) => {
                let round = store::rounds::find(c, id)?.ok_or(ActionError::NotFound)?;
                if round.closed_at.is_some() {
                    return Err(ActionError::Refused("本批次已关闭，配置不能再修改".into()));
                }
                super::rounds::may_change_open(c, &round, now)?;
            }
            Scope::Global => {}
        }
        let before = load(c)?;
        if before.fingerprint(scope) != seen {
            return Err(ActionError::Stale);
        }
        let mut changes = Vec::new();
        for (setting, value) in &values {
            if before.at(scope, *setting) == *value {
                continue;
            }
            let text = value.map(Setting::store_text);
            store::settings::put(c, scope, setting.code(), text.as_deref(), who.id, now)?;
            changes.push(match value {
                Some(v) => format!("{}：{}", setting.label(), v.text()),
                None => format!("{}：恢复默认/上级设置", setting.label()),
            });
        }
        if !changes.is_empty() {
            audit::record(
                c,
                now,
                audit_actor(who),
                AuditAction::SettingsChange,
                &subject(scope),
                &changes.join("；"),
            )?;
        }
        Ok(changes.len())
    })
}
