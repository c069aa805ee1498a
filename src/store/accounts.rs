//! Accounts, the people and employers behind them, and login bookkeeping.

use super::audit::{self, Actor};
use super::schema::{accounts, employers, people};
use super::DbConnection;
use crate::domain::{
    CreditCode, IdNumber, LoginName, MobileNumber, PersonName, RequiredText, Role,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub login_name: String,
    pub role: String,
    pub display_name: String,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

impl Account {
    /// The account's role; a value outside the five (never written by this code) gets the least.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Applicant)
    }

    pub fn actor(&self) -> Actor<'_> {
        Actor {
            id: Some(self.id),
            role: Some(&self.role),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = people)]
pub struct Person {
    pub account_id: i64,
    pub name: String,
    pub id_number: String,
    pub mobile: String,
}

impl Person {
    pub fn id_number_masked(&self) -> String {
        crate::domain::id_number::mask_id_number(&self.id_number)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = employers)]
pub struct Employer {
    pub account_id: i64,
    pub name: String,
    pub credit_code: String,
    pub credit_code_verified: bool,
    pub contact_name: String,
    pub contact_phone: String,
}

/// Why a new account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Another account already uses this value; `field` is the form field to mark.
    #[error("{message}")]
    Duplicate {
        field: &'static str,
        message: &'static str,
    },
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

pub struct NewApplicant {
    pub name: PersonName,
    pub id_number: IdNumber,
    pub mobile: MobileNumber,
    pub password_hash: String,
}

pub struct NewEmployer {
    pub name: RequiredText,
    pub credit_code: CreditCode,
    pub contact_name: RequiredText,
    pub contact_phone: MobileNumber,
    pub password_hash: String,
}

pub struct NewStaff {
    pub login_name: LoginName,
    pub role: Role,
    pub display_name: RequiredText,
    pub password_hash: String,
}

fn login_taken(conn: &mut DbConnection, login: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        accounts::table.filter(accounts::login_name.eq(login)),
    ))
    .get_result(conn)
}

fn insert_account(
    conn: &mut DbConnection,
    login: &str,
    role: Role,
    display_name: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values((
            accounts::login_name.eq(login),
            accounts::role.eq(role.as_str()),
            accounts::display_name.eq(display_name),
            accounts::password_hash.eq(password_hash),
            accounts::failed_logins.eq(0),
            accounts::active.eq(true),
            accounts::created_at.eq(now),
        ))
        .execute(conn)?;
    // MultiConnection has no RETURNING: read the row back by its unique login name.
    accounts::table
        .filter(accounts::login_name.eq(login))
        .select(Account::as_select())
        .first(conn)
}

/// Registers a skilled worker; the mobile number is the login name. Call inside a write transaction.
pub fn register_applicant(
    conn: &mut DbConnection,
    new: &NewApplicant,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    let id_taken: bool = diesel::select(diesel::dsl::exists(
        people::table.filter(people::id_number.eq(new.id_number.as_str())),
    ))
    .get_result(conn)?;
    if id_taken {
        return Err(CreateError::Duplicate {
            field: "id_number",
            message: "该身份证号已注册，请直接登录或找回密码",
        });
    }
    let mobile_taken: bool = diesel::select(diesel::dsl::exists(
        people::table.filter(people::mobile.eq(new.mobile.as_str())),
    ))
    .get_result(conn)?;
    if mobile_taken || login_taken(conn, new.mobile.as_str())? {
        return Err(CreateError::Duplicate {
            field: "mobile",
            message: "该手机号码已注册，请直接登录",
        });
    }
    let account = insert_account(
        conn,
        new.mobile.as_str(),
        Role::Applicant,
        new.name.as_str(),
        &new.password_hash,
        now,
    )?;
    diesel::insert_into(people::table)
        .values((
            people::account_id.eq(account.id),
            people::name.eq(new.name.as_str()),
            people::id_number.eq(new.id_number.as_str()),
            people::mobile.eq(new.mobile.as_str()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        now,
        account.actor(),
        "account.register",
        &format!("account:{}", account.id),
        "申报人注册",
    )?;
    Ok(account)
}

/// Registers an employer; the credit code is the login name. Call inside a write transaction.
pub fn register_employer(
    conn: &mut DbConnection,
    new: &NewEmployer,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    let code = new.credit_code.as_str();
    let taken: bool = diesel::select(diesel::dsl::exists(
        employers::table.filter(employers::credit_code.eq(code)),
    ))
    .get_result(conn)?;
    if taken || login_taken(conn, code)? {
        return Err(CreateError::Duplicate {
            field: "credit_code",
            message: "该统一社会信用代码已注册，请直接登录",
        });
    }
    let account = insert_account(
        conn,
        code,
        Role::Employer,
        new.name.as_str(),
        &new.password_hash,
        now,
    )?;
    diesel::insert_into(employers::table)
        .values((
            employers::account_id.eq(account.id),
            employers::name.eq(new.name.as_str()),
            employers::credit_code.eq(code),
            employers::credit_code_verified.eq(new.credit_code.check_ok()),
            employers::contact_name.eq(new.contact_name.as_str()),
            employers::contact_phone.eq(new.contact_phone.as_str()),
        ))
        .execute(conn)?;
    let detail = if new.credit_code.check_ok() {
        "用人单位注册"
    } else {
        "用人单位注册（信用代码校验位不符，已由用户确认）"
    };
    audit::record(
        conn,
        now,
        account.actor(),
        "account.register",
        &format!("account:{}", account.id),
        detail,
    )?;
    Ok(account)
}

/// Creates an office, expert or admin account. Call inside a write transaction.
pub fn create_staff(
    conn: &mut DbConnection,
    new: &NewStaff,
    by: Actor<'_>,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    if login_taken(conn, new.login_name.as_str())? {
        return Err(CreateError::Duplicate {
            field: "login",
            message: "该登录名已被使用",
        });
    }
    let account = insert_account(
        conn,
        new.login_name.as_str(),
        new.role,
        new.display_name.as_str(),
        &new.password_hash,
        now,
    )?;
    audit::record(
        conn,
        now,
        by,
        "account.create",
        &format!("account:{}", account.id),
        &format!("创建{}账户 {}", new.role.label(), new.login_name.as_str()),
    )?;
    Ok(account)
}

pub fn find_by_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::login_name.eq(login))
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .first(conn)
        .optional()
}

pub fn person(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<Person>> {
    people::table
        .find(account_id)
        .select(Person::as_select())
        .first(conn)
        .optional()
}

pub fn employer(conn: &mut DbConnection, account_id: i64) -> QueryResult<Option<Employer>> {
    employers::table
        .find(account_id)
        .select(Employer::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<Account>> {
    accounts::table
        .order(accounts::id.asc())
        .select(Account::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    accounts::table.count().get_result(conn)
}

/// Counts one wrong password; at `max_failures` the account locks until `now + lock_for` and the
/// count starts again. Returns the lock's end when this failure locked it. Atomic in one transaction.
pub fn note_failed_login(
    conn: &mut DbConnection,
    account: &Account,
    now: NaiveDateTime,
    max_failures: i32,
    lock_for: chrono::Duration,
) -> QueryResult<Option<NaiveDateTime>> {
    super::write(conn, |conn| {
        diesel::update(accounts::table.find(account.id))
            .set(accounts::failed_logins.eq(accounts::failed_logins + 1))
            .execute(conn)?;
        let failures: i32 = accounts::table
            .find(account.id)
            .select(accounts::failed_logins)
            .first(conn)?;
        if failures >= max_failures {
            let until = now + lock_for;
            diesel::update(accounts::table.find(account.id))
                .set((
                    accounts::failed_logins.eq(0),
                    accounts::locked_until.eq(Some(until)),
                ))
                .execute(conn)?;
            audit::record(
                conn,
                now,
                account.actor(),
                "login.locked",
                &format!("account:{}", account.id),
                &format!("连续{failures}次密码错误，锁定至 {until}"),
            )?;
            Ok(Some(until))
        } else {
            audit::record(
                conn,
                now,
                account.actor(),
                "login.failed",
                &format!("account:{}", account.id),
                &format!("密码错误（第{failures}次）"),
            )?;
            Ok(None)
        }
    })
}

/// Clears the failure count and any expired lock after a good password.
pub fn note_good_login(
    conn: &mut DbConnection,
    account: &Account,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(account.id))
        .set((
            accounts::failed_logins.eq(0),
            accounts::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        now,
        account.actor(),
        "login",
        &format!("account:{}", account.id),
        "登录",
    )
}

/// Changes a login name (demo accounts use readable names instead of mobile or credit code).
pub fn rename_login(conn: &mut DbConnection, account_id: i64, login: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(account_id))
        .set(accounts::login_name.eq(login))
        .execute(conn)
        .map(|_| ())
}

/// Separates a duplicate (shown beside its field) from a database failure.
pub fn split_duplicate<T>(
    result: Result<T, CreateError>,
) -> QueryResult<Result<T, (&'static str, &'static str)>> {
    match result {
        Ok(v) => Ok(Ok(v)),
        Err(CreateError::Duplicate { field, message }) => Ok(Err((field, message))),
        Err(CreateError::Db(e)) => Err(e),
    }
}

/// Employers whose credit code is `query` exactly, or whose name contains it (at most `limit`).
pub fn search_employers(
    conn: &mut DbConnection,
    query: &str,
    limit: i64,
) -> QueryResult<Vec<Employer>> {
    let q = query.trim();
    let by_code: Vec<Employer> = employers::table
        .filter(employers::credit_code.eq(q.to_ascii_uppercase()))
        .select(Employer::as_select())
        .load(conn)?;
    if !by_code.is_empty() {
        return Ok(by_code);
    }
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    employers::table
        .filter(employers::name.like(format!("%{escaped}%")).escape('\\'))
        .order(employers::name.asc())
        .limit(limit)
        .select(Employer::as_select())
        .load(conn)
}
