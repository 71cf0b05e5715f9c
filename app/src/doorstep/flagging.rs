//! Why a stored entry is flagged for an organiser: the phone's doubts (see
//! [`super::trust`]), a position far from the address, or coming too soon after the same
//! volunteer's previous entry. Decided here without the database, so the batch's
//! transaction only fetches each volunteer's earlier times.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// Entries this far (in metres) from their address are flagged for review.
pub const FAR_METRES: f64 = 250.0;
/// An entry made sooner than this after the same volunteer's previous one is flagged.
pub const FAST_SECONDS: i64 = 5;

/// Distance on the ground between two positions, in metres (haversine).
pub fn metres(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * a.sqrt().asin()
}

/// Metres between the phone and the door, when both are known and it is far.
pub fn far(phone: (Option<f64>, Option<f64>), door: (Option<f64>, Option<f64>)) -> Option<f64> {
    match (phone, door) {
        ((Some(a), Some(b)), (Some(c), Some(d))) => Some(metres(a, b, c, d)).filter(|m| *m > FAR_METRES),
        _ => None,
    }
}

/// The stored times to fetch for each volunteer: from FAST_SECONDS before their first
/// entry in the batch to their last, enough to find each entry's previous one when it
/// matters.
pub fn windows(
    entries: impl IntoIterator<Item = (i64, DateTime<Utc>)>,
) -> HashMap<i64, (DateTime<Utc>, DateTime<Utc>)> {
    let mut out: HashMap<i64, (DateTime<Utc>, DateTime<Utc>)> = HashMap::new();
    for (volunteer, at) in entries {
        let (from, to) = out.entry(volunteer).or_insert((at, at));
        *from = (*from).min(at);
        *to = (*to).max(at);
    }
    for (from, _) in out.values_mut() {
        *from -= Duration::seconds(FAST_SECONDS);
    }
    out
}

/// Each volunteer's earlier entries (stored, held and in this batch so far), in time
/// order. Only volunteers given their stored times are checked for speed: a paper sheet's
/// entries are typed all at once, so the batch gives none for them.
#[derive(Debug, Default)]
pub struct Pace {
    times: HashMap<i64, Vec<DateTime<Utc>>>,
}

impl Pace {
    /// A volunteer's entries already stored (from [`windows`]), in any order.
    pub fn stored(&mut self, volunteer: i64, mut times: Vec<DateTime<Utc>>) {
        times.sort();
        self.times.insert(volunteer, times);
    }

    /// Why an entry is flagged (none when it is not): its doubts, its distance, then its
    /// gap after the volunteer's previous entry. The entry counts as earlier for the ones
    /// after it, whichever order they come in.
    pub fn reasons(
        &mut self,
        volunteer: Option<i64>,
        made_at: DateTime<Utc>,
        far: Option<f64>,
        doubts: &[String],
    ) -> Vec<String> {
        let mut reasons = doubts.to_vec();
        if let Some(m) = far {
            reasons.push(format!("{m:.0} m from the address"));
        }
        if let Some(t) = volunteer.and_then(|v| self.times.get_mut(&v)) {
            let at = t.partition_point(|m| *m <= made_at);
            if let Some(previous) = at.checked_sub(1).map(|i| t[i]) {
                let gap = made_at - previous;
                if gap < Duration::seconds(FAST_SECONDS) {
                    reasons.push(format!("{} s after this volunteer's previous entry", gap.num_seconds()));
                }
            }
            t.insert(at, made_at);
        }
        reasons
    }
}

#[cfg(test)]
#[path = "flagging_tests.rs"]
mod tests;
