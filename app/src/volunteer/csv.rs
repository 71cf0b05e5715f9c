//! Volunteers as CSV: the export an organiser downloads, and the import that reads the
//! same columns back. An import is all or nothing: any bad row is reported by its line
//! and column, with the reason, and nothing is written.

mod export;
mod import;

pub use export::export_rows;
pub use import::{import, ImportOutcome};

use super::{parse_availability, Purpose, Stage};
use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The columns, in order. The last two are for reading only: an import ignores them.
pub const HEADER: [&str; 20] = [
    "id",
    "first_name",
    "surname",
    "email",
    "phone",
    "ward",
    "stage",
    "team",
    "availability",
    "drives",
    "languages",
    "skills",
    "needs",
    "heard_from",
    "consent_sessions",
    "consent_news",
    "consent_fundraising",
    "notes",
    "sessions_attended",
    "last_session",
];

/// The fields of a volunteer that travel in the CSV, tidied, for comparing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CsvVolunteer {
    pub first_name: String,
    pub surname: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub ward_id: Option<i64>,
    pub stage: Option<Stage>,
    pub team_id: Option<i64>,
    pub availability: String,
    pub drives: bool,
    pub languages: String,
    pub skills: String,
    pub needs: String,
    pub heard_from: String,
    pub notes: String,
}

type Stored = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    Option<i64>,
    String,
    bool,
    String,
    String,
    String,
    String,
    String,
);

/// (volunteer, purpose, given)
type ConsentRow = (i64, String, bool);
/// (volunteer, sessions attended, the last of them)
type AttendanceRow = (i64, i64, Option<DateTime<Utc>>);

struct Existing {
    volunteer: CsvVolunteer,
    consents: HashMap<Purpose, bool>,
    attended: i64,
    last_session: Option<DateTime<Utc>>,
}

async fn existing(store: &Store, seat_id: i64) -> AppResult<Vec<(i64, Existing)>> {
    let (rows, consents, attendance): (Vec<Stored>, Vec<ConsentRow>, Vec<AttendanceRow>) = on_store!(store, pool => {
        let rows = sqlx::query_as(
            "SELECT id, first_name, surname, email, phone, ward_id, stage, team_id, availability, drives,
                        languages, skills, needs, heard_from, notes
                   FROM volunteers WHERE seat_id = $1 ORDER BY surname, first_name, id")
            .bind(seat_id).fetch_all(pool).await?;
        let consents = sqlx::query_as(
            "SELECT c.volunteer_id, c.purpose, c.given FROM volunteer_consents c
                   JOIN volunteers v ON v.id = c.volunteer_id
                  WHERE v.seat_id = $1 ORDER BY c.recorded_at DESC, c.id DESC")
            .bind(seat_id).fetch_all(pool).await?;
        let attendance = sqlx::query_as(
            "SELECT v.id,
                        (SELECT COUNT(*) FROM session_attendance sa WHERE sa.volunteer_id = v.id AND sa.attended),
                        (SELECT cs.starts_at FROM session_attendance sa
                           JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
                          WHERE sa.volunteer_id = v.id AND sa.attended ORDER BY cs.starts_at DESC LIMIT 1)
                   FROM volunteers v WHERE v.seat_id = $1")
            .bind(seat_id).fetch_all(pool).await?;
        Ok::<_, sqlx::Error>((rows, consents, attendance))
    })?;
    let mut latest: HashMap<i64, HashMap<Purpose, bool>> = HashMap::new();
    for (id, purpose, given) in consents {
        if let Some(p) = Purpose::parse(&purpose) {
            latest.entry(id).or_default().entry(p).or_insert(given);
        }
    }
    let attendance: HashMap<i64, (i64, Option<DateTime<Utc>>)> =
        attendance.into_iter().map(|(id, n, last)| (id, (n, last))).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (attended, last_session) = attendance.get(&r.0).copied().unwrap_or((0, None));
            let volunteer = CsvVolunteer {
                first_name: r.1,
                surname: r.2,
                email: r.3,
                phone: r.4,
                ward_id: r.5,
                stage: Stage::parse(&r.6),
                team_id: r.7,
                availability: parse_availability(&r.8).unwrap_or_default().join(" "),
                drives: r.9,
                languages: r.10,
                skills: r.11,
                needs: r.12,
                heard_from: r.13,
                notes: r.14,
            };
            (
                r.0,
                Existing {
                    volunteer,
                    consents: latest.remove(&r.0).unwrap_or_default(),
                    attended,
                    last_session,
                },
            )
        })
        .collect())
}

#[cfg(test)]
#[path = "csv_tests.rs"]
mod tests;
