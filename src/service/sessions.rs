//! Sessions: finding the session of a cookie, ending one or all of an account's. Anonymous
//! visitors get no session row: their forms carry a signed double-submit token instead
//! (`web::session`).

use super::{audit_actor, Actor};
use crate::domain::{AuditAction, Subject};
use crate::store::sessions::{self, Lookup, SessionWrite};
use crate::store::{self, audit, DbConnection, DbError};
use chrono::{Duration, NaiveDateTime};

/// Session limits (from the configuration).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub max_age: Duration,
}

/// The session of a cookie token, if it is live, reading only, and the write it calls for: at
/// most one small write (last seen) a minute for a logged-in visitor, none for anonymous ones.
pub fn resolve(
    c: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
    limits: Limits,
) -> Result<(Lookup, Option<SessionWrite>), DbError> {
    sessions::lookup(c, token, now, limits.idle, limits.max_age)
}

/// Makes the write `resolve` called for.
pub fn apply(
    c: &mut DbConnection,
    write: &SessionWrite,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    sessions::apply(c, write, now)
}

/// Keeps a secret to show once on the page a redirect leads to (post/redirect/get): for this
/// session only, for five minutes at most.
pub fn flash_put(
    c: &mut DbConnection,
    token_hash: &str,
    value: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    store::write(c, |c| {
        crate::store::passwords::put_flash(c, token_hash, value, now)
    })
}

/// The secret `flash_put` kept, once: read and deleted.
pub fn flash_take(
    c: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, DbError> {
    store::write(c, |c| {
        crate::store::passwords::take_flash(c, token_hash, now - Duration::minutes(5))
    })
}

/// Ends a session on the server.
pub fn end(c: &mut DbConnection, token_hash: &str) -> Result<(), DbError> {
    sessions::delete(c, token_hash)
}

/// Ends every session of the actor's account, this one included, and records it.
pub fn end_everywhere(
    c: &mut DbConnection,
    who: &Actor,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    store::write(c, |c| {
        let n = sessions::delete_for_account(c, who.id)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::LogoutEverywhere,
            &Subject::Account(who.id),
            &format!("退出所有设备（{n} 个会话）"),
        )?;
        Ok(n)
    })
}

/// Housekeeping: sessions idle past the limit, and throttle scores long decayed.
pub fn purge(c: &mut DbConnection, now: NaiveDateTime, limits: Limits) -> Result<(), DbError> {
    sessions::purge_idle(c, now - limits.idle)?;
    crate::store::throttles::purge(c, now - Duration::days(1))?;
    crate::store::passwords::purge_flash(c, now - Duration::minutes(5))?;
    Ok(())
}

/// The key that signs anonymous visitors' CSRF tokens, the same for every instance.
pub fn csrf_key(c: &mut DbConnection) -> Result<Vec<u8>, DbError> {
    let hex_key =
        crate::store::secrets::get_or_create(c, "csrf_key", || crate::password::random_token(32))?;
    Ok(hex::decode(hex_key).unwrap_or_default())
}

/// How long a form posted after its session timed out is kept for the account to find again.
pub const KEPT_FORM_HOURS: i64 = 12;

/// Keeps what a form carried when its session had timed out (passwords and the CSRF token are
/// never kept), for the same account to find on the page after it logs in again.
pub fn keep_form(
    c: &mut DbConnection,
    account: crate::domain::AccountId,
    page: &str,
    fields: &[(String, String)],
    now: NaiveDateTime,
) -> Result<(), DbError> {
    let kept: Vec<&(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "csrf_token" && !k.contains("password"))
        .collect();
    let json =
        serde_json::to_string(&kept).map_err(|e| DbError::SerializationError(Box::new(e)))?;
    store::write(c, |c| {
        crate::store::kept::purge(c, now - Duration::hours(KEPT_FORM_HOURS))?;
        crate::store::kept::put(c, account, page, &json, now)
    })
}

/// The form kept for the account and page, once: read and deleted.
pub fn take_kept_form(
    c: &mut DbConnection,
    account: crate::domain::AccountId,
    page: &str,
    now: NaiveDateTime,
) -> Result<Option<Vec<(String, String)>>, DbError> {
    let json = store::write(c, |c| {
        crate::store::kept::take(c, account, page, now - Duration::hours(KEPT_FORM_HOURS))
    })?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}
