//! One-time password reset links and one-time secrets to show after a redirect. Only hashes of
//! link tokens are kept; a flash value lives minutes at most and is deleted when read.

use super::schema::{password_resets, session_flash};
use super::DbConnection;
use crate::domain::AccountId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Stores a reset link's token hash; earlier unused links of the account stop working.
pub fn insert_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    account: AccountId,
    issued_by: AccountId,
    now: NaiveDateTime,
    expires: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        password_resets::table
            .filter(password_resets::account_id.eq(account.0))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(token_hash),
            password_resets::account_id.eq(account.0),
            password_resets::issued_by.eq(issued_by.0),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(expires),
        ))
        .execute(conn)
        .map(drop)
}

/// The account of a live (unused, unexpired) link.
pub fn live_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<AccountId>> {
    let row: Option<i64> = password_resets::table
        .find(token_hash)
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .select(password_resets::account_id)
        .first(conn)
        .optional()?;
    Ok(row.map(AccountId))
}

/// Uses a link up: true when it was still unused (of two uses at once, one wins).
pub fn use_reset(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        password_resets::table
            .find(token_hash)
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Keeps a one-time value for the session with this token hash (replacing any earlier one).
pub fn put_flash(
    conn: &mut DbConnection,
    token_hash: &str,
    value: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(session_flash::table.find(token_hash)).execute(conn)?;
    diesel::insert_into(session_flash::table)
        .values((
            session_flash::token_hash.eq(token_hash),
            session_flash::value.eq(value),
            session_flash::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets one-time values older than `before` (never read).
pub fn purge_flash(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(session_flash::table.filter(session_flash::created_at.lt(before))).execute(conn)
}

/// Reads and deletes the session's one-time value, if it is younger than `since`.
pub fn take_flash(
    conn: &mut DbConnection,
    token_hash: &str,
    since: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let value: Option<String> = session_flash::table
        .find(token_hash)
        .filter(session_flash::created_at.gt(since))
        .select(session_flash::value)
        .first(conn)
        .optional()?;
    diesel::delete(session_flash::table.find(token_hash)).execute(conn)?;
    Ok(value)
}
