//! The employer's pages: the list of its people's applications, and one application's
//! verification, publicity, objections and decision.

pub mod application;
pub mod forms;
pub mod home;
pub mod publicity;
pub mod staff;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/employer", web::get().to(home::show))
        .route("/employer/publicities", web::post().to(home::publicise))
        .route("/employer/publicities/{id}", web::get().to(publicity::show))
        .configure(application::routes)
        .configure(staff::routes);
}
