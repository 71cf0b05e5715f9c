//! The offline base map's streets, drawn from what the register already tells us: the
//! seat's doors with their street, house number and position. A street's line runs
//! through the midpoints of neighbouring house numbers (odd and even numbers face each
//! other, so the midpoints sit on the road; two doors alone are simply joined), breaks
//! where numbers jump far apart (two streets of one name in different villages) and is
//! thinned to a few corners, so the whole seat's streets cost far less than its doors.
//! No tile server and no network.

use super::split::house_number_key;
use std::collections::BTreeMap;

/// Neighbouring numbers further apart than this are not joined by a line.
const GAP_METRES: f64 = 400.0;
/// Corners nearer than this to a straight line are dropped.
const TOLERANCE_METRES: f64 = 4.0;

/// A door as the street map needs it.
#[derive(Clone, Debug)]
pub struct StreetDoor<'a> {
    pub street: &'a str,
    pub house_number: &'a str,
    pub lat: f64,
    pub lon: f64,
}

/// One street: its name as the register spells it, and one or more lines of
/// [longitude, latitude] corners (rounded to about a metre).
#[derive(Clone, Debug, PartialEq)]
pub struct StreetLine {
    pub name: String,
    pub parts: Vec<Vec<[f64; 2]>>,
}

pub fn street_lines(doors: &[StreetDoor]) -> Vec<StreetLine> {
    let mut by_street: BTreeMap<String, (String, Vec<&StreetDoor>)> = BTreeMap::new();
    for door in doors {
        let name = door.street.trim();
        if name.is_empty() || !door.lat.is_finite() || !door.lon.is_finite() {
            continue;
        }
        by_street.entry(name.to_lowercase()).or_insert_with(|| (name.to_string(), Vec::new())).1.push(door);
    }
    by_street
        .into_values()
        .filter_map(|(name, doors)| {
            let parts = street_parts(doors);
            (!parts.is_empty()).then_some(StreetLine { name, parts })
        })
        .collect()
}

fn street_parts(mut doors: Vec<&StreetDoor>) -> Vec<Vec<[f64; 2]>> {
    // Named houses have no place in the number order; flats share their block's number.
    doors.retain(|d| house_number_key(d.house_number).0 != u32::MAX);
    doors.sort_by_key(|d| house_number_key(d.house_number));
    doors.dedup_by_key(|d| house_number_key(d.house_number).0);
    // Runs of doors, broken where the numbers jump far apart.
    let mut runs: Vec<Vec<[f64; 2]>> = Vec::new();
    for point in doors.iter().map(|d| [d.lon, d.lat]) {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|last| metres(*last, point) <= GAP_METRES) => run.push(point),
            _ => runs.push(vec![point]),
        }
    }
    // Two doors are joined as they are; more run down the middle between the sides.
    let parts = runs.into_iter().filter(|run| run.len() >= 2).map(|run| {
        if run.len() == 2 {
            run
        } else {
            run.windows(2).map(|w| [(w[0][0] + w[1][0]) / 2.0, (w[0][1] + w[1][1]) / 2.0]).collect()
        }
    });
    parts
        .into_iter()
        .map(|part| simplify(&part))
        .map(|part| part.into_iter().map(|[x, y]| [round5(x), round5(y)]).collect::<Vec<_>>())
        .filter(|part| part.len() >= 2 && part.first() != part.last())
        .collect()
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Local flat-earth metres between two [lon, lat] points: exact enough within a street.
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (x, y) = offset(a, b);
    x.hypot(y)
}

fn offset(from: [f64; 2], to: [f64; 2]) -> (f64, f64) {
    let lat = ((from[1] + to[1]) / 2.0).to_radians();
    ((to[0] - from[0]) * 111_320.0 * lat.cos(), (to[1] - from[1]) * 111_320.0)
}

/// Douglas–Peucker: keeps the corners that matter to within the tolerance.
fn simplify(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (dx, dy) = offset(points[first], points[last]);
        let length = dx.hypot(dy);
        let mut worst = (0.0, first);
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let (px, py) = offset(points[first], *p);
            let distance = if length == 0.0 { px.hypot(py) } else { (px * dy - py * dx).abs() / length };
            if distance > worst.0 {
                worst = (distance, i);
            }
        }
        if worst.0 > TOLERANCE_METRES {
            keep[worst.1] = true;
            stack.push((first, worst.1));
            stack.push((worst.1, last));
        }
    }
    points.iter().zip(keep).filter_map(|(p, k)| k.then_some(*p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A straight street running east: odd numbers 9 m north of the road, even 9 m south.
    fn street(
        name: &'static str,
        numbers: std::ops::RangeInclusive<u32>,
        start_lon: f64,
    ) -> Vec<(String, f64, f64)> {
        numbers
            .map(|n| {
                let side = if n % 2 == 1 { 9.0 } else { -9.0 };
                let lon = start_lon + f64::from(n) * 7.0 / (111_320.0 * 53.6f64.to_radians().cos());
                (format!("{n}"), 53.6 + side / 111_320.0, lon)
            })
            .map(|(n, lat, lon)| (format!("{name}|{n}"), lat, lon))
            .collect()
    }

    fn doors(rows: &[(String, f64, f64)]) -> Vec<StreetDoor<'_>> {
        rows.iter()
            .map(|(key, lat, lon)| {
                let (street, number) = key.split_once('|').expect("a key is street|number");
                StreetDoor { street, house_number: number, lat: *lat, lon: *lon }
            })
            .collect()
    }

    #[test]
    fn a_straight_street_becomes_one_line_on_the_road_between_its_two_sides() {
        let rows = street("Mill Lane", 1..=40, -2.3);
        let lines = street_lines(&doors(&rows));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].name, "Mill Lane");
        assert_eq!(lines[0].parts.len(), 1);
        let part = &lines[0].parts[0];
        // Forty doors thin to the two ends of a straight road.
        assert_eq!(part.len(), 2, "{part:?}");
        for [_, lat] in part {
            assert!((lat - 53.6).abs() * 111_320.0 < 1.5, "the line runs down the middle: {lat}");
        }
    }

    #[test]
    fn one_name_in_two_places_makes_two_lines_and_named_houses_and_flats_are_skipped() {
        let mut rows = street("Church Street", 1..=10, -2.3);
        rows.extend(street("church street", 11..=20, -2.2)); // about 6.6 km east
        rows.push(("Church Street|Rose Cottage".into(), 53.7, -2.25));
        rows.push(("Church Street|4".into(), 53.9, -2.0)); // a second flat at number 4
        rows.push(("|3".into(), 53.6, -2.3));
        let lines = street_lines(&doors(&rows));
        assert_eq!(lines.len(), 1, "one street name, whatever its case");
        assert_eq!(lines[0].parts.len(), 2, "{:?}", lines[0].parts);
        for part in &lines[0].parts {
            for [lon, lat] in part {
                assert!((lat - 53.6).abs() < 0.001 && *lon < -2.19, "no stray corner: {lon} {lat}");
            }
        }
    }

    #[test]
    fn a_single_door_draws_no_street_and_two_doors_are_joined() {
        let rows = street("Lone Road", 1..=1, -2.3);
        assert!(street_lines(&doors(&rows)).is_empty());
        let rows = street("Pair Road", 1..=2, -2.3);
        let lines = street_lines(&doors(&rows));
        assert_eq!(
            lines[0].parts,
            vec![vec![[round5(rows[0].2), round5(rows[0].1)], [round5(rows[1].2), round5(rows[1].1)]]]
        );
    }

    #[test]
    fn a_bend_keeps_its_corner() {
        let mut rows = street("Bent Road", 1..=20, -2.3);
        // Numbers 21–40 turn north at the end of the road.
        let (_, _, end_lon) = rows.last().cloned().expect("rows are not empty");
        for n in 21..=40u32 {
            let side = if n % 2 == 1 { 9.0 } else { -9.0 };
            let lat = 53.6 + f64::from(n - 20) * 7.0 / 111_320.0;
            let lon = end_lon + side / (111_320.0 * 53.6f64.to_radians().cos());
            rows.push((format!("Bent Road|{n}"), lat, lon));
        }
        let lines = street_lines(&doors(&rows));
        let part = &lines[0].parts[0];
        assert!((3..=5).contains(&part.len()), "a corner survives thinning: {part:?}");
    }
}
