//! 用人单位认证: the admin sees pending employer registrations side by side with their licence
//! scans and verifies or rejects each.

use actix_web::http::header;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::service::employers::{self, ClaimsPage as Queue};
use crate::service::ActionError;
use crate::web::extract::{Admin, Me};
use crate::web::public::Empty;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "admin/employers.html")]
struct ClaimsPage {
    page: Page,
    queue: Queue,
    /// The page shown is an older one (its link back to the newest).
    before: Option<i64>,
    errors: FormErrors,
    notice: Option<&'static str>,
    /// What a refused bulk rejection carried: the ticks and the reason.
    ticked: Vec<i64>,
    bulk_reason: String,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    before: Option<i64>,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<ClaimsPage, AppError> {
    let who = me.actor;
    let queue =
        crate::web::db_read(state, move |c| Ok(employers::pending(c, &who, before)?)).await?;
    Ok(ClaimsPage {
        page: me.page(),
        queue,
        before,
        errors,
        notice,
        ticked: Vec::new(),
        bulk_reason: String::new(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub done: String,
    pub before: Option<i64>,
}

pub async fn list(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match q.done.as_str() {
        "verified" => Some("已认证：该单位现在可以登录，等待中的申报已转到该单位。"),
        "rejected" => Some("已驳回该注册申请。"),
        "rejected-many" => Some("已驳回所选的注册申请。"),
        _ => None,
    };
    render_status(
        StatusCode::OK,
        &page(&state, &me, q.before, FormErrors::default(), notice).await?,
    )
}

/// The bulk rejection: the claims ticked on the list and one reason for all of them.
#[derive(Debug, Default)]
pub struct BulkForm {
    pub ids: Vec<i64>,
    pub reason: String,
    /// The page of the queue it was sent from (a refused batch comes back on it).
    pub before: Option<i64>,
}

impl BulkForm {
    fn read(pairs: &[(String, String)]) -> BulkForm {
        BulkForm {
            ids: pairs
                .iter()
                .filter(|(k, _)| k == "ids")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
            reason: pairs
                .iter()
                .find(|(k, _)| k == "bulk-reason")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            before: pairs
                .iter()
                .find(|(k, _)| k == "before")
                .and_then(|(_, v)| v.parse().ok()),
        }
    }
}

/// 驳回所选: every claim ticked, one reason, all or none.
pub async fn reject_many(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = BulkForm::read(&pairs);
    let mut errors = FormErrors::default();
    if form.ids.is_empty() {
        errors.add("ids", "请至少勾选一份要驳回的注册申请");
    }
    let reason = errors.check(
        "bulk-reason",
        employers::REASON
            .parse(&form.reason)
            .map_err(employers::reason_problem),
    );
    if let (Some(reason), true) = (reason, errors.is_empty()) {
        let (who, now, ids) = (me.actor, state.now(), form.ids.clone());
        match db(&state, move |c| {
            Ok(employers::reject_many(c, &who, &ids, &reason, now))
        })
        .await?
        {
            Ok(()) => return Ok(see_other("/admin/employers?done=rejected-many")),
            Err(ActionError::Refused(m)) => errors.add("ids", m),
            Err(e) => return Err(e.into()),
        }
    }
    let mut shown = page(&state, &me, form.before, errors, None).await?;
    shown.ticked = form.ids;
    shown.bulk_reason = form.reason;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &shown)
}

pub async fn verify(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<i64>,
    _form: CsrfForm<Empty>,
) -> Result<HttpResponse, AppError> {
    let (who, now, id) = (me.actor, state.now(), *id);
    match db(&state, move |c| Ok(employers::verify(c, &who, id, now))).await? {
        Ok(_) => Ok(see_other("/admin/employers?done=verified")),
        Err(ActionError::Refused(m)) => refused(&state, &me, id, "verify", m).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RejectForm {
    pub reason: String,
}

pub async fn reject(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let (who, now, id) = (me.actor, state.now(), *id);
    let reason = match employers::REASON.parse(&form.reason) {
        Ok(reason) => reason,
        Err(e) => return refused(&state, &me, id, "reason", employers::reason_problem(e)).await,
    };
    match db(&state, move |c| {
        Ok(employers::reject(c, &who, id, &reason, now))
    })
    .await?
    {
        Ok(()) => Ok(see_other("/admin/employers?done=rejected")),
        Err(ActionError::Refused(m)) => refused(&state, &me, id, "verify", m).await,
        Err(e) => Err(e.into()),
    }
}

async fn refused(
    state: &web::Data<AppState>,
    me: &Me,
    id: i64,
    field: &str,
    message: String,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    errors.add(format!("{field}-{id}"), message);
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &page(state, me, None, errors, None).await?,
    )
}

/// The licence scan, as an attachment with the type sniffed at upload.
pub async fn licence(
    state: web::Data<AppState>,
    Admin(me): Admin,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (who, id) = (me.actor, *id);
    let (name, kind, bytes) =
        crate::web::db_read(&state, move |c| Ok(employers::licence(c, &who, id)?)).await?;
    Ok(HttpResponse::Ok()
        .content_type(kind)
        .insert_header((
            header::CONTENT_DISPOSITION,
            crate::web::shared::evidence::attachment(&name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
