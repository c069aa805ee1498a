//! Registration of applicants and employers, and each way it can be refused.

use crate::helpers::{assert_redirect_to, read_page, TestApp};
use guantong::demo::{credit_code_with_check, id_number_with_check};
use reqwest::StatusCode;

crate::tests!(
    both: [applicant_registers_and_sees_id_masked, applicant_registration_refuses_each_bad_input, duplicate_applicants_are_refused, employer_registers_with_a_valid_code, employer_code_failing_its_check_needs_confirmation, employer_registration_refuses_bad_input_and_duplicates],
);

/// Form fields as (name, value) pairs.
type Fields<'a> = Vec<(&'a str, &'a str)>;

fn applicant_fields<'a>(id: &'a str, mobile: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "王小明"),
        ("id_number", id),
        ("mobile", mobile),
        ("password", "secret-2026"),
        ("password_confirm", "secret-2026"),
    ]
}

async fn register_applicant(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.submit("/register/applicant", "/register/applicant", fields)
        .await
}

async fn applicant_registers_and_sees_id_masked(app: TestApp) {
    let id = id_number_with_check("31011519900101123");
    let res = register_applicant(&app, &applicant_fields(&id, "13912345678")).await;
    assert_redirect_to(&res, guantong::web::public::register::AFTER_REGISTERING);
    // Registering logs nobody in: the person logs in, and lands on the welcome.
    let res = app
        .submit(
            "/login",
            "/login",
            &[
                ("login", "13912345678"),
                ("password", "secret-2026"),
                ("next", "/applicant?welcome=1"),
            ],
        )
        .await;
    assert_redirect_to(&res, "/applicant?welcome=1");
    let page = app.page("/applicant?welcome=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "王小明，您好");
    assert_eq!(
        page.text(".id-masked"),
        format!("310**************{}", &id[17..])
    );
    assert!(page.text(".notice").contains("13912345678"));
    // The full number appears nowhere on the page.
    assert!(!page.html.html().contains(&id));
    // The new account logs in with its mobile number.
    app.logout().await;
    assert_redirect_to(&app.login("13912345678", "secret-2026").await, "/applicant");
    // Typed as people type it: with spaces, as registration accepted it.
    app.logout().await;
    assert_redirect_to(
        &app.login(" 139 1234 5678 ", "secret-2026").await,
        "/applicant",
    );
}

async fn applicant_registration_refuses_each_bad_input(app: TestApp) {
    let before = app.account_count();
    let good_id = id_number_with_check("31011519900101123");
    let wrong_check = format!(
        "{}{}",
        &good_id[..17],
        if good_id.ends_with('0') { '1' } else { '0' }
    );
    let cases: Vec<(Fields, &str, &str)> = vec![
        (
            applicant_fields(&wrong_check, "13912345678"),
            "id_number",
            "居民身份证号校验码不正确，请核对后重新输入",
        ),
        (
            applicant_fields("3101151990010112", "13912345678"),
            "id_number",
            "居民身份证号应为18位",
        ),
        (
            applicant_fields(&good_id, "1391234567"),
            "mobile",
            "手机号码应为11位数字，以13至19开头",
        ),
        (
            vec![
                ("name", "王小明"),
                ("id_number", &good_id),
                ("mobile", "13912345678"),
                ("password", "short1"),
                ("password_confirm", "short1"),
            ],
            "password",
            "密码至少8位，且须同时包含字母和数字",
        ),
        (
            vec![
                ("name", "王小明"),
                ("id_number", &good_id),
                ("mobile", "13912345678"),
                ("password", "onlyletters"),
                ("password_confirm", "onlyletters"),
            ],
            "password",
            "密码须同时包含字母和数字",
        ),
        (
            vec![
                ("name", "王小明"),
                ("id_number", &good_id),
                ("mobile", "13912345678"),
                ("password", "secret-2026"),
                ("password_confirm", "secret-2027"),
            ],
            "password_confirm",
            "两次输入的密码不一致",
        ),
    ];
    for (fields, field, message) in cases {
        let page = read_page(register_applicant(&app, &fields).await).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        page.assert_errors_linked(&[field]);
        assert_eq!(page.field_error(field).as_deref(), Some(message));
        // What was typed is still there (passwords and the ID number are never sent back).
        assert_eq!(page.input_value("id_number").as_deref(), Some(""));
        for (name, value) in fields
            .iter()
            .filter(|(n, _)| !n.starts_with("password") && *n != "id_number")
        {
            assert_eq!(
                page.input_value(name).as_deref(),
                Some(*value),
                "{name} kept"
            );
        }
    }
    // Everything empty: every field named, in form order.
    let page = read_page(register_applicant(&app, &[]).await).await;
    page.assert_errors_linked(&["name", "id_number", "mobile", "password"]);
    assert_eq!(page.field_error("name").as_deref(), Some("请输入姓名"));
    assert_eq!(app.account_count(), before, "nothing was stored");
}

async fn duplicate_applicants_are_refused(app: TestApp) {
    let id = id_number_with_check("31011519900101123");
    let other_id = id_number_with_check("31011519920202124");
    assert_eq!(
        register_applicant(&app, &applicant_fields(&id, "13912345678"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let count = app.account_count();
    // The same answer as a new account (tests/api/privacy.rs has the whole story), and nothing
    // made.
    for fields in [
        applicant_fields(&id.to_lowercase(), "13912345679"),
        applicant_fields(&other_id, "13912345678"),
    ] {
        let res = register_applicant(&app, &fields).await;
        assert_redirect_to(&res, guantong::web::public::register::AFTER_REGISTERING);
    }
    assert_eq!(app.account_count(), count);
}

fn employer_fields<'a>(code: &'a str, confirmed: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "上海测试精密机械有限公司"),
        ("credit_code", code),
        ("credit_code_confirmed", confirmed),
        ("contact_name", "刘洋"),
        ("contact_phone", "13712345678"),
        ("password", "hr-pass-2026"),
        ("password_confirm", "hr-pass-2026"),
    ]
}

/// Posts the employer registration (a multipart form, with a licence scan unless `None`).
pub async fn register_employer(
    app: &TestApp,
    fields: &[(&str, &str)],
    licence: Option<&[u8]>,
) -> reqwest::Response {
    let mut form = crate::helpers::Fields::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = licence {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec())
            .file_name("营业执照.pdf")
            .mime_str("application/pdf")
            .unwrap();
        form = form.part("licence", part);
    }
    app.submit_multipart("/register/employer", "/register/employer", form)
        .await
}

/// The admin verifies the newest pending claim for `code`.
pub async fn admin_verifies(app: &TestApp, code: &str) {
    let admin = app.share();
    admin
        .login("demo-admin", guantong::demo::DEMO_PASSWORD)
        .await;
    let page = admin.page("/admin/employers").await;
    let claims = page.select(".claim .claim-code");
    let index = claims
        .iter()
        .rposition(|c| c == code)
        .expect("a pending claim");
    let ids: Vec<String> = {
        let sel = scraper::Selector::parse(".claim").unwrap();
        page.html
            .select(&sel)
            .map(|e| {
                e.value()
                    .attr("id")
                    .unwrap()
                    .trim_start_matches("claim-")
                    .to_string()
            })
            .collect()
    };
    let res = admin
        .submit(
            "/admin/employers",
            &format!("/admin/employers/{}/verify", ids[index]),
            &[],
        )
        .await;
    assert_redirect_to(&res, "/admin/employers?done=verified");
}

const PDF: &[u8] = crate::applications::PDF;

async fn employer_registers_with_a_valid_code(app: TestApp) {
    app.load_demo();
    let code = credit_code_with_check("91310000MA1FL8TE2");
    let res = register_employer(&app, &employer_fields(&code, ""), Some(PDF)).await;
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/register/employer/submitted?claim="),
        "{location}"
    );
    let page = app.page(&location).await;
    assert!(page.text("h1").contains("注册申请已提交"));
    // Before an admin checks the licence, the code does not log in.
    let page = read_page(app.login(&code, "hr-pass-2026").await).await;
    assert_eq!(
        page.field_error("password").as_deref(),
        Some("登录名或密码不正确")
    );
    admin_verifies(&app, &code).await;
    assert_redirect_to(&app.login(&code, "hr-pass-2026").await, "/employer");
    // A lowercase credit code logs in too.
    app.logout().await;
    assert_redirect_to(
        &app.login(&code.to_lowercase(), "hr-pass-2026").await,
        "/employer",
    );
    assert_eq!(
        app.page("/employer").await.text("h1"),
        "上海测试精密机械有限公司"
    );
}

async fn employer_code_failing_its_check_needs_confirmation(app: TestApp) {
    app.load_demo();
    let good = credit_code_with_check("91310000MA1FL8TE2");
    let bad_check = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let page =
        read_page(register_employer(&app, &employer_fields(&bad_check, ""), Some(PDF)).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_errors_linked(&["credit_code"]);
    assert!(page
        .field_error("credit_code")
        .unwrap()
        .contains("校验位不符"));
    assert!(
        page.attr("input[name=credit_code_confirmed]", "type")
            .is_some(),
        "the confirmation box is offered"
    );
    assert_eq!(
        page.input_value("credit_code").as_deref(),
        Some(bad_check.as_str())
    );
    // Confirmed, the claim is filed; once verified, the code is remembered as unverified.
    let res = register_employer(&app, &employer_fields(&bad_check, "yes"), Some(PDF)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    admin_verifies(&app, &bad_check).await;
    app.login(&bad_check, "hr-pass-2026").await;
    assert!(app
        .page("/employer")
        .await
        .text("dl.summary")
        .contains("校验位不符，已由单位确认"));
}

async fn employer_registration_refuses_bad_input_and_duplicates(app: TestApp) {
    app.load_demo();
    let page = read_page(
        register_employer(
            &app,
            &employer_fields("91310000MA1FL8TEO", "yes"),
            Some(PDF),
        )
        .await,
    )
    .await;
    assert_eq!(
        page.field_error("credit_code").as_deref(),
        Some("统一社会信用代码应为18位")
    );
    let page = read_page(
        register_employer(
            &app,
            &employer_fields("91310000MA1FL8TEOI", "yes"),
            Some(PDF),
        )
        .await,
    )
    .await;
    assert!(page
        .field_error("credit_code")
        .unwrap()
        .contains("不含 I、O、S、V、Z"));
    let page = read_page(register_employer(&app, &[], None).await).await;
    page.assert_errors_linked(&[
        "name",
        "credit_code",
        "contact_name",
        "contact_phone",
        "password",
        "licence",
    ]);
    // A name with a direction override is refused.
    let code = credit_code_with_check("91310000MA1FL8TE2");
    let mut fields = employer_fields(&code, "");
    fields[0] = ("name", "上海\u{202E}司公限有");
    let page = read_page(register_employer(&app, &fields, Some(PDF)).await).await;
    assert!(page
        .field_error("name")
        .unwrap()
        .contains("文字方向控制字符"));
    // Once a verified employer holds a code, a new claim on it is refused.
    register_employer(&app, &employer_fields(&code, ""), Some(PDF)).await;
    admin_verifies(&app, &code).await;
    let page = read_page(
        register_employer(&app, &employer_fields(&code.to_lowercase(), ""), Some(PDF)).await,
    )
    .await;
    page.assert_errors_linked(&["credit_code"]);
    assert!(page
        .field_error("credit_code")
        .unwrap()
        .contains("已由通过认证的单位使用"));
}
