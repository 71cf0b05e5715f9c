//! The register page's upload: a plain multipart POST (so it works without JavaScript).
//! The file is held in the database and checked in the background, writing its progress
//! beside it, so the page (on whichever app server answers) can show how far it has got;
//! a file in a layout we do not know waits for the organiser's column mapping.

use crate::auth::session;
use crate::error::AppError;
use crate::on_store;
use crate::register::decode;
use crate::register::import::{import, ImportError, ImportOptions, Progress};
use crate::register::layout::Edition;
use crate::register::mapping::{resolve_mapping, MappingSpec};
use crate::register::server_fns::{access, MAPPABLE_FIELDS};
use crate::state::AppState;
use crate::store::Store;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Large enough for a big seat's full register (75,000 electors is about 10 MB).
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;

/// How often a running check writes its progress.
const TICK: Duration = Duration::from_millis(500);

fn refusal(gss: &str, back: &str, e: AppError) -> Response {
    // A refusal may come before the body is read, so the connection cannot be reused.
    let close = [(header::CONNECTION, "close")];
    match e {
        AppError::NotSignedIn => (close, Redirect::to("/login")).into_response(),
        AppError::Forbidden => {
            (StatusCode::FORBIDDEN, close, "You do not have access to this seat's register.").into_response()
        }
        AppError::NotFound(what) => {
            (StatusCode::NOT_FOUND, close, format!("{what} was not found.")).into_response()
        }
        e => {
            let query = serde_urlencoded::to_string([("error", e.to_string())]).unwrap_or_default();
            Redirect::to(&format!("/seats/{gss}/register{back}?{query}")).into_response()
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    match receive(&state, &gss, &headers, multipart).await {
        Ok(id) => Redirect::to(&format!("/seats/{gss}/register/{id}")).into_response(),
        Err(e) => refusal(&gss, "", e),
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
            file = Some((name, bytes));
        }
    }
    let (file_name, content) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::BadInput("Choose a register file to upload.".into()))?;
    // The header is read now (it is cheap), so an unreadable file is sent straight back
    // and an unknown layout goes straight to the mapping form.
    let opened = decode::open(std::io::Cursor::new(&content))
        .map_err(|e| AppError::BadInput(format!("{file_name}: {e}")))?;
    let status = match resolve_mapping(store, &opened.headers, None).await {
        Ok(_) => "checking",
        Err(ImportError::UnknownLayout(_)) => "needs_mapping",
        Err(ImportError::Database(e)) => return Err(AppError::from(e)),
        Err(e) => return Err(AppError::BadInput(format!("{file_name}: {e}"))),
    };
    drop(opened);
    let id = uuid::Uuid::new_v4().to_string();
    let total = estimated_rows(&content);
    let now = Utc::now();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO register_uploads (id, seat_id, user_id, file_name, content, preview, created_at, status,
                                       rows_total, updated_at)
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $6)")
        .bind(&id).bind(seat_id).bind(user.id).bind(&file_name).bind(content.as_ref()).bind(now).bind(status)
        .bind(total).execute(pool).await.map(|_| ()))?;
    if status == "checking" {
        spawn_check(store.clone(), id.clone(), gss.to_string(), user.id, file_name, content.to_vec(), None);
    }
    Ok(id)
}

/// Rows in a file, guessed from its line ends (a quoted field may hold more).
fn estimated_rows(content: &[u8]) -> i64 {
    let lf = bytecount(content, b'\n');
    let ends = if lf == 0 { bytecount(content, b'\r') } else { lf };
    let unterminated = i64::from(!matches!(content.last(), Some(b'\n' | b'\r' | 0)));
    (ends + unterminated - 1).max(0)
}

fn bytecount(bytes: &[u8], b: u8) -> i64 {
    bytes.iter().filter(|&&x| x == b).count() as i64
}

/// Checks a held file in the background, writing rows done as it goes and the preview
/// (or the reason it failed) at the end.
fn spawn_check(
    store: Store,
    id: String,
    gss: String,
    user_id: i64,
    file_name: String,
    content: Vec<u8>,
    mapping: Option<MappingSpec>,
) {
    tokio::spawn(async move {
        let done = Arc::new(AtomicU64::new(0));
        let ticker = tokio::spawn(report_progress(store.clone(), id.clone(), done.clone()));
        let opts = ImportOptions {
            seat: &gss,
            file_name: &file_name,
            mapping,
            valid_only: false,
            commit: false,
            user_id: Some(user_id),
            confirm_left: None,
        };
        let counter = done.clone();
        let result = import(&store, std::io::Cursor::new(content), opts, move |p| {
            if let Progress::Read(n) = p {
                counter.store(n, Ordering::Relaxed);
            }
        })
        .await;
        ticker.abort();
        let (status, preview, error) = match result {
            Ok(report) => ("ready", serde_json::to_string(&report).unwrap_or_default(), None),
            Err(ImportError::UnknownLayout(_)) => ("needs_mapping", String::new(), None),
            Err(e) => {
                tracing::warn!(error = %e, "register upload check failed");
                // The page shows this: a database's own text stays in the log.
                ("failed", String::new(), Some(format!("{file_name}: {}", AppError::from(e))))
            }
        };
        let rows = done.load(Ordering::Relaxed) as i64;
        let written = on_store!(&store, pool => sqlx::query(
            "UPDATE register_uploads SET status = $1, preview = $2, error = $3, rows_done = $4, updated_at = $5
              WHERE id = $6")
            .bind(status).bind(preview).bind(error).bind(rows).bind(Utc::now()).bind(&id)
            .execute(pool).await.map(|_| ()));
        if let Err(e) = written {
            tracing::error!(error = %e, "could not record a register upload's check");
        }
    });
}

async fn report_progress(store: Store, id: String, done: Arc<AtomicU64>) {
    loop {
        tokio::time::sleep(TICK).await;
        let rows = done.load(Ordering::Relaxed) as i64;
        let _ = on_store!(&store, pool => sqlx::query(
            "UPDATE register_uploads SET rows_done = $1, updated_at = $2 WHERE id = $3 AND status = 'checking'")
            .bind(rows).bind(Utc::now()).bind(&id).execute(pool).await.map(|_| ()));
    }
}

/// The mapping form's answer: which column holds each field. The mapping is remembered
/// for the header, and the file is checked again with it.
pub async fn map_columns(
    State(state): State<AppState>,
    Path((gss, id)): Path<(String, String)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match apply_mapping(&state, &gss, &id, &headers, &fields).await {
        Ok(()) => Redirect::to(&format!("/seats/{gss}/register/{id}")).into_response(),
        Err(e) => refusal(&gss, &format!("/{id}"), e),
    }
}

async fn apply_mapping(
    state: &AppState,
    gss: &str,
    id: &str,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> Result<(), AppError> {
    let store = &state.store;
    let user = session::user_from_headers(store, headers).await?;
    let (seat_id, _) = access::register_seat(store, &user, gss).await?;
    let (file_name, content, _) = access::load_upload(store, seat_id, id).await?;
    let edition = match fields.iter().find(|(k, _)| k == "edition").map(|(_, v)| v.as_str()) {
        Some("update") => Edition::Update,
        _ => Edition::Full,
    };
    let text = fields
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && MAPPABLE_FIELDS.iter().any(|(f, _)| f == k))
        .map(|(k, v)| format!("{k}={}", v.replace(';', " ")))
        .collect::<Vec<_>>()
        .join("; ");
    let spec = MappingSpec::parse(&text, edition).map_err(AppError::BadInput)?;
    // Checked against the file's header now, so a mapping that cannot work is refused
    // on the form rather than after a background check.
    let opened = decode::open(std::io::Cursor::new(&content)).map_err(AppError::BadInput)?;
    crate::register::layout::from_names(&opened.headers, &spec.names, edition)
        .map_err(|e| AppError::BadInput(format!("That mapping will not work: {e}.")))?;
    drop(opened);
    let total = estimated_rows(&content);
    on_store!(store, pool => sqlx::query(
        "UPDATE register_uploads SET status = 'checking', rows_done = 0, rows_total = $1, error = NULL, updated_at = $2
          WHERE id = $3 AND seat_id = $4")
        .bind(total).bind(Utc::now()).bind(id).bind(seat_id).execute(pool).await.map(|_| ()))?;
    spawn_check(store.clone(), id.to_string(), gss.to_string(), user.id, file_name, content, Some(spec));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::estimated_rows;

    #[test]
    fn rows_are_estimated_from_line_ends_of_any_kind() {
        assert_eq!(estimated_rows(b"A,B\r\n1,2\r\n3,4\r\n"), 2);
        assert_eq!(estimated_rows(b"A,B\r1,2\r3,4"), 2);
        assert_eq!(estimated_rows(b"A,B\n1,2\n3,4"), 2);
        assert_eq!(estimated_rows(b"A,B"), 0);
    }
}
