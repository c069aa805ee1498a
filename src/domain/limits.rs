//! Bounds on what one application holds.

/// The most items one list of an application holds (its work periods, certificates, honours,
/// representative achievements, apprentices, renovations). A long career fills a few dozen at
/// most, and a reviewer reads every item; without a bound a scripted client could add items
/// without end, and every page of the application (each save parses the whole section again),
/// the employer's notice and the dossier frozen at submission would grow with them.
pub const MAX_LIST_ITEMS: usize = 50;

/// Why an item is not added: its list (`what`, 工作经历) holds [`MAX_LIST_ITEMS`] already.
pub fn list_full(what: &str) -> String {
    format!("{what}最多填写{MAX_LIST_ITEMS}项，已经填满：请先删除不需要的{what}，再添加新的")
}
