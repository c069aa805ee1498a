//! Storage: every diesel import lives under this module.
//!
//! One query code base for SQLite and PostgreSQL through diesel's `MultiConnection`; the few places
//! where the backends differ are `match` arms on [`DbConnection`] (vaultwarden's pattern).

pub mod accounts;
pub mod applications;
pub mod assignments;
pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod catalogue;
pub mod committee_list;
pub mod committees;
pub mod employer_claims;
pub mod employer_stage;
pub mod evidence;
pub mod floor;
pub mod kept;
pub mod panels;
pub mod passwords;
pub mod plans;
pub mod pool;
pub mod ranking;
pub mod returns;
pub mod reviews;
pub mod rounds;
pub mod rubrics;
pub mod schema;
pub mod secrets;
pub mod sessions;
pub mod settings;
pub mod snapshot;
pub mod stamp;
pub mod throttles;

use diesel::connection::{AnsiTransactionManager, SimpleConnection};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

/// The connection pool. Every connection handed back to it counts as a possible write (see
/// [`snapshot`]): pages' reads take a fresh snapshot after it.
#[derive(Clone)]
pub struct Pool {
    inner: r2d2::Pool<Manager>,
    url: std::sync::Arc<str>,
    changes: std::sync::Arc<snapshot::Changes>,
}

impl Pool {
    /// The most connections the pool holds.
    pub fn max_size(&self) -> u32 {
        self.inner.max_size()
    }

    /// A connection, waiting up to the pool's timeout for one to come free.
    pub fn get(&self) -> Result<Conn, r2d2::PoolError> {
        Ok(Conn(self.inner.get()?, self.changes.clone()))
    }

    /// The database this pool opens (an SQLite path or a PostgreSQL URL).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn is_postgres(&self) -> bool {
        is_postgres_url(&self.url)
    }
}

/// A pooled connection; handing it back marks the database as possibly changed.
pub struct Conn(
    r2d2::PooledConnection<Manager>,
    std::sync::Arc<snapshot::Changes>,
);

impl std::ops::Deref for Conn {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.0
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.1.mark();
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::PoolError),
}

/// True when the URL names a PostgreSQL server rather than an SQLite file.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens connections of the backend the URL names. The derived `establish` tries each variant
/// in turn, and any string is a valid SQLite path, so the choice is made here from the prefix.
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
}

impl Manager {
    pub fn new(url: &str) -> Self {
        let url = url.strip_prefix("sqlite://").unwrap_or(url).to_string();
        Manager { url }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        if is_postgres_url(&self.url) {
            let conn =
                diesel::PgConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?;
            Ok(DbConnection::Pg(conn))
        } else {
            let mut conn = diesel::SqliteConnection::establish(&self.url)
                .map_err(r2d2::Error::ConnectionError)?;
            // One PRAGMA per batch_execute: several in one string run only the first.
            for pragma in [
                "PRAGMA busy_timeout = 10000",
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
            ] {
                conn.batch_execute(pragma)
                    .map_err(r2d2::Error::QueryError)?;
            }
            Ok(DbConnection::Sqlite(conn))
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// A connection handed back while its thread unwinds from a panic, or still inside a
    /// transaction, is dropped rather than reused: a panic inside [`write`] would otherwise
    /// leave `BEGIN` open on a connection every later writer gets ("cannot perform this
    /// operation while a transaction is open" for everyone until a restart). Dropping it rolls
    /// the transaction back.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || in_transaction(conn)
    }
}

/// Whether the connection is inside a transaction (or its transaction manager is broken).
fn in_transaction(conn: &mut DbConnection) -> bool {
    use diesel::connection::TransactionManager;
    fn depth<C>(c: &mut C) -> bool
    where
        C: diesel::Connection<TransactionManager = AnsiTransactionManager>,
    {
        !matches!(
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
            Ok(None)
        )
    }
    match conn {
        DbConnection::Sqlite(c) => depth(c),
        DbConnection::Pg(c) => depth(c),
    }
}

/// Opens the pool, creating the SQLite file's folder when needed, and applies pending migrations.
pub fn connect(url: &str, max_size: u32) -> Result<Pool, StoreError> {
    if !is_postgres_url(url) {
        let path = std::path::Path::new(url.strip_prefix("sqlite://").unwrap_or(url));
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| StoreError::Connect(format!("{}: {e}", dir.display())))?;
            }
        }
    }
    // No test query on every checkout: that doubled the statements of a page (and SQLite parsed
    // it each time); a broken connection shows as an error on its first real query instead.
    let manager = Manager::new(url);
    let inner = r2d2::Pool::builder()
        .max_size(max_size)
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(15))
        .build(manager.clone())
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    // After the first connection: the SQLite file exists, and its canonical path is the key.
    let pool = Pool {
        changes: snapshot::changes_for(&manager.url),
        url: manager.url.as_str().into(),
        inner,
    };
    let mut conn = pool.get()?;
    migrate(&mut conn)?;
    Ok(pool)
}

/// Applies the backend's embedded migrations, one process at a time. Several instances started
/// together after a release (or `guantong floor` beside a server) would otherwise each find a
/// migration pending and each apply it, and all but one fail. PostgreSQL: a session advisory
/// lock, one per schema. SQLite: the whole run in one IMMEDIATE transaction (the file's write
/// lock), tried again while another process's run outlasts the busy timeout.
pub fn migrate(conn: &mut DbConnection) -> Result<(), StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migrate(e.to_string());
    match conn {
        DbConnection::Sqlite(c) => {
            let started = std::time::Instant::now();
            loop {
                let run = c.immediate_transaction(|c| {
                    c.run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(|_| ())
                        .map_err(failed)
                });
                match run {
                    Err(StoreError::Query(e))
                        if e.to_string().contains("locked")
                            && started.elapsed() < MIGRATION_WAIT =>
                    {
                        continue
                    }
                    other => return other,
                }
            }
        }
        DbConnection::Pg(c) => {
            const LOCK: &str = "hashtext(current_schema() || '.guantong migrations')";
            c.batch_execute(&format!("SELECT pg_advisory_lock({LOCK})"))?;
            let run = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|_| ())
                .map_err(|e| e.to_string());
            let unlocked = c.batch_execute(&format!("SELECT pg_advisory_unlock({LOCK})"));
            run.map_err(StoreError::Migrate)?;
            Ok(unlocked?)
        }
    }
}

/// Applies migrations in order up to and including the one whose name contains `last`, on a
/// database nothing else uses: a test starts a database at an older schema with it, fills it
/// as that schema was, then lets [`connect`] apply the rest.
pub fn migrate_up_to(url: &str, last: &str) -> Result<(), StoreError> {
    use diesel::migration::Migration;
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migrate(e.to_string());
    macro_rules! up_to {
        ($c:expr, $source:expr) => {
            loop {
                let pending = $c.pending_migrations($source).map_err(failed)?;
                let Some(next) = pending.first() else {
                    return Ok(());
                };
                let name = next.name().to_string();
                $c.run_migration(next.as_ref()).map_err(failed)?;
                if name.contains(last) {
                    return Ok(());
                }
            }
        };
    }
    if is_postgres_url(url) {
        let mut c =
            diesel::PgConnection::establish(url).map_err(|e| StoreError::Connect(e.to_string()))?;
        up_to!(c, POSTGRES_MIGRATIONS)
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        let mut c = diesel::SqliteConnection::establish(path)
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        diesel::connection::SimpleConnection::batch_execute(&mut c, "PRAGMA foreign_keys = ON")?;
        up_to!(c, SQLITE_MIGRATIONS)
    }
}

/// How long an SQLite migration waits for another process's to end.
const MIGRATION_WAIT: Duration = Duration::from_secs(600);

/// One SQLite writer at a time in this process (see [`write`]).
static SQLITE_WRITERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` in one write transaction. On SQLite it is `BEGIN IMMEDIATE`, so two writers queue on
/// the busy timeout instead of failing with SQLITE_BUSY when a read lock is upgraded.
pub fn write<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if let DbConnection::Sqlite(c) = conn {
        // Writers of this process queue here rather than in SQLite's busy handler, which sleeps
        // in growing steps (up to 100 ms) while another writer holds the lock: that was the
        // whole of the p99 of concurrent saves. Other processes still meet the busy timeout.
        let _queue = SQLITE_WRITERS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        let result = f(conn);
        let DbConnection::Sqlite(c) = conn else {
            unreachable!("the variant cannot change")
        };
        match result {
            Ok(value) => {
                if let Err(e) = <AnsiTransactionManager as diesel::connection::TransactionManager<
                    _,
                >>::commit_transaction(c)
                {
                    let _ = <AnsiTransactionManager as diesel::connection::TransactionManager<_>>::rollback_transaction(c);
                    return Err(e.into());
                }
                Ok(value)
            }
            Err(e) => {
                <AnsiTransactionManager as diesel::connection::TransactionManager<_>>::rollback_transaction(c)?;
                Err(e)
            }
        }
    } else {
        conn.transaction(f)
    }
}

/// Current time as stored: UTC without zone, to the microsecond (both backends keep that much).
pub fn to_db_time(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let naive = t.naive_utc();
    naive
        .with_nanosecond(naive.nanosecond() / 1000 * 1000)
        .unwrap_or(naive)
}

/// A database error, as services see it.
pub type DbError = diesel::result::Error;

/// Reads a stored code strictly: an unknown value is an error, never a default.
pub(crate) fn decode<T>(
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> QueryResult<T> {
    parse(value).ok_or_else(|| {
        diesel::result::Error::DeserializationError(format!("unknown {what} {value:?}").into())
    })
}

/// One column as both backends can describe it: name, portable type, and whether NULL is allowed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnShape {
    pub table: String,
    pub column: String,
    pub kind: &'static str,
    pub nullable: bool,
}

#[derive(QueryableByName)]
struct RawColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    data_type: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

fn portable_kind(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    match t.as_str() {
        "integer" | "bigint" | "int" | "int4" | "int8" | "smallint" => "integer",
        "text" | "character varying" | "varchar" => "text",
        "boolean" | "bool" => "boolean",
        "blob" | "bytea" => "binary",
        "date" => "date",
        "double precision" | "real" | "float8" => "float",
        _ if t.starts_with("timestamp") => "timestamp",
        _ => "other",
    }
}

/// Every column of the application's tables (migration bookkeeping left out), sorted, so that a
/// test can show the two migration folders describe the same schema.
pub fn describe_schema(conn: &mut DbConnection) -> QueryResult<Vec<ColumnShape>> {
    let raw: Vec<RawColumn> = match conn {
        DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'",
        )
        .load(c)?,
        DbConnection::Pg(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
             (is_nullable = 'YES') AS nullable FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '__diesel%'",
        )
        .load(c)?,
    };
    let mut shapes: Vec<ColumnShape> = raw
        .into_iter()
        .map(|r| ColumnShape {
            kind: portable_kind(&r.data_type),
            table: r.table_name,
            column: r.column_name,
            nullable: r.nullable,
        })
        .collect();
    shapes.sort();
    Ok(shapes)
}

/// Loads a query's rows on the backend's own connection: `load_rows!(conn, query)`. The query is
/// written once and expanded into each arm, so it is typed for each backend. Going through
/// `MultiConnection` builds the whole SQL text on every execution (to ask whether the statement
/// may be cached), which cost a list page more than reading its rows; the backend's own
/// connection finds its prepared statement by the query's type instead.
macro_rules! load_rows {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::store::DbConnection::Sqlite(c) => $query.load(c),
            $crate::store::DbConnection::Pg(c) => $query.load(c),
        }
    };
}
pub(crate) use load_rows;

/// The row of a query that yields at most one, on the backend's own connection (see
/// [`load_rows`]).
macro_rules! first_row {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::store::DbConnection::Sqlite(c) => $query.first(c).optional(),
            $crate::store::DbConnection::Pg(c) => $query.first(c).optional(),
        }
    };
}
pub(crate) use first_row;

/// A query type for SQLite that reads the rows of a list of ids: the ids travel as one JSON
/// array, so the statement's text is the same for any number of them, and the query is a type of
/// its own, so diesel keeps it prepared (its `eq_any` writes a `?` per value and is prepared
/// again on every call, and so is any `sql_query`). It joins from `json_each`, one seek per id:
/// `id IN (SELECT value FROM json_each(?))` built a temporary B-tree of the values on every call.
///
/// `json_each_query!(Name, (sql types…), "SELECT …", "CROSS JOIN table AS a ON a.id = j.value")`
/// defines `Name::new(&[i64])`; the second text follows `FROM json_each(?) AS j`.
macro_rules! json_each_query {
    ($(#[$doc:meta])* $name:ident, ($($st:ty),+ $(,)?), $select:literal, $join:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, diesel::query_builder::QueryId)]
        struct $name {
            ids: String,
        }

        impl $name {
            fn new(ids: &[i64]) -> $name {
                $name {
                    ids: serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
                }
            }
        }

        impl diesel::query_builder::Query for $name {
            type SqlType = ($($st,)+);
        }

        impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for $name {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
            ) -> diesel::QueryResult<()> {
                out.push_sql(concat!($select, " FROM json_each("));
                out.push_bind_param::<diesel::sql_types::Text, _>(&self.ids)?;
                out.push_sql(concat!(") AS j ", $join));
                Ok(())
            }
        }

        impl<C> diesel::RunQueryDsl<C> for $name {}
    };
}
pub(crate) use json_each_query;
