//! A simulated polling day in the demo seat, eight hours after the polls opened: stations, boxes and
//! committee rooms set up through the same CSV import an organiser uses, tellers' numbers
//! for part of the day, box counts at 11:00 and 15:00, and knock-up answers. Everything
//! follows from the demo's seed, so each load gives the same day.

use app::error::AppError;
use app::polling_day::{queries, setup};
use app::store::Store;
use app::{on_store, on_tx};
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};

const STATIONS: [&str; 6] = [
    "St Mary's Church Hall",
    "Christ Church School",
    "Elton Library",
    "Tottington Community Centre",
    "Ramsbottom Civic Hall",
    "Hoyle Street Scout Hut",
];
const ROOMS: [(&str, &str); 3] = [
    ("Bury Labour Club", "Silver Street"),
    ("Ramsbottom Room", "Bridge Street"),
    ("Tottington Room", "Market Street"),
];

/// A number from 0 to 1 that depends only on the seed, the elector and what is asked.
pub(super) fn chance(seed: u64, id: i64, what: u64) -> f64 {
    let mut z =
        seed ^ (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ what.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

pub async fn simulate(
    store: &Store,
    gss: &str,
    volunteer_email: &str,
    seed: u64,
    today: DateTime<Utc>,
) -> Result<(), AppError> {
    let seat = app::seat::queries::find(store, gss).await?;
    let districts = queries::districts(store, seat.id).await?;
    if districts.is_empty() {
        return Ok(());
    }
    // Two districts to a station; the rooms take a third of the districts each.
    let mut csv = String::from(setup::HEADER);
    csv.push('\n');
    let third = districts.len().div_ceil(ROOMS.len());
    for (i, (_, code)) in districts.iter().enumerate() {
        let station = STATIONS[(i / 2) % STATIONS.len()];
        let station = if i / 2 >= STATIONS.len() {
            format!("{station} {}", i / 2 / STATIONS.len() + 1)
        } else {
            station.to_string()
        };
        let (room, street) = ROOMS[(i / third).min(ROOMS.len() - 1)];
        csv.push_str(&format!(
            "{code},{station},{street},{code},{room},{street},{},{}\n",
            8 + i % 5,
            2 + i % 3
        ));
    }
    let codes: Vec<String> = districts.iter().map(|(_, c)| c.clone()).collect();
    let rows = setup::parse(&csv, &codes, |_| None).map_err(|e| AppError::BadInput(e.join("; ")))?;
    queries::apply_setup(store, seat.id, &rows).await?;
    queries::set_helper(store, seat.id, volunteer_email, &rows[0].station, &rows[0].room).await?;

    let (user,): (i64,) = on_store!(store, pool => sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(volunteer_email).fetch_one(pool).await)?;
    let boxes: Vec<(i64, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, polling_district_id, station_id FROM ballot_boxes WHERE seat_id = $1").bind(seat.id).fetch_all(pool).await)?;
    let by_district: HashMap<i64, (i64, i64)> = boxes.iter().map(|(b, d, s)| (*d, (*b, *s))).collect();
    let promises: HashSet<i64> =
        queries::promises(store, seat.id, None).await?.into_iter().map(|(_, p)| p.elector_id).collect();
    let electors: Vec<(i64, Option<i64>, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, polling_district_id, elector_number, elector_suffix FROM electors WHERE seat_id = $1 AND left_at IS NULL")
        .bind(seat.id).fetch_all(pool).await)?;

    // The day as it stands now: the polls opened eight hours ago.
    let opening = today - Duration::hours(8);
    let mut telling = Vec::new();
    let mut knock_ups = Vec::new();
    let mut papers: HashMap<(i64, &str), i64> = HashMap::new();
    for (id, district, number, suffix) in electors {
        let Some((box_id, station)) = district.and_then(|d| by_district.get(&d)).copied() else { continue };
        let promise = promises.contains(&id);
        // Eight hours of fifteen: about 45% of promises and 33% of the rest have voted.
        let voted = chance(seed, id, 1) < if promise { 0.45 } else { 0.33 };
        let minute = (chance(seed, id, 2) * 480.0) as i64;
        if voted {
            *papers.entry((box_id, "15:00")).or_default() += 1;
            if minute < 240 {
                *papers.entry((box_id, "11:00")).or_default() += 1;
            }
            // Tellers stood at the door for the first two hours and the last three, missing one in ten.
            let staffed = !(120..300).contains(&minute);
            if staffed && chance(seed, id, 3) < 0.9 {
                let typed = if suffix == 0 { number.to_string() } else { format!("{number}/{suffix}") };
                telling.push((station, typed, Some(id), opening + Duration::minutes(minute)));
            } else if promise && chance(seed, id, 4) < 0.3 {
                knock_ups.push((id, "voted", opening + Duration::minutes(420)));
            }
        } else if promise {
            let r = chance(seed, id, 5);
            let result =
                [(0.15, "not_in"), (0.2, "will_vote"), (0.23, "needs_lift")].iter().find(|(p, _)| r < *p);
            if let Some((_, result)) = result {
                knock_ups.push((id, *result, opening + Duration::minutes(420)));
            }
        }
    }
    // A few scribbles no one could match, waiting for a teller to correct them.
    if let Some((_, station)) = boxes.first().map(|(b, _, s)| (*b, *s)) {
        for (i, typed) in ["88x", "99999/9", "AB-"].iter().enumerate() {
            telling.push((station, typed.to_string(), None, opening + Duration::minutes(30 + 60 * i as i64)));
        }
    }
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        for chunk in telling.chunks(500) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO telling_entries (id, seat_id, station_id, user_id, typed, elector_id, made_at, received_at) ");
            q.push_values(chunk, |mut b, (station, typed, elector, at)| {
                b.push_bind(uuid::Uuid::now_v7().to_string()).push_bind(seat.id).push_bind(*station).push_bind(user)
                    .push_bind(typed.clone()).push_bind(*elector).push_bind(*at).push_bind(*at);
            });
            q.build().execute(&mut *tx).await?;
        }
        for chunk in knock_ups.chunks(500) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO knock_up_results (id, seat_id, elector_id, user_id, result, made_at, received_at) ");
            q.push_values(chunk, |mut b, (elector, result, at)| {
                b.push_bind(uuid::Uuid::now_v7().to_string()).push_bind(seat.id).push_bind(*elector).push_bind(user)
                    .push_bind(*result).push_bind(*at).push_bind(*at);
            });
            q.build().execute(&mut *tx).await?;
        }
        for ((box_id, at), n) in &papers {
            sqlx::query("INSERT INTO ballot_box_counts (box_id, at_time, papers, recorded_by, recorded_at) VALUES ($1, $2, $3, NULL, $4)")
                .bind(*box_id).bind(*at).bind(*n).bind(today).execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}
