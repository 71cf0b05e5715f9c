//! Tests of fields.rs.

use super::*;

fn f(key: &str) -> &'static Field {
    field(key).expect("a listed setting")
}

#[test]
fn lists_round_trip_through_the_text_an_admin_edits() {
    for key in [
        "doorstep_parties",
        "doorstep_firmness",
        "doorstep_results",
        "doorstep_issues",
        "doorstep_follow_ups",
        "doorstep_survey",
    ] {
        let stored = default_value(key);
        let text = to_text(f(key).kind, &stored);
        let parties = DoorstepSettings::default().parties;
        assert_eq!(parse(f(key), &text, &parties).as_deref(), Ok(stored.as_str()), "{key}");
    }
}

#[test]
fn a_label_alone_makes_its_code_and_errors_name_the_line() {
    let parties = DoorstepSettings::default().parties;
    let issues = parse(f("doorstep_issues"), "Cost of living\n\npotholes = Potholes & roads\n", &parties)
        .expect("valid");
    assert_eq!(issues, r#"[["cost_of_living","Cost of living"],["potholes","Potholes & roads"]]"#);
    assert_eq!(
        parse(f("doorstep_issues"), "a = A\nB C = Bad code\n", &parties),
        Err("line 2: \"b c\" cannot be a code (use a–z, 0–9 and _, up to 40 characters)".into())
    );
    assert_eq!(
        parse(f("doorstep_issues"), "a = A\na = again", &parties),
        Err("line 2: \"a\" is listed twice".into())
    );
    assert!(parse(f("doorstep_issues"), " \n", &parties).is_err());
}

#[test]
fn built_in_codes_can_be_renamed_and_dropped_but_not_invented() {
    let parties = DoorstepSettings::default().parties;
    let results =
        parse(f("doorstep_results"), "spoke = Answered\nnot_in\nrefused = Said no", &parties).expect("valid");
    assert_eq!(results, r#"[["spoke","Answered"],["not_in","Not in"],["refused","Said no"]]"#);
    assert!(parse(f("doorstep_results"), "spoke = Spoke\nnot_in\nbarking_dog = Dog", &parties)
        .expect_err("refused")
        .starts_with("line 3: \"barking_dog\" is not one of not_in, spoke"));
    assert_eq!(
        parse(f("doorstep_results"), "spoke", &parties),
        Err("\"not_in\" must stay on the list".into())
    );
}

#[test]
fn firmness_survey_and_single_values_are_checked() {
    let parties = DoorstepSettings::default().parties;
    assert_eq!(
        parse(f("doorstep_firmness"), "5 = Definite\n3 = Probable\n1 = Undecided", &parties).expect("valid"),
        r#"[[1,"Undecided"],[3,"Probable"],[5,"Definite"]]"#
    );
    assert!(parse(f("doorstep_firmness"), "6 = Beyond", &parties)
        .expect_err("refused")
        .starts_with("line 1:"));
    assert!(parse(f("doorstep_survey"), "q = Will you vote?", &parties)
        .expect_err("refused")
        .starts_with("line 1: give at least two"));
    assert_eq!(parse(f("retention_months"), "12", &parties), Ok("12".into()));
    assert!(parse(f("retention_months"), "0", &parties).is_err());
    assert_eq!(parse(f("register_upload_days"), "7", &parties), Ok("7".into()));
    assert!(parse(f("register_upload_days"), "91", &parties).is_err());
    assert_eq!(parse(f("register_left_limit"), " 25 ", &parties), Ok("25".into()));
    assert!(parse(f("register_left_limit"), "0", &parties).is_err());
    assert!(parse(f("register_left_limit"), "150", &parties).is_err());
    assert!(parse(f("election_date"), "2029-02-30", &parties).is_err());
    assert_eq!(parse(f("election_date"), "", &parties), Ok(String::new()));
    assert!(parse(f("map_tile_url"), "https://tiles.example/{z}/{x}.png", &parties).is_err());
    assert_eq!(parse(f("our_party"), "LD", &parties), Ok("ld".into()));
    assert!(parse(f("our_party"), "snp", &parties).expect_err("refused").contains("not on the party list"));
    assert_eq!(parse(f("doorstep_review"), "on", &parties), Ok("on".into()));
}
