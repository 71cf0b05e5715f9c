//! The electoral register: reading the files councils send, and merging each new
//! edition into a seat without losing anyone's canvass history.

#[cfg(feature = "ssr")]
pub mod decode;
#[cfg(feature = "ssr")]
pub mod file_check;
#[cfg(feature = "ssr")]
pub mod household;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod layout;
#[cfg(feature = "ssr")]
pub mod mapping;
#[cfg(feature = "ssr")]
pub(crate) mod matching;
pub mod number;
mod page;
#[cfg(feature = "ssr")]
mod plan;
#[cfg(feature = "ssr")]
pub mod postcodes;
#[cfg(feature = "ssr")]
pub mod row;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod web;

pub use number::ElectorNumber;
pub use page::{RegisterPage, UploadPreviewPage};

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edition {
    /// The whole register: anyone not in it has left.
    #[default]
    Full,
    /// Only the month's changes.
    Update,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Worked out and rolled back, for the organiser to confirm.
    #[default]
    Previewed,
    Imported,
    /// Bad rows and no instruction to import the rest: nothing was written.
    Cancelled,
    /// A full register that would mark more than the limit as left, without the organiser
    /// typing that number to confirm it: nothing was written.
    LooksPartial,
}

/// A row that could not be taken, and exactly why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub layout: String,
    pub encoding: String,
    pub edition: Edition,
    pub outcome: Outcome,
    /// Data rows in the file, good and bad.
    pub rows: i64,
    pub added: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub left: i64,
    pub renumbered: i64,
    pub new_households: i64,
    /// Rows of people whose data was erased (their identity is in the erasure journal):
    /// left out, so that they stay erased.
    #[serde(default)]
    pub suppressed: i64,
    pub rejected: Vec<Rejection>,
    /// Addresses that could not be placed on the map (no known postcode).
    pub unplaced: Vec<String>,
    /// Franchise markers not in the lookup table, with how many electors carry each.
    pub unknown_markers: Vec<(String, i64)>,
    /// Current electors the seat held before this file.
    #[serde(default)]
    pub held_before: i64,
    /// The largest share (per cent) of them a full register may mark as left without the
    /// organiser typing the number to confirm (`register_left_limit`).
    #[serde(default = "default_left_limit")]
    pub left_limit_percent: i64,
}

/// The share of electors a full register may mark as left unconfirmed, when the campaign
/// has not set `register_left_limit`: a real register loses a few per cent a year.
pub const DEFAULT_LEFT_LIMIT: i64 = 10;

fn default_left_limit() -> i64 {
    DEFAULT_LEFT_LIMIT
}

impl ImportReport {
    /// A full register that would mark more than the limit as left is most likely part
    /// of one (a ward, or a file cut short): anyone missing from it counts as gone.
    pub fn looks_partial(&self) -> bool {
        self.edition == Edition::Full
            && self.held_before > 0
            && self.left * 100 > self.left_limit_percent * self.held_before
    }

    /// What the organiser is told about a file that looks partial, in words.
    pub fn partial_warning(&self) -> Option<String> {
        self.looks_partial().then(|| {
            let share = self.left as f64 * 100.0 / self.held_before as f64;
            format!(
                "This file would mark {} of the {} electors we hold ({share:.1}%) as having left the register, \
                 more than the {}% a full register is allowed to without confirmation. A full register \
                 normally loses a few per cent a year, so this looks like part of a register (one ward, \
                 or a file cut short) or a monthly update sent as a full one. Check the file; if it really \
                 is the whole register, type {} to confirm.",
                crate::format::thousands(self.left),
                crate::format::thousands(self.held_before),
                self.left_limit_percent,
                self.left,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_register_losing_more_than_the_limit_looks_partial() {
        let report = |edition, left| ImportReport {
            edition,
            left,
            held_before: 67_000,
            left_limit_percent: 10,
            ..ImportReport::default()
        };
        assert!(!report(Edition::Full, 6_700).looks_partial(), "exactly the limit is allowed");
        assert!(report(Edition::Full, 6_701).looks_partial());
        let warning = report(Edition::Full, 66_800).partial_warning().expect("warning");
        assert!(warning.contains("66,800 of the 67,000") && warning.contains("99.7%"), "{warning}");
        assert!(warning.contains("type 66800 to confirm"), "{warning}");
        assert!(!report(Edition::Update, 66_800).looks_partial(), "an update marks nobody as left");
        assert!(
            !ImportReport { held_before: 0, ..report(Edition::Full, 0) }.looks_partial(),
            "a first import"
        );
    }
}
