//! CSV exports of the dashboard tables: plain axum routes with the same permission checks
//! as the pages, and an audit record for every export.

use super::page::percent;
use super::queries;
use super::{AreaProgress, LeagueSort, SeatDashboard};
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

#[derive(Deserialize)]
pub struct SeatQuery {
    kind: Option<String>,
}

pub async fn seat_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((gss, table)): Path<(String, String)>,
    Query(q): Query<SeatQuery>,
) -> Response {
    let result = async {
        let user = staff(&state, &headers).await?;
        let which = match table.as_str() {
            "wards.csv" => "wards",
            "districts.csv" => "districts",
            "follow-ups.csv" => "follow-ups",
            "issues.csv" => "issues",
            _ => return Err(AppError::NotFound("That export".into())),
        };
        // The open follow-ups name electors, their addresses and canvassers' notes.
        if which == "follow-ups" && !user.role.sees_names() {
            return Err(AppError::Forbidden);
        }
        let seat = crate::seat::queries::find(&state.store, &gss).await?;
        crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
        let body = match which {
            "follow-ups" => follow_ups_csv(&state, seat.id, q.kind.filter(|k| !k.is_empty())).await?,
            _ => {
                let d = queries::seat_dashboard(&state.store, seat.id, chrono::Utc::now()).await?;
                if which == "issues" {
                    issues_csv(&d)?
                } else {
                    areas_csv(if which == "wards" { &d.wards } else { &d.districts })?
                }
            }
        };
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

fn areas_csv(areas: &[AreaProgress]) -> AppResult<String> {
    csv(
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
    .map_err(|_| AppError::Internal)
}

/// Every issue with its count in all and one column per week (headed by its Monday).
fn issues_csv(d: &SeatDashboard) -> AppResult<String> {
    let weeks: Vec<String> = d.issue_weeks.iter().map(|m| format!("week_{m}")).collect();
    let mut header = vec!["issue", "label", "raised"];
    header.extend(weeks.iter().map(String::as_str));
    csv(
        &header,
        d.issues.iter().map(|t| {
            let mut row = vec![t.issue.clone(), t.label.clone(), t.raised.to_string()];
            row.extend(t.weekly.iter().map(i64::to_string));
            row
        }),
    )
    .map_err(|_| AppError::Internal)
}

/// Every open follow-up (of one kind, or all), in round order: for a delivery run or a
/// mail merge.
async fn follow_ups_csv(state: &AppState, seat_id: i64, kind: Option<String>) -> AppResult<String> {
    let items =
        super::follow_up_queries::open_follow_ups(&state.store, seat_id, kind.as_deref(), i64::MAX).await?;
    csv(
        &["id", "kind", "asked_on", "address", "elector", "notes"],
        items.iter().map(|f| {
            vec![
                f.id.to_string(),
                f.kind.clone(),
                f.raised_at.date_naive().to_string(),
                f.address.clone(),
                f.elector.clone(),
                f.notes.clone(),
            ]
        }),
    )
    .map_err(|_| AppError::Internal)
}
