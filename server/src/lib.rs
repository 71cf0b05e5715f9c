//! The Groundwork server: configuration, the HTTP router and the command-line tasks.
//! `main.rs` only parses the command line and calls in here; tests call the same
//! functions on a port of their own.

pub mod backup;
pub mod bench;
pub mod commands;
pub mod config;
pub mod demo;
mod export;
pub mod gb_data;
mod http;
pub mod jobs;
pub mod load;
pub mod metrics;
mod offline;
mod register_upload;
pub mod site_check;
mod turf_map;

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
        },
        leptos_options,
    })
}
