//! Taking a walk list back: an organiser unassigns it (its volunteers lose it at once)
//! or closes it (nobody records on it any more; its conversations stay). Both are in the
//! audit log.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListChange {
    Unassign,
    Close,
}

#[server(prefix = "/api", endpoint = "turf/unassign")]
pub async fn unassign_walk_list(walk_list_id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::unassign(&state.store, &user, walk_list_id).await
}

#[server(prefix = "/api", endpoint = "turf/close")]
pub async fn close_walk_list(walk_list_id: i64) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::close(&state.store, &user, walk_list_id).await
}

async fn change(id: i64, change: ListChange) -> Result<ListChange, AppError> {
    match change {
        ListChange::Unassign => unassign_walk_list(id).await?,
        ListChange::Close => close_walk_list(id).await?,
    }
    Ok(change)
}

/// The action the turf page dispatches for both buttons, so one message shows.
pub type ListChangeAction = Action<(i64, ListChange), Result<ListChange, AppError>>;

pub fn list_change_action() -> ListChangeAction {
    Action::new(|(id, what): &(i64, ListChange)| change(*id, *what))
}

/// What the last change did, for the lists card.
#[component]
pub fn ListChangeMessage(action: ListChangeAction) -> impl IntoView {
    move || {
        action.value().get().map(|r| match r {
            Ok(ListChange::Unassign) => {
                view! { <p class="card success" role="status">"The list is unassigned: its volunteers no longer see it."</p> }.into_any()
            }
            Ok(ListChange::Close) => {
                view! { <p class="card success" role="status">"The list is closed: nobody can record on it now."</p> }.into_any()
            }
            Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
        })
    }
}

/// The two buttons on a list's row: "Unassign" while someone has it, "Close" while open.
#[component]
pub fn ListChangeButtons(id: i64, assigned: bool, closed: bool, action: ListChangeAction) -> impl IntoView {
    view! {
        {assigned.then(|| view! {
            <button type="button" class="button secondary small" data-unassign=id
                on:click=move |_| { action.dispatch((id, ListChange::Unassign)); }>"Unassign"</button>
        })}
        {(!closed).then(|| view! {
            <button type="button" class="button secondary small" data-close=id
                on:click=move |_| { action.dispatch((id, ListChange::Close)); }>"Close the list"</button>
        })}
    }
}

#[cfg(feature = "ssr")]
pub mod queries {
    use crate::auth::CurrentUser;
    use crate::error::{AppError, AppResult};
    use crate::on_store;
    use crate::store::Store;

    /// Takes the list off every volunteer it was given to (organisers of its seat, admins).
    pub async fn unassign(store: &Store, user: &CurrentUser, walk_list_id: i64) -> AppResult<()> {
        super::super::queries::planner_list(store, user, walk_list_id).await?;
        let names: Vec<(String,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT v.first_name || ' ' || v.surname FROM walk_list_assignments a
               JOIN volunteers v ON v.id = a.volunteer_id WHERE a.walk_list_id = $1 ORDER BY v.surname, v.first_name")
            .bind(walk_list_id).fetch_all(pool).await)?;
        if names.is_empty() {
            return Err(AppError::BadInput("That walk list is not assigned to anyone.".into()));
        }
        on_store!(store, pool => sqlx::query("DELETE FROM walk_list_assignments WHERE walk_list_id = $1")
            .bind(walk_list_id).execute(pool).await.map(|_| ()))?;
        let who: Vec<String> = names.into_iter().map(|(n,)| n).collect();
        let reason = format!("unassigned from {}", who.join(", "));
        crate::audit::record(store, Some(user.id), "change", "walk_list", &walk_list_id.to_string(), &reason)
            .await
    }

    /// Closes the list: nobody may record on it or open its doors from the doorstep app.
    pub async fn close(store: &Store, user: &CurrentUser, walk_list_id: i64) -> AppResult<()> {
        super::super::queries::planner_list(store, user, walk_list_id).await?;
        let changed = on_store!(store, pool => sqlx::query(
            "UPDATE walk_lists SET status = 'closed' WHERE id = $1 AND status <> 'closed'")
            .bind(walk_list_id).execute(pool).await.map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(AppError::BadInput("That walk list is already closed.".into()));
        }
        crate::audit::record(store, Some(user.id), "change", "walk_list", &walk_list_id.to_string(), "closed")
            .await
    }
}
