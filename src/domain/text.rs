//! Small text values: names, login names, mobile numbers, passwords.

/// Characters that change how text looks without being seen: control characters, zero-width
/// characters and bidirectional overrides (which can make `exe.pdf` read as `fdp.exe`).
pub fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{180E}')
}

/// Any required single-line text, trimmed, 1..=max characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredText(String);

impl RequiredText {
    pub fn parse(input: &str, what: &str, max: usize) -> Result<RequiredText, String> {
        let s = input.trim();
        if s.is_empty() {
            return Err(format!("请输入{what}"));
        }
        if s.chars().count() > max {
            return Err(format!("{what}不能超过{max}个字"));
        }
        if s.chars().any(invisible) {
            return Err(format!("{what}不能包含控制字符、零宽字符或文字方向控制符"));
        }
        Ok(RequiredText(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// 姓名: 1 to 50 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, String> {
        RequiredText::parse(input, "姓名", 50).map(|t| PersonName(t.into_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 登录名: 3 to 32 of letters, digits, '-', '_' and '.'.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginName(String);

impl LoginName {
    pub fn parse(input: &str) -> Result<LoginName, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("请输入登录名");
        }
        if !(3..=32).contains(&s.len()) {
            return Err("登录名应为3至32个字符");
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err("登录名只能包含字母、数字和 - _ .");
        }
        Ok(LoginName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 手机号码: 11 digits starting with 1[3-9].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(input: &str) -> Result<MobileNumber, &'static str> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if s.is_empty() {
            return Err("请输入手机号码");
        }
        let b = s.as_bytes();
        if b.len() != 11
            || !b.iter().all(u8::is_ascii_digit)
            || b[0] != b'1'
            || !(b'3'..=b'9').contains(&b[1])
        {
            return Err("手机号码应为11位数字，以13至19开头");
        }
        Ok(MobileNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 8 characters (at most 128), with letters and digits.
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Password, &'static str> {
        if input.is_empty() {
            return Err("请输入密码");
        }
        let n = input.chars().count();
        if n < 8 {
            return Err("密码至少8位，且须同时包含字母和数字");
        }
        if n > 128 {
            return Err("密码不能超过128位");
        }
        if !input.chars().any(|c| c.is_ascii_alphabetic())
            || !input.chars().any(|c| c.is_ascii_digit())
        {
            return Err("密码须同时包含字母和数字");
        }
        Ok(Password(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        assert!(Password::parse("abc12345").is_ok());
        assert!(Password::parse("").is_err());
        assert!(Password::parse("abc1234").is_err());
        assert!(Password::parse("abcdefgh").is_err());
        assert!(Password::parse("12345678").is_err());
    }

    #[test]
    fn mobiles_and_logins() {
        assert_eq!(
            MobileNumber::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert!(MobileNumber::parse("12800138000").is_err());
        assert!(MobileNumber::parse("1380013800").is_err());
        assert!(LoginName::parse("demo-admin").is_ok());
        assert!(LoginName::parse("ab").is_err());
        assert!(LoginName::parse("张三").is_err());
        assert_eq!(
            RequiredText::parse("  ", "单位名称", 10).unwrap_err(),
            "请输入单位名称"
        );
        for sneaky in [
            "上海\u{200B}公司",
            "上海\u{202E}司公",
            "a\u{0007}b",
            "x\u{FEFF}",
        ] {
            assert!(
                RequiredText::parse(sneaky, "单位名称", 50).is_err(),
                "{sneaky:?}"
            );
            assert!(PersonName::parse(sneaky).is_err(), "{sneaky:?}");
        }
    }
}

/// A name as a public notice shows it: the first and last characters, the rest masked
/// (张建国 → 张*国, 李四 → 李*).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn names_are_masked_for_notices() {
        assert_eq!(super::mask_name("张建国"), "张*国");
        assert_eq!(super::mask_name("李四"), "李*");
        assert_eq!(super::mask_name("欧阳娜娜"), "欧**娜");
    }
}
