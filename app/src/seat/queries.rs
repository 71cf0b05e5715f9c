//! Seat queries, written once for both databases.

use super::{ElectionResult, SeatChecklist, SeatCounts, SeatOverview, SeatSummary, WardCount};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;

/// The seat summary query with a closing clause appended, as one static string.
macro_rules! summary_sql {
    ($tail:literal) => {
        concat!(
            "SELECT s.id, s.gss_code, s.name, r.name AS region,
                    lr.winner, lr.majority, lr.year AS result_year
               FROM seats s
               LEFT JOIN regions r ON r.id = s.region_id
               LEFT JOIN seat_results lr ON lr.seat_id = s.id
                    AND lr.year = (SELECT MAX(year) FROM seat_results WHERE seat_id = s.id) ",
            $tail
        )
    };
}

/// Every seat, the most winnable (smallest majority) first.
#[tracing::instrument(skip(store))]
pub async fn list(store: &Store) -> AppResult<Vec<SeatSummary>> {
    const SQL: &str = summary_sql!("ORDER BY lr.majority IS NULL, lr.majority, s.name");
    Ok(on_store!(store, pool => sqlx::query_as(SQL).fetch_all(pool).await)?)
}

#[tracing::instrument(skip(store))]
pub async fn find(store: &Store, gss_code: &str) -> AppResult<SeatSummary> {
    const SQL: &str = summary_sql!("WHERE s.gss_code = $1");
    let missing = || AppError::NotFound(format!("Seat {gss_code}"));
    let code = crate::ids::GssCode::parse(gss_code).ok_or_else(missing)?;
    on_store!(store, pool => sqlx::query_as(SQL).bind(code.as_str()).fetch_optional(pool).await)?
        .ok_or_else(missing)
}

#[tracing::instrument(skip(store, seat), fields(seat = %seat.gss_code))]
pub async fn overview(
    store: &Store,
    seat: SeatSummary,
    can_manage_register: bool,
) -> AppResult<SeatOverview> {
    let id = seat.id;
    let results: Vec<ElectionResult> = on_store!(store, pool => sqlx::query_as(
        "SELECT year, winner, runner_up, winner_votes, runner_up_votes, majority, electorate,
                valid_votes, invalid_votes
           FROM seat_results WHERE seat_id = $1 ORDER BY year DESC")
        .bind(id).fetch_all(pool).await)?;
    let counts: SeatCounts = on_store!(store, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM electors WHERE seat_id = $1 AND left_at IS NULL) AS electors,
                (SELECT COUNT(*) FROM households WHERE seat_id = $1) AS households,
                (SELECT COUNT(*) FROM volunteers WHERE seat_id = $1) AS volunteers,
                (SELECT COUNT(*) FROM conversations WHERE seat_id = $1) AS conversations,
                (SELECT COUNT(*) FROM walk_lists WHERE seat_id = $1) AS walk_lists")
        .bind(id).fetch_one(pool).await)?;
    let wards: Vec<WardCount> = on_store!(store, pool => sqlx::query_as(
        "SELECT w.gss_code, w.name,
                (SELECT COUNT(*) FROM households h JOIN polling_districts pd ON pd.id = h.polling_district_id
                  WHERE pd.ward_id = w.id) AS households,
                (SELECT COUNT(*) FROM electors e JOIN polling_districts pd ON pd.id = e.polling_district_id
                  WHERE pd.ward_id = w.id AND e.left_at IS NULL) AS electors
           FROM wards w WHERE w.seat_id = $1 ORDER BY w.name")
        .bind(id).fetch_all(pool).await)?;
    let checklist = checklist(store, id).await?;
    Ok(SeatOverview { seat, results, counts, wards, checklist, can_manage_register })
}

/// What the seat still needs: map positions for its doors, an organiser, a session.
#[tracing::instrument(skip(store))]
pub async fn checklist(store: &Store, seat_id: i64) -> AppResult<SeatChecklist> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM households WHERE seat_id = $1 AND lat IS NOT NULL) AS households_placed,
                (SELECT COUNT(*) FROM households WHERE seat_id = $1 AND lat IS NULL) AS households_unplaced,
                (SELECT COUNT(*) FROM user_scopes us JOIN users u ON u.id = us.user_id
                  WHERE us.seat_id = $1 AND u.role = 'organiser' AND u.active = $2) AS organisers,
                (SELECT COUNT(*) FROM canvass_sessions WHERE seat_id = $1) AS canvass_sessions")
        .bind(seat_id).bind(true).fetch_one(pool).await)?)
}
