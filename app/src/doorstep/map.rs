//! The small map on a walk list: the doors as dots in walk order, drawn on the server as
//! SVG (no tiles, no script). The list beside it is its text alternative.

use super::WalkDoor;
use std::fmt::Write;

const W: f64 = 320.0;
const H: f64 = 200.0;
const PAD: f64 = 14.0;

/// An `<svg role="img">` of the doors with a position, in walk order, the next door
/// ringed; empty when no door has a position.
pub fn walk_map(doors: &[WalkDoor], next: Option<i64>) -> String {
    let placed: Vec<(usize, &WalkDoor, f64, f64)> = doors
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((i, d, d.lat?, d.lon?)))
        .filter(|(_, _, lat, lon)| lat.is_finite() && lon.is_finite())
        .collect();
    if placed.is_empty() {
        return String::new();
    }
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, _, lat, lon) in &placed {
        lat0 = lat0.min(*lat);
        lat1 = lat1.max(*lat);
        lon0 = lon0.min(*lon);
        lon1 = lon1.max(*lon);
    }
    // Equirectangular at this latitude: a street's shape is kept, north is up.
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let (span_x, span_y) = (((lon1 - lon0) * k).max(1e-5), (lat1 - lat0).max(1e-5));
    let scale = ((W - 2.0 * PAD) / span_x).min((H - 2.0 * PAD) / span_y);
    let (off_x, off_y) = ((W - span_x * scale) / 2.0, (H - span_y * scale) / 2.0);
    let xy = |lat: f64, lon: f64| (off_x + (lon - lon0) * k * scale, H - off_y - (lat - lat0) * scale);

    let knocked = placed.iter().filter(|(_, d, _, _)| d.last_result.is_some()).count();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"walk-map\" role=\"img\" aria-labelledby=\"walk-map-t walk-map-d\" viewBox=\"0 0 {W} {H}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"walk-map-t\">Map of the doors in walk order</title>\
         <desc id=\"walk-map-d\">{} doors drawn as dots joined in walk order; {knocked} knocked (filled), \
         the rest open circles; the next door is ringed. The list below gives every door in the same order.</desc>",
        placed.len()
    );
    svg.push_str("<polyline class=\"walk-route\" points=\"");
    for (_, _, lat, lon) in &placed {
        let (x, y) = xy(*lat, *lon);
        let _ = write!(svg, "{x:.1},{y:.1} ");
    }
    svg.push_str("\"/>");
    for (i, d, lat, lon) in &placed {
        let (x, y) = xy(*lat, *lon);
        let class = if d.last_result.is_some() {
            "dot done"
        } else if d.do_not_knock || d.elsewhere {
            "dot skip"
        } else {
            "dot"
        };
        let _ = write!(svg, "<circle class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\"/>");
        if Some(d.household_id) == next {
            let _ = write!(
                svg,
                "<circle class=\"next-ring\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\"/>\
                 <text class=\"next-label\" x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
                (y - 12.0).max(10.0),
                i + 1
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn door(id: i64, lat: Option<f64>, done: bool) -> WalkDoor {
        WalkDoor {
            household_id: id,
            position: id,
            address1: format!("{id} High Street"),
            address2: None,
            postcode: None,
            electors: 1,
            entries: 0,
            lat,
            lon: lat.map(|l| -2.3 + (l - 53.6)),
            last_result: done.then(|| "not_in".to_string()),
            do_not_knock: false,
            elsewhere: false,
        }
    }

    #[test]
    fn the_map_draws_each_placed_door_and_rings_the_next() {
        let doors = vec![door(1, Some(53.600), true), door(2, Some(53.601), false), door(3, None, false)];
        let svg = walk_map(&doors, Some(2));
        assert!(svg.starts_with("<svg class=\"walk-map\" role=\"img\""));
        assert_eq!(svg.matches("class=\"dot").count(), 2, "the door without a position is left off");
        assert_eq!(svg.matches("class=\"dot done\"").count(), 1);
        assert_eq!(svg.matches("next-ring").count(), 1);
        assert!(svg.contains(">2</text>"), "the next door is labelled with its number");
        assert!(svg.contains("<title id=\"walk-map-t\">"));
        assert_eq!(walk_map(&[door(1, None, false)], None), "");
    }
}
