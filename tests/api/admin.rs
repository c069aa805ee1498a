//! The admin creates office, expert and admin accounts; nobody else can.

use crate::helpers::{assert_redirect_to, read_page, TestApp};
use guantong::demo::DEMO_PASSWORD;
use reqwest::StatusCode;

crate::on_both_backends!(
    admin_creates_staff_accounts,
    only_admins_create_accounts,
    first_start_creates_one_admin
);

async fn admin_creates_staff_accounts(app: TestApp) {
    app.load_demo();
    assert_redirect_to(&app.login("demo-admin", DEMO_PASSWORD).await, "/admin");
    let page = read_page(
        app.submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", "expert-zhao"),
                ("display_name", "赵工"),
                ("role", "expert"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".created-login"), "expert-zhao");
    let password = page.text(".created-password");
    assert!(guantong::domain::Password::parse(&password).is_ok());
    assert!(page
        .select("table.accounts td")
        .contains(&"expert-zhao".to_string()));
    // Shown once: the list page does not show it again.
    assert!(app
        .page("/admin/accounts")
        .await
        .select(".created-password")
        .is_empty());
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
    let page = read_page(
        app.submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("login", "abcdefgh1234567890"),
                ("display_name", "某办公室"),
                ("role", "office"),
            ],
        )
        .await,
    )
    .await;
    let code_like = page.text(".created-password");
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
    assert_redirect_to(&app.login(&login, &password).await, "/admin");
}
