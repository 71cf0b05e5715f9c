//! The ladder of engagement, and how much attendance earns the next rung.

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

/// Sessions attended while still at "first session" that show someone is ready to be
/// asked to become a regular; and at "regular", to lead a team.
pub const READY_FOR_REGULAR: i64 = 3;
pub const READY_TO_LEAD: i64 = 10;
