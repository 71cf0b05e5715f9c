//! League-table queries: every target seat at once, grouped by seat in single passes.

use super::queries::{daily, league_seats, our_party, seat_sql, volunteer_stats, SeatRow};
use super::{sort_league, LeagueRow, LeagueSort, LeagueTable, Tally, TREND_DAYS};
use crate::auth::scope::seat_scope;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// The league of target seats the user may see, optionally in one region.
pub async fn league_for(
    store: &Store,
    user: &CurrentUser,
    sort: LeagueSort,
    region: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<LeagueTable> {
    if !user.role.sees_seats() {
        return Err(AppError::Forbidden);
    }
    const REGIONS: &str =
        "SELECT s.id, r.name FROM seats s JOIN regions r ON r.id = s.region_id WHERE s.is_target";
    let scope = seat_scope(store, user).await?;
    let seat_regions: Vec<(i64, String)> =
        on_store!(store, pool => sqlx::query_as(REGIONS).fetch_all(pool).await)?;
    let mut regions: Vec<String> =
        seat_regions.into_iter().filter(|(id, _)| scope.contains(*id)).map(|(_, name)| name).collect();
    regions.sort();
    regions.dedup();
    let region = region.filter(|r| regions.contains(r));
    let mut rows: Vec<LeagueRow> = league(store, region.as_deref(), now)
        .await?
        .into_iter()
        .filter(|(id, _)| scope.contains(*id))
        .map(|(_, row)| row)
        .collect();
    sort_league(&mut rows, sort);
    Ok(LeagueTable { rows, sort, regions, region })
}

/// The league rows of the target seats in `region` (all when `None`), keyed by seat id, as
/// of `now`. Every figure but the volunteers' comes from trigger-kept counters (migrations
/// 0010 and 0013), a few rows a seat, so a region's league costs the same whatever the
/// size of the country's register and conversation tables.
#[tracing::instrument(skip(store))]
pub async fn league(
    store: &Store,
    region: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<Vec<(i64, LeagueRow)>> {
    const SEATS: &str =
        seat_sql!("WHERE s.is_target AND (CAST($1 AS TEXT) IS NULL OR r.name = $1) ORDER BY s.name");
    const TALLY: &str = concat!(
        "SELECT seat_id, CAST(SUM(knocks) AS BIGINT), CAST(SUM(spoke) AS BIGINT) FROM dashboard_districts
          WHERE seat_id IN (",
        league_seats!(),
        ") GROUP BY seat_id"
    );
    const SUPPORTERS: &str = concat!(
        "SELECT seat_id, CAST(SUM(electors) AS BIGINT) FROM dashboard_intentions
          WHERE intention = $2 AND seat_id IN (",
        league_seats!(),
        ") GROUP BY seat_id"
    );
    let today = now.date_naive();
    let first = today - Duration::days(2 * TREND_DAYS - 1);
    let (our_code, our_name) = our_party(store).await?;
    let (seats, tallies, supporters, days, volunteers) = tokio::try_join!(
        async {
            let rows: Vec<SeatRow> =
                on_store!(store, pool => sqlx::query_as(SEATS).bind(region).fetch_all(pool).await)?;
            Ok::<_, AppError>(rows)
        },
        async {
            let rows: Vec<(i64, i64, i64)> =
                on_store!(store, pool => sqlx::query_as(TALLY).bind(region).fetch_all(pool).await)?;
            Ok::<_, AppError>(rows)
        },
        async {
            let rows: Vec<(i64, i64)> = on_store!(store, pool =>
                sqlx::query_as(SUPPORTERS).bind(region).bind(&our_code).fetch_all(pool).await)?;
            Ok::<_, AppError>(rows)
        },
        daily(store, None, region, first, today),
        volunteer_stats(store, None, now),
    )?;
    let tallies: HashMap<i64, (i64, i64)> = tallies.into_iter().map(|(seat, k, s)| (seat, (k, s))).collect();
    let supporters: HashMap<i64, i64> = supporters.into_iter().collect();
    let mut per_day: HashMap<(i64, NaiveDate), i64> = HashMap::new();
    for (seat, day, n) in days {
        if let Ok(day) = day.parse::<NaiveDate>() {
            per_day.insert((seat, day), n);
        }
    }
    Ok(seats
        .into_iter()
        .map(|s| {
            let (knocks, spoke) = tallies.get(&s.id).copied().unwrap_or((0, 0));
            let count =
                |offset: i64| per_day.get(&(s.id, first + Duration::days(offset))).copied().unwrap_or(0);
            let row = LeagueRow {
                win: s.win(&our_name),
                gss_code: s.gss_code.clone(),
                name: s.name.clone(),
                region: s.region.clone(),
                tally: Tally {
                    knocks,
                    spoke,
                    reached: 0,
                    supporters: supporters.get(&s.id).copied().unwrap_or(0),
                },
                trend: (TREND_DAYS..2 * TREND_DAYS).map(count).collect(),
                previous: (0..TREND_DAYS).map(count).sum(),
                volunteers_active: volunteers.get(&s.id).map(|v| v.active).unwrap_or(0),
            };
            (s.id, row)
        })
        .collect())
}
