//! The applicant's draft: starting one, loading it for a page, and saving one section.

use super::{audit_actor, facts, ActionError, Actor};
use crate::access;
use crate::application::submission::{self, Blocker, RoundInfo};
use crate::application::{Draft, Edit, EvidenceRef, Section, Sections};
use crate::domain::{ApplicationId, AuditAction, RoundId, Subject};
use crate::policy::{Catalogue, Verdict};
use crate::store::applications::{self, Application};
use crate::store::evidence::{self as files, NewEvidence};
use crate::store::rounds::{self, Round};
use crate::store::{self, audit, DbConnection};
use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

/// Starts a new draft for the applicant, with every section empty.
pub fn create(
    c: &mut DbConnection,
    who: &Actor,
    now: NaiveDateTime,
) -> Result<ApplicationId, ActionError> {
    access::may_start_application(who)?;
    store::write(c, |c| {
        let id = applications::insert_draft(c, who.id, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ApplicationCreate,
            &Subject::Application(id),
            "创建申报",
        )?;
        Ok(id)
    })
}

/// Starts a new draft from a copy of one of the applicant's own applications: every section as
/// it stands there, each evidence file copied with it (within the applicant's file allowance),
/// the employer as named there; the round is chosen again. Another's application is `NotFound`.
pub fn create_copy(
    c: &mut DbConnection,
    who: &Actor,
    from: ApplicationId,
    limits: EvidenceLimits,
    now: NaiveDateTime,
) -> Result<ApplicationId, ActionError> {
    access::may_start_application(who)?;
    store::write(c, |c| {
        let source = applications::find(c, from)?.ok_or(ActionError::NotFound)?;
        if source.applicant != who.id {
            return Err(ActionError::NotFound);
        }
        let mut sections = read_draft(c, from)?.sections.for_copy();
        let files_now = files::count_by_uploader(c, who.id)?;
        let copies = sections.evidence_refs_mut().len() as i64;
        if files_now + copies > limits.per_applicant_files {
            return Err(ActionError::Refused(format!(
                "复制需要另存 {copies} 个证明文件，超过每人最多 {} 个的上限。请先删除不再需要的草稿中的文件",
                limits.per_applicant_files
            )));
        }
        let id = applications::insert_draft(c, who.id, now)?;
        for r in sections.evidence_refs_mut() {
            let new_id = crate::password::random_token(16);
            files::copy(c, &r.id, from, &new_id, id, who.id, now)?;
            r.id = new_id;
        }
        for section in Section::ALL {
            if let Some(json) = sections.json(section) {
                applications::update_section(c, id, section, 0, &json, now)?;
            }
        }
        let employer = sections.employment.as_ref().map(|e| {
            let code = Some(e.employer_code.clone()).filter(|c| !c.is_empty());
            (code, e.employer_id)
        });
        applications::set_links(c, id, employer, None, now)?;
        let from_name = source.reference.unwrap_or_else(|| format!("草稿 {from}"));
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::ApplicationCreate,
            &Subject::Application(id),
            &format!("复制自 {from_name}"),
        )?;
        Ok(id)
    })
}

/// May the actor edit this application? Asked before an upload's body is read.
pub fn authorize_edit(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
) -> Result<(), ActionError> {
    let app = applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    Ok(access::may_edit_application(who, &facts(&app))?)
}

/// An application with what its pages need.
pub struct Loaded {
    pub app: Application,
    pub draft: Draft,
    pub round: Option<Round>,
    pub catalogue: std::sync::Arc<Catalogue>,
    /// Returned for revision, or asked to correct: the items to fix and the deadline.
    pub returned: Option<super::returns::Request>,
    /// Returned: the sections changed since (a section asked to change and not changed yet
    /// still needs it).
    pub revised: Vec<Section>,
}

impl Loaded {
    pub fn round_info(&self) -> Option<RoundInfo> {
        self.round.as_ref().map(|r| {
            let mut info = super::rounds::info(r);
            // A returned application answers by its reply deadline, whatever the round's.
            match &self.returned {
                Some(r) if r.by_committee => info.correction_until = Some(r.deadline),
                Some(r) => info.reply_until = Some(r.deadline),
                None => {}
            }
            info
        })
    }

    /// The engine's verdict on the draft: on the round's reference date, or `today` before a
    /// round is chosen. `None` until occupation, series and level are known.
    pub fn verdict(&self, today: NaiveDate) -> Option<Verdict> {
        let date = self.round.as_ref().map_or(today, |r| r.reference_date);
        self.draft
            .sections
            .profile(date)
            .map(|p| crate::policy::evaluate(&p, &self.catalogue))
    }

    /// What blocks submission today: the same answer submission gives.
    pub fn blockers(&self, today: NaiveDate) -> Vec<Blocker> {
        let round = self.round_info();
        let verdict = round.as_ref().and_then(|r| {
            self.draft
                .sections
                .profile(r.reference_date)
                .map(|p| crate::policy::evaluate(&p, &self.catalogue))
        });
        submission::blockers(
            &self.draft.sections,
            round.as_ref(),
            verdict.as_ref(),
            today,
        )
    }

    pub fn sections(&self) -> &Sections {
        &self.draft.sections
    }

    /// The warning, when the round's committee does not list the applicant's occupation in its
    /// scope (§3.2): submission goes ahead, the formal check may refuse it.
    pub fn scope_warning(&self) -> Option<String> {
        let occupation = self.draft.sections.employment.as_ref()?.occupation.clone();
        self.round_info()?.scope_warning(&occupation)
    }
}

/// Reads an application's draft (its sections and their versions).
pub fn read_draft(c: &mut DbConnection, id: ApplicationId) -> Result<Draft, ActionError> {
    let records = applications::sections(c, id)?;
    Draft::from_records_with(&records, |sections, section, json| {
        super::parsed::set(sections, id, section, json)
    })
    .map_err(|e| {
        ActionError::Store(store::StoreError::Query(
            diesel::result::Error::DeserializationError(e.into()),
        ))
    })
}

/// Loads an application the actor may see (`NotFound` otherwise, so existence does not leak),
/// with the catalogue read from the database (as submission needs it).
pub fn load(c: &mut DbConnection, who: &Actor, id: ApplicationId) -> Result<Loaded, ActionError> {
    let catalogue = std::sync::Arc::new(super::catalogue::load(c)?);
    load_with(c, who, id, catalogue, rounds::find)
}

/// Only the application (with its frozen dossier once submitted), for an actor who may see it
/// (`NotFound` otherwise): for pages that show what was submitted, not the draft.
pub fn load_app(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
) -> Result<Application, ActionError> {
    let app = applications::find(c, id)?.ok_or(ActionError::NotFound)?;
    access::may_view_application(who, &super::facts_for_reader(c, who, &app)?)?;
    Ok(app)
}

/// The same, with a catalogue the caller holds and `round` reading the application's round
/// (pages use the server's cached ones).
pub fn load_with(
    c: &mut DbConnection,
    who: &Actor,
    id: ApplicationId,
    catalogue: std::sync::Arc<Catalogue>,
    round: impl FnOnce(&mut DbConnection, RoundId) -> Result<Option<Round>, store::DbError>,
) -> Result<Loaded, ActionError> {
    let app = load_app(c, who, id)?;
    let draft = read_draft(c, id)?;
    let round = match app.round {
        Some(r) => round(c, r)?,
        None => None,
    };
    let (returned, revised) = match app.state {
        crate::domain::State::Draft if app.reference.is_some() => {
            super::returns::open_with_changes(c, id, &draft.sections)?
        }
        crate::domain::State::Correction => {
            super::returns::open_with_changes(c, id, &draft.sections)?
        }
        _ => (None, Vec::new()),
    };
    Ok(Loaded {
        app,
        draft,
        round,
        catalogue,
        returned,
        revised,
    })
}

/// A section save: the version the person's page showed, the change, and the files uploaded.
pub struct SaveSection {
    pub id: ApplicationId,
    pub seen_version: i32,
    pub edit: Edit,
    pub files: Vec<NewEvidence>,
}

/// Why a section save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Another window saved this section first: what it holds now, and its version.
    #[error("section changed in another window")]
    Conflict { theirs: Box<Sections>, version: i32 },
    #[error(transparent)]
    Action(#[from] ActionError),
}

impl From<store::DbError> for SaveError {
    fn from(e: store::DbError) -> Self {
        SaveError::Action(e.into())
    }
}

fn conflict(section: Section, data: Option<String>, version: i32) -> SaveError {
    let mut theirs = Sections::default();
    if let Some(json) = data {
        // What the other window saved is shown as far as it can be read.
        let _ = theirs.set_json(section, &json);
    }
    SaveError::Conflict {
        theirs: Box::new(theirs),
        version,
    }
}

/// How much evidence one application and one applicant may hold.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceLimits {
    /// All files of one application together, in bytes.
    pub per_application_bytes: i64,
    /// Files one applicant has uploaded, over all their drafts.
    pub per_applicant_files: i64,
}

impl EvidenceLimits {
    /// No limits (demo data and builders in tests).
    pub const NONE: EvidenceLimits = EvidenceLimits {
        per_application_bytes: i64::MAX,
        per_applicant_files: i64::MAX,
    };
}

/// Why a second application in one round is refused (one per person per round).
pub const ONE_PER_ROUND: &str =
    "您在该评审批次已有一份申报（见首页），同一批次只能申报一份。请选择其他批次，或继续填写那一份。";

/// Why a correction cannot move the application to another round.
pub const CORRECTION_KEEPS_ROUND: &str =
    "评委会要求补正期间不能更改评审批次：本申报已在该批次由评委会办理，请保留原批次";

/// Why a correction cannot name another employer.
pub const CORRECTION_KEEPS_EMPLOYER: &str =
    "评委会要求补正期间不能更改工作单位：本申报由该单位推荐，请保留原单位的统一社会信用代码；如确已调动，请与评委会办事机构联系";

/// Saves one section in one transaction: edit permission, the section's version check, the
/// evidence files with the total allowance, the new JSON, links (employer, round) and an audit
/// row. Returns the section's new version.
pub fn save(
    c: &mut DbConnection,
    who: &Actor,
    cmd: SaveSection,
    limits: EvidenceLimits,
    now: NaiveDateTime,
) -> Result<i32, SaveError> {
    store::write(c, |c| {
        let app = applications::find(c, cmd.id)?.ok_or(ActionError::NotFound)?;
        access::may_edit_application(who, &facts(&app)).map_err(ActionError::from)?;
        let section = cmd.edit.section();
        let (data, version) = applications::section(c, app.id, section)?;
        if version != cmd.seen_version {
            return Err(conflict(section, data, version));
        }
        let refs = store_files(c, who, &app, &cmd.files, limits, now)?;
        let mut current = Sections::default();
        if let Some(json) = &data {
            current
                .set_json(section, json)
                .map_err(|e| ActionError::Refused(format!("已保存的内容无法读取：{e}")))?;
        }
        let applied = cmd
            .edit
            .apply(&current, refs, crate::password::random_token(8))
            .map_err(ActionError::Refused)?;
        if app.state == crate::domain::State::Correction {
            // The committee holds it in its round, recommended by its employer: a correction
            // changes what was asked, not where it is.
            if applied.round.is_some_and(|r| r != app.round) {
                return Err(ActionError::Refused(CORRECTION_KEEPS_ROUND.into()).into());
            }
            if applied
                .employer
                .as_ref()
                .is_some_and(|(code, _)| code.as_ref() != app.employer_code.as_ref())
            {
                return Err(ActionError::Refused(CORRECTION_KEEPS_EMPLOYER.into()).into());
            }
        }
        if let Some(Some(round)) = applied.round {
            if applications::other_in_round(c, app.applicant, round, app.id)? {
                return Err(ActionError::Refused(ONE_PER_ROUND.into()).into());
            }
        }
        let json = applied
            .sections
            .json(section)
            .ok_or_else(|| ActionError::Refused("没有要保存的内容".into()))?;
        if !applications::update_section(c, app.id, section, version, &json, now)? {
            let (data, version) = applications::section(c, app.id, section)?;
            return Err(conflict(section, data, version));
        }
        for id in &applied.removed_evidence {
            files::delete(c, app.id, id)?;
        }
        // An application submitted before (returned for revision) stays with the employer that
        // has it until it is resubmitted: an employer named in a draft sees nothing of it.
        let employer = applied.employer.filter(|_| app.reference.is_none());
        let round = applied
            .round
            .filter(|_| app.state != crate::domain::State::Correction);
        applications::set_links(c, app.id, employer, round, now)?;
        audit::record(
            c,
            now,
            audit_actor(who),
            AuditAction::SectionSave,
            &Subject::Application(app.id),
            section.title(),
        )?;
        Ok(version + 1)
    })
}

fn store_files(
    c: &mut DbConnection,
    who: &Actor,
    app: &Application,
    new: &[NewEvidence],
    limits: EvidenceLimits,
    now: NaiveDateTime,
) -> Result<Vec<EvidenceRef>, ActionError> {
    let incoming: i64 = new.iter().map(|f| f.bytes.len() as i64).sum();
    if incoming > 0 {
        let stored = files::total_bytes(c, app.id)?;
        if stored + incoming > limits.per_application_bytes {
            return Err(ActionError::Refused(format!(
                "本申报的证明材料合计不能超过 {}，已上传 {}",
                crate::application::human_size(limits.per_application_bytes),
                crate::application::human_size(stored)
            )));
        }
        let count = files::count_by_uploader(c, who.id)?;
        if count + new.len() as i64 > limits.per_applicant_files {
            return Err(ActionError::Refused(format!(
                "您在各份申报中已上传 {count} 个证明文件，最多 {} 个。请删除不再需要的文件后再上传",
                limits.per_applicant_files
            )));
        }
    }
    let mut refs = Vec::with_capacity(new.len());
    for file in new {
        let r = EvidenceRef {
            id: crate::password::random_token(16),
            file_name: file.file_name.clone(),
            content_type: file.content_type.to_string(),
            size: file.bytes.len() as i64,
            sha256: hex::encode(Sha256::digest(&file.bytes)),
        };
        files::insert(c, &r.id, app.id, who.id, file, &r.sha256, now)?;
        refs.push(r);
    }
    Ok(refs)
}

/// The verified employer holding a credit code, if any (the applicant sees its name to confirm).
pub fn verified_employer(
    c: &mut DbConnection,
    code: &str,
) -> Result<Option<crate::store::accounts::Employer>, store::DbError> {
    crate::store::accounts::employer_by_code(c, code)
}
