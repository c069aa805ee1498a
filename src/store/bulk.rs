//! Batched inserts for generating large data sets (`guantong demo --scale`): rows are inserted
//! in their final form, many per statement, inside the caller's transaction. Nothing here
//! changes an existing row; every change of an application's state in use goes through
//! `service::transition`.

use super::schema::{
    accounts, application_frozen, application_sections, applications, assignments, audit_log,
    employers, evidence, people, reference_counters, refusals, returns, review_cases, reviews,
};
use super::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Rows per INSERT: under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK: usize = 800;

macro_rules! insert_chunks {
    ($conn:expr, $table:expr, $rows:expr) => {{
        let mut n = 0;
        for chunk in $rows.chunks(CHUNK) {
            n += match $conn {
                DbConnection::Sqlite(c) => diesel::insert_into($table).values(chunk).execute(c)?,
                DbConnection::Pg(c) => diesel::insert_into($table).values(chunk).execute(c)?,
            };
        }
        Ok(n)
    }};
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
pub struct NewAccount {
    pub login_name: String,
    pub role: String,
    pub display_name: String,
    pub password_hash: String,
    pub failed_logins: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = people)]
pub struct NewPerson {
    pub account_id: i64,
    pub name: String,
    pub id_number: String,
    pub mobile: String,
}

#[derive(Insertable)]
#[diesel(table_name = employers)]
pub struct NewEmployerRow {
    pub account_id: i64,
    pub name: String,
    pub credit_code: String,
    pub credit_code_verified: bool,
    pub contact_name: String,
    pub contact_phone: String,
}

#[derive(Insertable)]
#[diesel(table_name = applications)]
pub struct NewApplication {
    pub id: i64,
    pub applicant_id: i64,
    pub employer_id: Option<i64>,
    pub employer_code: Option<String>,
    pub round_id: Option<i64>,
    pub pathway: String,
    pub state: String,
    pub version: i32,
    pub reference: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub summary: Option<String>,
    pub applicant_name: Option<String>,
    pub publicity_ends_on: Option<chrono::NaiveDate>,
    pub committee_id: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = application_frozen)]
pub struct NewFrozen {
    pub application_id: i64,
    pub snapshot: String,
    pub verdict: String,
}

#[derive(Insertable)]
#[diesel(table_name = application_sections)]
pub struct NewSection {
    pub application_id: i64,
    pub section: String,
    pub data: Option<String>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = evidence)]
pub struct NewEvidenceRow {
    pub id: String,
    pub application_id: i64,
    pub uploaded_by: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow {
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_role: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
    pub from_state: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = returns)]
pub struct NewReturnRow {
    pub application_id: i64,
    pub employer_id: i64,
    pub committee_id: Option<i64>,
    pub items: String,
    pub deadline: chrono::NaiveDate,
    pub returned_by: i64,
    pub returned_at: NaiveDateTime,
    pub sections_before: String,
}

#[derive(Insertable)]
#[diesel(table_name = refusals)]
pub struct NewRefusalRow {
    pub application_id: i64,
    pub committee_id: i64,
    pub reason: String,
    pub clause: String,
    pub note: String,
    pub refused_by: i64,
    pub refused_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = review_cases)]
pub struct NewReviewCase {
    pub application_id: i64,
    pub round_id: i64,
    pub committee_id: i64,
    pub specialty: String,
    pub assigned: i32,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    pub level: String,
    pub submitted: i32,
    pub mean_milli: i64,
    pub median_milli: i64,
    pub spread_milli: i64,
    pub stddev_milli: i64,
    pub vetoes: i32,
    pub widest: String,
}

#[derive(Insertable)]
#[diesel(table_name = reviews)]
pub struct NewReviewRow {
    pub application_id: i64,
    pub entry_id: i64,
    pub account_id: i64,
    pub round_id: i64,
    pub rubric_id: i64,
    pub status: String,
    pub marks: String,
    pub opinion: String,
    pub total_milli: i64,
    pub veto: bool,
    pub version: i32,
    pub saved_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
}

pub fn reviews(conn: &mut DbConnection, rows: &[NewReviewRow]) -> QueryResult<usize> {
    insert_chunks!(conn, reviews::table, rows)
}

#[derive(Insertable)]
#[diesel(table_name = assignments)]
pub struct NewAssignmentRow {
    pub application_id: i64,
    pub entry_id: i64,
    pub account_id: i64,
    pub round_id: i64,
    pub active: bool,
    pub assigned_at: NaiveDateTime,
    pub assigned_by: i64,
}

pub fn review_cases(conn: &mut DbConnection, rows: &[NewReviewCase]) -> QueryResult<usize> {
    insert_chunks!(conn, review_cases::table, rows)
}

pub fn assignments(conn: &mut DbConnection, rows: &[NewAssignmentRow]) -> QueryResult<usize> {
    insert_chunks!(conn, assignments::table, rows)
}

pub fn returns(conn: &mut DbConnection, rows: &[NewReturnRow]) -> QueryResult<usize> {
    insert_chunks!(conn, returns::table, rows)
}

pub fn refusals(conn: &mut DbConnection, rows: &[NewRefusalRow]) -> QueryResult<usize> {
    insert_chunks!(conn, refusals::table, rows)
}

pub fn accounts(conn: &mut DbConnection, rows: &[NewAccount]) -> QueryResult<usize> {
    insert_chunks!(conn, accounts::table, rows)
}

pub fn people(conn: &mut DbConnection, rows: &[NewPerson]) -> QueryResult<usize> {
    insert_chunks!(conn, people::table, rows)
}

pub fn employers(conn: &mut DbConnection, rows: &[NewEmployerRow]) -> QueryResult<usize> {
    insert_chunks!(conn, employers::table, rows)
}

pub fn applications(conn: &mut DbConnection, rows: &[NewApplication]) -> QueryResult<usize> {
    insert_chunks!(conn, applications::table, rows)
}

pub fn frozen(conn: &mut DbConnection, rows: &[NewFrozen]) -> QueryResult<usize> {
    insert_chunks!(conn, application_frozen::table, rows)
}

pub fn sections(conn: &mut DbConnection, rows: &[NewSection]) -> QueryResult<usize> {
    insert_chunks!(conn, application_sections::table, rows)
}

pub fn evidence(conn: &mut DbConnection, rows: &[NewEvidenceRow]) -> QueryResult<usize> {
    insert_chunks!(conn, evidence::table, rows)
}

pub fn audit(conn: &mut DbConnection, rows: &[NewAuditRow]) -> QueryResult<usize> {
    insert_chunks!(conn, audit_log::table, rows)
}

/// Ids of the accounts whose login names start with `prefix`, in insertion order.
pub fn account_ids(conn: &mut DbConnection, prefix: &str) -> QueryResult<Vec<i64>> {
    accounts::table
        .filter(accounts::login_name.like(format!("{prefix}%")))
        .order(accounts::id.asc())
        .select(accounts::id)
        .load(conn)
}

/// The highest application id so far (new ones are numbered after it).
pub fn max_application_id(conn: &mut DbConnection) -> QueryResult<i64> {
    let max: Option<i64> = applications::table
        .select(diesel::dsl::max(applications::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// A year's last reference number so far.
pub fn reference_counter(conn: &mut DbConnection, year: i32) -> QueryResult<i32> {
    Ok(reference_counters::table
        .find(year)
        .select(reference_counters::last)
        .first::<i32>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Sets a year's reference counter (after inserting numbered applications).
pub fn set_reference_counter(conn: &mut DbConnection, year: i32, last: i32) -> QueryResult<()> {
    let n = diesel::update(reference_counters::table.find(year))
        .set(reference_counters::last.eq(last))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(reference_counters::table)
            .values((
                reference_counters::year.eq(year),
                reference_counters::last.eq(last),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// After inserting rows with explicit ids, moves PostgreSQL's sequence past them.
/// Gathers the planner's statistics after a bulk load (outside any transaction).
pub fn analyze(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("ANALYZE").execute(conn).map(drop)
}

pub fn fix_sequences(conn: &mut DbConnection) -> QueryResult<()> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query(
            "SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT MAX(id) FROM applications))",
        )
        .execute(c)?;
    }
    Ok(())
}
