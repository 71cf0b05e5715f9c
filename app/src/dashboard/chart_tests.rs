//! Tests of chart.rs.

use super::*;

#[test]
fn text_in_charts_is_escaped() {
    let svg = bar_chart("c", "A <b>", "d & e", &[("x\"y".into(), 3)], 1);
    assert!(svg.contains("<title id=\"c-t\">A &lt;b&gt;</title>"));
    assert!(svg.contains("d &amp; e"));
    assert!(svg.contains("x&quot;y"));
    assert!(svg.starts_with("<svg class=\"chart bars\" role=\"img\" aria-labelledby=\"c-t c-d\""));
}

#[test]
fn outlines_share_one_scale_and_fit_the_map() {
    let square = |x0: f64| {
        format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[[[{x0},53.0],[{},53.0],[{},53.1],[{x0},53.1],[{x0},53.0]]]}}",
            x0 + 0.1,
            x0 + 0.1
        )
    };
    let out = project_outlines(&[square(-2.3), square(-2.2), "not json".into()]);
    assert!(out[0].as_deref().is_some_and(|d| d.starts_with('M') && d.ends_with('Z')));
    assert!(out[1].is_some());
    assert_eq!(out[2], None);
    for d in out.iter().flatten() {
        for pair in d.split(['M', 'L', 'Z']).filter(|p| !p.is_empty()) {
            let (x, y) = pair.split_once(',').expect("x,y");
            let (x, y): (f64, f64) = (x.parse().expect("x"), y.parse().expect("y"));
            assert!((0.0..=MAP_W).contains(&x) && (0.0..=MAP_H).contains(&y), "{x},{y}");
        }
    }
}

#[test]
fn a_line_chart_draws_a_line_and_a_labelled_point_per_value() {
    let labels: Vec<String> = ["1 Jan", "8 Jan", "15 Jan"].map(String::from).to_vec();
    let svg = line_chart("i", "Issues", "d", &labels, &[("NHS & care".into(), vec![0, 4, 2])], 1);
    assert_eq!(svg.matches("<polyline").count(), 1);
    assert_eq!(svg.matches("<circle").count(), 3);
    assert!(svg.contains("<title>NHS &amp; care, 8 Jan: 4</title>"), "{svg}");
    // The largest value touches the top of the plot; zero sits on its floor.
    assert!(svg.contains("points=\"40.0,174.0 255.0,10.0 470.0,92.0\""), "{svg}");
}

#[test]
fn contact_rates_shade_in_fifths() {
    assert_eq!(shade(Some(0.0)), SHADES[0]);
    assert_eq!(shade(Some(69.2)), SHADES[3]);
    assert_eq!(shade(Some(100.0)), SHADES[4]);
    assert_eq!(shade(None), "#f1f1ee");
}
