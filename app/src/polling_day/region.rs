//! Polling day across a region: for every seat with polling day set up, how many of our
//! promises have voted (known and estimated), how much of the day the tellers saw, and
//! the votes still needed against the win number, with the seats that most need help
//! first. Figures only: regional staff never see a voter's name or door here.

use super::turnout::{BoxInputs, Estimate};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One seat's polling day in figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionSeat {
    pub gss_code: String,
    pub name: String,
    pub promises: i64,
    /// Told at a station, or said "voted" at the door.
    pub known_voted: i64,
    /// The sum of each ballot box's turnout estimate.
    pub estimated_voted: f64,
    /// Of the papers issued from the boxes counted so far, the share the tellers saw.
    /// `None` before any box has a count.
    pub coverage: Option<f64>,
    /// Papers issued from the counted boxes, and the tellers' numbers from them (at most
    /// the box's papers), the two sides of the coverage.
    pub papers_counted: i64,
    pub told_counted: i64,
    pub boxes: i64,
    pub boxes_counted: i64,
    pub win_number: Option<i64>,
    /// The win number less the promises estimated to have voted (never below 0).
    pub still_needed: Option<i64>,
}

impl RegionSeat {
    /// Promises not yet estimated to have voted: who is left to knock up.
    pub fn promises_left(&self) -> f64 {
        (self.promises as f64 - self.estimated_voted).max(0.0)
    }

    /// The share of the promises still to vote that the seat needs to reach its win
    /// number: 0 once it is reached, over 1 when even every promise left would not do.
    /// `None` without a win number.
    pub fn need(&self) -> Option<f64> {
        let needed = self.still_needed? as f64;
        Some(if needed <= 0.0 {
            0.0
        } else {
            // Capped so that a seat with no promises left still sorts, and reads, sensibly.
            (needed / self.promises_left().max(1.0)).min(9.99)
        })
    }

    /// The need in words for the page.
    pub fn need_label(&self) -> &'static str {
        match self.need() {
            None => "no win number",
            Some(n) if n <= 0.0 => "win number reached (estimate)",
            Some(n) if n >= 1.0 => "short even if every promise left votes",
            Some(n) if n >= 0.5 => "needs help",
            Some(_) => "on track",
        }
    }
}

/// A seat's figures from its boxes' inputs and estimates.
pub fn seat_figures(
    gss_code: String,
    name: String,
    boxes: &[(BoxInputs, Estimate)],
    win_number: Option<i64>,
) -> RegionSeat {
    let promises = boxes.iter().map(|(b, _)| b.promises).sum();
    let known_voted = boxes.iter().map(|(_, e)| e.known).sum();
    let estimated_voted: f64 = boxes.iter().map(|(_, e)| e.promises_voted).sum();
    // Coverage as the estimate uses it: told over papers, each box at most fully seen.
    let counted: Vec<(i64, i64)> = boxes
        .iter()
        .filter_map(|(b, _)| b.papers_issued.filter(|p| *p > 0).map(|p| (b.told.min(p), p)))
        .collect();
    let papers: i64 = counted.iter().map(|(_, p)| p).sum();
    let told: i64 = counted.iter().map(|(t, _)| t).sum();
    RegionSeat {
        gss_code,
        name,
        promises,
        known_voted,
        estimated_voted,
        coverage: coverage(told, papers),
        papers_counted: papers,
        told_counted: told,
        boxes: boxes.len() as i64,
        boxes_counted: counted.len() as i64,
        win_number,
        still_needed: win_number.map(|w| (w - estimated_voted.round() as i64).max(0)),
    }
}

fn coverage(told: i64, papers: i64) -> Option<f64> {
    (papers > 0).then(|| told as f64 / papers as f64)
}

/// The seats that most need help first: the highest share of their remaining promises
/// still needed, then the most votes still needed; seats without a win number last.
pub fn by_need(seats: &mut [RegionSeat]) {
    seats.sort_by(|a, b| {
        let key = |s: &RegionSeat| s.need().map(|n| -n);
        match (key(a), key(b)) {
            (Some(x), Some(y)) => {
                x.total_cmp(&y).then(b.still_needed.cmp(&a.still_needed)).then(a.name.cmp(&b.name))
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.name.cmp(&b.name),
        }
    });
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionPollingDay {
    pub region: String,
    /// Seats with polling day set up, the neediest first.
    pub seats: Vec<RegionSeat>,
    /// Seats of the region without a polling-day set-up, not in the figures.
    pub not_set_up: i64,
    pub as_of: DateTime<Utc>,
}

impl RegionPollingDay {
    /// The region's totals, as one more row.
    pub fn total(&self) -> RegionSeat {
        let sum = |f: fn(&RegionSeat) -> i64| self.seats.iter().map(f).sum::<i64>();
        let (told, papers) = (sum(|s| s.told_counted), sum(|s| s.papers_counted));
        RegionSeat {
            gss_code: String::new(),
            name: format!("{} (all seats)", self.region),
            promises: sum(|s| s.promises),
            known_voted: sum(|s| s.known_voted),
            estimated_voted: self.seats.iter().map(|s| s.estimated_voted).sum(),
            coverage: coverage(told, papers),
            papers_counted: papers,
            told_counted: told,
            boxes: sum(|s| s.boxes),
            boxes_counted: sum(|s| s.boxes_counted),
            win_number: None,
            still_needed: self.seats.iter().try_fold(0, |acc, s| s.still_needed.map(|n| acc + n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::turnout::estimate;
    use super::*;

    fn inputs(promises: i64, told: i64, told_promises: i64, papers: Option<i64>) -> BoxInputs {
        BoxInputs {
            electorate: 2_000,
            promises,
            told,
            told_promises,
            doorstep_voted: 0,
            papers_issued: papers,
        }
    }

    fn seat(name: &str, boxes: &[BoxInputs], win: Option<i64>) -> RegionSeat {
        let pairs: Vec<(BoxInputs, Estimate)> = boxes.iter().map(|b| (b.clone(), estimate(b))).collect();
        seat_figures(name.to_lowercase(), name.into(), &pairs, win)
    }

    #[test]
    fn a_seats_figures_add_up_its_boxes_and_weigh_coverage_by_papers() {
        // Box 1: 200 of 400 papers seen, 50 promises told → 100 estimated. Box 2: no count.
        let s = seat("Ashby", &[inputs(300, 200, 50, Some(400)), inputs(100, 30, 20, None)], Some(150));
        assert_eq!((s.promises, s.known_voted, s.boxes, s.boxes_counted), (400, 70, 2, 1));
        assert!((s.estimated_voted - 120.0).abs() < 1e-9, "{}", s.estimated_voted);
        assert_eq!(s.coverage, Some(0.5));
        assert_eq!(s.still_needed, Some(30));
        assert!((s.need().expect("a win number") - 30.0 / 280.0).abs() < 1e-9);
        assert_eq!(s.need_label(), "on track");
    }

    #[test]
    fn the_seat_that_most_needs_help_comes_first_and_one_without_a_win_number_last() {
        let box_of = |told_promises| inputs(100, 100, told_promises, Some(200));
        let mut seats = vec![
            seat("Reached", &[box_of(50)], Some(90)),
            seat("Unknown", &[box_of(10)], None),
            seat("Short", &[box_of(10)], Some(500)),
            seat("Tight", &[box_of(20)], Some(70)),
        ];
        by_need(&mut seats);
        let order: Vec<&str> = seats.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(order, ["Short", "Tight", "Reached", "Unknown"]);
        assert_eq!(seats[0].need_label(), "short even if every promise left votes");
        assert_eq!(seats[1].need_label(), "needs help");
        assert_eq!(seats[2].need_label(), "win number reached (estimate)");
        assert_eq!(seats[2].still_needed, Some(0));
        assert_eq!(seats[3].need(), None);
    }
}
