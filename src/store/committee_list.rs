//! A committee's applications as its office (and the supervisor) list them: one state or all,
//! an optional search (a reference number, or the start of a name), newest first, a keyset page
//! at a time. Every query is a range of one of the committee's indexes (migration 000024):
//! `(committee_id, state, id)`, `(committee_id, id)`, `(committee_id, applicant_name)`.

use super::applications::ListKey;
use super::schema::applications;
use super::{decode, DbConnection};
use crate::domain::{AccountId, ApplicationId, CommitteeId, RoundId, State};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What the list asks for.
#[derive(Debug, Clone)]
pub struct CommitteeFilter {
    pub committee: CommitteeId,
    /// One state, or all.
    pub state: Option<State>,
    pub search: Option<String>,
}

struct Row {
    id: i64,
    state: String,
    version: i32,
    reference: Option<String>,
    applicant_name: Option<String>,
    submitted_at: Option<super::stamp::Stamp>,
    summary: Option<String>,
    employer_id: Option<i64>,
    round_id: Option<i64>,
}

/// One row of a committee's list.
#[derive(Debug, Clone)]
pub struct CommitteeRow {
    pub id: ApplicationId,
    pub state: State,
    pub version: i32,
    pub reference: Option<String>,
    pub applicant_name: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    /// JSON of `application::ListSummary`.
    pub summary: Option<String>,
    pub employer: Option<AccountId>,
    pub round: Option<RoundId>,
}

impl TryFrom<Row> for CommitteeRow {
    type Error = diesel::result::Error;
    fn try_from(r: Row) -> QueryResult<CommitteeRow> {
        Ok(CommitteeRow {
            id: ApplicationId(r.id),
            state: decode(&r.state, State::parse, "state")?,
            version: r.version,
            reference: r.reference,
            applicant_name: r.applicant_name,
            submitted_at: r.submitted_at.map(NaiveDateTime::from),
            summary: r.summary,
            employer: r.employer_id.map(AccountId),
            round: r.round_id.map(RoundId),
        })
    }
}

/// The names starting with `prefix`, as a range an index seeks.
fn prefix_range(prefix: &str) -> (String, String) {
    let mut next: Vec<char> = prefix.chars().collect();
    if let Some(last) = next.pop() {
        next.push(char::from_u32(last as u32 + 1).unwrap_or(char::MAX));
    }
    (prefix.to_string(), next.into_iter().collect())
}

/// A row of the list as its query reads it: which application, and what moves with each of its
/// transitions (what the row shows is kept rendered by these, see `crate::fragments`).
#[derive(Queryable, Selectable)]
#[diesel(table_name = applications)]
struct KeyRow {
    id: i64,
    state: String,
    version: i32,
}

macro_rules! committee_page {
    ($filter:expr, $before:expr, $limit:expr) => {{
        let f: &CommitteeFilter = $filter;
        let c = f.committee.0;
        let mut q = applications::table
            .filter(applications::committee_id.eq(c))
            .into_boxed();
        if let Some(s) = &f.search {
            let (from, to) = prefix_range(s);
            q = q.filter(
                applications::reference
                    .eq(s.to_uppercase())
                    .or(applications::applicant_name
                        .ge(from)
                        .and(applications::applicant_name.lt(to))),
            );
        }
        if let Some(state) = f.state {
            let column = applications::state;
            q = q.filter(column.eq(state.as_str()));
        }
        q.filter(applications::id.lt($before))
            .order(applications::id.desc())
            .limit($limit)
            .select(KeyRow::as_select())
    }};
}

super::json_each_query!(
    /// [`details`] on SQLite: one primary-key seek per id, within the committee.
    DetailsSqlite,
    (
        diesel::sql_types::BigInt,
        diesel::sql_types::Text,
        diesel::sql_types::Integer,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::Timestamp>,
        diesel::sql_types::Nullable<diesel::sql_types::Text>,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
    ),
    "SELECT a.id, a.state, a.version, a.reference, a.applicant_name, a.submitted_at, a.summary, \
     a.employer_id, a.round_id, a.committee_id",
    "CROSS JOIN applications AS a ON a.id = j.value"
);

/// [`details`] on PostgreSQL: `= ANY($1)` is one bind, and cached.
macro_rules! details_pg {
    ($ids:expr) => {
        applications::table
            .filter(applications::id.eq_any($ids))
            .select((
                applications::id,
                applications::state,
                applications::version,
                applications::reference,
                applications::applicant_name,
                applications::submitted_at,
                applications::summary,
                applications::employer_id,
                applications::round_id,
                applications::committee_id,
            ))
    };
}

type DetailRow = (
    i64,
    String,
    i32,
    Option<String>,
    Option<String>,
    Option<super::stamp::Stamp>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// What the rows of `ids` show, those of `committee` only (in no particular order): the ids
/// come from its list's keys, and a row no longer the committee's shows nothing.
pub fn details(
    conn: &mut DbConnection,
    committee: CommitteeId,
    ids: &[ApplicationId],
) -> QueryResult<Vec<CommitteeRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = ids.iter().map(|a| a.0).collect();
    let rows: Vec<DetailRow> = match conn {
        DbConnection::Sqlite(c) => DetailsSqlite::new(&ids).load(c)?,
        DbConnection::Pg(c) => details_pg!(&ids).load(c)?,
    };
    rows.into_iter()
        .filter(|r| r.9 == Some(committee.0))
        .map(
            |(id, state, version, reference, name, submitted, summary, employer, round, _)| {
                CommitteeRow::try_from(Row {
                    id,
                    state,
                    version,
                    reference,
                    applicant_name: name,
                    submitted_at: submitted,
                    summary,
                    employer_id: employer,
                    round_id: round,
                })
            },
        )
        .collect()
}

/// A page of the committee's applications older than `before` (the newest when `None`): their
/// keys (what each row shows is [`details`], read only for rows not kept rendered).
pub fn page(
    conn: &mut DbConnection,
    filter: &CommitteeFilter,
    before: Option<ApplicationId>,
    limit: i64,
) -> QueryResult<Vec<ListKey>> {
    let before = before.map_or(i64::MAX, |b| b.0);
    let rows: Vec<KeyRow> = super::load_rows!(conn, committee_page!(filter, before, limit))?;
    rows.into_iter()
        .map(|r| {
            Ok(ListKey {
                id: ApplicationId(r.id),
                state: decode(&r.state, State::parse, "state")?,
                version: r.version,
            })
        })
        .collect()
}

/// The list queries above, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let f = |state, search: Option<&str>| CommitteeFilter {
        committee: CommitteeId(3),
        state,
        search: search.map(String::from),
    };
    let q = |name, filter: CommitteeFilter| {
        super::plans::ListQuery::new(
            name,
            diesel::debug_query::<Sqlite, _>(&committee_page!(&filter, 1000i64, 21i64)).to_string(),
            diesel::debug_query::<Pg, _>(&committee_page!(&filter, 1000i64, 21i64)).to_string(),
        )
    };
    // The keys of a page from one index range that holds them all (migration 000028).
    vec![
        q("a committee's list, all states", f(None, None))
            .seeking("COVERING INDEX applications_committee_keys (committee_id=? AND id<?)"),
        q(
            "a committee's list, one state",
            f(Some(State::OfficeCheck), None),
        )
        .seeking(
            "COVERING INDEX applications_committee_state_keys (committee_id=? AND state=? AND id<?)",
        ),
        q("a committee's list, a search", f(None, Some("王"))),
        super::plans::ListQuery::new(
            "a committee's list rows shown",
            diesel::debug_query::<Sqlite, _>(&DetailsSqlite::new(&[3, 5, 8])).to_string(),
            diesel::debug_query::<Pg, _>(&details_pg!(&[3i64, 5, 8])).to_string(),
        )
        .seeking("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"),
    ]
}
