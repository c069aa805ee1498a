//! Small text values: names, login names, mobile numbers, passwords; and [`free_text`], the
//! one check every typed text goes through.

/// Characters that set the direction text is shown in: an override or isolate, a mark. U+202E
/// makes `exe.pdf` read as `fdp.exe`, and a name or an opinion read otherwise than it is stored.
pub fn direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that take no space: zero-width space, non-joiner and joiner, word joiner and the
/// invisible operators, the byte order mark, the Mongolian vowel separator.
pub fn zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2065}' | '\u{FEFF}' | '\u{180E}')
}

/// Characters that change how text looks without being seen: control characters, zero-width
/// characters and bidirectional controls.
pub fn invisible(c: char) -> bool {
    c.is_control() || zero_width(c) || direction(c)
}

/// How a text field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line: a name, a number, a title. No line break or tab, and no zero-width character
    /// anywhere (two names that look the same would differ).
    One,
    /// Free text in a text area (a description, an opinion): line breaks and tabs are part of
    /// it, and a zero-width joiner inside it (an emoji's) is kept.
    Many,
}

/// Why typed text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    /// Nothing visible: empty, or only spaces and zero-width characters.
    Missing,
    /// More characters than allowed: (the most allowed, how many were typed).
    TooLong(usize, usize),
    /// A bidirectional control ([`direction`]).
    Direction,
    /// A control character: anything of C0 but a line break or tab (a NUL, which PostgreSQL
    /// cannot store, a bell, an escape), DEL and C1; in one line, a line break or tab too.
    Control,
    /// A zero-width character inside one line.
    ZeroWidth,
    /// U+FFFD, the mark put where bytes were not text (a form sent in another encoding): what
    /// was meant is lost, so it is not stored as if it had been typed.
    Unreadable,
}

impl TextError {
    /// The message beside the field, naming it (`what`: 单位名称). Each says what to do: the
    /// character cannot be seen, so the person is told where it came from.
    pub fn message(self, what: &str) -> String {
        match self {
            TextError::Missing => format!("请填写{what}"),
            TextError::TooLong(max, n) => {
                format!("{what}不能超过{max}字，现有{n}字，请删减")
            }
            TextError::Direction => format!(
                "{what}含有看不见的文字方向控制字符（会使文字显示的顺序与实际不同，多随复制粘贴带入），请删除后重新输入"
            ),
            TextError::Control => format!(
                "{what}含有看不见的控制字符（多随复制粘贴带入），请删除后重新输入"
            ),
            TextError::ZeroWidth => format!(
                "{what}含有看不见的零宽字符等控制字符（多随复制粘贴带入），请删除后重新输入"
            ),
            TextError::Unreadable => format!(
                "{what}含有无法识别的字符“\u{FFFD}”（多因文字编码错误），请删除后重新输入"
            ),
        }
    }
}

/// Typed text, checked the one way every text field is: trimmed; nothing but whitespace and
/// zero-width characters is nothing typed (`Ok("")`, so a required field says it is missing
/// rather than storing something that looks empty); a direction control is refused, and so is a
/// control character and the replacement character (see [`TextError`]); at most `max`
/// characters. Returns the text to store.
pub fn free_text(input: &str, lines: Lines, max: usize) -> Result<String, TextError> {
    let s = input.trim();
    if s.chars().all(|c| c.is_whitespace() || zero_width(c)) {
        return Ok(String::new());
    }
    if s.chars().any(direction) {
        return Err(TextError::Direction);
    }
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    if s.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextError::Control);
    }
    if lines == Lines::One && s.chars().any(zero_width) {
        return Err(TextError::ZeroWidth);
    }
    if s.contains('\u{FFFD}') {
        return Err(TextError::Unreadable);
    }
    let n = s.chars().count();
    if n > max {
        return Err(TextError::TooLong(max, n));
    }
    Ok(s.to_string())
}

/// [`free_text`] that must hold something.
pub fn required_text(input: &str, lines: Lines, max: usize) -> Result<String, TextError> {
    match free_text(input, lines, max)? {
        s if s.is_empty() => Err(TextError::Missing),
        s => Ok(s),
    }
}

/// What a text field takes: one line or many, at most `max` characters, required or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextField {
    pub lines: Lines,
    pub max: usize,
    pub required: bool,
}

impl TextField {
    /// A required line (an input).
    pub const fn line(max: usize) -> TextField {
        TextField {
            lines: Lines::One,
            max,
            required: true,
        }
    }

    /// A required text area.
    pub const fn paragraph(max: usize) -> TextField {
        TextField {
            lines: Lines::Many,
            max,
            required: true,
        }
    }

    /// The same, which may be left empty.
    pub const fn optional(self) -> TextField {
        TextField {
            required: false,
            ..self
        }
    }

    /// The same, required when `required`.
    pub const fn required_if(self, required: bool) -> TextField {
        TextField { required, ..self }
    }

    /// The text to store (`""` for an optional field left empty), or why not.
    pub fn parse(self, input: &str) -> Result<String, TextError> {
        match self.required {
            true => required_text(input, self.lines, self.max),
            false => free_text(input, self.lines, self.max),
        }
    }
}

/// Any required single-line text, trimmed, 1..=max characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredText(String);

impl RequiredText {
    pub fn parse(input: &str, what: &str, max: usize) -> Result<RequiredText, String> {
        match required_text(input, Lines::One, max) {
            Ok(s) => Ok(RequiredText(s)),
            Err(TextError::Missing) => Err(format!("请输入{what}")),
            Err(e) => Err(e.message(what)),
        }
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

/// A telephone number as people write it: a mobile, or a landline with its area code and an
/// extension (`021-6234 5678`, `021-62345678-801`). Spaces are dropped; 7 to 20 digits.
pub fn phone_number(input: &str) -> Result<String, &'static str> {
    const WRONG: &str = "电话号码应为11位手机号码，或带区号的固定电话（如 021-62345678，分机可写作 021-62345678-801）";
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let bare = s
        .strip_prefix("+86")
        .or_else(|| s.strip_prefix("0086"))
        .unwrap_or(&s)
        .trim_start_matches('-');
    let parts: Vec<&str> = bare.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(WRONG);
    }
    let ok = match parts.as_slice() {
        [mobile] if mobile.starts_with('1') => MobileNumber::parse(mobile).is_ok(),
        // An area code written together with the number: 0 and 9 to 11 digits more.
        [whole] => whole.starts_with('0') && (10..=12).contains(&whole.len()),
        [area, local, ext @ ..] => {
            area.starts_with('0')
                && (3..=4).contains(&area.len())
                && (7..=8).contains(&local.len())
                && ext.len() <= 1
                && ext.iter().all(|e| e.len() <= 6)
        }
        [] => false,
    };
    if ok {
        Ok(s)
    } else {
        Err(WRONG)
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
    fn only_invisible_characters_count_as_nothing_typed() {
        for nothing in [
            "",
            "   ",
            "\u{200B}",
            "\u{200C}\u{200D}",
            "\u{2060}",
            "\u{FEFF}",
            " \u{200B}\t\u{3000}\n",
        ] {
            assert_eq!(
                free_text(nothing, Lines::One, 10),
                Ok(String::new()),
                "{nothing:?}"
            );
            assert_eq!(
                free_text(nothing, Lines::Many, 10),
                Ok(String::new()),
                "{nothing:?}"
            );
            assert_eq!(
                required_text(nothing, Lines::Many, 10),
                Err(TextError::Missing),
                "{nothing:?}"
            );
            assert_eq!(
                RequiredText::parse(nothing, "单位名称", 10).unwrap_err(),
                "请输入单位名称"
            );
        }
    }

    #[test]
    fn direction_controls_are_refused_with_a_message_that_says_so() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            for lines in [Lines::One, Lines::Many] {
                let typed = format!("申报{c}材料");
                assert_eq!(
                    free_text(&typed, lines, 100),
                    Err(TextError::Direction),
                    "{c:?}"
                );
            }
            // Alone it is not "nothing typed": it is refused for what it is.
            assert_eq!(
                free_text(&c.to_string(), Lines::One, 9),
                Err(TextError::Direction)
            );
        }
        let message = TextError::Direction.message("成果简介");
        assert!(message.starts_with("成果简介") && message.contains("文字方向控制字符"));
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_free_text() {
        for c in [
            '\0', '\u{1}', '\u{7}', '\u{8}', '\u{B}', '\u{C}', '\u{1B}', '\u{1F}', '\u{7F}',
            '\u{85}',
        ] {
            for lines in [Lines::One, Lines::Many] {
                assert_eq!(
                    free_text(&format!("a{c}b"), lines, 10),
                    Err(TextError::Control),
                    "{c:?}"
                );
            }
        }
        assert_eq!(free_text("\0", Lines::Many, 10), Err(TextError::Control));
        assert_eq!(
            free_text(" 第一行\r\n\t第二行 ", Lines::Many, 10),
            Ok("第一行\r\n\t第二行".into())
        );
        for c in ['\n', '\r', '\t'] {
            assert_eq!(
                free_text(&format!("a{c}b"), Lines::One, 10),
                Err(TextError::Control),
                "{c:?}"
            );
        }
        assert!(TextError::Control.message("地址").contains("控制字符"));
    }

    #[test]
    fn zero_width_inside_one_line_is_refused_and_kept_in_free_text() {
        assert_eq!(
            free_text("上海\u{200B}公司", Lines::One, 10),
            Err(TextError::ZeroWidth)
        );
        assert_eq!(
            free_text("👨\u{200D}🔧 焊工", Lines::Many, 10),
            Ok("👨\u{200D}🔧 焊工".into())
        );
        assert_eq!(
            free_text("一二三", Lines::One, 2),
            Err(TextError::TooLong(2, 3))
        );
        assert_eq!(free_text(" 一二 ", Lines::One, 2), Ok("一二".into()));
        assert_eq!(
            TextError::TooLong(2, 3).message("名称"),
            "名称不能超过2字，现有3字，请删减"
        );
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("abc12345").is_ok());
        assert!(Password::parse("").is_err());
        assert!(Password::parse("abc1234").is_err());
        assert!(Password::parse("abcdefgh").is_err());
        assert!(Password::parse("12345678").is_err());
    }

    #[test]
    fn phone_numbers_are_mobiles_or_landlines_with_their_area_code() {
        for good in [
            "13812345678",
            "021-62345678",
            "021-6234 5678",
            "02162345678",
            "0571-8765432",
            "021-62345678-801",
            "+86 138 1234 5678",
        ] {
            assert!(phone_number(good).is_ok(), "{good}");
        }
        for bad in [
            "12345678901",
            "58001234",
            "021-580012",
            "abc",
            "021-62345678-801-9",
            "",
            "1381234567",
        ] {
            assert!(phone_number(bad).is_err(), "{bad}");
        }
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

    #[test]
    fn bytes_that_were_not_text_are_refused() {
        assert_eq!(
            crate::domain::text::free_text(
                "理由\u{FFFD}\u{FFFD}",
                crate::domain::text::Lines::Many,
                100
            ),
            Err(crate::domain::text::TextError::Unreadable)
        );
        assert!(crate::domain::text::TextError::Unreadable
            .message("退回理由")
            .starts_with("退回理由含有无法识别"));
    }
}
