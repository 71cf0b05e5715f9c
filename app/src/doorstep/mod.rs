//! The doorstep app: a volunteer's walk list in walk order, one household at a time, and
//! the record of each door. Every entry carries an id made before it is sent (on the page
//! render, or on the phone), so however often it arrives it is stored once.

// Before `batch` and `review_queries`, which use their macros.
#[cfg(feature = "ssr")]
#[macro_use]
mod conversations;
#[cfg(feature = "ssr")]
#[macro_use]
mod correction;

#[cfg(feature = "ssr")]
mod batch;
mod door_fields;
mod door_result;
#[cfg(feature = "ssr")]
mod entry_checks;
#[cfg(feature = "ssr")]
mod flagging;
mod map;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
mod review;
#[cfg(feature = "ssr")]
mod review_queries;
mod settings;
#[cfg(feature = "ssr")]
pub mod trust;
#[cfg(feature = "ssr")]
pub mod web;

pub use door_result::{result_label, DoorResult, RESULTS};
pub use map::walk_map;
pub use page::{DoorPage, WalkPage};
pub use review::*;
pub use settings::{DoorstepSettings, SurveyQuestion, CONTACT_FOLLOW_UPS, FOLLOW_UPS};

use crate::error::AppError;
use crate::ids::{ElectorId, HouseholdId, WalkListId};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Why an intention with nobody chosen as its holder is refused (the server says it, and
/// the door form says it before sending).
pub const NO_HOLDER: &str =
    "Choose who answered (under \"Who answered\") before saving a voting intention or \
     firmness: an intention is kept only for a person on the register.";

/// The default party list (a campaign may set its own: `doorstep_parties`).
pub const INTENTIONS: [(&str, &str); 7] = [
    ("lab", "Labour"),
    ("con", "Conservative"),
    ("ld", "Lib Dem"),
    ("green", "Green"),
    ("reform", "Reform"),
    ("other", "Other"),
    ("undecided", "Undecided"),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WalkDoor {
    pub household_id: i64,
    pub position: i64,
    pub address1: String,
    pub address2: Option<String>,
    pub postcode: Option<String>,
    pub electors: i64,
    /// Conversations recorded at this door on this list (every knock, not just the last).
    pub entries: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The result of the latest conversation on this list (by the phone's time), held
    /// entries included.
    pub last_result: Option<String>,
    /// Someone asked us not to knock again.
    pub do_not_knock: bool,
    /// Someone else has spoken to or knocked on this door since the list was made.
    pub elsewhere: bool,
}

impl WalkDoor {
    /// A door still to knock: not knocked on this list, not contacted since the list
    /// was made, and not a door that asked us to stay away.
    pub fn to_knock(&self) -> bool {
        self.last_result.is_none() && !self.do_not_knock && !self.elsewhere
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkListView {
    pub id: i64,
    pub name: String,
    pub seat_name: String,
    pub doors: Vec<WalkDoor>,
}

impl WalkListView {
    /// Conversations recorded on this list.
    pub fn entries(&self) -> i64 {
        self.doors.iter().map(|d| d.entries).sum()
    }

    pub fn knocked(&self) -> usize {
        self.doors.iter().filter(|d| d.last_result.is_some()).count()
    }

    /// The first door still to knock, in walk order.
    pub fn next_door(&self) -> Option<&WalkDoor> {
        self.doors.iter().find(|d| d.to_knock())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DoorElector {
    pub id: i64,
    pub first_name: String,
    pub surname: String,
    pub pd_prefix: String,
    pub elector_number: i64,
    pub elector_suffix: i64,
}

impl DoorElector {
    pub fn number(&self) -> String {
        crate::register::number::ElectorNumber {
            prefix: self.pd_prefix.clone(),
            number: self.elector_number,
            suffix: self.elector_suffix,
        }
        .to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoorView {
    pub walk_list_id: i64,
    pub list_name: String,
    pub door: WalkDoor,
    /// Where the door comes in walk order, from 1.
    pub number: usize,
    pub total: usize,
    pub electors: Vec<DoorElector>,
    /// A fresh UUID for the entry this page will send: a second submit of the same
    /// page is the same entry.
    pub entry_id: String,
    /// The doors still to knock after this one, in walk order (the phone picks the
    /// first it has not recorded itself).
    pub next_doors: Vec<i64>,
    pub settings: DoorstepSettings,
}

/// The doors still to knock after `household`, in walk order, wrapping round.
pub fn doors_after(doors: &[WalkDoor], household: i64) -> Vec<i64> {
    let here = doors.iter().position(|d| d.household_id == household).map(|i| i + 1).unwrap_or(0);
    let here = here.min(doors.len());
    doors[here..]
        .iter()
        .chain(doors[..here].iter())
        .filter(|d| d.to_knock() && d.household_id != household)
        .map(|d| d.household_id)
        .collect()
}

/// One door's record, as the form or the phone's outbox sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DoorEntry {
    /// A UUID made on the phone (or when the door page was rendered).
    pub id: String,
    pub walk_list_id: WalkListId,
    pub household_id: HouseholdId,
    /// A [`DoorResult`] code, read by `validate` (so an unknown one is refused with a
    /// reason, not as JSON that could not be read).
    pub result: String,
    #[serde(default)]
    pub elector_id: Option<ElectorId>,
    #[serde(default)]
    pub intention: Option<String>,
    #[serde(default)]
    pub intention_source: Option<String>,
    #[serde(default)]
    pub firmness: Option<i64>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Codes from the campaign's list of issues.
    #[serde(default)]
    pub issues: Vec<String>,
    /// Kinds from [`FOLLOW_UPS`].
    #[serde(default)]
    pub follow_ups: Vec<String>,
    /// (question id, answer) for the campaign's survey.
    #[serde(default)]
    pub answers: Vec<(String, String)>,
    /// How to reach the person about a call back or volunteering, given with their
    /// consent (`contact_consent`), which a number or address is never stored without.
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub contact_consent: bool,
    /// The id of this phone's earlier entry at the door that this one corrects (Change),
    /// or that it takes back when `result` is `undo` (see `correction`).
    #[serde(default)]
    pub replaces: Option<String>,
    /// Where the phone was, when the browser said.
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// On the phone's clock; the server's now when absent.
    #[serde(default)]
    pub made_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOutcome {
    /// Entries stored by this request (held ones included).
    pub stored: usize,
    /// Entries the server already had (sent before): not stored again.
    pub already_had: usize,
    /// Of those stored, entries held for an organiser to confirm.
    #[serde(default)]
    pub held: usize,
    /// Of those stored, entries flagged for an organiser to look at.
    #[serde(default)]
    pub flagged: usize,
}

/// A form field that may be left empty: empty means absent.
pub fn filled(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[server(prefix = "/api", endpoint = "walk_list")]
pub async fn get_walk_list(id: i64) -> Result<WalkListView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::access(&state.store, &user, id).await?;
    let doors = queries::doors(&state.store, id).await?;
    // The service worker keeping the list and its doors on the phone: one entry for the
    // whole download, which the doors' pages that follow are part of (see `get_door`).
    if crate::audit::for_offline() {
        let why = format!("list cached for offline use ({} doors)", doors.len());
        crate::audit::record(
            &state.store,
            Some(user.id),
            crate::audit::CACHED,
            "walk_list",
            &id.to_string(),
            &why,
        )
        .await?;
    }
    Ok(WalkListView { id, name: access.name, seat_name: access.seat_name, doors })
}

#[server(prefix = "/api", endpoint = "walk_door")]
pub async fn get_door(walk_list_id: i64, household_id: i64) -> Result<DoorView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let access = queries::access(&state.store, &user, walk_list_id).await?;
    let (doors, settings) =
        tokio::try_join!(queries::doors(&state.store, walk_list_id), queries::settings(&state.store))?;
    let total = doors.len();
    let next_doors = doors_after(&doors, household_id);
    let (index, door) = doors
        .into_iter()
        .enumerate()
        .find(|(_, d)| d.household_id == household_id)
        .ok_or(AppError::Forbidden)?;
    let electors = queries::electors(&state.store, household_id).await?;
    // Electors' names and numbers are personal data: each view is on the record, unless
    // it is the service worker fetching the door as part of a list it has just cached
    // (then that one "cached" entry covers it). Without that entry it is a view.
    let cached = crate::audit::for_offline()
        && crate::audit::recorded_since(
            &state.store,
            user.id,
            crate::audit::CACHED,
            "walk_list",
            &walk_list_id.to_string(),
            chrono::Utc::now() - crate::audit::CACHE_WINDOW,
        )
        .await?;
    if !cached {
        crate::audit::record(
            &state.store,
            Some(user.id),
            "view",
            "household",
            &household_id.to_string(),
            &format!("doorstep, walk list {walk_list_id}"),
        )
        .await?;
    }
    Ok(DoorView {
        walk_list_id,
        list_name: access.name,
        door,
        number: index + 1,
        total,
        electors,
        entry_id: uuid::Uuid::now_v7().to_string(),
        next_doors,
        settings,
    })
}

/// The outbox's endpoint: a batch of entries, each with the id the phone made. Entries
/// already stored are skipped; if any entry is for a list or door the user may not
/// record, nothing is stored.
#[server(prefix = "/api", endpoint = "doorstep/batch", input = server_fn::codec::Json)]
pub async fn doorstep_batch(entries: Vec<DoorEntry>) -> Result<BatchOutcome, AppError> {
    let state = crate::state::app_state()?;
    // A refusal's status (401/403/400) is set for every server function by the
    // router's `server_fn_status` layer.
    let user = crate::auth::session::require_user().await?;
    let sent = entries.len();
    let done = queries::store_entries(&state.store, &user, entries, Utc::now()).await?;
    Ok(BatchOutcome {
        stored: done.stored,
        already_had: sent - done.stored,
        held: done.held,
        flagged: done.flagged,
    })
}
