//! Consent: what a volunteer may be contacted about, and each answer as it was recorded.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ConsentRecord {
    pub purpose: String,
    pub given: bool,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: Option<String>,
    pub source: String,
}
