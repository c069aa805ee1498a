//! `guantong check`, run as the built binary on JSON, CSV and bad input.

use std::io::Write;
use std::process::{Command, Stdio};

crate::tests!(
    sync: [one_object_in_one_verdict_out, an_array_in_an_array_out_in_order_from_a_file, bad_input_exits_2_naming_the_first_bad_field, other_pathways_fields_are_checked_then_ignored, csv_in_csv_out, csv_ids_come_out_as_text_never_formulas, csv_errors_name_the_row_and_field, the_catalogue_comes_from_the_database_when_named, dates_are_exactly_yyyy_mm_dd_of_a_real_day_from_1900_to_2200, work_counts_as_declared_also_past_the_reference_date, shortfalls_are_exact, the_checker_streams_and_stops_at_a_bad_record],
);

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guantong"));
    cmd.arg("check")
        .args(args)
        .env_remove("GUANTONG_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run guantong");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

const WELDER: &str = r#"{"pathway":"title","reference_date":"2026-07-01","occupation":"焊工","series":"工程","target_level":"中级",
 "skill_certificates":[{"occupation":"焊工","level":"技师","obtained_on":"2024-03-01"}],
 "work":[{"occupation":"焊工","from":"2015-01-01","to":null}],
 "annual_assessments":[{"year":2023,"result":"合格"},{"year":2024,"result":"优秀"},{"year":2025,"result":"良好"}],
 "honours":["上海市技术能手"],"frontline":true,"exceptional":true}"#;

const ENGINEER: &str = r#"{"pathway":"skill","reference_date":"2026-01-01","occupation":"焊工","target_level":"技师",
 "titles":[{"series":"工程","level":"中级","obtained_on":"2020-01-01"}],"diploma_major_related":true,
 "series":"工程","honours":["全国技术能手"],"exceptional":true}"#;

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON out")
}

fn one_object_in_one_verdict_out() {
    let v = json(&check(&[], WELDER, &[]));
    assert!(v.is_object());
    assert_eq!(v["eligible"], false);
    assert_eq!(v["highest_level"], "初级");
    assert_eq!(v["eligible_from"], "2027-03-01");
    let routes: Vec<&str> = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["route"].as_str().unwrap())
        .collect();
    assert_eq!(routes, ["seniority", "honour", "exceptional"]);
    assert_eq!(v["routes"][0]["unmet"][0]["condition"], "years");
    assert_eq!(
        v["routes"][1]["unmet"][0]["condition"],
        "level_not_reachable"
    );
    assert_eq!(v["routes"][2]["status"], "needs_verification");
}

fn an_array_in_an_array_out_in_order_from_a_file() {
    let path = std::env::temp_dir().join(format!("guantong-check-{}.json", std::process::id()));
    std::fs::write(&path, format!("[{ENGINEER}, {WELDER}]")).unwrap();
    let v = json(&check(&[path.to_str().unwrap()], "", &[]));
    std::fs::remove_file(&path).ok();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["pathway"], "skill");
    assert_eq!(items[0]["eligible"], true);
    assert_eq!(items[0]["theory_exam_exempt"], true);
    assert_eq!(items[1]["pathway"], "title");
    // `-` is standard input too.
    assert_eq!(
        json(&check(&["-"], &format!("[{WELDER}]"), &[]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

fn bad_input_exits_2_naming_the_first_bad_field() {
    let with = |from: &str, to: &str| WELDER.replacen(from, to, 1);
    let cases = [
        (
            format!("[{ENGINEER}, {}]", with("\"2024-03-01\"", "\"2024-3-1\"")),
            "[1].skill_certificates[0].obtained_on: not a date (YYYY-MM-DD)",
        ),
        (with("\"series\":\"工程\",", ""), "series: missing"),
        (
            with("\"frontline\":true", "\"frontline\":true,\"frontlin\":true"),
            "frontlin: unknown field",
        ),
        (
            with("上海市技术能手", "上海技术能手"),
            "honours[0]: unknown honour \"上海技术能手\"",
        ),
        (
            with("\"to\":null", "\"to\":\"2014-12-31\""),
            "work[0].to: before from",
        ),
        (
            with("{\"year\":2025", "{\"year\":2024"),
            "annual_assessments[2].year: duplicate year 2024",
        ),
        (
            with("\"result\":\"合格\"", "\"result\":\"及格\""),
            "annual_assessments[0].result: expected",
        ),
        (
            with("\"frontline\":true", "\"frontline\":null"),
            "frontline: not a boolean",
        ),
        (
            with("\"target_level\":\"中级\"", "\"target_level\":\"技师\""),
            "target_level: expected 初级, 中级, 副高级 or 正高级",
        ),
        (
            with("\"level\":\"技师\"", "\"level\":\"技师\",\"note\":1"),
            "skill_certificates[0].note: unknown field",
        ),
        (
            with("\"pathway\":\"title\"", "\"pathway\":\"titles\""),
            "pathway: expected",
        ),
        // Document order: reference_date comes before the bad honour.
        (
            with("\"2026-07-01\"", "\"tomorrow\"").replace("上海市技术能手", "x"),
            "reference_date: not a date (YYYY-MM-DD)",
        ),
        // Inside an item too: a bad value present is reported before a missing one.
        (
            with(
                "{\"occupation\":\"焊工\",\"level\":\"技师\",\"obtained_on\":\"2024-03-01\"}",
                "{\"occupation\":\"焊工\",\"obtained_on\":\"3/1/2024\"}",
            ),
            "skill_certificates[0].obtained_on: not a date (YYYY-MM-DD)",
        ),
        (
            with(
                "{\"occupation\":\"焊工\",\"level\":\"技师\",\"obtained_on\":\"2024-03-01\"}",
                "{\"occupation\":\"焊工\",\"obtained_on\":\"2024-03-01\"}",
            ),
            "skill_certificates[0].level: missing",
        ),
        (
            with("\"from\":\"2015-01-01\"", "\"from\":null"),
            "work[0].from: not a date (YYYY-MM-DD)",
        ),
        (
            with("{\"year\":2023", "{\"year\":\"2023\""),
            "annual_assessments[0].year: not a year",
        ),
        ("{not json".to_string(), "input: not valid JSON"),
        (
            "42".to_string(),
            "input: expected a JSON object or an array of objects",
        ),
    ];
    for (input, expected) in cases {
        let run = check(&[], &input, &[]);
        assert_eq!(run.code, 2, "{expected}: stdout {}", run.stdout);
        // Verdicts before the bad record stay on stdout (the run is incomplete); a lone object
        // writes nothing.
        if !input.starts_with('[') {
            assert!(run.stdout.is_empty(), "{expected}: {}", run.stdout);
        }
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(
            run.stderr.starts_with(expected),
            "expected {expected:?}, got {:?}",
            run.stderr
        );
    }
}

fn other_pathways_fields_are_checked_then_ignored() {
    let v = json(&check(&[], ENGINEER, &[]));
    assert_eq!(v["eligible"], true);
    assert_eq!(
        v["routes"].as_array().unwrap().len(),
        1,
        "no honour or exceptional route"
    );
    // Checked like any other field on either pathway, in JSON as in CSV.
    for (from, to, expected) in [
        (
            "全国技术能手",
            "世界冠军",
            "honours[0]: unknown honour \"世界冠军\"",
        ),
        (
            "\"exceptional\":true",
            "\"exceptional\":\"yes\"",
            "exceptional: not a boolean",
        ),
        (
            "\"series\":\"工程\",\"honours\"",
            "\"series\":7,\"honours\"",
            "series: not a string",
        ),
    ] {
        let run = check(&[], &ENGINEER.replacen(from, to, 1), &[]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.starts_with(expected),
            "{expected}: {}",
            run.stderr
        );
    }
    let run = check(
        &[],
        &WELDER.replacen(
            "\"exceptional\":true",
            "\"exceptional\":true,\"diploma_major_related\":1",
            1,
        ),
        &[],
    );
    assert!(
        run.stderr
            .starts_with("diploma_major_related: not a boolean"),
        "{}",
        run.stderr
    );
    let csv_skill = |honours: &str, exceptional: &str| {
        format!("{}E009,skill,2026-01-01,焊工,工程,技师,,工程:中级:2020-01-01,,,{honours},,{exceptional},是\n",
            HR_LIST.lines().next().unwrap().to_string() + "\n")
    };
    let run = check(&["--csv"], &csv_skill("全国技术能手", "是"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("E009,true"), "{}", run.stdout);
    let run = check(&["--csv"], &csv_skill("世界冠军", ""), &[]);
    assert!(
        run.stderr.starts_with("[0].honours[0]: unknown honour"),
        "{}",
        run.stderr
    );
    let run = check(&["--csv"], &csv_skill("", "maybe"), &[]);
    assert!(
        run.stderr.starts_with("[0].exceptional: not a boolean"),
        "{}",
        run.stderr
    );
    let v = json(&check(
        &[],
        &WELDER.replacen(
            "\"exceptional\":true",
            "\"exceptional\":true,\"diploma_major_related\":true",
            1,
        ),
        &[],
    ));
    assert_eq!(v["theory_exam_exempt"], serde_json::Value::Null);
}

const HR_LIST: &str = "\
id,pathway,reference_date,occupation,series,target_level,skill_certificates,titles,work,annual_assessments,honours,frontline,exceptional,diploma_major_related
E001,title,2026-07-01,焊工,工程,中级,焊工:技师:2022-03-01,,焊工:2015-01-01:,2023:合格;2024:优秀;2025:良好,,,,
E002,title,2026-07-01,焊工,工程,中级,焊工:技师:2024-03-01,,焊工:2015-01-01:,2023:合格;2024:优秀;2025:良好,上海市技术能手,是,否,
E003,skill,2026-01-01,焊工,,技师,,工程:中级:2020-01-01,,,,,,是
";

fn csv_in_csv_out() {
    let run = check(&["--csv"], HR_LIST, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |row: &csv::StringRecord, name: &str| {
        row[headers.iter().position(|h| h == name).unwrap()].to_string()
    };
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (col(&rows[0], "id"), col(&rows[0], "eligible")),
        ("E001".into(), "true".into())
    );
    assert_eq!(col(&rows[1], "eligible"), "false");
    assert_eq!(col(&rows[1], "eligible_from"), "2027-03-01");
    assert!(col(&rows[1], "routes").contains("honour:上海市技术能手=not_eligible(初级)"));
    assert_eq!(
        (
            col(&rows[2], "eligible"),
            col(&rows[2], "theory_exam_exempt")
        ),
        ("true".into(), "true".into())
    );
}

/// An `id` cell that a spreadsheet would run as a formula comes out as text (a leading `'`).
fn csv_ids_come_out_as_text_never_formulas() {
    let ids = [
        "=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")",
        "+1",
        "-1",
        "@SUM(A1)",
    ];
    let mut input = HR_LIST.lines().take(2).collect::<Vec<_>>().join("\n") + "\n";
    let row = HR_LIST.lines().nth(1).unwrap();
    for id in ids {
        input.push_str(&row.replacen("E001", &format!("\"{id}\""), 1));
        input.push('\n');
    }
    let run = check(&["--csv"], &input, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let out: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    assert_eq!(out[0], "E001");
    for cell in &out[1..] {
        assert!(cell.starts_with('\''), "{cell} is live in a spreadsheet");
    }
    assert_eq!(out[2], "'+1");
    assert!(!run.stdout.starts_with('\u{feff}'), "a program reads this");
}

fn csv_errors_name_the_row_and_field() {
    let bad = HR_LIST.replace("焊工:技师:2024-03-01", "焊工:技师:2024-13-01");
    let run = check(&["--csv"], &bad, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "[1].skill_certificates[0].obtained_on: not a date (YYYY-MM-DD) (CSV line 3)"
        ),
        "{}",
        run.stderr
    );
    let run = check(
        &["--csv"],
        &HR_LIST.replace("焊工:技师:2024-03-01", "焊工-技师"),
        &[],
    );
    assert!(
        run.stderr
            .starts_with("[1].skill_certificates[0]: expected occupation:level:YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    let run = check(&["--csv"], &HR_LIST.replacen("frontline", "front", 1), &[]);
    assert!(
        run.stderr.starts_with("header.front: unknown column"),
        "{}",
        run.stderr
    );
    let run = check(&["--csv"], &HR_LIST.replace(",是,否,", ",maybe,否,"), &[]);
    assert!(
        run.stderr.starts_with("[1].frontline: not a boolean"),
        "{}",
        run.stderr
    );
}

fn the_catalogue_comes_from_the_database_when_named() {
    let dir = std::env::temp_dir().join(format!(
        "guantong-check-db-{}",
        guantong::password::random_token(6)
    ));
    let db = dir.join("g.db");
    let url = db.to_str().unwrap().to_string();
    let pool = guantong::open_database(&guantong::Config::for_database(&url)).unwrap();
    let now = guantong::store::to_db_time(chrono::Utc::now());
    let mut conn = pool.get().unwrap();
    // With the shipped catalogue loaded on first start, the answer is the default one…
    let eligible = WELDER.replace("2024-03-01", "2022-03-01");
    assert_eq!(
        json(&check(&[], &eligible, &[("GUANTONG_DATABASE_URL", &url)]))["eligible"],
        true
    );
    // …and an administrator's change to the catalogue changes it.
    assert!(
        guantong::service::catalogue::set_series_open(&mut conn, None, "工程", false, now).unwrap()
    );
    let v = json(&check(&[], &eligible, &[("GUANTONG_DATABASE_URL", &url)]));
    assert_eq!(v["eligible"], false);
    assert_eq!(v["unmet"][0]["condition"], "series_open");
    // Without the variable, the shipped defaults.
    assert_eq!(json(&check(&[], &eligible, &[]))["eligible"], true);
    drop(conn);
    drop(pool);
    std::fs::remove_dir_all(&dir).ok();
}

fn dates_are_exactly_yyyy_mm_dd_of_a_real_day_from_1900_to_2200() {
    for bad in [
        "+2026-1-01",
        " 2022-6-30",
        "2020- 1-01",
        "-001-01-01",
        "0000-01-01",
        "2026-1-01",
        "2026-02-29",
        "1899-12-31",
        "2201-01-01",
        "2026/07/01",
    ] {
        let run = check(&[], &WELDER.replacen("2026-07-01", bad, 1), &[]);
        assert_eq!(run.code, 2, "{bad:?} was accepted: {}", run.stdout);
        assert!(
            run.stderr
                .starts_with("reference_date: not a date (YYYY-MM-DD)"),
            "{bad:?}: {}",
            run.stderr
        );
        let row = HR_LIST.replacen(
            "焊工:技师:2022-03-01",
            &format!("焊工:技师:{}", bad.trim()),
            1,
        );
        if bad.trim() != bad {
            continue;
        }
        let run = check(&["--csv"], &row, &[]);
        assert_eq!(run.code, 2, "CSV {bad:?}");
        assert!(
            run.stderr
                .starts_with("[0].skill_certificates[0].obtained_on: not a date"),
            "{bad:?}: {}",
            run.stderr
        );
    }
    // The edges of the range are dates.
    let run = check(
        &[],
        &WELDER.replacen("\"2015-01-01\"", "\"1900-01-01\"", 1),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A technician since 2024 whose declared history ends on 2026-06-30 and resumes on 2027-02-01.
const DECLARED: &str = r#"{"pathway":"title","reference_date":"2025-06-01","occupation":"焊工","series":"工程","target_level":"中级",
 "skill_certificates":[{"occupation":"焊工","level":"技师","obtained_on":"2024-01-01"}],
 "work":[{"occupation":"焊工","from":"2018-01-01","to":"2026-06-30"},{"occupation":"焊工","from":"2027-02-01","to":null}],
 "annual_assessments":[{"year":2022,"result":"合格"},{"year":2023,"result":"合格"},{"year":2024,"result":"合格"}]}"#;

fn work_counts_as_declared_also_past_the_reference_date() {
    let v = json(&check(&[], DECLARED, &[]));
    assert_eq!(v["eligible"], false);
    assert_eq!(v["eligible_from"], "2027-08-04");
    let unmet = &v["routes"][0]["unmet"][0];
    assert_eq!(unmet["condition"], "years");
    assert_eq!(unmet["eligible_from"], "2027-08-04");
    // Exact, never rounded.
    assert!(
        unmet["message"]
            .as_str()
            .unwrap()
            .contains("还差 2 年 2 个月 3 天"),
        "{unmet}"
    );
    assert!(v["message"].as_str().unwrap().contains("2027-08-04"));
    // Without the later period, the declared end means waiting is not enough.
    let ended = DECLARED.replacen(
        r#",{"occupation":"焊工","from":"2027-02-01","to":null}"#,
        "",
        1,
    );
    let v = json(&check(&[], &ended, &[]));
    assert_eq!(v["eligible_from"], serde_json::Value::Null);
    // The same in CSV.
    let header = HR_LIST.lines().next().unwrap();
    let row = format!("{header}\nD1,title,2025-06-01,焊工,工程,中级,焊工:技师:2024-01-01,,焊工:2018-01-01:2026-06-30;焊工:2027-02-01:,2022:合格;2023:合格;2024:合格,,,,\n");
    let run = check(&["--csv"], &row, &[]);
    assert!(run.stdout.contains(",2027-08-04,"), "{}", run.stdout);
}

fn shortfalls_are_exact() {
    // 技师 on 2023-06-11, reference 2025-06-01: 3 years reached 2026-06-11, 1 year 10 days away.
    let p = WELDER
        .replacen("2024-03-01", "2023-06-11", 1)
        .replacen("2026-07-01", "2025-06-01", 1);
    let v = json(&check(
        &[],
        &p.replace("2025,\"result\":\"良好\"", "2022,\"result\":\"良好\""),
        &[],
    ));
    let message = v["routes"][0]["unmet"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("还差 1 年 10 天"), "{message}");
    assert_eq!(v["routes"][0]["unmet"][0]["eligible_from"], "2026-06-11");
}

fn the_checker_streams_and_stops_at_a_bad_record() {
    let good = WELDER.to_string();
    let bad = WELDER.replacen("\"2024-03-01\"", "\"2024-3-01\"", 1);
    let input = format!("[{good},{good},{bad},{good}]");
    let run = check(&[], &input, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "[2].skill_certificates[0].obtained_on: not a date (YYYY-MM-DD)"
    );
    assert!(run.stdout.starts_with('['));
    assert_eq!(
        run.stdout.matches("\"pathway\"").count(),
        2,
        "the two verdicts before it stand"
    );
    // A whole run is valid JSON, in input order.
    let many = format!("[{}]", vec![good.as_str(); 50].join(","));
    let v = json(&check(&[], &many, &[]));
    assert_eq!(v.as_array().unwrap().len(), 50);
    assert_eq!(json(&check(&[], "[]", &[])), serde_json::json!([]));
    // Broken JSON part-way: the error names the element it stopped at.
    let run = check(&[], &format!("[{good},{{\"pathway\":"), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("[1]: not valid JSON"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout.matches("\"pathway\"").count(), 1);
    // CSV stops at the bad row too, keeping the rows before it.
    let bad_csv = HR_LIST.replacen("焊工:技师:2024-03-01", "焊工:技师:2024-13-01", 1);
    let run = check(&["--csv"], &bad_csv, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stdout.lines().count(),
        2,
        "header and the first row: {}",
        run.stdout
    );
}
