//! Turf cutting at seat scale: 35,000 synthetic households on the real Bury North
//! postcodes (the demo generator's streets), cut into lists of 35 with walking routes.
//! Times the split (the algorithm alone, from doors in memory to ordered lists) and
//! compares the routes' walking distance with the same lists walked in plain
//! street-name / house-number order.

use app::turf::split::{self, Door};
use app::turf::WalkOrder;
use groundwork::demo::{self, DemoOptions};
use std::time::Instant;

/// Electors per household in the demo generator, on average: enough electors for the
/// households asked for.
const ELECTORS_PER_HOUSEHOLD: f64 = 2.36;

pub fn run(households: usize, size: usize, runs: usize) -> Result<(), String> {
    let electors = (households as f64 * ELECTORS_PER_HOUSEHOLD).ceil() as usize + 200;
    let people =
        demo::people(&DemoOptions { electors, ..DemoOptions::default() }).map_err(|e| e.to_string())?;
    let doors: Vec<Door> = people
        .households
        .iter()
        .take(households)
        .enumerate()
        .map(|(i, h)| Door {
            id: i as i64,
            lat: h.lat,
            lon: h.lon,
            street: h.street.clone(),
            house_number: h.house_number.clone(),
            address1: h.address1.clone(),
        })
        .collect();
    let streets = doors.iter().map(|d| d.street.as_str()).collect::<std::collections::HashSet<_>>().len();
    println!(
        "Turf cutting: {} households on {} streets and {} real Bury North postcodes, lists of up to {size} doors",
        doors.len(),
        streets,
        2_454
    );
    for order in [WalkOrder::Sides, WalkOrder::ZigZag] {
        let mut times = Vec::with_capacity(runs.max(1));
        let mut lists = Vec::new();
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            lists = split::split(&doors, size, order);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let max = times[times.len() - 1];
        let placed: usize = lists.iter().map(Vec::len).sum();
        let biggest = lists.iter().map(Vec::len).max().unwrap_or(0);
        let near_full = lists.iter().filter(|l| l.len() * 5 >= size * 4).count();
        let ours: f64 = lists.iter().map(|l| split::route_metres(&doors, l)).sum();
        let plain: f64 =
            lists.iter().map(|l| split::route_metres(&doors, &split::register_order(&doors, l))).sum();
        println!("\n{order:?} walking order:");
        println!("  time to split and route: median {median:.0} ms, max {max:.0} ms over {} runs (target < 500 ms)", times.len());
        println!(
            "  {} lists for {placed} doors; largest {biggest}; {near_full} lists ({:.0}%) hold at least 80% of {size}",
            lists.len(),
            100.0 * near_full as f64 / lists.len().max(1) as f64
        );
        println!(
            "  walking distance: routes {:.1} km, same lists in street-name/house-number order {:.1} km, ratio {:.3} (must be < 1)",
            ours / 1000.0,
            plain / 1000.0,
            ours / plain.max(1.0)
        );
        if placed != doors.len() {
            return Err(format!("{} doors were cut into lists of {placed}", doors.len()));
        }
    }
    Ok(())
}
