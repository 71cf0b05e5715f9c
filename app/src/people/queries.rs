//! Invitations, accounts and sessions, written once for both databases.

use super::{InvitationView, PatchChoice, PendingInvitation, PeopleView, Person, INVITATION_DAYS};
use crate::auth::users::{self, NewUser, Patch};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Letters and digits that cannot be misread for one another when a code is printed
/// or read out (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub(super) fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> =
        (0..12).map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Codes are compared without case, spaces or dashes, however they were typed.
pub(super) fn code_hash(code: &str) -> String {
    let plain: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(plain.as_bytes()))
}

/// The seats an organiser runs, or every seat and region for an admin.
async fn patches_for(store: &Store, user: &CurrentUser) -> AppResult<Vec<PatchChoice>> {
    let scope = crate::auth::scope::seat_scope(store, user).await?;
    let seats = crate::seat::queries::list(store).await?;
    let mut out: Vec<PatchChoice> = Vec::new();
    if user.role == Role::Admin {
        let regions: Vec<(i64, String)> = on_store!(store, pool => sqlx::query_as("SELECT id, name FROM regions ORDER BY name").fetch_all(pool).await)?;
        out.extend(regions.into_iter().map(|(id, name)| PatchChoice {
            value: format!("region:{id}"),
            label: format!("Region: {name}"),
        }));
    }
    out.extend(
        seats
            .into_iter()
            .filter(|s| scope.contains(s.id))
            .map(|s| PatchChoice { value: format!("seat:{}", s.id), label: format!("Seat: {}", s.name) }),
    );
    Ok(out)
}

fn roles_for(user: &CurrentUser) -> AppResult<Vec<Role>> {
    match user.role {
        Role::Admin => Ok(Role::ALL.to_vec()),
        Role::Organiser => Ok(vec![Role::Volunteer, Role::TeamLeader]),
        _ => Err(AppError::Forbidden),
    }
}

/// A user's patch: (user, region, seat, seat name, region name).
type ScopeRow = (i64, Option<i64>, Option<i64>, Option<String>, Option<String>);
/// An open invitation: (email, name, role, seat, seat name, region name, expiry).
type PendingRow = (String, String, String, Option<i64>, Option<String>, Option<String>, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    active: bool,
}

pub async fn people(store: &Store, user: &CurrentUser) -> AppResult<PeopleView> {
    let roles = roles_for(user)?;
    let patches = patches_for(store, user).await?;
    let seat_ids: Vec<i64> =
        patches.iter().filter_map(|p| p.value.strip_prefix("seat:")?.parse().ok()).collect();
    let rows: Vec<UserRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT id, email, display_name, role, active FROM users ORDER BY active DESC, display_name")
        .fetch_all(pool).await)?;
    let scopes: Vec<ScopeRow> = on_store!(store, pool => sqlx::query_as(
        "SELECT us.user_id, us.region_id, us.seat_id, s.name, r.name FROM user_scopes us
           LEFT JOIN seats s ON s.id = us.seat_id LEFT JOIN regions r ON r.id = us.region_id
          ORDER BY s.name, r.name").fetch_all(pool).await)?;
    // Any audited action (sign-in, door opened, export) or doorstep entry counts.
    let seen: Vec<(i64, DateTime<Utc>)> = on_store!(store, pool => sqlx::query_as(
        "SELECT user_id, MAX(at) FROM (
             SELECT user_id, at FROM audit_log WHERE user_id IS NOT NULL
             UNION ALL
             SELECT v.user_id, c.received_at FROM conversations c JOIN volunteers v ON v.id = c.volunteer_id
              WHERE v.user_id IS NOT NULL) a
          GROUP BY user_id").fetch_all(pool).await)?;
    let seen: HashMap<i64, DateTime<Utc>> = seen.into_iter().collect();
    let mut patch_of: HashMap<i64, (Vec<String>, Vec<i64>, String)> = HashMap::new();
    for (user_id, region_id, seat_id, seat, region) in scopes {
        let entry = patch_of.entry(user_id).or_default();
        entry.0.extend(seat.or(region.map(|r| format!("{r} region"))));
        entry.1.extend(seat_id);
        if entry.2.is_empty() {
            entry.2 = match (seat_id, region_id) {
                (Some(s), _) => format!("seat:{s}"),
                (None, Some(r)) => format!("region:{r}"),
                _ => String::new(),
            };
        }
    }
    let people = rows
        .into_iter()
        .filter_map(|r| {
            let role = Role::parse(&r.role)?;
            let (names, seats, patch_value) = patch_of.remove(&r.id).unwrap_or_default();
            let in_my_seats = seats.iter().any(|s| seat_ids.contains(s));
            let visible = user.role == Role::Admin || in_my_seats || r.id == user.id;
            let may_manage = r.id != user.id
                && (user.role == Role::Admin
                    || (in_my_seats && matches!(role, Role::Volunteer | Role::TeamLeader)));
            visible.then(|| Person {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                role,
                active: r.active,
                patch: if names.is_empty() { "Everywhere".into() } else { names.join(", ") },
                patch_value,
                last_active: seen.get(&r.id).copied(),
                may_manage,
            })
        })
        .collect();
    let pending: Vec<PendingRow> = on_store!(store, pool => sqlx::query_as(
            "SELECT i.email, i.display_name, i.role, i.seat_id, s.name, r.name, i.expires_at
               FROM invitations i LEFT JOIN seats s ON s.id = i.seat_id LEFT JOIN regions r ON r.id = i.region_id
              WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $1 ORDER BY i.created_at DESC")
            .bind(Utc::now()).fetch_all(pool).await)?;
    let invitations = pending
        .into_iter()
        .filter(|p| user.role == Role::Admin || p.3.is_some_and(|s| seat_ids.contains(&s)))
        .filter_map(|(email, display_name, role, _, seat, region, expires_at)| {
            Some(PendingInvitation {
                email,
                display_name,
                role: Role::parse(&role)?,
                patch: seat.or(region.map(|r| format!("{r} region"))).unwrap_or_else(|| "Everywhere".into()),
                expires_at,
            })
        })
        .collect();
    Ok(PeopleView { people, invitations, roles, patches })
}

/// The region or seat a role is given, checked: the giver may give this role and this
/// patch, and the role fits the patch (admins none, regional staff a region, others a seat).
async fn checked_patch(
    store: &Store,
    by: &CurrentUser,
    role: Role,
    patch: &str,
) -> AppResult<(Option<i64>, Option<i64>)> {
    if !roles_for(by)?.contains(&role) {
        return Err(AppError::Forbidden);
    }
    let allowed = patches_for(store, by).await?;
    if !patch.is_empty() && !allowed.iter().any(|p| p.value == patch) {
        return Err(AppError::Forbidden);
    }
    let (region, seat) = match patch.split_once(':') {
        Some(("region", id)) => (id.parse::<i64>().ok(), None),
        Some(("seat", id)) => (None, id.parse::<i64>().ok()),
        _ => (None, None),
    };
    let fits = match role {
        Role::Admin => region.is_none() && seat.is_none(),
        Role::Regional => region.is_some(),
        Role::Organiser | Role::TeamLeader | Role::Volunteer => seat.is_some(),
    };
    if !fits {
        return Err(AppError::BadInput(match role {
            Role::Admin => "Admins see everything: leave the patch empty.".into(),
            Role::Regional => "Regional staff need a region.".into(),
            _ => format!("{} need a seat.", role.label()),
        }));
    }
    Ok((region, seat))
}

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

pub async fn end_sessions(store: &Store, user_id: i64) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Switches an account off (or back on). What they recorded stays; their sessions end.
pub async fn set_active(store: &Store, by: &CurrentUser, user_id: i64, active: bool) -> AppResult<()> {
    let view = people(store, by).await?;
    let target = view.manageable(user_id)?;
    on_store!(store, pool => sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active).bind(user_id).execute(pool).await.map(|_| ()))?;
    if !active {
        end_sessions(store, user_id).await?;
    }
    let what = if active { "reactivated" } else { "deactivated" };
    crate::audit::record(
        store,
        Some(by.id),
        "change",
        "user",
        &user_id.to_string(),
        &format!("{what} {}", target.email),
    )
    .await?;
    Ok(())
}

/// Gives someone a new role and patch (replacing their old patch), as the people screen's
/// "Change" does. The change is in the audit log as before → after.
pub async fn change_role(
    store: &Store,
    by: &CurrentUser,
    user_id: i64,
    role: Role,
    patch: &str,
) -> AppResult<()> {
    let view = people(store, by).await?;
    let target = view.manageable(user_id)?;
    let (region, seat) = checked_patch(store, by, role, patch).await?;
    let before = format!("{} ({})", target.role.label(), target.patch);
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str()).bind(user_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM user_scopes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        if region.is_some() || seat.is_some() {
            sqlx::query("INSERT INTO user_scopes (user_id, region_id, seat_id) VALUES ($1, $2, $3)")
                .bind(user_id).bind(region).bind(seat).execute(&mut *tx).await?;
        }
        Ok::<_, sqlx::Error>(())
    })})).await?;
    // The new patch as the choices name it, without reading everyone again.
    let patch_now = view
        .patches
        .iter()
        .find(|c| c.value == patch)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| "Everywhere".into());
    crate::audit::record(
        store,
        Some(by.id),
        "change",
        "user",
        &user_id.to_string(),
        &format!("{}: {before} → {} ({patch_now})", target.email, role.label()),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
#[path = "queries_tests.rs"]
mod tests;
