//! Typed ids: a household's id cannot be passed where an elector's is wanted. Each is the
//! row's integer key, the same on the wire (JSON) and in the database.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// A target seat (`seats.id`).
    SeatId,
    /// A door: one address on the register (`households.id`).
    HouseholdId,
    /// A person on the register (`electors.id`).
    ElectorId,
    /// A walk list (`walk_lists.id`).
    WalkListId,
    /// A volunteer (`volunteers.id`).
    VolunteerId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_number_on_the_wire() {
        assert_eq!(serde_json::to_string(&HouseholdId(42)).expect("json"), "42");
        assert_eq!(serde_json::from_str::<ElectorId>("7").expect("json"), ElectorId(7));
        assert_eq!(WalkListId(3).to_string(), "3");
    }
}
