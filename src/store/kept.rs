//! Forms kept across a timed-out session: one per account and form (its action), replaced by a
//! newer one, read once with the page they were on and deleted, forgotten after hours.

use super::schema::kept_forms;
use super::DbConnection;
use crate::domain::AccountId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A kept form as stored: its fields and the names of its files as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct KeptRow {
    pub action: String,
    pub fields: String,
    pub files: String,
}

/// Keeps what a form carried for the account, keyed by the form's action, with the page to
/// return to; then forgets the account's oldest beyond `max_per_account`.
#[allow(clippy::too_many_arguments)]
pub fn put(
    conn: &mut DbConnection,
    account: AccountId,
    action: &str,
    page: &str,
    fields: &str,
    files: &str,
    max_per_account: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(kept_forms::table.find((account.0, action))).execute(conn)?;
    diesel::insert_into(kept_forms::table)
        .values((
            kept_forms::account_id.eq(account.0),
            kept_forms::action.eq(action),
            kept_forms::page.eq(page),
            kept_forms::fields.eq(fields),
            kept_forms::files.eq(files),
            kept_forms::created_at.eq(now),
        ))
        .execute(conn)?;
    let stale: Vec<String> = kept_forms::table
        .filter(kept_forms::account_id.eq(account.0))
        .order((kept_forms::created_at.desc(), kept_forms::action.asc()))
        .offset(max_per_account)
        .select(kept_forms::action)
        .load(conn)?;
    for action in stale {
        diesel::delete(kept_forms::table.find((account.0, action))).execute(conn)?;
    }
    Ok(())
}

/// Forgets kept forms older than `before`.
pub fn purge(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(kept_forms::table.filter(kept_forms::created_at.lt(before))).execute(conn)
}

/// Reads and deletes the forms kept for the account from the page, if younger than `since`.
pub fn take(
    conn: &mut DbConnection,
    account: AccountId,
    page: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<KeptRow>> {
    let mine = kept_forms::table
        .filter(kept_forms::account_id.eq(account.0))
        .filter(kept_forms::page.eq(page));
    let rows = mine
        .filter(kept_forms::created_at.gt(since))
        .order(kept_forms::action.asc())
        .select((kept_forms::action, kept_forms::fields, kept_forms::files))
        .load(conn)?;
    diesel::delete(mine).execute(conn)?;
    Ok(rows)
}

/// The pages the account has forms kept from, younger than `since` (without taking them).
pub fn pages(
    conn: &mut DbConnection,
    account: AccountId,
    since: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    kept_forms::table
        .filter(kept_forms::account_id.eq(account.0))
        .filter(kept_forms::created_at.gt(since))
        .select(kept_forms::page)
        .distinct()
        .order(kept_forms::page.asc())
        .load(conn)
}
