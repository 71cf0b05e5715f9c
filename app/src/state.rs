//! The one application state, built once in `main` and handed to every request.

use crate::error::{AppError, AppResult};
use crate::store::Store;
use leptos::prelude::*;

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Mark cookies `Secure`: on whenever the app is served over HTTPS.
    pub secure_cookies: bool,
    /// A bearer token that lets a scraper read `/metrics` from another machine; without
    /// one, only this machine may read it.
    pub metrics_token: Option<String>,
    /// The address people reach the app at, without a trailing slash (the walk sheet's
    /// QR code): from configuration, never from a request's Host header.
    pub public_url: String,
    /// The erasure journal file every erasure is also written to (see
    /// [`crate::elector::journal`]).
    pub erasure_journal: Option<std::path::PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for sign-in throttling
    /// by address); from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub settings: Settings,
    pub leptos_options: LeptosOptions,
    pub knock_up: crate::polling_day::queries::KnockUpMemo,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or a server-side render.
pub fn app_state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
