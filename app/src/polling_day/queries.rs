//! Who may do what on polling day, and the set-up and knock-up queries (both databases).

pub use super::dashboard::dashboard;
use super::knock_up::{self, Promise, Promises};
use super::setup::{self, SetupRow};
use super::{KnockUpView, SetupView};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::seat::SeatSummary;
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A seat as the polling-day pages see it, with the caller's place in it.
#[derive(Clone, Debug)]
pub struct Access {
    pub seat: SeatSummary,
    /// An organiser or admin: every station and room of the seat.
    pub staff: bool,
    /// The station a teller works at, the room a knocker works for.
    pub station_id: Option<i64>,
    pub room_id: Option<i64>,
}

/// The dashboard: staff in whose patch the seat is (regional staff see only figures).
pub async fn staff_seat(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<SeatSummary> {
    if !user.role.sees_seats() {
        return Err(AppError::Forbidden);
    }
    let seat = crate::seat::queries::find(store, gss).await?;
    crate::auth::scope::require_seat(store, user, seat.id).await?;
    Ok(seat)
}

/// The set-up and the box counts: the seat's organisers and admins.
pub async fn organiser_seat(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<SeatSummary> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    staff_seat(store, user, gss).await
}

/// The phone pages: the seat's organisers and admins, and volunteers given a station or
/// a room on this seat's polling day (and only while their account is active).
pub async fn helper_access(store: &Store, user: &CurrentUser, gss: &str) -> AppResult<Access> {
    let seat = crate::seat::queries::find(store, gss).await?;
    let row: Option<(Option<i64>, Option<i64>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT h.station_id, h.committee_room_id FROM polling_day_helpers h JOIN users u ON u.id = h.user_id
          WHERE h.user_id = $1 AND h.seat_id = $2 AND u.active")
        .bind(user.id).bind(seat.id).fetch_optional(pool).await)?;
    let (station_id, room_id) = row.unwrap_or((None, None));
    match user.role {
        Role::Admin | Role::Organiser => {
            crate::auth::scope::require_seat(store, user, seat.id).await?;
            Ok(Access { seat, staff: true, station_id, room_id })
        }
        Role::Volunteer | Role::TeamLeader if row.is_some() => {
            Ok(Access { seat, staff: false, station_id, room_id })
        }
        _ => Err(AppError::Forbidden),
    }
}

/// The seat's polling districts: (id, code), by code.
pub async fn districts(store: &Store, seat_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT pd.id, pd.code FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id
          WHERE w.seat_id = $1 ORDER BY pd.code")
        .bind(seat_id).fetch_all(pool).await)?)
}

/// The seat another seat's district code belongs to, for a refusal that says so.
pub async fn seat_of_district(store: &Store, code: &str, not_seat: i64) -> AppResult<Option<String>> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT s.name FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id JOIN seats s ON s.id = w.seat_id
          WHERE pd.code = $1 AND w.seat_id <> $2 ORDER BY s.name LIMIT 1")
        .bind(code).bind(not_seat).fetch_optional(pool).await)?;
    Ok(row.map(|(name,)| name))
}

pub async fn promises_are(store: &Store) -> AppResult<Promises> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT value FROM campaign_settings WHERE key = 'knock_up_promises'").fetch_optional(pool).await)?;
    Ok(Promises::parse(row.as_ref().map(|(v,)| v.as_str())))
}

pub async fn set_promises_are(store: &Store, value: Promises) -> AppResult<()> {
    on_store!(store, pool => sqlx::query(
        "INSERT INTO campaign_settings (key, value) VALUES ('knock_up_promises', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(value.as_str()).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// What polling day has said about each promise: told at a station, the latest answer at
/// the door, and a postal vote said to be sent.
const PROMISE_STATE: &str = "
            EXISTS (SELECT 1 FROM telling_entries t WHERE t.elector_id = e.id AND t.undone_at IS NULL) AS told,
            (SELECT k.result FROM knock_up_results k WHERE k.elector_id = e.id
              ORDER BY k.made_at DESC, k.id DESC LIMIT 1) AS last_result,
            EXISTS (SELECT 1 FROM postal_voters pv WHERE pv.elector_id = e.id)
              AND COALESCE((SELECT pc.status FROM postal_chases pc WHERE pc.elector_id = e.id
                             ORDER BY pc.made_at DESC, pc.id DESC LIMIT 1), '') = 'sent' AS postal_sent";

/// A promise is our party's latest intention at the elector's door (firm unless leaners count).
const PROMISE_IS: &str = "dl.intention = $2 AND ($3 OR c.firmness IS NULL OR c.firmness >= 4)";

/// Our promises in the seat (in one district when given), with what polling day has said
/// about each: told at a station, and the latest answer at the door.
pub async fn promises(store: &Store, seat_id: i64, district: Option<i64>) -> AppResult<Vec<(i64, Promise)>> {
    let (our_party, _) = crate::dashboard::queries::our_party(store).await?;
    let leaners = promises_are(store).await?.leaners();
    // Built from this file's constants only. Two statements, so that one district's round starts from its electors (an index)
    // instead of every promise in the seat: knockers reload it every few minutes.
    let sql = match district {
        None => format!(
            "SELECT e.polling_district_id AS district_id, e.id AS elector_id, e.household_id,
                    e.first_name || ' ' || e.surname AS name, {NUMBER} AS number,
                    h.address1, h.street, h.house_number, {PROMISE_STATE}
               FROM dashboard_latest dl
               JOIN conversations c ON c.id = dl.conversation_id
               JOIN electors e ON e.id = dl.elector_id AND e.left_at IS NULL
               JOIN households h ON h.id = e.household_id
              WHERE dl.seat_id = $1 AND {PROMISE_IS}"
        ),
        Some(_) => format!(
            "SELECT e.polling_district_id AS district_id, e.id AS elector_id, e.household_id,
                    e.first_name || ' ' || e.surname AS name, {NUMBER} AS number,
                    h.address1, h.street, h.house_number, {PROMISE_STATE}
               FROM electors e
               JOIN dashboard_latest dl ON dl.elector_id = e.id
               JOIN conversations c ON c.id = dl.conversation_id
               JOIN households h ON h.id = e.household_id
              WHERE e.polling_district_id = $4 AND e.left_at IS NULL AND dl.seat_id = $1 AND {PROMISE_IS}"
        ),
    };
    #[derive(sqlx::FromRow)]
    struct Row {
        district_id: Option<i64>,
        #[sqlx(flatten)]
        promise: Promise,
    }
    let rows: Vec<Row> = on_store!(store, pool => {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(seat_id).bind(&our_party).bind(leaners);
        match district { Some(d) => q.bind(d), None => q }.fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|r| (r.district_id.unwrap_or(0), r.promise)).collect())
}

/// An elector's poll number as the register prints it ("AB-12", "AB-12/1").
const NUMBER: &str = "e.pd_prefix || '-' || CAST(e.elector_number AS TEXT)
              || CASE WHEN e.elector_suffix = 0 THEN '' ELSE '/' || CAST(e.elector_suffix AS TEXT) END";

/// Per polling district of the seat: (promises, promises still to knock up), counted in
/// the database so a knock-up page need not fetch every promise in the seat.
pub async fn promises_by_district(store: &Store, seat_id: i64) -> AppResult<HashMap<i64, (i64, i64)>> {
    let (our_party, _) = crate::dashboard::queries::our_party(store).await?;
    let leaners = promises_are(store).await?.leaners();
    // The same rule as Promise::to_knock.
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
        .bind(seat_id).bind(&our_party).bind(leaners).fetch_all(pool).await)?;
    Ok(rows.into_iter().map(|(d, all, left)| (d, (all, left))).collect())
}

/// The win number and the usual turnout (votes cast ÷ electorate, per cent) of the last result.
pub async fn win_and_turnout(store: &Store, seat_id: i64) -> AppResult<(Option<i64>, Option<f64>)> {
    let (_, our_name) = crate::dashboard::queries::our_party(store).await?;
    // The seat's own last marked register, when imported, is a better usual turnout.
    let marked = super::marked_register::latest_turnout(store, seat_id).await?;
    type ResultRow = (i64, String, String, i64, i64, i64, i64, i64, i64, i64);
    let row: Option<ResultRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT r.year, r.winner, r.runner_up, r.winner_votes, r.runner_up_votes, r.majority, r.electorate,
                r.valid_votes, r.invalid_votes,
                (SELECT COUNT(*) FROM electors e WHERE e.seat_id = r.seat_id AND e.left_at IS NULL)
           FROM seat_results r WHERE r.seat_id = $1 ORDER BY r.year DESC LIMIT 1")
        .bind(seat_id).fetch_optional(pool).await)?;
    let (win, turnout) = match row {
        Some((year, winner, runner_up, wv, rv, majority, electorate, valid, invalid, register)) => {
            let w = crate::dashboard::WinNumber::compute(
                &our_name, year, winner, runner_up, wv, rv, majority, electorate, valid, invalid, register,
            );
            let turnout = (electorate > 0).then(|| (valid + invalid) as f64 * 100.0 / electorate as f64);
            (Some(w.win_number), turnout)
        }
        None => (None, None),
    };
    Ok((win, marked.or(turnout)))
}

pub async fn setup_rows(store: &Store, seat_id: i64) -> AppResult<Vec<SetupRow>> {
    type Row = (String, String, String, String, Option<String>, Option<String>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = on_store!(store, pool => sqlx::query_as(
        "SELECT pd.code, s.name, s.address, b.label, r.name, r.address, r.canvassers, r.cars
           FROM ballot_boxes b JOIN polling_districts pd ON pd.id = b.polling_district_id
           JOIN polling_stations s ON s.id = b.station_id LEFT JOIN committee_rooms r ON r.id = b.committee_room_id
          WHERE b.seat_id = $1 ORDER BY pd.code")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(district, station, station_address, box_label, room, room_address, canvassers, cars)| {
            SetupRow {
                line: 0,
                district,
                station,
                station_address,
                box_label,
                room: room.unwrap_or_default(),
                room_address: room_address.unwrap_or_default(),
                canvassers,
                cars,
            }
        })
        .collect())
}

pub async fn setup_view(store: &Store, seat: &SeatSummary) -> AppResult<SetupView> {
    let rows = setup_rows(store, seat.id).await?;
    let names = |sql: &'static str| async move {
        let rows: Vec<(String,)> =
            on_store!(store, pool => sqlx::query_as(sql).bind(seat.id).fetch_all(pool).await)?;
        AppResult::Ok(rows.into_iter().map(|(n,)| n).collect::<Vec<_>>())
    };
    let helpers: Vec<(String, String, Option<String>, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.display_name, u.email, s.name, r.name FROM polling_day_helpers h JOIN users u ON u.id = h.user_id
           LEFT JOIN polling_stations s ON s.id = h.station_id LEFT JOIN committee_rooms r ON r.id = h.committee_room_id
          WHERE h.seat_id = $1 ORDER BY u.display_name")
        .bind(seat.id).fetch_all(pool).await)?;
    Ok(SetupView {
        gss_code: seat.gss_code.clone(),
        seat_name: seat.name.clone(),
        csv: setup::to_csv(&rows),
        districts: districts(store, seat.id).await?.into_iter().map(|(_, c)| c).collect(),
        promises_are: promises_are(store).await?,
        helpers,
        stations: names("SELECT name FROM polling_stations WHERE seat_id = $1 ORDER BY name").await?,
        rooms: names("SELECT name FROM committee_rooms WHERE seat_id = $1 ORDER BY name").await?,
    })
}

/// Writes a checked set-up in one transaction: stations and rooms are made or updated by
/// name, each district's box by district. Nothing the file does not name is removed
/// (counts and telling entries hang on the boxes and stations).
pub async fn apply_setup(store: &Store, seat_id: i64, rows: &[SetupRow]) -> AppResult<()> {
    let codes = districts(store, seat_id).await?;
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        for r in rows {
            let district = codes.iter().find(|(_, c)| *c == r.district).map(|(id, _)| *id)
                .ok_or_else(|| AppError::BadInput(format!("line {}: district {} is not in this seat", r.line, r.district)))?;
            let (station,): (i64,) = sqlx::query_as(
                "INSERT INTO polling_stations (seat_id, name, address) VALUES ($1, $2, $3)
                 ON CONFLICT (seat_id, name) DO UPDATE SET address = excluded.address RETURNING id")
                .bind(seat_id).bind(&r.station).bind(&r.station_address).fetch_one(&mut *tx).await?;
            let room = if r.room.is_empty() { None } else {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO committee_rooms (seat_id, name, address, canvassers, cars) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (seat_id, name) DO UPDATE SET address = excluded.address,
                        canvassers = CASE WHEN $6 THEN excluded.canvassers ELSE committee_rooms.canvassers END,
                        cars = CASE WHEN $7 THEN excluded.cars ELSE committee_rooms.cars END
                     RETURNING id")
                    .bind(seat_id).bind(&r.room).bind(&r.room_address).bind(r.canvassers.unwrap_or(0))
                    .bind(r.cars.unwrap_or(0)).bind(r.canvassers.is_some()).bind(r.cars.is_some())
                    .fetch_one(&mut *tx).await?;
                Some(id)
            };
            sqlx::query(
                "INSERT INTO ballot_boxes (seat_id, polling_district_id, station_id, label, committee_room_id)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (polling_district_id) DO UPDATE SET station_id = excluded.station_id,
                    label = excluded.label, committee_room_id = excluded.committee_room_id")
                .bind(seat_id).bind(district).bind(station).bind(&r.box_label).bind(room)
                .execute(&mut *tx).await?;
        }
        Ok::<_, AppError>(())
    })})).await?;
    Ok(())
}

/// Gives a user of the seat a station to tell at and a room to knock up for (either may be
/// none). Refused unless the user's patch is this seat.
pub async fn set_helper(
    store: &Store,
    seat_id: i64,
    email: &str,
    station: &str,
    room: &str,
) -> AppResult<()> {
    let user: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.id FROM users u JOIN user_scopes us ON us.user_id = u.id
          WHERE LOWER(u.email) = LOWER($1) AND us.seat_id = $2 AND u.active")
        .bind(email.trim()).bind(seat_id).fetch_optional(pool).await)?;
    let (user,) = user.ok_or_else(|| {
        AppError::BadInput(format!("No active account on this seat has the email {}.", email.trim()))
    })?;
    let find = |sql: &'static str, name: &str| {
        let name = name.trim().to_string();
        async move {
            if name.is_empty() {
                return AppResult::Ok(None);
            }
            let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(sql).bind(seat_id).bind(&name).fetch_optional(pool).await)?;
            row.map(|(id,)| Some(id))
                .ok_or_else(|| AppError::BadInput(format!("There is no {name} in the set-up.")))
        }
    };
    let station = find("SELECT id FROM polling_stations WHERE seat_id = $1 AND name = $2", station).await?;
    let room = find("SELECT id FROM committee_rooms WHERE seat_id = $1 AND name = $2", room).await?;
    on_store!(store, pool => sqlx::query(
        "INSERT INTO polling_day_helpers (user_id, seat_id, station_id, committee_room_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, seat_id) DO UPDATE SET station_id = excluded.station_id,
            committee_room_id = excluded.committee_room_id")
        .bind(user).bind(seat_id).bind(station).bind(room).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The districts a caller may knock up in: all the seat's boxes for staff, the room's for
/// a knocker.
pub(super) async fn knock_up_districts(store: &Store, access: &Access) -> AppResult<Vec<(i64, String)>> {
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
    user: &CurrentUser,
    access: &Access,
    district: Option<i64>,
) -> AppResult<KnockUpView> {
    let allowed = knock_up_districts(store, access).await?;
    let tally = promises_by_district(store, access.seat.id).await?;
    let seat_promises = tally.values().map(|(all, _)| all).sum();
    let districts: Vec<(i64, String, i64)> = allowed
        .iter()
        .map(|(id, code)| (*id, code.clone(), tally.get(id).map_or(0, |(_, left)| *left)))
        .collect();
    let chosen = match district {
        Some(d) if districts.iter().any(|(id, _, _)| *id == d) => Some(d),
        Some(_) => return Err(AppError::Forbidden),
        None => districts.iter().max_by_key(|(_, _, n)| *n).map(|(id, _, _)| *id),
    };
    let mine: Vec<Promise> = match chosen {
        Some(d) => promises(store, access.seat.id, Some(d)).await?.into_iter().map(|(_, p)| p).collect(),
        None => Vec::new(),
    };
    let voted = mine.iter().filter(|p| p.told || p.last_result.as_deref() == Some("voted")).count() as i64;
    let promises = mine.len() as i64;
    let doors = knock_up::round(mine);
    let entry_ids =
        doors.iter().flat_map(|d| d.promises.iter()).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let room: Option<(String,)> = on_store!(store, pool => sqlx::query_as("SELECT name FROM committee_rooms WHERE id = $1")
        .bind(access.room_id).fetch_optional(pool).await)?;
    let (win_number, usual_turnout) = win_and_turnout(store, access.seat.id).await?;
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
