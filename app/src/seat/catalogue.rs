//! Every Great Britain constituency from the open data Groundwork ships
//! (`server/data/gb/`, made by `groundwork gb-data`): the catalogue admins pick target
//! seats from, and adding a seat with its boundary, region and last results at once.

use super::{CatalogueSeat, CatalogueView, ElectionResult};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

const RESULTS: &str = include_str!("../../../server/data/gb/results.csv");
const BOUNDARIES: &str = include_str!("../../../server/data/gb/boundaries.geojson");
const WARDS: &str = include_str!("../../../server/data/gb/wards.geojson");

/// A seat as the shipped files give it: results oldest first.
#[derive(Debug, Clone)]
pub struct ShippedSeat {
    pub gss_code: String,
    pub name: String,
    pub region: String,
    pub results: Vec<ElectionResult>,
}

impl ShippedSeat {
    pub fn last(&self) -> Option<&ElectionResult> {
        self.results.last()
    }
}

#[derive(serde::Deserialize)]
struct Row {
    gss_code: String,
    name: String,
    region: String,
    year: i64,
    winner: String,
    runner_up: String,
    winner_votes: i64,
    runner_up_votes: i64,
    majority: i64,
    electorate: i64,
    valid_votes: i64,
    invalid_votes: i64,
}

impl Row {
    fn result(&self) -> ElectionResult {
        ElectionResult {
            year: self.year,
            winner: self.winner.clone(),
            runner_up: self.runner_up.clone(),
            winner_votes: self.winner_votes,
            runner_up_votes: self.runner_up_votes,
            majority: self.majority,
            electorate: self.electorate,
            valid_votes: self.valid_votes,
            invalid_votes: self.invalid_votes,
        }
    }
}

/// The shipped seats, in code order (read once; the files are part of the binary).
pub fn shipped() -> &'static [ShippedSeat] {
    static SEATS: OnceLock<Vec<ShippedSeat>> = OnceLock::new();
    SEATS.get_or_init(|| {
        let mut seats: Vec<ShippedSeat> = Vec::new();
        for row in csv::Reader::from_reader(RESULTS.as_bytes()).deserialize::<Row>().flatten() {
            let result = row.result();
            match seats.last_mut() {
                Some(s) if s.gss_code == row.gss_code => s.results.push(result),
                _ => seats.push(ShippedSeat {
                    gss_code: row.gss_code,
                    name: row.name,
                    region: row.region,
                    results: vec![result],
                }),
            }
        }
        seats
    })
}

pub fn find(gss_code: &str) -> Option<&'static ShippedSeat> {
    let code = gss_code.trim().to_uppercase();
    shipped().iter().find(|s| s.gss_code == code)
}

/// A seat's simplified boundary, as GeoJSON geometry text.
pub fn boundary(gss_code: &str) -> Option<String> {
    // One feature per line: find the seat's line without parsing the whole file.
    let needle = format!("\"gss_code\":\"{gss_code}\"");
    let line = BOUNDARIES.lines().find(|l| l.contains(&needle))?;
    let feature: serde_json::Value = serde_json::from_str(line.trim_end_matches(',')).ok()?;
    Some(feature.get("geometry")?.to_string())
}

/// A seat's 2013 wards, where the shipped open data has them (the districts of the demo
/// areas): (ward code, name, boundary as GeoJSON geometry text). Other seats get their
/// wards from the register's polling districts.
pub fn wards(gss_code: &str) -> Vec<(String, String, String)> {
    let needle = format!("\"seat\":\"{gss_code}\"");
    let mut wards: Vec<(String, String, String)> = WARDS
        .lines()
        .filter(|l| l.contains(&needle))
        .filter_map(|l| {
            let f: serde_json::Value = serde_json::from_str(l.trim_end_matches(',')).ok()?;
            let prop = |k: &str| f.get("properties")?.get(k)?.as_str().map(str::to_string);
            Some((prop("gss_code")?, prop("name")?, f.get("geometry")?.to_string()))
        })
        .collect();
    wards.sort_by(|a, b| a.1.cmp(&b.1));
    wards
}

/// Swing needed to take the seat: half the majority as a share of valid votes, in %.
pub fn swing_needed(r: &ElectionResult) -> f64 {
    if r.valid_votes == 0 {
        return 0.0;
    }
    100.0 * r.majority as f64 / r.valid_votes as f64 / 2.0
}

/// How the catalogue is ordered: most winnable first for `swing` and `majority`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Swing,
    Majority,
    Name,
}

impl Sort {
    pub fn parse(s: &str) -> Sort {
        match s {
            "majority" => Sort::Majority,
            "name" => Sort::Name,
            _ => Sort::Swing,
        }
    }
}

/// The filters a catalogue search takes; empty strings mean "any".
#[derive(Debug, Default, Clone)]
pub struct Filter<'a> {
    pub q: &'a str,
    pub region: &'a str,
    pub winner: &'a str,
}

/// The catalogue, filtered and sorted, with which seats the campaign already holds.
#[tracing::instrument(skip(store))]
pub async fn catalogue(store: &Store, filter: Filter<'_>, sort: Sort) -> AppResult<CatalogueView> {
    let held: Vec<(String, Option<String>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT s.gss_code, r.name FROM seats s LEFT JOIN regions r ON r.id = s.region_id")
        .fetch_all(pool).await)?;
    let held: HashMap<String, Option<String>> = held.into_iter().collect();
    let all = shipped();
    let regions: BTreeSet<String> = all.iter().map(|s| s.region.clone()).collect();
    let winners: BTreeSet<String> = all.iter().filter_map(|s| s.last().map(|r| r.winner.clone())).collect();
    let q = filter.q.trim().to_lowercase();
    let mut seats: Vec<CatalogueSeat> = all
        .iter()
        .filter(|s| q.is_empty() || s.name.to_lowercase().contains(&q) || s.gss_code.to_lowercase() == q)
        .filter(|s| filter.region.is_empty() || s.region == filter.region)
        .filter_map(|s| {
            let last = s.last()?;
            (filter.winner.is_empty() || last.winner == filter.winner).then(|| CatalogueSeat {
                gss_code: s.gss_code.clone(),
                name: s.name.clone(),
                region: s.region.clone(),
                winner: last.winner.clone(),
                runner_up: last.runner_up.clone(),
                year: last.year,
                majority: last.majority,
                swing_needed: swing_needed(last),
                in_campaign: held.contains_key(&s.gss_code),
                campaign_region: held.get(&s.gss_code).cloned().flatten(),
            })
        })
        .collect();
    match sort {
        Sort::Swing => {
            seats.sort_by(|a, b| a.swing_needed.total_cmp(&b.swing_needed).then(a.name.cmp(&b.name)))
        }
        Sort::Majority => seats.sort_by(|a, b| a.majority.cmp(&b.majority).then(a.name.cmp(&b.name))),
        Sort::Name => seats.sort_by(|a, b| a.name.cmp(&b.name)),
    }
    let mut campaign_regions: Vec<(String,)> = on_store!(store, pool => sqlx::query_as("SELECT name FROM regions ORDER BY name").fetch_all(pool).await)?;
    let mut region_names: Vec<String> = regions.into_iter().collect();
    for (r,) in campaign_regions.drain(..) {
        if !region_names.contains(&r) {
            region_names.push(r);
        }
    }
    Ok(CatalogueView {
        total: all.len(),
        seats,
        regions: region_names,
        winners: winners.into_iter().collect(),
    })
}

/// What adding a seat did.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    pub seat_id: i64,
    pub gss_code: String,
    pub name: String,
    pub region: String,
    /// False when the seat was already in the campaign (its region may have moved).
    pub new: bool,
    pub results: usize,
}

/// Makes a shipped seat a target: its boundary, its region (made if new; the results
/// file's region unless `region` names another) and its 2015 and 2019 results, in one
/// transaction. On a seat already held it only moves the seat to `region`, if given,
/// and keeps its boundary and any results imported since.
#[tracing::instrument(skip(store))]
pub async fn add_target(
    store: &Store,
    user_id: Option<i64>,
    gss_code: &str,
    region: Option<&str>,
) -> AppResult<Added> {
    let seat = find(gss_code).ok_or_else(|| AppError::NotFound(format!("Seat {}", gss_code.trim())))?;
    let given = region.map(str::trim).filter(|r| !r.is_empty());
    if given.is_some_and(|r| r.chars().count() > 100) {
        return Err(AppError::BadInput("A region's name is at most 100 characters.".into()));
    }
    let boundary = boundary(&seat.gss_code);
    let wards = wards(&seat.gss_code);
    let electorate = seat.last().map(|r| r.electorate);
    let (seat_id, new, region_name, results) = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let existing: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT s.id, r.name FROM seats s LEFT JOIN regions r ON r.id = s.region_id WHERE s.gss_code = $1")
            .bind(&seat.gss_code).fetch_optional(&mut *tx).await?;
        let region_name = given.map(str::to_string)
            .or_else(|| existing.as_ref().and_then(|e| e.1.clone()))
            .unwrap_or_else(|| seat.region.clone());
        sqlx::query("INSERT INTO regions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(&region_name).execute(&mut *tx).await?;
        let (region_id,): (i64,) = sqlx::query_as("SELECT id FROM regions WHERE name = $1")
            .bind(&region_name).fetch_one(&mut *tx).await?;
        let seat_id = match &existing {
            Some((id, _)) => {
                sqlx::query("UPDATE seats SET is_target = $1, region_id = $2, boundary = COALESCE(boundary, $3) WHERE id = $4")
                    .bind(true).bind(region_id).bind(&boundary).bind(id).execute(&mut *tx).await?;
                *id
            }
            None => {
                sqlx::query(
                    "INSERT INTO seats (gss_code, name, region_id, electorate, is_target, boundary)
                     VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&seat.gss_code).bind(&seat.name).bind(region_id).bind(electorate).bind(true).bind(&boundary)
                    .execute(&mut *tx).await?;
                let (id,): (i64,) = sqlx::query_as("SELECT id FROM seats WHERE gss_code = $1")
                    .bind(&seat.gss_code).fetch_one(&mut *tx).await?;
                id
            }
        };
        for (code, name, shape) in &wards {
            sqlx::query("INSERT INTO wards (seat_id, gss_code, name, boundary) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (seat_id, gss_code) DO NOTHING")
                .bind(seat_id).bind(code).bind(name).bind(shape).execute(&mut *tx).await?;
        }
        let mut results = 0;
        for r in &seat.results {
            results += sqlx::query(
                "INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes, majority,
                                           electorate, valid_votes, invalid_votes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (seat_id, year) DO NOTHING")
                .bind(seat_id).bind(r.year).bind(&r.winner).bind(&r.runner_up).bind(r.winner_votes)
                .bind(r.runner_up_votes).bind(r.majority).bind(r.electorate).bind(r.valid_votes).bind(r.invalid_votes)
                .execute(&mut *tx).await?.rows_affected() as usize;
        }
        Ok::<_, sqlx::Error>((seat_id, existing.is_none(), region_name, results))
    })})).await?;
    let what = if new {
        format!("added as a target seat in {region_name}")
    } else {
        format!("region set to {region_name}")
    };
    crate::audit::record(store, user_id, "change", "seat", &seat.gss_code, &what).await?;
    Ok(Added {
        seat_id,
        gss_code: seat.gss_code.clone(),
        name: seat.name.clone(),
        region: region_name,
        new,
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_holds_every_gb_seat_with_two_results() {
        let seats = shipped();
        assert_eq!(seats.len(), 632);
        assert!(seats
            .iter()
            .all(|s| s.results.len() == 2 && s.results[0].year == 2015 && s.results[1].year == 2019));
        assert!(seats.iter().all(|s| boundary(&s.gss_code).is_some()), "every seat has a boundary");
    }

    #[test]
    fn bury_north_matches_the_commons_library() {
        let s = find("e14000611").expect("Bury North");
        assert_eq!(s.name, "Bury North");
        assert_eq!(s.region, "North West");
        assert_eq!((s.results[0].majority, s.results[0].valid_votes), (378, 45_230));
        assert_eq!((s.results[1].winner.as_str(), s.results[1].majority), ("Conservative", 105));
        assert!((swing_needed(&s.results[1]) - 0.1).abs() < 0.05);
    }

    #[test]
    fn demo_area_seats_come_with_their_wards() {
        let names: Vec<String> = wards("E14000611").into_iter().map(|w| w.1).collect();
        assert_eq!(
            names,
            ["Church", "East", "Elton", "Moorside", "North Manor", "Ramsbottom", "Redvales", "Tottington"]
        );
        assert!(wards("E14000611").iter().all(|w| w.2.contains("Polygon")));
        assert!(wards("E14000001").is_empty(), "no ward data shipped for Aberavon");
    }
}
