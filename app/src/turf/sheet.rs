//! What a printed walk sheet and its paper returns carry between server and page: the
//! sheet as printed, the returns screen's sheet, and the form it posts back. Kept apart
//! from the pages (print.rs, returns.rs) and the queries (sheet_queries.rs) that share them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetElector {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub markers: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetDoor {
    pub position: i64,
    pub household_id: i64,
    pub address: String,
    pub postcode: Option<String>,
    pub electors: Vec<SheetElector>,
    /// When someone knocked this door on another list since this list was cut.
    pub knocked_elsewhere: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkSheet {
    pub id: i64,
    pub name: String,
    pub seat_name: String,
    pub code: String,
    pub session: Option<String>,
    pub volunteers: Option<String>,
    pub doors: Vec<SheetDoor>,
    /// The QR code of the returns screen's address, as an SVG element.
    pub qr_svg: String,
    pub returns_url: String,
    /// The campaign's party list: (code, label).
    pub parties: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnElector {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub entry_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnDoor {
    pub household_id: i64,
    pub position: i64,
    pub address: String,
    pub electors: Vec<ReturnElector>,
    pub entry_id: String,
    /// The latest result already recorded on this list.
    pub last_result: Option<String>,
    pub do_not_knock: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnsSheet {
    pub walk_list_id: i64,
    pub code: String,
    pub name: String,
    pub seat_name: String,
    pub doors: Vec<ReturnDoor>,
    /// The campaign's results and party list (code, label), as the door form offers them.
    pub results: Vec<(String, String)>,
    pub parties: Vec<(String, String)>,
    /// (value, label) for how firm an intention is, 1 (soft) to 5 (certain).
    pub firmness: Vec<(i64, String)>,
    /// Who may have knocked: the seat's volunteers, those given this list first.
    pub canvassers: Vec<Canvasser>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Canvasser {
    pub volunteer_id: i64,
    pub name: String,
    /// Given this list (so printed on its sheet).
    pub assigned: bool,
}

/// The canvasser choice for a sheet with no name written on it.
pub const NOT_ON_SHEET: &str = "unknown";

/// One door's line of the returns form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnRow {
    pub household_id: i64,
    pub entry_id: String,
    pub result: String,
    /// "on" when the do-not-knock box is ticked.
    pub do_not_knock: Option<String>,
}

/// One elector's intention on the returns form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoteRow {
    pub household_id: i64,
    pub elector_id: i64,
    pub entry_id: String,
    pub intention: String,
    /// Empty, or 1 to 5.
    pub firmness: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnsForm {
    pub walk_list_id: i64,
    /// The volunteer who knocked (their id), or "unknown" when the sheet names nobody.
    pub canvasser: String,
    pub rows: Vec<ReturnRow>,
    pub votes: Vec<VoteRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnsOutcome {
    pub stored: usize,
    pub already_had: usize,
    pub do_not_knock: usize,
}
