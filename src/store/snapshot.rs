//! Pages' reads on SQLite: one read transaction per worker thread, shared by the reads that
//! follow each other while nothing changed.
//!
//! Every read transaction on an SQLite file in WAL mode takes and drops a read lock in the
//! shared-memory index (a process mutex and, whenever no other connection of the process holds
//! that lock, an `fcntl`). With two worker threads the lock is contended, and a logged-in page,
//! which reads twice (its session, then its own rows), spent about a fifth of its time there.
//!
//! So each thread keeps one read-only connection with its transaction left open while the
//! database is quiet (nothing written for [`QUIET`]), and the next read reuses that snapshot
//! unless
//! - a pooled connection of the same database was handed back since it began
//!   ([`Changes::mark`], called by [`super::Conn`]'s `drop`: every write of this process, whatever its path, goes through the
//!   pool, so a page read after a write always sees it), or
//! - it is older than [`MAX_AGE`] (what another process, such as a second server on the same
//!   file, wrote shows within that), or
//! - the read before it failed.
//!
//! While writes are coming in, each read ends its transaction as soon as it is done, as a plain
//! read transaction would: a snapshot held across a write keeps the checkpoint from reaching the
//! end of the WAL, and then the WAL is never reused and grows with every write (it reached
//! 600 MB in a minute of section saves). A thread's idle transaction is ended by [`release_idle`] (the server calls it on each worker
//! every [`MAX_AGE`]), so no snapshot is held long enough to keep the WAL from being checkpointed.
//! The connection is `query_only`: a write through it is an error, never a change.
//! PostgreSQL does not use this module.

use super::{DbConnection, Manager, StoreError};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2::ManageConnection;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long one snapshot serves reads at most.
pub const MAX_AGE: Duration = Duration::from_millis(50);

/// How long after the last change snapshots are ended as soon as each read is done.
pub const QUIET: Duration = Duration::from_millis(100);

/// Changes to one database by this process: pooled connections handed back, and when the last
/// was. Every pool and reader of the same file shares one (see [`changes_for`]).
#[derive(Debug, Default)]
pub struct Changes {
    count: AtomicU64,
    /// Milliseconds since [`epoch`].
    last_ms: AtomicU64,
}

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn now_ms() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl Changes {
    /// Marks every open snapshot of the database as out of date (a pooled connection was handed
    /// back: it may have written).
    pub fn mark(&self) {
        self.last_ms.store(now_ms(), Ordering::Release);
        self.count.fetch_add(1, Ordering::AcqRel);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::Acquire)
    }

    /// Nothing was written for [`QUIET`] (or ever, by this process).
    fn quiet(&self) -> bool {
        let last = self.last_ms.load(Ordering::Acquire);
        self.count() == 0
            || now_ms().saturating_sub(last) >= u64::try_from(QUIET.as_millis()).unwrap_or(0)
    }
}

/// The changes of the database at `url`, shared by everything in this process that opens it
/// (an SQLite file by its canonical path, so two spellings of one file agree).
pub fn changes_for(url: &str) -> Arc<Changes> {
    static ALL: Mutex<Vec<(String, Arc<Changes>)>> = Mutex::new(Vec::new());
    let key = if super::is_postgres_url(url) {
        url.to_string()
    } else {
        std::fs::canonicalize(url).map_or_else(|_| url.to_string(), |p| p.display().to_string())
    };
    let mut all = ALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, c)) = all.iter().find(|(k, _)| *k == key) {
        return c.clone();
    }
    let c = Arc::new(Changes::default());
    all.push((key, c.clone()));
    c
}

struct Reader {
    url: String,
    changes: Arc<Changes>,
    conn: diesel::SqliteConnection,
    /// The open transaction: when it began and the count of changes before it.
    open: Option<(Instant, u64)>,
}

impl Reader {
    fn connect(url: &str) -> Result<Reader, StoreError> {
        let DbConnection::Sqlite(mut conn) = Manager::new(url)
            .connect()
            .map_err(|e| StoreError::Connect(e.to_string()))?
        else {
            return Err(StoreError::Connect(format!("{url} is not an SQLite file")));
        };
        conn.batch_execute("PRAGMA query_only = ON")?;
        Ok(Reader {
            url: url.to_string(),
            changes: changes_for(url),
            conn,
            open: None,
        })
    }

    fn end(&mut self) {
        if self.open.take().is_some() {
            // A read-only transaction: COMMIT only ends it. Should it fail, roll back (and
            // should that fail too, the connection is dropped by the caller's next error).
            if AnsiTransactionManager::commit_transaction(&mut self.conn).is_err() {
                let _ = AnsiTransactionManager::rollback_transaction(&mut self.conn);
            }
        }
    }

    /// Opens a transaction unless the open one may still be used.
    fn begin(&mut self) -> Result<(), StoreError> {
        let changes = self.changes.count();
        if let Some((since, seen)) = self.open {
            if seen == changes && since.elapsed() < MAX_AGE {
                return Ok(());
            }
            self.end();
        }
        // The count is read before the snapshot is taken (at the first read): a change counted
        // after this read is either in the snapshot or ends it at the next use.
        AnsiTransactionManager::begin_transaction(&mut self.conn)?;
        self.open = Some((Instant::now(), changes));
        Ok(())
    }
}

thread_local! {
    static READERS: RefCell<Vec<Reader>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` in this thread's current snapshot of the SQLite file at `url`. The outer error is
/// the connection's; the inner one is `f`'s, after which the snapshot is ended.
pub fn read<T, E>(
    url: &str,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<Result<T, E>, StoreError> {
    // Taken out for the call, so a read inside `f` (none does) would get its own connection.
    let found = READERS.with(|r| {
        let mut readers = r.borrow_mut();
        let at = readers.iter().position(|x| x.url == url)?;
        Some(readers.swap_remove(at))
    });
    let mut reader = match found {
        Some(reader) => reader,
        None => Reader::connect(url)?,
    };
    reader.begin()?;
    // The variant is moved in and out around `f`, which takes the enum.
    let mut conn = DbConnection::Sqlite(reader.conn);
    let result = f(&mut conn);
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("the variant cannot change")
    };
    reader.conn = c;
    let depth_ok = matches!(
        AnsiTransactionManager::transaction_manager_status_mut(&mut reader.conn)
            .transaction_depth(),
        Ok(Some(d)) if d.get() == 1
    );
    if result.is_err() || !depth_ok || !reader.changes.quiet() {
        reader.end();
    }
    if depth_ok {
        READERS.with(|r| r.borrow_mut().push(reader));
    }
    Ok(result)
}

/// Ends this thread's snapshots that are older than [`MAX_AGE`].
pub fn release_idle() {
    READERS.with(|r| {
        for reader in r.borrow_mut().iter_mut() {
            if reader
                .open
                .is_some_and(|(since, _)| since.elapsed() >= MAX_AGE)
            {
                reader.end();
            }
        }
    });
}
