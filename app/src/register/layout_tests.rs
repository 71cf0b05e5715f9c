//! Tests of layout.rs.

use super::*;

fn headers(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn each_council_layout_is_recognised_from_its_header() {
    let cases = [
        (
            vec![
                "Elector Number Prefix",
                "Elector Number",
                "Elector Number Suffix",
                "Elector Markers",
                "Elector DOB",
                "Elector Surname",
                "Elector Forename",
                "PostCode",
                "Address1",
                "Address2",
            ],
            "Xpress full register",
        ),
        (
            vec![
                "Elector Number Prefix",
                "Elector Number",
                "Elector Number Suffix",
                "Elector Markers",
                "Elector DOB",
                "Elector Name",
                "PostCode",
                "Address1",
            ],
            "Xpress full register (one name column)",
        ),
        (
            vec![
                "CompanyName",
                "DistrictRef",
                "PropertyAddress1",
                "PropertyPostCode",
                "ElectorNumber",
                "ElectorForename",
                "ElectorSurname",
                "ElectorDOB",
                "ElectorCreatedMonth",
                "ElectorChangedMonth",
                "ElectorDeletedMonth",
                "MarkersRegisterText",
            ],
            "Xpress monthly update",
        ),
        (
            vec![
                "PDCode",
                "RollNo",
                "ElectorTitle",
                "ElectorSurname",
                "ElectorForename",
                "ElectorMiddleName",
                "AttainersDOB",
                "FranchiseMarker",
                "RegisteredAddress1",
                "PostCode",
            ],
            "Idox/Halarose EROS full register",
        ),
        (
            vec![
                "ChangeTypeID",
                "PDCode",
                "RollNo",
                "ElectorSurname",
                "ElectorForename",
                "RegisteredAddress1",
                "PostCode",
            ],
            "Idox/Halarose EROS update",
        ),
        (
            vec![
                "PD",
                "ENO",
                "Status",
                "Title",
                "First Name",
                "Initials",
                "Surname",
                "Suffix",
                "Date Of Attainment",
                "Franchise Flag",
                "Address 1",
                "Postcode",
            ],
            "Halarose EROS full register (pp50)",
        ),
    ];
    for (h, name) in cases {
        assert_eq!(detect(&headers(&h)).map(|m| m.layout), Some(name.to_string()), "{h:?}");
    }
}

#[test]
fn an_unknown_header_is_not_guessed_at() {
    assert!(detect(&headers(&["Name", "House", "Road"])).is_none());
}

#[test]
fn a_hand_made_mapping_names_a_missing_column() {
    let h = headers(&["Ref", "Family name", "Given name", "Line 1", "Post code"]);
    let mut names = BTreeMap::new();
    names.insert(Field::ElectorNumber, "Ref".to_string());
    names.insert(Field::Surname, "family_name".to_string());
    names.insert(Field::Address1, "Line 1".to_string());
    let m = from_names(&h, &names, Edition::Full).expect("valid");
    assert_eq!(m.columns[&Field::Surname], 1);
    names.insert(Field::Postcode, "Postcode area".to_string());
    assert!(from_names(&h, &names, Edition::Full).expect_err("missing column").contains("Postcode area"));
}
