//! The postal-vote page's forms as plain HTML posts them: the absent-voters list and the
//! marked register (multipart uploads, organisers and admins), and a chase answer.

use super::{back, field};
use crate::auth::session::user_from_headers;
use crate::error::{AppError, AppResult};
use crate::polling_day::elector_file::{summary, Unmatched};
use crate::polling_day::queries::organiser_seat;
use crate::polling_day::{marked_register, postal};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use chrono::Utc;

/// How many unused numbers a message names before "and N more".
const NAMED: usize = 20;

/// The upload's text fields and its file.
async fn read_upload(mut multipart: Multipart) -> AppResult<(Vec<(String, String)>, Vec<u8>)> {
    let cut = |e: axum::extract::multipart::MultipartError| {
        AppError::BadInput(format!("The upload was interrupted: {e}"))
    };
    let (mut fields, mut file) = (Vec::new(), Vec::new());
    while let Some(f) = multipart.next_field().await.map_err(cut)? {
        let name = f.name().unwrap_or_default().to_string();
        if name == "file" {
            file = f.bytes().await.map_err(cut)?.to_vec();
        } else {
            fields.push((name, f.text().await.map_err(cut)?));
        }
    }
    if file.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadInput("Choose the council's CSV file to import.".into()));
    }
    Ok((fields, file))
}

fn not_used(unmatched: &[Unmatched]) -> String {
    if unmatched.is_empty() {
        String::new()
    } else {
        format!(" {} rows were not imported: {}.", unmatched.len(), summary(unmatched, NAMED))
    }
}

/// The absent-voters list: replaces the seat's postal voters.
pub async fn import_postal(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let store = &state.store;
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let seat = organiser_seat(store, &user, &gss).await?;
        let (_, file) = read_upload(multipart).await?;
        let r = postal::import(store, seat.id, Some(user.id), &file, Utc::now()).await?;
        let what = format!(
            "postal voters imported: {} ({} added, {} removed, {} not matched)",
            r.postal_voters,
            r.added,
            r.removed,
            r.unmatched.len()
        );
        crate::audit::record(store, Some(user.id), "change", "seat", &gss, &what).await?;
        Ok::<_, AppError>(format!(
            "Saved the absent-voters list: {} postal voters ({} added, {} no longer on it).{}",
            r.postal_voters,
            r.added,
            r.removed,
            not_used(&r.unmatched)
        ))
    }
    .await;
    back(&format!("/seats/{gss}/polling-day/postal"), outcome)
}

/// One election's marked register, into each elector's turnout history.
pub async fn import_marked(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let store = &state.store;
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let seat = organiser_seat(store, &user, &gss).await?;
        let (fields, file) = read_upload(multipart).await?;
        let label = marked_register::check_label(field(&fields, "label"))?;
        let date = marked_register::check_date(field(&fields, "date"), Utc::now().date_naive())?;
        let r =
            marked_register::import(store, seat.id, Some(user.id), &label, date, &file, Utc::now()).await?;
        let what = format!("marked register imported: {label} ({} electors, {} voted)", r.named, r.voted);
        crate::audit::record(store, Some(user.id), "change", "seat", &gss, &what).await?;
        Ok::<_, AppError>(format!(
            "Saved the marked register of {label}{}: {} electors, {} voted.{}",
            if r.replaced { " (in place of the one imported before)" } else { "" },
            r.named,
            r.voted,
            not_used(&r.unmatched)
        ))
    }
    .await;
    back(&format!("/seats/{gss}/polling-day/postal"), outcome)
}

/// What a postal voter said when chased.
pub async fn chase(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let store = &state.store;
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let seat = organiser_seat(store, &user, &gss).await?;
        let elector: i64 = field(&fields, "elector_id")
            .parse()
            .map_err(|_| AppError::BadInput("The voter could not be read.".into()))?;
        let status = field(&fields, "status");
        postal::record_chase(store, user.id, seat.id, elector, status, Utc::now()).await?;
        Ok::<_, AppError>(format!("Recorded: {}.", postal::status_label(status)))
    }
    .await;
    back(&format!("/seats/{gss}/polling-day/postal"), outcome)
}
