//! Every parser that reads what people or files send us is fed at least 100,000
//! generated, mostly malformed inputs and must answer each with a value or an error,
//! never a panic. Each test prints how many inputs it tried.

use crate::doorstep::web::entry_from_form;
use crate::doorstep::{queries::validate, DoorEntry, DoorstepSettings};
use crate::ids::Postcode;
use crate::register::decode;
use crate::register::file_check::check;
use crate::register::import::Progress;
use crate::register::layout::{self, LAYOUTS};
use crate::register::number::ElectorNumber;
use crate::register::postcodes;
use crate::register::row::parse_date;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::io::Write;

const CASES: u32 = 100_000;

/// Runs `body` on `CASES` inputs from `strategy`, then reports the count on stderr
/// (written directly, so the test harness does not swallow it).
fn feed<S: Strategy>(parser: &str, strategy: S, body: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config { cases: CASES, failure_persistence: None, ..Config::default() });
    let tried = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&strategy, |input| {
            body(input);
            tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{parser}: {e}"));
    let tried = tried.into_inner();
    assert!(tried >= CASES, "{parser}: only {tried} inputs were tried");
    let _ = writeln!(std::io::stderr(), "fuzz: {parser}: {tried} malformed inputs, no panic");
}

/// Text that looks like what the field holds, with the odd wrong character.
fn near(pattern: &'static str) -> BoxedStrategy<String> {
    prop_oneof![4 => pattern, 1 => any::<String>(), 1 => "\\PC{0,20}"].boxed()
}

#[test]
fn elector_numbers() {
    let part = || near("[A-Z0-9 ./-]{0,8}");
    feed(
        "elector numbers",
        (near("[A-Z]{0,3}[- .]?[0-9]{0,7}([/.][0-9]{0,4})?"), part(), part(), part()),
        |(whole, prefix, number, suffix)| {
            let _ = ElectorNumber::parse(&whole);
            let _ = ElectorNumber::from_parts(&prefix, &number, &suffix);
        },
    );
}

#[test]
fn postcodes_and_dates() {
    feed(
        "postcodes and dates",
        (
            near("[A-Za-z]{1,2}[0-9]{1,2}[A-Za-z]? ?[0-9][A-Za-z]{2}"),
            near("[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}"),
        ),
        |(postcode, date)| {
            let _ = Postcode::parse(&postcode);
            let _ = parse_date(&date);
        },
    );
}

/// A field of a CSV row: plain, quoted, with separators, quotes and line ends inside.
fn csv_field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 ]{0,10}",
        "\"[^\"]{0,10}\"",
        "[\",\t\r\n\\PC]{0,6}",
        Just("AB-12/1".to_string()),
        Just("M1 1AE".to_string()),
    ]
}

/// Bytes of a register file: a real layout's header (or junk), then rows of odd
/// fields, in one of the encodings councils use, sometimes cut short.
fn register_file() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        4 => (0..LAYOUTS.len()).prop_map(|i| {
            LAYOUTS[i].columns.iter().map(|(_, names, _)| names[0]).collect::<Vec<_>>().join(",")
        }),
        1 => "[A-Za-z ,\t\"]{0,40}",
    ];
    let rows = prop::collection::vec(prop::collection::vec(csv_field(), 0..18), 0..6);
    (header, rows, 0u8..4, any::<u16>(), any::<u8>()).prop_map(|(header, rows, encoding, cut, junk)| {
        let mut text = header;
        for row in rows {
            text.push_str(["\r\n", "\n", "\r"][row.len() % 3]);
            text.push_str(&row.join(if row.len() % 4 == 0 { "\t" } else { "," }));
        }
        let mut bytes = match encoding {
            0 => text.into_bytes(),
            1 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            2 => {
                let mut b = vec![0xFF, 0xFE];
                b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                b
            }
            _ => text.chars().map(|c| if c.is_ascii() { c as u8 } else { junk }).collect(),
        };
        if (cut as usize).is_multiple_of(7) && !bytes.is_empty() {
            bytes.truncate(cut as usize % bytes.len());
        }
        bytes
    })
}

#[test]
fn register_files() {
    feed("register files", register_file(), |bytes| {
        let Ok(mut opened) = decode::open(bytes.as_slice()) else { return };
        // An unknown layout is mapped by hand on the page; here, as the first layout.
        let mapping = layout::detect(&opened.headers).or_else(|| {
            let first = opened.headers.first()?;
            let names = LAYOUTS[0].columns.iter().map(|(f, _, _)| (*f, first.clone())).collect();
            layout::from_names(&opened.headers, &names, LAYOUTS[0].edition).ok()
        });
        if let Some(mapping) = mapping {
            let _ = check(&mut opened, &mapping, &mut |_: Progress| {});
        }
    });
}

#[test]
fn postcode_files() {
    let row = (
        near("[A-Z]{1,2}[0-9]{1,2} ?[0-9][A-Z]{2}"),
        near("5[0-9]\\.[0-9]{1,6}"),
        near("-?[0-2]\\.[0-9]{1,6}"),
    );
    feed("postcode centroid files", prop::collection::vec(row, 0..8), |rows| {
        let mut text = String::from("pcds,lat,long\n");
        for (p, la, lo) in rows {
            text.push_str(&format!("{p},{la},{lo}\n"));
        }
        let _ = postcodes::read(text.as_bytes());
    });
}

#[test]
fn doorstep_forms() {
    let key = prop_oneof![
        Just("id"),
        Just("walk_list_id"),
        Just("household_id"),
        Just("result"),
        Just("elector_id"),
        Just("intention"),
        Just("intention_source"),
        Just("firmness"),
        Just("notes"),
        Just("issues"),
        Just("follow_ups"),
        Just("q_1"),
        Just("other"),
    ];
    let value = prop_oneof![
        "[0-9-]{0,12}",
        Just("4f1b7a56-0c3e-4d7a-9a55-6f3c5b2d8e11".to_string()),
        Just("spoke".to_string()),
        Just("lab".to_string()),
        "\\PC{0,30}",
        "[%&=+]{0,6}",
    ];
    let pairs = prop::collection::vec((key, value), 0..12);
    let settings = DoorstepSettings::default();
    feed("doorstep forms and batches", (pairs, any::<String>()), |(pairs, json)| {
        // Through the same decoding a posted form gets, repeated fields and all.
        let body = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if let Ok(fields) = serde_urlencoded::from_str::<Vec<(String, String)>>(&body) {
            if let Ok(entry) = entry_from_form(&fields) {
                let _ = validate(&entry, &settings);
            }
        }
        let _ = serde_json::from_str::<Vec<DoorEntry>>(&json);
    });
}

/// A line of a settings list as an admin might type it: `code = label`, a bare label,
/// pipes for survey answers, numbers for firmness, or rubbish.
fn settings_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_]{0,8} ?= ?[A-Za-z ]{0,12}",
        "[0-9]{0,2} ?= ?[A-Za-z ]{0,8}",
        "[a-z0-9_]{0,6} ?= ?[A-Za-z? ]{0,12}( ?\\| ?[A-Za-z ]{0,6}){0,4}",
        "[=|\t ]{0,6}",
        "\\PC{0,24}",
    ]
}

#[test]
fn settings_lists() {
    use crate::settings::fields::{parse, FIELDS};
    let parties =
        vec![("lab".to_string(), "Labour".to_string()), ("con".to_string(), "Conservative".to_string())];
    let text = prop::collection::vec(settings_line(), 0..8).prop_map(|lines| lines.join("\n"));
    feed("settings lists", (0..FIELDS.len(), text), |(i, text)| {
        let _ = parse(&FIELDS[i], &text, &parties);
    });
}

#[test]
fn election_results_files() {
    let header = prop_oneof![
        4 => Just("ONS ID,Constituency name,Region name,First party,Second party,Electorate,Valid votes,Lab,Con,LD".to_string()),
        1 => "[A-Za-z ,]{0,60}",
    ];
    let row = prop::collection::vec(
        prop_oneof![csv_field(), "E1400[0-9]{4}", "-?[0-9]{0,9}", Just("Lab".to_string())],
        0..11,
    );
    let file = (header, prop::collection::vec(row, 0..5)).prop_map(|(header, rows)| {
        let mut text = header;
        for row in rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text
    });
    feed("election results files", (file, 2010i64..2030), |(text, year)| {
        let _ = crate::seat::results::parse(text.as_bytes(), year);
    });
}

#[test]
fn register_mappings_typed_on_the_command_line() {
    use crate::register::mapping::MappingSpec;
    use crate::register::Edition;
    let pair = prop_oneof![
        "[a-z_0-9]{0,16} ?= ?[A-Za-z ]{0,12}",
        Just("surname=Family name".to_string()),
        "[=; ]{0,4}",
        "\\PC{0,16}",
    ];
    let text = prop::collection::vec(pair, 0..8).prop_map(|pairs| pairs.join(";"));
    feed("register --map", (text, any::<bool>()), |(text, update)| {
        let _ = MappingSpec::parse(&text, if update { Edition::Update } else { Edition::Full });
    });
}

/// A field of a paper returns form: what the screen sends, or what a hand-made post might.
fn returns_field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[1-5]",
        "-?[0-9]{1,21}",
        Just("unknown".to_string()),
        Just("lab".to_string()),
        Just("spoke".to_string()),
        " ?[a-z_]{0,10} ?",
        "\\PC{0,20}",
    ]
}

#[test]
fn paper_returns_forms() {
    use crate::turf::returns_form::read;
    use crate::turf::sheet::{ReturnRow, ReturnsForm, VoteRow};
    let id = prop_oneof![Just(1i64), Just(2), Just(0), Just(-1), Just(i64::MAX), Just(i64::MIN)];
    let row = (id.clone(), returns_field(), returns_field(), prop::option::of(returns_field())).prop_map(
        |(household_id, entry_id, result, do_not_knock)| ReturnRow {
            household_id,
            entry_id,
            result,
            do_not_knock,
        },
    );
    let vote = (id.clone(), id, returns_field(), returns_field(), returns_field()).prop_map(
        |(household_id, elector_id, entry_id, intention, firmness)| VoteRow {
            household_id,
            elector_id,
            entry_id,
            intention,
            firmness,
        },
    );
    let form =
        (any::<i64>(), returns_field(), prop::collection::vec(row, 0..6), prop::collection::vec(vote, 0..6))
            .prop_map(|(walk_list_id, canvasser, rows, votes)| ReturnsForm {
                walk_list_id,
                canvasser,
                rows,
                votes,
            });
    let settings = DoorstepSettings::default();
    let now = chrono::Utc::now();
    feed("paper returns forms", (form, any::<String>()), |(form, json)| {
        match read(&form, now, |id| format!("Elector {id}")) {
            Ok(read) => {
                // What is read is a door entry like any other, checked as the phone's are.
                assert!(read.entries.len() <= form.rows.len() + form.votes.len());
                for entry in &read.entries {
                    assert!(entry.firmness.is_none_or(|f| (1..=5).contains(&f)));
                    assert!(entry.firmness.is_none() || entry.intention.is_some());
                    let _ = validate(entry, &settings);
                }
                if !read.entries.is_empty() {
                    assert!(!form.canvasser.trim().is_empty(), "a sheet with results names who knocked");
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        let _ = serde_json::from_str::<ReturnsForm>(&json);
    });
}
