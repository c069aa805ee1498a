//! The office's page of one application's review: the round's panel with each member's load
//! and standing on the case, the conflicts of interest with their evidence, and the steps:
//! assign a member, take one off, record a conflict the office learned of, confirm or dismiss
//! one found by name alone. Nothing here reaches the applicant or the employer.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::ApplicationId;
use crate::panel::conflicts::{Kind, Status};
use crate::service::assignment::{self as assign, CaseView, ConflictRow, MemberRow};
use crate::service::ActionError;
use crate::store::DbConnection;
use crate::web::extract::{Me, Office};
use crate::web::{db, render_status, see_other, AppError, CsrfForm, FormErrors, Page};
use crate::AppState;

pub fn url(id: ApplicationId) -> String {
    format!("/office/applications/{id}/experts")
}

/// Every form of the page, as typed (each carries the review's version the page showed).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Typed {
    pub version: String,
    /// Assign or take off: the member's pool entry.
    pub entry: String,
    /// Record a conflict: the member, the kind, the note.
    pub declare_entry: String,
    pub kind: String,
    pub note: String,
    /// Decide a conflict: which, at which version, confirm or dismiss, why.
    pub conflict: String,
    pub conflict_version: String,
    pub decision: String,
    pub reason: String,
}

impl Typed {
    fn version(&self) -> i32 {
        self.version.trim().parse().unwrap_or(-1)
    }
}

#[derive(Template)]
#[template(path = "office/experts.html")]
pub struct ExpertsPage {
    page: Page,
    v: CaseView,
    reference: String,
    typed: Typed,
    errors: FormErrors,
    done: Option<String>,
    refused: Option<String>,
    /// Typed into a form no longer on the page (someone decided first): shown to copy.
    lost: Option<String>,
    /// The members the office may pick to assign (not on it, not recused, no standing tie).
    choices: Vec<(String, String)>,
    members_all: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    /// The conflict whose decision form holds the errors.
    errored: Option<i64>,
}

impl ExpertsPage {
    fn assigned(&self) -> usize {
        self.v.members.iter().filter(|m| m.assigned).count()
    }

    fn below(&self) -> bool {
        self.assigned() < self.v.minimum
    }

    fn status_of(m: &MemberRow) -> &'static str {
        match (m.assigned, m.recused, m.ties.is_empty()) {
            (true, _, _) => "已分配",
            _ if m.suspended => "暂停评审（利益冲突待核实）",
            (_, true, _) => "已回避",
            (_, _, false) => "存在利益冲突",
            _ if !m.entry.active => "已出库，不能分配",
            _ if !m.entry.account_active => "账户已停用，不能分配",
            _ => "可分配",
        }
    }

    /// Whether this conflict's form is the one sent with problems.
    fn is_errored(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.errored == Some(*id.borrow())
    }

    /// The reason typed into this conflict's form, when it is the one sent.
    fn reason_for(&self, id: impl std::borrow::Borrow<i64>) -> &str {
        if self.is_errored(id) {
            &self.typed.reason
        } else {
            ""
        }
    }

    fn pending(k: &ConflictRow) -> bool {
        k.status == Status::Possible
    }
}

fn page(me: &Me, v: CaseView, typed: Typed, errors: FormErrors) -> ExpertsPage {
    let choices = v
        .members
        .iter()
        .filter(|m| !m.assigned && !m.recused && m.ties.is_empty() && m.entry.may_review())
        .map(|m| {
            let specialty = if m.same_specialty {
                "，专业相同"
            } else {
                ""
            };
            (
                m.entry.id.to_string(),
                format!(
                    "{}（{}，已分配 {} 份{specialty}）",
                    m.entry.name, m.entry.employer_name, m.load
                ),
            )
        })
        .collect();
    let members_all = v
        .members
        .iter()
        .map(|m| (m.entry.id.to_string(), m.entry.name.clone()))
        .collect();
    let errored = typed
        .conflict
        .trim()
        .parse()
        .ok()
        .filter(|_| !errors.is_empty());
    ExpertsPage {
        page: me.page(),
        reference: v.app.reference.clone().unwrap_or_default(),
        kinds: Kind::DECLARED
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect(),
        choices,
        members_all,
        v,
        typed,
        errors,
        done: None,
        refused: None,
        lost: None,
        errored,
    }
}

async fn load(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<CaseView, AppError> {
    let (who, now, st) = (me.actor, state.now(), state.clone());
    crate::web::db_read(state, move |c| {
        let settings = st.settings(c)?;
        let round = |c: &mut DbConnection, r| st.round(c, r);
        Ok(assign::case_view(c, &who, id, (&settings, &round), now)?)
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    pub done: String,
}

pub async fn show(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    q: web::Query<Done>,
) -> Result<HttpResponse, AppError> {
    let v = load(&state, &me, *id).await?;
    let typed = Typed {
        version: v.version().to_string(),
        ..Typed::default()
    };
    let mut p = page(&me, v, typed, FormErrors::default());
    if !q.done.is_empty() {
        let prefix = format!("experts:{}:", *id);
        let taken = crate::web::flash_take(&state, &me).await?;
        p.done = taken.and_then(|t| t.strip_prefix(&prefix).map(str::to_string));
    }
    render_status(StatusCode::OK, &p)
}

/// One step: back to the page saying what was done; otherwise the page again with what was
/// typed, its problems beside their fields (renamed to the form's own), or why it was refused.
async fn act(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    typed: Typed,
    rename: impl Fn(&str) -> String,
    call: impl FnOnce(&mut DbConnection) -> Result<String, ActionError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let mut stale = false;
    let (errors, refused) = match db(state, move |c| Ok(call(c))).await? {
        Ok(done) => {
            crate::web::flash_put(state, me, format!("experts:{id}:{done}")).await?;
            return Ok(see_other(&format!("{}?done=1#done", url(id))));
        }
        Err(ActionError::Invalid(e)) => {
            let mut renamed = FormErrors::default();
            for (field, message) in e.items() {
                renamed.add(rename(field), message.clone());
            }
            (renamed, None)
        }
        Err(ActionError::Refused(m)) => (FormErrors::default(), Some(m)),
        Err(ActionError::Stale) => {
            stale = true;
            (FormErrors::default(), None)
        }
        Err(e) => return Err(e.into()),
    };
    let v = load(state, me, id).await?;
    let status = if refused.is_some() || stale {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // Sent again, it is checked against what the page now shows; what was typed stays.
    let typed = Typed {
        version: v.version().to_string(),
        ..typed
    };
    let mut p = page(me, v, typed, errors);
    p.refused = refused;
    if stale {
        overtaken(&mut p);
    }
    render_status(status, &p)
}

/// Says what another clerk's step did to the one sent: the tie it decides is decided (its reason
/// shown to copy), the member it picks can no longer be picked, or the case moved on.
fn overtaken(p: &mut ExpertsPage) {
    let conflict = p.typed.conflict.trim().to_string();
    let decided = !conflict.is_empty()
        && !p
            .v
            .conflicts
            .iter()
            .any(|k| k.conflict.id.to_string() == conflict && k.status == Status::Possible);
    let entry = p.typed.entry.trim().to_string();
    let gone = !entry.is_empty() && !p.choices.iter().any(|(v, _)| *v == entry);
    p.refused = Some(if decided {
        p.lost = Some(p.typed.reason.clone()).filter(|r| !r.trim().is_empty());
        "这项利益冲突刚刚已由其他经办人核实（见下方记录），本次未保存。".to_string()
    } else if gone {
        "这份申报刚刚被其他经办人处理过，本次未保存：您选择的专家现在已不能分配，请看下方最新名单。"
            .to_string()
    } else {
        crate::web::errors::overtaken(None)
    });
}

pub async fn assign(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let (seen, entry) = (typed.version(), typed.entry.clone());
    let call = move |c: &mut DbConnection| assign::assign(c, &who, id, seen, &entry, now);
    act(&state, &me, id, typed, str::to_string, call).await
}

pub async fn unassign(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let (seen, entry) = (typed.version(), typed.entry.clone());
    let call = move |c: &mut DbConnection| assign::unassign(c, &who, id, seen, &entry, now);
    // The page lists the members; a removal's problem reads beside the assign form's field.
    let kept = Typed {
        entry: String::new(),
        ..typed
    };
    act(&state, &me, id, kept, str::to_string, call).await
}

pub async fn declare(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let seen = typed.version();
    let entry = typed.declare_entry.clone();
    let mut parsed = assign::declaration(&typed.kind, &typed.note);
    if entry.trim().is_empty() {
        let mut e = parsed.err().unwrap_or_default();
        e.add("entry", "请选择委员");
        parsed = Err(e);
    }
    let call = move |c: &mut DbConnection| match parsed {
        Ok(d) => assign::declare_by_office(c, &who, id, seen, &entry, &d, now),
        Err(e) => Err(ActionError::Invalid(e)),
    };
    let rename = |f: &str| match f {
        "entry" => "declare_entry".to_string(),
        other => other.to_string(),
    };
    act(&state, &me, id, typed, rename, call).await
}

pub async fn decide(
    state: web::Data<AppState>,
    Office(me): Office,
    id: web::Path<ApplicationId>,
    CsrfForm(typed): CsrfForm<Typed>,
) -> Result<HttpResponse, AppError> {
    let (id, now, who) = (*id, state.now(), me.actor);
    let t = typed.clone();
    let call = move |c: &mut DbConnection| {
        let confirm = match t.decision.as_str() {
            "confirm" => true,
            "dismiss" => false,
            _ => {
                let mut e = FormErrors::default();
                e.add("decision", "请选择确认或排除");
                return Err(ActionError::Invalid(e));
            }
        };
        assign::decide(
            c,
            &who,
            id,
            &t.conflict,
            &t.conflict_version,
            confirm,
            &t.reason,
            now,
        )
    };
    let k = typed.conflict.trim().to_string();
    let rename = move |f: &str| format!("{f}-{k}");
    act(&state, &me, id, typed, rename, call).await
}
