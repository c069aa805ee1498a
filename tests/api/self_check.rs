//! The public self-check page: the verdict in plain Chinese, errors beside the fields, nothing stored.

use crate::helpers::{read_page, TestApp};
use reqwest::StatusCode;

crate::tests!(
    both: [self_check_dates_are_strict_and_periods_count_as_declared, self_check_explains_the_verdict, self_check_refuses_bad_input_and_keeps_it, self_check_skill_pathway, self_check_refuses_certificates_held_after_the_reference_date, self_check_says_each_date_once_in_one_format],
);

fn welder(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut f = vec![
        ("pathway", "title"),
        ("reference_date", "2026-07-01"),
        ("occupation", "焊工"),
        ("series", "工程"),
        ("target_title", "中级"),
        ("cert0_occupation", "焊工"),
        ("cert0_level", "技师"),
        ("cert0_date", "2024-03-01"),
        ("work0_occupation", "焊工"),
        ("work0_from", "2015-01-01"),
        ("assess0_year", "2023"),
        ("assess0_result", "合格"),
        ("assess1_year", "2024"),
        ("assess1_result", "优秀"),
        ("assess2_year", "2025"),
        ("assess2_result", "良好"),
    ];
    f.extend_from_slice(extra);
    f
}

async fn self_check_explains_the_verdict(app: TestApp) {
    // No login needed.
    let page = app.page("/self-check").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .input_value("reference_date")
        .is_some_and(|d| d.len() == 10));
    let accounts = app.account_count();
    let extra = [
        ("honour", "上海市技术能手"),
        ("frontline", "yes"),
        ("exceptional", "yes"),
    ];
    let page = read_page(
        app.submit("/self-check", "/self-check", &welder(&extra))
            .await,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".verdict-headline"), "暂不符合申报中级的条件");
    assert!(page.text(".verdict-from").contains("2027-03-01"));
    assert_eq!(page.text(".verdict-highest"), "初级");
    let names = page.select(".verdict-routes .route-name");
    assert_eq!(
        names,
        [
            "任职资历（取得技能等级后的工作年限）",
            "荣誉：上海市技术能手",
            "破格申报"
        ]
    );
    assert_eq!(
        page.select(".route-status"),
        ["不符合", "不符合", "需评委会核实"]
    );
    let clauses = page.select(".route-clauses");
    assert_eq!(clauses[0], "§2.2.3 任职资历条件");
    assert_eq!(clauses[1], "§2.2.4 建立绿色通道");
    let reasons = page.select(".route-unmet");
    assert!(reasons[0].contains("按此途径目前可达初级"), "{reasons:?}");
    assert!(reasons[1].contains("还差 8 个月"), "{reasons:?}");
    // What was entered is still on the page.
    assert_eq!(
        page.input_value("cert0_date").as_deref(),
        Some("2024-03-01")
    );
    assert_eq!(page.attr("#pathway-title", "checked").as_deref(), Some(""));
    assert_eq!(page.attr("#frontline", "checked").as_deref(), Some(""));
    // Three years after the certificate: eligible.
    let mut fields = welder(&[]);
    fields.retain(|(k, _)| *k != "cert0_date");
    fields.push(("cert0_date", "2023-03-01"));
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    assert_eq!(page.text(".verdict-headline"), "符合条件：可以申报中级");
    // A closed series cites §2.1 and consistency cites §1.2.3.
    let mut fields = welder(&[]);
    fields.retain(|(k, _)| *k != "series");
    fields.push(("series", "会计"));
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    let common = page.select(".verdict-common li");
    assert!(common[0].starts_with("§2.1 扩大贯通领域"), "{common:?}");
    assert!(common[1].starts_with("§1.2.3 坚持专业一致"), "{common:?}");
    assert_eq!(app.account_count(), accounts, "nothing stored");
}

async fn self_check_refuses_bad_input_and_keeps_it(app: TestApp) {
    let fields = [
        ("pathway", "title"),
        ("reference_date", "2026-13-01"),
        ("occupation", ""),
        ("series", "工程"),
        ("target_title", ""),
        ("cert0_occupation", "焊工"),
        ("cert0_level", ""),
        ("cert0_date", "去年"),
        ("work0_occupation", "焊工"),
        ("work0_from", "2020-01-01"),
        ("work0_to", "2019-01-01"),
        ("assess0_year", "2024"),
        ("assess0_result", "合格"),
        ("assess1_year", "2024"),
        ("assess1_result", "优秀"),
        ("honour", "不存在的荣誉"),
    ];
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.select(".verdict").is_empty());
    let summary: Vec<String> = page
        .error_summary()
        .into_iter()
        .map(|(href, _)| href)
        .collect();
    assert_eq!(
        summary,
        [
            "#reference_date",
            "#occupation",
            "#target_title",
            "#cert0_level",
            "#cert0_date",
            "#work0_to",
            "#assess1_year",
            "#honours"
        ]
    );
    assert_eq!(
        page.field_error("work0_to").as_deref(),
        Some("第1段工作经历的结束日期早于开始日期")
    );
    assert_eq!(
        page.field_error("assess1_year").as_deref(),
        Some("2024年度重复填写")
    );
    assert_eq!(
        page.input_value("reference_date").as_deref(),
        Some("2026-13-01")
    );
    assert_eq!(page.input_value("cert0_date").as_deref(), Some("去年"));
    // "Add another" shows the form again with one more row, keeping everything, deciding nothing.
    let mut with_add = fields.to_vec();
    with_add.push(("add", "work"));
    let page = read_page(app.submit("/self-check", "/self-check", &with_add).await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.error_summary().is_empty() && page.select(".verdict").is_empty());
    assert_eq!(page.input_value("work3_from").as_deref(), Some(""));
    assert_eq!(page.input_value("cert0_date").as_deref(), Some("去年"));
    // Rows sent beyond the first three are read, up to a limit.
    let mut many = fields.to_vec();
    many.extend([
        ("work3_occupation", "焊工"),
        ("work3_from", "2000-13-01"),
        ("work99_from", "2000-01-01"),
    ]);
    let page = read_page(app.submit("/self-check", "/self-check", &many).await).await;
    assert_eq!(
        page.field_error("work3_from").as_deref(),
        Some("请填写第4段工作经历的开始日期，如 2015-07-01")
    );
    assert!(page.input_value("work99_from").is_none());
    // Dates far outside a career are refused, not computed (no overflow, no 500).
    let mut far = fields.to_vec();
    far.retain(|(k, _)| *k != "reference_date");
    far.push(("reference_date", "262142-12-31"));
    let page = read_page(app.submit("/self-check", "/self-check", &far).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.field_error("reference_date").is_some());
    // Without a CSRF token: refused.
    assert_eq!(
        app.post_raw("/self-check", &fields).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn self_check_skill_pathway(app: TestApp) {
    let fields = [
        ("pathway", "skill"),
        ("reference_date", "2026-01-01"),
        ("occupation", "焊工"),
        ("target_skill", "高级技师"),
        ("title0_series", "工程"),
        ("title0_level", "中级"),
        ("title0_date", "2024-01-01"),
        ("work0_occupation", "车工"),
        ("work0_from", "2015-01-01"),
        ("diploma", "yes"),
    ];
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".verdict-headline"), "暂不符合申报高级技师的条件");
    assert!(page.text(".verdict-from").contains("2027-01-01"));
    assert!(page.text(".verdict-theory").contains("免考"));
    assert_eq!(page.select(".route-clauses")[0], "§2.3.1 参评条件");
}

/// The checker's rules hold on the form: strict dates beside their field, periods as declared,
/// exact shortfalls.
async fn self_check_dates_are_strict_and_periods_count_as_declared(app: TestApp) {
    for bad in ["2026-7-01", "+2026-07-01", "2026/07/01", "0000-01-01"] {
        let mut fields = welder(&[]);
        fields[1] = ("reference_date", bad);
        let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        page.assert_errors_linked(&["reference_date"]);
        assert_eq!(
            page.input_value("reference_date").as_deref(),
            Some(bad),
            "kept as typed"
        );
    }
    let declared = [
        ("pathway", "title"),
        ("reference_date", "2025-06-01"),
        ("occupation", "焊工"),
        ("series", "工程"),
        ("target_title", "中级"),
        ("cert0_occupation", "焊工"),
        ("cert0_level", "技师"),
        ("cert0_date", "2024-01-01"),
        ("work0_occupation", "焊工"),
        ("work0_from", "2018-01-01"),
        ("work0_to", "2026-06-30"),
        ("work1_occupation", "焊工"),
        ("work1_from", "2027-02-01"),
        ("assess0_year", "2022"),
        ("assess0_result", "合格"),
        ("assess1_year", "2023"),
        ("assess1_result", "合格"),
        ("assess2_year", "2024"),
        ("assess2_result", "合格"),
    ];
    let page = read_page(app.submit("/self-check", "/self-check", &declared).await).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text(".verdict-from").contains("2027-08-04"));
    assert!(page.select(".route-unmet")[0].contains("还差 2 年 2 个月 3 天"));
}

/// The self-check has no birth date; it refuses only a held certificate or title
/// dated after the reference date (it cannot count towards it).
async fn self_check_refuses_certificates_held_after_the_reference_date(app: TestApp) {
    let mut fields = welder(&[]);
    fields.retain(|(k, _)| *k != "cert0_date");
    fields.push(("cert0_date", "2026-07-02"));
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.field_error("cert0_date").as_deref(),
        Some("第1个证书的取得日期晚于测算日期（2026-07-01）：测算只计入届时已取得的证书")
    );
    assert_eq!(
        page.input_value("cert0_date").as_deref(),
        Some("2026-07-02")
    );
    fields.retain(|(k, _)| *k != "cert0_date");
    fields.push(("cert0_date", "2026-07-01"));
    let page = read_page(app.submit("/self-check", "/self-check", &fields).await).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the reference date itself counts"
    );
}

/// The date a person may apply from is said once in the verdict's message, every
/// date is written and typed as 2027-03-01 (no browser date widget with its own format), and a
/// route that reaches a lower level says so beside 不符合.
async fn self_check_says_each_date_once_in_one_format(app: TestApp) {
    let form = app.page("/self-check").await;
    let date_inputs = form
        .html
        .select(&scraper::Selector::parse("input[type=date]").unwrap())
        .count();
    assert_eq!(date_inputs, 0, "dates are typed as text in one format");
    let page = read_page(app.submit("/self-check", "/self-check", &welder(&[])).await).await;
    let message = page.text(".verdict-message");
    assert_eq!(message.matches("2027-03-01").count(), 1, "{message}");
    assert!(!page.html.html().contains("年03月01日"));
    assert!(page.text(".verdict-from").contains("2027-03-01"));
    let mut senior = welder(&[]);
    senior.retain(|(k, _)| *k != "cert0_level" && *k != "cert0_date");
    senior.extend([("cert0_level", "高级工"), ("cert0_date", "2020-01-01")]);
    let page = read_page(app.submit("/self-check", "/self-check", &senior).await).await;
    let first_route = page.select(".verdict-routes .route").remove(0);
    assert!(first_route.contains("不符合"), "{first_route}");
    assert!(
        first_route.contains("按此途径目前可达初级，低于申报的中级"),
        "{first_route}"
    );
    // A select in error is marked for assistive technology, like every input.
    let mut no_series = welder(&[]);
    no_series.retain(|(k, _)| *k != "series");
    let page = read_page(app.submit("/self-check", "/self-check", &no_series).await).await;
    assert_eq!(
        page.attr("#series", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        page.attr("#series", "aria-describedby").as_deref(),
        Some("series-error")
    );
}
