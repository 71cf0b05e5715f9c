//! The dashboards' canvass figures per polling district (migration 0010), and each seat's
//! register and conversations per day (0013): read from the counters that triggers keep in
//! step with every elector and conversation stored, changed or deleted, and recounted from
//! the raw rows (slowly) to check them.

use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use std::collections::BTreeMap;

/// Per polling district (`None`: doors without one): knocks, contacts, doors reached;
/// and electors by (district, latest intention, `said` or `inferred`). Zeros left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CanvassCounts {
    pub tallies: BTreeMap<Option<i64>, (i64, i64, i64)>,
    pub intentions: BTreeMap<(Option<i64>, String, String), i64>,
}

fn district(key: i64) -> Option<i64> {
    (key != 0).then_some(key)
}

impl CanvassCounts {
    fn from_rows(tallies: Vec<(i64, i64, i64, i64)>, intentions: Vec<(i64, String, String, i64)>) -> Self {
        CanvassCounts {
            tallies: tallies
                .into_iter()
                .filter(|t| (t.1, t.2, t.3) != (0, 0, 0))
                .map(|(d, k, s, r)| (district(d), (k, s, r)))
                .collect(),
            intentions: intentions
                .into_iter()
                .filter(|i| i.3 != 0)
                .map(|(d, party, source, n)| ((district(d), party, source), n))
                .collect(),
        }
    }
}

/// The counters: a few hundred rows for a seat, whatever its number of conversations.
pub async fn canvass_counts(store: &Store, seat_id: i64) -> AppResult<CanvassCounts> {
    const TALLIES: &str =
        "SELECT district_key, knocks, spoke, reached FROM dashboard_districts WHERE seat_id = $1";
    const INTENTIONS: &str = "SELECT district_key, intention, source, electors FROM dashboard_intentions
                               WHERE seat_id = $1 AND electors <> 0";
    let (tallies, intentions) = tokio::try_join!(
        async { on_store!(store, pool => sqlx::query_as(TALLIES).bind(seat_id).fetch_all(pool).await) },
        async { on_store!(store, pool => sqlx::query_as(INTENTIONS).bind(seat_id).fetch_all(pool).await) },
    )?;
    Ok(CanvassCounts::from_rows(tallies, intentions))
}

/// The same figures counted from every conversation: the check on the counters.
pub async fn recount_canvass(store: &Store, seat_id: i64) -> AppResult<CanvassCounts> {
    const TALLIES: &str = "SELECT COALESCE(h.polling_district_id, 0), COUNT(*),
                                  SUM(CASE WHEN c.result = 'spoke' THEN 1 ELSE 0 END), COUNT(DISTINCT h.id)
                             FROM conversations c JOIN households h ON h.id = c.household_id
                            WHERE c.seat_id = $1 GROUP BY COALESCE(h.polling_district_id, 0)";
    // Latest by made_at, then id: the same order the counters keep.
    const INTENTIONS: &str = "SELECT COALESCE(h.polling_district_id, 0), c.intention,
                                     CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END,
                                     COUNT(*)
                                FROM conversations c JOIN households h ON h.id = c.household_id
                               WHERE c.seat_id = $1 AND c.elector_id IS NOT NULL AND c.intention IS NOT NULL
                                 AND NOT EXISTS (SELECT 1 FROM conversations n
                                                  WHERE n.seat_id = c.seat_id AND n.elector_id = c.elector_id
                                                    AND n.intention IS NOT NULL
                                                    AND (n.made_at > c.made_at OR (n.made_at = c.made_at AND n.id > c.id)))
                               GROUP BY 1, 2, 3";
    let tallies: Vec<(i64, i64, i64, i64)> =
        on_store!(store, pool => sqlx::query_as(TALLIES).bind(seat_id).fetch_all(pool).await)?;
    let intentions: Vec<(i64, String, String, i64)> =
        on_store!(store, pool => sqlx::query_as(INTENTIONS).bind(seat_id).fetch_all(pool).await)?;
    Ok(CanvassCounts::from_rows(tallies, intentions))
}

/// A seat's electors on the register and its conversations per UTC day (zeros left out):
/// the league table's counters, kept by migration 0013's triggers.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeatCounts {
    pub register: i64,
    pub days: BTreeMap<String, i64>,
}

pub async fn seat_counts(store: &Store, seat_id: i64) -> AppResult<SeatCounts> {
    const REGISTER: &str = "SELECT COALESCE((SELECT electors FROM dashboard_seats WHERE seat_id = $1), 0)";
    const DAYS: &str =
        "SELECT day, conversations FROM dashboard_days WHERE seat_id = $1 AND conversations <> 0";
    let (register, days): ((i64,), Vec<(String, i64)>) = tokio::try_join!(
        async { on_store!(store, pool => sqlx::query_as(REGISTER).bind(seat_id).fetch_one(pool).await) },
        async { on_store!(store, pool => sqlx::query_as(DAYS).bind(seat_id).fetch_all(pool).await) },
    )?;
    Ok(SeatCounts { register: register.0, days: days.into_iter().collect() })
}

/// The same counted from the electors and conversations themselves.
pub async fn recount_seat(store: &Store, seat_id: i64) -> AppResult<SeatCounts> {
    const REGISTER: &str = "SELECT COUNT(*) FROM electors WHERE seat_id = $1 AND left_at IS NULL";
    const SQLITE_DAYS: &str =
        "SELECT substr(made_at, 1, 10), COUNT(*) FROM conversations WHERE seat_id = $1 GROUP BY 1";
    const POSTGRES_DAYS: &str = "SELECT to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*)
                                   FROM conversations WHERE seat_id = $1 GROUP BY 1";
    let (register,): (i64,) =
        on_store!(store, pool => sqlx::query_as(REGISTER).bind(seat_id).fetch_one(pool).await)?;
    let days: Vec<(String, i64)> = match store {
        Store::Sqlite(pool) => sqlx::query_as(SQLITE_DAYS).bind(seat_id).fetch_all(pool).await?,
        Store::Postgres(pool) => sqlx::query_as(POSTGRES_DAYS).bind(seat_id).fetch_all(pool).await?,
    };
    Ok(SeatCounts { register, days: days.into_iter().collect() })
}
