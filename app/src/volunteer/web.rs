//! Plain HTTP for volunteers: the CSV export and import (organisers and admins; each is
//! written to the audit log) and the volunteer page's edit form, whose availability is a
//! grid of checkboxes sharing one name. All work without JavaScript.

use super::csv::{export_rows, import, HEADER};
use super::queries::{self, seat_reach, VolunteerEdit};
use crate::auth::session::user_from_headers;
use crate::auth::CurrentUser;
use crate::csv_file::{attachment, write as csv};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;

/// Bulk volunteer data: the seat's organisers and admins, never a team leader.
async fn whole_seat(state: &AppState, user: &CurrentUser, gss: &str) -> AppResult<i64> {
    let seat = seat_reach(&state.store, user, gss).await?;
    if !seat.reach.whole_seat() {
        return Err(AppError::Forbidden);
    }
    Ok(seat.seat_id)
}

pub async fn export_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(gss): Path<String>,
) -> Response {
    let result = async {
        let user = user_from_headers(&state.store, &headers).await?;
        let seat_id = whole_seat(&state, &user, &gss).await?;
        let rows = export_rows(&state.store, seat_id).await?;
        let count = rows.len();
        let body = csv(&HEADER, rows).map_err(|_| AppError::Internal)?;
        crate::audit::record(
            &state.store,
            Some(user.id),
            "export",
            "seat",
            &gss,
            &format!("volunteers CSV ({count} rows)"),
        )
        .await?;
        Ok::<_, AppError>(attachment(&format!("{gss}-volunteers.csv"), body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

fn back(path: &str, pairs: &[(&str, &str)]) -> Response {
    let query: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{k}={}", crate::format::url_part(v))).collect();
    Redirect::to(&format!("{path}?{}", query.join("&"))).into_response()
}

/// The list page's upload. Any bad row cancels the whole import; the rows and reasons
/// (the first 30) go back to the page.
pub async fn import_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(gss): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let page = format!("/seats/{gss}/volunteers");
    let result = async {
        let user = user_from_headers(&state.store, &headers).await?;
        let seat_id = whole_seat(&state, &user, &gss).await?;
        let mut text = None;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| AppError::BadInput(format!("The upload was interrupted: {e}")))?
        {
            if field.name() == Some("file") {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadInput(format!("The upload was interrupted: {e}")))?;
                text = Some(String::from_utf8(bytes.to_vec()).map_err(|_| {
                    AppError::BadInput("The file is not UTF-8 text: save it as \"CSV UTF-8\".".into())
                })?);
            }
        }
        let text = text
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| AppError::BadInput("Choose a CSV file of volunteers to import.".into()))?;
        let outcome = import(&state.store, seat_id, Some(user.id), &text).await?;
        if outcome.rejected.is_empty() {
            crate::audit::record(
                &state.store,
                Some(user.id),
                "change",
                "seat",
                &gss,
                &format!(
                    "volunteers CSV import: {} added, {} updated, {} unchanged",
                    outcome.added, outcome.updated, outcome.unchanged
                ),
            )
            .await?;
        }
        Ok::<_, AppError>(outcome)
    }
    .await;
    match result {
        Ok(o) if o.rejected.is_empty() => {
            let counts = format!("{},{},{}", o.added, o.updated, o.unchanged);
            back(&page, &[("imported", &counts)])
        }
        Ok(o) => {
            let lines: Vec<String> = o
                .rejected
                .iter()
                .take(30)
                .map(|r| {
                    if r.column.is_empty() {
                        format!("Line {}: {}", r.line, r.reason)
                    } else {
                        format!("Line {}, {}: {}", r.line, r.column, r.reason)
                    }
                })
                .collect();
            let total = o.rejected.len().to_string();
            back(&page, &[("import_errors", &lines.join("\n")), ("rejected", &total)])
        }
        Err(AppError::BadInput(message)) => back(&page, &[("import_error", &message)]),
        Err(e) => e.into_response(),
    }
}

/// Reads the edit form: every field once, except `availability`, once per ticked box.
fn read_edit(fields: &[(String, String)], can_change_team: bool) -> AppResult<VolunteerEdit> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string());
    let id = |name: &str, what: &str| -> AppResult<Option<i64>> {
        super::filled(get(name))
            .map(|v| v.parse::<i64>().map_err(|_| AppError::BadInput(format!("Choose a {what}."))))
            .transpose()
    };
    Ok(VolunteerEdit {
        first_name: get("first_name").unwrap_or_default(),
        surname: get("surname").unwrap_or_default(),
        email: super::filled(get("email")),
        phone: super::filled(get("phone")),
        ward_id: id("ward_id", "ward")?,
        team_id: if can_change_team { Some(id("team_id", "team")?) } else { None },
        availability: fields.iter().filter(|(k, _)| k == "availability").map(|(_, v)| v.clone()).collect(),
        drives: get("drives").is_some(),
        languages: get("languages").unwrap_or_default(),
        skills: get("skills").unwrap_or_default(),
        needs: get("needs").unwrap_or_default(),
        heard_from: get("heard_from").unwrap_or_default(),
        notes: get("notes").unwrap_or_default(),
    })
}

pub async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/volunteers/{id}");
    let result = async {
        let user = user_from_headers(&state.store, &headers).await?;
        let (_, reach) = queries::require_volunteer(&state.store, &user, id).await?;
        let edit = read_edit(&fields, reach.whole_seat() && fields.iter().any(|(k, _)| k == "team_id"))?;
        queries::update(&state.store, &user, id, edit).await?;
        crate::audit::record(
            &state.store,
            Some(user.id),
            "change",
            "volunteer",
            &id.to_string(),
            "volunteer page",
        )
        .await
    }
    .await;
    match result {
        Ok(()) => back(&page, &[("saved", "1")]),
        Err(AppError::BadInput(message)) => back(&page, &[("error", &message)]),
        Err(AppError::NotSignedIn) => Redirect::to("/login").into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_form_keeps_every_ticked_availability_box() {
        let fields: Vec<(String, String)> = [
            ("first_name", "Ada"),
            ("surname", "Lovelace"),
            ("availability", "sat_am"),
            ("availability", "wed_eve"),
            ("drives", "on"),
            ("team_id", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let edit = read_edit(&fields, true).expect("form reads");
        assert_eq!(edit.availability, vec!["sat_am", "wed_eve"]);
        assert!(edit.drives);
        assert_eq!(edit.team_id, Some(None));
        assert_eq!(read_edit(&fields, false).expect("form reads").team_id, None);
    }
}
