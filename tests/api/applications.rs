//! Applicants prepare and submit a title application: every section over HTTP, the refusals, the
//! two-tab conflict, the frozen snapshot, and that nobody else can see any of it.

use crate::helpers::Fields as Form;
use crate::helpers::{assert_redirect_to, read_page, Backend, Page, TestApp};
use guantong::demo::DEMO_PASSWORD;
use reqwest::multipart::Part;
use reqwest::StatusCode;

crate::tests!(
    both: [applicant_fills_every_section_and_submits, sections_refuse_bad_input_and_keep_it, uploads_are_recognised_by_content_not_name, two_tabs_saving_one_section_conflict_visibly, submission_is_refused_while_ineligible, an_exceptional_claim_is_submitted_with_its_grounds, nobody_else_sees_or_downloads_anything, honours_apprentices_and_renovations_are_their_own_entries, adding_an_item_keeps_what_else_was_typed, implausible_dates_are_refused_beside_the_field, a_second_application_in_one_round_is_refused_beside_the_round, a_form_posted_after_a_timeout_comes_back_after_login, a_submitted_application_is_withdrawn_then_copied, the_impossible_is_refused_and_the_unusual_warned, enter_in_a_list_row_adds_the_row],
    per_backend: [oversize_uploads_are_refused, downloads_carry_safe_names_and_file_counts_are_limited],
    task: [demo_data_shows_a_submitted_application_and_a_draft],
);

pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\nIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";

fn file(bytes: &[u8], name: &str, mime: &str) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap()
}

fn version(page: &Page) -> String {
    page.input_value("version")
        .expect("the form carries the section's version")
}

/// Logs in as the demo applicant with a round open and returns the new application's task list path.
async fn start(app: &TestApp) -> String {
    app.load_demo();
    let today = app.today();
    // The end of this year, so that the last three assessment years are those before this one.
    let deadline = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 12, 31).unwrap();
    let now = crate::fixtures::now(app);
    app.with_conn(|c| {
        crate::fixtures::open_round(c, "2026年度工程系列中级评审", now);
        let senior = guantong::demo::committees::ids(c).unwrap().senior;
        crate::fixtures::round_in(c, senior, "2026年度工程系列机械专业高级评审", deadline, now);
    });
    assert_redirect_to(
        &app.login("demo-applicant", DEMO_PASSWORD).await,
        "/applicant",
    );
    let res = app
        .submit("/applicant", "/applicant/applications", &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn save(
    app: &TestApp,
    base: &str,
    section: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    // The form's page: the section's own, or the one a sub-form (achievements/…) lives on.
    let page = app
        .page(&format!("{base}/{}", section.split('/').next().unwrap()))
        .await;
    let v = version(&page);
    let mut all = vec![("csrf_token", page.csrf()), ("version", v)];
    all.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_raw(&format!("{base}/{section}"), &refs).await
}

async fn multipart(
    app: &TestApp,
    base: &str,
    page_section: &str,
    action: &str,
    form: Form,
) -> reqwest::Response {
    let page = app.page(&format!("{base}/{page_section}")).await;
    let form = form.text("version", version(&page));
    app.submit_multipart(
        &format!("{base}/{page_section}"),
        &format!("{base}/{action}"),
        form,
    )
    .await
}

/// An open round that takes `level` (the demo's 中级 committee takes 中级 and 初级, its 高级
/// committee the senior levels).
fn round_for(app: &TestApp, level: &str) -> String {
    let level = guantong::domain::TitleLevel::parse(level).expect("a level");
    app.with_conn(|c| {
        let rounds = guantong::store::rounds::list(c).unwrap();
        let open = rounds
            .into_iter()
            .find(|r| {
                r.closed_at.is_none()
                    && r.opened_at.is_some()
                    && r.effective_levels().contains(&level)
            })
            .unwrap();
        open.id.to_string()
    })
}

/// Fills every section for a welder with a 技师 certificate of `cert_date`.
async fn fill(app: &TestApp, base: &str, cert_date: &str, level: &str, route: &str) {
    let demo_code = guantong::demo::credit_code_with_check("91310115MA1K4DEM5");
    let y = |back: i32| (chrono::Datelike::year(&app.today()) - back).to_string();
    let (y3, y2, y1) = (y(3), y(2), y(1));
    assert_redirect_to(
        &save(
            app,
            base,
            "basic",
            &[("education", "大专"), ("mobile", "13800138000")],
        )
        .await,
        base,
    );
    let res = save(
        app,
        base,
        "employment",
        &[
            ("employer_code", &demo_code),
            ("department", "焊接车间"),
            ("post", "焊接工艺员"),
            ("professional_post", "yes"),
            ("occupation", "焊工"),
            ("since", "2012-07-01"),
            ("assess0_year", &y3),
            ("assess0_result", "合格"),
            ("assess1_year", &y2),
            ("assess1_result", "优秀"),
            ("assess2_year", &y1),
            ("assess2_result", "良好"),
        ],
    )
    .await;
    assert_redirect_to(&res, base);
    let form = Form::new()
        .text("occupation", "焊工")
        .text("level", "技师")
        .text("number", "1931000000123")
        .text("issuer", "上海市职业技能鉴定中心")
        .text("obtained_on", cert_date.to_string())
        .part("scan", file(PDF, "技师证书.pdf", "application/pdf"));
    assert_redirect_to(
        &multipart(app, base, "certificates", "certificates", form).await,
        &format!("{base}/certificates"),
    );
    let res = save(
        app,
        base,
        "work",
        &[
            ("from", "2010-07-01"),
            ("employer", "上海贯通机械制造有限公司"),
            ("occupation", "焊工"),
            ("post", "焊工"),
        ],
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/work"));
    let rid = round_for(app, level);
    let mut target = vec![
        ("round_id", rid.as_str()),
        ("series", "工程"),
        ("specialty", "机械"),
        ("level", level),
        ("route", route),
    ];
    if route == "exceptional" {
        target.push((
            "exceptional_grounds",
            "主持完成重大焊接工艺攻关，符合破格条件",
        ));
    }
    assert_redirect_to(&save(app, base, "target", &target).await, base);
}

async fn fill_achievements(app: &TestApp, base: &str) {
    let page = app.page(&format!("{base}/achievements")).await;
    let v = version(&page);
    let res = app
        .post_raw(
            &format!("{base}/achievements/summary"),
            &[
                ("csrf_token", &page.csrf()),
                ("version", &v),
                ("summary", "十年来负责压力容器焊接，解决多项生产难题。"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{base}/achievements"));
    let form = Form::new()
        .text("kind", "操作法")
        .text("title", "薄壁不锈钢管TIG焊操作法")
        .text("date", "2024-05-01")
        .text("role", "主要完成人")
        .text("description", "提高一次合格率至99%。")
        .part("evidence", file(PNG, "photo.png", "image/png"))
        .part("evidence", file(PDF, "report.pdf", "application/pdf"));
    assert_redirect_to(
        &multipart(app, base, "achievements", "achievements/items", form).await,
        &format!("{base}/achievements"),
    );
}

fn statuses(page: &Page) -> Vec<String> {
    page.select(".task-status")
}

async fn applicant_fills_every_section_and_submits(app: TestApp) {
    let base = start(&app).await;
    let page = app.page(&base).await;
    assert_eq!(statuses(&page), vec!["未开始"; 6]);
    assert!(
        page.select("a[href$='/review']").is_empty(),
        "nothing to check yet"
    );
    // Basic information: gender and birth date come from the ID number, not asked again.
    let basic = app.page(&format!("{base}/basic")).await;
    assert_eq!(basic.text(".gender"), "男");
    assert_eq!(
        basic.text(".birth-month"),
        "1985年03月",
        "the month, never the day"
    );
    assert!(basic.text(".id-masked").starts_with("310***"));
    assert!(basic
        .select("input[name=gender], input[name=birth_date], input[name=id_number]")
        .is_empty());
    // Save for later keeps a half-filled page as 进行中.
    let res = save(
        &app,
        &base,
        "basic",
        &[("action", "later"), ("education", "大专"), ("mobile", "")],
    )
    .await;
    assert_redirect_to(&res, &base);
    assert_eq!(statuses(&app.page(&base).await)[0], "进行中");
    fill(&app, &base, "2018-03-01", "中级", "seniority").await;
    fill_achievements(&app, &base).await;
    let page = app.page(&base).await;
    assert_eq!(statuses(&page), vec!["已完成"; 6]);
    assert_eq!(page.text(".verdict-headline"), "符合条件：可以申报中级");
    // Check answers, then the pledge is required.
    let review = app.page(&format!("{base}/review")).await;
    assert!(review
        .text(".section-employment")
        .contains("上海贯通机械制造有限公司"));
    assert!(review
        .text(".section-certificates")
        .contains("技师证书.pdf"));
    let fingerprint = review.input_value("fingerprint").unwrap();
    let version = review.input_value("version").unwrap();
    let res = app
        .post_raw(
            &format!("{base}/submit"),
            &[
                ("csrf_token", &review.csrf()),
                ("version", &version),
                ("fingerprint", &fingerprint),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["pledge"]);
    let res = app
        .post_raw(
            &format!("{base}/submit"),
            &[
                ("csrf_token", &review.csrf()),
                ("version", &version),
                ("fingerprint", &fingerprint),
                ("pledge", "yes"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{base}/submitted"));
    let confirmation = app.page(&format!("{base}/submitted")).await;
    let reference = confirmation.text(".reference");
    let year = chrono::Datelike::year(&app.today());
    assert_eq!(reference, format!("GT-{year}-000001"));
    // The task list: frozen, with the timeline of steps and roles (never a name).
    let page = app.page(&base).await;
    assert_eq!(page.text(".state"), "单位审核中");
    assert!(page.select(".task-status").is_empty(), "no more editing");
    assert_eq!(page.select(".step-label"), ["创建申报", "提交单位审核"]);
    assert_eq!(page.select(".step-role"), ["申报人", "申报人"]);
    assert!(
        !page.text("table.timeline").contains("张建国"),
        "the timeline names roles, not people"
    );
    // The applicant's home lists it.
    let home = app.page("/applicant").await;
    assert_eq!(home.select("tr.application td a"), vec![reference.as_str()]);
    assert_eq!(home.select("tr.application .state"), ["单位审核中"]);
    // Editing after submission changes nothing.
    let res = app
        .submit(
            &base,
            &format!("{base}/basic"),
            &[
                ("version", "1"),
                ("education", "本科"),
                ("mobile", "13900000000"),
            ],
        )
        .await;
    assert_redirect_to(&res, &base);
    // The dossier is the snapshot: what was submitted, with the frozen verdict. Even if the live
    // rows changed behind the application's back, the dossier would not.
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    app.with_conn(|c| {
        use diesel::RunQueryDsl;
        let sql = format!(
            "UPDATE application_sections SET data = '{{\"education\":\"研究生\",\"mobile\":\"13000000000\"}}' \
             WHERE application_id = {id} AND section = 'basic'"
        );
        assert_eq!(diesel::sql_query(sql).execute(c).unwrap(), 1);
    });
    let dossier = app.page(&format!("/applications/{id}")).await;
    assert!(
        !dossier.text(".section-basic").contains("研究生"),
        "the dossier reads the snapshot"
    );
    assert_eq!(dossier.status, StatusCode::OK);
    assert_eq!(dossier.text(".applicant-name"), "张建国");
    assert!(dossier.text(".section-basic").contains("大专"));
    assert_eq!(dossier.text(".verdict-headline"), "符合条件：可以申报中级");
    let (state, snapshot, verdict) = app.with_conn(|c| {
        let a = guantong::store::applications::find(c, guantong::domain::ApplicationId(id))
            .unwrap()
            .unwrap();
        (a.state.as_str(), a.snapshot.unwrap(), a.verdict.unwrap())
    });
    assert_eq!(state, "employer_review");
    assert!(snapshot.contains("焊接工艺员") && snapshot.contains("\"id_masked\":\"310"));
    assert!(
        !snapshot.contains("310105198503123"),
        "the snapshot keeps the ID masked"
    );
    assert!(verdict.contains("\"eligible\":true"));
    // The employer named in the application sees the dossier and downloads the evidence.
    let evidence = dossier.attr("a.evidence-link", "href").unwrap();
    app.logout().await;
    app.login("demo-employer", DEMO_PASSWORD).await;
    assert_eq!(
        app.page("/employer").await.select("tr.application td a"),
        vec![reference.as_str()]
    );
    assert_eq!(
        app.page(&format!("/applications/{id}")).await.status,
        StatusCode::OK
    );
    let res = app.get(&evidence).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    // The audit log holds every save and the submission, in an unbroken chain.
    let broken = app.with_conn(|c| guantong::store::audit::verify_chain(c).unwrap());
    assert_eq!(broken, None);
}

async fn sections_refuse_bad_input_and_keep_it(app: TestApp) {
    let base = start(&app).await;
    let versions = |app: &TestApp| {
        let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
        app.with_conn(|c| {
            guantong::service::draft::read_draft(c, guantong::domain::ApplicationId(id))
                .unwrap()
                .fingerprint()
        })
    };
    let before = versions(&app);
    let page = read_page(
        save(
            &app,
            &base,
            "basic",
            &[
                ("education", "博士后"),
                ("mobile", "12345"),
                ("email", "not-an-email"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["education", "mobile", "email"]);
    assert_eq!(page.input_value("email").as_deref(), Some("not-an-email"));
    // Save and continue names every missing answer.
    let page =
        read_page(save(&app, &base, "employment", &[("department", "焊接车间")]).await).await;
    let fields: Vec<String> = page.error_summary().into_iter().map(|(h, _)| h).collect();
    assert!(
        fields.starts_with(&[
            "#employer_code".to_string(),
            "#post".to_string(),
            "#professional_post".to_string()
        ]),
        "{fields:?}"
    );
    assert_eq!(page.input_value("department").as_deref(), Some("焊接车间"));
    let page = read_page(
        save(
            &app,
            &base,
            "employment",
            &[
                ("action", "later"),
                ("employer_code", "不存在的公司"),
                ("occupation", "宇航员"),
            ],
        )
        .await,
    )
    .await;
    assert!(page
        .field_error("employer_code")
        .unwrap()
        .contains("统一社会信用代码应为18位"));
    assert_eq!(
        page.field_error("occupation").as_deref(),
        Some("请从职业目录中选择职业（工种）")
    );
    let page = read_page(
        save(
            &app,
            &base,
            "work",
            &[
                ("from", "2020-01-01"),
                ("to", "2019-01-01"),
                ("employer", ""),
                ("occupation", "焊工"),
                ("post", "焊工"),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["to", "employer"]);
    assert_eq!(page.input_value("from").as_deref(), Some("2020-01-01"));
    let page = read_page(save(&app, &base, "target", &[("route", "exceptional")]).await).await;
    let fields: Vec<String> = page.error_summary().into_iter().map(|(h, _)| h).collect();
    assert_eq!(
        fields,
        [
            "#round_id",
            "#series",
            "#specialty",
            "#level",
            "#exceptional_grounds"
        ]
    );
    assert_eq!(
        page.attr("#route-exceptional", "checked").as_deref(),
        Some("")
    );
    // A certificate without its scan: refused, the rest kept.
    let form = Form::new()
        .text("occupation", "焊工")
        .text("level", "技师")
        .text("number", "")
        .text("issuer", "鉴定中心")
        .text("obtained_on", "2018-03-01");
    let page = read_page(multipart(&app, &base, "certificates", "certificates", form).await).await;
    page.assert_errors_linked(&["number", "scan"]);
    assert_eq!(page.input_value("issuer").as_deref(), Some("鉴定中心"));
    let form = Form::new()
        .text("kind", "论文")
        .text("title", "t")
        .text("date", "2024-01-01")
        .text("role", "r")
        .text("description", "d");
    let page =
        read_page(multipart(&app, &base, "achievements", "achievements/items", form).await).await;
    page.assert_errors_linked(&["kind", "evidence"]);
    assert_eq!(versions(&app), before, "nothing was saved");
}

async fn uploads_are_recognised_by_content_not_name(app: TestApp) {
    let base = start(&app).await;
    let cert = |part: Part| {
        Form::new()
            .text("occupation", "焊工")
            .text("level", "技师")
            .text("number", "N-1")
            .text("issuer", "鉴定中心")
            .text("obtained_on", "2018-03-01")
            .part("scan", part)
    };
    // An executable named .pdf and sent as application/pdf is refused.
    let page = read_page(
        multipart(
            &app,
            &base,
            "certificates",
            "certificates",
            cert(file(b"MZ\x90\0\x03\0\0\0", "证书.pdf", "application/pdf")),
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.field_error("scan")
            .unwrap()
            .contains("不是 PDF、JPEG 或 PNG"),
        "{:?}",
        page.field_error("scan")
    );
    assert_eq!(page.input_value("number").as_deref(), Some("N-1"));
    // A real PDF named .txt is accepted and typed from its bytes.
    let res = multipart(
        &app,
        &base,
        "certificates",
        "certificates",
        cert(file(PDF, "scan.txt", "text/plain")),
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/certificates"));
    let page = app.page(&format!("{base}/certificates")).await;
    assert_eq!(page.select("tr.item").len(), 1);
    let href = page.attr("a.evidence-link", "href").unwrap();
    let res = app.get(&href).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    // 删除 asks first, naming the certificate and its file; nothing is removed until confirmed.
    let v = version(&page);
    let item = page.attr("form.remove input[name=item]", "value").unwrap();
    let ask = read_page(
        app.post_raw(
            &format!("{base}/certificates/remove"),
            &[
                ("csrf_token", &page.csrf()),
                ("version", &v),
                ("item", &item),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.text("h1").contains("焊工") && ask.text("h1").starts_with("确定删除"));
    assert!(ask.html.html().contains("1 个证明文件"));
    assert_eq!(
        app.page(&format!("{base}/certificates"))
            .await
            .select("tr.item")
            .len(),
        1
    );
    // Removing the certificate removes its file too.
    let res = app
        .post_raw(
            &format!("{base}/certificates/remove"),
            &[
                ("csrf_token", &ask.csrf()),
                ("version", &v),
                ("item", &item),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{base}/certificates"));
    assert!(app
        .page(&format!("{base}/certificates"))
        .await
        .select("tr.item")
        .is_empty());
    assert_eq!(app.get(&href).await.status(), StatusCode::NOT_FOUND);
}

async fn oversize_uploads_are_refused(backend: Backend) {
    let app = crate::helpers::try_spawn_app_with(backend, |c| {
        c.max_upload_mb = 1;
        c.max_application_mb = 2;
    })
    .await
    .expect("the backend is configured");
    let base = start(&app).await;
    let mut big = PDF.to_vec();
    big.resize(1024 * 1024 + 10, b' ');
    let form = Form::new()
        .text("kind", "操作法")
        .text("title", "大文件")
        .text("date", "2024-01-01")
        .text("role", "r")
        .text("description", "d")
        .part("evidence", file(&big, "big.pdf", "application/pdf"));
    let page =
        read_page(multipart(&app, &base, "achievements", "achievements/items", form).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("evidence").unwrap().contains("超过 1 MB"));
    assert_eq!(page.input_value("title").as_deref(), Some("大文件"));
    // Within the per-file limit but over the application's total.
    let mut part = PDF.to_vec();
    part.resize(900 * 1024, b' ');
    for _ in 0..2 {
        let form = Form::new()
            .text("kind", "操作法")
            .text("title", "t")
            .text("date", "2024-01-01")
            .text("role", "r")
            .text("description", "d")
            .part("evidence", file(&part, "p.pdf", "application/pdf"));
        assert_eq!(
            multipart(&app, &base, "achievements", "achievements/items", form)
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let form = Form::new()
        .text("kind", "操作法")
        .text("title", "第三个")
        .text("date", "2024-01-01")
        .text("role", "r")
        .text("description", "d")
        .part("evidence", file(&part, "p.pdf", "application/pdf"));
    let page =
        read_page(multipart(&app, &base, "achievements", "achievements/items", form).await).await;
    assert!(
        page.text(".refused").contains("合计不能超过 2.0 MB"),
        "{}",
        page.text(".refused")
    );
    assert_eq!(page.select(".card.item").len(), 2);
}

async fn two_tabs_saving_one_section_conflict_visibly(app: TestApp) {
    let base = start(&app).await;
    let tab1 = app.page(&format!("{base}/basic")).await;
    let tab2 = app.page(&format!("{base}/basic")).await;
    let (v1, v2) = (version(&tab1), version(&tab2));
    assert_eq!(v1, v2);
    let res = app
        .post_raw(
            &format!("{base}/basic"),
            &[
                ("csrf_token", &tab1.csrf()),
                ("version", &v1),
                ("education", "大专"),
                ("mobile", "13800138000"),
            ],
        )
        .await;
    assert_redirect_to(&res, &base);
    let res = app
        .post_raw(
            &format!("{base}/basic"),
            &[
                ("csrf_token", &tab2.csrf()),
                ("version", &v2),
                ("education", "本科"),
                ("mobile", "13900139000"),
                ("email", "me@example.com"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    // Both versions are on the page: the saved one in the panel, the one just typed in the form.
    assert!(
        page.text(".saved-version").contains("大专")
            && page.text(".saved-version").contains("13800138000")
    );
    assert_eq!(
        page.attr("#education option[selected]", "value").as_deref(),
        Some("本科")
    );
    assert_eq!(page.input_value("mobile").as_deref(), Some("13900139000"));
    assert_eq!(page.input_value("email").as_deref(), Some("me@example.com"));
    // Nothing was overwritten.
    let review = app.page(&format!("{base}/basic")).await;
    assert_eq!(review.input_value("mobile").as_deref(), Some("13800138000"));
    // Submitting again from the conflict page is a deliberate choice and saves.
    let v = version(&page);
    assert_ne!(v, v2);
    let res = app
        .post_raw(
            &format!("{base}/basic"),
            &[
                ("csrf_token", &page.csrf()),
                ("version", &v),
                ("education", "本科"),
                ("mobile", "13900139000"),
            ],
        )
        .await;
    assert_redirect_to(&res, &base);
    assert_eq!(
        app.page(&format!("{base}/basic"))
            .await
            .input_value("mobile")
            .as_deref(),
        Some("13900139000")
    );
    // Two saves of the same version at the same moment: exactly one wins.
    let page = app.page(&format!("{base}/basic")).await;
    let (token, v) = (page.csrf(), version(&page));
    let post = |mobile: &'static str| {
        let fields = vec![
            ("csrf_token", token.clone()),
            ("version", v.clone()),
            ("education", "大专".to_string()),
            ("mobile", mobile.to_string()),
        ];
        let request = app
            .client
            .post(app.url(&format!("{base}/basic")))
            .form(&fields);
        async move { request.send().await.unwrap().status() }
    };
    let (a, b) = tokio::join!(post("13700000001"), post("13700000002"));
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    // A list section too: adding from a stale page is refused and keeps what was typed.
    let stale = app.page(&format!("{base}/work")).await;
    save(
        &app,
        &base,
        "work",
        &[
            ("from", "2010-07-01"),
            ("employer", "甲公司"),
            ("occupation", "焊工"),
            ("post", "焊工"),
        ],
    )
    .await;
    let res = app
        .post_raw(
            &format!("{base}/work"),
            &[
                ("csrf_token", &stale.csrf()),
                ("version", &version(&stale)),
                ("from", "2005-07-01"),
                ("to", "2010-06-30"),
                ("employer", "乙公司"),
                ("occupation", "焊工"),
                ("post", "学徒"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert_eq!(page.input_value("employer").as_deref(), Some("乙公司"));
    assert!(page.text(".saved-version").contains("甲公司"));
    assert_eq!(page.select("tr.item").len(), 1);
}

async fn submission_is_refused_while_ineligible(app: TestApp) {
    let base = start(&app).await;
    // A 技师 certificate one year old: three years are needed for 中级.
    let cert_date = (app.today() - chrono::Duration::days(365)).to_string();
    fill(&app, &base, &cert_date, "中级", "seniority").await;
    fill_achievements(&app, &base).await;
    let review = app.page(&format!("{base}/review")).await;
    assert!(
        review.select("form[action$='/submit']").is_empty(),
        "no submit form while ineligible"
    );
    let blocked = review.text(".blocked");
    assert!(
        blocked.contains("暂不能提交") && blocked.contains("起提交"),
        "{blocked}"
    );
    assert_eq!(review.text(".verdict-headline"), "暂不符合申报中级的条件");
    // Posting anyway is refused, and nothing changes.
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let (version, fingerprint) = app.with_conn(|c| {
        let a = guantong::store::applications::find(c, guantong::domain::ApplicationId(id))
            .unwrap()
            .unwrap();
        (
            a.version.to_string(),
            guantong::service::draft::read_draft(c, guantong::domain::ApplicationId(id))
                .unwrap()
                .fingerprint()
                .to_string(),
        )
    });
    let res = app
        .post_raw(
            &format!("{base}/submit"),
            &[
                ("csrf_token", &review.csrf()),
                ("version", &version),
                ("fingerprint", &fingerprint),
                ("pledge", "yes"),
            ],
        )
        .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .field_error("submit")
        .unwrap()
        .contains("取得技师后从事技术工作满3年"));
    let state = app.with_conn(|c| {
        guantong::store::applications::find(c, guantong::domain::ApplicationId(id))
            .unwrap()
            .unwrap()
            .state
            .as_str()
    });
    assert_eq!(state, "draft");
    // A stale fingerprint (a section changed in another window) is caught too.
    let res = app
        .post_raw(
            &format!("{base}/submit"),
            &[
                ("csrf_token", &review.csrf()),
                ("version", &version),
                ("fingerprint", "0"),
                ("pledge", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

async fn an_exceptional_claim_is_submitted_with_its_grounds(app: TestApp) {
    let base = start(&app).await;
    let cert_date = (app.today() - chrono::Duration::days(365)).to_string();
    fill(&app, &base, &cert_date, "副高级", "exceptional").await;
    fill_achievements(&app, &base).await;
    let review = app.page(&format!("{base}/review")).await;
    assert!(review
        .select(".route-status")
        .contains(&"需评委会核实".to_string()));
    let res = app
        .post_raw(
            &format!("{base}/submit"),
            &[
                ("csrf_token", &review.csrf()),
                ("version", &review.input_value("version").unwrap()),
                ("fingerprint", &review.input_value("fingerprint").unwrap()),
                ("pledge", "yes"),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{base}/submitted"));
}

async fn nobody_else_sees_or_downloads_anything(app: TestApp) {
    let base = start(&app).await;
    fill(&app, &base, "2018-03-01", "中级", "seniority").await;
    let id: i64 = base.rsplit('/').next().unwrap().parse().unwrap();
    let evidence = app
        .page(&format!("{base}/certificates"))
        .await
        .attr("a.evidence-link", "href")
        .unwrap();
    let other = another_applicant(&app).await;
    for path in [
        base.clone(),
        format!("{base}/basic"),
        format!("{base}/certificates"),
        format!("{base}/review"),
        format!("/applications/{id}"),
        evidence.clone(),
    ] {
        assert_eq!(
            other.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = other
        .submit(
            "/applicant",
            &format!("{base}/basic"),
            &[
                ("version", "0"),
                ("education", "本科"),
                ("mobile", "13712340000"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = other
        .submit(
            "/applicant",
            &format!("{base}/submit"),
            &[("version", "1"), ("fingerprint", "0"), ("pledge", "yes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The employer, before submission, and the office and experts: nothing either.
    for login in ["demo-employer", "demo-office", "demo-expert1", "demo-admin"] {
        let c = app.share();
        c.login(login, DEMO_PASSWORD).await;
        assert_eq!(
            c.get(&evidence).await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
        assert_eq!(
            c.get(&format!("/applications/{id}")).await.status(),
            StatusCode::NOT_FOUND,
            "{login}"
        );
    }
    // Anonymous visitors are sent to log in.
    let anon = app.share();
    assert_eq!(anon.get(&evidence).await.status(), StatusCode::SEE_OTHER);
    // The owner still can.
    assert_eq!(app.get(&evidence).await.status(), StatusCode::OK);
}

/// The demo shows a submitted application and a draft in progress.
async fn demo_data_shows_a_submitted_application_and_a_draft() {
    let app = crate::helpers::try_spawn_app(Backend::Sqlite)
        .await
        .unwrap();
    app.load_demo();
    let now = guantong::store::to_db_time(app.clock.now());
    for _ in 0..2 {
        app.with_conn(|c| guantong::demo::load_applications(c, now))
            .unwrap();
        app.with_conn(|c| guantong::demo::load_employer_claim(c, now))
            .unwrap();
    }
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let home = app.page("/applicant").await;
    let states = home.select("tr.application .state");
    assert_eq!(states, ["填写中", "单位审核中"], "loaded once");
    let submitted = home.attr("tr.application:nth-child(2) a", "href").unwrap();
    let page = app.page(&submitted).await;
    assert_eq!(page.text(".verdict-headline"), "符合条件：可以申报中级");
    let draft = home.attr("tr.application:nth-child(1) a", "href").unwrap();
    assert_eq!(app.page(&draft).await.select(".task-status")[0], "进行中");
    // The demo employer sees the submitted dossier, listed on its home page (the draft is not).
    let id = submitted.rsplit('/').next().unwrap();
    app.logout().await;
    app.login("demo-employer", DEMO_PASSWORD).await;
    let home = app.page("/employer").await;
    assert_eq!(home.select("tr.application .state"), ["待核实"]);
    assert_eq!(
        home.attr("tr.application td a", "href"),
        Some(format!("/employer/applications/{id}"))
    );
    let review = app.page(&format!("/employer/applications/{id}")).await;
    assert_eq!(review.status, StatusCode::OK);
    assert_eq!(review.text(".state"), "单位审核中");
    assert_eq!(
        app.page(&format!("/applications/{id}")).await.status,
        StatusCode::OK
    );
}

async fn honours_apprentices_and_renovations_are_their_own_entries(app: TestApp) {
    let base = start(&app).await;
    // An honour needs a catalogue name and its evidence.
    let form = Form::new().text("honour", "全国技术能手");
    let page = read_page(multipart(&app, &base, "target", "target/honours", form).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("honour_evidence").is_some());
    // In the one summary at the top of the page, linking to the field.
    page.assert_errors_linked(&["honour_evidence"]);
    let form = Form::new()
        .text("honour", "世界冠军")
        .part("honour_evidence", file(PDF, "a.pdf", "application/pdf"));
    let page = read_page(multipart(&app, &base, "target", "target/honours", form).await).await;
    assert_eq!(
        page.field_error("honour").as_deref(),
        Some("请从荣誉目录中选择荣誉")
    );
    let form = Form::new()
        .text("honour", "全国技术能手")
        .part("honour_evidence", file(PNG, "证书.png", "image/png"));
    assert_redirect_to(
        &multipart(&app, &base, "target", "target/honours", form).await,
        &format!("{base}/target"),
    );
    let page = app.page(&format!("{base}/target")).await;
    assert_eq!(page.select("tr.item td:first-child"), ["全国技术能手"]);
    assert_eq!(page.select("a.evidence-link"), ["证书.png"]);
    // Saving the target form keeps the honour, and claims the honour route with its statement.
    let rid = round_for(&app, "副高级");
    let res = save(
        &app,
        &base,
        "target",
        &[
            ("round_id", &rid),
            ("series", "工程"),
            ("specialty", "机械"),
            ("level", "副高级"),
            ("route", "honour"),
        ],
    )
    .await;
    let refused = read_page(res).await;
    assert_eq!(
        refused.field_error("frontline_statement").as_deref(),
        Some("凭荣誉申报须说明长期坚守生产服务一线、具有绝招绝技绝活和突出贡献的情况")
    );
    let res = save(
        &app,
        &base,
        "target",
        &[
            ("round_id", &rid),
            ("series", "工程"),
            ("specialty", "机械"),
            ("level", "副高级"),
            ("route", "honour"),
            ("frontline_statement", "二十年坚守焊接一线"),
        ],
    )
    .await;
    assert_redirect_to(&res, &base);
    let task_list = app.page(&base).await;
    assert_eq!(task_list.select(".task-status")[4], "已完成");
    assert_eq!(
        app.page(&format!("{base}/target"))
            .await
            .select("tr.item td:first-child"),
        ["全国技术能手"],
        "kept"
    );
    // Apprentices and renovations.
    let page = read_page(save(&app, &base, "achievements/apprentices", &[]).await).await;
    page.assert_errors_linked(&["apprentice_name", "apprentice_period", "apprentice_outcome"]);
    let res = save(
        &app,
        &base,
        "achievements/apprentices",
        &[
            ("apprentice_name", "王小军"),
            ("apprentice_period", "2021—2023"),
            ("apprentice_outcome", "取得高级工"),
        ],
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/achievements"));
    let page = read_page(
        save(
            &app,
            &base,
            "achievements/renovations",
            &[
                ("renovation_title", "焊接夹具改造"),
                ("renovation_date", "昨天"),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&[
        "renovation_date",
        "renovation_role",
        "renovation_description",
    ]);
    assert_eq!(
        page.input_value("renovation_title").as_deref(),
        Some("焊接夹具改造")
    );
    let res = save(
        &app,
        &base,
        "achievements/renovations",
        &[
            ("renovation_title", "焊接夹具改造"),
            ("renovation_date", "2023-09-01"),
            ("renovation_role", "主持"),
            ("renovation_description", "效率提高30%"),
        ],
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/achievements"));
    let page = app.page(&format!("{base}/achievements")).await;
    let items = page.select("div.item");
    assert!(
        items[0].starts_with("王小军") && items[1].starts_with("焊接夹具改造"),
        "{items:?}"
    );
    // The section is not complete without a summary and a representative achievement.
    assert_eq!(app.page(&base).await.select(".task-status")[5], "进行中");
}

async fn downloads_carry_safe_names_and_file_counts_are_limited(backend: Backend) {
    let app = crate::helpers::try_spawn_app_with(backend, |c| {
        c.max_files_per_applicant = 8;
    })
    .await
    .expect("the backend is configured");
    let base = start(&app).await;
    let achievement = |files: Vec<Part>| {
        let mut form = Form::new()
            .text("kind", "操作法")
            .text("title", "成果")
            .text("date", "2024-01-01")
            .text("role", "r")
            .text("description", "d");
        for f in files {
            form = form.part("evidence", f);
        }
        form
    };
    // Dangerous names with real PDF/PNG bytes are stored and served under the detected type.
    let files = vec![
        file(PDF, "scan.bat", "application/octet-stream"),
        file(PNG, "certificate.hta", "application/hta"),
        file(PDF, "report.html", "text/html"),
        file(PDF, "证书.pdf.exe", "application/x-msdownload"),
    ];
    let res = multipart(
        &app,
        &base,
        "achievements",
        "achievements/items",
        achievement(files),
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/achievements"));
    let page = app.page(&format!("{base}/achievements")).await;
    assert_eq!(
        page.select("a.evidence-link"),
        ["scan.pdf", "certificate.png", "report.pdf", "证书_pdf.pdf"]
    );
    let href = page.attr("a.evidence-link", "href").unwrap();
    let res = app.get(&href).await;
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"scan.pdf\""),
        "{disposition}"
    );
    assert_eq!(res.headers()["content-type"], "application/pdf");
    // Six files in one form: refused, with the limit said beside the field and in the hint.
    let six = (0..6)
        .map(|i| file(PDF, &format!("p{i}.pdf"), "application/pdf"))
        .collect();
    let page = read_page(
        multipart(
            &app,
            &base,
            "achievements",
            "achievements/items",
            achievement(six),
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page
        .field_error("evidence")
        .unwrap()
        .contains("每次最多上传 5 个文件"));
    assert!(page.text("#evidence-hint").contains("最多 5 个文件"));
    // Over all drafts, an applicant keeps at most the configured number of files (8 here).
    let four = (0..4)
        .map(|i| file(PDF, &format!("q{i}.pdf"), "application/pdf"))
        .collect();
    assert_redirect_to(
        &multipart(
            &app,
            &base,
            "achievements",
            "achievements/items",
            achievement(four),
        )
        .await,
        &format!("{base}/achievements"),
    );
    let one = vec![file(PDF, "r.pdf", "application/pdf")];
    let page = read_page(
        multipart(
            &app,
            &base,
            "achievements",
            "achievements/items",
            achievement(one),
        )
        .await,
    )
    .await;
    assert!(
        page.text(".refused").contains("最多 8 个"),
        "{}",
        page.text(".refused")
    );
}

/// Each page is one form, so adding an honour, an achievement, an apprentice or a
/// renovation keeps (and saves as a draft) what was typed elsewhere on the page.
async fn adding_an_item_keeps_what_else_was_typed(app: TestApp) {
    let base = start(&app).await;
    // /target: choose series and level, the honour route, type the statement, then add an honour.
    let rid = round_for(&app, "副高级");
    let form = Form::new()
        .text("round_id", rid.clone())
        .text("series", "工程")
        .text("specialty", "机械")
        .text("level", "副高级")
        .text("route", "honour")
        .text("frontline_statement", "坚守焊接一线二十年")
        .text("exceptional_grounds", "")
        .text("honour", "全国技术能手")
        .part("honour_evidence", file(PDF, "证书.pdf", "application/pdf"));
    assert_redirect_to(
        &multipart(&app, &base, "target", "target/honours", form).await,
        &format!("{base}/target"),
    );
    let page = app.page(&format!("{base}/target")).await;
    assert_eq!(page.select("tr.item td:first-child"), ["全国技术能手"]);
    assert_eq!(
        page.attr("#series option[selected]", "value").as_deref(),
        Some("工程")
    );
    assert_eq!(
        page.attr("#level option[selected]", "value").as_deref(),
        Some("副高级")
    );
    assert_eq!(page.input_value("specialty").as_deref(), Some("机械"));
    assert_eq!(
        page.attr("input[name=route][checked]", "value").as_deref(),
        Some("honour")
    );
    assert_eq!(page.select("#frontline_statement"), ["坚守焊接一线二十年"]);
    // A bad honour keeps the typed fields on the page and stores nothing.
    let form = Form::new()
        .text("series", "工程")
        .text("specialty", "机械（改）")
        .text("honour", "")
        .part("honour_evidence", file(PDF, "证书.pdf", "application/pdf"));
    let page = read_page(multipart(&app, &base, "target", "target/honours", form).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.input_value("specialty").as_deref(), Some("机械（改）"));
    assert_eq!(
        app.page(&format!("{base}/target"))
            .await
            .input_value("specialty")
            .as_deref(),
        Some("机械"),
        "nothing stored from a refused add"
    );

    // /achievements: the summary typed, then an apprentice added: both are saved.
    let res = save(
        &app,
        &base,
        "achievements/apprentices",
        &[
            ("summary", "主持薄壁管焊接工艺改进"),
            ("apprentice_name", "王小军"),
            ("apprentice_period", "2021—2023"),
            ("apprentice_outcome", "取得高级工"),
        ],
    )
    .await;
    assert_redirect_to(&res, &format!("{base}/achievements"));
    let page = app.page(&format!("{base}/achievements")).await;
    assert_eq!(page.select("#summary"), ["主持薄壁管焊接工艺改进"]);
    assert!(page.select("div.item")[0].starts_with("王小军"));
    // A renovation typed but not added when an apprentice is: it stays on the page, with a notice.
    let res = save(
        &app,
        &base,
        "achievements/apprentices",
        &[
            ("summary", "主持薄壁管焊接工艺改进"),
            ("apprentice_name", "李小红"),
            ("apprentice_period", "2022—2024"),
            ("apprentice_outcome", "取得技师"),
            ("renovation_title", "焊接夹具改造"),
        ],
    )
    .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.input_value("renovation_title").as_deref(),
        Some("焊接夹具改造")
    );
    assert_eq!(page.input_value("apprentice_name").as_deref(), Some(""));
    assert_eq!(page.select(".notice").len(), 1);
    assert_eq!(page.select("div.item").len(), 2);
    // An apprentice refused keeps the summary as typed, unsaved.
    let page = read_page(
        save(
            &app,
            &base,
            "achievements/apprentices",
            &[("summary", "改过的总结"), ("apprentice_name", "赵")],
        )
        .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.select("#summary"), ["改过的总结"]);
    assert_eq!(
        app.page(&format!("{base}/achievements"))
            .await
            .select("#summary"),
        ["主持薄壁管焊接工艺改进"]
    );
    // An error page keeps a logged-in person's header.
    let missing = app.page("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.select("a[href='/login']").is_empty(),
        "no 登录 link when logged in"
    );
    assert_eq!(missing.select("a[href='/account']"), ["账户"]);
    // The page is one form: every add button posts the whole page, and no form is nested.
    let page = app.page(&format!("{base}/achievements")).await;
    assert_eq!(
        page.select("form:not([hidden])").len(),
        2,
        "the page form and logout"
    );
    // The three add buttons, and the one Enter presses first.
    assert_eq!(page.select("button[formaction]").len(), 4);
}

/// Dates of things that happened are not after today, and not before the applicant's
/// 16th birthday (the demo applicant was born on 1985-03-12: 16 on 2001-03-12).
async fn implausible_dates_are_refused_beside_the_field(app: TestApp) {
    let base = start(&app).await;
    let today = app.today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let cert = |date: &str| {
        Form::new()
            .text("occupation", "焊工")
            .text("level", "高级工")
            .text("number", "S-1")
            .text("issuer", "上海市职业技能鉴定中心")
            .text("obtained_on", date.to_string())
            .part("scan", file(PDF, "证书.pdf", "application/pdf"))
    };
    for (date, message) in [
        ("2099-06-30", format!("取得日期不能晚于今天（{today}）")),
        (
            tomorrow.as_str(),
            format!("取得日期不能晚于今天（{today}）"),
        ),
        (
            "2001-03-11",
            "取得日期早于您年满16周岁的日期（2001-03-12），请核对".to_string(),
        ),
    ] {
        let page =
            read_page(multipart(&app, &base, "certificates", "certificates", cert(date)).await)
                .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{date}");
        assert_eq!(
            page.field_error("obtained_on").as_deref(),
            Some(message.as_str())
        );
        assert_eq!(page.input_value("obtained_on").as_deref(), Some(date));
    }
    assert_redirect_to(
        &multipart(
            &app,
            &base,
            "certificates",
            "certificates",
            cert("2001-03-12"),
        )
        .await,
        &format!("{base}/certificates"),
    );
    // Work: a start before 16 or after today, an end after today; an open end is fine.
    let period = |from: &str, to: &str| {
        [
            ("from", from.to_string()),
            ("to", to.to_string()),
            ("employer", "上海贯通机械".to_string()),
            ("occupation", "焊工".to_string()),
            ("post", "焊工".to_string()),
        ]
    };
    for (from, to, field) in [
        ("1999-09-01", "", "from"),
        ("2010-01-01", tomorrow.as_str(), "to"),
        (tomorrow.as_str(), "", "from"),
    ] {
        let fields = period(from, to);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = read_page(save(&app, &base, "work", &fields).await).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{from}–{to}");
        page.assert_errors_linked(&[field]);
    }
    let fields = period("2003-07-01", "");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_redirect_to(
        &save(&app, &base, "work", &fields).await,
        &format!("{base}/work"),
    );
    // A renovation dated in the future.
    let page = read_page(
        save(
            &app,
            &base,
            "achievements/renovations",
            &[
                ("renovation_title", "夹具改造"),
                ("renovation_date", "2099-01-01"),
                ("renovation_role", "主持"),
                ("renovation_description", "效率提高"),
            ],
        )
        .await,
    )
    .await;
    page.assert_errors_linked(&["renovation_date"]);
}

/// One application per person per round, said beside the round field.
async fn a_second_application_in_one_round_is_refused_beside_the_round(app: TestApp) {
    let first = start(&app).await;
    let rid = round_for(&app, "中级");
    let target = [
        ("round_id", rid.as_str()),
        ("series", "工程"),
        ("specialty", "机械"),
        ("level", "中级"),
        ("route", "seniority"),
        ("action", "later"),
    ];
    let res = save(&app, &first, "target", &target).await;
    if res.status() != StatusCode::SEE_OTHER {
        panic!("{:?}", read_page(res).await.error_summary());
    }
    let res = app
        .submit("/applicant", "/applicant/applications", &[])
        .await;
    let second = res.headers()["location"].to_str().unwrap().to_string();
    let page = read_page(save(&app, &second, "target", &target).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.field_error("round_id").as_deref(),
        Some(guantong::service::draft::ONE_PER_ROUND)
    );
    assert_eq!(
        page.input_value("specialty").as_deref(),
        Some("机械"),
        "typed input kept"
    );
}

/// A form posted after the session timed out is kept (not saved) for the same
/// account, which finds it on the page after logging in again; `next` is always the page.
async fn a_form_posted_after_a_timeout_comes_back_after_login(app: TestApp) {
    let base = start(&app).await;
    let page_path = format!("{base}/basic");
    let page = app.page(&page_path).await;
    let v = version(&page);
    let typed = "上海市浦东新区张江路 88 号 3 楼";
    let post = |token: String| {
        let fields = [
            ("csrf_token", token),
            ("version", v.clone()),
            ("education", "大专".to_string()),
            ("mobile", "13800138000".to_string()),
            ("address", typed.to_string()),
        ];
        app.client
            .post(app.url(&page_path))
            .header("Referer", app.url(&page_path))
            .form(&fields)
            .send()
    };
    app.clock.advance(chrono::Duration::minutes(31));
    // A forged token keeps nothing, but the person still returns to the page.
    let res = post("00".repeat(32)).await.unwrap();
    let next = urlencode(&page_path);
    assert_redirect_to(&res, &format!("/login?next={next}&expired=1"));
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let again = app.page(&page_path).await;
    let token = again.csrf();
    app.clock.advance(chrono::Duration::minutes(31));
    let res = post(token).await.unwrap();
    let next = urlencode(&format!("{page_path}?kept=1"));
    assert_redirect_to(&res, &format!("/login?next={next}&expired=1"));
    let login = app.page(res.headers()["location"].to_str().unwrap()).await;
    assert!(login.text(".notice").contains("您已超时退出"));
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("login", "demo-applicant"),
                ("password", DEMO_PASSWORD),
                ("next", &format!("{page_path}?kept=1")),
            ],
        )
        .await;
    assert_redirect_to(&res, &format!("{page_path}?kept=1"));
    let restored = app.page(&format!("{page_path}?kept=1")).await;
    assert!(restored.text("#kept").contains("尚未保存"));
    assert_eq!(restored.input_value("address").as_deref(), Some(typed));
    // Nothing was saved, and the kept form is offered once.
    let later = app.page(&format!("{page_path}?kept=1")).await;
    assert!(later.select("#kept").is_empty());
    assert_ne!(later.input_value("address").as_deref(), Some(typed));

    // A multipart form (a certificate; its file cannot be kept) comes back the same way.
    let cert_path = format!("{base}/certificates");
    let token = app.page(&cert_path).await.csrf();
    app.clock.advance(chrono::Duration::minutes(31));
    let form = Form::new()
        .text("csrf_token", token)
        .text("number", "3100012345")
        .part("evidence", file(PDF, "cert.pdf", "application/pdf"));
    let res = app
        .client
        .post(app.url(&cert_path))
        .header("Referer", app.url(&cert_path))
        .multipart(form.into())
        .send()
        .await
        .unwrap();
    let next = urlencode(&format!("{cert_path}?kept=1"));
    assert_redirect_to(&res, &format!("/login?next={next}&expired=1"));
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let restored = app.page(&format!("{cert_path}?kept=1")).await;
    assert!(restored.text("#kept").contains("重新选择"));
    assert_eq!(
        restored.input_value("number").as_deref(),
        Some("3100012345")
    );
}

/// A second applicant (李四), registered and logged in on a browser of their own.
async fn another_applicant(app: &TestApp) -> TestApp {
    let other = app.share();
    let id_number = guantong::demo::id_number_with_check("31011519900101123");
    let res = other
        .submit(
            "/register/applicant",
            "/register/applicant",
            &[
                ("name", "李四"),
                ("id_number", &id_number),
                ("mobile", "13712340000"),
                ("password", "secret-2026"),
                ("password_confirm", "secret-2026"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Registering logs nobody in.
    assert_eq!(
        other.login("13712340000", "secret-2026").await.status(),
        StatusCode::SEE_OTHER
    );
    other
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

/// The applicant withdraws a submission the employer has not acted on, and starts
/// again from a copy of it (every section and file, the round chosen again); nobody else can.
async fn a_submitted_application_is_withdrawn_then_copied(app: TestApp) {
    app.load_demo();
    let now = crate::fixtures::now(&app);
    let round = app.with_conn(|c| crate::fixtures::open_round(c, "2026年度工程系列中级评审", now));
    let (_, id) = app.with_conn(|c| crate::fixtures::submitted(c, round, now));
    app.login("demo-applicant", DEMO_PASSWORD).await;
    let base = format!("/applicant/applications/{id}");
    let tasks = app.page(&base).await;
    assert_eq!(
        tasks.attr("#withdraw-link", "href").as_deref(),
        Some(format!("{base}/withdraw").as_str())
    );
    let confirm = app.page(&format!("{base}/withdraw")).await;
    let stale_version = confirm.input_value("version").unwrap();
    // A stale page (the application changed since) withdraws nothing and says why.
    let version: i32 = stale_version.parse().unwrap();
    let res = app
        .submit(
            &format!("{base}/withdraw"),
            &format!("{base}/withdraw"),
            &[("version", &(version - 1).to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(read_page(res).await.text("#refused").contains("本次未撤回"));
    let res = app
        .submit(
            &format!("{base}/withdraw"),
            &format!("{base}/withdraw"),
            &[("version", &stale_version)],
        )
        .await;
    assert_redirect_to(&res, &base);
    let tasks = app.page(&base).await;
    assert_eq!(tasks.text(".state"), "已放弃");
    assert!(tasks
        .select(".step-label")
        .iter()
        .any(|l| l == "申报人撤回申报"));
    assert!(tasks.select("#withdraw-link").is_empty());
    assert_eq!(
        app.get(&format!("{base}/withdraw")).await.status(),
        StatusCode::SEE_OTHER
    );

    // Copy it into a new draft.
    let home = app.page("/applicant").await;
    assert_eq!(home.select("#from option").len(), 1);
    let res = app
        .submit(
            "/applicant",
            "/applicant/applications/copy",
            &[("from", &id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let copy = res.headers()["location"].to_str().unwrap().to_string();
    assert_ne!(copy, base);
    let copy_id =
        guantong::domain::ApplicationId(copy.rsplit('/').next().unwrap().parse().unwrap());
    let (old, new) = app.with_conn(|c| {
        (
            guantong::service::draft::read_draft(c, id)
                .unwrap()
                .sections,
            guantong::service::draft::read_draft(c, copy_id)
                .unwrap()
                .sections,
        )
    });
    assert_eq!(old.basic, new.basic);
    assert_eq!(old.employment, new.employment);
    assert_eq!(old.work, new.work);
    assert_eq!(
        new.target.as_ref().unwrap().round_id,
        None,
        "the round is chosen again"
    );
    assert_eq!(
        old.target.as_ref().unwrap().series,
        new.target.as_ref().unwrap().series
    );
    let (old_files, new_files) = (old.evidence_ids(), new.evidence_ids());
    assert_eq!(old_files.len(), new_files.len());
    assert!(!new_files.is_empty());
    assert!(
        new_files.iter().all(|f| !old_files.contains(f)),
        "the copy owns its files"
    );
    let certs = app.page(&format!("{copy}/certificates")).await;
    let link = certs.attr("a.evidence-link", "href").unwrap();
    assert_eq!(app.get(&link).await.status(), StatusCode::OK);
    // The same round may be chosen again: the first application was withdrawn.
    let target = app.page(&format!("{copy}/target")).await;
    assert!(target
        .select("#round_id option")
        .iter()
        .any(|o| o.contains("2026年度工程系列中级评审")));

    // Another applicant cannot copy it.
    let other = another_applicant(&app).await;
    let res = other
        .submit(
            "/applicant",
            "/applicant/applications/copy",
            &[("from", &id.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The employment section refuses a post started in the future and an assessment of a year not
/// yet over, beside the field; overlapping work periods (unusual, allowed) are saved and warned
/// of beside each.
async fn the_impossible_is_refused_and_the_unusual_warned(app: TestApp) {
    let base = start(&app).await;
    let today = app.today();
    let next_year = (chrono::Datelike::year(&today) + 1).to_string();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let code = guantong::demo::demo_employer_code();
    let res = save(
        &app,
        &base,
        "employment",
        &[
            ("employer_code", &code),
            ("department", "焊接车间"),
            ("post", "焊工"),
            ("professional_post", "yes"),
            ("occupation", "焊工"),
            ("since", &tomorrow),
            ("assess0_year", &next_year),
            ("assess0_result", "合格"),
            ("action", "later"),
        ],
    )
    .await;
    let page = read_page(res).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("since").unwrap().contains("不能晚于今天"));
    assert!(page
        .field_error("assess0_year")
        .unwrap()
        .contains("不能晚于今年"));
    assert_eq!(
        page.input_value("since").as_deref(),
        Some(tomorrow.as_str())
    );
    // Two periods that overlap: both saved, each with its warning.
    for (from, to) in [("2010-01-01", "2015-12-31"), ("2015-06-01", "")] {
        let res = save(
            &app,
            &base,
            "work",
            &[
                ("from", from),
                ("to", to),
                ("employer", "某厂"),
                ("occupation", "焊工"),
                ("post", "焊工"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{from}");
    }
    let work = app.page(&format!("{base}/work")).await;
    assert_eq!(work.select("tr.item").len(), 2);
    assert_eq!(work.select(".warning-message.overlap").len(), 2);
    assert!(work.text(".warning-message.overlap").contains("只算一次"));
}

/// Enter pressed in an apprentice's or a renovation's fields adds that row (the form's first
/// button, the one Enter presses, lets the typed part decide), not 保存总结.
async fn enter_in_a_list_row_adds_the_row(app: TestApp) {
    let base = start(&app).await;
    let page = app.page(&format!("{base}/achievements")).await;
    let first = page
        .attr(
            "form[action$=\"/achievements/summary\"] button[type=submit]",
            "formaction",
        )
        .unwrap();
    assert_eq!(first, format!("{base}/achievements/enter"));
    let res = save(
        &app,
        &base,
        "achievements/enter",
        &[
            ("summary", ""),
            ("apprentice_name", "王小军"),
            ("apprentice_period", "2021年3月至2023年3月"),
            ("apprentice_outcome", "取得高级工"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = save(
        &app,
        &base,
        "achievements/enter",
        &[
            ("summary", ""),
            ("renovation_title", "焊接夹具改进"),
            ("renovation_date", "2023-05-01"),
            ("renovation_role", "主持"),
            ("renovation_description", "效率提高三成"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&format!("{base}/achievements")).await;
    let text = page.html.html();
    assert!(text.contains("王小军") && text.contains("焊接夹具改进"));
}
