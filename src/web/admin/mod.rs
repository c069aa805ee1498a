//! The HR bureau's administration: the audit log, accounts, rounds.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod employers;
pub mod home;
pub mod rounds;

/// Everything under `/admin`, in one scope so other paths skip it on a prefix compare.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.service(
        web::scope("/admin")
            .route("", web::get().to(home::show))
            .route("/audit", web::get().to(audit::show))
            .configure(calendar::routes)
            .route("/accounts", web::get().to(accounts::list))
            .route("/accounts", web::post().to(accounts::create))
            .route("/accounts/{id}/{action}", web::post().to(accounts::manage))
            .route("/rounds", web::get().to(rounds::list))
            .route("/rounds", web::post().to(rounds::create))
            .route("/rounds/{id}", web::get().to(rounds::edit))
            .route("/rounds/{id}", web::post().to(rounds::update))
            .route("/rounds/{id}/close", web::post().to(rounds::close))
            .route("/employers", web::get().to(employers::list))
            .route("/employers/reject", web::post().to(employers::reject_many))
            .route("/employers/{id}/verify", web::post().to(employers::verify))
            .route("/employers/{id}/reject", web::post().to(employers::reject))
            .route("/employers/{id}/licence", web::get().to(employers::licence))
            .default_service(web::to(crate::web::public::not_found)),
    );
}
