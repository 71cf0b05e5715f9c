//! `groundwork-perf load`: many volunteers on real HTTP at once, as on polling day. Prints
//! throughput and latency percentiles, compares the app with a bare insert handler on
//! the same machine, and checks that the database holds exactly the conversations the
//! servers acknowledged: none missing, none twice.

pub mod bare;
mod check;
pub mod command;
pub mod fixture;
mod http;
pub mod polling;
mod polling_walk;
pub mod seats;
pub mod servers;
mod walker;

pub use check::SeatCheck;
pub use walker::Target;

use app::store::Store;
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use walker::{Plan, Tally, Volunteer};

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// App servers' base URLs; volunteers are spread over them and retry onto the next.
    pub servers: Vec<String>,
    /// A bare-handler server, for the comparison (none: no comparison).
    pub bare: Option<String>,
    pub volunteers: usize,
    pub batch: usize,
    pub think: Duration,
    pub duration: Duration,
    /// Length of each saturation phase (app, then bare) for the ratio; zero skips them.
    pub compare: Duration,
    pub doors: usize,
    /// How long a volunteer keeps retrying a batch after the run's end.
    pub grace: Duration,
    /// Synthetic seats to spread the volunteers over (0: all on the database's first seat).
    pub seats: usize,
    /// Electors in each synthetic seat.
    pub electors: usize,
}

/// Figures of one phase.
#[derive(Clone, Debug, Default)]
pub struct Phase {
    pub name: String,
    pub seconds: f64,
    pub requests: usize,
    pub acked: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub retries: usize,
    pub refused: usize,
    pub errors: BTreeMap<String, usize>,
}

impl Phase {
    pub fn per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.acked as f64 / self.seconds
        } else {
            0.0
        }
    }

    fn print(&self) {
        let errors: Vec<String> = self.errors.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        println!(
            "  {:<22} {:>8.0} conversations/s  ({} acknowledged in {:.1} s, {} requests)",
            self.name,
            self.per_second(),
            self.acked,
            self.seconds,
            self.requests
        );
        println!(
            "  {:<22} latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; retries {}; errors {}",
            "",
            self.p50,
            self.p95,
            self.p99,
            self.max,
            self.retries,
            if errors.is_empty() { "none".into() } else { errors.join(", ") }
        );
    }
}

/// What the run found.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub main: Phase,
    pub app_saturated: Option<Phase>,
    pub bare_saturated: Option<Phase>,
    pub acknowledged: usize,
    /// Acknowledged by a server but not in the database: lost.
    pub missing: usize,
    /// Stored more than once.
    pub duplicated: usize,
    /// Stored but never acknowledged (the answer was lost and the phone gave up).
    pub unacknowledged: usize,
    /// The same check seat by seat.
    pub per_seat: Vec<SeatCheck>,
}

impl LoadReport {
    /// The app's throughput as a share of the bare handler's, both at saturation.
    pub fn ratio(&self) -> Option<f64> {
        let (app, bare) = (self.app_saturated.as_ref()?, self.bare_saturated.as_ref()?);
        (bare.per_second() > 0.0).then(|| app.per_second() / bare.per_second())
    }

    pub fn exact(&self) -> bool {
        self.missing == 0 && self.duplicated == 0
    }
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summarise(name: &str, seconds: f64, tallies: &[Tally]) -> Phase {
    let mut latencies: Vec<f64> = tallies.iter().flat_map(|t| t.latencies.iter().copied()).collect();
    latencies.sort_by(f64::total_cmp);
    let mut errors = BTreeMap::new();
    for t in tallies {
        for (k, n) in &t.errors {
            *errors.entry(k.clone()).or_default() += n;
        }
    }
    Phase {
        name: name.into(),
        seconds,
        requests: latencies.len(),
        acked: tallies.iter().map(|t| t.acked.len()).sum(),
        p50: percentile(&latencies, 0.50),
        p95: percentile(&latencies, 0.95),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().copied().unwrap_or(0.0),
        retries: tallies.iter().map(|t| t.retries).sum(),
        refused: tallies.iter().map(|t| t.refused).sum(),
        errors,
    }
}

/// The shared HTTP client: one connection pool for every simulated phone (each sends
/// its own session cookie), so the client's own cost stays small beside the server's.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap_or_default()
}

/// Runs every volunteer through one phase at once and gathers their tallies.
async fn phase(
    volunteers: Vec<Volunteer>,
    make_plan: impl Fn(Instant) -> PlanSpec,
    name: &str,
    length: Duration,
    shared: &Arc<Shared>,
) -> (Vec<Volunteer>, Phase) {
    let started = Instant::now();
    let spec = make_plan(started + length);
    let mut tasks = Vec::with_capacity(volunteers.len());
    for (i, mut v) in volunteers.into_iter().enumerate() {
        let shared = shared.clone();
        let spec = spec.clone();
        tasks.push(tokio::spawn(async move {
            let servers = match spec.target {
                Target::App => &shared.servers,
                Target::Bare => &shared.bare,
            };
            let plan = Plan {
                client: &shared.client,
                servers,
                password: &shared.password,
                target: spec.target,
                batch: spec.batch,
                think: spec.think,
                until: spec.until,
                give_up: spec.until + spec.grace,
            };
            let tally = v.walk(&plan, i).await;
            (v, tally)
        }));
    }
    let mut back = Vec::new();
    let mut tallies = Vec::new();
    for task in tasks {
        if let Ok((v, t)) = task.await {
            back.push(v);
            tallies.push(t);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let report = summarise(name, seconds, &tallies);
    // Keep the app's acknowledged ids, with their seat, for the final check.
    if spec.target == Target::App {
        let acked = back
            .iter()
            .zip(tallies)
            .flat_map(|(v, t)| t.acked.into_iter().map(|id| (v.walker.seat_id, id)).collect::<Vec<_>>());
        shared.acked.lock().map(|mut a| a.extend(acked)).unwrap_or_default();
    }
    report.print();
    (back, report)
}

#[derive(Clone)]
struct PlanSpec {
    target: Target,
    batch: usize,
    think: Duration,
    until: Instant,
    grace: Duration,
}

struct Shared {
    client: reqwest::Client,
    servers: Vec<String>,
    bare: Vec<String>,
    password: String,
    acked: std::sync::Mutex<Vec<(i64, String)>>,
}

/// Makes the volunteers, signs them in, runs the phases and checks the database.
/// `store` is the database the servers use (for the fixture and the final check).
pub async fn run(store: &Store, opts: &LoadOptions) -> Result<LoadReport, String> {
    if opts.servers.is_empty() || opts.volunteers == 0 || opts.batch == 0 {
        return Err("give at least one server, one volunteer and a batch of one".into());
    }
    let tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let password = uuid::Uuid::new_v4().simple().to_string();
    let t = Instant::now();
    let seats = seats::make(store, &tag, opts.seats, opts.electors).await?;
    let walkers = fixture::make(store, &tag, opts.volunteers, opts.doors, &password, &seats).await?;
    println!(
        "Made {} volunteers with a walk list of {} doors each{} in {:.1} s (run {tag}).",
        walkers.len(),
        opts.doors,
        if seats.is_empty() {
            String::new()
        } else {
            format!(", over {} seats of {} electors", seats.len(), opts.electors)
        },
        t.elapsed().as_secs_f64()
    );
    let shared = Arc::new(Shared {
        client: client(),
        servers: opts.servers.clone(),
        bare: opts.bare.iter().cloned().collect(),
        password,
        acked: std::sync::Mutex::new(Vec::new()),
    });
    // Inside the week the server believes a phone's clock for (older entries are
    // flagged and stored as received: app/src/doorstep/trust.rs); a minute an entry
    // leaves room for 8,640 entries a volunteer.
    let clock = Utc::now() - chrono::Duration::days(6);
    let mut volunteers: Vec<Volunteer> = walkers.into_iter().map(|w| Volunteer::new(w, clock)).collect();

    // Sign-in: a few at a time, as volunteers arrive at the meeting point.
    let t = Instant::now();
    let mut signed = Vec::with_capacity(volunteers.len());
    while !volunteers.is_empty() {
        let chunk: Vec<Volunteer> = volunteers.drain(..volunteers.len().min(16)).collect();
        let mut tasks = Vec::new();
        for (i, mut v) in chunk.into_iter().enumerate() {
            let shared = shared.clone();
            let server = shared.servers[(signed.len() + i) % shared.servers.len()].clone();
            tasks.push(tokio::spawn(async move {
                let plan = Plan {
                    client: &shared.client,
                    servers: &shared.servers,
                    password: &shared.password,
                    target: Target::App,
                    batch: 0,
                    think: Duration::ZERO,
                    until: Instant::now(),
                    give_up: Instant::now(),
                };
                v.sign_in(&plan, &server).await.map(|()| v)
            }));
        }
        for task in tasks {
            signed.push(task.await.map_err(|e| e.to_string())??);
        }
    }
    println!(
        "Signed in and opened their lists in {:.1} s, on {} server(s).",
        t.elapsed().as_secs_f64(),
        opts.servers.len()
    );
    let mut volunteers = signed;
    let mut report = LoadReport::default();
    let spec =
        |target, think| move |until| PlanSpec { target, batch: opts.batch, think, until, grace: opts.grace };
    if !opts.compare.is_zero() {
        println!("Saturation (no think time), {:?} each:", opts.compare);
        // The bare handler first, so that its rows are all older than `since` below.
        if opts.bare.is_some() {
            let (v, bare) =
                phase(volunteers, spec(Target::Bare, Duration::ZERO), "bare handler", opts.compare, &shared)
                    .await;
            volunteers = v;
            report.bare_saturated = Some(bare);
        }
    }
    let since = Utc::now();
    if !opts.compare.is_zero() {
        let (v, app) =
            phase(volunteers, spec(Target::App, Duration::ZERO), "app", opts.compare, &shared).await;
        volunteers = v;
        report.app_saturated = Some(app);
        if let Some(ratio) = report.ratio() {
            println!("  app ÷ bare handler:    {ratio:.2}");
        }
    }
    println!(
        "Polling day: {} volunteers, batches of {}, think time {:?}, {:?}:",
        volunteers.len(),
        opts.batch,
        opts.think,
        opts.duration
    );
    let (_, main) = phase(volunteers, spec(Target::App, opts.think), "app", opts.duration, &shared).await;
    report.main = main;

    let acked: Vec<(i64, String)> = shared.acked.lock().map(|a| a.clone()).unwrap_or_default();
    let stored = fixture::stored_ids(store, &tag, since).await?;
    let stored: Vec<(i64, String, _)> = stored.into_iter().map(|s| (s.seat_id, s.id, s.content)).collect();
    report.per_seat = SeatCheck::per_seat(&acked, &stored);
    report.acknowledged = report.per_seat.iter().map(|c| c.acknowledged).sum();
    report.duplicated = report.per_seat.iter().map(|c| c.duplicated).sum();
    report.missing = report.per_seat.iter().map(|c| c.missing).sum();
    report.unacknowledged = report.per_seat.iter().map(|c| c.unacknowledged).sum();
    println!(
        "Check: {} conversations acknowledged; {} stored; {} missing; {} stored twice; {} stored but unacknowledged.",
        report.acknowledged,
        stored.len(),
        report.missing,
        report.duplicated,
        report.unacknowledged
    );
    SeatCheck::print_all(&report.per_seat);
    Ok(report)
}
