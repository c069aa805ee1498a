//! Each use case of the service layer on both databases: allowed, stale version, wrong role,
//! wrong state, outsider, and the audit row it writes.

use crate::fixtures::{actor, complete_draft, now, open_round, submit_command};
use crate::helpers::TestApp;
use guantong::application::{Basic, Edit};
use guantong::domain::{Action, AuditAction, Education, Role, State, Subject};
use guantong::service::draft::{self, SaveError, SaveSection};
use guantong::service::{accounts, rounds, submission, ActionError};
use guantong::store::{self, applications, audit};

crate::tests!(
    both: [submission_moves_the_state_and_writes_one_audit_row, submission_refuses_stale_wrong_role_wrong_state_and_outsiders, a_batch_of_transitions_is_all_or_nothing, two_submissions_at_once_exactly_one_wins, section_saves_check_version_owner_and_state, one_application_per_person_per_round, rounds_and_staff_accounts_are_the_admins],
);

fn setup(app: &TestApp) -> guantong::domain::RoundId {
    app.load_demo();
    let now = now(app);
    app.with_conn(|c| open_round(c, "测试批次", now))
}

fn state_of(app: &TestApp, id: guantong::domain::ApplicationId) -> (State, i32) {
    app.with_conn(|c| {
        let a = applications::find(c, id).unwrap().unwrap();
        (a.state, a.version)
    })
}

fn audit_actions(app: &TestApp, id: guantong::domain::ApplicationId) -> Vec<AuditAction> {
    app.with_conn(|c| {
        audit::for_subject(c, &Subject::Application(id))
            .unwrap()
            .into_iter()
            .map(|r| r.action)
            .collect()
    })
}

async fn submission_moves_the_state_and_writes_one_audit_row(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, id) = app.with_conn(|c| complete_draft(c, round, now));
    let cmd = app.with_conn(|c| submit_command(c, id));
    let reference = app
        .with_conn(|c| submission::submit(c, &me, cmd, now))
        .unwrap();
    assert!(reference.starts_with("GT-"), "{reference}");
    assert_eq!(state_of(&app, id), (State::EmployerReview, 2));
    let rows = app.with_conn(|c| audit::for_subject(c, &Subject::Application(id)).unwrap());
    let submits: Vec<_> = rows
        .iter()
        .filter(|r| r.action == AuditAction::Workflow(Action::Submit))
        .collect();
    assert_eq!(submits.len(), 1);
    assert_eq!(submits[0].actor.id, Some(me.id));
    assert_eq!(submits[0].actor.role, Some(Role::Applicant));
    assert!(submits[0].detail.contains(&reference));
    assert_eq!(app.with_conn(|c| audit::verify_chain(c).unwrap()), None);
}

async fn submission_refuses_stale_wrong_role_wrong_state_and_outsiders(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, id) = app.with_conn(|c| complete_draft(c, round, now));
    let fresh = || app.with_conn(|c| submit_command(c, id));
    // A stale version (the page was shown before another change).
    let mut stale = fresh();
    stale.seen_version -= 1;
    let r = app.with_conn(|c| submission::submit(c, &me, stale, now));
    assert!(matches!(r, Err(ActionError::Stale)), "{r:?}");
    // A stale fingerprint (a section changed since the check-answers page).
    let mut stale = fresh();
    stale.seen_fingerprint -= 1;
    assert!(matches!(
        app.with_conn(|c| submission::submit(c, &me, stale, now)),
        Err(ActionError::Stale)
    ));
    // Wrong role and outsiders: the draft does not exist for them.
    for login in ["demo-employer", "demo-office", "demo-expert1", "demo-admin"] {
        let who = app.with_conn(|c| actor(c, login));
        let r = app.with_conn(|c| submission::submit(c, &who, fresh(), now));
        assert!(matches!(r, Err(ActionError::NotFound)), "{login}: {r:?}");
    }
    assert_eq!(state_of(&app, id).0, State::Draft, "nothing changed");
    assert!(
        !audit_actions(&app, id).contains(&AuditAction::Workflow(Action::Submit)),
        "no audit row for a refusal"
    );
    // Wrong state: once submitted, submitting again is refused by the workflow.
    app.with_conn(|c| submission::submit(c, &me, fresh(), now))
        .unwrap();
    let r = app.with_conn(|c| submission::submit(c, &me, fresh(), now));
    match r {
        Err(ActionError::Refused(why)) => assert!(why.contains("单位审核中"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_batch_of_transitions_is_all_or_nothing(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, a) = app.with_conn(|c| complete_draft(c, round, now));
    // One application per person per round: the second is in another round.
    let other = app.with_conn(|c| open_round(c, "测试批次二", now));
    let (_, b) = app.with_conn(|c| complete_draft(c, other, now));
    let (ca, mut cb) = app.with_conn(|c| (submit_command(c, a), submit_command(c, b)));
    cb.seen_version += 5;
    let result: Result<(), ActionError> = app.with_conn(|c| {
        store::write(c, |c| {
            for cmd in [ca, cb] {
                let fp = cmd.seen_fingerprint;
                guantong::service::transition(
                    c,
                    &me,
                    cmd.id,
                    cmd.seen_version,
                    Action::Submit,
                    now,
                    |_, _| Ok(((), format!("batch {fp}"))),
                )?;
            }
            Ok(())
        })
    });
    assert!(matches!(result, Err(ActionError::Stale)));
    assert_eq!(
        state_of(&app, a).0,
        State::Draft,
        "the first was rolled back"
    );
    assert_eq!(state_of(&app, b).0, State::Draft);
}

async fn two_submissions_at_once_exactly_one_wins(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, id) = app.with_conn(|c| complete_draft(c, round, now));
    let cmds = app.with_conn(|c| [submit_command(c, id), submit_command(c, id)]);
    let handles: Vec<_> = cmds
        .into_iter()
        .map(|cmd| {
            let pool = app.pool.clone();
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                submission::submit(&mut c, &me, cmd, now)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    let stale = results
        .iter()
        .filter(|r| matches!(r, Err(ActionError::Stale)))
        .count();
    assert_eq!((won, stale), (1, 1), "{results:?}");
    assert_eq!(state_of(&app, id), (State::EmployerReview, 2));
}

async fn section_saves_check_version_owner_and_state(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, id) = app.with_conn(|c| complete_draft(c, round, now));
    let basic = |mobile: &str| {
        Edit::Basic(Basic {
            education: Some(Education::Bachelor),
            mobile: mobile.into(),
            ..Basic::default()
        })
    };
    let v = app.with_conn(|c| {
        draft::read_draft(c, id)
            .unwrap()
            .version(guantong::application::Section::Basic)
    });
    let save = |who: &guantong::access::Actor, version: i32, edit: Edit| {
        let cmd = SaveSection {
            id,
            seen_version: version,
            edit,
            files: vec![],
        };
        app.with_conn(|c| draft::save(c, who, cmd, draft::EvidenceLimits::NONE, now))
    };
    assert_eq!(save(&me, v, basic("13900000001")).unwrap(), v + 1);
    // The same version again: the other window's data comes back, nothing is overwritten.
    match save(&me, v, basic("13900000002")) {
        Err(SaveError::Conflict { theirs, version }) => {
            assert_eq!(version, v + 1);
            assert_eq!(theirs.basic.unwrap().mobile, "13900000001");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Others: not found.
    for login in ["demo-employer", "demo-office", "demo-admin"] {
        let who = app.with_conn(|c| actor(c, login));
        assert!(
            matches!(
                save(&who, v + 1, basic("1")),
                Err(SaveError::Action(ActionError::NotFound))
            ),
            "{login}"
        );
    }
    let saves = audit_actions(&app, id)
        .into_iter()
        .filter(|a| *a == AuditAction::SectionSave)
        .count();
    assert_eq!(
        saves, 8,
        "seven sections filled by the fixture, one save here"
    );
    // After submission the owner is refused with a reason.
    let cmd = app.with_conn(|c| submit_command(c, id));
    app.with_conn(|c| submission::submit(c, &me, cmd, now))
        .unwrap();
    assert!(matches!(
        save(&me, v + 1, basic("13900000003")),
        Err(SaveError::Action(ActionError::Refused(_)))
    ));
    // Starting an application is the applicant's only.
    let employer = app.with_conn(|c| actor(c, "demo-employer"));
    assert!(matches!(
        app.with_conn(|c| draft::create(c, &employer, now)),
        Err(ActionError::Refused(_))
    ));
}

async fn rounds_and_staff_accounts_are_the_admins(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let admin = app.with_conn(|c| actor(c, "demo-admin"));
    let office = app.with_conn(|c| actor(c, "demo-office"));
    let other_office = app.with_conn(|c| actor(c, "demo-office-expired"));
    let committee = app.with_conn(|c| guantong::demo::committees::ids(c).unwrap().intermediate);
    // Rounds are the committee's office's: the admin reads them, another office does not see
    // the committee at all.
    let typed = guantong::domain::round::RoundTyped {
        name: "某批次",
        levels: vec!["中级"],
        submission_deadline: "2099-12-31",
        reference_date: "",
        scoring_deadline: "2100-03-31",
    };
    let id = app
        .with_conn(|c| rounds::create(c, &office, committee, &typed, now))
        .unwrap();
    assert!(matches!(
        app.with_conn(|c| rounds::create(c, &office, committee, &typed, now)),
        Err(ActionError::Invalid(e)) if e.get("name").is_some_and(|m| m.contains("同名"))
    ));
    assert!(matches!(
        app.with_conn(|c| rounds::create(c, &admin, committee, &typed, now)),
        Err(ActionError::Refused(_))
    ));
    assert!(matches!(
        app.with_conn(|c| rounds::create(c, &other_office, committee, &typed, now)),
        Err(ActionError::NotFound)
    ));
    let rows = app.with_conn(|c| audit::for_subject(c, &Subject::Round(id)).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].action, AuditAction::RoundCreate);
    // Staff accounts: the admin only, and only staff roles.
    let staff = |role| accounts::NewStaff {
        login_name: guantong::domain::LoginName::parse("new-expert").unwrap(),
        role,
        display_name: guantong::domain::RequiredText::parse("新专家", "", 50).unwrap(),
        committee: None,
    };
    let pool = app.pool.clone();
    assert!(matches!(
        accounts::create_staff(&pool, &office, &staff(Role::Expert), now),
        Err(ActionError::Refused(_))
    ));
    assert!(matches!(
        accounts::create_staff(&pool, &admin, &staff(Role::Applicant), now),
        Err(ActionError::Refused(_))
    ));
    let (account, password) = accounts::create_staff(&pool, &admin, &staff(Role::Expert), now)
        .unwrap()
        .unwrap();
    assert_eq!(account.role, Role::Expert);
    assert!(guantong::domain::Password::parse(&password).is_ok());
    let dup = accounts::create_staff(&pool, &admin, &staff(Role::Expert), now).unwrap();
    assert_eq!(dup.unwrap_err().field, "login");
    let rows = app.with_conn(|c| audit::for_subject(c, &Subject::Account(account.id)).unwrap());
    assert_eq!(rows[0].actor.id, Some(admin.id));
}

/// One application per person per round. A second draft naming the round is refused
/// with the reason; once the first is withdrawn or closed, the round is free again.
async fn one_application_per_person_per_round(app: TestApp) {
    let round = setup(&app);
    let now = now(&app);
    let (me, _first) = app.with_conn(|c| complete_draft(c, round, now));
    let second = app.with_conn(|c| guantong::service::draft::create(c, &me, now).unwrap());
    let target = app.with_conn(|c| {
        let first = guantong::service::draft::read_draft(c, _first).unwrap();
        first.sections.target.clone().unwrap()
    });
    let version = app.with_conn(|c| {
        guantong::service::draft::read_draft(c, second)
            .unwrap()
            .version(guantong::application::Section::Target)
    });
    let cmd = guantong::service::draft::SaveSection {
        id: second,
        seen_version: version,
        edit: guantong::application::Edit::Target(target),
        files: vec![],
    };
    let refused = app.with_conn(|c| {
        guantong::service::draft::save(
            c,
            &me,
            cmd,
            guantong::service::draft::EvidenceLimits::NONE,
            now,
        )
    });
    match refused {
        Err(guantong::service::draft::SaveError::Action(ActionError::Refused(m))) => {
            assert_eq!(m, guantong::service::draft::ONE_PER_ROUND)
        }
        other => panic!("expected the one-per-round refusal, got {other:?}"),
    }
    let stored = app.with_conn(|c| applications::find(c, second).unwrap().unwrap().round);
    assert_eq!(stored, None, "nothing stored");
}
