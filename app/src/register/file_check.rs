//! Checking a register file row by row before anything is written: the rows that can be
//! taken, the ones that cannot (by line and column), and whom the import must not mark as left.

use super::import::Progress;
use super::layout::Mapping;
use super::matching::{Keep, Present};
use super::row::{self, RegisterRow};
use super::Rejection;
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// The rows of a register file that can be taken, the ones that cannot (by line and
/// column), and whom the import must not mark as left. Reads only: no database.
pub struct Checked {
    pub rows: Vec<RegisterRow>,
    pub rejected: Vec<Rejection>,
    pub(super) keep: Keep,
}

pub fn check<R: Read>(
    opened: &mut super::decode::Opened<R>,
    mapping: &Mapping,
    progress: &mut impl FnMut(Progress),
) -> Checked {
    let started = std::time::Instant::now();
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut first_line_of: HashMap<super::ElectorNumber, u64> = HashMap::new();
    // People on rows we could not take have not left; if a bad row has no readable
    // number we cannot tell who it was, so nobody is marked as left this time.
    let mut unreadable: HashSet<super::ElectorNumber> = HashSet::new();
    let mut unknown_who = false;
    let mut record = csv::StringRecord::new();
    loop {
        let start = opened.records.position().byte();
        match opened.records.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                unknown_who = true;
                let byte = e.position().map_or(start, |p| p.byte());
                let line = opened.records.get_ref().line_of(byte);
                rejected.push(Rejection {
                    line,
                    column: String::new(),
                    reason: format!("unreadable row: {e}"),
                });
                continue;
            }
        }
        let line = opened.records.get_ref().line_of(record.position().map_or(start, |p| p.byte()));
        match row::read(&record, mapping, &opened.headers, line) {
            Ok(r) => match first_line_of.get(&r.number) {
                Some(first) => rejected.push(Rejection {
                    line,
                    column: "elector number".into(),
                    reason: format!("{} appears twice (first on line {first})", r.number),
                }),
                None => {
                    first_line_of.insert(r.number.clone(), line);
                    rows.push(r);
                }
            },
            Err(e) => {
                match e.number {
                    Some(n) => {
                        unreadable.insert(n);
                    }
                    None => unknown_who = true,
                }
                rejected.push(Rejection { line, column: e.column, reason: e.reason })
            }
        }
        let read = (rows.len() + rejected.len()) as u64;
        if read.is_multiple_of(1000) {
            progress(Progress::Read(read));
        }
    }
    progress(Progress::Read((rows.len() + rejected.len()) as u64));
    tracing::debug!(
        rows = rows.len(),
        ms = started.elapsed().as_millis() as u64,
        "register file read and checked"
    );

    let keep = Keep { numbers: unreadable, everyone: unknown_who, present: Present::of(mapping) };
    Checked { rows, rejected, keep }
}
