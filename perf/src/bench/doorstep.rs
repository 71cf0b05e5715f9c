//! `groundwork-perf bench doorstep`: a phone's outbox of 100 entries reaching the server at
//! seat scale (75,000 electors, 250,000 conversations on SQLite), timed through the same
//! function the batch endpoint calls; and `groundwork-perf bench page-weight`: what the first
//! visit to a walk list transfers, gzip-compressed as the server sends it.

use super::dashboard::{open_seat, with_seat, BenchOptions};
use app::auth::{CurrentUser, Role};
use app::doorstep::DoorEntry;
use app::ids::{ElectorId, HouseholdId, WalkListId};
use app::store::Store;
use chrono::{Duration, Utc};
use std::time::Instant;

const VOLUNTEER: &str = "volunteer@demo.groundwork.example";
const BATCH: usize = 100;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Runs the batch bench and prints its figures.
pub async fn run_and_print(opts: &BenchOptions) -> Result<(), String> {
    println!("A seat of {} electors and {} conversations on SQLite…", opts.electors, opts.conversations);
    with_seat(opts, |url, fresh| async move {
        let started = Instant::now();
        let (store, seat_id) = open_seat(opts, &url, fresh).await?;
        let result = time_batches(&store, seat_id, opts.runs).await;
        store.close().await;
        let (samples, conversations) = result?;
        println!("Ready in {:.1} s: {conversations} conversations before the batches.", started.elapsed().as_secs_f64());
        println!(
            "A batch of {BATCH} queued entries ({} runs): median {:.1} ms, p95 {:.1} ms, max {:.1} ms  [target < 50 ms]",
            samples.len(),
            percentile(&samples, 0.5),
            percentile(&samples, 0.95),
            samples.last().copied().unwrap_or(0.0)
        );
        Ok(())
    })
    .await
}

/// Times `runs` batches of 100 new entries from the demo volunteer on a list of 100 doors.
async fn time_batches(store: &Store, seat_id: i64, runs: usize) -> Result<(Vec<f64>, i64), String> {
    let Store::Sqlite(pool) = store else { return Err("the bench runs on SQLite".into()) };
    let e = |e: sqlx::Error| e.to_string();
    let (user_id, name): (i64, String) =
        sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1")
            .bind(VOLUNTEER)
            .fetch_one(pool)
            .await
            .map_err(e)?;
    let (volunteer_id,): (i64,) =
        sqlx::query_as("SELECT id FROM volunteers WHERE user_id = $1 ORDER BY id LIMIT 1")
            .bind(user_id)
            .fetch_one(pool)
            .await
            .map_err(e)?;
    // A list of 100 doors along one stretch of the register, made yesterday.
    let doors: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM households WHERE seat_id = $1 ORDER BY id LIMIT $2 OFFSET 5000")
            .bind(seat_id)
            .bind(BATCH as i64)
            .fetch_all(pool)
            .await
            .map_err(e)?;
    let (list,): (i64,) = sqlx::query_as(
        "INSERT INTO walk_lists (seat_id, name, status, created_at) VALUES ($1, 'Bench list', 'active', $2) RETURNING id",
    )
    .bind(seat_id)
    .bind(Utc::now() - Duration::days(1))
    .fetch_one(pool)
    .await
    .map_err(e)?;
    for (pos, (h,)) in doors.iter().enumerate() {
        sqlx::query(
            "INSERT INTO walk_list_households (walk_list_id, household_id, position) VALUES ($1, $2, $3)",
        )
        .bind(list)
        .bind(h)
        .bind(pos as i64)
        .execute(pool)
        .await
        .map_err(e)?;
    }
    sqlx::query("INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2)")
        .bind(list)
        .bind(volunteer_id)
        .execute(pool)
        .await
        .map_err(e)?;
    let electors: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT MIN(e.id), e.household_id FROM electors e JOIN walk_list_households wh ON wh.household_id = e.household_id
          WHERE wh.walk_list_id = $1 GROUP BY e.household_id",
    )
    .bind(list)
    .fetch_all(pool)
    .await
    .map_err(e)?;
    let (conversations,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await.map_err(e)?;
    let user =
        CurrentUser { id: user_id, email: VOLUNTEER.into(), display_name: name, role: Role::Volunteer };
    // Inside the week a phone's clock is believed for, so no entry is flagged for it.
    let start = Utc::now() - Duration::days(6);
    let mut samples = Vec::new();
    for run in 0..=runs {
        // The phone's entries: a door a minute, about four in ten a conversation.
        let entries: Vec<DoorEntry> = doors
            .iter()
            .enumerate()
            .map(|(i, (h,))| {
                let spoke = i % 5 < 2;
                let elector = electors.iter().find(|(_, hh)| hh == h).map(|(id, _)| *id);
                DoorEntry {
                    id: uuid::Uuid::new_v4().to_string(),
                    walk_list_id: WalkListId(list),
                    household_id: HouseholdId(*h),
                    result: if spoke { "spoke" } else { "not_in" }.into(),
                    elector_id: if spoke { elector.map(ElectorId) } else { None },
                    intention: elector.filter(|_| spoke).map(|_| "lab".into()),
                    intention_source: elector.filter(|_| spoke).map(|_| "said".into()),
                    firmness: elector.filter(|_| spoke).map(|_| 4),
                    issues: if spoke { vec!["nhs".into(), "housing".into()] } else { vec![] },
                    follow_ups: if i % 10 == 0 { vec!["poster".into()] } else { vec![] },
                    made_at: Some(start + Duration::minutes((run * BATCH + i) as i64)),
                    ..DoorEntry::default()
                }
            })
            .collect();
        let t = Instant::now();
        let done = app::doorstep::queries::store_entries(store, &user, entries, Utc::now())
            .await
            .map_err(|e| e.to_string())?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if done.stored != BATCH {
            return Err(format!("stored {} of {BATCH}", done.stored));
        }
        // The first batch warms the caches, as a live server's would be.
        if run > 0 {
            samples.push(ms);
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok((samples, conversations))
}
