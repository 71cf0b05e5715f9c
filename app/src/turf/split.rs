//! Splitting a cut of doors into walk lists of about N doors, and the walking order of
//! each list. Plain functions over plain data, so the tests and the bench call them
//! directly.
//!
//! 1. **Street stretches.** Doors are grouped by street; a street name that occurs in
//!    two places (a gap of more than [`STREET_GAP_M`] along the street) is two stretches,
//!    and a stretch longer than a list is cut into runs of house numbers (both sides of
//!    the road together, a block of flats never split when it can be helped).
//! 2. **Packing.** Lists grow from the edge of the cut inwards: a list starts at the
//!    stretch farthest from the middle and takes the nearest stretches (an R-tree of
//!    their centres) while they fit. A list never reaches more than [`REACH_M`] from its
//!    centre (1,500 m while it is under a third full, for rural doors), so it never jumps
//!    across the seat; when the nearest stretch is too long to
//!    fit, the part of it nearest the list fills the list up.
//! 3. **Walking order.** Within a stretch doors follow the street: odd numbers up one
//!    side and even numbers back down the other ([`WalkOrder::Sides`]), or in number
//!    order crossing as they go ([`WalkOrder::ZigZag`]); flats of one block together.
//!    The stretches are then put in order by nearest neighbour and improved by 2-opt
//!    (reversing a run of stretches also walks each of them the other way).
//!
//! Steps 1 and 2 are here; step 3 is in `walk_order`.

use super::walk_order::walk;
pub use super::WalkOrder;
use geo::{Distance, Euclidean, Haversine, Point};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use std::collections::HashMap;

/// A street name found again further than this along the street is another street.
pub const STREET_GAP_M: f64 = 250.0;
/// How far from its centre a list may reach for more doors.
pub const REACH_M: f64 = 600.0;
/// A list that is still this small (a fraction of the target) may reach further, so
/// that scattered rural doors still make lists of a useful size.
const SPARSE_REACH_M: f64 = 1_500.0;

/// One door to be put on a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Door {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    /// The street as the register gives it ("" when unknown).
    pub street: String,
    /// The house number as printed ("12", "12A", "" for a named house).
    pub house_number: String,
    /// The first address line: orders flats within a block ("Flat 2" before "Flat 10").
    pub address1: String,
}

/// A house number's numeric part and suffix: "12A" → (12, "A"); none for a named house.
pub fn house_number_key(s: &str) -> (u32, String) {
    let s = s.trim();
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    match digits.parse::<u32>() {
        Ok(n) => (n, s[digits.len()..].trim().to_ascii_uppercase()),
        Err(_) => (u32::MAX, s.to_ascii_uppercase()),
    }
}

/// Orders text with the numbers in it as numbers: "Flat 2" before "Flat 10".
pub fn natural_key(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = u64::from(c.to_digit(10).unwrap_or(0));
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push((std::mem::take(&mut text), n));
        } else {
            text.extend(c.to_lowercase());
        }
    }
    out.push((text, u64::MAX));
    out
}

/// Walking distance, in metres, of doors visited in the given order (great-circle
/// distance from each door to the next).
pub fn route_metres(doors: &[Door], order: &[usize]) -> f64 {
    order
        .windows(2)
        .map(|w| {
            let (a, b) = (&doors[w[0]], &doors[w[1]]);
            Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
        })
        .sum()
}

/// The plain order a sheet printed from the register would have: street name, then
/// house number, then address (the bench's yardstick).
pub fn register_order(doors: &[Door], list: &[usize]) -> Vec<usize> {
    let mut out = list.to_vec();
    out.sort_by_cached_key(|&i| {
        let d = &doors[i];
        (d.street.to_lowercase(), house_number_key(&d.house_number), natural_key(&d.address1), d.id)
    });
    out
}

/// Splits the doors into lists of at most `target` doors (at least 1), each in walking
/// order, as indices into `doors`. Every door is on exactly one list.
pub fn split(doors: &[Door], target: usize, order: WalkOrder) -> Vec<Vec<usize>> {
    let target = target.max(1);
    if doors.is_empty() {
        return Vec::new();
    }
    let plane = Plane::around(doors);
    let xy: Vec<[f64; 2]> = doors.iter().map(|d| plane.project(d)).collect();
    let stretches = stretches(doors, &xy, target);
    pack(&stretches, &xy, target).iter().map(|members| walk(doors, &xy, members, order)).collect()
}

/// A local flat projection in metres (equirectangular about the doors' middle): within
/// one seat it is within a fraction of a percent of the great-circle distance, and it
/// lets the R-tree and 2-opt use plain Euclidean geometry.
struct Plane {
    lat0: f64,
    lon0: f64,
    cos0: f64,
}

impl Plane {
    const M_PER_DEGREE: f64 = 111_195.0;

    fn around(doors: &[Door]) -> Plane {
        let n = doors.len().max(1) as f64;
        let lat0 = doors.iter().map(|d| d.lat).sum::<f64>() / n;
        let lon0 = doors.iter().map(|d| d.lon).sum::<f64>() / n;
        Plane { lat0, lon0, cos0: lat0.to_radians().cos() }
    }

    fn project(&self, d: &Door) -> [f64; 2] {
        [(d.lon - self.lon0) * self.cos0 * Self::M_PER_DEGREE, (d.lat - self.lat0) * Self::M_PER_DEGREE]
    }
}

pub(super) fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    Euclidean.distance(Point::from(a), Point::from(b))
}

/// A run of doors on one street, in house-number order.
#[derive(Clone, Debug)]
pub(super) struct Stretch {
    pub(super) doors: Vec<usize>,
    centre: [f64; 2],
}

impl Stretch {
    fn new(doors: Vec<usize>, xy: &[[f64; 2]]) -> Stretch {
        let n = doors.len().max(1) as f64;
        let (sx, sy) = doors.iter().fold((0.0, 0.0), |(x, y), &i| (x + xy[i][0], y + xy[i][1]));
        Stretch { doors, centre: [sx / n, sy / n] }
    }
}

fn number_order(doors: &[Door], members: &mut [usize]) {
    members.sort_by_cached_key(|&i| {
        (house_number_key(&doors[i].house_number), natural_key(&doors[i].address1), doors[i].id)
    });
}

fn stretches(doors: &[Door], xy: &[[f64; 2]], target: usize) -> Vec<Stretch> {
    let mut streets: HashMap<String, Vec<usize>> = HashMap::new();
    let mut unnamed = Vec::new();
    for (i, d) in doors.iter().enumerate() {
        let key = d.street.trim().to_lowercase();
        if key.is_empty() {
            unnamed.push(i);
        } else {
            streets.entry(key).or_default().push(i);
        }
    }
    let mut keys: Vec<&String> = streets.keys().collect();
    keys.sort();
    let mut out = Vec::new();
    for key in keys {
        for mut piece in split_at_gaps(&streets[key], xy) {
            number_order(doors, &mut piece);
            for run in runs(doors, &piece, target) {
                out.push(Stretch::new(run, xy));
            }
        }
    }
    // A door with no street is a stretch of its own.
    out.extend(unnamed.into_iter().map(|i| Stretch::new(vec![i], xy)));
    out
}

/// Splits one street name's doors where they are far apart along the street's longer
/// axis: the same name in two villages is two streets.
fn split_at_gaps(members: &[usize], xy: &[[f64; 2]]) -> Vec<Vec<usize>> {
    let extent = |axis: usize| {
        let (lo, hi) = members
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &i| (lo.min(xy[i][axis]), hi.max(xy[i][axis])));
        hi - lo
    };
    let axis = if extent(0) >= extent(1) { 0 } else { 1 };
    let mut sorted = members.to_vec();
    sorted.sort_by(|&a, &b| xy[a][axis].total_cmp(&xy[b][axis]));
    let mut pieces: Vec<Vec<usize>> = Vec::new();
    let mut last: Option<usize> = None;
    for i in sorted {
        match (last, pieces.last_mut()) {
            (Some(prev), Some(piece)) if dist(xy[prev], xy[i]) <= STREET_GAP_M => piece.push(i),
            _ => pieces.push(vec![i]),
        }
        last = Some(i);
    }
    pieces
}

/// Cuts a street (in number order) into runs of at most `target` doors of about equal
/// size, moving each cut back to where the house number changes when it can (so a
/// block of flats stays on one list).
fn runs(doors: &[Door], street: &[usize], target: usize) -> Vec<Vec<usize>> {
    if street.len() <= target {
        return vec![street.to_vec()];
    }
    let parts = street.len().div_ceil(target);
    let size = street.len().div_ceil(parts);
    let number = |k: usize| house_number_key(&doors[street[k]].house_number).0;
    let mut out = Vec::new();
    let mut start = 0;
    while start < street.len() {
        let mut end = (start + size).min(street.len());
        if end < street.len() && number(end) == number(end - 1) {
            // The cut falls inside a block: take the whole block if it still fits,
            // else cut before it (unless that would leave the run too short).
            let mut forward = end;
            while forward < street.len() && number(forward) == number(forward - 1) {
                forward += 1;
            }
            if forward - start <= target {
                end = forward;
            } else {
                let mut back = end;
                while back > start + size / 2 && number(back) == number(back - 1) {
                    back -= 1;
                }
                if number(back) != number(back - 1) {
                    end = back;
                }
            }
        }
        out.push(street[start..end].to_vec());
        start = end;
    }
    out
}

type Node = GeomWithData<[f64; 2], usize>;

/// Packs stretches into lists of at most `target` doors; returns the stretches of each
/// list (a stretch split to fill a list up appears in two lists, as two parts).
fn pack(stretches: &[Stretch], xy: &[[f64; 2]], target: usize) -> Vec<Vec<Stretch>> {
    let mut pool: Vec<Stretch> = stretches.to_vec();
    let mut tree: RTree<Node> =
        RTree::bulk_load(pool.iter().enumerate().map(|(i, s)| Node::new(s.centre, i)).collect());
    let total = pool.iter().map(|s| s.doors.len()).sum::<usize>().max(1) as f64;
    let middle = pool.iter().fold([0.0, 0.0], |acc, s| {
        let w = s.doors.len() as f64 / total;
        [acc[0] + s.centre[0] * w, acc[1] + s.centre[1] * w]
    });
    // Seeds from the outside in, so no corner is left stranded at the end.
    let mut seeds: Vec<usize> = (0..pool.len()).collect();
    seeds.sort_by(|&a, &b| dist(pool[b].centre, middle).total_cmp(&dist(pool[a].centre, middle)));
    let mut taken = vec![false; pool.len()];
    let mut lists = Vec::new();
    for seed in seeds {
        if taken[seed] {
            continue;
        }
        taken[seed] = true;
        tree.remove(&Node::new(pool[seed].centre, seed));
        let mut list = vec![pool[seed].clone()];
        let mut count = pool[seed].doors.len();
        let mut weighted = [pool[seed].centre[0] * count as f64, pool[seed].centre[1] * count as f64];
        while count < target {
            let centre = [weighted[0] / count as f64, weighted[1] / count as f64];
            let reach = if count * 3 < target { SPARSE_REACH_M } else { REACH_M };
            let mut fitting = None;
            let mut nearest = None;
            for node in tree.nearest_neighbor_iter(&centre).take(12) {
                let s = node.data;
                if dist(node.geom().to_owned(), centre) > reach {
                    break;
                }
                nearest.get_or_insert(s);
                if count + pool[s].doors.len() <= target {
                    fitting = Some(s);
                    break;
                }
            }
            let pick = match (fitting, nearest) {
                (Some(s), _) => {
                    tree.remove(&Node::new(pool[s].centre, s));
                    taken[s] = true;
                    pool[s].clone()
                }
                // Fill the list up with the part of the nearest stretch closest to it,
                // unless the list is nearly full already.
                (None, Some(s)) if count * 5 < target * 4 => {
                    tree.remove(&Node::new(pool[s].centre, s));
                    let room = target - count;
                    let doors = &pool[s].doors;
                    let (first, last) = (doors[0], doors[doors.len() - 1]);
                    let (part, rest) = if dist(xy[first], centre) <= dist(xy[last], centre) {
                        (doors[..room].to_vec(), doors[room..].to_vec())
                    } else {
                        (doors[doors.len() - room..].to_vec(), doors[..doors.len() - room].to_vec())
                    };
                    pool[s] = Stretch::new(rest, xy);
                    tree.insert(Node::new(pool[s].centre, s));
                    Stretch::new(part, xy)
                }
                _ => break,
            };
            let n = pick.doors.len() as f64;
            weighted = [weighted[0] + pick.centre[0] * n, weighted[1] + pick.centre[1] * n];
            count += pick.doors.len();
            list.push(pick);
        }
        lists.push(list);
    }
    lists
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
