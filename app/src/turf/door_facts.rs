//! What the seat's doors are: read in four plain queries (doors, electors per door, doors
//! already listed, conversations) and joined here, so the map, the preview and the cut all
//! see the same facts; and the doors a cut's criteria choose.

use super::TurfCriteria;
use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use geo::{Contains, LineString, Point, Polygon};
use std::collections::{HashMap, HashSet};

/// Everything the cut needs to know about one door.
#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
pub struct DoorFacts {
    pub id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub address1: String,
    pub district_id: Option<i64>,
    pub ward_id: Option<i64>,
    pub do_not_knock: bool,
    #[sqlx(skip)]
    pub electors: i64,
    #[sqlx(skip)]
    pub postal_voters: i64,
    /// Electors here on the seat's latest marked register, and of them those who voted.
    #[sqlx(skip)]
    pub on_marked_register: i64,
    #[sqlx(skip)]
    pub voted_last: i64,
    #[sqlx(skip)]
    pub listed: bool,
    #[sqlx(skip)]
    pub last_contact: Option<DateTime<Utc>>,
    #[sqlx(skip)]
    pub latest_result: Option<String>,
    /// The latest intention recorded at this door, and how firm.
    #[sqlx(skip)]
    pub intention: Option<(String, Option<i64>)>,
}

impl DoorFacts {
    /// The map's status code (see [`super::STATUSES`]).
    pub fn status(&self, our_party: &str) -> &'static str {
        if self.do_not_knock {
            return "do_not_knock";
        }
        if matches!(self.latest_result.as_deref(), Some("moved" | "deceased" | "wrong_address")) {
            return "moved";
        }
        match self.intention.as_ref().map(|(i, _)| i.as_str()) {
            Some(i) if i == our_party => "supporter",
            Some("undecided") => "undecided",
            Some(_) => "against",
            None if self.last_contact.is_some() => "contacted",
            None => "not_contacted",
        }
    }
}

#[tracing::instrument(skip(store))]
pub async fn load_doors(store: &Store, seat_id: i64) -> AppResult<Vec<DoorFacts>> {
    let mut doors: Vec<DoorFacts> = on_store!(store, pool => sqlx::query_as(
        "SELECT h.id, h.lat, h.lon, h.street, h.house_number, h.address1,
                h.polling_district_id AS district_id, pd.ward_id, h.do_not_knock
           FROM households h LEFT JOIN polling_districts pd ON pd.id = h.polling_district_id
          WHERE h.seat_id = $1 ORDER BY h.id")
        .bind(seat_id).fetch_all(pool).await)?;
    let index: HashMap<i64, usize> = doors.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
    let electors: Vec<(i64, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT household_id, COUNT(*), CAST(SUM(CASE WHEN markers LIKE '%P%' THEN 1 ELSE 0 END) AS BIGINT)
           FROM electors WHERE seat_id = $1 AND left_at IS NULL GROUP BY household_id")
        .bind(seat_id).fetch_all(pool).await)?;
    for (h, n, postal) in electors {
        if let Some(&i) = index.get(&h) {
            doors[i].electors = n;
            doors[i].postal_voters = postal;
        }
    }
    let turnout: Vec<(i64, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT e.household_id, COUNT(*), CAST(SUM(CASE WHEN th.voted THEN 1 ELSE 0 END) AS BIGINT)
           FROM turnout_history th JOIN electors e ON e.id = th.elector_id
          WHERE th.marked_register_id = (SELECT id FROM marked_registers WHERE seat_id = $1
                                          ORDER BY election_date DESC LIMIT 1)
            AND e.left_at IS NULL
          GROUP BY e.household_id")
        .bind(seat_id).fetch_all(pool).await)?;
    for (h, on, voted) in turnout {
        if let Some(&i) = index.get(&h) {
            doors[i].on_marked_register = on;
            doors[i].voted_last = voted;
        }
    }
    let listed: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT DISTINCT wh.household_id FROM walk_list_households wh
           JOIN walk_lists wl ON wl.id = wh.walk_list_id
          WHERE wl.seat_id = $1 AND wl.status = 'active'")
        .bind(seat_id).fetch_all(pool).await)?;
    for (h,) in listed {
        if let Some(&i) = index.get(&h) {
            doors[i].listed = true;
        }
    }
    type Talk = (i64, String, Option<String>, Option<i64>, DateTime<Utc>);
    let talks: Vec<Talk> = on_store!(store, pool => sqlx::query_as(
        "SELECT household_id, result, intention, CAST(firmness AS BIGINT), made_at FROM conversations
          WHERE seat_id = $1 ORDER BY household_id, made_at, received_at, id")
        .bind(seat_id).fetch_all(pool).await)?;
    for (h, result, intention, firmness, made_at) in talks {
        if let Some(&i) = index.get(&h) {
            let d = &mut doors[i];
            d.last_contact = Some(made_at);
            d.latest_result = Some(result);
            if let Some(intention) = intention {
                d.intention = Some((intention, firmness));
            }
        }
    }
    Ok(doors)
}

pub async fn our_party(store: &Store) -> AppResult<String> {
    Ok(crate::dashboard::queries::our_party(store).await?.0)
}

/// A drawn polygon, closed, if it has at least three corners.
fn polygon_of(corners: &[[f64; 2]]) -> Option<Polygon<f64>> {
    (corners.len() >= 3).then(|| Polygon::new(LineString::from(corners.to_vec()), vec![]))
}

/// The doors the criteria choose, in the seat's household order.
pub fn select<'a>(
    doors: &'a [DoorFacts],
    criteria: &TurfCriteria,
    our_party: &str,
    now: DateTime<Utc>,
) -> Vec<&'a DoorFacts> {
    let polygon = polygon_of(&criteria.polygon);
    let streets: HashSet<String> =
        criteria.streets.iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect();
    let any_area = polygon.is_some()
        || !criteria.wards.is_empty()
        || !criteria.districts.is_empty()
        || !streets.is_empty();
    let cutoff = criteria.not_contacted_days.map(|days| now - Duration::days(days.max(0)));
    doors
        .iter()
        .filter(|d| {
            !any_area
                || polygon.as_ref().is_some_and(|p| match (d.lon, d.lat) {
                    (Some(lon), Some(lat)) => p.contains(&Point::new(lon, lat)),
                    _ => false,
                })
                || d.ward_id.is_some_and(|w| criteria.wards.contains(&w))
                || d.district_id.is_some_and(|p| criteria.districts.contains(&p))
                || d.street.as_ref().is_some_and(|s| streets.contains(&s.trim().to_lowercase()))
        })
        .filter(|d| criteria.include_do_not_knock || !d.do_not_knock)
        .filter(|d| criteria.include_moved || d.status(our_party) != "moved")
        .filter(|d| !criteria.never_contacted || d.last_contact.is_none())
        .filter(|d| match (cutoff, d.last_contact) {
            (Some(cutoff), Some(last)) => last < cutoff,
            _ => true,
        })
        .filter(|d| {
            !criteria.undecided_or_soft
                || match &d.intention {
                    Some((i, _)) if i == "undecided" => true,
                    Some((i, firmness)) if i == our_party => firmness.is_none_or(|f| f <= 3),
                    _ => false,
                }
        })
        .filter(|d| !criteria.postal_voters || d.postal_voters > 0)
        .filter(|d| match criteria.voted_last {
            Some(true) => d.voted_last > 0,
            Some(false) => d.on_marked_register > 0 && d.voted_last == 0,
            None => true,
        })
        .filter(|d| !criteria.skip_listed || !d.listed)
        .collect()
}

#[cfg(test)]
#[path = "door_facts_tests.rs"]
mod tests;
