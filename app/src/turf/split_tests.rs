//! Tests of split.rs.

use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;

/// A door `east` and `north` metres from a point in Bury.
fn door(id: i64, street: &str, number: &str, east: f64, north: f64) -> Door {
    let (lat0, lon0) = (53.6, -2.3);
    Door {
        id,
        lat: lat0 + north / 111_195.0,
        lon: lon0 + east / (111_195.0 * lat0.to_radians().cos()),
        street: street.into(),
        house_number: number.into(),
        address1: format!("{number} {street}"),
    }
}

/// A town of random streets: each a straight line of doors, odd numbers on one side.
fn town(rng: &mut StdRng, streets: usize) -> Vec<Door> {
    let mut doors = Vec::new();
    for s in 0..streets {
        let (x0, y0) = (rng.random_range(0.0..3_000.0), rng.random_range(0.0..3_000.0));
        let angle: f64 = rng.random_range(0.0..std::f64::consts::PI);
        let n = rng.random_range(1..90);
        for k in 1..=n {
            let along = (k / 2) as f64 * 9.0;
            let across = if k % 2 == 1 { -8.0 } else { 8.0 };
            let (x, y) = (
                x0 + along * angle.cos() - across * angle.sin(),
                y0 + along * angle.sin() + across * angle.cos(),
            );
            let id = doors.len() as i64;
            doors.push(door(id, &format!("Street {s}"), &k.to_string(), x, y));
        }
    }
    doors
}

fn check_invariants(doors: &[Door], lists: &[Vec<usize>], target: usize) {
    let mut seen = HashSet::new();
    for list in lists {
        assert!(!list.is_empty(), "no empty lists");
        assert!(list.len() <= target, "a list of {} doors, over {target}", list.len());
        for &i in list {
            assert!(seen.insert(i), "door {i} is on two lists or twice on one");
        }
    }
    assert_eq!(seen.len(), doors.len(), "every door is on a list");
}

#[test]
fn every_door_is_on_exactly_one_list_and_no_list_is_too_long() {
    for seed in 0..40 {
        let mut rng = StdRng::seed_from_u64(seed);
        let streets = rng.random_range(1..40);
        let doors = town(&mut rng, streets);
        let target = rng.random_range(5..60);
        for order in [WalkOrder::Sides, WalkOrder::ZigZag] {
            let lists = split(&doors, target, order);
            check_invariants(&doors, &lists, target);
        }
    }
}

#[test]
fn lists_are_mostly_near_the_target_size() {
    let mut rng = StdRng::seed_from_u64(7);
    let doors = town(&mut rng, 60);
    let lists = split(&doors, 35, WalkOrder::Sides);
    let ideal = doors.len().div_ceil(35);
    assert!(lists.len() <= ideal * 3 / 2 + 1, "{} lists for {} doors", lists.len(), doors.len());
}

#[test]
fn a_list_never_jumps_across_the_seat() {
    // Two estates 5 km apart, 20 doors each: two lists, never mixed.
    let mut doors: Vec<Door> =
        (1..=20).map(|k| door(k, "Hill Road", &k.to_string(), k as f64 * 8.0, 0.0)).collect();
    doors.extend((1..=20).map(|k| door(100 + k, "Vale Road", &k.to_string(), 5_000.0 + k as f64 * 8.0, 0.0)));
    let lists = split(&doors, 35, WalkOrder::ZigZag);
    assert_eq!(lists.len(), 2);
    for list in &lists {
        let streets: HashSet<&str> = list.iter().map(|&i| doors[i].street.as_str()).collect();
        assert_eq!(streets.len(), 1, "one estate per list");
    }
}

#[test]
fn a_street_is_walked_up_one_side_and_down_the_other() {
    let doors: Vec<Door> = (1..=10)
        .map(|k| {
            door(k, "Mill Street", &k.to_string(), (k / 2) as f64 * 9.0, if k % 2 == 1 { -8.0 } else { 8.0 })
        })
        .collect();
    let lists = split(&doors, 35, WalkOrder::Sides);
    let numbers: Vec<&str> = lists[0].iter().map(|&i| doors[i].house_number.as_str()).collect();
    let forwards = ["1", "3", "5", "7", "9", "10", "8", "6", "4", "2"];
    let backwards: Vec<&str> = forwards.iter().rev().copied().collect();
    assert!(numbers == forwards || numbers == backwards, "{numbers:?}");
    let zig = split(&doors, 35, WalkOrder::ZigZag);
    let numbers: Vec<u32> = zig[0].iter().map(|&i| house_number_key(&doors[i].house_number).0).collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]) || numbers.windows(2).all(|w| w[0] > w[1]),
        "{numbers:?}"
    );
}

#[test]
fn flats_in_one_block_stay_together_in_flat_order() {
    let mut doors: Vec<Door> =
        (1..=12).map(|k| door(k, "Park Road", &k.to_string(), k as f64 * 9.0, 0.0)).collect();
    for f in 1..=12 {
        let mut d = door(100 + f, "Park Road", "7", 7.0 * 9.0, 0.0);
        d.address1 = format!("Flat {f}, Park Court");
        doors.push(d);
    }
    let lists = split(&doors, 20, WalkOrder::ZigZag);
    check_invariants(&doors, &lists, 20);
    let holding: Vec<&Vec<usize>> = lists.iter().filter(|l| l.iter().any(|&i| doors[i].id > 100)).collect();
    assert_eq!(holding.len(), 1, "the block is on one list");
    let flats: Vec<i64> = holding[0].iter().map(|&i| doors[i].id).filter(|&id| id > 100).collect();
    let ascending: Vec<i64> = (101..=112).collect();
    let descending: Vec<i64> = ascending.iter().rev().copied().collect();
    assert!(flats == ascending || flats == descending, "{flats:?}");
}

#[test]
fn routes_are_shorter_than_register_order() {
    let mut rng = StdRng::seed_from_u64(11);
    let doors = town(&mut rng, 80);
    let lists = split(&doors, 35, WalkOrder::ZigZag);
    let ours: f64 = lists.iter().map(|l| route_metres(&doors, l)).sum();
    let plain: f64 = lists.iter().map(|l| route_metres(&doors, &register_order(&doors, l))).sum();
    assert!(ours < plain, "ours {ours:.0} m, register order {plain:.0} m");
}

#[test]
fn house_numbers_and_flat_names_sort_as_people_read_them() {
    assert_eq!(house_number_key("12A"), (12, "A".into()));
    assert_eq!(house_number_key(" 7 "), (7, String::new()));
    assert_eq!(house_number_key("Rose Cottage").0, u32::MAX);
    assert!(natural_key("Flat 2, Mill Court") < natural_key("Flat 10, Mill Court"));
}

#[test]
fn an_empty_cut_makes_no_lists() {
    assert!(split(&[], 35, WalkOrder::Sides).is_empty());
    let one = vec![door(1, "", "", 0.0, 0.0)];
    assert_eq!(split(&one, 35, WalkOrder::Sides), vec![vec![0]]);
}
