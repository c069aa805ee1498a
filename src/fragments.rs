//! Rendered pieces of pages kept by what they show: a list row keyed by its application's id,
//! state and version is the same HTML until a transition moves the version on, so a page of
//! rows renders only the rows that changed since someone last saw them.
//!
//! A row of the employer's list was about a third of that page's cost: decoding its columns,
//! parsing its summary, formatting its time and escaping it all, twenty times a page. Lists are
//! read far more often than their rows change (each clerk, each page turn, each tab), so the rows
//! are kept rendered here and the list query reads only the keys.
//!
//! One map per server (in `AppState`, so two servers in one process, as the tests run them, never
//! share one), at most [`MAX_BYTES`] of HTML; when full it starts again empty.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// The HTML the map may hold, all entries together.
pub const MAX_BYTES: usize = 8 << 20;

/// A rendered piece with one place where a per-request attribute may go (a box ticked on this
/// request only): `head()`, then the attribute or nothing, then `tail()`.
#[derive(Debug, PartialEq, Eq)]
pub struct Fragment {
    html: Box<str>,
    split: usize,
}

impl Fragment {
    /// `head` and `tail` around the place for the attribute.
    pub fn new(head: &str, tail: &str) -> Fragment {
        Fragment {
            html: [head, tail].concat().into_boxed_str(),
            split: head.len(),
        }
    }

    pub fn head(&self) -> &str {
        &self.html[..self.split]
    }

    pub fn tail(&self) -> &str {
        &self.html[self.split..]
    }

    fn bytes(&self) -> usize {
        self.html.len()
    }
}

struct Map<K> {
    map: HashMap<K, Arc<Fragment>>,
    bytes: usize,
}

/// Fragments by key. The key must name everything the fragment shows: an entry is never checked
/// against the database again.
pub struct Fragments<K>(Mutex<Map<K>>);

impl<K> Default for Fragments<K> {
    fn default() -> Self {
        Fragments(Mutex::new(Map {
            map: HashMap::new(),
            bytes: 0,
        }))
    }
}

impl<K: Eq + Hash + Copy> Fragments<K> {
    /// The fragment of each key, `None` where none is kept (one lock for the whole page).
    pub fn get_all(&self, keys: &[K]) -> Vec<Option<Arc<Fragment>>> {
        match self.0.lock() {
            Ok(m) => keys.iter().map(|k| m.map.get(k).cloned()).collect(),
            Err(_) => vec![None; keys.len()],
        }
    }

    /// Keeps the fragments (one lock for all of them).
    pub fn put_all(&self, entries: &[(K, Arc<Fragment>)]) {
        let Ok(mut m) = self.0.lock() else { return };
        for (key, fragment) in entries {
            if m.bytes + fragment.bytes() > MAX_BYTES {
                m.map.clear();
                m.bytes = 0;
            }
            if let Some(old) = m.map.insert(*key, fragment.clone()) {
                m.bytes -= old.bytes();
            }
            m.bytes += fragment.bytes();
        }
    }

    /// How many bytes of HTML are kept.
    pub fn bytes(&self) -> usize {
        self.0.lock().map_or(0, |m| m.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_is_its_head_then_its_tail() {
        let f = Fragment::new("<input name=x", "></tr>");
        assert_eq!(f.head(), "<input name=x");
        assert_eq!(f.tail(), "></tr>");
        let whole = Fragment::new("<tr>…</tr>", "");
        assert_eq!((whole.head(), whole.tail()), ("<tr>…</tr>", ""));
    }

    #[test]
    fn entries_are_found_by_their_whole_key() {
        let kept: Fragments<(i64, i32)> = Fragments::default();
        kept.put_all(&[((1, 1), Arc::new(Fragment::new("a", "")))]);
        let found = kept.get_all(&[(1, 1), (1, 2), (2, 1)]);
        assert_eq!(found[0].as_deref().map(Fragment::head), Some("a"));
        assert!(found[1].is_none() && found[2].is_none());
        // Another fragment under the same key replaces it, and is counted once.
        kept.put_all(&[((1, 1), Arc::new(Fragment::new("bb", "")))]);
        assert_eq!(
            kept.get_all(&[(1, 1)])[0].as_deref().map(Fragment::head),
            Some("bb")
        );
        assert_eq!(kept.bytes(), 2);
    }

    #[test]
    fn the_map_never_holds_more_than_its_bound() {
        let kept: Fragments<i64> = Fragments::default();
        let row = "x".repeat(MAX_BYTES / 10 + 1);
        for i in 0..25 {
            kept.put_all(&[(i, Arc::new(Fragment::new(&row, "")))]);
            assert!(kept.bytes() <= MAX_BYTES, "{}", kept.bytes());
        }
        // The newest is always kept.
        assert!(kept.get_all(&[24])[0].is_some());
    }
}
