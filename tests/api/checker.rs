//! `guantong check`, run as the built binary on JSON, CSV and bad input.

use std::io::Write;
use std::process::{Command, Stdio};

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
 "series":"ignored on this pathway","honours":["not checked either"],"exceptional":true}"#;

fn json(run: &Run) -> serde_json::Value {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON out")
}

#[test]
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

#[test]
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

#[test]
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
        assert!(run.stdout.is_empty());
        assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
        assert!(
            run.stderr.starts_with(expected),
            "expected {expected:?}, got {:?}",
            run.stderr
        );
    }
}

#[test]
fn other_pathways_fields_are_accepted_and_ignored() {
    let v = json(&check(&[], ENGINEER, &[]));
    assert_eq!(v["eligible"], true);
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

#[test]
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

#[test]
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

#[test]
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
