//! Which sessions a user is shown: a seat's for those who run them, the user's own, and
//! the upcoming ones for a calendar.

use super::access::{in_seat, my_volunteer};
use crate::auth::CurrentUser;
use crate::canvass_session::{MySession, MySessions, SeatSessions, SessionSummary};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::queries::{reach_in_seat, seat_reach};
use crate::volunteer::Choice;
use chrono::{DateTime, Utc};

/// A seat's sessions for its organisers (all) or a team leader (their team's).
pub async fn seat_sessions(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    now: DateTime<Utc>,
) -> AppResult<SeatSessions> {
    let seat = seat_reach(store, user, gss).await?;
    let sessions: Vec<SessionSummary> =
        in_seat(store, seat.seat_id).await?.into_iter().filter(|s| seat.reach.covers(s.team_id)).collect();
    let (mut past, upcoming): (Vec<_>, Vec<_>) = sessions.into_iter().partition(|s| s.ends_at < now);
    past.reverse();
    let teams = crate::volunteer::queries::teams(store, seat.seat_id)
        .await?
        .into_iter()
        .filter(|t| seat.reach.covers(Some(t.id)))
        .map(|t| Choice { id: t.id, name: t.name })
        .collect();
    Ok(SeatSessions {
        gss: seat.gss,
        seat_name: seat.seat_name,
        whole_seat: seat.reach.whole_seat(),
        teams,
        upcoming,
        past,
    })
}

/// The upcoming sessions of the seats where the user volunteers, and the places they
/// organise or lead a team.
pub async fn my_sessions(store: &Store, user: &CurrentUser, now: DateTime<Utc>) -> AppResult<MySessions> {
    let mine: Vec<(i64, i64, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id, v.seat_id, s.gss_code, s.name FROM volunteers v JOIN seats s ON s.id = v.seat_id
          WHERE v.user_id = $1 ORDER BY s.name")
        .bind(user.id).fetch_all(pool).await)?;
    // Volunteer records in seats the user no longer works in are left out.
    let mut here = Vec::with_capacity(mine.len());
    for row in mine {
        if crate::auth::scope::works_in(store, user, row.1).await? {
            here.push(row);
        }
    }
    let mine = here;
    let mut upcoming = Vec::new();
    for (volunteer_id, seat_id, _, _) in &mine {
        let signed: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT canvass_session_id FROM session_attendance WHERE volunteer_id = $1")
            .bind(volunteer_id).fetch_all(pool).await)?;
        for session in in_seat(store, *seat_id).await? {
            if session.ends_at >= now {
                let signed_up = signed.iter().any(|(id,)| *id == session.id);
                upcoming.push(MySession { session, signed_up });
            }
        }
    }
    upcoming.sort_by_key(|m| m.session.starts_at);
    let mut teams = Vec::new();
    let led: Vec<(i64, String, String, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.name, s.gss_code, t.seat_id FROM teams t JOIN seats s ON s.id = t.seat_id
          WHERE t.leader_user_id = $1 ORDER BY t.name")
        .bind(user.id).fetch_all(pool).await)?;
    for (id, name, gss, seat_id) in led {
        if crate::auth::scope::works_in(store, user, seat_id).await? {
            teams.push((gss, id, name));
        }
    }
    let organising = if matches!(user.role, crate::auth::Role::Organiser | crate::auth::Role::Admin) {
        let scope = crate::auth::scope::seat_scope(store, user).await?;
        crate::seat::queries::list(store)
            .await?
            .into_iter()
            .filter(|s| scope.contains(s.id))
            .map(|s| (s.gss_code, s.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(MySessions {
        upcoming,
        seats: mine.into_iter().map(|(_, _, gss, name)| (gss, name)).collect(),
        teams,
        organising,
    })
}

/// The upcoming sessions of a seat someone may put in their calendar: all of them for
/// its volunteers and organisers, a team leader's own team's otherwise.
pub async fn calendar_sessions(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    now: DateTime<Utc>,
) -> AppResult<(String, Vec<SessionSummary>)> {
    let seat = crate::seat::queries::find(store, gss).await?;
    let volunteers_here = my_volunteer(store, user, seat.id).await?.is_some();
    let reach = match reach_in_seat(store, user, seat.id).await {
        Ok(reach) => Some(reach),
        Err(AppError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    let sees = |team: Option<i64>| volunteers_here || reach.as_ref().is_some_and(|r| r.covers(team));
    if !volunteers_here && reach.is_none() {
        return Err(AppError::Forbidden);
    }
    let sessions =
        in_seat(store, seat.id).await?.into_iter().filter(|s| s.ends_at >= now && sees(s.team_id)).collect();
    Ok((seat.name, sessions))
}
