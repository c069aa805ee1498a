//! Application rounds (评审批次): rows and queries.

use super::schema::rounds;
use super::DbConnection;
use crate::domain::{CommitteeId, RoundId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = rounds)]
struct Row {
    id: i64,
    name: String,
    submission_deadline: NaiveDate,
    reference_date: NaiveDate,
    created_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
    committee_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Round {
    pub id: RoundId,
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    pub created_at: NaiveDateTime,
    /// Closed early by an admin: no more submissions.
    pub closed_at: Option<NaiveDateTime>,
    /// The committee that reviews the round's applications (every round has one since
    /// committees exist; older rows got a placeholder).
    pub committee: Option<CommitteeId>,
}

impl From<Row> for Round {
    fn from(r: Row) -> Round {
        Round {
            id: RoundId(r.id),
            name: r.name,
            submission_deadline: r.submission_deadline,
            reference_date: r.reference_date,
            created_at: r.created_at,
            closed_at: r.closed_at,
            committee: r.committee_id.map(CommitteeId),
        }
    }
}

pub fn name_taken(conn: &mut DbConnection, name: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        rounds::table.filter(rounds::name.eq(name)),
    ))
    .get_result(conn)
}

/// Inserts a round and returns its id (read back by its unique name).
pub fn insert(
    conn: &mut DbConnection,
    name: &str,
    deadline: NaiveDate,
    reference_date: NaiveDate,
    committee: CommitteeId,
    now: NaiveDateTime,
) -> QueryResult<RoundId> {
    diesel::insert_into(rounds::table)
        .values((
            rounds::committee_id.eq(committee.0),
            rounds::name.eq(name),
            rounds::submission_deadline.eq(deadline),
            rounds::reference_date.eq(reference_date),
            rounds::created_at.eq(now),
        ))
        .execute(conn)?;
    rounds::table
        .filter(rounds::name.eq(name))
        .select(rounds::id)
        .first(conn)
        .map(RoundId)
}

/// Every round, latest deadline first (the newest first among equal deadlines).
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Round>> {
    Ok(rounds::table
        .order((rounds::submission_deadline.desc(), rounds::id.desc()))
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Round::from)
        .collect())
}

pub fn find(conn: &mut DbConnection, id: RoundId) -> QueryResult<Option<Round>> {
    let row: Option<Row> =
        super::first_row!(conn, rounds::table.find(id.0).select(Row::as_select()))?;
    Ok(row.map(Round::from))
}

/// Whether a name is taken by another round than `except`.
pub fn name_taken_by_other(
    conn: &mut DbConnection,
    name: &str,
    except: RoundId,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        rounds::table
            .filter(rounds::name.eq(name))
            .filter(rounds::id.ne(except.0)),
    ))
    .get_result(conn)
}

/// Changes a round's name and dates.
pub fn update(
    conn: &mut DbConnection,
    id: RoundId,
    name: &str,
    deadline: NaiveDate,
    reference_date: NaiveDate,
    committee: CommitteeId,
) -> QueryResult<()> {
    diesel::update(rounds::table.find(id.0))
        .set((
            rounds::committee_id.eq(committee.0),
            rounds::name.eq(name),
            rounds::submission_deadline.eq(deadline),
            rounds::reference_date.eq(reference_date),
        ))
        .execute(conn)
        .map(drop)
}

/// Closes a round: it takes no more submissions.
pub fn close(conn: &mut DbConnection, id: RoundId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(rounds::table.find(id.0))
        .set(rounds::closed_at.eq(Some(now)))
        .execute(conn)
        .map(drop)
}
