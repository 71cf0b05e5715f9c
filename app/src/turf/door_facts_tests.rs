//! Tests of door_facts.rs.

use super::*;

fn door(id: i64) -> DoorFacts {
    DoorFacts { id, lat: Some(53.6), lon: Some(-2.3), electors: 2, ..DoorFacts::default() }
}

#[test]
fn a_doors_status_follows_what_we_last_heard() {
    let mut d = door(1);
    assert_eq!(d.status("lab"), "not_contacted");
    d.last_contact = Some(Utc::now());
    d.latest_result = Some("not_in".into());
    assert_eq!(d.status("lab"), "contacted");
    d.intention = Some(("lab".into(), Some(5)));
    assert_eq!(d.status("lab"), "supporter");
    d.intention = Some(("con".into(), None));
    assert_eq!(d.status("lab"), "against");
    d.latest_result = Some("moved".into());
    assert_eq!(d.status("lab"), "moved");
    d.do_not_knock = true;
    assert_eq!(d.status("lab"), "do_not_knock");
}

#[test]
fn filters_all_apply_and_areas_add_up() {
    let now = Utc::now();
    let mut doors: Vec<DoorFacts> = (1..=6).map(door).collect();
    doors[0].ward_id = Some(10);
    doors[1].district_id = Some(20);
    doors[2].street = Some("Mill Street".into());
    doors[3].lat = Some(53.7); // inside the polygon below
    doors[3].lon = Some(-2.2);
    doors[4].do_not_knock = true;
    doors[4].ward_id = Some(10);
    let criteria = TurfCriteria {
        wards: vec![10],
        districts: vec![20],
        streets: vec!["mill street".into()],
        polygon: vec![[-2.25, 53.65], [-2.15, 53.65], [-2.15, 53.75], [-2.25, 53.75]],
        ..TurfCriteria::default()
    };
    let ids = |doors: &[DoorFacts], c: &TurfCriteria| {
        select(doors, c, "lab", now).iter().map(|d| d.id).collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&doors, &criteria),
        vec![1, 2, 3, 4],
        "the union of the areas, without the do-not-knock door"
    );
    assert_eq!(
        ids(&doors, &TurfCriteria { include_do_not_knock: true, ..criteria.clone() }),
        vec![1, 2, 3, 4, 5]
    );
    doors[0].last_contact = Some(now - Duration::days(3));
    doors[1].last_contact = Some(now - Duration::days(30));
    doors[1].intention = Some(("undecided".into(), None));
    assert_eq!(ids(&doors, &TurfCriteria { never_contacted: true, ..criteria.clone() }), vec![3, 4]);
    assert_eq!(ids(&doors, &TurfCriteria { not_contacted_days: Some(7), ..criteria.clone() }), vec![2, 3, 4]);
    assert_eq!(ids(&doors, &TurfCriteria { undecided_or_soft: true, ..criteria.clone() }), vec![2]);
    doors[2].postal_voters = 1;
    assert_eq!(ids(&doors, &TurfCriteria { postal_voters: true, ..criteria.clone() }), vec![3]);
    // The marked register: door 1 voted, door 2 stayed at home, the rest are not on it.
    (doors[0].on_marked_register, doors[0].voted_last) = (2, 1);
    (doors[1].on_marked_register, doors[1].voted_last) = (1, 0);
    assert_eq!(ids(&doors, &TurfCriteria { voted_last: Some(true), ..criteria.clone() }), vec![1]);
    assert_eq!(ids(&doors, &TurfCriteria { voted_last: Some(false), ..criteria.clone() }), vec![2]);
    assert_eq!(ids(&doors, &TurfCriteria::default()).len(), 5, "no area: the whole seat");
}
