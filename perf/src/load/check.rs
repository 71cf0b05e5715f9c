//! The end-of-run check, seat by seat: every entry a server acknowledged is in the
//! database, once; nothing is there that was never acknowledged.

use std::collections::HashSet;

/// The exactly-once check of one seat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeatCheck {
    pub seat_id: i64,
    pub acknowledged: usize,
    pub stored: usize,
    pub missing: usize,
    pub duplicated: usize,
    pub unacknowledged: usize,
}

impl SeatCheck {
    /// Checks one seat: `acked` the ids the servers acknowledged, `stored` (id, content)
    /// of what the database holds. The ids are primary keys, so a double shows as two
    /// ids with the same content: duplicates are counted by content.
    pub fn of<C: std::hash::Hash + Eq>(seat_id: i64, acked: &[&str], stored: &[(&str, C)]) -> SeatCheck {
        let acked: HashSet<&str> = acked.iter().copied().collect();
        let ids: HashSet<&str> = stored.iter().map(|(id, _)| *id).collect();
        let contents: HashSet<&C> = stored.iter().map(|(_, c)| c).collect();
        SeatCheck {
            seat_id,
            acknowledged: acked.len(),
            stored: stored.len(),
            missing: acked.difference(&ids).count(),
            duplicated: stored.len() - contents.len(),
            unacknowledged: ids.difference(&acked).count(),
        }
    }

    /// Each seat's check, for the seats named in either list; `acked` and `stored` carry
    /// their seat as the first field.
    pub fn per_seat<C: std::hash::Hash + Eq + Clone>(
        acked: &[(i64, String)],
        stored: &[(i64, String, C)],
    ) -> Vec<SeatCheck> {
        let mut seats: Vec<i64> =
            acked.iter().map(|(s, _)| *s).chain(stored.iter().map(|(s, _, _)| *s)).collect();
        seats.sort_unstable();
        seats.dedup();
        seats
            .into_iter()
            .map(|seat| {
                let a: Vec<&str> =
                    acked.iter().filter(|(s, _)| *s == seat).map(|(_, id)| id.as_str()).collect();
                let st: Vec<(&str, C)> = stored
                    .iter()
                    .filter(|(s, _, _)| *s == seat)
                    .map(|(_, id, c)| (id.as_str(), c.clone()))
                    .collect();
                SeatCheck::of(seat, &a, &st)
            })
            .collect()
    }

    pub fn print_all(checks: &[SeatCheck]) {
        if checks.len() < 2 {
            return;
        }
        let bad: Vec<&SeatCheck> =
            checks.iter().filter(|c| c.missing + c.duplicated + c.unacknowledged > 0).collect();
        let (fewest, most) = (
            checks.iter().map(|c| c.acknowledged).min().unwrap_or(0),
            checks.iter().map(|c| c.acknowledged).max().unwrap_or(0),
        );
        println!(
            "  Seat by seat: {} seats, {fewest} to {most} acknowledged each; {} with anything missing, doubled or unacknowledged{}",
            checks.len(),
            bad.len(),
            if bad.is_empty() { "." } else { ":" }
        );
        for c in bad {
            println!("    {c:?}");
        }
    }
}
