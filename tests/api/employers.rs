//! Employers are verified before they see anything: a registration is a claim an admin checks
//! against the licence; an application naming an unverified code waits, and reaches the employer
//! the moment it is verified.

use crate::fixtures::{complete_draft_naming, now, open_round, submit_command};
use crate::helpers::{assert_redirect_to, read_page, TestApp};
use crate::register::{admin_verifies, register_employer};
use guantong::demo::{credit_code_with_check, DEMO_PASSWORD};
use reqwest::StatusCode;

crate::tests!(
    both: [an_application_waits_for_its_employer_to_be_verified, the_status_page_names_every_problem_and_the_end_of_a_pause],
);

fn claim(code: &str, name: &'static str, contact: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.into()),
        ("credit_code", code.into()),
        ("contact_name", contact.into()),
        ("contact_phone", "13712345678".into()),
        ("password", "hr-pass-2026".into()),
        ("password_confirm", "hr-pass-2026".into()),
    ]
}

/// Files a claim and returns its number, as the page after it shows.
async fn file_claim(app: &TestApp, fields: &[(&'static str, String)]) -> String {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = register_employer(app, &refs, Some(crate::applications::PDF)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(res.headers()["location"].to_str().unwrap()).await;
    page.text(".claim-number")
}

/// The status page's answer for a claim number and a password.
async fn status(app: &TestApp, number: &str, password: &str) -> crate::helpers::Page {
    read_page(
        app.submit(
            "/register/employer/status",
            "/register/employer/status",
            &[("number", number), ("password", password)],
        )
        .await,
    )
    .await
}

async fn an_application_waits_for_its_employer_to_be_verified(app: TestApp) {
    app.load_demo();
    let now = now(&app);
    let code = credit_code_with_check("91310000MA1NEW0X1");
    let (me, id) = app.with_conn(|c| {
        let round = open_round(c, "认证测试批次", now);
        complete_draft_naming(c, round, now, &code, None)
    });
    let cmd = app.with_conn(|c| submit_command(c, id));
    app.with_conn(|c| guantong::service::submission::submit(c, &me, cmd, now))
        .unwrap();
    // The applicant is told the employer is not verified yet, and what to do.
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let home = app.page("/applicant").await;
    assert!(!home.select(".employer-unverified").is_empty());
    let task_list = app.page(&format!("/applicant/applications/{id}")).await;
    assert_eq!(task_list.text(".state"), "单位审核中");
    assert!(task_list.text(".notice").contains(&code));
    app.logout().await;
    // Whoever registers the code first gets nothing: two claims wait side by side.
    let rogue = app.share();
    let rogue_number = file_claim(&rogue, &claim(&code, "冒名公司", "冒名者")).await;
    let genuine = app.share();
    let genuine_number =
        file_claim(&genuine, &claim(&code, "上海新贯通科技有限公司", "陈红")).await;
    // Each claimant sees their claim waiting, with its number and password; a wrong password
    // and a number that does not exist get one answer.
    let pending = status(&genuine, &genuine_number, "hr-pass-2026").await;
    assert!(pending.text("#claim-status").contains("待审核"));
    let wrong = status(&genuine, &genuine_number, "not-the-pass-1").await;
    let unknown = status(&genuine, "99999", "hr-pass-2026").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        wrong.field_error("password"),
        unknown.field_error("password")
    );
    assert!(wrong.select("#claim-status").is_empty() && unknown.select("#claim-status").is_empty());
    assert_eq!(
        read_page(rogue.login(&code, "hr-pass-2026").await)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a pending claim does not log in"
    );
    let admin = app.share();
    admin.login("demo-admin", DEMO_PASSWORD).await;
    let queue = admin.page("/admin/employers").await;
    assert_eq!(queue.select(".claim-code"), [code.clone(), code.clone()]);
    assert!(queue.text(".claim .notice").contains("另有 1 份"));
    let licence = queue.attr("a.licence-link", "href").unwrap();
    let res = admin.get(&licence).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(
        genuine.get(&licence).await.status(),
        StatusCode::SEE_OTHER,
        "admins only"
    );
    // The rogue claim is rejected with a reason (one is required).
    let rogue_id = rogue_number.clone();
    assert!(queue
        .text(&format!("#claim-{rogue_id}"))
        .contains("冒名公司"));
    let page = read_page(
        admin
            .submit(
                "/admin/employers",
                &format!("/admin/employers/{rogue_id}/reject"),
                &[("reason", "")],
            )
            .await,
    )
    .await;
    page.assert_errors_linked(&[&format!("reason-{rogue_id}")]);
    let res = admin
        .submit(
            "/admin/employers",
            &format!("/admin/employers/{rogue_id}/reject"),
            &[("reason", "营业执照上的名称与填写不符")],
        )
        .await;
    assert_redirect_to(&res, "/admin/employers?done=rejected");
    // The rogue claimant learns why.
    let rejected = status(&rogue, &rogue_number, "hr-pass-2026").await;
    assert!(rejected.text("#claim-status").contains("未通过"));
    assert_eq!(rejected.text(".claim-reason"), "营业执照上的名称与填写不符");
    // The genuine one is verified: it logs in and finds the application waiting for it.
    admin_verifies(&app, &code).await;
    assert_redirect_to(&genuine.login(&code, "hr-pass-2026").await, "/employer");
    let list = genuine.page("/employer").await;
    assert_eq!(list.select("tr.application .state"), ["待核实"]);
    assert_eq!(
        genuine.get(&format!("/applications/{id}")).await.status(),
        StatusCode::OK
    );
    // The applicant no longer sees the warning.
    app.login("demo-applicant", DEMO_PASSWORD).await;
    assert!(app
        .page("/applicant")
        .await
        .select(".employer-unverified")
        .is_empty());
    // The audit log says who verified and who was rejected.
    let actions: Vec<String> = app.with_conn(|c| {
        guantong::store::audit::latest(c, 30)
            .unwrap()
            .into_iter()
            .map(|r| r.action.code())
            .collect()
    });
    assert!(
        actions.contains(&"employer.verify".into()) && actions.contains(&"employer.reject".into())
    );
}

/// The status page lists every field left empty at once, says what is wrong with a number
/// typed wrongly, and tells a paused address until when.
async fn the_status_page_names_every_problem_and_the_end_of_a_pause(app: TestApp) {
    let page = status(&app, "", "").await;
    page.assert_errors_linked(&["number", "password"]);
    let page = status(&app, "第12号", "").await;
    assert!(page
        .field_error("number")
        .unwrap()
        .contains("“第12号”不是数字"));
    assert!(page.field_error("password").unwrap().starts_with("请输入"));
    let mut last = None;
    for _ in 0..21 {
        last = Some(status(&app, "99999", "hr-pass-2026").await);
    }
    let paused = last.unwrap().field_error("password").unwrap();
    // An hour after the pause began, a moment ago.
    let now = guantong::store::to_db_time(app.clock.now());
    let around = [59, 60].map(|m| {
        let until = guantong::time::local_minutes(now + chrono::Duration::minutes(m));
        format!("暂停至 {until}")
    });
    assert!(around.iter().any(|a| paused.contains(a)), "{paused}");
}
