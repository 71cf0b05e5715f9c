//! Charts drawn as inline SVG text, on the server, so that no chart library reaches the
//! browser. Each chart is an `<svg role="img">` labelled by its `<title>` and `<desc>`; the
//! page puts a table of the same numbers beside it.

use super::IntentionCount;
use std::fmt::Write;

/// Escapes text for SVG/HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn open(id: &str, title: &str, desc: &str, width: f64, height: f64, class: &str) -> String {
    format!(
        "<svg class=\"chart {class}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {width} {height}\" \
         preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    )
}

/// Vertical bars, one per label, with every `label_every`-th label written underneath.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[(String, i64)], label_every: usize) -> String {
    let (w, h, left, bottom, top) = (480.0, 200.0, 40.0, 26.0, 10.0);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let plot_h = h - bottom - top;
    let step = (w - left) / bars.len().max(1) as f64;
    let mut svg = open(id, title, desc, w, h, "bars");
    for frac in [0.0, 0.5, 1.0] {
        let y = top + plot_h * (1.0 - frac);
        let value = (max as f64 * frac).round() as i64;
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 4.0,
            crate::format::thousands(value)
        );
    }
    for (i, (label, n)) in bars.iter().enumerate() {
        let bh = plot_h * *n as f64 / max as f64;
        let x = left + step * i as f64;
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{}: {}</title></rect>",
            x + step * 0.12,
            top + plot_h - bh,
            step * 0.76,
            escape(label),
            crate::format::thousands(*n)
        );
        if label_every > 0 && i % label_every == 0 {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x + step * 0.12,
                h - 8.0,
                escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A small line of daily counts for a table cell.
pub fn sparkline(id: &str, title: &str, values: &[i64]) -> String {
    let (w, h) = (112.0, 28.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = w / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", step * i as f64, h - 2.0 - (h - 4.0) * *v as f64 / max))
        .collect();
    let desc = values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ");
    let mut svg = open(id, title, &format!("Conversations per day, oldest first: {desc}"), w, h, "spark");
    let _ = write!(svg, "<polyline points=\"{}\"/></svg>", points.join(" "));
    svg
}

/// Colours (and dash patterns, for those who cannot tell the colours apart) of the lines
/// of a line chart, in order; the page's key uses the same.
pub const SERIES: [(&str, &str); 5] =
    [("#1d4d3a", ""), ("#c8102e", "6 3"), ("#0a6bb5", "2 3"), ("#e08a00", "8 3 2 3"), ("#5b5f97", "1 2")];

/// One line per series over the same labels, with a point (and its figure as a tooltip)
/// at each; every `label_every`-th label is written underneath. At most five series.
pub fn line_chart(
    id: &str,
    title: &str,
    desc: &str,
    labels: &[String],
    series: &[(String, Vec<i64>)],
    label_every: usize,
) -> String {
    let (w, h, left, bottom, top, right) = (480.0, 200.0, 40.0, 26.0, 10.0, 10.0);
    let max = series.iter().flat_map(|s| s.1.iter().copied()).max().unwrap_or(0).max(1);
    let plot_h = h - bottom - top;
    let step = (w - left - right) / (labels.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |n: i64| top + plot_h * (1.0 - n as f64 / max as f64);
    let mut svg = open(id, title, desc, w, h, "lines");
    for frac in [0.0, 0.5, 1.0] {
        let value = (max as f64 * frac).round() as i64;
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            y(value),
            y(value),
            left - 6.0,
            y(value) + 4.0,
            crate::format::thousands(value)
        );
    }
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| label_every > 0 && i % label_every == 0) {
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(i),
            h - 8.0,
            escape(label)
        );
    }
    for ((name, values), (colour, dash)) in series.iter().zip(SERIES) {
        let points: Vec<String> =
            values.iter().enumerate().map(|(i, n)| format!("{:.1},{:.1}", x(i), y(*n))).collect();
        let _ = write!(
            svg,
            "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" \
             stroke-dasharray=\"{dash}\"/>",
            points.join(" ")
        );
        for (i, n) in values.iter().enumerate() {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"><title>{}, {}: {}</title></circle>",
                x(i),
                y(*n),
                escape(name),
                escape(labels.get(i).map(String::as_str).unwrap_or_default()),
                crate::format::thousands(*n)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Party colours, for the intention chart only (the table carries the same numbers).
fn party_colour(code: &str) -> &'static str {
    match code {
        "lab" => "#c8102e",
        "con" => "#0a6bb5",
        "ld" => "#e08a00",
        "green" => "#3f8f29",
        "reform" => "#0e8fa3",
        "undecided" => "#8a948e",
        _ => "#5b5f97",
    }
}

pub fn party_label(code: &str) -> String {
    match code {
        "lab" => "Labour".into(),
        "con" => "Conservative".into(),
        "ld" => "Liberal Democrat".into(),
        "green" => "Green".into(),
        "reform" => "Reform UK".into(),
        "other" => "Other".into(),
        "undecided" => "Undecided".into(),
        other => other.into(),
    }
}

/// Horizontal bars per party: what electors said, solid; what canvassers inferred, pale.
pub fn intention_chart(id: &str, title: &str, rows: &[IntentionCount]) -> String {
    let row_h = 28.0;
    let (w, label_w) = (400.0, 142.0);
    let h = row_h * rows.len().max(1) as f64 + 4.0;
    let max = rows.iter().map(|r| r.said + r.inferred).max().unwrap_or(0).max(1) as f64;
    let desc = rows
        .iter()
        .map(|r| format!("{}: {} said, {} inferred", party_label(&r.party), r.said, r.inferred))
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = open(id, title, &desc, w, h, "hbars");
    let scale = (w - label_w - 56.0) / max;
    for (i, r) in rows.iter().enumerate() {
        let y = row_h * i as f64 + 3.0;
        let colour = party_colour(&r.party);
        let said_w = r.said as f64 * scale;
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"0\" y=\"{:.1}\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{said_w:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>\
             <rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" fill-opacity=\"0.35\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            escape(&party_label(&r.party)),
            row_h - 8.0,
            label_w + said_w,
            r.inferred as f64 * scale,
            row_h - 8.0,
            label_w + (r.said + r.inferred) as f64 * scale + 6.0,
            y + 15.0,
            crate::format::thousands(r.said + r.inferred)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A bar filling towards the win number.
pub fn progress_bar(id: &str, title: &str, supporters: i64, target: i64) -> String {
    let (w, h) = (480.0, 28.0);
    let frac = if target > 0 { (supporters as f64 / target as f64).min(1.0) } else { 0.0 };
    let desc = format!(
        "{} supporters identified of a win number of {}",
        crate::format::thousands(supporters),
        crate::format::thousands(target)
    );
    let mut svg = open(id, title, &desc, w, h, "progress");
    let _ = write!(
        svg,
        "<rect class=\"track\" x=\"0\" y=\"4\" width=\"{w}\" height=\"20\" rx=\"10\"/>\
         <rect class=\"fill\" x=\"0\" y=\"4\" width=\"{:.1}\" height=\"20\" rx=\"10\"/></svg>",
        w * frac
    );
    svg
}

/// Map size, in SVG units.
pub const MAP_W: f64 = 400.0;
pub const MAP_H: f64 = 320.0;

/// The five shades of the ward map, lightest (lowest contact rate) first.
pub const SHADES: [&str; 5] = ["#e3f1ea", "#b5dbc7", "#7fbf9f", "#3f9a70", "#1d4d3a"];

pub fn shade(rate: Option<f64>) -> &'static str {
    match rate {
        None => "#f1f1ee",
        Some(r) => SHADES[((r / 20.0).floor() as usize).min(4)],
    }
}

/// Wards shaded by contact rate: (name, SVG path, contact rate).
pub fn ward_map(id: &str, title: &str, wards: &[(String, String, Option<f64>)]) -> String {
    let desc = wards
        .iter()
        .map(|(name, _, rate)| match rate {
            Some(r) => format!("{name}: {r:.1}% contact rate"),
            None => format!("{name}: not canvassed"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = open(id, title, &desc, MAP_W, MAP_H, "map");
    for (name, path, rate) in wards {
        let label = match rate {
            Some(r) => format!("{name}: {r:.1}%"),
            None => format!("{name}: not canvassed"),
        };
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>",
            escape(path),
            shade(*rate),
            escape(&label)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Rings of lon/lat pairs from a GeoJSON Polygon or MultiPolygon geometry.
fn rings(geometry: &str) -> Vec<Vec<(f64, f64)>> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(geometry) else { return vec![] };
    let ring = |r: &serde_json::Value| -> Vec<(f64, f64)> {
        r.as_array()
            .map(|pts| pts.iter().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect())
            .unwrap_or_default()
    };
    let coords = value.get("coordinates");
    match value.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => {
            coords.and_then(|c| c.as_array()).map(|rs| rs.iter().map(ring).collect()).unwrap_or_default()
        }
        Some("MultiPolygon") => coords
            .and_then(|c| c.as_array())
            .map(|polys| {
                polys.iter().filter_map(|p| p.as_array()).flat_map(|rs| rs.iter().map(ring)).collect()
            })
            .unwrap_or_default(),
        _ => vec![],
    }
}

/// Projects ward boundaries (GeoJSON text) onto the map with a plain equirectangular
/// projection (longitude scaled by the cosine of the mean latitude), all to one scale.
pub fn project_outlines(geometries: &[String]) -> Vec<Option<String>> {
    let all: Vec<Vec<Vec<(f64, f64)>>> = geometries.iter().map(|g| rings(g)).collect();
    let points = all.iter().flatten().flatten();
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in points {
        min_x = min_x.min(lon);
        max_x = max_x.max(lon);
        min_y = min_y.min(lat);
        max_y = max_y.max(lat);
    }
    if min_x > max_x {
        return vec![None; geometries.len()];
    }
    let k = ((min_y + max_y) / 2.0).to_radians().cos();
    let pad = 8.0;
    let span_x = ((max_x - min_x) * k).max(1e-9);
    let span_y = (max_y - min_y).max(1e-9);
    let scale = ((MAP_W - 2.0 * pad) / span_x).min((MAP_H - 2.0 * pad) / span_y);
    let off_x = (MAP_W - span_x * scale) / 2.0;
    let off_y = (MAP_H - span_y * scale) / 2.0;
    all.into_iter()
        .map(|rings| {
            if rings.is_empty() {
                return None;
            }
            let mut d = String::new();
            for ring in rings.iter().filter(|r| r.len() > 2) {
                for (i, (lon, lat)) in ring.iter().enumerate() {
                    let x = off_x + (lon - min_x) * k * scale;
                    let y = off_y + (max_y - lat) * scale;
                    let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
            Some(d)
        })
        .collect()
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
