//! Cutting turf: the preview of a cut, splitting the chosen doors into walk lists with a
//! walking order, and writing new lists (a cut's, or a second pass of one).

use super::door_facts::{load_doors, our_party, select, DoorFacts};
use super::split::{self, Door};
use super::{CutOutcome, TurfCriteria, TurfPreview};
use crate::error::{AppError, AppResult};
use crate::on_tx;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

fn list_size(criteria: &TurfCriteria) -> AppResult<usize> {
    if !(5..=200).contains(&criteria.list_size) {
        return Err(AppError::BadInput("A list holds between 5 and 200 doors.".into()));
    }
    Ok(criteria.list_size)
}

pub async fn preview(
    store: &Store,
    seat_id: i64,
    criteria: &TurfCriteria,
    now: DateTime<Utc>,
) -> AppResult<TurfPreview> {
    let size = list_size(criteria)?;
    let doors = load_doors(store, seat_id).await?;
    let party = our_party(store).await?;
    let chosen = select(&doors, criteria, &party, now);
    let unplaced = chosen.iter().filter(|d| d.lat.is_none() || d.lon.is_none()).count();
    let placed = chosen.len() - unplaced;
    Ok(TurfPreview {
        doors: placed,
        electors: chosen.iter().filter(|d| d.lat.is_some() && d.lon.is_some()).map(|d| d.electors).sum(),
        unplaced,
        lists: placed.div_ceil(size),
    })
}

/// The doors as the splitter sees them (doors with no map position are left out).
pub fn split_doors(chosen: &[&DoorFacts]) -> Vec<Door> {
    chosen
        .iter()
        .filter_map(|d| {
            Some(Door {
                id: d.id,
                lat: d.lat?,
                lon: d.lon?,
                street: d.street.clone().unwrap_or_default(),
                house_number: d.house_number.clone().unwrap_or_default(),
                address1: d.address1.clone(),
            })
        })
        .collect()
}

/// A short code for a printed sheet: six letters and digits that cannot be misread.
pub fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..6).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// A new list to write: its name, session, origin and doors in walk order.
pub struct NewList {
    pub name: String,
    pub session_id: Option<i64>,
    pub reissued_from: Option<i64>,
    pub households: Vec<i64>,
}

/// Writes lists and their doors in one transaction; returns their ids.
pub async fn insert_lists(
    store: &Store,
    seat_id: i64,
    created_by: i64,
    lists: &[NewList],
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let ids = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let mut ids = Vec::with_capacity(lists.len());
        for list in lists {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO walk_lists (seat_id, name, canvass_session_id, status, created_at, code, reissued_from, created_by)
                 VALUES ($1, $2, $3, 'active', $4, $5, $6, $7) RETURNING id")
                .bind(seat_id).bind(&list.name).bind(list.session_id).bind(now).bind(new_code())
                .bind(list.reissued_from).bind(created_by)
                .fetch_one(&mut *tx).await?;
            for (chunk_no, chunk) in list.households.chunks(500).enumerate() {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO walk_list_households (walk_list_id, household_id, position) ");
                qb.push_values(chunk.iter().enumerate(), |mut row, (k, household)| {
                    row.push_bind(id).push_bind(*household).push_bind((chunk_no * 500 + k + 1) as i64);
                });
                qb.build().execute(&mut *tx).await?;
            }
            ids.push(id);
        }
        Ok::<_, sqlx::Error>(ids)
    })})).await?;
    Ok(ids)
}

/// Cuts the chosen doors into walk lists with routes and stores them.
#[tracing::instrument(skip(store, criteria))]
pub async fn cut(
    store: &Store,
    user_id: i64,
    seat_id: i64,
    criteria: &TurfCriteria,
    now: DateTime<Utc>,
) -> AppResult<CutOutcome> {
    let size = list_size(criteria)?;
    let doors = load_doors(store, seat_id).await?;
    let party = our_party(store).await?;
    let chosen = select(&doors, criteria, &party, now);
    let placed = split_doors(&chosen);
    if placed.is_empty() {
        return Err(AppError::BadInput("No doors match: choose an area or loosen the filters.".into()));
    }
    let lists = split::split(&placed, size, criteria.order);
    let metres = lists.iter().map(|l| split::route_metres(&placed, l)).sum();
    let day = now.format("%-d %b").to_string();
    let new: Vec<NewList> = lists
        .iter()
        .enumerate()
        .map(|(n, list)| NewList {
            name: format!("{} {} · {day}", main_street(&placed, list), n + 1),
            session_id: None,
            reissued_from: None,
            households: list.iter().map(|&i| placed[i].id).collect(),
        })
        .collect();
    let ids = insert_lists(store, seat_id, user_id, &new, now).await?;
    Ok(CutOutcome { lists: ids, doors: placed.len(), metres })
}

/// The street with most doors on a list, to name it by.
fn main_street(doors: &[Door], list: &[usize]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in list {
        *counts.entry(doors[i].street.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| if s.is_empty() { "Doors".to_string() } else { s.to_string() })
        .unwrap_or_default()
}
