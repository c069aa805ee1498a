//! Field errors the GOV.UK way: in form order, one message per field, ready to show beside the
//! field and in the error summary. Plain data, so pure modules can build them too.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    items: Vec<(String, String)>,
}

impl FieldErrors {
    /// Records a message for `field`; the first message for a field wins.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.items.push((field, message.into()));
        }
    }

    /// Adds every problem of `other` (the first message for a field stays).
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, message) in other.items {
            self.add(field, message);
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn items(&self) -> &[(String, String)] {
        &self.items
    }

    /// Keeps `Ok` values; records the message of an `Err` against `field`.
    pub fn check<T, E: ToString>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    /// The error of a repeated row's field, e.g. `row("cert", 0, "date")` for `cert0_date`.
    pub fn row(&self, group: &str, index: impl std::fmt::Display, field: &str) -> Option<&str> {
        // A form without errors is every page view: no name to build (12 % of the self-check
        // form, which asks this about each field of each row).
        if self.items.is_empty() {
            return None;
        }
        self.get(&format!("{group}{index}_{field}"))
    }

    /// A text field that must be filled in, at most `max` characters: trimmed, or the problem
    /// recorded. A field left empty asks for it; one too long says so (never "please fill in"
    /// for something typed).
    /// Checked as every text field is (see [`FieldErrors::text`]).
    pub fn required_text(&mut self, field: &str, typed: &str, what: &str, max: usize) -> String {
        self.text(field, typed, what, super::text::TextField::paragraph(max))
    }

    /// Records that `text` is longer than `max` characters, if it is.
    pub fn too_long(&mut self, field: &str, text: &str, what: &str, max: usize) {
        let n = text.chars().count();
        if n > max {
            self.add(field, format!("{what}不能超过{max}字，现有{n}字，请删减"));
        }
    }

    /// A date field that must be filled in (`YYYY-MM-DD`): the date, or the problem recorded.
    /// Left empty, it is asked for; typed but not a date, the message says what was typed.
    pub fn required_date(
        &mut self,
        field: &str,
        typed: &str,
        what: &str,
        example: &str,
    ) -> Option<chrono::NaiveDate> {
        let typed = typed.trim();
        if typed.is_empty() {
            self.add(field, format!("请填写{what}，如 {example}"));
            return None;
        }
        let date = super::date::parse_date(typed);
        if date.is_none() {
            self.add(
                field,
                format!("{what}“{typed}”不是有效的日期，请按 {example} 的格式填写"),
            );
        }
        date
    }

    /// Typed text checked as every text field is ([`super::text::free_text`]): the text to
    /// store, or the problem beside `field`, naming `what` (then the text trimmed, to show again).
    pub fn text(
        &mut self,
        field: &str,
        value: &str,
        what: &str,
        kind: super::text::TextField,
    ) -> String {
        match kind.parse(value) {
            Ok(v) => v,
            Err(e) => {
                self.add(field, e.message(what));
                value.trim().to_string()
            }
        }
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}
