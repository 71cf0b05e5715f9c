//! The new-session form's server function: one argument per form field, as a plain HTML
//! form posts them (hence more arguments than clippy likes).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// The new-session form: one argument per field, as a plain HTML form posts them.
#[server(prefix = "/api", endpoint = "canvass_session_create")]
pub async fn create_session(
    gss: String,
    title: String,
    date: String,
    start: String,
    end: String,
    meeting_point: String,
    lat: Option<String>,
    lon: Option<String>,
    capacity: Option<String>,
    team: Option<String>,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    use super::queries;
    let new =
        queries::NewSession::from_form(title, &date, &start, &end, meeting_point, lat, lon, capacity, team)?;
    let id = queries::create(&state.store, &user, &gss, new, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/sessions/{id}"));
    Ok(())
}
