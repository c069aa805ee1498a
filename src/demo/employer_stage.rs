//! Demo data for the employer's stage: the demo employer's colleagues of the demo applicant,
//! each application in one of the employer's states, made through the same services as a
//! clerk's clicks (with earlier dates where a publicity must already be over):
//! - 王五: in publicity, with an objection waiting to be resolved;
//! - 李娜: publicity over, ready to recommend;
//! - 陈强: a 初级 application, publicity over, ready to appoint;
//! - 赵敏: verified, ready to publicise;
//! - 孙丽: returned for revision, with a reply deadline;
//! - 周杰: a 初级 application the employer appointed (his appointment record can be printed);
//! - 吴磊: recommended to the 中级 committee, at its formal check (demo-office sees it);
//! - 郑华: a 副高级 电气 application recommended to the expired 高级 committee (its office sees
//!   it and can do nothing with it);
//! - 冯刚: an objection to his publicity upheld, so not recommended (the timeline says why);
//! - and at the 中级 committee's formal check (demo-office): 黄涛 asked to correct two sections
//!   by a deadline; 林芳 corrected and resubmitted (the office sees what changed); 何勇 not
//!   accepted, with the reason and clause; 罗静 accepted, now with the experts.
//!
//! Periods need the working-day calendar: where the years around today have no data, these are
//! left out (and `serve --demo` says so) rather than guessed.

use super::{demo_edits, id_number_with_check, DEMO_PASSWORD};
use crate::access::Actor;
use crate::application::verification::Verification;
use crate::application::Edit;
use crate::domain::{ApplicationId, IdNumber, MobileNumber, PersonName, Role, RoundId, TitleLevel};
use crate::service::accounts::{seed_account, NewApplicant, SeedAccount};
use crate::service::draft::{self, SaveSection};
use crate::service::employer_stage as stage;
use crate::store::{accounts, DbConnection};
use chrono::{Duration, NaiveDateTime};

/// The colleagues: login (their mobile), name, ID number without its check digit, and where
/// their application is left.
const COLLEAGUES: [(&str, &str, &str, Leave); 16] = [
    ("13900000011", "王五", "31011519880202123", Leave::Objection),
    (
        "13900000012",
        "李娜",
        "31011519900315224",
        Leave::ReadyToRecommend,
    ),
    (
        "13900000013",
        "陈强",
        "31011519920708125",
        Leave::ReadyToAppoint,
    ),
    ("13900000014", "赵敏", "31011519870101226", Leave::Verified),
    ("13900000015", "孙丽", "31011519891120228", Leave::Returned),
    ("13900000016", "周杰", "31011519930505117", Leave::Appointed),
    (
        "13900000017",
        "吴磊",
        "31011519860606113",
        Leave::Recommended,
    ),
    (
        "13900000018",
        "郑华",
        "31011519800909215",
        Leave::RecommendedToExpired,
    ),
    (
        "13900000019",
        "冯刚",
        "31011519840404119",
        Leave::ObjectionUpheld,
    ),
    (
        "13900000020",
        "黄涛",
        "31011519850303117",
        Leave::Correction,
    ),
    ("13900000021", "林芳", "31011519880808226", Leave::Corrected),
    (
        "13900000022",
        "何勇",
        "31011519820202113",
        Leave::NotAccepted,
    ),
    ("13900000023", "罗静", "31011519910909224", Leave::Accepted),
    (
        super::assignment::SAME_EMPLOYER,
        "严伟",
        "31011519870707228",
        Leave::Accepted,
    ),
    (
        super::assignment::WITNESS,
        "姚丹",
        "31011519860606115",
        Leave::Accepted,
    ),
    (
        super::assignment::RECUSAL,
        "钱坤",
        "31011519890505113",
        Leave::Accepted,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leave {
    Returned,
    Verified,
    Objection,
    ReadyToRecommend,
    ReadyToAppoint,
    Appointed,
    Recommended,
    RecommendedToExpired,
    ObjectionUpheld,
    /// Recommended, then at the committee's formal check: asked to correct.
    Correction,
    /// Asked to correct, corrected and resubmitted to the committee.
    Corrected,
    /// Not accepted at the formal check.
    NotAccepted,
    /// Accepted at the formal check.
    Accepted,
}

impl Leave {
    /// Recommended to the 中级 committee (and then, maybe, taken further by its office).
    fn recommended(self) -> bool {
        matches!(
            self,
            Leave::Recommended
                | Leave::RecommendedToExpired
                | Leave::Correction
                | Leave::Corrected
                | Leave::NotAccepted
                | Leave::Accepted
        )
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The logins this module adds, with what each shows (the start-up banner prints them).
pub fn logins() -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "demo-clerk",
        "用人单位经办人 钱七（代单位办理）".to_string(),
    )];
    for (login, name, _, leave) in COLLEAGUES {
        let what = match leave {
            Leave::Objection => "单位公示中，有待处理的异议",
            Leave::ReadyToRecommend => "公示期满，待单位推荐",
            Leave::ReadyToAppoint => "初级，公示期满，待单位聘任",
            Leave::Verified => "单位已核实，待公示",
            Leave::Returned => "单位退回修改",
            Leave::Appointed => "单位已聘任初级（可打印聘任记录）",
            Leave::Recommended => "已推荐至中级评委会，形式审查中",
            Leave::RecommendedToExpired => "副高级，已推荐至备案过期的高级评委会",
            Leave::ObjectionUpheld => "公示异议成立，单位不予推荐",
            Leave::Correction => "中级评委会形式审查要求补正（待申报人补正）",
            Leave::Corrected => "补正后重新提交中级评委会，待形式审查",
            Leave::NotAccepted => "中级评委会形式审查不予受理",
            Leave::Accepted => "中级评委会已受理，专家评审中",
        };
        out.push((login, format!("申报人 {name}：{what}")));
    }
    out
}

/// Adds the colleagues and their applications once; `Ok(false)` when the calendar lacks the
/// years they need (nothing is added then).
pub fn load(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    rounds: DemoRounds,
) -> Result<bool, String> {
    if accounts::find_by_login(conn, COLLEAGUES[0].0)
        .map_err(err)?
        .is_some()
    {
        return Ok(true);
    }
    let today = crate::time::local_date(now);
    let calendar = crate::service::calendar::load(conn).map_err(err)?;
    let days = stage::StageDays::of(&crate::service::settings::load(conn).map_err(err)?);
    // A publicity that started three weeks ago is over by now; one starting today is running.
    let past = now - Duration::days(21);
    let (Ok(past_end), Ok(_)) = (
        stage::earliest_end(&calendar, days, crate::time::local_date(past)),
        stage::earliest_end(&calendar, days, today),
    ) else {
        return Ok(false);
    };
    if past_end >= today {
        return Ok(false);
    }
    let employer = accounts::find_by_login(conn, "demo-employer")
        .map_err(err)?
        .ok_or("demo-employer")?;
    let clerk = demo_clerk(conn, employer.id, now)?;
    let employer_row = accounts::employer(conn, employer.id)
        .map_err(err)?
        .ok_or("employer")?;
    for (login, name, id, leave) in COLLEAGUES {
        let me = colleague(conn, login, name, id, now)?;
        let submitted_at = if matches!(leave, Leave::Objection | Leave::Verified | Leave::Returned)
        {
            now
        } else {
            past
        };
        let round = match leave {
            Leave::RecommendedToExpired => rounds.expired,
            _ => rounds.main,
        };
        let app = submit(
            conn,
            (&me, login),
            &employer_row,
            round,
            leave,
            submitted_at,
        )?;
        if leave == Leave::Returned {
            let items = [
                stage::ReturnItem {
                    section: "certificates".into(),
                    note: "技师证书扫描件不清晰，请重新上传清晰的彩色扫描件。".into(),
                },
                stage::ReturnItem {
                    section: "achievements".into(),
                    note: "代表性成果请补充单位出具的应用证明。".into(),
                },
            ];
            let deadline = stage::default_reply_deadline(&calendar, days, today)
                .unwrap_or(today + Duration::days(14));
            let v = version(conn, app)?;
            stage::return_for_revision(conn, &clerk, app, v, &items, deadline, now).map_err(err)?;
            continue;
        }
        verify(conn, &clerk, app, submitted_at)?;
        if leave == Leave::Verified {
            continue;
        }
        let start = crate::time::local_date(submitted_at);
        let plan = stage::Publicity {
            items: vec![(app, version(conn, app)?)],
            starts_on: start,
            ends_on: stage::earliest_end(&calendar, days, start)?,
            contact: "人力资源部 周敏 021-58880000".into(),
        };
        stage::start_publicity(conn, &clerk, &plan, submitted_at).map_err(err)?;
        if leave == Leave::Objection {
            let objection = stage::Objection {
                received_on: today,
                source: "实名来信".into(),
                content: "反映申报人近三年中有一年未参加年度考核，请核实。".into(),
            };
            let v = version(conn, app)?;
            stage::record_objection(conn, &clerk, app, v, &objection, now).map_err(err)?;
        }
        if leave == Leave::Appointed {
            let v = version(conn, app)?;
            stage::appoint(conn, &clerk, app, v, today, "沪贯聘〔2026〕1号", now).map_err(err)?;
        }
        if leave.recommended() {
            let v = version(conn, app)?;
            let opinion = "该同志技能突出，业绩显著，公示无异议，同意推荐。";
            stage::recommend(conn, &clerk, app, v, opinion, now).map_err(err)?;
            super::formal_check::take(conn, &me, app, leave.into(), now)?;
        }
        if leave == Leave::ObjectionUpheld {
            let objection = stage::Objection {
                received_on: start,
                source: "实名来信".into(),
                content: "反映申报人的代表性成果系他人完成。".into(),
            };
            let v = version(conn, app)?;
            stage::record_objection(conn, &clerk, app, v, &objection, submitted_at).map_err(err)?;
            let objection_id = crate::store::employer_stage::objections_of(conn, app, employer.id)
                .map_err(err)?
                .last()
                .map(|o| o.id)
                .ok_or("objection")?;
            let resolution = stage::Resolution {
                objection: objection_id,
                upheld: true,
                reason: "经核查，代表性成果的主要完成人另有其人，异议成立。".into(),
            };
            let v = version(conn, app)?;
            stage::resolve_objection(conn, &clerk, app, v, &resolution, now).map_err(err)?;
        }
    }
    Ok(true)
}

/// An applicant of the demo employer taken to the committee's acceptance in `round`: submitted
/// three weeks ago, verified, publicised (the publicity is over), recommended and accepted,
/// each step by the service a person's click calls.
pub(super) fn accepted_in(
    conn: &mut DbConnection,
    (login, name, id): (&str, &str, &str),
    round: RoundId,
    now: NaiveDateTime,
) -> Result<ApplicationId, String> {
    let calendar = crate::service::calendar::load(conn).map_err(err)?;
    let days = stage::StageDays::of(&crate::service::settings::load(conn).map_err(err)?);
    let past = now - Duration::days(21);
    let employer = accounts::find_by_login(conn, "demo-employer")
        .map_err(err)?
        .ok_or("demo-employer")?;
    let clerk = accounts::find_by_login(conn, "demo-clerk")
        .map_err(err)?
        .ok_or("demo-clerk")?;
    let clerk = Actor::of(clerk.id, Role::Employer, Some(employer.id));
    let employer_row = accounts::employer(conn, employer.id)
        .map_err(err)?
        .ok_or("employer")?;
    let me = colleague(conn, login, name, id, now)?;
    let app = submit(
        conn,
        (&me, login),
        &employer_row,
        round,
        Leave::Accepted,
        past,
    )?;
    verify(conn, &clerk, app, past)?;
    let start = crate::time::local_date(past);
    let plan = stage::Publicity {
        items: vec![(app, version(conn, app)?)],
        starts_on: start,
        ends_on: stage::earliest_end(&calendar, days, start)?,
        contact: "人力资源部 周敏 021-58880000".into(),
    };
    stage::start_publicity(conn, &clerk, &plan, past).map_err(err)?;
    let v = version(conn, app)?;
    let opinion = "该同志技能突出，业绩显著，公示无异议，同意推荐。";
    stage::recommend(conn, &clerk, app, v, opinion, now).map_err(err)?;
    super::formal_check::take(conn, &me, app, Leave::Accepted.into(), now)?;
    Ok(app)
}

impl From<Leave> for super::formal_check::Outcome {
    fn from(leave: Leave) -> Self {
        use super::formal_check::Outcome;
        match leave {
            Leave::Correction => Outcome::Correction,
            Leave::Corrected => Outcome::Corrected,
            Leave::NotAccepted => Outcome::NotAccepted,
            Leave::Accepted => Outcome::Accepted,
            _ => Outcome::AtCheck,
        }
    }
}

/// The rounds the colleagues apply to: the 中级 committee's and the expired committee's.
#[derive(Debug, Clone, Copy)]
pub struct DemoRounds {
    pub main: RoundId,
    pub expired: RoundId,
}

/// The demo employer's clerk (经办人) `demo-clerk`, who takes the demo's employer steps.
fn demo_clerk(
    conn: &mut DbConnection,
    employer: crate::domain::AccountId,
    now: NaiveDateTime,
) -> Result<Actor, String> {
    let hash = crate::password::hash(DEMO_PASSWORD);
    let account =
        accounts::insert(conn, "demo-clerk", Role::Employer, "钱七", &hash, now).map_err(err)?;
    accounts::set_employer(conn, account.id, employer).map_err(err)?;
    Ok(Actor::of(account.id, Role::Employer, Some(employer)))
}

pub(super) fn version(conn: &mut DbConnection, id: ApplicationId) -> Result<i32, String> {
    Ok(crate::store::applications::find(conn, id)
        .map_err(err)?
        .ok_or("application")?
        .version)
}

fn colleague(
    conn: &mut DbConnection,
    login: &str,
    name: &str,
    id: &str,
    now: NaiveDateTime,
) -> Result<Actor, String> {
    let new = NewApplicant {
        name: PersonName::parse(name).map_err(err)?,
        id_number: IdNumber::parse(&id_number_with_check(id)).map_err(err)?,
        mobile: MobileNumber::parse(login).map_err(err)?,
    };
    let hash = crate::password::hash(DEMO_PASSWORD);
    let account = seed_account(conn, SeedAccount::Applicant(&new), None, &hash, now)
        .map_err(err)?
        .map_err(|d| d.message.to_string())?;
    Ok(Actor::new(account, Role::Applicant))
}

/// A complete application like the demo applicant's (陈强's for 初级), submitted.
fn submit(
    conn: &mut DbConnection,
    (me, login): (&Actor, &str),
    employer: &crate::store::accounts::Employer,
    round: RoundId,
    leave: Leave,
    now: NaiveDateTime,
) -> Result<ApplicationId, String> {
    let year = chrono::Datelike::year(&crate::time::local_date(now));
    let id = draft::create(conn, me, now).map_err(err)?;
    let earlier = super::assignment::earlier_periods(conn, login)?
        .into_iter()
        .map(|e| (e, Vec::new()));
    for (edit, files) in demo_edits(year, employer, round).into_iter().chain(earlier) {
        let edit = match edit {
            Edit::Target(mut t) if matches!(leave, Leave::ReadyToAppoint | Leave::Appointed) => {
                t.level = Some(TitleLevel::Junior);
                Edit::Target(t)
            }
            // An electrician holding 高级技师 for years: 副高级 in 电气 (§2.2.3).
            edit if leave == Leave::RecommendedToExpired => senior_electrician(edit),
            other => other,
        };
        let seen_version = draft::read_draft(conn, id)
            .map_err(err)?
            .version(edit.section());
        let cmd = SaveSection {
            id,
            seen_version,
            edit,
            files,
        };
        draft::save(conn, me, cmd, draft::EvidenceLimits::NONE, now).map_err(err)?;
    }
    let seen_fingerprint = draft::read_draft(conn, id).map_err(err)?.fingerprint();
    let cmd = crate::service::submission::Submit {
        id,
        seen_version: version(conn, id)?,
        seen_fingerprint,
    };
    crate::service::submission::submit(conn, me, cmd, now).map_err(err)?;
    Ok(id)
}

/// The demo applicant's edit turned into a 高级技师 electrician's applying for 副高级 电气.
fn senior_electrician(edit: Edit) -> Edit {
    match edit {
        Edit::Target(mut t) => {
            t.level = Some(TitleLevel::AssociateSenior);
            t.specialty = "电气".into();
            Edit::Target(t)
        }
        Edit::AddCertificate(mut c) => {
            c.occupation = "电工".into();
            c.level = crate::domain::SkillLevel::SeniorTechnician;
            Edit::AddCertificate(c)
        }
        Edit::Employment(mut e) => {
            e.occupation = "电工".into();
            e.post = "电气设备维修班长".into();
            Edit::Employment(e)
        }
        Edit::AddPeriod(mut p) => {
            p.occupation = "电工".into();
            p.post = "电工、维修电工班长".into();
            Edit::AddPeriod(p)
        }
        other => other,
    }
}

/// The employer confirms what was declared.
fn verify(
    conn: &mut DbConnection,
    clerk: &Actor,
    id: ApplicationId,
    now: NaiveDateTime,
) -> Result<(), String> {
    let sections = draft::read_draft(conn, id).map_err(err)?.sections;
    let verification = Verification::confirming(
        &sections,
        "经核实，申报人岗位、证书、年度考核情况属实，遵纪守法，职业道德良好。",
    );
    let v = version(conn, id)?;
    stage::verify(conn, clerk, id, v, &verification, now).map_err(err)
}
