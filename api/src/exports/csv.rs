//! RFC 4180 CSV cells that are safe to open in a spreadsheet.
//!
//! Quoting: a field holding a comma, a double quote, CR or LF is quoted and
//! its quotes doubled; records end with CRLF.
//!
//! Formula injection: a spreadsheet evaluates a cell starting with `=`, `+`,
//! `-` or `@` (and, in some, after a leading tab or CR) as a formula, so a
//! journal entry titled `=HYPERLINK(…)` could run when the export is opened.
//! Such a cell is prefixed with `'`, which spreadsheets show as text (OWASP's
//! advice). The apostrophe is visible in a plain CSV reader; that is the
//! accepted price of an export that is safe by default.

use std::borrow::Cow;

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet will read it as plain text.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_TRIGGERS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Appends one field, neutralised and quoted when needed.
fn push_field(out: &mut String, cell: &str) {
    let cell = neutralise(cell);
    if cell.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

/// Appends one record terminated by CRLF.
pub fn push_record<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, cell.as_ref());
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(cells: &[&str]) -> String {
        let mut out = String::new();
        push_record(&mut out, cells);
        out
    }

    #[test]
    fn plain_fields_stay_bare_and_records_end_in_crlf() {
        assert_eq!(record(&["a", "b c", ""]), "a,b c,\r\n");
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(
            record(&["a,b", "say \"hi\"", "two\nlines", "cr\r"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\"\r\n"
        );
    }

    #[test]
    fn formula_triggers_are_made_inert() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(cell), format!("'{cell}"));
        }
        assert_eq!(neutralise("a=b"), "a=b");
        // Neutralised and quoted when it also needs quoting.
        assert_eq!(record(&["=A1,B1"]), "\"'=A1,B1\"\r\n");
    }
}
