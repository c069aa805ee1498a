//! An employer's named staff (经办人): the employer's own account (its administrator) adds
//! them (name and mobile, which is their login; a one-time password they change at first
//! login) and disables or enables them. Each employer action then records the staff member who
//! took it (谁审核谁签名谁负责).

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

/// Why a clerk was not added: the mobile is another account's login already.
pub const MOBILE_TAKEN: &str = "该手机号已是其他账户的登录名，请核对或换一个手机号";

/// Why an employer cannot switch a clerk back on.
pub const ADMIN_DISABLED: &str = "该经办人账户由管理员停用，只能由管理员启用";

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
    let login = new.mobile.as_str();
    let account = store::write(&mut c, |c| {
        if accounts::login_taken(c, login)? {
            return Err(ActionError::Refused(MOBILE_TAKEN.into()));
        }
        let account = accounts::insert(c, login, Role::Employer, new.name.as_str(), &hash, now)?;
        accounts::set_employer(c, account.id, who.org)?;
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
/// account is `NotFound`.
pub fn set_active(
    c: &mut DbConnection,
    who: &Actor,
    clerk: AccountId,
    active: bool,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    access::may_manage_staff(who)?;
    store::write(c, |c| {
        let account = accounts::find(c, clerk)?
            .filter(|a| a.employer == Some(who.org))
            .ok_or(ActionError::NotFound)?;
        if active && accounts::disabled_by(c, clerk)? == Some(Role::Admin) {
            return Err(ActionError::Refused(ADMIN_DISABLED.into()));
        }
        let what = format!("经办人 {}", account.display_name);
        Ok(super::passwords::switch(c, who, clerk, active, &what, now)?)
    })
}
