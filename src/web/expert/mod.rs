//! The expert's pages: their assigned cases with the scoring deadline, each case's frozen
//! dossier with its evidence (the ID number masked, no reveal), and declaring a conflict of
//! interest, which recuses them at once.

pub mod review;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::application::{Section, Snapshot};
use crate::domain::ApplicationId;
use crate::panel::conflicts::Kind;
use crate::service::assignment::{self as assign, ExpertHome};
use crate::service::ActionError;
use crate::web::extract::{Expert, Me};
use crate::web::shared::summary::{self, SectionSummary};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// The applicant's contact details, which an expert's page leaves out.
const CONTACT_ROWS: [&str; 3] = ["联系电话", "电子邮箱", "通讯地址"];

#[derive(Template)]
#[template(path = "expert/home.html")]
struct HomePage {
    page: Page,
    name: String,
    h: ExpertHome,
    /// The rounds the expert has a calibration in: (round, its name).
    calibrations: Vec<(crate::domain::RoundId, String)>,
    today: chrono::NaiveDate,
    done: Option<String>,
    paged: bool,
}

impl HomePage {
    /// Days left to the scoring deadline, in words.
    fn left(&self, deadline: &Option<chrono::NaiveDate>) -> String {
        match deadline {
            None => "评分截止日期未设定".into(),
            Some(d) if *d < self.today => format!("{d}（已截止）"),
            Some(d) => format!("{d}（还有 {} 天）", (*d - self.today).num_days()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HomeQuery {
    pub after: Option<i64>,
    pub done: String,
}

pub async fn home(
    state: web::Data<AppState>,
    Expert(me): Expert,
    q: web::Query<HomeQuery>,
) -> Result<HttpResponse, AppError> {
    let (who, after, st) = (me.actor, q.after.unwrap_or(0), state.clone());
    let (h, calibrations) = crate::web::db_read(&state, move |c| {
        let h = assign::expert_home(c, &who, after, |c, r| st.round(c, r))?;
        let mut rounds = Vec::new();
        for r in crate::service::ranking::my_rounds(c, &who)? {
            if let Some(round) = st.round(c, r)? {
                rounds.push((r, round.name));
            }
        }
        Ok((h, rounds))
    })
    .await?;
    let done = match q.done.is_empty() {
        true => None,
        false => crate::web::flash_take(&state, &me)
            .await?
            .and_then(|t| t.strip_prefix("expert:").map(str::to_string)),
    };
    render_status(
        StatusCode::OK,
        &HomePage {
            page: me.page(),
            name: me.account.display_name.clone(),
            h,
            calibrations,
            today: crate::time::local_date(state.now()),
            done,
            paged: q.after.is_some(),
        },
    )
}

/// A conflict the expert declares, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeclareForm {
    pub kind: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "expert/case.html")]
struct CasePage {
    page: Page,
    id: ApplicationId,
    reference: String,
    snapshot: Snapshot,
    employer: String,
    round_name: String,
    scoring_deadline: String,
    summaries: Vec<SectionSummary>,
    kinds: Vec<(String, String)>,
    form: DeclareForm,
    errors: FormErrors,
}

async fn case_page(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    form: DeclareForm,
    errors: FormErrors,
) -> Result<CasePage, AppError> {
    let (who, st) = (me.actor, state.clone());
    let (app, round) = crate::web::db_read(state, move |c| {
        let load = |c: &mut crate::store::DbConnection, r| st.round(c, r);
        Ok(assign::expert_case(c, &who, id, &load)?)
    })
    .await?;
    let (Some(reference), Some(json)) = (app.reference, app.snapshot) else {
        return Err(AppError::NotFound);
    };
    let snapshot: Snapshot =
        serde_json::from_str(&json).map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
    let round_name = Some(snapshot.round_name.as_str());
    // An expert judges the dossier, not the person: no way to reach the applicant or a witness.
    let mut shown = snapshot.sections.clone();
    for p in shown.work.iter_mut().flat_map(|w| w.items.iter_mut()) {
        p.witness_phone.clear();
    }
    let summaries = Section::ALL
        .iter()
        .map(|s| {
            let mut rows = summary::rows(*s, &shown, round_name);
            rows.retain(|r| !CONTACT_ROWS.contains(&r.label.as_str()));
            SectionSummary::new(*s, rows)
        })
        .collect();
    let employer = snapshot
        .sections
        .employment
        .as_ref()
        .map(|e| match e.employer_code.as_str() {
            "" => e.employer_name.clone(),
            code => format!("{}（{code}）", e.employer_name),
        })
        .unwrap_or_default();
    Ok(CasePage {
        page: me.page(),
        id,
        reference,
        employer,
        round_name: snapshot.round_name.clone(),
        scoring_deadline: round
            .and_then(|r| r.scoring_deadline)
            .map_or_else(|| "未设定".to_string(), |d| d.to_string()),
        snapshot,
        summaries,
        kinds: Kind::DECLARED
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect(),
        form,
        errors,
    })
}

pub async fn case(
    state: web::Data<AppState>,
    Expert(me): Expert,
    id: web::Path<ApplicationId>,
) -> Result<HttpResponse, AppError> {
    let p = case_page(
        &state,
        &me,
        *id,
        DeclareForm::default(),
        FormErrors::default(),
    )
    .await?;
    render_status(StatusCode::OK, &p)
}

/// Declares a conflict: recused at once, back to the home page (the case is no longer theirs
/// to open); a problem with what was typed comes back beside its field.
pub async fn recuse(
    state: web::Data<AppState>,
    Expert(me): Expert,
    id: web::Path<ApplicationId>,
    CsrfForm(form): CsrfForm<DeclareForm>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let parsed = assign::declaration(&form.kind, &form.note);
    let result = match parsed {
        Ok(d) => {
            db(&state, move |c| {
                Ok(assign::recuse_self(c, &who, id, &d, now))
            })
            .await?
        }
        Err(e) => Err(ActionError::Invalid(e)),
    };
    match result {
        Ok(()) => {
            let done =
                "expert:已申报回避。这份申报已从您的评审任务中移除，评委会办事机构将另行安排专家。";
            crate::web::flash_put(&state, &me, done.to_string()).await?;
            Ok(see_other("/expert?done=1"))
        }
        Err(ActionError::Invalid(errors)) => {
            let p = case_page(&state, &me, id, form, errors).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => Err(e.into()),
    }
}

/// The expert's own calibration in a round they reviewed in (another round is 404).
pub async fn calibration(
    state: web::Data<AppState>,
    Expert(me): Expert,
    path: web::Path<crate::domain::RoundId>,
) -> Result<HttpResponse, AppError> {
    let (who, round) = (me.actor, *path);
    let v = crate::web::shared::meeting::read(&state, move |c, (settings, round_of, _)| {
        crate::service::ranking::my_calibration(c, &who, round, (settings, round_of))
    })
    .await?;
    let page = crate::web::shared::meeting::CalibrationPage::new(me.page(), v, true);
    render_status(StatusCode::OK, &page)
}
