//! The registry of the store's list queries, so a test can read the plan of each on both
//! backends (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL) and fail on a full scan.
//! Each entry is built by the same macro the store runs, with sample bounds.

use super::DbConnection;
use diesel::prelude::*;

/// One list query: its name and its SQL for each backend, bounds written in.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub name: &'static str,
    pub sqlite: String,
    pub postgres: String,
    /// What SQLite's plan must seek on, when a wider seek than "not a full scan" matters.
    pub sqlite_seeks: Option<&'static str>,
}

impl ListQuery {
    /// From the debug form of a diesel query on each backend.
    pub fn new(name: &'static str, sqlite: String, postgres: String) -> ListQuery {
        ListQuery {
            name,
            sqlite: inline(&sqlite, false),
            postgres: inline(&postgres, true),
            sqlite_seeks: None,
        }
    }

    /// Requires SQLite's plan to seek on `terms` (as `EXPLAIN QUERY PLAN` writes them).
    pub fn seeking(mut self, terms: &'static str) -> ListQuery {
        self.sqlite_seeks = Some(terms);
        self
    }
}

/// Writes the bound values of `debug_query` output into its SQL (numbers as they are, strings
/// quoted), so EXPLAIN sees the real query.
fn inline(debug: &str, postgres: bool) -> String {
    let (sql, binds) = debug.split_once(" -- binds: ").unwrap_or((debug, "[]"));
    let binds = binds.trim();
    let binds = binds
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(binds);
    let mut values = Vec::new();
    let (mut cur, mut in_str, mut esc) = (String::new(), false, false);
    // Inside an array value (PostgreSQL's `= ANY($1)`), commas belong to the value.
    let mut depth = 0u32;
    for ch in binds.chars() {
        match (in_str, esc, ch) {
            (true, true, _) => {
                cur.push(ch);
                esc = false;
            }
            (true, false, '\\') => esc = true,
            (true, false, '"') => in_str = false,
            (true, false, c) => cur.push(if c == '\'' { '`' } else { c }),
            (false, _, '"') => {
                in_str = true;
                cur.push('\'');
            }
            (false, _, '[') => {
                depth += 1;
                cur.push(ch);
            }
            (false, _, ']') => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            (false, _, ',') if depth > 0 => cur.push(ch),
            (false, _, ',') => values.push(std::mem::take(&mut cur)),
            (false, _, ' ') => {}
            (false, _, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        values.push(cur);
    }
    let values: Vec<String> = values
        .into_iter()
        .map(|v| {
            let date = v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                });
            if v.starts_with('[') {
                // An array of numbers: PostgreSQL writes it ARRAY[…].
                format!("ARRAY{v}")
            } else if v.starts_with('\'') {
                format!("{v}'")
            } else if date {
                // A bound date prints bare (2026-09-21): quote it, or it reads as arithmetic.
                format!("'{v}'")
            } else {
                v
            }
        })
        .collect();
    if postgres {
        let mut out = sql.to_string();
        for (i, v) in values.iter().enumerate().rev() {
            out = out.replace(&format!("${}", i + 1), v);
        }
        out
    } else {
        let mut parts = sql.split('?');
        let mut out = parts.next().unwrap_or_default().to_string();
        for (part, v) in parts.zip(values.iter()) {
            out.push_str(v);
            out.push_str(part);
        }
        out
    }
}

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    plan: String,
}

/// The plan of a list query on the connection's backend, one line per step. On PostgreSQL the
/// planner is told to avoid sequential scans, as it would for large tables: a scan that remains
/// means no index can serve the query.
pub fn explain(conn: &mut DbConnection, q: &ListQuery) -> QueryResult<Vec<String>> {
    match conn {
        DbConnection::Sqlite(c) => Ok(diesel::sql_query(format!(
            "EXPLAIN QUERY PLAN {}",
            q.sqlite
        ))
        .load::<SqlitePlan>(c)?
        .into_iter()
        .map(|r| r.detail)
        .collect()),
        DbConnection::Pg(c) => {
            use diesel::connection::SimpleConnection;
            c.batch_execute("SET enable_seqscan = off")?;
            let rows = diesel::sql_query(format!("EXPLAIN {}", q.postgres)).load::<PgPlan>(c);
            c.batch_execute("SET enable_seqscan = on")?;
            Ok(rows?.into_iter().map(|r| r.plan).collect())
        }
    }
}

/// Every list query the pages run, and the other reads that must not scan a big table.
pub fn registry() -> Vec<ListQuery> {
    let mut all = super::applications::plans();
    all.extend(super::audit::plans());
    all.extend(super::committee_list::plans());
    all.extend(super::accounts::plans());
    all.extend(super::committees::plans());
    all.extend(super::evidence::plans());
    all.extend(super::sessions::plans());
    all.extend(super::ranking::plans());
    all.extend(super::employer_stage::plans());
    all.extend(super::returns::plans());
    all.extend(super::assignments::plans());
    all.extend(super::reviews::plans());
    all.extend(super::employer_claims::plans());
    all
}
