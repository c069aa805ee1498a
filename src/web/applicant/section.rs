//! What every section page shares: loading the draft for editing, saving one section through
//! the service, and showing how a save that did not go through went (a conflict shows the other
//! window's version and keeps what was typed; a refusal shows its reason).

use actix_web::http::StatusCode;
use actix_web::web;

use super::task_list_url;
use crate::application::{Edit, Section};
use crate::domain::text::TextField;
use crate::domain::{ApplicationId, FieldErrors};
use crate::service::draft::{self, Loaded, SaveError, SaveSection};
use crate::store::evidence::NewEvidence;
use crate::web::extract::Me;
use crate::web::shared::summary::{self, SummaryRow};
use crate::web::{db, AppError};
use crate::AppState;

/// Loads the applicant's draft for a section page; a draft that can no longer be edited sends
/// the person to its task list.
pub async fn load_for_edit(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
) -> Result<Loaded, AppError> {
    let who = me.actor;
    let loaded = crate::web::load_application(state, who, id).await?;
    if !loaded.app.state.editable() {
        return Err(AppError::SeeOther(task_list_url(id)));
    }
    Ok(loaded)
}

/// How a save went, for the page to show.
pub enum Saved {
    Done,
    /// Another window saved first: that version (to show) and its number (to save over it).
    Conflict {
        theirs: Vec<SummaryRow>,
        version: i32,
    },
    /// Refused with a reason for the person (too large, not editable).
    Refused(String),
}

/// Saves one section through the service.
pub async fn save(
    state: &web::Data<AppState>,
    me: &Me,
    id: ApplicationId,
    seen_version: i32,
    edit: Edit,
    files: Vec<NewEvidence>,
) -> Result<Saved, AppError> {
    let (who, now, limits) = (me.actor, state.now(), state.config.evidence_limits());
    let section = edit.section();
    let cmd = SaveSection {
        id,
        seen_version,
        edit,
        files,
    };
    let result = db(state, move |c| Ok(draft::save(c, &who, cmd, limits, now))).await?;
    match result {
        Ok(_) => Ok(Saved::Done),
        Err(SaveError::Conflict { theirs, version }) => Ok(Saved::Conflict {
            theirs: summary::rows(section, &theirs, None),
            version,
        }),
        Err(SaveError::Action(crate::service::ActionError::Refused(m))) => Ok(Saved::Refused(m)),
        Err(SaveError::Action(e)) => Err(e.into()),
    }
}

/// The top of every section page: which application, which section, and a conflict if any.
pub struct SectionTop {
    pub id: ApplicationId,
    pub title: &'static str,
    pub version: i32,
    pub conflict: Option<Vec<SummaryRow>>,
    pub refused: Option<String>,
    /// What the employer or the committee asked to change in this section, and who asked.
    pub to_fix: Option<(&'static str, String)>,
}

/// The message shown when another window saved first: a file chosen must be chosen again.
const FILE_AGAIN: &str =
    "为避免覆盖另一个窗口保存的内容，本次未保存。您填写的内容仍在表单中，附件需重新选择后再提交。";

impl SectionTop {
    pub fn new(loaded: &Loaded, section: Section) -> SectionTop {
        SectionTop {
            id: loaded.app.id,
            title: section.title(),
            version: loaded.draft.version(section),
            conflict: None,
            refused: None,
            to_fix: loaded.returned.as_ref().and_then(|r| {
                let asked = match r.by_committee {
                    true => "评委会要求补正",
                    false => "单位要求修改",
                };
                r.note_for(section).map(|n| (asked, n.to_string()))
            }),
        }
    }

    /// The top of a form shown again: the version the form carried, and how the save went.
    /// A conflict takes the other window's version, so saving again is a deliberate overwrite.
    pub fn again(
        loaded: &Loaded,
        section: Section,
        form_version: i32,
        outcome: Option<Saved>,
    ) -> Self {
        let mut top = SectionTop::new(loaded, section);
        top.version = form_version;
        match outcome {
            None | Some(Saved::Done) => {}
            Some(Saved::Conflict { theirs, version }) => {
                top.conflict = Some(theirs);
                top.version = version;
            }
            Some(Saved::Refused(m)) => top.refused = Some(m),
        }
        top
    }

    /// On a page with a file field, a conflict also says that files must be chosen again.
    pub fn with_files_again(mut self) -> Self {
        if self.conflict.is_some() {
            self.refused = Some(FILE_AGAIN.to_string());
        }
        self
    }

    /// The status of a re-shown form: 409 for a conflict, 422 for errors.
    pub fn status(&self) -> StatusCode {
        if self.conflict.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

/// "Save and continue" checks that the required answers are there; "save for later" keeps
/// whatever was typed, checking only that what is there is well formed.
pub fn strict(action: &str) -> bool {
    action != "later"
}

/// A required one-line text of at most `max` characters; the message names `what`.
pub fn required(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> String {
    errors.text(field, value, what, TextField::line(max))
}

/// A required text area of at most `max` characters (line breaks kept).
pub fn required_paragraph(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> String {
    errors.text(field, value, what, TextField::paragraph(max))
}

/// A required date, e.g. 2020-06-30.
pub fn required_date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    what: &str,
) -> Option<chrono::NaiveDate> {
    match value.trim() {
        "" => {
            errors.add(field, format!("请填写{what}，如 2020-06-30"));
            None
        }
        v => crate::domain::date::parse_date(v).or_else(|| {
            errors.add(field, format!("{what}无效，如 2020-06-30"));
            None
        }),
    }
}

/// The dates this applicant's application may hold: not after today (in Shanghai), not before
/// their 16th birthday (their birth date is in their ID number).
pub async fn plausible(
    state: &web::Data<AppState>,
    me: &Me,
) -> Result<crate::domain::date::Plausible, AppError> {
    let id = me.actor.id;
    let person =
        crate::web::db_read(state, move |c| Ok(crate::store::accounts::person(c, id)?)).await?;
    let birth = person
        .and_then(|p| crate::domain::IdNumber::parse(&p.id_number).ok())
        .map(|n| n.birth_date());
    let today = crate::time::local_date(state.now());
    Ok(crate::domain::date::Plausible::new(today, birth))
}

/// A required date that already happened (see [`plausible`]); the reason stands beside it.
pub fn past_date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    what: &str,
    bounds: &crate::domain::date::Plausible,
) -> Option<chrono::NaiveDate> {
    let date = required_date(errors, field, value, what)?;
    match bounds.check(date, what) {
        Ok(()) => Some(date),
        Err(m) => {
            errors.add(field, m);
            None
        }
    }
}

/// The section page's address.
pub fn section_url(id: ApplicationId, section: Section) -> String {
    format!("/applicant/applications/{id}/{}", section.slug())
}
