//! The benchmark floor's table: TechEmpower's 12 fortunes, in the same database file.

use super::DbConnection;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

diesel::table! {
    bench_fortunes (id) {
        id -> Integer,
        message -> Text,
    }
}

const FORTUNES: [&str; 12] = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
    "フレームワークのベンチマーク",
];

/// Creates and fills the table when missing (it is not part of Guantong's schema).
pub fn ensure(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute(
        "CREATE TABLE IF NOT EXISTS bench_fortunes (id INTEGER PRIMARY KEY, message TEXT NOT NULL)",
    )?;
    let n: i64 = bench_fortunes::table.count().get_result(conn)?;
    if n == 0 {
        for (i, m) in FORTUNES.iter().enumerate() {
            diesel::insert_into(bench_fortunes::table)
                .values((
                    bench_fortunes::id.eq(i as i32 + 1),
                    bench_fortunes::message.eq(*m),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<(i32, String)>> {
    bench_fortunes::table
        .select((bench_fortunes::id, bench_fortunes::message))
        .load(conn)
}
