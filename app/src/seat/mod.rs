//! Target seats: their last results and how much of the campaign is loaded.

#[cfg(feature = "ssr")]
pub mod catalogue;
mod catalogue_page;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod results;
#[cfg(feature = "ssr")]
pub mod web;

pub use catalogue_page::CataloguePage;
pub use page::{SeatPage, SeatsList, SeatsPage};

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ElectionResult {
    pub year: i64,
    pub winner: String,
    pub runner_up: String,
    pub winner_votes: i64,
    pub runner_up_votes: i64,
    pub majority: i64,
    pub electorate: i64,
    pub valid_votes: i64,
    pub invalid_votes: i64,
}

impl ElectionResult {
    /// Turnout as a percentage of the electorate, counting spoilt ballots as votes cast.
    pub fn turnout_percent(&self) -> f64 {
        if self.electorate == 0 {
            return 0.0;
        }
        100.0 * (self.valid_votes + self.invalid_votes) as f64 / self.electorate as f64
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SeatSummary {
    pub id: i64,
    pub gss_code: String,
    pub name: String,
    pub region: Option<String>,
    pub winner: Option<String>,
    pub majority: Option<i64>,
    pub result_year: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WardCount {
    pub gss_code: String,
    pub name: String,
    pub households: i64,
    pub electors: i64,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SeatCounts {
    pub electors: i64,
    pub households: i64,
    pub volunteers: i64,
    pub conversations: i64,
    pub walk_lists: i64,
}

/// What a seat still needs before canvassing can start.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SeatChecklist {
    /// Households with a map position, and those whose postcode was not found.
    pub households_placed: i64,
    pub households_unplaced: i64,
    /// Active organisers whose patch is this seat.
    pub organisers: i64,
    pub canvass_sessions: i64,
}

/// One constituency in the catalogue admins pick target seats from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueSeat {
    pub gss_code: String,
    pub name: String,
    pub region: String,
    pub winner: String,
    pub runner_up: String,
    pub year: i64,
    pub majority: i64,
    /// Majority ÷ valid votes ÷ 2, as a percentage.
    pub swing_needed: f64,
    pub in_campaign: bool,
    /// The region the campaign put the seat in, when it holds it.
    pub campaign_region: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueView {
    /// Seats in the shipped data, before filtering.
    pub total: usize,
    pub seats: Vec<CatalogueSeat>,
    /// Regions to filter by or put a seat in: the results' regions and the campaign's own.
    pub regions: Vec<String>,
    pub winners: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeatOverview {
    pub seat: SeatSummary,
    /// Newest first.
    pub results: Vec<ElectionResult>,
    pub counts: SeatCounts,
    pub wards: Vec<WardCount>,
    pub checklist: SeatChecklist,
    /// Whether the viewer may load and export this seat's register.
    pub can_manage_register: bool,
}

#[server(prefix = "/api", endpoint = "seats")]
pub async fn list_seats() -> Result<Vec<SeatSummary>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    // Volunteers and team leaders reach doors through their walk lists, never seat pages.
    if !user.role.sees_seats() {
        return Err(AppError::Forbidden);
    }
    let scope = crate::auth::scope::seat_scope(&state.store, &user).await?;
    let seats = queries::list(&state.store).await?;
    Ok(seats.into_iter().filter(|s| scope.contains(s.id)).collect())
}

#[server(prefix = "/api", endpoint = "seat_overview")]
pub async fn get_seat_overview(gss_code: String) -> Result<SeatOverview, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::find(&state.store, &gss_code).await?;
    crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
    let can_manage = matches!(user.role, crate::auth::Role::Admin | crate::auth::Role::Organiser);
    queries::overview(&state.store, seat, can_manage).await
}

/// The seat catalogue (admins only): every GB constituency, filtered and sorted.
#[server(prefix = "/api", endpoint = "seat_catalogue")]
pub async fn get_seat_catalogue(
    q: String,
    region: String,
    winner: String,
    sort: String,
) -> Result<CatalogueView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    if user.role != crate::auth::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let filter = catalogue::Filter { q: &q, region: &region, winner: &winner };
    catalogue::catalogue(&state.store, filter, catalogue::Sort::parse(&sort)).await
}

/// Adds a seat from the catalogue as a target (admins only), or moves a held seat to
/// another region; the answer is the seat's code.
#[server(prefix = "/api", endpoint = "seat_add")]
pub async fn add_target_seat(gss_code: String, region: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    if user.role != crate::auth::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let added = catalogue::add_target(&state.store, Some(user.id), &gss_code, Some(&region)).await?;
    Ok(added.gss_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turnout_counts_spoilt_ballots() {
        let r = ElectionResult {
            year: 2015,
            winner: "Conservative".into(),
            runner_up: "Labour".into(),
            winner_votes: 18_970,
            runner_up_votes: 18_592,
            majority: 378,
            electorate: 67_580,
            valid_votes: 45_230,
            invalid_votes: 186,
        };
        assert!((r.turnout_percent() - 67.2).abs() < 0.05);
    }
}
