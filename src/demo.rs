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

/// A tiny valid PDF for demo evidence.
const DEMO_PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// The demo applicant's applications: one submitted (单位审核中) and one draft (填写中), with an
/// open round. Added once; left alone when the applicant already has applications.
pub fn load_applications(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    use crate::application::*;
    use crate::store::applications::{self as apps, NewEvidence, SectionChange};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let find = |conn: &mut DbConnection, login: &str| {
        accounts::find_by_login(conn, login).map_err(|e| err(&e))
    };
    let (Some(applicant), Some(employer), Some(admin)) = (
        find(conn, "demo-applicant")?,
        find(conn, "demo-employer")?,
        find(conn, "demo-admin")?,
    ) else {
        return Ok(());
    };
    if !apps::for_applicant(conn, applicant.id)
        .map_err(|e| err(&e))?
        .is_empty()
    {
        return Ok(());
    }
    let today = crate::time::local_date(now);
    // The end of this year: the three assessment years before it are the ones already known.
    let deadline =
        chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 12, 31).unwrap_or(today);
    let round_name = format!(
        "{}年度工程系列机械专业中级职称评审（演示）",
        chrono::Datelike::year(&today)
    );
    let round = match apps::rounds(conn)
        .map_err(|e| err(&e))?
        .into_iter()
        .find(|r| r.name == round_name)
    {
        Some(r) => r,
        None => {
            apps::create_round(conn, &round_name, deadline, deadline, &admin, now)
                .map_err(|e| err(&e))?;
            apps::rounds(conn)
                .map_err(|e| err(&e))?
                .into_iter()
                .find(|r| r.name == round_name)
                .ok_or("round")?
        }
    };
    let employer_row = accounts::employer(conn, employer.id)
        .map_err(|e| err(&e))?
        .ok_or("employer")?;
    let year = chrono::Datelike::year(&today);
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid demo date");
    // (section, its data, which item gets a demo PDF as evidence)
    let sections = || -> Vec<(Section, serde_json::Value, Option<&'static str>)> {
        vec![
            (
                Section::Basic,
                serde_json::to_value(Basic {
                    education: "中专或技校".into(),
                    mobile: "13800138000".into(),
                    email: String::new(),
                    address: "上海市闵行区".into(),
                })
                .unwrap_or_default(),
                None,
            ),
            (
                Section::Employment,
                serde_json::to_value(Employment {
                    employer_id: Some(employer.id),
                    employer_name: employer_row.name.clone(),
                    employer_code: employer_row.credit_code.clone(),
                    department: "焊接车间".into(),
                    post: "焊接工艺员".into(),
                    professional_post: Some(true),
                    occupation: "焊工".into(),
                    since: Some(date("2012-07-01")),
                    assessments: (1..=3)
                        .rev()
                        .map(|b| Assessment {
                            year: year - b,
                            result: "合格".into(),
                        })
                        .collect(),
                })
                .unwrap_or_default(),
                None,
            ),
            (
                Section::Certificates,
                serde_json::json!({"items": [{"id": "demo-cert", "occupation": "焊工", "level": "技师", "number": "1931000000123", "issuer": "上海市职业技能鉴定中心", "obtained_on": "2019-06-30", "evidence": []}]}),
                Some("certificate"),
            ),
            (
                Section::Work,
                serde_json::json!({"items": [{"id": "demo-work", "from": "2008-07-01", "to": null, "employer": employer_row.name, "occupation": "焊工", "post": "焊工、焊接工艺员"}]}),
                None,
            ),
            (
                Section::Target,
                serde_json::json!({"round_id": round.id, "series": "工程", "specialty": "机械", "level": "中级", "route": "seniority", "honours": [], "frontline_statement": "", "exceptional_grounds": ""}),
                None,
            ),
            (
                Section::Achievements,
                serde_json::json!({"summary": "长期从事压力容器焊接，主持薄壁不锈钢管焊接工艺改进。", "items": [{"id": "demo-ach", "kind": "操作法", "title": "薄壁不锈钢管TIG焊操作法", "date": "2024-05-01", "role": "主要完成人", "description": "焊缝一次合格率由93%提高到99%。", "evidence": []}], "apprentices": [{"id": "demo-app", "name": "王小军", "period": "2021年3月至2023年3月", "outcome": "取得焊工高级工证书"}], "renovations": []}),
                Some("achievement"),
            ),
        ]
    };
    // The submitted one.
    let id = apps::create(conn, &applicant, now).map_err(|e| err(&e))?;
    for (section, value, evidence_into) in sections() {
        let files = if evidence_into.is_some() {
            vec![NewEvidence {
                file_name: format!("{}.pdf", section.title()),
                content_type: "application/pdf",
                bytes: DEMO_PDF.to_vec(),
            }]
        } else {
            Vec::new()
        };
        let change = SectionChange {
            application_id: id,
            section,
            expected_version: 0,
            new_files: files,
            removed_evidence: Vec::new(),
            employer_id: (section == Section::Employment).then_some(Some(employer.id)),
            round_id: (section == Section::Target).then_some(Some(round.id)),
            max_application_bytes: i64::MAX,
            actor: &applicant,
        };
        apps::save_section(conn, change, now, move |_, refs| {
            let mut v = value;
            if evidence_into.is_some() {
                v["items"][0]["evidence"] = serde_json::to_value(&refs).unwrap_or_default();
            }
            Ok(v.to_string())
        })
        .map_err(|e| err(&e))?;
    }
    let draft = apps::draft(conn, id).map_err(|e| err(&e))?;
    apps::submit(conn, id, &applicant, 1, draft.fingerprint(), now).map_err(|e| err(&e))?;
    // A draft just started: basic information half filled (进行中).
    let id = apps::create(conn, &applicant, now).map_err(|e| err(&e))?;
    let change = SectionChange {
        application_id: id,
        section: Section::Basic,
        expected_version: 0,
        new_files: Vec::new(),
        removed_evidence: Vec::new(),
        employer_id: None,
        round_id: None,
        max_application_bytes: i64::MAX,
        actor: &applicant,
    };
    let half =
        serde_json::json!({"education": "中专或技校", "mobile": "", "email": "", "address": ""})
            .to_string();
    apps::save_section(conn, change, now, move |_, _| Ok(half)).map_err(|e| err(&e))?;
    Ok(())
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
