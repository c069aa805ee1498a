//! Demo committees: a registered 工程系列 中级 committee with a pool of 28 experts (some of them
//! skilled workers holding titles) and its office `demo-office`; a registered 工程系列 机械专业
//! 高级 committee whose pool is the 21 of them at 副高级 and above, with `demo-office-senior`; a
//! 工程系列 电气专业 高级
//! committee whose registration has expired, with a pool of 12 and its own office
//! `demo-office-expired`; and the supervisor `demo-supervisor`. Made through the same services
//! as an administrator's and an office's clicks.

use super::DEMO_PASSWORD;
use crate::access::Actor;
use crate::domain::committee::{CommitteeTyped, PoolTyped};
use crate::domain::{CommitteeId, LoginName, RequiredText, Role};
use crate::service::accounts::{seed_account, NewStaff, SeedAccount};
use crate::service::committees::{self, RegistrationTyped};
use crate::store::{accounts, DbConnection};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The 中级 committee's name.
pub const INTERMEDIATE: &str = "上海市工程系列中级职称评审委员会（演示）";
/// The registered 高级 committee's name (organised by specialty).
pub const SENIOR: &str = "上海市工程系列机械专业高级职称评审委员会（演示）";
/// The expired 高级 committee's name.
pub const EXPIRED: &str = "上海市工程系列电气专业高级职称评审委员会（演示，备案已过期）";

/// The logins this module adds, with what each shows.
pub fn logins() -> Vec<(&'static str, String)> {
    vec![
        (
            "demo-office-senior",
            "评委会办事机构 机械专业高级评委会办公室".into(),
        ),
        (
            "demo-office-expired",
            "评委会办事机构 电气专业高级评委会办公室（备案已过期，不能办理）".into(),
        ),
        (
            "demo-supervisor",
            "监管 市人社局职称监管处（只读，查看即留痕）".into(),
        ),
        (
            "demo-pool-01",
            "评审专家 中级评委会专家库（demo-pool-01 至 demo-pool-25）".into(),
        ),
        (
            "demo-pool-26",
            "评审专家 备案已过期的高级评委会专家库（demo-pool-26 至 demo-pool-37）".into(),
        ),
    ]
}

fn err(e: impl std::fmt::Debug) -> String {
    format!("{e:?}")
}

/// The two demo committees' ids.
#[derive(Debug, Clone, Copy)]
pub struct DemoCommittees {
    pub intermediate: CommitteeId,
    pub senior: CommitteeId,
    pub expired: CommitteeId,
}

/// The two demo committees, once [`load`] made them.
pub fn ids(conn: &mut DbConnection) -> Result<DemoCommittees, String> {
    let all = crate::store::committees::list(conn).map_err(err)?;
    let find = |name: &str| {
        all.iter()
            .find(|c| c.name == name)
            .map(|c| c.id)
            .ok_or_else(|| format!("the demo committee {name} is missing"))
    };
    Ok(DemoCommittees {
        intermediate: find(INTERMEDIATE)?,
        senior: find(SENIOR)?,
        expired: find(EXPIRED)?,
    })
}

fn staff(
    conn: &mut DbConnection,
    login: &str,
    role: Role,
    name: &str,
    committee: Option<CommitteeId>,
    hash: &str,
    now: NaiveDateTime,
) -> Result<crate::domain::AccountId, String> {
    if let Some(a) = accounts::find_by_login(conn, login).map_err(err)? {
        return Ok(a.id);
    }
    let new = NewStaff {
        login_name: LoginName::parse(login).map_err(err)?,
        role,
        display_name: RequiredText::parse(name, "", 100).map_err(err)?,
        committee,
    };
    seed_account(conn, SeedAccount::Staff(&new), None, hash, now)
        .map_err(err)?
        .map_err(|d| d.message.to_string())
}

fn committee(
    conn: &mut DbConnection,
    admin: &Actor,
    typed: &CommitteeTyped,
    registration: (&str, NaiveDate, NaiveDate),
    now: NaiveDateTime,
) -> Result<CommitteeId, String> {
    let existing = crate::store::committees::list(conn).map_err(err)?;
    if let Some(c) = existing.iter().find(|c| c.name == typed.name) {
        return Ok(c.id);
    }
    let id = committees::create(conn, admin, typed, now).map_err(err)?;
    let reg = RegistrationTyped {
        number: registration.0.into(),
        from: Some(registration.1),
        until: Some(registration.2),
    };
    committees::register(conn, admin, id, 1, &reg, now).map_err(err)?;
    Ok(id)
}

/// Surnames and given names the pool's experts are made from.
const NAMES: [&str; 40] = [
    "李明", "王芳", "陈刚", "刘洋", "杨帆", "黄磊", "赵静", "吴敏", "周涛", "徐峰", "孙悦", "马骏",
    "朱婷", "胡斌", "郭亮", "何琳", "高翔", "林海", "罗军", "梁爽", "宋伟", "郑洁", "谢飞", "韩冰",
    "唐宁", "冯雷", "于波", "董鑫", "萧然", "程远", "曹阳", "袁野", "邓超", "许诺", "傅强", "沈清",
    "曾毅", "彭博", "吕方", "苏杭",
];

/// Specialties of the 工程 series the pool's experts work in.
const SPECIALTIES: [&str; 5] = ["机械", "电气", "建筑", "化工", "电子"];

/// Loads the committees, their offices and pools, the supervisor (again: nothing when there).
pub fn load(conn: &mut DbConnection, now: NaiveDateTime) -> Result<DemoCommittees, String> {
    let hash = crate::password::hash(DEMO_PASSWORD);
    let admin = accounts::find_by_login(conn, "demo-admin")
        .map_err(err)?
        .ok_or("demo-admin")?;
    let admin = Actor::new(admin.id, Role::Admin);
    let catalogue = crate::service::catalogue::load(conn).map_err(err)?;
    let engineering: Vec<String> = catalogue
        .occupations_of("工程")
        .into_iter()
        .map(String::from)
        .collect();
    let electrical: Vec<String> = engineering
        .iter()
        .filter(|o| {
            catalogue
                .correspondences()
                .iter()
                .any(|c| c.occupation.as_deref() == Some(o.as_str()) && c.specialty == "电气")
        })
        .cloned()
        .collect();
    let today = crate::time::local_date(now);
    let year = today.year();
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
    let intermediate = committee(
        conn,
        &admin,
        &CommitteeTyped {
            name: INTERMEDIATE,
            series: "工程",
            specialty: "",
            levels: &["中级".to_string(), "初级".to_string()],
            sponsor: "上海市人力资源和社会保障局",
            occupations: &engineering,
        },
        (
            "沪人社专备〔2026〕3号",
            date(2028.max(year + 1) - 2, 1, 1),
            date(2028.max(year + 1), 12, 31),
        ),
        now,
    )?;
    let mechanical: Vec<String> = engineering
        .iter()
        .filter(|o| {
            catalogue
                .correspondences()
                .iter()
                .any(|c| c.occupation.as_deref() == Some(o.as_str()) && c.specialty == "机械")
        })
        .cloned()
        .collect();
    let senior = committee(
        conn,
        &admin,
        &CommitteeTyped {
            name: SENIOR,
            series: "工程",
            specialty: "机械",
            levels: &["正高级".to_string(), "副高级".to_string()],
            sponsor: "上海市人力资源和社会保障局",
            occupations: &mechanical,
        },
        (
            "沪人社专备〔2026〕5号",
            date(2028.max(year + 1) - 2, 1, 1),
            date(2028.max(year + 1), 12, 31),
        ),
        now,
    )?;
    staff(
        conn,
        "demo-office-senior",
        Role::Office,
        "工程系列机械专业高级评委会办公室",
        Some(senior),
        &hash,
        now,
    )?;
    // Registered for three years that ended ten days ago: its round opened, and took an
    // application, while it was registered.
    let lapsed_on = today - chrono::Duration::days(10);
    let expired = committee(
        conn,
        &admin,
        &CommitteeTyped {
            name: EXPIRED,
            series: "工程",
            specialty: "电气",
            levels: &["正高级".to_string(), "副高级".to_string()],
            sponsor: "上海电气集团股份有限公司",
            occupations: &electrical,
        },
        (
            "沪人社专备〔2022〕11号",
            lapsed_on
                .with_year(lapsed_on.year() - 3)
                .map_or(lapsed_on, |d| d + chrono::Duration::days(1)),
            lapsed_on,
        ),
        now,
    )?;
    staff(
        conn,
        "demo-office-expired",
        Role::Office,
        "工程系列电气专业高级评委会办公室",
        Some(expired),
        &hash,
        now,
    )?;
    staff(
        conn,
        "demo-supervisor",
        Role::Supervisor,
        "市人社局职称监管处",
        None,
        &hash,
        now,
    )?;
    for login in ["demo-office", "demo-new-office"] {
        if let Some(a) = accounts::find_by_login(conn, login).map_err(err)? {
            if a.committee.is_none() {
                committees::assign_office(conn, &admin, intermediate, a.id, now).map_err(err)?;
            }
        }
    }
    let term = (
        date(year - 1, 1, 1).to_string(),
        date(year + 1, 12, 31).to_string(),
    );
    // The 中级 committee: the three named demo experts and 25 more (28: odd panels of 7 and
    // more can be drawn), every fifth a skilled worker holding a title.
    let mut pool: Vec<(String, String)> = ["demo-expert1", "demo-expert2", "demo-expert3"]
        .iter()
        .map(|l| (l.to_string(), String::new()))
        .collect();
    for i in 1..=25 {
        pool.push((
            format!("demo-pool-{i:02}"),
            NAMES[(i + 2) % NAMES.len()].into(),
        ));
    }
    for (i, (login, name)) in pool.iter().enumerate() {
        let account = staff(conn, login, Role::Expert, name, None, &hash, now)?;
        let skilled = i % 5 == 4;
        let level = match i % 4 {
            0 => "正高级",
            1 | 2 => "副高级",
            _ => "中级",
        };
        let apprentices = if skilled { "张小龙\n刘晓东" } else { "" };
        // Most senior experts are 机械, so the 机械 committee's specialty draw has enough; three
        // of other specialties sit in its pool too and the draw passes them over.
        let specialty = if level != "中级" && i % 7 != 6 {
            "机械"
        } else {
            SPECIALTIES[i % SPECIALTIES.len()]
        };
        let record = typed(level, specialty, skilled, apprentices, &term, i);
        add(conn, &admin, intermediate, (login, account), &record, now)?;
        // Those at 副高级 and above sit in the 高级 committee's pool too (21 of them: a panel
        // of 11, the minimum of a committee organised by specialty, can be drawn).
        if level != "中级" {
            add(conn, &admin, senior, (login, account), &record, now)?;
        }
    }
    // The expired 高级 committee: 12 experts at 副高级 and above, all in 电气.
    for i in 26..=37 {
        let login = format!("demo-pool-{i:02}");
        let account = staff(
            conn,
            &login,
            Role::Expert,
            NAMES[(i + 2) % NAMES.len()],
            None,
            &hash,
            now,
        )?;
        let level = if i % 3 == 0 { "正高级" } else { "副高级" };
        add(
            conn,
            &admin,
            expired,
            (&login, account),
            &typed(level, "电气", i % 6 == 0, "", &term, i),
            now,
        )?;
    }
    Ok(DemoCommittees {
        intermediate,
        senior,
        expired,
    })
}

/// An expert's record: the title by level, their employer, the term.
fn typed<'a>(
    level: &'static str,
    specialty: &'static str,
    skilled: bool,
    apprentices: &'static str,
    term: &'a (String, String),
    i: usize,
) -> PoolTyped<'a> {
    let title = match (level, skilled) {
        ("正高级", _) => "正高级工程师",
        ("副高级", _) => "高级工程师",
        _ => "工程师",
    };
    const EMPLOYERS: [(&str, &str); 4] = [
        ("上海电气集团股份有限公司", "913100007416029816"),
        ("上海汽车集团股份有限公司", "91310000132260250X"),
        ("上海建工集团股份有限公司", "913100001322052955"),
        ("上海交通大学", "12100000425006117P"),
    ];
    let (employer, code) = EMPLOYERS[i % EMPLOYERS.len()];
    PoolTyped {
        title_name: title,
        title_level: level,
        series: "工程",
        specialty,
        employer_name: employer,
        employer_code: code,
        code_confirmed: true,
        term_from: &term.0,
        term_until: &term.1,
        skilled_worker: skilled,
        apprentices,
    }
}

fn add(
    conn: &mut DbConnection,
    admin: &Actor,
    committee: CommitteeId,
    (login, account): (&str, crate::domain::AccountId),
    typed: &PoolTyped,
    now: NaiveDateTime,
) -> Result<(), String> {
    if crate::store::pool::has_entry(conn, committee, account).map_err(err)? {
        return Ok(());
    }
    crate::service::pool::add(conn, admin, committee, login, typed, now)
        .map(drop)
        .map_err(err)
}
