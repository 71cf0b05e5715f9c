//! CSV exports of the dashboard tables: plain axum routes with the same permission checks
//! as the pages, and an audit record for every export.

use super::page::percent;
use super::queries;
use super::{AreaProgress, LeagueSort};
use crate::auth::session::user_from_headers;
use crate::auth::CurrentUser;
use crate::csv_file::{attachment, write as csv};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LeagueQuery {
    sort: Option<String>,
    region: Option<String>,
}

async fn staff(state: &AppState, headers: &HeaderMap) -> AppResult<CurrentUser> {
    let user = user_from_headers(&state.store, headers).await?;
    if user.role.sees_seats() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn league_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LeagueQuery>,
) -> Response {
    let result = async {
        let user = staff(&state, &headers).await?;
        let sort = LeagueSort::parse(q.sort.as_deref().unwrap_or_default());
        let table = queries::league_for(&state.store, &user, sort, q.region, chrono::Utc::now()).await?;
        let body = csv(
            &[
                "gss_code",
                "seat",
                "region",
                "majority",
                "held_by_us",
                "doors_knocked",
                "spoke",
                "contact_rate_percent",
                "supporters",
                "win_number",
                "progress_percent",
                "conversations_last_14_days",
                "conversations_previous_14_days",
                "volunteers_active",
            ],
            table.rows.iter().map(|r| {
                vec![
                    r.gss_code.clone(),
                    r.name.clone(),
                    r.region.clone().unwrap_or_default(),
                    r.win.as_ref().map(|w| w.majority.to_string()).unwrap_or_default(),
                    r.win.as_ref().map(|w| w.held_by_us.to_string()).unwrap_or_default(),
                    r.tally.knocks.to_string(),
                    r.tally.spoke.to_string(),
                    bare(percent(r.tally.contact_rate())),
                    r.tally.supporters.to_string(),
                    r.win.as_ref().map(|w| w.win_number.to_string()).unwrap_or_default(),
                    bare(percent(r.progress())),
                    r.recent().to_string(),
                    r.previous.to_string(),
                    r.volunteers_active.to_string(),
                ]
            }),
        )
        .map_err(|_| AppError::Internal)?;
        let scope = table.region.clone().unwrap_or_else(|| "all".into());
        crate::audit::record(&state.store, Some(user.id), "export", "league", &scope, "league table CSV")
            .await?;
        Ok::<_, AppError>(attachment("league.csv", body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// "69.2%" → "69.2"; "—" → "".
fn bare(p: String) -> String {
    p.strip_suffix('%').map(str::to_string).unwrap_or_default()
}

pub async fn seat_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((gss, table)): Path<(String, String)>,
) -> Response {
    let result = async {
        let user = staff(&state, &headers).await?;
        let which = match table.as_str() {
            "wards.csv" => "wards",
            "districts.csv" => "districts",
            _ => return Err(AppError::NotFound("That export".into())),
        };
        let seat = crate::seat::queries::find(&state.store, &gss).await?;
        crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
        let d = queries::seat_dashboard(&state.store, seat.id, chrono::Utc::now()).await?;
        let areas: &[AreaProgress] = if which == "wards" { &d.wards } else { &d.districts };
        let body = csv(
            &[
                "code",
                "name",
                "ward",
                "households",
                "electors",
                "doors_knocked",
                "spoke",
                "contact_rate_percent",
                "supporters",
            ],
            areas.iter().map(|a| {
                vec![
                    a.code.clone(),
                    a.name.clone(),
                    a.ward.clone(),
                    a.households.to_string(),
                    a.electors.to_string(),
                    a.tally.knocks.to_string(),
                    a.tally.spoke.to_string(),
                    bare(percent(a.tally.contact_rate())),
                    a.tally.supporters.to_string(),
                ]
            }),
        )
        .map_err(|_| AppError::Internal)?;
        crate::audit::record(
            &state.store,
            Some(user.id),
            "export",
            "seat",
            &gss,
            &format!("seat dashboard {which} CSV"),
        )
        .await?;
        Ok(attachment(&format!("{gss}-{which}.csv"), body))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}
