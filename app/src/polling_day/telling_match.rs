//! Which elector each typed poll number names, for a whole batch at once: hundreds of
//! tellers send numbers all day, and one query per number was most of a batch's time.

use super::poll_number::PollNumber;
use super::queries::{seat_of_district, Access};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use std::collections::{BTreeSet, HashMap};

/// A number as typed, with the district codes of the station it was told at.
pub struct Typed<'a> {
    pub text: &'a str,
    pub here: &'a [String],
}

/// For each typed number, the live elector it names: `None` when it matches nobody, or
/// more than one voter at the station (kept for correction). Refused when a number names
/// a district of another seat. `seat_codes` are the seat's districts.
pub async fn resolve_all(
    store: &Store,
    access: &Access,
    seat_codes: &[(i64, String)],
    typed: &[Typed<'_>],
) -> AppResult<Vec<Option<i64>>> {
    let parsed: Vec<Option<PollNumber>> = typed.iter().map(|t| PollNumber::parse(t.text).ok()).collect();
    let mut asked = std::collections::HashSet::new();
    for (t, n) in typed.iter().zip(&parsed) {
        let Some(PollNumber { prefix: Some(p), .. }) = n else { continue };
        if seat_codes.iter().any(|(_, c)| c == p) || !asked.insert(p) {
            continue;
        }
        if let Some(other) = seat_of_district(store, p, access.seat.id).await? {
            return Err(AppError::BadInput(format!(
                "{}: {p} is a polling district of {other}, not of {}. Nothing was stored; check the number.",
                t.text, access.seat.name
            )));
        }
    }
    // A bare number at a station of several districts may name a voter in each: each
    // district there is a candidate, and only a single match is taken.
    let candidates: Vec<Vec<Key>> = typed
        .iter()
        .zip(&parsed)
        .map(|(t, n)| match n {
            None => Vec::new(),
            Some(n) => match &n.prefix {
                Some(p) => vec![(p.clone(), n.number, n.suffix)],
                None => t.here.iter().map(|p| (p.clone(), n.number, n.suffix)).collect(),
            },
        })
        .collect();
    let found = electors_numbered(store, access.seat.id, candidates.iter().flatten()).await?;
    Ok(candidates
        .iter()
        .map(|keys| {
            let mut hits = keys.iter().filter_map(|k| found.get(k));
            match (hits.next(), hits.next()) {
                (Some(id), None) => Some(*id),
                _ => None,
            }
        })
        .collect())
}

/// A district prefix, number and suffix.
type Key = (String, i64, i64);

/// The seat's live electors with any of these numbers, in one query.
async fn electors_numbered<'k>(
    store: &Store,
    seat_id: i64,
    keys: impl Iterator<Item = &'k Key>,
) -> AppResult<HashMap<Key, i64>> {
    let wanted: BTreeSet<&Key> = keys.collect();
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    // The numbers as a list of rows joined to the register, so each is one probe of the
    // index on (seat, prefix, number, suffix). Two IN lists would read the same rows on
    // PostgreSQL, but SQLite (with no statistics) plans them as a scan of the whole
    // seat's register on every batch (README, polling-day figures of 6 Dec).
    let rows: Vec<(String, i64, i64, i64)> = on_store!(store, pool => {
        let mut q = sqlx::QueryBuilder::new("WITH wanted (prefix, number, suffix) AS (");
        q.push_values(&wanted, |mut row, (p, n, s)| {
            row.push_bind(p.as_str()).push_bind(*n).push_bind(*s);
        });
        q.push(") SELECT e.pd_prefix, e.elector_number, e.elector_suffix, e.id FROM wanted w
                   JOIN electors e ON e.seat_id = ");
        q.push_bind(seat_id).push(
            " AND e.pd_prefix = w.prefix AND e.elector_number = w.number AND e.elector_suffix = w.suffix
             WHERE e.left_at IS NULL");
        q.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(|(p, n, s, id)| ((p, n, s), id)).collect())
}
