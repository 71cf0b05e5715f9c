//! `groundwork-perf load --polling-day`: tellers and knockers-up at once over real HTTP, on
//! synthetic seats with a polling-day set-up. Tellers post poll numbers as the telling
//! page's outbox does; knockers reload their knock-up round. It prints telling entries a
//! second and the strike-off latency (from a telling entry acknowledged to that promise
//! gone from a knock-up round load), and checks seat by seat that every acknowledged
//! entry is stored once.

use super::polling_walk::{self, HelperTally, Strikes, Walk};
use super::seats::{self, LoadSeat};
use super::{percentile, SeatCheck};
use app::on_store;
use app::store::Store;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct PollingOptions {
    pub servers: Vec<String>,
    /// Synthetic seats (at least one).
    pub seats: usize,
    pub electors: usize,
    /// Helpers in all: half tell, half knock up.
    pub volunteers: usize,
    /// Poll numbers per request (the telling outbox's batch).
    pub batch: usize,
    /// A teller's pause between batches (±50%).
    pub think: Duration,
    /// A knocker's pause between loads of the round (±50%).
    pub reload: Duration,
    pub duration: Duration,
    pub grace: Duration,
}

/// A poll number a teller will take: the phone's id, as typed, and the promise it strikes.
#[derive(Clone, Debug)]
pub struct Told {
    pub id: String,
    pub typed: String,
    /// (district, elector) when the voter is one of our promises.
    pub promise: Option<(i64, i64)>,
}

#[derive(Clone, Debug)]
pub enum Job {
    Teller {
        station_id: i64,
        queue: Vec<Told>,
    },
    /// Knocks up a walk of the district: the `nth` of its knockers takes walk `nth` (mod the
    /// district's walks, learnt from its first load).
    Knocker {
        district_id: i64,
        nth: usize,
    },
}

#[derive(Clone, Debug)]
pub struct Helper {
    pub email: String,
    pub seat_id: i64,
    pub gss_code: String,
    pub job: Job,
    pub cookie: Option<String>,
}

impl Helper {
    pub fn page(&self) -> String {
        match &self.job {
            Job::Teller { station_id, .. } => format!("/poll/{}/telling?station={station_id}", self.gss_code),
            Job::Knocker { district_id, .. } => {
                format!("/poll/{}/knock-up?district={district_id}", self.gss_code)
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct Figures {
    pub requests: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Figures {
    fn of(mut ms: Vec<f64>) -> Figures {
        ms.sort_by(f64::total_cmp);
        Figures {
            requests: ms.len(),
            p50: percentile(&ms, 0.50),
            p95: percentile(&ms, 0.95),
            p99: percentile(&ms, 0.99),
            max: ms.last().copied().unwrap_or(0.0),
        }
    }

    fn line(&self) -> String {
        format!(
            "p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            self.p50, self.p95, self.p99, self.max
        )
    }
}

#[derive(Debug, Default)]
pub struct PollingReport {
    pub seconds: f64,
    pub tellers: usize,
    pub knockers: usize,
    pub entries_acked: usize,
    pub telling: Figures,
    pub knock_up: Figures,
    pub strike_off: Figures,
    /// Told promises in watched districts no later load had yet shown gone when the run ended.
    pub not_yet_seen: usize,
    pub stale: usize,
    pub retries: usize,
    pub refused: usize,
    pub errors: BTreeMap<String, usize>,
    pub per_seat: Vec<SeatCheck>,
}

impl PollingReport {
    pub fn entries_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.entries_acked as f64 / self.seconds
        } else {
            0.0
        }
    }

    pub fn exact(&self) -> bool {
        self.per_seat.iter().all(|c| c.missing == 0 && c.duplicated == 0)
    }
}

/// The run's helpers: tellers spread over every station of every seat (each takes a share
/// of the station's voters, in register order), knockers over every district.
pub fn helpers(tag: &str, seats: &[LoadSeat], tellers: usize, knockers: usize) -> Vec<Helper> {
    let stations: Vec<(usize, i64)> = seats
        .iter()
        .enumerate()
        .flat_map(|(s, seat)| {
            let mut ids: Vec<i64> = seat.districts.iter().map(|d| d.station_id).collect();
            ids.dedup();
            ids.into_iter().map(move |id| (s, id))
        })
        .collect();
    let districts: Vec<(usize, i64)> = seats
        .iter()
        .enumerate()
        .flat_map(|(s, seat)| seat.districts.iter().map(move |d| (s, d.id)))
        .collect();
    let mut out = Vec::with_capacity(tellers + knockers);
    for t in 0..tellers {
        let (s, station_id) = stations[t % stations.len()];
        let (share, of) = (t / stations.len(), (tellers - t % stations.len()).div_ceil(stations.len()));
        let mut queue = Vec::new();
        for d in seats[s].districts.iter().filter(|d| d.station_id == station_id) {
            for (i, (elector, number)) in d.electors.iter().enumerate().filter(|(i, _)| i % of == share) {
                let code = &d.code;
                // Numbers as tellers write them, and one in fifty a slip of the pen that
                // matches nobody (kept for correction, never dropped).
                let (typed, promise) = match i % 50 {
                    49 => (format!("{code}-{}", number + 900_000), None),
                    _ => (
                        match i % 4 {
                            0 => format!("{code}-{number}"),
                            1 => format!("{code}{number}"),
                            2 => format!("{}-{number}", code.to_lowercase()),
                            _ => format!("{code}-{number}/0"),
                        },
                        d.promises.contains(elector).then_some((d.id, *elector)),
                    ),
                };
                queue.push(Told { id: uuid::Uuid::now_v7().to_string(), typed, promise });
            }
        }
        out.push(Helper {
            email: format!("load-{tag}-t{t:05}@load.groundwork.example"),
            seat_id: seats[s].id,
            gss_code: seats[s].gss_code.clone(),
            job: Job::Teller { station_id, queue },
            cookie: None,
        });
    }
    for k in 0..knockers {
        let (s, district_id) = districts[k % districts.len()];
        let nth = k / districts.len();
        out.push(Helper {
            email: format!("load-{tag}-k{k:05}@load.groundwork.example"),
            seat_id: seats[s].id,
            gss_code: seats[s].gss_code.clone(),
            job: Job::Knocker { district_id, nth },
            cookie: None,
        });
    }
    out
}

/// Writes the helpers' accounts: volunteers on their seat, with a station or a room.
async fn accounts(
    store: &Store,
    seats: &[LoadSeat],
    helpers: &[Helper],
    password: &str,
) -> Result<(), String> {
    let hash = app::auth::password::hash(password).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let e = |e: sqlx::Error| format!("could not make the polling-day helpers: {e}");
    on_store!(store, pool => {
        let mut tx = pool.begin().await.map_err(e)?;
        for (n, h) in helpers.iter().enumerate() {
            let (user_id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
                 VALUES ($1, $2, $3, 'volunteer', TRUE, $4) RETURNING id")
                .bind(&h.email).bind(format!("Load Helper {n}")).bind(&hash).bind(now)
                .fetch_one(&mut *tx).await.map_err(e)?;
            sqlx::query("INSERT INTO user_scopes (user_id, seat_id) VALUES ($1, $2)")
                .bind(user_id).bind(h.seat_id).execute(&mut *tx).await.map_err(e)?;
            let (station, room) = match &h.job {
                Job::Teller { station_id, .. } => (Some(*station_id), None),
                Job::Knocker { district_id, .. } => (None, seats.iter().flat_map(|s| &s.districts)
                    .find(|d| d.id == *district_id).map(|d| d.room_id)),
            };
            sqlx::query("INSERT INTO polling_day_helpers (user_id, seat_id, station_id, committee_room_id) VALUES ($1, $2, $3, $4)")
                .bind(user_id).bind(h.seat_id).bind(station).bind(room).execute(&mut *tx).await.map_err(e)?;
        }
        tx.commit().await.map_err(e)?;
    });
    Ok(())
}

/// What every helper's task shares.
struct Shared {
    client: reqwest::Client,
    servers: Vec<String>,
    password: String,
    strikes: Mutex<Strikes>,
    batch: usize,
    think: Duration,
    reload: Duration,
}

impl Shared {
    fn walk(&self, until: Instant, give_up: Instant) -> Walk<'_> {
        Walk {
            client: &self.client,
            servers: &self.servers,
            password: &self.password,
            batch: self.batch,
            think: self.think,
            reload: self.reload,
            until,
            give_up,
            strikes: &self.strikes,
        }
    }
}

pub async fn run(store: &Store, opts: &PollingOptions) -> Result<PollingReport, String> {
    if opts.servers.is_empty() || opts.volunteers < 2 || opts.batch == 0 {
        return Err("give at least one server, two helpers and a batch of one".into());
    }
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let password = uuid::Uuid::new_v4().simple().to_string();
    let t = Instant::now();
    let seats = seats::make(store, &tag, opts.seats.max(1), opts.electors).await?;
    let (tellers, knockers) = (opts.volunteers / 2, opts.volunteers - opts.volunteers / 2);
    let mut helpers = helpers(&tag, &seats, tellers, knockers);
    accounts(store, &seats, &helpers, &password).await?;
    let districts: usize = seats.iter().map(|s| s.districts.len()).sum();
    let promises: usize = seats.iter().flat_map(|s| &s.districts).map(|d| d.promises.len()).sum();
    println!(
        "Made {} seats of {} electors ({districts} polling districts, {promises} promises), {tellers} tellers and {knockers} knockers-up in {:.1} s (run {tag}).",
        seats.len(),
        opts.electors,
        t.elapsed().as_secs_f64()
    );
    let client = super::client();
    let strikes = Mutex::new(Strikes::new(tellers));
    let shared = Arc::new(Shared {
        client,
        servers: opts.servers.clone(),
        password,
        strikes,
        batch: opts.batch,
        think: opts.think,
        reload: opts.reload,
    });
    let t = Instant::now();
    let mut signed = Vec::with_capacity(helpers.len());
    while !helpers.is_empty() {
        let mut tasks = Vec::new();
        for h in helpers.drain(..helpers.len().min(16)) {
            let shared = shared.clone();
            let server = shared.servers[(signed.len() + tasks.len()) % shared.servers.len()].clone();
            tasks.push(tokio::spawn(async move {
                let mut h = h;
                let now = Instant::now();
                polling_walk::sign_in(&mut h, &shared.walk(now, now), &server).await.map(|()| h)
            }));
        }
        for task in tasks {
            signed.push(task.await.map_err(|e| e.to_string())??);
        }
    }
    println!("Signed in and opened their pages in {:.1} s.", t.elapsed().as_secs_f64());
    let started = Instant::now();
    let (until, give_up) = (started + opts.duration, started + opts.duration + opts.grace);
    let mut tasks = Vec::with_capacity(signed.len());
    for (i, mut h) in signed.into_iter().enumerate() {
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let walk = shared.walk(until, give_up);
            let tally = match h.job {
                Job::Teller { .. } => polling_walk::tell(&mut h, &walk, i).await,
                Job::Knocker { .. } => polling_walk::knock_up(&mut h, &walk, i).await,
            };
            (matches!(h.job, Job::Teller { .. }), tally)
        }));
    }
    let mut report = PollingReport { tellers, knockers, ..PollingReport::default() };
    let (mut telling_ms, mut knock_ms, mut acked) = (Vec::new(), Vec::new(), Vec::new());
    let mut last_told = started;
    for task in tasks {
        let (teller, tally): (bool, HelperTally) = task.await.map_err(|e| e.to_string())?;
        if teller {
            last_told = last_told.max(tally.finished.unwrap_or(started));
            telling_ms.extend(tally.latencies);
            acked.extend(tally.acked);
        } else {
            knock_ms.extend(tally.latencies);
        }
        report.retries += tally.retries;
        report.refused += tally.refused;
        for (k, n) in tally.errors {
            *report.errors.entry(k).or_default() += n;
        }
    }
    // From the start to the last teller's last answer (batches in flight at the end count).
    report.seconds = (last_told - started).as_secs_f64();
    report.entries_acked = acked.len();
    report.telling = Figures::of(telling_ms);
    report.knock_up = Figures::of(knock_ms);
    if let Ok(s) = shared.strikes.lock() {
        report.strike_off = Figures::of(s.latencies.clone());
        report.not_yet_seen = s.waiting();
        report.stale = s.stale.len();
    }
    let stored: Vec<(i64, String, i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT t.seat_id, t.id, t.user_id, t.typed FROM telling_entries t JOIN users u ON u.id = t.user_id
          WHERE u.email LIKE $1")
        .bind(format!("load-{tag}-%")).fetch_all(pool).await)
    .map_err(|e| format!("could not read back the telling entries: {e}"))?;
    // One teller writes a number once, so (teller, number as typed) is one entry whatever its id.
    let stored: Vec<(i64, String, (i64, String))> =
        stored.into_iter().map(|(seat, id, user, typed)| (seat, id, (user, typed))).collect();
    report.per_seat = SeatCheck::per_seat(&acked, &stored);
    print(&report);
    Ok(report)
}

fn print(r: &PollingReport) {
    let errors: Vec<String> = r.errors.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    println!("Polling day: {} tellers and {} knockers-up for {:.1} s:", r.tellers, r.knockers, r.seconds);
    println!(
        "  telling       {:>8.0} entries/s  ({} acknowledged in {} requests); {}",
        r.entries_per_second(),
        r.entries_acked,
        r.telling.requests,
        r.telling.line()
    );
    println!("  knock-up page {:>8} loads; {}", r.knock_up.requests, r.knock_up.line());
    println!(
        "  strike-off    {:>8} promises seen gone; {}; {} told but not yet reloaded; {} still listed by a later load",
        r.strike_off.requests,
        r.strike_off.line(),
        r.not_yet_seen,
        r.stale
    );
    println!(
        "  retries {}; refused {}; errors {}",
        r.retries,
        r.refused,
        if errors.is_empty() { "none".into() } else { errors.join(", ") }
    );
    let sum = |f: fn(&SeatCheck) -> usize| r.per_seat.iter().map(f).sum::<usize>();
    println!(
        "Check: {} telling entries acknowledged; {} stored; {} missing; {} stored twice; {} stored but unacknowledged.",
        sum(|c| c.acknowledged),
        sum(|c| c.stored),
        sum(|c| c.missing),
        sum(|c| c.duplicated),
        sum(|c| c.unacknowledged)
    );
    SeatCheck::print_all(&r.per_seat);
}
