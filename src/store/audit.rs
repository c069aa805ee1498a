//! The append-only audit log. Each row's hash covers the previous row's hash and the row itself,
//! so a removed or edited row breaks the chain ([`verify_chain`]).

use super::schema::audit_log;
use super::{decode, DbConnection};
use crate::domain::{AccountId, AuditAction, Role, State, Subject};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// Who did it: an account and its role, or the system itself (no account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditActor {
    pub id: Option<AccountId>,
    pub role: Option<Role>,
}

impl AuditActor {
    pub const SYSTEM: AuditActor = AuditActor {
        id: None,
        role: None,
    };

    pub fn account(id: AccountId, role: Role) -> AuditActor {
        AuditActor {
            id: Some(id),
            role: Some(role),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = audit_log)]
struct Row {
    id: i64,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    at: chrono::NaiveDateTime,
    actor_id: Option<i64>,
    actor_role: Option<String>,
    action: String,
    subject: String,
    detail: String,
    prev_hash: String,
    hash: String,
    from_state: Option<String>,
}

/// One audit row, its codes read strictly.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: chrono::NaiveDateTime,
    pub actor: AuditActor,
    pub action: AuditAction,
    pub subject: String,
    pub detail: String,
    /// For a workflow step, the state it was taken from (rows written before this was recorded
    /// have none).
    pub from: Option<State>,
}

impl TryFrom<Row> for AuditRow {
    type Error = diesel::result::Error;
    fn try_from(r: Row) -> QueryResult<AuditRow> {
        Ok(AuditRow {
            id: r.id,
            at: r.at,
            actor: AuditActor {
                id: r.actor_id.map(AccountId),
                role: r
                    .actor_role
                    .as_deref()
                    .map(|s| decode(s, Role::parse, "role"))
                    .transpose()?,
            },
            action: decode(&r.action, AuditAction::parse, "audit action")?,
            subject: r.subject,
            detail: r.detail,
            from: r
                .from_state
                .as_deref()
                .map(|s| decode(s, State::parse, "state"))
                .transpose()?,
        })
    }
}

fn rows(raw: Vec<Row>) -> QueryResult<Vec<AuditRow>> {
    raw.into_iter().map(AuditRow::try_from).collect()
}

/// The hash of a row given the previous row's hash (bulk generation chains rows with it). A
/// workflow step's from-state is hashed after the detail; rows without one hash as they did
/// before it was recorded, so an old chain still verifies.
#[allow(clippy::too_many_arguments)]
pub fn row_hash(
    prev: &str,
    at: &chrono::NaiveDateTime,
    actor: Option<i64>,
    role: Option<&str>,
    action: &str,
    subject: &str,
    detail: &str,
    from: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        &actor.map(|a| a.to_string()).unwrap_or_default(),
        role.unwrap_or(""),
        action,
        subject,
        detail,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    if let Some(from) = from {
        h.update(b"from\0");
        h.update(from.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Appends one row. Call it inside the transaction of the change it records.
pub fn record(
    conn: &mut DbConnection,
    at: chrono::NaiveDateTime,
    actor: AuditActor,
    action: AuditAction,
    subject: &Subject,
    detail: &str,
) -> QueryResult<()> {
    record_step(conn, at, actor, action, None, subject, detail)
}

/// Appends one row naming the state a workflow step was taken from, so the timeline names the
/// transition (one action labels differently from different states).
pub fn record_step(
    conn: &mut DbConnection,
    at: chrono::NaiveDateTime,
    actor: AuditActor,
    action: AuditAction,
    from: Option<State>,
    subject: &Subject,
    detail: &str,
) -> QueryResult<()> {
    if let DbConnection::Pg(c) = conn {
        // Serialise writers of the chain; SQLite's write transactions already are.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7301)").execute(c)?;
    }
    let prev: Option<String> = audit_log::table
        .select(audit_log::hash)
        .order(audit_log::id.desc())
        .first(conn)
        .optional()?;
    let prev = prev.unwrap_or_default();
    let (actor_id, role) = (actor.id.map(|a| a.0), actor.role.map(Role::as_str));
    let (action, subject) = (action.code(), subject.to_string());
    let from = from.map(State::as_str);
    let hash = row_hash(&prev, &at, actor_id, role, &action, &subject, detail, from);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor_id.eq(actor_id),
            audit_log::actor_role.eq(role),
            audit_log::action.eq(&action),
            audit_log::subject.eq(&subject),
            audit_log::detail.eq(detail),
            audit_log::prev_hash.eq(&prev),
            audit_log::hash.eq(&hash),
            audit_log::from_state.eq(from),
        ))
        .execute(conn)?;
    Ok(())
}

/// The hash of the newest row ("" for an empty log).
pub fn last_hash(conn: &mut DbConnection) -> QueryResult<String> {
    Ok(audit_log::table
        .select(audit_log::hash)
        .order(audit_log::id.desc())
        .first::<String>(conn)
        .optional()?
        .unwrap_or_default())
}

macro_rules! subject_rows {
    ($subject:expr) => {
        audit_log::table
            .filter(audit_log::subject.eq($subject))
            .order(audit_log::id.asc())
            .select(Row::as_select())
    };
}

macro_rules! latest_rows {
    ($before:expr, $limit:expr) => {
        audit_log::table
            .filter(audit_log::id.lt($before))
            .order(audit_log::id.desc())
            .limit($limit)
            .select(Row::as_select())
    };
}

/// Rows about one subject, oldest first.
pub fn for_subject(conn: &mut DbConnection, subject: &Subject) -> QueryResult<Vec<AuditRow>> {
    rows(super::load_rows!(conn, subject_rows!(subject.to_string()))?)
}

/// The newest rows, newest first.
pub fn latest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    before(conn, None, limit)
}

/// A keyset page of rows older than `before` (the newest when `None`), newest first.
pub fn before(
    conn: &mut DbConnection,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    rows(super::load_rows!(
        conn,
        latest_rows!(before.unwrap_or(i64::MAX), limit)
    )?)
}

/// The list queries above, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let subject = "application:7".to_string();
    vec![
        super::plans::ListQuery::new(
            "an application's timeline",
            diesel::debug_query::<Sqlite, _>(&subject_rows!(&subject)).to_string(),
            diesel::debug_query::<Pg, _>(&subject_rows!(&subject)).to_string(),
        ),
        super::plans::ListQuery::new(
            "the audit log, a page",
            diesel::debug_query::<Sqlite, _>(&latest_rows!(1000i64, 21i64)).to_string(),
            diesel::debug_query::<Pg, _>(&latest_rows!(1000i64, 21i64)).to_string(),
        ),
    ]
}

/// Checks the whole chain; returns the id of the first row that does not fit, if any.
pub fn verify_chain(conn: &mut DbConnection) -> QueryResult<Option<i64>> {
    let rows: Vec<Row> = audit_log::table
        .order(audit_log::id.asc())
        .select(Row::as_select())
        .load(conn)?;
    let mut prev = String::new();
    for r in rows {
        let expected = row_hash(
            &prev,
            &r.at,
            r.actor_id,
            r.actor_role.as_deref(),
            &r.action,
            &r.subject,
            &r.detail,
            r.from_state.as_deref(),
        );
        if r.prev_hash != prev || r.hash != expected {
            return Ok(Some(r.id));
        }
        prev = r.hash;
    }
    Ok(None)
}
