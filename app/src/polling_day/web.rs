//! The polling-day forms as plain HTML posts them (they work without JavaScript): the
//! set-up, box counts, telling (tell, undo, correct) and knock-up results. Each goes back
//! to its page with a message; a refusal (not allowed, not found) answers its status.

pub mod postal;

use super::queries::{self, helper_access, organiser_seat};
use super::{knock_up::Promises, setup, telling, TellingEntry};
use crate::auth::session::user_from_headers;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;

type Fields = Vec<(String, String)>;

pub(super) fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}

fn number(fields: &Fields, name: &str, label: &str) -> AppResult<i64> {
    field(fields, name).parse().map_err(|_| AppError::BadInput(format!("The {label} could not be read.")))
}

/// Back to `path` with a message (`msg`) or a refusal of the input (`error`).
pub(super) fn back(path: &str, outcome: AppResult<String>) -> Response {
    let (key, text) = match outcome {
        Ok(msg) => ("msg", msg),
        Err(AppError::NotSignedIn) => {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login".to_string())]).into_response()
        }
        Err(e @ AppError::BadInput(_)) => ("error", e.to_string()),
        Err(e) => return e.into_response(),
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let query = serde_urlencoded::to_string([(key, text)]).unwrap_or_default();
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{path}{sep}{query}"))]).into_response()
}

/// The set-up: `action` is `import` (the CSV), `promises` (who counts as a promise) or
/// `helper` (a teller's station and a knocker's room).
pub async fn save_setup(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let path = format!("/seats/{gss}/polling-day/setup");
    let store = &state.store;
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let seat = organiser_seat(store, &user, &gss).await?;
        let (what, msg) = match field(&fields, "action") {
            "import" => {
                let codes: Vec<String> =
                    queries::districts(store, seat.id).await?.into_iter().map(|(_, c)| c).collect();
                let text = field(&fields, "csv");
                // Only a code that is not this seat's needs the other seats looked up.
                let mut others = std::collections::HashMap::new();
                for code in
                    text.lines().skip(1).filter_map(|l| l.split(',').next()).map(|c| c.trim().to_uppercase())
                {
                    if !codes.contains(&code) && !others.contains_key(&code) {
                        let seat_name = queries::seat_of_district(store, &code, seat.id).await?;
                        others.insert(code, seat_name);
                    }
                }
                let rows =
                    setup::parse(text, &codes, |c| others.get(c).cloned().flatten()).map_err(|errors| {
                        AppError::BadInput(format!("Nothing was saved. {}", errors.join("; ")))
                    })?;
                queries::apply_setup(store, seat.id, &rows).await?;
                ("set-up imported", format!("Saved the set-up: {} polling districts.", rows.len()))
            }
            "promises" => {
                let value = Promises::parse(Some(field(&fields, "promises")));
                queries::set_promises_are(store, value).await?;
                ("knock-up promises", format!("Promises are now: {}.", value.as_str().replace('_', " ")))
            }
            "helper" => {
                let email = field(&fields, "email");
                queries::set_helper(store, seat.id, email, field(&fields, "station"), field(&fields, "room"))
                    .await?;
                ("polling-day helper", format!("Saved where {email} works on polling day."))
            }
            _ => return Err(AppError::BadInput("The form could not be read.".into())),
        };
        crate::audit::record(store, Some(user.id), "change", "seat", &gss, what).await?;
        Ok::<_, AppError>(msg)
    }
    .await;
    back(&path, outcome)
}

/// Papers issued from a box by a time of day (a second figure for the same time corrects it).
pub async fn save_count(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let store = &state.store;
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let seat = organiser_seat(store, &user, &gss).await?;
        let box_id = number(&fields, "box_id", "ballot box")?;
        let papers = number(&fields, "papers", "number of papers issued")?;
        let at = field(&fields, "at_time");
        super::dashboard::record_count(store, seat.id, user.id, box_id, at, papers, Utc::now()).await?;
        Ok::<_, AppError>(format!("Saved the count: {papers} papers by {at}."))
    }
    .await;
    back(&format!("/seats/{gss}/polling-day"), outcome)
}

/// Telling without JavaScript, and the undo and correction buttons: `action` is `tell`,
/// `undo` or `correct`.
pub async fn telling_form(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let store = &state.store;
    let station = field(&fields, "station_id").to_string();
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let access = helper_access(store, &user, &gss).await?;
        let now = Utc::now();
        let id = field(&fields, "id");
        match field(&fields, "action") {
            "undo" => Ok::<_, AppError>(if telling::undo(store, &user, &access, id, now).await? {
                "Taken back.".to_string()
            } else {
                "That entry was already taken back.".to_string()
            }),
            "correct" => telling::correct(store, &user, &access, id, field(&fields, "typed"), now).await,
            _ => {
                let elector_id = field(&fields, "elector_id").parse().ok();
                let entry = TellingEntry {
                    id: id.to_string(),
                    station_id: number(&fields, "station_id", "polling station")?,
                    typed: field(&fields, "typed").to_string(),
                    elector_id,
                    made_at: None,
                };
                let typed =
                    if entry.typed.is_empty() { "the voter".to_string() } else { entry.typed.clone() };
                let done = telling::store(store, &user, &access, vec![entry], now).await?;
                Ok(match (done.stored, done.unknown) {
                    (0, _) => format!("{typed} was already told."),
                    (_, 0) => format!("Told: {typed}."),
                    _ => format!("{typed} matches nobody on the register: kept below for correction."),
                })
            }
        }
    }
    .await;
    back(&format!("/poll/{gss}/telling?station={station}"), outcome)
}

/// A knock-up result for one promise.
pub async fn knock_up_form(
    State(state): State<AppState>,
    Path(gss): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let store = &state.store;
    // Back to the same walk; only numbers go into the address.
    let district = field(&fields, "district").parse::<i64>().unwrap_or_default();
    let walk = field(&fields, "walk").parse::<usize>().unwrap_or(1);
    let outcome = async {
        let user = user_from_headers(store, &headers).await?;
        let access = helper_access(store, &user, &gss).await?;
        let elector = number(&fields, "elector_id", "voter")?;
        let result = field(&fields, "result");
        let id = field(&fields, "id");
        queries::record_knock_up(store, &user, &access, id, elector, result, Utc::now()).await?;
        Ok::<_, AppError>(format!("Recorded: {}.", super::knock_up::result_label(result)))
    }
    .await;
    back(&format!("/poll/{gss}/knock-up?district={district}&walk={walk}"), outcome)
}
