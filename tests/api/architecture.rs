//! The pure modules stay pure: no web or database crate in policy, calendar, workflow, application.

#[test]
fn pure_modules_import_no_web_or_database_crate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("calendar.rs")];
    for dir in ["policy", "workflow", "application"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        for forbidden in ["actix", "askama", "diesel", "crate::store", "crate::web"] {
            assert!(
                !text.contains(forbidden),
                "{} mentions {forbidden}",
                file.display()
            );
        }
    }
    assert!(files.len() >= 6);
}
