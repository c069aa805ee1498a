//! An employer's named staff (经办人): the employer's own account (its administrator) adds
//! them (name and contact mobile; a login of the employer's code and a number, and a one-time
//! password they change at first login), resets their password, and disables or enables them.
//! Each employer action then records the staff member who took it (谁审核谁签名谁负责).
//!
//! A clerk's login is never their mobile: adding one must not tell the employer whether a
//! mobile is already someone's login (an applicant's, say).

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{AccountId, AuditAction, MobileNumber, PersonName, Role, Subject};
use crate::store::accounts::{self, Account};
use crate::store::{self, audit, DbConnection, Pool, StoreError};
use chrono::NaiveDateTime;

pub struct NewClerk {
    pub name: PersonName,
    pub mobile: MobileNumber,
}

/// How often an employer may add clerks: generous for an HR office, a wall for a script.
pub const ADD_PER_EMPLOYER: super::throttle::Rule = super::throttle::Rule {
    limit: 20.0,
    half_life: chrono::Duration::minutes(60),
    block: chrono::Duration::minutes(60),
};

/// The answer when an employer has added too many clerks at once.
pub const TOO_MANY_CLERKS: &str = "添加经办人过于频繁，请一小时后再试";

/// The login of an employer's next clerk: its credit code and the first free number (an
/// employer has tens of clerks, not thousands).
fn next_login(c: &mut DbConnection, employer: AccountId) -> Result<String, ActionError> {
    let code = accounts::employer(c, employer)?
        .map(|e| e.credit_code)
        .ok_or(ActionError::NotFound)?;
    let mut n = 1;
    loop {
        let login = format!("{code}-{n:02}");
        if !accounts::login_taken(c, &login)? {
            return Ok(login);
        }
        n += 1;
    }
}

/// Why an employer cannot switch a clerk back on.
pub const ADMIN_DISABLED: &str = "该经办人账户由管理员停用，只能由管理员启用";

/// Why a clerk is left as it is: the page showed it switched on, and another window (or another
/// person) switched it off since.
pub const ALREADY_DISABLED: &str =
    "该经办人已经停用（可能是在另一个窗口中或由他人操作的），本次未作改动。下面是最新情况。";

/// The same for a clerk the page showed switched off.
pub const ALREADY_ENABLED: &str =
    "该经办人已经启用（可能是在另一个窗口中操作的），本次未作改动。下面是最新情况。";

/// Adds a clerk; returns the account and its one-time password (shown once).
pub fn add(
    pool: &Pool,
    who: &Actor,
    new: &NewClerk,
    now: NaiveDateTime,
) -> Result<(Account, String), ActionError> {
    access::may_manage_staff(who)?;
    let password = crate::password::random_password();
    let hash = crate::password::hash(&password);
    let mut c = pool.get().map_err(StoreError::from)?;
    let account = store::write(&mut c, |c| {
        let key = format!("staff:add:{}", who.org);
        if super::throttle::blocked(c, &key, now)? {
            return Err(ActionError::Refused(TOO_MANY_CLERKS.into()));
        }
        super::throttle::hit(c, &key, now, ADD_PER_EMPLOYER)?;
        let login = next_login(c, who.org)?;
        let account = accounts::insert(c, &login, Role::Employer, new.name.as_str(), &hash, now)?;
        accounts::set_employer(c, account.id, who.org)?;
        accounts::set_mobile(c, account.id, new.mobile.as_str())?;
        accounts::set_password(c, account.id, &hash, true)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::AccountCreate,
            &Subject::Account(account.id),
            &format!("添加经办人 {}", new.name.as_str()),
        )?;
        Ok(account)
    })?;
    Ok((account, password))
}

/// The employer's clerks.
pub fn list(c: &mut DbConnection, who: &Actor) -> Result<Vec<Account>, ActionError> {
    access::may_manage_staff(who)?;
    Ok(accounts::staff_of(c, who.org)?)
}

/// Disables (ending their sessions) or enables one of the employer's clerks; anyone else's
/// account is `NotFound`. `active` is the switch the page offered, so it must still be the other
/// way: a clerk switched already (from another window, or by an admin) is left as it is and the
/// person told so, rather than switched "again" with an audit row of its own.
pub fn set_active(
    c: &mut DbConnection,
    who: &Actor,
    clerk: AccountId,
    active: bool,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_staff(who)?;
    store::write(c, |c| {
        let account = accounts::find_for_update(c, clerk)?
            .filter(|a| a.employer == Some(who.org))
            .ok_or(ActionError::NotFound)?;
        // An admin's switch-off is the admin's to undo: the employer neither switches the clerk
        // on nor switches it "off" again (which would make the switch-off its own).
        if !account.active && accounts::disabled_by(c, clerk)? == Some(Role::Admin) {
            return Err(ActionError::Refused(ADMIN_DISABLED.into()));
        }
        if account.active == active {
            let already = if active {
                ALREADY_ENABLED
            } else {
                ALREADY_DISABLED
            };
            return Err(ActionError::Refused(already.into()));
        }
        let what = format!("经办人 {}", account.display_name);
        Ok(super::passwords::switch(c, who, clerk, active, &what, now)?)
    })
}

/// Sets a new one-time password for one of the employer's clerks (ending their sessions); they
/// change it at first login. Returns the clerk's login and the password, shown once. The page
/// offers it for a clerk switched on; one switched off since is left as it is.
pub fn reset_password(
    pool: &Pool,
    who: &Actor,
    clerk: AccountId,
    now: NaiveDateTime,
) -> Result<(String, String), ActionError> {
    access::may_manage_staff(who)?;
    let password = crate::password::random_password();
    let hash = crate::password::hash(&password);
    let mut c = pool.get().map_err(StoreError::from)?;
    let login = store::write(&mut c, |c| {
        let account = accounts::find_for_update(c, clerk)?
            .filter(|a| a.employer == Some(who.org))
            .ok_or(ActionError::NotFound)?;
        if !account.active && account.disabled_by == Some(Role::Admin) {
            return Err(ActionError::Refused(ADMIN_DISABLED.into()));
        }
        if !account.active {
            return Err(ActionError::Refused(ALREADY_DISABLED.into()));
        }
        accounts::set_password(c, clerk, &hash, true)?;
        crate::store::sessions::delete_for_account(c, clerk)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::PasswordResetIssue,
            &Subject::Account(clerk),
            &format!("为经办人 {} 设置一次性初始密码", account.display_name),
        )?;
        Ok::<_, ActionError>(account.login_name)
    })?;
    Ok((login, password))
}

/// Whether an account is a clerk whose login is still a mobile number (clerks added before
/// they had logins of their own).
pub fn holds_mobile_login(account: &Account) -> bool {
    account.employer.is_some() && MobileNumber::parse(&account.login_name).is_ok()
}

/// An admin releases the mobile a clerk logs in with (so that its owner can register with it):
/// the clerk logs in as "<credit code>-<nn>" from now on, the mobile kept as their contact.
/// Returns the new login, for the admin to pass on through the employer.
pub fn release_mobile(
    c: &mut DbConnection,
    who: &Actor,
    clerk: AccountId,
    now: NaiveDateTime,
) -> Result<String, ActionError> {
    access::may_manage_account(who, clerk)?;
    store::write(c, |c| {
        let account = accounts::find(c, clerk)?.ok_or(ActionError::NotFound)?;
        let Some(employer) = account.employer.filter(|_| holds_mobile_login(&account)) else {
            return Err(ActionError::Refused(
                "只有以手机号登录的经办人账户可以释放手机号".into(),
            ));
        };
        let login = next_login(c, employer)?;
        accounts::set_mobile(c, clerk, &account.login_name)?;
        accounts::rename_login(c, clerk, &login)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::AccountUpdate,
            &Subject::Account(clerk),
            &format!(
                "释放经办人 {} 的手机号 {}，登录名改为 {login}",
                account.display_name, account.login_name
            ),
        )?;
        Ok(login)
    })
}
