//! One register row, checked: every problem is reported with its column and reason.

use super::layout::{Field, Mapping, ADDRESS_FIELDS};
use super::number::ElectorNumber;
use crate::ids::Postcode;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// New or changed: make the register say this.
    Upsert,
    /// The council removed this elector.
    Delete,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RegisterRow {
    pub line: u64,
    pub number: ElectorNumber,
    pub title: Option<String>,
    pub forename: String,
    pub middle_names: Option<String>,
    pub surname: String,
    pub markers: String,
    pub date_of_birth: Option<NaiveDate>,
    pub attainment_date: Option<NaiveDate>,
    /// Address lines, without blanks and without the postcode.
    pub address: Vec<String>,
    pub postcode: Option<Postcode>,
    pub uprn: Option<String>,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub column: String,
    pub reason: String,
    /// The row's elector number, when that much could be read.
    pub number: Option<ElectorNumber>,
}

/// Dates as councils write them: 31/12/2008, 31-12-2008, 31.12.2008 or 2008-12-31.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    for format in ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, format) {
            return Ok(Some(d));
        }
    }
    // Some exports append a midnight time: 31/12/2008 00:00:00.
    if let Some((date, _)) = t.split_once(' ') {
        return parse_date(date);
    }
    Err(format!("\"{t}\" is not a date (expected e.g. 31/12/2008)"))
}

fn split_full_name(full: &str) -> (String, String) {
    match full.split_once(',') {
        Some((surname, forenames)) => (forenames.trim().to_string(), surname.trim().to_string()),
        None => match full.trim().rsplit_once(' ') {
            Some((forenames, surname)) => (forenames.trim().to_string(), surname.to_string()),
            None => (String::new(), full.trim().to_string()),
        },
    }
}

fn optional(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

pub fn read(
    record: &csv::StringRecord,
    mapping: &Mapping,
    headers: &[String],
    line: u64,
) -> Result<RegisterRow, RowError> {
    let get = |f: Field| mapping.get(record, f);
    let err = |f: Field, reason: String| RowError {
        column: column_name(mapping, headers, f),
        reason,
        number: None,
    };

    let number = if mapping.columns.contains_key(&Field::ElectorNumber) {
        ElectorNumber::parse(get(Field::ElectorNumber)).map_err(|e| err(Field::ElectorNumber, e))?
    } else {
        // Some exports put "12/1" in the number column instead of a separate suffix.
        let (number, inline_suffix) =
            get(Field::Number).split_once(['/', '.']).unwrap_or((get(Field::Number), ""));
        let suffix = if get(Field::Suffix).is_empty() { inline_suffix } else { get(Field::Suffix) };
        ElectorNumber::from_parts(get(Field::DistrictPrefix), number, suffix)
            .map_err(|e| err(Field::Number, e))?
    };

    read_details(record, mapping, headers, line, number.clone())
        .map_err(|e| RowError { number: Some(number), ..e })
}

/// The header the council gave a field's column, for error messages.
fn column_name(mapping: &Mapping, headers: &[String], f: Field) -> String {
    mapping.columns.get(&f).and_then(|&i| headers.get(i)).cloned().unwrap_or_else(|| format!("{f:?}"))
}

fn read_details(
    record: &csv::StringRecord,
    mapping: &Mapping,
    headers: &[String],
    line: u64,
    number: ElectorNumber,
) -> Result<RegisterRow, RowError> {
    let get = |f: Field| mapping.get(record, f);
    let err = |f: Field, reason: String| RowError {
        column: column_name(mapping, headers, f),
        reason,
        number: None,
    };
    let change = match get(Field::ChangeType).to_ascii_uppercase().as_str() {
        "D" => Change::Delete,
        "" | "N" | "M" | "A" | "C" => Change::Upsert,
        other => {
            return Err(err(
                Field::ChangeType,
                format!("\"{other}\" is not a change type (expected N, M or D)"),
            ))
        }
    };
    let change = if get(Field::DeletedMonth).is_empty() { change } else { Change::Delete };

    let (forename, surname) = if mapping.columns.contains_key(&Field::FullName) {
        split_full_name(get(Field::FullName))
    } else {
        (get(Field::Forename).to_string(), get(Field::Surname).to_string())
    };
    // "(z) " before a surname marks someone who opted out of the open register.
    let surname = surname.trim_start_matches("(z)").trim_start_matches("(Z)").trim().to_string();
    if surname.is_empty() && forename.is_empty() && change == Change::Upsert {
        return Err(err(
            if mapping.columns.contains_key(&Field::FullName) { Field::FullName } else { Field::Surname },
            "the elector has no name".into(),
        ));
    }

    let mut address: Vec<String> =
        ADDRESS_FIELDS.iter().map(|f| get(*f)).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let mut postcode_text = get(Field::Postcode).to_string();
    // The postcode is sometimes only in the last address line.
    if postcode_text.is_empty() {
        if let Some(last) = address.last().filter(|l| Postcode::parse(l).is_some()) {
            postcode_text = last.clone();
            address.pop();
        }
    } else if let Some(pc) = Postcode::parse(&postcode_text) {
        // Some exports repeat the postcode as the last address line.
        if address.last().and_then(|l| Postcode::parse(l)).as_ref() == Some(&pc) {
            address.pop();
        }
    }
    if address.is_empty() && change == Change::Upsert {
        return Err(err(Field::Address1, "the address is empty".into()));
    }
    let postcode = if postcode_text.is_empty() {
        None
    } else {
        Some(
            Postcode::parse(&postcode_text)
                .ok_or_else(|| err(Field::Postcode, format!("\"{postcode_text}\" is not a UK postcode")))?,
        )
    };

    Ok(RegisterRow {
        line,
        number,
        title: optional(get(Field::Title)),
        forename,
        middle_names: optional(get(Field::MiddleNames)),
        surname,
        markers: get(Field::Markers).to_uppercase(),
        date_of_birth: parse_date(get(Field::DateOfBirth)).map_err(|e| err(Field::DateOfBirth, e))?,
        attainment_date: parse_date(get(Field::AttainmentDate)).map_err(|e| err(Field::AttainmentDate, e))?,
        address,
        postcode,
        uprn: optional(get(Field::Uprn).trim_start_matches('0')),
        change,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_in_several_spellings() {
        let d = NaiveDate::from_ymd_opt(2008, 12, 31);
        for t in ["31/12/2008", "2008-12-31", "31-12-2008", "31.12.2008", "31/12/2008 00:00:00"] {
            assert_eq!(parse_date(t), Ok(d), "{t}");
        }
        assert_eq!(parse_date(""), Ok(None));
        assert!(parse_date("31/13/2008").is_err());
    }

    #[test]
    fn a_full_name_splits_either_way_round() {
        assert_eq!(split_full_name("Jones, Siân Mair"), ("Siân Mair".into(), "Jones".into()));
        assert_eq!(split_full_name("Siân Mair Jones"), ("Siân Mair".into(), "Jones".into()));
    }
}
