//! Who may reach which volunteers: the seat's organisers and admins all of them, a team
//! leader the teams they lead.

use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;

/// How much of a seat's volunteers (and sessions) a user reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The seat's organisers and admins.
    WholeSeat,
    /// A team leader: the teams they lead in the seat.
    Teams(Vec<i64>),
}

impl Reach {
    pub fn covers(&self, team_id: Option<i64>) -> bool {
        match self {
            Reach::WholeSeat => true,
            Reach::Teams(ids) => team_id.is_some_and(|t| ids.contains(&t)),
        }
    }

    pub fn whole_seat(&self) -> bool {
        matches!(self, Reach::WholeSeat)
    }
}

#[derive(Debug, Clone)]
pub struct SeatReach {
    pub seat_id: i64,
    pub gss: String,
    pub seat_name: String,
    pub reach: Reach,
}

/// Organisers of the seat and admins reach all of it; a team leader reaches the teams
/// they lead there; regional staff and volunteers reach no one's personal details.
pub async fn reach_in_seat(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<Reach> {
    match user.role {
        Role::Admin => Ok(Reach::WholeSeat),
        Role::Organiser => {
            crate::auth::scope::require_seat(store, user, seat_id).await?;
            Ok(Reach::WholeSeat)
        }
        Role::TeamLeader => {
            // Teams in a seat they have been moved away from are no longer theirs.
            if !crate::auth::scope::works_in(store, user, seat_id).await? {
                return Err(AppError::Forbidden);
            }
            let teams = teams_led(store, user.id, Some(seat_id)).await?;
            if teams.is_empty() {
                Err(AppError::Forbidden)
            } else {
                Ok(Reach::Teams(teams.into_iter().map(|(id, _)| id).collect()))
            }
        }
        Role::Regional | Role::Volunteer => Err(AppError::Forbidden),
    }
}

pub async fn seat_reach(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<SeatReach> {
    let seat = crate::seat::queries::find(store, gss).await?;
    let reach = reach_in_seat(store, user, seat.id).await?;
    Ok(SeatReach { seat_id: seat.id, gss: seat.gss_code, seat_name: seat.name, reach })
}

/// The teams a user leads (in one seat, or anywhere), with their seat's GSS code.
pub async fn teams_led(store: &Store, user_id: i64, seat_id: Option<i64>) -> AppResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.seat_id, s.gss_code FROM teams t JOIN seats s ON s.id = t.seat_id
          WHERE t.leader_user_id = $1 ORDER BY t.name")
        .bind(user_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter(|(_, seat, _)| seat_id.is_none_or(|s| s == *seat))
        .map(|(id, _, g)| (id, g))
        .collect())
}

/// Checks that the user may see and change this volunteer; gives the seat and reach.
pub async fn require_volunteer(store: &Store, user: &CurrentUser, id: i64) -> AppResult<(i64, Reach)> {
    let row: Option<(i64, Option<i64>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT seat_id, team_id FROM volunteers WHERE id = $1").bind(id).fetch_optional(pool).await)?;
    let Some((seat_id, team_id)) = row else {
        // Staff learn that it is gone; anyone else gets the same answer as for someone else's.
        return Err(if user.role.sees_seats() {
            AppError::NotFound("That volunteer".into())
        } else {
            AppError::Forbidden
        });
    };
    let reach = reach_in_seat(store, user, seat_id).await?;
    if !reach.covers(team_id) {
        return Err(AppError::Forbidden);
    }
    Ok((seat_id, reach))
}
