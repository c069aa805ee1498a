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

use crate::domain::ApplicationId;

pub fn task_list_url(id: ApplicationId) -> String {
    format!("/applicant/applications/{id}")
}
