//! THE ONLY WRITERS: one function per use case, each owning its transaction. Every change of an
//! application's state is [`transition`]. Password hashing and checking run outside any
//! transaction and without holding a pooled connection (`accounts`). Read-only checks a handler
//! needs before doing work (`draft::authorize_edit`) live here too, so handlers never ask
//! `access` themselves.

pub mod accounts;
pub mod assignment;
pub mod calendar;
pub mod catalogue;
pub mod committees;
pub mod draft;
pub mod employer_stage;
pub mod employers;
pub mod evidence;
pub mod formal_check;
pub mod panels;
mod parsed;
pub mod passwords;
pub mod pool;
pub mod ranking;
pub mod returns;
pub mod rounds;
pub mod rubrics;
pub mod scoring;
pub mod sessions;
pub mod settings;
pub mod staff;
pub mod submission;
pub mod throttle;
mod transition;

pub use crate::access::Actor;
pub use transition::transition;

use crate::access::{ApplicationFacts, Denied, DeniedKind};
use crate::store::applications::Application;
use crate::store::audit::AuditActor;
use crate::store::{DbError, StoreError};

/// Why a use case did not happen. The web layer maps each to a page: 404, a refusal (403, or the
/// message beside the field), 409 with what the person typed kept, or 500.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// Missing, or not the actor's to see: the same answer for both.
    #[error("not found")]
    NotFound,
    /// Not allowed now, with the reason in zh-CN.
    #[error("{0}")]
    Refused(String),
    /// The application changed since the person's page was shown.
    #[error("changed since the page was shown")]
    Stale,
    /// Refused by a rule about what was typed: every problem, beside its field.
    #[error("invalid: {0:?}")]
    Invalid(crate::domain::FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbError> for ActionError {
    fn from(e: DbError) -> Self {
        ActionError::Store(StoreError::Query(e))
    }
}

impl From<Denied> for ActionError {
    fn from(d: Denied) -> Self {
        match d.kind {
            DeniedKind::Hide => ActionError::NotFound,
            DeniedKind::Refuse => ActionError::Refused(d.why.to_string()),
        }
    }
}

/// The facts about an application that `access` decides on for reading. Whether its committee
/// may act is not read here: it stays "unknown" (refused), and [`transition`] reads it.
pub fn facts(app: &Application) -> ApplicationFacts {
    ApplicationFacts {
        applicant: app.applicant,
        employer: app.employer,
        state: app.state,
        submitted: app.reference.is_some(),
        committee: app.committee,
        committee_standing: Err("评委会状态未知"),
        review: crate::access::Review::None,
    }
}

/// The facts for reading, with an expert's standing on the case read when the reader is an
/// expert (one primary-key range; nobody else pays for it).
pub fn facts_for_reader(
    c: &mut crate::store::DbConnection,
    who: &Actor,
    app: &Application,
) -> Result<ApplicationFacts, ActionError> {
    let mut f = facts(app);
    if who.role == crate::domain::Role::Expert {
        f.review = match crate::store::assignments::standing(c, app.id, who.id)? {
            None => crate::access::Review::None,
            Some(true) => crate::access::Review::Assigned,
            Some(false) => crate::access::Review::Ended,
        };
    }
    Ok(f)
}

/// The facts for acting: with whether the application's committee is registered today.
pub fn facts_for_action(
    c: &mut crate::store::DbConnection,
    app: &Application,
    now: chrono::NaiveDateTime,
) -> Result<ApplicationFacts, ActionError> {
    let mut f = facts(app);
    f.committee_standing = match app.committee {
        None => Ok(()),
        Some(id) => match crate::store::committees::find(c, id)? {
            Some(committee) => committee.standing(crate::time::local_date(now)).may_act(),
            None => Err(crate::domain::committee::NOT_REGISTERED),
        },
    };
    Ok(f)
}

/// The actor as the audit log records it: the system as itself, never an account.
pub fn audit_actor(who: &Actor) -> AuditActor {
    match who.role {
        crate::domain::Role::System => AuditActor::SYSTEM,
        role => AuditActor::account(who.id, role),
    }
}

/// May this role use that role's pages? (The web's role extractors ask this.)
pub fn require_role(
    actor: crate::domain::Role,
    area: crate::domain::Role,
) -> Result<(), ActionError> {
    Ok(crate::access::may_use_area(actor, area)?)
}
