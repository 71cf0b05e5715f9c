//! One volunteer's record and history (ladder, consent, sessions) for their page.

use super::reach::require_volunteer;
use super::roster::wards;
use super::teams::teams;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::{
    AttendanceRecord, Choice, ConsentRecord, StageStep, VolunteerDetail, VolunteerRecord,
};

const RECORD: &str =
    "SELECT v.id, v.seat_id, v.user_id, v.first_name, v.surname, v.email, v.phone, v.ward_id,
        w.name AS ward, v.team_id, t.name AS team, v.stage, v.availability, v.drives, v.languages, v.skills,
        v.needs, v.heard_from, v.notes, v.conversation_id, v.elector_id,
        h.address1 || COALESCE(', ' || h.postcode, '') AS met_at, v.created_at
   FROM volunteers v LEFT JOIN wards w ON w.id = v.ward_id LEFT JOIN teams t ON t.id = v.team_id
   LEFT JOIN households h ON h.id = v.household_id
  WHERE v.id = $1";

pub async fn record(store: &Store, id: i64) -> AppResult<VolunteerRecord> {
    on_store!(store, pool => sqlx::query_as(RECORD).bind(id).fetch_optional(pool).await)?
        .ok_or_else(|| AppError::NotFound("That volunteer".into()))
}

/// A volunteer's page: their record, ladder, consent and sessions. Each view is logged.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn detail(store: &Store, user: &CurrentUser, id: i64) -> AppResult<VolunteerDetail> {
    let (seat_id, reach) = require_volunteer(store, user, id).await?;
    let volunteer = record(store, id).await?;
    let (stages, consents, sessions, seat): (
        Vec<StageStep>,
        Vec<ConsentRecord>,
        Vec<AttendanceRecord>,
        (String, String),
    ) = on_store!(store, pool => {
        let stages = sqlx::query_as(
            "SELECT vs.stage, vs.at, u.display_name AS recorded_by, vs.note
                   FROM volunteer_stages vs LEFT JOIN users u ON u.id = vs.recorded_by
                  WHERE vs.volunteer_id = $1 ORDER BY vs.at DESC, vs.id DESC")
            .bind(id).fetch_all(pool).await?;
        let consents = sqlx::query_as(
            "SELECT c.purpose, c.given, c.recorded_at, u.display_name AS recorded_by, c.source
                   FROM volunteer_consents c LEFT JOIN users u ON u.id = c.recorded_by
                  WHERE c.volunteer_id = $1 ORDER BY c.recorded_at DESC, c.id DESC")
            .bind(id).fetch_all(pool).await?;
        let sessions = sqlx::query_as(
            "SELECT cs.id AS session_id, cs.title, cs.starts_at, sa.attended, sa.hours
                   FROM session_attendance sa JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
                  WHERE sa.volunteer_id = $1 ORDER BY cs.starts_at DESC")
            .bind(id).fetch_all(pool).await?;
        let seat = sqlx::query_as("SELECT gss_code, name FROM seats WHERE id = $1")
            .bind(seat_id).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((stages, consents, sessions, seat))
    })?;
    let teams = teams(store, seat_id)
        .await?
        .into_iter()
        .filter(|t| reach.covers(Some(t.id)))
        .map(|t| Choice { id: t.id, name: t.name })
        .collect();
    // A volunteer's details are personal data: every view is on the record.
    crate::audit::record(store, Some(user.id), "view", "volunteer", &id.to_string(), "volunteer page")
        .await?;
    Ok(VolunteerDetail {
        gss: seat.0,
        seat_name: seat.1,
        volunteer,
        stages,
        consents,
        sessions,
        wards: wards(store, seat_id).await?,
        teams,
        can_change_team: reach.whole_seat(),
        can_download: user.role == crate::auth::Role::Admin,
    })
}
