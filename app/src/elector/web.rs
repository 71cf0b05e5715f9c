//! A subject access request's answer as a file: JSON to send to the person, the same
//! content as the readable page. Staff with rights over the elector only; on the audit log.

use crate::auth::session;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// A subject access request's answer, as JSON to send to the person (the same content
/// as the readable page).
pub async fn subject_access(
    State(state): State<AppState>,
    Path(file): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    let (id, name) = file;
    if name != "subject-access.json" {
        return AppError::NotFound("That file".into()).into_response();
    }
    let result = async {
        let store = &state.store;
        let user = session::user_from_headers(store, &headers).await?;
        crate::elector::queries::require_rights_over(store, &user, id).await?;
        let sar = crate::elector::queries::subject_access(store, id).await?;
        crate::audit::record(
            store,
            Some(user.id),
            "export",
            "elector",
            &id.to_string(),
            "subject access (JSON)",
        )
        .await?;
        serde_json::to_string_pretty(&sar).map_err(|_| AppError::Internal)
    }
    .await;
    match result {
        Ok(json) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"elector-{id}-subject-access.json\""),
                ),
                (axum::http::header::CACHE_CONTROL, "no-store".to_string()),
            ],
            json,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
