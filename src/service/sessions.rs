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
    // A session that timed out is kept a while longer (unusable: its lookup ends it), so a form
    // posted to it is recognised as that account's and kept, whoever logs in meanwhile.
    sessions::purge_idle(c, now - limits.idle - Duration::hours(KEPT_FORM_HOURS))?;
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
/// The most text one kept form may hold (its fields' names and values together): forms are
/// text typed by a person; anything larger is not a form of ours.
pub const MAX_KEPT_FORM_BYTES: usize = 64 * 1024;
/// The longest action or page path a kept form names (ours are short).
pub const MAX_KEPT_PATH: usize = 200;
/// The most forms kept for one account at once; older ones are forgotten first.
pub const MAX_KEPT_FORMS_PER_ACCOUNT: i64 = 20;

/// What a form carried when its session had timed out: its action, the page it was on, its
/// text fields and choices (never the CSRF token), and the names of the files it carried,
/// which are not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptForm {
    pub action: String,
    pub page: String,
    pub fields: Vec<(String, String)>,
    pub files: Vec<String>,
}

impl KeptForm {
    /// The bytes of text it holds.
    pub fn size(&self) -> usize {
        self.fields
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
            + self.files.iter().map(String::len).sum::<usize>()
    }
}

/// Keeps a form for the same account to find on its page after it logs in again; false (and
/// nothing kept) when it holds more than [`MAX_KEPT_FORM_BYTES`]. Which forms may be kept at
/// all (never a login, password or reset form) is the caller's decision, made by the form.
pub fn keep_form(
    c: &mut DbConnection,
    account: crate::domain::AccountId,
    form: &KeptForm,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let fields: Vec<&(String, String)> = form
        .fields
        .iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    if form.size() > MAX_KEPT_FORM_BYTES
        || form.action.len() > MAX_KEPT_PATH
        || form.page.len() > MAX_KEPT_PATH
    {
        return Ok(false);
    }
    fn json<T: serde::Serialize>(v: &T) -> Result<String, DbError> {
        serde_json::to_string(v).map_err(|e| DbError::SerializationError(Box::new(e)))
    }
    let (fields, files) = (json(&fields)?, json(&form.files)?);
    // What is stored is what counts: JSON writes a control character as six bytes.
    if fields.len() + files.len() > MAX_KEPT_FORM_BYTES {
        return Ok(false);
    }
    store::write(c, |c| {
        crate::store::kept::put(
            c,
            account,
            &form.action,
            &form.page,
            &fields,
            &files,
            MAX_KEPT_FORMS_PER_ACCOUNT,
            now,
        )
    })?;
    Ok(true)
}

/// The forms kept for the account from this page, once: read and deleted.
pub fn take_kept_forms(
    c: &mut DbConnection,
    account: crate::domain::AccountId,
    page: &str,
    now: NaiveDateTime,
) -> Result<Vec<KeptForm>, DbError> {
    let rows = store::write(c, |c| {
        crate::store::kept::take(c, account, page, now - Duration::hours(KEPT_FORM_HOURS))
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(KeptForm {
                fields: serde_json::from_str(&r.fields).ok()?,
                files: serde_json::from_str(&r.files).ok()?,
                page: page.to_string(),
                action: r.action,
            })
        })
        .collect())
}

/// The pages the account has forms kept from (not taken: each comes back on its page).
pub fn kept_pages(
    c: &mut DbConnection,
    account: crate::domain::AccountId,
    now: NaiveDateTime,
) -> Result<Vec<String>, DbError> {
    crate::store::kept::pages(c, account, now - Duration::hours(KEPT_FORM_HOURS))
}

/// Forgets forms kept longer than [`KEPT_FORM_HOURS`] (the server's sweep runs it).
pub fn purge_kept_forms(c: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    store::write(c, |c| {
        crate::store::kept::purge(c, now - Duration::hours(KEPT_FORM_HOURS))
    })
}
