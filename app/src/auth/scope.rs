//! The patch a user may see. Checked on the server for every seat-level read.

use super::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatScope {
    All,
    Seats(Vec<i64>),
}

impl SeatScope {
    pub fn contains(&self, seat_id: i64) -> bool {
        match self {
            SeatScope::All => true,
            SeatScope::Seats(ids) => ids.contains(&seat_id),
        }
    }
}

/// The seats whose pages a user may open. Volunteers and team leaders get none: they
/// reach doors only through the walk lists assigned to them.
pub async fn seat_scope(store: &Store, user: &CurrentUser) -> AppResult<SeatScope> {
    let sql = match user.role {
        Role::Admin => return Ok(SeatScope::All),
        Role::Volunteer | Role::TeamLeader => return Ok(SeatScope::Seats(vec![])),
        Role::Regional => {
            "SELECT s.id FROM seats s JOIN user_scopes us ON us.region_id = s.region_id WHERE us.user_id = $1"
        }
        Role::Organiser => "SELECT seat_id FROM user_scopes WHERE user_id = $1 AND seat_id IS NOT NULL",
    };
    let ids: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(sql).bind(user.id).fetch_all(pool).await)?;
    Ok(SeatScope::Seats(ids.into_iter().map(|(id,)| id).collect()))
}

pub async fn require_seat(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<()> {
    if seat_scope(store, user).await?.contains(seat_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the seat is one the user works in now. A volunteer's or team leader's patch
/// is one seat, and everything they reach through their own volunteer record, walk-list
/// assignments or the teams they lead must be in it: moved to another seat (or given
/// another role), they lose the old seat's lists, doors and teams at once, whatever
/// assignments were left behind. Staff work in the seats of their patch.
pub async fn works_in(store: &Store, user: &CurrentUser, seat_id: i64) -> AppResult<bool> {
    match user.role {
        Role::Volunteer | Role::TeamLeader => {
            let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
                "SELECT seat_id FROM user_scopes WHERE user_id = $1 AND seat_id = $2")
                .bind(user.id).bind(seat_id).fetch_optional(pool).await)?;
            Ok(row.is_some())
        }
        _ => Ok(seat_scope(store, user).await?.contains(seat_id)),
    }
}
