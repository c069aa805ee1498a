//! Pages and pieces more than one role sees: the dossier, evidence downloads, the timeline, the
//! verdict and the section summaries.

pub mod account;
pub mod appointment;
pub mod dossier;
pub mod evidence;
pub mod password;
pub mod summary;
pub mod timeline;
pub mod verdict;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    // Static paths first: actix tries resources in order, and a pattern with a segment costs a
    // regex run for every path that reaches it.
    cfg.route("/account", web::get().to(account::show))
        .route("/account/password", web::get().to(password::form))
        .route("/account/password", web::post().to(password::change))
        .route("/reset/{token}", web::get().to(password::reset_form))
        .route("/reset/{token}", web::post().to(password::reset))
        .route(
            "/account/logout-everywhere",
            web::post().to(account::logout_everywhere),
        )
        .route("/applications/{id}", web::get().to(dossier::show))
        .route(
            "/applications/{id}/appointment",
            web::get().to(appointment::show),
        )
        .route("/evidence/{id}", web::get().to(evidence::download));
}

#[derive(askama::Template)]
#[template(path = "shared/staff_home.html")]
struct StaffHome<'a> {
    page: crate::web::Page,
    title: &'a str,
    name: String,
    duties: &'a [&'a str],
}

/// The landing page of a role whose work comes with later issues: its name and duties.
pub fn staff_home(
    me: &crate::web::extract::Me,
    title: &str,
    duties: &[&str],
) -> Result<actix_web::HttpResponse, crate::web::AppError> {
    crate::web::render(&StaffHome {
        page: me.page(),
        title,
        name: me.account.display_name.clone(),
        duties,
    })
}
