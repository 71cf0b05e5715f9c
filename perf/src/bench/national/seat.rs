//! One synthetic seat written in one transaction: the seat and its results, its wards,
//! districts, streets, doors and electors as `layout` plans them, a few volunteers and a
//! canvass session, and conversations with the issues and follow-ups voters raise in
//! them (in the proportions the dashboard bench uses). The national bench makes every GB
//! seat with it; the load command makes its synthetic seats with it.

use super::bulk::{self, Bulk};
use super::layout::{self, Layout};
use app::on_store;
use app::seat::ElectionResult;
use app::store::Store;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;

const PARTIES: [&str; 7] = ["lab", "con", "ld", "green", "reform", "other", "undecided"];
const ISSUES: [&str; 9] = [
    "cost_of_living",
    "nhs",
    "housing",
    "crime",
    "schools",
    "transport",
    "environment",
    "immigration",
    "local_services",
];
const FOLLOW_UPS: [&str; 5] = ["poster", "postal_vote", "call_back", "volunteer", "join"];

pub struct SeatSpec<'a> {
    pub gss_code: String,
    pub name: String,
    pub region: String,
    pub results: &'a [ElectionResult],
    pub electors: usize,
    pub conversations: usize,
    /// The party whose share of those spoken to is `ours_share`; the rest spread evenly
    /// over every party (this one included), as the national bench always did.
    pub ours: &'a str,
    pub ours_share: f64,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MadeSeat {
    pub seat_id: i64,
    pub wards: usize,
    /// (id, code) of each polling district, and the ward (index) it is in.
    pub districts: Vec<(i64, String, usize)>,
    pub streets: usize,
    pub households: usize,
    pub electors: usize,
    pub conversations: usize,
    pub issues: usize,
    pub follow_ups: usize,
}

/// Writes one seat; `rng` decides everything, so a seed gives the same seat.
pub async fn make(store: &Store, spec: &SeatSpec<'_>, rng: &mut impl Rng) -> Result<MadeSeat, sqlx::Error> {
    let plan: Layout = layout::plan(spec.electors.max(1), rng);
    let electorate = spec.results.last().map(|r| r.electorate).unwrap_or(spec.electors as i64);
    let made = on_store!(store, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT INTO regions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(&spec.region).execute(&mut *tx).await?;
        let (seat_id,): (i64,) = sqlx::query_as(
            "INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
             SELECT $1, $2, id, $3, TRUE FROM regions WHERE name = $4 RETURNING id")
            .bind(&spec.gss_code).bind(&spec.name).bind(electorate).bind(&spec.region)
            .fetch_one(&mut *tx).await?;
        for r in spec.results {
            sqlx::query("INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes,
                                                   majority, electorate, valid_votes, invalid_votes)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(seat_id).bind(r.year).bind(&r.winner).bind(&r.runner_up).bind(r.winner_votes)
                .bind(r.runner_up_votes).bind(r.majority).bind(r.electorate).bind(r.valid_votes)
                .bind(r.invalid_votes).execute(&mut *tx).await?;
        }
        let mut district_ids = vec![0i64; plan.districts.len()];
        let mut districts = Vec::with_capacity(plan.districts.len());
        for (w, members) in plan.wards.iter().enumerate() {
            let (ward,): (i64,) = sqlx::query_as(
                "INSERT INTO wards (seat_id, gss_code, name) VALUES ($1, $2, $3) RETURNING id")
                .bind(seat_id).bind(format!("{}-W{}", spec.gss_code, w + 1))
                .bind(format!("{} Ward {}", spec.name, w + 1)).fetch_one(&mut *tx).await?;
            for &d in members {
                let code = &plan.districts[d];
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, $3) RETURNING id")
                    .bind(ward).bind(code).bind(format!("District {code}")).fetch_one(&mut *tx).await?;
                district_ids[d] = id;
                districts.push((id, code.clone(), w));
            }
        }
        let doors: Vec<bulk::Door> = plan.doors.iter().enumerate()
            .map(|(i, d)| {
                let street = &plan.streets[d.street];
                (district_ids[d.district], format!("n:{i}"), format!("{} {street}", d.house_number),
                 street.clone(), d.house_number.to_string())
            })
            .collect();
        tx.households(seat_id, &doors).await?;
        // Ids in insertion order: the nth door written is the nth id.
        let homes: Vec<(i64,)> = sqlx::query_as("SELECT id FROM households WHERE seat_id = $1 ORDER BY id")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let people: Vec<bulk::Person> = plan.electors.iter()
            .map(|e| (homes[e.door].0, Some(district_ids[e.district]), plan.districts[e.district].clone(),
                      e.number, e.first_name, e.surname))
            .collect();
        tx.electors(seat_id, &people).await?;
        let people: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, household_id FROM electors WHERE seat_id = $1 ORDER BY id")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let mut volunteers = Vec::new();
        for v in 0..(spec.electors / 2_000).clamp(2, 40) {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO volunteers (seat_id, first_name, surname, created_at) VALUES ($1, 'Synthetic', $2, $3) RETURNING id")
                .bind(seat_id).bind(format!("Volunteer{v}")).bind(spec.now).fetch_one(&mut *tx).await?;
            volunteers.push(id);
        }
        let (session,): (i64,) = sqlx::query_as(
            "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point)
             VALUES ($1, 'Saturday canvass', $2, $3, 'The library') RETURNING id")
            .bind(seat_id).bind(spec.now - Duration::days(3)).bind(spec.now - Duration::days(3) + Duration::hours(3))
            .fetch_one(&mut *tx).await?;
        for v in &volunteers {
            sqlx::query("INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours)
                         VALUES ($1, $2, $3, 3.0)")
                .bind(session).bind(v).bind(true).execute(&mut *tx).await?;
        }
        let (rows, issues, asks) = conversations(spec, &people, &volunteers, rng);
        tx.conversations(seat_id, &rows).await?;
        tx.issues(seat_id, &issues).await?;
        tx.follow_ups(seat_id, &asks).await?;
        tx.commit().await?;
        MadeSeat {
            seat_id,
            wards: plan.wards.len(),
            districts,
            streets: plan.streets.len(),
            households: doors.len(),
            electors: people.len(),
            conversations: rows.len(),
            issues: issues.len(),
            follow_ups: asks.len(),
        }
    });
    Ok(made)
}

type Generated = (Vec<bulk::Conversation>, Vec<bulk::Issue>, Vec<bulk::FollowUp>);

/// The seat's canvass over half a year: four doors in ten answer; half of those spoken to
/// raise an issue (some two) and one in ten asks for something.
fn conversations(
    spec: &SeatSpec<'_>,
    people: &[(i64, i64)],
    volunteers: &[i64],
    rng: &mut impl Rng,
) -> Generated {
    let (mut rows, mut issues, mut asks) = (Vec::new(), Vec::new(), Vec::new());
    let ours = PARTIES.iter().find(|p| **p == spec.ours).copied().unwrap_or(PARTIES[0]);
    for _ in 0..spec.conversations {
        let (elector, household) = people[rng.random_range(0..people.len())];
        let spoke = rng.random_range(0..100) < 40;
        let mut id = [0u8; 16];
        rng.fill(&mut id);
        let id = uuid::Builder::from_random_bytes(id).into_uuid().to_string();
        let at = spec.now - Duration::seconds(rng.random_range(0..26 * 7 * 86_400));
        let intention = spoke.then(|| {
            if rng.random_bool(spec.ours_share.clamp(0.0, 1.0)) {
                ours
            } else {
                PARTIES[rng.random_range(0..PARTIES.len())]
            }
        });
        if spoke {
            let roll = rng.random_range(0..100);
            if roll < 50 {
                issues.push((id.clone(), ISSUES[rng.random_range(0..ISSUES.len())], at));
            }
            if roll < 15 {
                issues.push((id.clone(), ISSUES[rng.random_range(0..3)], at));
            }
            if rng.random_range(0..10) == 0 {
                let kind = FOLLOW_UPS[rng.random_range(0..FOLLOW_UPS.len())];
                let done = at < spec.now - Duration::days(14) && rng.random_bool(0.7);
                asks.push((id.clone(), household, elector, kind, if done { "done" } else { "open" }, at));
            }
        }
        rows.push(bulk::Conversation {
            id,
            household,
            elector: spoke.then_some(elector),
            volunteer: volunteers[rng.random_range(0..volunteers.len())],
            result: if spoke { "spoke" } else { "not_in" },
            intention,
            source: spoke.then(|| if rng.random_bool(0.75) { "said" } else { "inferred" }),
            at,
        });
    }
    issues.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    issues.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    (rows, issues, asks)
}
