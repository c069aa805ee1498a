//! The demo on any date: `serve --demo` runs its clock on a date the working-day calendar covers,
//! says so on every page, and shows every state it promises whatever the real date is.

use crate::helpers::{try_spawn_app_with, Backend, TestApp};
use diesel::prelude::*;
use guantong::domain::State;
use guantong::store::schema::applications;

crate::tests!(
    per_backend: [the_demo_shows_every_state_on_a_date_past_the_calendar],
    sync: [the_start_up_banner_names_every_demo_login_readme_names],
);

/// Every login README names in its demo section is printed by `serve --demo` at start.
fn the_start_up_banner_names_every_demo_login_readme_names() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("## Demo accounts")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a demo section");
    let banner = guantong::demo::banner().join("\n");
    let mut named = 0;
    for (i, part) in section.split('`').enumerate() {
        let login = part.trim();
        let looks_like_login = login.starts_with("demo-")
            || (login.len() == 11 && login.bytes().all(|b| b.is_ascii_digit()));
        if i % 2 == 1 && looks_like_login {
            named += 1;
            assert!(
                banner.contains(login),
                "{login} is not in the banner:\n{banner}"
            );
        }
    }
    assert!(named >= 12, "README names {named} demo logins");
}

/// A demo server whose real clock reads `day` (the demo then moves it), with the demo loaded.
pub async fn demo_app(backend: Backend, day: &str) -> Option<(TestApp, chrono::NaiveDate)> {
    let app = try_spawn_app_with(backend, |c| c.demo = true).await?;
    let real = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .expect("a date")
        .and_hms_opt(2, 0, 0)
        .expect("a time")
        .and_utc();
    app.clock.set(real);
    let demo_day = app.with_conn(|c| guantong::demo::start(c, &app.clock).expect("the demo loads"));
    Some((app, demo_day))
}

async fn the_demo_shows_every_state_on_a_date_past_the_calendar(backend: Backend) {
    // The shipped calendar holds 2025 and 2026: in March 2027 the demo runs in late 2026.
    let Some((app, day)) = demo_app(backend, "2027-03-01").await else {
        return;
    };
    assert_eq!(day.to_string(), "2026-11-16");
    assert_eq!(app.today(), day);
    let states: Vec<String> = app.with_conn(|c| {
        applications::table
            .select(applications::state)
            .distinct()
            .load(c)
            .expect("states")
    });
    for state in guantong::demo::SHOWN_STATES {
        assert!(
            states.iter().any(|s| s == state.as_str()),
            "the demo shows no application in {state:?} (it has {states:?})"
        );
    }
    // Both a running publicity and one that is over, and a return waiting for its answer.
    let (running, over, returned): (i64, i64, i64) = app.with_conn(|c| {
        let publicity =
            applications::table.filter(applications::state.eq(State::EmployerPublicity.as_str()));
        (
            publicity
                .filter(applications::publicity_ends_on.ge(day))
                .count()
                .get_result(c)
                .expect("count"),
            publicity
                .filter(applications::publicity_ends_on.lt(day))
                .count()
                .get_result(c)
                .expect("count"),
            applications::table
                .filter(applications::state.eq(State::Draft.as_str()))
                .filter(applications::reference.is_not_null())
                .count()
                .get_result(c)
                .expect("count"),
        )
    });
    assert!(
        running >= 1 && over >= 2 && returned >= 1,
        "{running} {over} {returned}"
    );
    // Every page says the demo's date: a visitor's, a logged-in person's and an error page.
    let banner = format!("演示数据：系统日期为 {day}");
    for path in ["/", "/login", "/no-such-page"] {
        let page = app.page(path).await;
        assert!(page.text(".demo-banner").contains(&banner), "{path}");
    }
    app.login("demo-admin", guantong::demo::DEMO_PASSWORD).await;
    let home = app.page("/admin").await;
    assert!(home.text(".demo-banner").contains(&banner));
    // The admin is told, weeks ahead, that next year's holidays are missing.
    assert!(home
        .text("#calendar-missing")
        .contains("2027 年的节假日安排尚未录入"));
}
