//! What a volunteer agreed to be contacted about: every answer kept, the latest counting.

use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use crate::volunteer::Purpose;
use chrono::{DateTime, Utc};

/// The latest answer per purpose.
pub async fn current_consents(store: &Store, id: i64) -> AppResult<Vec<(Purpose, bool)>> {
    let rows: Vec<(String, bool)> = on_store!(store, pool => sqlx::query_as(
        "SELECT purpose, given FROM volunteer_consents WHERE volunteer_id = $1
          ORDER BY recorded_at DESC, id DESC")
        .bind(id).fetch_all(pool).await)?;
    let mut out: Vec<(Purpose, bool)> = Vec::new();
    for (purpose, given) in rows {
        if let Some(p) = Purpose::parse(&purpose) {
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, given));
            }
        }
    }
    Ok(out)
}

/// Records answers about being contacted: a row for each purpose whose answer is new
/// or has changed, with when, who recorded it and how it was given.
pub async fn record_consents(
    store: &Store,
    id: i64,
    answers: &[(Purpose, bool)],
    source: &str,
    recorded_by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let current = current_consents(store, id).await?;
    for (purpose, given) in answers {
        if current.iter().any(|(p, g)| p == purpose && g == given) {
            continue;
        }
        on_store!(store, pool => sqlx::query(
            "INSERT INTO volunteer_consents (volunteer_id, purpose, given, recorded_at, recorded_by, source)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(purpose.as_str()).bind(*given).bind(now).bind(recorded_by).bind(source.trim())
            .execute(pool).await.map(|_| ()))?;
    }
    Ok(())
}
