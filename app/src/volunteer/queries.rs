//! Volunteer queries, one topic to a module. Everything is re-exported here, where the
//! rest of the app and the integration tests reach for it.

mod consent;
mod detail;
mod editing;
mod ladder;
mod prospects;
mod reach;
mod roster;
mod teams;

pub use consent::{current_consents, record_consents};
pub use detail::{detail, record};
pub use editing::{check_contact, create, update, Contact, NewVolunteer, VolunteerEdit};
pub use ladder::move_stage;
pub use prospects::{prospect_from_doorstep, Prospect, ProspectContact};
pub use reach::{reach_in_seat, require_volunteer, seat_reach, teams_led, Reach, SeatReach};
pub use roster::{list, summaries, wards};
pub use teams::{create_team, set_team, team_leaders, teams};

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
