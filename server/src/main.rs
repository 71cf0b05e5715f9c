//! `groundwork`: the campaign CRM's server and its command-line tasks.

use app::register::mapping::MappingSpec;
use app::register::{Edition, Outcome};
use clap::Parser;
use groundwork::commands;
use groundwork::config::Config;
use groundwork::demo::{self, DemoOptions, DemoReport};
use std::process::ExitCode;

mod cli;

use cli::{Cli, Command, ErasuresCommand, ImportCommand, SeatCommand, SettingsCommand, UserCommand};

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
        _ => {}
    }
    let config = Config::load().map_err(|e| e.to_string())?;
    if matches!(cli.command, None | Some(Command::Serve)) {
        check_site(&config)?;
    }
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
        Command::Import(ImportCommand::Register {
            file,
            seat,
            valid_only,
            preview,
            map,
            update,
            confirm_left,
        }) => {
            let edition = if update { Edition::Update } else { Edition::Full };
            let mapping = map.map(|m| MappingSpec::parse(&m, edition)).transpose()?;
            let options = commands::RegisterImport { mapping, valid_only, preview, confirm_left };
            let report = commands::import_register(&state.store, &file, &seat, options).await?;
            if matches!(report.outcome, Outcome::Cancelled | Outcome::LooksPartial) {
                return Err("import cancelled: nothing was written".into());
            }
            Ok(())
        }
        Command::Import(ImportCommand::PostalVoters { file, seat }) => {
            commands::import_postal_voters(&state.store, &file, &seat).await
        }
        Command::Import(ImportCommand::MarkedRegister { file, seat, election, date }) => {
            commands::import_marked_register(&state.store, &file, &seat, &election, &date).await
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
            println!(
                "{verb} {} conversations and {} entries for review holding an intention, firmness, notes, issues, answers, follow-ups or a position.",
                r.conversations, r.reviews
            );
            let uploads = if dry_run { "Would delete" } else { "Deleted" };
            println!("{uploads} {} uploaded register files past their keeping period.", r.uploads);
            Ok(())
        }
        Command::Backup { file } => {
            println!("{}", groundwork::backup::backup(&state.store, &config.database_url, &file).await?);
            Ok(())
        }
        Command::Erasures(ErasuresCommand::Export { file }) => {
            println!("{}", groundwork::erasures::export(&state.store, &file).await?);
            Ok(())
        }
        Command::Erasures(ErasuresCommand::Reapply { file }) => {
            let file = file.or_else(|| config.erasure_journal_file()).ok_or(
                "name the journal file: no GROUNDWORK_ERASURE_JOURNAL is configured for this database",
            )?;
            println!("{}", groundwork::erasures::reapply(&state.store, &file).await?);
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
        Command::SampleRegister { .. } | Command::GbData { .. } => Ok(()),
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
            groundwork::erasures::reapply_at_start(&state.store, config.erasure_journal_file().as_deref())
                .await?;
            if let Some(notice) = groundwork::first_start_notice(&state.store).await? {
                println!("{notice}");
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

/// Refuses to serve pages whose wasm is not in the site (see `site_check`).
fn check_site(config: &Config) -> Result<(), String> {
    use groundwork::site_check::{check, expected_files, SiteCheck};
    let expected = expected_files(groundwork::OUTPUT_NAME, "pkg");
    if let SiteCheck::Absent(warning) = check(std::path::Path::new(&config.site_root), "pkg", &expected)? {
        eprintln!("{warning}");
    }
    Ok(())
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
