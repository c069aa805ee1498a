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
    /// A year whose holidays must be entered now.
    missing_year: Option<crate::calendar::MissingYear>,
}

pub async fn show(state: web::Data<AppState>, Admin(me): Admin) -> Result<HttpResponse, AppError> {
    let st = state.clone();
    let today = crate::time::local_date(state.now());
    let (lines, calendar) = crate::web::db_read(&state, move |c| {
        let rows = audit::latest(c, 10)?;
        Ok((super::audit::lines(c, rows)?, st.calendar(c)?))
    })
    .await?;
    render(&AdminHome {
        page: me.page(),
        name: me.account.display_name.clone(),
        lines,
        missing_year: calendar.missing_year(today),
    })
}
