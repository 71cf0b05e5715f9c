//! `GET /seats/GSS/map.json`: the seat map's data (boundaries, and every door as a
//! point with its status, no names). A door's status says how its people said they
//! would vote, so the map is for the seat's organisers and admins, and each load is
//! written to the audit log.

use crate::auth::session;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn map_json(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
) -> Response {
    match build(&state, &gss, &headers).await {
        Ok(value) => {
            let mut response = Json(value).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            response
        }
        Err(e) => e.into_response(),
    }
}

async fn build(state: &AppState, gss: &str, headers: &HeaderMap) -> Result<serde_json::Value, AppError> {
    let store = &state.store;
    let user = session::user_from_headers(store, headers).await?;
    let seat = crate::turf::queries::planner_seat(store, &user, gss).await?;
    let data = crate::turf::queries::map_data(store, &seat).await?;
    crate::audit::record(store, Some(user.id), "view", "seat", gss, "turf map: door statuses").await?;
    Ok(data)
}
