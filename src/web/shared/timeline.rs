//! An application's timeline: each workflow step with its time, the role that took it (never a
//! person's name: expert names are confidential) and its comment.

use crate::domain::{AuditAction, Subject};
use crate::service::ActionError;
use crate::store::{audit, DbConnection};

pub struct TimelineRow {
    pub at: String,
    pub role: &'static str,
    pub label: &'static str,
    pub detail: String,
}

/// The application's steps as its applicant sees them, oldest first (section saves are not
/// steps, and the employer's handling of objections is the employer's alone).
pub fn rows(
    c: &mut DbConnection,
    id: crate::domain::ApplicationId,
) -> Result<Vec<TimelineRow>, ActionError> {
    Ok(audit::for_subject(c, &Subject::Application(id))?
        .into_iter()
        .filter_map(|r| {
            let label = match r.action {
                AuditAction::Workflow(a) if crate::workflow::shown_to_applicant(a) => {
                    crate::workflow::label_of(r.from, a)
                }
                AuditAction::ApplicationCreate => "创建申报",
                _ => return None,
            };
            Some(TimelineRow {
                at: crate::time::local_minutes(r.at),
                role: r.actor.role.map_or("系统", |x| x.label()),
                label,
                detail: r.detail,
            })
        })
        .collect())
}
