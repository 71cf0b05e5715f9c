//! Canvass sessions: when and where to meet, the walk lists for them, who signed up (a
//! volunteer themselves, or their organiser for them), who came and for how long, and
//! the sessions as iCalendar files for any calendar app.

mod create;
#[cfg(feature = "ssr")]
pub mod ics;
#[cfg(feature = "ssr")]
mod meeting_map;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod uk_time;
#[cfg(feature = "ssr")]
pub mod web;

pub use create::*;
pub use page::{MySessionsPage, SeatSessionsPage, SessionPage};

use crate::error::AppError;
use crate::volunteer::Choice;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionSummary {
    pub id: i64,
    pub seat_id: i64,
    pub gss: String,
    pub seat_name: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub meeting_point: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub capacity: Option<i64>,
    pub team_id: Option<i64>,
    pub team: Option<String>,
    pub notes: String,
    pub signed_up: i64,
    pub attended: i64,
    pub walk_lists: i64,
}

impl SessionSummary {
    pub fn places_left(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.signed_up).max(0))
    }

    pub fn is_full(&self) -> bool {
        self.places_left() == Some(0)
    }

    /// "Sat 28 Nov 2026, 10:30–13:30" in UK time.
    pub fn when(&self) -> String {
        uk_time::span(self.starts_at, self.ends_at)
    }

    pub fn hours(&self) -> f64 {
        (self.ends_at - self.starts_at).num_minutes() as f64 / 60.0
    }

    /// A map of the meeting point (OpenStreetMap), when we know where it is.
    pub fn map_link(&self) -> Option<String> {
        let (lat, lon) = (self.lat?, self.lon?);
        Some(format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}"))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeatSessions {
    pub gss: String,
    pub seat_name: String,
    pub whole_seat: bool,
    pub teams: Vec<Choice>,
    /// Soonest first.
    pub upcoming: Vec<SessionSummary>,
    /// Latest first.
    pub past: Vec<SessionSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SessionWalkList {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub doors: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Signup {
    pub volunteer_id: i64,
    pub first_name: String,
    pub surname: String,
    pub stage: String,
    pub attended: bool,
    pub hours: Option<f64>,
    pub signed_up_at: Option<DateTime<Utc>>,
    /// Whether attendance has been recorded (someone may be recorded as not coming).
    pub recorded: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub session: SessionSummary,
    pub walk_lists: Vec<SessionWalkList>,
    /// The organiser or the session's team leader: sees who signed up, records attendance.
    pub can_manage: bool,
    /// Whether the session has started (sign-up closes; attendance opens).
    pub started: bool,
    /// Who signed up: only for those who manage the session.
    pub signups: Vec<Signup>,
    /// Volunteers the manager may still sign up.
    pub addable: Vec<Choice>,
    /// The viewer's own volunteer record in this seat, and whether they are signed up.
    pub me: Option<(i64, bool)>,
    /// The seat's wards with the meeting point marked (inline SVG drawn on the server).
    pub map_svg: Option<String>,
    /// Walk lists of the seat, not closed and not yet for any session, that a manager may
    /// attach to this one.
    pub attachable: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySession {
    pub session: SessionSummary,
    pub signed_up: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySessions {
    /// Upcoming sessions in the seats where the user volunteers, soonest first.
    pub upcoming: Vec<MySession>,
    /// (GSS code, seat name) of the seats where the user volunteers.
    pub seats: Vec<(String, String)>,
    /// (GSS code, team id, team name) of the teams the user leads.
    pub teams: Vec<(String, i64, String)>,
    /// (GSS code, seat name) of the seats whose volunteers the user organises.
    pub organising: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "my_sessions")]
pub async fn get_my_sessions() -> Result<MySessions, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::my_sessions(&state.store, &user, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "seat_sessions")]
pub async fn get_seat_sessions(gss: String) -> Result<SeatSessions, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::seat_sessions(&state.store, &user, &gss, Utc::now()).await
}

#[server(prefix = "/api", endpoint = "canvass_session")]
pub async fn get_session(id: i64) -> Result<SessionDetail, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::detail(&state.store, &user, id, Utc::now()).await
}

/// Signs a volunteer up: the user themselves, or (for the session's organiser or team
/// leader) the volunteer chosen. A full session refuses with a clear message.
#[server(prefix = "/api", endpoint = "canvass_session_sign_up")]
pub async fn sign_up_for_session(session_id: i64, volunteer_id: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let volunteer_id = parse_id(volunteer_id, "volunteer")?;
    queries::sign_up(&state.store, &user, session_id, volunteer_id, Utc::now()).await?;
    Ok(())
}

#[server(prefix = "/api", endpoint = "canvass_session_cancel")]
pub async fn cancel_session_sign_up(session_id: i64, volunteer_id: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let volunteer_id = parse_id(volunteer_id, "volunteer")?;
    queries::cancel(&state.store, &user, session_id, volunteer_id, Utc::now()).await
}

/// Records whether a volunteer came and for how long (the session's length if not given).
#[server(prefix = "/api", endpoint = "canvass_session_attendance")]
pub async fn record_session_attendance(
    session_id: i64,
    volunteer_id: i64,
    attended: Option<String>,
    hours: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let hours = crate::volunteer::filled(hours)
        .map(|h| {
            h.parse::<f64>().map_err(|_| AppError::BadInput(format!("\"{h}\" is not a number of hours.")))
        })
        .transpose()?;
    queries::record_attendance(
        &state.store,
        &user,
        session_id,
        volunteer_id,
        attended.is_some(),
        hours,
        Utc::now(),
    )
    .await
}

/// Puts one of the seat's walk lists on this session.
#[server(prefix = "/api", endpoint = "canvass_session_walk_list")]
pub async fn attach_walk_list(session_id: i64, walk_list_id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::attach_walk_list(&state.store, &user, session_id, walk_list_id).await
}

#[cfg(feature = "ssr")]
fn parse_id(value: Option<String>, what: &str) -> Result<Option<i64>, AppError> {
    crate::volunteer::filled(value)
        .map(|v| v.parse::<i64>().map_err(|_| AppError::BadInput(format!("Choose a {what}."))))
        .transpose()
}
