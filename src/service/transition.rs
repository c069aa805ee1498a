//! The one code that changes an application's state.

use super::{audit_actor, facts_for_action, ActionError, Actor};
use crate::domain::{Action, ApplicationId, AuditAction, Subject};
use crate::store::applications::{self, Application};
use crate::store::{audit, DbConnection};
use crate::{access, workflow};
use chrono::NaiveDateTime;

/// Load → `access` (with the committee's standing today) → version check → `workflow::next` → the action's own `step` → `UPDATE …
/// WHERE version = ?` → typed audit row. Runs inside the caller's transaction, so a service can
/// apply several transitions all-or-nothing. `step` returns its result and the audit detail.
pub fn transition<T>(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    seen_version: i32,
    action: Action,
    now: NaiveDateTime,
    step: impl FnOnce(&mut DbConnection, &Application) -> Result<(T, String), ActionError>,
) -> Result<T, ActionError> {
    let app = applications::find_for_update(c, id)?.ok_or(ActionError::NotFound)?;
    access::may_act_on_application(who, &facts_for_action(c, &app, now)?)?;
    if app.version != seen_version {
        return Err(ActionError::Stale);
    }
    let t = workflow::next(app.state, action, who.role).map_err(|r| ActionError::Refused(r.0))?;
    let (value, detail) = step(c, &app)?;
    if !applications::set_state(c, id, seen_version, t.to, now)? {
        return Err(ActionError::Stale);
    }
    audit::record_step(
        c,
        now,
        audit_actor(who),
        AuditAction::Workflow(action),
        Some(app.state),
        &Subject::Application(id),
        &detail,
    )?;
    Ok(value)
}
