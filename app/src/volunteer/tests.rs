//! Tests of the volunteer types: the ladder, availability codes, and who is ready or gone quiet.

use super::*;
use chrono::{Duration, Utc};

#[test]
fn stages_read_as_codes_or_as_people_write_them() {
    for stage in Stage::ALL {
        assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        assert_eq!(Stage::parse(stage.label()), Some(stage));
    }
    assert_eq!(Stage::parse(" first session "), Some(Stage::FirstSession));
    assert_eq!(Stage::parse("volunteer"), None);
    assert_eq!(Stage::Prospect.next(), Some(Stage::FirstSession));
    assert_eq!(Stage::Organiser.next(), None);
}

#[test]
fn availability_is_kept_in_week_order_and_unknown_codes_refused() {
    assert_eq!(
        parse_availability("sat_am, mon_eve;SUN_PM").expect("codes"),
        vec!["mon_eve", "sat_am", "sun_pm"]
    );
    assert_eq!(parse_availability("").expect("empty"), Vec::<String>::new());
    assert!(parse_availability("caturday_am").is_err());
    assert_eq!(availability_label("wed_eve"), "Wed evening");
    assert_eq!(availability_codes().len(), 21);
}

fn summary(stage: Stage, attended: i64, last: Option<i64>) -> VolunteerSummary {
    let now = Utc::now();
    VolunteerSummary {
        id: 1,
        first_name: "Ada".into(),
        surname: "Lovelace".into(),
        email: None,
        phone: None,
        ward: None,
        stage: stage.as_str().into(),
        team_id: None,
        team: None,
        heard_from: String::new(),
        from_doorstep: false,
        attended,
        last_session: last.map(|days| now - Duration::days(days)),
        stage_since: None,
        created_at: now - Duration::days(365),
    }
}

#[test]
fn three_sessions_at_first_session_means_ready_to_be_a_regular() {
    assert_eq!(summary(Stage::FirstSession, 2, Some(3)).ready_for(), None);
    assert_eq!(summary(Stage::FirstSession, 3, Some(3)).ready_for(), Some(Stage::Regular));
    assert_eq!(summary(Stage::Prospect, 1, Some(3)).ready_for(), Some(Stage::FirstSession));
    assert_eq!(summary(Stage::Regular, 10, Some(3)).ready_for(), Some(Stage::TeamLeader));
    assert_eq!(summary(Stage::Organiser, 50, Some(3)).ready_for(), None);
}

#[test]
fn no_session_in_four_weeks_is_gone_quiet() {
    let now = Utc::now();
    assert!(!summary(Stage::Regular, 5, Some(27)).gone_quiet(now, 4));
    assert!(summary(Stage::Regular, 5, Some(29)).gone_quiet(now, 4));
    assert!(!summary(Stage::Regular, 5, Some(29)).gone_quiet(now, 6));
    // Never attended: counted from when they joined, a year ago.
    assert!(summary(Stage::Prospect, 0, None).gone_quiet(now, 4));
}
