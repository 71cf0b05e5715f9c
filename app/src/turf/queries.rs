//! Turf queries, written once for both databases: who may plan a seat or list, the seat's
//! lists with their progress, the map and its page, assigning lists and their second pass.

use super::cut::{insert_lists, NewList};
use super::door_facts::{load_doors, our_party};
use super::{
    Area, Assignment, ListRow, SessionOption, StatusRow, TurfOverview, VolunteerOption, MAP_ATTRIBUTION,
    STATUSES,
};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::seat::SeatSummary;
use crate::store::Store;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// Cutting turf and managing lists is for the seat's organisers and for admins.
pub async fn planner_seat(store: &Store, user: &CurrentUser, gss_code: &str) -> AppResult<SeatSummary> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let seat = crate::seat::queries::find(store, gss_code).await?;
    crate::auth::scope::require_seat(store, user, seat.id).await?;
    Ok(seat)
}

/// The seat of a list the user may plan (organiser of its seat, or admin).
pub async fn planner_list(store: &Store, user: &CurrentUser, walk_list_id: i64) -> AppResult<i64> {
    if !matches!(user.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let row: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT seat_id FROM walk_lists WHERE id = $1").bind(walk_list_id).fetch_optional(pool).await)?;
    let (seat_id,) = row.ok_or_else(|| AppError::NotFound("That walk list".into()))?;
    crate::auth::scope::require_seat(store, user, seat_id).await?;
    Ok(seat_id)
}
/// Every list of the seat with its progress (doors knocked on it / doors), newest first.
pub async fn list_rows(store: &Store, seat_id: i64) -> AppResult<Vec<ListRow>> {
    let mut rows: Vec<ListRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.name, wl.status, wl.code,
                (SELECT COUNT(*) FROM walk_list_households wh WHERE wh.walk_list_id = wl.id) AS doors,
                (SELECT COUNT(DISTINCT c.household_id) FROM conversations c WHERE c.walk_list_id = wl.id) AS knocked,
                cs.title AS session_title, cs.starts_at, CAST(NULL AS TEXT) AS volunteers, wl.reissued_from
           FROM walk_lists wl LEFT JOIN canvass_sessions cs ON cs.id = wl.canvass_session_id
          WHERE wl.seat_id = $1 ORDER BY wl.id DESC")
        .bind(seat_id).fetch_all(pool).await)?;
    let names: Vec<(i64, i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT a.walk_list_id, v.id, v.first_name || ' ' || v.surname FROM walk_list_assignments a
           JOIN volunteers v ON v.id = a.volunteer_id JOIN walk_lists wl ON wl.id = a.walk_list_id
          WHERE wl.seat_id = $1 ORDER BY v.surname, v.first_name")
        .bind(seat_id).fetch_all(pool).await)?;
    let mut by_list: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (list, id, name) in names {
        by_list.entry(list).or_default().push((id, name));
    }
    // Where each list's doors are: (list, district, ward, doors).
    let places: Vec<(i64, Option<i64>, Option<i64>, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT wh.walk_list_id, h.polling_district_id, pd.ward_id, COUNT(*)
           FROM walk_list_households wh JOIN walk_lists wl ON wl.id = wh.walk_list_id
           JOIN households h ON h.id = wh.household_id
           LEFT JOIN polling_districts pd ON pd.id = h.polling_district_id
          WHERE wl.seat_id = $1 GROUP BY wh.walk_list_id, h.polling_district_id, pd.ward_id")
        .bind(seat_id).fetch_all(pool).await)?;
    let mut by_place: HashMap<i64, Vec<Place>> = HashMap::new();
    for (list, district, ward, doors) in places {
        by_place.entry(list).or_default().push((district, ward, doors));
    }
    for row in &mut rows {
        let people = by_list.remove(&row.id).unwrap_or_default();
        row.volunteer_ids = people.iter().map(|(id, _)| *id).collect();
        row.volunteers = (!people.is_empty())
            .then(|| people.into_iter().map(|(_, name)| name).collect::<Vec<_>>().join(", "));
        let places = by_place.remove(&row.id).unwrap_or_default();
        let mut wards: HashMap<i64, i64> = HashMap::new();
        for (district, ward, doors) in places {
            row.districts.extend(district);
            if let Some(ward) = ward {
                *wards.entry(ward).or_default() += doors;
            }
        }
        row.districts.sort_unstable();
        row.main_ward = wards.iter().max_by_key(|(id, doors)| (**doors, -**id)).map(|(id, _)| *id);
        row.wards = wards.into_keys().collect();
        row.wards.sort_unstable();
    }
    Ok(rows)
}

pub async fn overview(store: &Store, seat: &SeatSummary) -> AppResult<TurfOverview> {
    let wards: Vec<Area> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, gss_code AS code, name, CAST(NULL AS BIGINT) AS ward_id FROM wards WHERE seat_id = $1 ORDER BY name")
        .bind(seat.id).fetch_all(pool).await)?;
    let districts: Vec<Area> = on_store!(store, pool => sqlx::query_as(
        "SELECT pd.id, pd.code, pd.name, pd.ward_id FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id
          WHERE w.seat_id = $1 ORDER BY pd.code")
        .bind(seat.id).fetch_all(pool).await)?;
    let streets: Vec<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT DISTINCT street FROM households WHERE seat_id = $1 AND street IS NOT NULL AND street <> '' ORDER BY street")
        .bind(seat.id).fetch_all(pool).await)?;
    let doors = load_doors(store, seat.id).await?;
    let party = our_party(store).await?;
    let mut by_ward: BTreeMap<Option<i64>, Vec<i64>> = BTreeMap::new();
    for d in &doors {
        by_ward.entry(d.ward_id).or_insert_with(|| vec![0; STATUSES.len()])
            [super::status_index(d.status(&party))] += 1;
    }
    let status_by_ward = by_ward
        .into_iter()
        .map(|(ward, counts)| StatusRow {
            ward: ward
                .and_then(|w| wards.iter().find(|a| a.id == w))
                .map(|a| a.name.clone())
                .unwrap_or_else(|| "No ward".into()),
            counts,
        })
        .collect();
    let sessions: Vec<SessionOption> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, title, starts_at, meeting_point FROM canvass_sessions WHERE seat_id = $1 ORDER BY starts_at DESC")
        .bind(seat.id).fetch_all(pool).await)?;
    let volunteers: Vec<VolunteerOption> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id, v.first_name || ' ' || v.surname AS name, COALESCE(u.email, v.email) AS email
           FROM volunteers v LEFT JOIN users u ON u.id = v.user_id
          WHERE v.seat_id = $1 ORDER BY v.surname, v.first_name")
        .bind(seat.id).fetch_all(pool).await)?;
    Ok(TurfOverview {
        gss_code: seat.gss_code.clone(),
        seat_name: seat.name.clone(),
        wards,
        districts,
        streets: streets.into_iter().map(|(s,)| s).collect(),
        status_by_ward,
        sessions,
        volunteers,
        tile_origin: super::tile_origin(&map_setting(store, "map_tile_url").await?),
    })
}

async fn map_setting(store: &Store, key: &str) -> AppResult<String> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT value FROM campaign_settings WHERE key = $1").bind(key).fetch_optional(pool).await)?;
    Ok(row.map(|(v,)| v).unwrap_or_default())
}

/// Assigns a list to volunteers of its seat and to a canvass session (an existing one
/// of the seat, or a new one).
pub async fn assign(store: &Store, user: &CurrentUser, a: &Assignment) -> AppResult<()> {
    let seat_id = planner_list(store, user, a.walk_list_id).await?;
    for &v in &a.volunteers {
        let found: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT id FROM volunteers WHERE id = $1 AND seat_id = $2").bind(v).bind(seat_id).fetch_optional(pool).await)?;
        if found.is_none() {
            return Err(AppError::BadInput("That volunteer is not one of this seat's.".into()));
        }
    }
    let session_id = match (&a.session_id, &a.new_session) {
        (Some(id), _) => {
            let found: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
                "SELECT id FROM canvass_sessions WHERE id = $1 AND seat_id = $2")
                .bind(id).bind(seat_id).fetch_optional(pool).await)?;
            Some(found.ok_or_else(|| AppError::BadInput("That session is not one of this seat's.".into()))?.0)
        }
        (None, Some(new)) => {
            let title = new.title.trim();
            let meeting_point = new.meeting_point.trim();
            if title.is_empty() || meeting_point.is_empty() {
                return Err(AppError::BadInput("A new session needs a title and a meeting point.".into()));
            }
            let starts = NaiveDateTime::parse_from_str(new.starts_at.trim(), "%Y-%m-%dT%H:%M")
                .map_err(|_| AppError::BadInput("Give the session's date and time.".into()))?
                .and_utc();
            let (id,): (i64,) = on_store!(store, pool => sqlx::query_as(
                "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(seat_id).bind(title).bind(starts).bind(starts + Duration::hours(2)).bind(meeting_point)
                .fetch_one(pool).await)?;
            Some(id)
        }
        (None, None) => None,
    };
    if let Some(session_id) = session_id {
        on_store!(store, pool => sqlx::query("UPDATE walk_lists SET canvass_session_id = $1 WHERE id = $2")
            .bind(session_id).bind(a.walk_list_id).execute(pool).await.map(|_| ()))?;
    }
    for &v in &a.volunteers {
        on_store!(store, pool => sqlx::query(
            "INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(a.walk_list_id).bind(v).execute(pool).await.map(|_| ()))?;
    }
    Ok(())
}

/// A second pass: a new list of the doors whose latest result on this list was "not in"
/// or "come back later", in the same walking order. None when every door answered.
pub async fn reissue(
    store: &Store,
    user: &CurrentUser,
    walk_list_id: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<i64>> {
    let seat_id = planner_list(store, user, walk_list_id).await?;
    let (name, session_id): (String, Option<i64>) = on_store!(store, pool => sqlx::query_as(
        "SELECT name, canvass_session_id FROM walk_lists WHERE id = $1").bind(walk_list_id).fetch_one(pool).await)?;
    let doors: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT wh.household_id FROM walk_list_households wh
          WHERE wh.walk_list_id = $1
            AND (SELECT c.result FROM conversations c
                  WHERE c.household_id = wh.household_id AND c.walk_list_id = $1
                  ORDER BY c.made_at DESC, c.received_at DESC, c.id DESC LIMIT 1) IN ('not_in', 'come_back')
          ORDER BY wh.position")
        .bind(walk_list_id).fetch_all(pool).await)?;
    if doors.is_empty() {
        return Ok(None);
    }
    let list = NewList {
        name: format!("{name} · second pass"),
        session_id,
        reissued_from: Some(walk_list_id),
        households: doors.into_iter().map(|(h,)| h).collect(),
    };
    Ok(insert_lists(store, seat_id, user.id, &[list], now).await?.into_iter().next())
}

/// The map's data: boundaries, and every door as [id, lat, lon, status] (no names).
pub async fn map_data(store: &Store, seat: &SeatSummary) -> AppResult<serde_json::Value> {
    use serde_json::{json, Value};
    let parse = |text: Option<String>| -> Value {
        text.and_then(|t| serde_json::from_str::<Value>(&t).ok()).unwrap_or(Value::Null)
    };
    let (boundary,): (Option<String>,) = on_store!(store, pool => sqlx::query_as(
        "SELECT boundary FROM seats WHERE id = $1").bind(seat.id).fetch_one(pool).await)?;
    let wards: Vec<(i64, String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, name, boundary FROM wards WHERE seat_id = $1 ORDER BY name").bind(seat.id).fetch_all(pool).await)?;
    let districts: Vec<(i64, String, String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT pd.id, pd.code, pd.name, pd.boundary FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id
          WHERE w.seat_id = $1 AND pd.boundary IS NOT NULL ORDER BY pd.code")
        .bind(seat.id).fetch_all(pool).await)?;
    let settings: Vec<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT key, value FROM campaign_settings WHERE key IN ('map_tile_url', 'map_tile_attribution')")
        .fetch_all(pool).await)?;
    let setting =
        |k: &str| settings.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let doors = load_doors(store, seat.id).await?;
    let party = our_party(store).await?;
    // Five decimal places is about a metre: enough to tell doors apart, and lighter.
    let round = |x: f64| (x * 1e5).round() / 1e5;
    let points: Vec<Value> = doors
        .iter()
        .filter_map(|d| {
            Some(json!([d.id, round(d.lat?), round(d.lon?), super::status_index(d.status(&party))]))
        })
        .collect();
    let placed: Vec<super::streets::StreetDoor> = doors
        .iter()
        .filter_map(|d| {
            Some(super::streets::StreetDoor {
                street: d.street.as_deref()?,
                house_number: d.house_number.as_deref()?,
                lat: d.lat?,
                lon: d.lon?,
            })
        })
        .collect();
    let streets: Vec<Value> =
        super::streets::street_lines(&placed).into_iter().map(|s| json!([s.name, s.parts])).collect();
    Ok(json!({
        "seat": { "gss": seat.gss_code, "name": seat.name, "boundary": parse(boundary) },
        "wards": wards.into_iter().map(|(id, name, b)| json!({ "id": id, "name": name, "boundary": parse(b) })).collect::<Vec<_>>(),
        "districts": districts.into_iter().map(|(id, code, name, b)| json!({ "id": id, "code": code, "name": name, "boundary": parse(b) })).collect::<Vec<_>>(),
        "statuses": STATUSES.iter().map(|(code, label, colour)| json!({ "code": code, "label": label, "colour": colour })).collect::<Vec<_>>(),
        "doors": points,
        // The offline base map: [name, [[[lon, lat], …], …]] per street.
        "streets": streets,
        "tiles": {
            "url": if super::tile_origin(&setting("map_tile_url")).is_some() { setting("map_tile_url") } else { String::new() },
            "attribution": setting("map_tile_attribution"),
        },
        "attribution": MAP_ATTRIBUTION,
    }))
}

/// Where some of a list's doors are: (polling district, ward, doors).
type Place = (Option<i64>, Option<i64>, i64);
