//! Retention: voting intentions, firmness, notes, issues raised, survey answers,
//! follow-ups and the phone's position recorded before an election are purged a set
//! number of months after it (campaign settings `election_date` and `retention_months`),
//! in stored conversations and in entries held or flagged for review alike. The knock
//! itself (who was in, who was not) is kept, so the canvass history and its counts
//! survive; the political opinion and where the canvasser stood do not. Uploaded
//! register files are deleted `register_upload_days` (default 7) after upload.

use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
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
    /// Conversations from before the election that hold an intention, firmness, notes,
    /// a position, issues, survey answers or follow-ups.
    pub conversations: i64,
    /// Doorstep entries held or flagged for review, from before the election.
    #[serde(default)]
    pub reviews: i64,
    /// Uploaded register files older than `register_upload_days` (deleted unless a dry run).
    #[serde(default)]
    pub uploads: i64,
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
    let mut report = RetentionReport {
        election,
        months,
        purge_from,
        due,
        conversations: 0,
        reviews: 0,
        uploads: 0,
        purged: false,
    };
    report.uploads = expire_uploads(store, today, dry_run).await?;
    let Some(election) = election else { return Ok(report) };
    let before: DateTime<Utc> = election.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();

    const HELD: &str = "SELECT COUNT(*) FROM conversations c WHERE c.made_at < $1
        AND (c.intention IS NOT NULL OR c.intention_source IS NOT NULL OR c.firmness IS NOT NULL
             OR c.notes IS NOT NULL OR c.lat IS NOT NULL OR c.lon IS NOT NULL
             OR EXISTS (SELECT 1 FROM conversation_issues i WHERE i.conversation_id = c.id)
             OR EXISTS (SELECT 1 FROM survey_answers a WHERE a.conversation_id = c.id)
             OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.conversation_id = c.id))";
    let (held,): (i64,) = on_store!(store, pool => sqlx::query_as(HELD).bind(before).fetch_one(pool).await)?;
    let reviews: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, entry FROM doorstep_reviews WHERE made_at < $1").bind(before).fetch_all(pool).await)?;
    let reviews: Vec<(String, String)> =
        reviews.into_iter().filter_map(|(id, json)| purged_entry(&json).map(|j| (id, j))).collect();
    report.conversations = held;
    report.reviews = reviews.len() as i64;
    if dry_run || !due || (held == 0 && reviews.is_empty()) {
        return Ok(report);
    }
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        const OLD: &str = "(SELECT id FROM conversations WHERE made_at < $1)";
        for table in ["conversation_issues", "survey_answers", "follow_ups"] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE conversation_id IN {OLD}")))
                .bind(before).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE conversations SET intention = NULL, intention_source = NULL, firmness = NULL, notes = NULL,
                            lat = NULL, lon = NULL
                      WHERE made_at < $1")
            .bind(before).execute(&mut *tx).await?;
        for (id, json) in &reviews {
            sqlx::query("UPDATE doorstep_reviews SET entry = $1 WHERE id = $2")
                .bind(json).bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
                     VALUES ($1, $2, 'purge', 'conversations', $3, $4)")
            .bind(Utc::now()).bind(by).bind((held + reviews.len() as i64).to_string())
            .bind(format!("retention: {months} months after the election of {election}"))
            .execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    report.purged = true;
    Ok(report)
}

/// A held or flagged entry's JSON with the opinion and position taken out, or `None`
/// when it holds none (or cannot be read, which is left for an organiser to see).
fn purged_entry(json: &str) -> Option<String> {
    let mut e: crate::doorstep::DoorEntry = serde_json::from_str(json).ok()?;
    let holds = e.intention.is_some()
        || e.intention_source.is_some()
        || e.firmness.is_some()
        || e.notes.is_some()
        || e.lat.is_some()
        || e.lon.is_some()
        || !e.issues.is_empty()
        || !e.answers.is_empty()
        || !e.follow_ups.is_empty();
    if !holds {
        return None;
    }
    (e.intention, e.intention_source, e.firmness, e.notes, e.lat, e.lon) =
        (None, None, None, None, None, None);
    e.issues.clear();
    e.answers.clear();
    e.follow_ups.clear();
    serde_json::to_string(&e).ok()
}

/// Deletes uploaded register files older than the `register_upload_days` setting
/// (default 7), imported or not; returns how many (would) go.
async fn expire_uploads(store: &Store, today: NaiveDate, dry_run: bool) -> AppResult<i64> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT value FROM campaign_settings WHERE key = 'register_upload_days'").fetch_optional(pool).await)?;
    let text = row.map(|(v,)| v.trim().to_string()).unwrap_or_default();
    let days: u32 = if text.is_empty() {
        7
    } else {
        text.parse().map_err(|_| {
            AppError::BadInput(format!(
                "The register upload period \"{text}\" in the settings is not a whole number of days."
            ))
        })?
    };
    let cutoff: DateTime<Utc> =
        (today - chrono::Days::new(u64::from(days))).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM register_uploads WHERE created_at < $1").bind(cutoff).fetch_one(pool).await)?;
    if n > 0 && !dry_run {
        on_store!(store, pool => sqlx::query("DELETE FROM register_uploads WHERE created_at < $1")
            .bind(cutoff).execute(pool).await.map(|_| ()))?;
        crate::audit::record(
            store,
            None,
            "purge",
            "register_uploads",
            &n.to_string(),
            &format!("retention: {days} days after upload"),
        )
        .await?;
    }
    Ok(n)
}
