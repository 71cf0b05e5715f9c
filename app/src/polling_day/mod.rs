//! Polling day: the set-up (districts → stations → ballot boxes, and committee rooms),
//! tellers taking poll numbers at the stations, the knock-up rounds of our promises who
//! have not voted, the boxes' counts, and a turnout estimate per box.
//!
//! The phone pages (`/poll/…`) are server-rendered with plain forms and load no wasm;
//! `public/telling.js` keeps the teller's entries in an outbox on the phone, and
//! `public/knock-up.js` the knocker's results.

#[cfg(feature = "ssr")]
mod dashboard;
#[cfg(feature = "ssr")]
pub mod elector_file;
pub mod knock_up;
#[cfg(feature = "ssr")]
pub mod knock_up_outbox;
#[cfg(feature = "ssr")]
pub mod knock_up_queries;
#[cfg(feature = "ssr")]
pub mod marked_register;
#[cfg(feature = "ssr")]
pub mod memo;
mod mine;
mod pages;
mod phone;
pub mod poll_number;
pub mod postal;
mod postal_page;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod region;
mod region_page;
#[cfg(feature = "ssr")]
pub mod region_queries;
#[cfg(feature = "ssr")]
pub mod setup;
#[cfg(feature = "ssr")]
pub mod telling;
#[cfg(feature = "ssr")]
mod telling_match;
pub mod turnout;
#[cfg(feature = "ssr")]
pub mod web;

pub use mine::MyPollingDay;
pub use pages::{PollingDayPage, PollingDaySetupPage};
pub use phone::{KnockUpPage, TellingPage};
pub use postal_page::PostalPage;
pub use region_page::{RegionPollingDayPage, RegionWallScreenPage};

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One ballot box on the dashboard: its inputs and its estimate, side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoxFigures {
    pub box_id: i64,
    pub label: String,
    pub district: String,
    pub station: String,
    pub room: Option<String>,
    pub inputs: turnout::BoxInputs,
    /// The time of the latest count ("HH:MM").
    pub counted_at: Option<String>,
    pub estimate: turnout::Estimate,
    /// Promises not known to have voted (not told, no "voted" at the door).
    pub still_to_vote: i64,
    /// Promises whose latest answer at the door was "needs a lift".
    pub lifts: i64,
}

/// A committee room's totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoomFigures {
    pub name: String,
    pub canvassers: i64,
    pub cars: i64,
    pub promises: i64,
    pub known_voted: i64,
    pub estimated_voted: f64,
    pub lifts: i64,
    /// Districts with most promises still to vote first: where the knockers go next.
    pub where_next: Vec<(String, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PollingDayView {
    pub gss_code: String,
    pub seat_name: String,
    pub promises_are: knock_up::Promises,
    pub win_number: Option<i64>,
    /// Votes cast ÷ electorate at the last election, in per cent.
    pub usual_turnout: Option<f64>,
    pub boxes: Vec<BoxFigures>,
    pub rooms: Vec<RoomFigures>,
    /// Telling entries whose number matched nobody, waiting for correction.
    pub unknown_entries: i64,
    /// Organisers and admins may enter box counts; regional staff only read.
    pub can_edit: bool,
    pub as_of: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupView {
    pub gss_code: String,
    pub seat_name: String,
    pub csv: String,
    /// The seat's polling districts, for the help text.
    pub districts: Vec<String>,
    pub promises_are: knock_up::Promises,
    /// (name, email, station, room) of each teller and knocker.
    pub helpers: Vec<(String, String, Option<String>, Option<String>)>,
    pub stations: Vec<String>,
    pub rooms: Vec<String>,
}

/// A telling entry as the page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TellingLine {
    pub id: String,
    pub typed: String,
    /// The matched elector's number and name; none for an unknown number.
    pub matched: Option<String>,
    pub made_at: DateTime<Utc>,
    pub undone: bool,
}

/// An elector found by name and address, for a voter who gives no number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct LookupHit {
    pub elector_id: i64,
    pub number: String,
    pub name: String,
    pub address: String,
    pub told: bool,
    /// A fresh id for telling this voter from the look-up.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub entry_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TellingView {
    pub gss_code: String,
    pub seat_name: String,
    pub station_id: Option<i64>,
    pub station_name: String,
    /// Every station the caller may tell at: one for a teller, all for staff.
    pub stations: Vec<(i64, String)>,
    pub districts: Vec<String>,
    pub recent: Vec<TellingLine>,
    pub unknown: Vec<TellingLine>,
    pub told_here: i64,
    pub query: String,
    pub hits: Vec<LookupHit>,
    /// A fresh id for the plain form (a second submit of the same page is one entry).
    pub entry_id: String,
}

/// One entry from the teller's phone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TellingEntry {
    /// A UUID made on the phone.
    pub id: String,
    pub station_id: i64,
    /// The number as typed; empty when the voter was found by name.
    #[serde(default)]
    pub typed: String,
    /// The elector chosen from a name-and-address look-up.
    #[serde(default)]
    pub elector_id: Option<i64>,
    /// On the phone's clock; the server's now when absent.
    #[serde(default)]
    pub made_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TellingOutcome {
    /// New entries stored (matched or kept for correction).
    pub stored: usize,
    /// Of those, numbers that matched nobody: kept and listed for correction.
    pub unknown: usize,
    /// Entries not stored again: the same id sent before, or a voter already told.
    pub already_had: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnockUpView {
    pub gss_code: String,
    pub seat_name: String,
    pub room: Option<String>,
    /// (district id, code, promises still to vote) of the districts the caller may knock.
    pub districts: Vec<(i64, String, i64)>,
    pub district_id: Option<i64>,
    pub district: String,
    /// (number, the streets it runs between, promises still to knock) of the district's walks.
    pub walks: Vec<(usize, String, i64)>,
    /// The walk shown, from 1.
    pub walk: usize,
    /// The walk's doors with promises still to knock.
    pub doors: Vec<knock_up::Door>,
    pub promises: i64,
    pub voted: i64,
    /// Promises in the whole seat, for the calculator.
    pub seat_promises: i64,
    pub win_number: Option<i64>,
    pub usual_turnout: Option<f64>,
    /// A fresh id per result button: pressing one twice is one entry.
    pub entry_ids: Vec<String>,
}

#[server(prefix = "/api", endpoint = "polling_day")]
pub async fn polling_day(gss_code: String) -> Result<PollingDayView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::staff_seat(&state.store, &user, &gss_code).await?;
    let can_edit = matches!(user.role, crate::auth::Role::Admin | crate::auth::Role::Organiser);
    queries::dashboard(&state.store, &seat, can_edit, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "polling_day_setup")]
pub async fn polling_day_setup(gss_code: String) -> Result<SetupView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::organiser_seat(&state.store, &user, &gss_code).await?;
    queries::setup_view(&state.store, &seat).await
}

#[server(prefix = "/api", endpoint = "telling")]
pub async fn telling_page(
    gss_code: String,
    station: Option<i64>,
    q: Option<String>,
) -> Result<TellingView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::helper_access(&state.store, &user, &gss_code).await?;
    telling::view(&state.store, &user, &access, station, q.unwrap_or_default().trim()).await
}

/// The teller's outbox: a batch of entries, each with the id the phone made. Sent again,
/// an entry is stored once; a district of another seat refuses the batch with a message.
#[server(prefix = "/api", endpoint = "polling-day/telling", input = server_fn::codec::Json)]
pub async fn telling_batch(gss_code: String, entries: Vec<TellingEntry>) -> Result<TellingOutcome, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::helper_access(&state.store, &user, &gss_code).await?;
    telling::store(&state.store, &user, &access, entries, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "knock_up")]
pub async fn knock_up_round(
    gss_code: String,
    district: Option<i64>,
    walk: Option<usize>,
) -> Result<KnockUpView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::helper_access(&state.store, &user, &gss_code).await?;
    queries::knock_up_view(&state.store, &state.knock_up, &user, &access, district, walk).await
}

/// The knocker's outbox: a batch of results, each with the id the phone made. Sent again,
/// a result is stored once; a voter outside the caller's districts refuses the batch.
#[server(prefix = "/api", endpoint = "polling-day/knock-up", input = server_fn::codec::Json)]
pub async fn knock_up_batch(
    gss_code: String,
    results: Vec<knock_up::KnockUpEntry>,
) -> Result<knock_up::KnockUpOutcome, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::helper_access(&state.store, &user, &gss_code).await?;
    knock_up_outbox::store(&state.store, &user, &access, results, Utc::now()).await
}

/// A region's polling day in figures: for admins and the region's regional staff.
#[server(prefix = "/api", endpoint = "region_polling_day")]
pub async fn region_polling_day(region: String) -> Result<region::RegionPollingDay, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    region_queries::region_polling_day(&state.store, &user, region.trim(), Utc::now()).await
}
