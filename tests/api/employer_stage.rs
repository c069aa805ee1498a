//! Issue 12: the employer's stage as services, on both databases: verification, publicity of
//! at least 5 working days on the stored calendar, objections, and the decision. The clock is set
//! to dates the shipped calendar covers, so nothing depends on today's date.

use crate::fixtures::{actor, complete_draft, now, open_round, save, submit_command, submitted};
use crate::helpers::TestApp;
use guantong::application::verification::{CertificateCheck, Verification};
use guantong::application::{Assessment, Edit, TargetData};
use guantong::domain::{
    Action, ApplicationId, AssessmentResult, AuditAction, RouteClaim, State, Subject, TitleLevel,
};
use guantong::service::employer_stage::{self as stage, Objection, Publicity, Resolution};
use guantong::service::{submission, ActionError, Actor};
use guantong::store::{applications, audit, DbConnection};

crate::tests!(
    both: [verified_publicised_objected_and_recommended, publicity_counts_working_days_on_the_calendar, a_batch_with_one_stale_application_changes_none, others_cannot_act_and_clerks_racing_get_one_winner, an_upheld_objection_ends_without_recommendation, appointment_is_for_junior_titles_only, the_employers_record_decides_eligibility],
);

/// Sets the clock to 10:00 in Shanghai on `date`.
fn on(app: &TestApp, date: &str) -> chrono::NaiveDateTime {
    let local = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    app.clock.set(local.and_utc());
    now(app)
}

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn version(c: &mut DbConnection, id: ApplicationId) -> i32 {
    applications::find(c, id).unwrap().unwrap().version
}

fn state(c: &mut DbConnection, id: ApplicationId) -> State {
    applications::find(c, id).unwrap().unwrap().state
}

/// A verification confirming everything the applicant declared.
fn confirming(c: &mut DbConnection, id: ApplicationId) -> Verification {
    let sections = guantong::service::draft::read_draft(c, id)
        .unwrap()
        .sections;
    let employment = sections.employment.clone().unwrap();
    Verification {
        professional_post: true,
        post_note: String::new(),
        certificates: sections
            .certificates
            .iter()
            .flat_map(|c| &c.items)
            .map(|c| CertificateCheck {
                certificate_id: c.id.clone(),
                confirmed: true,
                note: String::new(),
            })
            .collect(),
        assessments: employment.assessments,
        law_abiding: true,
        ethics: true,
        opinion: "情况属实，同意申报".into(),
    }
}

/// A submitted application (the demo applicant's), verified by the demo employer.
fn verified(app: &TestApp, date: &str) -> (Actor, ApplicationId) {
    app.load_demo();
    let now = on(app, date);
    app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        let (_, id) = submitted(c, round, now);
        let employer = actor(c, "demo-employer");
        let v = confirming(c, id);
        let seen = version(c, id);
        stage::verify(c, &employer, id, seen, &v, now).unwrap();
        (employer, id)
    })
}

fn publicity(c: &mut DbConnection, ids: &[ApplicationId], from: &str, to: &str) -> Publicity {
    Publicity {
        items: ids.iter().map(|id| (*id, version(c, *id))).collect(),
        starts_on: d(from),
        ends_on: d(to),
        contact: "人力资源部 021-12345678".into(),
    }
}

fn refusal(r: Result<impl std::fmt::Debug, ActionError>) -> String {
    match r {
        Err(ActionError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn verified_publicised_objected_and_recommended(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        assert_eq!(state(c, id), State::EmployerPublicity);
    });
    let now = on(&app, "2026-09-16");
    app.with_conn(|c| {
        let v = version(c, id);
        let objection = Objection {
            received_on: d("2026-09-16"),
            source: "匿名".into(),
            content: "工作年限有出入".into(),
        };
        stage::record_objection(c, &employer, id, v, &objection, now).unwrap();
    });
    // During publicity nothing can be decided.
    let now = on(&app, "2026-09-18");
    let early = app.with_conn(|c| {
        let v = version(c, id);
        stage::recommend(c, &employer, id, v, "同意推荐", now)
    });
    assert!(refusal(early).contains("2026-09-19 起"));
    // After it, an unresolved objection still blocks.
    let now = on(&app, "2026-09-21");
    let blocked = app.with_conn(|c| {
        let v = version(c, id);
        stage::recommend(c, &employer, id, v, "同意推荐", now)
    });
    assert!(refusal(blocked).contains("1 条公示异议未处理"));
    app.with_conn(|c| {
        let objection = stage::read(c, id).unwrap().objections[0].id;
        let v = version(c, id);
        let dismissed = Resolution {
            objection,
            upheld: false,
            reason: "经核实，工作年限与档案一致".into(),
        };
        stage::resolve_objection(c, &employer, id, v, &dismissed, now).unwrap();
        let v = version(c, id);
        stage::recommend(c, &employer, id, v, "同意推荐", now).unwrap();
        assert_eq!(state(c, id), State::OfficeCheck);
        let rows = audit::for_subject(c, &Subject::Application(id)).unwrap();
        let steps: Vec<AuditAction> = rows.iter().map(|r| r.action).collect();
        for action in [
            Action::Verify,
            Action::StartPublicity,
            Action::RecordObjection,
            Action::ResolveObjection,
            Action::Recommend,
        ] {
            assert!(steps.contains(&AuditAction::Workflow(action)), "{action:?}");
        }
        let recommend = rows
            .iter()
            .find(|r| r.action == AuditAction::Workflow(Action::Recommend))
            .unwrap();
        assert_eq!(
            recommend.actor.id,
            Some(employer.id),
            "the person who acted"
        );
        assert_eq!(audit::verify_chain(c).unwrap(), None);
    });
}

async fn publicity_counts_working_days_on_the_calendar(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-21");
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let cal = guantong::service::calendar::load(c).unwrap();
        // Across the National Day holiday: 28, 29, 30 September, then 8 and 9 October.
        let short = publicity(c, &[id], "2026-09-28", "2026-10-08");
        let m = refusal(stage::start_publicity(c, &employer, &short, now));
        assert!(
            m.contains("只有 4 个工作日") && m.contains("最早可于 2026-10-09 结束"),
            "{m}"
        );
        assert_eq!(
            stage::earliest_end(&cal, d("2026-09-28")),
            Ok(d("2026-10-09"))
        );
        // The adjusted working Saturday (10 October 2026) counts.
        assert_eq!(
            cal.working_days_between(d("2026-10-09"), d("2026-10-14")),
            Ok(5)
        );
        assert_eq!(
            stage::period_problem(&cal, d("2026-10-09"), d("2026-10-14"), d("2026-09-21")),
            None
        );
        // Into a year without calendar data: refused, never guessed.
        let next_year = publicity(c, &[id], "2026-12-28", "2027-01-08");
        let m = refusal(stage::start_publicity(c, &employer, &next_year, now));
        assert!(m.contains("2027 年的节假日安排尚未录入"), "{m}");
        // A start in the past is refused too; nothing changed.
        let past = publicity(c, &[id], "2026-09-14", "2026-09-25");
        assert!(refusal(stage::start_publicity(c, &employer, &past, now)).contains("早于今天"));
        assert_eq!(state(c, id), State::EmployerReview);
        let ok = publicity(c, &[id], "2026-09-28", "2026-10-09");
        stage::start_publicity(c, &employer, &ok, now).unwrap();
        assert_eq!(
            applications::find(c, id).unwrap().unwrap().state,
            State::EmployerPublicity
        );
    });
}

async fn a_batch_with_one_stale_application_changes_none(app: TestApp) {
    let (employer, first) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        // A second applicant's application, submitted and verified too.
        let round = applications::find(c, first)
            .unwrap()
            .unwrap()
            .round
            .unwrap();
        let second = crate::fixtures::second_submitted(c, round, now);
        let v = confirming(c, second);
        let seen = version(c, second);
        stage::verify(c, &employer, second, seen, &v, now).unwrap();
        let mut plan = publicity(c, &[first, second], "2026-09-14", "2026-09-18");
        plan.items[1].1 -= 1; // the list showed an older version of the second
        assert!(matches!(
            stage::start_publicity(c, &employer, &plan, now),
            Err(ActionError::Stale)
        ));
        assert_eq!(state(c, first), State::EmployerReview, "all or nothing");
        assert!(stage::read(c, first).unwrap().publicity.is_none());
        let plan = publicity(c, &[first, second], "2026-09-14", "2026-09-18");
        let notice = stage::start_publicity(c, &employer, &plan, now).unwrap();
        let (_, listed) = guantong::store::employer_stage::publicity(c, notice)
            .unwrap()
            .unwrap();
        assert_eq!(listed.len(), 2, "one notice lists them all");
    });
}

async fn others_cannot_act_and_clerks_racing_get_one_winner(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        let (applicant, id) = submitted(c, round, now);
        let employer = actor(c, "demo-employer");
        let v = confirming(c, id);
        let seen = version(c, id);
        // Another employer (an office account stands in for any other organisation's staff).
        let other = Actor::new(
            guantong::domain::AccountId(employer.id.0 + 1000),
            employer.role,
        );
        assert!(matches!(
            stage::verify(c, &other, id, seen, &v, now),
            Err(ActionError::NotFound)
        ));
        // The applicant cannot act as the employer.
        assert!(stage::verify(c, &applicant, id, seen, &v, now).is_err());
        // Two clerks with the same page: exactly one wins, the other is told it changed.
        stage::verify(c, &employer, id, seen, &v, now).unwrap();
        assert!(matches!(
            stage::verify(c, &employer, id, seen, &v, now),
            Err(ActionError::Stale)
        ));
        // Once verified, the applicant can no longer withdraw.
        let v = version(c, id);
        let m = refusal(submission::withdraw(c, &applicant, id, v, now));
        assert!(m.contains("不能撤回"), "{m}");
    });
}

async fn an_upheld_objection_ends_without_recommendation(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let now = on(&app, "2026-09-15");
    app.with_conn(|c| {
        let v = version(c, id);
        let objection = Objection {
            received_on: d("2026-09-15"),
            source: String::new(),
            content: "证书与本人不符".into(),
        };
        stage::record_objection(c, &employer, id, v, &objection, now).unwrap();
        let objection = stage::read(c, id).unwrap().objections[0].id;
        let v = version(c, id);
        let upheld = Resolution {
            objection,
            upheld: true,
            reason: "经核实证书系他人所有".into(),
        };
        stage::resolve_objection(c, &employer, id, v, &upheld, now).unwrap();
        assert_eq!(state(c, id), State::Closed);
        let decision = stage::read(c, id).unwrap().decision.unwrap();
        assert_eq!(decision.decision, "not_recommend");
        assert_eq!(decision.opinion, "经核实证书系他人所有");
    });
}

async fn appointment_is_for_junior_titles_only(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let v = version(c, id);
        let m = refusal(stage::appoint(
            c,
            &employer,
            id,
            v,
            d("2026-09-21"),
            "沪贯〔2026〕1号",
            now,
        ));
        assert!(
            m.contains("只能直接聘任初级") && m.contains("§2.2.3"),
            "{m}"
        );
        assert_eq!(state(c, id), State::EmployerPublicity);
    });
    // A 初级 application of another round is appointed, and cannot be recommended instead.
    let junior = app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列初级评审", now);
        let (applicant, junior) = complete_draft(c, round, now);
        save(
            c,
            &applicant,
            junior,
            Edit::Target(TargetData {
                round_id: Some(round),
                series: "工程".into(),
                specialty: "机械".into(),
                level: Some(TitleLevel::Junior),
                route: Some(RouteClaim::Seniority),
                ..TargetData::default()
            }),
            now,
        );
        // One application per person per round: this is another round, so it goes.
        let cmd = submit_command(c, junior);
        submission::submit(c, &applicant, cmd, now).unwrap();
        let v = confirming(c, junior);
        let seen = version(c, junior);
        stage::verify(c, &employer, junior, seen, &v, now).unwrap();
        let plan = publicity(c, &[junior], "2026-09-21", "2026-09-28");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        junior
    });
    let now = on(&app, "2026-09-29");
    app.with_conn(|c| {
        let v = version(c, junior);
        let m = refusal(stage::recommend(c, &employer, junior, v, "同意", now));
        assert!(m.contains("单位聘任"), "{m}");
        let m = refusal(stage::appoint(
            c,
            &employer,
            junior,
            v,
            d("2026-09-28"),
            "沪贯〔2026〕2号",
            now,
        ));
        assert!(m.contains("公示期结束之后"), "{m}");
        stage::appoint(
            c,
            &employer,
            junior,
            v,
            d("2026-09-29"),
            "沪贯〔2026〕2号",
            now,
        )
        .unwrap();
        assert_eq!(state(c, junior), State::Appointed);
        let decision = stage::read(c, junior).unwrap().decision.unwrap();
        assert_eq!(decision.document_number.as_deref(), Some("沪贯〔2026〕2号"));
    });
}

async fn the_employers_record_decides_eligibility(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-14");
    let (employer, id) = app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        let (_, id) = submitted(c, round, now);
        (actor(c, "demo-employer"), id)
    });
    app.with_conn(|c| {
        // The employer's record has a failed year where the applicant declared 良好.
        let mut v = confirming(c, id);
        v.assessments[0] = Assessment {
            year: v.assessments[0].year,
            result: AssessmentResult::Fail,
        };
        let sections = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections;
        assert!(v.differences(&sections)[0].contains("单位记录“不合格”"));
        let seen = version(c, id);
        stage::verify(c, &employer, id, seen, &v, now).unwrap();
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let v = version(c, id);
        let m = refusal(stage::recommend(c, &employer, id, v, "同意推荐", now));
        assert!(m.starts_with("按单位核实的记录") && m.contains("§"), "{m}");
        assert_eq!(state(c, id), State::EmployerPublicity);
        // Not recommending it is the employer's way out, with the reason.
        stage::not_recommend(c, &employer, id, v, "年度考核不合格", now).unwrap();
        assert_eq!(state(c, id), State::Closed);
    });
}
