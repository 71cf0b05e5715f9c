//! Turf cutting: the seat map, choosing doors, splitting them into walk lists with a
//! walking order, assigning lists, printed walk sheets and their paper returns.

#[cfg(feature = "ssr")]
pub mod cut;
#[cfg(feature = "ssr")]
pub mod door_facts;
mod list_filter;
mod list_state;
mod lists_page;
mod page;
mod print;
#[cfg(feature = "ssr")]
pub mod queries;
mod returns;
#[cfg(feature = "ssr")]
pub mod returns_form;
pub mod sheet;
#[cfg(feature = "ssr")]
pub mod sheet_queries;
#[cfg(feature = "ssr")]
pub mod split;
#[cfg(feature = "ssr")]
pub mod streets;
#[cfg(feature = "ssr")]
mod walk_order;
#[cfg(feature = "ssr")]
pub mod web;

pub use list_filter::{filter_lists, ListFilter, ListPage, LISTS_PER_PAGE};
pub use list_state::{close_walk_list, unassign_walk_list, ListChange};
pub use page::TurfPage;
pub use print::WalkSheetPage;
pub use returns::ReturnsPage;

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Shown under the map: where the boundaries and postcode positions come from.
pub const MAP_ATTRIBUTION: &str = "Boundaries: ONS, GeoJSON by Martin Chorley (CC BY 4.0). \
    Contains OS data © Crown copyright and database right 2014. Postcodes: OS Code-Point Open; \
    Royal Mail data © Royal Mail copyright and database right 2014; National Statistics data © \
    Crown copyright and database right 2014 (Open Government Licence v3). People are synthetic.";

/// The origin of a tile URL template, for the map page's image policy: `https://` only,
/// a plain host name (a `{s}.` subdomain placeholder becomes `*.`) and an optional port.
/// Anything else gives none, and then no tiles are drawn.
pub fn tile_origin(template: &str) -> Option<String> {
    let rest = template.trim().strip_prefix("https://")?;
    let host = rest.split('/').next()?;
    let host = host.strip_prefix("{s}.").map(|h| format!("*.{h}")).unwrap_or_else(|| host.to_string());
    let name = host.trim_start_matches("*.");
    let (name, port) = name.split_once(':').unwrap_or((name, ""));
    let ok = !name.is_empty()
        && name.contains('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && port.chars().all(|c| c.is_ascii_digit());
    ok.then(|| format!("https://{host}"))
}

/// Lists are cut to about this many doors unless the organiser says otherwise.
pub const DEFAULT_LIST_SIZE: usize = 35;

/// What we know about a door, as the map colours it: (code, label, colour). The label
/// is always shown beside the colour (legend and table): colour is never alone.
pub const STATUSES: [(&str, &str, &str); 7] = [
    ("not_contacted", "Not yet contacted", "#8a8f98"),
    ("contacted", "Contacted, no intention", "#2f6fb0"),
    ("supporter", "Supporter", "#c8102e"),
    ("against", "Against", "#1a1a1a"),
    ("undecided", "Undecided", "#e0a100"),
    ("do_not_knock", "Do not knock", "#7b2d8e"),
    ("moved", "Moved away / gone", "#2e8b57"),
];

pub fn status_index(code: &str) -> usize {
    STATUSES.iter().position(|(c, _, _)| *c == code).unwrap_or(0)
}

/// How a volunteer walks a street (see `split`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WalkOrder {
    /// Up one side (odd numbers), back down the other (even numbers).
    #[default]
    Sides,
    /// House numbers in order, crossing the road as you go.
    ZigZag,
}

/// Which doors to cut: an area (a drawn polygon, wards, polling districts, streets: any
/// of them, together; none means the whole seat) and filters that all apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TurfCriteria {
    /// A drawn polygon's corners as [longitude, latitude].
    pub polygon: Vec<[f64; 2]>,
    pub wards: Vec<i64>,
    pub districts: Vec<i64>,
    /// Street names, as the register spells them (case does not matter).
    pub streets: Vec<String>,
    pub never_contacted: bool,
    /// Only doors not contacted in this many days (never contacted ones included).
    pub not_contacted_days: Option<i64>,
    /// Only doors whose latest intention is undecided or a soft supporter (firmness ≤ 3).
    pub undecided_or_soft: bool,
    /// Only doors with a postal voter (marker P).
    pub postal_voters: bool,
    /// By the seat's latest marked register: `Some(true)` only doors where someone voted
    /// (likely voters, for persuasion), `Some(false)` only doors on it where nobody did
    /// (for turnout work).
    pub voted_last: Option<bool>,
    /// Keep do-not-knock doors (normally left out).
    pub include_do_not_knock: bool,
    /// Keep doors whose people have moved away (normally left out).
    pub include_moved: bool,
    /// Leave out doors already on an active list.
    pub skip_listed: bool,
    pub list_size: usize,
    pub order: WalkOrder,
}

impl Default for TurfCriteria {
    fn default() -> Self {
        TurfCriteria {
            polygon: Vec::new(),
            wards: Vec::new(),
            districts: Vec::new(),
            streets: Vec::new(),
            never_contacted: false,
            not_contacted_days: None,
            undecided_or_soft: false,
            postal_voters: false,
            voted_last: None,
            include_do_not_knock: false,
            include_moved: false,
            skip_listed: false,
            list_size: DEFAULT_LIST_SIZE,
            order: WalkOrder::Sides,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TurfPreview {
    pub doors: usize,
    pub electors: i64,
    /// Doors that match but have no map position, so cannot be routed (left out).
    pub unplaced: usize,
    /// About how many lists the doors make.
    pub lists: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CutOutcome {
    pub lists: Vec<i64>,
    pub doors: usize,
    /// Total walking distance of the new lists' routes, in metres.
    pub metres: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Area {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// For a polling district, its ward.
    pub ward_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusRow {
    pub ward: String,
    /// Doors per status, in the order of [`STATUSES`].
    pub counts: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub code: Option<String>,
    pub doors: i64,
    pub knocked: i64,
    pub session_title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    /// Names of the volunteers assigned, comma-separated.
    pub volunteers: Option<String>,
    pub reissued_from: Option<i64>,
    /// The volunteers assigned, for the filter.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub volunteer_ids: Vec<i64>,
    /// The wards and polling districts its doors are in, for the filter.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub wards: Vec<i64>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub districts: Vec<i64>,
    /// The ward most of its doors are in.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default)]
    pub main_ward: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionOption {
    pub id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub meeting_point: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VolunteerOption {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TurfOverview {
    pub gss_code: String,
    pub seat_name: String,
    pub wards: Vec<Area>,
    pub districts: Vec<Area>,
    pub streets: Vec<String>,
    pub status_by_ward: Vec<StatusRow>,
    pub sessions: Vec<SessionOption>,
    pub volunteers: Vec<VolunteerOption>,
    /// The tile server's origin when map tiles are configured (see [`tile_origin`]).
    pub tile_origin: Option<String>,
}

/// A new canvass session made while assigning a list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewSession {
    pub title: String,
    /// Local date and time as the form gives it: "2026-11-28T10:30".
    pub starts_at: String,
    pub meeting_point: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub walk_list_id: i64,
    pub volunteers: Vec<i64>,
    /// An existing session, or a new one; neither leaves the list's session as it is.
    pub session_id: Option<i64>,
    pub new_session: Option<NewSession>,
}

/// The seat's map page data (the points themselves come from `/seats/GSS/map.json`).
#[server(prefix = "/api", endpoint = "turf/overview")]
pub async fn get_turf_overview(gss_code: String) -> Result<TurfOverview, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::planner_seat(&state.store, &user, &gss_code).await?;
    queries::overview(&state.store, &seat).await
}

/// The seat's walk lists with their progress: one page of those the filter lets through
/// (no filter: all of them, newest first).
#[server(prefix = "/api", endpoint = "turf/lists")]
pub async fn turf_lists(gss_code: String, filter: Option<ListFilter>) -> Result<ListPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::planner_seat(&state.store, &user, &gss_code).await?;
    let rows = queries::list_rows(&state.store, seat.id).await?;
    Ok(filter_lists(rows, &filter.unwrap_or_default()))
}

#[server(prefix = "/api", endpoint = "turf/preview", input = server_fn::codec::Json)]
pub async fn preview_turf(gss_code: String, criteria: TurfCriteria) -> Result<TurfPreview, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::planner_seat(&state.store, &user, &gss_code).await?;
    cut::preview(&state.store, seat.id, &criteria, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "turf/cut", input = server_fn::codec::Json)]
pub async fn cut_turf(gss_code: String, criteria: TurfCriteria) -> Result<CutOutcome, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::planner_seat(&state.store, &user, &gss_code).await?;
    cut::cut(&state.store, user.id, seat.id, &criteria, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "turf/assign", input = server_fn::codec::Json)]
pub async fn assign_walk_list(assignment: Assignment) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::assign(&state.store, &user, &assignment).await
}

#[server(prefix = "/api", endpoint = "turf/reissue", input = server_fn::codec::Json)]
pub async fn reissue_walk_list(walk_list_id: i64) -> Result<Option<i64>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::reissue(&state.store, &user, walk_list_id, Utc::now()).await
}

#[cfg(test)]
mod tests {
    use super::tile_origin;

    #[test]
    fn only_a_plain_https_tile_origin_is_let_into_the_image_policy() {
        assert_eq!(
            tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.openstreetmap.org")
        );
        assert_eq!(
            tile_origin("https://tiles.example.org:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://tiles.example.org:8443")
        );
        assert_eq!(tile_origin(""), None);
        assert_eq!(tile_origin("http://tiles.example.org/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_origin("https://evil.example.org; script-src *"), None);
        assert_eq!(tile_origin("https://localhost/{z}"), None);
    }
}
