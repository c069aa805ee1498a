//! A committee's rubric (评审标准), kept as content-addressed versions: the office edits it,
//! each change is a new version, and a round pins the version current when it opens.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{AuditAction, CommitteeId, RubricVersionId, Subject};
use crate::rubric::Rubric;
use crate::store::rubrics::{self, Version};
use crate::store::{self, audit, DbConnection};
use chrono::NaiveDateTime;

/// The committee whose rubric it is, for someone who may see the committee.
pub fn committee(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<crate::store::committees::Committee, ActionError> {
    access::may_view_committee(who, committee)?;
    crate::store::committees::find(c, committee)?.ok_or(ActionError::NotFound)
}

/// The committee and its current rubric, for its office's edit form.
pub fn for_edit(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<(crate::store::committees::Committee, Rubric), ActionError> {
    access::may_run_rounds(who, committee)?;
    let com = crate::store::committees::find(c, committee)?.ok_or(ActionError::NotFound)?;
    Ok((com, current_of(c, committee)?.1))
}

/// A stored version read back as a rubric.
pub fn parse(v: &Version) -> Result<Rubric, ActionError> {
    serde_json::from_str(&v.body).map_err(|e| {
        ActionError::Store(store::StoreError::Query(
            diesel::result::Error::DeserializationError(
                format!("rubric version {}: {e}", v.id).into(),
            ),
        ))
    })
}

/// The committee's current rubric and its stored version (`None`: the default, not yet saved).
pub fn current(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<(Option<Version>, Rubric), ActionError> {
    access::may_view_committee(who, committee)?;
    current_of(c, committee)
}

fn current_of(
    c: &mut DbConnection,
    committee: CommitteeId,
) -> Result<(Option<Version>, Rubric), ActionError> {
    match rubrics::current(c, committee)? {
        Some(id) => {
            let v = rubrics::find(c, id)?.ok_or(ActionError::NotFound)?;
            let r = parse(&v)?;
            Ok((Some(v), r))
        }
        None => Ok((None, Rubric::default_rubric())),
    }
}

/// The hash of the committee's current rubric, which an edit form carries to detect a change
/// made meanwhile.
pub fn current_hash(c: &mut DbConnection, committee: CommitteeId) -> Result<String, ActionError> {
    Ok(current_of(c, committee)?.1.version_hash())
}

/// Saves an edited rubric as the committee's current one: checked whole, refused when someone
/// saved another version since the editor's page was shown (`based_on`, the hash it showed).
/// Returns the version and what the save did: content identical to an earlier version makes
/// that version current again, and unchanged content changes nothing.
pub fn save(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    rubric: &Rubric,
    based_on: &str,
    now: NaiveDateTime,
) -> Result<(RubricVersionId, Saved), ActionError> {
    access::may_run_rounds(who, committee)?;
    rubric.validate().map_err(ActionError::Invalid)?;
    store::write(c, |c| {
        rubrics::lock(c, committee)?;
        if current_hash(c, committee)? != based_on {
            return Err(ActionError::Stale);
        }
        let hash = rubric.version_hash();
        let body = serde_json::to_string(rubric).expect("a rubric always serialises");
        if hash == based_on {
            // A committee with no version yet shows the default; saving it stores it.
            if let Some(current) = rubrics::current(c, committee)? {
                return Ok((current, Saved::Unchanged));
            }
        }
        let (id, new) = rubrics::find_or_insert(c, committee, &hash, &body, Some(who.id), now)?;
        rubrics::set_current(c, committee, id)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::RubricSave,
            &Subject::Committee(committee),
            &format!(
                "评审标准版本 {}{}",
                &hash[..12],
                if new {
                    ""
                } else {
                    "（与此前的版本相同，改用该版本）"
                }
            ),
        )?;
        Ok((id, if new { Saved::New } else { Saved::Earlier }))
    })
}

/// What a rubric save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A new version, now current.
    New,
    /// The content of an earlier version, which is current again.
    Earlier,
    /// The current version's content: nothing changed.
    Unchanged,
}

/// The version a round opening now pins: the committee's current one, the default stored as
/// its first version when it has none. Runs inside the opening's transaction.
pub(super) fn pin(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    now: NaiveDateTime,
) -> Result<(RubricVersionId, String), ActionError> {
    rubrics::lock(c, committee)?;
    if let Some(id) = rubrics::current(c, committee)? {
        let v = rubrics::find(c, id)?.ok_or(ActionError::NotFound)?;
        return Ok((id, v.hash));
    }
    let r = Rubric::default_rubric();
    let hash = r.version_hash();
    let body = serde_json::to_string(&r).expect("a rubric always serialises");
    let (id, _) = rubrics::find_or_insert(c, committee, &hash, &body, Some(who.id), now)?;
    rubrics::set_current(c, committee, id)?;
    Ok((id, hash))
}

/// A committee's versions, newest first, each with the rounds that pinned it.
pub fn versions(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
) -> Result<Vec<(Version, Vec<String>)>, ActionError> {
    access::may_view_committee(who, committee)?;
    let pinned = rubrics::pinned_by(c, committee)?;
    Ok(rubrics::of_committee(c, committee)?
        .into_iter()
        .map(|v| {
            let rounds = pinned
                .iter()
                .filter(|(_, _, id)| *id == v.id)
                .map(|(_, name, _)| name.clone())
                .collect();
            (v, rounds)
        })
        .collect())
}

/// One version of the committee's rubric (another committee's: `NotFound`).
/// The committee's rubric with this content hash — a stored version, or the default one a
/// committee without versions shows — if any.
pub fn version_by_hash(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    hash: &str,
) -> Result<Option<Rubric>, ActionError> {
    access::may_view_committee(who, committee)?;
    if let Some(v) = rubrics::find_by_hash(c, committee, hash)? {
        return Ok(Some(parse(&v)?));
    }
    let default = Rubric::default_rubric();
    Ok((default.version_hash() == hash).then_some(default))
}

pub fn version(
    c: &mut DbConnection,
    who: &Actor,
    committee: CommitteeId,
    id: RubricVersionId,
) -> Result<(Version, Rubric), ActionError> {
    access::may_view_committee(who, committee)?;
    let v = rubrics::find(c, id)?
        .filter(|v| v.committee == committee)
        .ok_or(ActionError::NotFound)?;
    let r = parse(&v)?;
    Ok((v, r))
}
