//! Which door an address is, and where it is on the map.

use sha2::{Digest, Sha256};

/// One key per door: the UPRN when the council gives one, else the address lines and
/// postcode with case, punctuation and spacing ironed out.
pub fn household_key(uprn: Option<&str>, lines: &[String], postcode: Option<&str>) -> String {
    if let Some(uprn) = uprn.filter(|u| !u.is_empty()) {
        return format!("uprn:{uprn}");
    }
    // Written straight into one string (this runs once per row of a register): words of
    // letters and digits, lower case, one space between them, "|" after each line.
    let mut key = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 8);
    for line in lines {
        let mut first = true;
        for word in line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if !first {
                key.push(' ');
            }
            first = false;
            if word.is_ascii() {
                let start = key.len();
                key.push_str(word);
                key[start..].make_ascii_lowercase();
            } else {
                // str::to_lowercase, not char by char: a final sigma lowers differently.
                key.push_str(&word.to_lowercase());
            }
        }
        key.push('|');
    }
    match postcode {
        Some(p) if p.is_ascii() => {
            key.extend(p.bytes().filter(|&b| b != b' ').map(|b| char::from(b.to_ascii_lowercase())))
        }
        Some(p) => key.push_str(&p.replace(' ', "").to_lowercase()),
        None => {}
    }
    key
}

/// House number and street from the first address line that starts with a number:
/// "Flat 2", "12a Peel Road" → ("12a", "Peel Road").
pub fn number_and_street(lines: &[String]) -> (Option<String>, Option<String>) {
    for line in lines {
        let line = line.trim();
        let number: String = line.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if number.starts_with(|c: char| c.is_ascii_digit()) && number.len() < line.len() {
            let street = line[number.len()..].trim_start_matches([',', ' ']).to_string();
            return (Some(number), (!street.is_empty()).then_some(street));
        }
    }
    (None, None)
}

/// A point near the postcode's centroid, the same every time for the same door, so that
/// the houses of one postcode do not sit on a single dot. Within about 40 m.
pub fn spread(lat: f64, lon: f64, key: &str) -> (f64, f64) {
    let hash = Sha256::digest(key.as_bytes());
    let angle =
        f64::from(u16::from_be_bytes([hash[0], hash[1]])) / f64::from(u16::MAX) * std::f64::consts::TAU;
    let metres = 5.0 + f64::from(hash[2]) / 255.0 * 35.0;
    let dlat = metres * angle.sin() / 111_320.0;
    let dlon = metres * angle.cos() / (111_320.0 * lat.to_radians().cos());
    (lat + dlat, lon + dlon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_door_has_one_key_however_it_is_typed() {
        let a = household_key(None, &lines(&["12, Peel Road"]), Some("BL0 0AA"));
        let b = household_key(None, &lines(&["12 PEEL  ROAD"]), Some("bl00aa"));
        assert_eq!(a, b);
        assert_ne!(a, household_key(None, &lines(&["14 Peel Road"]), Some("BL0 0AA")));
        assert_eq!(household_key(Some("100012345"), &lines(&["x"]), None), "uprn:100012345");
    }

    /// The keys of the doors already stored were made by this; a faster spelling of it must
    /// give every address the same key, or a re-import would see every door as new.
    fn key_as_first_written(uprn: Option<&str>, lines: &[String], postcode: Option<&str>) -> String {
        if let Some(uprn) = uprn.filter(|u| !u.is_empty()) {
            return format!("uprn:{uprn}");
        }
        let mut key = String::new();
        for line in lines {
            let words: Vec<String> = line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect();
            key.push_str(&words.join(" "));
            key.push('|');
        }
        key.push_str(&postcode.unwrap_or("").replace(' ', "").to_lowercase());
        key
    }

    #[test]
    fn keys_are_the_same_as_the_first_way_of_writing_them() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["12, Peel Road", "Bury"], Some("BL0 0AA")),
            (&["  Flat 2 ", "", "12A  PEEL-ROAD,,", "Ramsbottom"], Some(" bl0  0aa ")),
            (&["Tŷ Gwyn", "Heol y Frenhines", "ΟΔΟΣ ΣΟΦΙΑΣ"], None),
            (&["Ærøskøbing Straße 5", "İstanbul Cd."], Some("SW1A 2AA")),
            (&["", "---", "'"], Some("")),
            (&["1 Odos"], Some("ΣA 1ΣΣ")),
        ];
        for (lines, postcode) in cases {
            let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
            assert_eq!(household_key(None, &lines, *postcode), key_as_first_written(None, &lines, *postcode));
        }
    }

    #[test]
    fn the_house_number_comes_from_the_first_numbered_line() {
        assert_eq!(
            number_and_street(&lines(&["Flat 2", "12a Peel Road"])),
            (Some("12a".into()), Some("Peel Road".into()))
        );
        assert_eq!(number_and_street(&lines(&["Rose Cottage", "Mill Lane"])), (None, None));
    }

    #[test]
    fn the_spread_is_deterministic_and_small() {
        let (lat, lon) = spread(53.6, -2.3, "12 peel road|bl00aa");
        assert_eq!((lat, lon), spread(53.6, -2.3, "12 peel road|bl00aa"));
        assert_ne!((lat, lon), spread(53.6, -2.3, "14 peel road|bl00aa"));
        let metres = ((lat - 53.6) * 111_320.0).hypot((lon + 2.3) * 111_320.0 * 53.6f64.to_radians().cos());
        assert!((4.9..=40.1).contains(&metres), "{metres}");
    }
}
