//! How many of our promises have voted in a ballot box, estimated from what polling day
//! actually gives us: tellers who are not at every station all day, the presiding
//! officer's count of papers issued, and knockers told "I've voted" at the door.
//!
//! The method (also in the README, "Polling day"):
//! 1. The box count `B` is everyone who has voted from the box so far. The tellers saw
//!    `T` of them (anyone, not only promises), so their coverage is `c = T ÷ B`.
//! 2. Of those the tellers saw, `Pt` were promises. Assuming the voters they missed (when
//!    nobody was at the door, or in the rush) were like the ones they saw, the promises
//!    who voted are `Pt ÷ c = Pt × B ÷ T`.
//! 3. Knockers only call on promises not yet told, so a "voted" answer at the door `Dv`
//!    is a voter the tellers missed: `Pt + Dv` is a floor the estimate never goes under.
//! 4. Without a count, coverage is unknown and only the floor is shown; with a count but
//!    no telling, the box's general turnout `B ÷ E` is applied to its promises.
//!
//! The estimate is never more than the box's promises.

use serde::{Deserialize, Serialize};

/// What is known about one box at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoxInputs {
    /// Electors on the register in the box's district.
    pub electorate: i64,
    /// Our promises in the district (supporters, and leaners when the campaign counts them).
    pub promises: i64,
    /// Electors the tellers took a number from (anyone).
    pub told: i64,
    /// Of those, promises.
    pub told_promises: i64,
    /// Promises who said at the door that they had voted, and were not told.
    pub doorstep_voted: i64,
    /// Papers issued from the box by the latest count, when one has been given.
    pub papers_issued: Option<i64>,
}

/// Which inputs the estimate could use, in words for the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    /// Telling scaled up by its coverage of the box count.
    CoverageCorrected,
    /// A box count but no telling: the box's general turnout applied to the promises.
    BoxTurnout,
    /// No box count: what tellers and knockers saw, a floor.
    KnownOnly,
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::CoverageCorrected => "telling corrected for coverage",
            Method::BoxTurnout => "box count only (no telling yet)",
            Method::KnownOnly => "seen voting only (no box count yet): at least this many",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Promises estimated to have voted.
    pub promises_voted: f64,
    /// Promises known to have voted (told or said so at the door).
    pub known: i64,
    /// Share of the tellers' coverage of the box count, when there is a count.
    pub coverage: Option<f64>,
    pub method: Method,
}

impl Estimate {
    /// Promises estimated to have voted, as a share of all promises (0 when none).
    pub fn share(&self, promises: i64) -> f64 {
        if promises > 0 {
            self.promises_voted / promises as f64
        } else {
            0.0
        }
    }
}

pub fn estimate(b: &BoxInputs) -> Estimate {
    let known = (b.told_promises + b.doorstep_voted).min(b.promises.max(0));
    let cap = |v: f64| v.max(known as f64).min(b.promises.max(0) as f64);
    match b.papers_issued {
        Some(papers) if papers > 0 && b.told > 0 => {
            // More told than papers counted: the count is older than the telling.
            let coverage = (b.told as f64 / papers as f64).min(1.0);
            Estimate {
                promises_voted: cap(b.told_promises as f64 / coverage),
                known,
                coverage: Some(coverage),
                method: Method::CoverageCorrected,
            }
        }
        Some(papers) if papers > 0 && b.electorate > 0 => Estimate {
            promises_voted: cap(papers as f64 / b.electorate as f64 * b.promises as f64),
            known,
            coverage: Some(0.0),
            method: Method::BoxTurnout,
        },
        _ => Estimate { promises_voted: known as f64, known, coverage: None, method: Method::KnownOnly },
    }
}

/// Several boxes at once (a room, the seat): the sum of each box's estimate.
pub fn total(boxes: &[(BoxInputs, Estimate)]) -> (i64, f64) {
    boxes.iter().fold((0, 0.0), |(p, v), (b, e)| (p + b.promises, v + e.promises_voted))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small, fixed-seed generator (SplitMix64), so the simulated day is the same each run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// One simulated box: who votes and when (minutes after 07:00, polls close at 22:00),
    /// when tellers stand at the door (a few shifts) and which missed promises a knocker
    /// hears "voted" from. Returns the inputs as known at `now` and the true promise turnout.
    fn simulated_box(rng: &mut Rng, now: f64) -> (BoxInputs, i64, i64) {
        let electorate = 1_500 + (rng.next() * 1_500.0) as i64;
        let promise_rate = 0.2 + rng.next() * 0.2;
        // Tellers' shifts: between two and four windows of one to three hours.
        let shifts: Vec<(f64, f64)> = (0..2 + (rng.next() * 3.0) as usize)
            .map(|_| {
                let start = rng.next() * 840.0;
                (start, start + 60.0 + rng.next() * 120.0)
            })
            .collect();
        let mut b = BoxInputs { electorate, papers_issued: Some(0), ..BoxInputs::default() };
        let (mut promise_voters, mut promises) = (0, 0);
        for _ in 0..electorate {
            let promise = rng.next() < promise_rate;
            let votes = rng.next() < if promise { 0.72 } else { 0.55 };
            let at = rng.next() * 900.0;
            let (seen, heard) = (rng.next(), rng.next());
            promises += i64::from(promise);
            if !votes || at > now {
                continue;
            }
            *b.papers_issued.as_mut().expect("count") += 1;
            promise_voters += i64::from(promise);
            // Tellers at the door miss one voter in ten (the rush, a voter who says no).
            let told = shifts.iter().any(|(s, e)| (*s..*e).contains(&at)) && seen < 0.9;
            b.told += i64::from(told);
            b.told_promises += i64::from(told && promise);
            b.doorstep_voted += i64::from(!told && promise && heard < 0.3);
        }
        b.promises = promises;
        (b, promise_voters, promises)
    }

    #[test]
    fn a_simulated_day_is_estimated_within_five_points_of_the_truth() {
        for seed in 1..=20 {
            let mut rng = Rng(seed);
            // At mid-afternoon (13:00) and at the close (22:00), over a seat of 40 boxes.
            for now in [360.0, 900.0] {
                let boxes: Vec<_> = (0..40).map(|_| simulated_box(&mut rng, now)).collect();
                let truth = boxes.iter().map(|(_, v, _)| *v).sum::<i64>() as f64
                    / boxes.iter().map(|(_, _, p)| *p).sum::<i64>() as f64;
                let estimated: Vec<_> = boxes.iter().map(|(b, _, _)| (b.clone(), estimate(b))).collect();
                let (promises, voted) = total(&estimated);
                let share = voted / promises as f64;
                assert!(
                    (share - truth).abs() < 0.05,
                    "seed {seed} at minute {now}: estimated {share:.3}, truly {truth:.3}"
                );
                // What the tellers saw alone is far below the truth: the correction matters.
                let seen = estimated.iter().map(|(_, e)| e.known).sum::<i64>() as f64 / promises as f64;
                assert!(truth - seen > 0.1, "seed {seed}: telling alone {seen:.3} vs {truth:.3}");
            }
        }
    }

    #[test]
    fn telling_is_scaled_by_its_coverage_of_the_count() {
        let b = BoxInputs {
            electorate: 2_000,
            promises: 500,
            told: 300,
            told_promises: 120,
            doorstep_voted: 10,
            papers_issued: Some(900),
        };
        let e = estimate(&b);
        assert_eq!(e.method, Method::CoverageCorrected);
        assert!((e.coverage.expect("coverage") - 1.0 / 3.0).abs() < 1e-9);
        assert!((e.promises_voted - 360.0).abs() < 1e-9, "120 told ÷ a third = 360");
        assert_eq!(e.known, 130);
        assert!((e.share(500) - 0.72).abs() < 1e-9);
    }

    #[test]
    fn the_estimate_never_falls_below_what_was_seen_nor_above_the_promises() {
        // Tellers saw few promises, but knockers heard from many more.
        let low = BoxInputs {
            promises: 100,
            told: 50,
            told_promises: 5,
            doorstep_voted: 40,
            papers_issued: Some(100),
            ..BoxInputs::default()
        };
        assert!((estimate(&low).promises_voted - 45.0).abs() < 1e-9);
        // A count older than the telling: coverage is capped at 1.
        let old = BoxInputs {
            promises: 100,
            told: 300,
            told_promises: 90,
            papers_issued: Some(200),
            ..BoxInputs::default()
        };
        assert!((estimate(&old).promises_voted - 90.0).abs() < 1e-9);
        let over = BoxInputs {
            promises: 50,
            told: 10,
            told_promises: 10,
            papers_issued: Some(1_000),
            ..BoxInputs::default()
        };
        assert!((estimate(&over).promises_voted - 50.0).abs() < 1e-9);
    }

    #[test]
    fn without_a_count_only_the_floor_is_given_and_without_telling_the_box_turnout() {
        let no_count = BoxInputs {
            promises: 100,
            told: 40,
            told_promises: 20,
            doorstep_voted: 5,
            ..BoxInputs::default()
        };
        let e = estimate(&no_count);
        assert_eq!((e.method, e.known, e.coverage), (Method::KnownOnly, 25, None));
        assert!((e.promises_voted - 25.0).abs() < 1e-9);
        let no_telling =
            BoxInputs { electorate: 1_000, promises: 200, papers_issued: Some(400), ..BoxInputs::default() };
        let e = estimate(&no_telling);
        assert_eq!(e.method, Method::BoxTurnout);
        assert!((e.promises_voted - 80.0).abs() < 1e-9);
        assert_eq!(estimate(&BoxInputs::default()).share(0), 0.0);
    }
}
