//! Demo data (`serve --demo`): one account per role, all with the password `demo-pass-2026`.
//! It grows with each feature, so that every state and page has an example.

use crate::domain::{
    CreditCode, IdNumber, LoginName, MobileNumber, PersonName, RequiredText, Role,
};
use crate::store::accounts::{self, CreateError, NewApplicant, NewEmployer, NewStaff};
use crate::store::audit::Actor;
use crate::store::{self, DbConnection};
use chrono::NaiveDateTime;

pub const DEMO_PASSWORD: &str = "demo-pass-2026";

/// (login name, role, what it is) of each demo account, in the order printed.
pub const DEMO_ACCOUNTS: [(&str, Role, &str); 7] = [
    (
        "demo-applicant",
        Role::Applicant,
        "申报人 张建国（技师，焊工）",
    ),
    (
        "demo-employer",
        Role::Employer,
        "用人单位 上海贯通机械制造有限公司",
    ),
    (
        "demo-office",
        Role::Office,
        "评委会办事机构 工程系列机械专业评委会办公室",
    ),
    ("demo-expert1", Role::Expert, "评审专家 李明"),
    ("demo-expert2", Role::Expert, "评审专家 王芳"),
    ("demo-expert3", Role::Expert, "评审专家 陈刚"),
    ("demo-admin", Role::Admin, "管理员 市人社局"),
];

/// A valid ID number for made-up people: 17 digits plus the computed check character.
pub fn id_number_with_check(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// A valid credit code: 17 characters plus the computed check character.
pub fn credit_code_with_check(first17: &str) -> String {
    const A: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut weight = 1u32;
    let mut sum = 0u32;
    for b in first17.bytes() {
        sum += A.iter().position(|&a| a == b).unwrap_or(0) as u32 * weight;
        weight = weight * 3 % 31;
    }
    format!("{first17}{}", A[((31 - sum % 31) % 31) as usize] as char)
}

/// Loads the demo data; accounts that exist already are left alone. Returns how many were added.
pub fn load(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, String> {
    let hash = crate::password::hash(DEMO_PASSWORD);
    let mut added = 0;
    for (login, role, _) in DEMO_ACCOUNTS {
        if accounts::find_by_login(conn, login)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            continue;
        }
        let result = store::write(conn, |conn| -> Result<(), CreateError> {
            let account = match role {
                Role::Applicant => accounts::register_applicant(
                    conn,
                    &NewApplicant {
                        name: PersonName::parse("张建国").expect("valid"),
                        id_number: IdNumber::parse(&id_number_with_check("31010519850312301"))
                            .expect("valid"),
                        mobile: MobileNumber::parse("13800138000").expect("valid"),
                        password_hash: hash.clone(),
                    },
                    now,
                )?,
                Role::Employer => accounts::register_employer(
                    conn,
                    &NewEmployer {
                        name: RequiredText::parse("上海贯通机械制造有限公司", "", 100)
                            .expect("valid"),
                        credit_code: CreditCode::parse(
                            &credit_code_with_check("91310115MA1K4DEM5"),
                            false,
                        )
                        .expect("valid"),
                        contact_name: RequiredText::parse("周敏", "", 50).expect("valid"),
                        contact_phone: MobileNumber::parse("13900139000").expect("valid"),
                        password_hash: hash.clone(),
                    },
                    now,
                )?,
                _ => accounts::create_staff(
                    conn,
                    &NewStaff {
                        login_name: LoginName::parse(login).expect("valid"),
                        role,
                        display_name: RequiredText::parse(display_name(login), "", 100)
                            .expect("valid"),
                        password_hash: hash.clone(),
                    },
                    Actor::SYSTEM,
                    now,
                )?,
            };
            // Applicants and employers log in with their mobile / credit code; demo ones by name.
            accounts::rename_login(conn, account.id, login)?;
            Ok(())
        });
        result.map_err(|e| e.to_string())?;
        added += 1;
    }
    Ok(added)
}

fn display_name(login: &str) -> &'static str {
    match login {
        "demo-office" => "工程系列机械专业评委会办公室",
        "demo-expert1" => "李明",
        "demo-expert2" => "王芳",
        "demo-expert3" => "陈刚",
        _ => "市人社局管理员",
    }
}

/// On an empty database without demo data: one admin account with a random password, printed once.
pub fn first_admin(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Option<(String, String)>, String> {
    if accounts::count(conn).map_err(|e| e.to_string())? > 0 {
        return Ok(None);
    }
    let password = crate::password::random_password();
    let new = NewStaff {
        login_name: LoginName::parse("admin").expect("valid"),
        role: Role::Admin,
        display_name: RequiredText::parse("管理员", "", 100).expect("valid"),
        password_hash: crate::password::hash(&password),
    };
    store::write(conn, |conn| {
        accounts::create_staff(conn, &new, Actor::SYSTEM, now)
    })
    .map_err(|e| e.to_string())?;
    Ok(Some(("admin".into(), password)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_numbers_pass_their_checks() {
        assert!(IdNumber::parse(&id_number_with_check("31010519850312301")).is_ok());
        assert!(
            CreditCode::parse(&credit_code_with_check("91310115MA1K4DEM5"), false)
                .unwrap()
                .check_ok()
        );
    }
}
