//! What an import will do to the electors we hold, worked out from what the database
//! holds and what the file says, without touching the database: who changed, who was
//! renumbered, who is new, who has left.

use super::layout::Edition;
use super::matching::{identity, same_details, Existing, Keep};
use super::row::{Change, RegisterRow};
use super::Rejection;
use crate::elector::journal::Suppressed;
use std::collections::HashMap;

/// The electors held (current ones, with their door) and what is needed to read the file
/// against them: each row's household key and the id of every door by key.
pub(super) struct Held<'a> {
    pub(super) existing: &'a [Existing],
    pub(super) household_ids: &'a HashMap<String, i64>,
    pub(super) suppressed: &'a Suppressed,
    pub(super) edition: Edition,
}

/// Indexes are into the electors held (`existing`) and the file's rows (`rows`).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Plan {
    /// (existing, row): someone we hold whose details changed.
    pub(super) updates: Vec<(usize, usize)>,
    /// (existing, row): someone we hold, under a new number.
    pub(super) renumbered: Vec<(usize, usize)>,
    /// Rows of people we do not hold.
    pub(super) added: Vec<usize>,
    /// Ids of electors who have left.
    pub(super) leaving: Vec<i64>,
    /// Rows whose missing columns were filled in from what we hold.
    pub(super) filled: HashMap<usize, RegisterRow>,
    pub(super) unchanged: i64,
    /// New people left out because they were erased from this seat.
    pub(super) suppressed: i64,
    /// Deletions of people we do not hold.
    pub(super) rejected: Vec<Rejection>,
}

pub(super) fn plan(held: &Held<'_>, rows: &[RegisterRow], keys: &[String], keep: &Keep) -> Plan {
    let existing = held.existing;
    let mut plan = Plan::default();
    let by_number: HashMap<(&str, i64, i64), usize> = existing
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.pd_prefix.as_str(), e.elector_number, e.elector_suffix), i))
        .collect();
    let mut seen = vec![false; existing.len()];
    let mut unmatched: Vec<usize> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        match (by_number.get(&(r.number.prefix.as_str(), r.number.number, r.number.suffix)), &r.change) {
            (Some(&e), Change::Delete) => {
                seen[e] = true;
                plan.leaving.push(existing[e].id);
            }
            (None, Change::Delete) => plan.rejected.push(Rejection {
                line: r.line,
                column: "elector number".into(),
                reason: format!("{} is to be deleted but is not on the register we hold", r.number),
            }),
            (Some(&e), Change::Upsert) => {
                seen[e] = true;
                if !same_details(&existing[e], r, &keep.present, held.household_ids[&keys[i]]) {
                    plan.filled.insert(i, keep.present.fill(&existing[e], r));
                    plan.updates.push((e, i));
                } else {
                    plan.unchanged += 1;
                }
            }
            (None, Change::Upsert) => unmatched.push(i),
        }
    }
    // A number we do not hold may be someone we do hold, renumbered by the council.
    let mut by_identity: HashMap<String, Vec<usize>> = HashMap::new();
    for (e, ex) in existing.iter().enumerate().filter(|(e, _)| !seen[*e]) {
        by_identity.entry(identity(&ex.address_key, &ex.first_name, &ex.surname)).or_default().push(e);
    }
    for i in unmatched {
        // Nobody left to recognise (a first import): skip building each row's identity.
        if by_identity.is_empty() {
            plan.added.push(i);
            continue;
        }
        let r = &rows[i];
        let candidates = by_identity.get_mut(&identity(&keys[i], &r.forename, &r.surname));
        let found = candidates.and_then(|c| {
            let pos = c.iter().position(|&e| match (existing[e].date_of_birth, r.date_of_birth) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            })?;
            Some(c.swap_remove(pos))
        });
        match found {
            Some(e) => {
                seen[e] = true;
                plan.renumbered.push((e, i));
                plan.filled.insert(i, keep.present.fill(&existing[e], r));
            }
            None => plan.added.push(i),
        }
    }
    // People erased from this seat stay erased: a row with an identity in the
    // erasure journal is left out (a few hashes a row, only when the seat has any).
    if !held.suppressed.is_empty() {
        let before = plan.added.len();
        plan.added
            .retain(|&i| !held.suppressed.contains(&identity(&keys[i], &rows[i].forename, &rows[i].surname)));
        plan.suppressed = (before - plan.added.len()) as i64;
    }
    if held.edition == Edition::Full && !keep.everyone {
        plan.leaving.extend(
            existing
                .iter()
                .zip(&seen)
                .filter(|(e, s)| !**s && !keep.numbers.contains(&e.number()))
                .map(|(e, _)| e.id),
        );
    }
    plan
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
