//! On a volunteer's home page: where they tell and knock up on polling day, if anywhere.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyPlace {
    pub gss_code: String,
    pub seat_name: String,
    pub station: Option<String>,
    pub room: Option<String>,
}

/// The caller's own polling-day places (their own rows only, so any signed-in user may ask).
#[server(prefix = "/api", endpoint = "my_polling_day")]
pub async fn my_polling_day_places() -> Result<Vec<MyPlace>, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    Ok(crate::on_store!(&state.store, pool => sqlx::query_as(
        "SELECT s.gss_code, s.name AS seat_name, st.name AS station, r.name AS room
           FROM polling_day_helpers h JOIN seats s ON s.id = h.seat_id
           LEFT JOIN polling_stations st ON st.id = h.station_id LEFT JOIN committee_rooms r ON r.id = h.committee_room_id
          WHERE h.user_id = $1 ORDER BY s.name")
        .bind(user.id).fetch_all(pool).await)?)
}

#[component]
pub fn MyPollingDay() -> impl IntoView {
    let places = Resource::new(|| (), |_| my_polling_day_places());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                places.await.ok().filter(|p| !p.is_empty()).map(|places| view! {
                    <section class="card polling-day-places" aria-labelledby="pd-h">
                        <h2 id="pd-h">"Polling day"</h2>
                        <ul>
                            {places.into_iter().map(|p| view! {
                                <li>
                                    {p.station.clone().map(|s| view! {
                                        <a class="button primary" rel="external" href=format!("/poll/{}/telling", p.gss_code)>"Telling at " {s}</a>
                                    })}
                                    " "
                                    {p.room.clone().map(|r| view! {
                                        <a class="button" rel="external" href=format!("/poll/{}/knock-up", p.gss_code)>"Knock-up for " {r}</a>
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}
