//! Accounts, the people and employers behind them, and login bookkeeping: rows and queries.

use super::schema::{accounts, employers, people};
use super::{decode, DbConnection};
use crate::domain::{AccountId, CommitteeId, Role};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub(super) struct AccountRow {
    id: i64,
    login_name: String,
    role: String,
    display_name: String,
    password_hash: String,
    failed_logins: i32,
    locked_until: Option<super::stamp::Stamp>,
    active: bool,
    #[diesel(deserialize_as = super::stamp::Stamp)]
    created_at: NaiveDateTime,
    must_change_password: bool,
    employer_id: Option<i64>,
    disabled_by: Option<String>,
    mobile: Option<String>,
    committee_id: Option<i64>,
}

/// An account as stored, with its role read strictly.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub login_name: String,
    pub role: Role,
    pub display_name: String,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    /// An admin-issued password: it must be changed before anything else.
    pub must_change_password: bool,
    /// A staff member (经办人) acts for this employer; `None` for everyone else.
    pub employer: Option<AccountId>,
    /// Switched off by this role (an admin, or the employer for its clerks).
    pub disabled_by: Option<Role>,
    /// A clerk's contact mobile (not their login).
    pub mobile: Option<String>,
    /// A committee office's committee.
    pub committee: Option<CommitteeId>,
}

impl TryFrom<AccountRow> for Account {
    type Error = diesel::result::Error;
    fn try_from(r: AccountRow) -> QueryResult<Account> {
        Ok(Account {
            id: AccountId(r.id),
            role: decode(&r.role, Role::parse, "role")?,
            login_name: r.login_name,
            display_name: r.display_name,
            password_hash: r.password_hash,
            failed_logins: r.failed_logins,
            locked_until: r.locked_until.map(NaiveDateTime::from),
            active: r.active,
            created_at: r.created_at,
            must_change_password: r.must_change_password,
            employer: r.employer_id.map(AccountId),
            disabled_by: r.disabled_by.as_deref().and_then(Role::parse),
            mobile: r.mobile,
            committee: r.committee_id.map(CommitteeId),
        })
    }
}

/// What a session carries of its account: who, in which role, and whether they may act. Never
/// the password hash or the lockout state, which only logging in reads.
#[derive(Debug, Clone)]
pub struct SessionAccount {
    pub id: AccountId,
    pub login_name: String,
    pub role: Role,
    pub display_name: String,
    pub active: bool,
    /// An admin-issued password: it must be changed before anything else.
    pub must_change_password: bool,
    /// A staff member (经办人) acts for this employer; `None` for everyone else.
    pub employer: Option<AccountId>,
    /// A committee office's committee; `None` for everyone else.
    pub committee: Option<CommitteeId>,
}

impl From<Account> for SessionAccount {
    fn from(a: Account) -> SessionAccount {
        SessionAccount {
            id: a.id,
            login_name: a.login_name,
            role: a.role,
            display_name: a.display_name,
            active: a.active,
            must_change_password: a.must_change_password,
            employer: a.employer,
            committee: a.committee,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub(super) struct SessionAccountRow {
    id: i64,
    login_name: String,
    role: String,
    display_name: String,
    active: bool,
    must_change_password: bool,
    employer_id: Option<i64>,
    committee_id: Option<i64>,
}

impl TryFrom<SessionAccountRow> for SessionAccount {
    type Error = diesel::result::Error;
    fn try_from(r: SessionAccountRow) -> QueryResult<SessionAccount> {
        Ok(SessionAccount {
            id: AccountId(r.id),
            role: decode(&r.role, Role::parse, "role")?,
            login_name: r.login_name,
            display_name: r.display_name,
            active: r.active,
            must_change_password: r.must_change_password,
            employer: r.employer_id.map(AccountId),
            committee: r.committee_id.map(CommitteeId),
        })
    }
}

fn accounts_of(rows: Vec<AccountRow>) -> QueryResult<Vec<Account>> {
    rows.into_iter().map(Account::try_from).collect()
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

impl Employer {
    pub fn id(&self) -> AccountId {
        AccountId(self.account_id)
    }
}

pub fn login_taken(conn: &mut DbConnection, login: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        accounts::table.filter(accounts::login_name.eq(login)),
    ))
    .get_result(conn)
}

pub fn id_number_taken(conn: &mut DbConnection, id_number: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        people::table.filter(people::id_number.eq(id_number)),
    ))
    .get_result(conn)
}

pub fn mobile_taken(conn: &mut DbConnection, mobile: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        people::table.filter(people::mobile.eq(mobile)),
    ))
    .get_result(conn)
}

pub fn credit_code_taken(conn: &mut DbConnection, code: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        employers::table.filter(employers::credit_code.eq(code)),
    ))
    .get_result(conn)
}

/// Inserts an account and reads it back by its unique login name (MultiConnection has no
/// RETURNING).
pub fn insert(
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
    find_by_login(conn, login)?.ok_or(diesel::result::Error::NotFound)
}

pub fn insert_person(conn: &mut DbConnection, person: &Person) -> QueryResult<()> {
    diesel::insert_into(people::table)
        .values((
            people::account_id.eq(person.account_id),
            people::name.eq(&person.name),
            people::id_number.eq(&person.id_number),
            people::mobile.eq(&person.mobile),
        ))
        .execute(conn)
        .map(drop)
}

pub fn insert_employer(conn: &mut DbConnection, e: &Employer) -> QueryResult<()> {
    diesel::insert_into(employers::table)
        .values((
            employers::account_id.eq(e.account_id),
            employers::name.eq(&e.name),
            employers::credit_code.eq(&e.credit_code),
            employers::credit_code_verified.eq(e.credit_code_verified),
            employers::contact_name.eq(&e.contact_name),
            employers::contact_phone.eq(&e.contact_phone),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_by_login(conn: &mut DbConnection, login: &str) -> QueryResult<Option<Account>> {
    super::first_row!(
        conn,
        accounts::table
            .filter(accounts::login_name.eq(login))
            .select(AccountRow::as_select())
    )?
    .map(Account::try_from)
    .transpose()
}

pub fn find(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Account>> {
    super::first_row!(
        conn,
        accounts::table.find(id.0).select(AccountRow::as_select())
    )?
    .map(Account::try_from)
    .transpose()
}

/// An account read to be changed in this write: on PostgreSQL its row is locked until the write
/// ends, so of two changes at once the second waits and then sees what the first made; SQLite's
/// writes are one at a time already.
pub fn find_for_update(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Account>> {
    let q = accounts::table.find(id.0);
    let row = match conn {
        DbConnection::Sqlite(c) => q.select(AccountRow::as_select()).first(c).optional()?,
        DbConnection::Pg(c) => q
            .select(AccountRow::as_select())
            .for_update()
            .first(c)
            .optional()?,
    };
    row.map(Account::try_from).transpose()
}

pub fn person(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Person>> {
    super::first_row!(conn, people::table.find(id.0).select(Person::as_select()))
}

pub fn employer(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Employer>> {
    super::first_row!(
        conn,
        employers::table.find(id.0).select(Employer::as_select())
    )
}

super::json_each_query!(
    /// [`names`] on SQLite (the JSON-array join: 12 % of the admin home for three names, when it
    /// was `IN (SELECT …)`).
    NamesSqlite,
    (
        diesel::sql_types::BigInt,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
    ),
    "SELECT a.id, a.login_name, a.display_name",
    "CROSS JOIN accounts AS a ON a.id = j.value"
);

/// [`names`] on PostgreSQL: `= ANY($1)` is one bind, and cached.
macro_rules! names_pg {
    ($ids:expr) => {
        accounts::table.filter(accounts::id.eq_any($ids)).select((
            accounts::id,
            accounts::login_name,
            accounts::display_name,
        ))
    };
}

macro_rules! account_page {
    ($after:expr, $limit:expr) => {
        accounts::table
            .filter(accounts::id.gt($after))
            .order(accounts::id.asc())
            .limit($limit)
            .select(AccountRow::as_select())
    };
}

/// A keyset page of accounts after `after` (from the first when `None`), oldest first.
pub fn list(conn: &mut DbConnection, after: Option<i64>, limit: i64) -> QueryResult<Vec<Account>> {
    accounts_of(account_page!(after.unwrap_or(0), limit).load(conn)?)
}

/// The list queries above, for the plan test.
pub fn plans() -> Vec<super::plans::ListQuery> {
    use diesel::pg::Pg;
    use diesel::sqlite::Sqlite;
    let ids = [3i64, 5, 8];
    vec![
        super::plans::ListQuery::new(
            "accounts, a page",
            diesel::debug_query::<Sqlite, _>(&account_page!(1000i64, 51i64)).to_string(),
            diesel::debug_query::<Pg, _>(&account_page!(1000i64, 51i64)).to_string(),
        ),
        // As `names` reads them (one seek per id, never the whole table).
        super::plans::ListQuery::new(
            "accounts named on a page",
            diesel::debug_query::<Sqlite, _>(&NamesSqlite::new(&ids)).to_string(),
            diesel::debug_query::<Pg, _>(&names_pg!(&ids)).to_string(),
        ),
    ]
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    accounts::table.count().get_result(conn)
}

/// Sets a new password hash; `must_change` when an admin issued it. Clears any lockout.
pub fn set_password(
    conn: &mut DbConnection,
    id: AccountId,
    hash: &str,
    must_change: bool,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set((
            accounts::password_hash.eq(hash),
            accounts::must_change_password.eq(must_change),
            accounts::failed_logins.eq(0),
            accounts::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Switches an account on, or off by `by` (the role that did: an admin, or the employer for its
/// clerks).
pub fn set_active(
    conn: &mut DbConnection,
    id: AccountId,
    active: bool,
    by: Option<Role>,
) -> QueryResult<()> {
    let by = if active { None } else { by.map(Role::as_str) };
    diesel::update(accounts::table.find(id.0))
        .set((accounts::active.eq(active), accounts::disabled_by.eq(by)))
        .execute(conn)
        .map(drop)
}

/// Whether an account is switched on, read inside a write so that it holds until the write
/// ends: PostgreSQL takes a share lock on the row (a concurrent switch-off waits for this write
/// and then sees what it made); SQLite's writes are one at a time already.
pub fn is_active_for_write(conn: &mut DbConnection, id: AccountId) -> QueryResult<bool> {
    let q = accounts::table.find(id.0).select(accounts::active);
    let active: Option<bool> = match conn {
        DbConnection::Sqlite(c) => q.first(c).optional()?,
        DbConnection::Pg(c) => q.for_share().first(c).optional()?,
    };
    Ok(active.unwrap_or(false))
}

/// The role that switched the account off, if it is off and one did.
pub fn disabled_by(conn: &mut DbConnection, id: AccountId) -> QueryResult<Option<Role>> {
    let by: Option<Option<String>> = accounts::table
        .find(id.0)
        .select(accounts::disabled_by)
        .first(conn)
        .optional()?;
    Ok(by.flatten().as_deref().and_then(Role::parse))
}

/// Ends a lockout and forgets the failed logins.
pub fn unlock(conn: &mut DbConnection, id: AccountId) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set((
            accounts::failed_logins.eq(0),
            accounts::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Changes a login name (demo accounts use readable names instead of mobile or credit code).
pub fn rename_login(conn: &mut DbConnection, id: AccountId, login: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set(accounts::login_name.eq(login))
        .execute(conn)
        .map(drop)
}

/// The verified employer holding a credit code, if any.
pub fn employer_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Employer>> {
    super::first_row!(
        conn,
        employers::table
            .filter(employers::credit_code.eq(code))
            .select(Employer::as_select())
    )
}

/// The verified employers holding any of these codes (the admin's page of claims, one query).
pub fn employers_by_codes(conn: &mut DbConnection, codes: &[String]) -> QueryResult<Vec<Employer>> {
    employers::table
        .filter(employers::credit_code.eq_any(codes))
        .select(Employer::as_select())
        .load(conn)
}

/// The login and display name of each account named (one query, for a page of rows).
pub fn names(
    conn: &mut DbConnection,
    ids: &[AccountId],
) -> QueryResult<Vec<(AccountId, String, String)>> {
    let ids: Vec<i64> = ids.iter().map(|a| a.0).collect();
    // PostgreSQL's `= ANY($1)` is one bind already; SQLite's `IN (?, ?, …)` is not.
    let rows: Vec<(i64, String, String)> = match conn {
        DbConnection::Sqlite(c) => NamesSqlite::new(&ids).load(c)?,
        DbConnection::Pg(c) => names_pg!(&ids).load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(|(id, login, name)| (AccountId(id), login, name))
        .collect())
}

/// Records a clerk's contact mobile.
pub fn set_mobile(conn: &mut DbConnection, id: AccountId, mobile: &str) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set(accounts::mobile.eq(Some(mobile)))
        .execute(conn)
        .map(drop)
}

/// Makes an account a staff member of an employer.
pub fn set_employer(
    conn: &mut DbConnection,
    id: AccountId,
    employer: AccountId,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id.0))
        .set(accounts::employer_id.eq(Some(employer.0)))
        .execute(conn)
        .map(drop)
}

/// An employer's staff accounts, in the order they were added.
pub fn staff_of(conn: &mut DbConnection, employer: AccountId) -> QueryResult<Vec<Account>> {
    accounts_of(
        accounts::table
            .filter(accounts::employer_id.eq(employer.0))
            .order(accounts::id.asc())
            .select(AccountRow::as_select())
            .load(conn)?,
    )
}
