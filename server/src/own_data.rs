//! A volunteer's and an account holder's own subject access: their data as JSON to send
//! them (admins only; each download is on the audit log).

use app::auth::session;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// `GET /volunteers/{id}/data.json`
pub async fn volunteer(
    State(state): State<AppState>,
    Path(file): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    let (id, name) = file;
    let result = async {
        if name != "data.json" {
            return Err(AppError::NotFound("That file".into()));
        }
        let user = session::user_from_headers(&state.store, &headers).await?;
        app::volunteer::rights::require_admin(&user)?;
        let data = app::volunteer::rights::data(&state.store, id).await?;
        app::audit::record(
            &state.store,
            Some(user.id),
            "export",
            "volunteer",
            &id.to_string(),
            "their data (JSON)",
        )
        .await?;
        serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)
    }
    .await;
    attachment(result, &format!("volunteer-{id}-data.json"))
}

/// `GET /people/{id}/data.json`
pub async fn account(
    State(state): State<AppState>,
    Path(file): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    let (id, name) = file;
    let result = async {
        if name != "data.json" {
            return Err(AppError::NotFound("That file".into()));
        }
        let user = session::user_from_headers(&state.store, &headers).await?;
        app::volunteer::rights::require_admin(&user)?;
        let data = app::people::rights::data(&state.store, id).await?;
        app::audit::record(
            &state.store,
            Some(user.id),
            "export",
            "user",
            &id.to_string(),
            "their data (JSON)",
        )
        .await?;
        serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)
    }
    .await;
    attachment(result, &format!("account-{id}-data.json"))
}

fn attachment(result: Result<String, AppError>, file: &str) -> Response {
    match result {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            json,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
