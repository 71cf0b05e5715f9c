//! A seat's teams: listing them and who may lead one, creating a team, moving a volunteer
//! into one.

use super::reach::seat_reach;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use crate::volunteer::{Choice, TeamInfo};
use chrono::Utc;

pub async fn teams(store: &Store, seat_id: i64) -> AppResult<Vec<TeamInfo>> {
    let rows: Vec<(i64, String, Option<String>, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.id, t.name, u.display_name, (SELECT COUNT(*) FROM volunteers v WHERE v.team_id = t.id)
           FROM teams t LEFT JOIN users u ON u.id = t.leader_user_id
          WHERE t.seat_id = $1 ORDER BY t.name")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name, leader, members)| TeamInfo { id, name, leader, members }).collect())
}

/// Active users with the team-leader role who belong to the seat (by their patch or
/// their own volunteer record).
pub async fn team_leaders(store: &Store, seat_id: i64) -> AppResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u
          WHERE u.role = 'team_leader' AND u.active
            AND (EXISTS (SELECT 1 FROM user_scopes us WHERE us.user_id = u.id AND us.seat_id = $1)
                 OR EXISTS (SELECT 1 FROM volunteers v WHERE v.user_id = u.id AND v.seat_id = $1))
          ORDER BY u.display_name")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(id, name)| Choice { id, name }).collect())
}

/// Creates a team in a seat (organisers and admins), led by a team-leader user.
pub async fn create_team(
    store: &Store,
    user: &CurrentUser,
    gss: &str,
    name: &str,
    leader: Option<i64>,
) -> AppResult<i64> {
    let seat = seat_reach(store, user, gss).await?;
    if !seat.reach.whole_seat() {
        return Err(AppError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::BadInput("A team needs a name of up to 80 characters.".into()));
    }
    if let Some(l) = leader {
        let role: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT role FROM users WHERE id = $1 AND active").bind(l).fetch_optional(pool).await)?;
        if role.map(|(r,)| r).as_deref() != Some("team_leader") {
            return Err(AppError::BadInput("A team is led by a user with the team-leader role.".into()));
        }
    }
    if teams(store, seat.seat_id).await?.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
        return Err(AppError::BadInput(format!("This seat already has a team called \"{name}\".")));
    }
    let (id,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "INSERT INTO teams (seat_id, name, leader_user_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(seat.seat_id).bind(name).bind(leader).bind(Utc::now()).fetch_one(pool).await)?;
    Ok(id)
}

/// Puts a volunteer in a team of their seat (or in none).
pub async fn set_team(store: &Store, id: i64, team_id: Option<i64>) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("UPDATE volunteers SET team_id = $2 WHERE id = $1")
        .bind(id).bind(team_id).execute(pool).await.map(|_| ()))?;
    Ok(())
}
