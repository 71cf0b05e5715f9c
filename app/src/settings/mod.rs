//! Campaign settings: what volunteers record at the door (parties, firmness, results,
//! issues, follow-ups, survey, script), the privacy notice and retention period, and
//! the map tiles. Admins change them on `/settings` or with `groundwork settings set`;
//! every change is in the audit log with its value before and after.

pub mod fields;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;

pub use page::SettingsPage;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingField {
    pub key: String,
    pub group: String,
    pub label: String,
    pub help: String,
    pub multiline: bool,
    pub on_off: bool,
    /// The value as the admin edits it.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub fields: Vec<SettingField>,
}

#[server(prefix = "/api", endpoint = "settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::require_admin(&user)?;
    queries::view(&state.store).await
}

/// Saves one group of settings (`values[key]=text` from the form); answers how many changed.
#[server(prefix = "/api", endpoint = "save_settings")]
pub async fn save_settings(values: HashMap<String, String>) -> Result<usize, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::require_admin(&user)?;
    let changed = queries::save(&state.store, Some(user.id), &values).await?;
    leptos_axum::redirect(&format!("/settings?changed={changed}"));
    Ok(changed)
}
