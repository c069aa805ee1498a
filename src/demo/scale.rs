//! `guantong demo --scale N`: N applications spread over employers, rounds and every state,
//! with sections, a small evidence file each and audit rows, the same for the same N and seed.
//! Rows are inserted in batches inside one transaction (100 000 in well under two minutes on
//! SQLite), on top of the ordinary demo data, so the benchmark and a person can both use it.

use super::{credit_code_with_check, id_number_with_check, DEMO_PASSWORD, DEMO_PDF};
use crate::application::{
    Achievement, Achievements, Assessment, Basic, Certificate, Certificates, Employment,
    EvidenceRef, Period, Section, Sections, Snapshot, TargetData, Work,
};
use crate::domain::{
    AssessmentResult, AuditAction, Education, Pathway, Role, RouteClaim, SkillLevel, State,
    Subject, TitleLevel,
};
use crate::store::bulk::{self, *};
use crate::store::{self, audit, DbConnection};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

/// What was generated.
#[derive(Debug, Default)]
pub struct Summary {
    pub applications: usize,
    pub employers: usize,
    pub audit_rows: usize,
    pub reused: bool,
}

/// How many of each state, per 100 (drafts and those waiting for the employer are the most).
const STATES: [(State, u32); 14] = [
    (State::Draft, 20),
    (State::EmployerReview, 18),
    (State::EmployerPublicity, 10),
    (State::OfficeCheck, 7),
    (State::Correction, 2),
    (State::NotAccepted, 1),
    (State::ExpertReview, 10),
    (State::Meeting, 5),
    (State::ResultPublicity, 5),
    (State::Titled, 9),
    (State::NotPassed, 4),
    (State::Appointed, 4),
    (State::Closed, 3),
    (State::Withdrawn, 2),
];

/// What a generated correction request asks for.
const CORRECTION_ITEMS: &str =
    r#"[{"section":"certificates","note":"请补充上传完整的职业技能等级证书扫描件。"}]"#;

/// The workflow steps that lead to each state after submission (for the audit rows).
fn steps_to(state: State) -> &'static [crate::domain::Action] {
    use crate::domain::Action::*;
    match state {
        State::Draft | State::EmployerReview => &[],
        State::EmployerPublicity => &[StartPublicity],
        State::OfficeCheck => &[StartPublicity, Recommend],
        State::Correction => &[StartPublicity, Recommend, ReturnForCorrection],
        State::NotAccepted => &[StartPublicity, Recommend, Refuse],
        State::ExpertReview => &[StartPublicity, Recommend, Accept],
        State::Meeting => &[StartPublicity, Recommend, Accept, CloseScoring],
        State::ResultPublicity => &[StartPublicity, Recommend, Accept, CloseScoring, Pass],
        State::Titled => &[
            StartPublicity,
            Recommend,
            Accept,
            CloseScoring,
            Pass,
            Confirm,
        ],
        State::NotPassed => &[StartPublicity, Recommend, Accept, CloseScoring, Fail],
        State::Appointed => &[StartPublicity, Appoint],
        State::Closed => &[NotRecommend],
        State::Withdrawn => &[StartPublicity, Recommend, ReturnForCorrection, Expire],
    }
}

fn pick_state(rng: &mut StdRng) -> State {
    let mut roll = rng.gen_range(0..100u32);
    for (state, share) in STATES {
        if roll < share {
            return state;
        }
        roll -= share;
    }
    State::Draft
}

/// Generates `n` applications (after the ordinary demo data). Reuses a database that already
/// holds at least `n` generated applications.
pub fn generate(
    conn: &mut DbConnection,
    n: usize,
    seed: u64,
    now: NaiveDateTime,
) -> Result<Summary, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    super::load(conn, now)?;
    super::load_applications(conn, now)?;
    super::load_employer_claim(conn, now)?;
    let existing = bulk::account_ids(conn, "bench-a-")
        .map_err(|e| err(&e))?
        .len();
    if existing >= n {
        return Ok(Summary {
            applications: existing,
            reused: true,
            ..Summary::default()
        });
    }
    let catalogue = crate::service::catalogue::load(conn).map_err(|e| err(&e))?;
    let hash = crate::password::hash(DEMO_PASSWORD);
    let demo_employer = store::accounts::find_by_login(conn, "demo-employer")
        .map_err(|e| err(&e))?
        .ok_or("demo-employer")?;
    let demo_applicant = store::accounts::find_by_login(conn, "demo-applicant")
        .map_err(|e| err(&e))?
        .ok_or("demo-applicant")?;
    let admin = store::accounts::find_by_login(conn, "demo-admin")
        .map_err(|e| err(&e))?
        .ok_or("demo-admin")?;
    let office = store::accounts::find_by_login(conn, "demo-office")
        .map_err(|e| err(&e))?
        .ok_or("demo-office")?;
    let rounds = bench_rounds(conn, admin.id, now)?;
    // The named demo experts review every generated application in expert review: their home
    // and the office's assignment pages are read at the largest size there is.
    let committee = super::committees::ids(conn)?.intermediate;
    // demo-expert3 and demo-expert2 have submitted each review (demo-expert2 a few points
    // apart, so calibration has pairs to compare); demo-expert1's are drafts with every mark
    // given, so the scoring page shows a form and each submit is complete (the submit benchmark
    // turns demo-expert2's back into drafts before it runs).
    let reviewers: Vec<(i64, i64, bool)> = store::pool::of_committee(conn, committee)
        .map_err(|e| err(&e))?
        .into_iter()
        .filter(|e| e.login_name.starts_with("demo-expert"))
        .map(|e| (e.id.0, e.account.0, e.login_name != "demo-expert1"))
        .collect();
    let rubrics: std::collections::HashMap<i64, i64> = store::rounds::list(conn)
        .map_err(|e| err(&e))?
        .into_iter()
        .filter_map(|r| Some((r.id.0, r.rubric?.0)))
        .collect();
    let rubric = crate::rubric::Rubric::default_rubric();
    let mut rng = StdRng::seed_from_u64(seed);
    store::write(conn, |c| -> Result<Summary, diesel::result::Error> {
        let year = crate::time::local_date(now).year();
        // Employers: one per 200 applications.
        let employer_count = (n / 200).max(1);
        let codes: Vec<String> = (0..employer_count)
            .map(|i| credit_code_with_check(&format!("91310000MA{i:07}")))
            .collect();
        bulk::accounts(
            c,
            &codes
                .iter()
                .enumerate()
                .map(|(i, _)| NewAccount {
                    login_name: format!("bench-e-{i:07}"),
                    role: Role::Employer.as_str().into(),
                    display_name: format!("上海规模测试企业{i:05}有限公司"),
                    password_hash: hash.clone(),
                    failed_logins: 0,
                    active: true,
                    created_at: now,
                })
                .collect::<Vec<_>>(),
        )?;
        let employer_ids = bulk::account_ids(c, "bench-e-")?;
        bulk::employers(
            c,
            &employer_ids
                .iter()
                .zip(&codes)
                .enumerate()
                .map(|(i, (id, code))| NewEmployerRow {
                    account_id: *id,
                    name: format!("上海规模测试企业{i:05}有限公司"),
                    credit_code: code.clone(),
                    credit_code_verified: true,
                    contact_name: "人事部".into(),
                    contact_phone: format!("139{:08}", i),
                })
                .collect::<Vec<_>>(),
        )?;
        // Applicants, one application each.
        let start = existing;
        bulk::accounts(
            c,
            &(start..n)
                .map(|i| NewAccount {
                    login_name: format!("bench-a-{i:08}"),
                    role: Role::Applicant.as_str().into(),
                    display_name: format!("测试申报人{i}"),
                    password_hash: hash.clone(),
                    failed_logins: 0,
                    active: true,
                    created_at: now,
                })
                .collect::<Vec<_>>(),
        )?;
        let applicant_ids = bulk::account_ids(c, "bench-a-")?;
        let born = NaiveDate::from_ymd_opt(1965, 1, 1).expect("valid");
        bulk::people(
            c,
            &applicant_ids
                .iter()
                .enumerate()
                .skip(start)
                .map(|(i, id)| NewPerson {
                    account_id: *id,
                    name: format!("测试申报人{i}"),
                    id_number: id_number_with_check(&format!(
                        "310115{}{:03}",
                        (born + Duration::days((i / 1000) as i64)).format("%Y%m%d"),
                        i % 1000
                    )),
                    mobile: format!("15{i:09}"),
                })
                .collect::<Vec<_>>(),
        )?;
        let first_id = bulk::max_application_id(c)? + 1;
        let mut last_hash = audit::last_hash(c)?;
        let mut reference = bulk::reference_counter(c, year)?;
        let (mut apps, mut sections, mut files, mut rows) = (vec![], vec![], vec![], vec![]);
        let mut frozen: Vec<NewFrozen> = vec![];
        let flush = |c: &mut DbConnection,
                     frozen: &mut Vec<NewFrozen>,
                     apps: &mut Vec<NewApplication>,
                     sections: &mut Vec<NewSection>,
                     files: &mut Vec<NewEvidenceRow>,
                     rows: &mut Vec<NewAuditRow>|
         -> Result<usize, diesel::result::Error> {
            bulk::applications(c, apps)?;
            bulk::frozen(c, frozen)?;
            bulk::sections(c, sections)?;
            bulk::evidence(c, files)?;
            let n = bulk::audit(c, rows)?;
            apps.clear();
            frozen.clear();
            sections.clear();
            files.clear();
            rows.clear();
            Ok(n)
        };
        let mut audit_rows = 0;
        let (mut asked, mut refused) = (Vec::new(), Vec::new());
        let (mut reviewing, mut assigned, mut written) = (Vec::new(), Vec::new(), Vec::new());
        // 64 drafts of the demo applicant first (each benchmark connection saves its own), then
        // one application per generated applicant.
        let owners: Vec<(i64, bool)> = std::iter::repeat_n((demo_applicant.id.0, true), 64)
            .chain(applicant_ids.iter().skip(start).map(|id| (*id, false)))
            .collect();
        for (k, (owner, bench_draft)) in owners.into_iter().enumerate() {
            let id = first_id + k as i64;
            let state = if bench_draft {
                State::Draft
            } else {
                pick_state(&mut rng)
            };
            let employer = if k % 50 == 0 || bench_draft {
                (demo_employer.id.0, super::demo_employer_code())
            } else {
                let e = rng.gen_range(0..employer_ids.len());
                (employer_ids[e], codes[e].clone())
            };
            // Past rounds closed their scoring long ago: only this year's is in expert review.
            let pick = rng.gen_range(0..rounds.len());
            let round = match state {
                State::ExpertReview => rounds[rounds.len() - 1],
                _ => rounds[pick],
            };
            let created = now - Duration::days(rng.gen_range(1..400));
            let g = Generated::new(&mut rng, employer.1.clone(), round.0, year);
            let submitted = state != State::Draft;
            let evidence_id = format!("{:032x}", rng.gen::<u128>());
            let mut sections_with_file = g.sections.clone();
            if let Some(c) = sections_with_file.certificates.as_mut() {
                c.items[0].evidence = vec![EvidenceRef {
                    id: evidence_id.clone(),
                    file_name: "职业技能等级证书.pdf".into(),
                    content_type: "application/pdf".into(),
                    size: DEMO_PDF.len() as i64,
                    sha256: hex::encode(Sha256::digest(DEMO_PDF)),
                }];
            }
            let (reference_no, snapshot, verdict, summary) = if submitted {
                reference += 1;
                let profile = g.sections.profile(round.1).expect("complete");
                let verdict = crate::policy::evaluate(&profile, &catalogue);
                let snap = Snapshot::new(
                    &format!("测试申报人{k}"),
                    &id_number_with_check("31011519850101001"),
                    "规模测试批次",
                    round.1,
                    sections_with_file.clone(),
                );
                (
                    Some(format!("GT-{year}-{reference:06}")),
                    serde_json::to_string(&snap).ok(),
                    serde_json::to_string(&verdict).ok(),
                    serde_json::to_string(&crate::application::ListSummary::of(&snap)).ok(),
                )
            } else {
                (None, None, None, None)
            };
            for section in Section::ALL {
                sections.push(NewSection {
                    application_id: id,
                    section: section.slug().into(),
                    data: sections_with_file.json(section),
                    version: 1,
                    updated_at: created,
                });
            }
            files.push(NewEvidenceRow {
                id: evidence_id,
                application_id: id,
                uploaded_by: owner,
                file_name: "职业技能等级证书.pdf".into(),
                content_type: "application/pdf".into(),
                size: DEMO_PDF.len() as i64,
                sha256: hex::encode(Sha256::digest(DEMO_PDF)),
                bytes: DEMO_PDF.to_vec(),
                created_at: created,
            });
            let steps = steps_to(state);
            let version = 1 + i32::from(submitted) + steps.len() as i32;
            if let (Some(snapshot), Some(verdict)) = (snapshot, verdict) {
                frozen.push(NewFrozen {
                    application_id: id,
                    snapshot,
                    verdict,
                });
            }
            apps.push(NewApplication {
                id,
                applicant_id: owner,
                employer_id: Some(employer.0),
                employer_code: Some(employer.1),
                round_id: Some(round.0 .0),
                pathway: Pathway::Title.as_str().into(),
                state: state.as_str().into(),
                version,
                reference: reference_no.clone(),
                created_at: created,
                updated_at: created + Duration::hours(1),
                submitted_at: submitted.then_some(created + Duration::minutes(30)),
                summary,
                applicant_name: submitted.then(|| format!("测试申报人{k}")),
                // Publicity ran for the first week after submission.
                publicity_ends_on: (state != State::EmployerReview && submitted)
                    .then(|| created.date() + Duration::days(7)),
                committee_id: steps
                    .contains(&crate::domain::Action::Recommend)
                    .then_some(round.2 .0),
            });
            // What the committee's formal check asked for, or why it refused: as its office's
            // pages read them.
            let committee = round.2 .0;
            match state {
                State::Correction => asked.push(bulk::NewReturnRow {
                    application_id: id,
                    employer_id: employer.0,
                    committee_id: Some(committee),
                    items: CORRECTION_ITEMS.into(),
                    deadline: now.date() + Duration::days(rng.gen_range(1..20)),
                    returned_by: office.id.0,
                    returned_at: created + Duration::days(3),
                    sections_before: serde_json::to_string(&g.sections).unwrap_or_default(),
                }),
                State::ExpertReview => {
                    let at = created + Duration::days(4);
                    let mut score = || rng.gen_range(60..100u32).to_string();
                    let form = [
                        ("m_ethics", "pass".to_string()),
                        (
                            "m_ethics_comment",
                            "材料真实，未发现失德失信行为".to_string(),
                        ),
                        ("m_ability", score()),
                        ("m_performance", score()),
                        ("m_achievements", score()),
                    ];
                    // The first submitting reviewer marks as drawn; each next one a few
                    // points apart.
                    let mut by_reviewer = Vec::new();
                    for (k, (entry, account, done)) in reviewers.iter().enumerate() {
                        let shift = if *done {
                            rng.gen_range(0..8u32) * k as u32 % 9
                        } else {
                            0
                        };
                        let shifted: Vec<(&str, String)> = form
                            .iter()
                            .map(|(k, v)| match v.parse::<u32>() {
                                Ok(n) => (*k, (n + shift).min(100).to_string()),
                                Err(_) => (*k, v.clone()),
                            })
                            .collect();
                        let (marks, _) = rubric.marks_from_form(|name| {
                            shifted
                                .iter()
                                .find(|(k, _)| *k == name)
                                .map(|(_, v)| v.as_str())
                        });
                        by_reviewer.push((*entry, *account, *done, rubric.total(&marks), marks));
                    }
                    let counted: Vec<(crate::rubric::Total, &crate::rubric::Marks)> = by_reviewer
                        .iter()
                        .filter(|r| r.2)
                        .map(|r| (r.3, &r.4))
                        .collect();
                    let agg = crate::rubric::aggregate(&rubric, &counted);
                    let submitted = counted.len() as i32;
                    written.extend(by_reviewer.iter().map(
                        |(entry, account, done, total, marks)| bulk::NewReviewRow {
                            application_id: id,
                            entry_id: *entry,
                            account_id: *account,
                            round_id: round.0 .0,
                            rubric_id: rubrics.get(&round.0 .0).copied().unwrap_or(0),
                            status: if *done { "submitted" } else { "draft" }.into(),
                            marks: serde_json::to_string(marks).unwrap_or_default(),
                            opinion: "操作技能扎实，业绩有材料佐证。".into(),
                            total_milli: total.milli,
                            veto: false,
                            version: 1,
                            saved_at: at,
                            submitted_at: done.then_some(at),
                        },
                    ));
                    reviewing.push(bulk::NewReviewCase {
                        level: crate::domain::TitleLevel::Intermediate.zh().into(),
                        submitted,
                        mean_milli: agg.mean_milli,
                        median_milli: agg.median_milli,
                        spread_milli: agg.spread_milli,
                        stddev_milli: agg.stddev_milli,
                        vetoes: agg.vetoes as i32,
                        widest: agg.widest.clone().unwrap_or_default(),
                        application_id: id,
                        round_id: round.0 .0,
                        committee_id: committee,
                        specialty: g
                            .sections
                            .target
                            .as_ref()
                            .map(|t| t.specialty.clone())
                            .unwrap_or_default(),
                        assigned: reviewers.len() as i32,
                        version: 1 + reviewers.len() as i32,
                        updated_at: at,
                    });
                    assigned.extend(reviewers.iter().map(|(entry, account, _)| {
                        bulk::NewAssignmentRow {
                            application_id: id,
                            entry_id: *entry,
                            account_id: *account,
                            round_id: round.0 .0,
                            active: true,
                            assigned_at: at,
                            assigned_by: office.id.0,
                        }
                    }));
                }
                State::NotAccepted => refused.push(bulk::NewRefusalRow {
                    application_id: id,
                    committee_id: committee,
                    reason: "out_of_scope".into(),
                    clause: crate::service::formal_check::SCOPE_CLAUSE.into(),
                    note: "申报职业不在本评委会受理范围".into(),
                    refused_by: office.id.0,
                    refused_at: created + Duration::days(3),
                }),
                _ => {}
            }
            let subject = Subject::Application(crate::domain::ApplicationId(id)).to_string();
            let mut push = |at: NaiveDateTime,
                            who: Option<(i64, Role)>,
                            action: AuditAction,
                            from: Option<State>,
                            detail: String| {
                let role = who.map(|w| w.1.as_str());
                let from = from.map(State::as_str);
                let hash = audit::row_hash(
                    &last_hash,
                    &at,
                    who.map(|w| w.0),
                    role,
                    &action.code(),
                    &subject,
                    &detail,
                    from,
                );
                rows.push(NewAuditRow {
                    at,
                    actor_id: who.map(|w| w.0),
                    actor_role: role.map(str::to_string),
                    action: action.code(),
                    subject: subject.clone(),
                    detail,
                    prev_hash: std::mem::replace(&mut last_hash, hash.clone()),
                    hash,
                    from_state: from.map(str::to_string),
                });
            };
            push(
                created,
                Some((owner, Role::Applicant)),
                AuditAction::ApplicationCreate,
                None,
                "创建申报".into(),
            );
            if let Some(r) = &reference_no {
                let at = created + Duration::minutes(30);
                push(
                    at,
                    Some((owner, Role::Applicant)),
                    AuditAction::Workflow(crate::domain::Action::Submit),
                    Some(State::Draft),
                    format!("申报编号 {r}"),
                );
                let mut from = State::EmployerReview;
                for (j, action) in steps.iter().enumerate() {
                    let t = crate::workflow::step(from, *action).expect("a step of the workflow");
                    let by = match t.role {
                        Role::Employer => Some((employer.0, Role::Employer)),
                        Role::System => None,
                        Role::Office => Some((office.id.0, Role::Office)),
                        role => Some((admin.id.0, role)),
                    };
                    push(
                        at + Duration::days(j as i64 + 1),
                        by,
                        AuditAction::Workflow(*action),
                        Some(from),
                        String::new(),
                    );
                    from = t.to;
                }
            }
            if apps.len() >= 2000 {
                audit_rows += flush(
                    c,
                    &mut frozen,
                    &mut apps,
                    &mut sections,
                    &mut files,
                    &mut rows,
                )?;
            }
        }
        audit_rows += flush(
            c,
            &mut frozen,
            &mut apps,
            &mut sections,
            &mut files,
            &mut rows,
        )?;
        bulk::returns(c, &asked)?;
        bulk::refusals(c, &refused)?;
        bulk::review_cases(c, &reviewing)?;
        bulk::assignments(c, &assigned)?;
        bulk::reviews(c, &written)?;
        bulk::set_reference_counter(c, year, reference)?;
        bulk::fix_sequences(c)?;
        Ok(Summary {
            applications: n - start,
            employers: employer_count,
            audit_rows,
            reused: false,
        })
    })
    .map_err(|e| err(&e))
    .and_then(|summary| {
        // A database that grew over years has its statistics: without them SQLite's planner
        // guesses, and a name search walks a committee's whole list by id.
        // The reviews went in by the bulk loader, not through scoring: their calibration pairs
        // and sums are computed here, as scoring would have kept them.
        for (round, _, _) in &rounds {
            crate::service::scoring::rebuild_calibration(conn, *round).map_err(|e| err(&e))?;
        }
        bulk::analyze(conn).map_err(|e| err(&e))?;
        Ok(summary)
    })
}

/// Three rounds: two past years and this year's (open until 31 December).
fn bench_rounds(
    conn: &mut DbConnection,
    admin: crate::domain::AccountId,
    now: NaiveDateTime,
) -> Result<
    Vec<(
        crate::domain::RoundId,
        NaiveDate,
        crate::domain::CommitteeId,
    )>,
    String,
> {
    let year = crate::time::local_date(now).year();
    let _ = admin;
    // The demo 中级 committee reviews every generated round: its office's lists are the
    // largest there are.
    let committee = super::committees::ids(conn)?.intermediate;
    let existing = store::rounds::list(conn).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for y in [year - 2, year - 1, year] {
        let name = format!("{y}年度工程系列职称评审（规模测试）");
        let deadline = NaiveDate::from_ymd_opt(y, 12, 31).expect("valid");
        let id = match existing.iter().find(|r| r.name == name) {
            Some(r) => r.id,
            None => {
                // Past rounds were opened then, before offices drew panels here.
                let setup = crate::domain::round::RoundSetup {
                    name: name.clone(),
                    levels: vec![crate::domain::TitleLevel::Intermediate],
                    submission_deadline: deadline,
                    reference_date: deadline,
                    scoring_deadline: deadline + chrono::Duration::days(90),
                };
                super::rounds::opened_in_the_past(conn, committee, &setup, now)?
            }
        };
        out.push((id, deadline, committee));
    }
    Ok(out)
}

/// One application's sections, varied by the generator.
struct Generated {
    sections: Sections,
}

impl Generated {
    fn new(
        rng: &mut StdRng,
        employer_code: String,
        round: crate::domain::RoundId,
        year: i32,
    ) -> Self {
        const OCCUPATIONS: [&str; 4] = ["焊工", "车工", "钳工", "电工"];
        let occupation = OCCUPATIONS[rng.gen_range(0..OCCUPATIONS.len())];
        let d = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).expect("valid");
        let cert_year = rng.gen_range(2012..year - 1);
        let level = [
            SkillLevel::Senior,
            SkillLevel::Technician,
            SkillLevel::SeniorTechnician,
        ][rng.gen_range(0..3)];
        let target = match level {
            SkillLevel::Senior => TitleLevel::Junior,
            SkillLevel::Technician => TitleLevel::Intermediate,
            SkillLevel::SeniorTechnician => TitleLevel::AssociateSenior,
        };
        let sections = Sections {
            basic: Some(Basic {
                education: Some(Education::ALL[rng.gen_range(0..6)]),
                mobile: format!("13{:09}", rng.gen_range(0..1_000_000_000u64)),
                email: String::new(),
                address: "上海市".into(),
            }),
            employment: Some(Employment {
                employer_id: None,
                employer_name: "规模测试企业".into(),
                employer_code,
                department: "生产部".into(),
                post: "技术员".into(),
                professional_post: Some(true),
                occupation: occupation.into(),
                since: Some(d(2010, 7)),
                assessments: (1..=3)
                    .map(|b| Assessment {
                        year: year - b,
                        result: if rng.gen_bool(0.9) {
                            AssessmentResult::Pass
                        } else {
                            AssessmentResult::BasicPass
                        },
                    })
                    .collect(),
            }),
            certificates: Some(Certificates {
                items: vec![Certificate {
                    id: "c1".into(),
                    occupation: occupation.into(),
                    level,
                    number: format!("{:013}", rng.gen_range(0..10_000_000_000_000u64)),
                    issuer: "上海市职业技能鉴定中心".into(),
                    obtained_on: d(cert_year, rng.gen_range(1..=12)),
                    evidence: vec![],
                }],
            }),
            work: Some(Work {
                items: vec![Period {
                    id: "w1".into(),
                    from: d(2008, 7),
                    to: None,
                    employer: "规模测试企业".into(),
                    occupation: occupation.into(),
                    post: "技术员".into(),
                    employer_code: String::new(),
                    witness_name: String::new(),
                    witness_phone: String::new(),
                }],
            }),
            target: Some(TargetData {
                round_id: Some(round),
                series: "工程".into(),
                specialty: "机械".into(),
                level: Some(target),
                route: Some(RouteClaim::Seniority),
                ..TargetData::default()
            }),
            achievements: Some(Achievements {
                summary: "长期在生产一线从事技术工作。".into(),
                items: vec![Achievement {
                    id: "a1".into(),
                    kind: "操作法".into(),
                    title: "工艺改进操作法".into(),
                    date: d(year - 2, 5),
                    role: "主要完成人".into(),
                    description: "合格率提高。".into(),
                    evidence: vec![],
                    co_holders: vec![],
                }],
                apprentices: vec![],
                renovations: vec![],
            }),
        };
        Generated { sections }
    }
}
