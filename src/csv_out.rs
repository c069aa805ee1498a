//! The one writer of every CSV the program produces (the checker's verdicts, and the exports a
//! spreadsheet opens). Every cell goes through [`neutralise`]: a cell that starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is a formula to a spreadsheet (`=HYPERLINK(…)` would be
//! live), so it is written with a leading `'`, which spreadsheets show as text. A file meant for
//! a spreadsheet starts with a UTF-8 byte order mark, without which Excel reads Chinese as
//! mojibake; a file meant for programs (`guantong check --csv`) does not.

use std::borrow::Cow;
use std::io::Write;

/// Who reads the file: a spreadsheet (byte order mark first) or a program (none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Spreadsheet,
    Program,
}

/// A CSV being written, row by row, straight to `out` (constant memory whatever its length).
pub struct CsvOut<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvOut<W> {
    pub fn new(mut out: W, reader: Reader) -> std::io::Result<CsvOut<W>> {
        if reader == Reader::Spreadsheet {
            out.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvOut {
            w: csv::Writer::from_writer(out),
        })
    }

    /// The rest of a file whose beginning (and byte order mark) was written by another
    /// writer: an export written a page at a time.
    pub fn continued(out: W) -> CsvOut<W> {
        CsvOut {
            w: csv::Writer::from_writer(out),
        }
    }

    /// Writes one row, each cell neutralised.
    pub fn row<I, S>(&mut self, cells: I) -> std::io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<S> = cells.into_iter().collect();
        let record = cells.iter().map(|c| neutralise(c.as_ref()));
        self.w
            .write_record(record.map(|c| c.into_owned()))
            .map_err(io_error)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }

    /// The writer underneath, flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// A cell as a spreadsheet must see it: as text, never a formula. Spaces, line breaks and
/// invisible characters before the sign count for nothing (a spreadsheet that trims them on
/// import would see the formula).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let invisible = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
    };
    let first = cell.chars().next();
    let after_blanks = cell.chars().find(|c| !invisible(*c));
    match (first, after_blanks) {
        (Some('\t' | '\r'), _) | (_, Some('=' | '+' | '-' | '@')) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(reader: Reader, rows: &[&[&str]]) -> String {
        let mut out = CsvOut::new(Vec::new(), reader).unwrap();
        for row in rows {
            out.row(row.iter()).unwrap();
        }
        String::from_utf8(out.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn formula_cells_are_text_and_a_spreadsheet_gets_a_bom() {
        let text = written(
            Reader::Spreadsheet,
            &[&[
                "=HYPERLINK(\"http://x\",\"点我\")",
                "+1",
                "-2",
                "@SUM(A1)",
                "\tx",
                "张三, 李四",
            ]],
        );
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",'+1,'-2,'@SUM(A1),'\tx,\"张三, 李四\"\n"
        );
        let plain = written(Reader::Program, &[&["a", "1", "中文"]]);
        assert_eq!(plain, "a,1,中文\n");
        assert_eq!(neutralise("2026-01-01"), "2026-01-01");
        // Blank or invisible characters before the sign hide nothing.
        for hidden in [
            "\n=1+1",
            " =1",
            "\u{3000}=1",
            "\u{200b}=cmd|x",
            "\u{feff}@SUM(A1)",
            "\n\n-2",
        ] {
            assert!(neutralise(hidden).starts_with('\''), "{hidden:?}");
        }
        assert_eq!(neutralise(" 正常的意见"), " 正常的意见");
    }
}
