//! The electoral register: reading the files councils send, and merging each new
//! edition into a seat without losing anyone's canvass history.

#[cfg(feature = "ssr")]
pub mod decode;
#[cfg(feature = "ssr")]
pub mod household;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod layout;
#[cfg(feature = "ssr")]
pub(crate) mod matching;
pub mod number;
mod page;
#[cfg(feature = "ssr")]
pub mod postcodes;
#[cfg(feature = "ssr")]
pub mod row;
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
}
