//! The register page's upload: a plain multipart POST (so it works without JavaScript),
//! checked at once and held for the organiser's decision on the preview page.

use app::auth::session;
use app::error::AppError;
use app::on_store;
use app::register::import::{import, ImportOptions};
use app::register::web::access;
use app::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

/// Large enough for a big seat's full register (75,000 electors is about 10 MB).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let back = |message: &str| {
        let query = serde_urlencoded::to_string([("error", message)]).unwrap_or_default();
        Redirect::to(&format!("/seats/{gss}/register?{query}")).into_response()
    };
    // A refusal comes before the body is read, so the connection cannot be reused.
    let close = [(header::CONNECTION, "close")];
    match receive(&state, &gss, &headers, multipart).await {
        Ok(id) => Redirect::to(&format!("/seats/{gss}/register/{id}")).into_response(),
        Err(AppError::NotSignedIn) => (close, Redirect::to("/login")).into_response(),
        Err(AppError::Forbidden) => {
            (StatusCode::FORBIDDEN, close, "You do not have access to this seat's register.").into_response()
        }
        Err(AppError::NotFound(what)) => {
            (StatusCode::NOT_FOUND, close, format!("{what} was not found.")).into_response()
        }
        Err(e) => back(&e.to_string()),
    }
}

async fn receive(
    state: &AppState,
    gss: &str,
    headers: &HeaderMap,
    mut multipart: Multipart,
) -> Result<String, AppError> {
    let store = &state.store;
    let user = session::user_from_headers(store, headers).await?;
    let (seat_id, _) = access::register_seat(store, &user, gss).await?;
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadInput(format!("The upload was interrupted: {e}")))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("register.csv").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| AppError::BadInput(format!("The upload was interrupted: {e}")))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (file_name, content) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::BadInput("Choose a register file to upload.".into()))?;
    let opts = ImportOptions {
        seat: gss,
        file_name: &file_name,
        mapping: None,
        valid_only: false,
        commit: false,
        user_id: Some(user.id),
    };
    let report = import(store, std::io::Cursor::new(&content), opts, |_| {})
        .await
        .map_err(|e| AppError::BadInput(format!("{file_name}: {e}")))?;
    let preview = serde_json::to_string(&report).map_err(|_| AppError::Internal)?;
    let id = uuid::Uuid::new_v4().to_string();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO register_uploads (id, seat_id, user_id, file_name, content, preview, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&id).bind(seat_id).bind(user.id).bind(&file_name).bind(&content).bind(&preview).bind(Utc::now())
        .execute(pool).await.map(|_| ()))?;
    Ok(id)
}
