//! The erasure journal: one line per erasure, with no personal data (the elector's id,
//! their seat, a keyed hash of who they were on the register, a reason code and when).
//!
//! It lives in the database (`erasure_journal`) and, line by line, in a file outside it
//! (`GROUNDWORK_ERASURE_JOURNAL`; beside an SQLite database file by default). A backup
//! restored from before an erasure brings the person back; re-applying the journal
//! (`groundwork erasures reapply FILE`, and `groundwork serve` at start-up with its
//! file) erases them again, and a register import leaves out anyone whose hash is in it.

use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct JournalLine {
    pub elector_id: i64,
    /// The seat's GSS code.
    pub seat: String,
    /// SHA-256 of the campaign's erasure key and the register identity (address key,
    /// forename, surname): the same person on a later register gives the same hash;
    /// without the key it cannot be tested against a list of names.
    pub identity_hash: String,
    /// A code from [`super::ERASURE_REASONS`].
    pub reason: String,
    pub erased_at: DateTime<Utc>,
}

/// What re-applying a journal did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reapplied {
    /// Journal lines the database did not have yet.
    pub recorded: usize,
    /// Electors found on the register again and erased.
    pub erased: usize,
}

pub fn identity_hash(key: &str, identity: &str) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0u8]);
    h.update(identity.as_bytes());
    hex::encode(h.finalize())
}

/// Adds a line to the journal file, and makes sure it is on disk before answering.
pub fn append(file: &Path, line: &JournalLine) -> AppResult<()> {
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(file)?;
        let json = serde_json::to_string(line).map_err(std::io::Error::other)?;
        writeln!(f, "{json}")?;
        f.sync_all()
    };
    write().map_err(|e| {
        tracing::error!(file = %file.display(), error = %e, "the erasure journal file could not be written");
        AppError::BadInput(format!(
            "The erasure was made, but the erasure journal file {} could not be written: tell your administrator.",
            file.display()
        ))
    })
}

/// Reads a journal file (no file: an empty journal). A bad line is named by number.
pub fn read(file: &Path) -> Result<Vec<JournalLine>, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read the erasure journal {}: {e}", file.display())),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| format!("{} line {}: not a journal line ({e})", file.display(), i + 1))
        })
        .collect()
}

/// The journal the database holds, oldest first.
pub async fn lines(store: &Store) -> AppResult<Vec<JournalLine>> {
    Ok(on_store!(store, pool => sqlx::query_as(
        "SELECT elector_id, seat_gss AS seat, identity_hash, reason, erased_at FROM erasure_journal
          ORDER BY erased_at, elector_id")
        .fetch_all(pool).await)?)
}

/// Records the journal's lines in the database and erases, again, every elector still
/// on the register whose identity is in the journal: those a restored backup brought
/// back, and the same people imported again under a new id.
pub async fn reapply(store: &Store, journal: &[JournalLine]) -> AppResult<Reapplied> {
    let mut done = Reapplied::default();
    for l in journal {
        let added = on_store!(store, pool => sqlx::query(
            "INSERT INTO erasure_journal (elector_id, seat_gss, identity_hash, reason, erased_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (elector_id) DO NOTHING")
            .bind(l.elector_id).bind(&l.seat).bind(&l.identity_hash).bind(&l.reason).bind(l.erased_at)
            .execute(pool).await.map(|r| r.rows_affected()))?;
        done.recorded += added as usize;
    }
    let (key,): (String,) = on_store!(store, pool => sqlx::query_as("SELECT key FROM erasure_key WHERE id = 1").fetch_one(pool).await)?;
    let mut by_seat: HashMap<String, HashMap<String, String>> = HashMap::new();
    for l in lines(store).await? {
        by_seat.entry(l.seat).or_default().insert(l.identity_hash, l.reason);
    }
    for (seat, hashes) in by_seat {
        for (id, reason) in matches(store, &key, &seat, &hashes).await? {
            super::erasure::erase(store, id, None, super::erasure::Reason::parse(&reason)?).await?;
            done.erased += 1;
        }
    }
    if done.erased > 0 {
        tracing::info!(erased = done.erased, "erasure journal re-applied");
    }
    Ok(done)
}

/// Electors of a seat, not yet erased, whose identity hash is one of `hashes`, with
/// the reason recorded for it.
async fn matches(
    store: &Store,
    key: &str,
    seat: &str,
    hashes: &HashMap<String, String>,
) -> AppResult<Vec<(i64, String)>> {
    let people: Vec<(i64, String, String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT e.id, h.address_key, e.first_name, e.surname
           FROM electors e JOIN households h ON h.id = e.household_id JOIN seats s ON s.id = e.seat_id
          WHERE s.gss_code = $1 AND e.erased_at IS NULL")
        .bind(seat).fetch_all(pool).await)?;
    Ok(people
        .into_iter()
        .filter_map(|(id, address_key, first, surname)| {
            let identity = crate::register::matching::identity(&address_key, &first, &surname);
            hashes.get(&identity_hash(key, &identity)).map(|reason| (id, reason.clone()))
        })
        .collect())
}

/// The seat's erased identities, for the register import to leave out, with the key
/// to hash a row's identity by. Read inside the import's transaction.
pub struct Suppressed {
    key: String,
    hashes: HashSet<String>,
}

impl Suppressed {
    pub fn new(key: String, hashes: impl IntoIterator<Item = String>) -> Suppressed {
        Suppressed { key, hashes: hashes.into_iter().collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn contains(&self, identity: &str) -> bool {
        !self.hashes.is_empty() && self.hashes.contains(&identity_hash(&self.key, identity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_depends_on_the_key_and_the_identity() {
        let a = identity_hash("k1", "uprn:1#ann#lee");
        assert_eq!(a.len(), 64);
        assert_eq!(a, identity_hash("k1", "uprn:1#ann#lee"));
        assert_ne!(a, identity_hash("k2", "uprn:1#ann#lee"));
        assert_ne!(a, identity_hash("k1", "uprn:1#ann#leex"));
        assert!(!a.contains("ann"));
    }

    #[test]
    fn a_journal_file_round_trips_and_a_missing_one_is_empty() {
        let file = std::env::temp_dir().join(format!("gw-journal-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&file);
        assert_eq!(read(&file), Ok(Vec::new()));
        let line = JournalLine {
            elector_id: 3,
            seat: "E14000611".into(),
            identity_hash: identity_hash("k", "x"),
            reason: "request".into(),
            erased_at: Utc::now(),
        };
        append(&file, &line).expect("append");
        append(&file, &line).expect("append");
        assert_eq!(read(&file), Ok(vec![line.clone(), line]));
        std::fs::write(&file, "{}\n").expect("write");
        assert!(read(&file).expect_err("bad line").contains("line 1"));
        let _ = std::fs::remove_file(&file);
    }
}
