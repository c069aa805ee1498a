//! Every list query of the store is served by an index and pages by a key bound (keyset), never
//! a full scan of applications, sections, evidence or audit rows, and never OFFSET; and on
//! SQLite its rows come in an index's order, never sorted in a temporary b-tree per request.

use crate::helpers::TestApp;
use guantong::store::plans::{explain, registry};

crate::tests!(
    both: [every_list_query_seeks_an_index],
    sync: [a_scan_is_found_under_an_alias_too],
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

/// The names a big table goes by in `sql`: its own, and each alias given to it (`applications AS
/// a`), since SQLite's plan names a table by its alias ("SCAN a").
fn names_of(sql: &str, table: &'static str) -> Vec<String> {
    let words: Vec<&str> = sql
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut names = vec![table.to_string()];
    for w in words.windows(3) {
        if w[0] == table && w[1].eq_ignore_ascii_case("AS") {
            names.push(w[2].to_string());
        }
    }
    names
}

fn full_scan(line: &str, sql: &str) -> Option<&'static str> {
    BIG_TABLES.into_iter().find(|t| {
        // SQLite: "SCAN applications" or "SCAN a" for an alias (a seek is "SEARCH … USING
        // INDEX"); PostgreSQL: "Seq Scan on".
        let sqlite = names_of(sql, t).iter().any(|name| {
            let rest = line.trim_start_matches(|c: char| !c.is_alphabetic());
            (rest == format!("SCAN {name}") || rest.starts_with(&format!("SCAN {name} ")))
                && !line.contains("USING COVERING INDEX")
                && !line.contains(" USING INDEX ")
        });
        let pg = line.contains(&format!("Seq Scan on {t} "));
        sqlite || pg || line.ends_with(&format!("Seq Scan on {t}"))
    })
}

/// The check itself: a scan is found under the table's name and under its alias, a seek is not.
fn a_scan_is_found_under_an_alias_too() {
    let sql = "SELECT a.id FROM json_each(?) AS j CROSS JOIN applications AS a ON a.id = j.value";
    assert_eq!(full_scan("SCAN a", sql), Some("applications"));
    assert_eq!(full_scan("`--SCAN applications", sql), Some("applications"));
    assert_eq!(full_scan("SCAN j VIRTUAL TABLE INDEX 0:", sql), None);
    assert_eq!(
        full_scan("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)", sql),
        None
    );
    assert_eq!(full_scan("SCAN accounts_big", "SELECT 1"), None);
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
            // PostgreSQL's planner may sort a few rows by choice; SQLite's plan does not depend
            // on the data (no ANALYZE), so a sort there is one on every request.
            assert!(
                !line.contains("USE TEMP B-TREE"),
                "{}: the rows are sorted, not read in an index's order\n{}",
                q.name,
                plan.join("\n")
            );
            assert!(
                full_scan(line, &q.sqlite).is_none(),
                "{}: full scan in the plan\n{}\n{:#?}",
                q.name,
                plan.join("\n"),
                q
            );
        }
    }
}
