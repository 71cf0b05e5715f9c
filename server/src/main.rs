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
