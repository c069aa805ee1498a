//! Employers: a registration is a claim on a credit code, with the business licence scan; an
//! admin verifies it (the employer account is created then) or rejects it with a reason. Pending
//! and rejected claims reserve nothing: several may claim one code; only a verified employer
//! holds it, and the applications that named the code reach it the moment it is verified.

use super::accounts::{NewEmployer, TOO_MANY_ATTEMPTS};
use super::{audit_actor, ActionError, Actor};
use crate::domain::text::{TextError, TextField};
use crate::domain::{AccountId, AuditAction, ClaimStatus, CreditCode, Password, Role, Subject};
use crate::store::accounts::{self, Employer};
use crate::store::audit::{self, AuditActor};
use crate::store::employer_claims::{self, Claim, NewClaim};
use crate::store::evidence::NewEvidence;
use crate::store::{self, applications, DbConnection, Pool, StoreError};
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// The answer when a verified employer already holds the code (codes are public, so this tells
/// nothing private).
pub const CODE_HELD: &str = "该统一社会信用代码已由通过认证的单位使用。如认为有误，请联系管理员";

/// How much anonymous claims may hold while they wait: claims from one address, and the bytes
/// of every waiting claim's licence together.
#[derive(Debug, Clone, Copy)]
pub struct ClaimLimits {
    pub per_address: i64,
    pub pending_bytes: i64,
}

impl ClaimLimits {
    /// No bounds (the demo's own claim).
    pub const NONE: ClaimLimits = ClaimLimits {
        per_address: i64::MAX,
        pending_bytes: i64::MAX,
    };
}

/// The answer when an address already has its share of claims waiting.
pub const ADDRESS_FULL: &str =
    "从您所在的网络提交的注册申请已有多份在等待审核。请等待审核结果，或联系管理员";
/// The answer when the claims waiting hold as much as the server keeps for them.
pub const QUEUE_FULL: &str = "待审核的注册申请已满，暂时无法受理新的申请，请稍后再试或联系管理员";

/// An address as claims record it: hashed, so the table holds no address.
pub fn client_key(client: IpAddr) -> String {
    let address = super::throttle::address_key(client);
    hex::encode(Sha256::digest(format!("claim:{address}").as_bytes()))
}

/// Files a claim: hashes the password (with no connection held), then stores the claim with its
/// licence. Returns the claim's number, or why it was refused.
pub fn register_claim(
    pool: &Pool,
    new: &NewEmployer,
    password: &Password,
    licence: &NewEvidence,
    client: IpAddr,
    limits: ClaimLimits,
    now: NaiveDateTime,
) -> Result<Result<i64, &'static str>, StoreError> {
    let password_hash = crate::password::hash(password.expose());
    let mut c = pool.get()?;
    if super::accounts::registration_blocked(&mut c, client, None, now)? {
        return Ok(Err(TOO_MANY_ATTEMPTS));
    }
    let source = client_key(client);
    Ok(file_claim(
        &mut c,
        new,
        &password_hash,
        licence,
        &source,
        limits,
        now,
    )?)
}

/// Stores a claim with a ready password hash (the demo files one this way too), within the
/// limits on what waiting claims may hold.
pub fn file_claim(
    c: &mut DbConnection,
    new: &NewEmployer,
    password_hash: &str,
    licence: &NewEvidence,
    client: &str,
    limits: ClaimLimits,
    now: NaiveDateTime,
) -> Result<Result<i64, &'static str>, store::DbError> {
    let code = new.credit_code.as_str();
    store::write(c, |c| {
        if accounts::employer_by_code(c, code)?.is_some() {
            return Ok(Err(CODE_HELD));
        }
        let (from_client, bytes) = employer_claims::pending_load(c, client)?;
        if from_client >= limits.per_address {
            return Ok(Err(ADDRESS_FULL));
        }
        if bytes.saturating_add(licence.bytes.len() as i64) > limits.pending_bytes {
            return Ok(Err(QUEUE_FULL));
        }
        let sha = hex::encode(Sha256::digest(&licence.bytes));
        let id = employer_claims::insert(
            c,
            &NewClaim {
                name: new.name.as_str(),
                credit_code: code,
                contact_name: new.contact_name.as_str(),
                contact_phone: new.contact_phone.as_str(),
                password_hash,
                licence_file_name: &licence.file_name,
                licence_content_type: licence.content_type,
                licence_sha256: &sha,
                licence_bytes: &licence.bytes,
                client,
            },
            now,
        )?;
        let detail = format!(
            "{}（{}）申请注册，待管理员核实营业执照",
            new.name.as_str(),
            code
        );
        audit::record(
            c,
            now,
            AuditActor::SYSTEM,
            AuditAction::EmployerClaim,
            &Subject::EmployerClaim(id),
            &detail,
        )?;
        Ok::<_, store::DbError>(Ok(id))
    })
}

/// A pending claim beside the others for the same code, and whether a verified employer holds it.
pub struct PendingClaim {
    pub claim: Claim,
    pub code_held_by: Option<Employer>,
    /// Other pending claims on the same code.
    pub rivals: i64,
}

/// A page of the admin's queue: the pending claims, newest first, and how many there are.
pub struct ClaimsPage {
    pub claims: Vec<PendingClaim>,
    pub total: i64,
    /// The claim to continue before, when there are older ones.
    pub older: Option<i64>,
}

/// Claims a page of the admin's queue shows.
pub const CLAIMS_PER_PAGE: i64 = 20;

/// A page of the admin's queue of pending claims, newest first (keyset: before `before`).
pub fn pending(
    c: &mut DbConnection,
    who: &Actor,
    before: Option<i64>,
) -> Result<ClaimsPage, ActionError> {
    crate::access::may_use_area(who.role, Role::Admin)?;
    let mut claims = employer_claims::pending_page(c, before, CLAIMS_PER_PAGE + 1)?;
    let older = (claims.len() as i64 > CLAIMS_PER_PAGE).then(|| {
        claims.truncate(CLAIMS_PER_PAGE as usize);
        claims.last().map(|c| c.id).unwrap_or_default()
    });
    let mut codes: Vec<String> = claims.iter().map(|c| c.credit_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let per_code = employer_claims::pending_per_code(c, &codes)?;
    let held = accounts::employers_by_codes(c, &codes)?;
    let total = employer_claims::pending_count(c)?;
    let claims = claims
        .into_iter()
        .map(|claim| PendingClaim {
            rivals: per_code
                .iter()
                .find(|(code, _)| *code == claim.credit_code)
                .map_or(0, |(_, n)| n - 1),
            code_held_by: held
                .iter()
                .find(|e| e.credit_code == claim.credit_code)
                .cloned(),
            claim,
        })
        .collect();
    Ok(ClaimsPage {
        claims,
        total,
        older,
    })
}

/// The licence scan of a claim, for the admin only.
pub fn licence(
    c: &mut DbConnection,
    who: &Actor,
    id: i64,
) -> Result<(String, String, Vec<u8>), ActionError> {
    crate::access::may_use_area(who.role, Role::Admin).map_err(|_| ActionError::NotFound)?;
    employer_claims::licence(c, id)?.ok_or(ActionError::NotFound)
}

/// Verifies a claim: creates the employer account (login: the credit code; the claimant's
/// password), and hands it the applications that named the code. Returns the account.
pub fn verify(
    c: &mut DbConnection,
    who: &Actor,
    id: i64,
    now: NaiveDateTime,
) -> Result<AccountId, ActionError> {
    crate::access::may_use_area(who.role, Role::Admin)?;
    store::write(c, |c| {
        let claim = employer_claims::find(c, id)?.ok_or(ActionError::NotFound)?;
        if claim.status != ClaimStatus::Pending {
            return Err(ActionError::Refused(format!(
                "该注册申请的状态已是“{}”",
                claim.status.label()
            )));
        }
        if accounts::employer_by_code(c, &claim.credit_code)?.is_some()
            || accounts::login_taken(c, &claim.credit_code)?
        {
            return Err(ActionError::Refused(CODE_HELD.into()));
        }
        let account = accounts::insert(
            c,
            &claim.credit_code,
            Role::Employer,
            &claim.name,
            &claim.password_hash,
            now,
        )?;
        let check_ok = CreditCode::parse(&claim.credit_code, false).is_ok();
        accounts::insert_employer(
            c,
            &Employer {
                account_id: account.id.0,
                name: claim.name.clone(),
                credit_code: claim.credit_code.clone(),
                credit_code_verified: check_ok,
                contact_name: claim.contact_name.clone(),
                contact_phone: claim.contact_phone.clone(),
            },
        )?;
        if !employer_claims::decide(
            c,
            id,
            ClaimStatus::Verified,
            "",
            who.id,
            Some(account.id),
            now,
        )? {
            return Err(ActionError::Stale);
        }
        let handed = applications::bind_employer(c, &claim.credit_code, account.id)?;
        let detail = format!(
            "认证{}（{}），转交等待中的申报 {handed} 份",
            claim.name, claim.credit_code
        );
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::EmployerVerify,
            &Subject::EmployerClaim(id),
            &detail,
        )?;
        Ok(account.id)
    })
}

/// Rejects a claim with a reason the claimant is told.
pub fn reject(
    c: &mut DbConnection,
    who: &Actor,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    reject_many(c, who, &[id], reason, now)
}

/// A rejection's reason, which the claimant reads.
pub const REASON: TextField = TextField::line(500);

/// Why a rejection's reason is refused (beside the field that holds it).
pub fn reason_problem(e: TextError) -> String {
    match e {
        TextError::Missing | TextError::TooLong(..) => {
            "请填写驳回理由（500字以内），申请人将看到它".into()
        }
        e => e.message("驳回理由"),
    }
}

/// Rejects every claim listed with one reason, all or none (one already decided refuses them
/// all, naming it).
pub fn reject_many(
    c: &mut DbConnection,
    who: &Actor,
    ids: &[i64],
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    crate::access::may_use_area(who.role, Role::Admin)?;
    if ids.is_empty() {
        return Err(ActionError::Refused("请至少勾选一份注册申请".into()));
    }
    let reason = &REASON
        .parse(reason)
        .map_err(|e| ActionError::Refused(reason_problem(e)))?;
    store::write(c, |c| {
        for id in ids {
            reject_one(c, who, *id, reason, now)?;
        }
        Ok(())
    })
}

fn reject_one(
    c: &mut DbConnection,
    who: &Actor,
    id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let claim = employer_claims::find(c, id)?.ok_or(ActionError::NotFound)?;
    if !employer_claims::decide(c, id, ClaimStatus::Rejected, reason, who.id, None, now)? {
        return Err(ActionError::Refused(format!(
            "{}（{}）的注册申请的状态已是“{}”",
            claim.name,
            claim.credit_code,
            claim.status.label()
        )));
    }
    let detail = format!("驳回{}（{}）：{reason}", claim.name, claim.credit_code);
    audit::record(
        c,
        now,
        audit_actor(who),
        AuditAction::EmployerReject,
        &Subject::EmployerClaim(id),
        &detail,
    )?;
    Ok(())
}

/// What a claimant sees of their claim: its status, and the reason when rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimView {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub status: ClaimStatus,
    pub reason: String,
    pub filed_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
}

/// How often one address may ask about claims: enough for a claimant who mistypes, a wall for
/// guessing numbers and passwords.
pub const STATUS_PER_CLIENT: super::throttle::Rule = super::throttle::Rule {
    limit: 20.0,
    half_life: chrono::Duration::minutes(60),
    block: chrono::Duration::minutes(60),
};

/// Why a status question was not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRefused {
    /// An unknown number and a wrong password: one answer for both.
    NoMatch,
    /// Too many questions from this address: paused until then.
    TooMany(NaiveDateTime),
}

/// A claim's status for whoever knows its number and the password chosen when filing it. Call
/// it from a blocking thread: it checks a password (a dummy one for an unknown number, so both
/// refusals take the same work) with no connection held.
pub fn claim_status(
    pool: &Pool,
    number: i64,
    password: &str,
    client: IpAddr,
    now: NaiveDateTime,
) -> Result<Result<ClaimView, StatusRefused>, StoreError> {
    let key = format!("claim:status:{}", super::throttle::address_key(client));
    let claim = {
        let mut c = pool.get()?;
        let blocked = store::write(&mut c, |c| {
            let blocked = super::throttle::blocked_until(c, &key, now)?;
            super::throttle::hit(c, &key, now, STATUS_PER_CLIENT)?;
            Ok::<_, store::DbError>(blocked)
        })?;
        if let Some(until) = blocked {
            crate::password::verify(password, crate::password::dummy_hash());
            return Ok(Err(StatusRefused::TooMany(until)));
        }
        employer_claims::find(&mut c, number)?
    };
    let hash = claim
        .as_ref()
        .map_or(crate::password::dummy_hash(), |c| c.password_hash.as_str());
    let good = crate::password::verify(password, hash);
    match claim {
        Some(claim) if good => Ok(Ok(ClaimView {
            id: claim.id,
            name: claim.name,
            credit_code: claim.credit_code,
            status: claim.status,
            reason: claim.review_note,
            filed_at: claim.created_at,
            decided_at: claim.reviewed_at,
        })),
        _ => Ok(Err(StatusRefused::NoMatch)),
    }
}
