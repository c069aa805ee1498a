//! HTML escaping for the templates (askama.toml): askama's own, after one pass that finds most
//! values (names, dates, numbers, Chinese text) hold nothing to escape, and writes them whole.
//! askama's escaper looks at one byte after another and writes between the escapes; on the
//! employer's list that was 7 % of the page.

use std::fmt;

use askama::filters::Escaper;

#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl Escaper for Html {
    #[inline]
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, s: &str) -> fmt::Result {
        if needs_escaping(s.as_bytes()) {
            askama::filters::Html.write_escaped_str(dest, s)
        } else {
            dest.write_str(s)
        }
    }

    #[inline]
    fn write_escaped_char<W: fmt::Write>(&self, dest: W, c: char) -> fmt::Result {
        askama::filters::Html.write_escaped_char(dest, c)
    }
}

/// Whether any byte is one askama escapes. No early exit, so the compiler can test many bytes
/// at once.
fn needs_escaping(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |any, &b| {
        any | matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(s: &str) -> String {
        let mut out = String::new();
        Html.write_escaped_str(&mut out, s).unwrap();
        out
    }

    fn askamas(s: &str) -> String {
        let mut out = String::new();
        askama::filters::Html
            .write_escaped_str(&mut out, s)
            .unwrap();
        out
    }

    #[test]
    fn escapes_exactly_as_askama_does() {
        let pieces = [
            "",
            "a",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "王",
            "&#60;",
            "<script>",
            " ",
            "1",
            "\u{0}",
            "🙂",
            "申报编号",
            "a&b",
            "x'y\"z",
        ];
        // Every sequence of up to three pieces, then long runs (past any block size).
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(ours(&s), askamas(&s), "{s:?}");
                }
            }
        }
        for p in pieces {
            let s = p.repeat(97) + "<" + &"中".repeat(33);
            assert_eq!(ours(&s), askamas(&s));
            let s = "中".repeat(40) + p;
            assert_eq!(ours(&s), askamas(&s));
        }
    }

    #[derive(askama::Template)]
    #[template(source = "<p title=\"{{ v }}\">{{ v }}{{ n }}</p>", ext = "html")]
    struct Probe<'a> {
        v: &'a str,
        n: i64,
    }

    #[test]
    fn templates_use_it_and_still_escape() {
        use askama::Template;
        let page = Probe {
            v: "<b>\"王\"&'",
            n: -3,
        }
        .render()
        .unwrap();
        assert_eq!(
            page,
            "<p title=\"&#60;b&#62;&#34;王&#34;&#38;&#39;\">&#60;b&#62;&#34;王&#34;&#38;&#39;-3</p>"
        );
    }
}
