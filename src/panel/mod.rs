//! PURE reproducible draw of a session's panel (本次评审委员会) from a committee's expert pool.
//! No web or database imports.
//!
//! The draw is a Fisher–Yates shuffle, written here, of the candidates in their recorded order,
//! driven by ChaCha20 seeded with a recorded 32-byte seed. Only raw 64-bit outputs are taken
//! from the generator; no library shuffle, sample or range helper is used, since their
//! algorithms may change between versions and a recorded draw must replay the same forever.
//! Given the record (the ordered candidate ids, the seed, the count) anyone can replay the draw
//! and check the panel.

pub mod assign;
pub mod conflicts;

use crate::domain::TitleLevel;
use chrono::NaiveDate;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Why a panel could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// Fewer candidates than seats.
    TooFew { have: usize, need: usize },
    /// A candidate listed twice would count as two experts.
    Duplicate { id: i64 },
}

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DrawError::TooFew { have, need } => {
                write!(f, "专家库只有 {have} 人，不足以抽取 {need} 人")
            }
            DrawError::Duplicate { id } => {
                write!(f, "候选专家名单中编号 {id} 重复出现，请核对专家库")
            }
        }
    }
}

impl std::error::Error for DrawError {}

/// Draws `count` of `candidates` (ids in their recorded order) with `seed`; the order of the
/// result is the order drawn.
pub fn draw(candidates: &[i64], seed: [u8; 32], count: usize) -> Result<Vec<i64>, DrawError> {
    if count > candidates.len() {
        return Err(DrawError::TooFew {
            have: candidates.len(),
            need: count,
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(candidates.len());
    if let Some(&id) = candidates.iter().find(|&&id| !seen.insert(id)) {
        return Err(DrawError::Duplicate { id });
    }
    let mut rng = ChaCha20Rng::from_seed(seed);
    let mut order = candidates.to_vec();
    // Fisher–Yates from the last index down: each position i takes one of the candidates still
    // in 0..=i with equal chance, so every order is equally likely.
    for i in (1..order.len()).rev() {
        let j = below(&mut rng, i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order.truncate(count);
    Ok(order)
}

/// Replays a recorded draw: the same candidates, seed and count always give the same panel, so
/// anyone holding the record can check it.
pub fn replay(candidates: &[i64], seed: [u8; 32], count: usize) -> Result<Vec<i64>, DrawError> {
    draw(candidates, seed, count)
}

/// A uniform number in `0..bound` (`bound > 0`) by rejection sampling: 64-bit outputs at or
/// above the largest multiple of `bound` that fits in 2^64 are drawn again, so every remainder
/// is equally likely (taking `x % bound` of every output would favour the small ones). At most
/// half of the outputs are rejected, so this ends quickly.
fn below(rng: &mut ChaCha20Rng, bound: u64) -> u64 {
    // 2^64 mod bound, computed without 2^64; 0 when bound divides 2^64 (nothing to reject).
    let excess = (u64::MAX % bound + 1) % bound;
    // 2^64 − excess, the largest multiple of bound that fits, as u64 (wrapping 0 for excess 0).
    let limit = 0u64.wrapping_sub(excess);
    loop {
        let x = rng.next_u64();
        if excess == 0 || x < limit {
            return x % bound;
        }
    }
}

/// Whether a panel of `count` can be drawn: an odd number (so a vote cannot tie), at least
/// `minimum`, and no more than the `pool` of experts. Every reason at once, in zh-CN.
pub fn check_size(count: usize, minimum: usize, pool: usize) -> Result<(), String> {
    let mut why = Vec::new();
    if count % 2 != 1 {
        why.push(format!("评审委员会人数应为单数，目前为 {count} 人"));
    }
    if count < minimum {
        why.push(format!(
            "评审委员会至少应有 {minimum} 人，目前为 {count} 人"
        ));
    }
    if pool < minimum {
        why.push(format!(
            "符合抽取条件的在库专家只有 {pool} 人，少于规定的最少 {minimum} 人，须先补充专家库或放宽专业条件"
        ));
    } else if count > pool {
        why.push(format!(
            "符合抽取条件的在库专家只有 {pool} 人，不能抽取 {count} 人"
        ));
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why.join("；"))
    }
}

/// The seed as 64 lowercase hex digits, for the record.
pub fn seed_hex(seed: &[u8; 32]) -> String {
    hex::encode(seed)
}

/// The seed from its 64 hex digits (either case); `None` for anything else.
pub fn parse_seed(hex: &str) -> Option<[u8; 32]> {
    let mut seed = [0u8; 32];
    hex::decode_to_slice(hex, &mut seed).ok()?;
    Some(seed)
}

/// A pool entry as the draw's filters see it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub entry: i64,
    pub active: bool,
    pub level: TitleLevel,
    pub series: &'a str,
    pub specialty: &'a str,
    pub term_from: NaiveDate,
    pub term_until: NaiveDate,
}

/// Who may sit on a round's panel.
#[derive(Debug, Clone)]
pub struct Filter<'a> {
    /// The committee's series: an expert holds a title in the series reviewed.
    pub series: &'a str,
    /// Empty: any specialty of the series.
    pub specialty: &'a str,
    /// The highest level the round takes: an expert reviews only at or below their own level.
    pub highest_level: TitleLevel,
    /// The expert's term covers these days (the draw to the round's scoring deadline).
    pub from: NaiveDate,
    pub until: NaiveDate,
}

impl Filter<'_> {
    /// The filters in words, for the draw's record.
    pub fn describe(&self) -> String {
        let specialty = if self.specialty.is_empty() {
            "不限专业".to_string()
        } else {
            format!("{}专业", self.specialty)
        };
        format!(
            "{}系列，{specialty}，职称{}及以上，在库，任期覆盖 {} 至 {}",
            self.series,
            self.highest_level.zh(),
            self.from,
            self.until
        )
    }
}

/// The candidates the filters keep, in the recorded order (ascending entry id), so a draw's
/// list does not depend on how the store happened to return the pool.
pub fn eligible(pool: &[Candidate], f: &Filter) -> Vec<i64> {
    let mut ids: Vec<i64> = pool
        .iter()
        .filter(|c| {
            c.active
                && c.series == f.series
                && (f.specialty.is_empty() || c.specialty == f.specialty)
                && c.level >= f.highest_level
                && c.term_from <= f.from
                && c.term_until >= f.until
        })
        .map(|c| c.entry)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The candidates as recorded (`3,5,8`).
pub fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The recorded candidates read back; `None` when the record is not such a list.
pub fn parse_ids(text: &str) -> Option<Vec<i64>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',').map(|s| s.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(byte: u8) -> [u8; 32] {
        let mut s = [0u8; 32];
        for (i, b) in s.iter_mut().enumerate() {
            *b = byte.wrapping_add(i as u8);
        }
        s
    }

    #[test]
    fn a_recorded_draw_gives_this_panel() {
        // Pins ChaCha20's output and the algorithm together: if a dependency update or a change
        // here alters either, this fails, and every recorded draw would stop replaying. That is
        // the point: change neither without a new, versioned algorithm. The literal came from
        // this implementation and was checked against one written apart from it: the same
        // shuffle over OpenSSL's ChaCha20 keystream (key = seed, nonce and counter 0) read as
        // little-endian u64s, so a draw can be replayed outside this program too.
        let candidates: Vec<i64> = (101..=130).collect();
        let panel = draw(&candidates, seed(7), 9).unwrap();
        assert_eq!(panel, [108, 106, 112, 109, 125, 118, 111, 102, 116]);
        assert_eq!(
            seed_hex(&seed(7)),
            "0708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223242526"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_panel_and_another_seed_another() {
        let candidates: Vec<i64> = (1..=40).collect();
        let a = draw(&candidates, seed(1), 25).unwrap();
        assert_eq!(replay(&candidates, seed(1), 25).unwrap(), a);
        assert_ne!(draw(&candidates, seed(2), 25).unwrap(), a);
        // A panel of distinct candidates from the list.
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 25);
        assert!(a.iter().all(|id| candidates.contains(id)));
        // The whole list drawn is a permutation of it; a shorter draw is its beginning.
        let all = draw(&candidates, seed(1), 40).unwrap();
        assert_eq!(all[..25], a[..]);
        let mut back = all.clone();
        back.sort_unstable();
        assert_eq!(back, candidates);
        // The recorded order is part of the record: the same ids in another order draw
        // differently.
        let reversed: Vec<i64> = candidates.iter().rev().copied().collect();
        assert_ne!(draw(&reversed, seed(1), 25).unwrap(), a);
    }

    #[test]
    fn too_few_or_repeated_candidates_are_refused() {
        assert_eq!(
            draw(&[1, 2, 3], seed(0), 4),
            Err(DrawError::TooFew { have: 3, need: 4 })
        );
        assert_eq!(
            DrawError::TooFew { have: 3, need: 4 }.to_string(),
            "专家库只有 3 人，不足以抽取 4 人"
        );
        assert_eq!(
            draw(&[1, 2, 1], seed(0), 1),
            Err(DrawError::Duplicate { id: 1 })
        );
        assert_eq!(draw(&[], seed(0), 0), Ok(vec![]));
        assert_eq!(draw(&[5], seed(0), 1), Ok(vec![5]));
        assert_eq!(draw(&[5, 6], seed(0), 0), Ok(vec![]));
    }

    #[test]
    fn below_stays_below_and_reaches_every_value() {
        let mut rng = ChaCha20Rng::from_seed(seed(3));
        for bound in [1u64, 2, 3, 7, 1 << 63, (1 << 63) + 1, u64::MAX] {
            for _ in 0..50 {
                assert!(below(&mut rng, bound) < bound);
            }
        }
        let mut seen = [false; 7];
        for _ in 0..200 {
            seen[below(&mut rng, 7) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn rejection_takes_another_output() {
        // With bound 2^63 + 1 the limit is 2^63 + 1 itself: about half of all outputs are
        // rejected, so some of 64 draws must be, and each result still equals the first output
        // below the limit, reduced.
        let bound = (1u64 << 63) + 1;
        let mut raw = ChaCha20Rng::from_seed(seed(9));
        let mut rng = ChaCha20Rng::from_seed(seed(9));
        let mut rejected = 0;
        for _ in 0..64 {
            let got = below(&mut rng, bound);
            let mut x = raw.next_u64();
            while x >= bound {
                rejected += 1;
                x = raw.next_u64();
            }
            assert_eq!(got, x % bound);
        }
        assert!(rejected > 0);
    }

    #[test]
    fn a_panel_is_odd_big_enough_and_within_the_pool() {
        assert_eq!(check_size(25, 25, 40), Ok(()));
        assert_eq!(check_size(27, 25, 27), Ok(()));
        assert_eq!(
            check_size(12, 9, 30),
            Err("评审委员会人数应为单数，目前为 12 人".into())
        );
        assert_eq!(
            check_size(23, 25, 40),
            Err("评审委员会至少应有 25 人，目前为 23 人".into())
        );
        assert_eq!(
            check_size(29, 25, 27),
            Err("符合抽取条件的在库专家只有 27 人，不能抽取 29 人".into())
        );
        // Fewer candidates than the minimum: no count can work, and the message says so.
        let all = check_size(24, 25, 20).unwrap_err();
        assert_eq!(all.matches('；').count(), 2, "{all}");
        assert!(all.contains("少于规定的最少 25 人"), "{all}");
    }

    #[test]
    fn a_seed_is_recorded_and_read_back() {
        let s = seed(200);
        let text = seed_hex(&s);
        assert_eq!(text.len(), 64);
        assert_eq!(parse_seed(&text), Some(s));
        assert_eq!(parse_seed(&text.to_uppercase()), Some(s));
        assert_eq!(parse_seed(&text[..62]), None);
        assert_eq!(parse_seed(&format!("{text}00")), None);
        assert_eq!(parse_seed(&format!("{}zz", &text[..62])), None);
        assert_eq!(parse_seed(""), None);
    }

    #[test]
    fn the_filters_keep_active_experts_of_the_series_at_or_above_the_level_whose_term_covers() {
        let d = |s: &str| crate::domain::date::parse_date(s).unwrap();
        let c = |entry, active, level, specialty, until: &str| Candidate {
            entry,
            active,
            level,
            series: "工程",
            specialty,
            term_from: d("2025-01-01"),
            term_until: d(until),
        };
        let pool = [
            c(9, true, TitleLevel::FullSenior, "电气", "2028-12-31"),
            c(2, true, TitleLevel::Intermediate, "电气", "2028-12-31"),
            c(4, false, TitleLevel::AssociateSenior, "电气", "2028-12-31"),
            c(5, true, TitleLevel::AssociateSenior, "机械", "2028-12-31"),
            c(7, true, TitleLevel::AssociateSenior, "电气", "2026-12-31"),
            c(3, true, TitleLevel::AssociateSenior, "电气", "2028-12-31"),
        ];
        let mut f = Filter {
            series: "工程",
            specialty: "电气",
            highest_level: TitleLevel::AssociateSenior,
            from: d("2026-12-01"),
            until: d("2027-06-30"),
        };
        assert_eq!(eligible(&pool, &f), [3, 9]);
        f.specialty = "";
        assert_eq!(eligible(&pool, &f), [3, 5, 9]);
        f.highest_level = TitleLevel::Intermediate;
        assert_eq!(eligible(&pool, &f), [2, 3, 5, 9]);
        f.series = "经济";
        assert!(eligible(&pool, &f).is_empty());
        assert_eq!(parse_ids(&ids_text(&[3, 5, 9])), Some(vec![3, 5, 9]));
        assert_eq!(parse_ids("3,x"), None);
    }
}
