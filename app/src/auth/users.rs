//! Creating accounts and giving them a patch. The set-up screens and commands build on these.

use super::{password, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::Utc;

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
}

/// A seat or a region: the two kinds of patch a user can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patch {
    Region(i64),
    Seat(i64),
}

pub async fn create(store: &Store, user: NewUser<'_>) -> AppResult<i64> {
    let email = user.email.trim().to_lowercase();
    if !email.contains('@') {
        return Err(AppError::BadInput(format!("\"{}\" is not an email address.", user.email)));
    }
    if user.password.chars().count() < 10 {
        return Err(AppError::BadInput("A password needs at least 10 characters.".into()));
    }
    let hash = password::hash_limited(user.password).await?;
    let (id,): (i64,) = on_store!(store, pool => sqlx::query_as(
        "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
         VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id")
        .bind(&email).bind(user.display_name).bind(hash).bind(user.role.as_str()).bind(Utc::now())
        .fetch_one(pool).await)?;
    Ok(id)
}

pub async fn give_patch(store: &Store, user_id: i64, patch: Patch) -> AppResult<()> {
    let (region, seat) = match patch {
        Patch::Region(id) => (Some(id), None),
        Patch::Seat(id) => (None, Some(id)),
    };
    on_store!(store, pool => sqlx::query("INSERT INTO user_scopes (user_id, region_id, seat_id) VALUES ($1, $2, $3)")
        .bind(user_id).bind(region).bind(seat).execute(pool).await.map(|_| ()))?;
    Ok(())
}
