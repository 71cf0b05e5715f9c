//! The walking order of one list (step 3 of [`super::split`]): each stretch walked along
//! its street, the stretches put in order by nearest neighbour and then improved by 2-opt.

use super::split::{dist, house_number_key, Door, Stretch};
use super::WalkOrder;

/// The walking order of one list: each stretch walked along the street, the stretches
/// ordered by nearest neighbour and then 2-opt.
pub(super) fn walk(doors: &[Door], xy: &[[f64; 2]], stretches: &[Stretch], order: WalkOrder) -> Vec<usize> {
    let paths: Vec<Vec<usize>> = stretches.iter().map(|s| street_walk(doors, &s.doors, order)).collect();
    let ends: Vec<([f64; 2], [f64; 2])> = paths.iter().map(|p| (xy[p[0]], xy[p[p.len() - 1]])).collect();
    let mut route = nearest_neighbour(&ends);
    two_opt(&ends, &mut route);
    route
        .into_iter()
        .flat_map(|(s, reversed)| {
            let p = &paths[s];
            let v: Vec<usize> = if reversed { p.iter().rev().copied().collect() } else { p.clone() };
            v
        })
        .collect()
}

/// One stretch (in number order) walked as the organiser chose.
fn street_walk(doors: &[Door], stretch: &[usize], order: WalkOrder) -> Vec<usize> {
    match order {
        WalkOrder::ZigZag => stretch.to_vec(),
        WalkOrder::Sides => {
            let parity = |i: &usize| house_number_key(&doors[*i].house_number).0;
            let odd: Vec<usize> =
                stretch.iter().copied().filter(|i| parity(i) != u32::MAX && parity(i) % 2 == 1).collect();
            let mut even: Vec<usize> =
                stretch.iter().copied().filter(|i| parity(i) != u32::MAX && parity(i) % 2 == 0).collect();
            let named: Vec<usize> = stretch.iter().copied().filter(|i| parity(i) == u32::MAX).collect();
            even.reverse();
            odd.into_iter().chain(even).chain(named).collect()
        }
    }
}

/// (stretch, walked backwards) in visiting order, by nearest neighbour from the stretch
/// whose start is farthest from the others' middle (an end of the area).
fn nearest_neighbour(ends: &[([f64; 2], [f64; 2])]) -> Vec<(usize, bool)> {
    let n = ends.len();
    let middle =
        ends.iter().fold([0.0, 0.0], |acc, (s, _)| [acc[0] + s[0] / n as f64, acc[1] + s[1] / n as f64]);
    let first =
        (0..n).max_by(|&a, &b| dist(ends[a].0, middle).total_cmp(&dist(ends[b].0, middle))).unwrap_or(0);
    let mut used = vec![false; n];
    used[first] = true;
    let mut route = vec![(first, false)];
    let mut at = ends[first].1;
    for _ in 1..n {
        let mut best: Option<(f64, usize, bool)> = None;
        for (s, (start, end)) in ends.iter().enumerate().filter(|(s, _)| !used[*s]) {
            for (d, reversed) in [(dist(at, *start), false), (dist(at, *end), true)] {
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, s, reversed));
                }
            }
        }
        let Some((_, s, reversed)) = best else { break };
        used[s] = true;
        route.push((s, reversed));
        at = if reversed { ends[s].0 } else { ends[s].1 };
    }
    route
}

/// Improves an open route of oriented stretches by 2-opt: reversing the run i..=j
/// reverses the order of those stretches and the direction each is walked. The walk
/// inside a stretch is the same length either way, so only the joins change.
fn two_opt(ends: &[([f64; 2], [f64; 2])], route: &mut [(usize, bool)]) {
    let start = |r: (usize, bool)| if r.1 { ends[r.0].1 } else { ends[r.0].0 };
    let end = |r: (usize, bool)| if r.1 { ends[r.0].0 } else { ends[r.0].1 };
    let n = route.len();
    for _ in 0..50 {
        let mut improved = false;
        for i in 0..n {
            for j in i..n {
                let before = if i > 0 { dist(end(route[i - 1]), start(route[i])) } else { 0.0 };
                let after = if j + 1 < n { dist(end(route[j]), start(route[j + 1])) } else { 0.0 };
                let new_before = if i > 0 { dist(end(route[i - 1]), end(route[j])) } else { 0.0 };
                let new_after = if j + 1 < n { dist(start(route[i]), start(route[j + 1])) } else { 0.0 };
                if new_before + new_after < before + after - 1e-6 {
                    route[i..=j].reverse();
                    for r in &mut route[i..=j] {
                        r.1 = !r.1;
                    }
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}
