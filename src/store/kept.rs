//! Forms kept across a timed-out session: one per account and page, replaced by a newer one,
//! read once and deleted, forgotten after hours.

use super::schema::kept_forms;
use super::DbConnection;
use crate::domain::AccountId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Keeps what a form carried (its fields as JSON) for the account and page.
pub fn put(
    conn: &mut DbConnection,
    account: AccountId,
    page: &str,
    fields: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(kept_forms::table.find((account.0, page))).execute(conn)?;
    diesel::insert_into(kept_forms::table)
        .values((
            kept_forms::account_id.eq(account.0),
            kept_forms::page.eq(page),
            kept_forms::fields.eq(fields),
            kept_forms::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets kept forms older than `before`.
pub fn purge(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(kept_forms::table.filter(kept_forms::created_at.lt(before))).execute(conn)
}

/// Reads and deletes the form kept for the account and page, if younger than `since`.
pub fn take(
    conn: &mut DbConnection,
    account: AccountId,
    page: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let fields: Option<String> = kept_forms::table
        .find((account.0, page))
        .filter(kept_forms::created_at.gt(since))
        .select(kept_forms::fields)
        .first(conn)
        .optional()?;
    diesel::delete(kept_forms::table.find((account.0, page))).execute(conn)?;
    Ok(fields)
}
