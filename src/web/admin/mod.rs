//! The HR bureau's administration: the audit log, accounts, rounds.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod employers;
pub mod home;
pub mod rounds;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/admin", web::get().to(home::show))
        .route("/admin/audit", web::get().to(audit::show))
        .configure(calendar::routes)
        .route("/admin/accounts", web::get().to(accounts::list))
        .route("/admin/accounts", web::post().to(accounts::create))
        .route(
            "/admin/accounts/{id}/{action}",
            web::post().to(accounts::manage),
        )
        .route("/admin/rounds", web::get().to(rounds::list))
        .route("/admin/rounds", web::post().to(rounds::create))
        .route("/admin/rounds/{id}", web::get().to(rounds::edit))
        .route("/admin/rounds/{id}", web::post().to(rounds::update))
        .route("/admin/rounds/{id}/close", web::post().to(rounds::close))
        .route("/admin/employers", web::get().to(employers::list))
        .route(
            "/admin/employers/{id}/verify",
            web::post().to(employers::verify),
        )
        .route(
            "/admin/employers/{id}/reject",
            web::post().to(employers::reject),
        )
        .route(
            "/admin/employers/{id}/licence",
            web::get().to(employers::licence),
        );
}
