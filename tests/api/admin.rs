//! The admin creates office, expert and admin accounts; nobody else can.

use crate::helpers::{assert_redirect_to, read_page, TestApp};
use guantong::demo::DEMO_PASSWORD;
use reqwest::StatusCode;

crate::tests!(
    both: [admin_creates_staff_accounts, only_admins_create_accounts, first_start_creates_one_admin, issued_passwords_are_changed_and_reset_links_work_once, admins_disable_enable_and_unlock_accounts, demo_accounts_show_the_states_admins_manage, wrong_current_passwords_are_throttled, the_audit_log_reads_as_words_and_pages, admins_keep_the_working_day_calendar],
);

async fn admin_creates_staff_accounts(app: TestApp) {
    app.load_demo();
    assert_redirect_to(&app.login("demo-admin", DEMO_PASSWORD).await, "/admin");
    // Post/redirect/get: the password is shown once on the page the redirect leads to.
    let res = app
        .submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", "expert-zhao"),
                ("display_name", "赵工"),
                ("role", "expert"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/admin/accounts?shown=1#issued");
    let page = app.page("/admin/accounts?shown=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".created-login"), "expert-zhao");
    let password = page.text(".created-password");
    assert!(guantong::domain::Password::parse(&password).is_ok());
    assert!(page
        .select("table.accounts td")
        .contains(&"expert-zhao".to_string()));
    // Shown once: neither the list nor a refresh of that page shows it again.
    for path in ["/admin/accounts", "/admin/accounts?shown=1"] {
        assert!(app.page(path).await.select(".created-password").is_empty());
    }
    // Bad input and a duplicate name are refused beside the field, values kept.
    let count = app.account_count();
    let page = read_page(
        app.submit(
            "/admin/accounts",
            "/admin/accounts",
            &[("login", "x"), ("display_name", ""), ("role", "expert")],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["login", "display_name"]);
    assert_eq!(page.input_value("login").as_deref(), Some("x"));
    let page = read_page(
        app.submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", "expert-zhao"),
                ("display_name", "另一人"),
                ("role", "office"),
                ("committee", &committee(&app)),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["login"]);
    assert_eq!(page.input_value("display_name").as_deref(), Some("另一人"));
    let page = read_page(
        app.submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", "someone"),
                ("display_name", "某人"),
                ("role", "applicant"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(
        page.field_error("role").as_deref(),
        Some("申报人和用人单位账户由本人注册")
    );
    assert_eq!(app.account_count(), count);
    // The new expert logs in and lands on the expert home.
    app.logout().await;
    assert_redirect_to(&app.login("expert-zhao", &password).await, "/expert");
    // A login that looks like a credit code in lower case is still found as typed.
    app.logout().await;
    app.login("demo-admin", DEMO_PASSWORD).await;
    let code_like = create_office(&app, "abcdefgh1234567890", "某办公室").await;
    app.logout().await;
    assert_redirect_to(
        &app.login("abcdefgh1234567890", &code_like).await,
        "/office",
    );
}

async fn only_admins_create_accounts(app: TestApp) {
    app.load_demo();
    app.login("demo-office", DEMO_PASSWORD).await;
    let count = app.account_count();
    let res = app
        .submit(
            "/office",
            "/admin/accounts",
            &[
                ("login", "sneaky"),
                ("display_name", "x"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.account_count(), count);
}

async fn first_start_creates_one_admin(app: TestApp) {
    let now = guantong::store::to_db_time(app.clock.now());
    let (login, password) = app
        .with_conn(|c| guantong::demo::first_admin(c, now))
        .unwrap()
        .expect("an admin on an empty database");
    assert_eq!(
        app.with_conn(|c| guantong::demo::first_admin(c, now))
            .unwrap(),
        None,
        "only once"
    );
    // The printed password must be changed before anything else.
    assert_redirect_to(&app.login(&login, &password).await, "/admin");
    assert_redirect_to(&app.get("/admin").await, "/account/password");
}

/// A staff member's issued password is changed at first login; a forgotten password
/// is set again with an admin's one-time link, which works once and not after a newer one.
async fn issued_passwords_are_changed_and_reset_links_work_once(app: TestApp) {
    app.load_demo();
    app.login("demo-admin", DEMO_PASSWORD).await;
    let issued = create_office(&app, "office-qian", "钱办").await;
    app.logout().await;
    // First login: every page leads to the password form until it is changed.
    assert_redirect_to(&app.login("office-qian", &issued).await, "/office");
    assert_redirect_to(&app.get("/office").await, "/account/password");
    let form = app.page("/account/password").await;
    assert_eq!(form.select("#forced").len(), 1);
    // Wrong current password, mismatch, weak: each beside its field, nothing changed.
    for (fields, field) in [
        (
            [
                ("current_password", "nope"),
                ("new_password", "newpass2026"),
                ("confirm", "newpass2026"),
            ],
            "current_password",
        ),
        (
            [
                ("current_password", issued.as_str()),
                ("new_password", "newpass2026"),
                ("confirm", "newpass2027"),
            ],
            "confirm",
        ),
        (
            [
                ("current_password", issued.as_str()),
                ("new_password", "short"),
                ("confirm", "short"),
            ],
            "new_password",
        ),
    ] {
        let page = read_page(
            app.submit("/account/password", "/account/password", &fields)
                .await,
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        page.assert_errors_linked(&[field]);
    }
    let res = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", issued.as_str()),
                ("new_password", "newpass2026"),
                ("confirm", "newpass2026"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/account?changed=1");
    assert_eq!(app.page("/office").await.status, StatusCode::OK);
    app.logout().await;
    assert_eq!(
        read_page(app.login("office-qian", &issued).await)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Forgotten: the admin issues a link (shown once), then a newer one; only the newer works.
    app.login("demo-admin", DEMO_PASSWORD).await;
    let id = app
        .with_conn(|c| guantong::store::accounts::find_by_login(c, "office-qian"))
        .unwrap()
        .unwrap()
        .id
        .0;
    let mut links = Vec::new();
    for _ in 0..2 {
        let res = app
            .submit(
                "/admin/accounts",
                &format!("/admin/accounts/{id}/reset"),
                &[],
            )
            .await;
        assert_redirect_to(&res, "/admin/accounts?shown=1#issued");
        links.push(
            app.page("/admin/accounts?shown=1")
                .await
                .text(".reset-link"),
        );
    }
    assert!(app
        .page("/admin/accounts?shown=1")
        .await
        .select(".reset-link")
        .is_empty());
    app.logout().await;
    assert_eq!(
        app.page(&links[0]).await.status,
        StatusCode::GONE,
        "superseded"
    );
    let set = |pw: &'static str| [("new_password", pw), ("confirm", pw)];
    let res = app.submit(&links[1], &links[1], &set("reset2026x")).await;
    assert_redirect_to(&res, "/login?reset=1");
    assert_redirect_to(&app.login("office-qian", "reset2026x").await, "/office");
    app.logout().await;
    // Used: the link works no more.
    let page = read_page(app.submit("/login", &links[1], &set("again2026x")).await).await;
    assert_eq!(page.select("#link-gone").len(), 1);
    assert_redirect_to(&app.login("office-qian", "reset2026x").await, "/office");
    // Expired after 24 hours.
    app.logout().await;
    app.login("demo-admin", DEMO_PASSWORD).await;
    app.submit(
        "/admin/accounts",
        &format!("/admin/accounts/{id}/reset"),
        &[],
    )
    .await;
    let link = app
        .page("/admin/accounts?shown=1")
        .await
        .text(".reset-link");
    app.logout().await;
    app.clock.advance(chrono::Duration::hours(25));
    assert_eq!(app.page(&link).await.status, StatusCode::GONE);
    // Every step is in the audit log.
    let codes: Vec<String> = app
        .with_conn(|c| guantong::store::audit::latest(c, 50))
        .unwrap()
        .iter()
        .map(|r| r.action.code())
        .collect();
    for code in ["password.change", "password.reset_issue", "password.reset"] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
}

/// Admins disable (which ends the sessions at once), enable and unlock accounts, but
/// never their own; nobody else can.
async fn admins_disable_enable_and_unlock_accounts(app: TestApp) {
    app.load_demo();
    let expert = app.share();
    assert_redirect_to(
        &expert.login("demo-expert1", DEMO_PASSWORD).await,
        "/expert",
    );
    app.login("demo-admin", DEMO_PASSWORD).await;
    let id = |login: &'static str| {
        app.with_conn(move |c| guantong::store::accounts::find_by_login(c, login))
            .unwrap()
            .unwrap()
            .id
            .0
    };
    let (expert_id, admin_id) = (id("demo-expert1"), id("demo-admin"));
    assert_redirect_to(
        &app.submit(
            "/admin/accounts",
            &format!("/admin/accounts/{expert_id}/disable"),
            &[],
        )
        .await,
        "/admin/accounts",
    );
    assert_redirect_to(&expert.get("/expert").await, "/login?next=%2Fexpert");
    assert_eq!(
        read_page(expert.login("demo-expert1", DEMO_PASSWORD).await)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_redirect_to(
        &app.submit(
            "/admin/accounts",
            &format!("/admin/accounts/{expert_id}/enable"),
            &[],
        )
        .await,
        "/admin/accounts",
    );
    assert_redirect_to(
        &expert.login("demo-expert1", DEMO_PASSWORD).await,
        "/expert",
    );
    // Locked by wrong passwords, then unlocked.
    expert.logout().await;
    for _ in 0..5 {
        expert.login("demo-expert1", "wrong-pass-1").await;
    }
    assert_eq!(
        read_page(expert.login("demo-expert1", DEMO_PASSWORD).await)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.page("/admin/accounts")
            .await
            .select(".account-status")
            .iter()
            .filter(|s| s.starts_with("锁定至"))
            .count(),
        1
    );
    assert_redirect_to(
        &app.submit(
            "/admin/accounts",
            &format!("/admin/accounts/{expert_id}/unlock"),
            &[],
        )
        .await,
        "/admin/accounts",
    );
    assert_redirect_to(
        &expert.login("demo-expert1", DEMO_PASSWORD).await,
        "/expert",
    );
    // Not on one's own account; not by anyone but an admin; an unknown action is 404.
    let res = app
        .submit(
            "/admin/accounts",
            &format!("/admin/accounts/{admin_id}/disable"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .submit(
            "/admin/accounts",
            &format!("/admin/accounts/{expert_id}/fly"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = expert
        .submit("/expert", &format!("/admin/accounts/{admin_id}/reset"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// The demo data holds an account that must change its issued password and a disabled one, so a
/// person (and the browser crawl) can see both states.
async fn demo_accounts_show_the_states_admins_manage(app: TestApp) {
    app.load_demo();
    let now = guantong::store::to_db_time(app.clock.now());
    app.with_conn(|c| guantong::demo::load_account_states(c, now))
        .unwrap();
    app.with_conn(|c| guantong::demo::load_account_states(c, now))
        .expect("loading twice changes nothing");
    assert_redirect_to(
        &app.login("demo-new-office", DEMO_PASSWORD).await,
        "/office",
    );
    assert_redirect_to(&app.get("/office").await, "/account/password");
    app.logout().await;
    let refused = read_page(app.login("demo-retired-expert", DEMO_PASSWORD).await).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login("demo-admin", DEMO_PASSWORD).await;
    let states = app.page("/admin/accounts").await.select(".account-status");
    for state in ["待本人修改密码", "已停用"] {
        assert!(states.iter().any(|s| s == state), "{state} in {states:?}");
    }
}

/// The logged-in admin creates an office account; returns the password shown once after the
/// redirect.
async fn create_office(app: &TestApp, login: &str, name: &str) -> String {
    let res = app
        .submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", login),
                ("display_name", name),
                ("role", "office"),
                ("committee", &committee(app)),
            ],
        )
        .await;
    assert_redirect_to(&res, "/admin/accounts?shown=1#issued");
    app.page("/admin/accounts?shown=1")
        .await
        .text(".created-password")
}

/// A stolen session cannot be used to guess the password: wrong current passwords on the change
/// form pause it like wrong logins do, even for the right one, until the pause ends.
async fn wrong_current_passwords_are_throttled(app: TestApp) {
    app.load_demo();
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let change = |current: &'static str| {
        let app = &app;
        async move {
            read_page(
                app.submit(
                    "/account/password",
                    "/account/password",
                    &[
                        ("current_password", current),
                        ("new_password", "newpass2026"),
                        ("confirm", "newpass2026"),
                    ],
                )
                .await,
            )
            .await
        }
    };
    for _ in 0..5 {
        let page = change("wrong-pass-1").await;
        assert_eq!(
            page.field_error("current_password").as_deref(),
            Some("当前密码不正确")
        );
    }
    let page = change(DEMO_PASSWORD).await;
    assert_eq!(
        page.field_error("current_password").as_deref(),
        Some(guantong::service::passwords::TOO_MANY)
    );
    // The pause (15 minutes by default) ends; the session, idle less than 30, is still live.
    app.clock.advance(chrono::Duration::minutes(16));
    let res = app
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", DEMO_PASSWORD),
                ("new_password", "newpass2026"),
                ("confirm", "newpass2026"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/account?changed=1");
}

/// The audit log shows labels, names and roles, never codes, and pages.
async fn the_audit_log_reads_as_words_and_pages(app: TestApp) {
    app.load_demo();
    // An application submitted: the log names it by its reference, as people know it.
    let now = crate::fixtures::now(&app);
    let reference = app.with_conn(|c| {
        let round = crate::fixtures::open_round(c, "审计日志测试批次", now);
        let (_, id) = crate::fixtures::submitted(c, round, now);
        guantong::store::applications::find(c, id)
            .unwrap()
            .unwrap()
            .reference
            .unwrap()
    });
    app.login("demo-admin", DEMO_PASSWORD).await;
    let recent = app.page("/admin").await;
    assert!(
        recent.html.html().contains(&format!("申报 {reference}")),
        "the admin's home names the application by its reference"
    );
    app.logout().await;
    app.login("demo-applicant", DEMO_PASSWORD).await;
    app.logout().await;
    // More rows than one page holds, as the service writes them.
    let now = crate::fixtures::now(&app);
    app.with_conn(|c| {
        let who = crate::fixtures::actor(c, "demo-applicant");
        for _ in 0..60 {
            guantong::store::audit::record(
                c,
                now,
                guantong::service::audit_actor(&who),
                guantong::domain::AuditAction::PasswordChange,
                &guantong::domain::Subject::Account(who.id),
                "",
            )
            .unwrap();
        }
    });
    app.login("demo-admin", DEMO_PASSWORD).await;
    let home = app.page("/admin").await;
    assert_eq!(
        home.attr("#all-audit", "href").as_deref(),
        Some("/admin/audit")
    );
    let log = app.page("/admin/audit").await;
    let actions = log.select(".audit-action");
    assert!(!actions.is_empty());
    for a in &actions {
        assert!(!a.contains('.') && !a.contains('_'), "a code is shown: {a}");
    }
    let subjects = log.select(".audit-subject");
    assert!(
        subjects.iter().all(|s| !s.contains("account:")),
        "{subjects:?}"
    );
    // The applicant's rows name them, their role and the account in words.
    let rows = log.select(".audit-row");
    let row = rows.iter().find(|r| r.contains("修改密码")).unwrap();
    assert!(row.contains("申报人"), "{row}");
    assert!(row.contains("（demo-applicant）"), "{row}");
    // Every row is reachable by the older-rows link, none twice.
    let total = app.with_conn(|c| guantong::store::audit::latest(c, 10_000).unwrap().len());
    let mut seen = log.select(".audit-row").len();
    let mut next = log.attr(".next-page", "href");
    while let Some(href) = next {
        let page = app.page(&href).await;
        seen += page.select(".audit-row").len();
        next = page.attr(".next-page", "href");
    }
    assert!(total > 50, "the log spans more than one page: {total}");
    assert_eq!(seen, total);
}

/// The working-day calendar is a table admins keep (seeded with 2025 and 2026): a
/// year by CSV import or a day at a time; bad lines are named and nothing is stored.
async fn admins_keep_the_working_day_calendar(app: TestApp) {
    use crate::helpers::Fields as Form;
    use reqwest::multipart::Part;
    app.load_demo();
    app.login("demo-admin", DEMO_PASSWORD).await;
    let page = app.page("/admin/calendar?year=2026").await;
    let years = page.select(".calendar-year");
    assert!(years.iter().any(|y| y.starts_with("2026")), "{years:?}");
    assert!(years.iter().any(|y| y.starts_with("2025")), "{years:?}");
    assert!(page
        .select(".calendar-day")
        .iter()
        .any(|d| d.contains("2026-10-01")));
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let calendar = || app.with_conn(|c| guantong::service::calendar::load(c).unwrap());
    assert!(
        calendar().is_working_day(d("2027-10-08")).is_err(),
        "2027 has no data yet"
    );

    let csv = |text: &str| {
        Form::new().part(
            "file",
            Part::bytes(text.as_bytes().to_vec())
                .file_name("2027.csv")
                .mime_str("text/csv")
                .unwrap(),
        )
    };
    // A bad file: every wrong line named, nothing stored.
    let bad = "date,kind,name\n2027-10-01,holiday,国庆节\n2027-10-11,workday,国庆节\n2027-13-01,holiday,x\n";
    let res = app
        .submit_multipart("/admin/calendar", "/admin/calendar/import", csv(bad))
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = page.field_error("file").unwrap();
    assert!(
        message.contains("第 3 行") && message.contains("第 4 行"),
        "{message}"
    );
    assert!(calendar().is_working_day(d("2027-10-01")).is_err());
    // A good one.
    let good = "date,kind,name\n2027-10-01,holiday,国庆节\n2027-10-09,workday,国庆节\n";
    let res = app
        .submit_multipart("/admin/calendar", "/admin/calendar/import", csv(good))
        .await;
    assert_redirect_to(&res, "/admin/calendar?year=2027&done=imported");
    assert_eq!(calendar().is_working_day(d("2027-10-01")), Ok(false));
    assert_eq!(
        calendar().is_working_day(d("2027-10-09")),
        Ok(true),
        "a worked Saturday"
    );

    // Day by day in a new year.
    let res = app
        .submit(
            "/admin/calendar",
            "/admin/calendar/years",
            &[("year", "2028")],
        )
        .await;
    assert_redirect_to(&res, "/admin/calendar?year=2028&done=year");
    let res = app
        .submit(
            "/admin/calendar",
            "/admin/calendar/days",
            &[
                ("date", "2028-10-02"),
                ("kind", "workday"),
                ("name", "国庆节"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert!(page.field_error("date").unwrap().contains("周六或周日"));
    assert_eq!(page.input_value("name").as_deref(), Some("国庆节"));
    let res = app
        .submit(
            "/admin/calendar",
            "/admin/calendar/days",
            &[
                ("date", "2028-10-02"),
                ("kind", "holiday"),
                ("name", "国庆节"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/admin/calendar?year=2028&done=day");
    assert_eq!(calendar().is_working_day(d("2028-10-02")), Ok(false));
    let res = app
        .submit(
            "/admin/calendar?year=2028",
            "/admin/calendar/days/remove",
            &[("date", "2028-10-02")],
        )
        .await;
    assert_redirect_to(&res, "/admin/calendar?year=2028&done=removed");
    assert_eq!(calendar().is_working_day(d("2028-10-02")), Ok(true));
    // A day in a year not in the calendar is refused beside the date.
    let res = app
        .submit(
            "/admin/calendar",
            "/admin/calendar/days",
            &[
                ("date", "2029-01-01"),
                ("kind", "holiday"),
                ("name", "元旦"),
            ],
        )
        .await;
    assert!(read_page(res)
        .await
        .field_error("date")
        .unwrap()
        .contains("尚未加入日历"));
    // Only admins.
    app.logout().await;
    app.login("demo-office", DEMO_PASSWORD).await;
    assert_eq!(
        app.get("/admin/calendar").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// The demo 中级 committee's id, as a form's select sends it.
fn committee(app: &TestApp) -> String {
    app.with_conn(|c| {
        guantong::demo::committees::ids(c)
            .unwrap()
            .intermediate
            .to_string()
    })
}
