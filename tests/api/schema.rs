//! The two migration folders describe the same schema.

use crate::helpers::{try_spawn_app, Backend};

crate::tests!(
    postgres: [sqlite_and_postgres_migrations_describe_the_same_schema],
);

async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
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
