//! The merge worked out with no database: rows against the electors held.

use super::*;
use crate::register::layout::{Field, Mapping};
use crate::register::matching::Present;
use crate::register::ElectorNumber;
use std::collections::{BTreeMap, HashSet};

fn held(id: i64, number: i64, first: &str, door: &str) -> Existing {
    Existing {
        id,
        pd_prefix: "AB".into(),
        elector_number: number,
        elector_suffix: 0,
        household_id: 1,
        address_key: door.into(),
        title: None,
        first_name: first.into(),
        middle_names: None,
        surname: "Lee".into(),
        markers: String::new(),
        date_of_birth: None,
        attainment_date: None,
    }
}

fn row(number: i64, first: &str) -> RegisterRow {
    RegisterRow {
        line: number as u64 + 1,
        number: ElectorNumber { prefix: "AB".into(), number, suffix: 0 },
        title: None,
        forename: first.into(),
        middle_names: None,
        surname: "Lee".into(),
        markers: String::new(),
        date_of_birth: None,
        attainment_date: None,
        address: vec!["1 High St".into()],
        postcode: None,
        uprn: None,
        change: Change::Upsert,
    }
}

fn keep(everyone: bool) -> Keep {
    let columns: BTreeMap<Field, usize> =
        [Field::Title, Field::MiddleNames, Field::Markers, Field::AttainmentDate]
            .into_iter()
            .zip(0..)
            .collect();
    let mapping = Mapping { layout: "test".into(), edition: Edition::Full, columns };
    Keep { numbers: HashSet::new(), everyone, present: Present::of(&mapping) }
}

/// Every row lives at door "d1", which is household 1.
fn plan_of(existing: &[Existing], rows: &[RegisterRow], edition: Edition, keep: &Keep) -> Plan {
    let household_ids = HashMap::from([("d1".to_string(), 1)]);
    let suppressed = Suppressed::new("k".into(), []);
    let keys = vec!["d1".to_string(); rows.len()];
    let held = Held { existing, household_ids: &household_ids, suppressed: &suppressed, edition };
    plan(&held, rows, &keys, keep)
}

#[test]
fn a_first_import_adds_every_row() {
    let plan = plan_of(&[], &[row(1, "Ann"), row(2, "Bob")], Edition::Full, &keep(false));
    assert_eq!(plan.added, vec![0, 1]);
    assert!(plan.updates.is_empty() && plan.leaving.is_empty() && plan.renumbered.is_empty());
}

#[test]
fn a_row_that_says_nothing_new_is_counted_as_unchanged() {
    let plan = plan_of(&[held(10, 1, "Ann", "d1")], &[row(1, "Ann")], Edition::Full, &keep(false));
    assert_eq!(plan.unchanged, 1);
    assert!(plan.updates.is_empty() && plan.added.is_empty() && plan.leaving.is_empty());
}

#[test]
fn a_changed_name_under_the_same_number_is_an_update() {
    let plan = plan_of(&[held(10, 1, "Ann", "d1")], &[row(1, "Anne")], Edition::Full, &keep(false));
    assert_eq!(plan.updates, vec![(0, 0)]);
    assert_eq!(plan.filled[&0].forename, "Anne");
}

#[test]
fn someone_missing_from_a_full_register_has_left_but_not_from_an_update() {
    let existing = [held(10, 1, "Ann", "d1"), held(11, 2, "Bob", "d1")];
    let full = plan_of(&existing, &[row(1, "Ann")], Edition::Full, &keep(false));
    assert_eq!(full.leaving, vec![11]);
    let update = plan_of(&existing, &[row(1, "Ann")], Edition::Update, &keep(false));
    assert!(update.leaving.is_empty());
}

#[test]
fn nobody_leaves_when_a_bad_row_could_be_anyone() {
    let existing = [held(10, 1, "Ann", "d1"), held(11, 2, "Bob", "d1")];
    let plan = plan_of(&existing, &[row(1, "Ann")], Edition::Full, &keep(true));
    assert!(plan.leaving.is_empty());
}

#[test]
fn the_same_person_at_the_same_door_under_a_new_number_is_renumbered() {
    let plan = plan_of(&[held(10, 1, "Ann", "d1")], &[row(7, "Ann")], Edition::Full, &keep(false));
    assert_eq!(plan.renumbered, vec![(0, 0)]);
    assert!(plan.added.is_empty() && plan.leaving.is_empty());
}

#[test]
fn a_deletion_leaves_the_person_held_and_rejects_one_not_held() {
    let mut gone = row(1, "Ann");
    gone.change = Change::Delete;
    let mut unknown = row(5, "Cy");
    unknown.change = Change::Delete;
    let plan = plan_of(&[held(10, 1, "Ann", "d1")], &[gone, unknown], Edition::Update, &keep(false));
    assert_eq!(plan.leaving, vec![10]);
    assert_eq!(plan.rejected.len(), 1);
    assert!(plan.rejected[0].reason.contains("not on the register we hold"), "{:?}", plan.rejected);
}
