//! CSV downloads: one way to write them, safe to open in a spreadsheet.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// What a spreadsheet may take as the start of a formula: `=`, `+`, `-`, `@`, and a tab
/// or carriage return (some spreadsheets skip those and read the formula after them).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A field a spreadsheet would run as a formula gets a leading `'`.
pub fn defuse(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The header and rows as CSV text (quoted by the csv crate, CRLF line ends).
pub fn write<I, R, S>(header: &[&str], rows: I) -> Result<String, csv::Error>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        let fields: Vec<String> = row.into_iter().map(|f| defuse(f.as_ref()).into_owned()).collect();
        writer.write_record(&fields)?;
    }
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A CSV file download that is never cached.
pub fn attachment(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let text = write(&["a", "b"], [vec!["=SUM(A1)", "x, \"y\""], vec!["-1", "plain"]]).expect("csv");
        assert_eq!(text, "a,b\r\n'=SUM(A1),\"x, \"\"y\"\"\"\r\n'-1,plain\r\n");
    }

    #[test]
    fn a_tab_or_carriage_return_in_front_of_a_formula_is_defused_too() {
        assert_eq!(defuse("\t=HYPERLINK(\"x\")"), "'\t=HYPERLINK(\"x\")");
        assert_eq!(defuse("\r=1+1"), "'\r=1+1");
        assert_eq!(defuse("plain\tvalue"), "plain\tvalue");
        let text = write(&["a"], [vec!["\t=1"]]).expect("csv");
        assert_eq!(text, "a\r\n'\t=1\r\n");
    }
}
