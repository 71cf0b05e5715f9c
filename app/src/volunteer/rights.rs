//! A volunteer's own data rights: a copy of everything held on their volunteer record,
//! and its erasure. Admins answer both (the request comes to the data controller).
//! Erasure empties the record and keeps the row, so sessions' attendance, the ladder's
//! counts and the conversations they recorded still add up.

use super::{AttendanceRecord, ConsentRecord, StageStep, VolunteerRecord};
use crate::auth::{CurrentUser, Role};
use crate::elector::AccessRecord;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerData {
    pub generated_at: DateTime<Utc>,
    pub record: VolunteerRecord,
    pub stages: Vec<StageStep>,
    pub consents: Vec<ConsentRecord>,
    pub sessions: Vec<AttendanceRecord>,
    /// The walk lists they were given (name, when made).
    pub walk_lists: Vec<(String, DateTime<Utc>)>,
    /// How many doorstep conversations they recorded (the conversations are the
    /// electors' data, not theirs).
    pub conversations_recorded: i64,
    /// Every view or change of their record.
    pub access_log: Vec<AccessRecord>,
}

pub fn require_admin(user: &CurrentUser) -> AppResult<()> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn data(store: &Store, id: i64) -> AppResult<VolunteerData> {
    let record = super::queries::record(store, id).await?;
    let (stages, consents, sessions, walk_lists, (conversations_recorded,), access_log) = on_store!(store, pool => {
        let stages: Vec<StageStep> = sqlx::query_as(
            "SELECT vs.stage, vs.at, u.display_name AS recorded_by, vs.note
               FROM volunteer_stages vs LEFT JOIN users u ON u.id = vs.recorded_by
              WHERE vs.volunteer_id = $1 ORDER BY vs.at, vs.id")
            .bind(id).fetch_all(pool).await?;
        let consents: Vec<ConsentRecord> = sqlx::query_as(
            "SELECT c.purpose, c.given, c.recorded_at, u.display_name AS recorded_by, c.source
               FROM volunteer_consents c LEFT JOIN users u ON u.id = c.recorded_by
              WHERE c.volunteer_id = $1 ORDER BY c.recorded_at, c.id")
            .bind(id).fetch_all(pool).await?;
        let sessions: Vec<AttendanceRecord> = sqlx::query_as(
            "SELECT cs.id AS session_id, cs.title, cs.starts_at, sa.attended, sa.hours
               FROM session_attendance sa JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
              WHERE sa.volunteer_id = $1 ORDER BY cs.starts_at")
            .bind(id).fetch_all(pool).await?;
        let lists: Vec<(String, DateTime<Utc>)> = sqlx::query_as(
            "SELECT w.name, w.created_at FROM walk_list_assignments a JOIN walk_lists w ON w.id = a.walk_list_id
              WHERE a.volunteer_id = $1 ORDER BY w.created_at")
            .bind(id).fetch_all(pool).await?;
        let recorded: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE volunteer_id = $1")
            .bind(id).fetch_one(pool).await?;
        let log: Vec<AccessRecord> = sqlx::query_as(
            "SELECT at, action, object_type || ' ' || COALESCE(object_id, '') AS what, reason FROM audit_log
              WHERE object_type = 'volunteer' AND object_id = $1 ORDER BY at, id")
            .bind(id.to_string()).fetch_all(pool).await?;
        Ok::<_, sqlx::Error>((stages, consents, sessions, lists, recorded, log))
    })?;
    Ok(VolunteerData {
        generated_at: Utc::now(),
        record,
        stages,
        consents,
        sessions,
        walk_lists,
        conversations_recorded,
        access_log,
    })
}

/// Empties a volunteer record (name, contact details, what they told us, stage notes,
/// consent sources, the link to the door they were met at) in one transaction.
pub async fn erase(store: &Store, id: i64, by: i64) -> AppResult<()> {
    super::queries::record(store, id).await?;
    let now = Utc::now();
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query(
            "UPDATE volunteers SET first_name = 'Erased', surname = 'volunteer', email = NULL, phone = NULL,
                    availability = '', languages = '', skills = '', needs = '', heard_from = '', notes = '',
                    conversation_id = NULL, elector_id = NULL, household_id = NULL, erased_at = $2
              WHERE id = $1")
            .bind(id).bind(now).execute(&mut *tx).await?;
        sqlx::query("UPDATE volunteer_stages SET note = NULL WHERE volunteer_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("UPDATE volunteer_consents SET source = '' WHERE volunteer_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
             VALUES ($1, $2, 'erase', 'volunteer', $3, 'their own request')")
            .bind(now).bind(by).bind(id.to_string()).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}

/// Erases a volunteer record (admins only; `confirm` must be "erase").
#[leptos::server(prefix = "/api", endpoint = "erase_volunteer")]
pub async fn erase_volunteer(id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    require_admin(&user)?;
    if confirm.as_deref() != Some("erase") {
        return Err(AppError::BadInput("Tick the box to confirm the erasure.".into()));
    }
    erase(&state.store, id, user.id).await
}
