//! 用人单位认证: the admin sees pending employer registrations side by side with their licence
//! scans and verifies or rejects each.

use actix_web::http::header;
use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::service::employers::{self, PendingClaim};
use crate::service::ActionError;
use crate::web::extract::{Admin, Me};
use crate::web::public::Empty;
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

#[derive(Template)]
#[template(path = "admin/employers.html")]
struct ClaimsPage {
    page: Page,
    claims: Vec<PendingClaim>,
    errors: FormErrors,
    notice: Option<&'static str>,
}

async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> Result<ClaimsPage, AppError> {
    let who = me.actor;
    let claims = crate::web::db_read(state, move |c| Ok(employers::pending(c, &who)?)).await?;
    Ok(ClaimsPage {
        page: me.page(),
        claims,
        errors,
        notice,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
}

pub async fn list(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let notice = match q.done.as_str() {
        "verified" => Some("已认证：该单位现在可以登录，等待中的申报已转到该单位。"),
        "rejected" => Some("已驳回该注册申请。"),
        _ => None,
    };
    render_status(
        StatusCode::OK,
        &page(&state, &me, FormErrors::default(), notice).await?,
    )
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
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        return refused(
            &state,
            &me,
            id,
            "reason",
            "请填写驳回理由（500字以内），申请人将看到它".into(),
        )
        .await;
    }
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
        &page(state, me, errors, None).await?,
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
