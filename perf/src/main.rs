//! `groundwork-perf`: the benchmarks and the load tool. Run a release build
//! (`cargo build --release -p groundwork -p groundwork-perf`): `bench` warns on a debug one.

use clap::{Parser, Subcommand};
use groundwork::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "groundwork-perf", version, about = "Groundwork's benchmarks and load tool")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Measure the speed targets and print the figures (run with --release).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Simulate many volunteers recording doors at once over real HTTP; print
    /// throughput and latency, and check every acknowledged conversation was stored once.
    Load {
        /// An app server to load (repeat for several); without one, start our own.
        #[arg(long = "url")]
        urls: Vec<String>,
        /// How many app server processes to start (without --url).
        #[arg(long, default_value_t = 1)]
        servers: usize,
        /// The database for our own servers; a temporary SQLite file with the demo seat otherwise.
        /// With --url, the servers' database is read from DATABASE_URL.
        #[arg(long)]
        database: Option<String>,
        /// Electors in the demo seat loaded into an empty database, or in each synthetic seat
        /// (with --seats or --polling-day).
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        /// Spread the volunteers over this many synthetic seats of their own (each a whole
        /// register with its wards, districts, streets and promises); 0: all on the first seat.
        #[arg(long, default_value_t = 0)]
        seats: usize,
        /// Polling day instead of the doorstep: half the volunteers tell at the stations,
        /// half reload their knock-up round (on --seats synthetic seats, at least one).
        #[arg(long)]
        polling_day: bool,
        /// A knocker-up's pause between loads of the round (±50%), with --polling-day.
        #[arg(long, default_value = "2s", value_parser = perf::load::command::parse_duration)]
        reload: std::time::Duration,
        #[arg(long, default_value_t = 500)]
        volunteers: usize,
        /// Entries per request (the phone's outbox batch).
        #[arg(long, default_value_t = 20)]
        batch: usize,
        /// Each volunteer's pause between batches (±50%).
        #[arg(long, default_value = "2s", value_parser = perf::load::command::parse_duration)]
        think: std::time::Duration,
        #[arg(long, default_value = "30s", value_parser = perf::load::command::parse_duration)]
        duration: std::time::Duration,
        /// Length of the saturation runs of the app and of a bare insert handler, for their
        /// ratio (0 skips them).
        #[arg(long, default_value = "10s", value_parser = perf::load::command::parse_duration)]
        compare: std::time::Duration,
        /// Doors on each volunteer's walk list.
        #[arg(long, default_value_t = 35)]
        doors: usize,
    },
    /// The load command's yardstick: a bare handler inserting conversation rows with no app logic.
    #[command(hide = true)]
    BareServe,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// A 75,000-elector register into SQLite, against a bare bulk insert; then a 5% update.
    Import {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
    },
    /// The seat dashboard's data for one seat of 75,000 electors and 250,000 conversations.
    Dashboard {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
        #[arg(long, default_value_t = 250_000)]
        conversations: usize,
        #[arg(long, default_value_t = 15)]
        runs: usize,
        /// Keep the bench database at this path (and reuse it if it exists) instead of a temporary file.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// A phone's batch of 100 queued doorstep entries, at the same seat scale.
    Doorstep {
        #[arg(long, default_value_t = 75_000)]
        electors: usize,
        #[arg(long, default_value_t = 250_000)]
        conversations: usize,
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Keep the bench database at this path (and reuse it if it exists) instead of a temporary file.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Every GB seat with synthetic electors and conversations on PostgreSQL (generated into an
    /// empty database, reused otherwise): a region's league table and a seat dashboard.
    National {
        /// A PostgreSQL (or SQLite) database URL; generation needs an empty database.
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        /// 1 is the whole country: 46 million electors and 10 million conversations.
        #[arg(long, default_value_t = 0.01)]
        scale: f64,
        #[arg(long, default_value_t = 9)]
        runs: usize,
    },
    /// The gzip-compressed bytes of a first visit to a walk list (build the site with --release first).
    PageWeight {
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
    },
    /// Cutting a whole seat of synthetic households into walk lists with routes.
    Turf {
        #[arg(long, default_value_t = 35_000)]
        households: usize,
        /// Doors per list.
        #[arg(long, default_value_t = 35)]
        size: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "groundwork=info,app=info,perf=info,warn".into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("groundwork-perf: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match &cli.command {
        Command::Bench { what: BenchCommand::Import { electors } } => perf::bench::import(*electors).await,
        Command::Bench { what: BenchCommand::Dashboard { electors, conversations, runs, db } } => {
            perf::bench::warn_if_debug();
            let opts = perf::bench::BenchOptions {
                electors: *electors,
                conversations: *conversations,
                runs: *runs,
                db: db.clone(),
            };
            perf::bench::dashboard::run_and_print(&opts).await
        }
        Command::Bench { what: BenchCommand::Doorstep { electors, conversations, runs, db } } => {
            perf::bench::warn_if_debug();
            let opts = perf::bench::BenchOptions {
                electors: *electors,
                conversations: *conversations,
                runs: *runs,
                db: db.clone(),
            };
            perf::bench::doorstep::run_and_print(&opts).await
        }
        Command::Bench { what: BenchCommand::National { database_url, scale, runs } } => {
            perf::bench::warn_if_debug();
            perf::bench::national::run_and_print(database_url, *scale, *runs).await
        }
        Command::Bench { what: BenchCommand::PageWeight { site_root } } => {
            perf::bench::page_weight::run_and_print(site_root).await
        }
        Command::Load {
            urls,
            servers,
            database,
            electors,
            seats,
            polling_day,
            reload,
            volunteers,
            batch,
            think,
            duration,
            compare,
            doors,
        } => {
            let configured_database = if urls.is_empty() {
                String::new()
            } else {
                Config::load().map_err(|e| e.to_string())?.database_url
            };
            let options = perf::load::LoadOptions {
                servers: Vec::new(),
                bare: None,
                volunteers: *volunteers,
                batch: *batch,
                think: *think,
                duration: *duration,
                compare: *compare,
                doors: *doors,
                grace: std::time::Duration::from_secs(60),
                seats: *seats,
                electors: *electors,
            };
            perf::load::command::run(perf::load::command::Command {
                urls: urls.clone(),
                servers: *servers,
                database: database.clone(),
                configured_database,
                electors: *electors,
                options,
                polling_day: polling_day.then_some(*reload),
            })
            .await
        }
        Command::BareServe => {
            let config = Config::load().map_err(|e| e.to_string())?;
            let store = app::store::Store::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            let listener = tokio::net::TcpListener::bind(&config.addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
            perf::load::bare::serve(listener, store).await.map_err(|e| e.to_string())
        }
        Command::Bench { what: BenchCommand::Turf { households, size, runs } } => {
            perf::bench::warn_if_debug();
            perf::bench::turf::run(*households, *size, *runs)
        }
    }
}
