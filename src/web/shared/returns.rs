//! Asking the applicant to change a submitted application (the employer's return for revision,
//! the committee's request for correction): the one form both use, a note per section and a
//! deadline, and the request as the pages show it.

use chrono::NaiveDate;

use crate::domain::date::parse_date;
use crate::service::returns::{Request, ReturnItem, RETURN_NOTE};
use crate::web::FormErrors;

fn parse_version(v: &str) -> i32 {
    v.trim().parse().unwrap_or(-1)
}

/// A section's note in the form.
pub struct ReturnField {
    pub name: String,
    pub title: &'static str,
    pub value: String,
}

fn title(slug: &str) -> &'static str {
    crate::application::Section::parse(slug)
        .map(|s| s.title())
        .unwrap_or("其他")
}

/// The form's note fields, as typed.
pub fn fields(form: &ReturnForm) -> Vec<ReturnField> {
    form.notes
        .iter()
        .map(|(slug, note)| ReturnField {
            name: format!("note_{slug}"),
            title: title(slug),
            value: note.clone(),
        })
        .collect()
}

/// Whether `field` is one of the form's (its fold-out opens when one has a problem).
pub fn is_field(field: &str) -> bool {
    field == "deadline" || field.starts_with("note_")
}

/// A request's items as (section title, note), in the order they were written.
pub fn items(r: &Request) -> Vec<(&'static str, String)> {
    r.items
        .iter()
        .map(|i| (title(&i.section), i.note.clone()))
        .collect()
}

/// A request to change (the employer's 退回修改, the committee's 补正) as typed: a note per section (empty: nothing to fix there) and the reply deadline.
#[derive(Debug, Clone, Default)]
pub struct ReturnForm {
    pub version: String,
    pub deadline: String,
    /// (section slug, note) for every section, in order.
    pub notes: Vec<(&'static str, String)>,
}

impl ReturnForm {
    pub fn version(&self) -> i32 {
        parse_version(&self.version)
    }

    pub fn new(version: i32, deadline: String) -> ReturnForm {
        ReturnForm {
            version: version.to_string(),
            deadline,
            notes: crate::application::Section::ALL
                .iter()
                .map(|s| (s.slug(), String::new()))
                .collect(),
        }
    }

    pub fn from_pairs(pairs: &[(String, String)]) -> ReturnForm {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        ReturnForm {
            version: get("version"),
            deadline: get("deadline"),
            notes: crate::application::Section::ALL
                .iter()
                .map(|s| (s.slug(), get(&format!("note_{}", s.slug()))))
                .collect(),
        }
    }

    /// The items and the deadline, or every problem at once (the deadline's rules with them:
    /// after today, not after `latest`).
    pub fn parse(
        &self,
        today: NaiveDate,
        latest: NaiveDate,
    ) -> Result<(Vec<ReturnItem>, NaiveDate), FormErrors> {
        self.parse_with("答复期限", |items, deadline| {
            crate::service::returns::problems(items, deadline, today, latest)
        })
    }

    /// The same with the asker's own rules for the items and the deadline (`rules` is given
    /// `NaiveDate::MAX` when the deadline is not a date).
    pub fn parse_with(
        &self,
        label: &str,
        rules: impl FnOnce(&[ReturnItem], NaiveDate) -> crate::domain::FieldErrors,
    ) -> Result<(Vec<ReturnItem>, NaiveDate), FormErrors> {
        let mut errors = FormErrors::default();
        let items: Vec<_> = self
            .notes
            .iter()
            // A note of nothing visible is no item; a note refused stays, to say why beside it.
            .filter(|(_, note)| RETURN_NOTE.optional().parse(note) != Ok(String::new()))
            .map(|(slug, note)| ReturnItem {
                section: slug.to_string(),
                note: note.trim().to_string(),
            })
            .collect();
        // A note too long is said beside it, never cut short.
        for item in &items {
            errors.too_long(
                &format!("note_{}", item.section),
                &item.note,
                "修改说明",
                1000,
            );
        }
        // A Chinese input method may type the date in full-width digits (２０２６－１１－３０).
        let typed: String = self
            .deadline
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' => '-',
                c => c,
            })
            .collect();
        let deadline = parse_date(&typed);
        let rules = rules(&items, deadline.unwrap_or(NaiveDate::MAX));
        for (field, message) in rules.items() {
            if field != "deadline" || deadline.is_some() {
                errors.add(field.clone(), message.clone());
            }
        }
        if deadline.is_none() {
            errors.required_date("deadline", &self.deadline, label, "2026-10-09");
        }
        match deadline {
            Some(d) if errors.is_empty() => Ok((items, d)),
            _ => Err(errors),
        }
    }
}
