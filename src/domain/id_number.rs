//! 居民身份证号 (GB 11643-1999): 17 digits and a check character.

use chrono::NaiveDate;
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// A resident identity card number whose check digit and birth date are valid.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl IdNumber {
    pub fn parse(input: &str) -> Result<IdNumber, &'static str> {
        let s: String = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err("请输入居民身份证号");
        }
        if s.chars().count() != 18 {
            return Err("居民身份证号应为18位");
        }
        let bytes = s.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err("居民身份证号前17位应为数字，最后一位为数字或X");
        }
        let birth = std::str::from_utf8(&bytes[6..14])
            .ok()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
        match birth {
            Some(d) if d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) => {}
            _ => return Err("居民身份证号中的出生日期无效"),
        }
        let sum: u32 = bytes[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        if CHECK[(sum % 11) as usize] != bytes[17] {
            return Err("居民身份证号校验码不正确，请核对后重新输入");
        }
        Ok(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Shown everywhere instead of the number (see [`mask_id_number`]).
    pub fn masked(&self) -> String {
        mask_id_number(&self.0)
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked by parse")
    }

    /// The birth year and month, as pages show it (never the day: see [`mask_id_number`]).
    pub fn birth_month_zh(&self) -> String {
        self.birth_date().format("%Y年%m月").to_string()
    }

    /// 男 when the 17th digit is odd, else 女.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// 男 or 女, as forms and dossiers show it.
    pub fn gender(&self) -> &'static str {
        if self.is_male() {
            "男"
        } else {
            "女"
        }
    }
}

/// Masks a stored ID number: the first 3 characters and the check character are kept
/// (`310**************X`), so a person recognises their own number, and nobody can rebuild it.
///
/// Why this leaves at least 10⁴ candidates, even for someone who knows the person was born in
/// Shanghai and reads everything any page shows beside the mask (name, sex, 出生年月 — the year
/// and month of birth, never the day):
/// - digits 4–6, the district: Shanghai has at least 16 codes in use (310101 … 310151), and
///   older ones besides;
/// - digits 13–14, the day of birth: 28 to 31 possibilities, since pages show the month only;
/// - digits 15–16 of the sequence: 100 possibilities;
/// - digit 17: 5 possibilities once the sex is known (odd for men, even for women);
/// - the check character is shown, which keeps about 1 candidate in 11.
///
/// So at least 16 × 28 × 100 × 5 / 11 ≈ 20 000 numbers fit what a page shows. Showing the last 4
/// characters and the birth day, as before, left 2 or 3. `tests/api/privacy.rs` rebuilds the
/// candidates from the pages themselves and fails below 10⁴.
pub fn mask_id_number(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    format!(
        "{head}{}{}",
        "*".repeat(chars.len() - 4),
        chars[chars.len() - 1]
    )
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 11010519491231002X is the standard's own example.
    #[test]
    fn accepts_valid_numbers_and_lowercase_x() {
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert!(!id.is_male());
        assert_eq!(id.masked(), "110**************X");
        assert_eq!(id.birth_month_zh(), "1949年12月");
        // Check digit right, but born before 1900: not a living applicant.
        assert!(IdNumber::parse("440524188001010014")
            .unwrap_err()
            .contains("出生日期"));
    }

    #[test]
    fn refuses_each_kind_of_bad_number() {
        assert_eq!(IdNumber::parse(" ").unwrap_err(), "请输入居民身份证号");
        assert_eq!(
            IdNumber::parse("1101051949123100").unwrap_err(),
            "居民身份证号应为18位"
        );
        assert!(IdNumber::parse("11010519491231002A")
            .unwrap_err()
            .contains("最后一位"));
        assert!(IdNumber::parse("110105194913310021")
            .unwrap_err()
            .contains("出生日期"));
        assert!(IdNumber::parse("110105194912310021")
            .unwrap_err()
            .contains("校验码"));
    }
}
