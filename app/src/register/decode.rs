//! Turning whatever bytes a council sends into CSV records: UTF-8 with or without a BOM,
//! UTF-16 (either byte order, with or without a BOM), Windows-1252; comma or tab;
//! CRLF, LF or CR-only line ends. The file is decoded as it streams, never held twice.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use std::io::{Chain, Cursor, Read};

/// How much of the file is read up front to recognise its encoding and delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

pub type RecordReader<R> = csv::Reader<LineCounter<DecodeReaderBytes<Chain<Cursor<Vec<u8>>, R>, Vec<u8>>>>;

/// Notes where each line of the decoded text starts, whatever its line ends (the csv
/// crate counts only LF), so that a record's byte offset gives its line in the file.
pub struct LineCounter<R> {
    inner: R,
    starts: Vec<u64>,
    offset: u64,
    last_cr: Option<u64>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            match b {
                b'\r' => {
                    self.starts.push(at + 1);
                    self.last_cr = Some(at);
                }
                // CRLF is one line end, already noted at the CR. (The csv crate places the
                // next record's start on the LF, which is where that line start is.)
                b'\n' if self.last_cr == Some(at.wrapping_sub(1)) => {}
                b'\n' => self.starts.push(at + 1),
                _ => {}
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    /// The 1-based line on which the byte at `offset` lies.
    pub fn line_of(&self, offset: u64) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64 + 1
    }
}

pub struct Opened<R: Read> {
    pub records: RecordReader<R>,
    pub encoding: &'static str,
    pub delimiter: char,
    /// The header row, trimmed, with non-breaking spaces made plain.
    pub headers: Vec<String>,
}

pub fn sniff_encoding(head: &[u8]) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return encoding;
    }
    let sample = &head[..head.len().min(4096)];
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let pairs = sample.len() / 2;
    if pairs > 0 && zeros_odd * 3 > pairs {
        return UTF_16LE;
    }
    if pairs > 0 && zeros_even * 3 > pairs {
        return UTF_16BE;
    }
    match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // A character cut off by the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    }
}

fn sniff_delimiter(first_line: &str) -> u8 {
    let (mut commas, mut tabs, mut quoted) = (0, 0, false);
    for c in first_line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

pub fn open<R: Read>(mut input: R) -> Result<Opened<R>, String> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut input)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if head.is_empty() {
        return Err("the file is empty".into());
    }
    let encoding = sniff_encoding(&head);
    let (decoded_head, _, _) = encoding.decode(&head);
    let first_line = decoded_head.split(['\r', '\n']).next().unwrap_or_default();
    let delimiter = sniff_delimiter(first_line);
    let decoder = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(Cursor::new(head).chain(input));
    let mut records = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(LineCounter { inner: decoder, starts: Vec::new(), offset: 0, last_cr: None });
    let headers = records
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(|h| h.replace('\u{a0}', " ").trim().trim_start_matches('\u{feff}').to_string())
        .collect::<Vec<String>>();
    if headers.iter().all(String::is_empty) {
        return Err("the file has no header row".into());
    }
    Ok(Opened { records, encoding: encoding.name(), delimiter: delimiter as char, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            out.extend(if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    fn rows(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>, &'static str) {
        let mut opened = open(Cursor::new(bytes)).expect("opens");
        let rows = opened
            .records
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        (opened.headers, rows, opened.encoding)
    }

    const TEXT: &str = "Surname,Forename\r\nLlŷr,Siân\r\n\"O'Brien, Jr\",\"Zoë\nAnn\"\r\n";

    #[test]
    fn every_encoding_gives_the_same_rows() {
        let expected =
            vec![vec!["Llŷr".to_string(), "Siân".into()], vec!["O'Brien, Jr".into(), "Zoë\nAnn".into()]];
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(TEXT.as_bytes());
        for (bytes, name) in [
            (TEXT.as_bytes().to_vec(), "UTF-8"),
            (bom, "UTF-8"),
            (utf16(TEXT, true, true), "UTF-16LE"),
            (utf16(TEXT, true, false), "UTF-16LE"),
            (utf16(TEXT, false, true), "UTF-16BE"),
            (utf16(TEXT, false, false), "UTF-16BE"),
        ] {
            let (headers, rows, encoding) = rows(bytes);
            assert_eq!(encoding, name);
            assert_eq!(headers, ["Surname", "Forename"]);
            assert_eq!(rows, expected, "{name}");
        }
    }

    #[test]
    fn windows_1252_is_recognised_when_the_bytes_are_not_utf8() {
        let (encoded, _, _) = WINDOWS_1252.encode("Surname\tForename\r\nAp Rhys\tSiân\r\n");
        let (headers, rows, encoding) = rows(encoded.into_owned());
        assert_eq!(encoding, "windows-1252");
        assert_eq!(headers, ["Surname", "Forename"]);
        assert_eq!(rows, vec![vec!["Ap Rhys".to_string(), "Siân".into()]]);
    }

    #[test]
    fn line_ends_of_every_kind_split_records() {
        for end in ["\r\n", "\n", "\r"] {
            let text = format!("A,B{end}1,2{end}3,4{end}");
            let (_, rows, _) = rows(text.into_bytes());
            assert_eq!(rows.len(), 2, "{end:?}");
            assert_eq!(rows[1], ["3", "4"]);
        }
    }

    #[test]
    fn records_know_their_line_whatever_the_line_ends() {
        for end in ["\r\n", "\n", "\r"] {
            let text = format!("A,B{end}1,\"two{end}lines\"{end}3,4{end}");
            let mut opened = open(Cursor::new(text.into_bytes())).expect("opens");
            let mut lines = Vec::new();
            let mut record = csv::StringRecord::new();
            while opened.records.read_record(&mut record).expect("read") {
                let byte = record.position().expect("position").byte();
                lines.push(opened.records.get_ref().line_of(byte));
            }
            assert_eq!(lines, [2, 4], "{end:?}");
        }
    }

    #[test]
    fn an_empty_file_is_a_clear_error() {
        assert_eq!(open(Cursor::new(Vec::new())).err().as_deref(), Some("the file is empty"));
    }
}
