//! Guantong (贯通): Shanghai's pathway between vocational skills and professional titles.

pub mod access;
pub mod application;
pub mod calendar;
pub mod checker;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod floor;
pub mod password;
pub mod policy;
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
    /// The catalogue as last read, and when: pages read it once a minute, not per request.
    pub catalogue: std::sync::RwLock<Option<(std::time::Instant, Arc<policy::Catalogue>)>>,
    /// The working-day calendar as last read, and when (pages; decisions read it as stored).
    pub calendar: std::sync::RwLock<Option<(std::time::Instant, Arc<calendar::WorkCalendar>)>>,
}

/// How long pages use a catalogue before reading it again (an admin's change shows within it).
pub const CATALOGUE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

impl AppState {
    /// The catalogue for pages: the cached one, or read now when it is older than a minute.
    pub fn catalogue(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Arc<policy::Catalogue>, store::DbError> {
        if let Ok(guard) = self.catalogue.read() {
            if let Some((at, cat)) = guard.as_ref() {
                if at.elapsed() < CATALOGUE_TTL {
                    return Ok(cat.clone());
                }
            }
        }
        let fresh = Arc::new(service::catalogue::load(c)?);
        if let Ok(mut guard) = self.catalogue.write() {
            *guard = Some((std::time::Instant::now(), fresh.clone()));
        }
        Ok(fresh)
    }

    /// The working-day calendar for pages: cached like the catalogue (an admin's change shows
    /// within [`CATALOGUE_TTL`]); every decision that counts working days reads it as stored.
    pub fn calendar(
        &self,
        c: &mut store::DbConnection,
    ) -> Result<Arc<calendar::WorkCalendar>, store::DbError> {
        if let Ok(guard) = self.calendar.read() {
            if let Some((at, cal)) = guard.as_ref() {
                if at.elapsed() < CATALOGUE_TTL {
                    return Ok(cal.clone());
                }
            }
        }
        let fresh = Arc::new(service::calendar::load(c)?);
        if let Ok(mut guard) = self.calendar.write() {
            *guard = Some((std::time::Instant::now(), fresh.clone()));
        }
        Ok(fresh)
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
        config,
        clock,
        csrf_key,
        catalogue: std::sync::RwLock::new(None),
        calendar: std::sync::RwLock::new(None),
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
/// passed are withdrawn (`service::employer_stage::sweep_overdue_returns`, idempotent and
/// audited; several instances may sweep at once, each row changes once).
pub fn spawn_sweeper(pool: store::Pool, clock: Arc<clock::Clock>) {
    std::thread::spawn(move || loop {
        let now = store::to_db_time(clock.now());
        match pool.get() {
            Ok(mut c) => match service::employer_stage::sweep_overdue_returns(&mut c, now) {
                Ok(0) => {}
                Ok(n) => {
                    log::info!("sweep: {n} application(s) past their reply deadline withdrawn")
                }
                Err(e) => log::warn!("sweep failed: {e}"),
            },
            Err(e) => log::warn!("sweep: no database connection: {e}"),
        }
        std::thread::sleep(SWEEP_EVERY);
    });
}
