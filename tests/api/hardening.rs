//! What the second outside security review found, each as a test that fails without its fix.

use crate::fixtures::{actor, now};
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::service::{passwords, staff, ActionError};
use reqwest::StatusCode;

crate::tests!(
    both: [a_disabled_employers_clerks_stop_with_it, anonymous_claims_are_bounded_paged_and_rejected_in_bulk],
    per_backend: [an_upload_must_start_with_its_token_and_uploads_in_flight_are_bounded, the_access_log_names_routes_not_tokens_or_searches],
    both: [a_clerks_mobile_is_no_login_and_an_admin_releases_an_old_one, calendar_names_refuse_what_text_fields_refuse, a_password_change_rotates_the_session_id, guesses_in_parallel_meet_the_same_pause, a_panic_inside_a_write_leaves_no_transaction_open],
);

/// An employer switched off takes its clerks with it (sessions ended, no new login) and brings
/// them back when switched on; an employer cannot switch on a clerk an admin switched off.
async fn a_disabled_employers_clerks_stop_with_it(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let (admin, employer) = app.with_conn(|c| (actor(c, "demo-admin"), actor(c, "demo-employer")));
    let (clerk, password) = staff::add(
        &app.pool,
        &employer,
        &staff::NewClerk {
            name: guantong::domain::PersonName::parse("钱七").unwrap(),
            mobile: guantong::domain::MobileNumber::parse("13911112222").unwrap(),
        },
        now,
    )
    .unwrap();
    let login = clerk.login_name.clone();
    assert!(login.ends_with("-01"), "{login}");
    let browser = app.share();
    let res = browser.login(&login, &password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/account/password").await.status(),
        StatusCode::OK
    );
    // The admin switches the employer off: the clerk's session ends at once…
    app.with_conn(|c| passwords::set_active(c, &admin, employer.id, false, now).unwrap());
    let res = browser.get("/account/password").await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the clerk's session goes on"
    );
    // …and a fresh login is refused as switched off.
    let again = app.share();
    let page = crate::helpers::read_page(again.login(&login, &password).await).await;
    assert!(page.html.html().contains("已停用"), "a clerk logs in");
    // Switched on again, the employer brings the clerk back.
    app.with_conn(|c| passwords::set_active(c, &admin, employer.id, true, now).unwrap());
    let back = app.share();
    let res = back.login(&login, &password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A clerk the admin switched off stays off whatever the employer does.
    app.with_conn(|c| {
        passwords::set_active(c, &admin, clerk.id, false, now).unwrap();
        match staff::set_active(c, &employer, clerk.id, true, now) {
            Err(ActionError::Refused(m)) => assert_eq!(m, staff::ADMIN_DISABLED),
            other => panic!("the employer switched on an admin's choice: {other:?}"),
        }
        // Nor does switching it "off" again make the switch-off the employer's, nor may it
        // reset the clerk's password.
        assert!(matches!(
            staff::set_active(c, &employer, clerk.id, false, now),
            Err(ActionError::Refused(_))
        ));
        assert!(matches!(
            staff::set_active(c, &employer, clerk.id, true, now),
            Err(ActionError::Refused(_))
        ));
        // One the employer switched off, it may switch on.
        passwords::set_active(c, &admin, clerk.id, true, now).unwrap();
        staff::set_active(c, &employer, clerk.id, false, now).unwrap();
        staff::set_active(c, &employer, clerk.id, true, now).unwrap();
    });
    let _ = DEMO_PASSWORD;
}

fn claim(
    c: &mut guantong::store::DbConnection,
    name: &str,
    code_body: &str,
    client: &str,
    limits: guantong::service::employers::ClaimLimits,
    now: chrono::NaiveDateTime,
) -> Result<i64, &'static str> {
    use guantong::domain::{CreditCode, MobileNumber, RequiredText};
    let new = guantong::service::accounts::NewEmployer {
        name: RequiredText::parse(name, "", 100).unwrap(),
        credit_code: CreditCode::parse(&guantong::demo::credit_code_with_check(code_body), false)
            .unwrap(),
        contact_name: RequiredText::parse("某人", "", 50).unwrap(),
        contact_phone: MobileNumber::parse("13600000000").unwrap(),
    };
    let licence = guantong::store::evidence::NewEvidence {
        file_name: "营业执照.pdf".into(),
        content_type: "application/pdf",
        bytes: guantong::demo::DEMO_PDF.to_vec(),
    };
    guantong::service::employers::file_claim(c, &new, "hash", &licence, client, limits, now)
        .unwrap()
}

/// Claims are bounded per address and in total; the admin's queue is every pending claim,
/// newest first, counted and paged, so a flood cannot hide a real one; claims are rejected in
/// bulk, all or none.
async fn anonymous_claims_are_bounded_paged_and_rejected_in_bulk(app: TestApp) {
    use guantong::service::employers::{self, ClaimLimits, ADDRESS_FULL, QUEUE_FULL};
    app.load_demo();
    let now = now(&app);
    let limits = ClaimLimits {
        per_address: 3,
        pending_bytes: 1_000_000,
    };
    let real = app.with_conn(|c| {
        let real = claim(c, "真实的公司", "91310000MA1REAL01", "office", limits, now).unwrap();
        for i in 0..45 {
            let code = format!("91310000MA1F{i:05}");
            claim(
                c,
                &format!("灌水{i}"),
                &code,
                &format!("bot{}", i / 3),
                limits,
                now,
            )
            .unwrap();
        }
        // A fourth claim from one address, and a claim that would overflow the total, are refused.
        assert_eq!(
            claim(c, "灌水x", "91310000MA1FXXXX1", "bot0", limits, now),
            Err(ADDRESS_FULL)
        );
        let tight = ClaimLimits {
            per_address: 100,
            pending_bytes: 10,
        };
        assert_eq!(
            claim(c, "灌水y", "91310000MA1FYYYY1", "fresh", tight, now),
            Err(QUEUE_FULL)
        );
        real
    });
    // The admin sees how many wait and reaches the real claim by paging back.
    app.login("demo-admin", DEMO_PASSWORD).await;
    let first = app.page("/admin/employers").await;
    let total: i64 = first.text("#claims-total").parse().unwrap();
    assert_eq!(total, 46, "45 floods and the real one");
    assert_eq!(first.select("input[name=ids]").len(), 20);
    let mut path = "/admin/employers".to_string();
    let mut found = false;
    for _ in 0..5 {
        let page = app.page(&path).await;
        if page.html.html().contains(&format!("id=\"claim-{real}\"")) {
            found = true;
            break;
        }
        let Some(older) = page.attr("#older", "href") else {
            break;
        };
        path = older;
    }
    assert!(found, "the real claim is out of reach");
    // Bulk rejection: all ticked ones, or none when one was decided meanwhile.
    let ids: Vec<i64> = first
        .select_html("input[name=ids]")
        .iter()
        .take(3)
        .map(|h| {
            let v = h.split("value=\"").nth(1).unwrap();
            v[..v.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    let admin = app.with_conn(|c| actor(c, "demo-admin"));
    app.with_conn(|c| employers::reject(c, &admin, ids[0], "重复提交", now).unwrap());
    let token = app.page("/admin/employers").await.csrf();
    let fields: Vec<(&str, String)> = vec![
        ("csrf_token", token),
        ("ids", ids[0].to_string()),
        ("ids", ids[1].to_string()),
        ("ids", ids[2].to_string()),
        ("bulk-reason", "批量灌水".into()),
    ];
    let res = app
        .client
        .post(app.url("/admin/employers/reject"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = crate::helpers::read_page(res).await;
    assert!(page
        .field_error("ids")
        .unwrap()
        .contains("状态已是“未通过”"));
    assert_eq!(page.select("input[name=ids][checked]").len(), 2);
    let still: i64 = app.with_conn(|c| guantong::store::employer_claims::pending_count(c).unwrap());
    assert_eq!(still, 45, "a refused batch rejects none");
    let token = app.page("/admin/employers").await.csrf();
    let fields: Vec<(&str, String)> = vec![
        ("csrf_token", token),
        ("ids", ids[1].to_string()),
        ("ids", ids[2].to_string()),
        ("bulk-reason", "批量灌水".into()),
    ];
    let res = app
        .client
        .post(app.url("/admin/employers/reject"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let still: i64 = app.with_conn(|c| guantong::store::employer_claims::pending_count(c).unwrap());
    assert_eq!(still, 43);
}

/// Sends the head of a multipart POST and `first` as its first bytes, declaring a body of
/// 50 MB that never comes, and returns the status line the server answered with (within 5 s).
fn answer_to_a_started_upload(address: &str, path: &str, first: &[u8], cookie: &str) -> String {
    use std::io::{Read, Write};
    let host = address.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 50000000\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(first).unwrap();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// An anonymous multipart form must start with its CSRF token: a form starting with a file is
/// refused (403) at once, before the rest of its body; a form with its token first goes through.
/// Uploads held in memory are bounded over the whole server (busy beyond it), and given back.
async fn an_upload_must_start_with_its_token_and_uploads_in_flight_are_bounded(
    backend: crate::helpers::Backend,
) {
    let Some(app) =
        crate::helpers::try_spawn_app_with(backend, |c| c.uploads_in_flight_mb = 1).await
    else {
        return;
    };
    let res = app.get("/register/employer").await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("guantong_csrf="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap();
    let token = crate::helpers::read_page(res).await.csrf();
    // A file first: refused at once, though 50 MB were announced.
    let mut file_first =
        b"--XyZ\r\nContent-Disposition: form-data; name=\"licence\"; filename=\"a.pdf\"\r\n\r\n"
            .to_vec();
    file_first.extend(std::iter::repeat_n(b'x', 100_000));
    let line = answer_to_a_started_upload(&app.address, "/register/employer", &file_first, &cookie);
    assert!(line.contains("403"), "{line}");
    // A wrong token first: refused the same way.
    let wrong =
        b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n00ff\r\n--XyZ\r\n";
    let line = answer_to_a_started_upload(&app.address, "/register/employer", wrong, &cookie);
    assert!(line.contains("403"), "{line}");
    // The right token first: the server reads on (and waits for the rest of the body).
    let right = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--XyZ\r\n"
    );
    let line = answer_to_a_started_upload(
        &app.address,
        "/register/employer",
        right.as_bytes(),
        &cookie,
    );
    assert_eq!(line, "", "the server answered before the body came: {line}");
    // A 2 MB licence with the right token, over a budget of 1 MB in flight: busy, nothing filed.
    let big = [guantong::demo::DEMO_PDF, &vec![b' '; 2 << 20]].concat();
    let register = |licence: Vec<u8>| {
        let token = token.clone();
        let app = &app;
        async move {
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", token)
                .text("name", "上海测试有限公司")
                .text(
                    "credit_code",
                    guantong::demo::credit_code_with_check("91310000MA1TEXT01"),
                )
                .text("contact_name", "张三")
                .text("contact_phone", "13700000000")
                .text("password", "secret-2026")
                .text("password_confirm", "secret-2026")
                .part(
                    "licence",
                    reqwest::multipart::Part::bytes(licence)
                        .file_name("营业执照.pdf")
                        .mime_str("application/pdf")
                        .unwrap(),
                );
            app.client
                .post(app.url("/register/employer"))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    let res = register(big).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    // What the refused form held was given back: a small licence goes through.
    let res = register(guantong::demo::DEMO_PDF.to_vec()).await;
    let status = res.status();
    let page = crate::helpers::read_page(res).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{:?}", page.error_summary());
}

/// Adding clerks tells an employer nothing about whose mobile is a login (clerks log in with the
/// employer's code and a number), is throttled, and a clerk's password can be reset by the
/// employer; a mobile an older clerk logs in with is released by an admin, after which its owner
/// registers with it.
async fn a_clerks_mobile_is_no_login_and_an_admin_releases_an_old_one(app: TestApp) {
    use guantong::domain::{MobileNumber, PersonName, Role};
    app.load_demo();
    let now = now(&app);
    let (admin, employer) = app.with_conn(|c| (actor(c, "demo-admin"), actor(c, "demo-employer")));
    // An older clerk, made when a clerk's login was their mobile.
    let old = app.with_conn(|c| {
        let hash = guantong::password::hash("old-pass-2026");
        let a = guantong::store::accounts::insert(
            c,
            "13655556666",
            Role::Employer,
            "老经办人",
            &hash,
            now,
        )
        .unwrap();
        guantong::store::accounts::set_employer(c, a.id, employer.id).unwrap();
        a.id
    });
    // The mobile's owner registers: the one answer, but no account of theirs exists.
    let register = |app: &TestApp| {
        let app = app.share();
        async move {
            let id = guantong::demo::id_number_with_check("31011519950505126");
            app.submit(
                "/register/applicant",
                "/register/applicant",
                &[
                    ("name", "赵六"),
                    ("id_number", &id),
                    ("mobile", "13655556666"),
                    ("password", "mine-pass-2026"),
                    ("password_confirm", "mine-pass-2026"),
                ],
            )
            .await;
            app.share()
                .login("13655556666", "mine-pass-2026")
                .await
                .status()
        }
    };
    assert_ne!(register(&app).await, StatusCode::SEE_OTHER);
    // The admin releases it: the clerk logs in with the employer's code and a number.
    app.login("demo-admin", DEMO_PASSWORD).await;
    let accounts = app.page("/admin/accounts").await;
    assert!(accounts
        .html
        .html()
        .contains(&format!("/admin/accounts/{old}/release")));
    let token = accounts.csrf();
    let res = app
        .post_raw(
            &format!("/admin/accounts/{old}/release"),
            &[("csrf_token", &token)],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = app.page(&location).await;
    let code = guantong::demo::demo_employer_code();
    assert!(page.text("#released").contains(&format!("{code}-")));
    assert_eq!(
        app.share()
            .login(&format!("{code}-01"), "old-pass-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // Now the owner of the mobile registers with it (the second attempt of one ID number in an
    // hour is still allowed).
    assert_eq!(register(&app).await, StatusCode::SEE_OTHER);
    // The employer resets its clerk's password: the old one stops working.
    let (login, password) = staff::reset_password(&app.pool, &employer, old, now).unwrap();
    assert_eq!(login, format!("{code}-01"));
    assert_ne!(
        app.share().login(&login, "old-pass-2026").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.share().login(&login, &password).await.status(),
        StatusCode::SEE_OTHER
    );
    // Not another employer's clerk, and not an admin's own account.
    app.with_conn(|c| {
        assert!(matches!(
            guantong::service::staff::release_mobile(c, &admin, old, now),
            Err(ActionError::Refused(_))
        ));
    });
    // Adding clerks is throttled.
    let mut last = Ok(());
    for i in 0..21 {
        last = staff::add(
            &app.pool,
            &employer,
            &staff::NewClerk {
                name: PersonName::parse("经办").unwrap(),
                mobile: MobileNumber::parse(&format!("136000000{i:02}")).unwrap(),
            },
            now,
        )
        .map(drop);
    }
    match last {
        Err(ActionError::Refused(m)) => assert_eq!(m, staff::TOO_MANY_CLERKS),
        other => panic!("21 clerks at once: {other:?}"),
    }
}

/// A holiday's name refuses control, zero-width and direction characters and U+FFFD, by the day
/// form and by CSV import, beside the field, storing nothing; a file that is not UTF-8 is
/// refused as such.
async fn calendar_names_refuse_what_text_fields_refuse(app: TestApp) {
    app.load_demo();
    app.login("demo-admin", DEMO_PASSWORD).await;
    let stored = |app: &TestApp| {
        app.with_conn(|c| guantong::service::calendar::load(c).unwrap())
            .is_working_day(chrono::NaiveDate::from_ymd_opt(2026, 10, 12).unwrap())
            .unwrap()
    };
    for name in [
        "国庆\u{202E}节",
        "国庆\u{200B}节",
        "国庆\u{0007}节",
        "国庆\u{FFFD}节",
    ] {
        let res = app
            .submit(
                "/admin/calendar",
                "/admin/calendar/days",
                &[("date", "2026-10-12"), ("kind", "holiday"), ("name", name)],
            )
            .await;
        let page = crate::helpers::read_page(res).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert!(
            page.field_error("name").unwrap().contains("控制字符"),
            "{name:?}"
        );
        assert!(stored(&app), "{name:?} was stored");
    }
    let import = |bytes: Vec<u8>| {
        let app = &app;
        async move {
            let form = crate::helpers::Fields::new().part(
                "file",
                reqwest::multipart::Part::bytes(bytes)
                    .file_name("2026.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            );
            crate::helpers::read_page(
                app.submit_multipart("/admin/calendar", "/admin/calendar/import", form)
                    .await,
            )
            .await
        }
    };
    let page = import(
        "date,kind,name\n2026-10-12,holiday,国庆\u{2067}节\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("file").unwrap().contains("控制字符"));
    let page = import(b"date,kind,name\n2026-10-12,holiday,\xb9\xfa\xc7\xec\n".to_vec()).await;
    assert!(page.field_error("file").unwrap().contains("UTF-8"));
    assert!(stored(&app));
}

/// Changing one's password ends every session, this one too, which goes on under a new id: the
/// old cookie (fixed or stolen) is worth nothing afterwards.
async fn a_password_change_rotates_the_session_id(app: TestApp) {
    app.load_demo();
    let res = app.login("demo-office", DEMO_PASSWORD).await;
    let old = crate::helpers::set_session_cookie(&res).unwrap();
    let res = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "fresh-pass-2027"),
                ("confirm", "fresh-pass-2027"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new = crate::helpers::set_session_cookie(&res).expect("a new session cookie");
    assert_ne!(new, old);
    // This browser goes on; the old id does not.
    assert_eq!(app.get("/office").await.status(), StatusCode::OK);
    let thief = crate::helpers::new_client();
    let res = thief
        .get(app.url("/office"))
        .header("cookie", format!("guantong_session={old}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "the old session id still works"
    );
}

/// The access log names a request by its route's pattern: a reset link's token and a search's
/// words never reach it.
async fn the_access_log_names_routes_not_tokens_or_searches(backend: crate::helpers::Backend) {
    let Some(app) = crate::helpers::try_spawn_app_with(backend, |c| c.access_log = true).await
    else {
        return;
    };
    app.load_demo();
    let marker = guantong::password::random_token(6);
    let token = format!("TOKEN{marker}");
    let search = format!("SEARCH{marker}");
    app.get(&format!("/reset/{token}")).await;
    app.login("demo-employer", DEMO_PASSWORD).await;
    app.get(&format!("/employer?q={search}")).await;
    app.get(&format!("/nowhere/PATH{marker}/x")).await;
    // The response goes out before its line is written: give the server a moment.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        crate::logs::lines_with(&marker).is_empty(),
        "{:?}",
        crate::logs::lines_with(&marker)
    );
    let lines = crate::logs::lines_with("\"GET /reset/{token}\"");
    assert!(!lines.is_empty(), "no line names the reset route");
    assert!(!crate::logs::lines_with("\"GET /employer\" 200").is_empty());
    assert!(!crate::logs::lines_with("\"GET /nowhere/…/x\" 404").is_empty());
}

/// Wrong passwords sent in parallel cannot get past the pause: each attempt is counted before its
/// password is checked, so of twelve at once no more than four are answered as wrong passwords
/// (the fifth starts the pause), and the right one sent after them is paused too.
async fn guesses_in_parallel_meet_the_same_pause(app: TestApp) {
    use guantong::service::accounts::{self, LoginAttempt, LoginOutcome};
    app.load_demo();
    let now = now(&app);
    let rules = {
        accounts::LoginRules {
            slow_step: std::time::Duration::from_secs(1),
            slow_max: std::time::Duration::from_secs(10),
            per_name: guantong::service::throttle::Rule {
                limit: 5.0,
                half_life: chrono::Duration::minutes(30),
                block: chrono::Duration::minutes(15),
            },
            per_client: guantong::service::throttle::Rule {
                limit: 100.0,
                half_life: chrono::Duration::minutes(30),
                block: chrono::Duration::minutes(15),
            },
            sessions: guantong::service::sessions::Limits {
                idle: chrono::Duration::minutes(30),
                max_age: chrono::Duration::hours(12),
            },
        }
    };
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(12));
    let threads: Vec<_> = (0..12)
        .map(|i| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            let _ = i;
            std::thread::spawn(move || {
                let attempt = LoginAttempt {
                    login: "demo-expert2",
                    password: "wrong-pass-1",
                    client: "10.9.9.9".parse().unwrap(),
                    old_session: None,
                };
                barrier.wait();
                accounts::login(&pool, &attempt, now, rules).unwrap()
            })
        })
        .collect();
    let outcomes: Vec<LoginOutcome> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let wrong = outcomes
        .iter()
        .filter(|o| matches!(o, LoginOutcome::Refused))
        .count();
    assert!(wrong <= 4, "{wrong} checked as wrong: {outcomes:?}");
    let right = LoginAttempt {
        login: "demo-expert2",
        password: DEMO_PASSWORD,
        client: "10.9.9.9".parse().unwrap(),
        old_session: None,
    };
    assert!(matches!(
        accounts::login(&app.pool, &right, now, rules).unwrap(),
        LoginOutcome::Paused { .. }
    ));
}

/// A panic inside a write (a bug, never user input) must not leave its transaction open on a
/// pooled connection: every later writer on that connection would fail until a restart. And a
/// version number at the top of its range, which once overflowed, is only a stale form.
async fn a_panic_inside_a_write_leaves_no_transaction_open(app: TestApp) {
    use guantong::store;
    app.load_demo();
    let now = now(&app);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.with_conn(|c| {
            store::write(c, |c| -> Result<(), store::DbError> {
                store::audit::record(
                    c,
                    now,
                    store::audit::AuditActor::SYSTEM,
                    guantong::domain::AuditAction::SettingsChange,
                    &guantong::domain::Subject::Settings("global".into()),
                    "never committed",
                )?;
                panic!("a bug inside a write");
            })
        })
    }));
    assert!(panicked.is_err());
    // Every connection the pool can hand out writes again (more writes than connections, so
    // the one in use above is among them).
    for i in 0..=app.pool.max_size() {
        app.with_conn(|c| {
            store::write(c, |c| -> Result<(), store::DbError> {
                store::audit::record(
                    c,
                    now,
                    store::audit::AuditActor::SYSTEM,
                    guantong::domain::AuditAction::SettingsChange,
                    &guantong::domain::Subject::Settings("global".into()),
                    &format!("write {i}"),
                )
            })
        })
        .unwrap_or_else(|e| panic!("write {i} after the panic: {e}"));
    }
    let rows = app.with_conn(|c| store::audit::latest(c, 1000).unwrap());
    assert!(!rows.iter().any(|r| r.detail == "never committed"));
    // The form with the largest version a page can send: refused as stale, the server fine.
    app.login("demo-office", DEMO_PASSWORD).await;
    let committee = app.with_conn(|c| guantong::demo::committees::ids(c).unwrap().intermediate);
    let entry = app.with_conn(|c| store::pool::of_committee(c, committee).unwrap()[0].id);
    let path = format!("/committees/{committee}/pool/{entry}/remove");
    let token = app
        .page(&format!("/committees/{committee}/pool/{entry}"))
        .await
        .csrf();
    let res = app
        .post_raw(
            &path,
            &[
                ("csrf_token", &token),
                ("version", "2147483647"),
                ("reason", "测试"),
            ],
        )
        .await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let fresh = app.share();
    let res = fresh.login("demo-applicant", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a login still writes");
}
