//! Passwords: a person changes their own; an admin issues a one-time reset link, disables,
//! enables and unlocks accounts. Each is one transaction with its audit row; a new password ends
//! every other session of the account.

use super::throttle::{self, Rule};
use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{AccountId, AuditAction, Password, Subject};
use crate::store::audit::{self, AuditActor};
use crate::store::{self, accounts, passwords, sessions, DbConnection};
use chrono::{Duration, NaiveDateTime};

/// Why a password change is refused after too many wrong current passwords.
pub const TOO_MANY: &str = "当前密码输错次数过多，请稍后再试";

/// How long a reset link works.
pub const RESET_HOURS: i64 = 24;

/// A change refused, with the field to show it beside.
#[derive(Debug)]
pub struct Refused {
    pub field: &'static str,
    pub message: String,
}

fn refused(field: &'static str, message: impl Into<String>) -> Refused {
    Refused {
        field,
        message: message.into(),
    }
}

/// The new password twice, checked; the message stands beside `new_password` or `confirm`.
pub fn new_password(new: &str, confirm: &str) -> Result<Password, Refused> {
    let password = Password::parse(new).map_err(|m| refused("new_password", m))?;
    if new != confirm {
        return Err(refused("confirm", "两次输入的新密码不一致"));
    }
    Ok(password)
}

/// Changes the actor's own password: the current one must be right. Wrong guesses are
/// throttled like logins (`rule`), so a stolen session cannot be used to guess the password.
/// Every session ends, this browser's (`keep_session`) too, which goes on under a new id:
/// returns its cookie token. Whoever held the old id (a fixation, a stolen cookie) is out.
/// Call it from a blocking thread: its password checks and hash run with no connection held.
pub fn change(
    pool: &crate::store::Pool,
    who: &Actor,
    current: &str,
    new: &Password,
    keep_session: &str,
    rule: Rule,
    now: NaiveDateTime,
) -> Result<Result<String, Refused>, ActionError> {
    let key = format!("password:account:{}", who.id);
    let stored = {
        let mut c = pool.get().map_err(crate::store::StoreError::from)?;
        // The attempt is counted before its password is checked, in a write that queues behind
        // every other attempt's (as at login): guesses sent in parallel see each other's counts,
        // so no more than the limit are ever checked before the pause. A right current password
        // takes its count back.
        let attempt = store::write(&mut c, |c| throttle::attempt(c, &key, now, rule))?;
        if let throttle::Attempt::Blocked(_) = attempt {
            return Ok(Err(refused("current_password", TOO_MANY)));
        }
        accounts::find(&mut c, who.id)?
            .ok_or(ActionError::NotFound)?
            .password_hash
    };
    if !crate::password::verify(current, &stored) {
        return Ok(Err(refused("current_password", "当前密码不正确")));
    }
    if crate::password::verify(new.expose(), &stored) {
        let mut c = pool.get().map_err(crate::store::StoreError::from)?;
        store::write(&mut c, |c| throttle::clear(c, &key))?;
        return Ok(Err(refused("new_password", "新密码不能与当前密码相同")));
    }
    let hash = crate::password::hash(new.expose());
    let mut c = pool.get().map_err(crate::store::StoreError::from)?;
    let token = store::write(&mut c, |c| {
        accounts::set_password(c, who.id, &hash, false)?;
        sessions::delete_others(c, who.id, keep_session)?;
        sessions::delete(c, keep_session)?;
        let account = accounts::find(c, who.id)?.ok_or(diesel::result::Error::NotFound)?;
        let (token, _) = sessions::create(c, account, now)?;
        throttle::clear(c, &key)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PasswordChange,
            &Subject::Account(who.id),
            "本人修改密码，其他设备上的登录已退出",
        )?;
        Ok::<_, crate::store::DbError>(token)
    })?;
    Ok(Ok(token))
}

/// Issues a one-time reset link token for another account (earlier links stop working); the
/// caller shows it once, with the account's login name. The account's person sets a password
/// with it, then logs in.
pub fn issue_reset(
    c: &mut DbConnection,
    who: &Actor,
    target: AccountId,
    now: NaiveDateTime,
) -> Result<(String, String), ActionError> {
    access::may_manage_account(who, target)?;
    let account = accounts::find(c, target)?.ok_or(ActionError::NotFound)?;
    let token = crate::password::random_token(32);
    let hash = sessions::hash_token(&token);
    store::write(c, |c| {
        passwords::insert_reset(
            c,
            &hash,
            target,
            who.id,
            now,
            now + Duration::hours(RESET_HOURS),
        )?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PasswordResetIssue,
            &Subject::Account(target),
            &format!(
                "为 {} 签发一次性密码重置链接（{RESET_HOURS} 小时内有效）",
                account.login_name
            ),
        )
    })?;
    Ok((token, account.login_name))
}

/// Whether a reset link still works (for showing its form).
pub fn reset_is_live(
    c: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<bool, ActionError> {
    Ok(passwords::live_reset(c, &sessions::hash_token(token), now)?.is_some())
}

/// Sets a password with a reset link: once, before it expires. Every session of the account
/// ends and any lockout is lifted. `Err(Refused)` when the link no longer works.
pub fn reset(
    c: &mut DbConnection,
    token: &str,
    new: &Password,
    now: NaiveDateTime,
) -> Result<Result<AccountId, Refused>, ActionError> {
    let hash = sessions::hash_token(token);
    let password_hash = crate::password::hash(new.expose());
    let done = store::write(c, |c| {
        let Some(account) = passwords::live_reset(c, &hash, now)? else {
            return Ok(None);
        };
        if !passwords::use_reset(c, &hash, now)? {
            return Ok(None);
        }
        accounts::set_password(c, account, &password_hash, false)?;
        sessions::delete_for_account(c, account)?;
        let role = accounts::find(c, account)?.map(|a| a.role);
        audit::record(
            c,
            now,
            AuditActor {
                id: Some(account),
                role,
            },
            AuditAction::PasswordReset,
            &Subject::Account(account),
            "用一次性链接设置了新密码",
        )?;
        Ok::<_, crate::store::DbError>(Some(account))
    })?;
    Ok(done.ok_or_else(|| refused("new_password", LINK_GONE)))
}

/// Why a reset link does not work.
pub const LINK_GONE: &str = "此重置链接已使用、已过期或已被新的链接取代。请联系管理员重新签发。";

/// Disables or enables another account; disabling ends its sessions at once.
pub fn set_active(
    c: &mut DbConnection,
    who: &Actor,
    target: AccountId,
    active: bool,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_account(who, target)?;
    let account = accounts::find(c, target)?.ok_or(ActionError::NotFound)?;
    let login = account.login_name;
    store::write(c, |c| {
        switch(c, who, target, active, &format!("账户 {login}"), now)
    })?;
    Ok(())
}

/// Inside a write: disables (ending its sessions at once) or enables an account, audited as
/// "停用/启用 {what}". The caller has checked who may.
pub fn switch(
    c: &mut DbConnection,
    who: &Actor,
    target: AccountId,
    active: bool,
    what: &str,
    now: NaiveDateTime,
) -> Result<(), crate::store::DbError> {
    accounts::set_active(c, target, active, Some(who.role))?;
    if !active {
        sessions::delete_for_account(c, target)?;
        // An employer switched off takes its clerks with it: their sessions end now, and they
        // cannot log in again until it is switched back on (see `accounts::login`).
        for clerk in accounts::staff_of(c, target)? {
            sessions::delete_for_account(c, clerk.id)?;
        }
    }
    let (action, verb) = match active {
        true => (AuditAction::AccountEnable, "启用"),
        false => (AuditAction::AccountDisable, "停用"),
    };
    audit::record(
        c,
        now,
        audit_actor(who),
        action,
        &Subject::Account(target),
        &format!("{verb}{what}"),
    )
}

/// Lifts a lockout after wrong passwords.
pub fn unlock(
    c: &mut DbConnection,
    who: &Actor,
    target: AccountId,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_account(who, target)?;
    let account = accounts::find(c, target)?.ok_or(ActionError::NotFound)?;
    store::write(c, |c| {
        accounts::unlock(c, target)?;
        crate::store::throttles::clear_name(c, &super::accounts::name_hash(&account.login_name))?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::AccountUnlock,
            &Subject::Account(target),
            &format!("解除账户 {} 的锁定", account.login_name),
        )
    })?;
    Ok(())
}
