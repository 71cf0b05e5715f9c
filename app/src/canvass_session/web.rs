//! Calendar downloads: one session, or a seat's upcoming sessions, as `.ics` files.
//! Plain axum routes with the same permission checks as the pages.

use super::{ics, queries};
use crate::auth::session::user_from_headers;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

fn attachment(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

pub async fn one_session(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let result = async {
        let user = user_from_headers(&state.store, &headers).await?;
        let access = queries::access(&state.store, &user, id).await?;
        let name = format!("{} · {}", access.session.title, access.session.seat_name);
        let body = ics::calendar(&name, std::slice::from_ref(&access.session), Utc::now());
        Ok::<_, AppError>(attachment(&format!("session-{id}.ics"), body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

pub async fn seat_sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(gss): Path<String>,
) -> Response {
    let result = async {
        let user = user_from_headers(&state.store, &headers).await?;
        let (seat_name, sessions) = queries::calendar_sessions(&state.store, &user, &gss, Utc::now()).await?;
        let body = ics::calendar(&format!("{seat_name} canvass sessions"), &sessions, Utc::now());
        Ok::<_, AppError>(attachment(&format!("{gss}-sessions.ics"), body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}
