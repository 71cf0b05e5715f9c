//! Lists of electors from the council's election software: the absent-voters (postal)
//! list before polling day and the marked register after it. Both name electors by their
//! number on the register, either in one column (`AB-123/1`) or in the three columns
//! some exports use (prefix, number, suffix), with the name and postcode beside it.
//! A file with any unreadable row is refused whole, each mistake named by line and
//! column; a number that reads but is not on the seat's register is reported, not dropped.

use super::poll_number::PollNumber;
use crate::error::AppResult;
use crate::on_store;
use crate::register::ElectorNumber;
use crate::store::Store;
use std::collections::HashMap;

/// Which list a file is, for the columns it must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The absent-voters list: the number and the surname (to catch a shifted column).
    Postal,
    /// The marked register: the number, and optionally whether they voted.
    Marked,
}

/// One elector the file names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub line: u64,
    pub number: ElectorNumber,
    pub surname: String,
    pub forename: String,
    pub postcode: String,
    /// The marked register's "voted" column; true when the file has none (a list of voters).
    pub voted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElectorFile {
    pub rows: Vec<Listed>,
    /// Whether the file said who voted and who did not (otherwise it lists only voters).
    pub has_voted: bool,
    /// Columns the file has that the import does not read (addresses, postal addresses…).
    pub unused: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Whole,
    Prefix,
    Suffix,
    Surname,
    Forename,
    Postcode,
    Voted,
}

/// Header names as councils write them, lower-case with spaces and punctuation dropped.
const NAMES: &[(Col, &[&str])] = &[
    (Col::Whole, &["electornumber", "pollnumber", "electorno", "number", "eno", "rollno"]),
    (Col::Prefix, &["electornumberprefix", "prefix", "pd", "pdcode", "pollingdistrict", "district"]),
    (Col::Suffix, &["electornumbersuffix", "suffix", "enosuffix"]),
    (Col::Surname, &["surname", "electorsurname", "lastname", "familyname"]),
    (Col::Forename, &["forename", "forenames", "electorforename", "firstname", "firstnames", "givenname"]),
    (Col::Postcode, &["postcode", "electorpostcode", "propertypostcode"]),
    (Col::Voted, &["voted", "marked", "votedyn"]),
];

fn key(header: &str) -> String {
    header.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// Yes or no, as a digitised marked register writes it (`P` is voted by post).
fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "1" | "v" | "voted" | "x" | "p" | "postal" => Some(true),
        "" | "n" | "no" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Reads the file (UTF-8, UTF-16 or Windows-1252; comma or tab, as the register import).
pub fn read(bytes: &[u8], kind: Kind) -> Result<ElectorFile, Vec<String>> {
    let mut opened = crate::register::decode::open(std::io::Cursor::new(bytes)).map_err(|e| vec![e])?;
    let headers = opened.headers.clone();
    let mut cols: Vec<(Col, usize)> = Vec::new();
    let mut unused = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let k = key(h);
        let found = NAMES.iter().find(|(_, names)| names.contains(&k.as_str())).map(|(c, _)| *c);
        match found {
            Some(c) if !cols.iter().any(|(have, _)| *have == c) => cols.push((c, i)),
            _ if !h.is_empty() => unused.push(h.clone()),
            _ => {}
        }
    }
    let at = |c: Col| cols.iter().find(|(have, _)| *have == c).map(|(_, i)| *i);
    // With a prefix column, the "number" column is the number within the district.
    let split = at(Col::Prefix).is_some();
    let mut errors = Vec::new();
    if at(Col::Whole).is_none() {
        errors.push(
            "line 1: no elector number column (expected \"elector_number\", or \"prefix\", \"number\" and \"suffix\")"
                .to_string(),
        );
    }
    if kind == Kind::Postal && at(Col::Surname).is_none() {
        errors.push("line 1: the \"surname\" column is missing".to_string());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let name = |c: Col| at(c).map(|i| headers[i].clone()).unwrap_or_default();
    let mut rows: Vec<Listed> = Vec::new();
    let mut seen: HashMap<ElectorNumber, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = opened.records.get_ref().line_of(opened.records.position().byte());
        match opened.records.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                errors.push(format!("line {line}: the row could not be read ({e})"));
                break;
            }
        }
        let line = record.position().map(|p| opened.records.get_ref().line_of(p.byte())).unwrap_or(line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Col| at(c).and_then(|i| record.get(i)).unwrap_or("").trim().to_string();
        let number = if split {
            ElectorNumber::from_parts(&get(Col::Prefix), &get(Col::Whole), &get(Col::Suffix))
        } else {
            PollNumber::parse(&get(Col::Whole)).and_then(|n| match n.prefix {
                Some(prefix) => Ok(ElectorNumber { prefix, number: n.number, suffix: n.suffix }),
                None => Err(format!("\"{}\" has no polling district prefix", get(Col::Whole))),
            })
        };
        let number = match number {
            Ok(n) => n,
            Err(e) => {
                errors.push(format!("line {line}, column \"{}\": {e}", name(Col::Whole)));
                continue;
            }
        };
        if let Some(first) = seen.get(&number) {
            errors.push(format!(
                "line {line}, column \"{}\": {number} is already on line {first}",
                name(Col::Whole)
            ));
            continue;
        }
        seen.insert(number.clone(), line);
        let surname = get(Col::Surname);
        if kind == Kind::Postal && surname.is_empty() {
            errors.push(format!("line {line}, column \"{}\": the surname is missing", name(Col::Surname)));
        }
        let voted = match at(Col::Voted) {
            None => true,
            Some(_) => match yes_no(&get(Col::Voted)) {
                Some(v) => v,
                None => {
                    errors.push(format!(
                        "line {line}, column \"{}\": \"{}\" is not yes or no",
                        name(Col::Voted),
                        get(Col::Voted)
                    ));
                    continue;
                }
            },
        };
        rows.push(Listed {
            line,
            number,
            surname,
            forename: get(Col::Forename),
            postcode: get(Col::Postcode),
            voted,
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("the file has no rows after the header".into());
    }
    if errors.is_empty() {
        Ok(ElectorFile { rows, has_voted: at(Col::Voted).is_some(), unused })
    } else {
        Err(errors)
    }
}

/// A number the import could not use, with why: for the report, never dropped silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    pub line: u64,
    pub number: String,
    pub why: &'static str,
}

impl std::fmt::Display for Unmatched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} {}", self.line, self.number, self.why)
    }
}

fn plain(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Matches the file's electors to the seat's live register in one query: the elector ids
/// found, and the rows that name nobody there (or somebody else: a different surname or
/// postcode at that number means the list and the register disagree).
pub async fn match_to_seat(
    store: &Store,
    seat_id: i64,
    rows: &[Listed],
) -> AppResult<(Vec<(i64, bool)>, Vec<Unmatched>)> {
    type Row = (i64, String, i64, i64, String, Option<String>);
    // Only the districts the file names: a list for part of the seat reads only that part.
    let mut prefixes: Vec<&str> = rows.iter().map(|r| r.number.prefix.as_str()).collect();
    prefixes.sort_unstable();
    prefixes.dedup();
    let register: Vec<Row> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT e.id, e.pd_prefix, e.elector_number, e.elector_suffix, e.surname, h.postcode
               FROM electors e JOIN households h ON h.id = e.household_id
              WHERE e.left_at IS NULL AND e.erased_at IS NULL AND e.seat_id = ");
        q.push_bind(seat_id).push(" AND e.pd_prefix IN (");
        let mut list = q.separated(", ");
        for p in &prefixes {
            list.push_bind(p.to_string());
        }
        q.push(")");
        q.build_query_as::<Row>().fetch_all(pool).await?
    });
    type Key = (String, i64, i64);
    let by_number: HashMap<Key, (i64, String, Option<String>)> = register
        .into_iter()
        .map(|(id, prefix, number, suffix, surname, postcode)| {
            ((prefix, number, suffix), (id, surname, postcode))
        })
        .collect();
    let mut found = Vec::with_capacity(rows.len());
    let mut unmatched = Vec::new();
    for r in rows {
        let miss = |why| Unmatched { line: r.line, number: r.number.to_string(), why };
        let k = (r.number.prefix.clone(), r.number.number, r.number.suffix);
        match by_number.get(&k) {
            None => unmatched.push(miss("is not on this seat's register")),
            Some((_, surname, _)) if !r.surname.is_empty() && plain(surname) != plain(&r.surname) => {
                unmatched.push(miss("is someone with another surname on the register"))
            }
            Some((_, _, Some(postcode)))
                if !r.postcode.is_empty() && plain(postcode) != plain(&r.postcode) =>
            {
                unmatched.push(miss("is someone at another postcode on the register"))
            }
            Some((id, _, _)) => found.push((*id, r.voted)),
        }
    }
    Ok((found, unmatched))
}

/// The first few of the numbers not used, for a message ("…and 12 more").
pub fn summary(unmatched: &[Unmatched], first: usize) -> String {
    let mut text = unmatched.iter().take(first).map(ToString::to_string).collect::<Vec<_>>().join("; ");
    if unmatched.len() > first {
        text.push_str(&format!("; and {} more", unmatched.len() - first));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xpress_style_list_with_split_numbers_is_read() {
        let text = "Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Surname,Elector Forename,PostCode,Postal Address 1\r\n\
                    AB,12,,Okafor,Ngozi,BL9 0AA,1 High St\r\nab,13,1,Price,Owen,,\r\n";
        let file = read(text.as_bytes(), Kind::Postal).expect("reads");
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[0].number.to_string(), "AB-12");
        assert_eq!(file.rows[1].number.to_string(), "AB-13/1");
        assert_eq!((file.rows[1].line, file.rows[0].surname.as_str()), (3, "Okafor"));
        assert_eq!(file.unused, vec!["Postal Address 1".to_string()]);
    }

    #[test]
    fn one_number_column_takes_every_way_it_is_written() {
        let text = "ElectorNumber\tSurname\nAB-12\tOkafor\nAB 13.1\tPrice\nAC12/2\tShah\n";
        let file = read(text.as_bytes(), Kind::Postal).expect("reads");
        let numbers: Vec<String> = file.rows.iter().map(|r| r.number.to_string()).collect();
        assert_eq!(numbers, ["AB-12", "AB-13/1", "AC-12/2"]);
    }

    #[test]
    fn each_mistake_names_its_line_and_column() {
        let text = "elector_number,surname\nAB-12,Okafor\n888,Price\nAB-12,Again\nAB-14,\n";
        let errors = read(text.as_bytes(), Kind::Postal).expect_err("refused").join("\n");
        assert!(
            errors.contains("line 3, column \"elector_number\": \"888\" has no polling district prefix"),
            "{errors}"
        );
        assert!(errors.contains("line 4, column \"elector_number\": AB-12 is already on line 2"), "{errors}");
        assert!(errors.contains("line 5, column \"surname\": the surname is missing"), "{errors}");
    }

    #[test]
    fn a_marked_register_may_say_who_voted_or_list_only_voters() {
        let text = "pd,eno,voted\nAB,1,Y\nAB,2,n\nAB,3,P\n";
        let file = read(text.as_bytes(), Kind::Marked).expect("reads");
        assert!(file.has_voted);
        assert_eq!(file.rows.iter().map(|r| r.voted).collect::<Vec<_>>(), [true, false, true]);
        let voters = read(b"elector number\nAB-1\nAB-2\n", Kind::Marked).expect("reads");
        assert!(!voters.has_voted && voters.rows.iter().all(|r| r.voted));
        let bad = read(b"pd,eno,voted\nAB,1,maybe\n", Kind::Marked).expect_err("refused");
        assert_eq!(bad, ["line 2, column \"voted\": \"maybe\" is not yes or no"]);
    }

    #[test]
    fn a_file_without_the_columns_it_needs_is_refused() {
        let e = read(b"name,address\nA,B\n", Kind::Postal).expect_err("refused");
        assert!(e.iter().any(|m| m.contains("no elector number column")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("\"surname\" column is missing")), "{e:?}");
        assert!(read(b"elector_number\n", Kind::Marked).is_err());
    }
}
