//! Importing a register edition into a seat, in one transaction: new electors added,
//! changed ones updated, people no longer on a full register marked as left (their
//! history kept), renumbered people recognised, bad rows reported by line and column.

use super::file_check::{check, Checked};
use super::household::{household_key, number_and_street, spread};
use super::mapping::{resolve_mapping, MappingSpec};
use super::matching::{unknown_markers, Existing, Keep};
use super::plan::{plan, Held, Plan};
use super::row::{Change, RegisterRow};
use super::{ImportReport, Outcome};
use crate::error::AppError;
use crate::store::{Finish, Store};
use crate::{on_store, on_tx};
use chrono::Utc;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{0}")]
    File(String),
    #[error("the columns of this file are not a layout Groundwork knows ({}); map them by hand", .0.join(", "))]
    UnknownLayout(Vec<String>),
    #[error("seat {0} was not found")]
    NoSuchSeat(String),
    #[error("the database refused the import, and nothing was changed: {0}")]
    Database(#[from] sqlx::Error),
}

/// What the person importing is told. A database failure reads as [`AppError`] puts it
/// (a full or absent database is a 503 in words; the cause is logged, never shown); the
/// other failures are about the file and say what is wrong with it.
impl From<ImportError> for AppError {
    fn from(e: ImportError) -> AppError {
        match e {
            ImportError::Database(e) => AppError::from(e),
            other => AppError::BadInput(other.to_string()),
        }
    }
}

pub struct ImportOptions<'a> {
    pub seat: &'a str,
    pub file_name: &'a str,
    /// A hand-made mapping (field → column header), for a layout we do not recognise.
    pub mapping: Option<MappingSpec>,
    /// Import the good rows even when some are bad.
    pub valid_only: bool,
    /// Write the changes; otherwise work them out and roll back (the preview).
    pub commit: bool,
    pub user_id: Option<i64>,
    /// The number of electors the organiser typed to confirm they are leaving, when a
    /// full register would mark more than the limit as left (see `looks_partial`).
    pub confirm_left: Option<i64>,
}
pub enum Progress {
    Read(u64),
    Writing,
}

/// Reads, checks and (when asked) applies a register file. Never half-writes: the
/// changes are made in one transaction, or not at all.
pub async fn import(
    store: &Store,
    input: impl Read,
    opts: ImportOptions<'_>,
    mut progress: impl FnMut(Progress),
) -> Result<ImportReport, ImportError> {
    let mut opened = super::decode::open(input).map_err(ImportError::File)?;
    let mapping = resolve_mapping(store, &opened.headers, opts.mapping.as_ref()).await?;
    let Checked { rows, rejected, keep } = check(&mut opened, &mapping, &mut progress);

    let mut report = ImportReport {
        layout: mapping.layout.clone(),
        encoding: opened.encoding.to_string(),
        edition: mapping.edition,
        rows: (rows.len() + rejected.len()) as i64,
        rejected,
        ..ImportReport::default()
    };
    if !report.rejected.is_empty() && opts.commit && !opts.valid_only {
        report.outcome = Outcome::Cancelled;
        return Ok(report);
    }
    report.left_limit_percent = left_limit(store).await?;
    progress(Progress::Writing);
    apply(store, &opts, rows, &keep, &mut report).await?;
    report.outcome = if !opts.commit {
        Outcome::Previewed
    } else if refused_as_partial(&report, &opts) {
        Outcome::LooksPartial
    } else {
        Outcome::Imported
    };
    Ok(report)
}

/// A full register that looks partial is written only when the organiser has typed the
/// number it would mark as left.
fn refused_as_partial(report: &ImportReport, opts: &ImportOptions<'_>) -> bool {
    report.looks_partial() && opts.confirm_left != Some(report.left)
}

/// The campaign's `register_left_limit` (per cent), or the default.
async fn left_limit(store: &Store) -> Result<i64, ImportError> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT value FROM campaign_settings WHERE key = 'register_left_limit'").fetch_optional(pool).await)?;
    Ok(row.and_then(|(v,)| v.trim().parse().ok()).unwrap_or(super::DEFAULT_LEFT_LIMIT))
}
const CHUNK: usize = 500;

/// A door to add: its household key, the row that introduced it, and where it is.
type NewDoor<'a> = (&'a str, &'a RegisterRow, Option<(f64, f64)>);

async fn apply(
    store: &Store,
    opts: &ImportOptions<'_>,
    rows: Vec<RegisterRow>,
    keep: &Keep,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let now = Utc::now();
    // On SQLite the store takes the write lock at the start, which this needs: it reads and
    // then writes while a canvasser's knock or this upload's own progress report may land.
    store.write_or_roll_back(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let started = std::time::Instant::now();
        let seat: Option<(i64,)> = sqlx::query_as("SELECT id FROM seats WHERE gss_code = $1")
            .bind(opts.seat).fetch_optional(&mut *tx).await?;
        let (seat_id,) = seat.ok_or_else(|| ImportError::NoSuchSeat(opts.seat.to_string()))?;

        // Polling districts: known ones by code; new codes go under an "Unassigned" ward
        // until the organiser places them.
        let known: Vec<(i64, String)> = sqlx::query_as(
            "SELECT pd.id, pd.code FROM polling_districts pd JOIN wards w ON w.id = pd.ward_id WHERE w.seat_id = $1")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let mut pd_ids: HashMap<String, i64> = known.into_iter().map(|(id, code)| (code, id)).collect();
        // New codes in file order, so that district ids rise as the electors' numbers do and
        // the district indexes are appended to.
        let mut missing: Vec<String> = Vec::new();
        let mut noted: HashSet<&str> = HashSet::new();
        for r in &rows {
            let code = r.number.prefix.as_str();
            if !pd_ids.contains_key(code) && noted.insert(code) {
                missing.push(code.to_string());
            }
        }
        drop(noted);
        if !missing.is_empty() {
            sqlx::query("INSERT INTO wards (seat_id, gss_code, name) VALUES ($1, 'UNASSIGNED', 'Unassigned districts')
                         ON CONFLICT (seat_id, gss_code) DO NOTHING").bind(seat_id).execute(&mut *tx).await?;
            let (ward_id,): (i64,) = sqlx::query_as("SELECT id FROM wards WHERE seat_id = $1 AND gss_code = 'UNASSIGNED'")
                .bind(seat_id).fetch_one(&mut *tx).await?;
            for code in missing {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, $2) RETURNING id")
                    .bind(ward_id).bind(&code).fetch_one(&mut *tx).await?;
                pd_ids.insert(code, id);
            }
        }

        // Households: one per door; new doors are placed from their postcode.
        let keys: Vec<String> = rows.iter().map(|r| household_key(r.uprn.as_deref(), &r.address, r.postcode.as_deref())).collect();
        let existing_households: Vec<(i64, String)> = sqlx::query_as("SELECT id, address_key FROM households WHERE seat_id = $1")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let mut household_ids: HashMap<String, i64> = existing_households.into_iter().map(|(id, k)| (k, id)).collect();
        // New doors in file order, so that household ids rise as the electors' do and
        // the elector indexes are appended to rather than split.
        let mut new_doors: Vec<(&str, &RegisterRow)> = Vec::new();
        let mut queued: HashSet<&str> = HashSet::new();
        for (r, key) in rows.iter().zip(&keys) {
            if r.change == Change::Upsert && !household_ids.contains_key(key.as_str()) && queued.insert(key.as_str()) {
                new_doors.push((key.as_str(), r));
            }
        }
        drop(queued);
        let postcodes: Vec<&str> = new_doors.iter().filter_map(|(_, r)| r.postcode.as_deref()).collect::<HashSet<_>>().into_iter().collect();
        let mut centroids: HashMap<String, (f64, f64)> = HashMap::new();
        for chunk in postcodes.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new("SELECT postcode, lat, lon FROM postcodes WHERE postcode IN (");
            let mut list = q.separated(", ");
            for p in chunk {
                list.push_bind(*p);
            }
            q.push(")");
            let found: Vec<(String, f64, f64)> = q.build_query_as().fetch_all(&mut *tx).await?;
            centroids.extend(found.into_iter().map(|(p, lat, lon)| (p, (lat, lon))));
        }
        let doors: Vec<NewDoor> = new_doors.iter().map(|&(key, r)| {
            let at = r.postcode.as_ref().and_then(|p| centroids.get(p.as_str())).map(|&(lat, lon)| spread(lat, lon, key));
            (key, r, at)
        }).collect();
        drop(new_doors);
        report.unplaced = doors.iter().filter(|d| d.2.is_none()).map(|(_, r, _)| {
            format!("{}{}", r.address.join(", "), r.postcode.as_ref().map(|p| format!(", {p}")).unwrap_or_default())
        }).collect();
        for chunk in doors.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO households (seat_id, polling_district_id, address_key, uprn, address1, address2, address3,
                                         street, house_number, postcode, lat, lon) ");
            q.push_values(chunk, |mut b, (key, r, at)| {
                let (number, street) = number_and_street(&r.address);
                let rest = (r.address.len() > 2).then(|| r.address[2..].join(", "));
                b.push_bind(seat_id).push_bind(pd_ids.get(&r.number.prefix).copied()).push_bind(*key)
                    .push_bind(r.uprn.as_deref()).push_bind(&r.address[0]).push_bind(r.address.get(1))
                    .push_bind(rest).push_bind(street).push_bind(number).push_bind(r.postcode.as_deref())
                    .push_bind(at.map(|a| a.0)).push_bind(at.map(|a| a.1));
            });
            // The new ids come back with their keys: no second pass over the table.
            q.push(" RETURNING id, address_key");
            let ids: Vec<(i64, String)> = q.build_query_as().fetch_all(&mut *tx).await?;
            household_ids.extend(ids.into_iter().map(|(id, k)| (k, id)));
        }

        tracing::debug!(doors = doors.len(), ms = started.elapsed().as_millis() as u64, "households placed and written");
        // Match the file against the electors we hold.
        let existing: Vec<Existing> = sqlx::query_as(
            "SELECT e.id, e.pd_prefix, e.elector_number, e.elector_suffix, e.household_id, h.address_key, e.title,
                    e.first_name, e.middle_names, e.surname, e.markers, e.date_of_birth, e.attainment_date
               FROM electors e JOIN households h ON h.id = e.household_id
              WHERE e.seat_id = $1 AND e.left_at IS NULL")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let (key,): (String,) = sqlx::query_as("SELECT key FROM erasure_key WHERE id = 1").fetch_one(&mut *tx).await?;
        let erased: Vec<(String,)> = sqlx::query_as("SELECT identity_hash FROM erasure_journal WHERE seat_gss = $1")
            .bind(opts.seat).fetch_all(&mut *tx).await?;
        let suppressed = crate::elector::journal::Suppressed::new(key, erased.into_iter().map(|(h,)| h));
        let held = Held { existing: &existing, household_ids: &household_ids, suppressed: &suppressed, edition: report.edition };
        let Plan { updates, renumbered, added, leaving, filled, unchanged, suppressed, rejected } =
            plan(&held, &rows, &keys, keep);
        report.unchanged += unchanged;
        report.suppressed = suppressed;
        report.rejected.extend(rejected);

        tracing::debug!(ms = started.elapsed().as_millis() as u64, "register matched against the electors held");
        // Write: leavers first, then renumbered people through a free number, so that no
        // two current electors ever share a number, then changes, then newcomers.
        for chunk in leaving.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new("UPDATE electors SET left_at = ");
            q.push_bind(now).push(" WHERE id IN (");
            let mut list = q.separated(", ");
            for id in chunk { list.push_bind(*id); }
            q.push(")");
            q.build().execute(&mut *tx).await?;
        }
        // Renumbered people step aside to a free number (minus their id) first.
        let stepping: Vec<i64> = renumbered.iter().map(|(e, _)| existing[*e].id).collect();
        for chunk in stepping.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new("UPDATE electors SET elector_number = -id WHERE id IN (");
            let mut list = q.separated(", ");
            for id in chunk { list.push_bind(*id); }
            q.push(")");
            q.build().execute(&mut *tx).await?;
        }
        // Then every change in a few statements, from a table of values (columnN is what
        // both databases call a VALUES list's columns).
        let changes: Vec<(usize, usize)> = renumbered.iter().chain(updates.iter()).copied().collect();
        for chunk in changes.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "UPDATE electors SET pd_prefix = v.column2, elector_number = v.column3, elector_suffix = v.column4,
                        title = v.column5, first_name = v.column6, middle_names = v.column7, surname = v.column8,
                        markers = v.column9, date_of_birth = COALESCE(v.column10, electors.date_of_birth),
                        attainment_date = v.column11, household_id = v.column12, polling_district_id = v.column13
                   FROM (");
            q.push_values(chunk, |mut b, (e, i)| {
                let r = filled.get(i).unwrap_or(&rows[*i]);
                b.push_bind(existing[*e].id).push_bind(&r.number.prefix).push_bind(r.number.number)
                    .push_bind(r.number.suffix).push_bind(&r.title).push_bind(&r.forename).push_bind(&r.middle_names)
                    .push_bind(&r.surname).push_bind(&r.markers).push_bind(r.date_of_birth).push_bind(r.attainment_date)
                    .push_bind(household_ids[&keys[*i]]).push_bind(pd_ids.get(&r.number.prefix).copied());
            });
            q.push(") AS v WHERE electors.id = v.column1");
            q.build().execute(&mut *tx).await?;
        }
        for chunk in added.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, elector_suffix,
                                       markers, title, first_name, middle_names, surname, date_of_birth, attainment_date) ");
            q.push_values(chunk, |mut b, &i| {
                let r = &rows[i];
                b.push_bind(seat_id).push_bind(household_ids[&keys[i]]).push_bind(pd_ids.get(&r.number.prefix).copied())
                    .push_bind(&r.number.prefix).push_bind(r.number.number).push_bind(r.number.suffix)
                    .push_bind(&r.markers).push_bind(&r.title).push_bind(&r.forename).push_bind(&r.middle_names)
                    .push_bind(&r.surname).push_bind(r.date_of_birth).push_bind(r.attainment_date);
            });
            q.build().execute(&mut *tx).await?;
        }

        tracing::debug!(added = added.len(), ms = started.elapsed().as_millis() as u64, "electors written");
        report.added = added.len() as i64;
        report.changed = updates.len() as i64;
        report.renumbered = renumbered.len() as i64;
        report.left = leaving.len() as i64;
        report.held_before = existing.len() as i64;
        report.new_households = doors.len() as i64;
        let known_markers: Vec<(String,)> = sqlx::query_as("SELECT code FROM franchise_markers").fetch_all(&mut *tx).await?;
        report.unknown_markers = unknown_markers(&rows, &known_markers.into_iter().map(|(c,)| c).collect());

        sqlx::query(
            "INSERT INTO register_imports (seat_id, user_id, file_name, layout, imported_at, added, changed, left_count,
                                           renumbered, rejected)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(seat_id).bind(opts.user_id).bind(opts.file_name).bind(&report.layout).bind(now).bind(report.added)
            .bind(report.changed).bind(report.left).bind(report.renumbered).bind(report.rejected.len() as i64)
            .execute(&mut *tx).await?;
        // A file that looks partial and is not confirmed writes nothing (as a preview).
        let finish = if opts.commit && !refused_as_partial(report, opts) { Finish::Commit } else { Finish::RollBack };
        Ok::<_, ImportError>(((), finish))
    })})).await
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
