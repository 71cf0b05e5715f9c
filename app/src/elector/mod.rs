//! One elector's personal data, for the data-subject rights the law gives them: finding
//! them (for staff answering a request), a copy of everything held on them, and erasure.

#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
mod in_words;
#[cfg(feature = "ssr")]
pub mod journal;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod web;

pub use page::{ElectorPage, ElectorsPage};

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A search hit: enough to tell two people of one name apart, no more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ElectorHit {
    pub id: i64,
    pub name: String,
    pub number: String,
    pub address: String,
    pub postcode: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RegisterEntry {
    pub id: i64,
    pub seat: String,
    pub title: Option<String>,
    pub first_name: String,
    pub middle_names: Option<String>,
    pub surname: String,
    pub elector_number: String,
    pub markers: String,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub attainment_date: Option<chrono::NaiveDate>,
    pub left_register: Option<DateTime<Utc>>,
    pub erased_at: Option<DateTime<Utc>>,
    pub address: String,
    pub postcode: Option<String>,
    pub uprn: Option<String>,
    pub polling_district: Option<String>,
}

/// A conversation at their door, about them or about their household. Who recorded it
/// is not given: that is another person's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ConversationRecord {
    pub made_at: DateTime<Utc>,
    /// "you" when the conversation names them, "your household" otherwise.
    pub about: String,
    pub result: String,
    pub intention: Option<String>,
    /// Said by them, or the canvasser's impression.
    pub intention_source: Option<String>,
    pub firmness: Option<i64>,
    pub notes: Option<String>,
}

/// Something a conversation added: an issue they raised, a survey answer, a follow-up
/// (poster, postal vote, call back…), or a flag an organiser was asked to look at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DetailRecord {
    pub made_at: DateTime<Utc>,
    /// "issue raised", "survey answer", "follow-up" or "flagged for review".
    pub kind: String,
    pub what: String,
    pub status: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WalkListRecord {
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccessRecord {
    pub at: DateTime<Utc>,
    /// In words ("Viewed", "Cached for offline use"…).
    pub action: String,
    /// The record, named as it is now ("Walk list Church 3", "12 Elm Road").
    pub what: String,
    pub reason: Option<String>,
    /// The account that did it, by its name (an erased account reads "Erased account").
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub who: Option<String>,
}

/// A doorstep entry naming them that an organiser was asked to look at: held until
/// confirmed, flagged, or rejected (a rejected entry counts nowhere but is still held).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewedEntryRecord {
    pub made_at: DateTime<Utc>,
    /// "open", "confirmed" or "rejected".
    pub status: String,
    /// Whether it was held out of the counts until an organiser confirmed it.
    pub held: bool,
    pub result: String,
    pub intention: Option<String>,
    pub notes: Option<String>,
    pub reasons: String,
}

/// A volunteer record made from their doorstep answer ("wants to volunteer").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct VolunteerRecord {
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub stage: String,
    pub created_at: DateTime<Utc>,
}

/// Whether they voted at an election, from its marked register (their turnout history).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TurnoutRecord {
    pub election: String,
    pub election_date: chrono::NaiveDate,
    pub voted: bool,
}

/// Why an elector was erased: a fixed list, so that no name or other detail of the
/// request is ever typed into the record.
pub const ERASURE_REASONS: [(&str, &str); 4] = [
    ("request", "They asked for their data to be erased"),
    ("objection", "They objected to being canvassed"),
    ("deceased", "They have died"),
    ("recorded_in_error", "Recorded in error"),
];

/// Everything Groundwork holds on one elector: the answer to a subject access request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubjectAccess {
    pub generated_at: DateTime<Utc>,
    pub register: RegisterEntry,
    pub conversations: Vec<ConversationRecord>,
    /// Issues raised, survey answers, follow-ups and review flags from those conversations.
    pub details: Vec<DetailRecord>,
    /// Doorstep entries naming them that were held, flagged or rejected.
    #[serde(default)]
    pub reviewed_entries: Vec<ReviewedEntryRecord>,
    /// Volunteer records made from their doorstep answers.
    #[serde(default)]
    pub volunteer_records: Vec<VolunteerRecord>,
    pub walk_lists: Vec<WalkListRecord>,
    /// Whether they voted at each election whose marked register was imported.
    #[serde(default)]
    pub turnout_history: Vec<TurnoutRecord>,
    /// Every time staff or volunteers viewed, exported or changed their record, and
    /// every walk-sheet print, map load, export and follow-up list that included them.
    pub access_log: Vec<AccessRecord>,
}

/// Electors of a seat by name, elector number or postcode (staff answering a request).
#[server(prefix = "/api", endpoint = "elector_search")]
pub async fn search_electors(gss: String, q: String) -> Result<Vec<ElectorHit>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = queries::seat_for_rights(&state.store, &user, &gss).await?;
    let hits = queries::search(&state.store, seat, &q).await?;
    // The words searched for are often a name: they stay out of the log, which an
    // erasure cannot touch.
    let found = format!("elector search ({} found)", hits.len());
    crate::audit::record(&state.store, Some(user.id), "search", "seat", &gss, &found).await?;
    Ok(hits)
}

#[server(prefix = "/api", endpoint = "subject_access")]
pub async fn get_subject_access(id: i64) -> Result<SubjectAccess, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::require_rights_over(&state.store, &user, id).await?;
    let sar = queries::subject_access(&state.store, id).await?;
    crate::audit::record(
        &state.store,
        Some(user.id),
        "view",
        "elector",
        &id.to_string(),
        "subject access page",
    )
    .await?;
    Ok(sar)
}

/// Erases an elector's personal data everywhere. The reason is one of
/// [`ERASURE_REASONS`]; the erasure is written to the erasure journal (and to the
/// journal file, when the server has one).
#[server(prefix = "/api", endpoint = "erase_elector")]
pub async fn erase_elector(id: i64, reason: String, confirm: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::require_rights_over(&state.store, &user, id).await?;
    if confirm.as_deref() != Some("erase") {
        return Err(AppError::BadInput("Tick the box to confirm the erasure.".into()));
    }
    let reason = erasure::Reason::parse(&reason)?;
    let line = erasure::erase(&state.store, id, Some(user.id), reason).await?;
    if let Some(file) = &state.settings.erasure_journal {
        journal::append(file, &line)?;
    }
    leptos_axum::redirect(&format!("/electors/{id}?erased=1"));
    Ok(())
}
