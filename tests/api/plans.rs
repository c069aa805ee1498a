//! Every list query of the store is served by an index and pages by a key bound (keyset), never
//! a full scan of applications, sections, evidence or audit rows, and never OFFSET.

use crate::helpers::TestApp;
use guantong::store::plans::{explain, registry};

crate::tests!(
    both: [every_list_query_seeks_an_index],
);

const BIG_TABLES: [&str; 6] = [
    // One account per applicant: as many as applications.
    "accounts",
    // One per signed-in browser.
    "sessions",
    "applications",
    "application_sections",
    "evidence",
    "audit_log",
];

fn full_scan(line: &str) -> Option<&'static str> {
    BIG_TABLES.into_iter().find(|t| {
        // SQLite: "SCAN applications" (a seek is "SEARCH … USING INDEX"); PostgreSQL: "Seq Scan on".
        let sqlite = line
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .starts_with(&format!("SCAN {t}"))
            && !line.contains("USING COVERING INDEX")
            && !line.contains(" USING INDEX ");
        let pg = line.contains(&format!("Seq Scan on {t} "));
        sqlite || pg || line.ends_with(&format!("Seq Scan on {t}"))
    })
}

async fn every_list_query_seeks_an_index(app: TestApp) {
    let queries = registry();
    assert!(queries.len() >= 8, "{queries:#?}");
    for q in &queries {
        assert!(
            !q.sqlite.to_uppercase().contains("OFFSET"),
            "{}: {}",
            q.name,
            q.sqlite
        );
        let plan = app
            .with_conn(|c| explain(c, q))
            .unwrap_or_else(|e| panic!("{}: {e}\n{q:#?}", q.name));
        assert!(!plan.is_empty(), "{}", q.name);
        if let (Some(terms), guantong::store::DbConnection::Sqlite(_)) =
            (q.sqlite_seeks, &mut *app.conn())
        {
            assert!(
                plan.iter().any(|l| l.contains(terms)),
                "{}: the plan does not seek ({terms})\n{}",
                q.name,
                plan.join("\n")
            );
        }
        for line in &plan {
            assert!(
                full_scan(line).is_none(),
                "{}: full scan in the plan\n{}\n{:#?}",
                q.name,
                plan.join("\n"),
                q
            );
        }
    }
}
