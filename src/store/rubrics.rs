//! Rubric versions (评审标准的版本): inserted and read, never updated. A committee's current
//! version is a pointer on the committee; a round pins one when it opens.

use super::schema::{committees, rounds, rubric_versions};
use super::DbConnection;
use crate::domain::{AccountId, CommitteeId, RoundId, RubricVersionId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rubric_versions)]
struct Row {
    id: i64,
    committee_id: i64,
    hash: String,
    body: String,
    created_at: NaiveDateTime,
    created_by: Option<i64>,
}

/// One stored version: the rubric's JSON and its content hash.
#[derive(Debug, Clone)]
pub struct Version {
    pub id: RubricVersionId,
    pub committee: CommitteeId,
    pub hash: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<AccountId>,
}

impl From<Row> for Version {
    fn from(r: Row) -> Version {
        Version {
            id: RubricVersionId(r.id),
            committee: CommitteeId(r.committee_id),
            hash: r.hash,
            body: r.body,
            created_at: r.created_at,
            created_by: r.created_by.map(AccountId),
        }
    }
}

/// The committee's version with this content, stored now if it is new. Same content, same
/// version: saving a rubric unchanged makes nothing new.
pub fn find_or_insert(
    conn: &mut DbConnection,
    committee: CommitteeId,
    hash: &str,
    body: &str,
    by: Option<AccountId>,
    now: NaiveDateTime,
) -> QueryResult<(RubricVersionId, bool)> {
    let existing = || {
        rubric_versions::table
            .filter(rubric_versions::committee_id.eq(committee.0))
            .filter(rubric_versions::hash.eq(hash))
            .select(rubric_versions::id)
    };
    if let Some(id) = super::first_row!(conn, existing())? {
        return Ok((RubricVersionId(id), false));
    }
    diesel::insert_into(rubric_versions::table)
        .values((
            rubric_versions::committee_id.eq(committee.0),
            rubric_versions::hash.eq(hash),
            rubric_versions::body.eq(body),
            rubric_versions::created_at.eq(now),
            rubric_versions::created_by.eq(by.map(|a| a.0)),
        ))
        .execute(conn)?;
    Ok((RubricVersionId(existing().first(conn)?), true))
}

/// The committee's version with this content hash, if stored.
pub fn find_by_hash(
    conn: &mut DbConnection,
    committee: CommitteeId,
    hash: &str,
) -> QueryResult<Option<Version>> {
    let id: Option<i64> = super::first_row!(
        conn,
        rubric_versions::table
            .filter(rubric_versions::committee_id.eq(committee.0))
            .filter(rubric_versions::hash.eq(hash))
            .select(rubric_versions::id)
    )?;
    match id {
        Some(id) => find(conn, RubricVersionId(id)),
        None => Ok(None),
    }
}

pub fn find(conn: &mut DbConnection, id: RubricVersionId) -> QueryResult<Option<Version>> {
    let row: Option<Row> = super::first_row!(
        conn,
        rubric_versions::table.find(id.0).select(Row::as_select())
    )?;
    Ok(row.map(Version::from))
}

/// A committee's versions, newest first.
pub fn of_committee(conn: &mut DbConnection, committee: CommitteeId) -> QueryResult<Vec<Version>> {
    Ok(rubric_versions::table
        .filter(rubric_versions::committee_id.eq(committee.0))
        .order(rubric_versions::id.desc())
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Version::from)
        .collect())
}

/// The committee's current version, if it has saved one.
pub fn current(
    conn: &mut DbConnection,
    committee: CommitteeId,
) -> QueryResult<Option<RubricVersionId>> {
    let id: Option<Option<i64>> = super::first_row!(
        conn,
        committees::table
            .find(committee.0)
            .select(committees::rubric_id)
    )?;
    Ok(id.flatten().map(RubricVersionId))
}

/// Takes the committee's row for the rest of the transaction, so that two editors saving at
/// once are ordered: the second then reads the first's version as current.
pub fn lock(conn: &mut DbConnection, committee: CommitteeId) -> QueryResult<()> {
    diesel::update(committees::table.find(committee.0))
        .set(committees::rubric_id.eq(committees::rubric_id))
        .execute(conn)
        .map(drop)
}

/// Makes a version the committee's current one.
pub fn set_current(
    conn: &mut DbConnection,
    committee: CommitteeId,
    id: RubricVersionId,
) -> QueryResult<()> {
    diesel::update(committees::table.find(committee.0))
        .set(committees::rubric_id.eq(Some(id.0)))
        .execute(conn)
        .map(drop)
}

/// The committee's rounds that pinned a version, with it: which rounds use which version.
pub fn pinned_by(
    conn: &mut DbConnection,
    committee: CommitteeId,
) -> QueryResult<Vec<(RoundId, String, RubricVersionId)>> {
    let rows: Vec<(i64, String, Option<i64>)> = rounds::table
        .filter(rounds::committee_id.eq(committee.0))
        .filter(rounds::rubric_id.is_not_null())
        .order(rounds::id.desc())
        .select((rounds::id, rounds::name, rounds::rubric_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name, v)| v.map(|v| (RoundId(id), name, RubricVersionId(v))))
        .collect())
}
