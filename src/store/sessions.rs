//! Server-side sessions of logged-in accounts. The cookie holds a random token; the table holds
//! its SHA-256, so a leaked database does not leak live sessions. Anonymous visitors have none.

use super::accounts::{Account, SessionAccount, SessionAccountRow};
use super::schema::{accounts, sessions};
use super::stamp::Stamp;
use super::DbConnection;
use crate::domain::AccountId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A live session: its account and CSRF token.
#[derive(Debug, Clone)]
pub struct SessionData {
    pub token_hash: String,
    pub csrf_token: String,
    pub account: SessionAccount,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session for an account and returns the cookie token with its data.
pub fn create(
    conn: &mut DbConnection,
    account: Account,
    now: NaiveDateTime,
) -> QueryResult<(String, SessionData)> {
    let token = crate::password::random_token(32);
    let data = SessionData {
        token_hash: hash_token(&token),
        csrf_token: crate::password::random_token(32),
        account: account.into(),
    };
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(&data.token_hash),
            sessions::account_id.eq(Some(data.account.id.0)),
            sessions::csrf_token.eq(&data.csrf_token),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok((token, data))
}

/// How a cookie's session stands.
#[derive(Debug)]
pub enum Lookup {
    Live(SessionData),
    /// It existed but ended (idle, too old, or its account switched off); now deleted. When it
    /// timed out on an account still active: whose it was and its CSRF token, so a form posted
    /// to it can be kept for that account.
    Ended(Option<TimedOut>),
    Unknown,
}

/// A session that timed out: its account and the CSRF token its pages carried.
#[derive(Debug, Clone)]
pub struct TimedOut {
    pub account: AccountId,
    pub csrf_token: String,
}

/// The write a lookup calls for, made apart from the read (on the blocking pool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionWrite {
    /// Seen more than a minute ago: mark it seen now.
    Touch(String),
    /// Ended: delete it.
    Delete(String),
}

/// Finds the session of a cookie token, reading only. One idle longer than `idle` or older than
/// `max_age` has ended (and should be deleted); one seen more than a minute ago should be marked
/// seen.
pub fn lookup(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    idle: Duration,
    max_age: Duration,
) -> QueryResult<(Lookup, Option<SessionWrite>)> {
    let token_hash = hash_token(token);
    // One query: the session and its account (every session row names one).
    let row: Option<(String, Stamp, Stamp, SessionAccountRow)> = super::first_row!(
        conn,
        sessions::table
            .find(&token_hash)
            .inner_join(accounts::table)
            .select((
                sessions::csrf_token,
                sessions::created_at,
                sessions::last_seen_at,
                SessionAccountRow::as_select(),
            ))
    )?;
    let Some((csrf_token, Stamp(created), Stamp(last_seen), account)) = row else {
        return Ok((Lookup::Unknown, None));
    };
    let account = SessionAccount::try_from(account)?;
    let live = now - last_seen <= idle && now - created <= max_age;
    if !account.active {
        return Ok((Lookup::Ended(None), Some(SessionWrite::Delete(token_hash))));
    }
    if !live {
        // Timed out: the row stays (it can do nothing) until the purge, so that every tab of
        // the browser whose form is posted to it still has it recognised and kept.
        let timed_out = TimedOut {
            account: account.id,
            csrf_token,
        };
        return Ok((Lookup::Ended(Some(timed_out)), None));
    }
    let write =
        (now - last_seen > Duration::seconds(60)).then(|| SessionWrite::Touch(token_hash.clone()));
    Ok((
        Lookup::Live(SessionData {
            token_hash,
            csrf_token,
            account,
        }),
        write,
    ))
}

/// Makes the write a lookup called for.
pub fn apply(conn: &mut DbConnection, write: &SessionWrite, now: NaiveDateTime) -> QueryResult<()> {
    match write {
        SessionWrite::Touch(hash) => diesel::update(sessions::table.find(hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)
            .map(drop),
        SessionWrite::Delete(hash) => delete(conn, hash),
    }
}

/// Ends a session on the server.
pub fn delete(conn: &mut DbConnection, token_hash: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(token_hash))
        .execute(conn)
        .map(drop)
}

macro_rules! of_account {
    ($account:expr) => {
        sessions::table.filter(sessions::account_id.eq($account))
    };
}

/// Ends every session of an account ("log out everywhere"); returns how many.
pub fn delete_for_account(conn: &mut DbConnection, account: AccountId) -> QueryResult<usize> {
    diesel::delete(of_account!(account.0)).execute(conn)
}

/// An account's sessions, as the deletes above find them, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    let q = of_account!(7i64).select(sessions::token_hash);
    vec![super::plans::ListQuery::new(
        "sessions of an account",
        diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string(),
        diesel::debug_query::<diesel::pg::Pg, _>(&q).to_string(),
    )]
}

/// Deletes every session of an account but one (this browser's, by its token hash).
pub fn delete_others(
    conn: &mut DbConnection,
    account: AccountId,
    keep: &str,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::account_id.eq(account.0))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)
}

/// Deletes sessions idle since before `cutoff`.
pub fn purge_idle(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::last_seen_at.lt(cutoff))).execute(conn)
}

/// How many sessions exist (tests check that anonymous visits write none).
pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    sessions::table.count().get_result(conn)
}
