//! Application rounds (评审批次): rows and queries.

use super::schema::rounds;
use super::DbConnection;
use crate::domain::RoundId;
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
}

#[derive(Debug, Clone)]
pub struct Round {
    pub id: RoundId,
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    pub created_at: NaiveDateTime,
}

impl From<Row> for Round {
    fn from(r: Row) -> Round {
        Round {
            id: RoundId(r.id),
            name: r.name,
            submission_deadline: r.submission_deadline,
            reference_date: r.reference_date,
            created_at: r.created_at,
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
    now: NaiveDateTime,
) -> QueryResult<RoundId> {
    diesel::insert_into(rounds::table)
        .values((
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

/// Every round, latest deadline first.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Round>> {
    Ok(rounds::table
        .order(rounds::submission_deadline.desc())
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
