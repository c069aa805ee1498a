//! The employer's pages.

pub mod home;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.route("/employer", actix_web::web::get().to(home::show));
}
