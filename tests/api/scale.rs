//! `guantong demo --scale N`: every state, an unbroken audit chain, the same data for the same N
//! and seed, and the pages work on it (the benchmark's pages in particular).

use crate::fixtures::now;
use crate::helpers::TestApp;
use guantong::demo::DEMO_PASSWORD;
use guantong::domain::State;
use reqwest::StatusCode;

crate::tests!(
    both: [generated_data_covers_every_state_and_pages_work_on_it],
);

fn states(app: &TestApp) -> Vec<(String, i64)> {
    use diesel::prelude::*;
    use guantong::store::schema::applications;
    app.with_conn(|c| {
        let mut rows: Vec<(String, i64)> = applications::table
            .group_by(applications::state)
            .select((applications::state, diesel::dsl::count_star()))
            .load(c)
            .unwrap();
        rows.sort();
        rows
    })
}

/// Every employer's tab counts equal the lengths of its lists; the number of employers checked.
fn counts_match_lists(app: &TestApp, today: chrono::NaiveDate) -> usize {
    use diesel::prelude::*;
    use guantong::store::schema::applications;
    app.with_conn(|c| {
        let employers: Vec<Option<i64>> = applications::table
            .select(applications::employer_id)
            .distinct()
            .load(c)
            .unwrap();
        let employers: Vec<i64> = employers.into_iter().flatten().collect();
        for &e in &employers {
            crate::fixtures::assert_counts_match_lists(c, guantong::domain::AccountId(e), today);
        }
        employers.len()
    })
}

async fn generated_data_covers_every_state_and_pages_work_on_it(app: TestApp) {
    let now = now(&app);
    let summary = app
        .with_conn(|c| guantong::demo::scale::generate(c, 4000, 7, now))
        .unwrap();
    assert_eq!(summary.applications, 4000);
    let counts = states(&app);
    for state in State::ALL {
        assert!(
            counts.iter().any(|(s, n)| s == state.as_str() && *n > 0),
            "{state:?} missing: {counts:?}"
        );
    }
    assert_eq!(
        app.with_conn(|c| guantong::store::audit::verify_chain(c).unwrap()),
        None
    );
    assert!(counts_match_lists(&app, now.date()) > 10);
    // Again: reused, nothing added.
    let again = app
        .with_conn(|c| guantong::demo::scale::generate(c, 4000, 7, now))
        .unwrap();
    assert!(again.reused);
    assert_eq!(states(&app), counts);
    // The same N and seed on other databases give the same applications; another seed does not.
    let mut seen = Vec::new();
    for seed in [7, 7, 8] {
        let other = crate::helpers::try_spawn_app(crate::helpers::Backend::Sqlite)
            .await
            .unwrap();
        let now2 = crate::fixtures::now(&other);
        other
            .with_conn(|c| guantong::demo::scale::generate(c, 300, seed, now2))
            .unwrap();
        seen.push(states(&other));
    }
    assert_eq!(seen[0], seen[1], "deterministic for N and seed");
    assert_ne!(seen[0], seen[2]);
    // The pages the benchmark drives.
    app.login("demo-employer", DEMO_PASSWORD).await;
    let first = app.page("/employer").await;
    assert_eq!(first.select("tr.application").len(), 20);
    // A clerk who publicises in large batches shows more rows; the pager and the tabs keep the
    // size, and a size that is not offered is the default.
    let wide = app.page("/employer?per=50").await;
    assert_eq!(wide.select("tr.application").len(), 50);
    let wide_next = wide.attr("a.next-page", "href").unwrap();
    assert!(wide_next.ends_with("&per=50"), "{wide_next}");
    let wide_page2 = app.page(&wide_next).await;
    assert_eq!(
        wide_page2.attr("a.first-page", "href").as_deref(),
        Some("/employer?per=50")
    );
    let wide_second = wide_page2.select("tr.application");
    assert!(!wide_second.is_empty() && wide_second.len() <= 50);
    assert!(!wide.select("tr.application").contains(&wide_second[0]));
    assert!(wide
        .attr(".tabs a[href*='tab=review']", "href")
        .unwrap()
        .ends_with("&per=50"));
    assert_eq!(wide.text(".page-size [aria-current]"), "50 条");
    assert_eq!(
        app.page("/employer?per=7")
            .await
            .select("tr.application")
            .len(),
        20
    );
    let next = first.attr("a.next-page", "href").unwrap();
    let second = app.page(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(
        second.attr("a.first-page", "href").as_deref(),
        Some("/employer")
    );
    assert_ne!(
        first.select("tr.application td a"),
        second.select("tr.application td a")
    );
    let last = app.page("/employer?page=last").await;
    assert!(!last.select("tr.application").is_empty());
    let review = first.attr("tr.application td a", "href").unwrap();
    let review = app.page(&review).await;
    assert_eq!(review.status, StatusCode::OK);
    let dossier = review
        .attr("main a[href^='/applications/']", "href")
        .unwrap();
    let page = app.page(&dossier).await;
    assert_eq!(page.status, StatusCode::OK);
    let evidence = page.attr("a.evidence-link", "href").unwrap();
    assert_eq!(app.get(&evidence).await.status(), StatusCode::OK);
    app.logout().await;
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let home = app.page("/applicant").await;
    assert_eq!(home.select("tr.application").len(), 20);
    let more = app.page(&home.attr("a.next-page", "href").unwrap()).await;
    assert_eq!(more.status, StatusCode::OK);
    let draft = home.attr("tr.application td a", "href").unwrap();
    assert_eq!(
        app.page(&format!("{draft}/basic")).await.status,
        StatusCode::OK
    );
    app.logout().await;
    app.login("demo-admin", DEMO_PASSWORD).await;
    let accounts = app.page("/admin/accounts").await;
    assert_eq!(accounts.select("table.accounts tbody tr").len(), 50);
    assert!(accounts.attr("a.next-page", "href").is_some());
}
