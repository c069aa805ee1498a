//! The admin's home: the latest audit rows.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::audit::AuditLine;
use crate::store::audit;
use crate::web::extract::Admin;
use crate::web::{render, AppError, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "admin/home.html")]
struct AdminHome {
    page: Page,
    name: String,
    lines: Vec<AuditLine>,
}

pub async fn show(state: web::Data<AppState>, Admin(me): Admin) -> Result<HttpResponse, AppError> {
    let lines = crate::web::db_read(&state, |c| {
        let rows = audit::latest(c, 10)?;
        Ok(super::audit::lines(c, rows)?)
    })
    .await?;
    render(&AdminHome {
        page: me.page(),
        name: me.account.display_name.clone(),
        lines,
    })
}
