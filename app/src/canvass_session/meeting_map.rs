//! The meeting point on a small map of the seat's wards, drawn on the server with the
//! dashboard's projection (no tiles, nothing sent to another site).

use crate::dashboard::chart::{escape, project_outlines, MAP_H, MAP_W};

/// The map as SVG markup, or `None` when there is nothing to draw: no ward boundaries,
/// or a point the projection cannot place.
pub fn draw(
    seat_name: &str,
    meeting_point: &str,
    lat: f64,
    lon: f64,
    wards: &[(String, Option<String>)],
) -> Option<String> {
    if wards.is_empty() {
        return None;
    }
    // The point goes through the same projection as a tiny triangle: its first corner.
    let mut geometries: Vec<String> = wards.iter().map(|(_, b)| b.clone().unwrap_or_default()).collect();
    geometries.push(format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon},{lat}],[{},{lat}],[{lon},{}],[{lon},{lat}]]]}}"#,
        lon + 1e-7,
        lat + 1e-7
    ));
    let mut paths = project_outlines(&geometries);
    let pin = paths.pop()??;
    let (x, y) = pin
        .strip_prefix('M')
        .and_then(|p| p.split('L').next())
        .and_then(|p| p.split_once(','))
        .and_then(|(x, y)| Some((x.parse::<f64>().ok()?, y.parse::<f64>().ok()?)))?;
    let title = format!("Map of the wards of {seat_name} with the meeting point, {meeting_point}, marked");
    let mut svg = format!(
        "<svg class=\"chart map meeting-map\" role=\"img\" aria-labelledby=\"meet-map-t\" viewBox=\"0 0 {MAP_W} {MAP_H}\" \
         preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"meet-map-t\">{}</title>",
        escape(&title)
    );
    for ((name, _), path) in wards.iter().zip(paths) {
        if let Some(d) = path {
            svg.push_str(&format!(
                "<path class=\"ward\" d=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>",
                escape(&d),
                escape(name)
            ));
        }
    }
    svg.push_str(&format!(
        "<circle class=\"pin\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\"><title>{}</title></circle></svg>",
        escape(meeting_point)
    ));
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::draw;

    const SQUARE: &str =
        r#"{"type":"Polygon","coordinates":[[[-1.0,52.0],[-0.9,52.0],[-0.9,52.1],[-1.0,52.1],[-1.0,52.0]]]}"#;

    #[test]
    fn a_seat_without_ward_boundaries_has_no_map() {
        assert_eq!(draw("Seat", "Library", 52.05, -0.95, &[]), None);
    }

    #[test]
    fn the_map_names_each_ward_and_pins_the_meeting_point() {
        let wards = vec![("North & East".to_string(), Some(SQUARE.to_string()))];
        let svg = draw("Seat", "Library <steps>", 52.05, -0.95, &wards).expect("a map");
        assert!(svg.starts_with("<svg class=\"chart map meeting-map\""));
        assert!(svg.contains("<title>North &amp; East</title>"));
        assert!(svg.contains("<circle class=\"pin\""));
        assert!(svg.contains("<title>Library &lt;steps&gt;</title></circle></svg>"));
    }
}
