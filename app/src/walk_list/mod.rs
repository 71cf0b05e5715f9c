//! Walk lists: the doors a volunteer knocks, in order.

#[cfg(feature = "ssr")]
pub mod queries;

use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyWalkList {
    pub id: i64,
    pub name: String,
    pub seat_name: String,
    pub session_title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub meeting_point: Option<String>,
    pub doors: i64,
}

/// The active walk lists assigned to the signed-in volunteer.
#[server(prefix = "/api", endpoint = "my_walk_lists")]
pub async fn my_walk_lists() -> Result<Vec<MyWalkList>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::assigned_to(&state.store, user.id).await
}

#[component]
pub fn AssignedWalkLists() -> impl IntoView {
    let lists = Resource::new(|| (), |_| my_walk_lists());
    view! {
        <h2>"Your walk lists"</h2>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(lists) if lists.is_empty() => view! {
                        <p class="card">"No walk lists are assigned to you yet. Your organiser will add you to a canvass session."</p>
                    }.into_any(),
                    Ok(lists) => view! {
                        <ul class="cards">
                            {lists.into_iter().map(|l| view! {
                                <li class="card walk-list">
                                    <h3><a rel="external" href=format!("/walk/{}", l.id)>{l.name}</a></h3>
                                    <p class="muted">{l.seat_name}</p>
                                    <p>{l.doors} " doors"</p>
                                    {l.session_title.map(|t| view! {
                                        <p>
                                            {t} " · "
                                            {l.starts_at.map(|s| s.format("%a %-d %b, %H:%M").to_string()).unwrap_or_default()}
                                            " · meet at " {l.meeting_point.unwrap_or_default()}
                                        </p>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
