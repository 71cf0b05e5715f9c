//! Tests of mod.rs.

use super::*;

fn bury_north_2019(register: i64) -> WinNumber {
    WinNumber::compute(
        "Labour",
        2019,
        "Conservative".into(),
        "Labour".into(),
        21_660,
        21_555,
        105,
        68_802,
        46_841,
        111,
        register,
    )
}

#[test]
fn the_win_number_beats_the_last_winner_scaled_to_todays_register() {
    let w = bury_north_2019(67_000);
    assert!(!w.held_by_us);
    assert_eq!(w.rival, "Conservative");
    // 21,660 × 67,000 ÷ 68,802 = 21,092.6… → 21,092, and one more vote wins.
    assert_eq!(w.win_number, 21_093);
    assert_eq!(w.expected_valid_votes, 45_614);
    // Without a register the last electorate stands in.
    assert_eq!(bury_north_2019(0).win_number, 21_661);
}

#[test]
fn where_we_hold_the_seat_the_runner_up_is_the_rival() {
    let w = WinNumber::compute(
        "Labour",
        2019,
        "Labour".into(),
        "Conservative".into(),
        15_000,
        14_500,
        500,
        40_000,
        29_500,
        0,
        0,
    );
    assert!(w.held_by_us);
    assert_eq!(w.win_number, 14_501);
}

#[test]
fn weeks_start_on_monday_and_the_chart_starts_on_one() {
    let today = NaiveDate::from_ymd_opt(2025, 3, 12).expect("date"); // a Wednesday
    let first = first_day_shown(today);
    assert_eq!(first.weekday(), chrono::Weekday::Mon);
    assert!(today - first < Duration::days(DAYS_SHOWN));
    let days: Vec<DayCount> =
        (0..10).map(|i| DayCount { day: first + Duration::days(i), conversations: i + 1 }).collect();
    let weeks = weekly(&days);
    assert_eq!(weeks, vec![(first, 28), (first + Duration::days(7), 8 + 9 + 10)]);
}

#[test]
fn unknown_sorts_fall_back_to_majority() {
    assert_eq!(LeagueSort::parse("contact"), LeagueSort::Contact);
    assert_eq!(LeagueSort::parse("'; DROP TABLE"), LeagueSort::Majority);
}
