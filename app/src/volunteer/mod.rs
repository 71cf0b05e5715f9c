//! Volunteers: who they are, what they can do and need, what they agreed to be contacted
//! about, and how far up the ladder of engagement they have come (prospect → first
//! session → regular → team leader → organiser), with the date of each step.
//!
//! A volunteer's details are personal data: the seat's organisers, the leader of their
//! team and admins only, and every view of a volunteer's page is on the audit log.

mod availability;
mod consent;
#[cfg(feature = "ssr")]
pub mod csv;
mod detail;
mod heard_from;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod rights;
mod roster;
mod stage;
#[cfg(feature = "ssr")]
pub mod web;

pub use availability::{availability_codes, availability_label, parse_availability, DAYS, TIMES};
pub use consent::{ConsentRecord, Purpose};
pub use detail::{AttendanceRecord, StageStep, VolunteerDetail, VolunteerRecord};
pub use heard_from::{heard_from_label, HEARD_FROM};
pub use page::{VolunteerPage, VolunteersPage};
pub use roster::{ListFilter, Show, TeamInfo, VolunteerList, VolunteerSummary, QUIET_WEEKS};
pub use stage::{Stage, READY_FOR_REGULAR, READY_TO_LEAD};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use chrono::{Duration, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// A form field that may be left empty: empty means absent.
pub fn filled(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

#[server(prefix = "/api", endpoint = "volunteers")]
pub async fn get_volunteers(
    gss: String,
    stage: Option<String>,
    show: Option<String>,
    weeks: Option<String>,
    team: Option<String>,
) -> Result<VolunteerList, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let filter = ListFilter {
        stage: stage.as_deref().and_then(Stage::parse),
        show: Show::parse(show.as_deref().unwrap_or_default()),
        weeks: weeks.and_then(|w| w.parse().ok()).filter(|w| (1..=104).contains(w)).unwrap_or(QUIET_WEEKS),
        team: team.and_then(|t| t.parse().ok()),
    };
    queries::list(&state.store, &user, &gss, filter, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "volunteer")]
pub async fn get_volunteer(id: i64) -> Result<VolunteerDetail, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::detail(&state.store, &user, id).await
}

/// The list page's "Add a volunteer" form. Opens the new volunteer's page.
#[server(prefix = "/api", endpoint = "volunteer_add")]
pub async fn add_volunteer(
    gss: String,
    first_name: String,
    surname: String,
    email: Option<String>,
    phone: Option<String>,
    heard_from: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let new = queries::NewVolunteer {
        first_name,
        surname,
        email: filled(email),
        phone: filled(phone),
        heard_from: filled(heard_from).unwrap_or_default(),
        ..queries::NewVolunteer::default()
    };
    let id = queries::create(&state.store, &user, &gss, new).await?;
    leptos_axum::redirect(&format!("/volunteers/{id}"));
    Ok(())
}

/// Moves a volunteer to a stage of the ladder, dated (today unless another day is given).
#[server(prefix = "/api", endpoint = "volunteer_stage")]
pub async fn move_volunteer_stage(
    id: i64,
    stage: String,
    on: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let stage = Stage::parse(&stage).ok_or_else(|| AppError::BadInput("Choose a stage.".into()))?;
    // Today means now; another day, its midday.
    let now = Utc::now();
    let at = match filled(on) {
        Some(day) => {
            let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| AppError::BadInput("The date could not be read (YYYY-MM-DD).".into()))?;
            if day == crate::canvass_session::uk_time::local(now).date() {
                now
            } else {
                day.and_hms_opt(12, 0, 0).map(|d| d.and_utc()).ok_or(AppError::Internal)?
            }
        }
        None => now,
    };
    if at > now + Duration::days(1) {
        return Err(AppError::BadInput("A step up the ladder cannot be dated in the future.".into()));
    }
    queries::require_volunteer(&state.store, &user, id).await?;
    queries::move_stage(&state.store, id, stage, at, Some(user.id), filled(note).as_deref()).await
}

/// Records the volunteer's present answers about being contacted, one row per purpose
/// whose answer changed, with today's date and who recorded it.
#[server(prefix = "/api", endpoint = "volunteer_consent")]
pub async fn record_volunteer_consent(
    id: i64,
    sessions: Option<String>,
    news: Option<String>,
    fundraising: Option<String>,
    source: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::require_volunteer(&state.store, &user, id).await?;
    let source = filled(source)
        .ok_or_else(|| AppError::BadInput("Say how they gave their answer (in person, by email…).".into()))?;
    let answers = [
        (Purpose::Sessions, sessions.is_some()),
        (Purpose::News, news.is_some()),
        (Purpose::Fundraising, fundraising.is_some()),
    ];
    queries::record_consents(&state.store, id, &answers, &source, Some(user.id), Utc::now()).await
}

/// Creates a team in a seat, led by a user with the team-leader role.
#[server(prefix = "/api", endpoint = "team_create")]
pub async fn create_team(gss: String, name: String, leader: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let leader = filled(leader)
        .map(|l| l.parse::<i64>().map_err(|_| AppError::BadInput("Choose a team leader.".into())))
        .transpose()?;
    queries::create_team(&state.store, &user, &gss, &name, leader).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
