//! 统一社会信用代码 (GB 32100-2015): 18 characters from an alphabet without I, O, S, V, Z, the last a
//! check character. A few genuine early codes fail the check, so a mismatch is a question for the
//! user (confirm the code), not a refusal.

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditCode {
    code: String,
    check_ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not a credit code at all: the message says why.
    Invalid(&'static str),
    /// Well formed, but the check character does not match; may be confirmed.
    CheckMismatch,
}

impl CreditCodeError {
    pub fn message(&self) -> &'static str {
        match self {
            CreditCodeError::Invalid(m) => m,
            CreditCodeError::CheckMismatch => {
                "统一社会信用代码校验位不符。请核对营业执照；如确认无误（少数早期代码如此），请勾选“确认代码无误”后再提交"
            }
        }
    }
}

impl CreditCode {
    /// Parses a code; a check mismatch is refused unless `confirmed` is true.
    pub fn parse(input: &str, confirmed: bool) -> Result<CreditCode, CreditCodeError> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(CreditCodeError::Invalid("请输入统一社会信用代码"));
        }
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Invalid("统一社会信用代码应为18位"));
        }
        let mut values = Vec::with_capacity(18);
        for b in code.bytes() {
            match ALPHABET.iter().position(|&a| a == b) {
                Some(v) => values.push(v as u32),
                None => {
                    return Err(CreditCodeError::Invalid(
                        "统一社会信用代码只能由数字和大写字母组成（不含 I、O、S、V、Z）",
                    ))
                }
            }
        }
        let check_ok = check_char(&values[..17]) == values[17];
        if !check_ok && !confirmed {
            return Err(CreditCodeError::CheckMismatch);
        }
        Ok(CreditCode { code, check_ok })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// False when the user confirmed a code whose check character does not match.
    pub fn check_ok(&self) -> bool {
        self.check_ok
    }
}

fn check_char(values: &[u32]) -> u32 {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for v in values {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    (31 - sum % 31) % 31
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_codes() {
        let c = CreditCode::parse("91350100m000100y43", false).unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        assert!(c.check_ok());
        assert!(CreditCode::parse("91310000132149237G", false).is_ok());
    }

    #[test]
    fn mismatch_needs_confirmation() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44", false),
            Err(CreditCodeError::CheckMismatch)
        );
        let c = CreditCode::parse("91350100M000100Y44", true).unwrap();
        assert!(!c.check_ok());
    }

    #[test]
    fn refuses_malformed_codes_even_when_confirmed() {
        assert!(matches!(
            CreditCode::parse("", true),
            Err(CreditCodeError::Invalid(_))
        ));
        assert!(matches!(
            CreditCode::parse("9135010", true),
            Err(CreditCodeError::Invalid(_))
        ));
        assert!(matches!(
            CreditCode::parse("91350100M000100I43", true),
            Err(CreditCodeError::Invalid(_))
        ));
    }
}
