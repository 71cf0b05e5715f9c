//! The campaign's activity in the demo: volunteers, canvass sessions, walk lists and
//! the conversations recorded on them, all from the same seeded generator.

use super::geography::{Geography, Postcode};
use super::model::{Conversation, Elector, Household, Session, Volunteer, WalkList};
use super::names;
use app::doorstep::DoorResult;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;

/// How often each default issue comes up at the door, roughly as canvassers hear them.
const ISSUES: [(&str, u32); 9] = [
    ("cost_of_living", 30),
    ("nhs", 22),
    ("housing", 12),
    ("crime", 9),
    ("local_services", 8),
    ("transport", 6),
    ("schools", 5),
    ("immigration", 5),
    ("environment", 3),
];

fn weighted(rng: &mut StdRng, choices: &[(&'static str, u32)]) -> &'static str {
    let mut pick = rng.random_range(0..choices.iter().map(|c| c.1).sum::<u32>());
    for (code, weight) in choices {
        if pick < *weight {
            return code;
        }
        pick -= weight;
    }
    choices[0].0
}

/// The issues a voter raised (none, one or two) and the follow-ups they asked for; those
/// from before the last fortnight are mostly done.
fn asks(
    rng: &mut StdRng,
    result: DoorResult,
    made_at: DateTime<Utc>,
    today: DateTime<Utc>,
) -> (Vec<&'static str>, Vec<(&'static str, bool)>) {
    let mut issues = Vec::new();
    let mut follow_ups = Vec::new();
    if result.spoke() {
        for _ in 0..[0, 1, 1, 2][rng.random_range(0..4)] {
            let issue = weighted(rng, &ISSUES);
            if !issues.contains(&issue) {
                issues.push(issue);
            }
        }
        for (kind, percent) in [("poster", 5), ("postal_vote", 4), ("volunteer", 2), ("join", 1)] {
            if rng.random_range(0..100) < percent {
                follow_ups.push(kind);
            }
        }
    } else if result == DoorResult::ComeBack && rng.random_bool(0.4) {
        follow_ups.push("call_back");
    }
    let old = made_at < today - Duration::days(14);
    (issues, follow_ups.into_iter().map(|k| (k, old && rng.random_bool(0.7))).collect())
}

const WALK_LISTS_PER_SESSION: usize = 6;
const DOORS_PER_LIST: usize = 35;

pub(super) fn volunteers(rng: &mut StdRng, wards: usize) -> Vec<Volunteer> {
    let stages = ["regular", "prospect", "first_session", "regular", "regular", "team_leader", "organiser"];
    (0..80)
        .map(|i| Volunteer {
            first_name: if rng.random_bool(0.5) { names::FEMALE } else { names::MALE }
                .choose(rng)
                .copied()
                .unwrap_or("Sam"),
            surname: names::SURNAMES.choose(rng).copied().unwrap_or("Smith"),
            ward: rng.random_range(0..wards.max(1)),
            // The first volunteer is the demo volunteer account: a regular.
            stage: if i == 0 { "regular" } else { stages.choose(rng).copied().unwrap_or("prospect") },
        })
        .collect()
}

/// Weekly Saturday and Wednesday sessions for the last eight weeks, and three to come.
pub(super) fn sessions(
    rng: &mut StdRng,
    geo: &Geography,
    volunteers: &[Volunteer],
    today: DateTime<Utc>,
) -> Vec<Session> {
    let meeting_points = [
        "Tottington Library",
        "Ramsbottom Civic Hall",
        "Bury Interchange, stand A",
        "Elton Reservoir car park",
        "Moorside community centre",
        "Redvales cricket club",
    ];
    let today = today.date_naive();
    let last_saturday = today - Duration::days((today.weekday().num_days_from_monday() as i64 + 2) % 7);
    let mut starts = Vec::new();
    for week in (0..8).rev() {
        let sat = last_saturday - Duration::weeks(week);
        starts.push(sat.and_hms_opt(10, 30, 0));
        starts.push((sat - Duration::days(3)).and_hms_opt(18, 0, 0));
    }
    for week in 1..=3 {
        starts.push((last_saturday + Duration::weeks(week)).and_hms_opt(10, 30, 0));
    }
    starts
        .into_iter()
        .flatten()
        .map(|start| {
            let starts_at = Utc.from_utc_datetime(&start);
            let point = *meeting_points.choose(rng).unwrap_or(&meeting_points[0]);
            let ward = rng.random_range(0..geo.wards.len().max(1));
            let (lat, lon) = centroid(geo, ward);
            let past = starts_at.date_naive() < today;
            let mut attendance: Vec<(usize, bool, Option<f64>)> = Vec::new();
            let wanted = rng.random_range(5..12);
            while attendance.len() < wanted {
                let v = rng.random_range(0..volunteers.len());
                if attendance.iter().all(|a| a.0 != v) {
                    let attended = past && rng.random_bool(0.85);
                    let hours = attended.then(|| f64::from(rng.random_range(4..7u32)) / 2.0);
                    attendance.push((v, attended, hours));
                }
            }
            if !past && attendance.iter().all(|a| a.0 != 0) {
                attendance.push((0, false, None));
            }
            Session {
                title: format!(
                    "{} canvass",
                    if start.weekday() == chrono::Weekday::Sat { "Saturday" } else { "Wednesday evening" }
                ),
                starts_at,
                meeting_point: point.to_string(),
                lat,
                lon,
                capacity: 15,
                attendance,
            }
        })
        .collect()
}

fn centroid(geo: &Geography, ward: usize) -> (f64, f64) {
    let code = &geo.wards[ward].code;
    let pts: Vec<&Postcode> = geo.postcodes.iter().filter(|p| &p.ward_code == code).collect();
    let n = pts.len().max(1) as f64;
    (pts.iter().map(|p| p.lat).sum::<f64>() / n, pts.iter().map(|p| p.lon).sum::<f64>() / n)
}

/// Each session walks a few runs of neighbouring doors; every list has volunteers.
pub(super) fn walk_lists(
    rng: &mut StdRng,
    households: &[Household],
    sessions: &[Session],
    volunteers: &[Volunteer],
) -> Vec<WalkList> {
    let mut lists = Vec::new();
    let runs = households.len() / DOORS_PER_LIST;
    if runs == 0 {
        return lists;
    }
    for (s, session) in sessions.iter().enumerate() {
        for k in 0..WALK_LISTS_PER_SESSION {
            let run = rng.random_range(0..runs);
            let members: Vec<usize> = (run * DOORS_PER_LIST..(run + 1) * DOORS_PER_LIST).collect();
            let street = households[members[0]].street.clone();
            let mut team: Vec<usize> = session.attendance.iter().skip(k * 2).take(2).map(|a| a.0).collect();
            if team.is_empty() {
                team.push(rng.random_range(0..volunteers.len()));
            }
            lists.push(WalkList {
                session: s,
                name: format!("{street} and around"),
                households: members,
                volunteers: team,
            });
        }
    }
    lists
}

pub(super) fn conversations(
    rng: &mut StdRng,
    households: &[Household],
    electors: &[Elector],
    sessions: &[Session],
    lists: &[WalkList],
    today: DateTime<Utc>,
) -> Vec<Conversation> {
    let mut first_elector = vec![usize::MAX; households.len()];
    for (i, e) in electors.iter().enumerate().rev() {
        first_elector[e.household] = i;
    }
    let parties =
        [("lab", 36), ("con", 33), ("ld", 7), ("green", 6), ("reform", 6), ("other", 2), ("undecided", 10)];
    let party_total: u32 = parties.iter().map(|p| p.1).sum();
    let mut out = Vec::new();
    for (l, list) in lists.iter().enumerate() {
        let session = &sessions[list.session];
        if session.starts_at >= today {
            continue;
        }
        for (i, &h) in list.households.iter().enumerate() {
            let made_at = session.starts_at + Duration::minutes(4 * i as i64 + rng.random_range(0..3));
            let roll = rng.random_range(0..100);
            let result = match roll {
                0..=44 => DoorResult::NotIn,
                45..=84 => DoorResult::Spoke,
                85..=89 => DoorResult::Refused,
                90..=93 => DoorResult::ComeBack,
                94..=95 => DoorResult::Moved,
                96..=97 => DoorResult::Inaccessible,
                _ => DoorResult::WrongAddress,
            };
            let (intention, source, firmness) = if result.spoke() {
                let mut pick = rng.random_range(0..party_total);
                let mut party = "undecided";
                for (p, w) in parties {
                    if pick < w {
                        party = p;
                        break;
                    }
                    pick -= w;
                }
                let source = if rng.random_bool(0.75) { "said" } else { "inferred" };
                (Some(party), Some(source), Some(rng.random_range(1..=5)))
            } else {
                (None, None, None)
            };
            let (issues, follow_ups) = asks(rng, result, made_at, today);
            let mut id = [0u8; 16];
            rng.fill(&mut id);
            out.push(Conversation {
                id: uuid::Builder::from_random_bytes(id).into_uuid().to_string(),
                household: h,
                elector: (result.spoke() && first_elector[h] != usize::MAX).then_some(first_elector[h]),
                walk_list: l,
                volunteer: list.volunteers[i % list.volunteers.len()],
                result: result.code(),
                intention,
                intention_source: source,
                firmness,
                made_at,
                issues,
                follow_ups,
            });
        }
    }
    out
}
