//! The committee office's pages: its committee's applications with what falls due, the formal
//! check of each ([`application`]), and accepting a ticked batch; its committee's page and
//! expert pool are the committee's shared pages.

pub mod application;
pub mod assignment;
pub mod experts;
pub mod reviews;
pub mod scoring;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::domain::ApplicationId;
use crate::service::ActionError;
use crate::web::extract::{Me, Office};
use crate::web::shared::committee_list::{list_page, ListPage, ListQuery};
use crate::web::shared::staff_home;
use crate::web::{db, render, render_status, see_other, AppError, CsrfForm};
use crate::AppState;

/// The most ticks a batch may carry (a page shows 25 rows).
const MAX_PICKS: usize = 100;

/// How many corrections falling due the home lists.
const DUE_SHOWN: i64 = 10;

/// The office's list at `q`, with the corrections falling due.
async fn home_page(
    state: &web::Data<AppState>,
    me: &Me,
    q: &ListQuery,
) -> Result<Option<ListPage>, AppError> {
    let Some(committee) = me.actor.committee else {
        return Ok(None);
    };
    let mut p = list_page(state, me, committee, q, "/office".into()).await?;
    let who = me.actor;
    // What falls due belongs to the overview: the whole list's first page, not a tab, a
    // search or an older page (each of those is a worklist of its own).
    let overview = q.state.is_empty() && q.q.trim().is_empty() && q.before.is_none();
    p.due = match overview {
        false => Vec::new(),
        true => {
            crate::web::db_read(state, move |c| {
                let due = crate::service::formal_check::due(c, &who, DUE_SHOWN)?;
                Ok(due
                    .into_iter()
                    .map(|d| (d.id, format!("{} {}", d.reference, d.name), d.deadline))
                    .collect())
            })
            .await?
        }
    };
    if overview {
        let (st, today) = (state.clone(), crate::time::local_date(state.now()));
        p.attention = crate::web::db_read(state, move |c| {
            let (rounds, settings) = (st.rounds(c)?, st.settings(c)?);
            Ok(crate::service::assignment::attention(
                c,
                &who,
                committee,
                (&rounds, &settings),
                today,
            )?)
        })
        .await?;
    }
    p.home = true;
    // Said only after the batch this session just sent, never because a link says so.
    if let Some(n) = q.accepted {
        let taken = crate::web::flash_take(state, me).await?;
        if taken.as_deref() == Some(format!("accepted:{n}").as_str()) {
            p.done = Some(format!("已受理 {n} 份申报，转入专家评审。"));
        }
    }
    Ok(Some(p))
}

/// The office's work list: its own committee's applications.
pub async fn home(
    state: web::Data<AppState>,
    Office(me): Office,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    match home_page(&state, &me, &q).await? {
        Some(p) => render(&p),
        None => staff_home(
            &me,
            "评委会办事机构工作台",
            &["本账户尚未归属任何评委会：请联系管理员在评委会页面指派"],
        ),
    }
}

/// The ticked applications (`id:version` each) accepted together, all or none.
pub async fn accept_many(
    state: web::Data<AppState>,
    Office(me): Office,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let picked: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "pick")
        .map(|(_, v)| v.clone())
        .collect();
    // Every tick as the page made it (`id:version`, each once, no more than a page holds), or
    // none is accepted: a batch is all or nothing.
    let mut parsed: Vec<(ApplicationId, i32)> = picked
        .iter()
        .filter_map(|p| {
            let (id, version) = p.split_once(':')?;
            Some((ApplicationId(id.parse().ok()?), version.parse().ok()?))
        })
        .collect();
    parsed.sort_by_key(|(id, _)| id.0);
    parsed.dedup();
    let (now, who) = (state.now(), me.actor);
    let result = match parsed.len() == picked.len() && picked.len() <= MAX_PICKS {
        false => Err(ActionError::Refused(
            "所勾选的内容无法识别或超过一页，本次均未受理。请核对下列申报后重新勾选".into(),
        )),
        true => {
            db(&state, move |c| {
                Ok(crate::service::formal_check::accept(c, &who, &parsed, now))
            })
            .await?
        }
    };
    let refused = match result {
        Ok(n) => {
            crate::web::flash_put(&state, &me, format!("accepted:{n}")).await?;
            return Ok(see_other(&format!(
                "/office?state=office_check&accepted={n}"
            )));
        }
        Err(ActionError::Refused(m)) => m,
        Err(ActionError::Stale) => {
            "所勾选的申报刚刚被其他经办人处理过，本次均未受理。请核对下列申报后重新勾选".into()
        }
        Err(e) => return Err(e.into()),
    };
    let q = ListQuery {
        state: "office_check".into(),
        ..ListQuery::default()
    };
    let Some(mut p) = home_page(&state, &me, &q).await? else {
        return Err(AppError::NotFound);
    };
    p.refused = Some(refused);
    for row in &mut p.rows {
        row.picked = picked.contains(&row.pick());
    }
    render_status(StatusCode::CONFLICT, &p)
}
