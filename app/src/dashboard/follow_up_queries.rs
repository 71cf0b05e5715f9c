//! What voters asked us to do (follow-ups) and what they raised (issues), per seat.
//! Kinds and issue codes are whatever the rows hold: a kind or issue the campaign adds
//! later is counted without a release.

use super::{FollowUpCount, FollowUpItem, IssueTrend};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashMap;

/// Open and done follow-ups of each kind in a seat, most open first.
pub async fn follow_up_counts(store: &Store, seat_id: i64) -> AppResult<Vec<FollowUpCount>> {
    // One range of the (seat, status, kind) index.
    const SQL: &str = "SELECT kind, status, COUNT(*), MIN(created_at) FROM follow_ups
                        WHERE seat_id = $1 GROUP BY kind, status";
    let rows: Vec<(String, String, i64, Option<DateTime<Utc>>)> =
        on_store!(store, pool => sqlx::query_as(SQL).bind(seat_id).fetch_all(pool).await)?;
    let mut by_kind: HashMap<String, FollowUpCount> = HashMap::new();
    for (kind, status, n, oldest) in rows {
        let count = by_kind.entry(kind.clone()).or_insert(FollowUpCount {
            kind,
            open: 0,
            done: 0,
            oldest_open: None,
        });
        if status == "open" {
            count.open += n;
            count.oldest_open = oldest;
        } else {
            count.done += n;
        }
    }
    let mut counts: Vec<FollowUpCount> = by_kind.into_values().collect();
    counts.sort_by(|a, b| b.open.cmp(&a.open).then(b.done.cmp(&a.done)).then(a.kind.cmp(&b.kind)));
    Ok(counts)
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    kind: String,
    created_at: DateTime<Utc>,
    address1: String,
    address2: Option<String>,
    postcode: Option<String>,
    first_name: Option<String>,
    surname: Option<String>,
    notes: Option<String>,
    volunteer_id: Option<i64>,
    phone: Option<String>,
    email: Option<String>,
}

/// A seat's open follow-ups (of one kind, or all), in delivery order: by postcode, then
/// street and address, so a list of posters or leaflets is a round. At most `limit`.
pub async fn open_follow_ups(
    store: &Store,
    seat_id: i64,
    kind: Option<&str>,
    limit: i64,
) -> AppResult<Vec<FollowUpItem>> {
    const SQL: &str = "SELECT f.id, f.kind, f.created_at, h.address1, h.address2, h.postcode,
                              e.first_name, e.surname, c.notes, v.id AS volunteer_id, f.phone, f.email
                         FROM follow_ups f
                         JOIN households h ON h.id = f.household_id
                         JOIN conversations c ON c.id = f.conversation_id
                         LEFT JOIN electors e ON e.id = f.elector_id
                         LEFT JOIN volunteers v ON v.conversation_id = f.conversation_id
                        WHERE f.seat_id = $1 AND f.status = 'open' AND ($2 = '' OR f.kind = $2)
                        ORDER BY h.postcode, h.street, h.address1, f.kind, f.id
                        LIMIT $3";
    let rows: Vec<ItemRow> = on_store!(store, pool => sqlx::query_as(SQL)
        .bind(seat_id).bind(kind.unwrap_or_default()).bind(limit).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let address =
                [Some(r.address1), r.address2, r.postcode].into_iter().flatten().filter(|p| !p.is_empty());
            let elector = [r.first_name, r.surname].into_iter().flatten().collect::<Vec<_>>().join(" ");
            FollowUpItem {
                id: r.id,
                kind: r.kind,
                raised_at: r.created_at,
                address: address.collect::<Vec<_>>().join(", "),
                elector: elector.trim().to_string(),
                notes: r.notes.unwrap_or_default(),
                volunteer_id: r.volunteer_id,
                contact: [r.phone, r.email].into_iter().flatten().collect::<Vec<_>>().join(" · "),
            }
        })
        .collect())
}

/// Marks an open follow-up in the seat done. Done twice is still done; one that is not
/// in the seat is refused.
pub async fn mark_done(
    store: &Store,
    seat_id: i64,
    id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    const SQL: &str = "UPDATE follow_ups SET status = 'done', done_at = $1, done_by = $2
                        WHERE id = $3 AND seat_id = $4 AND status = 'open'";
    const EXISTS: &str = "SELECT COUNT(*) FROM follow_ups WHERE id = $1 AND seat_id = $2";
    let changed = on_store!(store, pool => sqlx::query(SQL)
        .bind(now).bind(user_id).bind(id).bind(seat_id).execute(pool).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        let (n,): (i64,) =
            on_store!(store, pool => sqlx::query_as(EXISTS).bind(id).bind(seat_id).fetch_one(pool).await)?;
        if n == 0 {
            return Err(AppError::BadInput("There is no such follow-up in this seat.".into()));
        }
    }
    Ok(())
}

/// The Mondays of the weeks from `from` (a Monday) to `today`, oldest first.
pub fn mondays(from: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    (0..).map(|w| from + Duration::weeks(w)).take_while(|m| *m <= today).collect()
}

/// Each issue raised in the seat: how often in all, and in each week from `from` (a
/// Monday) to `today`. Most raised first.
pub async fn issue_trends(
    store: &Store,
    seat_id: i64,
    from: NaiveDate,
    today: NaiveDate,
) -> AppResult<Vec<IssueTrend>> {
    // The (seat, issue, made_at) index hands SQLite the rows already grouped by issue, and
    // each issue's week is a range of it: no row is sorted.
    const TOTALS: &str = "SELECT issue, COUNT(*) FROM conversation_issues WHERE seat_id = $1 GROUP BY issue";
    const SQLITE_WEEKS: &str = "SELECT i.value, w.value,
                                       (SELECT COUNT(*) FROM conversation_issues ci WHERE ci.seat_id = $1
                                           AND ci.issue = i.value AND ci.made_at >= w.value
                                           AND ci.made_at < date(w.value, '+7 days'))
                                  FROM json_each($2) i, json_each($3) w";
    const POSTGRES_WEEKS: &str =
        "SELECT issue, to_char(date_trunc('week', made_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'),
                                         COUNT(*)
                                    FROM conversation_issues WHERE seat_id = $1 AND made_at >= $2
                                   GROUP BY 1, 2";
    let totals: Vec<(String, i64)> =
        on_store!(store, pool => sqlx::query_as(TOTALS).bind(seat_id).fetch_all(pool).await)?;
    let weeks = mondays(from, today);
    let counts: Vec<(String, String, i64)> = match store {
        Store::Sqlite(pool) => {
            let json = |v: Vec<String>| serde_json::to_string(&v).map_err(|_| AppError::Internal);
            let issues = json(totals.iter().map(|(i, _)| i.clone()).collect())?;
            let mondays = json(weeks.iter().map(NaiveDate::to_string).collect())?;
            sqlx::query_as(SQLITE_WEEKS).bind(seat_id).bind(issues).bind(mondays).fetch_all(pool).await?
        }
        Store::Postgres(pool) => {
            let start = from.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).ok_or(AppError::Internal)?;
            sqlx::query_as(POSTGRES_WEEKS).bind(seat_id).bind(start).fetch_all(pool).await?
        }
    };
    let counts: HashMap<(String, String), i64> = counts.into_iter().map(|(i, w, n)| ((i, w), n)).collect();
    let mut trends: Vec<IssueTrend> = totals
        .into_iter()
        .map(|(issue, raised)| {
            let weekly = weeks
                .iter()
                .map(|m| counts.get(&(issue.clone(), m.to_string())).copied().unwrap_or(0))
                .collect();
            IssueTrend { label: issue.clone(), issue, raised, weekly }
        })
        .collect();
    trends.sort_by(|a, b| b.raised.cmp(&a.raised).then(a.issue.cmp(&b.issue)));
    Ok(trends)
}
