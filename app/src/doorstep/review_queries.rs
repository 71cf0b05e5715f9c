//! The organiser's review of doorstep entries: those flagged, or held while review is on,
//! and the decision that confirms or rejects each.

use super::batch::prospect_if_volunteering;
use super::{DoorEntry, ReviewItem, CONTACT_FOLLOW_UPS};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: String,
    seat_id: i64,
    seat_name: String,
    list_name: Option<String>,
    address1: String,
    volunteer: Option<String>,
    result: String,
    reasons: String,
    held: bool,
    made_at: DateTime<Utc>,
}

/// Open entries (flagged, or held while review is on) in the seats the user runs, oldest
/// first. Organisers (their seats) and admins only.
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn open_reviews(store: &Store, user: &CurrentUser) -> AppResult<Vec<ReviewItem>> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let scope = crate::auth::scope::seat_scope(store, user).await?;
    let rows: Vec<ReviewRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT r.id, r.seat_id, s.name AS seat_name, wl.name AS list_name, h.address1,
                v.first_name || ' ' || v.surname AS volunteer, r.result, r.reasons, r.held, r.made_at
           FROM doorstep_reviews r
           JOIN seats s ON s.id = r.seat_id
           JOIN households h ON h.id = r.household_id
           LEFT JOIN walk_lists wl ON wl.id = r.walk_list_id
           LEFT JOIN volunteers v ON v.id = r.volunteer_id
          WHERE r.status = 'open'
          ORDER BY r.made_at, r.id LIMIT 500")
        .fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .filter(|r| scope.contains(r.seat_id))
        .map(|r| ReviewItem {
            id: r.id,
            seat_name: r.seat_name,
            list_name: r.list_name.unwrap_or_default(),
            address: r.address1,
            volunteer: r.volunteer.unwrap_or_default(),
            result: r.result,
            reasons: r.reasons,
            held: r.held,
            made_at: r.made_at,
        })
        .collect())
}

/// seat, entry (JSON), held, status, volunteer, received at
type HeldRow = (i64, String, bool, String, Option<i64>, DateTime<Utc>);

/// An organiser's decision on an open entry. Confirming a held entry stores it as a
/// conversation (it counts from now on); rejecting a flagged entry that was already
/// counted removes its conversation (the entry stays here, marked rejected).
#[tracing::instrument(skip(store, user), fields(user = user.id))]
pub async fn decide(
    store: &Store,
    user: &CurrentUser,
    id: &str,
    confirm: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let row: Option<HeldRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT seat_id, entry, held, status, volunteer_id, received_at FROM doorstep_reviews WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?;
    let (seat_id, json, held, status, volunteer_id, received) =
        row.ok_or_else(|| AppError::NotFound("That entry".into()))?;
    crate::auth::scope::require_seat(store, user, seat_id).await?;
    if status != "open" {
        return Err(AppError::BadInput("That entry has already been decided.".into()));
    }
    let entry: DoorEntry = serde_json::from_str(&json).map_err(|_| AppError::Internal)?;
    let made_at = entry.made_at.unwrap_or(received);
    store.write(&[seat_id], |tx| Box::pin(async { on_tx!(tx, tx => {
        if confirm && held {
            insert_conversations!(tx, &[(&entry, made_at, seat_id, volunteer_id)], received);
        }
        if !confirm && !held {
            sqlx::query("DELETE FROM conversations WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE doorstep_reviews SET status = $2, decided_at = $3, decided_by = $4 WHERE id = $1")
            .bind(id).bind(if confirm { "confirmed" } else { "rejected" }).bind(now).bind(user.id)
            .execute(&mut *tx).await?;
        Ok::<_, AppError>(())
    })})).await?;
    if confirm && held {
        prospect_if_volunteering(store, &entry, user.id).await?;
    }
    crate::audit::record(
        store,
        Some(user.id),
        "change",
        "doorstep_entry",
        id,
        if confirm { "review: confirmed" } else { "review: rejected" },
    )
    .await?;
    Ok(())
}
