//! Who may do what on polling day, and the set-up queries (both databases; knock-up rounds
//! are in knock_up_queries.rs).

pub use super::dashboard::dashboard;
use super::knock_up::Promises;
pub use super::knock_up_queries::{
    knock_up_districts, knock_up_view, promises, promises_by_district, record_knock_up, KnockUpMemo,
    PromiseRule,
};
use super::setup::{self, SetupRow};
use super::SetupView;
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::seat::SeatSummary;
use crate::store::Store;
use crate::{on_store, on_tx};

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

/// The win number and the usual turnout (votes cast ÷ electorate, per cent) of the last result.
/// `our_name` is the party's name as results give it (`our_party_name`).
pub async fn win_and_turnout(
    store: &Store,
    seat_id: i64,
    our_name: &str,
) -> AppResult<(Option<i64>, Option<f64>)> {
    // The seat's own last marked register, when imported, is a better usual turnout. The
    // register's size is the kept count: knock-up pages ask for this on every load.
    let marked = super::marked_register::latest_turnout(store, seat_id).await?;
    type ResultRow = (i64, String, String, i64, i64, i64, i64, i64, i64, i64);
    let row: Option<ResultRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT r.year, r.winner, r.runner_up, r.winner_votes, r.runner_up_votes, r.majority, r.electorate,
                r.valid_votes, r.invalid_votes,
                COALESCE((SELECT d.electors FROM dashboard_seats d WHERE d.seat_id = r.seat_id), 0)
           FROM seat_results r WHERE r.seat_id = $1 ORDER BY r.year DESC LIMIT 1")
        .bind(seat_id).fetch_optional(pool).await)?;
    let (win, turnout) = match row {
        Some((year, winner, runner_up, wv, rv, majority, electorate, valid, invalid, register)) => {
            let w = crate::dashboard::WinNumber::compute(
                our_name, year, winner, runner_up, wv, rv, majority, electorate, valid, invalid, register,
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
