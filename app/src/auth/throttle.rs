//! Login throttling: a few wrong passwords per account, and more per address, within a
//! window; then sign-in is refused until the window passes.

use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{Duration, Utc};

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 30;

fn keys(email: &str, address: Option<&str>) -> Vec<(String, i64)> {
    let mut keys = vec![(format!("email:{}", email.trim().to_lowercase()), PER_ACCOUNT)];
    if let Some(ip) = address {
        keys.push((format!("ip:{ip}"), PER_ADDRESS));
    }
    keys
}

/// Refuses the attempt when the account or the address has failed too often lately.
pub async fn check(store: &Store, email: &str, address: Option<&str>) -> AppResult<()> {
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    for (key, limit) in keys(email, address) {
        let (n,): (i64,) = on_store!(store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2").bind(&key).bind(since).fetch_one(pool).await)?;
        if n >= limit {
            return Err(AppError::BadInput(format!(
                "Too many failed sign-ins. For your security, wait {WINDOW_MINUTES} minutes and try again."
            )));
        }
    }
    Ok(())
}

pub async fn record_failure(store: &Store, email: &str, address: Option<&str>) -> AppResult<()> {
    let now = Utc::now();
    for (key, _) in keys(email, address) {
        on_store!(store, pool => sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(&key).bind(now).execute(pool).await.map(|_| ()))?;
    }
    // Old rows only slow the count down.
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(now - Duration::days(1)).execute(pool).await.map(|_| ()))?;
    Ok(())
}

pub async fn clear_account(store: &Store, email: &str) -> AppResult<()> {
    let key = format!("email:{}", email.trim().to_lowercase());
    on_store!(store, pool => sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(pool).await.map(|_| ()))?;
    Ok(())
}
