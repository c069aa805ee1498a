//! Statistics over a panel's submitted reviews of one application, and over one expert's totals
//! against the panel's: all in thousandths of a point, computed in integers wherever a rounding
//! could otherwise depend on the machine, so a page and a report always show the same number.
//!
//! Totals are [`Total::milli`] values, 0..=100 000; larger inputs than that may overflow.

use super::{Kind, MarkValue, Marks, Rubric, Total};
use serde::Serialize;

/// What a panel's reviews of one application say together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aggregate {
    /// Reviews counted.
    pub count: usize,
    /// Mean of the totals, rounded half up to a thousandth.
    pub mean_milli: i64,
    /// Middle total; for an even count the mean of the middle two, rounded half up.
    pub median_milli: i64,
    /// Highest total minus lowest.
    pub spread_milli: i64,
    /// Population standard deviation of the totals, rounded half up (see [`aggregate`]).
    pub stddev_milli: i64,
    /// Reviews that failed the gate.
    pub vetoes: usize,
    /// The scored criterion the experts disagree on most, if they disagree on any.
    pub widest: Option<String>,
}

/// How one expert's totals compare with the panel's on the dossiers they share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Dossiers compared.
    pub shared: usize,
    /// Mean of (expert − panel), rounded half up to a thousandth.
    pub mean_diff_milli: i64,
    /// Pearson correlation of the expert's totals with the panel's.
    pub correlation: Option<f64>,
    /// How many standard errors the mean difference is from zero.
    pub z: Option<f64>,
    /// Whether `|z|` exceeds the threshold given: the expert scores consistently higher or
    /// lower than the panel, worth a word before the next session.
    pub flagged: bool,
}

/// The panel's view of one application from its submitted reviews (`(total, marks)` each).
///
/// With no reviews every number is 0 and `widest` is `None`. Formulas, over totals `x` (n of
/// them, sum `S`):
/// - mean: `S / n`, rounded half up;
/// - stddev (population): `sqrt(n·Σx² − S²) / n`, rounded half up exactly in integers as
///   `(isqrt(4·(n·Σx² − S²)) + n) / (2n)` — `floor((⌊y⌋ + n) / 2n) = floor((y + n) / 2n)` for
///   `y = 2·sqrt(…)`, and `⌊2·sqrt(V)⌋ = isqrt(4V)`, so no floating point is involved;
/// - widest: for each scored criterion, the range (highest − lowest) of the values marked,
///   compared as a share of its max (exactly, by cross-multiplying); the largest range wins,
///   the first in rubric order on a tie; `None` when every range is 0 (all agree, or fewer than
///   two reviews).
pub fn aggregate(rubric: &Rubric, reviews: &[(Total, &Marks)]) -> Aggregate {
    let count = reviews.len();
    if count == 0 {
        return Aggregate {
            count: 0,
            mean_milli: 0,
            median_milli: 0,
            spread_milli: 0,
            stddev_milli: 0,
            vetoes: 0,
            widest: None,
        };
    }
    let mut totals: Vec<i64> = reviews.iter().map(|(t, _)| t.milli).collect();
    totals.sort_unstable();
    let n = count as i128;
    let sum: i128 = totals.iter().map(|&x| i128::from(x)).sum();
    let squares: i128 = totals.iter().map(|&x| i128::from(x) * i128::from(x)).sum();

    let middle = count / 2;
    let median = if count % 2 == 1 {
        i128::from(totals[middle])
    } else {
        div_round_half_up(
            i128::from(totals[middle - 1]) + i128::from(totals[middle]),
            2,
        )
    };

    // n·Σx² − S² = n²·variance ≥ 0 (Cauchy–Schwarz), so the cast loses nothing.
    let scaled_variance = (n * squares - sum * sum) as u128;
    let n_u = count as u128;
    let stddev = ((scaled_variance * 4).isqrt() + n_u) / (2 * n_u);

    Aggregate {
        count,
        mean_milli: to_i64(div_round_half_up(sum, n)),
        median_milli: to_i64(median),
        spread_milli: totals[count - 1] - totals[0],
        stddev_milli: to_i64(stddev as i128),
        vetoes: reviews.iter().filter(|(t, _)| t.veto).count(),
        widest: widest(rubric, reviews),
    }
}

/// The scored criterion with the largest range of values as a share of its max (see
/// [`aggregate`]).
fn widest(rubric: &Rubric, reviews: &[(Total, &Marks)]) -> Option<String> {
    // (key, range, max) of the widest so far; a range r of max m is r/m of the scale.
    let mut best: Option<(&str, u64, u64)> = None;
    for c in &rubric.criteria {
        let Kind::Score { max, .. } = c.kind else {
            continue;
        };
        let values = reviews.iter().filter_map(|(_, m)| match m.value(&c.key) {
            MarkValue::Score(v) => Some(v.min(max)),
            _ => None,
        });
        let (lo, hi) = values.fold((u32::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
        // No values leave lo above hi; one value, or all equal, leave no range to compare.
        if hi <= lo {
            continue;
        }
        let (range, max) = (u64::from(hi - lo), u64::from(max));
        // Strictly wider only, so on a tie the criterion first in the rubric stays.
        if best.is_none_or(|(_, r, m)| range * m > r * max) {
            best = Some((&c.key, range, max));
        }
    }
    best.map(|(key, _, _)| key.to_string())
}

/// The running sums calibration is computed from, over `(x, y)` pairs of totals in thousandths
/// (x the expert's, y the panel's mean of the same dossier). Sums of pairs add and subtract, so
/// they are kept per expert and round and changed by one pair at a time as reviews come and go;
/// at 100 points a pair, `Σx²` stays below `i64::MAX` for 900 million pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sums {
    pub n: i64,
    pub x: i64,
    pub y: i64,
    pub xx: i64,
    pub yy: i64,
    pub xy: i64,
}

impl Sums {
    pub fn of(pairs: &[(i64, i64)]) -> Sums {
        let mut s = Sums::default();
        for &(x, y) in pairs {
            s = s.plus(Sums::pair(x, y));
        }
        s
    }

    /// One pair's contribution.
    pub fn pair(x: i64, y: i64) -> Sums {
        Sums {
            n: 1,
            x,
            y,
            xx: x * x,
            yy: y * y,
            xy: x * y,
        }
    }

    pub fn plus(self, o: Sums) -> Sums {
        Sums {
            n: self.n + o.n,
            x: self.x + o.x,
            y: self.y + o.y,
            xx: self.xx + o.xx,
            yy: self.yy + o.yy,
            xy: self.xy + o.xy,
        }
    }

    pub fn minus(self, o: Sums) -> Sums {
        Sums {
            n: self.n - o.n,
            x: self.x - o.x,
            y: self.y - o.y,
            xx: self.xx - o.xx,
            yy: self.yy - o.yy,
            xy: self.xy - o.xy,
        }
    }
}

/// How one expert's totals compare with the panel's, from `(expert, panel)` pairs of totals in
/// thousandths (see [`calibrate_sums`]).
pub fn calibrate(pairs: &[(i64, i64)], min_shared: usize, z_flag: f64) -> Calibration {
    calibrate_sums(&Sums::of(pairs), min_shared, z_flag)
}

/// How one expert's totals compare with the panel's, from the sums of their pairs.
///
/// With `d = expert − panel` over n pairs (`Σd = Σx − Σy`, `Σd² = Σx² − 2Σxy + Σy²`):
/// - `mean_diff_milli`: `Σd / n` rounded half up (0 with no pairs);
/// - `correlation`: Pearson's `r = (nΣxy − ΣxΣy) / sqrt((nΣx² − (Σx)²)(nΣy² − (Σy)²))`, the
///   three terms exact in integers; `None` for fewer than three pairs (two points always lie
///   on a line: ±1 says nothing) or when either side does not vary (a zero denominator), and
///   clamped to −1..=1 against floating point's last bit;
/// - `z`: the mean difference over its standard error, `d̄ / (s / sqrt(n))` with `s` the sample
///   standard deviation of `d`, which simplifies to `Σd · sqrt((n − 1) / (nΣd² − (Σd)²))`;
///   `None` when n is below `min_shared` or `s` is 0 (which includes n < 2);
/// - `flagged`: `z` is known and `|z| > z_flag` (2.0 is about the 95 % two-sided level).
pub fn calibrate_sums(s: &Sums, min_shared: usize, z_flag: f64) -> Calibration {
    let shared = usize::try_from(s.n).unwrap_or(0);
    let n = i128::from(s.n.max(0));
    let (sx, sy) = (i128::from(s.x), i128::from(s.y));
    let (sxx, syy, sxy) = (i128::from(s.xx), i128::from(s.yy), i128::from(s.xy));
    let sd = sx - sy;
    let sdd = sxx - 2 * sxy + syy;
    let mean_diff_milli = if n == 0 {
        0
    } else {
        to_i64(div_round_half_up(sd, n))
    };

    let var_x = n * sxx - sx * sx;
    let var_y = n * syy - sy * sy;
    let correlation = (n >= 3 && var_x > 0 && var_y > 0).then(|| {
        let r = (n * sxy - sx * sy) as f64 / ((var_x as f64).sqrt() * (var_y as f64).sqrt());
        r.clamp(-1.0, 1.0)
    });

    let var_d = n * sdd - sd * sd;
    let z = (shared >= min_shared && var_d > 0)
        .then(|| sd as f64 * ((n - 1) as f64 / var_d as f64).sqrt());
    let flagged = z.is_some_and(|z| z.abs() > z_flag);

    Calibration {
        shared,
        mean_diff_milli,
        correlation,
        z,
        flagged,
    }
}

/// Each review's panel for calibration: the mean of the *other* counted totals of the same
/// application, rounded half up; `None` for a review alone on its case. The expert's own total
/// is left out of the mean they are compared with, or a panel of three would be a third the
/// expert, and every difference would look a third smaller than it is.
pub fn others_means(totals: &[i64]) -> Vec<Option<i64>> {
    let sum: i128 = totals.iter().map(|&t| i128::from(t)).sum();
    let others = totals.len() as i128 - 1;
    totals
        .iter()
        .map(|&t| (others > 0).then(|| to_i64(div_round_half_up(sum - i128::from(t), others))))
        .collect()
}

/// Whether the meeting should discuss an application before it votes: a review failed the gate
/// (一票否决), or the totals are further apart than `spread_points` points.
pub fn for_discussion(vetoes: i32, spread_milli: i64, spread_points: u32) -> bool {
    vetoes > 0 || spread_milli > i64::from(spread_points) * 1000
}

/// A difference as a person reads it, with its sign: `+3.5`, `-1.25`, `0`.
pub fn signed_points(milli: i64) -> String {
    if milli > 0 {
        format!("+{}", points(milli))
    } else {
        points(milli)
    }
}

/// Thousandths of a point as a person reads them: `87.5`, `90`, `72.333`, `-1.25`.
pub fn points(milli: i64) -> String {
    // Written digit by digit: a ranking page formats hundreds of these, and `format!` costs
    // several times more.
    let mut out = String::with_capacity(12);
    if milli < 0 {
        out.push('-');
    }
    let (whole, frac) = (milli.unsigned_abs() / 1000, milli.unsigned_abs() % 1000);
    push_digits(&mut out, whole);
    if frac != 0 {
        out.push('.');
        let digits = [frac / 100, frac / 10 % 10, frac % 10];
        let used = if frac % 100 == 0 {
            1
        } else if frac % 10 == 0 {
            2
        } else {
            3
        };
        for d in &digits[..used] {
            out.push(char::from(b'0' + *d as u8));
        }
    }
    out
}

fn push_digits(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|b| char::from(*b)));
}

/// `num / den` rounded to the nearest integer, a half rounding up (towards +∞: 2.5 → 3,
/// −2.5 → −2); `den > 0`.
fn div_round_half_up(num: i128, den: i128) -> i128 {
    (2 * num + den).div_euclid(2 * den)
}

/// Means and medians of i64 values are i64 values; saturating keeps that a non-event.
fn to_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(a: u32, p: u32, c: u32) -> Marks {
        let s = |k: &str, v| super::super::Mark {
            key: k.into(),
            value: MarkValue::Score(v),
            comment: String::new(),
        };
        Marks {
            scores: vec![s("ability", a), s("performance", p), s("achievements", c)],
        }
    }

    fn t(milli: i64) -> Total {
        Total { milli, veto: false }
    }

    #[test]
    fn rounding_half_up() {
        assert_eq!(div_round_half_up(5, 2), 3);
        assert_eq!(div_round_half_up(-5, 2), -2);
        assert_eq!(div_round_half_up(-3, 2), -1);
        assert_eq!(div_round_half_up(-7, 2), -3);
        assert_eq!(div_round_half_up(7, 3), 2);
        assert_eq!(div_round_half_up(8, 3), 3);
        assert_eq!(div_round_half_up(-2, 3), -1);
        assert_eq!(div_round_half_up(-1, 3), 0);
        assert_eq!(div_round_half_up(6, 3), 2);
        assert_eq!(to_i64(i128::MAX), i64::MAX);
        assert_eq!(to_i64(i128::MIN), i64::MIN);
    }

    #[test]
    fn no_reviews() {
        let a = aggregate(&Rubric::default_rubric(), &[]);
        assert_eq!(
            a,
            Aggregate {
                count: 0,
                mean_milli: 0,
                median_milli: 0,
                spread_milli: 0,
                stddev_milli: 0,
                vetoes: 0,
                widest: None
            }
        );
    }

    #[test]
    fn one_review() {
        let r = Rubric::default_rubric();
        let m = marks(80, 90, 70);
        let a = aggregate(&r, &[(r.total(&m), &m)]);
        assert_eq!(
            a,
            Aggregate {
                count: 1,
                mean_milli: 81_500,
                median_milli: 81_500,
                spread_milli: 0,
                stddev_milli: 0,
                vetoes: 0,
                widest: None
            }
        );
    }

    #[test]
    fn all_equal_scores() {
        let r = Rubric::default_rubric();
        let m = marks(75, 75, 75);
        let total = r.total(&m);
        let a = aggregate(&r, &[(total, &m), (total, &m), (total, &m)]);
        assert_eq!((a.count, a.mean_milli, a.median_milli), (3, 75_000, 75_000));
        assert_eq!((a.spread_milli, a.stddev_milli, a.widest), (0, 0, None));
    }

    #[test]
    fn tied_totals_and_a_gate_failed_with_top_scores() {
        let r = Rubric::default_rubric();
        let (low, high) = (marks(80, 80, 80), marks(99, 99, 99));
        // Two reviews tie at 80; the third failed the gate with top marks: a veto, its total kept.
        let veto = Total {
            milli: r.total(&high).milli,
            veto: true,
        };
        let a = aggregate(&r, &[(t(80_000), &low), (t(80_000), &low), (veto, &high)]);
        assert_eq!(veto.milli, 99_000);
        assert_eq!(
            (a.median_milli, a.spread_milli, a.vetoes),
            (80_000, 19_000, 1)
        );
        // (80 + 80 + 99) / 3 = 86.333…; population stddev = sqrt(2·(6.333…)² + 12.666…²)/… = 8.957
        assert_eq!(a.mean_milli, 86_333);
        assert_eq!(a.stddev_milli, 8_957);
        assert_eq!(
            a.widest.as_deref(),
            Some("ability"),
            "all three ranges tie: rubric order"
        );
    }

    #[test]
    fn a_panel_of_known_numbers() {
        let r = Rubric::default_rubric();
        let m = [marks(90, 80, 70), marks(60, 80, 72), marks(80, 85, 70)];
        // Totals: 31.5 + 32 + 17.5 = 81; 21 + 32 + 18 = 71; 28 + 34 + 17.5 = 79.5
        let totals: Vec<Total> = m.iter().map(|m| r.total(m)).collect();
        assert_eq!(
            totals.iter().map(|t| t.milli).collect::<Vec<_>>(),
            [81_000, 71_000, 79_500]
        );
        let mut reviews: Vec<(Total, &Marks)> = totals.iter().copied().zip(&m).collect();
        reviews[1].0.veto = true;
        let a = aggregate(&r, &reviews);
        assert_eq!(a.count, 3);
        // (81 + 71 + 79.5) / 3 = 77.1666… → 77.167
        assert_eq!(a.mean_milli, 77_167);
        assert_eq!(a.median_milli, 79_500);
        assert_eq!(a.spread_milli, 10_000);
        // Deviations from 77.1666…: 3.8333, −6.1666, 2.3333; squares sum to
        // 14.6944 + 38.0278 + 5.4444 = 58.1667; / 3 = 19.3889; sqrt = 4.40328… → 4.403
        assert_eq!(a.stddev_milli, 4_403);
        assert_eq!(a.vetoes, 1);
        // Ranges: ability 30, performance 5, achievements 2 (all out of 100).
        assert_eq!(a.widest.as_deref(), Some("ability"));
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let r = Rubric::default_rubric();
        let m = Marks::default();
        let reviews = [
            (t(70_000), &m),
            (t(90_000), &m),
            (t(80_001), &m),
            (t(60_000), &m),
        ];
        let a = aggregate(&r, &reviews);
        // Middle two 70 and 80.001: 75.0005 → 75.001 (half up).
        assert_eq!(a.median_milli, 75_001);
        // (60 + 70 + 80.001 + 90) / 4 = 75.00025 → 75.000
        assert_eq!(a.mean_milli, 75_000);
        assert_eq!(a.spread_milli, 30_000);
        assert_eq!(a.widest, None, "no marks, no criterion to name");
        let a = aggregate(&r, &[(t(1), &m), (t(2), &m)]);
        // 1.5 → 2 for the median and the mean; deviations ±0.5, so the stddev is 0.5 → 1.
        assert_eq!((a.median_milli, a.mean_milli, a.stddev_milli), (2, 2, 1));
    }

    #[test]
    fn the_stddev_is_the_population_one_rounded_half_up() {
        let r = Rubric::default_rubric();
        let m = Marks::default();
        // 2, 4, 4, 4, 5, 5, 7, 9: the textbook population standard deviation 2.
        let xs = [2, 4, 4, 4, 5, 5, 7, 9];
        let reviews: Vec<_> = xs.iter().map(|&x| (t(x * 1000), &m)).collect();
        assert_eq!(aggregate(&r, &reviews).stddev_milli, 2_000);
        // 0 and 3 thousandths: stddev 1.5 → 2.
        let a = aggregate(&r, &[(t(0), &m), (t(3), &m)]);
        assert_eq!(a.stddev_milli, 2);
        // 0, 0, 1: sqrt(2/9) = 0.4714 → 0; 0, 2: 1 exactly.
        let a = aggregate(&r, &[(t(0), &m), (t(0), &m), (t(1), &m)]);
        assert_eq!(a.stddev_milli, 0);
        let a = aggregate(&r, &[(t(0), &m), (t(2), &m)]);
        assert_eq!(a.stddev_milli, 1);
    }

    #[test]
    fn the_widest_criterion_is_a_share_of_its_scale_and_ties_keep_rubric_order() {
        let mut r = Rubric::default_rubric();
        // achievements out of 10: a range of 3 is 30 % of its scale.
        r.criteria[3].kind = Kind::Score {
            max: 10,
            weight: 25,
        };
        let m = [marks(50, 60, 5), marks(70, 80, 8)];
        let reviews: Vec<_> = m.iter().map(|m| (r.total(m), m)).collect();
        // ability 20 %, performance 20 %, achievements 30 %.
        assert_eq!(
            aggregate(&r, &reviews).widest.as_deref(),
            Some("achievements")
        );
        // ability 30 %, performance 30 %, achievements 30 %: the first wins.
        let m = [marks(50, 50, 5), marks(80, 80, 8)];
        let reviews: Vec<_> = m.iter().map(|m| (r.total(m), m)).collect();
        assert_eq!(aggregate(&r, &reviews).widest.as_deref(), Some("ability"));
        // performance 30 % after ability 20 %, achievements 30 % after it: performance.
        let m = [marks(50, 50, 5), marks(70, 80, 8)];
        let reviews: Vec<_> = m.iter().map(|m| (r.total(m), m)).collect();
        assert_eq!(
            aggregate(&r, &reviews).widest.as_deref(),
            Some("performance")
        );
        // A review without a criterion's mark leaves it out of that range only.
        // Counted as 0 it would make ability's range 62; left out, ability's is 2 and
        // performance's 5 is wider.
        let mut partial = marks(0, 50, 5);
        partial.scores.remove(0);
        let m = [marks(60, 50, 5), partial, marks(62, 55, 5)];
        let reviews: Vec<_> = m.iter().map(|m| (r.total(m), m)).collect();
        assert_eq!(
            aggregate(&r, &reviews).widest.as_deref(),
            Some("performance")
        );
    }

    #[test]
    fn calibration_on_a_known_dataset() {
        // x = 1..5, y = 2, 4, 5, 4, 5 (in points): dx = −2..2, dy = −2, 0, 1, 0, 1;
        // Σdxdy = 6, Σdx² = 10, Σdy² = 6, so r = 6 / sqrt(60) = sqrt(0.6) = 0.7745966692…
        let pairs = [
            (1_000, 2_000),
            (2_000, 4_000),
            (3_000, 5_000),
            (4_000, 4_000),
            (5_000, 5_000),
        ];
        let c = calibrate(&pairs, 5, 2.0);
        assert_eq!(c.shared, 5);
        assert!((c.correlation.unwrap() - 0.6f64.sqrt()).abs() < 1e-12);
        // d = −1, −2, −2, 0, 0 points: mean −1; deviations 0, −1, −1, 1, 1, so s = sqrt(4/4) = 1
        // point; standard error 1/sqrt(5); z = −1 / (1/sqrt(5)) = −sqrt(5) = −2.236…
        assert_eq!(c.mean_diff_milli, -1_000);
        assert!((c.z.unwrap() + 5f64.sqrt()).abs() < 1e-12);
        assert!(c.flagged);
        // The threshold is the caller's.
        assert!(!calibrate(&pairs, 5, 2.5).flagged);
        // Below the number of shared dossiers asked for: no z, not flagged, the rest as before.
        let c = calibrate(&pairs, 6, 2.0);
        assert_eq!((c.z, c.flagged, c.mean_diff_milli), (None, false, -1_000));
        assert!(c.correlation.is_some());
    }

    #[test]
    fn calibration_never_divides_by_zero() {
        let c = calibrate(&[], 0, 2.0);
        assert_eq!(
            c,
            Calibration {
                shared: 0,
                mean_diff_milli: 0,
                correlation: None,
                z: None,
                flagged: false
            }
        );
        // One shared dossier: no correlation, no deviation.
        let c = calibrate(&[(80_000, 70_000)], 0, 2.0);
        assert_eq!((c.shared, c.mean_diff_milli), (1, 10_000));
        assert_eq!((c.correlation, c.z, c.flagged), (None, None, false));
        // Constant totals on both sides: no correlation, and a constant difference has no
        // deviation to divide by.
        let c = calibrate(&[(80_000, 70_000); 4], 2, 2.0);
        assert_eq!(
            (c.correlation, c.z, c.flagged, c.mean_diff_milli),
            (None, None, false, 10_000)
        );
        // One side constant is enough to leave the correlation out; z still stands.
        let c = calibrate(
            &[(80_000, 70_000), (80_000, 75_000), (80_000, 72_000)],
            3,
            2.0,
        );
        assert_eq!(c.correlation, None);
        assert!(c.z.unwrap() > 2.0 && c.flagged);
        // Two pairs always correlate ±1: no correlation is given. Three perfectly opposite: −1
        // exactly; the differences −1, 1 and 0… cancel, so z is 0.
        let c = calibrate(&[(0, 1), (1, 0)], 2, 2.0);
        assert_eq!(c.correlation, None);
        assert_eq!((c.mean_diff_milli, c.z), (0, Some(0.0)));
        let c = calibrate(&[(0, 2), (1, 1), (2, 0)], 2, 2.0);
        assert_eq!(c.correlation, Some(-1.0));
        assert_eq!((c.mean_diff_milli, c.z), (0, Some(0.0)));
        // Mean differences of a half thousandth round up: −0.5 → 0, 0.5 → 1.
        assert_eq!(calibrate(&[(0, 1), (0, 0)], 2, 2.0).mean_diff_milli, 0);
        assert_eq!(calibrate(&[(1, 0), (0, 0)], 2, 2.0).mean_diff_milli, 1);
    }

    #[test]
    fn sums_kept_pair_by_pair_give_what_the_pairs_give() {
        let pairs = [
            (81_000, 70_500),
            (90_000, 72_000),
            (60_000, 66_667),
            (75_500, 75_500),
        ];
        let whole = Sums::of(&pairs);
        // Added one at a time, one taken back and added again with a new panel mean.
        let mut kept = Sums::default();
        for &(x, y) in &pairs {
            kept = kept.plus(Sums::pair(x, y));
        }
        kept = kept
            .minus(Sums::pair(90_000, 72_000))
            .plus(Sums::pair(90_000, 71_000));
        let moved = Sums::of(&[pairs[0], (90_000, 71_000), pairs[2], pairs[3]]);
        assert_eq!(kept, moved);
        assert_ne!(kept, whole);
        assert_eq!(
            calibrate_sums(&moved, 2, 2.0),
            calibrate(&[pairs[0], (90_000, 71_000), pairs[2], pairs[3]], 2, 2.0)
        );
        assert_eq!(Sums::default().plus(whole).minus(whole), Sums::default());
    }

    #[test]
    fn each_review_is_compared_with_the_others_mean() {
        // 80, 70, 90: the others of 80 average 80; of 70, 85; of 90, 75.
        assert_eq!(
            others_means(&[80_000, 70_000, 90_000]),
            [Some(80_000), Some(85_000), Some(75_000)]
        );
        // Alone on a case: nothing to compare with.
        assert_eq!(others_means(&[80_000]), [None]);
        assert_eq!(others_means(&[]), Vec::<Option<i64>>::new());
        // 1 and 2 thousandths: 1.5 → 2 (half up).
        assert_eq!(others_means(&[5, 1, 2]), [Some(2), Some(4), Some(3)]);
    }

    #[test]
    fn a_veto_or_a_spread_over_the_threshold_is_for_discussion() {
        assert!(for_discussion(1, 0, 15));
        assert!(
            !for_discussion(0, 15_000, 15),
            "exactly the threshold is not over it"
        );
        assert!(for_discussion(0, 15_001, 15));
        assert!(!for_discussion(0, 0, 15));
        assert_eq!(signed_points(3_500), "+3.5");
        assert_eq!(signed_points(-1_250), "-1.25");
        assert_eq!(signed_points(0), "0");
    }

    #[test]
    fn points_read_as_a_person_writes_them() {
        assert_eq!(points(87_500), "87.5");
        assert_eq!(points(90_000), "90");
        assert_eq!(points(72_333), "72.333");
        assert_eq!(points(5), "0.005");
        assert_eq!(points(-1_250), "-1.25");
        assert_eq!(points(0), "0");
        assert_eq!(points(100_050), "100.05");
        assert_eq!(points(-7), "-0.007");
        assert_eq!(points(i64::MIN), "-9223372036854775.808");
    }
}
