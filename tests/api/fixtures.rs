//! Builders that reach any state through the same service calls a person's clicks make, so a
//! test starts where it needs to be: a round, an applicant, a complete draft, a submitted
//! application in one line. Not every builder is used by every issue's tests yet.
#![allow(dead_code)]

use guantong::access::Actor;
use guantong::application::Edit;
use guantong::domain::{AccountId, ApplicationId, RoundId};
use guantong::service::draft::{self, SaveSection};
use guantong::service::submission::Submit;
use guantong::store::{self, DbConnection};

/// Now, as the app's clock (which tests move) sees it.
pub fn now(app: &crate::helpers::TestApp) -> chrono::NaiveDateTime {
    store::to_db_time(app.clock.now())
}

/// The actor of a demo (or any) login.
pub fn actor(c: &mut DbConnection, login: &str) -> Actor {
    let a = store::accounts::find_by_login(c, login)
        .unwrap()
        .unwrap_or_else(|| panic!("no account {login}"));
    Actor {
        committee: a.committee,
        ..Actor::of(a.id, a.role, a.employer)
    }
}

/// A round closing on 31 December of this year (so the three assessment years before it are
/// the ones already known), of the demo 中级 committee, opened by its office.
pub fn open_round(c: &mut DbConnection, name: &str, now: chrono::NaiveDateTime) -> RoundId {
    let year = chrono::Datelike::year(&guantong::time::local_date(now));
    let deadline = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    let committee = guantong::demo::committees::ids(c).unwrap().intermediate;
    round_in(c, committee, name, deadline, now)
}

/// A round of `committee` taking every level it reviews, opened as its office's clicks would:
/// set up, a panel of the committee's minimum drawn (fixed seed), its first member the chair,
/// opened. A committee that cannot act (the demo's expired one) gets a round opened in the
/// past, as its rounds were before the registration lapsed.
pub fn round_in(
    c: &mut DbConnection,
    committee: guantong::domain::CommitteeId,
    name: &str,
    deadline: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) -> RoundId {
    use guantong::service::{panels, rounds};
    let com = store::committees::find(c, committee).unwrap().unwrap();
    let today = guantong::time::local_date(now);
    // A round taking 正高级 needs a panel of 正高级 experts; the tests apply at 副高级 at most.
    let mut levels = com.levels.clone();
    if levels.len() > 1 {
        levels.retain(|l| *l != guantong::domain::TitleLevel::FullSenior);
    }
    let setup = guantong::domain::round::RoundSetup {
        name: name.into(),
        levels,
        submission_deadline: deadline,
        reference_date: deadline,
        scoring_deadline: deadline + chrono::Duration::days(90),
    };
    if com.standing(today).may_act().is_err() {
        return guantong::demo::rounds::opened_in_the_past(c, committee, &setup, now).unwrap();
    }
    let office = store::committees::office_accounts(c)
        .unwrap()
        .into_iter()
        .find(|o| o.committee_id == Some(committee.0) && o.active)
        .expect("an office of the committee");
    let office = actor(c, &office.login_name);
    let levels: Vec<&str> = setup.levels.iter().map(|l| l.zh()).collect();
    let (d, s) = (deadline.to_string(), setup.scoring_deadline.to_string());
    let typed = guantong::domain::round::RoundTyped {
        name,
        levels,
        submission_deadline: &d,
        reference_date: "",
        scoring_deadline: &s,
    };
    let id = rounds::create(c, &office, committee, &typed, now).unwrap();
    let v = |c: &mut DbConnection| store::rounds::find(c, id).unwrap().unwrap().version;
    let round = store::rounds::find(c, id).unwrap().unwrap();
    let minimum = panels::minimum(c, &com, &round).unwrap();
    let seen = v(c);
    panels::draw_with_seed(
        c,
        &office,
        committee,
        (id, seen),
        &minimum.to_string(),
        "",
        [7; 32],
        now,
    )
    .unwrap();
    let chair = store::panels::members(c, id).unwrap()[0].entry;
    let seen = v(c);
    panels::designate(c, &office, committee, id, seen, Some(chair), &[], now).unwrap();
    let seen = v(c);
    rounds::open(c, &office, committee, id, seen, now).unwrap();
    id
}

/// Saves one edit on the section's current version.
pub fn save(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    edit: Edit,
    now: chrono::NaiveDateTime,
) -> i32 {
    let version = draft::read_draft(c, id).unwrap().version(edit.section());
    let cmd = SaveSection {
        id,
        seen_version: version,
        edit,
        files: vec![demo_pdf()],
    };
    draft::save(c, who, cmd, draft::EvidenceLimits::NONE, now).unwrap()
}

pub fn demo_pdf() -> store::evidence::NewEvidence {
    store::evidence::NewEvidence {
        file_name: "证明.pdf".into(),
        content_type: "application/pdf",
        bytes: crate::applications::PDF.to_vec(),
    }
}

/// A complete, eligible draft of the demo applicant (a 技师 welder since 2018 applying for 中级
/// in the round), naming the demo employer.
pub fn complete_draft(
    c: &mut DbConnection,
    round: RoundId,
    now: chrono::NaiveDateTime,
) -> (Actor, ApplicationId) {
    let employer = actor(c, "demo-employer");
    let code = guantong::demo::credit_code_with_check("91310115MA1K4DEM5");
    complete_draft_naming(c, round, now, &code, Some(employer.id))
}

/// A complete draft naming the employer by `code` (`employer` when a verified one holds it).
pub fn complete_draft_naming(
    c: &mut DbConnection,
    round: RoundId,
    now: chrono::NaiveDateTime,
    code: &str,
    employer: Option<AccountId>,
) -> (Actor, ApplicationId) {
    let me = actor(c, "demo-applicant");
    complete_draft_of(c, &me, round, now, code, employer)
}

/// A second applicant (王五, working for the demo employer), created once.
pub fn second_applicant(c: &mut DbConnection, now: chrono::NaiveDateTime) -> Actor {
    let login = "13900000002";
    if store::accounts::find_by_login(c, login).unwrap().is_none() {
        let hash = guantong::password::hash(guantong::demo::DEMO_PASSWORD);
        let a = store::accounts::insert(
            c,
            login,
            guantong::domain::Role::Applicant,
            "王五",
            &hash,
            now,
        )
        .unwrap();
        store::accounts::insert_person(
            c,
            &store::accounts::Person {
                account_id: a.id.0,
                name: "王五".into(),
                id_number: guantong::demo::id_number_with_check("31011519880202123"),
                mobile: login.into(),
            },
        )
        .unwrap();
    }
    actor(c, login)
}

/// The second applicant's application, submitted to the demo employer.
pub fn second_submitted(
    c: &mut DbConnection,
    round: RoundId,
    now: chrono::NaiveDateTime,
) -> ApplicationId {
    let me = second_applicant(c, now);
    let employer = actor(c, "demo-employer");
    let code = guantong::demo::credit_code_with_check("91310115MA1K4DEM5");
    let (_, id) = complete_draft_of(c, &me, round, now, &code, Some(employer.id));
    let cmd = submit_command(c, id);
    guantong::service::submission::submit(c, &me, cmd, now).unwrap();
    id
}

/// A complete draft of `me`.
pub fn complete_draft_of(
    c: &mut DbConnection,
    me: &Actor,
    round: RoundId,
    now: chrono::NaiveDateTime,
    code: &str,
    employer: Option<AccountId>,
) -> (Actor, ApplicationId) {
    let me = *me;
    use guantong::application::{
        Achievement, Assessment, Basic, Certificate, Employment, Period, TargetData,
    };
    use guantong::domain::{AssessmentResult, Education, RouteClaim, SkillLevel, TitleLevel};
    let id = guantong::service::draft::create(c, &me, now).unwrap();
    let year = chrono::Datelike::year(&guantong::time::local_date(now));
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let edits = vec![
        Edit::Basic(Basic {
            education: Some(Education::College),
            mobile: "13800138000".into(),
            ..Basic::default()
        }),
        Edit::Employment(Employment {
            employer_id: employer,
            employer_code: code.into(),
            employer_name: "上海贯通机械制造有限公司".into(),
            department: "焊接车间".into(),
            post: "焊接工艺员".into(),
            professional_post: Some(true),
            occupation: "焊工".into(),
            since: Some(d("2012-07-01")),
            assessments: (1..=3)
                .map(|b| Assessment {
                    year: year - b,
                    result: AssessmentResult::Good,
                })
                .collect(),
        }),
        Edit::AddCertificate(Certificate {
            id: String::new(),
            occupation: "焊工".into(),
            level: SkillLevel::Technician,
            number: "N-1".into(),
            issuer: "鉴定中心".into(),
            obtained_on: d("2018-03-01"),
            evidence: vec![],
        }),
        Edit::AddPeriod(Period {
            id: String::new(),
            from: d("2010-07-01"),
            to: None,
            employer: "上海贯通机械制造有限公司".into(),
            occupation: "焊工".into(),
            post: "焊工".into(),
            employer_code: String::new(),
            witness_name: String::new(),
            witness_phone: String::new(),
        }),
        Edit::Target(TargetData {
            round_id: Some(round),
            series: "工程".into(),
            specialty: "机械".into(),
            level: Some(TitleLevel::Intermediate),
            route: Some(RouteClaim::Seniority),
            ..TargetData::default()
        }),
        Edit::Summary("十年焊接一线".into()),
        Edit::AddAchievement(Achievement {
            id: String::new(),
            kind: "操作法".into(),
            title: "TIG焊操作法".into(),
            date: d("2024-05-01"),
            role: "主要完成人".into(),
            description: "合格率99%".into(),
            evidence: vec![],
            co_holders: vec![],
        }),
    ];
    for edit in edits {
        save(c, &me, id, edit, now);
    }
    (me, id)
}

/// What the check-answers page would carry for this draft.
pub fn submit_command(c: &mut DbConnection, id: ApplicationId) -> Submit {
    let version = store::applications::find(c, id).unwrap().unwrap().version;
    Submit {
        id,
        seen_version: version,
        seen_fingerprint: draft::read_draft(c, id).unwrap().fingerprint(),
    }
}

/// A submitted application (单位审核中) of the demo applicant, in one line.
pub fn submitted(
    c: &mut DbConnection,
    round: RoundId,
    now: chrono::NaiveDateTime,
) -> (Actor, ApplicationId) {
    let (me, id) = complete_draft(c, round, now);
    let cmd = submit_command(c, id);
    guantong::service::submission::submit(c, &me, cmd, now).unwrap();
    (me, id)
}

/// An account's id by login.
pub fn account_id(c: &mut DbConnection, login: &str) -> AccountId {
    actor(c, login).id
}

/// Another verified employer (its login is its credit code), created once.
pub fn other_employer(c: &mut DbConnection, now: chrono::NaiveDateTime) -> String {
    let code = guantong::demo::credit_code_with_check("91310000MA1FL0TH9");
    if store::accounts::find_by_login(c, &code).unwrap().is_none() {
        let hash = guantong::password::hash(guantong::demo::DEMO_PASSWORD);
        let a = store::accounts::insert(
            c,
            &code,
            guantong::domain::Role::Employer,
            "上海另一家公司",
            &hash,
            now,
        )
        .unwrap();
        store::accounts::insert_employer(
            c,
            &store::accounts::Employer {
                account_id: a.id.0,
                name: "上海另一家公司".into(),
                credit_code: code.clone(),
                credit_code_verified: true,
                contact_name: "赵六".into(),
                contact_phone: "13900000003".into(),
            },
        )
        .unwrap();
    }
    code
}

/// The employer's tab counts (kept by the database's triggers) equal the lengths of the lists the
/// tabs show, read in full.
pub fn assert_counts_match_lists(
    c: &mut DbConnection,
    employer: AccountId,
    today: chrono::NaiveDate,
) {
    use guantong::store::applications::{self as apps, EmployerFilter, Keyset};
    for (tab, n) in apps::employer_counts(c, employer, today).unwrap() {
        let filter = EmployerFilter {
            tab,
            search: None,
            today,
        };
        let listed = apps::for_employer_filtered(c, employer, &filter, Keyset::Newest, 1_000_000)
            .unwrap()
            .len() as i64;
        assert_eq!(n, listed, "employer {employer:?}, tab {tab:?}");
    }
}

/// Sets the clock to 10:00 in Shanghai on `date`.
pub fn on(app: &crate::helpers::TestApp, date: &str) -> chrono::NaiveDateTime {
    let local = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    app.clock.set(local.and_utc());
    now(app)
}

/// Everything the demo shows, loaded on a day its calendar covers.
pub fn demo(app: &crate::helpers::TestApp) -> chrono::NaiveDateTime {
    let now = on(app, "2026-09-14");
    app.with_conn(|c| guantong::demo::load_all(c, now))
        .expect("the demo loads");
    now
}

/// The demo application of the person named `name`.
pub fn of(c: &mut DbConnection, name: &str) -> ApplicationId {
    use diesel::prelude::*;
    use guantong::store::schema::applications as a;
    ApplicationId(
        a::table
            .filter(a::applicant_name.eq(name))
            .select(a::id)
            .first::<i64>(c)
            .unwrap_or_else(|_| panic!("no application of {name}")),
    )
}
