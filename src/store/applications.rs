//! Applications: drafts with sections saved one by one, evidence files, rounds, and submission.
//! Every change is one write transaction with a version check, the workflow's permission and an
//! audit row.

use super::accounts::Account;
use super::audit;
use super::schema::{application_sections, applications, evidence, reference_counters, rounds};
use super::DbConnection;
use crate::application::{EvidenceRef, Section, Sections};
use crate::workflow::{self, Action, State};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: i64,
    pub applicant_id: i64,
    pub employer_id: Option<i64>,
    pub round_id: Option<i64>,
    pub pathway: String,
    pub state: String,
    pub version: i32,
    pub reference: Option<String>,
    pub snapshot: Option<String>,
    pub verdict: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
}

impl ApplicationRow {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Closed)
    }

    pub fn subject(&self) -> String {
        subject(self.id)
    }
}

fn subject(id: i64) -> String {
    format!("application:{id}")
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rounds)]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub submission_deadline: NaiveDate,
    pub reference_date: NaiveDate,
    pub created_at: NaiveDateTime,
}

/// The sections of an application with the version of each.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub sections: Sections,
    versions: Vec<(Section, i32)>,
}

impl Draft {
    pub fn version(&self, section: Section) -> i32 {
        self.versions
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    /// Changes whenever any section changes (guards the submission of what was reviewed).
    pub fn fingerprint(&self) -> i64 {
        self.versions.iter().map(|(_, v)| i64::from(*v)).sum()
    }
}

/// A file to store: bytes already read and checked (type sniffed, size within limits).
#[derive(Debug)]
pub struct NewEvidence {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Another window saved this section first: what is stored now, and its version.
    #[error("section changed in another window")]
    Conflict { data: Option<String>, version: i32 },
    /// The application cannot be changed now (submitted, say).
    #[error("{0}")]
    NotEditable(String),
    /// The files would take the application over its total allowance.
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Starts a new draft for an applicant, with every section empty at version 0.
pub fn create(
    conn: &mut DbConnection,
    applicant: &Account,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    super::write(conn, |conn| {
        diesel::insert_into(applications::table)
            .values((
                applications::applicant_id.eq(applicant.id),
                applications::pathway.eq("title"),
                applications::state.eq(State::Draft.as_str()),
                applications::version.eq(1),
                applications::created_at.eq(now),
                applications::updated_at.eq(now),
            ))
            .execute(conn)?;
        let id: i64 = applications::table
            .filter(applications::applicant_id.eq(applicant.id))
            .select(applications::id)
            .order(applications::id.desc())
            .first(conn)?;
        for section in Section::ALL {
            diesel::insert_into(application_sections::table)
                .values((
                    application_sections::application_id.eq(id),
                    application_sections::section.eq(section.slug()),
                    application_sections::data.eq(None::<String>),
                    application_sections::version.eq(0),
                    application_sections::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            now,
            applicant.actor(),
            "application.create",
            &subject(id),
            "创建申报",
        )?;
        Ok(id)
    })
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<ApplicationRow>> {
    applications::table
        .find(id)
        .select(ApplicationRow::as_select())
        .first(conn)
        .optional()
}

pub fn for_applicant(
    conn: &mut DbConnection,
    applicant_id: i64,
) -> QueryResult<Vec<ApplicationRow>> {
    applications::table
        .filter(applications::applicant_id.eq(applicant_id))
        .order(applications::id.desc())
        .select(ApplicationRow::as_select())
        .load(conn)
}

pub fn draft(conn: &mut DbConnection, id: i64) -> QueryResult<Draft> {
    let rows: Vec<(String, Option<String>, i32)> = application_sections::table
        .filter(application_sections::application_id.eq(id))
        .select((
            application_sections::section,
            application_sections::data,
            application_sections::version,
        ))
        .load(conn)?;
    let sections = Sections::from_json(|s| {
        rows.iter()
            .find(|r| r.0 == s.slug())
            .and_then(|r| r.1.clone())
    });
    let versions = rows
        .iter()
        .filter_map(|(s, _, v)| Section::parse(s).map(|s| (s, *v)))
        .collect();
    Ok(Draft { sections, versions })
}

/// Bytes of evidence already stored for an application.
pub fn evidence_bytes(conn: &mut DbConnection, application_id: i64) -> QueryResult<i64> {
    let sizes: Vec<i64> = evidence::table
        .filter(evidence::application_id.eq(application_id))
        .select(evidence::size)
        .load(conn)?;
    Ok(sizes.iter().sum())
}

/// What a section save asks for.
pub struct SectionChange<'a> {
    pub application_id: i64,
    pub section: Section,
    /// The version of the section the person's page showed.
    pub expected_version: i32,
    pub new_files: Vec<NewEvidence>,
    /// Evidence no longer referred to (an item removed).
    pub removed_evidence: Vec<String>,
    /// Sets the employer who will review it (the employment section).
    pub employer_id: Option<Option<i64>>,
    /// Sets the round (the target section).
    pub round_id: Option<Option<i64>>,
    pub max_application_bytes: i64,
    pub actor: &'a Account,
}

/// Saves one section: `build` gets what is stored now and the files just stored, and returns the
/// new JSON. Refused, with nothing written, when the version moved on or the draft is not editable.
pub fn save_section(
    conn: &mut DbConnection,
    change: SectionChange<'_>,
    now: NaiveDateTime,
    build: impl FnOnce(Option<String>, Vec<EvidenceRef>) -> Result<String, String>,
) -> Result<i32, SaveError> {
    super::write(conn, |conn| {
        let app = find(conn, change.application_id)?.ok_or(diesel::result::Error::NotFound)?;
        crate::access::may_edit_application(change.actor, &app)
            .map_err(|d| SaveError::NotEditable(d.0.to_string()))?;
        let (data, version): (Option<String>, i32) = application_sections::table
            .find((app.id, change.section.slug()))
            .select((application_sections::data, application_sections::version))
            .first(conn)?;
        if version != change.expected_version {
            return Err(SaveError::Conflict { data, version });
        }
        let incoming: i64 = change.new_files.iter().map(|f| f.bytes.len() as i64).sum();
        if incoming > 0 {
            let stored = evidence_bytes(conn, app.id)?;
            if stored + incoming > change.max_application_bytes {
                return Err(SaveError::TooLarge(format!(
                    "本申报的证明材料合计不能超过 {}，已上传 {}",
                    crate::application::human_size(change.max_application_bytes),
                    crate::application::human_size(stored)
                )));
            }
        }
        let mut refs = Vec::new();
        for file in &change.new_files {
            let r = EvidenceRef {
                id: crate::password::random_token(16),
                file_name: file.file_name.clone(),
                content_type: file.content_type.to_string(),
                size: file.bytes.len() as i64,
                sha256: hex::encode(Sha256::digest(&file.bytes)),
            };
            diesel::insert_into(evidence::table)
                .values((
                    evidence::id.eq(&r.id),
                    evidence::application_id.eq(app.id),
                    evidence::uploaded_by.eq(change.actor.id),
                    evidence::file_name.eq(&r.file_name),
                    evidence::content_type.eq(&r.content_type),
                    evidence::size.eq(r.size),
                    evidence::sha256.eq(&r.sha256),
                    evidence::bytes.eq(&file.bytes),
                    evidence::created_at.eq(now),
                ))
                .execute(conn)?;
            refs.push(r);
        }
        let new_data = build(data, refs).map_err(SaveError::Invalid)?;
        let updated = diesel::update(
            application_sections::table
                .filter(application_sections::application_id.eq(app.id))
                .filter(application_sections::section.eq(change.section.slug()))
                .filter(application_sections::version.eq(change.expected_version)),
        )
        .set((
            application_sections::data.eq(Some(&new_data)),
            application_sections::version.eq(change.expected_version + 1),
            application_sections::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated != 1 {
            let (data, version) = application_sections::table
                .find((app.id, change.section.slug()))
                .select((application_sections::data, application_sections::version))
                .first(conn)?;
            return Err(SaveError::Conflict { data, version });
        }
        for id in &change.removed_evidence {
            diesel::delete(
                evidence::table
                    .filter(evidence::id.eq(id))
                    .filter(evidence::application_id.eq(app.id)),
            )
            .execute(conn)?;
        }
        if let Some(employer) = change.employer_id {
            diesel::update(applications::table.find(app.id))
                .set(applications::employer_id.eq(employer))
                .execute(conn)?;
        }
        if let Some(round) = change.round_id {
            diesel::update(applications::table.find(app.id))
                .set(applications::round_id.eq(round))
                .execute(conn)?;
        }
        diesel::update(applications::table.find(app.id))
            .set(applications::updated_at.eq(now))
            .execute(conn)?;
        audit::record(
            conn,
            now,
            change.actor.actor(),
            "section.save",
            &app.subject(),
            change.section.title(),
        )?;
        Ok(change.expected_version + 1)
    })
}

/// An evidence file with its bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence)]
pub struct EvidenceFile {
    pub id: String,
    pub application_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

pub fn evidence_file(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EvidenceFile>> {
    evidence::table
        .find(id)
        .select(EvidenceFile::as_select())
        .first(conn)
        .optional()
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("{0}")]
    Refused(String),
    /// The application or one of its sections changed since the page was shown.
    #[error("changed since the page was shown")]
    Changed,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// What submission froze: the reference number.
pub struct Submitted {
    pub reference: String,
}

/// Submits a draft: checks the versions the person saw, asks the workflow, decides eligibility
/// on the round's reference date, freezes a snapshot with the verdict, gives a reference number,
/// moves to `employer_review` and records it. All in one transaction.
pub fn submit(
    conn: &mut DbConnection,
    application_id: i64,
    actor: &Account,
    expected_version: i32,
    expected_fingerprint: i64,
    now: NaiveDateTime,
) -> Result<Submitted, SubmitError> {
    super::write(conn, |conn| {
        let app = find(conn, application_id)?.ok_or(diesel::result::Error::NotFound)?;
        crate::access::may_edit_application(actor, &app)
            .map_err(|d| SubmitError::Refused(d.0.to_string()))?;
        if app.version != expected_version {
            return Err(SubmitError::Changed);
        }
        let transition = workflow::next(app.state(), Action::Submit, actor.role())
            .map_err(|r| SubmitError::Refused(r.0))?;
        let draft = draft(conn, app.id)?;
        if draft.fingerprint() != expected_fingerprint {
            return Err(SubmitError::Changed);
        }
        if !draft.sections.all_complete() {
            return Err(SubmitError::Refused(
                "还有未完成的部分，请先完成所有部分".into(),
            ));
        }
        let round = match app.round_id {
            Some(id) => rounds::table
                .find(id)
                .select(Round::as_select())
                .first(conn)
                .optional()?,
            None => None,
        };
        let Some(round) = round else {
            return Err(SubmitError::Refused("请在“申报目标”中选择评审批次".into()));
        };
        let today = crate::time::local_date(now);
        if today > round.submission_deadline {
            return Err(SubmitError::Refused(format!(
                "{}已于 {} 截止申报",
                round.name, round.submission_deadline
            )));
        }
        let catalogue = super::catalogue::load(conn)?;
        let profile = draft
            .sections
            .profile(round.reference_date)
            .ok_or_else(|| SubmitError::Refused("申报信息不完整，无法判断申报资格".into()))?;
        let verdict = crate::policy::evaluate(&profile, &catalogue);
        if !crate::application::submittable(&verdict, &draft.sections) {
            return Err(SubmitError::Refused(verdict.message.clone()));
        }
        let reference = next_reference(conn, chrono::Datelike::year(&today))?;
        let person = super::accounts::person(conn, app.applicant_id)?
            .ok_or(diesel::result::Error::NotFound)?;
        let snapshot = crate::application::Snapshot::new(
            &person.name,
            &person.id_number,
            &round.name,
            round.reference_date,
            draft.sections.clone(),
        );
        let snapshot_json = serde_json::to_string(&snapshot).unwrap_or_default();
        let verdict_json = serde_json::to_string(&verdict).unwrap_or_default();
        let updated = diesel::update(
            applications::table
                .filter(applications::id.eq(app.id))
                .filter(applications::version.eq(expected_version)),
        )
        .set((
            applications::state.eq(transition.to.as_str()),
            applications::version.eq(expected_version + 1),
            applications::reference.eq(Some(&reference)),
            applications::snapshot.eq(Some(snapshot_json)),
            applications::verdict.eq(Some(verdict_json)),
            applications::submitted_at.eq(Some(now)),
            applications::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(SubmitError::Changed);
        }
        audit::record(
            conn,
            now,
            actor.actor(),
            "application.submit",
            &app.subject(),
            &format!("申报编号 {reference}"),
        )?;
        Ok(Submitted { reference })
    })
}

/// GT-2026-000123: the year's next number, counted in the database.
fn next_reference(conn: &mut DbConnection, year: i32) -> QueryResult<String> {
    if let DbConnection::Pg(c) = conn {
        // Two submissions at once must not read the same last number (SQLite's write
        // transactions are already serialised).
        diesel::sql_query("SELECT pg_advisory_xact_lock(7302)").execute(c)?;
    }
    let last: Option<i32> = reference_counters::table
        .find(year)
        .select(reference_counters::last)
        .first(conn)
        .optional()?;
    let next = last.unwrap_or(0) + 1;
    if last.is_some() {
        diesel::update(reference_counters::table.find(year))
            .set(reference_counters::last.eq(next))
            .execute(conn)?;
    } else {
        diesel::insert_into(reference_counters::table)
            .values((
                reference_counters::year.eq(year),
                reference_counters::last.eq(next),
            ))
            .execute(conn)?;
    }
    Ok(format!("GT-{year}-{next:06}"))
}

pub fn create_round(
    conn: &mut DbConnection,
    name: &str,
    deadline: NaiveDate,
    reference_date: NaiveDate,
    by: &Account,
    now: NaiveDateTime,
) -> Result<(), SaveError> {
    super::write(conn, |conn| {
        let taken: bool = diesel::select(diesel::dsl::exists(
            rounds::table.filter(rounds::name.eq(name)),
        ))
        .get_result(conn)?;
        if taken {
            return Err(SaveError::Invalid("已有同名的评审批次".into()));
        }
        diesel::insert_into(rounds::table)
            .values((
                rounds::name.eq(name),
                rounds::submission_deadline.eq(deadline),
                rounds::reference_date.eq(reference_date),
                rounds::created_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            now,
            by.actor(),
            "round.create",
            &format!("round:{name}"),
            &format!("截止 {deadline}"),
        )?;
        Ok(())
    })
}

pub fn rounds(conn: &mut DbConnection) -> QueryResult<Vec<Round>> {
    rounds::table
        .order(rounds::submission_deadline.desc())
        .select(Round::as_select())
        .load(conn)
}

pub fn round(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
    rounds::table
        .find(id)
        .select(Round::as_select())
        .first(conn)
        .optional()
}

/// The application's workflow steps, oldest first (section saves are not steps).
pub fn timeline(conn: &mut DbConnection, application_id: i64) -> QueryResult<Vec<audit::AuditRow>> {
    Ok(audit::for_subject(conn, &subject(application_id))?
        .into_iter()
        .filter(|r| r.action.starts_with("application."))
        .collect())
}

/// Submitted applications naming this employer, newest first, with the applicant's name.
pub fn for_employer(
    conn: &mut DbConnection,
    employer_id: i64,
) -> QueryResult<Vec<(ApplicationRow, String)>> {
    use super::schema::people;
    applications::table
        .inner_join(people::table.on(people::account_id.eq(applications::applicant_id)))
        .filter(applications::employer_id.eq(employer_id))
        .filter(applications::state.ne(State::Draft.as_str()))
        .order(applications::submitted_at.desc())
        .select((ApplicationRow::as_select(), people::name))
        .load(conn)
}
