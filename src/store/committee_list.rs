//! A committee's applications as its office (and the supervisor) list them: one state or all,
//! an optional search (a reference number, or the start of a name), newest first, a keyset page
//! at a time. Every query is a range of one of the committee's indexes (migration 000024):
//! `(committee_id, state, id)`, `(committee_id, id)`, `(committee_id, applicant_name)`.

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

#[derive(Queryable, Selectable)]
#[diesel(table_name = applications)]
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
            .select(Row::as_select())
    }};
}

/// A page of the committee's applications older than `before` (the newest when `None`).
pub fn page(
    conn: &mut DbConnection,
    filter: &CommitteeFilter,
    before: Option<ApplicationId>,
    limit: i64,
) -> QueryResult<Vec<CommitteeRow>> {
    let before = before.map_or(i64::MAX, |b| b.0);
    let rows: Vec<Row> = super::load_rows!(conn, committee_page!(filter, before, limit))?;
    rows.into_iter().map(CommitteeRow::try_from).collect()
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
    let cases = [
        ("a committee's list, all states", f(None, None)),
        (
            "a committee's list, one state",
            f(Some(State::OfficeCheck), None),
        ),
        ("a committee's list, a search", f(None, Some("王"))),
    ];
    cases
        .into_iter()
        .map(|(name, filter)| {
            super::plans::ListQuery::new(
                name,
                diesel::debug_query::<Sqlite, _>(&committee_page!(&filter, 1000i64, 21i64))
                    .to_string(),
                diesel::debug_query::<Pg, _>(&committee_page!(&filter, 1000i64, 21i64)).to_string(),
            )
        })
        .collect()
}
