//! Asking the applicant to change a submitted application and resubmit it by a deadline, every
//! item at once (一次性告知): the employer's return for revision (back to a draft, resubmitted
//! to the employer) and the committee's request for correction at its formal check (to
//! `correction`, resubmitted to the committee). One machinery for both: the items per section,
//! the deadline, what the sections held (so the one who asked sees what changed), answered by
//! the resubmission, and the sweep that withdraws what was not resubmitted in time.

use super::{transition, ActionError, Actor};
use crate::application::{Section, Sections};
use crate::domain::text::TextField;
use crate::domain::{Action, ApplicationId, FieldErrors, State};
use crate::store::returns::{self as rows, AskedBy, ReturnRow};
use crate::store::{self, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};

/// What the one asking writes about one section.
pub const RETURN_NOTE: TextField = TextField::paragraph(1000);

/// The longest reply window anyone may give, in days.
pub const MAX_REPLY_DAYS: i64 = 90;

/// One thing to fix, with the section it is in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReturnItem {
    /// The section's slug (`basic`, `work`…).
    pub section: String,
    pub note: String,
}

/// A request still waiting for the applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub items: Vec<ReturnItem>,
    pub deadline: NaiveDate,
    /// Asked by the committee at its formal check (补正), not by the employer (退回修改).
    pub by_committee: bool,
}

impl Request {
    /// Who asked, as the applicant reads it.
    pub fn asker(&self) -> &'static str {
        match self.by_committee {
            true => "评委会",
            false => "单位",
        }
    }

    /// The note for a section, if one was written.
    pub fn note_for(&self, section: Section) -> Option<&str> {
        self.items
            .iter()
            .find(|i| i.section == section.slug())
            .map(|i| i.note.as_str())
    }
}

fn stored(e: serde_json::Error) -> ActionError {
    ActionError::Refused(format!("记录无法保存或读取：{e}"))
}

/// Every problem of a request: no item, a note too long, or a deadline not after today or past
/// `latest`.
pub fn problems(
    items: &[ReturnItem],
    deadline: NaiveDate,
    today: NaiveDate,
    latest: NaiveDate,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if items.is_empty() {
        errors.add("note_basic", "请至少在一个部分写明需要修改的内容");
    }
    for item in items {
        let field = format!("note_{}", item.section);
        errors.text(&field, &item.note, "需要修改的内容", RETURN_NOTE);
    }
    errors.merge(crate::application::periods::deadline_problems(
        deadline, today, latest,
    ));
    errors
}

/// Records the request inside the transition that sends the application back: the items, the
/// deadline and what the sections hold now.
pub fn record(
    c: &mut DbConnection,
    id: ApplicationId,
    by: AskedBy,
    items: &[ReturnItem],
    deadline: NaiveDate,
    now: NaiveDateTime,
) -> Result<(), ActionError> {
    let items = serde_json::to_string(items).map_err(stored)?;
    let before = super::draft::read_draft(c, id)?.sections;
    let before = serde_json::to_string(&before).map_err(stored)?;
    rows::insert(c, id, by, &items, deadline, &before, now)?;
    Ok(())
}

/// The request of a row, when it is still open.
pub fn open_of(row: Option<&ReturnRow>) -> Result<Option<Request>, ActionError> {
    match row {
        Some(r) if r.answered_at.is_none() => Ok(Some(Request {
            items: serde_json::from_str(&r.items).map_err(stored)?,
            deadline: r.deadline,
            by_committee: r.committee_id.is_some(),
        })),
        _ => Ok(None),
    }
}

/// The application's open request, whoever made it.
pub fn open(c: &mut DbConnection, id: ApplicationId) -> Result<Option<Request>, ActionError> {
    open_of(rows::open(c, id)?.as_ref())
}

/// The sections that differ between what a request recorded and `now`.
pub fn changed(row: &ReturnRow, now: &Sections) -> Result<Vec<Section>, ActionError> {
    let before: Sections = serde_json::from_str(&row.sections_before).map_err(stored)?;
    Ok(Section::ALL
        .into_iter()
        .filter(|s| before.json(*s) != now.json(*s))
        .collect())
}

/// What the sections held when the request was made.
pub fn before(row: &ReturnRow) -> Result<Sections, ActionError> {
    serde_json::from_str(&row.sections_before).map_err(stored)
}

/// The open request and the sections changed since it was made (the applicant's task list:
/// a section asked to change and not changed yet still needs it).
pub fn open_with_changes(
    c: &mut DbConnection,
    id: ApplicationId,
    now: &Sections,
) -> Result<(Option<Request>, Vec<Section>), ActionError> {
    let Some(row) = rows::open(c, id)? else {
        return Ok((None, Vec::new()));
    };
    Ok((open_of(Some(&row))?, changed(&row, now)?))
}

/// The sections changed since an answered request (empty while it is open or when there is
/// none): what the one who asked reviews on resubmission.
pub fn changed_since_answered(
    row: Option<&ReturnRow>,
    now: &Sections,
) -> Result<Vec<Section>, ActionError> {
    match row.filter(|r| r.answered_at.is_some()) {
        Some(r) => changed(r, now),
        None => Ok(Vec::new()),
    }
}

/// The sweep (inside the server, idempotent, safe with several instances): every application
/// whose request was not answered by its deadline is withdrawn (视为放弃), one transition each,
/// by the system actor. Returns how many it withdrew.
pub fn sweep_overdue(c: &mut DbConnection, now: NaiveDateTime) -> Result<usize, ActionError> {
    let today = crate::time::local_date(now);
    let mut done = 0;
    for id in rows::overdue(c, today, 200)? {
        let withdrawn = store::write(c, |c| {
            let app = crate::store::applications::find(c, id)?.ok_or(ActionError::NotFound)?;
            let Some(row) = rows::open(c, id)? else {
                return Ok(false);
            };
            // The state a request leaves the application in until it is resubmitted.
            let waiting = match row.committee_id {
                Some(_) => State::Correction,
                None => State::Draft,
            };
            if app.state != waiting || row.deadline >= today {
                // Resubmitted or ended some other way: nothing to do but close the request.
                if row.deadline < today {
                    rows::close(c, id, now)?;
                }
                return Ok(false);
            }
            let detail = match row.committee_id {
                Some(_) => "未在补正期限内补正并重新提交，视为放弃（系统按评委会设定的期限办理）",
                None => "未在答复期限内修改并重新提交，视为放弃（系统按单位设定的期限办理）",
            };
            transition(
                c,
                &Actor::system(),
                id,
                app.version,
                Action::Expire,
                now,
                |c, _| {
                    rows::close(c, id, now)?;
                    Ok((true, detail.to_string()))
                },
            )
        });
        match withdrawn {
            Ok(true) => done += 1,
            Ok(false) => {}
            // Changed meanwhile (the applicant resubmitted at the last moment, or another
            // instance swept it first): the next sweep looks again.
            Err(ActionError::Stale) | Err(ActionError::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
