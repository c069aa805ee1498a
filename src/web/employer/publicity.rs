//! The printable publicity notice (公示表): masked names, posts, skill levels, target titles and
//! routes, the period and where to object, as HR posts it.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::service::employer_stage::NoticeRow;
use crate::store::employer_stage::PublicityRow;
use crate::web::extract::Employer;
use crate::web::{render, AppError, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "employer/notice.html")]
struct NoticePage {
    page: Page,
    employer: String,
    publicity: PublicityRow,
    rows: Vec<NoticeRow>,
}

pub async fn show(
    state: web::Data<AppState>,
    Employer(me): Employer,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let (publicity, rows, employer) = crate::web::db_read(&state, move |c| {
        let (p, rows) = crate::service::employer_stage::notice(c, &who, id)?;
        let employer = crate::store::accounts::employer(c, who.org)?;
        Ok((p, rows, employer.map(|e| e.name).unwrap_or_default()))
    })
    .await?;
    render(&NoticePage {
        page: me.page(),
        employer,
        publicity,
        rows,
    })
}
