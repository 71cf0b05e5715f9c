//! Tests of the volunteer queries (queries.rs and its modules).

use super::*;

#[test]
fn contact_details_are_tidied_or_refused_by_field() {
    let ok = check_contact(" Ada ", "Lovelace", Some(" Ada@Example.org "), Some("+44 7700 900123"));
    assert_eq!(
        ok,
        Ok((
            "Ada".to_string(),
            "Lovelace".to_string(),
            Some("ada@example.org".to_string()),
            Some("+44 7700 900123".to_string())
        ))
    );
    assert_eq!(check_contact("", "X", None, None).map_err(|e| e.0), Err("first_name"));
    assert_eq!(check_contact("A", "X", Some("ada.example.org"), None).map_err(|e| e.0), Err("email"));
    assert_eq!(check_contact("A", "X", None, Some("call me")).map_err(|e| e.0), Err("phone"));
    assert_eq!(check_contact("A", "X", None, Some("123")).map_err(|e| e.0), Err("phone"));
    assert!(check_contact("A", "X", Some(""), Some("")).is_ok());
}

#[test]
fn a_team_leader_reaches_only_their_teams() {
    let reach = Reach::Teams(vec![3, 5]);
    assert!(reach.covers(Some(3)));
    assert!(!reach.covers(Some(4)));
    assert!(!reach.covers(None));
    assert!(Reach::WholeSeat.covers(None));
}
