//! How a register row is matched to an elector we already hold, and what an import may
//! conclude from the rows it could not read.

use super::layout::{self, Mapping};
use super::row::RegisterRow;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

#[derive(sqlx::FromRow)]
pub(super) struct Existing {
    pub(super) id: i64,
    pub(super) pd_prefix: String,
    pub(super) elector_number: i64,
    pub(super) elector_suffix: i64,
    pub(super) household_id: i64,
    pub(super) address_key: String,
    pub(super) title: Option<String>,
    pub(super) first_name: String,
    pub(super) middle_names: Option<String>,
    pub(super) surname: String,
    pub(super) markers: String,
    pub(super) date_of_birth: Option<NaiveDate>,
    pub(super) attainment_date: Option<NaiveDate>,
}

/// What an import must not do on the strength of rows it could not read, and which
/// columns the file has at all (a layout without titles must not erase ours).
pub(super) struct Keep {
    pub(super) numbers: HashSet<super::ElectorNumber>,
    pub(super) everyone: bool,
    pub(super) present: Present,
}

pub(super) struct Present {
    title: bool,
    middle_names: bool,
    markers: bool,
    attainment_date: bool,
}

impl Present {
    pub(super) fn of(mapping: &Mapping) -> Present {
        let has = |f| mapping.columns.contains_key(&f);
        Present {
            title: has(layout::Field::Title),
            middle_names: has(layout::Field::MiddleNames),
            markers: has(layout::Field::Markers),
            attainment_date: has(layout::Field::AttainmentDate),
        }
    }

    pub(super) fn fill(&self, e: &Existing, r: &RegisterRow) -> RegisterRow {
        let mut r = r.clone();
        if !self.title {
            r.title = e.title.clone();
        }
        if !self.middle_names {
            r.middle_names = e.middle_names.clone();
        }
        if !self.markers {
            r.markers = e.markers.clone();
        }
        if !self.attainment_date {
            r.attainment_date = e.attainment_date;
        }
        if r.date_of_birth.is_none() {
            r.date_of_birth = e.date_of_birth;
        }
        r
    }
}

impl Existing {
    pub(super) fn number(&self) -> super::ElectorNumber {
        super::ElectorNumber {
            prefix: self.pd_prefix.clone(),
            number: self.elector_number,
            suffix: self.elector_suffix,
        }
    }
}

/// Who someone is, for spotting them under a new number: where they live and their name.
pub(crate) fn identity(address_key: &str, forename: &str, surname: &str) -> String {
    format!("{address_key}#{}#{}", forename.to_lowercase().trim(), surname.to_lowercase().trim())
}

/// Whether a row says nothing new about someone we hold, reading a column the file does
/// not have as "unchanged" (as [`Present::fill`] would), without copying the row.
pub(super) fn same_details(e: &Existing, r: &RegisterRow, present: &Present, household_id: i64) -> bool {
    e.household_id == household_id
        && (!present.title || e.title == r.title)
        && e.first_name == r.forename
        && (!present.middle_names || e.middle_names == r.middle_names)
        && e.surname == r.surname
        && (!present.markers || e.markers == r.markers)
        && (r.date_of_birth.is_none() || e.date_of_birth == r.date_of_birth)
        && (!present.attainment_date || e.attainment_date == r.attainment_date)
}

/// Markers in the file that the lookup table does not describe, with how often each appears.
pub(super) fn unknown_markers(rows: &[RegisterRow], known: &HashSet<String>) -> Vec<(String, i64)> {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        for marker in r.markers.split(|c: char| !c.is_alphanumeric()).filter(|m| !m.is_empty()) {
            // Markers are usually single letters run together: "EK" is E and K.
            let parts: Vec<String> = if known.contains(marker) {
                vec![marker.to_string()]
            } else {
                marker.chars().map(String::from).collect()
            };
            for p in parts.into_iter().filter(|p| !known.contains(p)) {
                *counts.entry(p).or_default() += 1;
            }
        }
    }
    counts.into_iter().collect()
}
