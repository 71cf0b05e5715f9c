//! Poll numbers as tellers write them at the station door: often just the number
//! (`888`), with a suffix (`888/8`, `888.8`), or in full with the district (`AB-888/8`).
//! The full form is the register's elector number and goes through its parser.

use crate::register::number::ElectorNumber;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollNumber {
    /// The polling district when written; otherwise one of the station's districts.
    pub prefix: Option<String>,
    pub number: i64,
    pub suffix: i64,
}

impl PollNumber {
    pub fn parse(text: &str) -> Result<PollNumber, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("the poll number is empty".into());
        }
        if t.len() > 40 {
            return Err("the poll number is too long".into());
        }
        if t.starts_with(|c: char| c.is_ascii_digit()) {
            // No district written: parse it under a stand-in prefix, then drop that.
            let n = ElectorNumber::parse(&format!("X-{t}"))
                .map_err(|_| format!("\"{t}\" is not a poll number"))?;
            if n.prefix != "X" {
                return Err(format!("\"{t}\" is not a poll number"));
            }
            return Ok(PollNumber { prefix: None, number: n.number, suffix: n.suffix });
        }
        let n = ElectorNumber::parse(t)?;
        Ok(PollNumber { prefix: Some(n.prefix), number: n.number, suffix: n.suffix })
    }

    /// As printed on the register, with the district it was matched in.
    pub fn display_in(&self, prefix: &str) -> String {
        ElectorNumber { prefix: prefix.to_string(), number: self.number, suffix: self.suffix }.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::PollNumber;

    fn n(prefix: Option<&str>, number: i64, suffix: i64) -> PollNumber {
        PollNumber { prefix: prefix.map(str::to_string), number, suffix }
    }

    #[test]
    fn every_way_a_teller_writes_a_number_is_read() {
        assert_eq!(PollNumber::parse("888"), Ok(n(None, 888, 0)));
        assert_eq!(PollNumber::parse("888/8"), Ok(n(None, 888, 8)));
        assert_eq!(PollNumber::parse(" 888.8 "), Ok(n(None, 888, 8)));
        assert_eq!(PollNumber::parse("AB-888/8"), Ok(n(Some("AB"), 888, 8)));
        assert_eq!(PollNumber::parse("ab 888.8"), Ok(n(Some("AB"), 888, 8)));
        assert_eq!(PollNumber::parse("AB888"), Ok(n(Some("AB"), 888, 0)));
    }

    #[test]
    fn scribbles_are_refused_with_the_reason() {
        for bad in ["", "   ", "88x", "8-8-8", "888/", "AB-", "AB-12345678901", "888/12345", &"9".repeat(50)]
        {
            assert!(PollNumber::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(n(None, 888, 8).display_in("AB"), "AB-888/8");
    }
}
