//! Invitations, written once for both databases: making one (with a role and a patch),
//! reading it back by its code, and accepting it, which makes the account.

use super::codes::{code_hash, new_code};
use super::queries::checked_patch;
use super::{InvitationView, INVITATION_DAYS};
use crate::auth::users::{self, NewUser, Patch};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};

/// Makes an invitation and returns its code (shown once; only its hash is kept).
#[allow(clippy::too_many_arguments)]
pub async fn invite(
    store: &Store,
    by: &CurrentUser,
    email: &str,
    display_name: &str,
    role: Role,
    patch: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let email = email.trim().to_lowercase();
    let display_name = display_name.trim();
    if !email.contains('@') {
        return Err(AppError::BadInput(format!("\"{email}\" is not an email address.")));
    }
    if display_name.is_empty() {
        return Err(AppError::BadInput("Give the person's name.".into()));
    }
    let (region, seat) = checked_patch(store, by, role, patch).await?;
    let taken: Option<(i64,)> = on_store!(store, pool => sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email).fetch_optional(pool).await)?;
    if taken.is_some() {
        return Err(AppError::BadInput(format!("{email} already has an account.")));
    }
    let code = new_code();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO invitations (code_hash, email, display_name, role, region_id, seat_id, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(code_hash(&code)).bind(&email).bind(display_name).bind(role.as_str()).bind(region).bind(seat)
        .bind(by.id).bind(now).bind(now + Duration::days(INVITATION_DAYS))
        .execute(pool).await.map(|_| ()))?;
    crate::audit::record(
        store,
        Some(by.id),
        "change",
        "invitation",
        &email,
        &format!("invited as {}", role.label()),
    )
    .await?;
    Ok(code)
}

/// Invites a deployment's first admin, when there is no admin to invite them (the
/// command line's `groundwork user invite … --role admin` on a new database).
pub async fn invite_first_admin(
    store: &Store,
    email: &str,
    display_name: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let admins: (i64,) = on_store!(store, pool => sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(pool).await)?;
    if admins.0 > 0 {
        return Err(AppError::Forbidden);
    }
    let email = email.trim().to_lowercase();
    if !email.contains('@') || display_name.trim().is_empty() {
        return Err(AppError::BadInput("Give an email address and a name.".into()));
    }
    let code = new_code();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO invitations (code_hash, email, display_name, role, created_at, expires_at)
         VALUES ($1, $2, $3, 'admin', $4, $5)")
        .bind(code_hash(&code)).bind(&email).bind(display_name.trim())
        .bind(now).bind(now + Duration::days(INVITATION_DAYS))
        .execute(pool).await.map(|_| ()))?;
    crate::audit::record(store, None, "change", "invitation", &email, "invited as the first admin").await?;
    Ok(code)
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    email: String,
    display_name: String,
    role: String,
    region_id: Option<i64>,
    seat_id: Option<i64>,
    patch: Option<String>,
    invited_by: Option<String>,
}

async fn live_invitation(store: &Store, code: &str, now: DateTime<Utc>) -> AppResult<InvitationRow> {
    let row: Option<InvitationRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT i.email, i.display_name, i.role, i.region_id, i.seat_id,
                COALESCE(s.name, r.name) AS patch, u.display_name AS invited_by
           FROM invitations i
           LEFT JOIN seats s ON s.id = i.seat_id LEFT JOIN regions r ON r.id = i.region_id
           LEFT JOIN users u ON u.id = i.invited_by
          WHERE i.code_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2")
        .bind(code_hash(code)).bind(now).fetch_optional(pool).await)?;
    row.ok_or_else(|| AppError::NotFound("That invitation (it may have expired or been used already)".into()))
}

pub async fn invitation(store: &Store, code: &str, now: DateTime<Utc>) -> AppResult<InvitationView> {
    let row = live_invitation(store, code, now).await?;
    Ok(InvitationView {
        role: Role::parse(&row.role).ok_or(AppError::Internal)?,
        email: row.email,
        display_name: row.display_name,
        patch: row.patch.unwrap_or_else(|| "Everywhere".into()),
        invited_by: row.invited_by,
    })
}

/// Uses an invitation: makes the account with its role and patch (and, for people who
/// canvass, their volunteer record on the seat). Returns the new user's id.
pub async fn accept(store: &Store, code: &str, password: &str, now: DateTime<Utc>) -> AppResult<i64> {
    if password.chars().count() < 10 {
        return Err(AppError::BadInput("A password needs at least 10 characters.".into()));
    }
    let row = live_invitation(store, code, now).await?;
    let role = Role::parse(&row.role).ok_or(AppError::Internal)?;
    // Taken first, so that two people racing with one code cannot both use it.
    let claimed = on_store!(store, pool => sqlx::query(
        "UPDATE invitations SET accepted_at = $1 WHERE code_hash = $2 AND accepted_at IS NULL AND revoked_at IS NULL")
        .bind(now).bind(code_hash(code)).execute(pool).await.map(|r| r.rows_affected()))?;
    if claimed != 1 {
        return Err(AppError::NotFound("That invitation (it has been used already)".into()));
    }
    let user_id =
        users::create(store, NewUser { email: &row.email, display_name: &row.display_name, password, role })
            .await?;
    if let Some(region) = row.region_id {
        users::give_patch(store, user_id, Patch::Region(region)).await?;
    }
    if let Some(seat) = row.seat_id {
        users::give_patch(store, user_id, Patch::Seat(seat)).await?;
        if matches!(role, Role::Volunteer | Role::TeamLeader) {
            let (first, surname) = row.display_name.split_once(' ').unwrap_or((&row.display_name, ""));
            let stage = if role == Role::TeamLeader { "team_leader" } else { "prospect" };
            on_store!(store, pool => sqlx::query(
                "INSERT INTO volunteers (seat_id, user_id, first_name, surname, email, stage, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(seat).bind(user_id).bind(first).bind(surname.trim()).bind(&row.email).bind(stage).bind(now)
                .execute(pool).await.map(|_| ()))?;
        }
    }
    Ok(user_id)
}
