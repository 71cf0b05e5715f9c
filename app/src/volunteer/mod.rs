//! Volunteers: who they are, what they can do and need, what they agreed to be contacted
//! about, and how far up the ladder of engagement they have come (prospect → first
//! session → regular → team leader → organiser), with the date of each step.
//!
//! A volunteer's details are personal data: the seat's organisers, the leader of their
//! team and admins only, and every view of a volunteer's page is on the audit log.

#[cfg(feature = "ssr")]
pub mod csv;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod rights;
#[cfg(feature = "ssr")]
pub mod web;

pub use page::{VolunteerPage, VolunteersPage};

use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The ladder of engagement, bottom rung first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prospect,
    FirstSession,
    Regular,
    TeamLeader,
    Organiser,
}

impl Stage {
    pub const ALL: [Stage; 5] =
        [Stage::Prospect, Stage::FirstSession, Stage::Regular, Stage::TeamLeader, Stage::Organiser];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::FirstSession => "first_session",
            Stage::Regular => "regular",
            Stage::TeamLeader => "team_leader",
            Stage::Organiser => "organiser",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Prospect => "Prospect",
            Stage::FirstSession => "First session",
            Stage::Regular => "Regular",
            Stage::TeamLeader => "Team leader",
            Stage::Organiser => "Organiser",
        }
    }

    /// Reads a stored code or a label as people type it ("First session", "first_session").
    pub fn parse(s: &str) -> Option<Stage> {
        let s = s.trim();
        Stage::ALL.into_iter().find(|st| {
            st.as_str().eq_ignore_ascii_case(s)
                || st.label().eq_ignore_ascii_case(s)
                || st.as_str().replace('_', " ").eq_ignore_ascii_case(s)
        })
    }

    pub fn next(self) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| *s > self)
    }
}

/// What a volunteer may be contacted about. Consent is recorded per purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Sessions,
    News,
    Fundraising,
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [Purpose::Sessions, Purpose::News, Purpose::Fundraising];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Sessions => "sessions",
            Purpose::News => "news",
            Purpose::Fundraising => "fundraising",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::Sessions => "Invitations to canvass sessions",
            Purpose::News => "Campaign news",
            Purpose::Fundraising => "Fundraising appeals",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Days and parts of the day a volunteer can help: stored as codes such as `sat_am`.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];
pub const TIMES: [(&str, &str); 3] = [("am", "Morning"), ("pm", "Afternoon"), ("eve", "Evening")];

/// Every availability code, Monday morning first.
pub fn availability_codes() -> Vec<String> {
    DAYS.iter().flat_map(|(d, _)| TIMES.iter().map(move |(t, _)| format!("{d}_{t}"))).collect()
}

/// Reads availability codes separated by spaces, commas or semicolons, in week order.
pub fn parse_availability(text: &str) -> Result<Vec<String>, String> {
    let known = availability_codes();
    let mut given = Vec::new();
    for code in text.split([',', ';', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
        let code = code.to_ascii_lowercase();
        if !known.contains(&code) {
            return Err(format!("\"{code}\" is not a day and time such as sat_am, wed_eve"));
        }
        given.push(code);
    }
    Ok(known.into_iter().filter(|k| given.contains(k)).collect())
}

/// "sat_am" → "Sat morning".
pub fn availability_label(code: &str) -> String {
    let (day, time) = code.split_once('_').unwrap_or((code, ""));
    let day = DAYS.iter().find(|(d, _)| *d == day).map(|(_, l)| *l).unwrap_or(day);
    let time = TIMES.iter().find(|(t, _)| *t == time).map(|(_, l)| l.to_lowercase()).unwrap_or_default();
    format!("{day} {time}")
}

/// How someone heard of the campaign.
pub const HEARD_FROM: [(&str, &str); 7] = [
    ("doorstep", "On the doorstep"),
    ("friend", "A friend or family"),
    ("social_media", "Social media"),
    ("event", "An event or meeting"),
    ("website", "Our website"),
    ("member", "As a party member"),
    ("other", "Somewhere else"),
];

pub fn heard_from_label(code: &str) -> &str {
    HEARD_FROM.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or(code)
}

/// Sessions attended while still at "first session" that show someone is ready to be
/// asked to become a regular; and at "regular", to lead a team.
pub const READY_FOR_REGULAR: i64 = 3;
pub const READY_TO_LEAD: i64 = 10;
/// "Gone quiet": no session attended in this many weeks, unless the organiser asks otherwise.
pub const QUIET_WEEKS: i64 = 4;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// One row of the seat's volunteer list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VolunteerSummary {
    pub id: i64,
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward: Option<String>,
    pub stage: String,
    pub team_id: Option<i64>,
    pub team: Option<String>,
    pub heard_from: String,
    pub from_doorstep: bool,
    /// Sessions attended, ever.
    pub attended: i64,
    pub last_session: Option<DateTime<Utc>>,
    /// When they reached their present stage.
    pub stage_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl VolunteerSummary {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.surname)
    }

    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Prospect)
    }

    /// No session attended in `weeks` weeks (counting from when they joined, for someone
    /// who has never come to one).
    pub fn gone_quiet(&self, now: DateTime<Utc>, weeks: i64) -> bool {
        self.last_session.unwrap_or(self.created_at) < now - Duration::weeks(weeks)
    }

    /// Who is ready to be asked for more: a step up the ladder their attendance has earned.
    pub fn ready_for(&self) -> Option<Stage> {
        match self.stage() {
            Stage::Prospect if self.attended >= 1 => Some(Stage::FirstSession),
            Stage::FirstSession if self.attended >= READY_FOR_REGULAR => Some(Stage::Regular),
            Stage::Regular if self.attended >= READY_TO_LEAD => Some(Stage::TeamLeader),
            _ => None,
        }
    }
}

/// Which volunteers the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    #[default]
    All,
    Quiet,
    Ready,
    Doorstep,
}

impl Show {
    pub fn parse(s: &str) -> Show {
        match s {
            "quiet" => Show::Quiet,
            "ready" => Show::Ready,
            "doorstep" => Show::Doorstep,
            _ => Show::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Quiet => "quiet",
            Show::Ready => "ready",
            Show::Doorstep => "doorstep",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFilter {
    pub stage: Option<Stage>,
    pub show: Show,
    pub weeks: i64,
    pub team: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamInfo {
    pub id: i64,
    pub name: String,
    pub leader: Option<String>,
    pub members: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerList {
    pub gss: String,
    pub seat_name: String,
    /// Organisers and admins manage the whole seat (teams, CSV); a team leader their team.
    pub whole_seat: bool,
    pub filter: ListFilter,
    pub volunteers: Vec<VolunteerSummary>,
    /// Of everyone the viewer may see, before the filter: how many at each stage.
    pub by_stage: Vec<(Stage, i64)>,
    pub quiet: i64,
    pub ready: i64,
    pub doorstep: i64,
    pub total: i64,
    pub teams: Vec<TeamInfo>,
    pub wards: Vec<Choice>,
    /// Users with the team-leader role in this seat, to lead a new team.
    pub team_leaders: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct StageStep {
    pub stage: String,
    pub at: DateTime<Utc>,
    pub recorded_by: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ConsentRecord {
    pub purpose: String,
    pub given: bool,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<String>,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AttendanceRecord {
    pub session_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub attended: bool,
    pub hours: Option<f64>,
}

/// A volunteer's own record, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VolunteerRecord {
    pub id: i64,
    pub seat_id: i64,
    pub user_id: Option<i64>,
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward_id: Option<i64>,
    pub ward: Option<String>,
    pub team_id: Option<i64>,
    pub team: Option<String>,
    pub stage: String,
    pub availability: String,
    pub drives: bool,
    pub languages: String,
    pub skills: String,
    pub needs: String,
    pub heard_from: String,
    pub notes: String,
    pub conversation_id: Option<String>,
    pub elector_id: Option<i64>,
    /// The door where we met them, for a prospect from the doorstep.
    pub met_at: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl VolunteerRecord {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Prospect)
    }

    pub fn availability(&self) -> Vec<String> {
        parse_availability(&self.availability).unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerDetail {
    pub gss: String,
    pub seat_name: String,
    pub volunteer: VolunteerRecord,
    /// Newest first.
    pub stages: Vec<StageStep>,
    /// Every consent answer, newest first.
    pub consents: Vec<ConsentRecord>,
    /// Sessions signed up for, newest first.
    pub sessions: Vec<AttendanceRecord>,
    pub wards: Vec<Choice>,
    pub teams: Vec<Choice>,
    /// Only organisers and admins move a volunteer between teams.
    pub can_change_team: bool,
    /// Admins answer a volunteer's request for their data (`GET /volunteers/{id}/data.json`).
    #[serde(default)]
    pub can_download: bool,
}

impl VolunteerDetail {
    /// The present answer for a purpose: the latest recorded, or none yet.
    pub fn consent(&self, purpose: Purpose) -> Option<&ConsentRecord> {
        self.consents.iter().find(|c| c.purpose == purpose.as_str())
    }

    pub fn attended(&self) -> usize {
        self.sessions.iter().filter(|s| s.attended).count()
    }
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
