//! Background jobs. Several app servers may share one database, so each run takes a
//! database-wide lock first and a server that cannot get it skips that run: the job
//! runs once, not once per server.

use app::store::Store;
use std::time::Duration;

/// How often the retention policy is checked. Purging is idempotent, so a missed or
/// repeated check does no harm; the lock only keeps the audit log tidy.
const RETENTION_EVERY: Duration = Duration::from_secs(6 * 60 * 60);
/// Any number unique to this job, shared by all servers.
const RETENTION_LOCK: i64 = 0x6777_0001;

pub fn spawn(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(RETENTION_EVERY);
        loop {
            tick.tick().await;
            match once_across_servers(&store, RETENTION_LOCK, retention(&store)).await {
                Ok(Some(())) | Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "retention job could not take its lock"),
            }
        }
    });
}

async fn retention(store: &Store) {
    let today = chrono::Utc::now().date_naive();
    match app::retention::run(store, today, false, None).await {
        Ok(r) if r.purged => tracing::info!(conversations = r.conversations, "retention: purged"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "retention job failed"),
    }
}

/// Runs `job` only if no other server holds the lock (PostgreSQL advisory lock). On
/// SQLite there is one server per database file, so the job simply runs.
pub async fn once_across_servers<T>(
    store: &Store,
    key: i64,
    job: impl std::future::Future<Output = T>,
) -> Result<Option<T>, sqlx::Error> {
    match store {
        Store::Sqlite(_) => Ok(Some(running(job).await)),
        Store::Postgres(pool) => {
            let mut conn = pool.acquire().await?;
            let (got,): (bool,) =
                sqlx::query_as("SELECT pg_try_advisory_lock($1)").bind(key).fetch_one(&mut *conn).await?;
            if !got {
                metrics::counter!("groundwork_job_runs_total", "outcome" => "skipped").increment(1);
                return Ok(None);
            }
            let out = running(job).await;
            sqlx::query("SELECT pg_advisory_unlock($1)").bind(key).execute(&mut *conn).await?;
            Ok(Some(out))
        }
    }
}

/// Runs a job with the `groundwork_jobs_running` gauge raised, for /metrics.
async fn running<T>(job: impl std::future::Future<Output = T>) -> T {
    metrics::gauge!("groundwork_jobs_running").increment(1.0);
    let out = job.await;
    metrics::gauge!("groundwork_jobs_running").decrement(1.0);
    metrics::counter!("groundwork_job_runs_total", "outcome" => "ran").increment(1);
    out
}
