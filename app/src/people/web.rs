//! A volunteer's and an account holder's own subject access: their data as JSON to send
//! them (admins only), and anyone's own account, from their account page. Each download
//! is on the audit log.

use crate::auth::session;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// Whose data a download is: a volunteer record or a user account.
#[derive(Clone, Copy)]
enum Whose {
    Volunteer,
    Account,
}

/// `GET /volunteers/{id}/data.json`
pub async fn volunteer(state: State<AppState>, file: Path<(i64, String)>, headers: HeaderMap) -> Response {
    download(state, file, headers, Whose::Volunteer).await
}

/// `GET /people/{id}/data.json`
pub async fn account(state: State<AppState>, file: Path<(i64, String)>, headers: HeaderMap) -> Response {
    download(state, file, headers, Whose::Account).await
}

/// `GET /account/data.json`: the signed-in account's own data, whatever its role.
pub async fn mine(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        let user = session::user_from_headers(&state.store, &headers).await?;
        let data = crate::people::rights::data(&state.store, user.id).await?;
        let json = serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)?;
        let id = user.id.to_string();
        crate::audit::record(&state.store, Some(user.id), "export", "user", &id, "their own data (JSON)")
            .await?;
        Ok((user.id, json))
    }
    .await;
    match result {
        Ok((id, json)) => attachment(Ok(json), &format!("account-{id}-data.json")),
        Err(e) => attachment(Err(e), ""),
    }
}

/// Both downloads: admins only, each one on the audit log.
async fn download(
    State(state): State<AppState>,
    Path((id, name)): Path<(i64, String)>,
    headers: HeaderMap,
    whose: Whose,
) -> Response {
    let (object_type, file) = match whose {
        Whose::Volunteer => ("volunteer", format!("volunteer-{id}-data.json")),
        Whose::Account => ("user", format!("account-{id}-data.json")),
    };
    let result = async {
        if name != "data.json" {
            return Err(AppError::NotFound("That file".into()));
        }
        let user = session::user_from_headers(&state.store, &headers).await?;
        crate::volunteer::rights::require_admin(&user)?;
        let data = match whose {
            Whose::Volunteer => serde_json::to_value(crate::volunteer::rights::data(&state.store, id).await?),
            Whose::Account => serde_json::to_value(crate::people::rights::data(&state.store, id).await?),
        }
        .map_err(|_| AppError::Internal)?;
        crate::audit::record(
            &state.store,
            Some(user.id),
            "export",
            object_type,
            &id.to_string(),
            "their data (JSON)",
        )
        .await?;
        serde_json::to_string_pretty(&data).map_err(|_| AppError::Internal)
    }
    .await;
    attachment(result, &file)
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
