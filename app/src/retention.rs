//! Retention: voting intentions, firmness and notes recorded before an election are
//! purged a set number of months after it (campaign settings `election_date` and
//! `retention_months`). The knock itself (who was in, who was not) is kept, so the
//! canvass history and its counts survive; the political opinion does not.

use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetentionReport {
    /// The election the policy runs from, when one is set.
    pub election: Option<NaiveDate>,
    pub months: u32,
    /// When entries from before the election are purged.
    pub purge_from: Option<NaiveDate>,
    /// Whether that day has come.
    pub due: bool,
    /// Conversations that hold an intention, firmness or notes from before the election.
    pub conversations: i64,
    /// Whether they were purged (false for a dry run, or when nothing is due).
    pub purged: bool,
}

/// Reads the policy and, unless `dry_run`, purges what it says is due by `today`.
pub async fn run(
    store: &Store,
    today: NaiveDate,
    dry_run: bool,
    by: Option<i64>,
) -> AppResult<RetentionReport> {
    let setting = |key: &'static str| async move {
        let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT value FROM campaign_settings WHERE key = $1").bind(key).fetch_optional(pool).await)?;
        Ok::<String, AppError>(row.map(|(v,)| v.trim().to_string()).unwrap_or_default())
    };
    let election = setting("election_date").await?;
    let election = if election.is_empty() {
        None
    } else {
        Some(NaiveDate::parse_from_str(&election, "%Y-%m-%d").map_err(|_| {
            AppError::BadInput(format!(
                "The election date \"{election}\" in the settings is not a date (YYYY-MM-DD)."
            ))
        })?)
    };
    let months_text = setting("retention_months").await?;
    let months: u32 = months_text.parse().map_err(|_| {
        AppError::BadInput(format!(
            "The retention period \"{months_text}\" in the settings is not a whole number of months."
        ))
    })?;
    let purge_from = election.and_then(|e| e.checked_add_months(Months::new(months)));
    let due = purge_from.is_some_and(|p| today >= p);
    let mut report = RetentionReport { election, months, purge_from, due, conversations: 0, purged: false };
    let Some(election) = election else { return Ok(report) };
    let before: DateTime<Utc> = election.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();

    const HELD: &str = "SELECT COUNT(*) FROM conversations WHERE made_at < $1
        AND (intention IS NOT NULL OR intention_source IS NOT NULL OR firmness IS NOT NULL OR notes IS NOT NULL)";
    let (held,): (i64,) = on_store!(store, pool => sqlx::query_as(HELD).bind(before).fetch_one(pool).await)?;
    report.conversations = held;
    if dry_run || !due || held == 0 {
        return Ok(report);
    }
    on_store!(store, pool => async {
        let mut tx = pool.begin().await?;
        sqlx::query("UPDATE conversations SET intention = NULL, intention_source = NULL, firmness = NULL, notes = NULL
                      WHERE made_at < $1")
            .bind(before).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
                     VALUES ($1, $2, 'purge', 'conversations', $3, $4)")
            .bind(Utc::now()).bind(by).bind(held.to_string())
            .bind(format!("retention: {months} months after the election of {election}"))
            .execute(&mut *tx).await?;
        tx.commit().await
    }.await)?;
    report.purged = true;
    Ok(report)
}
