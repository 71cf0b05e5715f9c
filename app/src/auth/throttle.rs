//! Sign-in throttling by delay, never by lock-out. Each recent failure for an account (or
//! from an address) makes the next answer wait longer, doubling up to a cap, so guessing
//! is slow while the real owner can always still sign in: a hard lock would let anyone
//! who knows a volunteer's email keep them out on polling day.
//!
//! An attempt on an account is written down as a failure *before* its password is checked,
//! and taken back only when the password was right, so guesses sent in parallel at one
//! account all count. An address's failures are written once checked: many volunteers
//! behind one office address signing in at the same moment are not failures.

use crate::error::AppResult;
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};

pub const WINDOW_MINUTES: i64 = 15;
/// Failures an account may have in the window before its answers slow down.
pub const FREE_PER_ACCOUNT: i64 = 3;
/// More for an address: a campaign office is many people behind one address.
pub const FREE_PER_ADDRESS: i64 = 20;
const FIRST_DELAY_MS: u64 = 500;
/// The longest anyone waits, however many guesses were made.
pub const MAX_DELAY_MS: u64 = 15_000;

/// How long an answer waits after `failures` recent failures, `free` of them without delay.
pub fn delay_for(failures: i64, free: i64) -> std::time::Duration {
    let over = failures - free;
    let ms = if over < 0 { 0 } else { FIRST_DELAY_MS.saturating_mul(1 << over.min(20)).min(MAX_DELAY_MS) };
    std::time::Duration::from_millis(ms)
}

fn account_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

/// A sign-in under way, already counted as a failure of its account.
pub struct Attempt {
    account: String,
    address: Option<String>,
    at: DateTime<Utc>,
    /// How long to wait before checking the password.
    pub delay: std::time::Duration,
}

async fn recent(store: &Store, key: &str, since: DateTime<Utc>) -> AppResult<i64> {
    let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2").bind(key).bind(since).fetch_one(pool).await)?;
    Ok(n)
}

async fn insert(store: &Store, key: &str, at: DateTime<Utc>) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
        .bind(key).bind(at).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Counts the recent failures, then records this attempt as one of its account's.
pub async fn begin(store: &Store, email: &str, address: Option<&str>) -> AppResult<Attempt> {
    let now = Utc::now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let account = account_key(email);
    let address = address.map(|ip| format!("ip:{ip}"));
    let mut delay = delay_for(recent(store, &account, since).await?, FREE_PER_ACCOUNT);
    if let Some(key) = &address {
        delay = delay.max(delay_for(recent(store, key, since).await?, FREE_PER_ADDRESS));
    }
    insert(store, &account, now).await?;
    Ok(Attempt { account, address, at: now, delay })
}

/// The password was right: this attempt was no failure, and the account starts afresh.
pub async fn succeeded(store: &Store, attempt: &Attempt) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(&attempt.account).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The attempt could not be judged (the server was too busy to check): it does not count.
pub async fn forget(store: &Store, attempt: &Attempt) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE key = $1 AND at = $2")
        .bind(&attempt.account).bind(attempt.at).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The password was wrong: the account's failure stays, and the address gets one. Rows
/// older than a day only slow the count down.
pub async fn failed(store: &Store, attempt: &Attempt) -> AppResult<()> {
    if let Some(key) = &attempt.address {
        insert(store, key, attempt.at).await?;
    }
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(Utc::now() - Duration::days(1)).execute(pool).await.map(|_| ()))?;
    Ok(())
}

pub async fn clear_account(store: &Store, email: &str) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(account_key(email)).execute(pool).await.map(|_| ()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_starts_after_the_free_failures_doubles_and_is_capped() {
        assert_eq!(delay_for(0, 3).as_millis(), 0);
        assert_eq!(delay_for(2, 3).as_millis(), 0);
        assert_eq!(delay_for(3, 3).as_millis(), 500);
        assert_eq!(delay_for(4, 3).as_millis(), 1_000);
        assert_eq!(delay_for(6, 3).as_millis(), 4_000);
        assert_eq!(delay_for(1_000_000, 3).as_millis(), u128::from(MAX_DELAY_MS));
    }
}
