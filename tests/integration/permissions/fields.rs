//! Personal fields: where each role may see them, and what a response shows that it
//! should not.

use super::*;

/// Personal fields, planted in the fixture as recognisable synthetic values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    Address,
    Note,
}
pub(super) use Field::*;

/// (field, planted inside the patch, text): an elector's surname, their address line and
/// a canvasser's note on a conversation with a call-back, inside and outside the patch.
pub(super) const CANARIES: [(Field, bool, &str); 6] = [
    (Name, true, "Canarywood"),
    (Address, true, "77 Canary Row"),
    (Note, true, "canary-note-inside"),
    (Name, false, "Farcanary"),
    (Address, false, "9 Outermost Lane"),
    (Note, false, "canary-note-outside"),
];

pub(super) const NAME_ADDRESS: &[Field] = &[Name, Address];
pub(super) const EVERYTHING: &[Field] = &[Name, Address, Note];

/// Where a role is meant to see personal fields, when its call is allowed at all: at the
/// door, the doors and who lives there; on the seat's own screens (subject access, the
/// register, walk sheets, follow-ups, review), what the organiser works with. Any route
/// not listed shows none of them to anyone, and nobody but an admin ever sees another
/// patch's.
pub(super) fn reveals(route: &str) -> (&'static [Who], &'static [Field]) {
    match route {
        "GET /walk/{id}" | "POST /api/walk_list" => (AT_THE_DOOR, &[Address]),
        "GET /walk/{id}/door/{household_id}" | "POST /api/walk_door" => (AT_THE_DOOR, NAME_ADDRESS),
        "GET /electors/{id}" | "POST /api/subject_access" | "GET /electors/{id}/{file}" => {
            (SEAT_STAFF, EVERYTHING)
        }
        "GET /seats/{gss}/electors" | "POST /api/elector_search" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /seats/{gss}/polling-day/postal" | "POST /api/postal_votes" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /seats/{gss}/export/{file}" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /dashboard/seats/{gss}/follow-ups" | "POST /api/seat_follow_ups" => (SEAT_STAFF, EVERYTHING),
        "GET /dashboard/export/{gss}/{table}" => (SEAT_STAFF, EVERYTHING),
        "GET /lists/{id}/print" | "POST /api/turf/sheet" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /returns/{code}" | "POST /api/turf/returns_sheet" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /doorstep/review" | "POST /api/doorstep/reviews" => (SEAT_STAFF, &[Address]),
        // Each entry's record by name (an elector, a door): an organiser's only in their seats.
        "GET /audit" | "POST /api/audit_log" => (SEAT_STAFF, NAME_ADDRESS),
        // Addresses whose postcode is not known, to fix.
        "GET /seats/{gss}/register" | "POST /api/register_status" => (SEAT_STAFF, &[Address]),
        _ => (&[], &[]),
    }
}

/// The planted values a response shows that its caller is not meant to see.
pub(super) fn leaks(route: &str, rule: Rule, who: Who, inside: bool, body: &str) -> Vec<String> {
    let (roles, fields) = reveals(route);
    let may = |field: Field, planted_inside: bool| {
        allowed(rule, who, inside)
            && roles.contains(&who)
            && fields.contains(&field)
            && (planted_inside || who == Admin)
    };
    CANARIES
        .iter()
        .filter(|(field, planted_inside, text)| body.contains(text) && !may(*field, *planted_inside))
        .map(|(field, planted_inside, text)| {
            format!("{field:?} {text:?} ({})", if *planted_inside { "inside" } else { "outside" })
        })
        .collect()
}

pub(super) const SESSION_ROUTES: [&str; 3] =
    ["POST /api/login", "POST /api/logout", "POST /api/sign_out_everywhere"];

pub(super) fn allowed(rule: Rule, who: Who, inside: bool) -> bool {
    match rule {
        Rule::Public => true,
        Rule::SignedIn => who != Anonymous,
        Rule::Roles(roles) => roles.contains(&who),
        Rule::Scoped(roles) => roles.contains(&who) && (inside || who == Admin),
    }
}
