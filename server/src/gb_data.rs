//! Builds the open data Groundwork ships for every Great Britain constituency
//! (`server/data/gb/`) from the full source files, so the shipped copy can be made again:
//!
//! ```text
//! groundwork gb-data --source ../shared/data --out server/data/gb
//! ```
//!
//! * `results.csv`: the 2015 and 2019 general election results of the 632 GB seats (Northern
//!   Ireland's 18 are left out), one row per seat and year, in the columns of `seat_results`,
//!   with the seat's name and region taken from the 2019 file.
//! * `boundaries.geojson`: the 2013 constituency boundaries, simplified with
//!   Ramer–Douglas–Peucker ([`geo::Simplify`]) at [`TOLERANCE`] degrees (`--tolerance`), rings
//!   that collapse dropped, coordinates rounded to 5 decimals (about 1 m).
//!
//! The command is hidden from `--help`: it is for maintainers refreshing the shipped data.

use app::seat::results::{self, ParsedResult};
use geo::{Coord, LineString, MultiPolygon, Polygon, Simplify};
use std::collections::BTreeMap;
use std::path::Path;

/// The default simplification tolerance, in degrees (0.002° is about 140 m east–west and
/// 220 m north–south in Great Britain).
pub const TOLERANCE: f64 = 0.002;

fn read_results(path: &Path, year: i64) -> Result<Vec<ParsedResult>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let (rows, rejected) = results::parse(std::io::BufReader::new(file), year)?;
    if let Some(r) = rejected.first() {
        return Err(format!("{}: line {}: {}", path.display(), r.line, r.reason));
    }
    Ok(rows)
}

fn round(v: f64) -> f64 {
    (v * 100_000.0).round() / 100_000.0
}

fn simplify_ring(ring: &LineString<f64>, tolerance: f64) -> Option<LineString<f64>> {
    let simple = ring.simplify(tolerance);
    let mut coords: Vec<Coord<f64>> =
        simple.0.iter().map(|c| Coord { x: round(c.x), y: round(c.y) }).collect();
    coords.dedup();
    // A ring needs three distinct points and its closing point.
    (coords.len() >= 4).then_some(LineString(coords))
}

/// Simplifies each polygon's rings; a polygon whose outer ring collapses is dropped, but
/// a seat always keeps its largest polygon.
fn simplify(shape: &MultiPolygon<f64>, tolerance: f64) -> MultiPolygon<f64> {
    let mut out: Vec<Polygon<f64>> = shape
        .0
        .iter()
        .filter_map(|p| {
            let exterior = simplify_ring(p.exterior(), tolerance)?;
            let holes = p.interiors().iter().filter_map(|r| simplify_ring(r, tolerance)).collect();
            Some(Polygon::new(exterior, holes))
        })
        .collect();
    if out.is_empty() {
        use geo::Area;
        if let Some(biggest) = shape.0.iter().max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area())) {
            out.push(biggest.clone());
        }
    }
    MultiPolygon(out)
}

/// Writes `results.csv` and `boundaries.geojson` into `out`; returns a one-line summary.
pub fn build(source: &Path, out: &Path, tolerance: f64) -> Result<String, String> {
    let r2015 = read_results(&source.join("results/ge2015_hoc_by_constituency.csv"), 2015)?;
    let r2019 = read_results(&source.join("results/ge2019_hoc_by_constituency.csv"), 2019)?;
    let gb = |r: &ParsedResult| !r.gss_code.starts_with('N');
    let names: BTreeMap<String, (String, String)> = r2019
        .iter()
        .filter(|r| gb(r))
        .map(|r| {
            (r.gss_code.clone(), (r.name.clone().unwrap_or_default(), r.region.clone().unwrap_or_default()))
        })
        .collect();
    let mut rows: Vec<&ParsedResult> = r2015.iter().chain(r2019.iter()).filter(|r| gb(r)).collect();
    rows.sort_by(|a, b| (&a.gss_code, a.result.year).cmp(&(&b.gss_code, b.result.year)));
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let results_path = out.join("results.csv");
    let mut w = csv::Writer::from_path(&results_path).map_err(|e| e.to_string())?;
    w.write_record([
        "gss_code",
        "name",
        "region",
        "year",
        "winner",
        "runner_up",
        "winner_votes",
        "runner_up_votes",
        "majority",
        "electorate",
        "valid_votes",
        "invalid_votes",
    ])
    .map_err(|e| e.to_string())?;
    for row in &rows {
        let (name, region) =
            names.get(&row.gss_code).ok_or_else(|| format!("{} is not in the 2019 file", row.gss_code))?;
        let r = &row.result;
        w.write_record([
            row.gss_code.as_str(),
            name,
            region,
            &r.year.to_string(),
            &r.winner,
            &r.runner_up,
            &r.winner_votes.to_string(),
            &r.runner_up_votes.to_string(),
            &r.majority.to_string(),
            &r.electorate.to_string(),
            &r.valid_votes.to_string(),
            &r.invalid_votes.to_string(),
        ])
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())?;

    let text = std::fs::read_to_string(source.join("boundaries/gb_wpc_2013.geojson"))
        .map_err(|e| format!("cannot read the boundaries: {e}"))?;
    let collection: geojson::FeatureCollection = text
        .parse::<geojson::GeoJson>()
        .and_then(TryFrom::try_from)
        .map_err(|e: geojson::Error| e.to_string())?;
    let mut features = Vec::new();
    let (mut before, mut after) = (0usize, 0usize);
    for feature in collection.features {
        let prop = |k: &str| feature.property(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let (code, name) = (prop("PCON13CD"), prop("PCON13NM"));
        let geometry = feature.geometry.as_ref().ok_or_else(|| format!("{code} has no geometry"))?;
        let shape: geo::Geometry<f64> = geometry.try_into().map_err(|e: geojson::Error| e.to_string())?;
        let shape = match shape {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(m) => m,
            _ => return Err(format!("{code}: not a polygon")),
        };
        use geo::CoordsIter;
        before += shape.coords_count();
        let simple = simplify(&shape, tolerance);
        after += simple.coords_count();
        let mut props = serde_json::Map::new();
        props.insert("gss_code".into(), code.clone().into());
        props.insert("name".into(), name.into());
        features.push(geojson::Feature {
            geometry: Some(geojson::Geometry::from(&simple)),
            properties: Some(props),
            ..Default::default()
        });
    }
    features.sort_by_key(|f| f.property("gss_code").and_then(|v| v.as_str()).unwrap_or_default().to_string());
    let seats = features.len();
    let fc = geojson::FeatureCollection { features, bbox: None, foreign_members: None };
    let boundaries_path = out.join("boundaries.geojson");
    // One seat per line, so a diff of a refreshed file stays readable.
    let mut body = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, f) in fc.features.iter().enumerate() {
        if i > 0 {
            body.push_str(",\n");
        }
        body.push_str(&serde_json::to_string(f).map_err(|e| e.to_string())?);
    }
    body.push_str("\n]}\n");
    std::fs::write(&boundaries_path, &body).map_err(|e| e.to_string())?;
    let wards = build_wards(source, out, tolerance)?;
    Ok(format!(
        "{} results for {} seats; {seats} boundaries, {before} points simplified to {after}, {} bytes; {wards}",
        rows.len(),
        names.len(),
        body.len()
    ))
}

/// Writes `wards.geojson`: the 2013 wards of the districts whose ward boundaries the open
/// data holds, each tagged with the constituency it lies in (from the ward lookup), one
/// ward per line so that adding a seat can pick its wards without parsing the file.
fn build_wards(source: &Path, out: &Path, tolerance: f64) -> Result<String, String> {
    let lookup_path = source.join("lookups/ward13_to_pcon13_demo_areas.csv");
    let mut lookup = BTreeMap::new();
    let mut reader =
        csv::Reader::from_path(&lookup_path).map_err(|e| format!("{}: {e}", lookup_path.display()))?;
    for row in reader.records() {
        let row = row.map_err(|e| format!("{}: {e}", lookup_path.display()))?;
        lookup.insert(row.get(0).unwrap_or_default().to_string(), row.get(4).unwrap_or_default().to_string());
    }
    let mut files: Vec<_> = std::fs::read_dir(source.join("boundaries"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("martinjc_eng_wards_by_lad_"))
        })
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let collection: geojson::FeatureCollection = text
            .parse::<geojson::GeoJson>()
            .and_then(TryFrom::try_from)
            .map_err(|e: geojson::Error| format!("{}: {e}", path.display()))?;
        for feature in collection.features {
            let prop = |k: &str| feature.property(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let (code, name) = (prop("WD13CD"), prop("WD13NM"));
            let Some(seat) = lookup.get(&code) else { continue };
            let Some(geometry) = feature.geometry.as_ref() else { continue };
            let shape: geo::Geometry<f64> = geometry.try_into().map_err(|e: geojson::Error| e.to_string())?;
            let shape = match shape {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(m) => m,
                _ => continue,
            };
            let mut props = serde_json::Map::new();
            props.insert("seat".into(), seat.clone().into());
            props.insert("gss_code".into(), code.into());
            props.insert("name".into(), name.into());
            let f = geojson::Feature {
                geometry: Some(geojson::Geometry::from(&simplify(&shape, tolerance / 2.0))),
                properties: Some(props),
                ..Default::default()
            };
            lines.push(serde_json::to_string(&f).map_err(|e| e.to_string())?);
        }
    }
    lines.sort();
    let body = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", lines.join(",\n"));
    std::fs::write(out.join("wards.geojson"), &body).map_err(|e| e.to_string())?;
    Ok(format!("{} wards from {} districts, {} bytes.", lines.len(), files.len(), body.len()))
}
