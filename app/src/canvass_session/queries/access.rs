//! A session's summary, and who may see it (the seat's volunteers) and run it (its
//! organisers and the session's team leader).

use crate::auth::CurrentUser;
use crate::canvass_session::SessionSummary;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::queries::reach_in_seat;

/// The session summary query with a closing clause appended, as one static string.
macro_rules! summary_sql {
    ($tail:literal) => {
        concat!(
            "SELECT cs.id, cs.seat_id, s.gss_code AS gss, s.name AS seat_name, cs.title, cs.starts_at, cs.ends_at,
                    cs.meeting_point, cs.lat, cs.lon, cs.capacity, cs.team_id, t.name AS team, cs.notes,
                    (SELECT COUNT(*) FROM session_attendance sa WHERE sa.canvass_session_id = cs.id) AS signed_up,
                    (SELECT COUNT(*) FROM session_attendance sa
                      WHERE sa.canvass_session_id = cs.id AND sa.attended) AS attended,
                    (SELECT COUNT(*) FROM walk_lists wl WHERE wl.canvass_session_id = cs.id) AS walk_lists
               FROM canvass_sessions cs JOIN seats s ON s.id = cs.seat_id LEFT JOIN teams t ON t.id = cs.team_id ",
            $tail
        )
    };
}

pub async fn summary(store: &Store, id: i64) -> AppResult<SessionSummary> {
    const SQL: &str = summary_sql!("WHERE cs.id = $1");
    on_store!(store, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await)?
        .ok_or_else(|| AppError::NotFound("That canvass session".into()))
}

/// Every session of a seat, soonest first.
pub async fn in_seat(store: &Store, seat_id: i64) -> AppResult<Vec<SessionSummary>> {
    const SQL: &str = summary_sql!("WHERE cs.seat_id = $1 ORDER BY cs.starts_at, cs.id");
    Ok(on_store!(store, pool => sqlx::query_as(SQL).bind(seat_id).fetch_all(pool).await)?)
}

/// What the user may do with a session.
#[derive(Debug, Clone)]
pub struct SessionAccess {
    pub session: SessionSummary,
    /// The seat's organisers and admins, and the leader of the session's team.
    pub manage: bool,
    /// The user's own volunteer record in the session's seat.
    pub my_volunteer: Option<i64>,
}

/// Volunteers of the seat see its sessions; their organisers and the session's team
/// leader manage them; nobody else learns anything about them.
pub async fn access(store: &Store, user: &CurrentUser, id: i64) -> AppResult<SessionAccess> {
    let session = match summary(store, id).await {
        Ok(s) => s,
        Err(AppError::NotFound(_)) if !user.role.sees_seats() => return Err(AppError::Forbidden),
        Err(e) => return Err(e),
    };
    let manage = match reach_in_seat(store, user, session.seat_id).await {
        Ok(reach) => reach.covers(session.team_id),
        Err(AppError::Forbidden) => false,
        Err(e) => return Err(e),
    };
    let my_volunteer = my_volunteer(store, user, session.seat_id).await?;
    if !manage && my_volunteer.is_none() {
        return Err(AppError::Forbidden);
    }
    Ok(SessionAccess { session, manage, my_volunteer })
}

/// The user's own volunteer record in the seat, while they work there.
pub(super) async fn my_volunteer(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<Option<i64>> {
    if !crate::auth::scope::works_in(store, user, seat_id).await? {
        return Ok(None);
    }
    let user_id = user.id;
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id FROM volunteers WHERE user_id = $1 AND seat_id = $2 ORDER BY id LIMIT 1")
        .bind(user_id).bind(seat_id).fetch_optional(pool).await)?;
    Ok(row.map(|(id,)| id))
}
