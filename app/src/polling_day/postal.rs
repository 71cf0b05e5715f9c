//! Postal votes: the council's absent-voters list marks electors as postal voters, and
//! organisers chase the postal voters among our promises (the knock-up's definition)
//! until they say their vote is sent. A promise whose vote is sent is not "still to
//! vote" on polling day: the knock-up leaves them out and the dashboard counts them voted.

use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a postal voter said, as stored, and what the button says.
pub const STATUSES: [(&str, &str); 3] =
    [("sent", "Sent"), ("not_yet", "Not yet"), ("lost", "Lost, needs a replacement")];

pub fn status_label(code: &str) -> &'static str {
    STATUSES.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("Not asked yet")
}

/// A postal-vote promise still to chase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChaseLine {
    pub elector_id: i64,
    pub name: String,
    pub number: String,
    pub address: String,
    /// The latest answer, who took it and when; none when never asked.
    pub status: Option<String>,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// A marked register imported for the seat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkedSummary {
    pub label: String,
    pub election_date: NaiveDate,
    pub electorate: i64,
    pub voted: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostalView {
    pub gss_code: String,
    pub seat_name: String,
    /// Organisers and admins see the queue's names and import files; regional staff
    /// see the counts only.
    pub names_shown: bool,
    pub postal_voters: i64,
    /// Postal voters who are promises, and of them: sent, not yet, lost, never asked.
    pub promises: i64,
    pub sent: i64,
    pub not_yet: i64,
    pub lost: i64,
    pub not_asked: i64,
    pub queue: Vec<ChaseLine>,
    pub marked: Vec<MarkedSummary>,
}

#[server(prefix = "/api", endpoint = "postal_votes")]
pub async fn postal_votes(gss_code: String) -> Result<PostalView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let seat = super::queries::staff_seat(&state.store, &user, &gss_code).await?;
    let names = user.role.sees_names();
    let view = ssr::view(&state.store, &seat, names).await?;
    if names {
        // The queue names voters and says how they vote: each view is on the record.
        crate::audit::record(&state.store, Some(user.id), "view", "seat", &gss_code, "postal chase queue")
            .await?;
    }
    Ok(view)
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use super::super::elector_file::{self, Kind, Unmatched};
    use super::super::queries::promises;
    use super::*;
    use crate::error::AppResult;
    use crate::seat::SeatSummary;
    use crate::store::Store;
    use crate::{on_store, on_tx};
    use std::collections::{HashMap, HashSet};

    /// What an import of the absent-voters list did.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct PostalImport {
        /// Postal voters of the seat now.
        pub postal_voters: usize,
        pub added: usize,
        /// No longer on the list (a new list replaces the old one).
        pub removed: usize,
        /// Rows naming nobody on the register, or somebody else: not imported, listed.
        pub unmatched: Vec<Unmatched>,
        pub unused_columns: Vec<String>,
    }

    /// Imports the seat's absent-voters list, replacing the last one, in one transaction.
    /// Any unreadable row refuses the file; numbers not on the register are reported.
    pub async fn import(
        store: &Store,
        seat_id: i64,
        by: Option<i64>,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> AppResult<PostalImport> {
        let file = elector_file::read(bytes, Kind::Postal).map_err(refusal)?;
        let (found, unmatched) = elector_file::match_to_seat(store, seat_id, &file.rows).await?;
        let new: HashSet<i64> = found.into_iter().map(|(id, _)| id).collect();
        let old: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT elector_id FROM postal_voters WHERE seat_id = $1").bind(seat_id).fetch_all(pool).await)?;
        let old: HashSet<i64> = old.into_iter().map(|(id,)| id).collect();
        let added: Vec<i64> = new.difference(&old).copied().collect();
        let removed: Vec<i64> = old.difference(&new).copied().collect();
        store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
            for id in &removed {
                sqlx::query("DELETE FROM postal_voters WHERE elector_id = $1").bind(id).execute(&mut *tx).await?;
            }
            // A seat's list runs to thousands: rows go in a few hundred to a statement.
            for chunk in added.chunks(500) {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO postal_voters (elector_id, seat_id, imported_at, imported_by) ");
                q.push_values(chunk, |mut b, id| {
                    b.push_bind(*id).push_bind(seat_id).push_bind(now).push_bind(by);
                });
                q.build().execute(&mut *tx).await?;
            }
            Ok::<_, AppError>(())
        })})).await?;
        Ok(PostalImport {
            postal_voters: new.len(),
            added: added.len(),
            removed: removed.len(),
            unmatched,
            unused_columns: file.unused,
        })
    }

    /// A refused file's message: nothing was saved, and each mistake (the first 20).
    pub fn refusal(errors: Vec<String>) -> AppError {
        let more = errors.len().saturating_sub(20);
        let mut text = errors.into_iter().take(20).collect::<Vec<_>>().join("; ");
        if more > 0 {
            text.push_str(&format!("; and {more} more"));
        }
        AppError::BadInput(format!("Nothing was saved. {text}"))
    }

    /// The latest chase answer of each postal voter of the seat: (status, by, at).
    async fn latest(
        store: &Store,
        seat_id: i64,
    ) -> AppResult<HashMap<i64, (String, Option<String>, DateTime<Utc>)>> {
        let rows: Vec<(i64, String, Option<String>, DateTime<Utc>)> = on_store!(store, pool => sqlx::query_as(
            "SELECT c.elector_id, c.status, u.display_name, c.made_at FROM postal_chases c
               LEFT JOIN users u ON u.id = c.user_id WHERE c.seat_id = $1 ORDER BY c.made_at, c.id")
            .bind(seat_id).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(id, s, by, at)| (id, (s, by, at))).collect())
    }

    pub async fn view(store: &Store, seat: &SeatSummary, names_shown: bool) -> AppResult<PostalView> {
        let postal: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT elector_id FROM postal_voters WHERE seat_id = $1").bind(seat.id).fetch_all(pool).await)?;
        let postal: HashSet<i64> = postal.into_iter().map(|(id,)| id).collect();
        let latest = latest(store, seat.id).await?;
        let mut queue = Vec::new();
        let (mut promised, mut sent, mut not_yet, mut lost, mut not_asked) = (0, 0, 0, 0, 0);
        for (_, p) in promises(store, seat.id, None).await? {
            if !postal.contains(&p.elector_id) {
                continue;
            }
            promised += 1;
            let last = latest.get(&p.elector_id);
            match last.map(|(s, _, _)| s.as_str()) {
                Some("sent") => {
                    sent += 1;
                    continue;
                }
                Some("lost") => lost += 1,
                Some(_) => not_yet += 1,
                None => not_asked += 1,
            }
            queue.push(ChaseLine {
                elector_id: p.elector_id,
                name: p.name,
                number: p.number,
                address: p.address1,
                status: last.map(|(s, _, _)| s.clone()),
                by: last.and_then(|(_, by, _)| by.clone()),
                at: last.map(|(_, _, at)| *at),
            });
        }
        // A lost ballot is the most urgent (a replacement has a deadline), then those
        // who said "not yet", then those never asked; by address within each.
        let rank = |l: &ChaseLine| match l.status.as_deref() {
            Some("lost") => 0,
            Some(_) => 1,
            None => 2,
        };
        queue.sort_by(|a, b| (rank(a), &a.address, &a.name).cmp(&(rank(b), &b.address, &b.name)));
        Ok(PostalView {
            gss_code: seat.gss_code.clone(),
            seat_name: seat.name.clone(),
            names_shown,
            postal_voters: postal.len() as i64,
            promises: promised,
            sent,
            not_yet,
            lost,
            not_asked,
            queue: if names_shown { queue } else { Vec::new() },
            marked: super::super::marked_register::summaries(store, seat.id).await?,
        })
    }

    /// Records what a postal voter of the seat said, with who and when, in the audit log too.
    pub async fn record_chase(
        store: &Store,
        user_id: i64,
        seat_id: i64,
        elector_id: i64,
        status: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        if !STATUSES.iter().any(|(c, _)| *c == status) {
            return Err(AppError::BadInput("Choose what the voter said about their postal vote.".into()));
        }
        let postal: Option<(i64,)> = on_store!(store, pool => sqlx::query_as(
            "SELECT elector_id FROM postal_voters WHERE elector_id = $1 AND seat_id = $2")
            .bind(elector_id).bind(seat_id).fetch_optional(pool).await)?;
        if postal.is_none() {
            return Err(AppError::BadInput("That voter is not a postal voter of this seat.".into()));
        }
        on_store!(store, pool => sqlx::query(
            "INSERT INTO postal_chases (seat_id, elector_id, user_id, status, made_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(seat_id).bind(elector_id).bind(user_id).bind(status).bind(now).execute(pool).await.map(|_| ()))?;
        let what = format!("postal vote: {}", status_label(status));
        crate::audit::record(store, Some(user_id), "change", "elector", &elector_id.to_string(), &what).await
    }
}
