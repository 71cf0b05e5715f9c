//! Passwords and invitations after the fact: changing one's own password, the reset link
//! an admin gives someone who forgot theirs, and withdrawing an invitation not yet used.

use super::codes::{code_hash, new_code};
use super::ResetView;
use crate::auth::{password, throttle, CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Duration, Utc};

use super::RESET_HOURS;

pub fn wrong_current() -> AppError {
    AppError::BadInput("Your current password is not right.".into())
}

fn check_new(password: &str, again: &str) -> AppResult<()> {
    if password != again {
        return Err(AppError::BadInput("The two new passwords are not the same.".into()));
    }
    if password.chars().count() < 10 {
        return Err(AppError::BadInput("A password needs at least 10 characters.".into()));
    }
    Ok(())
}

/// Sets a new password and ends every session of the account (the caller signs the
/// device in use in again). One transaction, so neither happens without the other.
async fn set_password(store: &Store, user_id: i64, hash: &str) -> AppResult<()> {
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash).bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}

/// Changes the signed-in user's own password, checking the current one first.
pub async fn change_password(
    store: &Store,
    user: &CurrentUser,
    current: &str,
    new: &str,
    again: &str,
) -> AppResult<()> {
    check_new(new, again)?;
    password::authenticate(store, &user.email, current).await.map_err(|e| match e {
        AppError::BadInput(_) => wrong_current(),
        other => other,
    })?;
    let hash = password::hash_limited(new).await?;
    set_password(store, user.id, &hash).await?;
    crate::audit::record(
        store,
        Some(user.id),
        "change",
        "user",
        &user.id.to_string(),
        "changed their password",
    )
    .await
}

/// Makes a single-use reset link for someone's account (admins only); any older unused
/// link for them stops working. Returns the code, shown once; only its hash is kept.
pub async fn issue_reset(
    store: &Store,
    by: &CurrentUser,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<String> {
    if by.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let target: Option<(String,)> = on_store!(store, pool => sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id).fetch_optional(pool).await)?;
    let (email,) = target.ok_or_else(|| AppError::NotFound("That account".into()))?;
    let code = new_code();
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO password_resets (code_hash, user_id, created_by, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5)")
            .bind(code_hash(&code)).bind(user_id).bind(by.id).bind(now).bind(now + Duration::hours(RESET_HOURS))
            .execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    crate::audit::record(
        store,
        Some(by.id),
        "change",
        "user",
        &user_id.to_string(),
        &format!("password reset link made for {email}"),
    )
    .await?;
    Ok(code)
}

fn reset_gone() -> AppError {
    AppError::NotFound("That password reset link (it may have expired or been used already)".into())
}

/// Whose password a live reset link is for.
pub async fn reset_view(store: &Store, code: &str, now: DateTime<Utc>) -> AppResult<ResetView> {
    let row: Option<(String, String)> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.email, u.display_name FROM password_resets p JOIN users u ON u.id = p.user_id
          WHERE p.code_hash = $1 AND p.used_at IS NULL AND p.expires_at > $2 AND u.active")
        .bind(code_hash(code)).bind(now).fetch_optional(pool).await)?;
    let (email, display_name) = row.ok_or_else(reset_gone)?;
    Ok(ResetView { email, display_name })
}

/// Uses a reset link: the link is spent, the password set and every old session ended,
/// all at once or not at all. Returns the account's id.
pub async fn use_reset(
    store: &Store,
    code: &str,
    new: &str,
    again: &str,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    check_new(new, again)?;
    let view = reset_view(store, code, now).await?;
    let hash = password::hash_limited(new).await?;
    let user_id: Option<(i64,)> = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        // Taken first, so that one link cannot be used twice, even at the same moment.
        let claimed: Option<(i64,)> = sqlx::query_as(
            "UPDATE password_resets SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id")
            .bind(now).bind(code_hash(code)).fetch_optional(&mut *tx).await?;
        if let Some((id,)) = claimed {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(claimed)
    })})).await?;
    let (user_id,) = user_id.ok_or_else(reset_gone)?;
    // A forgotten password often follows a few wrong ones: the owner starts afresh.
    throttle::clear_account(store, &view.email).await?;
    crate::audit::record(
        store,
        Some(user_id),
        "change",
        "user",
        &user_id.to_string(),
        "set a password from a reset link",
    )
    .await?;
    Ok(user_id)
}

/// Withdraws the open invitations for an email that the caller could have made (an
/// admin's any; an organiser's those for their seats). Doing it twice is harmless.
pub async fn revoke_invitation(
    store: &Store,
    by: &CurrentUser,
    email: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !matches!(by.role, Role::Admin | Role::Organiser) {
        return Err(AppError::Forbidden);
    }
    let email = email.trim().to_lowercase();
    let open: Vec<(String, Option<i64>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT code_hash, seat_id FROM invitations WHERE email = $1 AND accepted_at IS NULL AND expires_at > $2")
        .bind(&email).bind(now).fetch_all(pool).await)?;
    let scope = crate::auth::scope::seat_scope(store, by).await?;
    let mine: Vec<String> = open
        .into_iter()
        .filter(|(_, seat)| by.role == Role::Admin || seat.is_some_and(|s| scope.contains(s)))
        .map(|(hash, _)| hash)
        .collect();
    if mine.is_empty() {
        return Err(AppError::NotFound(format!("An open invitation for {email} that you made")));
    }
    for hash in &mine {
        on_store!(store, pool => sqlx::query("UPDATE invitations SET revoked_at = $1 WHERE code_hash = $2 AND revoked_at IS NULL")
            .bind(now).bind(hash).execute(pool).await.map(|_| ()))?;
    }
    crate::audit::record(store, Some(by.id), "change", "invitation", &email, "invitation withdrawn").await
}
