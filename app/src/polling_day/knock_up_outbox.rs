//! Knock-up results from the knocker's phone outbox: a batch, each result stored once by
//! the id the phone made, whenever the phone found signal to send it.

use super::knock_up::{KnockUpEntry, KnockUpOutcome, RESULTS};
use super::queries::{knock_up_districts, Access};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};

/// A phone's batch is held to this many results (a round is a few dozen doors).
pub const MAX_BATCH: usize = 500;

/// Stores a batch, all or nothing: a result the caller may not record (a voter outside
/// their room's districts, an unknown result) refuses the batch, so the phone sends its
/// results one by one and keeps the refused one aside with the reason.
pub async fn store(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    entries: Vec<KnockUpEntry>,
    now: DateTime<Utc>,
) -> AppResult<KnockUpOutcome> {
    if entries.len() > MAX_BATCH {
        return Err(AppError::BadInput(format!("A batch holds at most {MAX_BATCH} results.")));
    }
    if entries.is_empty() {
        return Ok(KnockUpOutcome::default());
    }
    let allowed = knock_up_districts(store, access).await?;
    for e in &entries {
        if uuid::Uuid::parse_str(&e.id).is_err() {
            return Err(AppError::BadInput("The result has no valid id.".into()));
        }
        if !RESULTS.iter().any(|(c, _)| *c == e.result) {
            return Err(AppError::BadInput("Choose what the voter said.".into()));
        }
        let district: Option<(Option<i64>,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT polling_district_id FROM electors WHERE id = $1 AND seat_id = $2 AND left_at IS NULL")
            .bind(e.elector_id).bind(access.seat.id).fetch_optional(pool).await)?;
        match district {
            Some((Some(d),)) if allowed.iter().any(|(id, _)| *id == d) => {}
            _ => return Err(AppError::Forbidden),
        }
    }
    let seat_id = access.seat.id;
    let user_id = user.id;
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let mut outcome = KnockUpOutcome::default();
        for e in &entries {
            // The phone's clock orders the answers, but never from the future.
            let made_at = e.made_at.filter(|t| *t <= now).unwrap_or(now);
            let done = sqlx::query(
                "INSERT INTO knock_up_results (id, seat_id, elector_id, user_id, result, made_at, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING")
                .bind(&e.id).bind(seat_id).bind(e.elector_id).bind(user_id).bind(&e.result)
                .bind(made_at).bind(now).execute(&mut *tx).await?;
            if done.rows_affected() == 1 {
                outcome.stored += 1;
            } else {
                outcome.already_had += 1;
            }
        }
        Ok::<_, AppError>(outcome)
    })})).await
}
