//! The volunteers a load run signs in as: each a volunteer account on the first seat (or,
//! with `--seats N`, spread evenly over the run's synthetic seats), with one active walk
//! list of its own. Made fresh for every run (their emails carry the run's tag), so the
//! end-of-run check can count exactly their conversations.

use app::on_store;
use app::store::Store;
use chrono::{Duration, Utc};

/// One simulated volunteer: how to sign in, and the list and doors they walk.
#[derive(Clone, Debug)]
pub struct Walker {
    pub email: String,
    pub volunteer_id: i64,
    pub seat_id: i64,
    pub walk_list_id: i64,
    pub doors: Vec<i64>,
    /// An elector living at each door (same order), to hold a recorded intention.
    pub holders: Vec<Option<i64>>,
}

/// Makes `count` volunteers with `doors` doors each, all with `password` (hashed once:
/// an Argon2 hash carries its own salt, so one hash serves every account). Volunteer `n`
/// walks on `seats[n % seats.len()]`; with no seats given, on the database's first seat.
pub async fn make(
    store: &Store,
    tag: &str,
    count: usize,
    doors: usize,
    password: &str,
    seats: &[super::seats::LoadSeat],
) -> Result<Vec<Walker>, String> {
    let hash = app::auth::password::hash(password).map_err(|e| e.to_string())?;
    let now = Utc::now();
    let e = |e: sqlx::Error| format!("could not make the load volunteers: {e}");
    let mut registers: Vec<(i64, Register)> = seats.iter().map(|s| (s.id, s.households.clone())).collect();
    if registers.is_empty() {
        let seat: Option<(i64,)> = on_store!(store, pool =>
            sqlx::query_as("SELECT id FROM seats ORDER BY id LIMIT 1").fetch_optional(pool).await)
        .map_err(e)?;
        let (seat_id,) = seat.ok_or("the database has no seat: load the demo first (`groundwork demo`)")?;
        registers.push((seat_id, super::seats::households(store, seat_id).await?));
    }
    if registers.iter().any(|(_, h)| h.is_empty()) {
        return Err("a seat has no households to walk".into());
    }
    let walkers = on_store!(store, pool => {
        let mut tx = pool.begin().await.map_err(e)?;
        let mut walkers = Vec::with_capacity(count);
        for n in 0..count {
            let (seat_id, households) = &registers[n % registers.len()];
            let seat_id = *seat_id;
            // The nth volunteer of their seat takes the nth stretch of its register.
            let n_here = n / registers.len();
            let email = format!("load-{tag}-{n:05}@load.groundwork.example");
            let (user_id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
                 VALUES ($1, $2, $3, 'volunteer', TRUE, $4) RETURNING id")
                .bind(&email).bind(format!("Load Volunteer {n}")).bind(&hash).bind(now)
                .fetch_one(&mut *tx).await.map_err(e)?;
            sqlx::query("INSERT INTO user_scopes (user_id, seat_id) VALUES ($1, $2)")
                .bind(user_id).bind(seat_id).execute(&mut *tx).await.map_err(e)?;
            let (volunteer_id,): (i64,) = sqlx::query_as(
                "INSERT INTO volunteers (seat_id, user_id, first_name, surname, stage, created_at)
                 VALUES ($1, $2, 'Load', $3, 'regular', $4) RETURNING id")
                .bind(seat_id).bind(user_id).bind(format!("Volunteer {n}")).bind(now)
                .fetch_one(&mut *tx).await.map_err(e)?;
            let (walk_list_id,): (i64,) = sqlx::query_as(
                "INSERT INTO walk_lists (seat_id, name, status, created_at) VALUES ($1, $2, 'active', $3) RETURNING id")
                .bind(seat_id).bind(format!("Load {tag} {n}")).bind(now - Duration::days(30))
                .fetch_one(&mut *tx).await.map_err(e)?;
            // Consecutive stretches of the register, wrapping round on a small seat.
            let mut stretch: Vec<(i64, Option<i64>)> =
                (0..doors).map(|i| households[(n_here * doors + i) % households.len()]).collect();
            stretch.dedup();
            let list: Vec<i64> = stretch.iter().map(|(h, _)| *h).collect();
            let holders: Vec<Option<i64>> = stretch.iter().map(|(_, e)| *e).collect();
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO walk_list_households (walk_list_id, household_id, position) ");
            q.push_values(list.iter().enumerate(), |mut b, (pos, h)| {
                b.push_bind(walk_list_id).push_bind(*h).push_bind(pos as i64);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *tx).await.map_err(e)?;
            sqlx::query("INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2)")
                .bind(walk_list_id).bind(volunteer_id).execute(&mut *tx).await.map_err(e)?;
            walkers.push(Walker { email, volunteer_id, seat_id, walk_list_id, doors: list, holders });
        }
        tx.commit().await.map_err(e)?;
        walkers
    });
    Ok(walkers)
}

/// The ids of the conversations this run's volunteers have stored since `since`.
pub async fn stored_ids(
    store: &Store,
    tag: &str,
    since: chrono::DateTime<Utc>,
) -> Result<Vec<Stored>, String> {
    let pattern = format!("load-{tag}-%");
    let rows: Vec<StoredRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT c.id, c.seat_id, c.household_id, c.made_at, c.volunteer_id FROM conversations c
           JOIN volunteers v ON v.id = c.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email LIKE $1 AND c.received_at >= $2")
        .bind(pattern).bind(since).fetch_all(pool).await)
    .map_err(|e| format!("could not read back the stored conversations: {e}"))?;
    Ok(rows
        .into_iter()
        .map(|(id, seat_id, household, made_at, volunteer)| Stored {
            id,
            seat_id,
            content: (household, made_at, volunteer),
        })
        .collect())
}

/// A seat's households to walk: (household, polling district).
type Register = Vec<(i64, Option<i64>)>;

/// (id, seat, household, made at, volunteer)
type StoredRow = (String, i64, i64, chrono::DateTime<Utc>, Option<i64>);

/// A stored conversation: its id, and what makes it one knock whatever its id (the door,
/// the phone's time and the volunteer; the load's phones make every knock a minute apart).
pub struct Stored {
    pub id: String,
    pub seat_id: i64,
    pub content: (i64, chrono::DateTime<Utc>, Option<i64>),
}
