//! A draft as stored: each section's JSON with its version.

use super::{Section, Sections};

/// One stored section: its JSON (`None` while never saved) and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRecord {
    pub section: Section,
    pub data: Option<String>,
    pub version: i32,
}

/// The sections of an application with the version of each.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub sections: Sections,
    versions: Vec<(Section, i32)>,
}

impl Draft {
    /// Reads stored sections; a section whose JSON cannot be read is an error naming it.
    pub fn from_records(records: &[SectionRecord]) -> Result<Draft, String> {
        Draft::from_records_with(records, |sections, section, json| {
            sections.set_json(section, json)
        })
    }

    /// The same, with `set` reading each saved section's JSON into the sections (a caller can
    /// hand over a section it parsed before from the same text).
    pub fn from_records_with(
        records: &[SectionRecord],
        mut set: impl FnMut(&mut Sections, Section, &str) -> Result<(), serde_json::Error>,
    ) -> Result<Draft, String> {
        let mut sections = Sections::default();
        for r in records {
            if let Some(json) = &r.data {
                set(&mut sections, r.section, json)
                    .map_err(|e| format!("section {}: {e}", r.section.slug()))?;
            }
        }
        Ok(Draft {
            sections,
            versions: records.iter().map(|r| (r.section, r.version)).collect(),
        })
    }

    pub fn version(&self, section: Section) -> i32 {
        self.versions
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    /// Changes whenever any section changes (guards the submission of what was reviewed).
    pub fn fingerprint(&self) -> i64 {
        self.versions.iter().map(|(_, v)| i64::from(*v)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_sections_are_errors_not_blanks() {
        let ok = SectionRecord {
            section: Section::Basic,
            data: Some(r#"{"education":"大专","mobile":"13800138000"}"#.into()),
            version: 2,
        };
        let draft = Draft::from_records(std::slice::from_ref(&ok)).unwrap();
        assert_eq!(draft.version(Section::Basic), 2);
        assert_eq!(draft.fingerprint(), 2);
        let bad = SectionRecord {
            data: Some(r#"{"education":"博士后"}"#.into()),
            ..ok
        };
        assert!(Draft::from_records(&[bad]).unwrap_err().contains("basic"));
    }
}
