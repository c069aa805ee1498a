//! Application rounds (评审批次): rows and queries. A round belongs to a committee, whose
//! series, levels and occupation scope come with it (an applicant's list of rounds and the
//! submission checks need them, and rounds are cached whole).

use super::schema::{committee_occupations, committees, rounds};
use super::DbConnection;
use crate::domain::committee::parse_levels;
use crate::domain::round::RoundSetup;
use crate::domain::{CommitteeId, RoundId, RubricVersionId, TitleLevel};
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
    levels: String,
    scoring_deadline: Option<NaiveDate>,
    rubric_id: Option<i64>,
    opened_at: Option<NaiveDateTime>,
    version: i64,
}

/// What a round shows of its committee.
#[derive(Queryable)]
struct CommitteeRow {
    name: String,
    series: String,
    specialty: String,
    levels: String,
    set_up: bool,
    registered_on: Option<NaiveDate>,
    registered_until: Option<NaiveDate>,
    suspended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct RoundCommittee {
    pub name: String,
    /// Empty for a placeholder committee not yet set up.
    pub series: String,
    pub specialty: String,
    /// Highest first.
    pub levels: Vec<TitleLevel>,
    /// The occupations whose holders the committee accepts (§3.2); empty when none recorded.
    pub scope: Vec<String>,
    /// Its registration, for whether it may act on a day; `None` for a placeholder committee
    /// not yet set up, which (like its empty series) restricts nothing.
    pub registration: Option<crate::domain::committee::Registration>,
}

#[derive(Debug, Clone)]
pub struct Round {
    pub id: RoundId,
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    pub created_at: NaiveDateTime,
    /// Closed early: no more submissions.
    pub closed_at: Option<NaiveDateTime>,
    /// The committee that reviews the round's applications (every round has one since
    /// committees exist; older rows got a placeholder).
    pub committee: Option<CommitteeId>,
    /// The levels the round takes, highest first; empty: every level of its committee.
    pub levels: Vec<TitleLevel>,
    pub scoring_deadline: Option<NaiveDate>,
    /// The rubric version pinned when the round opened.
    pub rubric: Option<RubricVersionId>,
    /// Set when the office opened it (rounds made before offices ran them count as opened).
    pub opened_at: Option<NaiveDateTime>,
    pub version: i64,
    pub of: RoundCommittee,
}

impl Round {
    /// The levels it takes: its own, or its committee's when it names none.
    pub fn effective_levels(&self) -> &[TitleLevel] {
        if self.levels.is_empty() {
            &self.of.levels
        } else {
            &self.levels
        }
    }
}

fn round(r: Row, of: Option<CommitteeRow>) -> Round {
    Round {
        id: RoundId(r.id),
        name: r.name,
        submission_deadline: r.submission_deadline,
        reference_date: r.reference_date,
        created_at: r.created_at,
        closed_at: r.closed_at,
        committee: r.committee_id.map(CommitteeId),
        levels: parse_levels(&r.levels),
        scoring_deadline: r.scoring_deadline,
        rubric: r.rubric_id.map(RubricVersionId),
        opened_at: r.opened_at,
        version: r.version,
        of: of.map_or_else(RoundCommittee::default, |c| RoundCommittee {
            name: c.name,
            series: c.series,
            specialty: c.specialty,
            levels: parse_levels(&c.levels),
            scope: Vec::new(),
            registration: c.set_up.then_some(crate::domain::committee::Registration {
                set_up: c.set_up,
                registered_on: c.registered_on,
                registered_until: c.registered_until,
                suspended_on: c.suspended_on,
            }),
        }),
    }
}

type CommitteeCols = (
    committees::name,
    committees::series,
    committees::specialty,
    committees::levels,
    committees::set_up,
    committees::registered_on,
    committees::registered_until,
    committees::suspended_on,
);
const COMMITTEE_COLS: CommitteeCols = (
    committees::name,
    committees::series,
    committees::specialty,
    committees::levels,
    committees::set_up,
    committees::registered_on,
    committees::registered_until,
    committees::suspended_on,
);

/// Fills each round's committee scope, one query for them all.
fn with_scopes(conn: &mut DbConnection, mut list: Vec<Round>) -> QueryResult<Vec<Round>> {
    let mut ids: Vec<i64> = list
        .iter()
        .filter_map(|r| r.committee.map(|c| c.0))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(list);
    }
    let rows: Vec<(i64, String)> = committee_occupations::table
        .filter(committee_occupations::committee_id.eq_any(&ids))
        .order((
            committee_occupations::committee_id.asc(),
            committee_occupations::occupation.asc(),
        ))
        .select((
            committee_occupations::committee_id,
            committee_occupations::occupation,
        ))
        .load(conn)?;
    for r in &mut list {
        if let Some(c) = r.committee {
            r.of.scope = rows
                .iter()
                .filter(|(id, _)| *id == c.0)
                .map(|(_, o)| o.clone())
                .collect();
        }
    }
    Ok(list)
}

/// Whether another round of the committee has the name.
pub fn name_taken(
    conn: &mut DbConnection,
    committee: CommitteeId,
    name: &str,
    except: Option<RoundId>,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        rounds::table
            .filter(rounds::committee_id.eq(committee.0))
            .filter(rounds::name.eq(name))
            .filter(rounds::id.ne(except.map_or(0, |r| r.0))),
    ))
    .get_result(conn)
}

/// Inserts a round, not yet opened, and returns its id (read back by its committee and name,
/// which are unique together).
pub fn insert(
    conn: &mut DbConnection,
    committee: CommitteeId,
    setup: &RoundSetup,
    now: NaiveDateTime,
) -> QueryResult<RoundId> {
    diesel::insert_into(rounds::table)
        .values((
            rounds::committee_id.eq(committee.0),
            rounds::name.eq(&setup.name),
            rounds::levels.eq(setup.levels_text()),
            rounds::submission_deadline.eq(setup.submission_deadline),
            rounds::reference_date.eq(setup.reference_date),
            rounds::scoring_deadline.eq(setup.scoring_deadline),
            rounds::created_at.eq(now),
            rounds::version.eq(1),
        ))
        .execute(conn)?;
    rounds::table
        .filter(rounds::committee_id.eq(committee.0))
        .filter(rounds::name.eq(&setup.name))
        .select(rounds::id)
        .first(conn)
        .map(RoundId)
}

/// Every round, latest deadline first (the newest first among equal deadlines), each with its
/// committee.
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Round>> {
    let rows: Vec<(Row, Option<CommitteeRow>)> = rounds::table
        .left_join(committees::table.on(committees::id.nullable().eq(rounds::committee_id)))
        .order((rounds::submission_deadline.desc(), rounds::id.desc()))
        .select((Row::as_select(), COMMITTEE_COLS.nullable()))
        .load(conn)?;
    with_scopes(conn, rows.into_iter().map(|(r, c)| round(r, c)).collect())
}

/// A committee's rounds, latest deadline first.
pub fn of_committee(conn: &mut DbConnection, committee: CommitteeId) -> QueryResult<Vec<Round>> {
    let rows: Vec<(Row, Option<CommitteeRow>)> = rounds::table
        .left_join(committees::table.on(committees::id.nullable().eq(rounds::committee_id)))
        .filter(rounds::committee_id.eq(committee.0))
        .order((rounds::submission_deadline.desc(), rounds::id.desc()))
        .select((Row::as_select(), COMMITTEE_COLS.nullable()))
        .load(conn)?;
    with_scopes(conn, rows.into_iter().map(|(r, c)| round(r, c)).collect())
}

/// A round's reference date alone (a page of one application needs no more of its round).
pub fn reference_date(conn: &mut DbConnection, id: RoundId) -> QueryResult<Option<NaiveDate>> {
    super::first_row!(
        conn,
        rounds::table
            .filter(rounds::id.eq(id.0))
            .select(rounds::reference_date)
    )
}

pub fn find(conn: &mut DbConnection, id: RoundId) -> QueryResult<Option<Round>> {
    let row: Option<(Row, Option<CommitteeRow>)> = super::first_row!(
        conn,
        rounds::table
            .left_join(committees::table.on(committees::id.nullable().eq(rounds::committee_id)))
            .filter(rounds::id.eq(id.0))
            .select((Row::as_select(), COMMITTEE_COLS.nullable()))
    )?;
    match row {
        Some((r, c)) => Ok(with_scopes(conn, vec![round(r, c)])?.pop()),
        None => Ok(None),
    }
}

/// Changes a round's set-up if it is still at `version`; false when someone changed it first.
pub fn update(
    conn: &mut DbConnection,
    id: RoundId,
    version: i64,
    setup: &RoundSetup,
) -> QueryResult<bool> {
    let n = diesel::update(
        rounds::table
            .filter(rounds::id.eq(id.0))
            .filter(rounds::version.eq(version)),
    )
    .set((
        rounds::name.eq(&setup.name),
        rounds::levels.eq(setup.levels_text()),
        rounds::submission_deadline.eq(setup.submission_deadline),
        rounds::reference_date.eq(setup.reference_date),
        rounds::scoring_deadline.eq(setup.scoring_deadline),
        rounds::version.eq(rounds::version + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Opens a round on its pinned rubric version (the caller holds the round at its version).
pub fn open(
    conn: &mut DbConnection,
    id: RoundId,
    rubric: RubricVersionId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        rounds::table
            .filter(rounds::id.eq(id.0))
            .filter(rounds::opened_at.is_null()),
    )
    .set((
        rounds::opened_at.eq(Some(now)),
        rounds::rubric_id.eq(Some(rubric.0)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Counts a change to the round's panel as a change to the round (a form showing the round
/// at an older version is then told so).
pub fn bump(conn: &mut DbConnection, id: RoundId, version: i64) -> QueryResult<bool> {
    let n = diesel::update(
        rounds::table
            .filter(rounds::id.eq(id.0))
            .filter(rounds::version.eq(version)),
    )
    .set(rounds::version.eq(rounds::version + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// Closes a round: it takes no more submissions.
pub fn close(conn: &mut DbConnection, id: RoundId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(rounds::table.find(id.0))
        .set((
            rounds::closed_at.eq(Some(now)),
            rounds::version.eq(rounds::version + 1),
        ))
        .execute(conn)
        .map(drop)
}
