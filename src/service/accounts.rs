//! Accounts: registration, staff accounts, logging in. Password hashing and checking run
//! outside any transaction and without holding a pooled connection, so a burst of logins never
//! starves page views of connections.

use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{
    AccountId, AuditAction, CreditCode, IdNumber, LoginName, MobileNumber, Password, PersonName,
    RequiredText, Role, Subject,
};
use crate::store::accounts::{self, Account, Employer, Person};
use crate::store::audit::{self, AuditActor};
use crate::store::{self, sessions, DbConnection, DbError, Pool, StoreError};
use chrono::{Duration, NaiveDateTime};

/// Another account already uses this value; `field` is the form field to mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    pub field: &'static str,
    pub message: &'static str,
}

#[derive(Debug)]
enum CreateError {
    Duplicate(Duplicate),
    Db(DbError),
}

impl From<DbError> for CreateError {
    fn from(e: DbError) -> Self {
        CreateError::Db(e)
    }
}

fn split<T>(r: Result<T, CreateError>) -> Result<Result<T, Duplicate>, StoreError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(CreateError::Duplicate(d)) => Ok(Err(d)),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}

pub struct NewApplicant {
    pub name: PersonName,
    pub id_number: IdNumber,
    pub mobile: MobileNumber,
}

pub struct NewEmployer {
    pub name: RequiredText,
    pub credit_code: CreditCode,
    pub contact_name: RequiredText,
    pub contact_phone: MobileNumber,
}

pub struct NewStaff {
    pub login_name: LoginName,
    pub role: Role,
    pub display_name: RequiredText,
}

/// A new account logged in: its session's cookie token and the account.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub account: Account,
}

fn hash(password: &Password) -> String {
    crate::password::hash(password.expose())
}

/// Registers an applicant (the mobile number is the login name) and logs them in, ending
/// `old_session`. Call it from a blocking thread: it hashes the password first.
pub fn register_applicant(
    pool: &Pool,
    new: &NewApplicant,
    password: &Password,
    old_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<Result<LoggedIn, Duplicate>, StoreError> {
    let password_hash = hash(password);
    let mut c = pool.get()?;
    split(store::write(&mut c, |c| {
        let account = insert_applicant(c, new, &password_hash, now)?;
        Ok(start_session(c, account, old_session, now)?)
    }))
}

/// Registers an employer (the credit code is the login name) and logs it in.
pub fn register_employer(
    pool: &Pool,
    new: &NewEmployer,
    password: &Password,
    old_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<Result<LoggedIn, Duplicate>, StoreError> {
    let password_hash = hash(password);
    let mut c = pool.get()?;
    split(store::write(&mut c, |c| {
        let account = insert_employer(c, new, &password_hash, now)?;
        Ok(start_session(c, account, old_session, now)?)
    }))
}

fn start_session(
    c: &mut DbConnection,
    account: Account,
    old_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<LoggedIn, DbError> {
    if let Some(old) = old_session {
        sessions::delete(c, old)?;
    }
    let (token, _) = sessions::create(c, account.clone(), now)?;
    Ok(LoggedIn { token, account })
}

/// Inserts an applicant with a ready hash (also used by the demo). Call inside a write transaction.
fn insert_applicant(
    c: &mut DbConnection,
    new: &NewApplicant,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    if accounts::id_number_taken(c, new.id_number.as_str())? {
        return Err(CreateError::Duplicate(Duplicate {
            field: "id_number",
            message: "该身份证号已注册，请直接登录或找回密码",
        }));
    }
    let mobile = new.mobile.as_str();
    if accounts::mobile_taken(c, mobile)? || accounts::login_taken(c, mobile)? {
        return Err(CreateError::Duplicate(Duplicate {
            field: "mobile",
            message: "该手机号码已注册，请直接登录",
        }));
    }
    let account = accounts::insert(
        c,
        mobile,
        Role::Applicant,
        new.name.as_str(),
        password_hash,
        now,
    )?;
    accounts::insert_person(
        c,
        &Person {
            account_id: account.id.0,
            name: new.name.as_str().into(),
            id_number: new.id_number.as_str().into(),
            mobile: mobile.into(),
        },
    )?;
    record_self(c, &account, AuditAction::AccountRegister, "申报人注册", now)?;
    Ok(account)
}

fn insert_employer(
    c: &mut DbConnection,
    new: &NewEmployer,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    let code = new.credit_code.as_str();
    if accounts::credit_code_taken(c, code)? || accounts::login_taken(c, code)? {
        return Err(CreateError::Duplicate(Duplicate {
            field: "credit_code",
            message: "该统一社会信用代码已注册，请直接登录",
        }));
    }
    let account = accounts::insert(
        c,
        code,
        Role::Employer,
        new.name.as_str(),
        password_hash,
        now,
    )?;
    accounts::insert_employer(
        c,
        &Employer {
            account_id: account.id.0,
            name: new.name.as_str().into(),
            credit_code: code.into(),
            credit_code_verified: new.credit_code.check_ok(),
            contact_name: new.contact_name.as_str().into(),
            contact_phone: new.contact_phone.as_str().into(),
        },
    )?;
    let detail = if new.credit_code.check_ok() {
        "用人单位注册"
    } else {
        "用人单位注册（信用代码校验位不符，已由用户确认）"
    };
    record_self(c, &account, AuditAction::AccountRegister, detail, now)?;
    Ok(account)
}

fn record_self(
    c: &mut DbConnection,
    account: &Account,
    action: AuditAction,
    detail: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    audit::record(
        c,
        now,
        AuditActor::account(account.id, account.role),
        action,
        &Subject::Account(account.id),
        detail,
    )
}

/// An admin creates an office, expert or admin account with a random password, returned once.
pub fn create_staff(
    pool: &Pool,
    who: &Actor,
    new: &NewStaff,
    now: NaiveDateTime,
) -> Result<Result<(Account, String), Duplicate>, ActionError> {
    access::may_create_staff(who, new.role)?;
    let password = crate::password::random_password();
    let password_hash = crate::password::hash(&password);
    let mut c = pool.get().map_err(StoreError::from)?;
    let created = store::write(&mut c, |c| {
        insert_staff(c, Some(who), new, &password_hash, now)
    });
    Ok(split(created)?.map(|account| (account, password)))
}

fn insert_staff(
    c: &mut DbConnection,
    by: Option<&Actor>,
    new: &NewStaff,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    if accounts::login_taken(c, new.login_name.as_str())? {
        return Err(CreateError::Duplicate(Duplicate {
            field: "login",
            message: "该登录名已被使用",
        }));
    }
    let account = accounts::insert(
        c,
        new.login_name.as_str(),
        new.role,
        new.display_name.as_str(),
        password_hash,
        now,
    )?;
    audit::record(
        c,
        now,
        by.map_or(AuditActor::SYSTEM, audit_actor),
        AuditAction::AccountCreate,
        &Subject::Account(account.id),
        &format!("创建{}账户 {}", new.role.label(), new.login_name.as_str()),
    )?;
    Ok(account)
}

/// A demo or first-start account: created by the system with a ready hash. `login` renames the
/// applicant's or employer's login (mobile, credit code) to a readable one.
pub enum SeedAccount<'a> {
    Applicant(&'a NewApplicant),
    Employer(&'a NewEmployer),
    Staff(&'a NewStaff),
}

pub fn seed_account(
    c: &mut DbConnection,
    account: SeedAccount<'_>,
    login: Option<&str>,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Result<AccountId, Duplicate>, StoreError> {
    split(store::write(c, |c| {
        let created = match account {
            SeedAccount::Applicant(a) => insert_applicant(c, a, password_hash, now)?,
            SeedAccount::Employer(e) => insert_employer(c, e, password_hash, now)?,
            SeedAccount::Staff(s) => insert_staff(c, None, s, password_hash, now)?,
        };
        if let Some(login) = login {
            accounts::rename_login(c, created.id, login)?;
        }
        Ok(created.id)
    }))
}

/// Lockout settings (from the configuration).
#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub max_failures: i32,
    pub lock_for: Duration,
}

#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: the new session's cookie token and its account.
    LoggedIn(LoggedIn),
    /// Unknown login name or wrong password (the two are not told apart).
    Wrong,
    /// Locked until the given time (UTC), whatever the password.
    Locked(NaiveDateTime),
    /// The account was switched off by an administrator.
    Inactive,
}

/// Checks a login name and password; on success ends `old_session` and starts a new one.
/// The password is checked with no connection held.
pub fn login(
    pool: &Pool,
    login: &str,
    password: &str,
    old_session: Option<&str>,
    now: NaiveDateTime,
    policy: LockoutPolicy,
) -> Result<LoginOutcome, StoreError> {
    let account = {
        let mut c = pool.get()?;
        accounts::find_by_login(&mut c, login.trim())?
    };
    let Some(account) = account else {
        // Same work as for a real account, so timing does not tell which names exist.
        crate::password::verify(password, crate::password::dummy_hash());
        return Ok(LoginOutcome::Wrong);
    };
    if let Some(until) = account.locked_until.filter(|u| *u > now) {
        return Ok(LoginOutcome::Locked(until));
    }
    let good = crate::password::verify(password, &account.password_hash);
    let mut c = pool.get()?;
    if !good {
        return Ok(store::write(&mut c, |c| {
            note_failure(c, &account, now, policy)
        })?);
    }
    if !account.active {
        return Ok(LoginOutcome::Inactive);
    }
    Ok(store::write(&mut c, |c| {
        accounts::clear_failures(c, account.id)?;
        record_self(c, &account, AuditAction::Login, "登录", now)?;
        start_session(c, account.clone(), old_session, now).map(LoginOutcome::LoggedIn)
    })?)
}

/// Counts one wrong password; at the limit the account locks and the count starts again.
fn note_failure(
    c: &mut DbConnection,
    account: &Account,
    now: NaiveDateTime,
    policy: LockoutPolicy,
) -> Result<LoginOutcome, DbError> {
    let failures = accounts::add_failure(c, account.id)?;
    if failures >= policy.max_failures {
        let until = now + policy.lock_for;
        accounts::lock(c, account.id, until)?;
        let detail = format!("连续{failures}次密码错误，锁定至 {until}");
        record_self(c, account, AuditAction::LoginLocked, &detail, now)?;
        Ok(LoginOutcome::Locked(until))
    } else {
        let detail = format!("密码错误（第{failures}次）");
        record_self(c, account, AuditAction::LoginFailed, &detail, now)?;
        Ok(LoginOutcome::Wrong)
    }
}
