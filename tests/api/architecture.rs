//! The rules of the house, checked on the source: pure modules stay pure, data flows one way,
//! only `service::transition` changes an application's state, handlers stay short.

use std::path::{Path, PathBuf};

crate::tests!(
    sync: [pure_modules_import_no_web_or_database_crate, data_flows_one_way, handlers_never_ask_access_themselves, only_the_transition_changes_an_applications_state, handlers_are_short, link_buttons_do_not_inherit_the_button_look, a_page_with_errors_starts_with_their_one_summary],
);

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/<name>` (a folder) or `src/<name>.rs`.
fn files(name: &str) -> Vec<PathBuf> {
    let single = src().join(format!("{name}.rs"));
    if single.exists() {
        return vec![single];
    }
    let mut out = Vec::new();
    let mut dirs = vec![src().join(name)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|_| panic!("{}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    assert!(!out.is_empty(), "no files in src/{name}");
    out
}

/// Fails naming each file of `module` that mentions any of `forbidden`.
fn assert_none(module: &str, forbidden: &[&str]) {
    for file in files(module) {
        let text = std::fs::read_to_string(&file).unwrap();
        for f in forbidden {
            assert!(
                !text.contains(f),
                "{} mentions {f}: {module} may not depend on it",
                file.display()
            );
        }
    }
}

fn pure_modules_import_no_web_or_database_crate() {
    for module in [
        "domain",
        "policy",
        "calendar",
        "workflow",
        "application",
        "rubric",
        "panel",
    ] {
        assert_none(
            module,
            &[
                "actix",
                "askama",
                "diesel",
                "crate::store",
                "crate::web",
                "crate::service",
                "crate::access",
            ],
        );
    }
}

fn data_flows_one_way() {
    assert_none(
        "store",
        &[
            "crate::web",
            "crate::access",
            "crate::service",
            "crate::policy",
        ],
    );
    assert_none(
        "access",
        &[
            "crate::store",
            "diesel",
            "actix",
            "crate::web",
            "crate::service",
        ],
    );
    assert_none("service", &["crate::web", "actix", "askama"]);
    for module in [
        "domain",
        "policy",
        "application",
        "workflow",
        "store",
        "access",
        "service",
    ] {
        assert_none(module, &["crate::web"]);
    }
}

fn handlers_never_ask_access_themselves() {
    assert_none("web", &["access::may_", "crate::access::{"]);
}

fn only_the_transition_changes_an_applications_state() {
    let mut callers = Vec::new();
    for module in ["service", "web", "store", "demo", "checker"] {
        for file in files(module) {
            let text = std::fs::read_to_string(&file).unwrap();
            if text.contains("applications::set_state(") || text.contains("applications::state.eq(")
            {
                callers.push(file.strip_prefix(src()).unwrap().display().to_string());
            }
        }
    }
    callers.sort();
    // The store function itself, its insert of a fresh draft, and the one caller. (store/bulk.rs
    // inserts generated rows in their final state and changes no existing row.)
    assert_eq!(
        callers,
        ["service/transition.rs", "store/applications.rs"],
        "state writes outside service::transition"
    );
    // Writes, not reads: a `state.eq(` that is not a filter sets the column.
    let store = std::fs::read_to_string(src().join("store/applications.rs")).unwrap();
    let writes = store.matches("applications::state.eq(").count()
        - store.matches("filter(applications::state.eq(").count();
    assert_eq!(
        writes, 2,
        "store writes the state only in insert_draft and set_state"
    );
}

/// A handler is `pub async fn` in `src/web`: at most 60 lines each.
fn handlers_are_short() {
    let mut long = Vec::new();
    for file in files("web") {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.starts_with("pub async fn ") {
                continue;
            }
            let end = lines[i..]
                .iter()
                .position(|l| *l == "}")
                .unwrap_or(lines.len() - i);
            if end + 1 > 60 {
                long.push(format!("{}:{} ({} lines)", file.display(), i + 1, end + 1));
            }
        }
    }
    assert!(long.is_empty(), "handlers over 60 lines: {long:#?}");
}

/// A button styled as a link (删除, 退出登录) sets its own colour and drops the
/// button's shadow, in a rule after `button`'s, so that white-on-white cannot come back.
fn link_buttons_do_not_inherit_the_button_look() {
    let css = std::fs::read_to_string(src().join("../static/guantong.css")).unwrap();
    let button = css.find("button, .button {").expect("the button rule");
    let link = css.find("\n.link-button {").expect("the link-button rule");
    assert!(
        link > button,
        "the link-button rule comes after the button rule"
    );
    let rule = &css[link..link + css[link..].find('}').unwrap()];
    for declaration in [
        "color: var(--brand)",
        "box-shadow: none",
        "background: none",
        "font-weight: 400",
    ] {
        assert!(rule.contains(declaration), "{declaration} in {rule}");
    }
}

/// A page with errors starts with their summary, at the top of what the browser shows: every
/// template that shows field errors includes the one shared summary before its first form, and
/// no template has a summary of its own further down (an honour's errors once landed 1 400 px
/// below the top with nothing above).
fn a_page_with_errors_starts_with_their_one_summary() {
    let root = src().join("../templates");
    let mut stack = vec![root];
    let mut wrong = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if [
                "macros.html",
                "base.html",
                "error_summary.html",
                "_top.html",
                // A whole form the employer's and the office's pages include below their
                // summaries (each page's own test finds its errors linked).
                "_return_form.html",
            ]
            .contains(&name.as_str())
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // A partial's fields go inside a page's form; the page carries the summary.
            if name.starts_with('_') && !text.contains("<form") && !text.contains("error-summary") {
                continue;
            }
            if text.contains("class=\"error-summary\"") {
                wrong.push(format!("{}: a summary of its own", path.display()));
            }
            if !text.contains("errors") {
                continue;
            }
            let summary = [
                "include \"shared/error_summary.html\"",
                "include \"applicant/_top.html\"",
            ]
            .iter()
            .filter_map(|i| text.find(i))
            .min();
            match (summary, text.find("<form")) {
                (None, _) => wrong.push(format!("{}: no error summary", path.display())),
                (Some(s), Some(f)) if s > f => {
                    wrong.push(format!("{}: the summary after a form", path.display()))
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
