//! Committees: every office sees its own committee's applications only, the supervisor reads
//! and changes nothing, an unregistered committee takes no action, the pool refuses an expert
//! below the committee's levels, and the migration gives every existing round a committee.
//! The access checks are generated from the route table (`web::routes::ROUTES`): a route added
//! later is covered the moment it is registered.

use crate::fixtures::{actor, now, open_round, second_applicant, submitted};
use crate::helpers::{read_page, Backend, FreshDatabase, TestApp};
use guantong::application::verification::Verification;
use guantong::demo::committees::ids;
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::{Action, ApplicationId, AuditAction, CommitteeId, Role, State, Subject};
use guantong::service::employer_stage::{self as stage, Objection, Publicity, Resolution};
use guantong::service::{transition, ActionError, Actor};
use guantong::store::{self, applications, audit, DbConnection};
use guantong::web::routes::{Addresses, Method, ROUTES};
use reqwest::StatusCode;

crate::tests!(
    both: [an_office_sees_only_its_own_committee, a_post_by_another_identity_of_the_same_role_changes_nothing, the_supervisor_reads_everything_and_changes_nothing, an_unregistered_committee_takes_no_action, the_pool_refuses_an_expert_below_the_committees_levels, an_upheld_objection_and_a_plain_refusal_read_differently, the_admin_sets_up_registers_and_suspends_a_committee],
    per_backend: [the_migration_gives_every_round_a_committee_and_loses_nothing],
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

/// A round of the given committee, closing at the end of the clock's year.
fn round_of(
    c: &mut DbConnection,
    name: &str,
    committee: CommitteeId,
    now: chrono::NaiveDateTime,
) -> guantong::domain::RoundId {
    let year = chrono::Datelike::year(&guantong::time::local_date(now));
    let deadline = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    crate::fixtures::round_in(c, committee, name, deadline, now)
}

/// Two applications of the demo applicant recommended by the demo employer: one to the 中级
/// committee (its office is demo-office), one to the expired committee (demo-office-expired).
/// Returns (mine, theirs) from demo-office's point of view.
fn recommended_to_both(app: &TestApp) -> (ApplicationId, ApplicationId) {
    // The demo is loaded on the day the story starts: its expired committee lapsed shortly
    // before the day it is loaded.
    let now = on(app, "2026-09-14");
    app.load_demo();
    let (a, b, lapsed) = app.with_conn(|c| {
        let committees = ids(c).unwrap();
        let ra = open_round(c, "中级评委会的批次", now);
        // The demo applicant applies for 中级 机械: the expired committee is widened to review
        // that too, so that one applicant's applications can reach both committees.
        {
            use diesel::prelude::*;
            use guantong::store::schema::committees;
            diesel::update(committees::table.find(committees.expired.0))
                .set((
                    committees::levels.eq("正高级,副高级,中级"),
                    committees::specialty.eq(""),
                ))
                .execute(c)
                .unwrap();
        }
        let rb = round_of(c, "过期评委会的批次", committees.expired, now);
        // Its round opened, and took this application, while it was registered; the
        // registration lapses again once the employer has recommended it (below).
        let lapse = |c: &mut DbConnection, until: &str| {
            use diesel::prelude::*;
            use guantong::store::schema::committees;
            diesel::update(committees::table.find(committees.expired.0))
                .set(committees::registered_until.eq(Some(d(until))))
                .execute(c)
                .unwrap();
        };
        let lapsed = store::committees::find(c, committees.expired)
            .unwrap()
            .unwrap()
            .registered_until
            .unwrap()
            .to_string();
        lapse(c, "2026-12-31");
        let (_, a) = submitted(c, ra, now);
        let (_, b) = submitted(c, rb, now);
        let employer = actor(c, "demo-employer");
        for id in [a, b] {
            let sections = guantong::service::draft::read_draft(c, id)
                .unwrap()
                .sections;
            let v = Verification::confirming(&sections, "情况属实，同意申报");
            let seen = version(c, id);
            stage::verify(c, &employer, id, seen, &v, now).unwrap();
        }
        let plan = Publicity {
            items: vec![(a, version(c, a)), (b, version(c, b))],
            starts_on: d("2026-09-14"),
            ends_on: d("2026-09-18"),
            contact: "人力资源部 021-12345678".into(),
        };
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        (a, b, lapsed)
    });
    let now = on(app, "2026-09-21");
    app.with_conn(|c| {
        let employer = actor(c, "demo-employer");
        for id in [a, b] {
            let v = version(c, id);
            stage::recommend(c, &employer, id, v, "同意推荐", now).unwrap();
        }
        use diesel::prelude::*;
        use guantong::store::schema::committees;
        let expired = ids(c).unwrap().expired;
        diesel::update(committees::table.find(expired.0))
            .set(committees::registered_until.eq(Some(d(&lapsed))))
            .execute(c)
            .unwrap();
    });
    (a, b)
}

fn evidence_of(c: &mut DbConnection, id: ApplicationId) -> Vec<String> {
    use diesel::prelude::*;
    use guantong::store::schema::evidence;
    evidence::table
        .filter(evidence::application_id.eq(id.0))
        .select(evidence::id)
        .load(c)
        .unwrap()
}

/// How many rows the audit log holds: every change writes one, so an unchanged count means
/// nothing changed.
fn audit_rows(app: &TestApp) -> usize {
    app.with_conn(|c| audit::before(c, None, 1_000_000).unwrap().len())
}

/// A round of the committee (one with a recorded draw if it has one), a draw of it (`0` when
/// none) and the committee's current rubric version.
fn round_objects(app: &TestApp, committee: CommitteeId) -> (String, String, String) {
    app.with_conn(|c| {
        let rounds = store::rounds::of_committee(c, committee).unwrap();
        let with_draw = rounds.iter().find_map(|r| {
            let d = store::panels::draws(c, r.id).unwrap();
            d.first().map(|d| (r.id, d.id))
        });
        let (round, draw) = match with_draw {
            Some((r, d)) => (r.0, d.0),
            None => (rounds[0].id.0, 0),
        };
        let rubric = store::rubrics::current(c, committee).unwrap().unwrap();
        (round.to_string(), draw.to_string(), rubric.to_string())
    })
}

fn first_pool_entry(app: &TestApp, committee: CommitteeId) -> i64 {
    app.with_conn(|c| store::pool::of_committee(c, committee).unwrap()[0].id.0)
}

async fn an_office_sees_only_its_own_committee(app: TestApp) {
    let (mine, theirs) = recommended_to_both(&app);
    let (a, b) = app.with_conn(|c| {
        let committees = ids(c).unwrap();
        (committees.intermediate, committees.expired)
    });
    let their_entry = first_pool_entry(&app, b);
    let their_files = app.with_conn(|c| evidence_of(c, theirs));
    let my_files = app.with_conn(|c| evidence_of(c, mine));
    assert!(!their_files.is_empty() && !my_files.is_empty());
    app.login("demo-office", DEMO_PASSWORD).await;
    // Every GET route of the table that addresses another committee's object is 404 to this
    // office; the same route with its own committee's object is not.
    let mut checked = 0;
    for r in ROUTES.iter().filter(|r| r.method == Method::Get) {
        let (theirs_path, mine_path) = match r.addresses {
            Addresses::Application => (
                r.path_with(&[("id", &theirs.to_string())]),
                r.path_with(&[("id", &mine.to_string())]),
            ),
            Addresses::Evidence => (
                r.path_with(&[("id", &their_files[0])]),
                r.path_with(&[("id", &my_files[0])]),
            ),
            Addresses::Committee
            | Addresses::PoolEntry
            | Addresses::CommitteeRound
            | Addresses::PanelDraw
            | Addresses::RubricVersion => {
                let (their_round, _, their_rubric) = round_objects(&app, b);
                let (my_round, my_draw, my_rubric) = round_objects(&app, a);
                (
                    r.path_with(&[
                        ("cid", &b.to_string()),
                        ("eid", &their_entry.to_string()),
                        ("rid", &their_round),
                        // The other committee has drawn no panel: its address with this
                        // committee's draw is still not this office's.
                        ("did", &my_draw),
                        ("vid", &their_rubric),
                    ]),
                    r.path_with(&[
                        ("cid", &a.to_string()),
                        ("eid", &first_pool_entry(&app, a).to_string()),
                        ("rid", &my_round),
                        ("did", &my_draw),
                        ("vid", &my_rubric),
                    ]),
                )
            }
            _ => continue,
        };
        let status = app.get(&theirs_path).await.status();
        let other_area = r.area.is_some_and(|area| area != Role::Office);
        if other_area {
            // Another role's pages refuse the office whatever they address.
            assert_eq!(status, StatusCode::FORBIDDEN, "{theirs_path}");
            continue;
        }
        assert_eq!(status, StatusCode::NOT_FOUND, "{theirs_path}");
        // Its own is shown (an appointment record exists only for an appointed application).
        if !mine_path.ends_with("/appointment") {
            let own = app.get(&mine_path).await.status();
            assert_eq!(own, StatusCode::OK, "{mine_path}: its own is shown");
        }
        checked += 1;
    }
    assert!(
        checked >= 7,
        "only {checked} routes addressed a committee's object"
    );
    // The list, its counts and its search hold only this committee's applications.
    let reference = |id| {
        app.with_conn(move |c| {
            applications::find(c, id)
                .unwrap()
                .unwrap()
                .reference
                .unwrap()
        })
    };
    let (my_ref, their_ref) = (reference(mine), reference(theirs));
    let home = app.page("/office").await;
    let listed = home.select(".application-row td[data-label='申报编号']");
    assert_eq!(listed, vec![my_ref.clone()], "only its own");
    let tabs = home.select(".tabs a").join("|");
    assert!(tabs.contains("待形式审查 1"), "{tabs}");
    assert!(tabs.contains("全部 1"), "{tabs}");
    let search = app.page(&format!("/office?q={their_ref}")).await;
    assert!(search.select(".application-row").is_empty());
    let search = app.page(&format!("/office?q={my_ref}")).await;
    assert_eq!(search.select(".application-row").len(), 1);
    // The other office sees its own, which it cannot act on: its registration lapsed.
    let other = app.share();
    other.login("demo-office-expired", DEMO_PASSWORD).await;
    let home = other.page("/office").await;
    assert_eq!(
        home.select(".application-row td[data-label='申报编号']"),
        vec![their_ref]
    );
    assert!(home.text("#standing-refusal").contains("过期"));
}

/// The objects a route addresses, filled in for `owner`'s side.
struct Objects {
    application: String,
    evidence: String,
    publicity: String,
    staff: String,
    committee: String,
    entry: String,
    /// A round of the committee, a draw of its panel and a version of its rubric.
    round: String,
    draw: String,
    rubric: String,
}

impl Objects {
    fn path(&self, r: &guantong::web::routes::RouteSpec) -> Option<String> {
        let values: Vec<(&str, &str)> = match r.addresses {
            Addresses::Application => vec![("id", &self.application), ("section", "work")],
            Addresses::Evidence => vec![("id", &self.evidence)],
            Addresses::Publicity => vec![("id", &self.publicity)],
            Addresses::StaffMember => vec![("id", &self.staff), ("action", "disable")],
            Addresses::Committee
            | Addresses::PoolEntry
            | Addresses::CommitteeRound
            | Addresses::PanelDraw
            | Addresses::RubricVersion => vec![
                ("cid", &self.committee),
                ("eid", &self.entry),
                ("rid", &self.round),
                ("did", &self.draw),
                ("vid", &self.rubric),
            ],
            _ => return None,
        };
        Some(r.path_with(&values))
    }
}

/// POSTs to `path` as `who` with its valid token: a form, and if the route reads multipart, a
/// multipart form.
async fn post_as(who: &TestApp, token: &str, path: &str) -> StatusCode {
    let res = who.post_raw(path, &[("csrf_token", token)]).await;
    if res.status() != StatusCode::BAD_REQUEST {
        return res.status();
    }
    let form = crate::helpers::Fields::new()
        .text("csrf_token", token.to_string())
        .into();
    who.client
        .post(who.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap()
        .status()
}

async fn a_post_by_another_identity_of_the_same_role_changes_nothing(app: TestApp) {
    let (mine, _) = recommended_to_both(&app);
    let now = on(&app, "2026-09-21");
    // A draft of the demo applicant's (another applicant will post to it), a publicity and a
    // staff member of the demo employer's.
    let (draft, publicity, staff) = app.with_conn(|c| {
        let round = open_round(c, "草稿的批次", now);
        let (_, draft) = crate::fixtures::complete_draft(c, round, now);
        second_applicant(c, now);
        let employer = actor(c, "demo-employer");
        crate::fixtures::other_employer(c, now);
        let publicity = store::employer_stage::publicity_of(c, mine, employer.id)
            .unwrap()
            .unwrap()
            .id;
        let staff = store::accounts::find_by_login(c, "demo-clerk")
            .unwrap()
            .map(|a| a.id.0)
            .unwrap_or(0);
        (draft, publicity, staff)
    });
    let (a, b) = app.with_conn(|c| {
        let committees = ids(c).unwrap();
        (committees.intermediate, committees.expired)
    });
    let objects = |application: ApplicationId| Objects {
        application: application.to_string(),
        evidence: app.with_conn(|c| evidence_of(c, application)).remove(0),
        publicity: publicity.to_string(),
        staff: staff.to_string(),
        committee: a.to_string(),
        entry: first_pool_entry(&app, a).to_string(),
        round: round_objects(&app, a).0,
        draw: round_objects(&app, a).1,
        rubric: round_objects(&app, a).2,
    };
    let employer_code = app.with_conn(|c| crate::fixtures::other_employer(c, now));
    // Each role's other identity: another applicant, another employer, another committee's
    // office. The objects are always the first identity's.
    let others = [
        (Role::Applicant, "13900000002", objects(draft)),
        (Role::Employer, employer_code.as_str(), objects(mine)),
        (Role::Office, "demo-office-expired", objects(mine)),
    ];
    let _ = b;
    let mut tried = 0;
    for (role, login, objects) in others {
        let who = app.share();
        let res = who.login(login, DEMO_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{login} logs in");
        let token = who.page("/account").await.csrf();
        for r in ROUTES.iter().filter(|r| r.method == Method::Post) {
            // Routes of this role's area, and shared ones that address an object.
            let ours = r.area == Some(role) || r.area.is_none();
            let Some(path) = objects.path(r).filter(|_| ours) else {
                continue;
            };
            let before = (audit_rows(&app), app.with_conn(|c| version(c, draft)));
            let status = post_as(&who, &token, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{login} POST {path}");
            let after = (audit_rows(&app), app.with_conn(|c| version(c, draft)));
            assert_eq!(before, after, "{login} POST {path} changed something");
            tried += 1;
        }
    }
    assert!(tried >= 25, "only {tried} routes tried");
}

async fn the_supervisor_reads_everything_and_changes_nothing(app: TestApp) {
    let (mine, theirs) = recommended_to_both(&app);
    let (a, b) = app.with_conn(|c| {
        let committees = ids(c).unwrap();
        (committees.intermediate, committees.expired)
    });
    let sup = app.share();
    sup.login("demo-supervisor", DEMO_PASSWORD).await;
    // Reads: its home, every committee, their applications and pools, the dossiers, the log.
    let views_before = app.with_conn(|c| {
        audit::before(c, None, 1_000_000)
            .unwrap()
            .iter()
            .filter(|r| r.action == AuditAction::SupervisorView)
            .count()
    });
    let pages = [
        "/supervisor".to_string(),
        "/supervisor/audit".into(),
        format!("/committees/{a}"),
        format!("/committees/{b}/applications"),
        format!("/committees/{b}/pool"),
        format!("/applications/{mine}"),
        format!("/applications/{theirs}"),
    ];
    for p in &pages {
        let page = sup.page(p).await;
        assert_eq!(page.status, StatusCode::OK, "{p}");
    }
    let views: Vec<String> = app.with_conn(|c| {
        audit::before(c, None, 1_000_000)
            .unwrap()
            .into_iter()
            .filter(|r| r.action == AuditAction::SupervisorView)
            .map(|r| r.subject)
            .collect()
    });
    assert_eq!(
        views.len(),
        views_before + pages.len(),
        "every page audited"
    );
    for p in &pages {
        assert!(views.contains(&format!("page:{p}")), "{p} audited");
    }
    // A one-time token never reaches the log (another supervisor could use it); a search is
    // written as typed.
    sup.get("/reset/a-secret-one-time-token").await;
    sup.get(&format!(
        "/committees/{a}/applications?q=%E5%90%B4%E7%A3%8A"
    ))
    .await;
    let latest: Vec<String> = app.with_conn(|c| {
        audit::latest(c, 2)
            .unwrap()
            .into_iter()
            .map(|r| r.subject)
            .collect()
    });
    assert!(
        latest.contains(&"page:/reset/{token}".to_string()),
        "{latest:?}"
    );
    assert!(
        latest.contains(&format!("page:/committees/{a}/applications?q=吴磊")),
        "{latest:?}"
    );
    assert!(!latest.iter().any(|s| s.contains("a-secret")));
    // Writes: every POST route that addresses anything is refused, and nothing changes.
    let objects = Objects {
        application: mine.to_string(),
        evidence: app.with_conn(|c| evidence_of(c, mine)).remove(0),
        publicity: "1".into(),
        staff: "1".into(),
        committee: a.to_string(),
        entry: first_pool_entry(&app, a).to_string(),
        round: round_objects(&app, a).0,
        draw: round_objects(&app, a).1,
        rubric: round_objects(&app, a).2,
    };
    let token = sup.page("/account").await.csrf();
    let mut tried = 0;
    for r in ROUTES.iter().filter(|r| r.method == Method::Post) {
        let path = match r.addresses {
            // Signing in and out and the person's own password are theirs, not the cases'.
            Addresses::Public | Addresses::OwnAccount | Addresses::Token => continue,
            Addresses::Area | Addresses::Round | Addresses::Account | Addresses::EmployerClaim => {
                r.path_with(&[("id", "1"), ("action", "disable")])
            }
            _ => objects.path(r).unwrap(),
        };
        let before = audit_rows(&app);
        let status = post_as(&sup, &token, &path).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "supervisor POST {path}: {status}"
        );
        assert_eq!(audit_rows(&app), before, "POST {path} changed something");
        tried += 1;
    }
    assert!(tried >= 40, "only {tried} POST routes tried");
    // And the service refuses an application step outright.
    let who = app.with_conn(|c| actor(c, "demo-supervisor"));
    let refused = app.with_conn(|c| {
        let v = version(c, mine);
        transition(c, &who, mine, v, Action::Accept, now(&app), |_, _| {
            Ok(((), String::new()))
        })
    });
    assert!(matches!(refused, Err(ActionError::Refused(m)) if m.contains("监管")));
}

async fn an_unregistered_committee_takes_no_action(app: TestApp) {
    let (mine, theirs) = recommended_to_both(&app);
    let now = now(&app);
    let step = |who: &Actor, id| {
        app.with_conn(|c| {
            let v = version(c, id);
            transition(c, who, id, v, Action::Accept, now, |_, _| {
                Ok(((), "受理".to_string()))
            })
        })
    };
    let expired_office = app.with_conn(|c| actor(c, "demo-office-expired"));
    let refused = step(&expired_office, theirs);
    assert!(
        matches!(&refused, Err(ActionError::Refused(m)) if m.contains("过期")),
        "{refused:?}"
    );
    assert_eq!(
        app.with_conn(|c| applications::find(c, theirs).unwrap().unwrap().state),
        State::OfficeCheck
    );
    // Suspended: the registered committee's office is refused too, until it resumes.
    let (admin, office) = app.with_conn(|c| (actor(c, "demo-admin"), actor(c, "demo-office")));
    let a = app.with_conn(|c| ids(c).unwrap().intermediate);
    let seen = app.with_conn(|c| store::committees::find(c, a).unwrap().unwrap().version);
    app.with_conn(|c| {
        guantong::service::committees::suspend(c, &admin, a, seen, Some("核查评审纪律"), now)
    })
    .unwrap();
    assert!(matches!(step(&office, mine), Err(ActionError::Refused(m)) if m.contains("暂停")));
    app.with_conn(|c| guantong::service::committees::suspend(c, &admin, a, seen + 1, None, now))
        .unwrap();
    step(&office, mine).unwrap();
    assert_eq!(
        app.with_conn(|c| applications::find(c, mine).unwrap().unwrap().state),
        State::ExpertReview
    );
}

async fn the_pool_refuses_an_expert_below_the_committees_levels(app: TestApp) {
    app.load_demo();
    let b = app.with_conn(|c| ids(c).unwrap().expired);
    app.login("demo-office-expired", DEMO_PASSWORD).await;
    let path = format!("/committees/{b}/pool");
    let before = app.with_conn(|c| store::pool::of_committee(c, b).unwrap().len());
    let fields = |level: &'static str, login: &'static str| {
        vec![
            ("login", login),
            ("title_name", "工程师"),
            ("title_level", level),
            ("series", "工程"),
            ("specialty", "电气"),
            ("employer_name", "上海电气集团股份有限公司"),
            ("employer_code", "913100007416029816"),
            ("code_confirmed", "yes"),
            ("term_from", "2026-01-01"),
            ("term_until", "2028-12-31"),
        ]
    };
    let page = read_page(
        app.submit(&path, &path, &fields("中级", "demo-pool-10"))
            .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["title_level"]);
    let message = page.field_error("title_level").unwrap();
    assert!(
        message.contains("正高级评审须由正高级专家担任"),
        "{message}"
    );
    assert_eq!(page.input_value("specialty").as_deref(), Some("电气"));
    assert_eq!(
        app.with_conn(|c| store::pool::of_committee(c, b).unwrap().len()),
        before
    );
    // At the committee's level, the same expert is taken.
    let res = app
        .submit(&path, &path, &fields("副高级", "demo-pool-10"))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.with_conn(|c| store::pool::of_committee(c, b).unwrap().len()),
        before + 1
    );
    // Not an expert's account: refused beside the login.
    let page = read_page(
        app.submit(&path, &path, &fields("副高级", "demo-applicant"))
            .await,
    )
    .await;
    page.assert_errors_linked(&["login"]);
}

async fn an_upheld_objection_and_a_plain_refusal_read_differently(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-14");
    let (upheld, plain) = app.with_conn(|c| {
        let (r1, r2) = (
            open_round(c, "异议批次甲", now),
            open_round(c, "异议批次乙", now),
        );
        let (_, x) = submitted(c, r1, now);
        let (_, y) = submitted(c, r2, now);
        let employer = actor(c, "demo-employer");
        for id in [x, y] {
            let sections = guantong::service::draft::read_draft(c, id)
                .unwrap()
                .sections;
            let v = Verification::confirming(&sections, "情况属实");
            let seen = version(c, id);
            stage::verify(c, &employer, id, seen, &v, now).unwrap();
        }
        let plan = Publicity {
            items: vec![(x, version(c, x)), (y, version(c, y))],
            starts_on: d("2026-09-14"),
            ends_on: d("2026-09-18"),
            contact: "人力资源部".into(),
        };
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        let objection = Objection {
            received_on: d("2026-09-14"),
            source: "实名来信".into(),
            content: "成果系他人完成".into(),
        };
        let v = version(c, x);
        stage::record_objection(c, &employer, x, v, &objection, now).unwrap();
        (x, y)
    });
    let now = on(&app, "2026-09-21");
    app.with_conn(|c| {
        let employer = actor(c, "demo-employer");
        let app = applications::find(c, upheld).unwrap().unwrap();
        let objection = stage::read(c, &app).unwrap().objections[0].id;
        let v = version(c, upheld);
        let r = Resolution {
            objection,
            upheld: true,
            reason: "经核查异议属实".into(),
        };
        stage::resolve_objection(c, &employer, upheld, v, &r, now).unwrap();
        let v = version(c, plain);
        stage::not_recommend(c, &employer, plain, v, "岗位不符", now).unwrap();
    });
    let last_label = |id: ApplicationId| {
        app.with_conn(|c| {
            let rows = audit::for_subject(c, &Subject::Application(id)).unwrap();
            let last = rows.last().unwrap().clone();
            assert_eq!(
                last.from,
                Some(State::EmployerPublicity),
                "the from-state kept"
            );
            guantong::web::admin::audit::action_label(last.from, last.action)
        })
    };
    assert_eq!(last_label(upheld), "公示异议成立，单位不予推荐");
    assert_eq!(last_label(plain), "单位不予推荐");
    for id in [upheld, plain] {
        assert_eq!(
            app.with_conn(|c| applications::find(c, id).unwrap().unwrap().state),
            State::Closed
        );
    }
    // The applicant's own timeline says it, in those words.
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let page = app.page(&format!("/applicant/applications/{upheld}")).await;
    assert!(page.text("body").contains("公示异议成立，单位不予推荐"));
    let page = app.page(&format!("/applicant/applications/{plain}")).await;
    let text = page.text("body");
    assert!(text.contains("单位不予推荐") && !text.contains("公示异议成立"));
    assert_eq!(app.with_conn(|c| audit::verify_chain(c).unwrap()), None);
}

async fn the_admin_sets_up_registers_and_suspends_a_committee(app: TestApp) {
    app.load_demo();
    app.login("demo-admin", DEMO_PASSWORD).await;
    // Everything missing at once.
    let page = read_page(
        app.submit("/admin/committees", "/admin/committees", &[])
            .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["name", "series", "levels", "sponsor"]);
    let res = app
        .submit(
            "/admin/committees",
            "/admin/committees",
            &[
                ("name", "上海市工程系列机械专业高级职称评审委员会"),
                ("series", "工程"),
                ("specialty", "机械"),
                ("levels", "副高级"),
                ("levels", "正高级"),
                ("sponsor", "上海市机械工程学会"),
            ],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/committees/"), "{location}");
    let path = location.split('?').next().unwrap().to_string();
    let page = app.page(&path).await;
    assert!(page.text(".committee-standing").contains("未核准备案"));
    assert_eq!(page.input_value("version").as_deref(), Some("1"));
    // A registration longer than three years is refused beside its field, with the last day.
    let page = read_page(
        app.submit(
            &path,
            &format!("{path}/registration"),
            &[
                ("version", "1"),
                ("registration_number", "沪人社专备〔2026〕9号"),
                ("registered_on", "2026-01-01"),
                ("registered_until", "2029-06-30"),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["registered_until"]);
    assert!(page
        .field_error("registered_until")
        .unwrap()
        .contains("2028-12-31"));
    assert_eq!(
        page.input_value("registered_until").as_deref(),
        Some("2029-06-30")
    );
    // Another committee's registration number is refused beside the field.
    let page = read_page(
        app.submit(
            &path,
            &format!("{path}/registration"),
            &[
                ("version", "1"),
                ("registration_number", "沪人社专备〔2026〕3号"),
                ("registered_on", "2026-01-01"),
                ("registered_until", "2028-12-31"),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["registration_number"]);
    assert!(page
        .field_error("registration_number")
        .unwrap()
        .contains("另一个评委会"));
    let res = app
        .submit(
            &path,
            &format!("{path}/registration"),
            &[
                ("version", "1"),
                ("registration_number", "沪人社专备〔2026〕9号"),
                ("registered_on", "2026-01-01"),
                ("registered_until", "2028-12-31"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A stale form (the version the page showed before the registration) is refused.
    let page = read_page(
        app.submit(
            &path,
            &format!("{path}/suspend"),
            &[("version", "1"), ("reason", "核查")],
        )
        .await,
    )
    .await;
    assert!(page.text("#refused").contains("已被他人修改"));
    assert_eq!(page.text("#reason"), "核查", "what was typed is kept");
    // A stale edit names each field where what was typed differs from what is stored now.
    let page = read_page(
        app.submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("name", "上海市工程系列机械专业高级职称评审委员会"),
                ("series", "工程"),
                ("specialty", "机械"),
                ("levels", "副高级"),
                ("levels", "正高级"),
                ("sponsor", "另一个学会"),
            ],
        )
        .await,
    )
    .await;
    let refused = page.text("#refused");
    assert!(
        refused.contains("组建单位（现为“上海市机械工程学会”）") && !refused.contains("名称（"),
        "{refused}"
    );
    assert_eq!(page.input_value("sponsor").as_deref(), Some("另一个学会"));
    // A committee's number: a fraction compared as integers, set for this committee only.
    let seen = app.page(&path).await.input_value("settings_seen").unwrap();
    let settings_form = |quorum: &'static str, seen: String| {
        let (app, path) = (&app, &path);
        async move {
            app.submit(
                path,
                &format!("{path}/settings"),
                &[("quorum", quorum), ("settings_seen", &seen)],
            )
            .await
        }
    };
    let page = read_page(settings_form("3/2", seen.clone()).await).await;
    page.assert_errors_linked(&["quorum"]);
    assert_eq!(page.input_value("quorum").as_deref(), Some("3/2"));
    // A yes/no setting is chosen, not typed: 是, 否, or the wider scope's value.
    assert_eq!(
        page.select("input[type=radio][name=recused_count_present]")
            .len(),
        3
    );
    let res = settings_form("3/4", seen.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A second window that read the settings before that change is told, its value kept.
    let page = read_page(settings_form("4/5", seen).await).await;
    assert!(
        page.text("#refused").contains("已被他人修改"),
        "{}",
        page.text("#refused")
    );
    assert_eq!(page.input_value("quorum").as_deref(), Some("4/5"));
    let id = CommitteeId(path.rsplit('/').next().unwrap().parse().unwrap());
    let settings = app.with_conn(|c| guantong::service::settings::load(c).unwrap());
    let quorum = |c| settings.fraction(guantong::domain::settings::Setting::Quorum, c, None);
    assert_eq!(quorum(Some(id)).to_string(), "3/4");
    assert_eq!(quorum(None).to_string(), "2/3", "the default elsewhere");
    // An office account created for it sees it; the other committee's office does not.
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    assert_eq!(office.get(&path).await.status(), StatusCode::NOT_FOUND);
}

async fn the_migration_gives_every_round_a_committee_and_loses_nothing(backend: Backend) {
    use diesel::connection::SimpleConnection;
    let Some(db) = FreshDatabase::new(backend) else {
        return;
    };
    guantong::store::migrate_up_to(&db.url, "000023").unwrap();
    // The data as the schema before committees held it: two rounds, an office account, and
    // applications at the employer and at the committee.
    let t = "'2026-09-01 10:00:00'";
    let sql = format!(
        "INSERT INTO accounts (id, login_name, role, display_name, password_hash, failed_logins, active, created_at, must_change_password) VALUES \
           (1, 'office-a', 'office', '办公室', 'x', 0, true, {t}, false), \
           (2, 'app-a', 'applicant', '申报人', 'x', 0, true, {t}, false); \
         INSERT INTO rounds (id, name, submission_deadline, reference_date, created_at) VALUES \
           (1, '甲批次', '2026-12-31', '2026-12-31', {t}), (2, '乙批次', '2026-12-31', '2026-12-31', {t}); \
         INSERT INTO applications (id, applicant_id, round_id, pathway, state, version, reference, created_at, updated_at) VALUES \
           (1, 2, 1, 'title', 'draft', 1, NULL, {t}, {t}), \
           (2, 2, 1, 'title', 'office_check', 4, 'GT-2026-000001', {t}, {t}), \
           (3, 2, 2, 'title', 'titled', 9, 'GT-2026-000002', {t}, {t}), \
           (4, 2, 2, 'title', 'employer_review', 2, 'GT-2026-000003', {t}, {t});"
    );
    match backend {
        Backend::Sqlite => {
            let mut c: diesel::SqliteConnection = diesel::Connection::establish(&db.url).unwrap();
            c.batch_execute(&sql).unwrap();
        }
        Backend::Postgres => {
            let mut c: diesel::PgConnection = diesel::Connection::establish(&db.url).unwrap();
            c.batch_execute(&sql).unwrap();
        }
    }
    let pool = guantong::store::connect(&db.url, 1).unwrap();
    let mut c = pool.get().unwrap();
    let rounds = store::rounds::list(&mut c).unwrap();
    assert_eq!(rounds.len(), 2);
    let committees = store::committees::list(&mut c).unwrap();
    assert_eq!(committees.len(), 2, "one placeholder per round");
    for r in &rounds {
        let committee = committees
            .iter()
            .find(|x| Some(x.id) == r.committee)
            .expect("each round has its committee");
        assert!(!committee.set_up, "未完成设置");
        assert!(committee.name.contains(&r.name));
        let standing = committee.standing(chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        assert_eq!(standing.label(), "未完成设置");
    }
    let office = store::accounts::find_by_login(&mut c, "office-a")
        .unwrap()
        .unwrap();
    assert_eq!(office.committee, Some(CommitteeId(1)));
    let states: Vec<(i64, State, Option<CommitteeId>)> = (1..=4)
        .map(|i| {
            let a = applications::find(&mut c, ApplicationId(i))
                .unwrap()
                .unwrap();
            (i, a.state, a.committee)
        })
        .collect();
    assert_eq!(
        states,
        vec![
            (1, State::Draft, None),
            (2, State::OfficeCheck, Some(CommitteeId(1))),
            (3, State::Titled, Some(CommitteeId(2))),
            (4, State::EmployerReview, None),
        ]
    );
    let counts = store::committees::state_counts(&mut c, CommitteeId(2)).unwrap();
    assert_eq!(counts, vec![(State::Titled, 1)]);
    // A new committee takes the next id on both backends.
    let admin = guantong::access::Actor::new(guantong::domain::AccountId(1), Role::Admin);
    let typed = guantong::domain::committee::CommitteeTyped {
        name: "新评委会",
        series: "工程",
        specialty: "",
        levels: &["中级".to_string()],
        sponsor: "某单位",
        occupations: &[],
    };
    let now = guantong::store::to_db_time(chrono::Utc::now());
    guantong::service::catalogue::seed_defaults(&mut c, now).unwrap();
    let id = guantong::service::committees::create(&mut c, &admin, &typed, now).unwrap();
    assert_eq!(id, CommitteeId(3));
}
