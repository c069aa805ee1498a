//! The committee's formal check (形式审查): every step allowed and refused by role and state; a
//! corrected application goes back to the office, never to the employer; the sweep withdraws
//! exactly the uncorrected ones past their deadline, once even with two sweeps at once; two
//! office clerks acting at once, exactly one wins; the pages say what the services decided,
//! keep what was typed and change nothing on bad input. The demo's applications at the 中级
//! committee are the fixtures: they are made through the same services.

use crate::fixtures::{actor, demo, now, of, on};
use crate::helpers::TestApp;
use guantong::application::Edit;
use guantong::domain::{Action, ApplicationId, AuditAction, Role, State, Subject};
use guantong::service::formal_check::{self as check, RefusalReason, ReturnItem};
use guantong::service::{draft, submission, ActionError, Actor};
use guantong::store::{self, applications, audit, DbConnection};
use reqwest::StatusCode;

crate::tests!(
    both: [
        each_step_is_the_offices_and_only_at_the_check,
        a_correction_goes_back_to_the_office_never_to_the_employer,
        the_sweep_withdraws_exactly_the_uncorrected_past_their_deadline,
        two_sweeps_at_once_withdraw_each_once,
        two_clerks_at_once_exactly_one_wins,
        a_batch_is_accepted_whole_or_not_at_all,
        the_office_page_shows_the_check_and_keeps_bad_input,
        the_applicant_and_the_employer_are_told,
        a_correction_binds_its_deadline_and_ends_with_a_withdrawal,
    ],
);

fn app_of(c: &mut DbConnection, id: ApplicationId) -> store::applications::Application {
    applications::find(c, id).unwrap().unwrap()
}

fn version(c: &mut DbConnection, id: ApplicationId) -> i32 {
    app_of(c, id).version
}

fn state(c: &mut DbConnection, id: ApplicationId) -> State {
    app_of(c, id).state
}

/// The applicant of an application, as an actor.
fn applicant(c: &mut DbConnection, id: ApplicationId) -> Actor {
    Actor::new(app_of(c, id).applicant, Role::Applicant)
}

fn items() -> Vec<ReturnItem> {
    vec![ReturnItem {
        section: "achievements".into(),
        note: "请补充代表性成果的应用证明。".into(),
    }]
}

fn deadline(
    c: &mut DbConnection,
    id: ApplicationId,
    now: chrono::NaiveDateTime,
) -> chrono::NaiveDate {
    let round = app_of(c, id).round.unwrap();
    let round = store::rounds::find(c, round).unwrap();
    let calendar = guantong::service::calendar::load(c).unwrap();
    let settings = guantong::service::settings::load(c).unwrap();
    let today = guantong::time::local_date(now);
    check::correction_window(&calendar, &settings, round.as_ref(), today)
        .default
        .unwrap()
}

/// How many workflow rows of `action` the application's audit log holds.
fn steps(c: &mut DbConnection, id: ApplicationId, action: Action) -> usize {
    audit::for_subject(c, &Subject::Application(id))
        .unwrap()
        .into_iter()
        .filter(|r| r.action == AuditAction::Workflow(action))
        .count()
}

fn refusal() -> check::Refusal {
    check::Refusal {
        reason: RefusalReason::OutOfScope,
        clause: check::SCOPE_CLAUSE.into(),
        note: "申报职业不在本评委会受理范围".into(),
    }
}

async fn each_step_is_the_offices_and_only_at_the_check(app: TestApp) {
    let now = demo(&app);
    app.with_conn(|c| {
        let at_check = of(c, "吴磊");
        let in_correction = of(c, "黄涛");
        let office = actor(c, "demo-office");
        let v = version(c, at_check);
        // Nobody but its own committee's office takes a formal-check step; others are told
        // it does not exist, or that it is not theirs to take.
        let others = [
            actor(c, "demo-office-expired"),
            actor(c, "demo-office-senior"),
            actor(c, "demo-employer"),
            actor(c, "demo-clerk"),
            actor(c, "demo-supervisor"),
            actor(c, "demo-admin"),
            actor(c, "demo-expert1"),
            applicant(c, at_check),
        ];
        for who in &others {
            let accepted = check::accept(c, who, &[(at_check, v)], now);
            assert!(accepted.is_err(), "{:?} accepted", who.role);
            let due = deadline(c, at_check, now);
            let asked = check::request_correction(c, who, at_check, v, &items(), due, now);
            assert!(asked.is_err(), "{:?} asked for a correction", who.role);
            assert!(check::refuse(c, who, at_check, v, &refusal(), now).is_err());
        }
        for login in ["demo-office-expired", "demo-office-senior"] {
            let other = actor(c, login);
            assert!(matches!(
                check::accept(c, &other, &[(at_check, v)], now),
                Err(ActionError::NotFound)
            ));
        }
        assert_eq!(state(c, at_check), State::OfficeCheck);
        // Not at the check, the office takes none of them.
        let vc = version(c, in_correction);
        let refused = check::accept(c, &office, &[(in_correction, vc)], now);
        assert!(
            matches!(refused, Err(ActionError::Refused(_))),
            "{refused:?}"
        );
        assert!(check::refuse(c, &office, in_correction, vc, &refusal(), now).is_err());
        // Its own office accepts it, once.
        assert_eq!(check::accept(c, &office, &[(at_check, v)], now).unwrap(), 1);
        assert_eq!(state(c, at_check), State::ExpertReview);
        assert!(check::accept(c, &office, &[(at_check, v)], now).is_err());
        let again = version(c, at_check);
        assert!(check::accept(c, &office, &[(at_check, again)], now).is_err());
        assert_eq!(steps(c, at_check, Action::Accept), 1);
        // A refusal names its reason and clause, and is final.
        let other = of(c, "林芳");
        let vo = version(c, other);
        check::refuse(c, &office, other, vo, &refusal(), now).unwrap();
        assert_eq!(state(c, other), State::NotAccepted);
        let row = store::returns::refusal(c, other).unwrap().unwrap();
        assert_eq!(
            (row.reason.as_str(), row.clause.as_str()),
            ("out_of_scope", check::SCOPE_CLAUSE)
        );
        let app = app_of(c, other);
        let sentence = check::refusal_text(c, &app).unwrap().unwrap();
        assert!(sentence.contains("受理的职业（工种）范围") && sentence.contains("§3.2"));
        // A refusal without its clause or words is refused whole, and changes nothing.
        let empty = check::Refusal {
            clause: " ".into(),
            note: String::new(),
            ..refusal()
        };
        let wu = of(c, "罗静");
        let before = (state(c, wu), version(c, wu));
        let refused = check::refuse(c, &office, wu, before.1, &empty, now);
        let Err(ActionError::Invalid(errors)) = refused else {
            panic!("{refused:?}");
        };
        assert!(errors.get("clause").is_some() && errors.get("note").is_some());
        assert_eq!((state(c, wu), version(c, wu)), before);
    });
}

async fn a_correction_goes_back_to_the_office_never_to_the_employer(app: TestApp) {
    let now = demo(&app);
    app.with_conn(|c| {
        let id = of(c, "吴磊");
        let office = actor(c, "demo-office");
        let before = app_of(c, id);
        let due = deadline(c, id, now);
        // A deadline past the round's window, or none at all, is refused beside the field.
        let far = due + chrono::Duration::days(200);
        let refused = check::request_correction(c, &office, id, before.version, &items(), far, now);
        let Err(ActionError::Invalid(errors)) = refused else {
            panic!("{refused:?}");
        };
        assert!(errors.get("deadline").is_some());
        let refused = check::request_correction(c, &office, id, before.version, &[], due, now);
        assert!(matches!(refused, Err(ActionError::Invalid(_))));
        assert_eq!(state(c, id), State::OfficeCheck);

        check::request_correction(c, &office, id, before.version, &items(), due, now).unwrap();
        assert_eq!(state(c, id), State::Correction);
        // The employer takes no step on it; the applicant sees what to correct and by when.
        let employer = actor(c, "demo-clerk");
        let v = version(c, id);
        let returned = guantong::service::employer_stage::return_for_revision(
            c, &employer, id, v, &items(), due, now,
        );
        assert!(returned.is_err());
        let me = applicant(c, id);
        let loaded = draft::load(c, &me, id).unwrap();
        let request = loaded.returned.clone().unwrap();
        assert!(request.by_committee);
        assert_eq!((request.deadline, request.items.clone()), (due, items()));
        // The round and the employer stay while correcting.
        let mut target = loaded.sections().target.clone().unwrap();
        let other_round = crate::fixtures::open_round(c, "另一个批次", now);
        target.round_id = Some(other_round);
        let cmd = draft::SaveSection {
            id,
            seen_version: loaded.draft.version(guantong::application::Section::Target),
            edit: Edit::Target(target),
            files: vec![],
        };
        let moved = draft::save(c, &me, cmd, draft::EvidenceLimits::NONE, now);
        assert!(
            matches!(&moved, Err(draft::SaveError::Action(ActionError::Refused(m))) if m == draft::CORRECTION_KEEPS_ROUND),
            "{moved:?}"
        );
        let mut employment = loaded.sections().employment.clone().unwrap();
        employment.employer_code = crate::fixtures::other_employer(c, now);
        employment.employer_id = None;
        let cmd = draft::SaveSection {
            id,
            seen_version: loaded.draft.version(guantong::application::Section::Employment),
            edit: Edit::Employment(employment),
            files: vec![],
        };
        let moved = draft::save(c, &me, cmd, draft::EvidenceLimits::NONE, now);
        assert!(
            matches!(&moved, Err(draft::SaveError::Action(ActionError::Refused(m))) if m == draft::CORRECTION_KEEPS_EMPLOYER),
            "{moved:?}"
        );
        // Corrected and resubmitted, it is the same committee's again, at its check.
        let cmd = draft::SaveSection {
            id,
            seen_version: loaded.draft.version(guantong::application::Section::Achievements),
            edit: Edit::Summary("补充了成果的应用范围和经济效益。".into()),
            files: vec![],
        };
        draft::save(c, &me, cmd, draft::EvidenceLimits::NONE, now).unwrap();
        let cmd = crate::fixtures::submit_command(c, id);
        submission::submit(c, &me, cmd, now).unwrap();
        let after = app_of(c, id);
        assert_eq!(after.state, State::OfficeCheck);
        assert_eq!(
            (after.employer, after.committee, after.round, after.reference.clone()),
            (before.employer, before.committee, before.round, before.reference.clone())
        );
        assert!(guantong::service::returns::open(c, id).unwrap().is_none());
        // The office sees what changed, section by section.
        let catalogue = guantong::service::catalogue::load(c).unwrap();
        let calendar = guantong::service::calendar::load(c).unwrap();
        let settings = guantong::service::settings::load(c).unwrap();
        let today = guantong::time::local_date(now);
        let case = check::case(
            c,
            &office,
            id,
            &catalogue,
            &calendar,
            &settings,
            today,
            store::rounds::find,
        )
        .unwrap();
        assert_eq!(
            case.corrected,
            vec![guantong::application::Section::Achievements]
        );
        assert!(case.request.is_none());
        // The employer's list counts it with the committee all along.
        let rows = audit::for_subject(c, &Subject::Application(id)).unwrap();
        let last = rows.last().unwrap();
        assert_eq!(last.action, AuditAction::Workflow(Action::Submit));
        assert_eq!(last.from, Some(State::Correction));
    });
}

async fn the_sweep_withdraws_exactly_the_uncorrected_past_their_deadline(app: TestApp) {
    let now = demo(&app);
    let (waiting, corrected, returned, due) = app.with_conn(|c| {
        let waiting = of(c, "黄涛");
        let corrected = of(c, "林芳");
        let returned = of(c, "孙丽");
        let due = guantong::service::returns::open(c, waiting)
            .unwrap()
            .unwrap()
            .deadline;
        // On the deadline itself nothing is withdrawn.
        let on_deadline = due.and_hms_opt(8, 0, 0).unwrap();
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, on_deadline).unwrap(),
            0
        );
        (waiting, corrected, returned, due)
    });
    let _ = now;
    let after = on(&app, &(due + chrono::Duration::days(1)).to_string());
    app.with_conn(|c| {
        let employer_due = guantong::service::returns::open(c, returned)
            .unwrap()
            .unwrap()
            .deadline;
        let expected = 1 + usize::from(employer_due < due + chrono::Duration::days(1));
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, after).unwrap(),
            expected
        );
        assert_eq!(state(c, waiting), State::Withdrawn);
        assert_eq!(
            state(c, corrected),
            State::OfficeCheck,
            "resubmitted in time"
        );
        let rows = audit::for_subject(c, &Subject::Application(waiting)).unwrap();
        let last = rows.last().unwrap();
        assert_eq!(last.action, AuditAction::Workflow(Action::Expire));
        assert_eq!(last.from, Some(State::Correction));
        assert!(last.detail.contains("评委会"), "{}", last.detail);
        // Idempotent: a second sweep finds nothing.
        assert_eq!(
            guantong::service::returns::sweep_overdue(c, after).unwrap(),
            0
        );
        assert_eq!(steps(c, waiting, Action::Expire), 1);
    });
}

async fn two_sweeps_at_once_withdraw_each_once(app: TestApp) {
    demo(&app);
    let (ids, due) = app.with_conn(|c| {
        // Two more in correction, beside the demo's one.
        let office = actor(c, "demo-office");
        let now = now(&app);
        let mut ids = vec![of(c, "黄涛")];
        for name in ["吴磊", "林芳"] {
            let id = of(c, name);
            let v = version(c, id);
            let d = deadline(c, id, now);
            check::request_correction(c, &office, id, v, &items(), d, now).unwrap();
            ids.push(id);
        }
        let due = ids
            .iter()
            .map(|id| {
                guantong::service::returns::open(c, *id)
                    .unwrap()
                    .unwrap()
                    .deadline
            })
            .max()
            .unwrap();
        (ids, due)
    });
    let after = on(&app, &(due + chrono::Duration::days(1)).to_string());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                barrier.wait();
                guantong::service::returns::sweep_overdue(&mut c, after).unwrap()
            })
        })
        .collect();
    let swept: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    app.with_conn(|c| {
        for id in &ids {
            assert_eq!(state(c, *id), State::Withdrawn);
            assert_eq!(steps(c, *id, Action::Expire), 1, "one audit row each");
        }
        // The demo's employer return falls due too; every withdrawal was counted once.
        let withdrawn_by_sweeps = ids.len() + {
            let returned = of(c, "孙丽");
            usize::from(state(c, returned) == State::Withdrawn)
        };
        assert_eq!(swept, withdrawn_by_sweeps);
    });
}

async fn two_clerks_at_once_exactly_one_wins(app: TestApp) {
    let now = demo(&app);
    let (id, v, clerks) = app.with_conn(|c| {
        let id = of(c, "吴磊");
        let first = actor(c, "demo-office");
        // A second clerk of the same committee's office.
        let hash = guantong::password::hash("another-pass-2026");
        let account =
            store::accounts::insert(c, "demo-office-2", Role::Office, "第二经办人", &hash, now)
                .unwrap();
        store::committees::assign_office(c, account.id, first.committee.unwrap()).unwrap();
        let second = actor(c, "demo-office-2");
        (id, version(c, id), [first, second])
    });
    // One accepts while the other asks for a correction, on the version both saw.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = clerks
        .into_iter()
        .enumerate()
        .map(|(i, who)| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                let due = deadline(&mut c, id, now);
                barrier.wait();
                match i {
                    0 => check::accept(&mut c, &who, &[(id, v)], now).map(drop),
                    _ => check::request_correction(&mut c, &who, id, v, &items(), due, now),
                }
            })
        })
        .collect();
    let outcomes: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let won = outcomes.iter().filter(|o| o.is_ok()).count();
    let stale = outcomes
        .iter()
        .filter(|o| matches!(o, Err(ActionError::Stale)))
        .count();
    assert_eq!((won, stale), (1, 1), "{outcomes:?}");
    app.with_conn(|c| {
        let moved = steps(c, id, Action::Accept) + steps(c, id, Action::ReturnForCorrection);
        assert_eq!(moved, 1);
        // The loser left nothing behind: a correction request exists only if it won.
        let committee = app_of(c, id).committee.unwrap();
        let asked = store::returns::latest_of_committee(c, id, committee)
            .unwrap()
            .is_some();
        assert_eq!(asked, state(c, id) == State::Correction);
    });
}

async fn a_batch_is_accepted_whole_or_not_at_all(app: TestApp) {
    demo(&app);
    let (a, b, va, vb) = app.with_conn(|c| {
        let (a, b) = (of(c, "吴磊"), of(c, "林芳"));
        (a, b, version(c, a), version(c, b))
    });
    app.login("demo-office", guantong::demo::DEMO_PASSWORD)
        .await;
    let home = app.page("/office?state=office_check").await;
    let picks = home.select_attr("input[name=pick]", "value");
    assert_eq!(picks.len(), 2, "{picks:?}");
    // One of the two moved on since the page was read: neither is accepted, the ticks stay.
    let stale_b = format!("{}:{}", b, vb - 1);
    let pick_a = format!("{a}:{va}");
    let before = audit_rows(&app);
    let token = home.csrf();
    let res = app
        .post_raw(
            "/office/accept",
            &[
                ("csrf_token", &token),
                ("pick", &pick_a),
                ("pick", &stale_b),
            ],
        )
        .await;
    let page = crate::helpers::read_page(res).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.text("#refused").contains("均未受理"),
        "{}",
        page.text("#refused")
    );
    assert_eq!(audit_rows(&app), before, "nothing changed");
    assert_eq!(
        page.select_attr("input[name=pick][checked]", "value"),
        vec![pick_a.clone()],
        "the tick that still applies is kept"
    );
    // Both as shown: both accepted.
    let pick_b = format!("{b}:{vb}");
    let res = app
        .post_raw(
            "/office/accept",
            &[("csrf_token", &token), ("pick", &pick_a), ("pick", &pick_b)],
        )
        .await;
    crate::helpers::assert_redirect_to(&res, "/office?state=office_check&accepted=2");
    app.with_conn(|c| {
        assert_eq!(state(c, a), State::ExpertReview);
        assert_eq!(state(c, b), State::ExpertReview);
    });
    let done = app.page("/office?state=office_check&accepted=2").await;
    assert!(done.text("#done").contains("已受理 2 份"));
    // Said once, after the batch: a link cannot make the page say it.
    let forged = app.page("/office?state=office_check&accepted=999").await;
    assert!(forged.select("#done").is_empty());
    // A tick the page never made refuses the batch whole, and another committee's
    // application is named by the number sent, never by its reference.
    let home = app.page("/office").await;
    let token = home.csrf();
    let (other, other_ref) = app.with_conn(|c| {
        let id = of(c, "郑华");
        (id, app_of(c, id).reference.unwrap())
    });
    let before = audit_rows(&app);
    for picks in [
        vec![format!("{a}:{va}"), "abc".to_string()],
        vec![format!("{other}:1"), format!("{other}:2")],
    ] {
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend(picks.iter().map(|p| ("pick", p.as_str())));
        let page = crate::helpers::read_page(app.post_raw("/office/accept", &fields).await).await;
        assert_eq!(page.status, StatusCode::CONFLICT);
        assert!(page.text("#refused").contains("均未受理"));
        assert!(
            !page.text("main").contains(&other_ref),
            "no other committee's reference"
        );
    }
    assert_eq!(audit_rows(&app), before);
}

fn audit_rows(app: &TestApp) -> usize {
    app.with_conn(|c| audit::before(c, None, 1_000_000).unwrap().len())
}

async fn the_office_page_shows_the_check_and_keeps_bad_input(app: TestApp) {
    demo(&app);
    let (id, corrected, reference) = app.with_conn(|c| {
        let id = of(c, "吴磊");
        (id, of(c, "林芳"), app_of(c, id).reference.unwrap())
    });
    app.login("demo-office", guantong::demo::DEMO_PASSWORD)
        .await;
    let url = format!("/office/applications/{id}");
    let page = app.page(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".reference"), reference);
    assert_eq!(page.select(".check-point").len(), 6);
    assert!(page.text(".checklist").contains("受理范围"));
    assert!(page.text(".verdict-message").contains("符合条件"));
    assert!(page.text(".recommendation").contains("同意推荐"));
    assert!(
        !page.select(".evidence-link").is_empty(),
        "the evidence opens"
    );
    assert!(page.text(".id-masked").contains('*'));
    // Bad input: every problem beside its field, in the summary, typed text kept, nothing
    // changed.
    let before = audit_rows(&app);
    let token = page.csrf();
    let version =
        page.select_attr("form[action$=correction] input[name=version]", "value")[0].clone();
    let typed = "证书扫描件不清晰".repeat(130);
    let res = app
        .post_raw(
            &format!("{url}/correction"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("note_certificates", &typed),
                ("deadline", "2026-02-30"),
            ],
        )
        .await;
    let bad = crate::helpers::read_page(res).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_errors_linked(&["note_certificates", "deadline"]);
    assert_eq!(bad.text("#note_certificates"), typed);
    assert_eq!(audit_rows(&app), before);
    let res = app
        .post_raw(
            &format!("{url}/refuse"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("note", "范围不符"),
            ],
        )
        .await;
    let bad = crate::helpers::read_page(res).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_errors_linked(&["reason", "clause"]);
    assert_eq!(bad.text("#note"), "范围不符");
    assert_eq!(audit_rows(&app), before);
    // A stale version: told someone acted first, nothing changed.
    let stale = (version.parse::<i32>().unwrap() - 1).to_string();
    // Accepting asks the clerk to confirm the check was done; unconfirmed, nothing happens.
    let res = app
        .post_raw(
            &format!("{url}/accept"),
            &[("csrf_token", &token), ("version", &version)],
        )
        .await;
    let unconfirmed = crate::helpers::read_page(res).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    unconfirmed.assert_errors_linked(&["checked"]);
    assert_eq!(audit_rows(&app), before);
    let res = app
        .post_raw(
            &format!("{url}/accept"),
            &[
                ("csrf_token", &token),
                ("version", &stale),
                ("checked", "yes"),
            ],
        )
        .await;
    let page = crate::helpers::read_page(res).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text("#refused").contains("其他经办人"));
    assert_eq!(audit_rows(&app), before);
    // A good request: the page says it went through and what is open.
    let deadline = app.with_conn(|c| deadline(c, id, now(&app))).to_string();
    let res = app
        .post_raw(
            &format!("{url}/correction"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("note_achievements", "请补充成果的应用证明"),
                ("deadline", &deadline),
            ],
        )
        .await;
    crate::helpers::assert_redirect_to(&res, &format!("{url}?done=correction"));
    let page = app.page(&format!("{url}?done=correction")).await;
    assert!(page.text("#correction-open").contains(&deadline));
    assert!(
        page.select("form[action$=accept]").is_empty(),
        "nothing to do while correcting"
    );
    // A refusal typed in a window opened before the request: refused, and what was typed is
    // on the page to copy though its form is gone.
    let res = app
        .post_raw(
            &format!("{url}/refuse"),
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("reason", "other"),
                ("clause", "第三条"),
                ("note", "材料不全且无法核实"),
            ],
        )
        .await;
    let late = crate::helpers::read_page(res).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.text("#lost").contains("材料不全且无法核实"));
    // The corrected one shows what changed since the request.
    let page = app.page(&format!("/office/applications/{corrected}")).await;
    assert_eq!(page.select(".changed-section"), vec!["业绩与能力"]);
    // The queue counts and lists by state, the due list names the corrections.
    let home = app.page("/office").await;
    let tabs = home.select(".tabs a").join("|");
    assert!(tabs.contains("补正中 2"), "{tabs}");
    assert!(tabs.contains("不予受理 1"), "{tabs}");
    assert_eq!(home.select(".due-item").len(), 2);
}

async fn the_applicant_and_the_employer_are_told(app: TestApp) {
    demo(&app);
    let (waiting, refused, due) = app.with_conn(|c| {
        let waiting = of(c, "黄涛");
        let due = guantong::service::returns::open(c, waiting)
            .unwrap()
            .unwrap()
            .deadline;
        (waiting, of(c, "何勇"), due)
    });
    let applicant = app.share();
    applicant
        .login("13900000020", guantong::demo::DEMO_PASSWORD)
        .await;
    let home = applicant.page("/applicant").await;
    assert!(home.text(".asked").contains("评委会形式审查要求补正"));
    assert!(home
        .text(".asked .reply-deadline")
        .contains(&due.to_string()));
    let tasks = applicant
        .page(&format!("/applicant/applications/{waiting}"))
        .await;
    assert!(tasks.text("#returned").contains("重新提交评委会"));
    assert!(tasks.text(".to-fix").contains("评委会要求补正"));
    assert!(tasks.text("#withdraw-link").contains("撤回"));
    let withdraw = applicant
        .page(&format!("/applicant/applications/{waiting}/withdraw"))
        .await;
    assert!(withdraw.text("main").contains("评委会要求您补正"));
    let section = applicant
        .page(&format!("/applicant/applications/{waiting}/achievements"))
        .await;
    assert!(section.text("#to-fix").contains("评委会要求补正"));
    let review = applicant
        .page(&format!("/applicant/applications/{waiting}/review"))
        .await;
    assert!(review.text("#submit").contains("重新提交评委会"));
    let refused_applicant = app.share();
    refused_applicant
        .login("13900000022", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = refused_applicant
        .page(&format!("/applicant/applications/{refused}"))
        .await;
    assert!(page.text(".next-step, #next-step, main").contains("§2.2.2"));
    let supervisor = app.share();
    supervisor
        .login("demo-supervisor", guantong::demo::DEMO_PASSWORD)
        .await;
    let dossier = supervisor.page(&format!("/applications/{refused}")).await;
    assert!(dossier.text("#formal-check").contains("§2.2.2"));
    app.login("demo-clerk", guantong::demo::DEMO_PASSWORD).await;
    let page = app.page(&format!("/employer/applications/{waiting}")).await;
    assert!(page.text("#returned").contains("评委会补正中"));
    let page = app.page(&format!("/employer/applications/{refused}")).await;
    assert!(page.text("#refusal").contains("不予受理"));
    assert!(page.text("#refusal").contains("§2.2.2"));
    let list = app.page("/employer?tab=recommended").await;
    assert!(list.text("main").contains("评委会补正中"));
}

async fn a_correction_binds_its_deadline_and_ends_with_a_withdrawal(app: TestApp) {
    demo(&app);
    let (id, due) = app.with_conn(|c| {
        let id = of(c, "黄涛");
        (
            id,
            guantong::service::returns::open(c, id)
                .unwrap()
                .unwrap()
                .deadline,
        )
    });
    // The round still takes submissions after the correction deadline; the correction does
    // not: resubmitting is refused (before the sweep has come by).
    let late = on(&app, &(due + chrono::Duration::days(1)).to_string());
    app.with_conn(|c| {
        let me = applicant(c, id);
        let round_id = app_of(c, id).round.unwrap();
        let round = store::rounds::find(c, round_id).unwrap().unwrap();
        assert!(round.submission_deadline > due, "the round is still open");
        let cmd = crate::fixtures::submit_command(c, id);
        let refused = submission::submit(c, &me, cmd, late);
        assert!(
            matches!(&refused, Err(ActionError::Refused(m)) if m.contains("补正期限")),
            "{refused:?}"
        );
        assert_eq!(state(c, id), State::Correction);
        // Withdrawn instead, nothing waits for a correction any more.
        let v = version(c, id);
        submission::withdraw(c, &me, id, v, late).unwrap();
        assert_eq!(state(c, id), State::Withdrawn);
        assert!(guantong::service::returns::open(c, id).unwrap().is_none());
        let asked = store::returns::open_of_applicant(c, me.id).unwrap();
        assert!(asked.iter().all(|(a, ..)| *a != id));
    });
    // A link cannot make the office's page say a step was taken.
    app.login("demo-office", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = app
        .page(&format!("/office/applications/{id}?done=refuse"))
        .await;
    assert!(page.select("#done").is_empty());
    let home = app.page("/office").await;
    assert!(
        home.select(".due-item").is_empty(),
        "{:?}",
        home.select(".due-item")
    );
}
