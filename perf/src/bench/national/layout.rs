//! How a synthetic seat's register is laid out, as a real one is: a few wards, 10–20
//! polling districts (each numbering its electors from 1 under its own two-letter prefix),
//! streets of a few dozen doors each, one to three electors a door (about two). Pure: the
//! generator writes what this plans.

use groundwork::demo::names::{FEMALE, MALE, STREET_KINDS, STREET_STEMS, SURNAMES};
use rand::Rng;

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Each ward's districts, by index into `districts`.
    pub wards: Vec<Vec<usize>>,
    /// District codes ("AA", "AB"…), unique in the seat.
    pub districts: Vec<String>,
    pub streets: Vec<String>,
    pub doors: Vec<DoorPlan>,
    pub electors: Vec<ElectorPlan>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DoorPlan {
    pub district: usize,
    pub street: usize,
    pub house_number: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElectorPlan {
    pub door: usize,
    pub district: usize,
    /// The register's number within the district, from 1.
    pub number: i64,
    pub first_name: &'static str,
    pub surname: &'static str,
}

/// Plans a seat of about `electors` electors (exactly that many).
pub fn plan(electors: usize, rng: &mut impl Rng) -> Layout {
    let ward_count = rng.random_range(3..=6usize);
    let district_count = rng.random_range(10..=20usize).max(ward_count);
    let mut wards = vec![Vec::new(); ward_count];
    let mut districts = Vec::with_capacity(district_count);
    for d in 0..district_count {
        let w = d * ward_count / district_count;
        let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
        districts.push(format!("{}{}", letter(w), letter(wards[w].len())));
        wards[w].push(d);
    }
    let mut streets: Vec<String> = Vec::new();
    let mut names: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut doors = Vec::with_capacity(electors / 2 + 1);
    let mut people = Vec::with_capacity(electors);
    let mut numbers = vec![0i64; district_count];
    let mut left_in_street = 0usize;
    let mut house = 0i64;
    while people.len() < electors {
        // The register is in district order: district d holds an even share of the seat.
        let district = (people.len() * district_count / electors.max(1)).min(district_count - 1);
        let new_district = doors.last().is_some_and(|d: &DoorPlan| d.district != district);
        if left_in_street == 0 || new_district {
            let n = streets.len();
            let stem = STREET_STEMS[n % STREET_STEMS.len()];
            let kind = STREET_KINDS[(n / STREET_STEMS.len()) % STREET_KINDS.len()];
            // Past the pools' combinations (or where a pool repeats) a number tells streets apart.
            let mut name = format!("{stem} {kind}");
            let mut again = 1;
            while !names.insert(name.clone()) {
                again += 1;
                name = format!("{stem} {kind} {again}");
            }
            streets.push(name);
            left_in_street = rng.random_range(10..=60);
            house = 0;
        }
        house += 1;
        left_in_street -= 1;
        let door = doors.len();
        doors.push(DoorPlan { district, street: streets.len() - 1, house_number: house });
        // A door never straddles two districts.
        let district_end = ((district + 1) * electors).div_ceil(district_count);
        let size = rng.random_range(1..=3usize).min(district_end.saturating_sub(people.len())).max(1);
        for _ in 0..size.min(electors - people.len()) {
            numbers[district] += 1;
            let first_name = if rng.random_bool(0.5) {
                FEMALE[rng.random_range(0..FEMALE.len())]
            } else {
                MALE[rng.random_range(0..MALE.len())]
            };
            people.push(ElectorPlan {
                door,
                district,
                number: numbers[district],
                first_name,
                surname: SURNAMES[rng.random_range(0..SURNAMES.len())],
            });
        }
    }
    Layout { wards, districts, streets, doors, electors: people }
}

#[cfg(test)]
mod tests {
    use super::plan;
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    use std::collections::HashSet;

    #[test]
    fn a_seat_has_wards_districts_and_streets_in_realistic_numbers() {
        let l = plan(73_000, &mut StdRng::seed_from_u64(1));
        assert_eq!(l.electors.len(), 73_000);
        assert!((3..=6).contains(&l.wards.len()), "{} wards", l.wards.len());
        assert!((10..=20).contains(&l.districts.len()), "{} districts", l.districts.len());
        assert_eq!(l.wards.iter().map(Vec::len).sum::<usize>(), l.districts.len());
        assert!(l.wards.iter().all(|w| !w.is_empty()));
        assert_eq!(l.districts.iter().collect::<HashSet<_>>().len(), l.districts.len(), "codes unique");
        assert!(l.streets.len() > 500, "{} streets", l.streets.len());
        assert_eq!(l.streets.iter().collect::<HashSet<_>>().len(), l.streets.len(), "street names unique");
        let per_door = l.electors.len() as f64 / l.doors.len() as f64;
        assert!((1.7..2.3).contains(&per_door), "{per_door} electors a door");
        // Numbers run from 1 in each district, with no gaps or repeats.
        for d in 0..l.districts.len() {
            let numbers: Vec<i64> = l.electors.iter().filter(|e| e.district == d).map(|e| e.number).collect();
            assert!(!numbers.is_empty());
            assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
        }
        // An elector lives in their door's district, and a street lies in one district.
        assert!(l.electors.iter().all(|e| l.doors[e.door].district == e.district));
        for s in 0..l.streets.len() {
            let ds: HashSet<usize> = l.doors.iter().filter(|d| d.street == s).map(|d| d.district).collect();
            assert_eq!(ds.len(), 1, "street {s} spans districts {ds:?}");
        }
    }

    #[test]
    fn a_tiny_seat_still_fills_every_district() {
        let l = plan(60, &mut StdRng::seed_from_u64(2));
        assert_eq!(l.electors.len(), 60);
        for d in 0..l.districts.len() {
            assert!(l.electors.iter().any(|e| e.district == d), "district {d} is empty");
        }
    }
}
