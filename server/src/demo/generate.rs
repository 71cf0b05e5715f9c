//! Deterministic synthetic people for the demo seat: the same seed gives the same
//! households, electors, volunteers, sessions, walk lists and conversations.

use super::geography::{Geography, Postcode};
use super::names;
use app::register::household::household_key;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};

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

pub struct PollingDistrict {
    pub ward: usize,
    pub code: String,
    pub name: String,
}

pub struct Household {
    pub pd: usize,
    pub address_key: String,
    pub address1: String,
    pub address2: Option<String>,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
}

pub struct Elector {
    pub household: usize,
    pub pd: usize,
    pub number: i64,
    pub markers: &'static str,
    pub title: &'static str,
    pub first_name: &'static str,
    pub surname: &'static str,
    pub attainment_date: Option<NaiveDate>,
}

pub struct Volunteer {
    pub first_name: &'static str,
    pub surname: &'static str,
    pub ward: usize,
    pub stage: &'static str,
}

pub struct Session {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub meeting_point: String,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i64,
    /// (volunteer, attended, hours)
    pub attendance: Vec<(usize, bool, Option<f64>)>,
}

pub struct WalkList {
    pub session: usize,
    pub name: String,
    pub households: Vec<usize>,
    pub volunteers: Vec<usize>,
}

pub struct Conversation {
    pub id: String,
    pub household: usize,
    pub elector: Option<usize>,
    pub walk_list: usize,
    pub volunteer: usize,
    pub result: &'static str,
    pub intention: Option<&'static str>,
    pub intention_source: Option<&'static str>,
    pub firmness: Option<i64>,
    pub made_at: DateTime<Utc>,
}

pub struct People {
    pub polling_districts: Vec<PollingDistrict>,
    pub households: Vec<Household>,
    pub electors: Vec<Elector>,
    pub volunteers: Vec<Volunteer>,
    pub sessions: Vec<Session>,
    pub walk_lists: Vec<WalkList>,
    pub conversations: Vec<Conversation>,
    /// Index of the volunteer who is the demo volunteer account.
    pub demo_volunteer: usize,
}

const DISTRICTS_PER_WARD: usize = 3;
const WALK_LISTS_PER_SESSION: usize = 6;
const DOORS_PER_LIST: usize = 35;

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

fn volunteers(rng: &mut StdRng, wards: usize) -> Vec<Volunteer> {
    let stages = ["regular", "prospect", "first_session", "regular", "regular", "team_leader", "organiser"];
    (0..80)
        .map(|i| Volunteer {
            first_name: if rng.random_bool(0.5) { names::FEMALE } else { names::MALE }
                .choose(rng)
                .copied()
                .unwrap_or("Sam"),
            surname: names::SURNAMES.choose(rng).copied().unwrap_or("Smith"),
            ward: rng.random_range(0..wards.max(1)),
            // The first volunteer is the demo volunteer account: a regular.
            stage: if i == 0 { "regular" } else { stages.choose(rng).copied().unwrap_or("prospect") },
        })
        .collect()
}

/// Weekly Saturday and Wednesday sessions for the last eight weeks, and three to come.
fn sessions(
    rng: &mut StdRng,
    geo: &Geography,
    volunteers: &[Volunteer],
    today: DateTime<Utc>,
) -> Vec<Session> {
    let meeting_points = [
        "Tottington Library",
        "Ramsbottom Civic Hall",
        "Bury Interchange, stand A",
        "Elton Reservoir car park",
        "Moorside community centre",
        "Redvales cricket club",
    ];
    let today = today.date_naive();
    let last_saturday = today - Duration::days((today.weekday().num_days_from_monday() as i64 + 2) % 7);
    let mut starts = Vec::new();
    for week in (0..8).rev() {
        let sat = last_saturday - Duration::weeks(week);
        starts.push(sat.and_hms_opt(10, 30, 0));
        starts.push((sat - Duration::days(3)).and_hms_opt(18, 0, 0));
    }
    for week in 1..=3 {
        starts.push((last_saturday + Duration::weeks(week)).and_hms_opt(10, 30, 0));
    }
    starts
        .into_iter()
        .flatten()
        .map(|start| {
            let starts_at = Utc.from_utc_datetime(&start);
            let point = *meeting_points.choose(rng).unwrap_or(&meeting_points[0]);
            let ward = rng.random_range(0..geo.wards.len().max(1));
            let (lat, lon) = centroid(geo, ward);
            let past = starts_at.date_naive() < today;
            let mut attendance: Vec<(usize, bool, Option<f64>)> = Vec::new();
            let wanted = rng.random_range(5..12);
            while attendance.len() < wanted {
                let v = rng.random_range(0..volunteers.len());
                if attendance.iter().all(|a| a.0 != v) {
                    let attended = past && rng.random_bool(0.85);
                    let hours = attended.then(|| f64::from(rng.random_range(4..7u32)) / 2.0);
                    attendance.push((v, attended, hours));
                }
            }
            if !past && attendance.iter().all(|a| a.0 != 0) {
                attendance.push((0, false, None));
            }
            Session {
                title: format!(
                    "{} canvass",
                    if start.weekday() == chrono::Weekday::Sat { "Saturday" } else { "Wednesday evening" }
                ),
                starts_at,
                meeting_point: point.to_string(),
                lat,
                lon,
                capacity: 15,
                attendance,
            }
        })
        .collect()
}

fn centroid(geo: &Geography, ward: usize) -> (f64, f64) {
    let code = &geo.wards[ward].code;
    let pts: Vec<&Postcode> = geo.postcodes.iter().filter(|p| &p.ward_code == code).collect();
    let n = pts.len().max(1) as f64;
    (pts.iter().map(|p| p.lat).sum::<f64>() / n, pts.iter().map(|p| p.lon).sum::<f64>() / n)
}

/// Each session walks a few runs of neighbouring doors; every list has volunteers.
fn walk_lists(
    rng: &mut StdRng,
    households: &[Household],
    sessions: &[Session],
    volunteers: &[Volunteer],
) -> Vec<WalkList> {
    let mut lists = Vec::new();
    let runs = households.len() / DOORS_PER_LIST;
    if runs == 0 {
        return lists;
    }
    for (s, session) in sessions.iter().enumerate() {
        for k in 0..WALK_LISTS_PER_SESSION {
            let run = rng.random_range(0..runs);
            let members: Vec<usize> = (run * DOORS_PER_LIST..(run + 1) * DOORS_PER_LIST).collect();
            let street = households[members[0]].street.clone();
            let mut team: Vec<usize> = session.attendance.iter().skip(k * 2).take(2).map(|a| a.0).collect();
            if team.is_empty() {
                team.push(rng.random_range(0..volunteers.len()));
            }
            lists.push(WalkList {
                session: s,
                name: format!("{street} and around"),
                households: members,
                volunteers: team,
            });
        }
    }
    lists
}

fn conversations(
    rng: &mut StdRng,
    households: &[Household],
    electors: &[Elector],
    sessions: &[Session],
    lists: &[WalkList],
    today: DateTime<Utc>,
) -> Vec<Conversation> {
    let mut first_elector = vec![usize::MAX; households.len()];
    for (i, e) in electors.iter().enumerate().rev() {
        first_elector[e.household] = i;
    }
    let parties =
        [("lab", 36), ("con", 33), ("ld", 7), ("green", 6), ("reform", 6), ("other", 2), ("undecided", 10)];
    let party_total: u32 = parties.iter().map(|p| p.1).sum();
    let mut out = Vec::new();
    for (l, list) in lists.iter().enumerate() {
        let session = &sessions[list.session];
        if session.starts_at >= today {
            continue;
        }
        for (i, &h) in list.households.iter().enumerate() {
            let made_at = session.starts_at + Duration::minutes(4 * i as i64 + rng.random_range(0..3));
            let roll = rng.random_range(0..100);
            let result = match roll {
                0..=44 => "not_in",
                45..=84 => "spoke",
                85..=89 => "refused",
                90..=93 => "come_back",
                94..=95 => "moved",
                96..=97 => "inaccessible",
                _ => "wrong_address",
            };
            let (intention, source, firmness) = if result == "spoke" {
                let mut pick = rng.random_range(0..party_total);
                let mut party = "undecided";
                for (p, w) in parties {
                    if pick < w {
                        party = p;
                        break;
                    }
                    pick -= w;
                }
                let source = if rng.random_bool(0.75) { "said" } else { "inferred" };
                (Some(party), Some(source), Some(rng.random_range(1..=5)))
            } else {
                (None, None, None)
            };
            let mut id = [0u8; 16];
            rng.fill(&mut id);
            out.push(Conversation {
                id: uuid::Builder::from_random_bytes(id).into_uuid().to_string(),
                household: h,
                elector: (result == "spoke" && first_elector[h] != usize::MAX).then_some(first_elector[h]),
                walk_list: l,
                volunteer: list.volunteers[i % list.volunteers.len()],
                result,
                intention,
                intention_source: source,
                firmness,
                made_at,
            });
        }
    }
    out
}
