//! Postcode centroids for geocoding, from Code-Point Open or ONSPD style CSV files that
//! carry latitude and longitude columns.

use super::decode;
use super::layout::normalise_header;
use super::Rejection;
use crate::ids::Postcode;
use crate::on_tx;
use crate::store::Store;
use std::io::Read;

/// Loads every row or none: a file with bad rows is refused with the rows listed.
pub async fn import(store: &Store, input: impl Read) -> Result<usize, (String, Vec<Rejection>)> {
    let rows = read(input)?;
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        for chunk in rows.chunks(1000) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO postcodes (postcode, lat, lon) ");
            q.push_values(chunk, |mut b, (p, la, lo)| { b.push_bind(p.as_str()).push_bind(la).push_bind(lo); });
            q.push(" ON CONFLICT (postcode) DO UPDATE SET lat = excluded.lat, lon = excluded.lon");
            q.build().execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await
    .map_err(|e: sqlx::Error| (format!("the database refused the postcodes: {e}"), vec![]))?;
    Ok(rows.len())
}

/// A postcode and where it is: (postcode, latitude, longitude).
pub type Centroid = (Postcode, f64, f64);

/// The postcodes and centroids of a file, or why it cannot be loaded. Reads only.
pub fn read(input: impl Read) -> Result<Vec<Centroid>, (String, Vec<Rejection>)> {
    let mut opened = decode::open(input).map_err(|e| (e, vec![]))?;
    let find =
        |names: &[&str]| opened.headers.iter().position(|h| names.contains(&normalise_header(h).as_str()));
    let (Some(pc), Some(lat), Some(lon)) = (
        find(&["postcode", "pcds", "pcd", "pcd2"]),
        find(&["lat", "latitude"]),
        find(&["lon", "long", "longitude"]),
    ) else {
        return Err((
            "the file needs postcode, latitude and longitude columns (as in ONSPD or the demo files)".into(),
            vec![],
        ));
    };
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    for record in opened.records.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                rejected.push(Rejection {
                    line: e.position().map_or(0, |p| p.line()),
                    column: String::new(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let Some(postcode) = Postcode::parse(cell(pc)) else {
            rejected.push(Rejection {
                line,
                column: opened.headers[pc].clone(),
                reason: format!("\"{}\" is not a UK postcode", cell(pc)),
            });
            continue;
        };
        let coord = |i: usize, range: std::ops::RangeInclusive<f64>| {
            cell(i).parse::<f64>().ok().filter(|v| range.contains(v))
        };
        match (coord(lat, 49.0..=61.0), coord(lon, -9.0..=2.5)) {
            (Some(la), Some(lo)) => rows.push((postcode, la, lo)),
            // ONSPD writes 99.999999 for postcodes it cannot place: skip them quietly.
            _ if cell(lat).starts_with("99.9") => {}
            _ => rejected.push(Rejection {
                line,
                column: format!("{} / {}", opened.headers[lat], opened.headers[lon]),
                reason: format!("({}, {}) is not a place in Great Britain", cell(lat), cell(lon)),
            }),
        }
    }
    if !rejected.is_empty() {
        return Err(("no postcodes were loaded because some rows are bad".into(), rejected));
    }
    Ok(rows)
}
