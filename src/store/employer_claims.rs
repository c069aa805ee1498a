//! Employer registrations waiting for an admin, with their business licence scan.

use super::schema::{employer_claim_sources, employer_claims};
use super::{decode, DbConnection};
use crate::domain::{AccountId, ClaimStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = employer_claims)]
struct Row {
    id: i64,
    name: String,
    credit_code: String,
    contact_name: String,
    contact_phone: String,
    password_hash: String,
    licence_file_name: String,
    licence_content_type: String,
    licence_sha256: String,
    status: String,
    review_note: String,
    reviewed_by: Option<i64>,
    reviewed_at: Option<NaiveDateTime>,
    account_id: Option<i64>,
    created_at: NaiveDateTime,
}

/// A claim without its licence bytes.
#[derive(Debug, Clone)]
pub struct Claim {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub password_hash: String,
    pub licence_file_name: String,
    pub licence_content_type: String,
    pub licence_sha256: String,
    pub status: ClaimStatus,
    pub review_note: String,
    pub reviewed_by: Option<AccountId>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub account: Option<AccountId>,
    pub created_at: NaiveDateTime,
}

impl TryFrom<Row> for Claim {
    type Error = diesel::result::Error;
    fn try_from(r: Row) -> QueryResult<Claim> {
        Ok(Claim {
            id: r.id,
            status: decode(&r.status, ClaimStatus::parse, "claim status")?,
            name: r.name,
            credit_code: r.credit_code,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            password_hash: r.password_hash,
            licence_file_name: r.licence_file_name,
            licence_content_type: r.licence_content_type,
            licence_sha256: r.licence_sha256,
            review_note: r.review_note,
            reviewed_by: r.reviewed_by.map(AccountId),
            reviewed_at: r.reviewed_at,
            account: r.account_id.map(AccountId),
            created_at: r.created_at,
        })
    }
}

/// A new claim, as stored.
pub struct NewClaim<'a> {
    pub name: &'a str,
    pub credit_code: &'a str,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub password_hash: &'a str,
    pub licence_file_name: &'a str,
    pub licence_content_type: &'a str,
    pub licence_sha256: &'a str,
    pub licence_bytes: &'a [u8],
    /// Where it came from, hashed (claims are bounded per address).
    pub client: &'a str,
}

/// Inserts a pending claim and returns its id.
pub fn insert(conn: &mut DbConnection, c: &NewClaim<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(employer_claims::table)
        .values((
            employer_claims::name.eq(c.name),
            employer_claims::credit_code.eq(c.credit_code),
            employer_claims::contact_name.eq(c.contact_name),
            employer_claims::contact_phone.eq(c.contact_phone),
            employer_claims::password_hash.eq(c.password_hash),
            employer_claims::licence_file_name.eq(c.licence_file_name),
            employer_claims::licence_content_type.eq(c.licence_content_type),
            employer_claims::licence_sha256.eq(c.licence_sha256),
            employer_claims::licence_bytes.eq(c.licence_bytes),
            employer_claims::status.eq(ClaimStatus::Pending.as_str()),
            employer_claims::review_note.eq(""),
            employer_claims::created_at.eq(now),
        ))
        .execute(conn)?;
    let id = employer_claims::table
        .filter(employer_claims::credit_code.eq(c.credit_code))
        .select(employer_claims::id)
        .order(employer_claims::id.desc())
        .first(conn)?;
    diesel::insert_into(employer_claim_sources::table)
        .values((
            employer_claim_sources::claim_id.eq(id),
            employer_claim_sources::client.eq(c.client),
            employer_claim_sources::licence_size.eq(c.licence_bytes.len() as i64),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Claim>> {
    employer_claims::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(Claim::try_from)
        .transpose()
}

macro_rules! pending_page_query {
    ($before:expr, $limit:expr) => {
        employer_claims::table
            .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str()))
            .filter(employer_claims::id.lt($before))
            .order(employer_claims::id.desc())
            .limit($limit)
            .select(Row::as_select())
    };
}

/// A page of pending claims, newest first, before the claim `before` (keyset).
pub fn pending_page(
    conn: &mut DbConnection,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Claim>> {
    pending_page_query!(before.unwrap_or(i64::MAX), limit)
        .load(conn)?
        .into_iter()
        .map(Claim::try_from)
        .collect()
}

/// How many claims are pending.
pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
    employer_claims::table
        .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str()))
        .count()
        .get_result(conn)
}

/// How many pending claims each of these codes has (codes without one are left out).
pub fn pending_per_code(
    conn: &mut DbConnection,
    codes: &[String],
) -> QueryResult<Vec<(String, i64)>> {
    employer_claims::table
        .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str()))
        .filter(employer_claims::credit_code.eq_any(codes))
        .group_by(employer_claims::credit_code)
        .select((employer_claims::credit_code, diesel::dsl::count_star()))
        .load(conn)
}

/// Pending claims from one (hashed) address, and the bytes of every pending claim's licence.
pub fn pending_load(conn: &mut DbConnection, client: &str) -> QueryResult<(i64, i64)> {
    let pending = employer_claim_sources::table
        .inner_join(employer_claims::table)
        .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str()));
    let from_client = pending
        .filter(employer_claim_sources::client.eq(client))
        .count()
        .get_result(conn)?;
    // The sum of BIGINTs is a NUMERIC on PostgreSQL: cast back, the same text on both.
    let bytes: i64 = pending
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(employer_claim_sources.licence_size), 0) AS BIGINT)",
        ))
        .first(conn)?;
    Ok((from_client, bytes))
}

/// The licence scan: (file name, content type, bytes).
pub fn licence(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(String, String, Vec<u8>)>> {
    employer_claims::table
        .find(id)
        .select((
            employer_claims::licence_file_name,
            employer_claims::licence_content_type,
            employer_claims::licence_bytes,
        ))
        .first(conn)
        .optional()
}

/// Records a decision on a pending claim; false when it was no longer pending.
pub fn decide(
    conn: &mut DbConnection,
    id: i64,
    status: ClaimStatus,
    note: &str,
    by: AccountId,
    account: Option<AccountId>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        employer_claims::table
            .filter(employer_claims::id.eq(id))
            .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str())),
    )
    .set((
        employer_claims::status.eq(status.as_str()),
        employer_claims::review_note.eq(note),
        employer_claims::reviewed_by.eq(Some(by.0)),
        employer_claims::reviewed_at.eq(Some(now)),
        employer_claims::account_id.eq(account.map(|a| a.0)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The admin's queue, for the plan test: a range of the (status, id) index.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    vec![super::plans::ListQuery::new(
        "pending employer claims, a page",
        diesel::debug_query::<Sqlite, _>(&pending_page_query!(1000i64, 21i64)).to_string(),
        diesel::debug_query::<Pg, _>(&pending_page_query!(1000i64, 21i64)).to_string(),
    )]
}
