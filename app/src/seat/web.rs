//! CSV exports of a seat's electors, households and conversations, in columns a
//! mail-merge or another campaign tool expects. Organisers (their seats) and admins
//! only; every export is written to the audit log.

use crate::auth::{session, Role};
use crate::csv_file;
use crate::error::AppError;
use crate::on_store;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

const ELECTORS: &str = concat!("SELECT ", crate::elector_number_sql!(), ",
               COALESCE(e.title, ''), e.first_name, COALESCE(e.middle_names, ''), e.surname, e.markers,
               COALESCE(CAST(e.date_of_birth AS TEXT), ''), COALESCE(CAST(e.attainment_date AS TEXT), ''),
               h.address1, COALESCE(h.address2, ''), COALESCE(h.address3, ''), COALESCE(h.postcode, ''), COALESCE(h.uprn, '')
          FROM electors e JOIN households h ON h.id = e.household_id
         WHERE e.seat_id = $1 AND e.left_at IS NULL AND e.erased_at IS NULL
         ORDER BY e.pd_prefix, e.elector_number, e.elector_suffix");
const ELECTOR_HEADER: [&str; 13] = [
    "Elector Number",
    "Title",
    "Forename",
    "Middle Names",
    "Surname",
    "Markers",
    "Date of Birth",
    "Attainment Date",
    "Address 1",
    "Address 2",
    "Address 3",
    "Postcode",
    "UPRN",
];

const HOUSEHOLDS: &str = "SELECT CAST(h.id AS TEXT), h.address1, COALESCE(h.address2, ''), COALESCE(h.address3, ''),
               COALESCE(h.street, ''), COALESCE(h.house_number, ''), COALESCE(h.postcode, ''), COALESCE(h.uprn, ''),
               COALESCE(pd.code, ''), COALESCE(CAST(h.lat AS TEXT), ''), COALESCE(CAST(h.lon AS TEXT), ''),
               CAST((SELECT COUNT(*) FROM electors e WHERE e.household_id = h.id AND e.left_at IS NULL) AS TEXT)
          FROM households h LEFT JOIN polling_districts pd ON pd.id = h.polling_district_id
         WHERE h.seat_id = $1 ORDER BY pd.code, h.street, h.id";
const HOUSEHOLD_HEADER: [&str; 12] = [
    "Household ID",
    "Address 1",
    "Address 2",
    "Address 3",
    "Street",
    "House Number",
    "Postcode",
    "UPRN",
    "Polling District",
    "Latitude",
    "Longitude",
    "Electors",
];

const CONVERSATIONS: &str = concat!(
    "SELECT c.id, CAST(c.made_at AS TEXT),
               COALESCE(",
    crate::elector_number_sql!(),
    ", ''), h.address1, COALESCE(h.postcode, ''),
               c.result, COALESCE(c.intention, ''), COALESCE(c.intention_source, ''),
               COALESCE(CAST(c.firmness AS TEXT), ''), COALESCE(c.notes, ''),
               COALESCE(v.first_name || ' ' || v.surname, '')
          FROM conversations c JOIN households h ON h.id = c.household_id
          LEFT JOIN electors e ON e.id = c.elector_id LEFT JOIN volunteers v ON v.id = c.volunteer_id
         WHERE c.seat_id = $1 ORDER BY c.made_at, c.id"
);
const CONVERSATION_HEADER: [&str; 11] = [
    "Conversation ID",
    "Made At (UTC)",
    "Elector Number",
    "Address",
    "Postcode",
    "Result",
    "Intention",
    "Said or Inferred",
    "Firmness",
    "Notes",
    "Volunteer",
];

pub async fn export(
    State(state): State<AppState>,
    Path((gss, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match build(&state, &gss, &file, &headers).await {
        Ok(csv) => csv_file::attachment(&format!("{gss}-{file}"), csv),
        Err(e) => e.into_response(),
    }
}

async fn build(state: &AppState, gss: &str, file: &str, headers: &HeaderMap) -> Result<String, AppError> {
    let store = &state.store;
    let user = session::user_from_headers(store, headers).await?;
    let (sql, header): (&'static str, &[&str]) = match file {
        "electors.csv" => (ELECTORS, &ELECTOR_HEADER),
        "households.csv" => (HOUSEHOLDS, &HOUSEHOLD_HEADER),
        "conversations.csv" => (CONVERSATIONS, &CONVERSATION_HEADER),
        _ => return Err(AppError::NotFound("That export".into())),
    };
    let seat = crate::seat::queries::find(store, gss).await?;
    // Bulk personal data: organisers of the seat and admins only, never volunteers.
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    crate::auth::scope::require_seat(store, &user, seat.id).await?;
    let rows: Vec<Vec<String>> = on_store!(store, pool => {
        use sqlx::Row;
        sqlx::query(sql).bind(seat.id).fetch_all(pool).await.map(|rows| {
            rows.iter().map(|r| (0..header.len()).map(|i| r.try_get::<String, _>(i).unwrap_or_default()).collect()).collect()
        })
    })?;
    crate::audit::record(
        store,
        Some(user.id),
        "export",
        "seat",
        gss,
        &format!("CSV export {file} ({} rows)", rows.len()),
    )
    .await?;
    csv_file::write(header, rows).map_err(|_| AppError::Internal)
}
