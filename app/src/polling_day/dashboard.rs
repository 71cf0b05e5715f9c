//! The polling-day dashboard's figures: per ballot box, the turnout estimate's inputs and
//! its result; per committee room, the totals, resources and where to knock next.

use super::queries::{promises, promises_are, win_and_turnout};
use super::turnout::{estimate, BoxInputs};
use super::{BoxFigures, PollingDayView, RoomFigures};
use crate::error::AppResult;
use crate::on_store;
use crate::seat::SeatSummary;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// How many districts each room's "where next" names.
const WHERE_NEXT: usize = 5;

#[tracing::instrument(skip(store, seat), fields(seat = %seat.gss_code))]
pub async fn dashboard(
    store: &Store,
    seat: &SeatSummary,
    can_edit: bool,
    now: DateTime<Utc>,
) -> AppResult<PollingDayView> {
    type BoxRow = (i64, String, i64, String, String, Option<i64>, Option<String>);
    let boxes: Vec<BoxRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT b.id, b.label, pd.id, pd.code, s.name, r.id, r.name
           FROM ballot_boxes b JOIN polling_districts pd ON pd.id = b.polling_district_id
           JOIN polling_stations s ON s.id = b.station_id LEFT JOIN committee_rooms r ON r.id = b.committee_room_id
          WHERE b.seat_id = $1 ORDER BY pd.code")
        .bind(seat.id).fetch_all(pool).await)?;
    let pairs = |sql: &'static str| async move {
        let rows: Vec<(Option<i64>, i64)> =
            on_store!(store, pool => sqlx::query_as(sql).bind(seat.id).fetch_all(pool).await)?;
        AppResult::Ok(rows.into_iter().map(|(k, v)| (k.unwrap_or(0), v)).collect::<HashMap<i64, i64>>())
    };
    let electorate = pairs(
        "SELECT polling_district_id, COUNT(*) FROM electors WHERE seat_id = $1 AND left_at IS NULL
          GROUP BY polling_district_id",
    )
    .await?;
    let told = pairs(
        "SELECT e.polling_district_id, COUNT(*) FROM telling_entries t JOIN electors e ON e.id = t.elector_id
          WHERE t.seat_id = $1 AND t.undone_at IS NULL GROUP BY e.polling_district_id",
    )
    .await?;
    let counts: Vec<(i64, String, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT c.box_id, c.at_time, c.papers FROM ballot_box_counts c JOIN ballot_boxes b ON b.id = c.box_id
          WHERE b.seat_id = $1 ORDER BY c.box_id, c.at_time")
        .bind(seat.id).fetch_all(pool).await)?;
    // The latest count by time of day ("HH:MM" sorts as text).
    let latest: HashMap<i64, (String, i64)> = counts.into_iter().map(|(b, at, n)| (b, (at, n))).collect();
    let (unknown_entries,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM telling_entries WHERE seat_id = $1 AND elector_id IS NULL AND undone_at IS NULL")
        .bind(seat.id).fetch_one(pool).await)?;

    // Per district: promises, promises told, promises who said "voted", lifts wanted, and
    // postal voters who said their vote is sent.
    let mut per: HashMap<i64, [i64; 5]> = HashMap::new();
    for (district, p) in promises(store, seat.id, None).await? {
        let f = per.entry(district).or_default();
        let last = p.last_result.as_deref();
        f[0] += 1;
        if p.postal_sent {
            f[4] += 1;
            continue;
        }
        f[1] += i64::from(p.told);
        f[2] += i64::from(!p.told && last == Some("voted"));
        f[3] += i64::from(!p.told && last == Some("needs_lift"));
    }
    let figures: Vec<(Option<i64>, BoxFigures)> = boxes
        .into_iter()
        .map(|(box_id, label, district_id, district, station, room_id, room)| {
            let [promises, told_promises, doorstep_voted, lifts, postal_sent] =
                per.get(&district_id).copied().unwrap_or_default();
            let count = latest.get(&box_id);
            let inputs = BoxInputs {
                electorate: electorate.get(&district_id).copied().unwrap_or(0),
                promises,
                told: told.get(&district_id).copied().unwrap_or(0),
                told_promises,
                doorstep_voted,
                papers_issued: count.map(|(_, n)| *n),
            };
            // A postal vote is not in the box's count nor seen by its tellers: the box's
            // estimate is of the promises voting in person, and sent postal votes are added
            // to it as known votes.
            let mut estimate = estimate(&BoxInputs { promises: promises - postal_sent, ..inputs.clone() });
            estimate.promises_voted += postal_sent as f64;
            estimate.known += postal_sent;
            let still_to_vote = promises - estimate.known;
            let f = BoxFigures {
                box_id,
                label,
                district,
                station,
                room,
                counted_at: count.map(|(at, _)| at.clone()),
                estimate,
                still_to_vote,
                lifts,
                inputs,
            };
            (room_id, f)
        })
        .collect();

    let room_rows: Vec<(i64, String, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, name, canvassers, cars FROM committee_rooms WHERE seat_id = $1 ORDER BY name")
        .bind(seat.id).fetch_all(pool).await)?;
    let rooms = room_rows
        .into_iter()
        .map(|(id, name, canvassers, cars)| {
            let mine: Vec<&BoxFigures> =
                figures.iter().filter(|(r, _)| *r == Some(id)).map(|(_, f)| f).collect();
            let mut where_next: Vec<(String, i64)> = mine
                .iter()
                .filter(|f| f.still_to_vote > 0)
                .map(|f| (f.district.clone(), f.still_to_vote))
                .collect();
            where_next.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            where_next.truncate(WHERE_NEXT);
            RoomFigures {
                name,
                canvassers,
                cars,
                promises: mine.iter().map(|f| f.inputs.promises).sum(),
                known_voted: mine.iter().map(|f| f.estimate.known).sum(),
                estimated_voted: mine.iter().map(|f| f.estimate.promises_voted).sum(),
                lifts: mine.iter().map(|f| f.lifts).sum(),
                where_next,
            }
        })
        .collect();
    let (_, our_name) = crate::dashboard::queries::our_party(store).await?;
    let (win_number, usual_turnout) = win_and_turnout(store, seat.id, &our_name).await?;
    Ok(PollingDayView {
        gss_code: seat.gss_code.clone(),
        seat_name: seat.name.clone(),
        promises_are: promises_are(store).await?,
        win_number,
        usual_turnout,
        boxes: figures.into_iter().map(|(_, f)| f).collect(),
        rooms,
        unknown_entries,
        can_edit,
        as_of: now,
    })
}

/// Records papers issued from a box by a time of day. A figure for a time already given
/// corrects it; the audit log keeps the figure before and after.
pub async fn record_count(
    store: &Store,
    seat_id: i64,
    user_id: i64,
    box_id: i64,
    at_time: &str,
    papers: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use crate::error::AppError;
    let t = at_time.trim();
    let ok_time = t.len() == 5
        && chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok_and(|at| {
            (chrono::NaiveTime::from_hms_opt(7, 0, 0)..=chrono::NaiveTime::from_hms_opt(22, 0, 0))
                .contains(&Some(at))
        });
    if !ok_time {
        return Err(AppError::BadInput(format!(
            "\"{t}\" is not a time of polling day: give it as HH:MM, from 07:00 to 22:00."
        )));
    }
    if !(0..=100_000).contains(&papers) {
        return Err(AppError::BadInput("Papers issued is a number from 0 to 100,000.".into()));
    }
    let label: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT label FROM ballot_boxes WHERE id = $1 AND seat_id = $2").bind(box_id).bind(seat_id).fetch_optional(pool).await)?;
    let (label,) = label.ok_or_else(|| AppError::NotFound("That ballot box".into()))?;
    let before: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT papers FROM ballot_box_counts WHERE box_id = $1 AND at_time = $2").bind(box_id).bind(t).fetch_optional(pool).await)?;
    on_store!(store, pool => sqlx::query(
        "INSERT INTO ballot_box_counts (box_id, at_time, papers, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (box_id, at_time) DO UPDATE SET papers = excluded.papers, recorded_by = excluded.recorded_by,
            recorded_at = excluded.recorded_at")
        .bind(box_id).bind(t).bind(papers).bind(user_id).bind(now).execute(pool).await.map(|_| ()))?;
    let change = match before {
        Some((b,)) => format!("box {label} at {t}: {b} → {papers} papers (corrected)"),
        None => format!("box {label} at {t}: {papers} papers"),
    };
    crate::audit::record(store, Some(user_id), "change", "ballot_box", &box_id.to_string(), &change).await
}
