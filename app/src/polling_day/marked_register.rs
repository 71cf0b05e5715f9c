//! The marked register after an election: who voted, by elector number, into each
//! elector's turnout history. Its figures also give the seat's turnout share, which the
//! promises-needed calculator uses in place of the last result's when there is one.

use super::elector_file::{self, Kind, Unmatched};
use super::postal::{refusal, MarkedSummary};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedImport {
    /// Electors of the register found in the file, and of them those marked as voting.
    pub named: usize,
    pub voted: i64,
    /// What the turnout share is out of: the file's electors when it says who did not
    /// vote; the seat's live electors when it lists only voters.
    pub electorate: i64,
    /// The election had been imported before: this file replaced it.
    pub replaced: bool,
    pub unmatched: Vec<Unmatched>,
}

/// The election's name as the page shows it ("General election 2024").
pub fn check_label(label: &str) -> AppResult<String> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 80 {
        return Err(AppError::BadInput(
            "Name the election in 1 to 80 characters, e.g. \"General election 2024\".".into(),
        ));
    }
    Ok(label.to_string())
}

pub fn check_date(date: &str, today: NaiveDate) -> AppResult<NaiveDate> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::BadInput(format!("\"{}\" is not a date: give it as YYYY-MM-DD.", date.trim()))
    })?;
    if d > today {
        return Err(AppError::BadInput(format!(
            "{d} is in the future: a marked register comes after the election."
        )));
    }
    Ok(d)
}

/// Imports one election's marked register in one transaction. Importing the same
/// election (seat and date) again replaces it.
#[allow(clippy::too_many_arguments)]
pub async fn import(
    store: &Store,
    seat_id: i64,
    by: Option<i64>,
    label: &str,
    date: NaiveDate,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> AppResult<MarkedImport> {
    let label = check_label(label)?;
    let file = elector_file::read(bytes, Kind::Marked).map_err(refusal)?;
    let (found, unmatched) = elector_file::match_to_seat(store, seat_id, &file.rows).await?;
    let voted = found.iter().filter(|(_, v)| *v).count() as i64;
    let electorate = if file.has_voted {
        found.len() as i64
    } else {
        let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM electors WHERE seat_id = $1 AND left_at IS NULL AND erased_at IS NULL")
            .bind(seat_id).fetch_one(pool).await)?;
        n
    };
    let replaced = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let gone = sqlx::query("DELETE FROM marked_registers WHERE seat_id = $1 AND election_date = $2")
            .bind(seat_id).bind(date).execute(&mut *tx).await?.rows_affected();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO marked_registers (seat_id, label, election_date, electorate, voted, imported_at, imported_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(seat_id).bind(&label).bind(date).bind(electorate).bind(voted).bind(now).bind(by)
            .fetch_one(&mut *tx).await?;
        for chunk in found.chunks(500) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO turnout_history (elector_id, marked_register_id, voted) ");
            q.push_values(chunk, |mut b, (elector, v)| {
                b.push_bind(*elector).push_bind(id).push_bind(*v);
            });
            q.build().execute(&mut *tx).await?;
        }
        Ok::<_, AppError>(gone > 0)
    })})).await?;
    Ok(MarkedImport { named: found.len(), voted, electorate, replaced, unmatched })
}

/// The seat's marked registers, latest first.
pub async fn summaries(store: &Store, seat_id: i64) -> AppResult<Vec<MarkedSummary>> {
    let rows: Vec<(String, NaiveDate, i64, i64)> = on_store!(store, pool => sqlx::query_as(
        "SELECT label, election_date, electorate, voted FROM marked_registers WHERE seat_id = $1
          ORDER BY election_date DESC")
        .bind(seat_id).fetch_all(pool).await)?;
    Ok(rows
        .into_iter()
        .map(|(label, election_date, electorate, voted)| MarkedSummary {
            label,
            election_date,
            electorate,
            voted,
        })
        .collect())
}

/// The turnout share (per cent) of the seat's latest marked register, when it has one.
pub async fn latest_turnout(store: &Store, seat_id: i64) -> AppResult<Option<f64>> {
    Ok(summaries(store, seat_id)
        .await?
        .into_iter()
        .find(|m| m.electorate > 0)
        .map(|m| m.voted as f64 * 100.0 / m.electorate as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_election_is_named_and_dated_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("date");
        assert_eq!(check_date("2024-07-04", today).ok(), NaiveDate::from_ymd_opt(2024, 7, 4));
        assert!(check_date("4/7/2024", today).is_err());
        assert!(check_date("2027-05-06", today).is_err());
        assert_eq!(check_label(" General election 2024 ").as_deref(), Ok("General election 2024"));
        assert!(check_label("  ").is_err());
    }
}
