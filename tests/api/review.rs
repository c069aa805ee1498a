//! What the third security review found, each as a test that fails without its fix.

use crate::fixtures::{actor, now};
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::service::passwords;

crate::tests!(both: [wrong_current_passwords_in_parallel_meet_the_same_pause]);

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
