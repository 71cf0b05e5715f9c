//! The Groundwork server: configuration, the HTTP router and the command-line tasks.
//! `main.rs` only parses the command line and calls in here; tests call the same
//! functions on a port of their own.

pub mod backup;
pub mod commands;
pub mod config;
pub mod demo;
pub mod erasures;
pub mod gb_data;
mod http;
pub mod jobs;
pub mod metrics;
mod offline;
pub mod site_check;

pub use http::{inventory, router, run};

use app::state::{AppState, Settings};
use app::store::{Store, StoreError};
use config::Config;
use leptos::prelude::LeptosOptions;

/// The name of the site's files (`pkg/groundwork.js`, …), as `Cargo.toml` gives cargo-leptos.
pub const OUTPUT_NAME: &str = "groundwork";

/// Opens and migrates the database and assembles the state every request shares.
pub async fn build_state(config: &Config) -> Result<AppState, StoreError> {
    let store = Store::connect(&config.database_url).await?;
    store.migrate().await?;
    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .build();
    Ok(AppState {
        store,
        settings: Settings {
            secure_cookies: config.secure_cookies,
            metrics_token: config.metrics_token.clone(),
            public_url: config.public_origin(),
            erasure_journal: config.erasure_journal_file(),
            trusted_proxies: config.trusted_proxies.clone(),
        },
        leptos_options,
        knock_up: Default::default(),
    })
}

/// What `groundwork serve` says on a database with no accounts (and no demo asked for):
/// how to make the first admin. `None` once anyone has an account.
pub async fn first_start_notice(store: &Store) -> Result<Option<String>, String> {
    let (users,): (i64,) =
        app::on_store!(store, pool => sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(pool).await)
            .map_err(|e| e.to_string())?;
    Ok((users == 0).then(|| {
        "This database has no accounts yet, and no demo was asked for (set GROUNDWORK_DEMO=true for one).\n\
         Invite the first admin, then open the link it prints to choose a password:\n  \
         groundwork user invite you@example.org --name \"Your Name\" --role admin"
            .to_string()
    }))
}
