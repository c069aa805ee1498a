//! Pages and pieces more than one role sees: the dossier, evidence downloads, the timeline, the
//! verdict and the section summaries.

pub mod account;
pub mod appointment;
pub mod committee;
pub mod committee_list;
pub mod dossier;
pub mod evidence;
pub mod meeting;
pub mod password;
pub mod pool;
pub mod returns;
pub mod rounds;
pub mod rubric;
pub mod summary;
pub mod timeline;
pub mod verdict;
pub mod verification;

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
