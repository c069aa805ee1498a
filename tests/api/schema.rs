//! The two migration folders describe the same schema.

use crate::helpers::{try_spawn_app, Backend, FreshDatabase};

crate::tests!(
    postgres: [sqlite_and_postgres_migrations_describe_the_same_schema],
    per_backend: [instances_started_together_migrate_once],
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

/// Several processes started at once on one database (instances after a release, or `guantong
/// floor` beside the server) each migrate it: exactly one applies each migration, none fails.
async fn instances_started_together_migrate_once(backend: Backend) {
    // The harness lists the PostgreSQL variant as ignored when no server is configured.
    let db = FreshDatabase::new(backend).expect("a database");
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let (url, start) = (db.url.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                guantong::store::connect(&url, 1).map(drop)
            })
        })
        .collect();
    for run in runs {
        run.join()
            .expect("no panic")
            .expect("every instance starts");
    }
    let pool = guantong::store::connect(&db.url, 1).unwrap();
    let applied: i64 = {
        use diesel::prelude::*;
        let mut c = pool.get().unwrap();
        diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations")
            .get_result::<Count>(&mut *c)
            .unwrap()
            .n
    };
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
        .unwrap()
        .count();
    assert_eq!(applied as usize, folders);
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
