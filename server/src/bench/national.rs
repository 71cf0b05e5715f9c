//! `groundwork bench national`: every GB seat from the shipped results, with synthetic
//! electors, households, volunteers and conversations (46 million electors and 10 million
//! conversations at `--scale 1`), then the league table of one region of about 60 seats
//! and one seat's dashboard, each against a bare `COUNT(*)` of the conversations.

mod bulk;

use app::auth::{CurrentUser, Role};
use app::dashboard::LeagueSort;
use app::store::Store;
use app::{on_store, on_tx};
use bulk::Bulk;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// Conversations across the country at `--scale 1`.
const NATIONAL_CONVERSATIONS: f64 = 10_000_000.0;
const PARTIES: [&str; 7] = ["lab", "con", "ld", "green", "reform", "other", "undecided"];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Generated {
    pub seats: usize,
    pub electors: usize,
    pub households: usize,
    pub conversations: usize,
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
        store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
            sqlx::query("INSERT INTO regions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                .bind(&seat.region).execute(&mut *tx).await?;
            let (seat_id,): (i64,) = sqlx::query_as(
                "INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
                 SELECT $1, $2, id, $3, TRUE FROM regions WHERE name = $4 RETURNING id")
                .bind(&seat.gss_code).bind(&seat.name).bind(last.electorate).bind(&seat.region)
                .fetch_one(&mut *tx).await?;
            for r in &seat.results {
                sqlx::query("INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes,
                                                       majority, electorate, valid_votes, invalid_votes)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                    .bind(seat_id).bind(r.year).bind(&r.winner).bind(&r.runner_up).bind(r.winner_votes)
                    .bind(r.runner_up_votes).bind(r.majority).bind(r.electorate).bind(r.valid_votes)
                    .bind(r.invalid_votes).execute(&mut *tx).await?;
            }
            let (ward,): (i64,) = sqlx::query_as(
                "INSERT INTO wards (seat_id, gss_code, name) VALUES ($1, $2, $3) RETURNING id")
                .bind(seat_id).bind(format!("{}-W1", seat.gss_code)).bind(format!("{} Central", seat.name))
                .fetch_one(&mut *tx).await?;
            let mut districts = Vec::new();
            for code in ["AA", "AB", "AC", "AD"] {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, $3) RETURNING id")
                    .bind(ward).bind(code).bind(format!("District {code}")).fetch_one(&mut *tx).await?;
                districts.push(id);
            }
            // About two electors a door.
            let doors: Vec<bulk::Door> = (0..electors.div_ceil(2))
                .map(|i| (districts[i % districts.len()], format!("n:{i}"), format!("{} Synthetic Street", i + 1),
                          "Synthetic Street".to_string(), (i + 1).to_string()))
                .collect();
            tx.households(seat_id, &doors).await?;
            let homes: Vec<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT id, polling_district_id FROM households WHERE seat_id = $1 ORDER BY id")
                .bind(seat_id).fetch_all(&mut *tx).await?;
            let people: Vec<bulk::Person> = (0..electors)
                .map(|i| { let (home, pd) = homes[i / 2]; (home, pd, i as i64 + 1, format!("Elector{}", i + 1)) })
                .collect();
            tx.electors(seat_id, &people).await?;
            let people: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, household_id FROM electors WHERE seat_id = $1 ORDER BY id")
                .bind(seat_id).fetch_all(&mut *tx).await?;
            let mut volunteers = Vec::new();
            for v in 0..(electors / 2_000).clamp(2, 40) {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO volunteers (seat_id, first_name, surname, created_at) VALUES ($1, 'Synthetic', $2, $3) RETURNING id")
                    .bind(seat_id).bind(format!("Volunteer{v}")).bind(now).fetch_one(&mut *tx).await?;
                volunteers.push(id);
            }
            let (session,): (i64,) = sqlx::query_as(
                "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point)
                 VALUES ($1, 'Saturday canvass', $2, $3, 'The library') RETURNING id")
                .bind(seat_id).bind(now - Duration::days(3)).bind(now - Duration::days(3) + Duration::hours(3))
                .fetch_one(&mut *tx).await?;
            for v in &volunteers {
                sqlx::query("INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours)
                             VALUES ($1, $2, $3, 3.0)")
                    .bind(session).bind(v).bind(true).execute(&mut *tx).await?;
            }
            let rows: Vec<bulk::Conversation> = (0..conversations).map(|_| {
                let (elector, household) = people[rng.random_range(0..people.len())];
                let spoke = rng.random_range(0..100) < 40;
                let mut id = [0u8; 16];
                rng.fill(&mut id);
                bulk::Conversation {
                    id: uuid::Builder::from_random_bytes(id).into_uuid().to_string(),
                    household,
                    elector: spoke.then_some(elector),
                    volunteer: volunteers[rng.random_range(0..volunteers.len())],
                    result: if spoke { "spoke" } else { "not_in" },
                    intention: spoke.then(|| PARTIES[rng.random_range(0..PARTIES.len())]),
                    source: spoke.then(|| if rng.random_bool(0.75) { "said" } else { "inferred" }),
                    at: now - Duration::seconds(rng.random_range(0..26 * 7 * 86_400)),
                }
            }).collect();
            tx.conversations(seat_id, &rows).await?;
            out.seats += 1;
            out.electors += electors;
            out.households += doors.len();
            out.conversations += conversations;
            Ok::<_, sqlx::Error>(())
        })})).await?;
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
    let empty = crate::demo::database_is_empty(&store).await.map_err(|e| e.to_string())?;
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
            "Generated {} seats, {} electors, {} households, {} conversations in {:.0} s.",
            g.seats,
            g.electors,
            g.households,
            g.conversations,
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
