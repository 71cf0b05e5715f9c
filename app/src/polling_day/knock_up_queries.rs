//! Knock-up rounds from the database: our promises with what polling day has said about
//! each, counted per district, one district's round, and what a knocker heard.

use super::knock_up::{self, Promise, Walk};
use super::memo::Shared;
use super::queries::{promises_are, win_and_turnout, Access};
use super::KnockUpView;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

/// What polling day has said about each promise: told at a station, the latest answer at
/// the door, and a postal vote said to be sent.
const PROMISE_STATE: &str = "
            EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id AND t.undone_at IS NULL) AS told,
            (SELECT k.result FROM knock_up_results k WHERE k.elector_id = e.id
              ORDER BY k.made_at DESC, k.id DESC LIMIT 1) AS last_result,
            EXISTS (SELECT 1 FROM postal_voters pv WHERE pv.elector_id = e.id)
              AND COALESCE((SELECT pc.status FROM postal_chases pc WHERE pc.elector_id = e.id
                             ORDER BY pc.made_at DESC, pc.id DESC LIMIT 1), '') = 'sent' AS postal_sent";

/// Whether the elector voted at the seat's latest election whose marked register is held.
const VOTED_LAST: &str =
    "(SELECT th.voted FROM turnout_history th JOIN marked_registers m ON m.id = th.marked_register_id
              WHERE th.elector_id = e.id ORDER BY m.election_date DESC LIMIT 1) AS voted_last";

/// Who counts as a promise: our party's latest intention at the door, firm unless the
/// campaign counts leaners too (a setting).
pub struct PromiseRule {
    our_party: String,
    /// The party's name as results name it (for the win number).
    our_name: String,
    leaners: bool,
}

impl PromiseRule {
    pub async fn load(store: &Store) -> AppResult<PromiseRule> {
        let (our_party, our_name) = crate::dashboard::queries::our_party(store).await?;
        Ok(PromiseRule { our_party, our_name, leaners: promises_are(store).await?.leaners() })
    }
}

/// The rule as SQL over `dl` (dashboard_latest) and `c` (its conversation), binding $2 and $3.
const PROMISE_IS: &str = "dl.intention = $2 AND ($3 OR c.firmness IS NULL OR c.firmness >= 4)";

const NUMBER: &str = crate::elector_number_sql!();

/// Our promises in the seat (in one district when given), with what polling day has said
/// about each: told at a station, and the latest answer at the door. An erased elector
/// still counts (erasure keeps the counts), but no walk shows them (`read_state_now`).
pub async fn promises(store: &Store, seat_id: i64, district: Option<i64>) -> AppResult<Vec<(i64, Promise)>> {
    promises_under(store, &PromiseRule::load(store).await?, seat_id, district).await
}

async fn promises_under(
    store: &Store,
    rule: &PromiseRule,
    seat_id: i64,
    district: Option<i64>,
) -> AppResult<Vec<(i64, Promise)>> {
    // One district's round starts from its electors (an index), not from every promise in
    // the seat: knockers reload it all day. Built from this file's constants only.
    let from = match district {
        None => "FROM dashboard_latest dl
                 JOIN electors e ON e.id = dl.elector_id AND e.left_at IS NULL",
        Some(_) => "FROM electors e
                 JOIN dashboard_latest dl ON dl.elector_id = e.id AND e.polling_district_id = $4 AND e.left_at IS NULL",
    };
    let sql = format!(
        "SELECT e.polling_district_id AS district_id, e.id AS elector_id, e.household_id,
                e.first_name || ' ' || e.surname AS name, {NUMBER} AS number,
                h.address1, h.street, h.house_number, {PROMISE_STATE}, {VOTED_LAST}
           {from}
           JOIN conversations c ON c.id = dl.conversation_id
           JOIN households h ON h.id = e.household_id
          WHERE dl.seat_id = $1 AND {PROMISE_IS}"
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        district_id: Option<i64>,
        #[sqlx(flatten)]
        promise: Promise,
    }
    let rows: Vec<Row> = on_store!(store, pool => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(seat_id).bind(&rule.our_party).bind(rule.leaners);
        match district { Some(d) => q.bind(d), None => q }.fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|r| (r.district_id.unwrap_or(0), r.promise)).collect())
}

/// Per polling district of the seat: (promises, promises still to knock up), counted in
/// the database so a knock-up page need not fetch every promise in the seat.
pub async fn promises_by_district(store: &Store, rule: &PromiseRule, seat_id: i64) -> AppResult<Tally> {
    // The same rule as Promise::to_knock (tests/integration/polling_day.rs holds them together).
    let sql = format!(
        "SELECT district_id, COUNT(*),
                CAST(SUM(CASE WHEN told OR postal_sent OR COALESCE(last_result, '') IN ('voted', 'do_not_return')
                              THEN 0 ELSE 1 END) AS BIGINT)
           FROM (SELECT COALESCE(e.polling_district_id, 0) AS district_id, {PROMISE_STATE}
                   FROM dashboard_latest dl
                   JOIN conversations c ON c.id = dl.conversation_id
                   JOIN electors e ON e.id = dl.elector_id AND e.left_at IS NULL
                  WHERE dl.seat_id = $1 AND {PROMISE_IS}) p
          GROUP BY district_id"
    );
    let rows: Vec<(i64, i64, i64)> = on_store!(store, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(seat_id).bind(&rule.our_party).bind(rule.leaners).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(d, all, left)| (d, (all, left))).collect())
}

/// Per district: (promises, promises still to knock up).
pub type Tally = HashMap<i64, (i64, i64)>;

/// What this server shares between knock-up loads for [`super::memo::FRESH`]: the seat's
/// district counts (the picker's), and each district's walks with their promises. Only
/// counts may lag: the walk shown has its promises' state read afresh on each load.
#[derive(Clone, Debug, Default)]
pub struct KnockUpMemo(Arc<Held>);

/// (seat, our party, whether leaners count).
type RuleKey = (i64, String, bool);

#[derive(Debug, Default)]
pub struct Held {
    tallies: Shared<RuleKey, Tally>,
    /// By district too.
    rounds: Shared<(RuleKey, i64), Vec<Walk>>,
}

impl KnockUpMemo {
    pub async fn tally(&self, store: &Store, rule: &PromiseRule, seat_id: i64) -> AppResult<Arc<Tally>> {
        let key = (seat_id, rule.our_party.clone(), rule.leaners);
        self.0.tallies.get(key, || promises_by_district(store, rule, seat_id)).await
    }

    /// The district's walks, cut from its promises (with their state as of that read).
    pub async fn round(
        &self,
        store: &Store,
        rule: &PromiseRule,
        seat_id: i64,
        district: i64,
    ) -> AppResult<Arc<Vec<Walk>>> {
        let key = ((seat_id, rule.our_party.clone(), rule.leaners), district);
        self.0
            .rounds
            .get(key, || async {
                let promises = promises_under(store, rule, seat_id, Some(district)).await?;
                Ok(knock_up::walks(promises.into_iter().map(|(_, p)| p).collect()))
            })
            .await
    }
}

/// The walk's promises with what polling day has said about them as of now. A promise
/// who has left the register (or been erased) since the walk was cut is dropped.
async fn read_state_now(store: &Store, walk: &mut Walk) -> AppResult<()> {
    #[derive(sqlx::FromRow)]
    struct Row {
        elector_id: i64,
        live: bool,
        told: bool,
        last_result: Option<String>,
        postal_sent: bool,
        voted_last: Option<bool>,
    }
    let ids: Vec<i64> = walk.promises().map(|p| p.elector_id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    // Whether they are still on the register (and not erased) is a column, not a condition:
    // as a condition PostgreSQL, before it has statistics, combines the key with the partial
    // index of live electors and reads the whole register (7 ms against 0.8 ms). For the
    // same reason the district and seat reads above do not ask about erasure.
    let sql = format!(
        "SELECT e.id AS elector_id, e.left_at IS NULL AND e.erased_at IS NULL AS live, {PROMISE_STATE}, {VOTED_LAST}
           FROM electors e WHERE e.id IN ("
    );
    let rows: Vec<Row> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new(sql.as_str());
        let mut each = q.separated(", ");
        for id in &ids {
            each.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(pool).await
    })?;
    let now: HashMap<i64, Row> = rows.into_iter().filter(|r| r.live).map(|r| (r.elector_id, r)).collect();
    for door in &mut walk.doors {
        door.promises.retain(|p| now.contains_key(&p.elector_id));
    }
    walk.doors.retain(|d| !d.promises.is_empty());
    for p in walk.promises_mut() {
        let row = &now[&p.elector_id];
        (p.told, p.last_result, p.postal_sent, p.voted_last) =
            (row.told, row.last_result.clone(), row.postal_sent, row.voted_last);
    }
    Ok(())
}

/// The districts a caller may knock up in: all the seat's boxes for staff, the room's for
/// a knocker.
pub async fn knock_up_districts(store: &Store, access: &Access) -> AppResult<Vec<(i64, String)>> {
    if !access.staff && access.room_id.is_none() {
        return Err(AppError::BadInput(
            "You are not knocking up for a committee room: ask your organiser.".into(),
        ));
    }
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT pd.id, pd.code FROM ballot_boxes b JOIN polling_districts pd ON pd.id = b.polling_district_id
          WHERE b.seat_id = $1 AND ($2 OR b.committee_room_id = $3) ORDER BY pd.code")
        .bind(access.seat.id).bind(access.staff).bind(access.room_id).fetch_all(pool).await)?)
}

pub async fn knock_up_view(
    store: &Store,
    memo: &KnockUpMemo,
    user: &CurrentUser,
    access: &Access,
    district: Option<i64>,
    walk: Option<usize>,
) -> AppResult<KnockUpView> {
    let allowed = knock_up_districts(store, access).await?;
    let rule = PromiseRule::load(store).await?;
    let tally = memo.tally(store, &rule, access.seat.id).await?;
    let seat_promises = tally.values().map(|(all, _)| all).sum();
    let mut districts: Vec<(i64, String, i64)> = allowed
        .iter()
        .map(|(id, code)| (*id, code.clone(), tally.get(id).map_or(0, |(_, left)| *left)))
        .collect();
    let chosen = match district {
        Some(d) if districts.iter().any(|(id, _, _)| *id == d) => Some(d),
        Some(_) => return Err(AppError::Forbidden),
        None => districts.iter().max_by_key(|(_, _, n)| *n).map(|(id, _, _)| *id),
    };
    let walks = match chosen {
        Some(d) => memo.round(store, &rule, access.seat.id, d).await?,
        None => Arc::default(),
    };
    // Without a walk (or one the district no longer has): the one with most still to knock.
    let walk = match walk {
        Some(w) if (1..=walks.len()).contains(&w) => w,
        _ => walks.iter().max_by_key(|w| (w.to_knock(), std::cmp::Reverse(w.number))).map_or(1, |w| w.number),
    };
    let mut shown = walks.get(walk - 1).cloned();
    if let Some(shown) = shown.as_mut() {
        read_state_now(store, shown).await?;
    }
    // The walk shown as of now; the others as of the shared read.
    let current: Vec<&Walk> =
        walks.iter().map(|w| shown.as_ref().filter(|s| s.number == w.number).unwrap_or(w)).collect();
    let walk_list: Vec<(usize, String, i64)> =
        current.iter().map(|w| (w.number, w.streets.clone(), w.to_knock() as i64)).collect();
    // So the district being knocked up shows a knocker's own strike-offs at once.
    if let Some(here) = districts.iter_mut().find(|(id, _, _)| Some(*id) == chosen) {
        here.2 = walk_list.iter().map(|(_, _, n)| n).sum();
    }
    let voted = current.iter().map(|w| w.voted() as i64).sum();
    let promises = current.iter().map(|w| w.promises().count() as i64).sum();
    let doors = shown.map(Walk::still_to_knock).unwrap_or_default();
    let entry_ids =
        doors.iter().flat_map(|d| d.promises.iter()).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let room: Option<(String,)> = on_store!(store, pool => sqlx::query_as("SELECT name FROM committee_rooms WHERE id = $1")
        .bind(access.room_id).fetch_optional(pool).await)?;
    let (win_number, usual_turnout) = win_and_turnout(store, access.seat.id, &rule.our_name).await?;
    if let Some(d) = chosen {
        // Promises' names and doors are personal data: each view is on the record.
        crate::audit::record(
            store,
            Some(user.id),
            "view",
            "polling_district",
            &d.to_string(),
            "knock-up round",
        )
        .await?;
    }
    Ok(KnockUpView {
        gss_code: access.seat.gss_code.clone(),
        seat_name: access.seat.name.clone(),
        room: room.map(|(n,)| n),
        district: districts
            .iter()
            .find(|(id, _, _)| Some(*id) == chosen)
            .map(|(_, c, _)| c.clone())
            .unwrap_or_default(),
        districts,
        district_id: chosen,
        walks: walk_list,
        walk,
        doors,
        promises,
        voted,
        seat_promises,
        win_number,
        usual_turnout,
        entry_ids,
    })
}

/// Stores what a knocker heard (once per id). The elector must be a live elector of a
/// district the caller may knock up in.
pub async fn record_knock_up(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    id: &str,
    elector_id: i64,
    result: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::BadInput("The entry has no valid id.".into()));
    }
    if !knock_up::RESULTS.iter().any(|(c, _)| *c == result) {
        return Err(AppError::BadInput("Choose what the voter said.".into()));
    }
    let allowed = knock_up_districts(store, access).await?;
    let district: Option<(Option<i64>,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT polling_district_id FROM electors WHERE id = $1 AND seat_id = $2 AND left_at IS NULL")
        .bind(elector_id).bind(access.seat.id).fetch_optional(pool).await)?;
    match district {
        Some((Some(d),)) if allowed.iter().any(|(id, _)| *id == d) => {}
        _ => return Err(AppError::Forbidden),
    }
    let done: u64 = store
        .write(&[], |tx| {
            Box::pin(async {
                on_tx!(tx, tx => sqlx::query(
        "INSERT INTO knock_up_results (id, seat_id, elector_id, user_id, result, made_at, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (id) DO NOTHING")
        .bind(id).bind(access.seat.id).bind(elector_id).bind(user.id).bind(result).bind(now)
        .execute(&mut *tx).await.map(|r| r.rows_affected()))
            })
        })
        .await?;
    Ok(done == 1)
}
