//! Logging in and out, role landing pages, lockout, idle expiry, session renewal.

use crate::helpers::{assert_redirect_to, new_client, read_page, set_session_cookie, TestApp};
use guantong::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use reqwest::StatusCode;

crate::tests!(
    both: [each_role_lands_on_its_home_and_only_there, anonymous_visitors_are_sent_to_login, wrong_password_is_refused_and_login_kept, five_wrong_passwords_lock_until_expiry, idle_sessions_expire, login_renews_the_session_id, logout_ends_the_session_on_the_server],
);

async fn each_role_lands_on_its_home_and_only_there(app: TestApp) {
    app.load_demo();
    let homes = ["/applicant", "/employer", "/office", "/expert", "/admin"];
    for (login, role, _) in DEMO_ACCOUNTS {
        let res = app.login(login, DEMO_PASSWORD).await;
        assert_redirect_to(&res, role.home());
        let page = app.page(role.home()).await;
        assert_eq!(page.status, StatusCode::OK, "{login} home");
        assert!(!page.text("h1").is_empty());
        // The header shows who is logged in, with a logout form.
        assert!(page
            .attr("form[action='/logout'] input[name=csrf_token]", "value")
            .is_some());
        for other in homes.iter().filter(|h| **h != role.home()) {
            assert_eq!(
                app.get(other).await.status(),
                StatusCode::FORBIDDEN,
                "{login} on {other}"
            );
        }
        // Going to the login page while logged in goes home.
        assert_redirect_to(&app.get("/login").await, role.home());
        assert_redirect_to(&app.logout().await, "/");
    }
}

async fn anonymous_visitors_are_sent_to_login(app: TestApp) {
    for home in [
        "/applicant",
        "/employer",
        "/office",
        "/expert",
        "/admin",
        "/admin/accounts",
    ] {
        let res = app.get(home).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?next="), "{home} → {location}");
    }
    // After logging in, the visitor comes back to the page asked for.
    app.load_demo();
    let page = app.page("/login?next=/admin/accounts").await;
    assert_eq!(page.input_value("next").as_deref(), Some("/admin/accounts"));
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
                ("next", "/admin/accounts"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/admin/accounts");
    // …but never to another site.
    app.logout().await;
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/admin");
}

async fn wrong_password_is_refused_and_login_kept(app: TestApp) {
    app.load_demo();
    let res = app.login("demo-applicant", "wrong-pass-1").await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["password"]);
    assert_eq!(
        page.field_error("password").as_deref(),
        Some("登录名或密码不正确")
    );
    assert_eq!(page.input_value("login").as_deref(), Some("demo-applicant"));
    assert_eq!(page.input_value("password").as_deref(), Some(""));
    // An unknown name gets the same answer, so names cannot be probed.
    let page = read_page(app.login("nobody-here", "wrong-pass-1").await).await;
    assert_eq!(
        page.field_error("password").as_deref(),
        Some("登录名或密码不正确")
    );
    // Empty fields are named.
    let page = read_page(app.login("", "").await).await;
    page.assert_errors_linked(&["login", "password"]);
}

async fn five_wrong_passwords_lock_until_expiry(app: TestApp) {
    app.load_demo();
    for attempt in 1..=4 {
        let page = read_page(app.login("demo-expert1", "wrong-pass-1").await).await;
        assert_eq!(
            page.field_error("password").as_deref(),
            Some("登录名或密码不正确"),
            "attempt {attempt}"
        );
    }
    // The fifth pauses this name from this client, and says until when.
    let page = read_page(app.login("demo-expert1", "wrong-pass-1").await).await;
    assert!(page.field_error("login").unwrap().contains("登录已暂停至"));
    // Paused: even the right password is told so, and another account is not affected.
    let page = read_page(app.login("demo-expert1", DEMO_PASSWORD).await).await;
    assert!(page.field_error("login").unwrap().contains("登录已暂停至"));
    assert_redirect_to(&app.login("demo-expert2", DEMO_PASSWORD).await, "/expert");
    app.logout().await;
    // Fourteen minutes on, still paused; past fifteen, the right password works.
    app.clock.advance(chrono::Duration::minutes(14));
    let page = read_page(app.login("demo-expert1", DEMO_PASSWORD).await).await;
    assert!(page.field_error("login").unwrap().contains("登录已暂停至"));
    app.clock.advance(chrono::Duration::minutes(2));
    assert_redirect_to(&app.login("demo-expert1", DEMO_PASSWORD).await, "/expert");
    // The pause is in the audit log.
    let actions: Vec<String> = app.with_conn(|c| {
        guantong::store::audit::latest(c, 50)
            .unwrap()
            .into_iter()
            .map(|r| r.action.code())
            .collect()
    });
    assert!(actions.iter().any(|a| a == "login.locked"));
    // A good login clears the count: one wrong password does not pause again.
    app.logout().await;
    read_page(app.login("demo-expert1", "wrong-pass-1").await).await;
    assert_redirect_to(&app.login("demo-expert1", DEMO_PASSWORD).await, "/expert");
}

async fn idle_sessions_expire(app: TestApp) {
    app.load_demo();
    assert_redirect_to(&app.login("demo-office", DEMO_PASSWORD).await, "/office");
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        app.get("/office").await.status(),
        StatusCode::OK,
        "29 minutes idle is fine"
    );
    // Activity resets the idle clock.
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(app.get("/office").await.status(), StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(31));
    let res = app.get("/office").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    // A session that timed out stays a while (unusable), so that a form any tab posts to it is
    // still recognised and kept, whoever logs in meanwhile; then a login purges it.
    let other = app.share();
    other.login("demo-expert1", DEMO_PASSWORD).await;
    other.clock.advance(chrono::Duration::minutes(31));
    let sessions = |app: &TestApp| app.with_conn(|c| guantong::store::sessions::count(c).unwrap());
    assert_eq!(
        sessions(&app),
        2,
        "the office's and the expert's, timed out both"
    );
    assert_eq!(app.get("/office").await.status(), StatusCode::SEE_OTHER);
    app.share().login("demo-admin", DEMO_PASSWORD).await;
    assert_eq!(sessions(&app), 3, "the timed-out ones are still there");
    app.clock.advance(chrono::Duration::hours(13));
    app.share().login("demo-admin", DEMO_PASSWORD).await;
    assert_eq!(
        sessions(&app),
        1,
        "the timed-out ones purged; the last admin's is the one left"
    );
}

async fn login_renews_the_session_id(app: TestApp) {
    app.load_demo();
    let res = app.get("/login").await;
    assert_eq!(
        set_session_cookie(&res),
        None,
        "anonymous visitors get no session"
    );
    let token = read_page(res).await.csrf();
    let res = app
        .post_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("login", "demo-employer"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    let before = set_session_cookie(&res).expect("login sets a session cookie");
    // Logging in again (say, after the tab sat open) gives a new session id; the old one dies.
    let token = app.page("/employer").await.csrf();
    let res = app
        .post_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("login", "demo-employer"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    let after = set_session_cookie(&res).expect("a new session cookie");
    assert_ne!(before, after);
    let other = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let with = |cookie: String| {
        other
            .get(app.url("/employer"))
            .header("cookie", format!("guantong_session={cookie}"))
            .send()
    };
    assert_eq!(with(before).await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(with(after).await.unwrap().status(), StatusCode::OK);
}

async fn logout_ends_the_session_on_the_server(app: TestApp) {
    app.load_demo();
    let token = app.page("/login").await.csrf();
    let res = app
        .post_raw(
            "/login",
            &[
                ("csrf_token", &token),
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    let cookie = set_session_cookie(&res).unwrap();
    let res = app.logout().await;
    assert_redirect_to(&res, "/");
    // A copy of the old cookie (another device, a stolen cookie) no longer works.
    let thief = new_client();
    let res = thief
        .get(app.url("/admin"))
        .header("cookie", format!("guantong_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/admin").await.status(), StatusCode::SEE_OTHER);
}
