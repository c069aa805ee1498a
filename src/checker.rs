//! `guantong check`: profiles in (JSON, or CSV for an employer's HR list), verdicts out, exactly
//! as docs/checker.md says. Input errors name the first bad field by its path.

use crate::policy::{
    evaluate, AnnualAssessment, AssessmentResult, Catalogue, Profile, SkillCertificate, SkillLevel,
    Target, TitleHeld, TitleLevel, Verdict, WorkPeriod,
};
use chrono::NaiveDate;
use serde_json::{Map, Value};

/// The first bad field: its path (`[3].skill_certificates[0].obtained_on`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn err<T>(path: &str, message: impl Into<String>) -> Result<T, InputError> {
    Err(InputError {
        path: path.to_string(),
        message: message.into(),
    })
}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathwayIn {
    Title,
    Skill,
}

fn date(v: &Value, path: &str) -> Result<NaiveDate, InputError> {
    match v.as_str().and_then(crate::domain::date::parse_date) {
        Some(d) => Ok(d),
        None => err(path, "not a date (YYYY-MM-DD)"),
    }
}

fn text(v: &Value, path: &str) -> Result<String, InputError> {
    match v.as_str().map(str::trim) {
        Some("") => err(path, "empty"),
        Some(s) => Ok(s.to_string()),
        None => err(path, "not a string"),
    }
}

fn boolean(v: &Value, path: &str) -> Result<bool, InputError> {
    v.as_bool()
        .map_or_else(|| err(path, "not a boolean (true or false)"), Ok)
}

fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, InputError> {
    v.as_array().map_or_else(|| err(path, "not an array"), Ok)
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, InputError> {
    v.as_object().map_or_else(|| err(path, "not an object"), Ok)
}

/// What a nested field must hold.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Date,
    DateOrNull,
    Skill,
    Title,
    Year,
    Result,
}

fn check(kind: Kind, v: &Value, path: &str) -> Result<(), InputError> {
    match kind {
        Kind::Text => text(v, path).map(drop),
        Kind::Date => date(v, path).map(drop),
        Kind::DateOrNull if v.is_null() => Ok(()),
        Kind::DateOrNull => date(v, path).map(drop),
        Kind::Skill => skill_level(v, path).map(drop),
        Kind::Title => title_level(v, path).map(drop),
        Kind::Year => year(v, path).map(drop),
        Kind::Result => assessment_result(v, path).map(drop),
    }
}

/// Reads a nested object: every field checked in document order (unknown fields refused), then
/// the required ones that are missing named. Returns the values in the order of `known`.
fn fields<'a>(
    v: &'a Value,
    path: &str,
    known: &[(&str, Kind)],
    optional: &[&str],
) -> Result<Vec<&'a Value>, InputError> {
    let obj = object(v, path)?;
    for (key, value) in obj {
        match known.iter().find(|(name, _)| name == key) {
            Some((_, kind)) => check(*kind, value, &join(path, key))?,
            None => return err(&join(path, key), "unknown field"),
        }
    }
    known
        .iter()
        .map(|(name, _)| match obj.get(*name) {
            Some(value) => Ok(value),
            None if optional.contains(name) => Ok(&Value::Null),
            None => err(&join(path, name), "missing"),
        })
        .collect()
}

/// Each object of an array field, read with [`fields`]: its path and its values.
fn items<'a>(
    value: &'a Value,
    path: &str,
    known: &[(&str, Kind)],
    optional: &[&str],
) -> Result<Vec<(String, Vec<&'a Value>)>, InputError> {
    array(value, path)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = format!("{path}[{i}]");
            let f = fields(item, &p, known, optional)?;
            Ok((p, f))
        })
        .collect()
}

fn year(v: &Value, path: &str) -> Result<i32, InputError> {
    match v.as_i64() {
        Some(y) if (1900..=9999).contains(&y) => Ok(y as i32),
        _ => err(path, "not a year (an integer such as 2025)"),
    }
}

fn assessment_result(v: &Value, path: &str) -> Result<AssessmentResult, InputError> {
    v.as_str().and_then(AssessmentResult::parse).map_or_else(
        || {
            err(
                path,
                "expected 优秀, 良好, 合格, 称职, 基本合格, 基本称职, 不合格 or 不称职",
            )
        },
        Ok,
    )
}

fn skill_level(v: &Value, path: &str) -> Result<SkillLevel, InputError> {
    v.as_str()
        .and_then(SkillLevel::parse)
        .map_or_else(|| err(path, "expected 高级工, 技师 or 高级技师"), Ok)
}

fn title_level(v: &Value, path: &str) -> Result<TitleLevel, InputError> {
    v.as_str()
        .and_then(TitleLevel::parse)
        .map_or_else(|| err(path, "expected 初级, 中级, 副高级 or 正高级"), Ok)
}

/// Reads one profile; `prefix` is "" for a lone object, "[3]" inside an array.
pub fn parse_profile(
    v: &Value,
    prefix: &str,
    catalogue: &Catalogue,
) -> Result<Profile, InputError> {
    let obj = object(v, if prefix.is_empty() { "input" } else { prefix })?;
    let pathway = match obj.get("pathway").and_then(Value::as_str) {
        Some("title") => Some(PathwayIn::Title),
        Some("skill") => Some(PathwayIn::Skill),
        _ => None,
    };
    let mut reference_date = None;
    let mut occupation = None;
    let mut series = None;
    let mut target: Option<(String, &Value)> = None;
    let mut certs = Vec::new();
    let mut titles = Vec::new();
    let mut work = Vec::new();
    let mut assessments: Vec<AnnualAssessment> = Vec::new();
    let mut honours = Vec::new();
    let (mut frontline, mut exceptional, mut diploma) = (false, false, false);
    // Fields of the other pathway are validated like any other, then play no part.
    let skill = pathway == Some(PathwayIn::Skill);
    let title = pathway == Some(PathwayIn::Title);
    for (key, value) in obj {
        let path = join(prefix, key);
        match key.as_str() {
            "pathway" => {
                if pathway.is_none() {
                    return err(&path, "expected \"title\" or \"skill\"");
                }
            }
            "reference_date" => reference_date = Some(date(value, &path)?),
            "occupation" => occupation = Some(text(value, &path)?),
            "series" => {
                let v = text(value, &path)?;
                series = (!skill).then_some(v);
            }
            "target_level" => {
                let ok = match (value.as_str(), pathway) {
                    (Some(s), Some(PathwayIn::Title)) => TitleLevel::parse(s).is_some(),
                    (Some(s), Some(PathwayIn::Skill)) => SkillLevel::parse(s).is_some(),
                    (Some(s), None) => {
                        TitleLevel::parse(s).is_some() || SkillLevel::parse(s).is_some()
                    }
                    (None, _) => false,
                };
                if !ok {
                    let expected = match pathway {
                        Some(PathwayIn::Title) => "expected 初级, 中级, 副高级 or 正高级",
                        Some(PathwayIn::Skill) => "expected 高级工, 技师 or 高级技师",
                        None => "expected a title level (初级…正高级) or a skill level (高级工, 技师, 高级技师)",
                    };
                    return err(&path, expected);
                }
                target = Some((path, value));
            }
            "skill_certificates" => {
                for (p, f) in items(
                    value,
                    &path,
                    &[
                        ("occupation", Kind::Text),
                        ("level", Kind::Skill),
                        ("obtained_on", Kind::Date),
                    ],
                    &[],
                )? {
                    certs.push(SkillCertificate {
                        occupation: text(f[0], &p)?,
                        level: skill_level(f[1], &p)?,
                        obtained_on: date(f[2], &p)?,
                    });
                }
            }
            "titles" => {
                for (p, f) in items(
                    value,
                    &path,
                    &[
                        ("series", Kind::Text),
                        ("level", Kind::Title),
                        ("obtained_on", Kind::Date),
                    ],
                    &[],
                )? {
                    titles.push(TitleHeld {
                        series: text(f[0], &p)?,
                        level: title_level(f[1], &p)?,
                        obtained_on: date(f[2], &p)?,
                    });
                }
            }
            "work" => {
                for (p, f) in items(
                    value,
                    &path,
                    &[
                        ("occupation", Kind::Text),
                        ("from", Kind::Date),
                        ("to", Kind::DateOrNull),
                    ],
                    &["to"],
                )? {
                    let to = if f[2].is_null() {
                        None
                    } else {
                        Some(date(f[2], &p)?)
                    };
                    match WorkPeriod::new(text(f[0], &p)?, date(f[1], &p)?, to) {
                        Ok(w) => work.push(w),
                        Err(m) => return err(&join(&p, "to"), m),
                    }
                }
            }
            "annual_assessments" => {
                for (p, f) in items(
                    value,
                    &path,
                    &[("year", Kind::Year), ("result", Kind::Result)],
                    &[],
                )? {
                    let (year, result) = (year(f[0], &p)?, assessment_result(f[1], &p)?);
                    if assessments.iter().any(|a| a.year == year) {
                        return err(&join(&p, "year"), format!("duplicate year {year}"));
                    }
                    assessments.push(AnnualAssessment { year, result });
                }
            }
            "honours" => {
                for (i, item) in array(value, &path)?.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let name = item.as_str().map_or_else(|| err(&p, "not a string"), Ok)?;
                    if catalogue.honour_level(name).is_none() {
                        return err(&p, format!("unknown honour {name:?}"));
                    }
                    if !skill {
                        honours.push(name.to_string());
                    }
                }
            }
            "frontline" => frontline = boolean(value, &path)?,
            "exceptional" => exceptional = boolean(value, &path)? && !skill,
            "diploma_major_related" => diploma = boolean(value, &path)? && !title,
            _ => return err(&path, "unknown field"),
        }
    }
    let missing = |name: &str| InputError {
        path: join(prefix, name),
        message: "missing".into(),
    };
    let pathway = pathway.ok_or_else(|| missing("pathway"))?;
    let reference_date = reference_date.ok_or_else(|| missing("reference_date"))?;
    let occupation = occupation.ok_or_else(|| missing("occupation"))?;
    let (target_path, target_value) = target.ok_or_else(|| missing("target_level"))?;
    let target = match pathway {
        PathwayIn::Title => {
            let series = series.ok_or_else(|| missing("series"))?;
            Target::Title {
                series,
                level: title_level(target_value, &target_path)?,
            }
        }
        PathwayIn::Skill => Target::Skill {
            level: skill_level(target_value, &target_path)?,
        },
    };
    Ok(Profile {
        reference_date,
        occupation,
        target,
        skill_certificates: certs,
        titles,
        work,
        annual_assessments: assessments,
        honours,
        frontline,
        exceptional,
        diploma_major_related: diploma,
    })
}

/// Why a streaming run stopped: bad input (exit 2; the verdicts already written stand, the
/// output is incomplete) or an output that could not be written.
#[derive(Debug)]
pub enum CheckError {
    Input(InputError),
    Output(std::io::Error),
}

impl From<InputError> for CheckError {
    fn from(e: InputError) -> Self {
        CheckError::Input(e)
    }
}

impl From<std::io::Error> for CheckError {
    fn from(e: std::io::Error) -> Self {
        CheckError::Output(e)
    }
}

/// One verdict as pretty JSON, each line indented by `indent` spaces.
fn verdict_json(v: &Verdict, indent: usize) -> String {
    let text = serde_json::to_string_pretty(v).expect("verdicts always serialise");
    if indent == 0 {
        return text;
    }
    let pad = " ".repeat(indent);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// Reads JSON (one object, or an array read one element at a time) and writes each verdict as
/// soon as it is decided: memory stays flat however long the array. The first verdict is flushed
/// at once; later ones leave in 64 KB blocks. A bad element stops the run there.
pub fn run_json<R: std::io::BufRead, W: std::io::Write>(
    mut input: R,
    out: &mut W,
    catalogue: &Catalogue,
) -> Result<(), CheckError> {
    let first = loop {
        let buf = input.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                break Some(b);
            }
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    if first != Some(b'[') {
        let mut text = String::new();
        input
            .read_to_string(&mut text)
            .or_else(|e| err("input", format!("not valid UTF-8 ({e})")))?;
        let value: Value = serde_json::from_str(&text)
            .or_else(|e| err("input", format!("not valid JSON ({e})")))?;
        if !value.is_object() {
            return Err(
                err::<()>("input", "expected a JSON object or an array of objects")
                    .unwrap_err()
                    .into(),
            );
        }
        let verdict = evaluate(&parse_profile(&value, "", catalogue)?, catalogue);
        writeln!(out, "{}", verdict_json(&verdict, 0))?;
        out.flush()?;
        return Ok(());
    }
    input.consume(1);
    let mut elements = Elements::new(input);
    let mut count = 0usize;
    while let Some(bytes) = elements.next_element().map_err(|m| at(count, m))? {
        let prefix = format!("[{count}]");
        let value: Value = serde_json::from_slice(bytes)
            .map_err(|e| at(count, format!("not valid JSON ({e})")))?;
        let verdict = evaluate(&parse_profile(&value, &prefix, catalogue)?, catalogue);
        out.write_all(if count == 0 { b"[\n" } else { b",\n" })?;
        out.write_all(verdict_json(&verdict, 2).as_bytes())?;
        if count == 0 {
            out.flush()?;
        }
        count += 1;
    }
    out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
    out.flush()?;
    Ok(())
}

fn at(index: usize, message: impl Into<String>) -> CheckError {
    CheckError::Input(InputError {
        path: format!("[{index}]"),
        message: message.into(),
    })
}

/// Splits a JSON array (its `[` already read) into the bytes of each element, reading in blocks
/// and keeping only the current element: strings and nesting are tracked so that a `,` or `]`
/// inside them does not end an element. Each element is then parsed on its own.
struct Elements<R> {
    input: R,
    current: Vec<u8>,
    done: bool,
    /// An element was read (so `]` right after a `,` is an error, not the end).
    started: bool,
}

impl<R: std::io::BufRead> Elements<R> {
    fn new(input: R) -> Self {
        Elements {
            input,
            current: Vec::new(),
            done: false,
            started: false,
        }
    }

    /// The next element's bytes, `None` after the closing `]`, or what is wrong.
    fn next_element(&mut self) -> Result<Option<&[u8]>, String> {
        if self.done {
            return self.finish_trailing().map(|_| None);
        }
        self.current.clear();
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buf = self
                .input
                .fill_buf()
                .map_err(|e| format!("cannot read ({e})"))?;
            if buf.is_empty() {
                return Err("not valid JSON (the array does not end)".into());
            }
            let mut used = 0;
            for &b in buf {
                used += 1;
                if in_string {
                    self.current.push(b);
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match b {
                    b',' | b']' if depth == 0 => {
                        let empty = self.current.iter().all(u8::is_ascii_whitespace);
                        if b == b']' && empty && !self.started {
                            self.done = true;
                            self.input.consume(used);
                            return self.finish_trailing().map(|_| None);
                        }
                        if empty {
                            self.input.consume(used);
                            return Err("not valid JSON (an element is missing)".into());
                        }
                        self.done = b == b']';
                        self.started = true;
                        self.input.consume(used);
                        return Ok(Some(&self.current));
                    }
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth
                            .checked_sub(1)
                            .ok_or("not valid JSON (unbalanced brackets)")?
                    }
                    _ => {}
                }
                self.current.push(b);
            }
            self.input.consume(used);
        }
    }

    /// Only whitespace may follow the closing bracket.
    fn finish_trailing(&mut self) -> Result<(), String> {
        loop {
            let buf = self
                .input
                .fill_buf()
                .map_err(|e| format!("cannot read ({e})"))?;
            if buf.is_empty() {
                return Ok(());
            }
            if !buf.iter().all(u8::is_ascii_whitespace) {
                return Err("not valid JSON (trailing characters after the array)".into());
            }
            let n = buf.len();
            self.input.consume(n);
        }
    }
}

/// The CSV columns, in the order read and documented in README.
pub const CSV_COLUMNS: [&str; 14] = [
    "id",
    "pathway",
    "reference_date",
    "occupation",
    "series",
    "target_level",
    "skill_certificates",
    "titles",
    "work",
    "annual_assessments",
    "honours",
    "frontline",
    "exceptional",
    "diploma_major_related",
];

fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn csv_bool(cell: &str, path: &str) -> Result<Option<Value>, InputError> {
    match cell.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" | "yes" | "是" | "y" => Ok(Some(Value::Bool(true))),
        "false" | "0" | "no" | "否" | "n" => Ok(Some(Value::Bool(false))),
        _ => err(path, "not a boolean (true/false, 是/否)"),
    }
}

/// Turns `a:b:c;…` into objects with the given keys; the last key may be left empty (null).
fn csv_records(
    cell: &str,
    path: &str,
    keys: &[&str],
    shape: &str,
    last_optional: bool,
) -> Result<Value, InputError> {
    let mut items = Vec::new();
    for (i, item) in split_list(cell).enumerate() {
        let parts: Vec<&str> = item.split([':', '：']).map(str::trim).collect();
        let ok = parts.len() == keys.len() || (last_optional && parts.len() == keys.len() - 1);
        if !ok {
            return err(&format!("{path}[{i}]"), format!("expected {shape}"));
        }
        let mut obj = Map::new();
        for (k, key) in keys.iter().enumerate() {
            let v = match parts.get(k) {
                Some(p) if !p.is_empty() => {
                    if *key == "year" {
                        p.parse::<i64>()
                            .map(Value::from)
                            .unwrap_or_else(|_| Value::String(p.to_string()))
                    } else {
                        Value::String(p.to_string())
                    }
                }
                _ if last_optional && k == keys.len() - 1 => Value::Null,
                _ => Value::String(String::new()),
            };
            obj.insert(key.to_string(), v);
        }
        items.push(Value::Object(obj));
    }
    Ok(Value::Array(items))
}

/// The output columns of `--csv`.
pub const CSV_OUTPUT: [&str; 10] = [
    "id",
    "eligible",
    "by_appointment",
    "target_level",
    "highest_level",
    "eligible_from",
    "theory_exam_exempt",
    "unmet",
    "routes",
    "message",
];

/// Reads an HR list one row at a time (columns as [`CSV_COLUMNS`], only `id` may be left out)
/// and writes each verdict as its row is decided (the first flushed at once). A bad row stops the
/// run there: the rows already written stand.
pub fn run_csv<R: std::io::Read, W: std::io::Write>(
    input: R,
    out: &mut W,
    catalogue: &Catalogue,
) -> Result<(), CheckError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .or_else(|e| err("header", format!("not valid CSV ({e})")))?
        .clone();
    for h in headers.iter() {
        if !CSV_COLUMNS.contains(&h) {
            return Err(err::<()>(&format!("header.{h}"), "unknown column")
                .unwrap_err()
                .into());
        }
    }
    // Read by programs (a pipeline, an HR system), so no byte order mark; every cell is
    // neutralised all the same, since the list may end up in a spreadsheet.
    let mut w = crate::csv_out::CsvOut::new(out, crate::csv_out::Reader::Program)?;
    w.row(CSV_OUTPUT)?;
    let result = (|| {
        for (i, record) in reader.records().enumerate() {
            let prefix = format!("[{i}]");
            let record = record.or_else(|e| err(&prefix, format!("not valid CSV ({e})")))?;
            let (id, profile) = csv_profile(&headers, &record, i, catalogue)?;
            write_csv_verdict(&mut w, &id, &evaluate(&profile, catalogue))?;
            if i == 0 {
                w.flush()?;
            }
        }
        Ok(())
    })();
    // What was decided before a bad row goes out too.
    w.flush()?;
    result
}

/// One CSV row as a profile, with the row's id (its number when the `id` cell is empty).
fn csv_profile(
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    i: usize,
    catalogue: &Catalogue,
) -> Result<(String, Profile), InputError> {
    let prefix = format!("[{i}]");
    let mut obj = Map::new();
    let mut id = (i + 1).to_string();
    for (h, cell) in headers.iter().zip(record.iter()) {
        let path = join(&prefix, h);
        let value = match h {
            "id" => {
                if !cell.is_empty() {
                    id = cell.to_string();
                }
                None
            }
            "skill_certificates" => Some(csv_records(
                cell,
                &path,
                &["occupation", "level", "obtained_on"],
                "occupation:level:YYYY-MM-DD",
                false,
            )?),
            "titles" => Some(csv_records(
                cell,
                &path,
                &["series", "level", "obtained_on"],
                "series:level:YYYY-MM-DD",
                false,
            )?),
            "work" => Some(csv_records(
                cell,
                &path,
                &["occupation", "from", "to"],
                "occupation:YYYY-MM-DD:YYYY-MM-DD (to may be empty)",
                true,
            )?),
            "annual_assessments" => Some(csv_records(
                cell,
                &path,
                &["year", "result"],
                "year:result",
                false,
            )?),
            "honours" => Some(Value::Array(
                split_list(cell)
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            )),
            "frontline" | "exceptional" | "diploma_major_related" => csv_bool(cell, &path)?,
            _ if cell.is_empty() => None,
            _ => Some(Value::String(cell.to_string())),
        };
        if let Some(v) = value {
            obj.insert(h.to_string(), v);
        }
    }
    let profile =
        parse_profile(&Value::Object(obj), &prefix, catalogue).map_err(|e| InputError {
            message: format!("{} (CSV line {})", e.message, i + 2),
            ..e
        })?;
    Ok((id, profile))
}

fn write_csv_verdict<W: std::io::Write>(
    w: &mut crate::csv_out::CsvOut<W>,
    id: &str,
    v: &Verdict,
) -> Result<(), CheckError> {
    let unmet: Vec<String> = v.unmet.iter().map(|u| value_name(&u.condition)).collect();
    let routes: Vec<String> = v
        .routes
        .iter()
        .map(|r| {
            let name = match &r.honour {
                Some(h) => format!("honour:{h}"),
                None => value_name(&r.route),
            };
            let level = r.level.map(|l| l.zh()).unwrap_or("-");
            format!("{name}={}({level})", value_name(&r.status))
        })
        .collect();
    w.row([
        id,
        if v.eligible { "true" } else { "false" },
        if v.by_appointment { "true" } else { "false" },
        v.target_level.zh(),
        v.highest_level.map(|l| l.zh()).unwrap_or(""),
        &v.eligible_from.map(|d| d.to_string()).unwrap_or_default(),
        match v.theory_exam_exempt {
            Some(true) => "true",
            Some(false) => "false",
            None => "",
        },
        &unmet.join(";"),
        &routes.join(";"),
        &v.message,
    ])?;
    Ok(())
}

fn value_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
