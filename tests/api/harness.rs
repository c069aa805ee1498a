//! The integration binary's own harness (`harness = false`, on libtest-mimic): libtest decides
//! what is ignored at compile time, this one decides at start from the environment, so the
//! PostgreSQL variants show as `ignored` when no server is configured instead of passing empty.

use crate::helpers::{postgres_url, try_spawn_app, Backend, TestApp};
use libtest_mimic::{Failed, Trial};
use std::future::Future;

/// Whether the PostgreSQL tests are to be skipped (decided once; panics under CI=true).
fn without_postgres() -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SKIP.get_or_init(|| postgres_url().is_none())
}

fn block_on<F: Future<Output = ()>>(fut: F) -> Result<(), Failed> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(format!("tokio runtime: {e}")))?
        .block_on(fut);
    Ok(())
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn on(
    backend: Backend,
    module: &str,
    name: &str,
    run: impl FnOnce() -> Result<(), Failed> + Send + 'static,
) -> Trial {
    let trial = Trial::test(format!("{module}::{}::{name}", backend_name(backend)), run);
    match backend {
        Backend::Sqlite => trial,
        Backend::Postgres => trial.with_ignored_flag(without_postgres()),
    }
}

pub fn both<F, Fut>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce(TestApp) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = ()>,
{
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .map(|backend| {
            on(backend, module, name, move || {
                block_on(async move {
                    let app = try_spawn_app(backend)
                        .await
                        .expect("the backend is configured");
                    test(app).await
                })
            })
        })
        .collect()
}

pub fn per_backend<F, Fut>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce(Backend) -> Fut + Copy + Send + 'static,
    Fut: Future<Output = ()>,
{
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .map(|backend| on(backend, module, name, move || block_on(test(backend))))
        .collect()
}

/// A test of SQLite alone (it sets up its own database).
pub fn sqlite<F, Fut>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    vec![on(Backend::Sqlite, module, name, move || block_on(test()))]
}

pub fn postgres<F, Fut>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    vec![on(
        Backend::Postgres,
        module,
        name,
        move || block_on(test()),
    )]
}

pub fn task<F, Fut>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    vec![Trial::test(format!("{module}::{name}"), move || {
        block_on(test())
    })]
}

pub fn sync<F>(module: &str, name: &str, test: F) -> Vec<Trial>
where
    F: FnOnce() + Send + 'static,
{
    vec![Trial::test(format!("{module}::{name}"), move || {
        test();
        Ok(())
    })]
}
