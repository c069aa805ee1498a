//! A committee's page: what it reviews, its registration and standing, its office accounts,
//! its applications and pool, and its configuration. The admin, the supervisor and the
//! committee's own office read it (another office: 404); the admin alone changes it, on the
//! same page.

use actix_web::{http::StatusCode, web, HttpResponse};
use askama::Template;

use crate::domain::committee::{CommitteeTyped, Standing};
use crate::domain::date::parse_date;
use crate::domain::settings::{Level, Scope, Setting, Settings, Source};
use crate::domain::{CommitteeId, Role, TitleLevel};
use crate::service::committees::{self, CommitteeView, RegistrationTyped};
use crate::service::ActionError;
use crate::web::extract::Me;
use crate::web::{db, db_read, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

/// Form fields as posted, several values per name where a form has checkboxes.
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn version(&self) -> i32 {
        self.get("version").trim().parse().unwrap_or(-1)
    }
}

/// The description form, as typed or as stored.
#[derive(Debug, Clone, Default)]
pub struct EditForm {
    pub name: String,
    pub series: String,
    pub specialty: String,
    pub levels: Vec<String>,
    pub sponsor: String,
    pub occupations: Vec<String>,
}

/// What a stale form typed that differs from what is stored now, field by field: (label,
/// stored value) for each, so the person sees what the other save changed before saving again.
pub fn differences(fields: &[(&str, String, String)]) -> Option<String> {
    let changed: Vec<String> = fields
        .iter()
        .filter(|(_, typed, stored)| typed.trim() != stored.trim())
        .map(|(label, _, stored)| {
            if stored.trim().is_empty() {
                format!("{label}（现为空）")
            } else {
                format!("{label}（现为“{}”）", stored.trim())
            }
        })
        .collect();
    (!changed.is_empty()).then(|| format!("与您填写的内容不同的是：{}。", changed.join("；")))
}

impl EditForm {
    /// The fields whose typed value differs from `stored`'s.
    fn differences(&self, stored: &EditForm) -> Option<String> {
        differences(&[
            ("名称", self.name.clone(), stored.name.clone()),
            ("职称系列", self.series.clone(), stored.series.clone()),
            ("专业", self.specialty.clone(), stored.specialty.clone()),
            ("评审层级", self.levels.join("、"), stored.levels.join("、")),
            ("组建单位", self.sponsor.clone(), stored.sponsor.clone()),
            (
                "受理职业",
                self.occupations.join("、"),
                stored.occupations.join("、"),
            ),
        ])
    }

    fn of(v: &CommitteeView) -> EditForm {
        let c = &v.committee;
        EditForm {
            name: c.name.clone(),
            series: c.series.clone(),
            specialty: c.specialty.clone(),
            levels: c.levels.iter().map(|l| l.zh().to_string()).collect(),
            sponsor: c.sponsor.clone(),
            occupations: v.occupations.clone(),
        }
    }

    fn from_pairs(p: &Pairs) -> EditForm {
        EditForm {
            name: p.get("name"),
            series: p.get("series"),
            specialty: p.get("specialty"),
            levels: p.all("levels"),
            sponsor: p.get("sponsor"),
            occupations: p.all("occupations"),
        }
    }

    pub fn typed(&self) -> CommitteeTyped<'_> {
        CommitteeTyped {
            name: &self.name,
            series: &self.series,
            specialty: &self.specialty,
            levels: &self.levels,
            sponsor: &self.sponsor,
            occupations: &self.occupations,
        }
    }
}

/// The registration form.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub number: String,
    pub from: String,
    pub until: String,
}

/// A setting as the page shows it.
pub struct SettingLine {
    pub code: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// What the field holds (set here, or typed).
    pub here: String,
    pub effective: String,
    pub source: &'static str,
    /// A yes/no setting, chosen from 是 / 否 / 沿用 rather than typed.
    pub flag: bool,
}

/// Where a value came from, in words.
pub fn source_label(s: Source) -> &'static str {
    match s {
        Source::Default => "默认值",
        Source::Set(Scope::Global) => "全局设置",
        Source::Set(Scope::Committee(_)) => "本评委会设置",
        Source::Set(Scope::Round(_)) => "本批次设置",
    }
}

/// The settings a committee may override, as lines.
pub fn setting_lines(
    settings: &Settings,
    scope: Scope,
    (committee, round): (Option<CommitteeId>, Option<crate::domain::RoundId>),
    typed: Option<&Pairs>,
) -> Vec<SettingLine> {
    Setting::ALL
        .into_iter()
        .filter(|s| s.settable_at(scope))
        .map(|s| {
            let (value, source) = settings.resolve(s, committee, round);
            SettingLine {
                code: s.code(),
                label: s.label(),
                help: s.help(),
                here: match typed {
                    Some(p) => p.get(s.code()),
                    None => settings.at(scope, s).map(|v| v.text()).unwrap_or_default(),
                },
                effective: value.text(),
                source: source_label(source),
                flag: matches!(s.kind(), crate::domain::settings::Kind::Flag),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "shared/committee.html")]
pub struct CommitteePage {
    pub page: Page,
    pub v: CommitteeView,
    pub standing: Standing,
    pub refusal: Option<&'static str>,
    pub back: (&'static str, &'static str),
    pub admin: bool,
    pub pool_active: usize,
    pub settings: Vec<SettingLine>,
    /// What is stored at the committee's scope now, which its settings form carries.
    pub settings_seen: String,
    pub edit: EditForm,
    pub series_choices: Vec<(String, String)>,
    pub level_choices: Vec<(String, bool)>,
    pub occupation_choices: Vec<(String, bool)>,
    pub reg: RegistrationForm,
    pub reason: String,
    pub office_choices: Vec<(String, String)>,
    pub errors: FormErrors,
    pub notice: Option<&'static str>,
    pub refused: Option<String>,
}

/// Where each viewer goes back to.
fn back(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Admin => ("/admin/committees", "返回评委会列表"),
        Role::Supervisor => ("/supervisor", "返回监管首页"),
        _ => ("/office", "返回工作台"),
    }
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("评委会已设立。请登记核准备案并指派办事机构账户。"),
        "updated" => Some("评委会信息已保存。"),
        "registered" => Some("核准备案已登记。"),
        "suspended" => Some("已暂停该评委会的评审工作。"),
        "resumed" => Some("已恢复该评委会的评审工作。"),
        "office" => Some("办事机构账户已指派。"),
        "settings" => Some("配置已保存。"),
        _ => None,
    }
}

/// What a page's forms hold when it is shown again with problems.
#[derive(Default)]
pub struct Typed {
    pub edit: Option<EditForm>,
    pub reg: Option<RegistrationForm>,
    pub reason: String,
    pub settings: Option<Pairs>,
}

/// The committee's page for `me`, with what was typed and any problems.
async fn page(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
    typed: Typed,
    errors: FormErrors,
    notice_code: &str,
) -> Result<CommitteePage, AppError> {
    let who = me.actor;
    let st = state.clone();
    let (v, pool, settings, catalogue, (offices, names)) = db_read(state, move |c| {
        let v = committees::view(c, &who, id)?;
        let pool = crate::service::pool::list(c, &who, id)?;
        let offices = match who.role {
            Role::Admin => (
                crate::store::committees::office_accounts(c)?,
                crate::store::committees::list(c)?
                    .into_iter()
                    .map(|c| (c.id.0, c.name))
                    .collect::<Vec<_>>(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        Ok((v, pool, st.settings(c)?, st.catalogue(c)?, offices))
    })
    .await?;
    let today = crate::time::local_date(state.now());
    let standing = v.committee.standing(today);
    let edit = typed.edit.unwrap_or_else(|| EditForm::of(&v));
    let series_choices = catalogue
        .series()
        .iter()
        .map(|s| (s.name.clone(), s.name.clone()))
        .collect();
    let level_choices = TitleLevel::ALL
        .iter()
        .rev()
        .map(|l| (l.zh().to_string(), edit.levels.iter().any(|x| x == l.zh())))
        .collect();
    let occupation_choices = catalogue
        .occupations_of(&edit.series)
        .into_iter()
        .map(|o| (o.to_string(), edit.occupations.iter().any(|x| x == o)))
        .collect();
    let office_choices = offices
        .into_iter()
        .filter(|o| o.committee_id != Some(id.0))
        .map(|o| {
            // Moving an account takes it from its committee: the choice says which.
            let now_in = o
                .committee_id
                .and_then(|c| names.iter().find(|(id, _)| *id == c))
                .map_or("尚未归属评委会".to_string(), |(_, n)| {
                    format!("现属{n}")
                });
            (
                o.id.to_string(),
                format!("{}（{}），{now_in}", o.display_name, o.login_name),
            )
        })
        .collect();
    let reg = typed.reg.unwrap_or_else(|| RegistrationForm {
        number: v.committee.registration_number.clone(),
        from: String::new(),
        until: String::new(),
    });
    Ok(CommitteePage {
        page: me.page(),
        refusal: standing.may_act().err(),
        standing,
        back: back(who.role),
        admin: who.role == Role::Admin,
        pool_active: pool.iter().filter(|e| e.active).count(),
        settings: setting_lines(
            &settings,
            Scope::Committee(id),
            (Some(id), None),
            typed.settings.as_ref(),
        ),
        settings_seen: settings.fingerprint(Scope::Committee(id)),
        v,
        edit,
        series_choices,
        level_choices,
        occupation_choices,
        reg,
        reason: typed.reason,
        office_choices,
        errors,
        notice: notice(notice_code),
        refused: None,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

pub async fn show(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let p = page(
        &state,
        &me,
        *id,
        Typed::default(),
        FormErrors::default(),
        &q.done,
    )
    .await?;
    render_status(StatusCode::OK, &p)
}

/// After an admin's change: back to the page with a notice, or the page again with the
/// problems beside their fields (a refusal or a stale version at the top).
async fn after(
    state: &web::Data<AppState>,
    me: &Me,
    id: CommitteeId,
    result: Result<(), ActionError>,
    typed: Typed,
    done: &str,
) -> Result<HttpResponse, AppError> {
    let stale = matches!(result, Err(ActionError::Stale));
    let settings_form = typed.settings.is_some();
    let (errors, refused) = match result {
        Ok(()) => {
            state.settings.forget();
            return Ok(see_other(&format!("/committees/{id}?done={done}#done")));
        }
        Err(ActionError::Invalid(e)) => (e, None),
        // Someone who may not change the committee gets the refusal page, not its forms.
        Err(ActionError::Refused(why)) if me.actor.role != Role::Admin => {
            return Err(AppError::Forbidden(why))
        }
        Err(ActionError::Refused(why)) => (FormErrors::default(), Some(why)),
        Err(ActionError::Stale) if settings_form => {
            (FormErrors::default(), Some(SETTINGS_STALE.into()))
        }
        Err(ActionError::Stale) => (
            FormErrors::default(),
            Some("评委会信息已被他人修改：下面是最新的内容，您填写的内容保留在表单中，请核对后再提交。".into()),
        ),
        Err(e) => return Err(e.into()),
    };
    let mut p = page(state, me, id, typed, errors, "").await?;
    // An overtaken edit of the committee names each field that now differs from what was typed.
    let diff = (stale && !settings_form)
        .then(|| p.edit.differences(&EditForm::of(&p.v)))
        .flatten();
    p.refused = refused.map(|why| format!("{why}{}", diff.unwrap_or_default()));
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub async fn update(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, p) = (*id, me.actor, state.now(), Pairs(form));
    let edit = EditForm::from_pairs(&p);
    let (e, version) = (edit.clone(), p.version());
    let result = db(&state, move |c| {
        Ok(committees::update(c, &who, id, version, &e.typed(), now))
    })
    .await?;
    let typed = Typed {
        edit: Some(edit),
        ..Typed::default()
    };
    after(&state, &me, id, result, typed, "updated").await
}

pub async fn register(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, p) = (*id, me.actor, state.now(), Pairs(form));
    let reg = RegistrationForm {
        number: p.get("registration_number"),
        from: p.get("registered_on"),
        until: p.get("registered_until"),
    };
    let typed = RegistrationTyped {
        number: reg.number.clone(),
        from: parse_date(&reg.from),
        until: parse_date(&reg.until),
    };
    let version = p.version();
    let result = db(&state, move |c| {
        Ok(committees::register(c, &who, id, version, &typed, now))
    })
    .await?;
    let typed = Typed {
        reg: Some(reg),
        ..Typed::default()
    };
    after(&state, &me, id, result, typed, "registered").await
}

pub async fn suspend(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, p) = (*id, me.actor, state.now(), Pairs(form));
    let (reason, version) = (p.get("reason"), p.version());
    let r = reason.clone();
    let result = db(&state, move |c| {
        Ok(committees::suspend(c, &who, id, version, Some(&r), now))
    })
    .await?;
    let typed = Typed {
        reason,
        ..Typed::default()
    };
    after(&state, &me, id, result, typed, "suspended").await
}

pub async fn resume(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, version) = (*id, me.actor, state.now(), Pairs(form).version());
    let result = db(&state, move |c| {
        Ok(committees::suspend(c, &who, id, version, None, now))
    })
    .await?;
    after(&state, &me, id, result, Typed::default(), "resumed").await
}

pub async fn assign_office(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, p) = (*id, me.actor, state.now(), Pairs(form));
    let account = crate::domain::AccountId(p.get("account").trim().parse().unwrap_or(0));
    let result = db(&state, move |c| {
        Ok(committees::assign_office(c, &who, id, account, now))
    })
    .await?;
    after(&state, &me, id, result, Typed::default(), "office").await
}

/// What a settings form typed: every setting of the scope, by its code.
pub fn typed_settings(p: &Pairs, scope: Scope) -> Vec<(Setting, String)> {
    Setting::ALL
        .into_iter()
        .filter(|s| s.settable_at(scope))
        .map(|s| (s, p.get(s.code())))
        .collect()
}

pub async fn set_settings(
    state: web::Data<AppState>,
    me: Me,
    id: web::Path<CommitteeId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, who, now, p) = (*id, me.actor, state.now(), Pairs(form));
    let scope = Scope::Committee(id);
    let typed = typed_settings(&p, scope);
    let seen = p.get("settings_seen");
    let result = db(&state, move |c| {
        Ok(crate::service::settings::set(c, &who, scope, &typed, &seen, now).map(drop))
    })
    .await?;
    let typed = Typed {
        settings: Some(p),
        ..Typed::default()
    };
    after(&state, &me, id, result, typed, "settings").await
}

/// Why a settings form was not saved: someone saved the same settings since it was shown.
pub const SETTINGS_STALE: &str = "这些配置已被他人修改并保存，您的修改没有保存。表中“现行值”是最新的内容，您填写的内容保留在输入框中，请核对后再保存。";

/// The deepest level a committee's page sets (for templates).
pub const COMMITTEE_LEVEL: Level = Level::Committee;

pub use super::committee_list::applications;
