//! `groundwork-perf bench national`: every GB seat from the shipped results, each laid out as a
//! real seat is (a few wards, 10–20 polling districts, streets of a few dozen doors), with
//! synthetic electors, volunteers and conversations with their issues and follow-ups (46
//! million electors and 10 million conversations at `--scale 1`), then the league table of one region of about 60 seats
//! and one seat's dashboard, each against a bare `COUNT(*)` of the conversations.

pub(crate) mod bulk;
pub mod layout;
pub mod seat;

use app::auth::{CurrentUser, Role};
use app::dashboard::LeagueSort;
use app::on_store;
use app::store::Store;
use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::time::Instant;

/// Conversations across the country at `--scale 1`.
const NATIONAL_CONVERSATIONS: f64 = 10_000_000.0;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub seats: usize,
    pub wards: usize,
    pub districts: usize,
    pub streets: usize,
    pub electors: usize,
    pub households: usize,
    pub conversations: usize,
    pub issues: usize,
    pub follow_ups: usize,
}

/// Fills an empty database with every shipped seat as a target, scaled by `scale`
/// (electors = the last electorate × scale; conversations shared by electorate).
pub async fn generate(
    store: &Store,
    scale: f64,
    now: DateTime<Utc>,
    progress: &dyn Fn(&Generated, usize),
) -> Result<Generated, sqlx::Error> {
    let seats = app::seat::catalogue::shipped();
    let total = seats.len();
    let total_electorate: i64 = seats.iter().filter_map(|s| s.last()).map(|r| r.electorate).sum();
    let mut rng = StdRng::seed_from_u64(650);
    let mut out = Generated::default();
    for seat in seats {
        let Some(last) = seat.last() else { continue };
        let electors = ((last.electorate as f64 * scale).round() as usize).max(2);
        let conversations = (NATIONAL_CONVERSATIONS * scale * last.electorate as f64
            / total_electorate.max(1) as f64)
            .round() as usize;
        let spec = seat::SeatSpec {
            gss_code: seat.gss_code.clone(),
            name: seat.name.clone(),
            region: seat.region.clone(),
            results: &seat.results,
            electors,
            conversations,
            ours: "lab",
            ours_share: 0.0,
            now,
        };
        let made = seat::make(store, &spec, &mut rng).await?;
        out.seats += 1;
        out.wards += made.wards;
        out.districts += made.districts.len();
        out.streets += made.streets;
        out.electors += made.electors;
        out.households += made.households;
        out.conversations += made.conversations;
        out.issues += made.issues;
        out.follow_ups += made.follow_ups;
        progress(&out, total);
    }
    // VACUUM too on PostgreSQL: until it sets the visibility map, "index-only" counts
    // still visit every heap page.
    match store {
        Store::Sqlite(pool) => sqlx::query("ANALYZE").execute(pool).await.map(|_| ())?,
        Store::Postgres(pool) => sqlx::query("VACUUM ANALYZE").execute(pool).await.map(|_| ())?,
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Generates (into an empty database) and times; prints the figures.
pub async fn run_and_print(database_url: &str, scale: f64, runs: usize) -> Result<(), String> {
    let store = Store::connect(database_url).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let now = Utc::now();
    let empty = groundwork::demo::database_is_empty(&store).await.map_err(|e| e.to_string())?;
    if empty {
        println!("Generating every GB seat at scale {scale} …");
        let t = Instant::now();
        let report = |g: &Generated, total: usize| {
            if g.seats.is_multiple_of(50) || g.seats == total {
                println!(
                    "  {} of {total} seats: {} electors, {} conversations, {:.0} s",
                    g.seats,
                    g.electors,
                    g.conversations,
                    t.elapsed().as_secs_f64()
                );
            }
        };
        let g = generate(&store, scale, now, &report).await.map_err(|e| e.to_string())?;
        println!(
            "Generated {} seats ({} wards, {} polling districts, {} streets), {} electors, {} households, \
             {} conversations ({} issues raised, {} follow-ups) in {:.0} s.",
            g.seats,
            g.wards,
            g.districts,
            g.streets,
            g.electors,
            g.households,
            g.conversations,
            g.issues,
            g.follow_ups,
            t.elapsed().as_secs_f64()
        );
    } else {
        println!("The database already holds seats: timing what is there.");
    }
    let count = || async {
        let (n,): (i64,) = on_store!(&store, pool => sqlx::query_as("SELECT COUNT(*) FROM conversations").fetch_one(pool).await)?;
        Ok::<i64, sqlx::Error>(n)
    };
    // The region with the number of target seats nearest 60, and its busiest seat.
    let regions: Vec<(String, i64)> = on_store!(&store, pool => sqlx::query_as(
        "SELECT r.name, COUNT(*) FROM seats s JOIN regions r ON r.id = s.region_id WHERE s.is_target GROUP BY r.name")
        .fetch_all(pool).await)
    .map_err(|e| e.to_string())?;
    let (region, seats) = regions.into_iter().min_by_key(|(_, n)| (n - 60).abs()).ok_or("no seats")?;
    let (seat_id, seat_name): (i64, String) = on_store!(&store, pool => sqlx::query_as(
        "SELECT s.id, s.name FROM seats s JOIN regions r ON r.id = s.region_id WHERE r.name = $1
          ORDER BY s.electorate DESC LIMIT 1").bind(&region).fetch_one(pool).await)
    .map_err(|e| e.to_string())?;
    let admin = CurrentUser { id: 0, email: String::new(), display_name: "bench".into(), role: Role::Admin };
    let conversations = count().await.map_err(|e| e.to_string())?;
    let (mut league, mut dash, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..=runs {
        let t = Instant::now();
        let table = app::dashboard::queries::league_for(
            &store,
            &admin,
            LeagueSort::Majority,
            Some(region.clone()),
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
        let league_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        app::dashboard::queries::seat_dashboard(&store, seat_id, now).await.map_err(|e| e.to_string())?;
        let dash_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        count().await.map_err(|e| e.to_string())?;
        let count_ms = t.elapsed().as_secs_f64() * 1000.0;
        if table.rows.len() as i64 != seats {
            return Err(format!("the league has {} rows of {seats}", table.rows.len()));
        }
        // The first round warms the caches, as a live server's would be.
        if i > 0 {
            league.push(league_ms);
            dash.push(dash_ms);
            counts.push(count_ms);
        }
    }
    let (league, dash, count) = (median(league), median(dash), median(counts));
    println!("{conversations} conversations in the database; medians of {runs} runs:");
    println!(
        "League table of {region} ({seats} seats): {league:.1} ms  [target < 300 ms]  = {:.1}× COUNT(*)",
        league / count
    );
    println!(
        "Seat dashboard of {seat_name}: {dash:.1} ms  [target < 100 ms]  = {:.1}× COUNT(*)",
        dash / count
    );
    println!("SELECT COUNT(*) FROM conversations: {count:.1} ms");
    store.close().await;
    Ok(())
}
