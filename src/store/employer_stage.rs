//! The employer's stage as stored: verification, publicity notices and their applications,
//! objections and the decision. Rows in, rows out; the rules are the service's.
//!
//! Every record names the employer that made it, and every read names the employer it is for:
//! a person may change employer, and what one employer recorded is never another's to see.

use super::schema::{
    applications, employer_decisions, employer_reviews, objections, publicities, publicity_items,
};
use super::DbConnection;
use crate::domain::{AccountId, ApplicationId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// An application's notices, newest first, in the order of the index on its items (ordered by
/// the notice's own id, SQLite sorted them in a temporary b-tree on every employer's page).
macro_rules! publicity_of_query {
    ($app:expr, $employer:expr) => {
        publicity_items::table
            .inner_join(publicities::table)
            .filter(publicity_items::application_id.eq($app))
            .filter(publicities::employer_id.eq($employer))
            .order(publicity_items::publicity_id.desc())
            .select(PUBLICITY_COLUMNS)
    };
}

macro_rules! objections_of_query {
    ($app:expr, $employer:expr) => {
        objections::table
            .filter(objections::application_id.eq($app))
            .filter(objections::employer_id.eq($employer))
            .order(objections::id.asc())
            .select(OBJECTION_COLUMNS)
    };
}

/// A verification as stored: its JSON, who saved it and when.
#[derive(Debug, Clone, Queryable)]
pub struct ReviewRow {
    pub data: String,
    pub verified_by: i64,
    pub verified_at: NaiveDateTime,
}

/// The employer's verification of the application, if it made one.
pub fn review(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
) -> QueryResult<Option<ReviewRow>> {
    super::first_row!(
        conn,
        employer_reviews::table.find((app.0, employer.0)).select((
            employer_reviews::data,
            employer_reviews::verified_by,
            employer_reviews::verified_at,
        ))
    )
}

/// Stores the employer's verification (`eligible`: whether its record makes the applicant
/// eligible, `None` when that cannot be decided).
#[allow(clippy::too_many_arguments)]
pub fn put_review(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
    data: &str,
    eligible: Option<bool>,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(employer_reviews::table.find((app.0, employer.0))).execute(conn)?;
    diesel::insert_into(employer_reviews::table)
        .values((
            employer_reviews::application_id.eq(app.0),
            employer_reviews::employer_id.eq(employer.0),
            employer_reviews::data.eq(data),
            employer_reviews::verified_by.eq(by.0),
            employer_reviews::verified_at.eq(at),
            employer_reviews::eligible.eq(eligible),
        ))
        .execute(conn)
        .map(drop)
}

/// A publicity notice.
#[derive(Debug, Clone, Queryable)]
pub struct PublicityRow {
    pub id: i64,
    pub employer_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub contact: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// Inserts a notice and returns its id.
pub fn insert_publicity(
    conn: &mut DbConnection,
    employer: AccountId,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    contact: &str,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(publicities::table)
        .values((
            publicities::employer_id.eq(employer.0),
            publicities::starts_on.eq(starts_on),
            publicities::ends_on.eq(ends_on),
            publicities::contact.eq(contact),
            publicities::created_by.eq(by.0),
            publicities::created_at.eq(at),
        ))
        .execute(conn)?;
    // The newest notice this person made for the employer: theirs, inside this transaction.
    publicities::table
        .filter(publicities::employer_id.eq(employer.0))
        .filter(publicities::created_by.eq(by.0))
        .order(publicities::id.desc())
        .select(publicities::id)
        .first(conn)
}

/// Lists an application on a notice and records when its publicity ends.
pub fn add_to_publicity(
    conn: &mut DbConnection,
    publicity: i64,
    app: ApplicationId,
    entry: &str,
    (starts_on, ends_on): (NaiveDate, NaiveDate),
) -> QueryResult<()> {
    diesel::insert_into(publicity_items::table)
        .values((
            publicity_items::publicity_id.eq(publicity),
            publicity_items::application_id.eq(app.0),
            publicity_items::entry.eq(Some(entry)),
        ))
        .execute(conn)?;
    diesel::update(applications::table.find(app.0))
        .set((
            applications::publicity_starts_on.eq(Some(starts_on)),
            applications::publicity_ends_on.eq(Some(ends_on)),
        ))
        .execute(conn)
        .map(drop)
}

const PUBLICITY_COLUMNS: (
    publicities::id,
    publicities::employer_id,
    publicities::starts_on,
    publicities::ends_on,
    publicities::contact,
    publicities::created_by,
    publicities::created_at,
) = (
    publicities::id,
    publicities::employer_id,
    publicities::starts_on,
    publicities::ends_on,
    publicities::contact,
    publicities::created_by,
    publicities::created_at,
);

/// The latest notice of the employer an application was on.
pub fn publicity_of(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
) -> QueryResult<Option<PublicityRow>> {
    super::first_row!(conn, publicity_of_query!(app.0, employer.0))
}

/// A notice and the applications on it, each with its entry as listed when the notice started.
#[allow(clippy::type_complexity)]
pub fn publicity(
    conn: &mut DbConnection,
    id: i64,
) -> QueryResult<Option<(PublicityRow, Vec<(ApplicationId, Option<String>)>)>> {
    let Some(row) = publicities::table
        .find(id)
        .select(PUBLICITY_COLUMNS)
        .first::<PublicityRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let apps = publicity_items::table
        .filter(publicity_items::publicity_id.eq(id))
        .order(publicity_items::application_id.asc())
        .select((publicity_items::application_id, publicity_items::entry))
        .load::<(i64, Option<String>)>(conn)?;
    Ok(Some((
        row,
        apps.into_iter()
            .map(|(id, entry)| (ApplicationId(id), entry))
            .collect(),
    )))
}

/// An objection as stored.
#[derive(Debug, Clone, Queryable)]
pub struct ObjectionRow {
    pub id: i64,
    pub application_id: i64,
    pub received_on: NaiveDate,
    pub source: String,
    pub content: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
    pub resolution: Option<String>,
    pub reason: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<NaiveDateTime>,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_objection(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
    received_on: NaiveDate,
    source: &str,
    content: &str,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(objections::table)
        .values((
            objections::application_id.eq(app.0),
            objections::employer_id.eq(employer.0),
            objections::received_on.eq(received_on),
            objections::source.eq(source),
            objections::content.eq(content),
            objections::recorded_by.eq(by.0),
            objections::recorded_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

const OBJECTION_COLUMNS: (
    objections::id,
    objections::application_id,
    objections::received_on,
    objections::source,
    objections::content,
    objections::recorded_by,
    objections::recorded_at,
    objections::resolution,
    objections::reason,
    objections::resolved_by,
    objections::resolved_at,
) = (
    objections::id,
    objections::application_id,
    objections::received_on,
    objections::source,
    objections::content,
    objections::recorded_by,
    objections::recorded_at,
    objections::resolution,
    objections::reason,
    objections::resolved_by,
    objections::resolved_at,
);

/// The objections the employer recorded on an application, oldest first.
pub fn objections_of(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
) -> QueryResult<Vec<ObjectionRow>> {
    super::load_rows!(conn, objections_of_query!(app.0, employer.0))
}

/// Resolves an open objection the employer recorded on the application; false when there is
/// none such.
#[allow(clippy::too_many_arguments)]
pub fn resolve_objection(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
    id: i64,
    resolution: &str,
    reason: &str,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        objections::table
            .filter(objections::id.eq(id))
            .filter(objections::application_id.eq(app.0))
            .filter(objections::employer_id.eq(employer.0))
            .filter(objections::resolution.is_null()),
    )
    .set((
        objections::resolution.eq(Some(resolution)),
        objections::reason.eq(Some(reason)),
        objections::resolved_by.eq(Some(by.0)),
        objections::resolved_at.eq(Some(at)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The employer's decision as stored.
#[derive(Debug, Clone, Queryable)]
pub struct DecisionRow {
    pub decision: String,
    pub opinion: String,
    pub appointed_on: Option<NaiveDate>,
    pub document_number: Option<String>,
    pub decided_by: i64,
    pub decided_at: NaiveDateTime,
}

#[allow(clippy::too_many_arguments)]
pub fn put_decision(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
    decision: &str,
    opinion: &str,
    appointment: Option<(NaiveDate, &str)>,
    by: AccountId,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(employer_decisions::table.find((app.0, employer.0))).execute(conn)?;
    diesel::insert_into(employer_decisions::table)
        .values((
            employer_decisions::application_id.eq(app.0),
            employer_decisions::employer_id.eq(employer.0),
            employer_decisions::decision.eq(decision),
            employer_decisions::opinion.eq(opinion),
            employer_decisions::appointed_on.eq(appointment.map(|a| a.0)),
            employer_decisions::document_number.eq(appointment.map(|a| a.1)),
            employer_decisions::decided_by.eq(by.0),
            employer_decisions::decided_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// The employer's decision on the application, if it made one.
pub fn decision(
    conn: &mut DbConnection,
    app: ApplicationId,
    employer: AccountId,
) -> QueryResult<Option<DecisionRow>> {
    super::first_row!(
        conn,
        employer_decisions::table.find((app.0, employer.0)).select((
            employer_decisions::decision,
            employer_decisions::opinion,
            employer_decisions::appointed_on,
            employer_decisions::document_number,
            employer_decisions::decided_by,
            employer_decisions::decided_at,
        ))
    )
}

/// The stage's reads of one application that order rows, for the plan test: each must read
/// them in an index's order.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let q = |name, s: String, p: String| super::plans::ListQuery::new(name, s, p);
    vec![
        q(
            "an application's latest notice",
            diesel::debug_query::<Sqlite, _>(&publicity_of_query!(7i64, 3i64)).to_string(),
            diesel::debug_query::<Pg, _>(&publicity_of_query!(7i64, 3i64)).to_string(),
        ),
        q(
            "an application's objections",
            diesel::debug_query::<Sqlite, _>(&objections_of_query!(7i64, 3i64)).to_string(),
            diesel::debug_query::<Pg, _>(&objections_of_query!(7i64, 3i64)).to_string(),
        ),
    ]
}
