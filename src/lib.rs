//! Guantong (贯通): Shanghai's pathway between vocational skills and professional titles.

pub mod access;
pub mod application;
pub mod calendar;
pub mod checker;
pub mod clock;
pub mod config;
pub mod csv_out;
pub mod demo;
pub mod domain;
pub mod floor;
pub mod fragments;
pub mod panel;
pub mod password;
pub mod policy;
pub mod rubric;
pub mod service;
pub mod store;
pub mod time;
pub mod web;
pub mod workflow;

use std::net::TcpListener;
use std::sync::Arc;

pub use config::Config;

/// What every request handler shares.
pub struct AppState {
    pub pool: store::Pool,
    pub config: Config,
    pub clock: Arc<clock::Clock>,
    /// Signs anonymous visitors' CSRF tokens; kept in the database so every instance agrees.
    pub csrf_key: Vec<u8>,
    /// The catalogue as last read: pages read it once a minute, not per request.
    pub catalogue: Cached<policy::Catalogue>,
    /// The working-day calendar as last read (pages; decisions read it as stored).
    pub calendar: Cached<calendar::WorkCalendar>,
    /// The review rounds as last read, by id (pages; submission reads its round as stored).
    pub rounds: Cached<std::collections::HashMap<domain::RoundId, store::rounds::Round>>,
    /// Stored configuration as last read (pages; decisions read it as stored).
    pub settings: Cached<domain::settings::Settings>,
    /// The employer's list rows as rendered, by the key their list query reads (`fragments`).
    pub employer_rows: fragments::Fragments<store::applications::ListKey>,
    /// A committee's list rows as rendered (`web::shared::committee_list`).
    pub committee_rows: fragments::Fragments<web::shared::committee_list::RowKey>,
    /// The bytes of uploads being read, over all requests (`web::upload`).
    pub uploads: std::sync::Arc<web::upload::UploadBudget>,
    /// Exports streaming now (a budget counted in exports, not bytes): each holds a blocking
    /// thread and a connection per page, so a burst of downloads is told to wait instead.
    pub exports: std::sync::Arc<web::upload::UploadBudget>,
    /// Rubric versions as parsed, by id: a version never changes once stored, so it is read
    /// once per server (every scoring page and save needs its round's).
    pub rubrics:
        std::sync::RwLock<std::collections::HashMap<domain::RubricVersionId, Arc<rubric::Rubric>>>,
}

/// A value pages read on most requests and an admin changes rarely: read again once it is
/// older than [`CATALOGUE_TTL`], so an admin's change shows within it. Decisions never use it;
/// they read what is stored inside their transaction.
pub struct Cached<T>(std::sync::RwLock<Option<(std::time::Instant, Arc<T>)>>);

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached(std::sync::RwLock::new(None))
    }
}

impl<T> Cached<T> {
    /// The value read less than [`CATALOGUE_TTL`] ago, or `load`'s, kept from now on.
    pub fn get<E>(&self, load: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        self.reload(load)
    }

    /// The value when it is fresh.
    fn fresh(&self) -> Option<Arc<T>> {
        let guard = self.0.read().ok()?;
        let (at, value) = guard.as_ref()?;
        (at.elapsed() < CATALOGUE_TTL).then(|| value.clone())
    }

    /// Drops the value, so the next reader reads it again (a change made by this instance shows
    /// at once; another instance's within the minute).
    pub fn forget(&self) {
        if let Ok(mut guard) = self.0.write() {
            *guard = None;
        }
    }

    /// Reads the value now, whatever its age, and keeps it.
    pub fn reload<E>(&self, load: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        let fresh = Arc::new(load()?);
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((std::time::Instant::now(), fresh.clone()));
        }
        Ok(fresh)
    }
}

/// How long pages use a catalogue before reading it again (an admin's change shows within it).
pub const CATALOGUE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

impl AppState {
    /// The catalogue for pages: the cached one, or read now when it is older than a minute.
    pub fn catalogue(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Arc<policy::Catalogue>, store::DbError> {
        self.catalogue.get(|| service::catalogue::load(c))
    }

    /// The working-day calendar for pages: cached like the catalogue (an admin's change shows
    /// within [`CATALOGUE_TTL`]); every decision that counts working days reads it as stored.
    pub fn calendar(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Arc<calendar::WorkCalendar>, store::DbError> {
        self.calendar.get(|| service::calendar::load(c))
    }

    /// A review round for pages: cached like the catalogue. A round the cached ones lack (made
    /// since they were read) reads them all again at once.
    pub fn round(
        &self,
        c: &mut store::DbConnection,
        id: domain::RoundId,
    ) -> Result<Option<store::rounds::Round>, store::DbError> {
        let load = |c: &mut store::DbConnection| -> Result<_, store::DbError> {
            Ok(store::rounds::list(c)?
                .into_iter()
                .map(|r| (r.id, r))
                .collect())
        };
        let rounds = self.rounds.get(|| load(c))?;
        if let Some(r) = rounds.get(&id) {
            return Ok(Some(r.clone()));
        }
        Ok(self.rounds.reload(|| load(c))?.get(&id).cloned())
    }
}

impl AppState {
    /// Every round, from the same cache as [`AppState::round`].
    pub fn rounds(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Vec<store::rounds::Round>, store::DbError> {
        let load = |c: &mut store::DbConnection| -> Result<_, store::DbError> {
            Ok(store::rounds::list(c)?
                .into_iter()
                .map(|r| (r.id, r))
                .collect())
        };
        let mut all: Vec<_> = self.rounds.get(|| load(c))?.values().cloned().collect();
        all.sort_by_key(|r| r.id);
        Ok(all)
    }
}

impl AppState {
    /// Which reading of the rounds pages use now: it changes whenever they are read again, so
    /// that what was rendered with a round's name is rendered again after a change.
    pub fn rounds_epoch(&self, c: &mut store::DbConnection) -> Result<usize, store::DbError> {
        let load = |c: &mut store::DbConnection| -> Result<_, store::DbError> {
            Ok(store::rounds::list(c)?
                .into_iter()
                .map(|r| (r.id, r))
                .collect())
        };
        Ok(Arc::as_ptr(&self.rounds.get(|| load(c))?) as usize)
    }
}

impl AppState {
    /// A rubric version, parsed once and kept (versions are immutable).
    pub fn rubric(
        &self,
        c: &mut store::DbConnection,
        id: domain::RubricVersionId,
    ) -> Result<Arc<rubric::Rubric>, service::ActionError> {
        if let Some(r) = self.rubrics.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(r);
        }
        let r = service::scoring::load_rubric(c, id)?;
        if let Ok(mut m) = self.rubrics.write() {
            m.insert(id, r.clone());
        }
        Ok(r)
    }

    /// Stored configuration for pages: cached like the catalogue.
    pub fn settings(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Arc<domain::settings::Settings>, store::DbError> {
        self.settings.get(|| service::settings::load(c))
    }

    /// The cached calendar with the employer stage's day counts from the cached settings: what
    /// a page suggesting or checking the stage's dates needs.
    pub fn stage_dates(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<service::employer_stage::Dates, store::DbError> {
        Ok(service::employer_stage::Dates {
            calendar: self.calendar(c)?,
            days: service::employer_stage::StageDays::of(&*self.settings(c)?),
        })
    }
}

impl AppState {
    /// Now, as stored in the database.
    pub fn now(&self) -> chrono::NaiveDateTime {
        store::to_db_time(self.clock.now())
    }
}

/// Opens (and migrates) the database named by the configuration.
pub fn open_database(config: &Config) -> Result<store::Pool, store::StoreError> {
    let pool = store::connect(&config.database_url, config.pool_size)?;
    let mut conn = pool.get()?;
    let now = store::to_db_time(chrono::Utc::now());
    service::catalogue::seed_defaults(&mut conn, now)?;
    service::calendar::seed_defaults(&mut conn, now)?;
    Ok(pool)
}

/// Builds the HTTP server on a bound listener; the caller awaits (or spawns) it.
pub fn build_server(
    listener: TcpListener,
    pool: store::Pool,
    config: Config,
    clock: Arc<clock::Clock>,
) -> std::io::Result<actix_web::dev::Server> {
    let workers = config.workers;
    let csrf_key = {
        let mut conn = pool.get().map_err(std::io::Error::other)?;
        service::sessions::csrf_key(&mut conn).map_err(std::io::Error::other)?
    };
    let state = actix_web::web::Data::new(AppState {
        pool,
        clock,
        csrf_key,
        catalogue: Cached::default(),
        calendar: Cached::default(),
        rounds: Cached::default(),
        settings: Cached::default(),
        employer_rows: fragments::Fragments::default(),
        committee_rows: fragments::Fragments::default(),
        rubrics: Default::default(),
        uploads: web::upload::UploadBudget::new(config.uploads_in_flight_bytes()),
        exports: web::upload::UploadBudget::new(web::shared::meeting::EXPORTS_AT_ONCE),
        config,
    });
    let access_log = state.config.access_log;
    let sqlite = !state.pool.is_postgres();
    let mut server = actix_web::HttpServer::new(move || {
        // Called on each worker thread, in its runtime, as it starts.
        if sqlite {
            web::release_snapshots_on_this_worker();
        }
        actix_web::App::new()
            .app_data(state.clone())
            .configure(|cfg| web::configure(cfg, access_log))
    })
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// How often the server sweeps for deadlines that passed (returns not answered in time).
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// Starts the sweep: at start and then every [`SWEEP_EVERY`], applications whose reply deadline
/// passed are withdrawn (`service::returns::sweep_overdue`, idempotent and
/// audited; several instances may sweep at once, each row changes once), rounds past their
/// scoring deadline send their complete cases to the meeting (`service::scoring::sweep_closing`,
/// under each round's lease), and forms kept after a
/// timeout longer than their lifetime are forgotten.
pub fn spawn_sweeper(pool: store::Pool, clock: Arc<clock::Clock>) {
    std::thread::spawn(move || loop {
        let now = store::to_db_time(clock.now());
        match pool.get() {
            Ok(mut c) => {
                match service::returns::sweep_overdue(&mut c, now) {
                    Ok(0) => {}
                    Ok(n) => {
                        log::info!("sweep: {n} application(s) past their reply deadline withdrawn")
                    }
                    Err(e) => log::warn!("sweep failed: {e}"),
                }
                // At a round's scoring deadline its complete cases go to the meeting.
                match service::scoring::sweep_closing(&mut c, now) {
                    Ok(0) => {}
                    Ok(n) => log::info!("sweep: scoring closed for {n} application(s)"),
                    Err(e) => log::warn!("sweep: scoring not closed: {e}"),
                }
                // Forms kept after a timeout are forgotten on time, not only when another is
                // kept.
                if let Err(e) = service::sessions::purge_kept_forms(&mut c, now) {
                    log::warn!("sweep: kept forms not purged: {e}");
                }
            }
            Err(e) => log::warn!("sweep: no database connection: {e}"),
        }
        std::thread::sleep(SWEEP_EVERY);
    });
}
