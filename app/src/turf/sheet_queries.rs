//! The printed walk sheet and the paper returns: one query for a list's doors and
//! electors in walk order, the sheet's code and QR, and storing a sheet's results.

use super::cut::new_code;
use super::queries::planner_list;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// One row per elector (or per door with no elector) of a list, in walk order.
#[derive(sqlx::FromRow)]
struct SheetLine {
    position: i64,
    household_id: i64,
    address1: String,
    address2: Option<String>,
    postcode: Option<String>,
    do_not_knock: bool,
    elector_id: Option<i64>,
    first_name: Option<String>,
    surname: Option<String>,
    pd_prefix: Option<String>,
    elector_number: Option<i64>,
    elector_suffix: Option<i64>,
    markers: Option<String>,
}

/// A list's doors and electors in walk order: one query.
async fn sheet_lines(store: &Store, walk_list_id: i64) -> AppResult<Vec<SheetLine>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT CAST(wh.position AS BIGINT) AS position, h.id AS household_id, h.address1, h.address2, h.postcode,
                h.do_not_knock, e.id AS elector_id, e.first_name, e.surname, e.pd_prefix,
                CAST(e.elector_number AS BIGINT) AS elector_number, CAST(e.elector_suffix AS BIGINT) AS elector_suffix,
                e.markers
           FROM walk_list_households wh JOIN households h ON h.id = wh.household_id
           LEFT JOIN electors e ON e.household_id = h.id AND e.left_at IS NULL AND e.erased_at IS NULL
          WHERE wh.walk_list_id = $1
          ORDER BY wh.position, e.surname, e.first_name, e.id")
        .bind(walk_list_id).fetch_all(pool).await)?)
}

impl SheetLine {
    fn elector_name(&self) -> String {
        format!(
            "{} {}",
            self.first_name.as_deref().unwrap_or_default(),
            self.surname.as_deref().unwrap_or_default()
        )
    }

    fn elector_no(&self) -> String {
        elector_number(
            self.pd_prefix.as_deref().unwrap_or_default(),
            self.elector_number.unwrap_or_default(),
            self.elector_suffix.unwrap_or_default(),
        )
    }
}

fn elector_number(prefix: &str, number: i64, suffix: i64) -> String {
    if suffix == 0 {
        format!("{prefix}-{number}")
    } else {
        format!("{prefix}-{number}/{suffix}")
    }
}

/// Groups a list's lines by door, keeping walk order: (the door, its electors).
fn by_door(lines: Vec<SheetLine>) -> Vec<(SheetLine, Vec<SheetLine>)> {
    let mut out: Vec<(SheetLine, Vec<SheetLine>)> = Vec::new();
    for line in lines {
        if out.last().is_none_or(|(door, _)| door.household_id != line.household_id) {
            let door = SheetLine {
                address1: line.address1.clone(),
                address2: line.address2.clone(),
                postcode: line.postcode.clone(),
                elector_id: None,
                first_name: None,
                surname: None,
                pd_prefix: None,
                elector_number: None,
                elector_suffix: None,
                markers: None,
                ..line
            };
            out.push((door, Vec::new()));
        }
        if line.elector_id.is_some() {
            if let Some((_, electors)) = out.last_mut() {
                electors.push(line);
            }
        }
    }
    out
}

fn address_of(line: &SheetLine) -> String {
    match &line.address2 {
        Some(a2) if !a2.is_empty() => format!("{}, {a2}", line.address1),
        _ => line.address1.clone(),
    }
}

/// Gives a list a returns code if it has none yet (lists made before codes existed).
async fn ensure_code(store: &Store, walk_list_id: i64) -> AppResult<String> {
    on_store!(store, pool => sqlx::query("UPDATE walk_lists SET code = $1 WHERE id = $2 AND code IS NULL")
        .bind(new_code()).bind(walk_list_id).execute(pool).await.map(|_| ()))?;
    let (code,): (String,) = on_store!(store, pool => sqlx::query_as(
        "SELECT code FROM walk_lists WHERE id = $1").bind(walk_list_id).fetch_one(pool).await)?;
    Ok(code)
}

/// An SVG QR code of `text`, for printing (no XML declaration, so it can sit inline).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let svg =
                code.render::<qrcode::render::svg::Color>().min_dimensions(132, 132).quiet_zone(true).build();
            match svg.find("<svg") {
                Some(start) => svg[start..].to_string(),
                None => svg,
            }
        }
        Err(_) => String::new(),
    }
}

/// The printed walk sheet of a list. The caller has checked the user may plan it.
pub async fn sheet(store: &Store, walk_list_id: i64, origin: &str) -> AppResult<super::sheet::WalkSheet> {
    use super::sheet::{SheetDoor, SheetElector, WalkSheet};
    let (name, seat_name, created_at, session): (String, String, DateTime<Utc>, Option<String>) = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.name, s.name, wl.created_at, cs.title || ', ' || cs.meeting_point
           FROM walk_lists wl JOIN seats s ON s.id = wl.seat_id
           LEFT JOIN canvass_sessions cs ON cs.id = wl.canvass_session_id WHERE wl.id = $1")
        .bind(walk_list_id).fetch_one(pool).await)?;
    let code = ensure_code(store, walk_list_id).await?;
    let lines = sheet_lines(store, walk_list_id).await?;
    // Doors knocked on other lists since this one was cut: so no one knocks a door a
    // colleague did this morning.
    let elsewhere: Vec<(i64, DateTime<Utc>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT c.household_id, c.made_at FROM conversations c
           JOIN walk_list_households wh ON wh.household_id = c.household_id AND wh.walk_list_id = $1
          WHERE c.made_at > $2 AND (c.walk_list_id IS NULL OR c.walk_list_id <> $1)
          ORDER BY c.made_at")
        .bind(walk_list_id).bind(created_at).fetch_all(pool).await)?;
    let elsewhere: HashMap<i64, DateTime<Utc>> = elsewhere.into_iter().collect();
    let volunteers = list_rows_volunteers(store, walk_list_id).await?;
    let doors = by_door(lines)
        .into_iter()
        .map(|(door, electors)| SheetDoor {
            position: door.position,
            household_id: door.household_id,
            address: address_of(&door),
            postcode: door.postcode.clone(),
            knocked_elsewhere: elsewhere.get(&door.household_id).copied(),
            electors: electors
                .into_iter()
                .map(|e| SheetElector {
                    id: e.elector_id.unwrap_or_default(),
                    name: e.elector_name(),
                    number: e.elector_no(),
                    markers: e.markers.unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let returns_url = format!("{origin}/returns/{code}");
    let parties = crate::doorstep::queries::settings(store).await?.parties;
    Ok(WalkSheet {
        parties,
        id: walk_list_id,
        name,
        seat_name,
        qr_svg: qr_svg(&returns_url),
        returns_url,
        code,
        session,
        volunteers,
        doors,
    })
}

async fn list_rows_volunteers(store: &Store, walk_list_id: i64) -> AppResult<Option<String>> {
    let names: Vec<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.first_name || ' ' || v.surname FROM walk_list_assignments a
           JOIN volunteers v ON v.id = a.volunteer_id WHERE a.walk_list_id = $1 ORDER BY v.surname, v.first_name")
        .bind(walk_list_id).fetch_all(pool).await)?;
    Ok((!names.is_empty()).then(|| names.into_iter().map(|(n,)| n).collect::<Vec<_>>().join(", ")))
}

/// The returns screen of the sheet with this code, for the seat's organisers and admins.
pub async fn returns_sheet(
    store: &Store,
    user: &CurrentUser,
    code: &str,
) -> AppResult<super::sheet::ReturnsSheet> {
    use super::sheet::{ReturnDoor, ReturnElector, ReturnsSheet};
    let code = code.trim().to_ascii_uppercase();
    let row: Option<(i64, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT wl.id, wl.name, s.name FROM walk_lists wl JOIN seats s ON s.id = wl.seat_id WHERE wl.code = $1")
        .bind(&code).fetch_optional(pool).await)?;
    let (walk_list_id, name, seat_name) =
        row.ok_or_else(|| AppError::NotFound(format!("A walk sheet with code {code}")))?;
    planner_list(store, user, walk_list_id).await?;
    let last: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT household_id, result FROM conversations WHERE walk_list_id = $1 ORDER BY made_at, received_at, id")
        .bind(walk_list_id).fetch_all(pool).await)?;
    let last: HashMap<i64, String> = last.into_iter().collect();
    let doors = by_door(sheet_lines(store, walk_list_id).await?)
        .into_iter()
        .map(|(door, electors)| ReturnDoor {
            household_id: door.household_id,
            position: door.position,
            address: address_of(&door),
            last_result: last.get(&door.household_id).cloned(),
            do_not_knock: door.do_not_knock,
            entry_id: uuid::Uuid::new_v4().to_string(),
            electors: electors
                .into_iter()
                .map(|e| ReturnElector {
                    id: e.elector_id.unwrap_or_default(),
                    name: e.elector_name(),
                    number: e.elector_no(),
                    entry_id: uuid::Uuid::new_v4().to_string(),
                })
                .collect(),
        })
        .collect();
    let settings = crate::doorstep::queries::settings(store).await?;
    Ok(ReturnsSheet {
        walk_list_id,
        code,
        name,
        seat_name,
        doors,
        results: settings.results,
        parties: settings.parties,
        firmness: settings.firmness,
        canvassers: canvassers(store, walk_list_id).await?,
    })
}

/// The volunteers of the list's seat who may have knocked its doors (not erased), those
/// given the list first.
async fn canvassers(store: &Store, walk_list_id: i64) -> AppResult<Vec<super::sheet::Canvasser>> {
    let rows: Vec<(i64, String, bool)> = on_store!(store, pool => sqlx::query_as(
        "SELECT v.id, v.first_name || ' ' || v.surname,
                EXISTS (SELECT 1 FROM walk_list_assignments a WHERE a.walk_list_id = wl.id AND a.volunteer_id = v.id)
           FROM walk_lists wl JOIN volunteers v ON v.seat_id = wl.seat_id
          WHERE wl.id = $1 AND v.erased_at IS NULL
          ORDER BY 3 DESC, v.surname, v.first_name, v.id")
        .bind(walk_list_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(volunteer_id, name, assigned)| super::sheet::Canvasser { volunteer_id, name, assigned })
        .collect())
}

/// Stores a sheet's returns as conversations (each once, by the id the screen made),
/// as knocked by the canvasser the sheet names, and marks the do-not-knock doors. What
/// the form says is read by `returns_form::read`.
pub async fn save_returns(
    store: &Store,
    user: &CurrentUser,
    form: &super::sheet::ReturnsForm,
    now: DateTime<Utc>,
) -> AppResult<super::sheet::ReturnsOutcome> {
    use crate::doorstep::queries::{store_entries_from, Source};
    planner_list(store, user, form.walk_list_id).await?;
    let names: HashMap<i64, String> = sheet_lines(store, form.walk_list_id)
        .await?
        .into_iter()
        .filter_map(|l| Some((l.elector_id?, l.elector_name())))
        .collect();
    let read = super::returns_form::read(form, now, |id| {
        names.get(&id).cloned().unwrap_or_else(|| "An elector not on this list".into())
    })?;
    if let Some(volunteer) = read.canvasser {
        if !canvassers(store, form.walk_list_id).await?.iter().any(|c| c.volunteer_id == volunteer) {
            return Err(AppError::BadInput("The canvasser is not one of this seat's volunteers.".into()));
        }
    }
    let sent = read.entries.len();
    let stored = if read.entries.is_empty() {
        0
    } else {
        let from = Source::Paper { canvasser: read.canvasser };
        store_entries_from(store, user, read.entries, now, from).await?.stored
    };
    let mut do_not_knock = 0;
    for r in form.rows.iter().filter(|r| r.do_not_knock.is_some()) {
        let changed = on_store!(store, pool => sqlx::query(
            "UPDATE households SET do_not_knock = $1 WHERE id = $2 AND do_not_knock = $3
               AND id IN (SELECT household_id FROM walk_list_households WHERE walk_list_id = $4)")
            .bind(true).bind(r.household_id).bind(false).bind(form.walk_list_id)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        do_not_knock += changed as usize;
    }
    Ok(super::sheet::ReturnsOutcome { stored, already_had: sent - stored, do_not_knock })
}
