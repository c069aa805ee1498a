//! What the third security review found, each as a test that fails without its fix.

use crate::fixtures::{actor, now};
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::service::passwords;
use reqwest::StatusCode;

crate::tests!(
    both: [wrong_current_passwords_in_parallel_meet_the_same_pause],
    per_backend: [the_applicant_sees_no_objection_the_employer_handles],
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
    crate::helpers::assert_redirect_to(&res, &path);
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
