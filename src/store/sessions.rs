//! Server-side sessions. The cookie holds a random token; the table holds its SHA-256, so a
//! leaked database does not leak live sessions.

use super::accounts::Account;
use super::schema::sessions;
use super::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A live session: its CSRF token and, once logged in, the account.
#[derive(Debug, Clone)]
pub struct SessionData {
    pub token_hash: String,
    pub csrf_token: String,
    pub account: Option<Account>,
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session and returns the cookie token with its data.
pub fn create(
    conn: &mut DbConnection,
    account: Option<Account>,
    now: NaiveDateTime,
) -> QueryResult<(String, SessionData)> {
    let token = crate::password::random_token(32);
    let data = SessionData {
        token_hash: hash_token(&token),
        csrf_token: crate::password::random_token(32),
        account,
    };
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(&data.token_hash),
            sessions::account_id.eq(data.account.as_ref().map(|a| a.id.0)),
            sessions::csrf_token.eq(&data.csrf_token),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok((token, data))
}

/// Finds the session of a cookie token. One idle longer than `idle` is deleted and not returned;
/// one seen more than a minute ago is marked as seen now.
pub fn lookup(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    idle: chrono::Duration,
) -> QueryResult<Option<SessionData>> {
    let token_hash = hash_token(token);
    let row: Option<(String, Option<i64>, NaiveDateTime)> = sessions::table
        .find(&token_hash)
        .select((
            sessions::csrf_token,
            sessions::account_id,
            sessions::last_seen_at,
        ))
        .first(conn)
        .optional()?;
    let Some((csrf_token, account_id, last_seen)) = row else {
        return Ok(None);
    };
    if now - last_seen > idle {
        diesel::delete(sessions::table.find(&token_hash)).execute(conn)?;
        return Ok(None);
    }
    let account = match account_id {
        Some(id) => match super::accounts::find(conn, crate::domain::AccountId(id))? {
            Some(a) if a.active => Some(a),
            _ => {
                diesel::delete(sessions::table.find(&token_hash)).execute(conn)?;
                return Ok(None);
            }
        },
        None => None,
    };
    if now - last_seen > chrono::Duration::seconds(60) {
        diesel::update(sessions::table.find(&token_hash))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(SessionData {
        token_hash,
        csrf_token,
        account,
    }))
}

/// Ends a session on the server.
pub fn delete(conn: &mut DbConnection, token_hash: &str) -> QueryResult<()> {
    diesel::delete(sessions::table.find(token_hash))
        .execute(conn)
        .map(|_| ())
}

/// Deletes sessions idle since before `cutoff`.
pub fn purge_idle(conn: &mut DbConnection, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::last_seen_at.lt(cutoff))).execute(conn)
}
