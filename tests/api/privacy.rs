//! What the outside review found: ID numbers recoverable from a page, accounts lockable by
//! anyone, registration confirming who is registered. Each test reproduces the attack.

use crate::fixtures::{now, open_round, submitted};
use crate::helpers::{assert_redirect_to, read_page, Backend, TestApp};
use guantong::demo::{id_number_with_check, DEMO_PASSWORD};
use guantong::service::accounts::{self, LoginAttempt, LoginOutcome};
use reqwest::StatusCode;

crate::tests!(
    both: [a_masked_id_number_leaves_ten_thousand_candidates, the_full_id_number_is_on_no_page_and_in_no_row, registration_confirms_no_registered_number],
    sync: [every_refused_login_runs_one_password_check],
    per_backend: [clients_are_throttled_not_accounts],
);

/// Shanghai's district codes in use: the fewest an attacker who knows the birthplace must try.
const SHANGHAI_DISTRICTS: [&str; 16] = [
    "310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113",
    "310114", "310115", "310116", "310117", "310118", "310120", "310151",
];

/// Every ID number that fits what a page shows: the mask, the sex and the birth year-month.
fn candidates(mask: &str, sex: &str, birth_month: &str) -> Vec<String> {
    let (year, month) = birth_month.trim_end_matches('月').split_once('年').unwrap();
    let (year, month): (i32, u32) = (year.parse().unwrap(), month.parse().unwrap());
    let chars: Vec<char> = mask.chars().collect();
    assert_eq!(chars.len(), 18, "{mask}");
    let shown = |i: usize| chars[i] != '*';
    let mut out = Vec::new();
    for district in SHANGHAI_DISTRICTS {
        for day in 1..=31u32 {
            let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            for seq in 0..1000u32 {
                let odd = seq % 2 == 1;
                if (sex == "男") != odd {
                    continue;
                }
                let first17 = format!("{district}{}{seq:03}", date.format("%Y%m%d"));
                let full = id_number_with_check(&first17);
                let fits = full
                    .chars()
                    .enumerate()
                    .all(|(i, c)| !shown(i) || chars[i] == c);
                if fits {
                    out.push(full);
                }
            }
        }
    }
    out
}

async fn a_masked_id_number_leaves_ten_thousand_candidates(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let (_, id) = app.with_conn(|c| {
        let round = open_round(c, "隐私测试批次", now);
        submitted(c, round, now)
    });
    let real = id_number_with_check("31010519850312301");
    // The employer's view of the dossier: everything it shows about the person.
    app.login("demo-employer", DEMO_PASSWORD).await;
    let dossier = app.page(&format!("/applications/{id}")).await;
    let (mask, sex, month) = (
        dossier.text(".id-masked"),
        dossier.text(".gender"),
        dossier.text(".birth-month"),
    );
    assert_eq!(month, "1985年03月", "the month, never the day");
    let found = candidates(&mask, &sex, &month);
    assert!(found.contains(&real), "the rebuild is sound");
    assert!(
        found.len() >= 10_000,
        "only {} candidates for {mask}",
        found.len()
    );
    // The employer's list shows the same mask beside name, department and post.
    let home = app.page("/employer").await;
    assert_eq!(home.text("tr.application .id-masked"), mask);
    // The applicant's own pages show no more.
    app.logout().await;
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let basic_page = app
        .page(&format!("/applicant/applications/{}/basic", {
            let me = app.with_conn(|c| crate::fixtures::actor(c, "demo-applicant"));
            app.with_conn(|c| guantong::service::draft::create(c, &me, now).unwrap())
        }))
        .await;
    assert_eq!(basic_page.text(".id-masked"), mask);
    assert_eq!(basic_page.text(".birth-month"), "1985年03月");
}

async fn the_full_id_number_is_on_no_page_and_in_no_row(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let (_, id) = app.with_conn(|c| {
        let round = open_round(c, "隐私测试批次", now);
        submitted(c, round, now)
    });
    let real = id_number_with_check("31010519850312301");
    let mut pages = Vec::new();
    for (login, paths) in [
        (
            "demo-applicant",
            vec![
                "/applicant".to_string(),
                format!("/applicant/applications/{id}"),
                format!("/applications/{id}"),
            ],
        ),
        (
            "demo-employer",
            vec!["/employer".to_string(), format!("/applications/{id}")],
        ),
        (
            "demo-admin",
            vec!["/admin".to_string(), "/admin/accounts".to_string()],
        ),
    ] {
        app.login(login, DEMO_PASSWORD).await;
        for path in paths {
            let res = app.get(&path).await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            pages.push((path, res.text().await.unwrap()));
        }
        app.logout().await;
    }
    for (path, html) in &pages {
        assert!(!html.contains(&real), "{path} shows the full ID number");
        assert!(!html.contains("19850312"), "{path} shows the birth date");
    }
    let (audit, snapshot) = app.with_conn(|c| {
        (
            guantong::store::audit::latest(c, 1000).unwrap(),
            guantong::store::applications::find(c, id)
                .unwrap()
                .unwrap()
                .snapshot
                .unwrap(),
        )
    });
    assert!(audit
        .iter()
        .all(|r| !r.detail.contains(&real) && !r.subject.contains(&real)));
    assert!(!snapshot.contains(&real) && !snapshot.contains("1985-03-12"));
}

fn applicant(id: &str, mobile: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "王小明".into()),
        ("id_number", id.into()),
        ("mobile", mobile.into()),
        ("password", "secret-2026".into()),
        ("password_confirm", "secret-2026".into()),
    ]
}

async fn register(app: &TestApp, fields: &[(&'static str, String)]) -> crate::helpers::Page {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    read_page(
        app.submit("/register/applicant", "/register/applicant", &refs)
            .await,
    )
    .await
}

async fn registration_confirms_no_registered_number(app: TestApp) {
    let id = id_number_with_check("31011519900101123");
    let other_id = id_number_with_check("31011519920202124");
    let first = app.share();
    let res = first
        .submit(
            "/register/applicant",
            "/register/applicant",
            &applicant(&id, "13912345678")
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A fresh registration, a registered ID number, a registered mobile: one answer, the same
    // redirect to the login page saying the same words, and nothing else set.
    let fresh_id = id_number_with_check("31011519930303125");
    let mut answers = Vec::new();
    for fields in [
        applicant(&fresh_id, "13912345600"),
        applicant(&id, "13912345679"),
        applicant(&other_id, "13912345678"),
    ] {
        let visitor = app.share();
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = visitor
            .submit("/register/applicant", "/register/applicant", &refs)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let sets_session = crate::helpers::set_session_cookie(&res).is_some();
        let page = visitor.page(&location).await;
        answers.push((location, sets_session, page.text(".notice")));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert!(answers[0].2.contains("若您填写的信息无误，账户已建立"));
    assert!(!answers[0].1, "registering logs nobody in");
    // The holder logs in as before; the duplicate made nothing.
    assert_eq!(
        app.share()
            .login("13912345678", "secret-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // A second registration asking for the same number with a new mobile gives no account.
    assert_ne!(
        app.share()
            .login("13912345679", "secret-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "the duplicate made an account"
    );
    // Asking again about the same number is soon refused, whatever the answer would have been:
    // the third attempt on one number starts a pause, the fourth is refused.
    register(&app, &applicant(&id, "13912345670")).await;
    let page = register(&app, &applicant(&id, "13912345671")).await;
    assert_eq!(
        page.field_error("form").as_deref(),
        Some(accounts::TOO_MANY_ATTEMPTS)
    );
    // And so is asking in bulk from one address.
    let mut last = None;
    for i in 0..32 {
        let probe =
            id_number_with_check(&format!("3101151990{:02}{:02}123", 1 + i / 28, 1 + i % 28));
        last = Some(register(&app, &applicant(&probe, &format!("137000000{i:02}"))).await);
    }
    assert_eq!(
        last.unwrap().field_error("form").as_deref(),
        Some(accounts::TOO_MANY_ATTEMPTS)
    );
}

/// Locked, unknown and wrong-password attempts do the same work: one password check each.
fn every_refused_login_runs_one_password_check() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let app = rt
        .block_on(crate::helpers::try_spawn_app(Backend::Sqlite))
        .unwrap();
    app.load_demo();
    let now = now(&app);
    let rules = accounts::LoginRules {
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
    };
    let client: std::net::IpAddr = "10.0.0.1".parse().unwrap();
    let attempt = |login: &str, password: &str| {
        let before = guantong::password::checks_on_this_thread();
        let a = LoginAttempt {
            login,
            password,
            client,
            old_session: None,
        };
        let outcome = accounts::login(&app.pool, &a, now, rules).unwrap();
        (
            outcome,
            guantong::password::checks_on_this_thread() - before,
        )
    };
    let (o, checks) = attempt("nobody-here", "wrong-pass-1");
    assert!(
        matches!(o, LoginOutcome::Refused) && checks == 1,
        "unknown: {o:?} {checks}"
    );
    for i in 0..5 {
        let (o, checks) = attempt("demo-expert1", "wrong-pass-1");
        let expected = match i {
            4 => matches!(o, LoginOutcome::Paused { .. }),
            _ => matches!(o, LoginOutcome::Refused),
        };
        assert!(expected && checks == 1, "wrong: {o:?} {checks}");
    }
    // Paused now: even the right password is refused, after the same one check.
    let (o, checks) = attempt("demo-expert1", DEMO_PASSWORD);
    assert!(
        matches!(o, LoginOutcome::Paused { .. }) && checks == 1,
        "throttled: {o:?} {checks}"
    );
    // A name no account has pauses the same way after as many failures, so a pause says
    // nothing about whether the account exists.
    for _ in 0..4 {
        attempt("nobody-here", "wrong-pass-1");
    }
    let (o, checks) = attempt("nobody-here", "wrong-pass-1");
    assert!(
        matches!(o, LoginOutcome::Paused { .. }) && checks == 1,
        "unknown name: {o:?} {checks}"
    );
    // The owner elsewhere still logs in.
    let before = guantong::password::checks_on_this_thread();
    let a = LoginAttempt {
        login: "demo-expert1",
        password: DEMO_PASSWORD,
        client: "10.0.0.2".parse().unwrap(),
        old_session: None,
    };
    assert!(matches!(
        accounts::login(&app.pool, &a, now, rules).unwrap(),
        LoginOutcome::LoggedIn(_)
    ));
    assert_eq!(guantong::password::checks_on_this_thread() - before, 1);
}

async fn login_as(app: &TestApp, from: &str, login: &str, password: &str) -> reqwest::Response {
    let token = app.page("/login").await.csrf();
    app.client
        .post(app.url("/login"))
        .header("x-forwarded-for", from)
        .form(&[
            ("csrf_token", token.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn clients_are_throttled_not_accounts(backend: Backend) {
    let app = crate::helpers::try_spawn_app_with(backend, |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await
    .expect("the backend is configured");
    app.load_demo();
    let attacker = app.share();
    let owner = app.share();
    // Wrong passwords answer as wrong passwords, until the fifth pauses this name from here.
    let mut messages = Vec::new();
    for _ in 0..4 {
        let page =
            read_page(login_as(&attacker, "203.0.113.9", "demo-admin", "wrong-pass-1").await).await;
        messages.push(page.field_error("password").unwrap());
    }
    assert!(
        messages.iter().all(|m| m == "登录名或密码不正确"),
        "{messages:?}"
    );
    // Paused: the right password too is told so, with the time it ends and how to reset; a
    // name no account has, paused the same way, reads the same words.
    let paused =
        read_page(login_as(&attacker, "203.0.113.9", "demo-admin", "wrong-pass-1").await).await;
    let right =
        read_page(login_as(&attacker, "203.0.113.9", "demo-admin", DEMO_PASSWORD).await).await;
    for _ in 0..5 {
        login_as(&attacker, "203.0.113.9", "no-such-user", "wrong-pass-1").await;
    }
    let unknown =
        read_page(login_as(&attacker, "203.0.113.9", "no-such-user", "wrong-pass-1").await).await;
    let words = |p: &crate::helpers::Page| p.field_error("login").unwrap_or_default();
    assert!(
        words(&paused).contains("登录已暂停至"),
        "{}",
        words(&paused)
    );
    assert!(words(&paused).contains("重置密码"));
    assert_eq!(words(&right), words(&paused));
    let without_time = |w: String| w.split("暂停至").next().unwrap_or_default().to_string();
    assert_eq!(without_time(words(&unknown)), without_time(words(&paused)));
    // The owner, from their own address, is not locked out.
    assert_redirect_to(
        &login_as(&owner, "198.51.100.7", "demo-admin", DEMO_PASSWORD).await,
        "/admin",
    );
    // Failures fade: after the pause, the attacker's address may try again.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_redirect_to(
        &login_as(&attacker, "203.0.113.9", "demo-admin", DEMO_PASSWORD).await,
        "/admin",
    );
    // A client trying many names is slowed, never refused for every account: after 21
    // unknown names, a colleague behind the same address still signs in with the right
    // password, after waiting.
    let sprayer = app.share();
    for i in 0..21 {
        login_as(
            &sprayer,
            "203.0.113.50",
            &format!("user-{i}"),
            "wrong-pass-1",
        )
        .await;
    }
    let started = std::time::Instant::now();
    assert_redirect_to(
        &login_as(
            &sprayer.share(),
            "203.0.113.50",
            "demo-office",
            DEMO_PASSWORD,
        )
        .await,
        "/office",
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "the address was not slowed"
    );
    // A forwarded header from an untrusted peer is ignored (tested by the config default
    // elsewhere): here the trusted proxy is loopback.
}
