//! PURE: the annual assessments (年度考核) as a form types them. One rule for the applicant's
//! declaration and for the employer's record, so that a year one of them may enter the other
//! may too; which years count is the engine's ([`crate::policy::assessment_years`]).

use super::Assessment;
use crate::domain::{AssessmentResult, FieldErrors};

/// How far back a typed year may go: the rules look at three years, ten leave room for a
/// record kept late, and anything older is a typing mistake.
pub const OLDEST_YEAR_BACK: i32 = 10;

/// The year typed in `field`, or why it is not one an assessment can have been made in by
/// `this_year`: left empty, not a year, after this year, or far in the past.
pub fn year(errors: &mut FieldErrors, field: &str, typed: &str, this_year: i32) -> Option<i32> {
    let typed = typed.trim();
    if typed.is_empty() {
        errors.add(field, format!("请填写考核年度，如 {}", this_year - 1));
        return None;
    }
    let Some(y) = typed
        .parse::<i32>()
        .ok()
        .filter(|_| typed.len() == 4 && typed.bytes().all(|b| b.is_ascii_digit()))
    else {
        errors.add(
            field,
            format!(
                "考核年度“{typed}”不是年份，请填写四位数字，如 {}",
                this_year - 1
            ),
        );
        return None;
    };
    let oldest = this_year - OLDEST_YEAR_BACK;
    if y > this_year {
        errors.add(
            field,
            format!("考核年度不能晚于今年（{this_year}），请填写已经考核的年度"),
        );
        return None;
    }
    if y < oldest {
        errors.add(
            field,
            format!("考核年度不能早于 {oldest} 年：申报只看近3年的年度考核"),
        );
        return None;
    }
    Some(y)
}

/// The assessments of a form's rows (`assess{i}_year`, `assess{i}_result`, as typed) and every
/// problem beside its field. `required`: every row needs its result (a row left without one is
/// otherwise skipped, for a section saved half-filled).
pub fn parse(
    rows: &[(&str, &str)],
    this_year: i32,
    required: bool,
) -> (Vec<Assessment>, FieldErrors) {
    let mut errors = FieldErrors::default();
    let mut out: Vec<Assessment> = Vec::new();
    for (i, (year_typed, result_typed)) in rows.iter().enumerate() {
        let (year_field, result_field) = (format!("assess{i}_year"), format!("assess{i}_result"));
        let result_typed = result_typed.trim();
        if result_typed.is_empty() && !required {
            continue;
        }
        let y = year(&mut errors, &year_field, year_typed, this_year);
        let result = match (result_typed, AssessmentResult::parse(result_typed)) {
            ("", _) => {
                let which = y.map(|y| format!("{y}年度的")).unwrap_or_default();
                errors.add(&result_field, format!("请选择{which}考核结果"));
                None
            }
            (_, None) => {
                errors.add(
                    &result_field,
                    format!("考核结果“{result_typed}”不在可选范围内，请从列表中选择"),
                );
                None
            }
            (_, Some(r)) => Some(r),
        };
        let Some(y) = y else { continue };
        if out.iter().any(|a| a.year == y) {
            errors.add(&year_field, format!("{y}年度重复填写，每个年度只填一次"));
            continue;
        }
        if let Some(result) = result {
            out.push(Assessment { year: y, result });
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_row() {
        let (ok, e) = parse(
            &[("2023", "合格"), ("2024", "良好"), ("2025", "优秀")],
            2026,
            true,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(ok.len(), 3);
        // This year's may be recorded; next year's not; a number that is no year says so.
        let (_, e) = parse(
            &[("2026", "合格"), ("2027", "合格"), ("20x5", "合格")],
            2026,
            true,
        );
        assert!(e.get("assess0_year").is_none());
        assert!(e.get("assess1_year").unwrap().contains("不能晚于今年"));
        assert!(e.get("assess2_year").unwrap().contains("不是年份"));
        // Missing is asked for; a value not on the list says what was typed.
        let (_, e) = parse(&[("", "合格"), ("2024", ""), ("2025", "很好")], 2026, true);
        assert!(e.get("assess0_year").unwrap().starts_with("请填写"));
        assert!(e.get("assess1_result").unwrap().contains("请选择2024年度"));
        assert!(e.get("assess2_result").unwrap().contains("“很好”"));
        // Half-filled: a row without its result is skipped.
        let (ok, e) = parse(
            &[("2024", ""), ("2024", "合格"), ("2024", "合格")],
            2026,
            false,
        );
        assert_eq!(ok.len(), 1);
        assert!(e.get("assess2_year").unwrap().contains("重复"));
    }
}
