//! Elector numbers as councils print them: a polling-district prefix, a number, and a
//! suffix shown only when it is not zero (`AB-123`, `AB-123/1`, `AB 123.1`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ElectorNumber {
    pub prefix: String,
    pub number: i64,
    pub suffix: i64,
}

const MAX_NUMBER_DIGITS: usize = 9;
const MAX_SUFFIX_DIGITS: usize = 4;

impl ElectorNumber {
    /// Parses the combined form. The prefix is everything before the last run of
    /// digits (less a `-` or space), so odd prefixes such as `KD-2/2` survive.
    pub fn parse(text: &str) -> Result<ElectorNumber, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("the elector number is empty".into());
        }
        let (body, suffix) = match t.rfind(['/', '.']) {
            Some(i) if i + 1 < t.len() && t[i + 1..].bytes().all(|b| b.is_ascii_digit()) => {
                (&t[..i], Some(&t[i + 1..]))
            }
            _ => (t, None),
        };
        let digits_start =
            body.char_indices().rev().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, _)| i);
        let Some(start) = digits_start else {
            return Err(format!("\"{t}\" has no elector number after the district prefix"));
        };
        let prefix = body[..start].trim_end_matches(['-', ' ']);
        Self::from_parts(prefix, &body[start..], suffix.unwrap_or("")).map_err(|e| format!("\"{t}\": {e}"))
    }

    /// Builds a number from the three columns some layouts use.
    pub fn from_parts(prefix: &str, number: &str, suffix: &str) -> Result<ElectorNumber, String> {
        let prefix = prefix.trim().to_uppercase();
        if prefix.is_empty() {
            return Err("the polling district prefix is missing".into());
        }
        if prefix.len() > 12 || !prefix.chars().all(|c| c.is_ascii_alphanumeric() || "-/ ".contains(c)) {
            return Err(format!("\"{prefix}\" is not a polling district prefix"));
        }
        let number = number.trim();
        if number.is_empty()
            || number.len() > MAX_NUMBER_DIGITS
            || !number.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("\"{number}\" is not an elector number"));
        }
        let suffix = suffix.trim();
        let suffix = if suffix.is_empty() {
            0
        } else if suffix.len() <= MAX_SUFFIX_DIGITS && suffix.bytes().all(|b| b.is_ascii_digit()) {
            suffix.parse().map_err(|_| format!("\"{suffix}\" is not a suffix"))?
        } else {
            return Err(format!("\"{suffix}\" is not an elector number suffix"));
        };
        let number = number.parse().map_err(|_| format!("\"{number}\" is not an elector number"))?;
        Ok(ElectorNumber { prefix, number, suffix })
    }
}

/// The same form in SQL over an elector `e` (both databases), for queries that print a
/// number: `ElectorNumber`'s `Display` and this must agree (tests/integration/store.rs).
#[macro_export]
macro_rules! elector_number_sql {
    () => {
        "(e.pd_prefix || '-' || CAST(e.elector_number AS TEXT) || CASE WHEN e.elector_suffix = 0 THEN '' ELSE '/' || CAST(e.elector_suffix AS TEXT) END)"
    };
}

impl fmt::Display for ElectorNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.prefix, self.number)?;
        if self.suffix != 0 {
            write!(f, "/{}", self.suffix)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(prefix: &str, number: i64, suffix: i64) -> ElectorNumber {
        ElectorNumber { prefix: prefix.into(), number, suffix }
    }

    #[test]
    fn every_printed_form_parses() {
        assert_eq!(ElectorNumber::parse("AB-123"), Ok(n("AB", 123, 0)));
        assert_eq!(ElectorNumber::parse("AB-123/1"), Ok(n("AB", 123, 1)));
        assert_eq!(ElectorNumber::parse("AB 123.1"), Ok(n("AB", 123, 1)));
        assert_eq!(ElectorNumber::parse(" ab-7 "), Ok(n("AB", 7, 0)));
        assert_eq!(ElectorNumber::parse("ABC1-12/1"), Ok(n("ABC1", 12, 1)));
        assert_eq!(ElectorNumber::parse("KD-2/2-289/1"), Ok(n("KD-2/2", 289, 1)));
        assert_eq!(ElectorNumber::parse("AB123"), Ok(n("AB", 123, 0)));
    }

    #[test]
    fn three_columns_make_one_number() {
        assert_eq!(ElectorNumber::from_parts("NA", "0042", ""), Ok(n("NA", 42, 0)));
        assert_eq!(ElectorNumber::from_parts("na", "42", "2"), Ok(n("NA", 42, 2)));
    }

    #[test]
    fn the_suffix_is_shown_only_when_not_zero() {
        assert_eq!(n("AB", 123, 0).to_string(), "AB-123");
        assert_eq!(n("AB", 123, 1).to_string(), "AB-123/1");
        assert_eq!(ElectorNumber::from_parts("AB", "123", "0").map(|e| e.to_string()), Ok("AB-123".into()));
    }

    #[test]
    fn nonsense_is_refused_with_the_reason() {
        for bad in ["", "AB-", "123", "-123", "AB-12x", "AB-1234567890", "A😀-12", "AB-12/12345"] {
            assert!(ElectorNumber::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(ElectorNumber::parse("AB-").expect_err("no number").contains("no elector number"));
    }
}
