//! The committee office's pages: its committee's applications (formal check, assignment,
//! meetings and results come with later issues), its committee's page and expert pool.

use actix_web::{web, HttpResponse};

use crate::web::extract::Office;
use crate::web::shared::committee_list::{list_page, ListQuery};
use crate::web::shared::staff_home;
use crate::web::{render, AppError};
use crate::AppState;

/// The office's work list: its own committee's applications.
pub async fn home(
    state: web::Data<AppState>,
    Office(me): Office,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let Some(committee) = me.actor.committee else {
        return staff_home(
            &me,
            "评委会办事机构工作台",
            &["本账户尚未归属任何评委会：请联系管理员在评委会页面指派"],
        );
    };
    let mut p = list_page(&state, &me, committee, &q, "/office".into()).await?;
    p.home = true;
    render(&p)
}
