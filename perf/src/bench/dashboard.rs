//! `groundwork-perf bench dashboard`: the seat dashboard at seat scale on SQLite.
//!
//! Builds one seat of 75,000 electors with 250,000 conversations in a temporary SQLite
//! file, then times the dashboard's query function against a bare `COUNT(*)` of the
//! conversations on the same database in the same run.

use app::store::Store;
use chrono::{Duration, Utc};
use groundwork::demo::{self, DemoOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

pub struct BenchOptions {
    pub electors: usize,
    pub conversations: usize,
    pub runs: usize,
    /// Keep the database at this path, and reuse it when it is already there.
    pub db: Option<std::path::PathBuf>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions { electors: 75_000, conversations: 250_000, runs: 15, db: None }
    }
}

#[derive(Debug)]
pub struct Timing {
    pub median_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug)]
pub struct BenchReport {
    pub electors: i64,
    pub conversations: i64,
    pub build_secs: f64,
    pub dashboard: Timing,
    pub count: Timing,
    /// The canvass figures recounted from the raw rows, which the counters must equal.
    pub recount_ms: f64,
}

fn timing(mut samples: Vec<f64>) -> Timing {
    samples.sort_by(f64::total_cmp);
    let median = samples.get(samples.len() / 2).copied().unwrap_or(0.0);
    Timing { median_ms: median, max_ms: samples.last().copied().unwrap_or(0.0) }
}

const PARTIES: [&str; 7] = ["lab", "con", "ld", "green", "reform", "other", "undecided"];
const ISSUES: [&str; 9] = [
    "cost_of_living",
    "nhs",
    "housing",
    "crime",
    "schools",
    "transport",
    "environment",
    "immigration",
    "local_services",
];
const FOLLOW_UPS: [&str; 5] = ["poster", "postal_vote", "call_back", "volunteer", "join"];
const RESULTS: [&str; 7] =
    ["spoke", "not_in", "refused", "come_back", "moved", "inaccessible", "wrong_address"];

pub async fn dashboard(opts: &BenchOptions) -> Result<BenchReport, String> {
    with_seat(opts, |url, fresh| async move { run(opts, &url, fresh).await }).await
}

/// Opens (building it when `fresh`) the bench seat: the demo at `opts.electors`, topped
/// up to `opts.conversations` conversations. Returns the store and the seat's id.
pub(crate) async fn open_seat(opts: &BenchOptions, url: &str, fresh: bool) -> Result<(Store, i64), String> {
    let store = Store::connect(url).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let Store::Sqlite(pool) = &store else { return Err("the bench runs on SQLite".into()) };
    if fresh {
        let demo_opts = DemoOptions { electors: opts.electors, ..DemoOptions::default() };
        demo::load(&store, &demo_opts, Some("bench-password-unused")).await.map_err(|e| e.to_string())?;
    }
    let (seat_id,): (i64,) =
        sqlx::query_as("SELECT id FROM seats").fetch_one(pool).await.map_err(|e| e.to_string())?;
    if fresh {
        add_conversations(pool, seat_id, opts.conversations).await.map_err(|e| e.to_string())?;
        sqlx::query("ANALYZE").execute(pool).await.map_err(|e| e.to_string())?;
    }
    Ok((store, seat_id))
}

/// Runs `f` on the bench seat: in the kept database when `opts.db` names one, else in a
/// temporary file removed afterwards.
pub(crate) async fn with_seat<T, F, Fut>(opts: &BenchOptions, f: F) -> Result<T, String>
where
    F: FnOnce(String, bool) -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    if let Some(path) = &opts.db {
        let fresh = !path.exists();
        return f(format!("sqlite:{}", path.display()), fresh).await;
    }
    let dir = std::env::temp_dir().join(format!("groundwork-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("bench.db");
    let result = f(format!("sqlite:{}", path.display()), true).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run(opts: &BenchOptions, url: &str, fresh: bool) -> Result<BenchReport, String> {
    let started = Instant::now();
    let (store, seat_id) = open_seat(opts, url, fresh).await?;
    let Store::Sqlite(pool) = &store else { return Err("the bench runs on SQLite".into()) };
    let build_secs = started.elapsed().as_secs_f64();

    let count = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await?;
        Ok::<i64, sqlx::Error>(n)
    };
    let conversations = count().await.map_err(|e| e.to_string())?;
    let (electors,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM electors").fetch_one(pool).await.map_err(|e| e.to_string())?;

    // One untimed run of each warms the page cache, as a live server's would be.
    let now = Utc::now();
    app::dashboard::queries::seat_dashboard(&store, seat_id, now).await.map_err(|e| e.to_string())?;
    let mut dash = Vec::new();
    let mut counts = Vec::new();
    for _ in 0..opts.runs {
        let t = Instant::now();
        let d =
            app::dashboard::queries::seat_dashboard(&store, seat_id, now).await.map_err(|e| e.to_string())?;
        dash.push(t.elapsed().as_secs_f64() * 1000.0);
        if d.totals.knocks != conversations {
            return Err(format!("the dashboard counted {} knocks of {conversations}", d.totals.knocks));
        }
        let t = Instant::now();
        count().await.map_err(|e| e.to_string())?;
        counts.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let t = Instant::now();
    let slow = app::dashboard::counters::recount_canvass(&store, seat_id).await.map_err(|e| e.to_string())?;
    let recount_ms = t.elapsed().as_secs_f64() * 1000.0;
    let fast = app::dashboard::counters::canvass_counts(&store, seat_id).await.map_err(|e| e.to_string())?;
    if fast != slow {
        return Err("the dashboard's counters differ from a recount of the raw rows".into());
    }
    store.close().await;
    Ok(BenchReport {
        electors,
        conversations,
        build_secs,
        dashboard: timing(dash),
        count: timing(counts),
        recount_ms,
    })
}

/// Tops the demo's conversations up to `total`, spread over the last 26 weeks.
async fn add_conversations(pool: &sqlx::SqlitePool, seat_id: i64, total: usize) -> Result<(), sqlx::Error> {
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await?;
    let electors: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, household_id FROM electors WHERE seat_id = $1")
            .bind(seat_id)
            .fetch_all(pool)
            .await?;
    let volunteers: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM volunteers WHERE seat_id = $1").bind(seat_id).fetch_all(pool).await?;
    if electors.is_empty() || volunteers.is_empty() {
        return Ok(());
    }
    let mut rng = StdRng::seed_from_u64(75_000);
    let now = Utc::now();
    let wanted = total.saturating_sub(existing as usize);
    let mut tx = pool.begin().await?;
    let mut made = 0;
    while made < wanted {
        let n = (wanted - made).min(1000);
        let rows: Vec<_> = (0..n)
            .map(|_| {
                let (elector, household) = electors[rng.random_range(0..electors.len())];
                let result = RESULTS[match rng.random_range(0..100) {
                    0..=39 => 0,
                    40..=84 => 1,
                    85..=89 => 2,
                    90..=93 => 3,
                    94..=95 => 4,
                    96..=97 => 5,
                    _ => 6,
                }];
                let spoke = result == "spoke";
                let intention = spoke.then(|| PARTIES[rng.random_range(0..PARTIES.len())]);
                let source = spoke.then(|| if rng.random_bool(0.75) { "said" } else { "inferred" });
                let made_at = now - Duration::seconds(rng.random_range(0..26 * 7 * 86_400));
                let mut id = [0u8; 16];
                rng.fill(&mut id);
                let volunteer = volunteers[rng.random_range(0..volunteers.len())].0;
                (
                    uuid::Builder::from_random_bytes(id).into_uuid().to_string(),
                    household,
                    spoke.then_some(elector),
                    volunteer,
                    result,
                    intention,
                    source,
                    made_at,
                )
            })
            .collect();
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO conversations (id, seat_id, household_id, elector_id, volunteer_id, result, intention,
                                        intention_source, made_at, received_at) ",
        );
        q.push_values(
            rows.iter().cloned(),
            |mut b, (id, household, elector, volunteer, result, intention, source, made_at)| {
                b.push_bind(id)
                    .push_bind(seat_id)
                    .push_bind(household)
                    .push_bind(elector)
                    .push_bind(volunteer)
                    .push_bind(result)
                    .push_bind(intention)
                    .push_bind(source)
                    .push_bind(made_at)
                    .push_bind(made_at);
            },
        );
        q.build().execute(&mut *tx).await?;
        // Half of those spoken to raise an issue (some two), one in ten asks for something.
        let mut issues = Vec::new();
        let mut asks = Vec::new();
        for (id, household, elector, _, _, _, _, made_at) in &rows {
            let Some(elector) = elector else { continue };
            let roll = rng.random_range(0..100);
            if roll < 50 {
                issues.push((id.clone(), ISSUES[rng.random_range(0..ISSUES.len())]));
            }
            if roll < 15 {
                issues.push((id.clone(), ISSUES[rng.random_range(0..3)]));
            }
            if rng.random_range(0..10) == 0 {
                let kind = FOLLOW_UPS[rng.random_range(0..FOLLOW_UPS.len())];
                let done = *made_at < now - Duration::days(14) && rng.random_bool(0.7);
                asks.push((
                    id.clone(),
                    *household,
                    *elector,
                    kind,
                    if done { "done" } else { "open" },
                    *made_at,
                ));
            }
        }
        issues.sort();
        issues.dedup();
        if !issues.is_empty() {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO conversation_issues (conversation_id, issue) ");
            q.push_values(issues, |mut b, (id, issue)| {
                b.push_bind(id).push_bind(issue);
            });
            q.build().execute(&mut *tx).await?;
        }
        if !asks.is_empty() {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at) ",
            );
            q.push_values(asks, |mut b, (id, household, elector, kind, status, at)| {
                b.push_bind(id)
                    .push_bind(seat_id)
                    .push_bind(household)
                    .push_bind(elector)
                    .push_bind(kind)
                    .push_bind(status)
                    .push_bind(at);
            });
            q.build().execute(&mut *tx).await?;
        }
        made += n;
    }
    tx.commit().await
}

/// Runs the dashboard bench and prints its figures.
pub async fn run_and_print(opts: &BenchOptions) -> Result<(), String> {
    println!("A seat of {} electors and {} conversations on SQLite…", opts.electors, opts.conversations);
    let r = dashboard(opts).await?;
    println!("Ready in {:.1} s: {} electors, {} conversations.", r.build_secs, r.electors, r.conversations);
    println!(
        "Seat dashboard data ({} runs): median {:.1} ms, max {:.1} ms  [target < 50 ms]",
        opts.runs, r.dashboard.median_ms, r.dashboard.max_ms
    );
    println!(
        "SELECT COUNT(*) FROM conversations: median {:.2} ms, max {:.2} ms",
        r.count.median_ms, r.count.max_ms
    );
    let ratio = if r.count.median_ms > 0.0 { r.dashboard.median_ms / r.count.median_ms } else { 0.0 };
    println!("Dashboard ÷ COUNT(*) (medians): {ratio:.1}×");
    println!("Counters equal a recount from the raw rows (the recount alone took {:.0} ms).", r.recount_ms);
    Ok(())
}
