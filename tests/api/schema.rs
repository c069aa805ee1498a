//! The two migration folders describe the same schema.

use crate::helpers::{postgres_url, try_spawn_app, Backend};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    if postgres_url().is_none() {
        eprintln!("skipped: GUANTONG_TEST_POSTGRES_URL is not set");
        return;
    }
    let sqlite = try_spawn_app(Backend::Sqlite).await.unwrap();
    let pg = try_spawn_app(Backend::Postgres).await.unwrap();
    let a = sqlite.with_conn(|c| guantong::store::describe_schema(c).unwrap());
    let b = pg.with_conn(|c| guantong::store::describe_schema(c).unwrap());
    assert!(a.len() > 10, "the schema was read: {a:?}");
    let only_sqlite: Vec<_> = a.iter().filter(|c| !b.contains(c)).collect();
    let only_pg: Vec<_> = b.iter().filter(|c| !a.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}
