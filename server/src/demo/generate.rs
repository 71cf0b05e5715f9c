//! Deterministic synthetic people for the demo seat: the same seed gives the same
//! households, electors, volunteers, sessions, walk lists and conversations.

use super::geography::{Geography, Postcode};
use super::names;
use app::register::household::household_key;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};

use super::activity::{conversations, sessions, volunteers, walk_lists};
use super::model::{Elector, Household, People, PollingDistrict};

pub struct DemoOptions {
    pub electors: usize,
    pub seed: u64,
    /// "Today" for the demo: past sessions and conversations fall before it.
    pub today: DateTime<Utc>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions { electors: 67_000, seed: 2015, today: Utc::now() }
    }
}

const DISTRICTS_PER_WARD: usize = 3;
pub fn generate(geo: &Geography, opts: &DemoOptions) -> People {
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let (polling_districts, postcode_pd) = polling_districts(geo);
    let sizes = household_sizes(&mut rng, opts.electors);
    let households = place_households(&mut rng, &geo.postcodes, &postcode_pd, sizes.len());
    let electors = electors(&mut rng, &households, &sizes, opts.today);
    let volunteers = volunteers(&mut rng, geo.wards.len());
    let sessions = sessions(&mut rng, geo, &volunteers, opts.today);
    let walk_lists = walk_lists(&mut rng, &households, &sessions, &volunteers);
    let conversations = conversations(&mut rng, &households, &electors, &sessions, &walk_lists, opts.today);
    People {
        polling_districts,
        households,
        electors,
        volunteers,
        sessions,
        walk_lists,
        conversations,
        demo_volunteer: 0,
    }
}

/// Splits each ward's postcodes north to south into districts, as councils often do.
fn polling_districts(geo: &Geography) -> (Vec<PollingDistrict>, Vec<usize>) {
    let mut districts = Vec::new();
    let mut postcode_pd = vec![0; geo.postcodes.len()];
    for (w, ward) in geo.wards.iter().enumerate() {
        let mut members: Vec<usize> =
            (0..geo.postcodes.len()).filter(|&i| geo.postcodes[i].ward_code == ward.code).collect();
        members.sort_by(|&a, &b| geo.postcodes[b].lat.total_cmp(&geo.postcodes[a].lat));
        let ward_letter = (b'A' + w as u8) as char;
        let chunk = members.len().div_ceil(DISTRICTS_PER_WARD).max(1);
        for (d, part) in members.chunks(chunk).enumerate() {
            let district_letter = (b'A' + d as u8) as char;
            let pd = districts.len();
            districts.push(PollingDistrict {
                ward: w,
                code: format!("{ward_letter}{district_letter}"),
                name: format!("{} {}", ward.name, district_letter),
            });
            for &p in part {
                postcode_pd[p] = pd;
            }
        }
    }
    (districts, postcode_pd)
}

/// Household sizes that add up to exactly `electors`.
fn household_sizes(rng: &mut StdRng, electors: usize) -> Vec<usize> {
    const WEIGHTS: [(usize, u32); 6] = [(1, 30), (2, 36), (3, 15), (4, 12), (5, 5), (6, 2)];
    let total: u32 = WEIGHTS.iter().map(|w| w.1).sum();
    let mut sizes = Vec::new();
    let mut left = electors;
    while left > 0 {
        let mut pick = rng.random_range(0..total);
        let mut size = 1;
        for (s, w) in WEIGHTS {
            if pick < w {
                size = s;
                break;
            }
            pick -= w;
        }
        let size = size.min(left);
        sizes.push(size);
        left -= size;
    }
    sizes
}

fn metres_to_degrees(lat: f64, north: f64, east: f64) -> (f64, f64) {
    let dlat = north / 111_320.0;
    let dlon = east / (111_320.0 * lat.to_radians().cos());
    (dlat, dlon)
}

/// Spreads `count` households over the postcodes: neighbouring postcodes (in postcode
/// order) share a street, numbers run along it, odd on one side and even on the other.
fn place_households(
    rng: &mut StdRng,
    postcodes: &[Postcode],
    postcode_pd: &[usize],
    count: usize,
) -> Vec<Household> {
    let weights: Vec<f64> = postcodes.iter().map(|_| rng.random_range(0.4..1.6)).collect();
    let weight_sum: f64 = weights.iter().sum();
    let mut order: Vec<usize> = (0..postcodes.len()).collect();
    order.sort_by(|&a, &b| postcodes[a].postcode.cmp(&postcodes[b].postcode));

    let mut used_streets = HashSet::new();
    let mut households = Vec::with_capacity(count);
    let mut cumulative = 0.0;
    let mut placed = 0usize;
    let mut i = 0;
    while i < order.len() {
        // A street spans two to four consecutive postcodes.
        let span = rng.random_range(2..=4).min(order.len() - i);
        let street = street_name(rng, &mut used_streets);
        let bearing: f64 = rng.random_range(0.0..std::f64::consts::PI);
        let mut number = 1;
        for &p in &order[i..i + span] {
            cumulative += weights[p] / weight_sum * count as f64;
            let target = (cumulative.round() as usize).min(count);
            let here = target.saturating_sub(placed);
            let pc = &postcodes[p];
            let flats = here >= 6 && rng.random_bool(0.06);
            for k in 0..here {
                // A block of flats is one address with a flat line above it.
                let (flat, house_number, along, across) = if flats {
                    let block = street.split(' ').next().unwrap_or("Park");
                    (Some(format!("Flat {}, {block} Court", k + 1)), number.to_string(), 0.0, 0.0)
                } else {
                    let n = number + k;
                    let side = if n % 2 == 1 { 9.0 } else { -9.0 };
                    (None, n.to_string(), (k as f64 - here as f64 / 2.0) * 7.0, side)
                };
                let north = along * bearing.cos() - across * bearing.sin();
                let east = along * bearing.sin() + across * bearing.cos();
                let jitter =
                    metres_to_degrees(pc.lat, rng.random_range(-2.0..2.0), rng.random_range(-2.0..2.0));
                let (dlat, dlon) = metres_to_degrees(pc.lat, north, east);
                let street_line = format!("{house_number} {street}");
                let (address1, address2) = match flat {
                    Some(flat) => (flat, Some(street_line)),
                    None => (street_line, None),
                };
                let lines: Vec<String> = std::iter::once(address1.clone()).chain(address2.clone()).collect();
                households.push(Household {
                    pd: postcode_pd[p],
                    address_key: household_key(None, &lines, Some(&pc.postcode)),
                    address1,
                    address2,
                    street: street.clone(),
                    house_number,
                    postcode: pc.postcode.clone(),
                    lat: pc.lat + dlat + jitter.0,
                    lon: pc.lon + dlon + jitter.1,
                });
            }
            number += if flats { 1 } else { here };
            placed += here;
        }
        i += span;
    }
    households
}

fn street_name(rng: &mut StdRng, used: &mut HashSet<String>) -> String {
    for _ in 0..50 {
        let name = format!(
            "{} {}",
            names::STREET_STEMS.choose(rng).unwrap_or(&"Mill"),
            names::STREET_KINDS.choose(rng).unwrap_or(&"Street")
        );
        if used.insert(name.clone()) {
            return name;
        }
    }
    // The pool is nearly exhausted: a "New" street keeps names unique.
    let mut n = 1;
    loop {
        let name = format!("New {} {n}", names::STREET_KINDS.choose(rng).unwrap_or(&"Street"));
        if used.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

fn electors(
    rng: &mut StdRng,
    households: &[Household],
    sizes: &[usize],
    today: DateTime<Utc>,
) -> Vec<Elector> {
    // Elector numbers run through each district in street order, as on a printed register.
    let mut by_pd: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (h, hh) in households.iter().enumerate() {
        by_pd.entry(hh.pd).or_default().push(h);
    }
    let mut electors = Vec::with_capacity(sizes.iter().sum());
    for (pd, mut members) in by_pd {
        members.sort_by(|&a, &b| {
            let (ha, hb) = (&households[a], &households[b]);
            (&ha.street, house_no(&ha.house_number), &ha.address1).cmp(&(
                &hb.street,
                house_no(&hb.house_number),
                &hb.address1,
            ))
        });
        let mut number = 1;
        for h in members {
            let surname = *names::SURNAMES.choose(rng).unwrap_or(&"Smith");
            for k in 0..sizes[h] {
                let female = rng.random_bool(0.52);
                let first_name =
                    *if female { names::FEMALE } else { names::MALE }.choose(rng).unwrap_or(&"Alex");
                let surname = if k > 0 && rng.random_bool(0.15) {
                    *names::SURNAMES.choose(rng).unwrap_or(&surname)
                } else {
                    surname
                };
                let title = if female { *["Mrs", "Ms", "Miss"].choose(rng).unwrap_or(&"Ms") } else { "Mr" };
                // About one household in thirty with children has an attainer: 18 within the year.
                let attainment_date = (k >= 2 && rng.random_bool(0.12)).then(|| {
                    let d = today.date_naive() + Duration::days(rng.random_range(10..360));
                    NaiveDate::from_ymd_opt(d.year(), d.month(), d.day()).unwrap_or(d)
                });
                let markers = match rng.random_range(0..1000) {
                    0..=19 => "E",
                    20..=24 => "G",
                    25..=27 => "K",
                    _ => "",
                };
                electors.push(Elector {
                    household: h,
                    pd,
                    number,
                    markers,
                    title,
                    first_name,
                    surname,
                    attainment_date,
                });
                number += 1;
            }
        }
    }
    electors
}

fn house_no(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}
