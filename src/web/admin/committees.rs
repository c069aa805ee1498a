//! 评审委员会 (committees): the list with each one's standing, setting up a new one, and the
//! stored configuration every committee starts from (global values).

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use crate::domain::settings::Scope;
use crate::domain::TitleLevel;
use crate::service::committees;
use crate::service::ActionError;
use crate::store::committees::Committee;
use crate::web::extract::{Admin, Me};
use crate::web::shared::committee::{setting_lines, typed_settings, EditForm, Pairs, SettingLine};
use crate::web::{db, db_read, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub struct CommitteeRow {
    pub c: Committee,
    pub standing: String,
    pub registered: bool,
}

#[derive(Template)]
#[template(path = "admin/committees.html")]
struct ListPage {
    page: Page,
    rows: Vec<CommitteeRow>,
    form: EditForm,
    series_choices: Vec<(String, String)>,
    level_choices: Vec<(String, bool)>,
    errors: FormErrors,
}

async fn list_page(
    state: &web::Data<AppState>,
    me: &Me,
    form: EditForm,
    errors: FormErrors,
) -> Result<ListPage, AppError> {
    let who = me.actor;
    let st = state.clone();
    let (list, catalogue) = db_read(state, move |c| {
        Ok((committees::list(c, &who)?, st.catalogue(c)?))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let rows = list
        .into_iter()
        .map(|c| {
            let s = c.standing(today);
            CommitteeRow {
                standing: s.label(),
                registered: s.is_registered(),
                c,
            }
        })
        .collect();
    Ok(ListPage {
        page: me.page(),
        rows,
        series_choices: catalogue
            .series()
            .iter()
            .map(|s| (s.name.clone(), s.name.clone()))
            .collect(),
        level_choices: TitleLevel::ALL
            .iter()
            .rev()
            .map(|l| (l.zh().to_string(), form.levels.iter().any(|x| x == l.zh())))
            .collect(),
        form,
        errors,
    })
}

pub async fn list(state: web::Data<AppState>, Admin(me): Admin) -> Result<HttpResponse, AppError> {
    let p = list_page(&state, &me, EditForm::default(), FormErrors::default()).await?;
    render_status(StatusCode::OK, &p)
}

/// Sets up a committee from its description; its scope (occupations) and registration are
/// completed on its own page.
pub async fn create(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (who, now, p) = (me.actor, state.now(), Pairs(form));
    let edit = EditForm {
        name: p.get("name"),
        series: p.get("series"),
        specialty: p.get("specialty"),
        levels: p.all("levels"),
        sponsor: p.get("sponsor"),
        occupations: Vec::new(),
    };
    let e = edit.clone();
    let result = db(&state, move |c| {
        Ok(committees::create(c, &who, &e.typed(), now))
    })
    .await?;
    let errors = match result {
        Ok(id) => return Ok(see_other(&format!("/committees/{id}?done=created#done"))),
        Err(ActionError::Invalid(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    let page = list_page(&state, &me, edit, errors).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    page: Page,
    settings: Vec<SettingLine>,
    /// What is stored now, which the form carries (see `Settings::fingerprint`).
    seen: String,
    errors: FormErrors,
    saved: bool,
    refused: Option<&'static str>,
}

async fn settings_page(
    state: &web::Data<AppState>,
    me: &Me,
    typed: Option<Pairs>,
    errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    let st = state.clone();
    let settings = db_read(state, move |c| Ok(st.settings(c)?)).await?;
    Ok(SettingsPage {
        page: me.page(),
        settings: setting_lines(&settings, Scope::Global, (None, None), typed.as_ref()),
        seen: settings.fingerprint(Scope::Global),
        errors,
        saved: false,
        refused: None,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Saved {
    pub done: String,
}

pub async fn settings(
    state: web::Data<AppState>,
    Admin(me): Admin,
    q: web::Query<Saved>,
) -> Result<HttpResponse, AppError> {
    let mut p = settings_page(&state, &me, None, FormErrors::default()).await?;
    p.saved = q.done == "saved";
    render_status(StatusCode::OK, &p)
}

pub async fn set_settings(
    state: web::Data<AppState>,
    Admin(me): Admin,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (who, now, p) = (me.actor, state.now(), Pairs(form));
    let typed = typed_settings(&p, Scope::Global);
    let seen = p.get("settings_seen");
    let result = db(&state, move |c| {
        Ok(crate::service::settings::set(
            c,
            &who,
            Scope::Global,
            &typed,
            &seen,
            now,
        ))
    })
    .await?;
    let mut refused = None;
    let errors = match result {
        Ok(_) => {
            state.settings.forget();
            return Ok(see_other("/admin/settings?done=saved#done"));
        }
        Err(ActionError::Invalid(errors)) => errors,
        Err(ActionError::Stale) => {
            refused = Some(super::super::shared::committee::SETTINGS_STALE);
            FormErrors::default()
        }
        Err(e) => return Err(e.into()),
    };
    let mut page = settings_page(&state, &me, Some(p), errors).await?;
    page.refused = refused;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
