//! The load's synthetic seats (`--seats N`): each a whole seat of its own, laid out as
//! the national bench lays out a real one (wards, 10–20 polling districts, streets,
//! electors numbered per district, a canvass with our promises among them), with a
//! polling-day set-up: a station for every two districts, a committee room for each ward,
//! a ballot box for each district. Made fresh for every run, named by the run's tag.

use crate::bench::national::seat::{self, SeatSpec};
use app::on_store;
use app::store::Store;
use chrono::Utc;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashSet;

#[derive(Clone, Debug)]
pub struct LoadSeat {
    pub id: i64,
    pub gss_code: String,
    pub districts: Vec<LoadDistrict>,
    /// Every household of the seat, with a live elector living there (for a doorstep
    /// intention), in register order.
    pub households: Vec<(i64, Option<i64>)>,
}

#[derive(Clone, Debug)]
pub struct LoadDistrict {
    pub id: i64,
    pub code: String,
    pub station_id: i64,
    pub room_id: i64,
    /// (elector id, number on the register), in register order.
    pub electors: Vec<(i64, i64)>,
    /// Those of them who are our promises (on a knock-up list until they vote).
    pub promises: HashSet<i64>,
}

/// Makes `count` seats of `electors` electors each.
pub async fn make(store: &Store, tag: &str, count: usize, electors: usize) -> Result<Vec<LoadSeat>, String> {
    let e = |e: sqlx::Error| format!("could not make the load's seats: {e}");
    let (ours, _) = app::dashboard::queries::our_party(store).await.map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(17);
    let mut seats = Vec::with_capacity(count);
    for k in 0..count {
        let spec = SeatSpec {
            // A real code's shape (a letter and 8 digits), unique to the run by its tag.
            gss_code: format!("L{:05}{k:03}", u32::from_str_radix(&tag[..5], 16).unwrap_or(0) % 100_000),
            name: format!("Load {tag} seat {}", k + 1),
            region: format!("Load {tag}"),
            results: &[],
            electors,
            // Six conversations for every ten electors, half of those spoken to ours: about
            // one elector in eight is a promise, as in a well-canvassed target seat.
            conversations: electors * 6 / 10,
            ours: &ours,
            ours_share: 0.5,
            now: Utc::now(),
        };
        let made = seat::make(store, &spec, &mut rng).await.map_err(e)?;
        let seat_id = made.seat_id;
        let districts = on_store!(store, pool => {
            let mut tx = pool.begin().await.map_err(e)?;
            let mut rooms = Vec::new();
            for w in 0..made.wards {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO committee_rooms (seat_id, name, address, canvassers, cars) VALUES ($1, $2, $3, 12, 3) RETURNING id")
                    .bind(seat_id).bind(format!("Room {}", w + 1)).bind(format!("{} Ward Hall", w + 1))
                    .fetch_one(&mut *tx).await.map_err(e)?;
                rooms.push(id);
            }
            let mut districts = Vec::new();
            let mut station = 0i64;
            for (i, (district_id, code, ward)) in made.districts.iter().enumerate() {
                if i % 2 == 0 {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO polling_stations (seat_id, name, address) VALUES ($1, $2, $3) RETURNING id")
                        .bind(seat_id).bind(format!("Station {}", i / 2 + 1)).bind(format!("{} School", i / 2 + 1))
                        .fetch_one(&mut *tx).await.map_err(e)?;
                    station = id;
                }
                sqlx::query(
                    "INSERT INTO ballot_boxes (seat_id, polling_district_id, station_id, label, committee_room_id)
                     VALUES ($1, $2, $3, $4, $5)")
                    .bind(seat_id).bind(district_id).bind(station).bind(format!("{code}/1")).bind(rooms[*ward])
                    .execute(&mut *tx).await.map_err(e)?;
                districts.push(LoadDistrict {
                    id: *district_id,
                    code: code.clone(),
                    station_id: station,
                    room_id: rooms[*ward],
                    electors: Vec::new(),
                    promises: HashSet::new(),
                });
            }
            tx.commit().await.map_err(e)?;
            let people: Vec<(i64, Option<i64>, i64)> = sqlx::query_as(
                "SELECT id, polling_district_id, elector_number FROM electors WHERE seat_id = $1 ORDER BY id")
                .bind(seat_id).fetch_all(pool).await.map_err(e)?;
            let promises: Vec<(i64,)> = sqlx::query_as(
                "SELECT elector_id FROM dashboard_latest WHERE seat_id = $1 AND intention = $2")
                .bind(seat_id).bind(&ours).fetch_all(pool).await.map_err(e)?;
            let promises: HashSet<i64> = promises.into_iter().map(|(id,)| id).collect();
            for (id, district, number) in people {
                if let Some(d) = districts.iter_mut().find(|d| Some(d.id) == district) {
                    d.electors.push((id, number));
                    if promises.contains(&id) {
                        d.promises.insert(id);
                    }
                }
            }
            districts
        });
        let households = households(store, seat_id).await?;
        seats.push(LoadSeat { id: seat_id, gss_code: spec.gss_code.clone(), districts, households });
    }
    Ok(seats)
}

/// A seat's households in register order, each with one live elector living there.
pub async fn households(store: &Store, seat_id: i64) -> Result<Vec<(i64, Option<i64>)>, String> {
    on_store!(store, pool => sqlx::query_as(
        "SELECT h.id, MIN(e.id) FROM households h
           LEFT JOIN electors e ON e.household_id = h.id AND e.left_at IS NULL
          WHERE h.seat_id = $1 GROUP BY h.id ORDER BY h.id")
        .bind(seat_id).fetch_all(pool).await)
    .map_err(|e| format!("could not read the seat's households: {e}"))
}
