//! `groundwork`: the campaign CRM's server and its command-line tasks.

use clap::{Parser, Subcommand};
use groundwork::config::Config;
use groundwork::demo::{self, DemoOptions, DemoReport};
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
    /// Time a dashboard at seat scale on a temporary SQLite file (run with --release).
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
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
        db: Option<std::path::PathBuf>,
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
    // The bench builds its own database, so it needs neither the configuration nor a server.
    if let Some(Command::Bench { what: BenchCommand::Dashboard { electors, conversations, runs, db } }) =
        &cli.command
    {
        let opts = groundwork::bench::BenchOptions {
            electors: *electors,
            conversations: *conversations,
            runs: *runs,
            db: db.clone(),
        };
        println!("A seat of {electors} electors and {conversations} conversations on SQLite…");
        let r = groundwork::bench::dashboard(&opts).await?;
        println!(
            "Ready in {:.1} s: {} electors, {} conversations.",
            r.build_secs, r.electors, r.conversations
        );
        println!(
            "Seat dashboard data ({runs} runs): median {:.1} ms, max {:.1} ms",
            r.dashboard.median_ms, r.dashboard.max_ms
        );
        println!(
            "SELECT COUNT(*) FROM conversations: median {:.2} ms, max {:.2} ms",
            r.count.median_ms, r.count.max_ms
        );
        let ratio = if r.count.median_ms > 0.0 { r.dashboard.median_ms / r.count.median_ms } else { 0.0 };
        println!("Dashboard ÷ COUNT(*) (medians): {ratio:.1}×");
        return Ok(());
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
        Command::Bench { .. } => Ok(()),
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
