//! Logging in: lockout after repeated wrong passwords, counted in the database so that every
//! instance agrees, and a fresh session id at login.

use crate::store::accounts::{self, Account};
use crate::store::{self, sessions, DbConnection};
use chrono::NaiveDateTime;

/// Lockout settings (from the configuration).
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub max_failures: i32,
    pub lock_for: chrono::Duration,
}

#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: the new session's cookie token and its account.
    LoggedIn { token: String, account: Account },
    /// Unknown login name or wrong password (the two are not told apart).
    Wrong,
    /// Locked until the given time (UTC), whatever the password.
    Locked(NaiveDateTime),
    /// The account was switched off by an administrator.
    Inactive,
}

/// Checks a login name and password; on success ends `old_session` and starts a new one.
pub fn login(
    conn: &mut DbConnection,
    login: &str,
    password: &str,
    old_session: Option<&str>,
    now: NaiveDateTime,
    policy: LockoutPolicy,
) -> Result<LoginOutcome, diesel::result::Error> {
    let Some(account) = accounts::find_by_login(conn, login.trim())? else {
        // Same work as for a real account, so timing does not tell which names exist.
        crate::password::verify(password, crate::password::dummy_hash());
        return Ok(LoginOutcome::Wrong);
    };
    if let Some(until) = account.locked_until {
        if until > now {
            return Ok(LoginOutcome::Locked(until));
        }
    }
    if !crate::password::verify(password, &account.password_hash) {
        return Ok(
            match accounts::note_failed_login(
                conn,
                &account,
                now,
                policy.max_failures,
                policy.lock_for,
            )? {
                Some(until) => LoginOutcome::Locked(until),
                None => LoginOutcome::Wrong,
            },
        );
    }
    if !account.active {
        return Ok(LoginOutcome::Inactive);
    }
    store::write(conn, |conn| {
        accounts::note_good_login(conn, &account, now)?;
        if let Some(old) = old_session {
            sessions::delete(conn, old)?;
        }
        let (token, _) = sessions::create(conn, Some(account.clone()), now)?;
        Ok(LoginOutcome::LoggedIn { token, account })
    })
}
