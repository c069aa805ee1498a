//! Assigning experts and conflicts of interest: each kind of tie keeps its member off the case
//! even when they are the only way to reach the minimum (the case is named as uncovered, with
//! why); a hand assignment of a tied member is refused with the evidence; a recusal ends the
//! expert's access at once; nothing about experts reaches the applicant or the employer; other
//! committees' offices and experts are told the case does not exist; two offices assigning at
//! once never assign twice. The demo's applications in expert review are the fixtures.

use crate::fixtures::{actor, demo, now, of, on};
use crate::helpers::TestApp;
use diesel::prelude::*;
use guantong::application::{Achievement, Apprentice, CoHolder, Snapshot};
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::settings::{Scope, Setting};
use guantong::domain::{ApplicationId, PoolEntryId, RoundId};
use guantong::panel::conflicts::Kind;
use guantong::service::assignment as assign;
use guantong::service::ActionError;
use guantong::store::schema::{accounts, application_frozen, applications, pool_entries};
use guantong::store::{self, assignments, DbConnection};
use reqwest::StatusCode;

crate::tests!(
    both: [
        each_kind_of_tie_keeps_its_member_off_even_below_the_minimum,
        a_hand_assignment_of_a_tied_member_is_refused_with_the_evidence,
        a_recusal_ends_the_experts_access_at_once,
        experts_never_show_to_applicants_or_employers,
        other_committees_are_told_the_case_does_not_exist,
        the_office_pages_keep_bad_input_and_change_nothing,
        two_offices_assigning_at_once_assign_once,
        the_applicant_gives_codes_witnesses_and_co_holders,
        leaving_the_pool_ends_cases_and_a_dismissed_tie_puts_the_member_back,
    ],
);

fn round_of(c: &mut DbConnection, id: ApplicationId) -> store::rounds::Round {
    let r = store::applications::find(c, id)
        .unwrap()
        .unwrap()
        .round
        .unwrap();
    store::rounds::find(c, r).unwrap().unwrap()
}

/// The round's panel: (pool entry, login, name).
fn panel(c: &mut DbConnection, round: &store::rounds::Round) -> Vec<(PoolEntryId, String, String)> {
    assign::panel_of(c, round)
        .unwrap()
        .into_iter()
        .map(|e| (e.id, e.login_name, e.name))
        .collect()
}

fn active(c: &mut DbConnection, id: ApplicationId) -> Vec<i64> {
    assignments::of_case(c, id)
        .unwrap()
        .into_iter()
        .filter(|a| a.active)
        .map(|a| a.entry_id)
        .collect()
}

/// Rewrites the frozen dossier of `id` (what the applicant gave is the test's setup).
fn edit_snapshot(c: &mut DbConnection, id: ApplicationId, f: impl FnOnce(&mut Snapshot)) {
    let json: String = application_frozen::table
        .find(id.0)
        .select(application_frozen::snapshot)
        .first(c)
        .unwrap();
    let mut s: Snapshot = serde_json::from_str(&json).unwrap();
    f(&mut s);
    diesel::update(application_frozen::table.find(id.0))
        .set(application_frozen::snapshot.eq(serde_json::to_string(&s).unwrap()))
        .execute(c)
        .unwrap();
}

/// Sets the round's minimum of experts (as its office does).
fn set_minimum(c: &mut DbConnection, round: RoundId, n: usize, now: chrono::NaiveDateTime) {
    let office = actor(c, "demo-office");
    let seen = guantong::service::settings::load(c)
        .unwrap()
        .fingerprint(Scope::Round(round));
    guantong::service::settings::set(
        c,
        &office,
        Scope::Round(round),
        &[(Setting::MinExpertsPerApplication, n.to_string())],
        &seen,
        now,
    )
    .unwrap();
}

async fn each_kind_of_tie_keeps_its_member_off_even_below_the_minimum(app: TestApp) {
    let now = demo(&app);
    app.with_conn(|c| {
        let case = of(c, "罗静");
        let round = round_of(c, case);
        let members = panel(c, &round);
        // Every member of the panel is needed: a tied one is the only way to the minimum.
        set_minimum(c, round.id, members.len(), now);
        let office = actor(c, "demo-office");
        let committee = office.committee.unwrap();
        let employer_code = guantong::demo::demo_employer_code();
        // Each kind of tie, each with a member of its own: how it is made, and what it is.
        type Tie = Box<dyn Fn(&mut DbConnection, &(PoolEntryId, String, String))>;
        let ties: Vec<(Kind, bool, Tie)> = vec![
            (
                Kind::Employer,
                true,
                Box::new(move |c, m| {
                    // The member's pool record names the applicant's employer by its code.
                    diesel::update(pool_entries::table.find(m.0 .0))
                        .set(pool_entries::employer_code.eq(employer_code.clone()))
                        .execute(c)
                        .unwrap();
                }),
            ),
            (
                Kind::Witness,
                false,
                Box::new(move |c, m| {
                    let name = m.2.clone();
                    edit_snapshot(c, case, |s| {
                        let w = s.sections.work.as_mut().unwrap();
                        w.items[0].witness_name = name;
                        w.items[0].witness_phone = "13811112222".into();
                    })
                }),
            ),
            (
                Kind::CoHolder,
                false,
                Box::new(move |c, m| {
                    let name = m.2.clone();
                    edit_snapshot(c, case, |s| {
                        let a = s.sections.achievements.as_mut().unwrap();
                        a.items[0].co_holders.push(CoHolder {
                            name,
                            employer: "某研究所".into(),
                        });
                    })
                }),
            ),
            (
                Kind::MemberIsApprentice,
                false,
                Box::new(move |c, m| {
                    let name = m.2.clone();
                    edit_snapshot(c, case, |s| {
                        let a = s.sections.achievements.as_mut().unwrap();
                        a.apprentices.push(Apprentice {
                            id: "t".into(),
                            name,
                            period: "2015年".into(),
                            outcome: "取得技师证书".into(),
                        });
                    })
                }),
            ),
            (
                Kind::ApplicantIsApprentice,
                false,
                Box::new(move |c, m| {
                    diesel::update(pool_entries::table.find(m.0 .0))
                        .set(pool_entries::apprentices.eq(r#"["罗静"]"#))
                        .execute(c)
                        .unwrap();
                }),
            ),
        ];
        let mut barred = 0;
        for (i, (kind, confirmed, make)) in ties.iter().enumerate() {
            let m = &members[i];
            make(c, m);
            let report = assign::auto_assign(c, &office, committee, round.id, now).unwrap();
            barred += 1;
            assert!(
                !active(c, case).contains(&m.0 .0),
                "{kind:?}: {} still reviews the case",
                m.1
            );
            let uncovered = report
                .uncovered
                .iter()
                .find(|u| u.0 == case)
                .unwrap_or_else(|| panic!("{kind:?}: the case is named as uncovered"));
            assert!(
                uncovered.2.contains(&format!("{barred} 人存在利益冲突")),
                "{kind:?}: {}",
                uncovered.2
            );
            let found = assignments::conflicts_of_case(c, case)
                .unwrap()
                .into_iter()
                .find(|k| k.entry_id == m.0 .0 && k.kind == kind.code())
                .unwrap_or_else(|| panic!("{kind:?} is on record"));
            let status = if *confirmed { "confirmed" } else { "possible" };
            assert_eq!(found.status, status, "{kind:?}");
            assert!(found.raised_by.is_none(), "found by the system");
        }
        // Declared ties: by the office, and by the member themself.
        let m = &members[ties.len()];
        let d = assign::declaration("relative", "申报人是该委员的表弟").unwrap();
        let v = assignments::find_case(c, case).unwrap().unwrap().version;
        assign::declare_by_office(c, &office, case, v, &m.0 .0.to_string(), &d, now).unwrap();
        let report = assign::auto_assign(c, &office, committee, round.id, now).unwrap();
        assert!(!active(c, case).contains(&m.0 .0));
        let u = report.uncovered.iter().find(|u| u.0 == case).unwrap();
        assert!(
            u.2.contains(&format!("{} 人存在利益冲突", barred + 1)),
            "{}",
            u.2
        );
        // Everyone else who may review it does.
        assert_eq!(active(c, case).len(), members.len() - barred - 1);
    });
}

async fn a_hand_assignment_of_a_tied_member_is_refused_with_the_evidence(app: TestApp) {
    let now = demo(&app);
    // 严伟 worked at the employer of two panel members: found by its credit code.
    let (case, tied, untied, v) = app.with_conn(|c| {
        let case = of(c, "严伟");
        let ties = assignments::conflicts_of_case(c, case).unwrap();
        let tied = ties
            .iter()
            .find(|k| k.kind == "employer" && k.basis == "code" && k.status == "confirmed")
            .expect("a tie by credit code")
            .entry_id;
        let round = round_of(c, case);
        let free = panel(c, &round)
            .into_iter()
            .map(|m| m.0 .0)
            .find(|e| !ties.iter().any(|k| k.entry_id == *e) && !active(c, case).contains(e))
            .unwrap();
        let v = assignments::find_case(c, case).unwrap().unwrap().version;
        (case, tied, free, v)
    });
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    // The overview says what waits: 罗静's witness shares a member's name, undecided.
    let home = office.page("/office").await;
    assert!(
        home.text(".attention-item")
            .contains("待核实的利益冲突 1 项"),
        "{}",
        home.text(".attention")
    );
    let url = format!("/office/applications/{case}/experts");
    let page = office.page(&url).await;
    assert!(page.text("#conflicts-title").contains("利益冲突"));
    // The demo's tie the office declared on this case may be withdrawn from the page.
    assert_eq!(page.select("form.withdraw").len(), 1);
    assert!(
        page.select(".conflict .evidence")
            .iter()
            .any(|e| e.contains("91310000132260250X")),
        "the evidence names the code"
    );
    // The tied member is not offered; sent anyway, refused beside the field with the evidence.
    let offered = page.select_attr("select#entry option", "value");
    assert!(!offered.contains(&tied.to_string()));
    let audit_before = app.with_conn(|c| store::audit::before(c, None, 1_000_000).unwrap().len());
    let res = office
        .submit(
            &url,
            &url,
            &[("version", &v.to_string()), ("entry", &tied.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&["entry"]);
    let message = page.field_error("entry").unwrap();
    assert!(message.contains("91310000132260250X"), "{message}");
    app.with_conn(|c| {
        assert!(!active(c, case).contains(&tied));
        assert_eq!(
            store::audit::before(c, None, 1_000_000).unwrap().len(),
            audit_before
        );
    });
    // The service says the same.
    app.with_conn(|c| {
        let who = actor(c, "demo-office");
        match assign::assign(c, &who, case, v, &tied.to_string(), now) {
            Err(ActionError::Invalid(e)) => {
                assert!(e.get("entry").unwrap().contains("统一社会信用代码相同"))
            }
            other => panic!("{other:?}"),
        }
    });
    // An untied member is assigned; the same page sent again is stale and changes nothing.
    let res = office
        .submit(
            &url,
            &url,
            &[("version", &v.to_string()), ("entry", &untied.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = office.page(&format!("{url}?done=1")).await;
    assert!(page.text("#done").contains("已分配"));
    let res = office
        .submit(
            &url,
            &url,
            &[("version", &v.to_string()), ("entry", &untied.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = crate::helpers::read_page(res).await;
    assert!(page.text("#refused").contains("刚刚被其他经办人处理过"));
    app.with_conn(|c| {
        assert_eq!(active(c, case).iter().filter(|e| **e == untied).count(), 1);
    });
}

/// Every evidence file a dossier refers to.
fn evidence_ids(c: &mut DbConnection, id: ApplicationId) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let (Some(serde_json::Value::String(id)), Some(_)) =
                    (m.get("id"), m.get("sha256"))
                {
                    out.push(id.clone());
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let json: String = application_frozen::table
        .find(id.0)
        .select(application_frozen::snapshot)
        .first(c)
        .unwrap();
    let mut out = Vec::new();
    walk(&serde_json::from_str(&json).unwrap(), &mut out);
    out
}

async fn a_recusal_ends_the_experts_access_at_once(app: TestApp) {
    demo(&app);
    let (case, files, other_case) = app.with_conn(|c| {
        let me = actor(c, "demo-expert1");
        let mine = assignments::of_expert(c, me.id, 0, 10).unwrap();
        assert!(!mine.is_empty(), "demo-expert1 has cases to read");
        let case = ApplicationId(mine[0].application_id);
        // A case of the round not assigned to them.
        let other = ["罗静", "严伟", "姚丹", "钱坤"]
            .into_iter()
            .map(|n| of(c, n))
            .find(|a| !mine.iter().any(|m| m.application_id == a.0))
            .unwrap();
        (case, evidence_ids(c, case), other)
    });
    assert!(!files.is_empty(), "the dossier has evidence");
    let expert = app.share();
    expert.login("demo-expert1", DEMO_PASSWORD).await;
    let home = expert.page("/expert").await;
    assert!(home
        .select_attr(".expert-cases a", "href")
        .contains(&format!("/expert/cases/{case}")));
    assert!(
        home.text(".deadline").contains("还有"),
        "the scoring deadline"
    );
    let url = format!("/expert/cases/{case}");
    let page = expert.page(&url).await;
    assert!(
        page.text(".id-masked").contains('*'),
        "the ID number masked"
    );
    let body = expert.get(&url).await.text().await.unwrap();
    assert!(
        !body.contains("联系电话") && !body.contains("通讯地址"),
        "no way to reach the applicant"
    );
    assert!(!page.text(".employer-name").is_empty());
    assert!(
        page.select(".reveal, [href*='reveal']").is_empty(),
        "no reveal for experts"
    );
    for f in &files {
        assert_eq!(
            expert.get(&format!("/evidence/{f}")).await.status(),
            StatusCode::OK
        );
    }
    // Not theirs: 404 for the case, the shared dossier and its files.
    assert_eq!(
        expert
            .get(&format!("/expert/cases/{other_case}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        expert
            .get(&format!("/applications/{other_case}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    for f in app.with_conn(|c| evidence_ids(c, other_case)) {
        assert_eq!(
            expert.get(&format!("/evidence/{f}")).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    // Bad input keeps what was typed and changes nothing.
    let res = expert
        .submit(
            &url,
            &format!("{url}/recuse"),
            &[("kind", "other"), ("note", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&["note"]);
    assert_eq!(
        app.with_conn(|c| active(c, case).len()),
        app.with_conn(|c| assignments::find_case(c, case).unwrap().unwrap().assigned as usize)
    );
    // Declared: recused at once.
    let res = expert
        .submit(
            &url,
            &format!("{url}/recuse"),
            &[("kind", "relative"), ("note", "申报人是我的表妹")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let home = expert.page("/expert?done=1").await;
    assert!(home.text("#done").contains("已申报回避"));
    assert!(home.text(".recused-count").contains('1'));
    assert_eq!(expert.get(&url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        expert.get(&format!("/applications/{case}")).await.status(),
        StatusCode::NOT_FOUND
    );
    for f in &files {
        assert_eq!(
            expert.get(&format!("/evidence/{f}")).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let res = expert
        .submit(
            "/expert",
            &format!("{url}/recuse"),
            &[("kind", "relative"), ("note", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "no second declaration");
    // Who triggered it is kept, and the case is flagged below its minimum for the office.
    app.with_conn(|c| {
        let me = actor(c, "demo-expert1");
        let k = assignments::conflicts_of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|k| k.kind == "relative")
            .unwrap();
        assert_eq!(k.raised_by, Some(me.id.0));
        assert_eq!(k.status, "confirmed");
        let a = assignments::of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|a| a.account_id == me.id.0)
            .unwrap();
        assert!(!a.active);
        assert_eq!(a.conflict_id, Some(k.id));
        assert_eq!(a.ended_by, Some(me.id.0));
    });
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    let page = office
        .page(&format!("/office/applications/{case}/experts"))
        .await;
    assert!(page.text("#below-minimum").contains("少于"));
    assert!(page
        .select(".conflict .evidence")
        .iter()
        .any(|e| e.contains("表妹")));
}

async fn experts_never_show_to_applicants_or_employers(app: TestApp) {
    demo(&app);
    let cases: Vec<(String, ApplicationId, String)> = app.with_conn(|c| {
        ["罗静", "严伟", "姚丹", "钱坤"]
            .into_iter()
            .map(|n| {
                let id = of(c, n);
                let login: String = applications::table
                    .inner_join(accounts::table.on(accounts::id.eq(applications::applicant_id)))
                    .filter(applications::id.eq(id.0))
                    .select(accounts::login_name)
                    .first(c)
                    .unwrap();
                let snap: String = application_frozen::table
                    .find(id.0)
                    .select(application_frozen::snapshot)
                    .first(c)
                    .unwrap();
                (login, id, snap)
            })
            .collect()
    });
    let names: Vec<String> = app.with_conn(|c| {
        let round = round_of(c, cases[0].1);
        panel(c, &round).into_iter().map(|m| m.2).collect()
    });
    let employer = app.share();
    employer.login("demo-employer", DEMO_PASSWORD).await;
    let mut checked = 0;
    for (login, id, snapshot) in &cases {
        // A name the applicant typed themself (a witness) may show on their own pages.
        let hidden: Vec<&String> = names
            .iter()
            .filter(|n| !snapshot.contains(n.as_str()))
            .collect();
        let applicant = app.share();
        applicant.login(login, DEMO_PASSWORD).await;
        let pages = [
            (&applicant, "/applicant".to_string()),
            (&applicant, format!("/applicant/applications/{id}")),
            (&applicant, format!("/applications/{id}")),
            (&employer, "/employer".to_string()),
            (&employer, "/employer?tab=recommended".to_string()),
            (&employer, format!("/employer/applications/{id}")),
            (&employer, format!("/applications/{id}")),
        ];
        for (who, path) in pages {
            let res = who.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let body = res.text().await.unwrap();
            for n in &hidden {
                assert!(!body.contains(n.as_str()), "{path} shows the expert {n}");
            }
            assert!(
                !body.contains("回避") && !body.contains("利益冲突"),
                "{path} speaks of conflicts"
            );
            checked += 1;
        }
        // The experts' and the office's pages are not theirs.
        for (who, path) in [
            (&applicant, format!("/office/applications/{id}/experts")),
            (&applicant, format!("/expert/cases/{id}")),
            (&employer, format!("/office/applications/{id}/experts")),
            (&employer, format!("/expert/cases/{id}")),
        ] {
            let status = who.get(&path).await.status();
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
                "{path}: {status}"
            );
        }
    }
    assert_eq!(checked, 28);
}

async fn other_committees_are_told_the_case_does_not_exist(app: TestApp) {
    demo(&app);
    let (case, round, committee, v, entry) = app.with_conn(|c| {
        let case = of(c, "罗静");
        let round = round_of(c, case);
        let v = assignments::find_case(c, case).unwrap().unwrap().version;
        let entry = panel(c, &round)[0].0 .0;
        (case, round.id, round.committee.unwrap(), v, entry)
    });
    // Logging in is audited; what the round's log holds must not change.
    let round_log = |c: &mut DbConnection| {
        store::audit::for_subject(c, &guantong::domain::Subject::Round(round))
            .unwrap()
            .len()
    };
    let audit_before = app.with_conn(round_log);
    for login in ["demo-office-senior", "demo-office-expired"] {
        let other = app.share();
        other.login(login, DEMO_PASSWORD).await;
        let url = format!("/office/applications/{case}/experts");
        assert_eq!(
            other.get(&url).await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
        let token = other.page("/account").await.csrf();
        for (path, fields) in [
            (url.clone(), vec![("entry", entry.to_string())]),
            (format!("{url}/remove"), vec![("entry", entry.to_string())]),
            (
                format!("/office/applications/{case}/conflicts"),
                vec![
                    ("declare_entry", entry.to_string()),
                    ("kind", "relative".into()),
                ],
            ),
            (
                format!("/committees/{committee}/rounds/{round}/assign"),
                vec![],
            ),
            (
                format!("/committees/{committee}/rounds/{round}/conflicts"),
                vec![],
            ),
        ] {
            let mut all = vec![("csrf_token", token.clone()), ("version", v.to_string())];
            all.extend(fields);
            let all: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                other.post_raw(&path, &all).await.status(),
                StatusCode::NOT_FOUND,
                "{login} {path}"
            );
        }
        assert_eq!(
            other
                .get(&format!(
                    "/committees/{committee}/rounds/{round}/assignment"
                ))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
    }
    // An expert of another committee's pool, and one of this pool not on the case.
    for login in ["demo-pool-26", "demo-expert3"] {
        let expert = app.share();
        expert.login(login, DEMO_PASSWORD).await;
        assert_eq!(
            expert.get(&format!("/expert/cases/{case}")).await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
        assert_eq!(
            expert.get(&format!("/applications/{case}")).await.status(),
            StatusCode::NOT_FOUND
        );
        let home = expert.page("/expert").await;
        assert!(
            home.select(".expert-cases").is_empty(),
            "{login} has no cases"
        );
    }
    assert_eq!(app.with_conn(round_log), audit_before);
    app.with_conn(|c| assert_eq!(active(c, case).len(), 3));
}

async fn the_office_pages_keep_bad_input_and_change_nothing(app: TestApp) {
    demo(&app);
    let (case, v, entry) = app.with_conn(|c| {
        let case = of(c, "罗静");
        let round = round_of(c, case);
        let v = assignments::find_case(c, case).unwrap().unwrap().version;
        (case, v, panel(c, &round)[0].0 .0)
    });
    let office = app.share();
    office.login("demo-office", DEMO_PASSWORD).await;
    let url = format!("/office/applications/{case}/experts");
    let before = app.with_conn(|c| store::audit::before(c, None, 1_000_000).unwrap().len());
    // 其他 without a note.
    let res = office
        .submit(
            &url,
            &format!("/office/applications/{case}/conflicts"),
            &[
                ("version", &v.to_string()),
                ("declare_entry", &entry.to_string()),
                ("kind", "other"),
                ("note", "  "),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&["note"]);
    assert_eq!(
        page.attr("#declare_entry option[selected]", "value"),
        Some(entry.to_string())
    );
    // No member chosen, and no kind.
    let res = office
        .submit(
            &url,
            &format!("/office/applications/{case}/conflicts"),
            &[("version", &v.to_string()), ("note", "同村")],
        )
        .await;
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&["kind", "declare_entry"]);
    assert!(page.text("#note").contains("同村"));
    // Two clerks declaring from one page: the second is told the case changed, its text kept.
    let declare = format!("/office/applications/{case}/conflicts");
    let typed = |kind: &'static str| {
        vec![
            ("version", v.to_string()),
            ("declare_entry", entry.to_string()),
            ("kind", kind.to_string()),
            ("note", "同村，自幼相识".to_string()),
        ]
    };
    let first = typed("relative");
    let first: Vec<(&str, &str)> = first.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        office.submit(&url, &declare, &first).await.status(),
        StatusCode::SEE_OTHER
    );
    let second = typed("other");
    let second: Vec<(&str, &str)> = second.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let res = office.submit(&url, &declare, &second).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = crate::helpers::read_page(res).await;
    assert!(page.text("#note").contains("自幼相识"));
    // What the office declared, it may withdraw (with a reason) from the page.
    assert_eq!(page.select("form.withdraw").len(), 1);
    page.assert_errors_linked(&[]);
    let before = before + 1;
    // A possible tie dismissed without a reason: beside its own form.
    let possible = app.with_conn(|c| {
        let case = of(c, "严伟");
        let round = round_of(c, case);
        let m = panel(c, &round)
            .into_iter()
            .find(|m| !active(c, case).contains(&m.0 .0))
            .unwrap();
        edit_snapshot(c, case, |s| {
            s.sections
                .achievements
                .as_mut()
                .unwrap()
                .items
                .push(Achievement {
                    id: "x".into(),
                    kind: "操作法".into(),
                    title: "合作成果".into(),
                    date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                    role: "参与".into(),
                    description: String::new(),
                    evidence: vec![],
                    co_holders: vec![CoHolder {
                        name: m.2.clone(),
                        employer: String::new(),
                    }],
                })
        });
        let office = actor(c, "demo-office");
        assign::detect_round(c, &office, round.committee.unwrap(), round.id, now(&app)).unwrap();
        let k = assignments::conflicts_of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|k| k.kind == "co_holder")
            .unwrap();
        (case, k)
    });
    let (case2, k) = possible;
    let url2 = format!("/office/applications/{case2}/experts");
    let before = before + 1;
    let res = office
        .submit(
            &url2,
            &format!("/office/applications/{case2}/conflicts/decide"),
            &[
                ("version", "1"),
                ("conflict", &k.id.to_string()),
                ("conflict_version", &k.version.to_string()),
                ("decision", "dismiss"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&[&format!("reason-{}", k.id)]);
    assert!(page
        .attr(&format!("#decision-{}-dismiss", k.id), "checked")
        .is_some());
    app.with_conn(|c| {
        assert_eq!(
            store::audit::before(c, None, 1_000_000).unwrap().len(),
            before
        );
        let k2 = assignments::find_conflict(c, k.id).unwrap().unwrap();
        assert_eq!(k2.status, "possible");
    });
    // Dismissed with its reason, once; the same form again is stale.
    let fields = [
        ("version", "1"),
        ("conflict", &k.id.to_string() as &str),
        ("conflict_version", &k.version.to_string() as &str),
        ("decision", "dismiss"),
        ("reason", "经核实为同名的另一人"),
    ];
    let fields: Vec<(&str, String)> = fields.iter().map(|(a, b)| (*a, b.to_string())).collect();
    let f: Vec<(&str, &str)> = fields.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let decide = format!("/office/applications/{case2}/conflicts/decide");
    assert_eq!(
        office.submit(&url2, &decide, &f).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = office.submit(&url2, &decide, &f).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = crate::helpers::read_page(res).await;
    assert!(page.text("#refused").contains("已由其他经办人核实"));
    assert!(
        page.text("#lost").contains("经核实为同名的另一人"),
        "the reason to copy"
    );
    app.with_conn(|c| {
        let k2 = assignments::find_conflict(c, k.id).unwrap().unwrap();
        assert_eq!(k2.status, "dismissed");
        assert_eq!(k2.reason, "经核实为同名的另一人");
    });
    // The round's page names each case below the minimum with why.
    // The minimum raised on the round's page, as its office does (the pages read settings
    // from the server's cache, which the page's own save refreshes).
    let (round_page, seen) = app.with_conn(|c| {
        let r = round_of(c, case);
        let seen = guantong::service::settings::load(c)
            .unwrap()
            .fingerprint(Scope::Round(r.id));
        (
            format!("/committees/{}/rounds/{}", r.committee.unwrap(), r.id),
            seen,
        )
    });
    let res = office
        .submit(
            &round_page,
            &format!("{round_page}/settings"),
            &[
                ("settings_seen", &seen),
                ("min_experts_per_application", "9"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let round_url = format!("{round_page}/assignment");
    let page = office.page(&round_url).await;
    assert!(page.select(".uncovered").len() >= 4);
    assert!(page.text(".uncovered .why").contains("需要 9 名评审专家"));
    let res = office
        .submit(
            &round_url,
            &round_url.replace("/assignment", "/assign"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = office.page(&format!("{round_url}?done=1")).await;
    assert!(
        page.text("#done").contains("仍有"),
        "{}",
        page.text("#done")
    );
}

async fn two_offices_assigning_at_once_assign_once(app: TestApp) {
    let now = demo(&app);
    let (round, committee) = app.with_conn(|c| {
        let case = of(c, "罗静");
        let r = round_of(c, case);
        set_minimum(c, r.id, 5, now);
        (r.id, r.committee.unwrap())
    });
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut c = pool.get().unwrap();
                let office = actor(&mut c, "demo-office");
                barrier.wait();
                assign::auto_assign(&mut c, &office, committee, round, now)
                    .unwrap()
                    .added
            })
        })
        .collect();
    let added: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(
        added.contains(&0),
        "the second found nothing to do: {added:?}"
    );
    app.with_conn(|c| {
        for k in assignments::cases_of_round(c, round).unwrap() {
            let n = active(c, ApplicationId(k.application_id)).len();
            assert_eq!(n as i32, k.assigned, "the count matches the rows");
            assert!(n <= 5, "never above the minimum by a race: {n}");
        }
    });
}

async fn the_applicant_gives_codes_witnesses_and_co_holders(app: TestApp) {
    let now = on(&app, "2026-09-14");
    let id = app.with_conn(|c| {
        guantong::demo::load_all(c, now).unwrap();
        let round = crate::fixtures::open_round(c, "冲突信息测试批次", now);
        crate::fixtures::complete_draft(c, round, now).1
    });
    let me = app.share();
    let login: String = app.with_conn(|c| {
        applications::table
            .inner_join(accounts::table.on(accounts::id.eq(applications::applicant_id)))
            .filter(applications::id.eq(id.0))
            .select(accounts::login_name)
            .first(c)
            .unwrap()
    });
    me.login(&login, DEMO_PASSWORD).await;
    let url = format!("/applicant/applications/{id}/work");
    let page = me.page(&url).await;
    assert!(
        page.text(".witness").contains("未填写"),
        "an old period reads as not given"
    );
    let version = page.input_value("version").unwrap();
    let fields = |code: &'static str, phone: &'static str| {
        vec![
            ("version", version.clone()),
            ("from", "2001-07-01".to_string()),
            ("to", "2003-06-30".to_string()),
            ("employer", "上海某机械厂".to_string()),
            ("occupation", "焊工".to_string()),
            ("post", "焊工".to_string()),
            ("employer_code", code.to_string()),
            ("witness_name", "张建国".to_string()),
            ("witness_phone", phone.to_string()),
        ]
    };
    let bad = fields("12345", "abc");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let res = me.submit(&url, &url, &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    page.assert_errors_linked(&["employer_code", "witness_phone"]);
    assert_eq!(page.input_value("witness_name").as_deref(), Some("张建国"));
    let good = fields("91310000132149237g", "021-6234 5678");
    let good: Vec<(&str, &str)> = good.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        me.submit(&url, &url, &good).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = me.page(&url).await;
    assert!(page.text(".witness").contains("张建国（021-62345678）"));
    assert!(page.text(".credit-code").contains("91310000132149237G"));
    let sections = app.with_conn(|c| {
        guantong::service::draft::read_draft(c, id)
            .unwrap()
            .sections
    });
    let p = sections
        .work
        .unwrap()
        .items
        .into_iter()
        .find(|p| p.employer == "上海某机械厂")
        .unwrap();
    assert_eq!(p.employer_code, "91310000132149237G");
    // Co-holders, one per line; a name too long is refused naming its line.
    let parsed = guantong::application::parse_co_holders("王强，上海某厂\n\n李四\n").unwrap();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[1].employer, "");
    let long = format!("赵{}", "长".repeat(60));
    let e = guantong::application::parse_co_holders(&format!("王强\n{long}")).unwrap_err();
    assert!(e.contains("第 2 行"), "{e}");
}

async fn leaving_the_pool_ends_cases_and_a_dismissed_tie_puts_the_member_back(app: TestApp) {
    let now = demo(&app);
    app.with_conn(|c| {
        let office = actor(c, "demo-office");
        let committee = office.committee.unwrap();
        let case = of(c, "罗静");
        let round = round_of(c, case);
        let members = panel(c, &round);
        let version =
            |c: &mut DbConnection| assignments::find_case(c, case).unwrap().unwrap().version;
        // A member reviewing the case is found, by name alone, to have trained the applicant:
        // taken off at once, and put back when the office dismisses the tie.
        let on_it = active(c, case)[0];
        diesel::update(pool_entries::table.find(on_it))
            .set(pool_entries::apprentices.eq(r#"["罗静"]"#))
            .execute(c)
            .unwrap();
        assign::detect_round(c, &office, committee, round.id, now).unwrap();
        assert!(
            !active(c, case).contains(&on_it),
            "kept off while the tie is undecided"
        );
        let k = assignments::conflicts_of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|k| k.entry_id == on_it)
            .unwrap();
        assert_eq!(k.status, "possible");
        let before = assignments::find_case(c, case).unwrap().unwrap().assigned;
        assign::decide(
            c,
            &office,
            case,
            &k.id.to_string(),
            &k.version.to_string(),
            false,
            "同名不同人",
            now,
        )
        .unwrap();
        assert!(active(c, case).contains(&on_it), "back on the case");
        assert_eq!(
            assignments::find_case(c, case).unwrap().unwrap().assigned,
            before + 1
        );
        // A tie the office declared by mistake is withdrawn with a reason: the member is back. A
        // member's own declaration cannot be withdrawn by the office.
        let picked = active(c, case)[1];
        let d = assign::declaration("relative", "").unwrap();
        let v = version(c);
        assign::declare_by_office(c, &office, case, v, &picked.to_string(), &d, now).unwrap();
        assert!(!active(c, case).contains(&picked));
        let k = assignments::conflicts_of_case(c, case)
            .unwrap()
            .into_iter()
            .find(|k| k.entry_id == picked && k.kind == "relative")
            .unwrap();
        assert!(assign::withdrawable(&k));
        let no_reason = assign::decide(
            c,
            &office,
            case,
            &k.id.to_string(),
            &k.version.to_string(),
            false,
            " ",
            now,
        );
        assert!(matches!(no_reason, Err(ActionError::Invalid(_))));
        assign::decide(
            c,
            &office,
            case,
            &k.id.to_string(),
            &k.version.to_string(),
            false,
            "选错了委员",
            now,
        )
        .unwrap();
        assert!(active(c, case).contains(&picked), "back on the case");
        // A tie a hand assignment finds stays on record although the assignment is refused.
        let free = members
            .iter()
            .map(|m| m.0 .0)
            .find(|e| {
                !active(c, case).contains(e)
                    && !assignments::conflicts_of_case(c, case)
                        .unwrap()
                        .iter()
                        .any(|k| k.entry_id == *e)
            })
            .unwrap();
        let name: String = edit_name(c, free);
        edit_snapshot(c, case, |s| {
            s.sections
                .achievements
                .as_mut()
                .unwrap()
                .apprentices
                .push(Apprentice {
                    id: "t".into(),
                    name,
                    period: "2016年".into(),
                    outcome: String::new(),
                })
        });
        let v = version(c);
        assert!(matches!(
            assign::assign(c, &office, case, v, &free.to_string(), now),
            Err(ActionError::Invalid(_))
        ));
        assert!(assignments::conflicts_of_case(c, case)
            .unwrap()
            .iter()
            .any(|k| k.entry_id == free && k.kind == "member_apprentice"));
        // A member leaving the pool leaves every case they review; nothing new is given them.
        let leaving = active(c, case)[0];
        let entry = store::pool::find(c, PoolEntryId(leaving)).unwrap().unwrap();
        guantong::service::pool::set_removed(
            c,
            &office,
            committee,
            PoolEntryId(leaving),
            entry.version,
            Some("违反评审纪律"),
            now,
        )
        .unwrap();
        assert!(!active(c, case).contains(&leaving));
        assert!(assignments::of_round(c, round.id)
            .unwrap()
            .iter()
            .all(|a| a.1 != leaving || !a.2));
        let v = version(c);
        match assign::assign(c, &office, case, v, &leaving.to_string(), now) {
            Err(ActionError::Invalid(e)) => assert!(e.get("entry").unwrap().contains("已出库")),
            other => panic!("{other:?}"),
        }
        assign::auto_assign(c, &office, committee, round.id, now).unwrap();
        assert!(!active(c, case).contains(&leaving));
        assert_eq!(active(c, case).len(), 3, "another member took the place");
    });
}

/// The name of a pool entry's expert.
fn edit_name(c: &mut DbConnection, entry: i64) -> String {
    store::pool::find(c, PoolEntryId(entry))
        .unwrap()
        .unwrap()
        .name
}
