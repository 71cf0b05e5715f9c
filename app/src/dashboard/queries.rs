//! Dashboard queries, run side by side on the pool. The canvass figures, the register and
//! the conversations per day come from the counters kept by migrations 0010 and 0013's
//! triggers (see `counters`); the rest are index-only passes over the raw rows (migration
//! 0002's indexes).

pub use super::league_queries::{league, league_for};
use super::{
    first_day_shown, AreaProgress, DayCount, IntentionCount, SeatDashboard, Tally, VolunteerStats, WinNumber,
    ACTIVE_DAYS,
};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// The intention code of our party and its name in election results.
pub async fn our_party(store: &Store) -> AppResult<(String, String)> {
    let rows: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT key, value FROM campaign_settings WHERE key IN ('our_party', 'our_party_name')")
        .fetch_all(pool).await)?;
    let get = |k: &str| rows.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    Ok((
        get("our_party").unwrap_or_else(|| "lab".into()),
        get("our_party_name").unwrap_or_else(|| "Labour".into()),
    ))
}

#[derive(sqlx::FromRow)]
pub(super) struct SeatRow {
    pub(super) id: i64,
    pub(super) gss_code: String,
    pub(super) name: String,
    pub(super) region: Option<String>,
    pub(super) register: i64,
    pub(super) year: Option<i64>,
    pub(super) winner: Option<String>,
    pub(super) runner_up: Option<String>,
    pub(super) winner_votes: Option<i64>,
    pub(super) runner_up_votes: Option<i64>,
    pub(super) majority: Option<i64>,
    pub(super) electorate: Option<i64>,
    pub(super) valid_votes: Option<i64>,
    pub(super) invalid_votes: Option<i64>,
}

impl SeatRow {
    pub(super) fn win(&self, our_party_name: &str) -> Option<WinNumber> {
        Some(WinNumber::compute(
            our_party_name,
            self.year?,
            self.winner.clone()?,
            self.runner_up.clone()?,
            self.winner_votes?,
            self.runner_up_votes?,
            self.majority?,
            self.electorate?,
            self.valid_votes?,
            self.invalid_votes?,
            self.register,
        ))
    }
}

macro_rules! seat_sql {
    ($tail:literal) => {
        concat!(
            "SELECT s.id, s.gss_code, s.name, r.name AS region,
                    COALESCE((SELECT d.electors FROM dashboard_seats d WHERE d.seat_id = s.id), 0) AS register,
                    lr.year, lr.winner, lr.runner_up, lr.winner_votes, lr.runner_up_votes, lr.majority,
                    lr.electorate, lr.valid_votes, lr.invalid_votes
               FROM seats s
               LEFT JOIN regions r ON r.id = s.region_id
               LEFT JOIN seat_results lr ON lr.seat_id = s.id
                    AND lr.year = (SELECT MAX(year) FROM seat_results WHERE seat_id = s.id) ",
            $tail
        )
    };
}

pub(super) use seat_sql;

/// The ids of the target seats in region `$1` (every region when `$1` is null).
macro_rules! league_seats {
    () => {
        "SELECT s.id FROM seats s LEFT JOIN regions r ON r.id = s.region_id
          WHERE s.is_target AND (CAST($1 AS TEXT) IS NULL OR r.name = $1)"
    };
}

pub(super) use league_seats;

/// Knocks, contacts and doors reached per polling district (`None`: doors without one),
/// and electors by district, latest intention and its source, from the counters.
async fn canvass(
    store: &Store,
    seat_id: i64,
) -> AppResult<(HashMap<Option<i64>, Tally>, Vec<(Option<i64>, String, Option<String>, i64)>)> {
    let counts = super::counters::canvass_counts(store, seat_id).await?;
    let tallies = counts
        .tallies
        .into_iter()
        .map(|(pd, (knocks, spoke, reached))| (pd, Tally { knocks, spoke, reached, supporters: 0 }))
        .collect();
    let intentions =
        counts.intentions.into_iter().map(|((pd, party, source), n)| (pd, party, Some(source), n)).collect();
    Ok((tallies, intentions))
}

/// Conversations per (seat, UTC day) from `from` to `to` (inclusive), from the counters
/// migration 0013's triggers keep: of one seat, or (`seat_id` `None`) of every target seat
/// in `region` (all regions when `None`).
pub(super) async fn daily(
    store: &Store,
    seat_id: Option<i64>,
    region: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i64, String, i64)>> {
    const SEAT: &str = "SELECT seat_id, day, conversations FROM dashboard_days
                         WHERE seat_id = $1 AND day >= $2 AND day <= $3 AND conversations <> 0";
    const REGION: &str = concat!(
        "SELECT seat_id, day, conversations FROM dashboard_days
          WHERE seat_id IN (",
        league_seats!(),
        ") AND day >= $2 AND day <= $3 AND conversations <> 0"
    );
    let (from, to) = (from.to_string(), to.to_string());
    Ok(match seat_id {
        Some(seat) => {
            on_store!(store, pool => sqlx::query_as(SEAT).bind(seat).bind(from).bind(to).fetch_all(pool).await)?
        }
        None => {
            on_store!(store, pool => sqlx::query_as(REGION).bind(region).bind(from).bind(to).fetch_all(pool).await)?
        }
    })
}

#[derive(sqlx::FromRow)]
struct DistrictRow {
    id: i64,
    code: String,
    name: String,
    ward_id: i64,
    households: i64,
    electors: i64,
}

#[derive(sqlx::FromRow)]
struct WardRow {
    id: i64,
    gss_code: String,
    name: String,
    boundary: Option<String>,
}

/// Everything on one seat's dashboard, as of `now`.
#[tracing::instrument(skip(store))]
pub async fn seat_dashboard(store: &Store, seat_id: i64, now: DateTime<Utc>) -> AppResult<SeatDashboard> {
    const SEAT: &str = seat_sql!("WHERE s.id = $1");
    const DISTRICTS: &str = "SELECT pd.id, pd.code, pd.name, pd.ward_id,
                                    (SELECT COUNT(*) FROM households h WHERE h.polling_district_id = pd.id) AS households,
                                    (SELECT COUNT(*) FROM electors e WHERE e.polling_district_id = pd.id
                                        AND e.left_at IS NULL) AS electors
                               FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id
                              WHERE w.seat_id = $1 ORDER BY pd.code";
    const WARDS: &str = "SELECT id, gss_code, name, boundary FROM wards WHERE seat_id = $1 ORDER BY name";
    let today = now.date_naive();
    let from = first_day_shown(today);
    let (
        party,
        seat,
        wards,
        districts,
        (tallies, intentions),
        days,
        volunteers,
        households,
        follow_ups,
        issues,
        settings,
    ) = tokio::try_join!(
        our_party(store),
        async {
            let row: Option<SeatRow> =
                on_store!(store, pool => sqlx::query_as(SEAT).bind(seat_id).fetch_optional(pool).await)?;
            row.ok_or_else(|| AppError::NotFound("The seat".into()))
        },
        async {
            let rows: Vec<WardRow> =
                on_store!(store, pool => sqlx::query_as(WARDS).bind(seat_id).fetch_all(pool).await)?;
            Ok::<_, AppError>(rows)
        },
        async {
            let rows: Vec<DistrictRow> =
                on_store!(store, pool => sqlx::query_as(DISTRICTS).bind(seat_id).fetch_all(pool).await)?;
            Ok::<_, AppError>(rows)
        },
        canvass(store, seat_id),
        daily(store, Some(seat_id), None, from, today),
        volunteer_stats(store, Some(seat_id), now),
        async {
            let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
                "SELECT COUNT(*) FROM households WHERE seat_id = $1").bind(seat_id).fetch_one(pool).await)?;
            Ok::<_, AppError>(n)
        },
        super::follow_up_queries::follow_up_counts(store, seat_id),
        super::follow_up_queries::issue_trends(store, seat_id, from, today),
        crate::doorstep::queries::settings(store),
    )?;
    let (our_code, our_name) = party;
    let issues = issues
        .into_iter()
        .map(|mut t| {
            if let Some((_, label)) = settings.issues.iter().find(|(code, _)| *code == t.issue) {
                t.label = label.clone();
            }
            t
        })
        .collect();

    let mut by_district = tallies;
    let mut by_party: HashMap<String, IntentionCount> = HashMap::new();
    for (pd, party, source, n) in intentions {
        if party == our_code {
            by_district.entry(pd).or_default().supporters += n;
        }
        let count = by_party.entry(party.clone()).or_insert(IntentionCount { party, said: 0, inferred: 0 });
        match source.as_deref() {
            Some("inferred") => count.inferred += n,
            _ => count.said += n,
        }
    }
    let mut intentions: Vec<IntentionCount> = by_party.into_values().collect();
    intentions.sort_by(|a, b| (b.said + b.inferred).cmp(&(a.said + a.inferred)).then(a.party.cmp(&b.party)));
    let mut totals = Tally::default();
    for t in by_district.values() {
        totals.add(t);
    }

    let outlines = super::chart::project_outlines(
        &wards.iter().map(|w| w.boundary.clone().unwrap_or_default()).collect::<Vec<_>>(),
    );
    let ward_names: HashMap<i64, &str> = wards.iter().map(|w| (w.id, w.name.as_str())).collect();
    let districts: Vec<(i64, AreaProgress)> = districts
        .into_iter()
        .map(|d| {
            let area = AreaProgress {
                code: d.code,
                name: d.name,
                ward: ward_names.get(&d.ward_id).map(|n| n.to_string()).unwrap_or_default(),
                households: d.households,
                electors: d.electors,
                tally: by_district.get(&Some(d.id)).copied().unwrap_or_default(),
                outline: None,
            };
            (d.ward_id, area)
        })
        .collect();
    let wards: Vec<AreaProgress> = wards
        .iter()
        .zip(outlines)
        .map(|(w, outline)| {
            let mut area = AreaProgress {
                code: w.gss_code.clone(),
                name: w.name.clone(),
                ward: String::new(),
                households: 0,
                electors: 0,
                tally: Tally::default(),
                outline,
            };
            for (_, d) in districts.iter().filter(|(ward_id, _)| *ward_id == w.id) {
                area.households += d.households;
                area.electors += d.electors;
                area.tally.add(&d.tally);
            }
            area
        })
        .collect();
    let districts = districts.into_iter().map(|(_, d)| d).collect();

    let counts: HashMap<String, i64> = days.into_iter().map(|(_, day, n)| (day, n)).collect();
    let days = (0..=(today - from).num_days())
        .map(|i| {
            let day = from + Duration::days(i);
            DayCount { day, conversations: counts.get(&day.to_string()).copied().unwrap_or(0) }
        })
        .collect();

    Ok(SeatDashboard {
        win: seat.win(&our_name),
        gss_code: seat.gss_code,
        name: seat.name,
        region: seat.region,
        our_party: our_code,
        electorate: seat.register,
        households,
        totals,
        intentions,
        wards,
        districts,
        days,
        volunteers: volunteers.get(&seat_id).cloned().unwrap_or_default(),
        follow_ups,
        issues,
        issue_weeks: super::follow_up_queries::mondays(from, today),
        names_shown: false,
    })
}

/// Volunteers active in the last [`ACTIVE_DAYS`], sessions run and hours given, per seat.
pub(super) async fn volunteer_stats(
    store: &Store,
    seat_id: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<HashMap<i64, VolunteerStats>> {
    const SQL: &str = "SELECT cs.seat_id,
                              COUNT(DISTINCT CASE WHEN sa.attended AND cs.starts_at >= $2 THEN sa.volunteer_id END),
                              COUNT(DISTINCT CASE WHEN sa.attended THEN cs.id END),
                              COALESCE(SUM(CASE WHEN sa.attended THEN sa.hours END), 0.0)
                         FROM canvass_sessions cs
                         JOIN session_attendance sa ON sa.canvass_session_id = cs.id
                        WHERE ($1 IS NULL OR cs.seat_id = $1) AND cs.starts_at < $3
                        GROUP BY cs.seat_id";
    let since = now - Duration::days(ACTIVE_DAYS);
    let rows: Vec<(i64, i64, i64, f64)> = match store {
        Store::Sqlite(pool) => {
            sqlx::query_as(SQL).bind(seat_id).bind(since).bind(now).fetch_all(pool).await?
        }
        Store::Postgres(pool) => {
            let sql = sqlx::AssertSqlSafe(SQL.replace("$1 IS NULL", "$1::BIGINT IS NULL"));
            sqlx::query_as(sql).bind(seat_id).bind(since).bind(now).fetch_all(pool).await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(seat, active, sessions_run, hours)| (seat, VolunteerStats { active, sessions_run, hours }))
        .collect())
}
