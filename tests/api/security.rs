//! CSRF refusal, cookie flags, security headers, and no 500 on bad input.

use crate::helpers::{read_page, TestApp};
use guantong::demo::{id_number_with_check, DEMO_PASSWORD};
use reqwest::StatusCode;

crate::tests!(
    both: [anonymous_visitors_write_no_session_and_their_forms_are_signed, head_answers_like_get_and_other_methods_are_refused, error_pages_are_not_stored, next_after_login_stays_on_this_site, sessions_end_after_their_absolute_lifetime, log_out_everywhere_ends_every_session, posts_without_a_valid_csrf_token_are_refused_and_change_nothing, cookies_and_security_headers, garbage_never_yields_a_server_error, registrations_and_logins_are_audited_in_an_unbroken_chain, pages_are_compressed_with_tokens_masked_and_an_icon],
    task: [cookies_are_secure_when_configured],
);

async fn posts_without_a_valid_csrf_token_are_refused_and_change_nothing(app: TestApp) {
    app.load_demo();
    let before = app.account_count();
    let id = id_number_with_check("31011519900101123");
    let fields = [
        ("name", "王小明"),
        ("id_number", id.as_str()),
        ("mobile", "13912345678"),
        ("password", "secret-2026"),
        ("password_confirm", "secret-2026"),
    ];
    // No token at all, after a page view started a session.
    app.get("/register/applicant").await;
    let page = read_page(app.post_raw("/register/applicant", &fields).await).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(page.text("h1"), "页面已过期");
    // A wrong token.
    let mut with_wrong = vec![("csrf_token", "0000")];
    with_wrong.extend_from_slice(&fields);
    assert_eq!(
        app.post_raw("/register/applicant", &with_wrong)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // A token from another session.
    let other = crate::helpers::new_client();
    let res = other
        .get(app.url("/register/applicant"))
        .send()
        .await
        .unwrap();
    let foreign = read_page(res).await.csrf();
    let mut with_foreign = vec![("csrf_token", foreign.as_str())];
    with_foreign.extend_from_slice(&fields);
    assert_eq!(
        app.post_raw("/register/applicant", &with_foreign)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.account_count(), before, "nothing was registered");
    // Login without a token does not log in.
    let res = app
        .post_raw(
            "/login",
            &[("login", "demo-admin"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/admin").await.status(), StatusCode::SEE_OTHER);
    // Logout without a token does not log out.
    app.login("demo-admin", DEMO_PASSWORD).await;
    assert_eq!(
        app.post_raw("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/admin").await.status(), StatusCode::OK);
    // Creating an account without a token creates nothing.
    let count = app.account_count();
    let res = app
        .post_raw(
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

async fn cookies_and_security_headers(app: TestApp) {
    let res = app.get("/login").await;
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "not Secure unless configured: {cookie}"
    );
    for path in [
        "/",
        "/login",
        "/no-such-page",
        "/static/guantong.css",
        "/register/employer",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: CSP"))
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert!(h.get("referrer-policy").is_some(), "{path}");
    }
    let page = app.page("/no-such-page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.attr("html", "lang").as_deref(), Some("zh-CN"));
    // No inline script anywhere, and no script needed.
    let page = app.page("/register/applicant").await;
    assert!(page.select("script").is_empty());
    assert!(page.select("[style]").is_empty());
}

async fn garbage_never_yields_a_server_error(app: TestApp) {
    let token = app.page("/login").await.csrf();
    let bodies = [
        format!("csrf_token={token}&login=%ZZ&password=x"),
        format!("csrf_token={token}&login=a&login=b"),
        format!("csrf_token={token}&password={}", "x".repeat(100_000)),
        "%%%".to_string(),
    ];
    for body in bodies {
        let res = app
            .client
            .post(app.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(
            res.status().is_client_error(),
            "{} for {}",
            res.status(),
            &body[..body.len().min(60)]
        );
    }
    // Paths and queries that do not parse get the styled pages, never a bare text answer.
    app.load_demo();
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    for path in [
        "/applicant/applications/abc",
        "/applicant/applications/99999999999999999999",
        "/applicant/applications/1/nosuch",
        "/evidence/..%2Fetc",
        // Each area is a scope of its own: what matches none of its routes still gets the
        // styled page, as does a GET of a path that only takes a POST.
        "/applicant/nosuch",
        "/applicantx",
        "/applicant/applications",
        "/employer/nosuch",
        "/employer/applications/1/nosuch",
        "/admin/nosuch",
        "/admin/employers/reject",
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.text("h1"), "页面不存在", "{path}");
    }
    app.logout().await;
    // Invisible, foreign and broken text is refused beside its field; a NUL, which no browser
    // sends and PostgreSQL cannot store, refuses the whole form.
    for (name, status) in [
        ("%E2%80%8B", StatusCode::UNPROCESSABLE_ENTITY),
        ("%E2%80%8B%00", StatusCode::BAD_REQUEST),
    ] {
        let token = app.page("/register/applicant").await.csrf();
        let res = app
            .client
            .post(app.url("/register/applicant"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "csrf_token={token}&name={name}&id_number=%F0%9F%98%80&mobile=%FF"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), status, "{name}");
    }
}

async fn registrations_and_logins_are_audited_in_an_unbroken_chain(app: TestApp) {
    app.load_demo();
    app.login("demo-applicant", "wrong-pass-1").await;
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let (rows, broken) = app.with_conn(|c| {
        (
            guantong::store::audit::latest(c, 1000).unwrap(),
            guantong::store::audit::verify_chain(c).unwrap(),
        )
    });
    assert_eq!(broken, None);
    let actions: Vec<String> = rows.iter().map(|r| r.action.code()).collect();
    let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
    assert!(actions.contains(&"account.register"));
    assert!(actions.contains(&"login.failed"));
    assert!(actions.contains(&"login"));
}

async fn cookies_are_secure_when_configured() {
    let app = crate::helpers::try_spawn_app_with(crate::helpers::Backend::Sqlite, |c| {
        c.secure_cookies = true
    })
    .await
    .unwrap();
    let res = app.get("/login").await;
    let cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // Behind HTTPS, browsers are told to stay on HTTPS.
    let hsts = res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(hsts.starts_with("max-age="), "{hsts}");
}

fn session_rows(app: &TestApp) -> i64 {
    app.with_conn(|c| guantong::store::sessions::count(c).unwrap())
}

async fn anonymous_visitors_write_no_session_and_their_forms_are_signed(app: TestApp) {
    app.load_demo();
    for path in [
        "/",
        "/login",
        "/self-check",
        "/register/applicant",
        "/no-such-page",
    ] {
        app.get(path).await;
        crate::helpers::new_client()
            .get(app.url(path))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        session_rows(&app),
        0,
        "page views by anonymous visitors write nothing"
    );
    // A token signed for another visitor's cookie is refused.
    let theirs = read_page(
        crate::helpers::new_client()
            .get(app.url("/login"))
            .send()
            .await
            .unwrap(),
    )
    .await
    .csrf();
    let mine = app.page("/login").await.csrf();
    assert_ne!(theirs, mine);
    let res = app
        .post_raw(
            "/login",
            &[
                ("csrf_token", &theirs),
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(session_rows(&app), 0);
    // The visitor's own token works, and logging in creates the first session row.
    let res = app
        .post_raw(
            "/login",
            &[
                ("csrf_token", &mine),
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_rows(&app), 1);
    // A POST with no cookie at all is refused without writing anything.
    let res = crate::helpers::new_client()
        .post(app.url("/self-check"))
        .form(&[("csrf_token", mine.as_str()), ("pathway", "title")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn head_answers_like_get_and_other_methods_are_refused(app: TestApp) {
    for path in ["/", "/login", "/self-check", "/static/guantong.css"] {
        let get = app.get(path).await;
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(
            head.headers()["content-type"],
            get.headers()["content-type"],
            "{path}"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "{path}: no body");
    }
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let res = app
            .client
            .request(m, app.url("/login"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    }
}

async fn error_pages_are_not_stored(app: TestApp) {
    app.load_demo();
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["cache-control"], "no-store");
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let res = app.get("/admin").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

async fn next_after_login_stays_on_this_site(app: TestApp) {
    app.load_demo();
    for next in [
        "/%09/evil.example",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/%2F%2Fevil.example",
        "/admin\u{7}x",
        "/admin\r\nSet-Cookie:x=1",
        "/ admin",
    ] {
        let res = app
            .submit(
                "/login",
                "/login",
                &[
                    ("login", "demo-admin"),
                    ("password", DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        crate::helpers::assert_redirect_to(&res, "/admin");
        app.logout().await;
    }
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("login", "demo-admin"),
                ("password", DEMO_PASSWORD),
                ("next", "/admin/accounts?page=2"),
            ],
        )
        .await;
    crate::helpers::assert_redirect_to(&res, "/admin/accounts?page=2");
}

async fn sessions_end_after_their_absolute_lifetime(app: TestApp) {
    app.load_demo();
    app.login("demo-office", DEMO_PASSWORD).await;
    // Active every 20 minutes for 11 h 40 min: still logged in.
    for _ in 0..35 {
        app.clock.advance(chrono::Duration::minutes(20));
        assert_eq!(app.get("/office").await.status(), StatusCode::OK);
    }
    app.clock.advance(chrono::Duration::minutes(21));
    let res = app.get("/office").await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "past 12 hours the session has ended"
    );
    let page = app.page(res.headers()["location"].to_str().unwrap()).await;
    assert!(page.text(".notice").contains("您已超时退出"));
}

async fn log_out_everywhere_ends_every_session(app: TestApp) {
    app.load_demo();
    let phone = app.share();
    app.login("demo-applicant", DEMO_PASSWORD).await;
    phone.login("demo-applicant", DEMO_PASSWORD).await;
    assert_eq!(phone.get("/applicant").await.status(), StatusCode::OK);
    let page = app.page("/account").await;
    assert_eq!(page.text(".login-name"), "demo-applicant");
    let res = app
        .submit("/account", "/account/logout-everywhere", &[])
        .await;
    crate::helpers::assert_redirect_to(&res, "/login?ended=everywhere");
    for client in [&app, &phone] {
        assert_eq!(
            client.get("/applicant").await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let actions: Vec<String> = app.with_conn(|c| {
        guantong::store::audit::latest(c, 5)
            .unwrap()
            .into_iter()
            .map(|r| r.action.code())
            .collect()
    });
    assert!(actions.contains(&"logout.everywhere".to_string()));
}

/// Responses are gzip-compressed for clients that ask; because compressed pages must
/// not repeat a secret byte for byte (BREACH), each page carries its CSRF token under a fresh mask,
/// and every mask of the token is accepted. /favicon.ico exists.
async fn pages_are_compressed_with_tokens_masked_and_an_icon(app: TestApp) {
    app.load_demo();
    let res = app
        .client
        .get(format!("{}/self-check", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let (a, b) = (
        app.page("/account").await.csrf(),
        app.page("/account").await.csrf(),
    );
    assert_ne!(a, b, "a fresh mask per page");
    // The earlier page's mask is as good as the latest one.
    let res = app
        .client
        .post(format!("{}/logout", app.address))
        .form(&[("csrf_token", a.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "an earlier mask is accepted"
    );
    assert!(!b.is_empty());
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    // A mask of another token is refused.
    let page = app.page("/account").await;
    let token = page.csrf();
    let (pad, masked) = token.split_at(token.len() / 2);
    let mut flipped = hex_flip(masked);
    flipped.insert_str(0, pad);
    let res = app
        .client
        .post(format!("{}/logout", app.address))
        .form(&[("csrf_token", flipped.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// The same hex with its last digit changed.
fn hex_flip(s: &str) -> String {
    let mut out = s[..s.len() - 1].to_string();
    out.push(if s.ends_with('0') { '1' } else { '0' });
    out
}
