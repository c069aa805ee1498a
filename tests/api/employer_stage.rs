//! The employer's stage as services, on both databases: verification, publicity of
//! at least 5 working days on the stored calendar, objections, and the decision. The clock is set
//! to dates the shipped calendar covers, so nothing depends on today's date.

use crate::fixtures::{actor, complete_draft, now, open_round, save, submit_command, submitted};
use crate::helpers::{assert_redirect_to, read_page, TestApp};
use guantong::application::verification::Verification;
use guantong::application::{Assessment, Edit, TargetData};
use guantong::domain::{
    Action, ApplicationId, AssessmentResult, AuditAction, RouteClaim, State, Subject, TitleLevel,
};
use guantong::service::employer_stage::{self as stage, Objection, Publicity, Resolution};
use guantong::service::{submission, ActionError, Actor};
use guantong::store::{applications, audit, DbConnection};
use reqwest::StatusCode;

crate::tests!(
    both: [verified_publicised_objected_and_recommended, publicity_counts_working_days_on_the_calendar, a_batch_with_one_stale_application_changes_none, others_cannot_act_and_clerks_racing_get_one_winner, an_upheld_objection_ends_without_recommendation, appointment_is_for_junior_titles_only, the_employers_record_decides_eligibility, an_employer_clerk_takes_an_application_through_the_pages, the_list_filters_by_state_counts_and_searches, the_applicant_sees_each_step_and_what_to_do_next, a_return_keeps_everything_and_the_resubmission_keeps_the_reference, an_unanswered_return_is_withdrawn_by_the_sweep, the_return_form_names_every_item_at_once, the_employer_adds_named_clerks_who_act_for_it, a_list_row_shows_its_application_as_it_is_now, a_change_of_employer_starts_the_stage_afresh, rule_refusals_are_field_errors_all_at_once, the_verification_shows_as_recorded],
);

/// Sets the clock to 10:00 in Shanghai on `date`.
pub(crate) fn on(app: &TestApp, date: &str) -> chrono::NaiveDateTime {
    let local = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    app.clock.set(local.and_utc());
    now(app)
}

pub(crate) fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn version(c: &mut DbConnection, id: ApplicationId) -> i32 {
    applications::find(c, id).unwrap().unwrap().version
}

pub(crate) fn state(c: &mut DbConnection, id: ApplicationId) -> State {
    applications::find(c, id).unwrap().unwrap().state
}

/// A verification confirming everything the applicant declared.
pub(crate) fn confirming(c: &mut DbConnection, id: ApplicationId) -> Verification {
    let sections = guantong::service::draft::read_draft(c, id)
        .unwrap()
        .sections;
    Verification::confirming(&sections, "情况属实，同意申报")
}

/// A submitted application (the demo applicant's), verified by the demo employer.
pub(crate) fn verified(app: &TestApp, date: &str) -> (Actor, ApplicationId) {
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

pub(crate) fn publicity(
    c: &mut DbConnection,
    ids: &[ApplicationId],
    from: &str,
    to: &str,
) -> Publicity {
    Publicity {
        items: ids.iter().map(|id| (*id, version(c, *id))).collect(),
        starts_on: d(from),
        ends_on: d(to),
        contact: "人力资源部 021-12345678".into(),
    }
}

/// The words of a refusal: its reason, or every field's problem.
fn refusal(r: Result<impl std::fmt::Debug, ActionError>) -> String {
    match r {
        Err(ActionError::Refused(m)) => m,
        Err(ActionError::Invalid(errors)) => errors
            .items()
            .iter()
            .map(|(_, m)| m.as_str())
            .collect::<Vec<_>>()
            .join("；"),
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
        let objection = read_stage(c, id).unwrap().objections[0].id;
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
            stage::earliest_end(
                &cal,
                stage::StageDays::of(&guantong::domain::settings::Settings::default()),
                d("2026-09-28")
            ),
            Ok(d("2026-10-09"))
        );
        // The adjusted working Saturday (10 October 2026) counts.
        assert_eq!(
            cal.working_days_between(d("2026-10-09"), d("2026-10-14")),
            Ok(5)
        );
        assert!(stage::publicity_problems(
            &cal,
            stage::StageDays::of(&guantong::domain::settings::Settings::default()),
            d("2026-10-09"),
            d("2026-10-14"),
            "人力资源部",
            d("2026-09-21")
        )
        .is_empty());
        // Into a year without calendar data: refused, never guessed.
        let next_year = publicity(c, &[id], "2026-12-28", "2027-01-08");
        let m = refusal(stage::start_publicity(c, &employer, &next_year, now));
        assert!(m.contains("2027 年的节假日安排尚未录入"), "{m}");
        // A start in the past is refused too; nothing changed.
        let past = publicity(c, &[id], "2026-09-14", "2026-09-25");
        assert!(refusal(stage::start_publicity(c, &employer, &past, now)).contains("早于今天"));
        assert_eq!(state(c, id), State::EmployerReview);
        // The minimum is stored configuration: raised to 7, five working days are refused.
        use guantong::domain::settings::{Scope, Setting};
        let admin = crate::fixtures::actor(c, "demo-admin");
        let seen = guantong::service::settings::load(c)
            .unwrap()
            .fingerprint(Scope::Global);
        let raise = |c: &mut _, days: &str, seen: &str| {
            guantong::service::settings::set(
                c,
                &admin,
                Scope::Global,
                &[(Setting::EmployerPublicityDays, days.to_string())],
                seen,
                now,
            )
            .unwrap()
        };
        raise(c, "7", &seen);
        let ok = publicity(c, &[id], "2026-09-28", "2026-10-09");
        let m = refusal(stage::start_publicity(c, &employer, &ok, now));
        assert!(m.contains("7 个工作日"), "{m}");
        let seen = guantong::service::settings::load(c)
            .unwrap()
            .fingerprint(Scope::Global);
        raise(c, "", &seen);
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
        assert!(read_stage(c, first).unwrap().publicity.is_none());
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
        let objection = read_stage(c, id).unwrap().objections[0].id;
        let v = version(c, id);
        let upheld = Resolution {
            objection,
            upheld: true,
            reason: "经核实证书系他人所有".into(),
        };
        stage::resolve_objection(c, &employer, id, v, &upheld, now).unwrap();
        assert_eq!(state(c, id), State::Closed);
        let decision = read_stage(c, id).unwrap().decision.unwrap();
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
        assert!(m.contains("公示期结束（2026-09-28）之后"), "{m}");
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
        let decision = read_stage(c, junior).unwrap().decision.unwrap();
        assert_eq!(decision.document_number.as_deref(), Some("沪贯〔2026〕2号"));
    });
    // The applicant prints the appointment record.
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = app.page(&format!("/applicant/applications/{junior}")).await;
    assert!(tasks.text(".next-step").contains("沪贯〔2026〕2号"));
    assert_redirect_to(
        &app.get(&format!("/applicant/applications/{junior}/appointment"))
            .await,
        &format!("/applications/{junior}/appointment"),
    );
    let record = app
        .page(&format!("/applications/{junior}/appointment"))
        .await;
    assert_eq!(record.text(".document-number"), "沪贯〔2026〕2号");
    assert_eq!(record.text(".appointed-on"), "2026-09-29");
    assert_eq!(record.text(".appointed-title"), "工程系列初级");
    // The employer that appointed prints it too, from its page of the application.
    app.logout().await;
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&format!("/employer/applications/{junior}")).await;
    assert_eq!(
        page.attr("#appointment-record", "href"),
        Some(format!("/applications/{junior}/appointment"))
    );
    let record = app
        .page(&format!("/applications/{junior}/appointment"))
        .await;
    assert_eq!(record.status, StatusCode::OK);
    assert_eq!(record.text(".document-number"), "沪贯〔2026〕2号");
    // Another employer and another applicant: 404.
    app.logout().await;
    let login = app.with_conn(|c| crate::fixtures::other_employer(c, now));
    app.login(&login, guantong::demo::DEMO_PASSWORD).await;
    assert_eq!(
        app.get(&format!("/applications/{junior}/appointment"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
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
        // Its own record finds the applicant ineligible: no publicity, return or not
        // recommend instead, and the page offers exactly that.
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        let m = refusal(stage::start_publicity(c, &employer, &plan, now));
        assert!(m.contains("不能公示"), "{m}");
        assert_eq!(state(c, id), State::EmployerReview);
        let page = stage::for_employer(
            c,
            &employer,
            id,
            &guantong::policy::Catalogue::shipped(),
            d("2026-09-14"),
        )
        .unwrap();
        let offers = guantong::application::employer_stage::offers(&page.facts);
        assert!(!offers.publicise && offers.return_for_revision && offers.not_recommend);
    });
    let now = on(&app, "2026-09-21");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&format!("/employer/applications/{id}")).await;
    assert!(page.select("#publicise").is_empty(), "publicity is offered");
    assert!(page.text("#no-publicity").contains("不能公示"));
    app.logout().await;
    // The applicant sees why on their task list, and what will happen.
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = app.page(&format!("/applicant/applications/{id}")).await;
    let why = tasks.text("#on-record");
    assert!(
        why.contains("按单位核实的记录") && why.contains("§"),
        "{why}"
    );
    let next = tasks.text(".next-step");
    assert!(next.contains("退回") && next.contains("不予推荐"), "{next}");
    assert!(!next.contains("公示期满后"), "{next}");
    app.with_conn(|c| {
        // Not recommending it is the employer's way out, with the reason.
        let v = version(c, id);
        stage::not_recommend(c, &employer, id, v, "年度考核不合格", now).unwrap();
        assert_eq!(state(c, id), State::Closed);
    });
}

/// The same steps through the employer's pages: typed input kept beside errors, one notice for a
/// batch, the printable notice, objections, the decision; another employer gets 404.
async fn an_employer_clerk_takes_an_application_through_the_pages(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-14");
    let (first, second) = app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        let (_, first) = submitted(c, round, now);
        (first, crate::fixtures::second_submitted(c, round, now))
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    // Neither is verified yet: nothing can be ticked for a publicity.
    let home = app.page("/employer").await;
    assert_eq!(home.select("input[name=pick]").len(), 0);
    assert_eq!(home.select("tr.application .state"), ["待核实", "待核实"]);
    // Verification with the opinion missing: the reason beside it, the answers kept.
    let path = format!("/employer/applications/{first}");
    let page = app.page(&path).await;
    let cert = page.input_value("cert0_id").unwrap();
    let mut fields = vec![
        ("version", page.input_value("version").unwrap()),
        ("professional_post", "yes".into()),
        ("cert0_id", cert),
        ("cert0_confirmed", "yes".into()),
        ("law_abiding", "yes".into()),
        ("ethics", "yes".into()),
    ];
    for i in 0..3 {
        fields.push((
            ["assess0_year", "assess1_year", "assess2_year"][i],
            page.input_value(&format!("assess{i}_year")).unwrap(),
        ));
        fields.push((
            ["assess0_result", "assess1_result", "assess2_result"][i],
            "良好".into(),
        ));
    }
    let refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let send = |f: Vec<(&'static str, String)>| {
        let path = path.clone();
        let app = &app;
        async move {
            let owned: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(&path, &format!("{path}/verify"), &owned).await
        }
    };
    let page = read_page(send(refs(&fields)).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .field_error("opinion")
        .unwrap()
        .contains("单位核实意见"));
    assert_eq!(
        page.html
            .select(&scraper::Selector::parse("#professional_post-yes[checked]").unwrap())
            .count(),
        1,
        "the answers are kept"
    );
    fields.push(("opinion", "情况属实".into()));
    assert_redirect_to(&send(refs(&fields)).await, &format!("{path}?done=verify"));
    let page = app.page(&path).await;
    assert!(page.text(".verdict-headline").contains("符合条件"));
    assert_eq!(page.text(".earliest-end"), "2026-09-18");

    // Only the verified one can be ticked; a batch forged to hold the second too is refused
    // whole, neither publicised.
    let home = app.page("/employer").await;
    let mut picks: Vec<String> = home
        .html
        .select(&scraper::Selector::parse("input[name=pick]").unwrap())
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect();
    assert_eq!(picks.len(), 1);
    picks.push(format!(
        "{second}:{}",
        app.with_conn(|c| version(c, second))
    ));
    let batch = |picks: &[String]| {
        let mut f: Vec<(&str, &str)> = picks.iter().map(|p| ("pick", p.as_str())).collect();
        f.extend([
            ("starts_on", "2026-09-14"),
            ("ends_on", "2026-09-18"),
            ("contact", "人力资源部 021-12345678"),
        ]);
        f.into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect::<Vec<_>>()
    };
    let form = batch(&picks);
    let owned: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app
        .submit("/employer", "/employer/publicities", &owned)
        .await;
    let page = read_page(res).await;
    assert!(
        page.text("#refused").contains("尚未核实"),
        "{}",
        page.text("#refused")
    );
    assert_eq!(
        page.input_value("contact").as_deref(),
        Some("人力资源部 021-12345678")
    );
    app.with_conn(|c| assert_eq!(state(c, first), State::EmployerReview));
    // Verified too, then one notice for both.
    app.with_conn(|c| {
        let employer = actor(c, "demo-employer");
        let v = confirming(c, second);
        let seen = version(c, second);
        stage::verify(c, &employer, second, seen, &v, now).unwrap();
    });
    let home = app.page("/employer").await;
    let picks: Vec<String> = home
        .html
        .select(&scraper::Selector::parse("input[name=pick]").unwrap())
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect();
    let form = batch(&picks);
    let owned: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app
        .submit("/employer", "/employer/publicities", &owned)
        .await;
    let notice = res.headers()["location"].to_str().unwrap().to_string();
    let sheet = app.page(&notice).await;
    assert_eq!(sheet.select(".notice-row").len(), 2);
    assert!(sheet
        .select(".notice-row")
        .iter()
        .any(|r| r.contains("张*国")));
    assert_eq!(sheet.text(".publicity-period"), "2026-09-14 至 2026-09-18");

    // An objection, dismissed after the period; then the recommendation.
    // Days pass: the clerk logs in again each time.
    on(&app, "2026-09-16");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&path).await;
    // In publicity: objections, no verification or return any more.
    assert_eq!(page.select("details.record-objection").len(), 1);
    assert!(page.select("form.verify").is_empty() && page.select("details.return").is_empty());
    let v = page.input_value("version").unwrap();
    let res = app
        .submit(
            &path,
            &format!("{path}/objections"),
            &[
                ("version", &v),
                ("received_on", "2026-09-16"),
                ("content", "工作年限有出入"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=objection"));
    on(&app, "2026-09-21");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&path).await;
    let objection = page.input_value("objection").unwrap();
    let res = app
        .submit(
            &path,
            &format!("{path}/objections/resolve"),
            &[
                ("version", &page.input_value("version").unwrap()),
                ("objection", &objection),
                ("decision", "dismissed"),
                ("text", "与档案一致"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=resolve"));
    let page = app.page(&path).await;
    let res = app
        .submit(
            &path,
            &format!("{path}/decision"),
            &[
                ("version", &page.input_value("version").unwrap()),
                ("decision", "recommend"),
                ("text", "同意推荐"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=decision"));
    let page = app.page(&path).await;
    assert_eq!(page.text(".state"), "评委会形式审查中");
    assert!(page.text(".decision").contains("推荐报送评委会"));
    // The page offers only what the workflow allows: nothing once the employer has decided.
    for form in [
        "form.verify",
        "form.decide",
        "details.record-objection",
        "details.return",
    ] {
        assert!(
            page.select(form).is_empty(),
            "{form} offered after the decision"
        );
    }

    // Another employer: 404 for the page and the notice.
    app.logout().await;
    let login = app.with_conn(|c| crate::fixtures::other_employer(c, now));
    app.login(&login, guantong::demo::DEMO_PASSWORD).await;
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&notice).await.status(), StatusCode::NOT_FOUND);
    let res = app
        .submit(
            "/employer",
            &format!("{path}/decision"),
            &[
                ("version", "1"),
                ("decision", "not_recommend"),
                ("text", "x"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The list's tabs with counts, a search by name or reference, keyset pages that keep
/// both.
async fn the_list_filters_by_state_counts_and_searches(app: TestApp) {
    let (employer, first) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    let second = app.with_conn(|c| {
        let round = applications::find(c, first)
            .unwrap()
            .unwrap()
            .round
            .unwrap();
        let plan = publicity(c, &[first], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        crate::fixtures::second_submitted(c, round, now)
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let counts = |page: &crate::helpers::Page| -> Vec<String> { page.select(".tabs a") };
    let page = app.page("/employer").await;
    let tabs = counts(&page);
    assert!(
        tabs[0].starts_with("全部") && tabs[0].ends_with('2'),
        "{tabs:?}"
    );
    assert!(
        tabs[1].starts_with("待审核") && tabs[1].ends_with('1'),
        "{tabs:?}"
    );
    assert!(
        tabs[2].starts_with("公示中") && tabs[2].ends_with('1'),
        "{tabs:?}"
    );
    let review = app.page("/employer?tab=review").await;
    let rows = review.select("tr.application");
    assert_eq!(rows.len(), 1);
    let second_ref = app.with_conn(|c| {
        applications::find(c, second)
            .unwrap()
            .unwrap()
            .reference
            .unwrap()
    });
    assert!(rows[0].contains(&second_ref));
    assert_eq!(review.text(".tab.current"), "待审核 1");
    // A batch refused for a missing end date comes back on the tab it was sent from, with the
    // row still ticked and what was typed kept.
    let view = review.attr("#batch input[name=view]", "value").unwrap();
    assert_eq!(view, "tab=review");
    app.with_conn(|c| {
        let v = confirming(c, second);
        let seen = version(c, second);
        stage::verify(c, &employer, second, seen, &v, now).unwrap();
    });
    let review = app.page("/employer?tab=review").await;
    let pick = review.attr("input[name=pick]", "value").unwrap();
    let res = app
        .submit(
            "/employer?tab=review",
            "/employer/publicities",
            &[
                ("view", &view),
                ("pick", &pick),
                ("starts_on", "2026-09-14"),
                ("contact", "人力资源部 021-12345678"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = read_page(res).await;
    assert_eq!(again.text(".tab.current"), "待审核 1");
    assert_eq!(
        again.attr("input[name=pick][checked]", "value").as_deref(),
        Some(pick.as_str())
    );
    assert_eq!(
        again.input_value("contact").as_deref(),
        Some("人力资源部 021-12345678")
    );
    assert!(!again.text("#ends_on-error").is_empty());
    // On its last day the publicity still runs; after it, the first moves from 公示中 to 待推荐,
    // in the tabs' counts as in their rows.
    on(&app, "2026-09-18");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let tabs = counts(&app.page("/employer").await);
    assert_eq!(
        (tabs[2].as_str(), tabs[3].as_str()),
        ("公示中 1", "待推荐 0")
    );
    on(&app, "2026-09-21");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let ready = app.page("/employer?tab=ready").await;
    assert_eq!(ready.select("tr.application").len(), 1);
    let tabs = counts(&ready);
    assert_eq!(
        (tabs[2].as_str(), tabs[3].as_str()),
        ("公示中 0", "待推荐 1")
    );
    assert!(app
        .page("/employer?tab=publicity")
        .await
        .select("tr.application")
        .is_empty());
    // Search: the start of a name, or a reference number in any case.
    let found = app.page("/employer?q=%E7%8E%8B").await; // 王
    assert_eq!(found.select("tr.application").len(), 1);
    assert!(found.select("tr.application")[0].contains("王五"));
    let lower = second_ref.to_lowercase();
    let found = app.page(&format!("/employer?q={lower}")).await;
    assert_eq!(found.select("tr.application").len(), 1);
    let none = app.page("/employer?q=%25").await; // a typed % matches nothing
    assert!(none.select("tr.application").is_empty());
    assert!(none.text(".empty").contains("没有找到"));
}

/// The applicant's task list says at each step what happened, when, by which
/// role (never a name) and what to do next; an appointment can be printed.
async fn the_applicant_sees_each_step_and_what_to_do_next(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = format!("/applicant/applications/{id}");
    let page = app.page(&tasks).await;
    // Verified already: no more withdrawing, and the page does not offer it.
    assert!(page.text(".next-step").contains("单位已核实"));
    assert!(page.select("#withdraw-link").is_empty());
    assert_redirect_to(&app.get(&format!("{tasks}/withdraw")).await, &tasks);
    let home = app.page("/applicant").await;
    assert_eq!(home.select("td.next-step"), ["等待单位办理"]);
    let steps = page.select("tr.step");
    let verify = steps.iter().find(|s| s.contains("单位核实")).unwrap();
    assert!(verify.contains("用人单位"), "{verify}");
    assert!(
        !verify.contains("上海贯通机械"),
        "a role, never a name: {verify}"
    );
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let page = app.page(&tasks).await;
    assert!(
        page.text(".next-step").contains("2026-09-14 至 2026-09-18"),
        "{}",
        page.text(".next-step")
    );
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let v = version(c, id);
        stage::not_recommend(c, &employer, id, v, "本年度推荐名额已满", now).unwrap();
    });
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&tasks).await;
    assert!(page.text(".next-step").contains("理由：本年度推荐名额已满"));
    assert!(page
        .select("tr.step")
        .iter()
        .any(|s| s.contains("不予推荐")));
    assert_eq!(
        app.get(&format!("{tasks}/appointment")).await.status(),
        StatusCode::SEE_OTHER,
        "no appointment to print"
    );
}

/// A submitted application in a round whose deadline is 2026-09-20, verified by the employer.
fn in_short_round(app: &TestApp) -> (Actor, Actor, ApplicationId) {
    app.load_demo();
    let now = on(app, "2026-09-14");
    app.with_conn(|c| {
        let committee = guantong::demo::committees::ids(c).unwrap().intermediate;
        let round = crate::fixtures::round_in(
            c,
            committee,
            "2026年度工程系列中级评审（九月）",
            d("2026-09-20"),
            now,
        );
        let (applicant, id) = submitted(c, round, now);
        let employer = actor(c, "demo-employer");
        (applicant, employer, id)
    })
}

/// Everything entered stays, the applicant sees each item beside its section, the
/// round's deadline does not block the resubmission before the reply deadline, the reference
/// stays, and the employer sees what changed.
async fn a_return_keeps_everything_and_the_resubmission_keeps_the_reference(app: TestApp) {
    let (applicant, employer, id) = in_short_round(&app);
    let now = on(&app, "2026-09-18");
    let (reference, before) = app.with_conn(|c| {
        let cal = guantong::service::calendar::load(c).unwrap();
        // 10 working days after 18 September 2026, across the Mid-Autumn holiday.
        assert_eq!(
            stage::default_reply_deadline(
                &cal,
                stage::StageDays::of(&guantong::domain::settings::Settings::default()),
                d("2026-09-18")
            ),
            Ok(d("2026-10-09"))
        );
        let reference = applications::find(c, id)
            .unwrap()
            .unwrap()
            .reference
            .unwrap();
        let before = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections;
        let items = [stage::ReturnItem {
            section: "work".into(),
            note: "请补充2010年以前的工作经历".into(),
        }];
        let v = version(c, id);
        assert!(refusal(stage::return_for_revision(
            c,
            &employer,
            id,
            v,
            &[],
            d("2026-10-09"),
            now
        ))
        .contains("至少在一个部分写明"));
        stage::return_for_revision(c, &employer, id, v, &items, d("2026-10-09"), now).unwrap();
        assert_eq!(state(c, id), State::Draft);
        let after = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections;
        assert_eq!(before, after, "everything entered stays");
        // The employer still sees it, under 已退回.
        let counts = applications::employer_counts(c, employer.org, d("2026-09-18")).unwrap();
        assert!(counts.contains(&(applications::EmployerTab::Returned, 1)));
        assert!(stage::for_employer(
            c,
            &employer,
            id,
            &guantong::policy::Catalogue::shipped(),
            d("2026-09-15")
        )
        .unwrap()
        .returned
        .is_some());
        (reference, before)
    });
    // The applicant sees the item beside the section, after the round's deadline too.
    let now = on(&app, "2026-09-25");
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = app.page(&format!("/applicant/applications/{id}")).await;
    assert_eq!(tasks.text(".reply-deadline"), "2026-10-09");
    assert!(tasks.text("#task-work .to-fix").contains("2010年以前"));
    // Asked to change: 需修改 until it is saved with a change, whatever it held before.
    assert_eq!(tasks.text("#task-work .task-status"), "需修改");
    assert_eq!(tasks.text("#task-basic .task-status"), "已完成");
    assert!(tasks.text(".next-step").contains("2026-10-09 前重新提交"));
    app.with_conn(|c| {
        save(
            c,
            &applicant,
            id,
            Edit::AddPeriod(guantong::application::Period {
                id: String::new(),
                from: d("2006-07-01"),
                to: Some(d("2010-06-30")),
                employer: "上海某机械厂".into(),
                occupation: "焊工".into(),
                post: "焊工".into(),
                employer_code: String::new(),
                witness_name: String::new(),
                witness_phone: String::new(),
            }),
            now,
        );
    });
    let tasks = app.page(&format!("/applicant/applications/{id}")).await;
    assert_eq!(tasks.text("#task-work .task-status"), "已完成");
    app.with_conn(|c| {
        let cmd = submit_command(c, id);
        submission::submit(c, &applicant, cmd, now).unwrap();
        let app_row = applications::find(c, id).unwrap().unwrap();
        assert_eq!(app_row.state, State::EmployerReview);
        assert_eq!(
            app_row.reference.as_deref(),
            Some(reference.as_str()),
            "the reference stays"
        );
        let seen = stage::for_employer(
            c,
            &employer,
            id,
            &guantong::policy::Catalogue::shipped(),
            d("2026-09-15"),
        )
        .unwrap();
        assert_eq!(seen.changed, ["工作经历"]);
        assert!(seen.returned.is_none());
        // Back from 已退回 to 待审核 in the counts too.
        let counts = applications::employer_counts(c, employer.org, d("2026-09-18")).unwrap();
        assert!(counts.contains(&(applications::EmployerTab::Returned, 0)));
        crate::fixtures::assert_counts_match_lists(c, employer.org, d("2026-09-18"));
        let _ = &before;
    });
}

/// Past the reply deadline the sweep withdraws the application, once.
async fn an_unanswered_return_is_withdrawn_by_the_sweep(app: TestApp) {
    let (_, employer, id) = in_short_round(&app);
    let now = on(&app, "2026-09-18");
    app.with_conn(|c| {
        let items = [stage::ReturnItem {
            section: "basic".into(),
            note: "学历证明不清晰".into(),
        }];
        let v = version(c, id);
        stage::return_for_revision(c, &employer, id, v, &items, d("2026-09-22"), now).unwrap();
    });
    let now = on(&app, "2026-09-22");
    app.with_conn(|c| {
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, now).unwrap(),
            0,
            "the deadline day counts"
        );
        assert_eq!(state(c, id), State::Draft);
    });
    let now = on(&app, "2026-09-23");
    app.with_conn(|c| {
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, now).unwrap(),
            1
        );
        assert_eq!(state(c, id), State::Withdrawn);
        crate::fixtures::assert_counts_match_lists(c, employer.org, d("2026-09-23"));
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, now).unwrap(),
            0,
            "idempotent"
        );
        let rows = audit::for_subject(c, &Subject::Application(id)).unwrap();
        let expire: Vec<_> = rows
            .iter()
            .filter(|r| r.action == AuditAction::Workflow(Action::Expire))
            .collect();
        assert_eq!(expire.len(), 1);
        // The server acted on its own: the system, not the employer's account.
        assert_eq!(expire[0].actor, guantong::store::audit::AuditActor::SYSTEM);
        assert_eq!(expire[0].from, Some(State::Draft));
        let timeline = guantong::web::shared::timeline::rows(c, id).unwrap();
        let last = timeline.last().unwrap();
        assert_eq!((last.role, last.label), ("系统", "逾期未修改，视为放弃"));
    });
}

/// The return form: nothing to fix is refused beside the first note, what was typed stays;
/// then the application goes back with the items.
async fn the_return_form_names_every_item_at_once(app: TestApp) {
    let (_, _, id) = in_short_round(&app);
    on(&app, "2026-09-18");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let page = app.page(&path).await;
    assert_eq!(page.input_value("deadline").as_deref(), Some("2026-10-09"));
    let v = page.input_value("version").unwrap();
    let res = app
        .submit(
            &path,
            &format!("{path}/return"),
            &[("version", &v), ("deadline", "2026-10-12")],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("note_basic").unwrap().contains("至少"));
    assert_eq!(page.input_value("deadline").as_deref(), Some("2026-10-12"));
    let res = app
        .submit(
            &path,
            &format!("{path}/return"),
            &[
                ("version", &v),
                ("deadline", "2026-10-12"),
                ("note_certificates", "证书扫描件不清晰"),
                ("note_achievements", "请补充成果的证明材料"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{path}?done=return"));
    let page = app.page(&path).await;
    assert_eq!(page.text(".reply-deadline"), "2026-10-12");
    assert_eq!(page.select("#returned li").len(), 2);
    let list = app.page("/employer?tab=returned").await;
    assert_eq!(list.select("tr.application").len(), 1);
}

/// The employer's own account adds named clerks (one-time password, changed at first
/// login) who act for it, each action recorded under the clerk; clerks manage nobody; a disabled
/// clerk is logged out.
async fn the_employer_adds_named_clerks_who_act_for_it(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-14");
    let id = app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        submitted(c, round, now).1
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let home = app.page("/employer").await;
    assert_eq!(
        home.attr("#staff-link", "href").as_deref(),
        Some("/employer/staff")
    );
    let res = app
        .submit(
            "/employer/staff",
            "/employer/staff",
            &[("name", "钱七"), ("mobile", "1390000")],
        )
        .await;
    let page = read_page(res).await;
    assert!(page.field_error("mobile").is_some());
    assert_eq!(page.input_value("name").as_deref(), Some("钱七"));
    let res = app
        .submit(
            "/employer/staff",
            "/employer/staff",
            &[("name", "钱七"), ("mobile", "13900000021")],
        )
        .await;
    assert_redirect_to(&res, "/employer/staff?shown=1#issued");
    let shown = app.page("/employer/staff?shown=1").await;
    let password = shown.text(".issued-password");
    let code = guantong::demo::demo_employer_code();
    let login = shown.text(".issued-login");
    assert_eq!(
        login,
        format!("{code}-01"),
        "a login of the employer's code, not the mobile"
    );
    assert!(
        app.page("/employer/staff?shown=1")
            .await
            .select(".issued-password")
            .is_empty(),
        "shown once"
    );
    // A mobile that is another account's login (the demo applicant's) is no obstacle and no
    // answer: the clerk gets the next login of the employer's own.
    let res = app
        .submit(
            "/employer/staff",
            "/employer/staff",
            &[("name", "钱八"), ("mobile", "13800138000")],
        )
        .await;
    assert_redirect_to(&res, "/employer/staff?shown=1#issued");
    let shown = app.page("/employer/staff?shown=1").await;
    assert_eq!(shown.text(".issued-login"), format!("{code}-02"));

    // The clerk logs in, changes the issued password, and works for the employer.
    let clerk = app.share();
    clerk.login(&login, &password).await;
    assert_redirect_to(&clerk.get("/employer").await, "/account/password");
    // The employer issued it, and the page says so.
    let first = clerk.page("/account/password").await;
    assert!(first.text("#forced").contains("由本单位的账户管理员签发"));
    let res = clerk
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", &password),
                ("new_password", "qianqi-2026-pass"),
                ("confirm", "qianqi-2026-pass"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = clerk.page("/employer").await;
    assert_eq!(list.select("tr.application").len(), 1);
    assert!(list.select("#staff-link").is_empty());
    assert_eq!(
        clerk.get("/employer/staff").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        clerk
            .get(&format!("/employer/applications/{id}"))
            .await
            .status(),
        StatusCode::OK
    );
    app.with_conn(|c| {
        let who = actor(c, &format!("{}-01", guantong::demo::demo_employer_code()));
        assert_ne!(who.id, who.org, "a clerk acts for the employer");
        let v = confirming(c, id);
        let seen = version(c, id);
        stage::verify(c, &who, id, seen, &v, now).unwrap();
        let rows = audit::for_subject(c, &Subject::Application(id)).unwrap();
        let verify = rows
            .iter()
            .find(|r| r.action == AuditAction::Workflow(Action::Verify))
            .unwrap();
        assert_eq!(verify.actor.id, Some(who.id), "the clerk who acted");
    });
    // Disabled, once confirmed: logged out at once.
    let staff = app.page("/employer/staff").await;
    let form = staff.attr("tr.clerk form", "action").unwrap();
    assert!(form.ends_with("/disable"));
    let asked = read_page(app.submit("/employer/staff", &form, &[]).await).await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.text("#confirm-disable").contains("钱七"));
    assert_eq!(
        app.page("/employer/staff").await.text(".clerk-state"),
        "正常",
        "nothing changes before the confirmation"
    );
    assert_eq!(
        asked.attr("form.confirm-disable", "action").as_deref(),
        Some(form.as_str())
    );
    assert_redirect_to(
        &app.submit("/employer/staff", &form, &[("confirm", "yes")])
            .await,
        "/employer/staff",
    );
    assert_eq!(
        app.page("/employer/staff").await.text(".clerk-state"),
        "已停用"
    );
    assert_eq!(clerk.get("/employer").await.status(), StatusCode::SEE_OTHER);
}

/// The employer's list keeps its rows rendered by id and version (`guantong::fragments`): each
/// row still shows its application as it is now, after a transition moves its state and after a
/// resubmission freezes a new summary, and a ticked box comes back ticked on this request only.
async fn a_list_row_shows_its_application_as_it_is_now(app: TestApp) {
    let (applicant, employer, id) = in_short_round(&app);
    app.with_conn(|c| {
        let v = confirming(c, id);
        let seen = version(c, id);
        stage::verify(c, &employer, id, seen, &v, now(&app)).unwrap();
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let row_of = |page: &crate::helpers::Page| -> String {
        let href = format!("/employer/applications/{id}\"");
        page.select_html("tr.application")
            .into_iter()
            .find(|r| r.contains(&href))
            .unwrap_or_else(|| {
                panic!(
                    "no row for {id} ({}): {:?}",
                    page.status,
                    page.select("tr.application")
                )
            })
    };
    // Seen once (and kept), then seen again: the same row, with its box to tick.
    let first = row_of(&app.page("/employer").await);
    assert_eq!(row_of(&app.page("/employer").await), first);
    assert!(
        first.contains("已核实，待公示") && first.contains("name=\"pick\""),
        "{first}"
    );
    assert!(first.contains("焊接工艺员"), "{first}");
    // A refused batch shows the tick on its own response only.
    let pick = format!("{id}:{}", app.with_conn(|c| version(c, id)));
    let res = app
        .submit(
            "/employer",
            "/employer/publicities",
            &[("pick", &pick), ("starts_on", "2026-09-14")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(row_of(&read_page(res).await).contains(" checked=\"\""));
    assert!(!row_of(&app.page("/employer").await).contains(" checked"));
    // Returned: the row shows the new state at once, and no box.
    let now = on(&app, "2026-09-15");
    app.with_conn(|c| {
        let v = version(c, id);
        let items = [stage::ReturnItem {
            section: "employment".into(),
            note: "请写明所在部门".into(),
        }];
        stage::return_for_revision(c, &employer, id, v, &items, d("2026-10-09"), now).unwrap();
    });
    // (A day on, the session has timed out.)
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let returned = row_of(&app.page("/employer").await);
    assert!(returned.contains("已退回修改"), "{returned}");
    assert!(!returned.contains("name=\"pick\""), "{returned}");
    // Resubmitted with another post: the row shows what the resubmission froze.
    app.with_conn(|c| {
        let mut employment = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections
            .employment
            .unwrap();
        employment.post = "高级焊工".into();
        save(c, &applicant, id, Edit::Employment(employment), now);
        let cmd = submit_command(c, id);
        submission::submit(c, &applicant, cmd, now).unwrap();
    });
    let resubmitted = row_of(&app.page("/employer").await);
    assert!(resubmitted.contains("高级焊工"), "{resubmitted}");
    assert!(!resubmitted.contains("焊接工艺员"), "{resubmitted}");
    assert!(resubmitted.contains("已核实，待公示"), "{resubmitted}");
}

/// The application's employer stage with its current employer.
pub(crate) fn read_stage(
    c: &mut guantong::store::DbConnection,
    id: guantong::domain::ApplicationId,
) -> Result<stage::Stage, guantong::service::ActionError> {
    let app = guantong::store::applications::find(c, id)?.expect("the application");
    stage::read(c, &app)
}

/// One employer's records never reach another: the demo employer verifies an application with a
/// confidential opinion and returns it; the applicant names another verified employer and
/// resubmits. The second employer sees none of the first's verification, is offered no
/// publicity, cannot publicise before verifying itself, and the first loses the application.
async fn a_change_of_employer_starts_the_stage_afresh(app: TestApp) {
    use crate::fixtures::other_employer;
    const SECRET: &str = "内部意见：仅供本单位掌握的情况";
    let (applicant, first, id) = in_short_round(&app);
    let now = on(&app, "2026-09-15");
    let code = app.with_conn(|c| {
        let mut v = confirming(c, id);
        v.opinion = SECRET.into();
        v.post_note = "内部岗位备注".into();
        let seen = version(c, id);
        stage::verify(c, &first, id, seen, &v, now).unwrap();
        let items = [stage::ReturnItem {
            section: "employment".into(),
            note: "请核对所在单位".into(),
        }];
        let seen = version(c, id);
        stage::return_for_revision(c, &first, id, seen, &items, d("2026-09-29"), now).unwrap();
        // The applicant works elsewhere now: another verified employer's code.
        let code = other_employer(c, now);
        let second = crate::fixtures::account_id(c, &code);
        let mut employment = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections
            .employment
            .unwrap();
        employment.employer_code = code.clone();
        employment.employer_id = Some(second);
        employment.employer_name = "上海另一家公司".into();
        save(c, &applicant, id, Edit::Employment(employment), now);
        // Saved in the draft only: the employer that returned it still has it, and the one named
        // sees nothing until the applicant resubmits.
        let row = applications::find(c, id).unwrap().unwrap();
        assert_eq!(row.employer, Some(first.org));
        let named = actor(c, &code);
        assert!(matches!(
            stage::for_employer(
                c,
                &named,
                id,
                &guantong::policy::Catalogue::shipped(),
                d("2026-09-15")
            ),
            Err(ActionError::NotFound)
        ));
        let cmd = submit_command(c, id);
        submission::submit(c, &applicant, cmd, now).unwrap();
        let row = applications::find(c, id).unwrap().unwrap();
        assert_eq!(row.employer, Some(second));
        assert_eq!(row.state, State::EmployerReview);
        let ends: Option<chrono::NaiveDate> = {
            use diesel::prelude::*;
            guantong::store::schema::applications::table
                .find(id.0)
                .select(guantong::store::schema::applications::publicity_ends_on)
                .first(c)
                .unwrap()
        };
        assert_eq!(ends, None);
        code
    });
    let second = app.with_conn(|c| actor(c, &code));
    // The second employer's stage is empty: nothing verified, no return, no decision.
    app.with_conn(|c| {
        let seen = read_stage(c, id).unwrap();
        assert!(seen.verification.is_none() && seen.verified_by.is_none());
        assert!(seen.objections.is_empty() && seen.decision.is_none());
        let page = stage::for_employer(
            c,
            &second,
            id,
            &guantong::policy::Catalogue::shipped(),
            d("2026-09-15"),
        )
        .unwrap();
        assert!(page.returned.is_none() && page.changed.is_empty() && page.verdict.is_none());
        // It cannot publicise what it has not verified itself.
        let plan = publicity(c, &[id], "2026-09-16", "2026-09-22");
        assert!(refusal(stage::start_publicity(c, &second, &plan, now)).contains("尚未核实"));
        // The first employer no longer reaches it at all.
        assert!(matches!(
            stage::for_employer(
                c,
                &first,
                id,
                &guantong::policy::Catalogue::shipped(),
                d("2026-09-15")
            ),
            Err(ActionError::NotFound)
        ));
        let v = version(c, id);
        assert!(matches!(
            stage::not_recommend(c, &first, id, v, "不同意", now),
            Err(ActionError::NotFound)
        ));
        crate::fixtures::assert_counts_match_lists(c, first.org, d("2026-09-15"));
        crate::fixtures::assert_counts_match_lists(c, second.org, d("2026-09-15"));
        let first_list = applications::for_employer_filtered(
            c,
            first.org,
            &applications::EmployerFilter {
                tab: applications::EmployerTab::All,
                search: None,
                today: d("2026-09-15"),
            },
            applications::Keyset::Newest,
            100,
        )
        .unwrap();
        assert!(first_list.iter().all(|row| row.id != id));
    });
    // The pages say the same: the second employer's page shows no 已于…核实, no opinion, a blank
    // verification form and no publicity; the first employer's is 404.
    app.login(&code, guantong::demo::DEMO_PASSWORD).await;
    let page = app.page(&format!("/employer/applications/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html.html();
    for leaked in [SECRET, "内部岗位备注", "已于", "请核对所在单位"] {
        assert!(
            !html.contains(leaked),
            "the second employer sees {leaked:?}"
        );
    }
    assert!(page.select("#publicise").is_empty(), "publicity is offered");
    assert_eq!(page.input_value("opinion").unwrap_or_default(), "");
    assert!(page
        .select_html("input[name=professional_post][checked]")
        .is_empty());
    let list = app.page("/employer").await;
    assert!(list
        .html
        .html()
        .contains(&format!("/employer/applications/{id}")));
    let other = app.share();
    other
        .login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let gone = other.get(&format!("/employer/applications/{id}")).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let list = other.page("/employer").await;
    assert!(!list
        .html
        .html()
        .contains(&format!("/employer/applications/{id}\"")));
}

/// A rule that refuses is a field error like any other: every problem at once, each in the
/// summary linking to its field, beside it, the field marked, what was typed kept, and a
/// fold-out holding the form open.
async fn rule_refusals_are_field_errors_all_at_once(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    // A start in the past, three working days, and no contact: three problems.
    let res = app
        .submit(
            &path,
            &format!("{path}/publicity"),
            &[
                ("version", &version_of(&app, id)),
                ("starts_on", "2026-09-14"),
                ("ends_on", "2026-09-16"),
                ("contact", ""),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["starts_on", "ends_on", "contact"]);
    assert!(page.field_error("ends_on").unwrap().contains("只有"));
    for field in ["starts_on", "ends_on", "contact"] {
        assert_eq!(
            page.attr(&format!("#{field}"), "aria-invalid").as_deref(),
            Some("true"),
            "{field}"
        );
    }
    assert_eq!(page.input_value("ends_on").as_deref(), Some("2026-09-16"));
    // The return form, in its fold-out: a deadline in the past and no item, both at once, and
    // the fold-out stays open with the deadline as typed.
    let res = app
        .submit(
            &path,
            &format!("{path}/return"),
            &[
                ("version", &version_of(&app, id)),
                ("deadline", "2026-09-01"),
            ],
        )
        .await;
    let page = read_page(res).await;
    page.assert_errors_linked(&["note_basic", "deadline"]);
    assert!(page.attr("details.return", "open").is_some());
    assert_eq!(page.input_value("deadline").as_deref(), Some("2026-09-01"));
}

pub(crate) fn version_of(app: &TestApp, id: ApplicationId) -> String {
    app.with_conn(|c| version(c, id)).to_string()
}

/// After verification the employer sees it as recorded (who, when, each answer, the opinion),
/// with 修改核实 to change it while the application waits for the employer; the list tells an
/// application verified from one not yet verified.
async fn the_verification_shows_as_recorded(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app.page(&format!("/employer/applications/{id}")).await;
    assert!(page.text(".verified-by").contains("于 2026-09-15"));
    let record = page.text(".verification-record");
    assert!(
        record.contains("情况属实，同意申报") && record.contains("年度考核"),
        "{record}"
    );
    assert!(page.text("details.reverify summary").contains("修改核实"));
    assert!(page.attr("details.reverify", "open").is_none());
    let list = app.page("/employer").await;
    assert!(
        list.text("tr.application").contains("已核实"),
        "{}",
        list.text("tr.application")
    );
}
