//! Demo data (`serve --demo`): one account per role, all with the password `demo-pass-2026`.
//! It grows with each feature, so that every state and page has an example.

use crate::access::Actor;
use crate::domain::{
    CreditCode, IdNumber, LoginName, MobileNumber, PersonName, RequiredText, Role,
};
use crate::service::accounts::{seed_account, NewApplicant, NewEmployer, NewStaff, SeedAccount};
use crate::store::{accounts, DbConnection};
use chrono::NaiveDateTime;

pub mod assignment;
pub mod committees;
pub mod employer_stage;
pub mod formal_check;
pub mod meeting;
pub mod rounds;
pub mod scale;
pub mod scoring;

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

/// Staff accounts in the states an admin manages, to see them on `/admin/accounts` and the
/// forced password change: one whose issued password (the demo password) must be changed at
/// first login, one disabled (it cannot log in).
pub const DEMO_ACCOUNT_STATES: [(&str, Role, &str, &str); 2] = [
    (
        "demo-new-office",
        Role::Office,
        "评委会办事机构 新经办人 赵敏",
        "首次登录须修改密码",
    ),
    (
        "demo-retired-expert",
        Role::Expert,
        "评审专家 孙强（已停用）",
        "已停用，不能登录",
    ),
];

/// What `serve --demo` prints at start: every demo login, with what it shows.
pub fn banner() -> Vec<String> {
    let mut lines = vec![format!("演示账户（密码均为 {DEMO_PASSWORD}）：")];
    for (login, _, what) in DEMO_ACCOUNTS {
        lines.push(format!("  {login:<20} {what}"));
    }
    for (login, _, _, state) in DEMO_ACCOUNT_STATES {
        lines.push(format!("  {login:<20} {state}"));
    }
    for (login, what) in committees::logins()
        .into_iter()
        .chain(employer_stage::logins())
    {
        lines.push(format!("  {login:<20} {what}"));
    }
    lines
}

/// Loads [`DEMO_ACCOUNT_STATES`] (again: nothing when they exist).
pub fn load_account_states(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    let hash = crate::password::hash(DEMO_PASSWORD);
    for (login, role, name, _) in DEMO_ACCOUNT_STATES {
        if accounts::find_by_login(conn, login)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            continue;
        }
        let staff = NewStaff {
            login_name: LoginName::parse(login).expect("valid"),
            role,
            display_name: RequiredText::parse(name, "", 100).expect("valid"),
            committee: None,
        };
        let id = seed_account(conn, SeedAccount::Staff(&staff), None, &hash, now)
            .map_err(|e| e.to_string())?
            .map_err(|d| d.message.to_string())?;
        match role {
            Role::Office => accounts::set_password(conn, id, &hash, true),
            _ => accounts::set_active(conn, id, false, Some(Role::Admin)),
        }
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

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

/// The demo employer's credit code.
pub fn demo_employer_code() -> String {
    credit_code_with_check("91310115MA1K4DEM5")
}

/// Loads the demo accounts; those that exist already are left alone. Returns how many were added.
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
        let (applicant, employer, staff);
        let seed = match role {
            Role::Applicant => {
                applicant = NewApplicant {
                    name: PersonName::parse("张建国").expect("valid"),
                    id_number: IdNumber::parse(&id_number_with_check("31010519850312301"))
                        .expect("valid"),
                    mobile: MobileNumber::parse("13800138000").expect("valid"),
                };
                SeedAccount::Applicant(&applicant)
            }
            Role::Employer => {
                employer = NewEmployer {
                    name: RequiredText::parse("上海贯通机械制造有限公司", "", 100).expect("valid"),
                    credit_code: CreditCode::parse(
                        &credit_code_with_check("91310115MA1K4DEM5"),
                        false,
                    )
                    .expect("valid"),
                    contact_name: RequiredText::parse("周敏", "", 50).expect("valid"),
                    contact_phone: MobileNumber::parse("13900139000").expect("valid"),
                };
                SeedAccount::Employer(&employer)
            }
            _ => {
                staff = NewStaff {
                    login_name: LoginName::parse(login).expect("valid"),
                    role,
                    display_name: RequiredText::parse(display_name(login), "", 100).expect("valid"),
                    committee: None,
                };
                SeedAccount::Staff(&staff)
            }
        };
        // Applicants and employers log in with their mobile / credit code; demo ones by name.
        seed_account(conn, seed, Some(login), &hash, now)
            .map_err(|e| e.to_string())?
            .map_err(|d| d.message.to_string())?;
        added += 1;
    }
    // The committees, their offices (demo-office among them) and pools.
    load_account_states(conn, now)?;
    committees::load(conn, now)?;
    Ok(added)
}

/// A tiny valid PDF for demo evidence.
pub const DEMO_PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn demo_edits(
    year: i32,
    employer: &crate::store::accounts::Employer,
    round: crate::domain::RoundId,
) -> Vec<(
    crate::application::Edit,
    Vec<crate::store::evidence::NewEvidence>,
)> {
    use crate::application::*;
    use crate::domain::{AssessmentResult, Education, RouteClaim, SkillLevel, TitleLevel};
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid demo date");
    let pdf = |name: &str| crate::store::evidence::NewEvidence {
        file_name: format!("{name}.pdf"),
        content_type: "application/pdf",
        bytes: DEMO_PDF.to_vec(),
    };
    let employment = Employment {
        employer_id: Some(employer.id()),
        employer_name: employer.name.clone(),
        employer_code: employer.credit_code.clone(),
        department: "焊接车间".into(),
        post: "焊接工艺员".into(),
        professional_post: Some(true),
        occupation: "焊工".into(),
        since: Some(date("2012-07-01")),
        assessments: (1..=3)
            .rev()
            .map(|b| Assessment {
                year: year - b,
                result: AssessmentResult::Pass,
            })
            .collect(),
    };
    let certificate = Certificate {
        id: String::new(),
        occupation: "焊工".into(),
        level: SkillLevel::Technician,
        number: "1931000000123".into(),
        issuer: "上海市职业技能鉴定中心".into(),
        obtained_on: date("2019-06-30"),
        evidence: vec![],
    };
    let period = Period {
        id: String::new(),
        from: date("2008-07-01"),
        to: None,
        employer: employer.name.clone(),
        occupation: "焊工".into(),
        post: "焊工、焊接工艺员".into(),
        employer_code: String::new(),
        witness_name: String::new(),
        witness_phone: String::new(),
    };
    let target = TargetData {
        round_id: Some(round),
        series: "工程".into(),
        specialty: "机械".into(),
        level: Some(TitleLevel::Intermediate),
        route: Some(RouteClaim::Seniority),
        ..TargetData::default()
    };
    let achievement = Achievement {
        id: String::new(),
        kind: "操作法".into(),
        title: "薄壁不锈钢管TIG焊操作法".into(),
        date: date("2024-05-01"),
        role: "主要完成人".into(),
        description: "焊缝一次合格率由93%提高到99%。".into(),
        evidence: vec![],
        co_holders: vec![],
    };
    let apprentice = Apprentice {
        id: String::new(),
        name: "王小军".into(),
        period: "2021年3月至2023年3月".into(),
        outcome: "取得焊工高级工证书".into(),
    };
    vec![
        (
            Edit::Basic(Basic {
                education: Some(Education::Vocational),
                mobile: "13800138000".into(),
                email: String::new(),
                address: "上海市闵行区".into(),
            }),
            vec![],
        ),
        (Edit::Employment(employment), vec![]),
        (
            Edit::AddCertificate(certificate),
            vec![pdf("职业技能等级证书")],
        ),
        (Edit::AddPeriod(period), vec![]),
        (Edit::Target(target), vec![]),
        (
            Edit::Summary("长期从事压力容器焊接，主持薄壁不锈钢管焊接工艺改进。".into()),
            vec![],
        ),
        (Edit::AddAchievement(achievement), vec![pdf("业绩与能力")]),
        (Edit::AddApprentice(apprentice), vec![]),
    ]
}

/// The states `serve --demo` shows an application in, on any date (a test holds it to this).
pub const SHOWN_STATES: [crate::domain::State; 4] = [
    crate::domain::State::Draft,
    crate::domain::State::EmployerReview,
    crate::domain::State::EmployerPublicity,
    crate::domain::State::Appointed,
];

/// Days the demo keeps between its date and the end of the calendar's data: the longest span
/// it counts forward in working days (a reply deadline, a correction window, a publicity, the
/// scoring of a round) fits in it.
pub const DEMO_DAYS_AHEAD: i64 = 45;
/// Days it keeps after the start of the data: its publicities that are over began three weeks
/// earlier, and its past rounds before that.
pub const DEMO_DAYS_BEHIND: i64 = 60;

/// The moment the demo runs at: now, when the working-day calendar holds the days around it
/// that the demo counts; otherwise the nearest moment that has them (the same time of day), so
/// that the demo shows every state on any date without inventing holidays. With no calendar
/// data at all, now.
pub fn demo_now(
    calendar: &crate::calendar::WorkCalendar,
    real: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::{Datelike, NaiveDate};
    let years: Vec<i32> = calendar.years().collect();
    let today = crate::time::local_date(crate::store::to_db_time(real));
    // The run of consecutive years with data that ends last, or that holds today.
    let Some(&last) = years
        .iter()
        .filter(|y| **y <= today.year())
        .max()
        .or(years.iter().min())
    else {
        return real;
    };
    let last = (last..)
        .take_while(|y| years.contains(y))
        .last()
        .unwrap_or(last);
    let first = (i32::MIN..=last)
        .rev()
        .take_while(|y| years.contains(y))
        .last()
        .unwrap_or(last);
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(first, 1, 1),
        NaiveDate::from_ymd_opt(last, 12, 31),
    ) else {
        return real;
    };
    let (earliest, latest) = (
        start + chrono::Duration::days(DEMO_DAYS_BEHIND),
        end - chrono::Duration::days(DEMO_DAYS_AHEAD),
    );
    if earliest > latest {
        return real;
    }
    let day = today.clamp(earliest, latest);
    real + chrono::Duration::days((day - today).num_days())
}

/// Starts the demo: sets the server's clock to [`demo_now`] and loads everything
/// [`load_all`] makes. Returns the demo's date.
pub fn start(
    conn: &mut DbConnection,
    clock: &crate::clock::Clock,
) -> Result<chrono::NaiveDate, String> {
    let calendar = crate::service::calendar::load(conn).map_err(|e| e.to_string())?;
    let at = demo_now(&calendar, clock.now());
    clock.set(at);
    let now = crate::store::to_db_time(clock.now());
    load_all(conn, now)?;
    Ok(crate::time::local_date(now))
}

/// Everything `serve --demo` shows: the accounts, the applications in their states, an employer
/// registration waiting for an admin, and accounts in the states admins manage.
pub fn load_all(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    load(conn, now)?;
    load_applications(conn, now)?;
    load_employer_claim(conn, now)?;
    rounds::senior_round(conn, now)?;
    let rounds = employer_stage::DemoRounds {
        main: rounds::main_round(conn, now)?,
        expired: rounds::expired_rounds(conn, now)?,
    };
    if !employer_stage::load(conn, now, rounds)? {
        log::warn!(
            "the working-day calendar has no data around the demo's date: the demo employer's publicity examples are left out"
        );
    } else {
        assignment::load(conn, rounds.main, now)?;
        scoring::load(conn, rounds.main, now)?;
        meeting::load(conn, now)?;
    }
    Ok(())
}

/// The demo applicant's applications: one submitted (单位审核中) and one draft (填写中), with an
/// open round. Added once; left alone when the applicant already has applications. Everything
/// goes through the same services as a person's clicks.
pub fn load_applications(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    use crate::application::{Basic, Edit};
    use crate::service::draft::{self, SaveSection};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let find = |conn: &mut DbConnection, login: &str| {
        accounts::find_by_login(conn, login).map_err(|e| err(&e))
    };
    let (Some(applicant), Some(employer)) =
        (find(conn, "demo-applicant")?, find(conn, "demo-employer")?)
    else {
        return Ok(());
    };
    let me = Actor::new(applicant.id, Role::Applicant);
    let mine =
        crate::store::applications::for_applicant(conn, me.id, None, 1).map_err(|e| err(&e))?;
    if !mine.is_empty() {
        return Ok(());
    }
    let round = rounds::main_round(conn, now)?;
    rounds::closed_round(conn, now)?;
    let employer = accounts::employer(conn, employer.id)
        .map_err(|e| err(&e))?
        .ok_or("employer")?;
    let save = |conn: &mut DbConnection, id, edit: Edit, files| {
        let section = edit.section();
        let seen_version = draft::read_draft(conn, id)
            .map_err(|e| err(&e))?
            .version(section);
        let cmd = SaveSection {
            id,
            seen_version,
            edit,
            files,
        };
        draft::save(conn, &me, cmd, draft::EvidenceLimits::NONE, now).map_err(|e| err(&e))
    };
    // The submitted one.
    let year = chrono::Datelike::year(&crate::time::local_date(now));
    let id = draft::create(conn, &me, now).map_err(|e| err(&e))?;
    for (edit, files) in demo_edits(year, &employer, round) {
        save(conn, id, edit, files)?;
    }
    let fingerprint = draft::read_draft(conn, id)
        .map_err(|e| err(&e))?
        .fingerprint();
    let submit = crate::service::submission::Submit {
        id,
        seen_version: 1,
        seen_fingerprint: fingerprint,
    };
    crate::service::submission::submit(conn, &me, submit, now).map_err(|e| err(&e))?;
    // A draft just started: basic information half filled (进行中).
    let id = draft::create(conn, &me, now).map_err(|e| err(&e))?;
    let half = Basic {
        education: Some(crate::domain::Education::Vocational),
        ..Basic::default()
    };
    save(conn, id, Edit::Basic(half), vec![])?;
    Ok(())
}

/// A pending employer registration, so the admin's queue has something to check.
pub fn load_employer_claim(conn: &mut DbConnection, now: NaiveDateTime) -> Result<(), String> {
    let code = credit_code_with_check("91310112MA1GTDEM8");
    if crate::store::employer_claims::pending_page(conn, None, 1000)
        .map_err(|e| e.to_string())?
        .iter()
        .any(|c| c.credit_code == code)
    {
        return Ok(());
    }
    let new = NewEmployer {
        name: RequiredText::parse("上海闵行精工模具有限公司", "", 100).expect("valid"),
        credit_code: CreditCode::parse(&code, false).expect("valid"),
        contact_name: RequiredText::parse("吴磊", "", 50).expect("valid"),
        contact_phone: MobileNumber::parse("13600136000").expect("valid"),
    };
    let licence = crate::store::evidence::NewEvidence {
        file_name: "营业执照.pdf".into(),
        content_type: "application/pdf",
        bytes: DEMO_PDF.to_vec(),
    };
    let hash = crate::password::hash(DEMO_PASSWORD);
    let limits = crate::service::employers::ClaimLimits::NONE;
    crate::service::employers::file_claim(conn, &new, &hash, &licence, "demo", limits, now)
        .map_err(|e| e.to_string())?
        .map_err(str::to_string)?;
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
        committee: None,
    };
    let hash = crate::password::hash(&password);
    let account = seed_account(conn, SeedAccount::Staff(&new), None, &hash, now)
        .map_err(|e| e.to_string())?
        .map_err(|d| d.message.to_string())?;
    // Printed on the console: to be changed at first login, like any issued password.
    accounts::set_password(conn, account, &hash, true).map_err(|e| e.to_string())?;
    Ok(Some(("admin".into(), password)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
        chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(2, 0, 0)
            .unwrap()
            .and_utc()
    }

    #[test]
    fn the_demo_runs_on_a_date_the_calendar_covers() {
        let shipped = crate::calendar::WorkCalendar::shipped();
        // Inside the data, with room ahead: the real date.
        assert_eq!(demo_now(&shipped, at("2026-06-15")), at("2026-06-15"));
        // Too close to its end, or past it: 45 days before the end of the last year.
        assert_eq!(demo_now(&shipped, at("2026-12-20")), at("2026-11-16"));
        assert_eq!(demo_now(&shipped, at("2027-03-01")), at("2026-11-16"));
        assert_eq!(demo_now(&shipped, at("2031-07-01")), at("2026-11-16"));
        // Before it: 60 days after its start.
        assert_eq!(demo_now(&shipped, at("2024-05-01")), at("2025-03-02"));
        // A year added later extends the run; no data at all leaves the date alone.
        let more = crate::calendar::WorkCalendar::of_years([2025, 2026, 2027], []);
        assert_eq!(demo_now(&more, at("2027-03-01")), at("2027-03-01"));
        let none = crate::calendar::WorkCalendar::default();
        assert_eq!(demo_now(&none, at("2030-01-01")), at("2030-01-01"));
    }

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
