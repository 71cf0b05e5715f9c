//! The door form's server function: one argument per form field, as a plain HTML form
//! posts them (hence more arguments than clippy likes).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// The door form. Stores the entry (once, however often it is sent) and goes on to the
/// next door not yet knocked.
#[server(prefix = "/api", endpoint = "doorstep/record")]
pub async fn record_door(
    id: String,
    walk_list_id: i64,
    household_id: i64,
    result: String,
    elector_id: Option<String>,
    intention: Option<String>,
    intention_source: Option<String>,
    firmness: Option<String>,
    notes: Option<String>,
) -> Result<(), AppError> {
    use super::{entry_from_form, DoorForm};
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let form = DoorForm {
        id,
        walk_list_id,
        household_id,
        result,
        elector_id,
        intention,
        intention_source,
        firmness,
        notes,
    };
    let entry = entry_from_form(form)?;
    let (list, household) = (entry.walk_list_id, entry.household_id);
    super::with_status(
        super::queries::store_entries(&state.store, &user, vec![entry], chrono::Utc::now()).await,
    )?;
    let doors = super::queries::doors(&state.store, list).await?;
    let here = doors.iter().position(|d| d.household_id == household).unwrap_or(0);
    let next = doors[here..].iter().chain(doors[..here].iter()).find(|d| d.last_result.is_none());
    match next {
        Some(d) => leptos_axum::redirect(&format!("/walk/{list}/door/{}", d.household_id)),
        None => leptos_axum::redirect(&format!("/walk/{list}?done=1")),
    }
    Ok(())
}
