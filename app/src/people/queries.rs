//! Accounts and sessions, written once for both databases: who sees whom on the people
//! screen, the roles and patches one may give, switching accounts off and changing roles.

use super::{PatchChoice, PendingInvitation, PeopleView, Person};
use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

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
pub(super) async fn checked_patch(
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
