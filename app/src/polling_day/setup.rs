//! The polling-day set-up as one CSV, a row per polling district: the station where it
//! votes, its ballot box, and the committee room whose knockers work it. The same text
//! is the import and the edit screen (the page shows the current set-up in it). A file
//! with any mistake is refused whole, each mistake named by line and column.

use serde::{Deserialize, Serialize};

pub const HEADER: &str = "district,station,station_address,box,committee_room,room_address,canvassers,cars";

/// One district's row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRow {
    pub line: usize,
    pub district: String,
    pub station: String,
    pub station_address: String,
    pub box_label: String,
    pub room: String,
    pub room_address: String,
    pub canvassers: Option<i64>,
    pub cars: Option<i64>,
}

/// Reads the file. `districts` are the seat's district codes; `other_seats` says which
/// seat another code belongs to, for a clearer refusal.
pub fn parse(
    text: &str,
    districts: &[String],
    other_seat: impl Fn(&str) -> Option<String>,
) -> Result<Vec<SetupRow>, Vec<String>> {
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_ascii_lowercase().replace(' ', "_")).collect(),
        Err(_) => return Err(vec!["line 1: the header could not be read".into()]),
    };
    let known: Vec<&str> = HEADER.split(',').collect();
    let mut errors: Vec<String> = headers
        .iter()
        .filter(|h| !h.is_empty() && !known.contains(&h.as_str()))
        .map(|h| format!("line 1: \"{h}\" is not a column we know (expected {HEADER})"))
        .collect();
    for required in ["district", "station"] {
        if !headers.iter().any(|h| h == required) {
            errors.push(format!("line 1: the \"{required}\" column is missing"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut rows: Vec<SetupRow> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("line {line}: the row could not be read ({e})"));
                continue;
            }
        };
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |name: &str| col(name).and_then(|c| record.get(c)).unwrap_or("").to_string();
        let count = |name: &str, errors: &mut Vec<String>| -> Option<i64> {
            let v = get(name);
            if v.is_empty() {
                return None;
            }
            match v.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => Some(n),
                _ => {
                    errors.push(format!("line {line}, {name}: \"{v}\" is not a number from 0 to 10,000"));
                    None
                }
            }
        };
        let district = get("district").to_uppercase();
        let station = get("station");
        if district.is_empty() {
            errors.push(format!("line {line}, district: the polling district is missing"));
        } else if !districts.contains(&district) {
            errors.push(match other_seat(&district) {
                Some(seat) => format!(
                    "line {line}, district: \"{district}\" is a polling district of {seat}, not of this seat"
                ),
                None => {
                    format!("line {line}, district: \"{district}\" is not a polling district of this seat")
                }
            });
        } else if let Some(first) = rows.iter().find(|r| r.district == district) {
            errors.push(format!("line {line}, district: \"{district}\" is already on line {}", first.line));
        }
        if station.is_empty() {
            errors.push(format!("line {line}, station: the polling station is missing"));
        }
        for (name, max) in [
            ("station", 120),
            ("station_address", 200),
            ("box", 40),
            ("committee_room", 120),
            ("room_address", 200),
        ] {
            if get(name).chars().count() > max {
                errors.push(format!("line {line}, {name}: longer than {max} characters"));
            }
        }
        let room = get("committee_room");
        let (canvassers, cars) = (count("canvassers", &mut errors), count("cars", &mut errors));
        if room.is_empty() && (canvassers.is_some() || cars.is_some()) {
            errors
                .push(format!("line {line}, committee_room: canvassers and cars belong to a committee room"));
        }
        let box_label = get("box");
        rows.push(SetupRow {
            line,
            box_label: if box_label.is_empty() { district.clone() } else { box_label },
            district,
            station,
            station_address: get("station_address"),
            room,
            room_address: get("room_address"),
            canvassers,
            cars,
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push("the file has no rows after the header".into());
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The current set-up written back in the same format, for the edit screen.
pub fn to_csv(rows: &[SetupRow]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for r in rows {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        let fields = [
            quote(&r.district),
            quote(&r.station),
            quote(&r.station_address),
            quote(&r.box_label),
            quote(&r.room),
            quote(&r.room_address),
            n(r.canvassers),
            n(r.cars),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn districts() -> Vec<String> {
        vec!["AA".into(), "AB".into(), "AC".into()]
    }
    fn elsewhere(code: &str) -> Option<String> {
        (code == "ZZ").then(|| "Otherby".to_string())
    }

    #[test]
    fn a_good_file_gives_a_row_per_district_with_defaults() {
        let text = "District,Station,Station address,Box,Committee room,Room address,Canvassers,Cars\n\
                    aa,St Mary's Hall,\"Church Lane, Bury\",AA/1,Labour Club,1 Bridge St,12,3\n\
                    AB,St Mary's Hall,,,Labour Club,,,\n\n";
        let rows = parse(text, &districts(), elsewhere).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].district, "AA");
        assert_eq!(rows[0].station_address, "Church Lane, Bury");
        assert_eq!((rows[0].canvassers, rows[0].cars), (Some(12), Some(3)));
        assert_eq!(rows[1].box_label, "AB", "the box is named after its district by default");
        let again = parse(&to_csv(&rows), &districts(), elsewhere).expect("round trip");
        assert_eq!(
            again.iter().map(|r| (&r.district, &r.station_address)).collect::<Vec<_>>(),
            rows.iter().map(|r| (&r.district, &r.station_address)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_mistake_is_named_by_line_and_column() {
        let text =
            "district,station,canvassers\nAA,Hall,\nZZ,Hall,\nQQ,,\nAA,Hall,\nAC,Hall,lots\nAB,Hall,3\n";
        let errors = parse(text, &districts(), elsewhere).expect_err("refused");
        let all = errors.join("\n");
        assert!(all.contains("line 3, district: \"ZZ\" is a polling district of Otherby"), "{all}");
        assert!(all.contains("line 4, district: \"QQ\" is not a polling district of this seat"), "{all}");
        assert!(all.contains("line 4, station: the polling station is missing"), "{all}");
        assert!(all.contains("line 5, district: \"AA\" is already on line 2"), "{all}");
        assert!(all.contains("line 6, canvassers: \"lots\" is not a number"), "{all}");
        assert!(
            all.contains("line 7, committee_room: canvassers and cars belong to a committee room"),
            "{all}"
        );
    }

    #[test]
    fn a_wrong_header_or_an_empty_file_is_refused() {
        let e = parse("district,polling place\nAA,Hall\n", &districts(), elsewhere).expect_err("refused");
        assert!(e.iter().any(|m| m.contains("\"polling_place\" is not a column")), "{e:?}");
        assert!(e.iter().any(|m| m.contains("\"station\" column is missing")), "{e:?}");
        assert!(parse("district,station\n", &districts(), elsewhere).is_err());
    }
}
