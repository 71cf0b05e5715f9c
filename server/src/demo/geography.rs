//! The demo seat's real geography: boundary, wards and postcodes of Bury North,
//! shipped in `server/data/demo` (see its LICENCE.md).

use serde::Deserialize;

pub const SEAT_CODE: &str = "E14000611";
pub const SEAT_NAME: &str = "Bury North";
pub const REGION: &str = "North West";

const BOUNDARIES: &str = include_str!("../../data/demo/bury_north_boundaries.geojson");
const POSTCODES: &str = include_str!("../../data/demo/bury_north_postcodes.csv");
const RESULTS: &str = include_str!("../../data/demo/bury_north_results.csv");

#[derive(Debug, Clone)]
pub struct Area {
    pub code: String,
    pub name: String,
    /// GeoJSON geometry, as text.
    pub geometry: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Postcode {
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub ward_code: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ResultRow {
    pub year: i64,
    pub winner: String,
    pub runner_up: String,
    pub winner_votes: i64,
    pub runner_up_votes: i64,
    pub majority: i64,
    pub electorate: i64,
    pub valid_votes: i64,
    pub invalid_votes: i64,
}

pub struct Geography {
    pub seat: Area,
    pub wards: Vec<Area>,
    pub postcodes: Vec<Postcode>,
    pub results: Vec<ResultRow>,
}

/// Parses the shipped files. They are compiled in, so failure is a build defect.
pub fn load() -> Result<Geography, String> {
    let collection: geojson::FeatureCollection = BOUNDARIES
        .parse::<geojson::GeoJson>()
        .map_err(|e| e.to_string())?
        .try_into()
        .map_err(|e: geojson::Error| e.to_string())?;
    let mut seat = None;
    let mut wards = Vec::new();
    for feature in collection.features {
        let prop = |k: &str| feature.property(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let geometry = feature.geometry.as_ref().map(|g| g.to_string()).unwrap_or_default();
        let area = Area { code: prop("code"), name: prop("name"), geometry };
        match prop("kind").as_str() {
            "seat" => seat = Some(area),
            _ => wards.push(area),
        }
    }
    wards.sort_by(|a, b| a.name.cmp(&b.name));
    let postcodes = csv::Reader::from_reader(POSTCODES.as_bytes())
        .deserialize()
        .collect::<Result<Vec<Postcode>, _>>()
        .map_err(|e| format!("bury_north_postcodes.csv: {e}"))?;
    let results = csv::Reader::from_reader(RESULTS.as_bytes())
        .deserialize()
        .collect::<Result<Vec<ResultRow>, _>>()
        .map_err(|e| format!("bury_north_results.csv: {e}"))?;
    Ok(Geography { seat: seat.ok_or("no seat boundary")?, wards, postcodes, results })
}
