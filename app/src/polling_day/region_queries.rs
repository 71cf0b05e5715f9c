//! The region's polling-day figures (both databases): each set-up seat's dashboard,
//! summed per seat. Only numbers leave this module.

use super::dashboard::dashboard;
use super::region::{by_need, seat_figures, RegionPollingDay};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};

/// Admins, and regional staff whose patch is this region. Organisers work seat by seat
/// and have their seat's own dashboard.
async fn region_id(store: &Store, user: &CurrentUser, region: &str) -> AppResult<i64> {
    if !matches!(user.role, Role::Admin | Role::Regional) {
        return Err(AppError::Forbidden);
    }
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as("SELECT id FROM regions WHERE name = $1")
        .bind(region).fetch_optional(pool).await)?;
    let (id,) = row.ok_or_else(|| AppError::NotFound(format!("The region {region}")))?;
    if user.role == Role::Regional {
        let mine: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT region_id FROM user_scopes WHERE user_id = $1 AND region_id = $2")
            .bind(user.id).bind(id).fetch_optional(pool).await)?;
        if mine.is_none() {
            return Err(AppError::Forbidden);
        }
    }
    Ok(id)
}

#[tracing::instrument(skip(store, user))]
pub async fn region_polling_day(
    store: &Store,
    user: &CurrentUser,
    region: &str,
    now: DateTime<Utc>,
) -> AppResult<RegionPollingDay> {
    let id = region_id(store, user, region).await?;
    let seats: Vec<(String, bool)> = on_store!(store, pool => sqlx::query_as(
        "SELECT s.gss_code, EXISTS (SELECT 1 FROM ballot_boxes b WHERE b.seat_id = s.id)
           FROM seats s WHERE s.region_id = $1 ORDER BY s.name")
        .bind(id).fetch_all(pool).await)?;
    let mut rows = Vec::new();
    let mut not_set_up = 0;
    for (gss, set_up) in seats {
        if !set_up {
            not_set_up += 1;
            continue;
        }
        let seat = crate::seat::queries::find(store, &gss).await?;
        let day = dashboard(store, &seat, false, now).await?;
        let boxes: Vec<_> = day.boxes.into_iter().map(|b| (b.inputs, b.estimate)).collect();
        rows.push(seat_figures(day.gss_code, day.seat_name, &boxes, day.win_number));
    }
    by_need(&mut rows);
    Ok(RegionPollingDay { region: region.to_string(), seats: rows, not_set_up, as_of: now })
}
