//! The knock-up list: our promises who have not voted yet, door by door in walk order.
//! It is worked out afresh on every load, so each round (3–4 a day) is re-filtered: a
//! voter told at the station or who said "voted" at the door drops out at once; "not in",
//! "will vote" and "needs a lift" stay for the next round; "do not return" drops out.

use serde::{Deserialize, Serialize};

/// What a knocker heard, as stored, and what the button says.
pub const RESULTS: [(&str, &str); 5] = [
    ("voted", "Voted"),
    ("will_vote", "Will vote"),
    ("needs_lift", "Needs a lift"),
    ("not_in", "Not in"),
    ("do_not_return", "Do not return"),
];

pub fn result_label(code: &str) -> &'static str {
    RESULTS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("Recorded")
}

/// Who counts as a promise: `knock_up_promises` in the campaign settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Promises {
    /// Our party, firmly (firmness 4–5, or not asked).
    Supporters,
    /// Our party at any firmness.
    SupportersAndLeaners,
}

impl Promises {
    pub fn parse(value: Option<&str>) -> Promises {
        match value {
            Some("supporters") => Promises::Supporters,
            _ => Promises::SupportersAndLeaners,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Promises::Supporters => "supporters",
            Promises::SupportersAndLeaners => "supporters_and_leaners",
        }
    }
    /// Whether leaners (our party, firmness 1–3) are promises too.
    pub fn leaners(self) -> bool {
        self == Promises::SupportersAndLeaners
    }
}

/// One result from the knocker's phone, sent from its outbox.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KnockUpEntry {
    /// A UUID made on the phone: sent again, the result is stored once.
    pub id: String,
    pub elector_id: i64,
    /// One of [`RESULTS`]' codes.
    pub result: String,
    /// On the phone's clock (the round's "latest answer" goes by it); the server's now when absent.
    #[serde(default)]
    pub made_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnockUpOutcome {
    pub stored: usize,
    /// Sent before (the phone never heard back): not stored again.
    pub already_had: usize,
}

/// One promise with what polling day has said about them so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Promise {
    pub elector_id: i64,
    pub household_id: i64,
    pub name: String,
    pub number: String,
    pub address1: String,
    pub street: Option<String>,
    pub house_number: Option<String>,
    /// Told at a station (a live telling entry).
    pub told: bool,
    /// The latest knock-up result, by the phone's clock.
    pub last_result: Option<String>,
    /// A postal voter who said their vote is sent: voted, for polling day.
    #[serde(default)]
    pub postal_sent: bool,
    /// Whether they voted at the seat's latest election with a marked register: a promise
    /// who did not is the one most likely to stay at home again.
    #[serde(default)]
    pub voted_last: Option<bool>,
}

impl Promise {
    /// Still to be knocked up this round.
    pub fn to_knock(&self) -> bool {
        !self.told
            && !self.postal_sent
            && !matches!(self.last_result.as_deref(), Some("voted" | "do_not_return"))
    }
}

/// A door of the round, its promises in register order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Door {
    pub household_id: i64,
    pub address1: String,
    pub promises: Vec<Promise>,
}

/// Doors in one walk: a district's round is cut into walks of this many doors, one
/// knocker's share of a round, so knockers sent to the same district do not all knock
/// the same doors (and a phone loads a page it can scroll).
pub const WALK_DOORS: usize = 50;

/// One walk of a district's round: its number (from 1), the streets it runs between, and
/// every door in it with all its promises, voted or not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Walk {
    pub number: usize,
    pub streets: String,
    pub doors: Vec<Door>,
}

impl Walk {
    /// Promises still to knock in the walk.
    pub fn to_knock(&self) -> usize {
        self.promises().filter(|p| p.to_knock()).count()
    }
    /// Promises in the walk who have voted (told at a station, or said so at the door).
    pub fn voted(&self) -> usize {
        self.promises().filter(|p| p.told || p.last_result.as_deref() == Some("voted")).count()
    }
    pub fn promises(&self) -> impl Iterator<Item = &Promise> {
        self.doors.iter().flat_map(|d| d.promises.iter())
    }
    pub fn promises_mut(&mut self) -> impl Iterator<Item = &mut Promise> {
        self.doors.iter_mut().flat_map(|d| d.promises.iter_mut())
    }
    /// The doors a knocker is shown: those with promises still to knock, and only those promises.
    pub fn still_to_knock(self) -> Vec<Door> {
        still_to_knock(self.doors)
    }
}

/// The district's walks, in walk order (street, then the house number as a number, odd
/// side and even side together as a walker goes). They are cut from every promise's door,
/// voted or not, so a walk keeps the same doors all day; only the doors shown within it
/// drop out as they vote.
pub fn walks(promises: Vec<Promise>) -> Vec<Walk> {
    in_walk_order(promises)
        .chunks(WALK_DOORS)
        .enumerate()
        .map(|(i, doors)| {
            let street = |d: &Door| {
                d.promises.first().and_then(|p| p.street.clone()).unwrap_or_else(|| d.address1.clone())
            };
            let (first, last) = (doors.first().map(street), doors.last().map(street));
            let streets = match (first, last) {
                (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                (Some(a), _) => a,
                _ => String::new(),
            };
            Walk { number: i + 1, streets, doors: doors.to_vec() }
        })
        .collect()
}

fn still_to_knock(doors: Vec<Door>) -> Vec<Door> {
    doors
        .into_iter()
        .filter_map(|mut d| {
            d.promises.retain(Promise::to_knock);
            (!d.promises.is_empty()).then_some(d)
        })
        .collect()
}

/// Every promise's door, in walk order.
fn in_walk_order(mut promises: Vec<Promise>) -> Vec<Door> {
    let house = |p: &Promise| {
        let digits: String =
            p.house_number.as_deref().unwrap_or("").chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse::<i64>().unwrap_or(i64::MAX)
    };
    promises.sort_by(|a, b| {
        (a.street.as_deref().unwrap_or(&a.address1), house(a), &a.address1, a.household_id, &a.number).cmp(&(
            b.street.as_deref().unwrap_or(&b.address1),
            house(b),
            &b.address1,
            b.household_id,
            &b.number,
        ))
    });
    let mut doors: Vec<Door> = Vec::new();
    for p in promises {
        match doors.last_mut() {
            Some(d) if d.household_id == p.household_id => d.promises.push(p),
            _ => doors.push(Door {
                household_id: p.household_id,
                address1: p.address1.clone(),
                promises: vec![p],
            }),
        }
    }
    doors
}

/// Promises needed to win: the win number over the share of electors who usually turn
/// out (a promise who stays at home is no vote). `None` when the share is not usable.
pub fn promises_needed(win_number: i64, turnout_percent: f64) -> Option<i64> {
    (turnout_percent > 0.0 && turnout_percent <= 100.0)
        .then(|| (win_number as f64 / (turnout_percent / 100.0)).ceil() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The doors a knocker is shown, walk after walk.
    fn round(promises: Vec<Promise>) -> Vec<Door> {
        walks(promises).into_iter().flat_map(Walk::still_to_knock).collect()
    }

    fn p(id: i64, household: i64, street: &str, house: &str, told: bool, last: Option<&str>) -> Promise {
        Promise {
            elector_id: id,
            household_id: household,
            name: format!("Voter {id}"),
            number: format!("AA-{id}"),
            address1: format!("{house} {street}"),
            street: Some(street.into()),
            house_number: Some(house.into()),
            told,
            last_result: last.map(str::to_string),
            postal_sent: false,
            voted_last: None,
        }
    }

    #[test]
    fn the_voted_and_do_not_return_drop_out_and_the_rest_stay_for_the_next_round() {
        let doors = round(vec![
            p(1, 10, "Elm Road", "2", false, None),
            p(2, 11, "Elm Road", "4", true, None),
            p(3, 12, "Elm Road", "6", false, Some("voted")),
            p(4, 13, "Elm Road", "8", false, Some("do_not_return")),
            p(5, 14, "Elm Road", "10", false, Some("not_in")),
            p(6, 15, "Elm Road", "12", false, Some("will_vote")),
            p(7, 16, "Elm Road", "14", false, Some("needs_lift")),
        ]);
        let ids: Vec<i64> = doors.iter().flat_map(|d| d.promises.iter().map(|p| p.elector_id)).collect();
        assert_eq!(ids, vec![1, 5, 6, 7]);
    }

    #[test]
    fn a_postal_voter_whose_vote_is_sent_is_not_knocked_up() {
        let mut sent = p(1, 10, "Elm Road", "2", false, None);
        sent.postal_sent = true;
        let doors = round(vec![sent, p(2, 11, "Elm Road", "4", false, Some("not_in"))]);
        let ids: Vec<i64> = doors.iter().flat_map(|d| d.promises.iter().map(|p| p.elector_id)).collect();
        assert_eq!(ids, vec![2]);
    }

    #[test]
    fn a_walk_keeps_its_doors_as_their_promises_vote() {
        // Two and a half walks of doors on one street, one promise a door.
        let n = WALK_DOORS * 5 / 2;
        let all: Vec<Promise> =
            (0..n as i64).map(|i| p(i, 100 + i, "Long Road", &(i + 1).to_string(), false, None)).collect();
        let before = walks(all.clone());
        assert_eq!(
            before.iter().map(Walk::to_knock).collect::<Vec<_>>(),
            vec![WALK_DOORS, WALK_DOORS, WALK_DOORS / 2]
        );
        assert_eq!((before[0].number, before[0].streets.as_str()), (1, "Long Road"));
        // The first walk's first ten vote: walk 1 shrinks, and walk 2 still starts where it did.
        let voted: Vec<Promise> = all
            .into_iter()
            .map(|mut x| {
                x.told = x.elector_id < 10;
                x
            })
            .collect();
        let after = walks(voted);
        assert_eq!((after[0].to_knock(), after[0].voted()), (WALK_DOORS - 10, 10));
        assert_eq!(after[1].doors[0].household_id, before[1].doors[0].household_id);
        assert_eq!(after.len(), 3);
        let shown = after[0].clone().still_to_knock();
        assert_eq!(shown.len(), WALK_DOORS - 10);
        assert_eq!(shown[0].household_id, before[0].doors[10].household_id);
    }

    #[test]
    fn doors_come_in_walk_order_with_their_promises_together() {
        let doors = round(vec![
            p(1, 20, "Oak Street", "10", false, None),
            p(2, 21, "Ash Lane", "3", false, None),
            p(3, 20, "Oak Street", "10", false, None),
            p(4, 22, "Oak Street", "9", false, None),
            p(5, 23, "Oak Street", "10A", false, None),
        ]);
        let order: Vec<(i64, usize)> = doors.iter().map(|d| (d.household_id, d.promises.len())).collect();
        assert_eq!(order, vec![(21, 1), (22, 1), (20, 2), (23, 1)]);
    }

    #[test]
    fn the_calculator_sizes_promises_against_the_usual_turnout() {
        assert_eq!(promises_needed(21_093, 68.1), Some(30_974));
        assert_eq!(promises_needed(100, 50.0), Some(200));
        assert_eq!(promises_needed(100, 0.0), None);
        assert_eq!(promises_needed(100, 120.0), None);
        assert_eq!(Promises::parse(Some("supporters")), Promises::Supporters);
        assert_eq!(Promises::parse(None).as_str(), "supporters_and_leaners");
    }
}
