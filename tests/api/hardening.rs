//! What the second outside security review found, each as a test that fails without its fix.

use crate::fixtures::{actor, now};
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::service::{passwords, staff, ActionError};
use reqwest::StatusCode;

crate::tests!(both: [a_disabled_employers_clerks_stop_with_it]);

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
    let browser = app.share();
    let res = browser.login("13911112222", &password).await;
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
    let page = crate::helpers::read_page(again.login("13911112222", &password).await).await;
    assert!(page.html.html().contains("已停用"), "a clerk logs in");
    // Switched on again, the employer brings the clerk back.
    app.with_conn(|c| passwords::set_active(c, &admin, employer.id, true, now).unwrap());
    let back = app.share();
    let res = back.login("13911112222", &password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A clerk the admin switched off stays off whatever the employer does.
    app.with_conn(|c| {
        passwords::set_active(c, &admin, clerk.id, false, now).unwrap();
        match staff::set_active(c, &employer, clerk.id, true, now) {
            Err(ActionError::Refused(m)) => assert_eq!(m, staff::ADMIN_DISABLED),
            other => panic!("the employer switched on an admin's choice: {other:?}"),
        }
        // One the employer switched off, it may switch on.
        passwords::set_active(c, &admin, clerk.id, true, now).unwrap();
        staff::set_active(c, &employer, clerk.id, false, now).unwrap();
        staff::set_active(c, &employer, clerk.id, true, now).unwrap();
    });
    let _ = DEMO_PASSWORD;
}
