//! One volunteer's page: their record as stored, their ladder, consent and sessions.

use super::{parse_availability, Choice, ConsentRecord, Purpose, Stage};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
