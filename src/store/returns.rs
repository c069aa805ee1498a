//! Requests to change a submitted application and resubmit it by a deadline (一次性告知): the
//! employer's return for revision and the committee's request for correction at its formal
//! check, one table (`committee_id` names the committee that asked; none: the employer did).
//! Rows in, rows out; the rules are the service's.

use super::schema::{applications, refusals, returns};
use super::DbConnection;
use crate::domain::{AccountId, ApplicationId, CommitteeId, State};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The latest request an employer made (answered or not), newest first in the order of
/// `returns_application` (application, employer, id).
macro_rules! latest_of_employer {
    ($app:expr, $employer:expr) => {
        returns::table
            .filter(returns::application_id.eq($app))
            .filter(returns::employer_id.eq($employer))
            .filter(returns::committee_id.is_null())
            .order((returns::employer_id.desc(), returns::id.desc()))
            .select(COLUMNS)
    };
}

/// The latest request a committee made.
macro_rules! latest_of_committee {
    ($app:expr, $committee:expr) => {
        returns::table
            .filter(returns::application_id.eq($app))
            .filter(returns::committee_id.eq($committee))
            .order((returns::employer_id.desc(), returns::id.desc()))
            .select(COLUMNS)
    };
}

/// A committee's requests not yet answered, the soonest due first: which application (its
/// reference) and by when, nothing else (the office's home reads it on every visit).
macro_rules! due_of_committee {
    ($committee:expr, $limit:expr) => {
        returns::table
            .inner_join(applications::table)
            .filter(returns::committee_id.eq($committee))
            .filter(returns::answered_at.is_null())
            .order((returns::answered_at.asc(), returns::deadline.asc()))
            .limit($limit)
            .select((
                returns::application_id,
                applications::reference,
                applications::applicant_name,
                returns::deadline,
            ))
    };
}

/// An applicant's applications that may be waiting for them to change and resubmit (returned
/// by the employer: a draft with a reference; asked to correct): a range of the applicant's
/// covering index, usually empty, before any request is read.
macro_rules! waiting_of_applicant {
    ($applicant:expr) => {
        applications::table
            .filter(applications::applicant_id.eq($applicant))
            .filter(
                applications::state
                    .eq(State::Correction.as_str())
                    .or(applications::state
                        .eq(State::Draft.as_str())
                        .and(applications::reference.is_not_null())),
            )
            .select((applications::id, applications::reference))
    };
}

/// A request as stored.
#[derive(Debug, Clone, Queryable)]
pub struct ReturnRow {
    pub id: i64,
    pub application_id: i64,
    pub items: String,
    pub deadline: NaiveDate,
    pub returned_by: i64,
    pub returned_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub sections_before: String,
    /// The committee that asked (none: the employer).
    pub committee_id: Option<i64>,
}

const COLUMNS: (
    returns::id,
    returns::application_id,
    returns::items,
    returns::deadline,
    returns::returned_by,
    returns::returned_at,
    returns::answered_at,
    returns::sections_before,
    returns::committee_id,
) = (
    returns::id,
    returns::application_id,
    returns::items,
    returns::deadline,
    returns::returned_by,
    returns::returned_at,
    returns::answered_at,
    returns::sections_before,
    returns::committee_id,
);

/// Who asked: the employer holding the application, and the committee when it was the
/// committee's formal check.
#[derive(Debug, Clone, Copy)]
pub struct AskedBy {
    pub employer: AccountId,
    pub committee: Option<CommitteeId>,
    pub account: AccountId,
}

pub fn insert(
    conn: &mut DbConnection,
    app: ApplicationId,
    by: AskedBy,
    items: &str,
    deadline: NaiveDate,
    sections_before: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use returns as r;
    diesel::insert_into(r::table)
        .values((
            r::application_id.eq(app.0),
            r::employer_id.eq(by.employer.0),
            r::committee_id.eq(by.committee.map(|c| c.0)),
            r::items.eq(items),
            r::deadline.eq(deadline),
            r::returned_by.eq(by.account.0),
            r::returned_at.eq(at),
            r::sections_before.eq(sections_before),
        ))
        .execute(conn)
        .map(drop)
}

/// The employer's latest return of the application, answered or not.
pub fn latest_of_employer(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
) -> QueryResult<Option<ReturnRow>> {
    super::first_row!(conn, latest_of_employer!(app.0, employer.0))
}

/// The committee's latest request for correction of the application, answered or not.
pub fn latest_of_committee(
    conn: &mut DbConnection,
    app: ApplicationId,
    committee: CommitteeId,
) -> QueryResult<Option<ReturnRow>> {
    super::first_row!(conn, latest_of_committee!(app.0, committee.0))
}

/// The application's request still waiting for the applicant, whoever made it (the applicant
/// answers an employer's return even after naming another employer).
pub fn open(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Option<ReturnRow>> {
    super::first_row!(
        conn,
        returns::table
            .filter(returns::application_id.eq(app.0))
            .filter(returns::answered_at.is_null())
            .order(returns::id.desc())
            .select(COLUMNS)
    )
}

/// A request waiting for an applicant: the application, its reference, the deadline, and
/// whether a committee asked.
pub type Asked = (ApplicationId, Option<String>, NaiveDate, bool);

/// What an applicant is asked to change, every application of theirs: their waiting
/// applications first (from their own index), then the open requests of those alone.
pub fn open_of_applicant(conn: &mut DbConnection, applicant: AccountId) -> QueryResult<Vec<Asked>> {
    let waiting: Vec<(i64, Option<String>)> =
        super::load_rows!(conn, waiting_of_applicant!(applicant.0))?;
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = waiting.iter().map(|(id, _)| *id).collect();
    let open: Vec<(i64, NaiveDate, Option<i64>)> = returns::table
        .filter(returns::application_id.eq_any(&ids))
        .filter(returns::answered_at.is_null())
        .select((
            returns::application_id,
            returns::deadline,
            returns::committee_id,
        ))
        .load(conn)?;
    Ok(open
        .into_iter()
        .map(|(id, deadline, committee)| {
            let reference = waiting
                .iter()
                .find(|(w, _)| *w == id)
                .and_then(|(_, r)| r.clone());
            (ApplicationId(id), reference, deadline, committee.is_some())
        })
        .collect())
}

/// A committee's open requests for correction, the soonest due first (the office's home):
/// (application, its reference, the applicant's name, deadline).
pub fn due_of_committee(
    conn: &mut DbConnection,
    committee: CommitteeId,
    limit: i64,
) -> QueryResult<Vec<Due>> {
    let rows: Vec<(i64, Option<String>, Option<String>, NaiveDate)> =
        super::load_rows!(conn, due_of_committee!(committee.0, limit))?;
    Ok(rows
        .into_iter()
        .map(|(id, r, n, d)| (ApplicationId(id), r, n, d))
        .collect())
}

/// A correction falling due: the application, its reference, the applicant's name, deadline.
pub type Due = (ApplicationId, Option<String>, Option<String>, NaiveDate);

/// Closes the open request of the application: answered by a resubmission, or swept.
pub fn close(conn: &mut DbConnection, app: ApplicationId, at: NaiveDateTime) -> QueryResult<()> {
    use returns as r;
    diesel::update(
        r::table
            .filter(r::application_id.eq(app.0))
            .filter(r::answered_at.is_null()),
    )
    .set(r::answered_at.eq(Some(at)))
    .execute(conn)
    .map(drop)
}

/// Applications whose request was not answered by its deadline (before `today`).
pub fn overdue(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<ApplicationId>> {
    use returns as r;
    Ok(r::table
        .filter(r::answered_at.is_null())
        .filter(r::deadline.lt(today))
        .order((r::answered_at.asc(), r::deadline.asc()))
        .limit(limit)
        .select(r::application_id)
        .load::<i64>(conn)?
        .into_iter()
        .map(ApplicationId)
        .collect())
}

/// A refusal at the formal check (不予受理) as stored.
#[derive(Debug, Clone, Queryable)]
pub struct RefusalRow {
    pub application_id: i64,
    pub committee_id: i64,
    /// The kind of reason's code (`service::formal_check::RefusalReason`).
    pub reason: String,
    pub clause: String,
    pub note: String,
    pub refused_by: i64,
    pub refused_at: NaiveDateTime,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_refusal(
    conn: &mut DbConnection,
    app: ApplicationId,
    committee: CommitteeId,
    reason: &str,
    clause: &str,
    note: &str,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    use refusals as r;
    diesel::insert_into(r::table)
        .values((
            r::application_id.eq(app.0),
            r::committee_id.eq(committee.0),
            r::reason.eq(reason),
            r::clause.eq(clause),
            r::note.eq(note),
            r::refused_by.eq(by.0),
            r::refused_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn refusal(conn: &mut DbConnection, app: ApplicationId) -> QueryResult<Option<RefusalRow>> {
    refusals::table
        .find(app.0)
        .first::<RefusalRow>(conn)
        .optional()
}

/// The reads above that order rows, for the plan test: each must read them in an index's
/// order.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let q = |name, s: String, p: String| super::plans::ListQuery::new(name, s, p);
    vec![
        q(
            "an application's latest return by its employer",
            diesel::debug_query::<Sqlite, _>(&latest_of_employer!(7i64, 3i64)).to_string(),
            diesel::debug_query::<Pg, _>(&latest_of_employer!(7i64, 3i64)).to_string(),
        ),
        q(
            "an application's latest correction request by its committee",
            diesel::debug_query::<Sqlite, _>(&latest_of_committee!(7i64, 3i64)).to_string(),
            diesel::debug_query::<Pg, _>(&latest_of_committee!(7i64, 3i64)).to_string(),
        ),
        q(
            "what an applicant is asked to change",
            diesel::debug_query::<Sqlite, _>(&waiting_of_applicant!(7i64)).to_string(),
            diesel::debug_query::<Pg, _>(&waiting_of_applicant!(7i64)).to_string(),
        )
        .seeking("COVERING INDEX applications_applicant (applicant_id=?)"),
        q(
            "a committee's corrections falling due",
            diesel::debug_query::<Sqlite, _>(&due_of_committee!(3i64, 10i64)).to_string(),
            diesel::debug_query::<Pg, _>(&due_of_committee!(3i64, 10i64)).to_string(),
        )
        .seeking("returns_committee_open (committee_id=? AND answered_at=?)"),
    ]
}
