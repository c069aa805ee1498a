//! The applicant's pages: home, the task list, one page per section, check answers and
//! submission. A reader finds a page's code by its URL.

pub mod achievements;
pub mod appointment;
pub mod basic;
pub mod certificates;
pub mod employment;
pub mod home;
pub mod next_step;
pub mod remove;
pub mod review;
pub mod section;
pub mod target;
pub mod task_list;
pub mod withdraw;
pub mod work;

use actix_web::web;

use crate::domain::ApplicationId;

/// Everything under `/applicant`, in one scope so other paths skip it on a prefix compare.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/applicant")
            .route("", web::get().to(home::show))
            .route("/applications", web::post().to(task_list::create))
            .route("/applications/copy", web::post().to(task_list::create_copy))
            .service(
                web::scope("/applications/{id}")
                    .route("", web::get().to(task_list::show))
                    .configure(basic::routes)
                    .configure(employment::routes)
                    .configure(certificates::routes)
                    .configure(work::routes)
                    .configure(target::routes)
                    .configure(achievements::routes)
                    .configure(review::routes)
                    .configure(remove::routes)
                    .configure(withdraw::routes)
                    .configure(appointment::routes)
                    .default_service(web::to(super::public::not_found)),
            )
            .default_service(web::to(super::public::not_found)),
    );
}

pub fn task_list_url(id: ApplicationId) -> String {
    format!("/applicant/applications/{id}")
}
