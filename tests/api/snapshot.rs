//! Pages' shared read snapshots on SQLite (`store::snapshot`): a write is seen by the next read,
//! a write from elsewhere within `MAX_AGE`, the snapshot cannot write, and it never holds the WAL.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use guantong::store::{self, snapshot, DbConnection};

crate::tests!(
    sqlite: [
        a_write_through_the_pool_shows_in_the_next_read,
        a_write_from_another_connection_shows_within_max_age,
        a_snapshot_cannot_write,
        an_idle_or_failed_snapshot_does_not_hold_the_wal,
        the_wal_stays_small_while_pages_read_during_writes,
    ],
);

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn fresh_pool() -> (store::Pool, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "guantong-snapshot-{}",
        guantong::password::random_token(8)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pool = store::connect(&dir.join("t.db").to_string_lossy(), 4).expect("pool");
    pool.get()
        .expect("conn")
        .batch_execute("CREATE TABLE t (x INTEGER NOT NULL)")
        .expect("table");
    (pool, dir)
}

fn count(c: &mut DbConnection) -> QueryResult<i64> {
    diesel::sql_query("SELECT COUNT(*) AS n FROM t")
        .get_result::<Count>(c)
        .map(|r| r.n)
}

fn snapshot_count(pool: &store::Pool) -> i64 {
    snapshot::read(pool.url(), count)
        .expect("reader")
        .expect("count")
}

fn insert(pool: &store::Pool) {
    pool.get()
        .expect("conn")
        .batch_execute("INSERT INTO t VALUES (1)")
        .expect("insert");
}

/// (busy, frames in the WAL, frames checkpointed) of a TRUNCATE checkpoint that does not wait.
fn checkpoint(pool: &store::Pool) -> (i32, i32, i32) {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        busy: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        log: i32,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        checkpointed: i32,
    }
    let mut c = pool.get().expect("conn");
    c.batch_execute("PRAGMA busy_timeout = 0").expect("no wait");
    let r: Row = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
        .get_result(&mut *c)
        .expect("checkpoint");
    c.batch_execute("PRAGMA busy_timeout = 10000")
        .expect("wait again");
    (r.busy, r.log, r.checkpointed)
}

async fn a_write_through_the_pool_shows_in_the_next_read() {
    let (pool, dir) = fresh_pool();
    for expected in 0..3 {
        // Quiet, so the read keeps its snapshot open (otherwise it would end it anyway)...
        std::thread::sleep(snapshot::QUIET);
        assert_eq!(snapshot_count(&pool), expected);
        insert(&pool);
        // ...and at once, well within MAX_AGE, the pool's connection coming back ended it.
        assert_eq!(snapshot_count(&pool), expected + 1);
    }
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_write_from_another_connection_shows_within_max_age() {
    let (pool, dir) = fresh_pool();
    // Quiet, so the snapshot is kept: only its age can end it.
    std::thread::sleep(snapshot::QUIET);
    assert_eq!(snapshot_count(&pool), 0);
    // Another process's write, as far as this one can tell: a connection outside the pool.
    let mut other = diesel::SqliteConnection::establish(&dir.join("t.db").to_string_lossy())
        .expect("other connection");
    other
        .batch_execute("INSERT INTO t VALUES (1)")
        .expect("insert");
    std::thread::sleep(snapshot::MAX_AGE + std::time::Duration::from_millis(10));
    assert_eq!(snapshot_count(&pool), 1);
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_snapshot_cannot_write() {
    let (pool, dir) = fresh_pool();
    let attempt = snapshot::read(pool.url(), |c| c.batch_execute("INSERT INTO t VALUES (1)"))
        .expect("reader");
    let err = attempt.expect_err("a write through the snapshot fails");
    assert!(err.to_string().contains("readonly"), "{err}");
    let mut c = pool.get().expect("conn");
    assert_eq!(count(&mut c).expect("count"), 0);
    drop(c);
    let _ = std::fs::remove_dir_all(dir);
}

async fn an_idle_or_failed_snapshot_does_not_hold_the_wal() {
    let (pool, dir) = fresh_pool();
    // Idle: a snapshot taken when the database was quiet (so it is kept), then writes it does
    // not see. While it is open the WAL cannot be emptied; once older than MAX_AGE, the worker's
    // timer (here called by hand) ends it.
    std::thread::sleep(snapshot::QUIET);
    assert_eq!(snapshot_count(&pool), 0);
    insert(&pool);
    insert(&pool);
    let (busy, log, _) = checkpoint(&pool);
    assert_eq!(
        (busy, log > 0),
        (1, true),
        "the open snapshot holds the WAL"
    );
    std::thread::sleep(snapshot::MAX_AGE);
    snapshot::release_idle();
    assert_eq!(checkpoint(&pool).0, 0, "released, the WAL empties");

    // Failed: a read that errs ends its snapshot at once (quiet again, so only the error can).
    insert(&pool);
    std::thread::sleep(snapshot::QUIET);
    let failed = snapshot::read(pool.url(), |c| {
        count(c)?;
        c.batch_execute("SELECT * FROM no_such_table")
    })
    .expect("reader");
    assert!(failed.is_err());
    assert_eq!(checkpoint(&pool).0, 0, "the failed read's snapshot is over");
    let _ = std::fs::remove_dir_all(dir);
}

async fn the_wal_stays_small_while_pages_read_during_writes() {
    // What a section save does: read (its session, its page), then write on another connection
    // while the worker waits. The reader's snapshot must not hold the WAL through the writes, or
    // every write would add to it for good (it once grew to 600 MB under `bench/run`).
    let (pool, dir) = fresh_pool();
    const WRITES: i64 = 4000;
    for n in 0..WRITES {
        assert_eq!(snapshot_count(&pool), n);
        insert(&pool);
    }
    let wal = std::fs::metadata(dir.join("t.db-wal")).map_or(0, |m| m.len());
    // Each write adds a page or two (4 KiB each) until the WAL is checkpointed and reused: held,
    // 4 000 writes make 16 MiB or more; reused, it stays about SQLite's 1 000-page mark.
    assert!(wal < 8 << 20, "WAL of {wal} bytes after {WRITES} writes");
    let _ = std::fs::remove_dir_all(dir);
}
