//! The supervisor (监管): every committee's standing and cases, pools and the audit log, read
//! only. Every page a supervisor opens is itself written to the audit log (`web::session`).

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::domain::State;
use crate::store::committees::Committee;
use crate::web::admin::audit::{lines, AuditLine, Before};
use crate::web::extract::Supervisor;
use crate::web::{db_read, render, AppError, Page};
use crate::AppState;

pub struct CommitteeRow {
    pub c: Committee,
    pub standing: String,
    pub registered: bool,
    /// Applications the committee holds, and those at formal check.
    pub total: i64,
    pub at_check: i64,
}

#[derive(Template)]
#[template(path = "supervisor/home.html")]
struct HomePage {
    page: Page,
    name: String,
    rows: Vec<CommitteeRow>,
}

pub async fn home(
    state: web::Data<AppState>,
    Supervisor(me): Supervisor,
) -> Result<HttpResponse, AppError> {
    let who = me.actor;
    let (list, counts) = db_read(&state, move |c| {
        let list = crate::service::committees::list(c, &who)?;
        let counts = crate::store::committees::all_state_counts(c)?;
        Ok((list, counts))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let rows = list
        .into_iter()
        .map(|c| {
            let of = |s: Option<State>| -> i64 {
                counts
                    .iter()
                    .filter(|(id, st, _)| *id == c.id && s.is_none_or(|x| x == *st))
                    .map(|(_, _, n)| n)
                    .sum()
            };
            let standing = c.standing(today);
            CommitteeRow {
                total: of(None),
                at_check: of(Some(State::OfficeCheck)),
                standing: standing.label(),
                registered: standing.is_registered(),
                c,
            }
        })
        .collect();
    render(&HomePage {
        page: me.page(),
        name: me.account.display_name.clone(),
        rows,
    })
}

#[derive(Template)]
#[template(path = "supervisor/audit.html")]
struct AuditPage {
    page: Page,
    lines: Vec<AuditLine>,
    next: Option<i64>,
}

/// Rows a page of the log shows.
const PAGE: i64 = 50;

pub async fn audit(
    state: web::Data<AppState>,
    Supervisor(me): Supervisor,
    q: web::Query<Before>,
) -> Result<HttpResponse, AppError> {
    let before = q.before;
    let (mut lines, next) = db_read(&state, move |c| {
        let mut rows = crate::store::audit::before(c, before, PAGE + 1)?;
        let more = rows.len() as i64 > PAGE;
        rows.truncate(PAGE as usize);
        let next = rows.last().map(|r| r.id).filter(|_| more);
        Ok((lines(c, rows)?, next))
    })
    .await?;
    // The admin's pages are not the supervisor's; a committee's page is.
    for l in &mut lines {
        if l.link.as_deref().is_some_and(|h| h.starts_with("/admin")) {
            l.link = None;
        }
    }
    render(&AuditPage {
        page: me.page(),
        lines,
        next,
    })
}
