//! The column layouts of the council systems' register exports, recognised from the
//! header row, and mappings an organiser makes by hand for the ones we do not know.

pub use super::Edition;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a column holds, whatever the council calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The whole number, e.g. `AB-123/1`.
    ElectorNumber,
    DistrictPrefix,
    Number,
    Suffix,
    Title,
    Forename,
    MiddleNames,
    Surname,
    /// One column holding the whole name, "Surname, Forenames" or "Forenames Surname".
    FullName,
    Markers,
    DateOfBirth,
    AttainmentDate,
    Address1,
    Address2,
    Address3,
    Address4,
    Address5,
    Address6,
    Address7,
    Address8,
    Address9,
    Postcode,
    Uprn,
    /// Update files: N(ew), M(odified) or D(eleted).
    ChangeType,
    /// Xpress update files: set when the elector was deleted that month.
    DeletedMonth,
}

pub const ADDRESS_FIELDS: [Field; 9] = [
    Field::Address1,
    Field::Address2,
    Field::Address3,
    Field::Address4,
    Field::Address5,
    Field::Address6,
    Field::Address7,
    Field::Address8,
    Field::Address9,
];

pub struct Layout {
    pub name: &'static str,
    /// Short name for the command line.
    pub slug: &'static str,
    pub edition: Edition,
    /// Each field with the header names it goes by; fields marked required must all be
    /// present for the layout to be recognised.
    pub columns: &'static [(Field, &'static [&'static str], bool)],
}

use Field::*;

pub const LAYOUTS: &[Layout] = &[
    Layout {
        name: "Xpress full register",
        slug: "xpress",
        edition: Edition::Full,
        columns: &[
            (DistrictPrefix, &["Elector Number Prefix"], true),
            (Number, &["Elector Number"], true),
            (Suffix, &["Elector Number Suffix"], true),
            (Markers, &["Elector Markers"], false),
            (DateOfBirth, &["Elector DOB"], false),
            (Surname, &["Elector Surname"], true),
            (Forename, &["Elector Forename"], true),
            (Postcode, &["PostCode"], true),
            (Address1, &["Address1"], true),
            (Address2, &["Address2"], false),
            (Address3, &["Address3"], false),
            (Address4, &["Address4"], false),
            (Address5, &["Address5"], false),
            (Address6, &["Address6"], false),
            (Uprn, &["UPRN", "Property URN"], false),
        ],
    },
    Layout {
        name: "Xpress full register (one name column)",
        slug: "xpress-name",
        edition: Edition::Full,
        columns: &[
            (DistrictPrefix, &["Elector Number Prefix"], true),
            (Number, &["Elector Number"], true),
            (Suffix, &["Elector Number Suffix"], true),
            (Markers, &["Elector Markers"], false),
            (DateOfBirth, &["Elector DOB"], false),
            (FullName, &["Elector Name"], true),
            (Postcode, &["PostCode"], true),
            (Address1, &["Address1"], true),
            (Address2, &["Address2"], false),
            (Address3, &["Address3"], false),
            (Address4, &["Address4"], false),
            (Address5, &["Address5"], false),
            (Address6, &["Address6"], false),
            (Uprn, &["UPRN"], false),
        ],
    },
    Layout {
        name: "Xpress monthly update",
        slug: "xpress-update",
        edition: Edition::Update,
        columns: &[
            (ElectorNumber, &["ElectorNumber"], true),
            (Forename, &["ElectorForename"], true),
            (Surname, &["ElectorSurname"], true),
            (DateOfBirth, &["ElectorDOB"], false),
            (Address1, &["PropertyAddress1"], true),
            (Address2, &["PropertyAddress2"], false),
            (Address3, &["PropertyAddress3"], false),
            (Address4, &["PropertyAddress4"], false),
            (Address5, &["PropertyAddress5"], false),
            (Postcode, &["PropertyPostCode"], true),
            (Markers, &["MarkersRegisterText"], false),
            (DeletedMonth, &["ElectorDeletedMonth"], true),
            (Uprn, &["UPRN", "PropertyUPRN"], false),
        ],
    },
    Layout {
        name: "Idox/Halarose EROS update",
        slug: "eros-update",
        edition: Edition::Update,
        columns: &[
            (ChangeType, &["ChangeTypeID"], true),
            (DistrictPrefix, &["PDCode"], true),
            (Number, &["RollNo"], true),
            (Title, &["ElectorTitle"], false),
            (Surname, &["ElectorSurname"], true),
            (Forename, &["ElectorForename"], true),
            (MiddleNames, &["ElectorMiddleName"], false),
            (AttainmentDate, &["AttainersDOB"], false),
            (Markers, &["FranchiseMarker"], false),
            (Address1, &["RegisteredAddress1"], true),
            (Address2, &["RegisteredAddress2"], false),
            (Address3, &["RegisteredAddress3"], false),
            (Address4, &["RegisteredAddress4"], false),
            (Address5, &["RegisteredAddress5"], false),
            (Address6, &["RegisteredAddress6"], false),
            (Postcode, &["PostCode"], true),
            (Uprn, &["UPRN"], false),
        ],
    },
    Layout {
        name: "Idox/Halarose EROS full register",
        slug: "eros",
        edition: Edition::Full,
        columns: &[
            (DistrictPrefix, &["PDCode"], true),
            (Number, &["RollNo"], true),
            (Title, &["ElectorTitle"], false),
            (Surname, &["ElectorSurname"], true),
            (Forename, &["ElectorForename"], true),
            (MiddleNames, &["ElectorMiddleName"], false),
            (AttainmentDate, &["AttainersDOB"], false),
            (Markers, &["FranchiseMarker"], false),
            (Address1, &["RegisteredAddress1"], true),
            (Address2, &["RegisteredAddress2"], false),
            (Address3, &["RegisteredAddress3"], false),
            (Address4, &["RegisteredAddress4"], false),
            (Address5, &["RegisteredAddress5"], false),
            (Address6, &["RegisteredAddress6"], false),
            (Postcode, &["PostCode"], true),
            (Uprn, &["UPRN"], false),
        ],
    },
    Layout {
        name: "Halarose EROS full register (pp50)",
        slug: "pp50",
        edition: Edition::Full,
        columns: &[
            (DistrictPrefix, &["PD"], true),
            (Number, &["ENO"], true),
            (Suffix, &["Suffix"], false),
            (Title, &["Title"], false),
            (Forename, &["First Name"], true),
            (Surname, &["Surname"], true),
            (AttainmentDate, &["Date Of Attainment"], false),
            (Markers, &["Franchise Flag"], false),
            (Address1, &["Address 1"], true),
            (Address2, &["Address 2"], false),
            (Address3, &["Address 3"], false),
            (Address4, &["Address 4"], false),
            (Address5, &["Address 5"], false),
            (Address6, &["Address 6"], false),
            (Address7, &["Address 7"], false),
            (Address8, &["Address 8"], false),
            (Address9, &["Address 9"], false),
            (Postcode, &["Postcode"], true),
            (Uprn, &["UPRN"], false),
        ],
    },
    Layout {
        name: "Groundwork export",
        slug: "groundwork",
        edition: Edition::Full,
        columns: &[
            (ElectorNumber, &["Elector Number"], true),
            (Title, &["Title"], false),
            (Forename, &["Forename"], true),
            (MiddleNames, &["Middle Names"], false),
            (Surname, &["Surname"], true),
            (Markers, &["Markers"], false),
            (DateOfBirth, &["Date of Birth"], false),
            (AttainmentDate, &["Attainment Date"], false),
            (Address1, &["Address 1"], true),
            (Address2, &["Address 2"], false),
            (Address3, &["Address 3"], false),
            (Address4, &["Address 4"], false),
            (Postcode, &["Postcode"], true),
            (Uprn, &["UPRN"], false),
        ],
    },
];

/// Header names compared without case, spaces or punctuation: "Elector DOB" = "elector_dob".
pub fn normalise_header(h: &str) -> String {
    h.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The header row as one key, for remembering a hand-made mapping.
pub fn header_signature(headers: &[String]) -> String {
    headers.iter().map(|h| normalise_header(h)).collect::<Vec<_>>().join("|")
}

/// Which column holds each field, and what the layout is called.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub layout: String,
    pub edition: Edition,
    pub columns: BTreeMap<Field, usize>,
}

impl Mapping {
    pub fn get<'r>(&self, record: &'r csv::StringRecord, field: Field) -> &'r str {
        self.columns.get(&field).and_then(|&i| record.get(i)).map(str::trim).unwrap_or("")
    }
}

/// Recognises a known layout from the header, preferring the one that explains most columns.
pub fn detect(headers: &[String]) -> Option<Mapping> {
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            let n = normalise_header(n);
            normalised.iter().position(|h| *h == n)
        })
    };
    LAYOUTS
        .iter()
        .filter_map(|layout| {
            let mut columns = BTreeMap::new();
            for (field, names, required) in layout.columns {
                match find(names) {
                    Some(i) => {
                        columns.insert(*field, i);
                    }
                    None if *required => return None,
                    None => {}
                }
            }
            Some((columns.len(), Mapping { layout: layout.name.into(), edition: layout.edition, columns }))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, m)| m)
}

/// A mapping an organiser made by hand: field → column header.
pub fn from_names(
    headers: &[String],
    names: &BTreeMap<Field, String>,
    edition: Edition,
) -> Result<Mapping, String> {
    let mut columns = BTreeMap::new();
    for (field, name) in names {
        let wanted = normalise_header(name);
        let i = headers
            .iter()
            .position(|h| normalise_header(h) == wanted)
            .ok_or_else(|| format!("the file has no column called \"{name}\""))?;
        columns.insert(*field, i);
    }
    let has = |f| columns.contains_key(&f);
    if !(has(ElectorNumber) || (has(DistrictPrefix) && has(Number))) {
        return Err("the mapping needs the elector number (or its prefix and number columns)".into());
    }
    if !(has(Surname) || has(FullName)) {
        return Err("the mapping needs the surname (or a full-name column)".into());
    }
    if !has(Address1) {
        return Err("the mapping needs at least the first address line".into());
    }
    Ok(Mapping { layout: "Hand-made mapping".into(), edition, columns })
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
