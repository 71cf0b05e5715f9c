//! The register page's server functions: what has been imported, the preview of an
//! uploaded file, and the organiser's decision on it. (The upload itself is a plain
//! multipart POST handled by the server crate.)

use super::ImportReport;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ImportRecord {
    pub imported_at: DateTime<Utc>,
    pub file_name: String,
    pub layout: String,
    pub added: i64,
    pub changed: i64,
    pub left_count: i64,
    pub renumbered: i64,
    pub rejected: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegisterStatus {
    pub seat_name: String,
    pub electors: i64,
    pub imports: Vec<ImportRecord>,
    /// Doors we could not place on the map, a sample of them.
    pub unplaced: Vec<String>,
    pub unplaced_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UploadPreview {
    pub seat_name: String,
    pub file_name: String,
    pub state: UploadState,
}

/// Where a held upload has got to. The check runs in the background and records its
/// progress in the database, so the page (on any app server) can show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum UploadState {
    /// Still being read: rows done so far, and about how many there are.
    Checking {
        done: i64,
        total: i64,
    },
    /// The check has not been heard from for a while: its server stopped.
    Stalled,
    /// The header is not a layout we know: the organiser says which column is which.
    NeedsMapping {
        columns: Vec<ColumnSample>,
    },
    Failed(String),
    Ready(ImportReport),
}

/// One column of an uploaded file, with what its first row holds, for the mapping form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnSample {
    pub header: String,
    pub example: String,
}

/// The fields an organiser can map a column to (their names as the command line's
/// `--map` spells them), with what each means. At least the elector number (whole, or
/// prefix and number), a surname (or full name) and the first address line are needed.
pub const MAPPABLE_FIELDS: &[(&str, &str)] = &[
    ("elector_number", "Elector number, whole (e.g. AB-123/1)"),
    ("district_prefix", "Polling district prefix (e.g. AB)"),
    ("number", "Elector number without prefix (e.g. 123)"),
    ("suffix", "Elector number suffix (e.g. 1)"),
    ("title", "Title"),
    ("forename", "Forename"),
    ("middle_names", "Middle names"),
    ("surname", "Surname"),
    ("full_name", "Full name in one column"),
    ("markers", "Franchise markers"),
    ("date_of_birth", "Date of birth"),
    ("attainment_date", "Attainment date"),
    ("address1", "Address line 1"),
    ("address2", "Address line 2"),
    ("address3", "Address line 3"),
    ("address4", "Address line 4"),
    ("address5", "Address line 5"),
    ("address6", "Address line 6"),
    ("postcode", "Postcode"),
    ("uprn", "UPRN"),
    ("change_type", "Change type (N, M or D, in update files)"),
];

#[cfg(feature = "ssr")]
pub mod access {
    use crate::auth::{CurrentUser, Role};
    use crate::error::{AppError, AppResult};
    use crate::on_store;
    use crate::store::Store;

    /// The register is bulk personal data: the seat's organisers and admins only.
    pub async fn register_seat(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<(i64, String)> {
        let seat = crate::seat::queries::find(store, gss).await?;
        if !matches!(user.role, Role::Admin | Role::Organiser) {
            return Err(AppError::Forbidden);
        }
        crate::auth::scope::require_seat(store, user, seat.id).await?;
        Ok((seat.id, seat.name))
    }

    pub async fn load_upload(store: &Store, seat_id: i64, id: &str) -> AppResult<(String, Vec<u8>, String)> {
        let row: Option<(String, Vec<u8>, String)> = on_store!(store, pool => sqlx::query_as(
            "SELECT file_name, content, preview FROM register_uploads WHERE id = $1 AND seat_id = $2")
            .bind(id).bind(seat_id).fetch_optional(pool).await)?;
        row.ok_or_else(gone)
    }

    pub fn gone() -> AppError {
        AppError::NotFound("That upload (it may have been imported or cancelled already)".into())
    }

    /// A held upload's progress: (file name, status, rows done, rows total, error,
    /// preview JSON, seconds since the check last reported).
    #[allow(clippy::type_complexity)]
    pub async fn upload_status(
        store: &Store,
        seat_id: i64,
        id: &str,
    ) -> AppResult<(String, String, i64, i64, Option<String>, String, i64)> {
        let row: Option<(
            String,
            String,
            i64,
            i64,
            Option<String>,
            String,
            Option<chrono::DateTime<chrono::Utc>>,
        )> = on_store!(store, pool => sqlx::query_as(
                "SELECT file_name, status, rows_done, rows_total, error, preview, updated_at
                   FROM register_uploads WHERE id = $1 AND seat_id = $2")
                .bind(id).bind(seat_id).fetch_optional(pool).await)?;
        let (file_name, status, done, total, error, preview, updated) = row.ok_or_else(gone)?;
        let quiet = updated.map_or(0, |t| (chrono::Utc::now() - t).num_seconds());
        Ok((file_name, status, done, total, error, preview, quiet))
    }

    /// The header of a held file, and its first row, for the mapping form.
    pub async fn upload_columns(
        store: &Store,
        seat_id: i64,
        id: &str,
    ) -> AppResult<Vec<super::ColumnSample>> {
        let (_, content, _) = load_upload(store, seat_id, id).await?;
        let mut opened =
            crate::register::decode::open(std::io::Cursor::new(content)).map_err(AppError::BadInput)?;
        let mut first = csv::StringRecord::new();
        let _ = opened.records.read_record(&mut first);
        Ok(opened
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| super::ColumnSample {
                header: h.clone(),
                example: first.get(i).unwrap_or("").trim().chars().take(40).collect(),
            })
            .collect())
    }
}

#[server(prefix = "/api", endpoint = "register_status")]
pub async fn get_register_status(gss: String) -> Result<RegisterStatus, AppError> {
    use crate::on_store;
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let (seat_id, seat_name) = access::register_seat(&state.store, &user, &gss).await?;
    let store = &state.store;
    let imports: Vec<ImportRecord> = on_store!(store, pool => sqlx::query_as(
        "SELECT imported_at, file_name, layout, added, changed, left_count, renumbered, rejected
           FROM register_imports WHERE seat_id = $1 ORDER BY imported_at DESC LIMIT 20")
        .bind(seat_id).fetch_all(pool).await)?;
    let (electors, unplaced_count): (i64, i64) = on_store!(store, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM electors WHERE seat_id = $1 AND left_at IS NULL),
                (SELECT COUNT(*) FROM households WHERE seat_id = $1 AND lat IS NULL)")
        .bind(seat_id).fetch_one(pool).await)?;
    let unplaced: Vec<(String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT address1, postcode FROM households WHERE seat_id = $1 AND lat IS NULL ORDER BY postcode, address1 LIMIT 50")
        .bind(seat_id).fetch_all(pool).await)?;
    let unplaced = unplaced
        .into_iter()
        .map(|(a, p)| format!("{a}, {}", p.unwrap_or_else(|| "no postcode".into())))
        .collect();
    Ok(RegisterStatus { seat_name, electors, imports, unplaced, unplaced_count })
}

#[server(prefix = "/api", endpoint = "register_upload_preview")]
pub async fn get_upload_preview(gss: String, id: String) -> Result<UploadPreview, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let (seat_id, seat_name) = access::register_seat(&state.store, &user, &gss).await?;
    let (file_name, status, done, total, error, preview, quiet) =
        access::upload_status(&state.store, seat_id, &id).await?;
    let state = match status.as_str() {
        "ready" => UploadState::Ready(serde_json::from_str(&preview).map_err(|_| AppError::Internal)?),
        "needs_mapping" => {
            UploadState::NeedsMapping { columns: access::upload_columns(&state.store, seat_id, &id).await? }
        }
        "failed" => UploadState::Failed(error.unwrap_or_default()),
        // A check reports every half second; a minute's silence means its server stopped.
        _ if quiet > 60 => UploadState::Stalled,
        _ => UploadState::Checking { done, total: total.max(done) },
    };
    Ok(UploadPreview { seat_name, file_name, state })
}

/// Imports an uploaded file for real. `valid_only` is the organiser's "import the valid
/// rows"; without it a file with bad rows is refused whole. `confirm_left` is the number
/// of leavers the organiser typed, needed when a full register looks partial.
#[server(prefix = "/api", endpoint = "register_commit")]
pub async fn commit_upload(
    gss: String,
    id: String,
    valid_only: Option<String>,
    confirm_left: Option<String>,
) -> Result<(), AppError> {
    use super::import::{import, ImportOptions};
    use crate::on_store;
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let (seat_id, _) = access::register_seat(&state.store, &user, &gss).await?;
    let (_, status, ..) = access::upload_status(&state.store, seat_id, &id).await?;
    if status != "ready" {
        return Err(AppError::BadInput(
            "The file has not been checked yet, so it cannot be imported.".into(),
        ));
    }
    let (file_name, content, _) = access::load_upload(&state.store, seat_id, &id).await?;
    let opts = ImportOptions {
        seat: &gss,
        file_name: &file_name,
        mapping: None,
        valid_only: valid_only.is_some(),
        commit: true,
        user_id: Some(user.id),
        // "66,800" and " 66800 " both read as the number.
        confirm_left: confirm_left.and_then(|t| t.replace([',', ' '], "").parse().ok()),
    };
    let report = import(&state.store, std::io::Cursor::new(content), opts, |_| {}).await.map_err(|e| {
        tracing::warn!(error = %e, "register import failed");
        AppError::from(e)
    })?;
    if report.outcome == super::Outcome::LooksPartial {
        return Err(AppError::BadInput(format!(
            "Nothing was imported: the number typed is not the {} electors this file would mark as left. {}",
            crate::format::thousands(report.left),
            report.partial_warning().unwrap_or_default()
        )));
    }
    if report.outcome != super::Outcome::Imported {
        return Err(AppError::BadInput(format!(
            "Nothing was imported: {} rows are bad. Choose \"Import the valid rows\" or fix the file.",
            report.rejected.len()
        )));
    }
    let store = &state.store;
    on_store!(store, pool => sqlx::query("DELETE FROM register_uploads WHERE id = $1").bind(&id).execute(pool).await.map(|_| ()))?;
    crate::audit::record(
        store,
        Some(user.id),
        "change",
        "register",
        &gss,
        &format!(
            "imported {file_name}: {} added, {} changed, {} left",
            report.added, report.changed, report.left
        ),
    )
    .await?;
    leptos_axum::redirect(&format!("/seats/{gss}/register?imported=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "register_cancel")]
pub async fn cancel_upload(gss: String, id: String) -> Result<(), AppError> {
    use crate::on_store;
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let (seat_id, _) = access::register_seat(&state.store, &user, &gss).await?;
    let store = &state.store;
    on_store!(store, pool => sqlx::query("DELETE FROM register_uploads WHERE id = $1 AND seat_id = $2")
        .bind(&id).bind(seat_id).execute(pool).await.map(|_| ()))?;
    leptos_axum::redirect(&format!("/seats/{gss}/register?cancelled=1"));
    Ok(())
}
