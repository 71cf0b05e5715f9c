//! The audit log: who did what to which record, when, and from where. Append-only.

use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use chrono::Utc;

pub async fn record(
    store: &Store,
    user_id: Option<i64>,
    action: &str,
    object_type: &str,
    object_id: &str,
    reason: &str,
) -> AppResult<()> {
    on_store!(store, pool => sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(Utc::now()).bind(user_id).bind(action).bind(object_type).bind(object_id).bind(reason)
        .execute(pool).await.map(|_| ()))?;
    Ok(())
}
