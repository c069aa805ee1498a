//! Employer registrations waiting for an admin, with their business licence scan.

use super::schema::employer_claims;
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
    employer_claims::table
        .filter(employer_claims::credit_code.eq(c.credit_code))
        .select(employer_claims::id)
        .order(employer_claims::id.desc())
        .first(conn)
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

/// Pending claims, those of one code side by side (ordered by code, then oldest first).
pub fn pending(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Claim>> {
    employer_claims::table
        .filter(employer_claims::status.eq(ClaimStatus::Pending.as_str()))
        .order((
            employer_claims::credit_code.asc(),
            employer_claims::id.asc(),
        ))
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(Claim::try_from)
        .collect()
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
