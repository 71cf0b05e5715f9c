//! One session's page (walk lists, sign-ups, the meeting-point map) and attaching a walk
//! list to a session.

use super::access::access;
use crate::auth::CurrentUser;
use crate::canvass_session::{SessionDetail, SessionSummary, SessionWalkList, Signup};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::queries::{reach_in_seat, summaries};
use crate::volunteer::Choice;
use chrono::{DateTime, Utc};

/// One session's page.
pub async fn detail(
    store: &Store,
    user: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<SessionDetail> {
    let access = access(store, user, id).await?;
    let session = access.session;
    let walk_lists: Vec<SessionWalkList> = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.name, wl.status,
                (SELECT COUNT(*) FROM walk_list_households wh WHERE wh.walk_list_id = wl.id) AS doors
           FROM walk_lists wl WHERE wl.canvass_session_id = $1 ORDER BY wl.name, wl.id")
        .bind(id).fetch_all(pool).await)?;
    let signups: Vec<Signup> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id AS volunteer_id, v.first_name, v.surname, v.stage, sa.attended, sa.hours, sa.signed_up_at,
                sa.recorded_at IS NOT NULL AS recorded
           FROM session_attendance sa JOIN volunteers v ON v.id = sa.volunteer_id
          WHERE sa.canvass_session_id = $1 ORDER BY v.surname, v.first_name, v.id")
        .bind(id).fetch_all(pool).await)?;
    let me = access.my_volunteer.map(|v| (v, signups.iter().any(|s| s.volunteer_id == v)));
    let (signups, addable) = if access.manage {
        let reach = reach_in_seat(store, user, session.seat_id).await?;
        // A team leader signs up their own team; the organiser anyone in the seat.
        let addable = summaries(store, session.seat_id, &reach)
            .await?
            .into_iter()
            .filter(|v| !signups.iter().any(|s| s.volunteer_id == v.id))
            .map(|v| Choice { id: v.id, name: format!("{} {}", v.first_name, v.surname) })
            .collect();
        (signups, addable)
    } else {
        (Vec::new(), Vec::new())
    };
    let map_svg = meeting_map(store, &session).await?;
    let attachable = if access.manage {
        let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
            "SELECT id, name FROM walk_lists
              WHERE seat_id = $1 AND canvass_session_id IS NULL AND status <> 'closed' ORDER BY name, id")
            .bind(session.seat_id).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, name)| Choice { id, name }).collect()
    } else {
        Vec::new()
    };
    Ok(SessionDetail {
        map_svg,
        attachable,
        started: session.starts_at <= now,
        session,
        walk_lists,
        can_manage: access.manage,
        signups,
        addable,
        me,
    })
}

/// A small map of the seat's wards with the meeting point marked (see `meeting_map`).
pub async fn meeting_map(store: &Store, session: &SessionSummary) -> AppResult<Option<String>> {
    let (Some(lat), Some(lon)) = (session.lat, session.lon) else { return Ok(None) };
    let wards: Vec<(String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT name, boundary FROM wards WHERE seat_id = $1 AND boundary IS NOT NULL ORDER BY name")
        .bind(session.seat_id).fetch_all(pool).await)?;
    Ok(crate::canvass_session::meeting_map::draw(
        &session.seat_name,
        &session.meeting_point,
        lat,
        lon,
        &wards,
    ))
}

/// Attaches a walk list of the session's seat (not closed, not on another session) to it.
pub async fn attach_walk_list(
    store: &Store,
    user: &CurrentUser,
    session_id: i64,
    walk_list_id: i64,
) -> AppResult<()> {
    let access = access(store, user, session_id).await?;
    if !access.manage {
        return Err(AppError::Forbidden);
    }
    let attached = on_store!(store, pool => sqlx::query(
        "UPDATE walk_lists SET canvass_session_id = $1
          WHERE id = $2 AND seat_id = $3 AND canvass_session_id IS NULL AND status <> 'closed'")
        .bind(session_id).bind(walk_list_id).bind(access.session.seat_id)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    if attached == 0 {
        return Err(AppError::BadInput(
            "That walk list cannot be attached: it is in another seat, closed, or already on a session."
                .into(),
        ));
    }
    Ok(())
}
