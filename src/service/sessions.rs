//! Sessions: finding the session of a cookie, starting an anonymous one on a page view, ending one.

use crate::store::sessions::{self, SessionData};
use crate::store::{DbConnection, DbError};
use chrono::{Duration, NaiveDateTime};

/// The live session of `token`; when there is none and the request is a page view, a new
/// anonymous session (so every form carries a CSRF token) with its cookie token.
pub fn resolve(
    c: &mut DbConnection,
    token: Option<&str>,
    page_view: bool,
    now: NaiveDateTime,
    idle: Duration,
) -> Result<(Option<SessionData>, Option<String>), DbError> {
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        if let Some(data) = sessions::lookup(c, token, now, idle)? {
            return Ok((Some(data), None));
        }
    }
    if page_view {
        sessions::purge_idle(c, now - idle)?;
        let (token, data) = sessions::create(c, None, now)?;
        return Ok((Some(data), Some(token)));
    }
    Ok((None, None))
}

/// Ends a session on the server.
pub fn end(c: &mut DbConnection, token_hash: &str) -> Result<(), DbError> {
    sessions::delete(c, token_hash)
}
