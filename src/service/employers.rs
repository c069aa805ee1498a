//! Employers: a registration is a claim on a credit code, with the business licence scan; an
//! admin verifies it (the employer account is created then) or rejects it with a reason. Pending
//! and rejected claims reserve nothing: several may claim one code; only a verified employer
//! holds it, and the applications that named the code reach it the moment it is verified.

use super::accounts::{NewEmployer, TOO_MANY_ATTEMPTS};
use super::{audit_actor, ActionError, Actor};
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

/// Files a claim: hashes the password (with no connection held), then stores the claim with its
/// licence. Returns the claim's number, or why it was refused.
pub fn register_claim(
    pool: &Pool,
    new: &NewEmployer,
    password: &Password,
    licence: &NewEvidence,
    client: IpAddr,
    now: NaiveDateTime,
) -> Result<Result<i64, &'static str>, StoreError> {
    let password_hash = crate::password::hash(password.expose());
    let mut c = pool.get()?;
    if super::accounts::registration_blocked(&mut c, client, None, now)? {
        return Ok(Err(TOO_MANY_ATTEMPTS));
    }
    Ok(file_claim(&mut c, new, &password_hash, licence, now)?)
}

/// Stores a claim with a ready password hash (the demo files one this way too).
pub fn file_claim(
    c: &mut DbConnection,
    new: &NewEmployer,
    password_hash: &str,
    licence: &NewEvidence,
    now: NaiveDateTime,
) -> Result<Result<i64, &'static str>, store::DbError> {
    let code = new.credit_code.as_str();
    store::write(c, |c| {
        if accounts::employer_by_code(c, code)?.is_some() {
            return Ok(Err(CODE_HELD));
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
    pub rivals: usize,
}

/// The admin's queue of pending claims (codes side by side).
pub fn pending(c: &mut DbConnection, who: &Actor) -> Result<Vec<PendingClaim>, ActionError> {
    crate::access::may_use_area(who.role, Role::Admin)?;
    let claims = employer_claims::pending(c, 200)?;
    let mut out = Vec::with_capacity(claims.len());
    for claim in &claims {
        let rivals = claims
            .iter()
            .filter(|x| x.credit_code == claim.credit_code)
            .count()
            - 1;
        out.push(PendingClaim {
            code_held_by: accounts::employer_by_code(c, &claim.credit_code)?,
            claim: claim.clone(),
            rivals,
        });
    }
    Ok(out)
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
                "该注册申请已{}",
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
    crate::access::may_use_area(who.role, Role::Admin)?;
    store::write(c, |c| {
        let claim = employer_claims::find(c, id)?.ok_or(ActionError::NotFound)?;
        if !employer_claims::decide(c, id, ClaimStatus::Rejected, reason, who.id, None, now)? {
            return Err(ActionError::Refused(format!(
                "该注册申请已{}",
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
    })
}
