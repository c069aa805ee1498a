//! The employer's pages: the list of its people's applications, and one application's
//! verification, publicity, objections and decision.

pub mod application;
pub mod forms;
pub mod home;
pub mod publicity;
pub mod staff;

/// Everything under `/employer`, in one scope so other paths skip it on a prefix compare.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.service(
        web::scope("/employer")
            .route("", web::get().to(home::show))
            .route("/publicities", web::post().to(home::publicise))
            .route("/publicities/{id}", web::get().to(publicity::show))
            .configure(application::routes)
            .configure(staff::routes)
            .default_service(web::to(crate::web::public::not_found)),
    );
}
