use super::*;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").expect("time").to_utc() + Duration::seconds(seconds)
}

const ALEX: i64 = 7;

fn watching(stored: &[i64]) -> Pace {
    let mut pace = Pace::default();
    pace.stored(ALEX, stored.iter().map(|s| at(*s)).collect());
    pace
}

#[test]
fn a_fast_second_entry_is_flagged_with_its_gap() {
    let mut pace = watching(&[]);
    assert!(pace.reasons(Some(ALEX), at(0), None, &[]).is_empty());
    assert_eq!(pace.reasons(Some(ALEX), at(3), None, &[]), ["3 s after this volunteer's previous entry"]);
}

#[test]
fn an_entry_exactly_fast_seconds_later_is_not_flagged() {
    let mut pace = watching(&[0]);
    assert!(pace.reasons(Some(ALEX), at(FAST_SECONDS), None, &[]).is_empty());
    assert_eq!(pace.reasons(Some(ALEX), at(FAST_SECONDS + 1), None, &[]).len(), 1, "1 s after the last");
}

#[test]
fn an_entry_is_compared_with_the_one_just_before_it_whatever_the_order() {
    // Stored at 0 s and 20 s; one made at 18 s arrives after both.
    let mut pace = watching(&[20, 0]);
    assert_eq!(pace.reasons(Some(ALEX), at(18), None, &[]), Vec::<String>::new(), "18 s after 0 s");
    assert_eq!(pace.reasons(Some(ALEX), at(2), None, &[]), ["2 s after this volunteer's previous entry"]);
    // 21 s comes after 20 s, not after the 18 s or 2 s recorded since.
    assert_eq!(pace.reasons(Some(ALEX), at(21), None, &[]), ["1 s after this volunteer's previous entry"]);
    // Another volunteer's entries are not Alex's.
    pace.stored(8, Vec::new());
    assert!(pace.reasons(Some(8), at(21), None, &[]).is_empty());
}

#[test]
fn an_entry_without_a_volunteer_or_their_times_is_never_flagged_for_speed() {
    let mut pace = watching(&[0]);
    assert!(pace.reasons(None, at(1), None, &[]).is_empty(), "a paper sheet naming nobody");
    assert!(pace.reasons(Some(9), at(1), None, &[]).is_empty(), "a paper sheet's canvasser");
    assert!(pace.reasons(Some(9), at(2), None, &[]).is_empty());
}

#[test]
fn doubts_then_distance_then_speed_are_all_listed() {
    let mut pace = watching(&[0]);
    let doubts = ["no position from the phone".to_string()];
    assert_eq!(
        pace.reasons(Some(ALEX), at(2), Some(312.4), &doubts),
        ["no position from the phone", "312 m from the address", "2 s after this volunteer's previous entry"]
    );
}

#[test]
fn only_a_far_position_is_flagged() {
    let door = (Some(53.6), Some(-2.3));
    assert_eq!(far((Some(53.6), Some(-2.3)), door), None);
    assert_eq!(far((Some(53.602), Some(-2.3)), door), None, "about 222 m");
    assert!(far((Some(53.603), Some(-2.3)), door).is_some_and(|m| (330.0..337.0).contains(&m)));
    assert_eq!(far((None, Some(-2.3)), door), None);
    assert_eq!(far((Some(53.7), Some(-2.3)), (None, None)), None, "a door with no position");
}

#[test]
fn each_volunteer_is_fetched_from_fast_seconds_before_their_first_entry_to_their_last() {
    let w = windows([(ALEX, at(30)), (8, at(5)), (ALEX, at(10)), (ALEX, at(20))]);
    assert_eq!(w.len(), 2);
    assert_eq!(w[&ALEX], (at(10 - FAST_SECONDS), at(30)));
    assert_eq!(w[&8], (at(5 - FAST_SECONDS), at(5)));
}

#[test]
fn distances_on_the_ground_are_roughly_right() {
    // One thousandth of a degree of latitude is about 111 m.
    let m = metres(53.6, -2.3, 53.601, -2.3);
    assert!((110.0..112.5).contains(&m), "{m}");
    assert!(metres(53.6, -2.3, 53.6, -2.3) < 0.01);
}
