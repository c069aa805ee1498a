//! The audit log as people read it: when, who (name and role), what (a label, never a code),
//! about what (a readable subject with a link where there is a page), and the detail; newest
//! first, keyset-paginated.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use std::collections::HashMap;

use crate::domain::{AccountId, AuditAction};
use crate::store::audit::{self, AuditRow};
use crate::web::extract::Admin;
use crate::web::{render, AppError, Page};
use crate::AppState;

/// Rows a page of the full log shows.
const PAGE: i64 = 50;

/// One row as shown.
pub struct AuditLine {
    pub at: String,
    pub who: String,
    pub role: &'static str,
    pub action: &'static str,
    pub subject: String,
    pub link: Option<String>,
    pub detail: String,
}

/// The readable label of an audit action (workflow steps by the workflow's own words).
pub fn action_label(from: Option<crate::domain::State>, action: AuditAction) -> &'static str {
    match action {
        AuditAction::Workflow(a) => crate::workflow::label_of(from, a),
        plain => plain.label(),
    }
}

/// The subject in words, and its page when an admin has one.
fn subject(
    stored: &str,
    names: &HashMap<AccountId, (String, String)>,
    references: &HashMap<i64, String>,
) -> (String, Option<String>) {
    let (kind, id) = stored.split_once(':').unwrap_or((stored, ""));
    let number = id.parse::<i64>().ok();
    match (kind, number) {
        ("account", Some(n)) => match names.get(&AccountId(n)) {
            Some((login, name)) => (format!("账户 {name}（{login}）"), None),
            None => (format!("账户 {n}"), None),
        },
        ("application", Some(n)) => match references.get(&n) {
            Some(reference) => (format!("申报 {reference}"), None),
            None => (format!("申报草稿（内部编号 {n}）"), None),
        },
        ("round", Some(n)) => (format!("评审批次 {n}"), None),
        ("employer_claim", Some(n)) => (
            format!("用人单位注册申请 {n}"),
            Some("/admin/employers".into()),
        ),
        ("series", _) => (format!("职称系列 {id}"), None),
        ("catalogue", _) => ("目录".into(), None),
        ("calendar", _) => ("工作日历".into(), Some("/admin/calendar".into())),
        ("committee", Some(n)) => (format!("评委会 {n}"), Some(format!("/committees/{n}"))),
        ("pool_entry", Some(n)) => (format!("专家库条目 {n}"), None),
        ("settings", _) => (format!("配置（{id}）"), None),
        ("page", _) => (format!("页面 {id}"), None),
        _ => (stored.to_string(), None),
    }
}

/// Rows as people read them, with one query for every account they name (in the caller's read,
/// so a page is one trip to the database).
pub fn lines(
    c: &mut crate::store::DbConnection,
    rows: Vec<AuditRow>,
) -> Result<Vec<AuditLine>, crate::store::DbError> {
    let mut ids: Vec<AccountId> = rows.iter().filter_map(|r| r.actor.id).collect();
    ids.extend(rows.iter().filter_map(|r| {
        r.subject
            .strip_prefix("account:")
            .and_then(|n| n.parse().ok())
            .map(AccountId)
    }));
    ids.sort_by_key(|a| a.0);
    ids.dedup();
    let found = crate::store::accounts::names(c, &ids)?;
    let names: HashMap<AccountId, (String, String)> = found
        .into_iter()
        .map(|(id, login, name)| (id, (login, name)))
        .collect();
    // Applications by their reference number, the name people know them by.
    let mut apps: Vec<crate::domain::ApplicationId> = rows
        .iter()
        .filter_map(|r| r.subject.strip_prefix("application:")?.parse().ok())
        .map(crate::domain::ApplicationId)
        .collect();
    apps.sort_by_key(|a| a.0);
    apps.dedup();
    let references: HashMap<i64, String> = crate::store::applications::references(c, &apps)?
        .into_iter()
        .filter_map(|(id, r)| Some((id.0, r?)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (subject, link) = subject(&r.subject, &names, &references);
            AuditLine {
                at: crate::time::local_minutes(r.at),
                who: r
                    .actor
                    .id
                    .and_then(|id| names.get(&id))
                    .map(|(_, name)| name.clone())
                    .unwrap_or_else(|| "系统或访客".into()),
                role: r.actor.role.map(|role| role.label()).unwrap_or("—"),
                action: action_label(r.from, r.action),
                subject,
                link,
                detail: r.detail,
            }
        })
        .collect())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Before {
    pub before: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    lines: Vec<AuditLine>,
    /// The row id to continue from, when older rows exist.
    next: Option<i64>,
}

pub async fn show(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<Before>,
) -> Result<HttpResponse, AppError> {
    let before = q.before;
    let (lines, next) = crate::web::db_read(&state, move |c| {
        let mut rows = audit::before(c, before, PAGE + 1)?;
        let more = rows.len() as i64 > PAGE;
        rows.truncate(PAGE as usize);
        let next = rows.last().map(|r| r.id).filter(|_| more);
        Ok((lines(c, rows)?, next))
    })
    .await?;
    render(&AuditPage {
        page: me.page(),
        lines,
        next,
    })
}
