//! What the third security review found, each as a test that fails without its fix.

use crate::fixtures::{actor, now};
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::service::passwords;
use reqwest::StatusCode;

crate::tests!(
    both: [wrong_current_passwords_in_parallel_meet_the_same_pause],
    per_backend: [the_applicant_sees_no_objection_the_employer_handles],
    both: [control_characters_in_requests_are_refused_and_change_nothing, invisible_and_direction_characters_are_refused_beside_their_field],
    both: [a_full_list_takes_no_more_items],
    per_backend: [a_stale_removal_says_it_already_changed],
    both: [batches_over_the_same_applications_at_once_never_deadlock],
);

/// Wrong current passwords sent in parallel to the password change cannot get past its pause:
/// each attempt is counted before its password is checked, so of twelve at once no more than
/// five are checked (the fifth starts the pause), and the right one sent after them is paused.
async fn wrong_current_passwords_in_parallel_meet_the_same_pause(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let who = app.with_conn(|c| actor(c, "demo-expert2"));
    let rule = guantong::service::throttle::Rule {
        limit: 5.0,
        half_life: chrono::Duration::minutes(30),
        block: chrono::Duration::minutes(15),
    };
    let new = || passwords::new_password("fresh-pass-2027", "fresh-pass-2027").unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(12));
    let threads: Vec<_> = (0..12)
        .map(|_| {
            let (pool, barrier, new) = (app.pool.clone(), barrier.clone(), new());
            std::thread::spawn(move || {
                barrier.wait();
                passwords::change(&pool, &who, "wrong-pass-1", &new, "", rule, now).unwrap()
            })
        })
        .collect();
    let messages: Vec<String> = threads
        .into_iter()
        .map(|t| t.join().unwrap().expect_err("a wrong password").message)
        .collect();
    let checked = messages.iter().filter(|m| *m == "当前密码不正确").count();
    assert!(checked <= 5, "{checked} checked: {messages:?}");
    assert_eq!(
        messages.len() - checked,
        messages
            .iter()
            .filter(|m| *m == passwords::TOO_MANY)
            .count()
    );
    let right = passwords::change(&app.pool, &who, DEMO_PASSWORD, &new(), "", rule, now).unwrap();
    assert_eq!(
        right.expect_err("paused").message,
        passwords::TOO_MANY,
        "the right password during the pause"
    );
}

/// An objection to the publicity and its dismissal are the employer's record: the employer's page
/// lists the objection, the applicant's timeline shows the publicity and nothing of it.
async fn the_applicant_sees_no_objection_the_employer_handles(backend: crate::helpers::Backend) {
    let Some((app, _)) = crate::demo::demo_app(backend, "2026-06-15").await else {
        return;
    };
    // 王五 is in publicity with an objection; the clerk dismisses it.
    app.login("demo-employer", DEMO_PASSWORD).await;
    let found = app.page("/employer?q=%E7%8E%8B%E4%BA%94").await; // 王五
    let path = found
        .attr("tr.application a", "href")
        .expect("王五's application on the list");
    let page = app.page(&path).await;
    let res = app
        .submit(
            &path,
            &format!("{path}/objections/resolve"),
            &[
                ("version", &page.input_value("version").unwrap()),
                ("objection", &page.input_value("objection").unwrap()),
                ("decision", "dismissed"),
                ("text", "经核对考核档案，异议不成立"),
            ],
        )
        .await;
    crate::helpers::assert_redirect_to(&res, &format!("{path}?done=resolve"));
    let employers = app.page(&path).await;
    assert_eq!(employers.select("tr.objection").len(), 1);
    assert!(employers.text("tr.objection").contains("未参加"));
    app.logout().await;

    app.login("13900000011", DEMO_PASSWORD).await;
    let id = path.rsplit('/').next().unwrap();
    let task_list = app.page(&format!("/applicant/applications/{id}")).await;
    assert_eq!(task_list.status, StatusCode::OK);
    let labels = task_list.select(".timeline .step-label");
    assert!(labels.iter().any(|l| l == "单位内部公示"), "{labels:?}");
    let steps = task_list.select(".timeline .step");
    for step in &steps {
        assert!(
            !step.contains("异议") && !step.contains("未参加") && !step.contains("考核档案"),
            "the applicant sees {step:?}"
        );
    }
}

/// What a refused request must leave as it was: the audit log, the throttles and the draft.
fn stored(app: &TestApp, id: guantong::domain::ApplicationId) -> (i64, i64, i64) {
    use diesel::prelude::*;
    use guantong::store::schema::{audit_log, throttles};
    app.with_conn(|c| {
        let audit: i64 = match c {
            guantong::store::DbConnection::Sqlite(c) => audit_log::table.count().get_result(c),
            guantong::store::DbConnection::Pg(c) => audit_log::table.count().get_result(c),
        }
        .unwrap();
        let throttled: i64 = match c {
            guantong::store::DbConnection::Sqlite(c) => throttles::table.count().get_result(c),
            guantong::store::DbConnection::Pg(c) => throttles::table.count().get_result(c),
        }
        .unwrap();
        let draft = guantong::service::draft::read_draft(c, id)
            .unwrap()
            .fingerprint();
        (audit, throttled, draft)
    })
}

/// A NUL (which PostgreSQL refuses in text) or another control character anywhere in a request
/// (a form's field, a multipart field or file name, a query, a path segment) is a 400 on both
/// databases, never a 500, and nothing is stored or counted.
async fn control_characters_in_requests_are_refused_and_change_nothing(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let id = app.with_conn(|c| {
        let round = crate::fixtures::open_round(c, "第一批", now);
        crate::fixtures::complete_draft(c, round, now).1
    });
    let before = stored(&app, id);
    let res = app.login("demo\0applicant", "wrong-pass-1").await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "a NUL in a login name"
    );
    assert_eq!(stored(&app, id), before, "a login with a NUL was counted");
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let before = stored(&app, id);
    let basic = format!("/applicant/applications/{id}/basic");
    let version = app.page(&basic).await.input_value("version").unwrap();
    for address in ["上海市\0浦东", "\0"] {
        let res = app
            .submit(
                &basic,
                &basic,
                &[
                    ("version", &version),
                    ("action", "later"),
                    ("address", address),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{address:?}");
    }
    let certificates = format!("/applicant/applications/{id}/certificates");
    let pdf = || reqwest::multipart::Part::bytes(crate::applications::PDF.to_vec());
    for (number, file_name) in [("N\0-2", "证书.pdf"), ("N-2", "证\0书.pdf")] {
        let form = crate::helpers::Fields::new()
            .text("version", version.clone())
            .text("occupation", "焊工")
            .text("level", "高级工")
            .text("number", number)
            .text("issuer", "鉴定中心")
            .text("obtained_on", "2015-06-30")
            .part(
                "scan",
                pdf()
                    .file_name(file_name)
                    .mime_str("application/pdf")
                    .unwrap(),
            );
        let res = app
            .submit_multipart(&certificates, &certificates, form)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::BAD_REQUEST,
            "{number:?} {file_name:?}"
        );
    }
    for path in [
        "/applicant?q=%00".to_string(),
        format!("/applicant/applications/{id}/basic?x=%01"),
        "/reset/abc%00def".to_string(),
        "/evidence/%00".to_string(),
    ] {
        let res = app.get(&path).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let res = app
        .submit(
            &basic,
            &format!("/applicant/applications/{id}/work%00/remove"),
            &[("version", &version), ("item", "x")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "a NUL in a path segment"
    );
    assert_eq!(
        stored(&app, id),
        before,
        "a request with a NUL changed something"
    );
    app.logout().await;
    app.login("demo-employer", DEMO_PASSWORD).await;
    for q in ["%00", "%E7%8E%8B%00", "a%1Fb"] {
        let res = app.get(&format!("/employer?q={q}")).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "a search for {q}");
    }
}

/// Text fields share one check: what holds nothing visible (zero-width characters, spaces) is
/// missing, a direction control and a control character are refused beside the field, in
/// words; nothing is saved. Line breaks in a text area are kept.
async fn invisible_and_direction_characters_are_refused_beside_their_field(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let id = app.with_conn(|c| {
        let round = crate::fixtures::open_round(c, "第一批", now);
        crate::fixtures::complete_draft(c, round, now).1
    });
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let before = stored(&app, id);
    let work = format!("/applicant/applications/{id}/work");
    let version = app.page(&work).await.input_value("version").unwrap();
    let page = crate::helpers::read_page(
        app.submit(
            &work,
            &work,
            &[
                ("version", &version),
                ("from", "2005-07-01"),
                ("to", "2009-12-31"),
                ("employer", "\u{200B}\u{FEFF} \u{2060}"),
                ("occupation", "焊工"),
                ("post", "焊工\u{202E}长班"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["employer", "post"]);
    assert_eq!(
        page.field_error("employer").as_deref(),
        Some("请填写工作单位")
    );
    assert!(page
        .field_error("post")
        .unwrap()
        .contains("文字方向控制字符"));

    let basic = format!("/applicant/applications/{id}/basic");
    let version = app.page(&basic).await.input_value("version").unwrap();
    let page = crate::helpers::read_page(
        app.submit(
            &basic,
            &basic,
            &[
                ("version", &version),
                ("action", "later"),
                ("address", "上海市\u{1B}浦东新区"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("address").unwrap().contains("控制字符"));

    let achievements = format!("/applicant/applications/{id}/achievements");
    let version = app
        .page(&achievements)
        .await
        .input_value("version")
        .unwrap();
    let page = crate::helpers::read_page(
        app.submit(
            &achievements,
            &format!("{achievements}/summary"),
            &[("version", &version), ("summary", "\u{200C}\u{200D}\r\n ")],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.field_error("summary").as_deref(),
        Some("请填写工作业绩总结")
    );
    assert_eq!(stored(&app, id), before, "a refused field was saved");
    let res = app
        .submit(
            &achievements,
            &format!("{achievements}/summary"),
            &[("version", &version), ("summary", "第一段\r\n第二段")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "line breaks are text");
}

/// Adds `n` items to a list of the draft through the service, as saved one by one.
fn fill(
    app: &TestApp,
    who: &guantong::access::Actor,
    id: guantong::domain::ApplicationId,
    n: usize,
    item: impl Fn(usize) -> guantong::application::Edit,
) {
    use guantong::service::draft::{self, EvidenceLimits, SaveSection};
    let now = now(app);
    app.with_conn(|c| {
        for i in 0..n {
            let edit = item(i);
            let cmd = SaveSection {
                id,
                seen_version: draft::read_draft(c, id).unwrap().version(edit.section()),
                edit,
                files: vec![],
            };
            draft::save(c, who, cmd, EvidenceLimits::NONE, now).unwrap();
        }
    });
}

/// A list of an application holds at most `MAX_LIST_ITEMS`: the page says so beside the form
/// that adds one and stores nothing, and the service refuses a 51st however it is asked.
async fn a_full_list_takes_no_more_items(app: TestApp) {
    use guantong::application::{Apprentice, Edit, List, Period};
    use guantong::domain::limits::MAX_LIST_ITEMS;
    app.load_demo();
    let now = now(&app);
    let (me, id) = app.with_conn(|c| {
        let round = crate::fixtures::open_round(c, "第一批", now);
        crate::fixtures::complete_draft(c, round, now)
    });
    let day = |i: usize| {
        chrono::NaiveDate::from_ymd_opt(2011, 1, 1).unwrap() + chrono::Duration::days(i as i64)
    };
    let period = move |i: usize| {
        Edit::AddPeriod(Period {
            id: String::new(),
            from: day(2 * i),
            to: Some(day(2 * i + 1)),
            employer: "上海贯通机械制造有限公司".into(),
            occupation: "焊工".into(),
            post: format!("焊工{i}"),
            employer_code: String::new(),
            witness_name: String::new(),
            witness_phone: String::new(),
        })
    };
    // The complete draft holds one period already.
    fill(&app, &me, id, MAX_LIST_ITEMS - 1, period);
    let apprentice = |i: usize| {
        Edit::AddApprentice(Apprentice {
            id: String::new(),
            name: format!("徒弟{i}"),
            period: "2020年".into(),
            outcome: "取得高级工证书".into(),
        })
    };
    fill(&app, &me, id, MAX_LIST_ITEMS, apprentice);
    let sections = || {
        app.with_conn(|c| {
            guantong::service::draft::read_draft(c, id)
                .unwrap()
                .sections
        })
    };
    assert_eq!(List::Work.len(&sections()), MAX_LIST_ITEMS);

    app.login("demo-applicant", DEMO_PASSWORD).await;
    let before = stored(&app, id);
    let work = format!("/applicant/applications/{id}/work");
    let version = app.page(&work).await.input_value("version").unwrap();
    let page = crate::helpers::read_page(
        app.submit(
            &work,
            &work,
            &[
                ("version", &version),
                ("from", "2024-01-01"),
                ("to", ""),
                ("employer", "上海贯通机械制造有限公司"),
                ("occupation", "焊工"),
                ("post", "焊接工艺员"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["from"]);
    assert!(
        page.field_error("from")
            .unwrap()
            .contains("工作经历最多填写50项"),
        "{:?}",
        page.field_error("from")
    );
    let achievements = format!("/applicant/applications/{id}/achievements");
    let version = app
        .page(&achievements)
        .await
        .input_value("version")
        .unwrap();
    let page = crate::helpers::read_page(
        app.submit(
            &achievements,
            &format!("{achievements}/apprentices"),
            &[
                ("version", &version),
                ("apprentice_name", "小李"),
                ("apprentice_period", "2025年"),
                ("apprentice_outcome", "取得中级工证书"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .field_error("apprentice_name")
        .unwrap()
        .contains("带徒情况最多填写50项"));
    assert_eq!(stored(&app, id), before, "an item past the cap was stored");
    assert_eq!(List::Work.len(&sections()), MAX_LIST_ITEMS);
    assert_eq!(List::Apprentices.len(&sections()), MAX_LIST_ITEMS);

    // However the service is asked, the 51st is refused.
    let refused = app.with_conn(|c| {
        use guantong::service::draft::{self, EvidenceLimits, SaveSection};
        let cmd = SaveSection {
            id,
            seen_version: draft::read_draft(c, id)
                .unwrap()
                .version(guantong::application::Section::Work),
            edit: period(99),
            files: vec![],
        };
        draft::save(c, &me, cmd, EvidenceLimits::NONE, now).unwrap_err()
    });
    assert!(refused.to_string().contains("最多填写50项"), "{refused}");
}

/// Removing what another window (or person) removed or changed first says so plainly and
/// changes nothing: a clerk switched off twice, a clerk's password reset after the switch-off,
/// an objection resolved twice.
async fn a_stale_removal_says_it_already_changed(backend: crate::helpers::Backend) {
    let Some((app, _)) = crate::demo::demo_app(backend, "2026-06-15").await else {
        return;
    };
    app.login("demo-employer", DEMO_PASSWORD).await;
    let clerk = app.with_conn(|c| actor(c, "demo-clerk").id);
    let audit_rows = |app: &TestApp| {
        app.with_conn(|c| {
            guantong::store::audit::for_subject(c, &guantong::domain::Subject::Account(clerk))
                .unwrap()
                .len()
        })
    };
    // Two windows show the clerk switched on.
    let first = app.page("/employer/staff").await.csrf();
    let second = app.page("/employer/staff").await.csrf();
    let disable = format!("/employer/staff/{}/disable", clerk.0);
    let res = app
        .post_raw(&disable, &[("csrf_token", &first), ("confirm", "yes")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let rows = audit_rows(&app);
    let page = crate::helpers::read_page(
        app.post_raw(&disable, &[("csrf_token", &second), ("confirm", "yes")])
            .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.text("#refused").contains("该经办人已经停用"),
        "{}",
        page.text("#refused")
    );
    assert!(page.text(".clerk-state").contains("已停用"));
    let reset = format!("/employer/staff/{}/reset", clerk.0);
    let page =
        crate::helpers::read_page(app.post_raw(&reset, &[("csrf_token", &second)]).await).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text("#refused").contains("该经办人已经停用"));
    assert_eq!(audit_rows(&app), rows, "a stale removal was recorded");

    // 王五's objection, resolved in one window and then in another.
    let found = app.page("/employer?q=%E7%8E%8B%E4%BA%94").await;
    let path = found.attr("tr.application a", "href").unwrap();
    let shown = app.page(&path).await;
    let fields = |text: &'static str| {
        vec![
            ("csrf_token", shown.csrf()),
            ("version", shown.input_value("version").unwrap()),
            ("objection", shown.input_value("objection").unwrap()),
            ("decision", "dismissed".to_string()),
            ("text", text.to_string()),
        ]
    };
    let resolve = format!("{path}/objections/resolve");
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, resolve) = (&app, &resolve);
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_raw(resolve, &fields).await
        }
    };
    crate::helpers::assert_redirect_to(
        &post(fields("与档案一致")).await,
        &format!("{path}?done=resolve"),
    );
    let page = crate::helpers::read_page(post(fields("经核实不成立")).await).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text("#refused").contains("刚刚被其他经办人处理过"));
}

/// Two batch publicities naming the same applications in opposite orders, started at once:
/// the applications are taken in ascending id order whatever the form's order, so one batch
/// goes through and the other is told the applications changed; neither meets a deadlock
/// (PostgreSQL would end one of them with an error).
async fn batches_over_the_same_applications_at_once_never_deadlock(app: TestApp) {
    use guantong::service::employer_stage::{self as stage, Publicity};
    use guantong::service::ActionError;
    app.load_demo();
    let local = chrono::NaiveDate::from_ymd_opt(2026, 9, 14)
        .unwrap()
        .and_hms_opt(2, 0, 0)
        .unwrap();
    app.clock.set(local.and_utc());
    let now = now(&app);
    let version = |c: &mut guantong::store::DbConnection, id| {
        guantong::store::applications::find(c, id)
            .unwrap()
            .unwrap()
            .version
    };
    for round in 0..4 {
        let (employer, a, b) = app.with_conn(|c| {
            let round = crate::fixtures::open_round(c, &format!("第{round}批"), now);
            let (_, a) = crate::fixtures::submitted(c, round, now);
            let b = crate::fixtures::second_submitted(c, round, now);
            let employer = actor(c, "demo-employer");
            for id in [a, b] {
                let sections = guantong::service::draft::read_draft(c, id)
                    .unwrap()
                    .sections;
                let v = guantong::application::verification::Verification::confirming(
                    &sections,
                    "情况属实，同意申报",
                );
                let seen = version(c, id);
                stage::verify(c, &employer, id, seen, &v, now).unwrap();
            }
            (employer, a, b)
        });
        let items = app.with_conn(|c| [(a, version(c, a)), (b, version(c, b))]);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let threads: Vec<_> = [items.to_vec(), items.iter().rev().copied().collect()]
            .into_iter()
            .map(|items| {
                let (pool, barrier) = (app.pool.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let plan = Publicity {
                        items,
                        starts_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 14).unwrap(),
                        ends_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 18).unwrap(),
                        contact: "人力资源部 021-12345678".into(),
                    };
                    let mut c = pool.get().unwrap();
                    barrier.wait();
                    stage::start_publicity(&mut c, &employer, &plan, now)
                })
            })
            .collect();
        let outcomes: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let done = outcomes.iter().filter(|o| o.is_ok()).count();
        let stale = outcomes
            .iter()
            .filter(|o| matches!(o, Err(ActionError::Stale)))
            .count();
        assert_eq!((done, stale), (1, 1), "round {round}: {outcomes:?}");
    }
}
