//! Telling: poll numbers taken at a station's door, matched to the register, stored once.

use super::queries::{districts, Access};
use super::telling_match::{resolve_all, Typed};
use super::{LookupHit, TellingEntry, TellingLine, TellingOutcome, TellingView};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A phone's batch is held to this many entries.
pub const MAX_BATCH: usize = 500;

/// The stations the caller may tell at: (id, name).
pub async fn stations(store: &Store, access: &Access) -> AppResult<Vec<(i64, String)>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT id, name FROM polling_stations WHERE seat_id = $1 AND ($2 OR id = $3) ORDER BY name")
        .bind(access.seat.id).bind(access.staff).bind(access.station_id).fetch_all(pool).await)?)
}

/// The district codes whose ballot boxes are at a station.
async fn station_districts(store: &Store, station_id: i64) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT pd.code FROM ballot_boxes b JOIN polling_districts pd ON pd.id = b.polling_district_id
          WHERE b.station_id = $1 ORDER BY pd.code")
        .bind(station_id).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Stores a batch, each entry once by its id, and each voter once (a second live entry for
/// someone already told is not stored). All or nothing: an entry the caller may not make
/// refuses the batch, so the phone keeps it aside and shows it.
pub async fn store(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    entries: Vec<TellingEntry>,
    now: DateTime<Utc>,
) -> AppResult<TellingOutcome> {
    if entries.len() > MAX_BATCH {
        return Err(AppError::BadInput(format!("A batch holds at most {MAX_BATCH} entries.")));
    }
    let allowed = stations(store, access).await?;
    let seat_codes = districts(store, access.seat.id).await?;
    let mut here: HashMap<i64, Vec<String>> = HashMap::new();
    for e in &entries {
        if uuid::Uuid::parse_str(&e.id).is_err() {
            return Err(AppError::BadInput("The entry has no valid id.".into()));
        }
        if !allowed.iter().any(|(id, _)| *id == e.station_id) {
            return Err(AppError::Forbidden);
        }
        if e.typed.chars().count() > 40 {
            return Err(AppError::BadInput("A poll number is at most 40 characters.".into()));
        }
        if e.elector_id.is_none() && e.typed.trim().is_empty() {
            return Err(AppError::BadInput("Type the poll number.".into()));
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = here.entry(e.station_id) {
            slot.insert(station_districts(store, e.station_id).await?);
        }
    }
    let chosen: Vec<i64> = entries.iter().filter_map(|e| e.elector_id).collect();
    let on_register = live_electors(store, access.seat.id, &chosen).await?;
    if chosen.iter().any(|id| !on_register.contains(id)) {
        return Err(AppError::BadInput("That voter is not on this seat's register.".into()));
    }
    let typed: Vec<Typed> = entries
        .iter()
        .filter(|e| e.elector_id.is_none())
        .map(|e| Typed { text: &e.typed, here: &here[&e.station_id] })
        .collect();
    let mut matched = resolve_all(store, access, &seat_codes, &typed).await?.into_iter();
    let rows: Vec<(TellingEntry, Option<i64>, DateTime<Utc>)> = entries
        .into_iter()
        .map(|e| {
            let elector = e.elector_id.or_else(|| matched.next().flatten());
            // The phone's clock, but never in the future.
            let made_at = e.made_at.filter(|t| *t <= now).unwrap_or(now);
            (e, elector, made_at)
        })
        .collect();
    if rows.is_empty() {
        return Ok(TellingOutcome::default());
    }
    // One statement for the batch: an id sent before, or a voter already told (the
    // partial unique index), is skipped and not returned.
    let stored: Vec<(String,)> = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO telling_entries (id, seat_id, station_id, user_id, typed, elector_id, made_at, received_at) ");
        q.push_values(&rows, |mut row, (e, elector, made_at)| {
            row.push_bind(&e.id).push_bind(access.seat.id).push_bind(e.station_id).push_bind(user.id)
                .push_bind(e.typed.trim()).push_bind(*elector).push_bind(*made_at).push_bind(now);
        });
        q.push(" ON CONFLICT DO NOTHING RETURNING id");
        q.build_query_as().fetch_all(&mut *tx).await
    })})).await?;
    let unknown: std::collections::HashSet<&str> =
        rows.iter().filter(|(_, elector, _)| elector.is_none()).map(|(e, _, _)| e.id.as_str()).collect();
    Ok(TellingOutcome {
        stored: stored.len(),
        unknown: stored.iter().filter(|(id,)| unknown.contains(id.as_str())).count(),
        already_had: rows.len() - stored.len(),
    })
}

/// Which of these electors are live electors of the seat.
async fn live_electors(store: &Store, seat_id: i64, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new("SELECT id FROM electors WHERE left_at IS NULL AND seat_id = ");
        q.push_bind(seat_id).push(" AND id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Takes back an entry (the teller's own, or any at the seat for staff). The row stays,
/// marked undone, so who told whom and when is still on the record.
pub async fn undo(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let done = on_store!(store, pool => sqlx::query(
        "UPDATE telling_entries SET undone_at = $1 WHERE id = $2 AND seat_id = $3 AND ($4 OR user_id = $5)
            AND undone_at IS NULL")
        .bind(now).bind(id).bind(access.seat.id).bind(access.staff).bind(user.id).execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Matches a kept unknown number to an elector from a corrected number. Says so when the
/// corrected number matches nobody either, or someone already told (then the entry is
/// undone: that voter is counted once).
pub async fn correct(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    id: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT station_id FROM telling_entries WHERE id = $1 AND seat_id = $2 AND elector_id IS NULL AND undone_at IS NULL")
        .bind(id).bind(access.seat.id).fetch_optional(pool).await)?;
    let (station,) = row.ok_or_else(|| AppError::NotFound("That entry for correction".into()))?;
    if !stations(store, access).await?.iter().any(|(s, _)| *s == station) {
        return Err(AppError::Forbidden);
    }
    let here = station_districts(store, station).await?;
    let seat_codes = districts(store, access.seat.id).await?;
    let typed_here = [Typed { text: typed, here: &here }];
    let Some(elector) = resolve_all(store, access, &seat_codes, &typed_here).await?.pop().flatten() else {
        return Ok(format!(
            "{} matches nobody on the register either; the entry is still kept.",
            typed.trim()
        ));
    };
    let (already,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM telling_entries WHERE elector_id = $1 AND undone_at IS NULL")
        .bind(elector).fetch_one(pool).await)?;
    if already > 0 {
        on_store!(store, pool => sqlx::query("UPDATE telling_entries SET corrected_at = $1, undone_at = $1 WHERE id = $2")
            .bind(now).bind(id).execute(pool).await.map(|_| ()))?;
    } else {
        on_store!(store, pool => sqlx::query("UPDATE telling_entries SET corrected_at = $1, elector_id = $2 WHERE id = $3")
            .bind(now).bind(elector).bind(id).execute(pool).await.map(|_| ()))?;
    }
    crate::audit::record(
        store,
        Some(user.id),
        "change",
        "telling_entry",
        id,
        &format!("corrected to {}", typed.trim()),
    )
    .await?;
    Ok(if already > 0 {
        format!("{} was already told, so this entry is taken back.", typed.trim())
    } else {
        format!("Corrected to {}.", typed.trim())
    })
}

const LINE_SQL: &str = concat!(
    "SELECT t.id, t.typed,
        CASE WHEN e.id IS NULL THEN NULL ELSE ",
    crate::elector_number_sql!(),
    " || ' ' || e.first_name || ' ' || e.surname END AS matched,
        t.made_at, t.undone_at IS NOT NULL AS undone
   FROM telling_entries t LEFT JOIN electors e ON e.id = t.elector_id "
);

pub async fn view(
    store: &Store,
    user: &CurrentUser,
    access: &Access,
    station: Option<i64>,
    q: &str,
) -> AppResult<TellingView> {
    let stations = stations(store, access).await?;
    let chosen = station.or(access.station_id).filter(|s| stations.iter().any(|(id, _)| id == s));
    let chosen = chosen.or_else(|| stations.first().map(|(id, _)| *id));
    let districts = match chosen {
        Some(s) => station_districts(store, s).await?,
        None => Vec::new(),
    };
    let recent_sql = format!(
        "{LINE_SQL} WHERE t.station_id = $1 AND t.user_id = $2 ORDER BY t.made_at DESC, t.id DESC LIMIT 15"
    );
    let unknown_sql = format!("{LINE_SQL} WHERE t.station_id = $1 AND t.elector_id IS NULL AND t.undone_at IS NULL ORDER BY t.made_at LIMIT 50");
    let (recent, unknown, told_here): (Vec<TellingLine>, Vec<TellingLine>, i64) = match chosen {
        Some(s) => on_store!(store, pool => {
            let recent: Vec<TellingLine> = sqlx::query_as(sqlx::AssertSqlSafe(recent_sql.clone())).bind(s).bind(user.id).fetch_all(pool).await?;
            let unknown: Vec<TellingLine> = sqlx::query_as(sqlx::AssertSqlSafe(unknown_sql.clone())).bind(s).fetch_all(pool).await?;
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM telling_entries WHERE station_id = $1 AND elector_id IS NOT NULL AND undone_at IS NULL")
                .bind(s).fetch_one(pool).await?;
            (recent, unknown, n)
        }),
        None => (Vec::new(), Vec::new(), 0),
    };
    let hits = match chosen {
        Some(s) if q.chars().count() >= 2 => lookup(store, access.seat.id, s, q).await?,
        _ => Vec::new(),
    };
    if let Some(s) = chosen {
        let what = if q.is_empty() { "telling page" } else { "telling look-up by name and address" };
        crate::audit::record(store, Some(user.id), "view", "polling_station", &s.to_string(), what).await?;
    }
    Ok(TellingView {
        gss_code: access.seat.gss_code.clone(),
        seat_name: access.seat.name.clone(),
        station_id: chosen,
        station_name: stations
            .iter()
            .find(|(id, _)| Some(*id) == chosen)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        stations,
        districts,
        recent,
        unknown,
        told_here,
        query: q.to_string(),
        hits,
        entry_id: uuid::Uuid::now_v7().to_string(),
    })
}

/// Electors voting at the station whose name and address hold every word typed.
async fn lookup(store: &Store, seat_id: i64, station: i64, q: &str) -> AppResult<Vec<LookupHit>> {
    let words: Vec<String> = q
        .split_whitespace()
        .take(5)
        .map(|w| format!("%{}%", w.to_lowercase().replace(['%', '_'], "")))
        .collect();
    let mut sql = String::from(
        concat!("SELECT e.id AS elector_id, ", crate::elector_number_sql!(), " AS number,
                e.first_name || ' ' || e.surname AS name, h.address1 || COALESCE(', ' || h.postcode, '') AS address,
                EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id AND t.undone_at IS NULL) AS told
           FROM electors e JOIN households h ON h.id = e.household_id
           JOIN ballot_boxes b ON b.polling_district_id = e.polling_district_id
          WHERE e.seat_id = $1 AND b.station_id = $2 AND e.left_at IS NULL"),
    );
    for i in 0..words.len() {
        sql.push_str(&format!(
            " AND LOWER(e.first_name || ' ' || e.surname || ' ' || h.address1 || ' ' || COALESCE(h.postcode, '')) LIKE ${}",
            i + 3
        ));
    }
    sql.push_str(" ORDER BY e.surname, e.first_name LIMIT 20");
    Ok(on_store!(store, pool => {
        let mut query = sqlx::query_as::<_, LookupHit>(sqlx::AssertSqlSafe(sql.clone())).bind(seat_id).bind(station);
        for w in &words {
            query = query.bind(w);
        }
        let mut hits: Vec<LookupHit> = query.fetch_all(pool).await?;
        for h in &mut hits {
            h.entry_id = uuid::Uuid::now_v7().to_string();
        }
        hits
    }))
}
