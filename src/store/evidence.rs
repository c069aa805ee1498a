//! Evidence files: bytes in the database, beside the application that refers to them.

use super::schema::evidence;
use super::DbConnection;
use crate::domain::{AccountId, ApplicationId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A file to store, already checked (type sniffed from the bytes, size within limits).
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// An evidence file with its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence)]
pub struct EvidenceFile {
    pub id: String,
    pub application_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

impl EvidenceFile {
    pub fn application(&self) -> ApplicationId {
        ApplicationId(self.application_id)
    }
}

/// Stores one file under the given id and digest.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    application: ApplicationId,
    uploaded_by: AccountId,
    file: &NewEvidence,
    sha256: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(evidence::table)
        .values((
            evidence::id.eq(id),
            evidence::application_id.eq(application.0),
            evidence::uploaded_by.eq(uploaded_by.0),
            evidence::file_name.eq(&file.file_name),
            evidence::content_type.eq(file.content_type),
            evidence::size.eq(file.bytes.len() as i64),
            evidence::sha256.eq(sha256),
            evidence::bytes.eq(&file.bytes),
            evidence::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Copies one file of an application to another under a new id (a copied application owns
/// its own files, so deleting one never touches the other).
pub fn copy(
    conn: &mut DbConnection,
    id: &str,
    from: ApplicationId,
    new_id: &str,
    to: ApplicationId,
    uploaded_by: AccountId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let file = find(conn, id)?
        .filter(|f| f.application_id == from.0)
        .ok_or(diesel::result::Error::NotFound)?;
    let new = NewEvidence {
        file_name: file.file_name,
        // Stored types are the three evidence may have (sniffed when uploaded).
        content_type: ["application/pdf", "image/jpeg", "image/png"]
            .into_iter()
            .find(|t| *t == file.content_type)
            .unwrap_or("application/octet-stream"),
        bytes: file.bytes,
    };
    insert(conn, new_id, to, uploaded_by, &new, &file.sha256, now)
}

macro_rules! sizes_of {
    ($application:expr) => {
        evidence::table
            .filter(evidence::application_id.eq($application))
            .select(evidence::size)
    };
}

macro_rules! by_uploader {
    ($account:expr) => {
        evidence::table
            .filter(evidence::uploaded_by.eq($account))
            .count()
    };
}

/// Bytes of evidence already stored for an application.
pub fn total_bytes(conn: &mut DbConnection, application: ApplicationId) -> QueryResult<i64> {
    let sizes: Vec<i64> = super::load_rows!(conn, sizes_of!(application.0))?;
    Ok(sizes.iter().sum())
}

/// The list queries above, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    vec![
        super::plans::ListQuery::new(
            "evidence sizes of an application",
            diesel::debug_query::<Sqlite, _>(&sizes_of!(7i64)).to_string(),
            diesel::debug_query::<Pg, _>(&sizes_of!(7i64)).to_string(),
        ),
        super::plans::ListQuery::new(
            "evidence files of an applicant",
            diesel::debug_query::<Sqlite, _>(&by_uploader!(7i64)).to_string(),
            diesel::debug_query::<Pg, _>(&by_uploader!(7i64)).to_string(),
        ),
    ]
}

/// Files one account has uploaded, over every application.
pub fn count_by_uploader(conn: &mut DbConnection, account: AccountId) -> QueryResult<i64> {
    by_uploader!(account.0).get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EvidenceFile>> {
    super::first_row!(
        conn,
        evidence::table.find(id).select(EvidenceFile::as_select())
    )
}

/// The application an evidence file belongs to, without reading its bytes.
pub fn owner(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ApplicationId>> {
    let row: Option<i64> = super::first_row!(
        conn,
        evidence::table.find(id).select(evidence::application_id)
    )?;
    Ok(row.map(ApplicationId))
}

pub fn delete(conn: &mut DbConnection, application: ApplicationId, id: &str) -> QueryResult<()> {
    diesel::delete(
        evidence::table
            .filter(evidence::id.eq(id))
            .filter(evidence::application_id.eq(application.0)),
    )
    .execute(conn)
    .map(drop)
}
