//! Accounts: registration, staff accounts, logging in. Password hashing and checking run
//! outside any transaction and without holding a pooled connection, so a burst of logins never
//! starves page views of connections.

use super::throttle::{self, Rule};
use super::{audit_actor, ActionError, Actor};
use crate::access;
use crate::domain::{
    AccountId, AuditAction, CreditCode, IdNumber, LoginName, MobileNumber, Password, PersonName,
    RequiredText, Role, Subject,
};
use crate::store::accounts::{self, Account, Employer, Person};
use crate::store::audit::{self, AuditActor};
use crate::store::{self, sessions, DbConnection, DbError, Pool, StoreError};
use chrono::NaiveDateTime;
use std::net::IpAddr;

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
    /// An office account's committee (required for an office; ignored for other roles).
    pub committee: Option<crate::domain::CommitteeId>,
}

/// A new account logged in: its session's cookie token and the account.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub account: Account,
    /// Forms posted after an earlier session timed out wait for this account: the first page
    /// says where.
    pub kept_forms: bool,
}

fn hash(password: &Password) -> String {
    crate::password::hash(password.expose())
}

/// The one answer to every registration that was not refused for its input: whether it made
/// an account or someone already holds the ID number or the mobile, the person is told the
/// same and sent to log in, so the answer confirms nothing about an ID number or a mobile.
pub const REGISTERED_OR_NOT: &str =
    "若您填写的信息无误，账户已建立，请用手机号和密码登录。如已注册过，请直接登录；忘记密码请联系管理员重置。";

/// The answer when a client or an ID number has tried too often.
pub const TOO_MANY_ATTEMPTS: &str = "尝试次数过多，请一小时后再试";

/// Registration throttles: per client address, and per ID number (kept hashed).
/// Generous enough for an office whose staff share one address.
pub const REGISTER_PER_CLIENT: Rule = Rule {
    limit: 30.0,
    half_life: chrono::Duration::minutes(60),
    block: chrono::Duration::minutes(60),
};
pub const REGISTER_PER_ID: Rule = Rule {
    limit: 3.0,
    half_life: chrono::Duration::minutes(60),
    block: chrono::Duration::minutes(60),
};

/// Counts a registration attempt from `client` (and for `id_number`); true when refused.
pub(crate) fn registration_blocked(
    c: &mut DbConnection,
    client: IpAddr,
    id_number: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    use sha2::Digest;
    store::write(c, |c| {
        let client_key = format!("register:client:{}", throttle::address_key(client));
        let mut blocked = throttle::blocked(c, &client_key, now)?;
        throttle::hit(c, &client_key, now, REGISTER_PER_CLIENT)?;
        if let Some(id) = id_number {
            let id_key = format!(
                "register:id:{}",
                hex::encode(sha2::Sha256::digest(id.as_bytes()))
            );
            blocked |= throttle::blocked(c, &id_key, now)?;
            throttle::hit(c, &id_key, now, REGISTER_PER_ID)?;
        }
        Ok(blocked)
    })
}

/// Registers an applicant (the mobile number is the login name). Call it from a blocking
/// thread: it hashes the password first, whatever happens next. The person is not logged in:
/// an account made and an ID number or mobile already held get one answer
/// ([`REGISTERED_OR_NOT`]: log in), and the holder logs in as before. Only the throttle
/// (per address, per hashed ID number, counted either way) answers differently.
pub fn register_applicant(
    pool: &Pool,
    new: &NewApplicant,
    password: &Password,
    client: IpAddr,
    now: NaiveDateTime,
) -> Result<Result<(), Duplicate>, StoreError> {
    let password_hash = hash(password);
    let mut c = pool.get()?;
    if registration_blocked(&mut c, client, Some(new.id_number.as_str()), now)? {
        return Ok(Err(Duplicate {
            field: "form",
            message: TOO_MANY_ATTEMPTS,
        }));
    }
    match split(store::write(&mut c, |c| {
        insert_applicant(c, new, &password_hash, now)
    }))? {
        Ok(_) | Err(Duplicate { field: "form", .. }) => Ok(Ok(())),
        Err(other) => Ok(Err(other)),
    }
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
    let kept_forms = !super::sessions::kept_pages(c, account.id, now)?.is_empty();
    Ok(LoggedIn {
        token,
        account,
        kept_forms,
    })
}

/// Inserts an applicant with a ready hash (also used by the demo). Call inside a write transaction.
fn insert_applicant(
    c: &mut DbConnection,
    new: &NewApplicant,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Account, CreateError> {
    let mobile = new.mobile.as_str();
    if accounts::id_number_taken(c, new.id_number.as_str())?
        || accounts::mobile_taken(c, mobile)?
        || accounts::login_taken(c, mobile)?
    {
        return Err(CreateError::Duplicate(Duplicate {
            field: "form",
            message: REGISTERED_OR_NOT,
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
    // The password an admin hands over must be changed at first login.
    let created = store::write(&mut c, |c| {
        let account = insert_staff(c, Some(who), new, &password_hash, now)?;
        accounts::set_password(c, account.id, &password_hash, true)?;
        Ok(crate::store::accounts::Account {
            must_change_password: true,
            ..account
        })
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
    // An office account an admin creates belongs to exactly one committee from the start (the
    // demo's seeds are given theirs right after).
    let committee = match (new.role, new.committee) {
        (Role::Office, Some(id)) if crate::store::committees::find(c, id)?.is_some() => Some(id),
        (Role::Office, _) if by.is_some() => {
            return Err(CreateError::Duplicate(Duplicate {
                field: "committee",
                message: "请选择该办事机构账户所属的评委会",
            }))
        }
        _ => None,
    };
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
    if let Some(id) = committee {
        crate::store::committees::assign_office(c, account.id, id)?;
        return Ok(Account {
            committee: Some(id),
            ..account
        });
    }
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

/// Login throttles (from the configuration): wrong passwords pause sign-in for a login name at
/// one address (whether or not an account has that name, so the pause tells nothing), and an
/// address with many failures over all names is slowed, never blocked: its owner, or a
/// colleague behind the same proxy, still signs in with the right password.
#[derive(Debug, Clone, Copy)]
pub struct LoginRules {
    pub per_name: Rule,
    /// Failures from one address (over all names) beyond `limit` slow its attempts (its
    /// `block` is not used).
    pub per_client: Rule,
    /// How much each failure beyond the address's limit adds to its wait, and the most it waits.
    pub slow_step: std::time::Duration,
    pub slow_max: std::time::Duration,
    /// Session limits, for purging ended sessions at login.
    pub sessions: super::sessions::Limits,
}

/// A login attempt: what was typed and where it came from.
pub struct LoginAttempt<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub client: IpAddr,
    pub old_session: Option<&'a str>,
}

#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: the new session's cookie token and its account.
    LoggedIn(LoggedIn),
    /// Unknown name or wrong password: one answer for both.
    Refused,
    /// Too many wrong passwords for this name from this address: sign-in with it from here
    /// waits until then, whatever is typed (the same for a name no account has).
    Paused { until: NaiveDateTime },
    /// The right password for an account that is switched off (or whose employer is).
    Inactive(Inactive),
}

/// Why a right password does not log in: whose switch is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inactive {
    /// The account itself, by an admin.
    ByAdmin,
    /// A clerk, by their employer.
    ByEmployer,
    /// A clerk's employer account is switched off (the clerks with it).
    EmployerOff,
}

impl Inactive {
    /// What the login page says: who to ask.
    pub fn message(self) -> &'static str {
        match self {
            Inactive::ByAdmin => "该账户已停用，请联系管理员",
            Inactive::ByEmployer => "该经办人账户已由本单位停用，请联系本单位的账户管理员",
            Inactive::EmployerOff => {
                "本单位的账户已停用，单位的经办人暂时不能登录；请联系本单位，由单位联系管理员"
            }
        }
    }
}

/// The throttle key of a login name at an address: the name as registration normalises it,
/// hashed (no typed name is ever stored).
pub fn name_key(login: &str, client: IpAddr) -> String {
    format!(
        "login:name:{}:{}",
        name_hash(login),
        throttle::address_key(client)
    )
}

/// A login name as throttle keys hold it.
pub fn name_hash(login: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(
        normalise_login(login.trim()).as_bytes(),
    ))
}

fn client_key(client: IpAddr) -> String {
    format!("login:client:{}", throttle::address_key(client))
}

/// How long a login from `client` waits before it is checked: nothing until the address's
/// failures (over all names) pass the limit, then `slow_step` for each failure beyond it, at
/// most `slow_max`. The wait is the caller's, outside any thread or connection.
pub fn login_delay(
    c: &mut DbConnection,
    client: IpAddr,
    now: NaiveDateTime,
    rules: LoginRules,
) -> Result<std::time::Duration, DbError> {
    let score = throttle::score(c, &client_key(client), now, rules.per_client.half_life)?;
    let excess = score - rules.per_client.limit;
    if excess < 0.0 {
        return Ok(std::time::Duration::ZERO);
    }
    Ok(rules
        .slow_step
        .mul_f64(excess.floor() + 1.0)
        .min(rules.slow_max))
}

/// Checks a login name and password; on success ends `old_session` and starts a new one.
/// Every path runs exactly one argon2 check (the real hash, or a dummy one for an unknown name
/// or a paused attempt) with no connection held; a refusal says the same for a name no account
/// has as for one that exists.
pub fn login(
    pool: &Pool,
    attempt: &LoginAttempt<'_>,
    now: NaiveDateTime,
    rules: LoginRules,
) -> Result<LoginOutcome, StoreError> {
    let limits = rules.sessions;
    let typed = attempt.login.trim();
    let key = name_key(typed, attempt.client);
    let (account, paused, starts) = {
        let mut c = pool.get()?;
        // As typed first (a staff login is case-sensitive), then as registration normalises a
        // credit code or a mobile number.
        let account = match accounts::find_by_login(&mut c, typed)? {
            Some(a) => Some(a),
            None if normalise_login(typed) != typed => {
                accounts::find_by_login(&mut c, &normalise_login(typed))?
            }
            None => None,
        };
        // The attempt is counted against the name before its password is checked, in a write
        // that queues behind every other attempt's: guesses sent in parallel see each other's
        // counts, so no more than the limit are ever checked before the pause. A right password
        // takes its count back.
        let (paused, starts) = store::write(&mut c, |c| {
            Ok::<_, DbError>(match throttle::attempt(c, &key, now, rules.per_name)? {
                throttle::Attempt::Blocked(until) => (Some(until), false),
                throttle::Attempt::Counted { started } => (None, started),
            })
        })?;
        (account, paused, starts)
    };
    let hash = match (&account, paused) {
        (Some(a), None) => a.password_hash.as_str(),
        _ => crate::password::dummy_hash(),
    };
    let good = crate::password::verify(attempt.password, hash);
    let mut c = pool.get()?;
    match account {
        Some(account) if good && paused.is_none() => {
            if !account.active {
                return Ok(LoginOutcome::Inactive(match account.disabled_by {
                    Some(Role::Employer) => Inactive::ByEmployer,
                    _ => Inactive::ByAdmin,
                }));
            }
            Ok(store::write(&mut c, |c| {
                throttle::clear(c, &key)?;
                // A clerk of an employer switched off cannot log in until it is switched on.
                if let Some(employer) = account.employer {
                    if !accounts::is_active_for_write(c, employer)? {
                        return Ok(LoginOutcome::Inactive(Inactive::EmployerOff));
                    }
                }
                // Logins are where housekeeping happens now that page views write nothing:
                // sessions idle past the limit and long-decayed throttle rows go.
                super::sessions::purge(c, now, limits)?;
                record_self(c, &account, AuditAction::Login, "登录", now)?;
                start_session(c, account.clone(), attempt.old_session, now)
                    .map(LoginOutcome::LoggedIn)
            })?)
        }
        account => Ok(store::write(&mut c, |c| {
            let half_life = rules.per_client.half_life;
            throttle::count(c, &client_key(attempt.client), now, half_life)?;
            if let Some(account) = &account {
                let (action, detail) = match (starts, paused) {
                    (true, _) => (
                        AuditAction::LoginLocked,
                        format!("密码多次错误，来自 {} 的登录暂停", attempt.client),
                    ),
                    (false, Some(_)) => (
                        AuditAction::LoginFailed,
                        format!("暂停期间的登录尝试（{}）", attempt.client),
                    ),
                    (false, None) => (
                        AuditAction::LoginFailed,
                        format!("密码错误（{}）", attempt.client),
                    ),
                };
                record_self(c, account, action, &detail, now)?;
            }
            let paused = match (starts, paused) {
                (true, _) => Some(now + rules.per_name.block),
                (false, p) => p,
            };
            Ok::<_, DbError>(match paused {
                Some(until) => LoginOutcome::Paused { until },
                None => LoginOutcome::Refused,
            })
        })?),
    }
}

/// Login names as typed: spaces anywhere and letter case do not matter for a credit code or a
/// mobile number, which registration normalises the same way.
pub fn normalise_login(login: &str) -> String {
    let compact: String = login
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let looks_like_code = compact.len() == 18 && compact.chars().all(|c| c.is_ascii_alphanumeric());
    if looks_like_code {
        compact.to_ascii_uppercase()
    } else if compact.len() == 11 && compact.bytes().all(|b| b.is_ascii_digit()) {
        compact
    } else {
        login.trim().to_string()
    }
}
