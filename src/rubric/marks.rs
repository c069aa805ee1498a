//! One expert's marks on one application, their checks, and their weighted total in fixed point.

use super::{Kind, Rubric};
use crate::domain::text::{free_text, Lines};
use crate::domain::FieldErrors;
use serde::{Deserialize, Serialize};

/// Most characters of one comment.
pub const MAX_COMMENT: usize = 2000;

/// An expert's marks for one application, one per criterion (a draft may lack some).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    pub scores: Vec<Mark>,
}

/// The mark and comment for the criterion with `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub key: String,
    pub value: MarkValue,
    #[serde(default)]
    pub comment: String,
}

/// A gate's pass or fail, a score, or nothing yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkValue {
    Pass,
    Fail,
    Score(u32),
    Missing,
}

/// A review's weighted total, in thousandths of a point on a 0..=100 scale (87.5 points is
/// `87_500`), and whether the gate was failed. A veto leaves the total as it is: the committee's
/// vote decides; the flag makes sure nobody misses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    pub milli: i64,
    pub veto: bool,
}

impl Marks {
    /// The first mark for `key` (a second one is an error [`Rubric::check_marks`] reports).
    pub fn get(&self, key: &str) -> Option<&Mark> {
        self.scores.iter().find(|m| m.key == key)
    }

    /// The value marked for `key`, [`MarkValue::Missing`] when there is none.
    pub fn value(&self, key: &str) -> MarkValue {
        self.get(key).map_or(MarkValue::Missing, |m| m.value)
    }
}

impl Rubric {
    /// Checks an expert's marks, every problem at once under `m_{key}` (the value) and
    /// `m_{key}_comment`. A draft (`complete == false`) need only be well formed: a gate is
    /// passed or failed, a score is at most the criterion's max, no key is unknown or marked
    /// twice. A submission (`complete == true`) also marks every criterion, comments where the
    /// rubric requires it, and always explains a failed gate and a score of 0 or of the max.
    pub fn check_marks(&self, marks: &Marks, complete: bool) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::default();
        for c in &self.criteria {
            let field = format!("m_{}", c.key);
            let comment_field = format!("m_{}_comment", c.key);
            let name = &c.name;
            let mut found = marks.scores.iter().filter(|m| m.key == c.key);
            let mark = found.next();
            if found.next().is_some() {
                e.add(&field, format!("“{name}”只能评一次，请删去重复的评分"));
            }
            let value = mark.map_or(MarkValue::Missing, |m| m.value);
            let comment = mark.map_or("", |m| m.comment.as_str());

            let mut well_formed = true;
            match (c.kind, value) {
                // A draft may leave anything unmarked.
                (_, MarkValue::Missing) if !complete => {}
                (Kind::Gate, MarkValue::Missing) => {
                    e.add(&field, format!("请选择“{name}”是否通过"));
                }
                (Kind::Score { max, .. }, MarkValue::Missing) => {
                    e.add(&field, format!("请为“{name}”评分（0至{max}分）"));
                }
                (Kind::Gate, MarkValue::Score(_)) => {
                    well_formed = false;
                    e.add(&field, format!("“{name}”只能选择通过或不通过"));
                }
                (Kind::Score { max, .. }, MarkValue::Pass | MarkValue::Fail) => {
                    well_formed = false;
                    e.add(&field, format!("请为“{name}”填写0至{max}之间的分数"));
                }
                (Kind::Score { max, .. }, MarkValue::Score(v)) if v > max => {
                    well_formed = false;
                    e.add(
                        &field,
                        format!("“{name}”的分数不能超过满分{max}分，目前为 {v} 分"),
                    );
                }
                _ => {}
            }

            let typed = free_text(comment, Lines::Many, MAX_COMMENT);
            if let Err(problem) = typed {
                e.add(
                    &comment_field,
                    problem.message(&format!("对“{name}”的评审意见")),
                );
            } else if complete && well_formed && typed.is_ok_and(|t| t.is_empty()) {
                // A veto and a mark at either end of the scale weigh most in the committee's
                // discussion, so they always come with the reason, whatever the rubric says.
                let why = match (c.kind, value) {
                    (Kind::Gate, MarkValue::Fail) => {
                        Some(format!("“{name}”不通过即一票否决，请写明理由"))
                    }
                    (Kind::Score { .. }, MarkValue::Score(0)) => {
                        Some(format!("“{name}”给0分，请写明理由"))
                    }
                    (Kind::Score { max, .. }, MarkValue::Score(v)) if v == max => {
                        Some(format!("“{name}”给满分（{max}分），请写明理由"))
                    }
                    _ if c.comment_required => Some(format!("请填写对“{name}”的评审意见")),
                    _ => None,
                };
                if let Some(why) = why {
                    e.add(&comment_field, why);
                }
            }
        }
        for m in &marks.scores {
            if self.criterion(&m.key).is_none() {
                e.add(
                    format!("m_{}", m.key),
                    format!(
                        "评审标准中没有“{}”一项，评审标准可能已更新，请刷新页面后重新评分",
                        m.key
                    ),
                );
            }
        }
        e.into_result(|| ())
    }

    /// Reads an expert's marks from a form: `field(name)` gives what was typed in `m_{key}`
    /// (`pass` / `fail` for the gate, a whole number for a score, empty for not yet marked)
    /// and `m_{key}_comment`. Text that is not a mark at all is reported under its field
    /// (marked missing); whether the marks are complete and in range is
    /// [`Rubric::check_marks`]'s to say.
    pub fn marks_from_form<'a>(
        &self,
        field: impl Fn(&str) -> Option<&'a str>,
    ) -> (Marks, FieldErrors) {
        let mut e = FieldErrors::default();
        let mut scores = Vec::with_capacity(self.criteria.len());
        for c in &self.criteria {
            let name = format!("m_{}", c.key);
            let typed = field(&name).unwrap_or("").trim();
            let comment = field(&format!("m_{}_comment", c.key))
                .unwrap_or("")
                .to_string();
            let value = match (c.kind, typed) {
                (_, "") => MarkValue::Missing,
                (Kind::Gate, "pass") => MarkValue::Pass,
                (Kind::Gate, "fail") => MarkValue::Fail,
                (Kind::Gate, _) => {
                    e.add(&name, format!("请选择“{}”是否通过", c.name));
                    MarkValue::Missing
                }
                (Kind::Score { max, .. }, t) => match whole_number(t) {
                    Some(v) => MarkValue::Score(v),
                    None => {
                        e.add(&name, format!("“{}”请填写0至{max}之间的整数分数", c.name));
                        MarkValue::Missing
                    }
                },
            };
            if value != MarkValue::Missing || !comment.is_empty() {
                scores.push(Mark {
                    key: c.key.clone(),
                    value,
                    comment,
                });
            }
        }
        (Marks { scores }, e)
    }

    /// The weighted total of `marks` and whether the gate was failed.
    ///
    /// Each scored criterion contributes `value * weight * 1000 / max` thousandths; weights sum
    /// to 100, so the total runs from 0 to 100 000. The contributions are added as one exact
    /// fraction over the least common multiple of the maxes, and that sum is rounded once, to
    /// the nearest thousandth, a half rounding up: `(2N + D) / (2D)` in integers. Rounding each
    /// contribution instead would let the same marks total differently depending on how the
    /// rubric splits them.
    ///
    /// A criterion not scored counts 0, so a draft has a (partial) total too; a value above the
    /// max counts as the max ([`Rubric::check_marks`] refuses both on submission).
    ///
    /// The exact sum fits in 128 bits for every rubric [`Rubric::validate`] accepts: at most 14
    /// maxes of at most 100 give a denominator below 100^14 = 10^28, and the numerator is at most
    /// 100 000 times that. For a rubric it refuses the arithmetic may not fit; the total is then
    /// computed in floating point (still defined, never a panic, but not exact).
    pub fn total(&self, marks: &Marks) -> Total {
        let veto = self
            .criteria
            .iter()
            .any(|c| c.is_gate() && marks.value(&c.key) == MarkValue::Fail);
        let terms: Vec<(u128, u128)> = self
            .criteria
            .iter()
            .filter_map(|c| match c.kind {
                // A max of 0 is refused by validate; skipping it avoids dividing by zero.
                Kind::Score { max, weight } if max > 0 => {
                    let v = match marks.value(&c.key) {
                        MarkValue::Score(v) => v.min(max),
                        _ => 0,
                    };
                    Some((u128::from(v) * u128::from(weight) * 1000, u128::from(max)))
                }
                _ => None,
            })
            .collect();
        let milli = exact_milli(&terms).unwrap_or_else(|| approximate_milli(&terms));
        Total { milli, veto }
    }
}

/// A whole number of points as typed: ASCII or full-width digits, at most 9 of them.
fn whole_number(t: &str) -> Option<u32> {
    let digits: String = t
        .chars()
        .map(|ch| match ch {
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32).unwrap_or(ch),
            _ => ch,
        })
        .collect();
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `Σ a/m` rounded half up, exactly; `None` when the arithmetic would not fit.
fn exact_milli(terms: &[(u128, u128)]) -> Option<i64> {
    let (mut num, mut den) = (0u128, 1u128);
    for &(a, m) in terms {
        let lcm = (den / gcd(den, m)).checked_mul(m)?;
        num = num
            .checked_mul(lcm / den)?
            .checked_add(a.checked_mul(lcm / m)?)?;
        den = lcm;
    }
    let rounded = num.checked_mul(2)?.checked_add(den)? / den.checked_mul(2)?;
    i64::try_from(rounded).ok()
}

/// `Σ a/m` rounded half up in floating point, for a rubric whose exact sum would not fit.
fn approximate_milli(terms: &[(u128, u128)]) -> i64 {
    let sum: f64 = terms.iter().map(|&(a, m)| a as f64 / m as f64).sum();
    // `as` saturates, so even an absurd rubric gives a number rather than a panic.
    (sum + 0.5).floor() as i64
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::super::{Anchors, Criterion};
    use super::*;

    fn mark(key: &str, value: MarkValue, comment: &str) -> Mark {
        Mark {
            key: key.into(),
            value,
            comment: comment.into(),
        }
    }

    /// Default rubric marks: ethics, ability, performance, achievements.
    fn marks(gate: MarkValue, a: u32, p: u32, c: u32) -> Marks {
        Marks {
            scores: vec![
                mark("ethics", gate, "材料真实"),
                mark("ability", MarkValue::Score(a), "说明"),
                mark("performance", MarkValue::Score(p), "说明"),
                mark("achievements", MarkValue::Score(c), "说明"),
            ],
        }
    }

    fn scored(key: &str, max: u32, weight: u32) -> Criterion {
        Criterion {
            key: key.into(),
            name: key.into(),
            guidance: String::new(),
            kind: Kind::Score { max, weight },
            comment_required: false,
            anchors: Anchors {
                high: "高".into(),
                middle: "中".into(),
                low: "低".into(),
            },
        }
    }

    fn rubric(parts: &[(&str, u32, u32)]) -> Rubric {
        let mut r = Rubric::default_rubric();
        r.criteria.truncate(1);
        for &(k, max, w) in parts {
            r.criteria.push(scored(k, max, w));
        }
        r
    }

    fn score_marks(values: &[(&str, u32)]) -> Marks {
        Marks {
            scores: values
                .iter()
                .map(|&(k, v)| mark(k, MarkValue::Score(v), ""))
                .collect(),
        }
    }

    #[test]
    fn the_default_total_is_the_weighted_mean() {
        let r = Rubric::default_rubric();
        // 80 × 35 % + 90 × 40 % + 70 × 25 % = 28 + 36 + 17.5 = 81.5
        let t = r.total(&marks(MarkValue::Pass, 80, 90, 70));
        assert_eq!(
            t,
            Total {
                milli: 81_500,
                veto: false
            }
        );
        assert_eq!(
            r.total(&marks(MarkValue::Pass, 100, 100, 100)).milli,
            100_000
        );
        assert_eq!(r.total(&marks(MarkValue::Pass, 0, 0, 0)).milli, 0);
        // 1 × 35 % + 0 + 1 × 25 % = 0.6
        assert_eq!(r.total(&marks(MarkValue::Pass, 1, 0, 1)).milli, 600);
    }

    #[test]
    fn a_failed_gate_flags_a_veto_and_leaves_the_total() {
        let r = Rubric::default_rubric();
        let t = r.total(&marks(MarkValue::Fail, 100, 100, 100));
        assert_eq!(
            t,
            Total {
                milli: 100_000,
                veto: true
            }
        );
        assert!(!r.total(&marks(MarkValue::Missing, 100, 100, 100)).veto);
    }

    #[test]
    fn the_exact_sum_is_rounded_half_up_once() {
        // 1/3 of 100 % = 33.3333… → 33.333
        let r = rubric(&[("a", 3, 100)]);
        assert_eq!(r.total(&score_marks(&[("a", 1)])).milli, 33_333);
        // 2/3 → 66.6666… → 66.667
        assert_eq!(r.total(&score_marks(&[("a", 2)])).milli, 66_667);
        // 1 out of 16 at a weight of 1 %: 1 × 1 × 1000 / 16 = 62.5 thousandths → 63 (half up).
        let r = rubric(&[("a", 16, 1), ("b", 1, 99)]);
        assert_eq!(r.total(&score_marks(&[("a", 1), ("b", 0)])).milli, 63);
        // 1 × 1000 / 8 = 125 exactly, no rounding.
        let r = rubric(&[("a", 8, 1), ("b", 1, 99)]);
        assert_eq!(r.total(&score_marks(&[("a", 1), ("b", 0)])).milli, 125);
        // Two thirds of a thousandth each (maxes beyond 100 only to get such small parts): rounded separately they would give 1 + 1 = 2; the
        // exact sum 4/3 rounds to 1.
        let r = rubric(&[("a", 3000, 2), ("b", 3000, 2), ("c", 1, 96)]);
        let m = score_marks(&[("a", 1), ("b", 1), ("c", 0)]);
        assert_eq!(r.total(&m).milli, 1);
        // Different maxes: 1/3 × 50 % + 1/7 × 50 % = 50 000/3 + 50 000/7 = 23 809.52… → 23 810
        let r = rubric(&[("a", 3, 50), ("b", 7, 50)]);
        assert_eq!(r.total(&score_marks(&[("a", 1), ("b", 1)])).milli, 23_810);
        // A half exactly, from two thirds: 1/6 + 1/3 of a thousandth = 0.5 → 1.
        let r = rubric(&[("a", 6000, 1), ("b", 3000, 1), ("c", 1, 98)]);
        let m = score_marks(&[("a", 1), ("b", 1), ("c", 0)]);
        assert_eq!(r.total(&m).milli, 1);
    }

    #[test]
    fn missing_and_out_of_range_values_are_defined() {
        let r = Rubric::default_rubric();
        let m = Marks {
            scores: vec![
                mark("ability", MarkValue::Score(150), ""),
                mark("performance", MarkValue::Missing, ""),
                mark("achievements", MarkValue::Pass, ""),
            ],
        };
        assert_eq!(r.total(&m).milli, 35_000);
        assert_eq!(r.total(&Marks::default()).milli, 0);
        // A max of 0 counts nothing rather than dividing by zero.
        let r = rubric(&[("a", 0, 50), ("b", 10, 50)]);
        assert_eq!(r.total(&score_marks(&[("a", 5), ("b", 10)])).milli, 50_000);
    }

    #[test]
    fn a_rubric_too_big_for_exact_arithmetic_still_totals() {
        // Thirty primes as maxes (validate would refuse them): their product, the common
        // denominator, is beyond 128 bits.
        let primes = [
            2u32, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79,
            83, 89, 97, 101, 103, 107, 109, 113,
        ];
        let mut r = Rubric::default_rubric();
        r.criteria.truncate(1);
        for p in primes {
            r.criteria.push(scored(&format!("p{p}"), p, 1));
        }
        let terms: Vec<(u128, u128)> = primes.iter().map(|&p| (1000, u128::from(p))).collect();
        assert_eq!(exact_milli(&terms), None);
        // Each scores 1 at a weight of 1 %: Σ 1000/p = 1849.797 (computed exactly apart) → 1850.
        let ones: Vec<(String, u32)> = primes.iter().map(|p| (format!("p{p}"), 1)).collect();
        let ones: Vec<(&str, u32)> = ones.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(r.total(&score_marks(&ones)).milli, 1850);
    }

    #[test]
    fn a_draft_need_only_be_well_formed() {
        let r = Rubric::default_rubric();
        assert_eq!(r.check_marks(&Marks::default(), false), Ok(()));
        let draft = Marks {
            scores: vec![
                mark("ethics", MarkValue::Fail, ""),
                mark("ability", MarkValue::Score(100), ""),
                mark("performance", MarkValue::Missing, ""),
            ],
        };
        assert_eq!(r.check_marks(&draft, false), Ok(()));

        let bad = Marks {
            scores: vec![
                mark("ethics", MarkValue::Score(1), ""),
                mark("ability", MarkValue::Score(101), ""),
                mark("performance", MarkValue::Pass, ""),
                mark("achievements", MarkValue::Score(5), &"字".repeat(2001)),
                mark("achievements", MarkValue::Score(6), ""),
                mark("style", MarkValue::Score(5), ""),
            ],
        };
        let e = r.check_marks(&bad, false).unwrap_err();
        assert!(e.get("m_ethics").unwrap().contains("通过或不通过"));
        assert!(e.get("m_ability").unwrap().contains("目前为 101 分"));
        assert!(e.get("m_performance").unwrap().contains("0至100"));
        assert!(e.get("m_achievements").unwrap().contains("只能评一次"));
        assert!(e.get("m_achievements_comment").unwrap().contains("2000"));
        assert!(e.get("m_style").unwrap().contains("刷新页面"));
        assert_eq!(e.items().len(), 6);
    }

    #[test]
    fn a_submission_is_complete_and_explains_its_extremes() {
        let r = Rubric::default_rubric();
        assert_eq!(
            r.check_marks(&marks(MarkValue::Pass, 80, 90, 70), true),
            Ok(())
        );

        let e = r.check_marks(&Marks::default(), true).unwrap_err();
        assert!(e.get("m_ethics").unwrap().contains("是否通过"));
        assert!(e.get("m_ability").unwrap().contains("0至100分"));
        assert!(e.get("m_performance").is_some() && e.get("m_achievements").is_some());
        // The ethics gate requires a comment whatever the mark.
        assert!(e.get("m_ethics_comment").unwrap().contains("评审意见"));
        assert_eq!(e.items().len(), 5);

        let m = Marks {
            scores: vec![
                mark("ethics", MarkValue::Fail, " "),
                mark("ability", MarkValue::Score(0), ""),
                mark("performance", MarkValue::Score(100), ""),
                mark("achievements", MarkValue::Score(50), ""),
            ],
        };
        let e = r.check_marks(&m, true).unwrap_err();
        assert!(e.get("m_ethics_comment").unwrap().contains("一票否决"));
        assert!(e.get("m_ability_comment").unwrap().contains("0分"));
        assert!(e
            .get("m_performance_comment")
            .unwrap()
            .contains("满分（100分）"));
        assert_eq!(e.items().len(), 3);

        // With their reasons they go through; 1 and max − 1 need none.
        let mut m = marks(MarkValue::Fail, 0, 100, 1);
        m.scores[3].comment.clear();
        assert_eq!(r.check_marks(&m, true), Ok(()));
        let mut m = marks(MarkValue::Pass, 99, 1, 1);
        for s in &mut m.scores[1..] {
            s.comment.clear();
        }
        assert_eq!(r.check_marks(&m, true), Ok(()));
    }

    #[test]
    fn marks_read_back_from_their_stored_form() {
        let m = marks(MarkValue::Fail, 80, 0, 100);
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains(r#""value":"fail""#) && json.contains(r#""value":{"score":80}"#));
        assert_eq!(serde_json::from_str::<Marks>(&json).unwrap(), m);
    }

    #[test]
    fn marks_are_read_from_a_form_and_bad_text_is_named() {
        let r = Rubric::default_rubric();
        let typed = [
            ("m_ethics", "fail"),
            ("m_ethics_comment", "材料造假"),
            ("m_ability", "１００"),
            ("m_performance", "85.5"),
            ("m_achievements", ""),
        ];
        let get = |k: &str| typed.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        let (marks, errors) = r.marks_from_form(get);
        assert_eq!(marks.value("ethics"), MarkValue::Fail);
        assert_eq!(marks.value("ability"), MarkValue::Score(100));
        assert_eq!(marks.value("performance"), MarkValue::Missing);
        assert_eq!(marks.value("achievements"), MarkValue::Missing);
        assert_eq!(marks.get("ethics").unwrap().comment, "材料造假");
        assert_eq!(
            errors.get("m_performance"),
            Some("“工作业绩”请填写0至100之间的整数分数")
        );
        assert!(errors.get("m_ability").is_none());
        // A gate failed with every score at the top is still a veto.
        let top = marks_top();
        let t = r.total(&top);
        assert!(t.veto);
        assert_eq!(t.milli, 100_000);
        // A value that is neither pass nor fail, and a negative or huge score, are named.
        let bad = [
            ("m_ethics", "maybe"),
            ("m_ability", "-1"),
            ("m_performance", "9999999999"),
        ];
        let get = |k: &str| bad.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
        let (_, errors) = r.marks_from_form(get);
        assert!(errors.get("m_ethics").is_some());
        assert!(errors.get("m_ability").is_some());
        assert!(errors.get("m_performance").is_some());
    }

    fn marks_top() -> Marks {
        marks(MarkValue::Fail, 100, 100, 100)
    }
}
