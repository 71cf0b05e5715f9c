//! The demo campaign: Bury North, lost by 378 votes in 2015, with real geography and
//! results and synthetic people. `groundwork demo` loads or reloads it; the first start
//! on an empty database loads it too.

mod activity;
pub mod generate;
pub mod geography;
pub mod model;
pub mod names;
mod polling_day;
mod postal;
pub mod register_file;

pub use generate::DemoOptions;

use app::auth::password;
use app::error::AppError;
use app::store::Store;
use app::{on_store, on_tx};
use chrono::Utc;
use rand::distr::{Alphanumeric, SampleString};
use std::collections::HashMap;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum DemoError {
    #[error("the demo data shipped with Groundwork is unreadable: {0}")]
    Data(String),
    #[error("the demo could not be written to the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the demo accounts could not be created: {0}")]
    Accounts(AppError),
    #[error("the demo's polling day could not be simulated: {0}")]
    PollingDay(AppError),
}

/// A demo sign-in, shown once when the demo is loaded.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub role: &'static str,
    pub password: String,
}

#[derive(Debug)]
pub struct DemoReport {
    pub seat: &'static str,
    pub electors: usize,
    pub households: usize,
    pub conversations: usize,
    pub accounts: Vec<DemoAccount>,
}

const ACCOUNTS: [(&str, &str, &str); 4] = [
    ("admin", "Ada Admin", "admin@demo.groundwork.example"),
    ("regional", "Rhiannon Regional", "regional@demo.groundwork.example"),
    ("organiser", "Omar Organiser", "organiser@demo.groundwork.example"),
    ("volunteer", "Val Volunteer", "volunteer@demo.groundwork.example"),
];

/// The demo's synthetic people, without touching a database (for sample register files).
pub fn people(opts: &DemoOptions) -> Result<model::People, DemoError> {
    let geo = geography::load().map_err(DemoError::Data)?;
    Ok(generate::generate(&geo, opts))
}

/// True when the database holds no seat yet: a brand-new installation.
pub async fn database_is_empty(store: &Store) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) =
        on_store!(store, pool => sqlx::query_as("SELECT COUNT(*) FROM seats").fetch_one(pool).await)?;
    Ok(n == 0)
}

/// Loads (or reloads) the demo seat and its accounts in one transaction.
/// `password` gives every demo account the same password; otherwise each gets a random one.
pub async fn load(
    store: &Store,
    opts: &DemoOptions,
    password: Option<&str>,
) -> Result<DemoReport, DemoError> {
    let geo = geography::load().map_err(DemoError::Data)?;
    let people = generate::generate(&geo, opts);
    let accounts: Vec<DemoAccount> = ACCOUNTS
        .iter()
        .map(|(role, _, email)| DemoAccount {
            email: email.to_string(),
            role,
            password: password
                .map(str::to_string)
                .unwrap_or_else(|| Alphanumeric.sample_string(&mut rand::rng(), 16)),
        })
        .collect();
    let hashes = accounts
        .iter()
        .map(|a| password::hash(&a.password))
        .collect::<Result<Vec<_>, _>>()
        .map_err(DemoError::Accounts)?;
    write(store, &geo, &people, &hashes).await?;
    polling_day::simulate(store, geography::SEAT_CODE, ACCOUNTS[3].2, opts.seed, opts.today)
        .await
        .map_err(DemoError::PollingDay)?;
    postal::simulate(store, geography::SEAT_CODE, ACCOUNTS[2].2, opts.seed, opts.today)
        .await
        .map_err(DemoError::PollingDay)?;
    Ok(DemoReport {
        seat: geography::SEAT_NAME,
        electors: people.electors.len(),
        households: people.households.len(),
        conversations: people.conversations.len(),
        accounts,
    })
}

const CHUNK: usize = 1000;

async fn write(
    store: &Store,
    geo: &geography::Geography,
    people: &model::People,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    let now = Utc::now();
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        // Reloading replaces the demo seat and accounts wholesale.
        for sql in [
            "DELETE FROM conversations WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM walk_lists WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM electors WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM volunteers WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM canvass_sessions WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM households WHERE seat_id IN (SELECT id FROM seats WHERE gss_code = $1)",
            "DELETE FROM seats WHERE gss_code = $1",
        ] {
            sqlx::query(sql).bind(geography::SEAT_CODE).execute(&mut *tx).await?;
        }
        for (_, _, email) in ACCOUNTS {
            sqlx::query("DELETE FROM users WHERE email = $1").bind(email).execute(&mut *tx).await?;
        }

        sqlx::query("INSERT INTO regions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
            .bind(geography::REGION).execute(&mut *tx).await?;
        let (region_id,): (i64,) = sqlx::query_as("SELECT id FROM regions WHERE name = $1")
            .bind(geography::REGION).fetch_one(&mut *tx).await?;
        let electorate = people.electors.len() as i64;
        let (seat_id,): (i64,) = sqlx::query_as(
            "INSERT INTO seats (gss_code, name, region_id, electorate, is_target, boundary)
             VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id")
            .bind(geography::SEAT_CODE).bind(geography::SEAT_NAME).bind(region_id).bind(electorate)
            .bind(&geo.seat.geometry).fetch_one(&mut *tx).await?;
        for r in &geo.results {
            sqlx::query(
                "INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes,
                                           majority, electorate, valid_votes, invalid_votes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(seat_id).bind(r.year).bind(&r.winner).bind(&r.runner_up).bind(r.winner_votes)
                .bind(r.runner_up_votes).bind(r.majority).bind(r.electorate).bind(r.valid_votes)
                .bind(r.invalid_votes).execute(&mut *tx).await?;
        }
        let mut ward_ids = Vec::new();
        for w in &geo.wards {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO wards (seat_id, gss_code, name, boundary) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(seat_id).bind(&w.code).bind(&w.name).bind(&w.geometry).fetch_one(&mut *tx).await?;
            ward_ids.push(id);
        }
        let mut pd_ids = Vec::new();
        for pd in &people.polling_districts {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, $2, $3) RETURNING id")
                .bind(ward_ids[pd.ward]).bind(&pd.code).bind(&pd.name).fetch_one(&mut *tx).await?;
            pd_ids.push(id);
        }

        // The seat's postcode centroids, so that a register imported later is placed on the map.
        for chunk in geo.postcodes.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO postcodes (postcode, lat, lon) ");
            q.push_values(chunk, |mut b, p| {
                b.push_bind(&p.postcode).push_bind(p.lat).push_bind(p.lon);
            });
            q.push(" ON CONFLICT (postcode) DO NOTHING");
            q.build().execute(&mut *tx).await?;
        }

        for chunk in people.households.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO households (seat_id, polling_district_id, address_key, address1, address2, street, house_number, postcode, lat, lon) ");
            q.push_values(chunk, |mut b, h| {
                b.push_bind(seat_id).push_bind(pd_ids[h.pd]).push_bind(&h.address_key).push_bind(&h.address1).push_bind(&h.address2)
                    .push_bind(&h.street).push_bind(&h.house_number).push_bind(&h.postcode).push_bind(h.lat).push_bind(h.lon);
            });
            q.build().execute(&mut *tx).await?;
        }
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, address_key FROM households WHERE seat_id = $1")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let by_key: HashMap<String, i64> = rows.into_iter().map(|(id, key)| (key, id)).collect();
        let household_ids: Vec<i64> = people.households.iter().map(|h| by_key[&h.address_key]).collect();

        for chunk in people.electors.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number,
                                       elector_suffix, markers, title, first_name, surname, attainment_date) ");
            q.push_values(chunk, |mut b, e| {
                b.push_bind(seat_id).push_bind(household_ids[e.household]).push_bind(pd_ids[e.pd])
                    .push_bind(&people.polling_districts[e.pd].code).push_bind(e.number).push_bind(0_i64)
                    .push_bind(e.markers).push_bind(e.title).push_bind(e.first_name).push_bind(e.surname)
                    .push_bind(e.attainment_date);
            });
            q.build().execute(&mut *tx).await?;
        }
        let rows: Vec<(i64, i64, String, i64)> = sqlx::query_as(
            "SELECT e.id, e.household_id, e.pd_prefix, e.elector_number FROM electors e WHERE e.seat_id = $1")
            .bind(seat_id).fetch_all(&mut *tx).await?;
        let elector_ids: HashMap<(String, i64), i64> = rows.into_iter().map(|(id, _, pd, n)| ((pd, n), id)).collect();

        let mut user_ids = Vec::new();
        for ((role, name, email), hash) in ACCOUNTS.iter().zip(hashes) {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
                 VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id")
                .bind(email).bind(name).bind(hash).bind(role).bind(now).fetch_one(&mut *tx).await?;
            user_ids.push(id);
        }
        sqlx::query("INSERT INTO user_scopes (user_id, region_id) VALUES ($1, $2)")
            .bind(user_ids[1]).bind(region_id).execute(&mut *tx).await?;
        for user in [user_ids[2], user_ids[3]] {
            sqlx::query("INSERT INTO user_scopes (user_id, seat_id) VALUES ($1, $2)")
                .bind(user).bind(seat_id).execute(&mut *tx).await?;
        }

        let mut volunteer_ids = Vec::new();
        for (i, v) in people.volunteers.iter().enumerate() {
            let user_id = (i == people.demo_volunteer).then_some(user_ids[3]);
            let (first, last) = if user_id.is_some() { ("Val", "Volunteer") } else { (v.first_name, v.surname) };
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO volunteers (seat_id, user_id, first_name, surname, ward_id, stage, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(seat_id).bind(user_id).bind(first).bind(last).bind(ward_ids[v.ward]).bind(v.stage).bind(now)
                .fetch_one(&mut *tx).await?;
            volunteer_ids.push(id);
        }
        let mut session_ids = Vec::new();
        for s in &people.sessions {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point, lat, lon, capacity)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(seat_id).bind(&s.title).bind(s.starts_at).bind(s.starts_at + chrono::Duration::hours(3))
                .bind(&s.meeting_point).bind(s.lat).bind(s.lon).bind(s.capacity).fetch_one(&mut *tx).await?;
            // Signed up the week before; attendance of a past session recorded at its end.
            let recorded = (s.starts_at < now).then(|| s.starts_at + chrono::Duration::hours(3));
            for (v, attended, hours) in &s.attendance {
                sqlx::query("INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours, signed_up_at, recorded_at)
                             VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id).bind(volunteer_ids[*v]).bind(*attended).bind(*hours)
                    .bind(s.starts_at - chrono::Duration::days(7)).bind(recorded).execute(&mut *tx).await?;
            }
            session_ids.push(id);
        }
        // Each volunteer reached the stage they are at on their first session (or when added).
        sqlx::query(
            "INSERT INTO volunteer_stages (volunteer_id, stage, at)
             SELECT v.id, v.stage, COALESCE((SELECT MIN(cs.starts_at) FROM session_attendance sa
                                               JOIN canvass_sessions cs ON cs.id = sa.canvass_session_id
                                              WHERE sa.volunteer_id = v.id AND sa.attended), v.created_at)
               FROM volunteers v WHERE v.seat_id = $1")
            .bind(seat_id).execute(&mut *tx).await?;
        let mut list_ids = Vec::new();
        for l in &people.walk_lists {
            let session = &people.sessions[l.session];
            let status = if session.starts_at < now { "closed" } else { "active" };
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO walk_lists (seat_id, name, canvass_session_id, status, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(seat_id).bind(&l.name).bind(session_ids[l.session]).bind(status).bind(now)
                .fetch_one(&mut *tx).await?;
            let mut q = sqlx::QueryBuilder::new("INSERT INTO walk_list_households (walk_list_id, household_id, position) ");
            q.push_values(l.households.iter().enumerate(), |mut b, (pos, h)| {
                b.push_bind(id).push_bind(household_ids[*h]).push_bind(pos as i64);
            });
            q.build().execute(&mut *tx).await?;
            for v in &l.volunteers {
                sqlx::query("INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(volunteer_ids[*v]).execute(&mut *tx).await?;
            }
            list_ids.push(id);
        }
        for chunk in people.conversations.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, volunteer_id, result,
                                            intention, intention_source, firmness, made_at, received_at) ");
            q.push_values(chunk, |mut b, c| {
                let elector = c.elector.map(|e| {
                    let e = &people.electors[e];
                    elector_ids[&(people.polling_districts[e.pd].code.clone(), e.number)]
                });
                b.push_bind(&c.id).push_bind(seat_id).push_bind(household_ids[c.household]).push_bind(elector)
                    .push_bind(list_ids[c.walk_list]).push_bind(volunteer_ids[c.volunteer]).push_bind(c.result)
                    .push_bind(c.intention).push_bind(c.intention_source).push_bind(c.firmness)
                    .push_bind(c.made_at).push_bind(c.made_at);
            });
            q.build().execute(&mut *tx).await?;
        }
        let issues: Vec<(&str, &str)> =
            people.conversations.iter().flat_map(|c| c.issues.iter().map(|i| (c.id.as_str(), *i))).collect();
        for chunk in issues.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO conversation_issues (conversation_id, issue) ");
            q.push_values(chunk, |mut b, (id, issue)| {
                b.push_bind(*id).push_bind(*issue);
            });
            q.build().execute(&mut *tx).await?;
        }
        let follow_ups: Vec<(&model::Conversation, &str, bool)> = people.conversations.iter()
            .flat_map(|c| c.follow_ups.iter().map(move |(kind, done)| (c, *kind, *done))).collect();
        for chunk in follow_ups.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at, done_at) ");
            q.push_values(chunk, |mut b, (c, kind, done)| {
                let elector = c.elector.map(|e| {
                    let e = &people.electors[e];
                    elector_ids[&(people.polling_districts[e.pd].code.clone(), e.number)]
                });
                b.push_bind(&c.id).push_bind(seat_id).push_bind(household_ids[c.household]).push_bind(elector)
                    .push_bind(*kind).push_bind(if *done { "done" } else { "open" }).push_bind(c.made_at)
                    .push_bind(done.then(|| c.made_at + chrono::Duration::days(3)));
            });
            q.build().execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await
}
