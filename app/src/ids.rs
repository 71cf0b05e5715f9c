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

/// An ONS area code, as a seat (`E14000610`) or ward has: a capital letter and eight
/// digits. Read from a URL before it goes near the database.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GssCode(String);

impl GssCode {
    pub fn parse(code: &str) -> Option<GssCode> {
        let b = code.as_bytes();
        let ok = b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit);
        ok.then(|| GssCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GssCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A UK postcode as Royal Mail writes it: upper case, one space before the three-character
/// inward code ("bl0 0aa" and "BL00AA" are both `BL0 0AA`). Only `parse` makes one, so a
/// stored postcode is always in this form and equal postcodes compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(text: &str) -> Option<Postcode> {
        let compact: String =
            text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
        if !(5..=7).contains(&compact.len()) || !compact.is_ascii() {
            return None;
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        let b = inward.as_bytes();
        let inward_ok = b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic();
        let outward_ok =
            outward.as_bytes()[0].is_ascii_alphabetic() && outward.bytes().all(|b| b.is_ascii_alphanumeric());
        (inward_ok && outward_ok).then(|| Postcode(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Postcode {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
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

    #[test]
    fn a_gss_code_is_a_capital_letter_and_eight_digits() {
        assert_eq!(GssCode::parse("E14000610").map(|c| c.to_string()).as_deref(), Some("E14000610"));
        assert!(GssCode::parse("W07000041").is_some());
        for bad in
            ["", "E1400061", "E140006100", "e14000610", "14000610E", "E1400061x", "E14 00610", "É4000610"]
        {
            assert_eq!(GssCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn postcodes_are_normalised_or_refused() {
        let read = |t: &str| Postcode::parse(t).map(|p| p.to_string());
        assert_eq!(read("bl0 0aa").as_deref(), Some("BL0 0AA"));
        assert_eq!(read("M11AE").as_deref(), Some("M1 1AE"));
        assert_eq!(read(" SW1A  2AA ").as_deref(), Some("SW1A 2AA"));
        assert_eq!(Postcode::parse("bl00aa"), Postcode::parse("BL0 0AA"), "one postcode, however written");
        for bad in ["", "BL0", "12345", "BL0 0A1", "BL0 AAA", "ÉL0 0AA", "BL0-0AA", "BL0 0AAAAA"] {
            assert_eq!(Postcode::parse(bad), None, "{bad}");
        }
    }
}
