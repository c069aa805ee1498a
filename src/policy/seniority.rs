//! Counting "N years of work after obtaining X" (CHECKER.md, "How time is counted").

use crate::calendar::add_years;
use chrono::{Duration, NaiveDate};

/// The day on which `years` years of work inside `periods` (inclusive `to`, `None` = still going)
/// counted from `since` are reached, or `None` when the periods as given never get there.
///
/// With one continuous period it is the anniversary of the later of `since` and the period's
/// start; with gaps, that anniversary moved later by the uncovered days in between.
pub fn reached_on(
    periods: &[(NaiveDate, Option<NaiveDate>)],
    since: NaiveDate,
    years: i32,
) -> Option<NaiveDate> {
    let mut clipped: Vec<(NaiveDate, Option<NaiveDate>)> = periods
        .iter()
        .filter_map(|&(from, to)| {
            let start = from.max(since);
            match to {
                Some(t) if t < start => None,
                _ => Some((start, to)),
            }
        })
        .collect();
    if clipped.is_empty() {
        return None;
    }
    clipped.sort_by_key(|p| p.0);
    // Merge overlapping and touching periods.
    let mut merged: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::with_capacity(clipped.len());
    for (start, end) in clipped {
        if let Some(last) = merged.last_mut() {
            match last.1 {
                None => continue,
                Some(last_end) if start <= last_end + Duration::days(1) => {
                    last.1 = end.map(|e| e.max(last_end));
                    continue;
                }
                _ => {}
            }
        }
        merged.push((start, end));
    }
    let first = merged[0].0;
    let needed = (add_years(first, years) - first).num_days();
    let mut covered = 0i64;
    for (start, end) in merged {
        match end {
            None => return Some(start + Duration::days(needed - covered)),
            Some(e) => {
                let len = (e - start).num_days() + 1;
                if covered + len >= needed {
                    return Some(start + Duration::days(needed - covered));
                }
                covered += len;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn one_continuous_period_reaches_the_anniversary() {
        let p = [(d("2015-01-01"), None)];
        assert_eq!(reached_on(&p, d("2020-03-15"), 3), Some(d("2023-03-15")));
        // The period starting later than the certificate: its own start counts.
        let p = [(d("2021-06-01"), None)];
        assert_eq!(reached_on(&p, d("2020-03-15"), 3), Some(d("2024-06-01")));
        // 29 February: the anniversary in a common year is 28 February.
        let p = [(d("2010-01-01"), None)];
        assert_eq!(reached_on(&p, d("2020-02-29"), 3), Some(d("2023-02-28")));
        assert_eq!(reached_on(&p, d("2020-02-29"), 4), Some(d("2024-02-29")));
    }

    #[test]
    fn gaps_move_the_anniversary_later() {
        // Worked 2020-01-01..2020-12-31, 31 days off in January 2021, then again.
        let p = [
            (d("2020-01-01"), Some(d("2020-12-31"))),
            (d("2021-02-01"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), Some(d("2022-02-01")));
        // Touching periods are one continuous period.
        let p = [
            (d("2020-01-01"), Some(d("2020-06-30"))),
            (d("2020-07-01"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), Some(d("2022-01-01")));
        // Overlaps count once.
        let p = [
            (d("2020-01-01"), Some(d("2021-06-30"))),
            (d("2021-01-01"), Some(d("2021-12-31"))),
            (d("2022-01-01"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 3), Some(d("2023-01-01")));
    }

    #[test]
    fn ended_work_may_never_get_there() {
        let p = [(d("2020-01-01"), Some(d("2021-12-31")))];
        assert_eq!(reached_on(&p, d("2020-01-01"), 3), None);
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), Some(d("2022-01-01")));
        assert_eq!(reached_on(&[], d("2020-01-01"), 1), None);
        // Work that ended before the certificate does not count…
        let p = [(d("2010-01-01"), Some(d("2019-12-31")))];
        assert_eq!(reached_on(&p, d("2020-01-01"), 1), None);
        // …nor does it move the first counted day: a year from the later period's start.
        let p = [
            (d("2010-01-01"), Some(d("2019-12-31"))),
            (d("2021-01-01"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 1), Some(d("2022-01-01")));
    }
}

#[cfg(test)]
mod boundaries {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_ending_on_the_first_day_counts_that_day() {
        // The first period covers only the certificate's date; the next one touches it.
        let p = [
            (d("2019-06-01"), Some(d("2020-01-01"))),
            (d("2020-01-02"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 1), Some(d("2021-01-01")));
    }

    #[test]
    fn a_one_day_overlap_is_counted_once() {
        let p = [
            (d("2020-01-01"), Some(d("2020-06-30"))),
            (d("2020-06-30"), None),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 1), Some(d("2021-01-01")));
    }

    #[test]
    fn reached_inside_a_later_closed_period() {
        // 366 days in 2020, a January off, then 365 more needed inside a closed period.
        let p = [
            (d("2020-01-01"), Some(d("2020-12-31"))),
            (d("2021-02-01"), Some(d("2022-12-31"))),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), Some(d("2022-02-01")));
        // Ending on 2022-01-31 is exactly enough (reached the next day); a day less is not.
        let p = [
            (d("2020-01-01"), Some(d("2020-12-31"))),
            (d("2021-02-01"), Some(d("2022-01-31"))),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), Some(d("2022-02-01")));
        let p = [
            (d("2020-01-01"), Some(d("2020-12-31"))),
            (d("2021-02-01"), Some(d("2022-01-30"))),
        ];
        assert_eq!(reached_on(&p, d("2020-01-01"), 2), None);
    }
}
