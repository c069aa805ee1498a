//! Sections parsed before, kept with the JSON they were parsed from.
//!
//! Every page of an application (the task list, a section, the employer's page) reads all of its
//! sections, and parsing their JSON was about a tenth of such a page. A person moving between
//! those pages, or saving one section, sees the other sections unchanged: they are taken from
//! here. An entry is used only when its text is the very text just read, so what it gives is
//! exactly what parsing would give, whatever wrote the row and however versions moved.
//!
//! One map for the process (pages on PostgreSQL run on the blocking pool's many threads), at
//! most [`MAX_BYTES`] of JSON; when full it starts again empty.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::application::{Section, Sections};
use crate::domain::ApplicationId;

/// The JSON the map may hold, all entries together (the parsed values are of the same order).
pub const MAX_BYTES: usize = 4 << 20;
/// A longer section is parsed every time, so that one cannot push out all the others.
const MAX_ENTRY: usize = MAX_BYTES / 64;

#[derive(Default)]
struct Cache {
    map: HashMap<(ApplicationId, Section), (String, Sections)>,
    bytes: usize,
}

static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

/// Sets `section` of `into` from its stored `json`: a copy of the one parsed from the same text
/// when there is one, else parsed now (and kept).
pub fn set(
    into: &mut Sections,
    id: ApplicationId,
    section: Section,
    json: &str,
) -> Result<(), serde_json::Error> {
    let key = (id, section);
    if let Ok(guard) = CACHE.lock() {
        if let Some((text, parsed)) = guard.as_ref().and_then(|c| c.map.get(&key)) {
            if text == json {
                into.copy_section(parsed, section);
                return Ok(());
            }
        }
    }
    let mut one = Sections::default();
    one.set_json(section, json)?;
    into.copy_section(&one, section);
    if json.len() <= MAX_ENTRY {
        if let Ok(mut guard) = CACHE.lock() {
            let cache = guard.get_or_insert_with(Cache::default);
            if cache.bytes + json.len() > MAX_BYTES {
                *cache = Cache::default();
            }
            if let Some((old, _)) = cache.map.insert(key, (json.to_owned(), one)) {
                cache.bytes -= old.len();
            }
            cache.bytes += json.len();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mobile(s: &Sections) -> Option<&str> {
        s.basic.as_ref().map(|b| b.mobile.as_str())
    }

    #[test]
    fn a_kept_section_is_what_parsing_gives_and_new_text_is_parsed_again() {
        let id = ApplicationId(-7_000_001);
        let mut a = Sections::default();
        set(&mut a, id, Section::Basic, r#"{"mobile":"13900000001"}"#).unwrap();
        assert_eq!(mobile(&a), Some("13900000001"));
        // The same text: the same value.
        let mut b = Sections::default();
        set(&mut b, id, Section::Basic, r#"{"mobile":"13900000001"}"#).unwrap();
        assert_eq!(a, b);
        // Other text under the same key (a save): parsed, never the kept one.
        let mut c = Sections::default();
        set(&mut c, id, Section::Basic, r#"{"mobile":"13900000002"}"#).unwrap();
        assert_eq!(mobile(&c), Some("13900000002"));
        // Unreadable JSON is an error, even right after good JSON under the same key.
        assert!(set(&mut c, id, Section::Basic, "{").is_err());
        // Another section of the same application leaves this one alone.
        set(&mut c, id, Section::Work, r#"{"items":[]}"#).unwrap();
        assert_eq!(mobile(&c), Some("13900000002"));
        assert_eq!(c.work, Some(Default::default()));
    }

    #[test]
    fn the_map_never_holds_more_than_its_bound() {
        let big = format!(r#"{{"mobile":"{}"}}"#, "1".repeat(MAX_ENTRY - 20));
        for i in 0..200 {
            let mut s = Sections::default();
            set(&mut s, ApplicationId(-8_000_000 - i), Section::Basic, &big).unwrap();
            let bytes = CACHE.lock().unwrap().as_ref().map_or(0, |c| c.bytes);
            assert!(bytes <= MAX_BYTES, "{bytes}");
        }
        // Longer than an entry may be: parsed, not kept.
        let huge = format!(r#"{{"mobile":"{}"}}"#, "2".repeat(MAX_ENTRY));
        let mut s = Sections::default();
        set(&mut s, ApplicationId(-9_000_000), Section::Basic, &huge).unwrap();
        assert_eq!(mobile(&s).map(str::len), Some(MAX_ENTRY));
        let kept = CACHE.lock().unwrap().as_ref().map(|c| {
            c.map
                .contains_key(&(ApplicationId(-9_000_000), Section::Basic))
        });
        assert_eq!(kept, Some(false));
    }
}
