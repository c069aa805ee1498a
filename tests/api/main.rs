//! Integration tests: the real app over HTTP, on SQLite and on PostgreSQL.

mod fixtures;
mod harness;
mod helpers;
mod plans;
mod privacy;

mod admin;
pub mod applications;
mod architecture;
mod assignment;
mod auth;
mod checker;
mod committees;
pub mod demo;
mod employer_pages;
mod employer_stage;
mod employers;
mod formal_check;
mod hardening;
pub mod kept;
mod logs;
mod meeting;
pub mod register;
mod review;
mod rounds;
mod scale;
mod schema;
mod scoring;
mod security;
mod self_check;
mod service;
mod snapshot;

fn main() -> std::process::ExitCode {
    logs::init();
    let args = libtest_mimic::Arguments::from_args();
    let trials = [
        plans::trials(),
        privacy::trials(),
        admin::trials(),
        applications::trials(),
        architecture::trials(),
        assignment::trials(),
        scoring::trials(),
        meeting::trials(),
        auth::trials(),
        checker::trials(),
        committees::trials(),
        demo::trials(),
        employer_pages::trials(),
        employer_stage::trials(),
        employers::trials(),
        formal_check::trials(),
        hardening::trials(),
        kept::trials(),
        register::trials(),
        review::trials(),
        rounds::trials(),
        scale::trials(),
        schema::trials(),
        security::trials(),
        self_check::trials(),
        service::trials(),
        snapshot::trials(),
    ]
    .into_iter()
    .flatten()
    .collect();
    libtest_mimic::run(&args, trials).exit_code()
}
