//! The import: every row read and checked, then all written in one transaction, or none;
//! each bad cell reported by its line and column.

use super::{existing, CsvVolunteer, Existing, HEADER};
use crate::error::{AppError, AppResult};
use crate::on_tx;
use crate::register::Rejection;
use crate::store::Store;
use crate::volunteer::queries::{check_contact, teams, wards};
use crate::volunteer::{parse_availability, Purpose, Stage, HEARD_FROM};
use chrono::Utc;
use std::collections::{HashMap, HashSet};

/// More rows than any seat has volunteers: a bigger file is surely the wrong file.
const MAX_ROWS: usize = 20_000;

/// What an import did (or, with rejections, would have done: then nothing was written).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImportOutcome {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
}

struct Row {
    id: Option<i64>,
    volunteer: CsvVolunteer,
    consents: Vec<(Purpose, bool)>,
}

/// A spreadsheet-safe export puts `'` before `=`, `+`, `-` and `@`: take it off again.
pub(super) fn undefuse(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(crate::csv_file::FORMULA_STARTS) => rest,
        _ => s,
    }
}

pub(super) fn yes_no_cell(s: &str) -> Result<Option<bool>, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "y" | "true" | "1" => Ok(Some(true)),
        "no" | "n" | "false" | "0" => Ok(Some(false)),
        other => Err(format!("\"{other}\" should be yes or no")),
    }
}

/// Reads and checks every row, then writes them all in one transaction, or none.
pub async fn import(
    store: &Store,
    seat_id: i64,
    user_id: Option<i64>,
    text: &str,
) -> AppResult<ImportOutcome> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::BadInput(format!("The file could not be read as CSV: {e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace(' ', "_"))
        .collect();
    let mut rejected = Vec::new();
    let reject = |line: u64, column: &str, reason: String| Rejection { line, column: column.into(), reason };
    for h in &header {
        if !HEADER.contains(&h.as_str()) {
            rejected.push(reject(1, h, format!("\"{h}\" is not a column Groundwork knows")));
        }
    }
    for needed in ["first_name", "surname"] {
        if !header.iter().any(|h| h == needed) {
            rejected.push(reject(1, needed, "this column is needed".into()));
        }
    }
    if !rejected.is_empty() {
        return Ok(ImportOutcome { rejected, ..ImportOutcome::default() });
    }
    let col = |name: &str| header.iter().position(|h| h == name);

    let wards_by_name: HashMap<String, i64> =
        wards(store, seat_id).await?.into_iter().map(|c| (c.name.to_lowercase(), c.id)).collect();
    let teams_by_name: HashMap<String, i64> =
        teams(store, seat_id).await?.into_iter().map(|t| (t.name.to_lowercase(), t.id)).collect();
    let known = existing(store, seat_id).await?;
    let known_ids: HashSet<i64> = known.iter().map(|(id, _)| *id).collect();
    let mut seen_ids = HashSet::new();

    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                rejected.push(reject(line, "", format!("unreadable row: {e}")));
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() + rejected.len() >= MAX_ROWS {
            rejected.push(reject(line, "", format!("a file may hold at most {MAX_ROWS} volunteers")));
            break;
        }
        let cell =
            |name: &str| col(name).and_then(|i| record.get(i)).map(|s| undefuse(s.trim())).unwrap_or("");
        let before = rejected.len();
        let mut fail = |column: &str, reason: String| rejected.push(reject(line, column, reason));

        let id = match cell("id") {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) if known_ids.contains(&id) => {
                    if !seen_ids.insert(id) {
                        fail("id", format!("volunteer {id} is on more than one row"));
                    }
                    Some(id)
                }
                _ => {
                    fail(
                        "id",
                        format!(
                            "\"{s}\" is not a volunteer of this seat (leave it empty to add someone new)"
                        ),
                    );
                    None
                }
            },
        };
        let contact =
            check_contact(cell("first_name"), cell("surname"), Some(cell("email")), Some(cell("phone")));
        let (first_name, surname, email, phone) = match contact {
            Ok(c) => c,
            Err((column, reason)) => {
                fail(column, reason);
                Default::default()
            }
        };
        let ward_id = match cell("ward") {
            "" => None,
            w => {
                let id = wards_by_name.get(&w.to_lowercase()).copied();
                if id.is_none() {
                    fail("ward", format!("\"{w}\" is not a ward of this seat"));
                }
                id
            }
        };
        let stage = match cell("stage") {
            "" => None,
            s => {
                let stage = Stage::parse(s);
                if stage.is_none() {
                    fail("stage", format!("\"{s}\" is not a stage (prospect, first_session, regular, team_leader, organiser)"));
                }
                stage
            }
        };
        let team_id = match cell("team") {
            "" => None,
            t => {
                let id = teams_by_name.get(&t.to_lowercase()).copied();
                if id.is_none() {
                    fail("team", format!("\"{t}\" is not a team of this seat"));
                }
                id
            }
        };
        let availability = parse_availability(cell("availability")).unwrap_or_else(|e| {
            fail("availability", e);
            Vec::new()
        });
        let drives = yes_no_cell(cell("drives")).unwrap_or_else(|e| {
            fail("drives", e);
            None
        });
        let heard_from = cell("heard_from").to_ascii_lowercase();
        if !heard_from.is_empty() && !HEARD_FROM.iter().any(|(c, _)| *c == heard_from) {
            let codes: Vec<&str> = HEARD_FROM.iter().map(|(c, _)| *c).collect();
            fail("heard_from", format!("\"{heard_from}\" should be one of {}", codes.join(", ")));
        }
        let mut consents = Vec::new();
        for purpose in Purpose::ALL {
            let column = format!("consent_{}", purpose.as_str());
            match yes_no_cell(cell(&column)) {
                Ok(Some(given)) => consents.push((purpose, given)),
                Ok(None) => {}
                Err(e) => fail(&column, e),
            }
        }
        for (column, limit) in [("languages", 200), ("skills", 500), ("needs", 500), ("notes", 4000)] {
            if cell(column).chars().count() > limit {
                fail(column, format!("limited to {limit} characters"));
            }
        }
        if rejected.len() > before {
            continue;
        }
        let current = id.and_then(|id| known.iter().find(|(k, _)| *k == id)).map(|(_, e)| &e.volunteer);
        // An empty cell in a column the file has clears the field; a column the file
        // lacks leaves it as it is.
        let keep = |name: &str| col(name).is_none();
        let text = |name: &str, old: Option<&String>| {
            if keep(name) {
                old.cloned().unwrap_or_default()
            } else {
                cell(name).to_string()
            }
        };
        let volunteer = CsvVolunteer {
            first_name,
            surname,
            email: if keep("email") { current.and_then(|c| c.email.clone()) } else { email },
            phone: if keep("phone") { current.and_then(|c| c.phone.clone()) } else { phone },
            ward_id: if keep("ward") { current.and_then(|c| c.ward_id) } else { ward_id },
            stage: stage.or(current.and_then(|c| c.stage)).or(Some(Stage::Prospect)),
            team_id: if keep("team") { current.and_then(|c| c.team_id) } else { team_id },
            availability: if keep("availability") {
                current.map(|c| c.availability.clone()).unwrap_or_default()
            } else {
                availability.join(" ")
            },
            drives: drives.unwrap_or(if keep("drives") { current.is_some_and(|c| c.drives) } else { false }),
            languages: text("languages", current.map(|c| &c.languages)),
            skills: text("skills", current.map(|c| &c.skills)),
            needs: text("needs", current.map(|c| &c.needs)),
            heard_from: if keep("heard_from") {
                current.map(|c| c.heard_from.clone()).unwrap_or_default()
            } else {
                heard_from
            },
            notes: text("notes", current.map(|c| &c.notes)),
        };
        rows.push(Row { id, volunteer, consents });
    }
    if !rejected.is_empty() {
        return Ok(ImportOutcome { rejected, ..ImportOutcome::default() });
    }
    write(store, seat_id, user_id, rows, &known).await
}

async fn write(
    store: &Store,
    seat_id: i64,
    user_id: Option<i64>,
    rows: Vec<Row>,
    known: &[(i64, Existing)],
) -> AppResult<ImportOutcome> {
    let now = Utc::now();
    let mut outcome = ImportOutcome::default();
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        for row in &rows {
            let v = &row.volunteer;
            let stage = v.stage.unwrap_or(Stage::Prospect);
            let (id, stage_changed, consents_before) = match row.id {
                None => {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO volunteers (seat_id, first_name, surname, email, phone, ward_id, team_id, stage,
                                                 availability, drives, languages, skills, needs, heard_from, notes, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id")
                        .bind(seat_id).bind(&v.first_name).bind(&v.surname).bind(&v.email).bind(&v.phone)
                        .bind(v.ward_id).bind(v.team_id).bind(stage.as_str()).bind(&v.availability).bind(v.drives)
                        .bind(&v.languages).bind(&v.skills).bind(&v.needs).bind(&v.heard_from).bind(&v.notes).bind(now)
                        .fetch_one(&mut *tx).await?;
                    outcome.added += 1;
                    (id, true, HashMap::new())
                }
                Some(id) => {
                    let Some((_, old)) = known.iter().find(|(k, _)| *k == id) else { continue };
                    let changed_consent = row.consents.iter().any(|(p, g)| old.consents.get(p) != Some(g));
                    if old.volunteer == *v && !changed_consent {
                        outcome.unchanged += 1;
                        continue;
                    }
                    sqlx::query(
                        "UPDATE volunteers SET first_name = $2, surname = $3, email = $4, phone = $5, ward_id = $6,
                                team_id = $7, stage = $8, availability = $9, drives = $10, languages = $11, skills = $12,
                                needs = $13, heard_from = $14, notes = $15
                          WHERE id = $1")
                        .bind(id).bind(&v.first_name).bind(&v.surname).bind(&v.email).bind(&v.phone)
                        .bind(v.ward_id).bind(v.team_id).bind(stage.as_str()).bind(&v.availability).bind(v.drives)
                        .bind(&v.languages).bind(&v.skills).bind(&v.needs).bind(&v.heard_from).bind(&v.notes)
                        .execute(&mut *tx).await?;
                    outcome.updated += 1;
                    (id, old.volunteer.stage != Some(stage), old.consents.clone())
                }
            };
            if stage_changed {
                sqlx::query(
                    "INSERT INTO volunteer_stages (volunteer_id, stage, at, recorded_by, note) VALUES ($1, $2, $3, $4, 'CSV import')")
                    .bind(id).bind(stage.as_str()).bind(now).bind(user_id).execute(&mut *tx).await?;
            }
            for (purpose, given) in &row.consents {
                if consents_before.get(purpose) == Some(given) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO volunteer_consents (volunteer_id, purpose, given, recorded_at, recorded_by, source)
                     VALUES ($1, $2, $3, $4, $5, 'CSV import')")
                    .bind(id).bind(purpose.as_str()).bind(*given).bind(now).bind(user_id).execute(&mut *tx).await?;
            }
        }
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(outcome)
}
