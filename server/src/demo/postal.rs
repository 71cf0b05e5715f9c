//! The demo seat's postal voters and the marked register of a past election, made from
//! the demo's seed and loaded through the same imports an organiser uses, for the
//! districts of ward B (where much of the demo's canvassing is; the whole seat
//! would double the demo's load time): one elector in five votes by post (about the
//! share at the 2024 general election), the organiser has chased some of the postal-vote
//! promises, and the 2024 election's marked register is in their turnout history.

use super::polling_day::chance;
use app::error::AppError;
use app::on_store;
use app::polling_day::{marked_register, postal, queries};
use app::store::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashSet;

const POSTAL_SHARE: f64 = 0.2;
const PAST_TURNOUT: f64 = 0.6;

pub async fn simulate(
    store: &Store,
    gss: &str,
    organiser_email: &str,
    seed: u64,
    today: DateTime<Utc>,
) -> Result<(), AppError> {
    let seat = app::seat::queries::find(store, gss).await?;
    let electors: Vec<(i64, String, i64, i64, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, pd_prefix, elector_number, elector_suffix, surname FROM electors
          WHERE seat_id = $1 AND left_at IS NULL AND pd_prefix LIKE 'B%' ORDER BY id")
        .bind(seat.id).fetch_all(pool).await)?;
    if electors.is_empty() {
        return Ok(());
    }
    let mut absent =
        String::from("Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Surname\n");
    let mut marked = String::from("PD,ENO,Suffix,Voted\n");
    for (id, prefix, number, suffix, surname) in &electors {
        let suffix = if *suffix == 0 { String::new() } else { suffix.to_string() };
        if chance(seed, *id, 101) < POSTAL_SHARE {
            absent.push_str(&format!("{prefix},{number},{suffix},\"{}\"\n", surname.replace('"', "")));
        }
        let voted = if chance(seed, *id, 102) < PAST_TURNOUT { "Y" } else { "N" };
        marked.push_str(&format!("{prefix},{number},{suffix},{voted}\n"));
    }
    postal::import(store, seat.id, None, absent.as_bytes(), today - Duration::days(21)).await?;
    let election = NaiveDate::from_ymd_opt(2024, 7, 4).ok_or(AppError::Internal)?;
    marked_register::import(
        store,
        seat.id,
        None,
        "General election 2024",
        election,
        marked.as_bytes(),
        today - Duration::days(30),
    )
    .await?;

    // The organiser has rung round part of the queue over the last week.
    let (organiser,): (i64,) = on_store!(store, pool => sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(organiser_email).fetch_one(pool).await)?;
    let postal: Vec<(i64,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT elector_id FROM postal_voters WHERE seat_id = $1").bind(seat.id).fetch_all(pool).await)?;
    let postal: HashSet<i64> = postal.into_iter().map(|(id,)| id).collect();
    for (_, p) in queries::promises(store, seat.id, None).await? {
        if !postal.contains(&p.elector_id) {
            continue;
        }
        let c = chance(seed, p.elector_id, 103);
        let status = match c {
            c if c < 0.45 => "sent",
            c if c < 0.6 => "not_yet",
            c if c < 0.65 => "lost",
            _ => continue,
        };
        let at = today - Duration::days(1 + (c * 7.0) as i64) - Duration::minutes((c * 600.0) as i64);
        postal::record_chase(store, organiser, seat.id, p.elector_id, status, at).await?;
    }
    Ok(())
}
