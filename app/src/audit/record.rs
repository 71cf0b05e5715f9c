//! The audit log: who did what to which record, when, and from where. Append-only.

use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Duration, Utc};

pub async fn record(
    store: &Store,
    user_id: Option<i64>,
    action: &str,
    object_type: &str,
    object_id: &str,
    reason: &str,
) -> AppResult<()> {
    // Through the store's writer: on SQLite a bare insert beside a busy writer would sleep
    // in SQLite's busy handler, and views are logged on every page of personal data.
    store
        .write(&[], |tx| {
            Box::pin(async {
                on_tx!(tx, tx => sqlx::query(
                    "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(Utc::now()).bind(user_id).bind(action).bind(object_type).bind(object_id).bind(reason)
                    .execute(&mut *tx).await.map(|_| ()))
            })
        })
        .await
        .map_err(AppError::from)
}

/// The header the service worker sends when it keeps a walk list's pages on the phone
/// (`public/sw.js`), so that the download is one "list cached" entry, not one view per door.
pub const OFFLINE_HEADER: &str = "x-groundwork-offline";

/// The action of that one entry.
pub const CACHED: &str = "cache";

/// How long after a list's "cached" entry its doors' pages are taken as part of it: the
/// worker fetches them straight after the list, a few at a time.
pub const CACHE_WINDOW: Duration = Duration::minutes(30);

/// Whether this request is the service worker keeping pages for use without signal.
pub fn for_offline() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.headers.get(OFFLINE_HEADER).is_some_and(|v| v.as_bytes() == b"1"))
}

/// Whether `user_id` has an entry of `action` on this object since `since`.
pub async fn recorded_since(
    store: &Store,
    user_id: i64,
    action: &str,
    object_type: &str,
    object_id: &str,
    since: DateTime<Utc>,
) -> AppResult<bool> {
    let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log
          WHERE user_id = $1 AND action = $2 AND object_type = $3 AND object_id = $4 AND at >= $5")
        .bind(user_id).bind(action).bind(object_type).bind(object_id).bind(since)
        .fetch_one(pool).await)?;
    Ok(n > 0)
}
