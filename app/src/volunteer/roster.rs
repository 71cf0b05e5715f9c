//! The seat's volunteer list: a row per volunteer, the filters, the counts and the teams.

use super::{Choice, Stage, READY_FOR_REGULAR, READY_TO_LEAD};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// "Gone quiet": no session attended in this many weeks, unless the organiser asks otherwise.
pub const QUIET_WEEKS: i64 = 4;

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
