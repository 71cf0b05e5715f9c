//! `groundwork`: the campaign CRM's server and its command-line tasks.

use app::register::import::MappingSpec;
use app::register::{Edition, Outcome};
use clap::{Parser, Subcommand};
use groundwork::commands;
use groundwork::config::Config;
use groundwork::demo::{self, DemoOptions, DemoReport};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "groundwork", version, about = "Groundwork: a campaign CRM for community organising")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Load, or reload, the Bury North demo seat with synthetic electors.
    Demo {
        /// How many synthetic electors to make.
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        /// Seed for the generator: the same seed gives the same people.
        #[arg(long, default_value_t = 2015)]
        seed: u64,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Import data files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a synthetic register (made-up people on the demo seat's real streets) in a
    /// council layout, to try the import with.
    SampleRegister {
        /// Where to write the file.
        out: PathBuf,
        /// Layout: xpress, xpress-name, xpress-update, eros, eros-update, pp50, groundwork.
        #[arg(long, default_value = "xpress")]
        layout: String,
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        #[arg(long, default_value_t = 2015)]
        seed: u64,
        /// utf8, utf8-bom, utf16le, utf16be or windows-1252.
        #[arg(long, default_value = "utf8")]
        encoding: String,
        /// Separate columns with tabs instead of commas.
        #[arg(long)]
        tab: bool,
    },
    /// Apply the retention policy now: purge voting intentions, firmness and notes from
    /// before the election once the retention period after it has passed. The server
    /// also does this by itself every few hours.
    Retention {
        /// Only say what would be purged.
        #[arg(long)]
        dry_run: bool,
        /// Act as if today were this date (YYYY-MM-DD), e.g. to see what a dry run will find later.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
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
        /// Electors in the demo seat loaded into an empty database.
        #[arg(long, default_value_t = 67_000)]
        electors: usize,
        #[arg(long, default_value_t = 500)]
        volunteers: usize,
        /// Entries per request (the phone's outbox batch).
        #[arg(long, default_value_t = 20)]
        batch: usize,
        /// Each volunteer's pause between batches (±50%).
        #[arg(long, default_value = "2s", value_parser = groundwork::load::command::parse_duration)]
        think: std::time::Duration,
        #[arg(long, default_value = "30s", value_parser = groundwork::load::command::parse_duration)]
        duration: std::time::Duration,
        /// Length of the saturation runs of the app and of a bare insert handler, for their
        /// ratio (0 skips them).
        #[arg(long, default_value = "10s", value_parser = groundwork::load::command::parse_duration)]
        compare: std::time::Duration,
        /// Doors on each volunteer's walk list.
        #[arg(long, default_value_t = 35)]
        doors: usize,
    },
    /// Write a consistent backup of the live database to FILE (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump's custom format, restore with pg_restore).
    Backup { file: PathBuf },
    /// The load command's yardstick: a bare handler inserting conversation rows with no app logic.
    #[command(hide = true)]
    BareServe,
    /// Target seats from the shipped open data (every GB constituency).
    #[command(subcommand)]
    Seat(SeatCommand),
    /// Accounts: invitations.
    #[command(subcommand)]
    User(UserCommand),
    /// Campaign settings: what volunteers record, the privacy notice, retention, map tiles.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Rebuild server/data/gb (results and simplified boundaries) from the full open data.
    #[command(hide = true)]
    GbData {
        /// The folder holding results/ and boundaries/.
        #[arg(long, default_value = "../shared/data")]
        source: PathBuf,
        /// Where to write results.csv and boundaries.geojson.
        #[arg(long, default_value = "server/data/gb")]
        out: PathBuf,
        /// Simplification tolerance in degrees.
        #[arg(long, default_value_t = groundwork::gb_data::TOLERANCE)]
        tolerance: f64,
    },
}

#[derive(Subcommand)]
enum SeatCommand {
    /// Add a seat as a target with its boundary, region and 2015 and 2019 results
    /// (on a seat already held: move it to --region).
    Add {
        /// The constituency's code, e.g. E14000611.
        gss: String,
        /// The region to put it in (made if new); the results file's region otherwise.
        #[arg(long)]
        region: Option<String>,
    },
    /// List every GB constituency, most winnable first; `*` marks seats in the campaign.
    List {
        /// swing, majority or name.
        #[arg(long, default_value = "swing")]
        sort: String,
        /// Only this region (as the results file names it).
        #[arg(long, default_value = "")]
        region: String,
        /// Only seats this party won in 2019.
        #[arg(long, default_value = "")]
        winner: String,
        /// Only seats whose name contains this.
        #[arg(long, default_value = "")]
        search: String,
        /// All matching seats rather than the first 50.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Invite someone; prints the invitation link's path and its code (shown once).
    Invite {
        email: String,
        /// Their name as others will see it.
        #[arg(long)]
        name: String,
        /// admin, regional, organiser, team_leader or volunteer.
        #[arg(long)]
        role: String,
        /// Their seat, by code (organisers, team leaders, volunteers).
        #[arg(long, conflicts_with = "region")]
        seat: Option<String>,
        /// Their region, by name (regional staff).
        #[arg(long)]
        region: Option<String>,
    },
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// Print every setting as the settings screen shows it.
    Show,
    /// Change one setting, checked as the settings screen checks it (lists: one item per
    /// line, `code = Label`); the change is in the audit log.
    Set {
        /// The setting's key, as `settings show` lists it.
        key: String,
        /// The new value; `-` reads it from standard input.
        value: String,
    },
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

#[derive(Subcommand)]
enum ImportCommand {
    /// An electoral register extract for a seat (full edition or monthly update).
    Register {
        file: PathBuf,
        /// The seat's GSS code, e.g. E14000611.
        #[arg(long)]
        seat: String,
        /// Import the valid rows and list the rejected ones (by default any bad row cancels).
        #[arg(long)]
        valid_only: bool,
        /// Work out and print the changes without writing them.
        #[arg(long)]
        preview: bool,
        /// For a layout Groundwork does not recognise: which column holds each field, e.g.
        /// "elector_number=Ref; surname=Family name; forename=Given name; address1=Line 1; postcode=Post code".
        /// Remembered for the next file with the same header.
        #[arg(long)]
        map: Option<String>,
        /// With --map: the file is a monthly update, not a full register.
        #[arg(long)]
        update: bool,
    },
    /// Postcode centroids (ONSPD or Code-Point style CSV with latitude and longitude).
    Postcodes { file: PathBuf },
    /// House of Commons Library election results: sets that year's result for every seat
    /// in the file that this campaign holds.
    Results {
        file: PathBuf,
        /// The general election the file is for, e.g. 2019.
        #[arg(long)]
        year: i64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "groundwork=info,app=info,warn".into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("groundwork: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    // Commands that need no database.
    match &cli.command {
        Some(Command::SampleRegister { out, layout, electors, seed, encoding, tab }) => {
            return commands::sample_register(*electors, *seed, layout, encoding, *tab, out);
        }
        Some(Command::GbData { source, out, tolerance }) => {
            println!("{}", groundwork::gb_data::build(source, out, *tolerance)?);
            return Ok(());
        }
        Some(Command::Bench { what: BenchCommand::Import { electors } }) => {
            return groundwork::bench::import(*electors).await;
        }
        Some(Command::Bench { what: BenchCommand::Dashboard { electors, conversations, runs, db } }) => {
            groundwork::bench::warn_if_debug();
            let opts = groundwork::bench::BenchOptions {
                electors: *electors,
                conversations: *conversations,
                runs: *runs,
                db: db.clone(),
            };
            return groundwork::bench::dashboard::run_and_print(&opts).await;
        }
        Some(Command::Bench { what: BenchCommand::Doorstep { electors, conversations, runs, db } }) => {
            groundwork::bench::warn_if_debug();
            let opts = groundwork::bench::BenchOptions {
                electors: *electors,
                conversations: *conversations,
                runs: *runs,
                db: db.clone(),
            };
            return groundwork::bench::doorstep::run_and_print(&opts).await;
        }
        Some(Command::Bench { what: BenchCommand::National { database_url, scale, runs } }) => {
            groundwork::bench::warn_if_debug();
            return groundwork::bench::national::run_and_print(database_url, *scale, *runs).await;
        }
        Some(Command::Bench { what: BenchCommand::PageWeight { site_root } }) => {
            return groundwork::bench::page_weight::run_and_print(site_root).await;
        }
        Some(Command::Load {
            urls,
            servers,
            database,
            electors,
            volunteers,
            batch,
            think,
            duration,
            compare,
            doors,
        }) => {
            let configured_database = if urls.is_empty() {
                String::new()
            } else {
                Config::load().map_err(|e| e.to_string())?.database_url
            };
            let options = groundwork::load::LoadOptions {
                servers: Vec::new(),
                bare: None,
                volunteers: *volunteers,
                batch: *batch,
                think: *think,
                duration: *duration,
                compare: *compare,
                doors: *doors,
                grace: std::time::Duration::from_secs(60),
            };
            return groundwork::load::command::run(groundwork::load::command::Command {
                urls: urls.clone(),
                servers: *servers,
                database: database.clone(),
                configured_database,
                electors: *electors,
                options,
            })
            .await;
        }
        Some(Command::BareServe) => {
            let config = Config::load().map_err(|e| e.to_string())?;
            let store = app::store::Store::connect(&config.database_url).await.map_err(|e| e.to_string())?;
            let listener = tokio::net::TcpListener::bind(&config.addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
            return groundwork::load::bare::serve(listener, store).await.map_err(|e| e.to_string());
        }
        Some(Command::Bench { what: BenchCommand::Turf { households, size, runs } }) => {
            groundwork::bench::warn_if_debug();
            return groundwork::bench::turf::run(*households, *size, *runs);
        }
        _ => {}
    }
    let config = Config::load().map_err(|e| e.to_string())?;
    let state = groundwork::build_state(&config).await.map_err(|e| e.to_string())?;
    let demo_password = std::env::var("GROUNDWORK_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("Database is up to date ({}).", state.store.backend());
            Ok(())
        }
        Command::Demo { electors, seed } => {
            let opts = DemoOptions { electors, seed, ..DemoOptions::default() };
            let report =
                demo::load(&state.store, &opts, demo_password.as_deref()).await.map_err(|e| e.to_string())?;
            print_report(&report);
            Ok(())
        }
        Command::Import(ImportCommand::Register { file, seat, valid_only, preview, map, update }) => {
            let edition = if update { Edition::Update } else { Edition::Full };
            let mapping = map.map(|m| MappingSpec::parse(&m, edition)).transpose()?;
            let report =
                commands::import_register(&state.store, &file, &seat, mapping, valid_only, preview).await?;
            if report.outcome == Outcome::Cancelled {
                return Err("import cancelled: nothing was written".into());
            }
            Ok(())
        }
        Command::Import(ImportCommand::Postcodes { file }) => {
            commands::import_postcodes(&state.store, &file).await
        }
        Command::Import(ImportCommand::Results { file, year }) => {
            commands::import_results(&state.store, &file, year).await
        }
        Command::Retention { dry_run, today } => {
            let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let r =
                app::retention::run(&state.store, today, dry_run, None).await.map_err(|e| e.to_string())?;
            match (r.election, r.purge_from) {
                (Some(election), Some(from)) => println!(
                    "Election {election}; entries from before it are purged {} months later, from {from}.",
                    r.months
                ),
                _ => println!("No election date is set, so nothing is due for purging."),
            }
            let verb = if r.purged {
                "Purged"
            } else if r.due {
                "Would purge"
            } else {
                "Not yet due:"
            };
            println!("{verb} {} conversations holding an intention, firmness or notes.", r.conversations);
            Ok(())
        }
        Command::Backup { file } => {
            println!("{}", groundwork::backup::backup(&state.store, &config.database_url, &file).await?);
            Ok(())
        }
        Command::Seat(SeatCommand::Add { gss, region }) => {
            commands::seat_add(&state.store, &gss, region.as_deref()).await
        }
        Command::Seat(SeatCommand::List { sort, region, winner, search, all }) => {
            commands::seat_list(&state.store, &search, &region, &winner, &sort, all).await
        }
        Command::User(UserCommand::Invite { email, name, role, seat, region }) => {
            commands::user_invite(&state.store, &email, &name, &role, seat.as_deref(), region.as_deref())
                .await
        }
        Command::Settings(SettingsCommand::Show) => commands::settings_show(&state.store).await,
        Command::Settings(SettingsCommand::Set { key, value }) => {
            commands::settings_set(&state.store, &key, &value).await
        }
        Command::SampleRegister { .. }
        | Command::Bench { .. }
        | Command::GbData { .. }
        | Command::Load { .. }
        | Command::BareServe => Ok(()),
        Command::Serve => {
            if config.demo_on_empty
                && demo::database_is_empty(&state.store).await.map_err(|e| e.to_string())?
            {
                println!("Empty database: loading the Bury North demo seat…");
                let report = demo::load(&state.store, &DemoOptions::default(), demo_password.as_deref())
                    .await
                    .map_err(|e| e.to_string())?;
                print_report(&report);
            }
            let listener = tokio::net::TcpListener::bind(&config.addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!("Groundwork is running on http://{addr} ({})", state.store.backend());
            groundwork::jobs::spawn(state.store.clone());
            groundwork::run(listener, state).await.map_err(|e| e.to_string())
        }
    }
}

fn print_report(report: &DemoReport) {
    println!(
        "Loaded {}: {} electors in {} households, {} past conversations.",
        report.seat, report.electors, report.households, report.conversations
    );
    println!("Demo accounts (passwords are shown only now; reload with `groundwork demo` for new ones):");
    for account in &report.accounts {
        println!("  {:<10} {:<36} {}", account.role, account.email, account.password);
    }
}
