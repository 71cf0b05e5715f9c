//! Steps up the ladder of engagement, each dated and kept.

use crate::error::AppResult;
use crate::on_tx;
use crate::store::Store;
use crate::volunteer::Stage;
use chrono::{DateTime, Utc};

pub(super) const INSERT_STAGE: &str =
    "INSERT INTO volunteer_stages (volunteer_id, stage, at, recorded_by, note) VALUES ($1, $2, $3, $4, $5)";

/// Sets a volunteer's stage, dated. The stage they are at is always that of the latest
/// dated step, so a step recorded late with an earlier date does not overtake a newer one.
pub async fn move_stage(
    store: &Store,
    id: i64,
    stage: Stage,
    at: DateTime<Utc>,
    recorded_by: Option<i64>,
    note: Option<&str>,
) -> AppResult<()> {
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query(INSERT_STAGE).bind(id).bind(stage.as_str()).bind(at).bind(recorded_by).bind(note)
            .execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE volunteers SET stage = (SELECT vs.stage FROM volunteer_stages vs WHERE vs.volunteer_id = $1
                                             ORDER BY vs.at DESC, vs.id DESC LIMIT 1)
              WHERE id = $1")
            .bind(id).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}
