//! The employer's pages as a clerk uses them: each problem lands on its own field, what the
//! page offers is what the rules allow, a refusal claims only what is true, and a value typed
//! wrongly is never called missing.

use crate::employer_stage::{confirming, d, on, publicity, verified, version, version_of};
use crate::fixtures::{actor, complete_draft, open_round, save, submit_command, submitted};
use crate::helpers::{read_page, Page, TestApp};
use guantong::application::{Assessment, Edit, TargetData};
use guantong::domain::{AssessmentResult, RouteClaim, TitleLevel};
use guantong::service::employer_stage::{self as stage, Objection};
use guantong::service::submission;
use reqwest::StatusCode;

crate::tests!(
    sqlite: [every_label_names_a_field_on_every_page],
    both: [a_refused_resolution_lands_on_its_own_reason_field, the_list_offers_a_batch_publicity_only_where_the_rules_allow, a_stale_refusal_claims_the_typed_form_only_when_it_is_shown, an_appointment_reports_every_problem_with_the_earliest_date, both_sides_take_the_same_assessment_years, a_value_typed_wrongly_is_never_called_missing, a_refused_start_advises_an_end_from_an_allowed_start, the_applicant_reads_the_publicity_as_it_stands, the_applicant_sees_the_verdict_the_employers_record_gives, a_return_reads_as_one_and_every_step_is_confirmed, printed_records_are_the_record_with_lines_to_sign],
);

fn owned(fields: &[(&str, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Posts `fields` from the page at `path` to `action`, and reads the answer.
async fn post(app: &TestApp, path: &str, action: &str, fields: &[(&str, String)]) -> Page {
    let fields = owned(fields);
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    read_page(app.submit(path, action, &refs).await).await
}

fn textarea(page: &Page, id: &str) -> String {
    page.html
        .select(&scraper::Selector::parse(&format!("textarea#{id}")).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no textarea #{id}"))
        .text()
        .collect()
}

/// An application in publicity from 2026-09-14 to 2026-09-18 with one objection, recorded on
/// the 15th: (application, objection).
fn objected(app: &TestApp) -> (guantong::domain::ApplicationId, i64) {
    let (employer, id) = verified(app, "2026-09-14");
    let now = on(app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let now = on(app, "2026-09-15");
    app.with_conn(|c| {
        let v = version(c, id);
        let objection = Objection {
            received_on: d("2026-09-15"),
            source: String::new(),
            content: "工作年限有出入".into(),
        };
        stage::record_objection(c, &employer, id, v, &objection, now).unwrap();
        let objection = crate::employer_stage::read_stage(c, id).unwrap().objections[0].id;
        (id, objection)
    })
}

/// A rule that refuses a resolution (its reason too long, or none) is shown beside that
/// objection's own reason field, which the summary links to, with its fold-out open and the
/// text kept; the decision form's field of the same name is left alone.
async fn a_refused_resolution_lands_on_its_own_reason_field(app: TestApp) {
    let (id, objection) = objected(&app);
    on(&app, "2026-09-16");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let field = format!("reason-{objection}");
    let long = "经".repeat(1001);
    for (typed, says) in [(long.as_str(), "不能超过1000字"), ("", "请填写处理理由")] {
        let page = post(
            &app,
            &path,
            &format!("{path}/objections/resolve"),
            &[
                ("version", version_of(&app, id)),
                ("objection", objection.to_string()),
                ("decision", "dismissed".into()),
                ("text", typed.into()),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        page.assert_errors_linked(&[field.as_str()]);
        assert!(page.field_error(&field).unwrap().contains(says), "{typed}");
        assert_eq!(
            page.attr(&format!("#{field}"), "aria-invalid").as_deref(),
            Some("true")
        );
        assert!(page.attr("details.resolve", "open").is_some());
        assert_eq!(textarea(&page, &field), typed);
        assert!(page.attr("#text", "aria-invalid").is_none());
        // Every label names a field that exists.
        for target in page
            .html
            .select(&scraper::Selector::parse("label[for]").unwrap())
            .map(|l| l.value().attr("for").unwrap().to_string())
        {
            assert!(!page.select(&format!("#{target}")).is_empty(), "{target}");
        }
    }
}

/// Only an application the rules let be publicised gets a box on the list; a verified one its
/// employer's record finds ineligible says why instead.
async fn the_list_offers_a_batch_publicity_only_where_the_rules_allow(app: TestApp) {
    let (employer, eligible) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    let ineligible = app.with_conn(|c| {
        let round = guantong::store::applications::find(c, eligible)
            .unwrap()
            .unwrap()
            .round
            .unwrap();
        let id = crate::fixtures::second_submitted(c, round, now);
        let mut v = confirming(c, id);
        v.assessments[0] = Assessment {
            year: v.assessments[0].year,
            result: AssessmentResult::Fail,
        };
        let seen = version(c, id);
        stage::verify(c, &employer, id, seen, &v, now).unwrap();
        id
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let list = app.page("/employer").await;
    let picks: Vec<String> = list
        .html
        .select(&scraper::Selector::parse("input[name=pick]").unwrap())
        .map(|e| e.value().attr("value").unwrap().to_string())
        .collect();
    assert_eq!(picks.len(), 1, "{picks:?}");
    assert!(picks[0].starts_with(&format!("{eligible}:")));
    let row = list
        .select_html("tr.application")
        .into_iter()
        .find(|r| r.contains(&format!("/employer/applications/{ineligible}\"")))
        .unwrap();
    assert!(row.contains("已核实，暂不符合条件"), "{row}");
    // No box, so no bare "选择" label on a phone's card either.
    assert!(!row.contains("data-label=\"选择\""), "{row}");
    let why = scraper::Html::parse_fragment(&format!("<table>{row}</table>"));
    let why: String = why
        .select(&scraper::Selector::parse(".why-not").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(why.contains("不符合申报条件"), "{why}");
}

/// Someone else acted first: the page says the typed form is still there only when the page
/// still shows that form, and then it can be sent again as it is.
async fn a_stale_refusal_claims_the_typed_form_only_when_it_is_shown(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    on(&app, "2026-09-14");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let form = app.page(&path).await;
    let mut fields: Vec<(&str, String)> = vec![
        ("version", version_of(&app, id)),
        ("professional_post", "yes".into()),
        ("cert0_id", form.input_value("cert0_id").unwrap()),
        ("cert0_confirmed", "yes".into()),
        ("law_abiding", "yes".into()),
        ("ethics", "yes".into()),
        ("opinion", "再次核实".into()),
    ];
    for (i, year) in ["assess0_year", "assess1_year", "assess2_year"]
        .into_iter()
        .enumerate()
    {
        fields.push((year, form.input_value(year).unwrap()));
        fields.push((
            ["assess0_result", "assess1_result", "assess2_result"][i],
            "良好".into(),
        ));
    }
    // Another clerk starts the publicity: the verification form is gone.
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-14", "2026-09-18");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let page = post(&app, &path, &format!("{path}/verify"), &fields).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    let refused = page.text("#refused");
    assert!(page.select("form.verify").is_empty());
    assert!(!refused.contains("仍在表单中"), "{refused}");
    assert!(refused.contains("不再适用"), "{refused}");
    // During the publicity, another clerk records an objection first: the objection form is
    // still on the page, with what was typed, ready to be sent again.
    let now = on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let seen = version_of(&app, id);
    app.with_conn(|c| {
        let v = version(c, id);
        let first = Objection {
            received_on: d("2026-09-15"),
            source: String::new(),
            content: "另一条".into(),
        };
        stage::record_objection(c, &employer, id, v, &first, now).unwrap();
    });
    let page = post(
        &app,
        &path,
        &format!("{path}/objections"),
        &[
            ("version", seen),
            ("received_on", "2026-09-15".into()),
            ("content", "证书与本人不符".into()),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text("#refused").contains("仍在表单中"));
    assert_eq!(textarea(&page, "content"), "证书与本人不符");
    let now_version = version_of(&app, id);
    let form_version = page
        .attr("details.record-objection input[name=version]", "value")
        .unwrap();
    assert_eq!(form_version, now_version, "sent again, it goes through");
}

/// A 初级 application of the demo applicant (the demo loaded), in publicity from 2026-09-21 to
/// 2026-09-28.
fn junior_in_publicity(app: &TestApp) -> guantong::domain::ApplicationId {
    let now = on(app, "2026-09-21");
    app.with_conn(|c| {
        let employer = actor(c, "demo-employer");
        let round = open_round(c, "2026年度工程系列初级评审", now);
        let (applicant, junior) = complete_draft(c, round, now);
        save(
            c,
            &applicant,
            junior,
            Edit::Target(TargetData {
                round_id: Some(round),
                series: "工程".into(),
                specialty: "机械".into(),
                level: Some(TitleLevel::Junior),
                route: Some(RouteClaim::Seniority),
                ..TargetData::default()
            }),
            now,
        );
        let cmd = submit_command(c, junior);
        submission::submit(c, &applicant, cmd, now).unwrap();
        let v = confirming(c, junior);
        let seen = version(c, junior);
        stage::verify(c, &employer, junior, seen, &v, now).unwrap();
        let plan = publicity(c, &[junior], "2026-09-21", "2026-09-28");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
        junior
    })
}

/// The appointment form says every problem in one answer (a date inside the publicity and no
/// document number), and the earliest date allowed, beside the field and before any answer.
async fn an_appointment_reports_every_problem_with_the_earliest_date(app: TestApp) {
    app.load_demo();
    let id = junior_in_publicity(&app);
    on(&app, "2026-09-30");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let page = app.page(&path).await;
    assert!(page.text("#appointed_on-hint").contains("最早 2026-09-29"));
    let page = post(
        &app,
        &path,
        &format!("{path}/decision"),
        &[
            ("version", version_of(&app, id)),
            ("decision", "appoint".into()),
            ("appointed_on", "2026-09-28".into()),
            ("document_number", String::new()),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["appointed_on", "document_number"]);
    let date = page.field_error("appointed_on").unwrap();
    assert!(date.contains("最早为 2026-09-29"), "{date}");
    assert_eq!(
        page.input_value("appointed_on").as_deref(),
        Some("2026-09-28")
    );
    // The labels say appoint, not recommend.
    assert!(page.text("#decision").contains("聘任为初级职称"));
}

/// The applicant declares and the employer records the years the rules count, by one rule:
/// the employer may record this year's result as the applicant may declare it, and both refuse
/// the same typing mistake in the same words.
async fn both_sides_take_the_same_assessment_years(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    let (_, draft) = app.with_conn(|c| {
        let now = crate::fixtures::now(&app);
        let round = open_round(c, "2026年度工程系列中级评审（二）", now);
        complete_draft(c, round, now)
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let page = app.page(&path).await;
    let cert = page.input_value("cert0_id").unwrap();
    let verify = |year0: &str| {
        vec![
            ("version", version_of(&app, id)),
            ("professional_post", "yes".to_string()),
            ("cert0_id", cert.clone()),
            ("cert0_confirmed", "yes".into()),
            ("assess0_year", year0.to_string()),
            ("assess0_result", "合格".into()),
            ("assess1_year", "2024".into()),
            ("assess1_result", "合格".into()),
            ("assess2_year", "2025".into()),
            ("assess2_result", "合格".into()),
            ("law_abiding", "yes".into()),
            ("ethics", "yes".into()),
            ("opinion", "情况属实".into()),
        ]
    };
    let page = post(&app, &path, &format!("{path}/verify"), &verify("20x5")).await;
    let employer_says = page.field_error("assess0_year").unwrap();
    let res = post(&app, &path, &format!("{path}/verify"), &verify("2026")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "this year's result");
    app.logout().await;
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let section = format!("/applicant/applications/{draft}/employment");
    let form = app.page(&section).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html.html());
    let mut fields: Vec<(&str, String)> = ["employer_code", "department", "post", "since"]
        .iter()
        .map(|n| (*n, form.input_value(n).unwrap_or_default()))
        .collect();
    fields.extend([
        ("version", form.input_value("version").unwrap()),
        ("professional_post", "yes".into()),
        ("occupation", "焊工".into()),
        ("assess0_year", "20x5".into()),
        ("assess0_result", "合格".into()),
        ("action", "later".into()),
    ]);
    let page = post(&app, &section, &section, &fields).await;
    assert_eq!(
        page.field_error("assess0_year").as_deref(),
        Some(employer_says.as_str()),
        "{:?} {:?}",
        page.status,
        page.error_summary()
    );
}

/// A field typed wrongly says what is wrong with it; only a field left empty asks to fill it.
async fn a_value_typed_wrongly_is_never_called_missing(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let page = post(
        &app,
        &path,
        &format!("{path}/publicity"),
        &[
            ("version", version_of(&app, id)),
            ("starts_on", "2026-9-16".into()),
            ("ends_on", String::new()),
            ("contact", "人".repeat(201)),
        ],
    )
    .await;
    let starts = page.field_error("starts_on").unwrap();
    assert!(starts.contains("“2026-9-16”不是有效的日期"), "{starts}");
    assert!(page.field_error("ends_on").unwrap().starts_with("请填写"));
    let contact = page.field_error("contact").unwrap();
    assert!(contact.contains("不能超过200字"), "{contact}");
    assert!(!contact.starts_with("请填写"), "{contact}");
    let page = post(
        &app,
        &path,
        &format!("{path}/return"),
        &[
            ("version", version_of(&app, id)),
            ("deadline", "下周五".into()),
            ("note_work", "改".repeat(1001)),
        ],
    )
    .await;
    assert!(page
        .field_error("deadline")
        .unwrap()
        .contains("不是有效的日期"));
    assert!(page
        .field_error("note_work")
        .unwrap()
        .contains("不能超过1000字"));
    assert_eq!(
        textarea(&page, "note_work"),
        "改".repeat(1001),
        "never cut short"
    );
}

/// A start in the past is refused, and the earliest end the page advises is counted from the
/// first start allowed (today), not from the refused one.
async fn a_refused_start_advises_an_end_from_an_allowed_start(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let page = post(
        &app,
        &path,
        &format!("{path}/publicity"),
        &[
            ("version", version_of(&app, id)),
            ("starts_on", "2026-09-11".into()),
            ("ends_on", "2026-09-16".into()),
            ("contact", "人力资源部".into()),
        ],
    )
    .await;
    let ends = page.field_error("ends_on").unwrap();
    assert!(
        ends.contains("今天（2026-09-15）开始，最早可于 2026-09-20 结束"),
        "{ends}"
    );
    assert!(!ends.contains("2026-09-17"), "{ends}");
}

/// The applicant's page says the publicity runs only while it does, and then that the employer
/// decides; a 初级 title is appointed by the employer, any other recommended to a committee.
async fn the_applicant_reads_the_publicity_as_it_stands(app: TestApp) {
    let (employer, id) = verified(&app, "2026-09-14");
    let now = on(&app, "2026-09-14");
    app.with_conn(|c| {
        let plan = publicity(c, &[id], "2026-09-16", "2026-09-22");
        stage::start_publicity(c, &employer, &plan, now).unwrap();
    });
    let tasks = format!("/applicant/applications/{id}");
    let mut said = Vec::new();
    for date in ["2026-09-15", "2026-09-22", "2026-09-23"] {
        on(&app, date);
        app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
            .await;
        said.push(app.page(&tasks).await.text(".next-step"));
    }
    let (before, during, after) = (&said[0], &said[1], &said[2]);
    assert!(before.contains("将于 2026-09-16 至 2026-09-22"), "{before}");
    assert!(during.contains("正在内部公示"), "{during}");
    assert!(during.contains("推荐您参加评委会评审"), "{during}");
    assert!(!after.contains("正在内部公示"), "{after}");
    assert!(
        after.contains("已结束") && after.contains("等待单位决定"),
        "{after}"
    );
    // A 初级 application: the employer appoints; nothing is said of recommending.
    let junior = junior_in_publicity(&app);
    app.logout().await;
    on(&app, "2026-09-22");
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let next = app
        .page(&format!("/applicant/applications/{junior}"))
        .await
        .text(".next-step");
    assert!(next.contains("聘任您为初级职称"), "{next}");
    assert!(!next.contains("推荐"), "{next}");
}

/// Once the employer's record finds the applicant ineligible, the task list shows the verdict
/// on that record, not the one frozen on the declaration beside the refusal.
async fn the_applicant_sees_the_verdict_the_employers_record_gives(app: TestApp) {
    app.load_demo();
    let now = on(&app, "2026-09-14");
    let id = app.with_conn(|c| {
        let round = open_round(c, "2026年度工程系列中级评审", now);
        let (_, id) = submitted(c, round, now);
        let employer = actor(c, "demo-employer");
        let mut v = confirming(c, id);
        v.assessments[0] = Assessment {
            year: v.assessments[0].year,
            result: AssessmentResult::Fail,
        };
        let seen = version(c, id);
        stage::verify(c, &employer, id, seen, &v, now).unwrap();
        id
    });
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = app.page(&format!("/applicant/applications/{id}")).await;
    assert!(tasks.text("#on-record").contains("按单位核实的记录"));
    assert_eq!(tasks.select("section.verdict").len(), 1);
    assert_eq!(
        tasks.select("section.verdict-ok").len(),
        0,
        "an eligible verdict beside the refusal"
    );
    assert!(tasks.text(".verdict-headline").contains("不符合"));
    assert!(tasks.text(".verdict-basis").contains("单位核实的记录"));
}

/// Every label on every page a demo role reaches names, with `for`, a field of that page: a
/// label without one is read as orphaned text, and a click on it focuses nothing.
async fn every_label_names_a_field_on_every_page() {
    let Some((app, _)) = crate::demo::demo_app(crate::helpers::Backend::Sqlite, "2026-06-15").await
    else {
        return;
    };
    let labels = scraper::Selector::parse("label").unwrap();
    let (mut orphans, mut checked) = (Vec::new(), 0);
    for login in crate::kept::ROLES {
        let browser = app.share();
        let res = browser.login(login, guantong::demo::DEMO_PASSWORD).await;
        let start = res.headers()["location"].to_str().unwrap().to_string();
        for (path, page) in crate::kept::crawl(&browser, &start, 80).await {
            for label in page.html.select(&labels) {
                checked += 1;
                let text: String = label.text().collect();
                let target = label.value().attr("for").unwrap_or("");
                let field = scraper::Selector::parse(&format!(
                    "input[id=\"{target}\"], select[id=\"{target}\"], textarea[id=\"{target}\"]"
                ))
                .ok();
                let found = !target.is_empty()
                    && field.is_some_and(|f| page.html.select(&f).next().is_some());
                if !found {
                    orphans.push(format!(
                        "{login} {path}: <label for={target:?}>{}",
                        text.trim()
                    ));
                }
            }
        }
    }
    orphans.sort();
    orphans.dedup();
    assert!(checked > 100, "only {checked} labels were read");
    assert!(orphans.is_empty(), "{orphans:#?}");
}

/// A returned application reads as returned (not "being filled in"), and every step the
/// employer takes comes back with a confirmation.
async fn a_return_reads_as_one_and_every_step_is_confirmed(app: TestApp) {
    let (_, id) = verified(&app, "2026-09-15");
    on(&app, "2026-09-15");
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let path = format!("/employer/applications/{id}");
    let res = app
        .submit(
            &path,
            &format!("{path}/return"),
            &[
                ("version", &version_of(&app, id)),
                ("deadline", "2026-10-09"),
                ("note_work", "请补充2010年以前的工作经历"),
            ],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("{path}?done=return"));
    let page = app.page(&location).await;
    assert!(page.text("#done").contains("已退回申报人修改"));
    assert!(
        app.page(&path).await.select("#done").is_empty(),
        "said once"
    );
    app.logout().await;
    app.login("demo-applicant", guantong::demo::DEMO_PASSWORD)
        .await;
    let tasks = app.page(&format!("/applicant/applications/{id}")).await;
    assert_eq!(tasks.text(".state"), "单位已退回，待修改");
    assert!(tasks.text("#returned").contains("2026-10-09"));
    let home = app.page("/applicant").await;
    assert!(home
        .select("tr.application .state")
        .contains(&"单位已退回，待修改".to_string()));
}

/// The appointment record and the publicity notice print as the record alone (no demo banner,
/// no brand or navigation), with lines to sign and seal.
async fn printed_records_are_the_record_with_lines_to_sign(app: TestApp) {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/guantong.css"))
        .unwrap();
    let print = &css[css.find("@media print").unwrap()..];
    let print = &print[..print.find("}\n").unwrap()];
    for hidden in [".site-header", ".demo-banner", ".no-print"] {
        assert!(print.contains(hidden), "{hidden} printed: {print}");
    }
    app.load_demo();
    let id = junior_in_publicity(&app);
    let now = on(&app, "2026-09-29");
    app.with_conn(|c| {
        let employer = actor(c, "demo-employer");
        let v = version(c, id);
        stage::appoint(c, &employer, id, v, d("2026-09-29"), "沪贯〔2026〕9号", now).unwrap();
    });
    app.login("demo-employer", guantong::demo::DEMO_PASSWORD)
        .await;
    let record = app.page(&format!("/applications/{id}/appointment")).await;
    assert!(record.select("article .signatures .signature-line").len() >= 2);
    let page = app.page(&format!("/employer/applications/{id}")).await;
    let notice = page
        .attr("a[href^='/employer/publicities/']", "href")
        .unwrap();
    let sheet = app.page(&notice).await;
    assert!(!sheet
        .select("article .signatures .signature-line")
        .is_empty());
}
