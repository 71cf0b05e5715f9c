//! An account holder's own data rights: a copy of what is held on their account, and
//! its erasure. Admins answer both. Erasure keeps the row (switched off, nameless, no
//! password) so that what they recorded and the audit log's counts still add up.

use crate::elector::AccessRecord;
use crate::error::{AppError, AppResult};
use crate::store::Store;
use crate::{on_store, on_tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountRecord {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub generated_at: DateTime<Utc>,
    pub account: AccountRecord,
    /// The seats and regions they may see, by name.
    pub patch: Vec<String>,
    /// Devices signed in now.
    pub signed_in_sessions: i64,
    /// Their volunteer records, by id (each has its own copy).
    pub volunteer_records: Vec<i64>,
    pub conversations_recorded: i64,
    /// Their sign-ins, and every change made to their account.
    pub account_log: Vec<AccessRecord>,
    /// How many entries the audit log holds of what they did.
    pub actions_logged: i64,
}

async fn account(store: &Store, id: i64) -> AppResult<AccountRecord> {
    on_store!(store, pool => sqlx::query_as(
        "SELECT id, email, display_name, role, active, created_at, last_seen_at FROM users WHERE id = $1")
        .bind(id).fetch_optional(pool).await)?
    .ok_or_else(|| AppError::NotFound("That account".into()))
}

pub async fn data(store: &Store, id: i64) -> AppResult<AccountData> {
    let account = account(store, id).await?;
    let (patch, (sessions,), volunteers, (recorded,), log, (actions,)) = on_store!(store, pool => {
        let patch: Vec<(String,)> = sqlx::query_as(
            "SELECT COALESCE(s.name, r.name, '') FROM user_scopes us
               LEFT JOIN seats s ON s.id = us.seat_id LEFT JOIN regions r ON r.id = us.region_id
              WHERE us.user_id = $1 ORDER BY 1")
            .bind(id).fetch_all(pool).await?;
        let sessions: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(id).fetch_one(pool).await?;
        let volunteers: Vec<(i64,)> = sqlx::query_as("SELECT id FROM volunteers WHERE user_id = $1 ORDER BY id")
            .bind(id).fetch_all(pool).await?;
        let recorded: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM conversations c JOIN volunteers v ON v.id = c.volunteer_id WHERE v.user_id = $1")
            .bind(id).fetch_one(pool).await?;
        let log: Vec<AccessRecord> = sqlx::query_as(
            "SELECT at, action, object_type || ' ' || COALESCE(object_id, '') AS what, reason FROM audit_log
              WHERE object_type = 'user' AND object_id = $1 ORDER BY at, id")
            .bind(id.to_string()).fetch_all(pool).await?;
        let actions: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE user_id = $1")
            .bind(id).fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((patch, sessions, volunteers, recorded, log, actions))
    })?;
    Ok(AccountData {
        generated_at: Utc::now(),
        account,
        patch: patch.into_iter().map(|(p,)| p).collect(),
        signed_in_sessions: sessions,
        volunteer_records: volunteers.into_iter().map(|(v,)| v).collect(),
        conversations_recorded: recorded,
        account_log: log,
        actions_logged: actions,
    })
}

/// Erases an account in one transaction: switched off, signed out everywhere, its
/// name, email address and password gone (also from the audit log's wording and from
/// invitations to that address). Another admin must do it: nobody erases themselves.
pub async fn erase(store: &Store, id: i64, by: i64) -> AppResult<()> {
    if id == by {
        return Err(AppError::BadInput("Ask another admin to erase your own account.".into()));
    }
    let old = account(store, id).await?;
    let now = Utc::now();
    let email = format!("erased-{id}@erased.invalid");
    store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        sqlx::query(
            "UPDATE users SET email = $2, display_name = 'Erased account', password_hash = '', active = $3,
                    last_seen_at = NULL, erased_at = $4
              WHERE id = $1")
            .bind(id).bind(&email).bind(false).bind(now).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM invitations WHERE email = $1").bind(&old.email).execute(&mut *tx).await?;
        // The log's wording names accounts by email ("deactivated ann@…"): that goes too.
        sqlx::query("UPDATE audit_log SET reason = REPLACE(reason, $1, $2) WHERE reason LIKE '%' || $1 || '%'")
            .bind(&old.email).bind(&email).execute(&mut *tx).await?;
        sqlx::query("UPDATE audit_log SET object_id = $2 WHERE object_type = 'invitation' AND object_id = $1")
            .bind(&old.email).bind(&email).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, action, object_type, object_id, reason)
             VALUES ($1, $2, 'erase', 'user', $3, 'their own request')")
            .bind(now).bind(by).bind(id.to_string()).execute(&mut *tx).await?;
        Ok::<_, sqlx::Error>(())
    })})).await?;
    Ok(())
}

/// Erases an account (admins only; `confirm` must be "erase").
#[leptos::server(prefix = "/api", endpoint = "erase_account")]
pub async fn erase_account(user_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    crate::volunteer::rights::require_admin(&user)?;
    if confirm.as_deref() != Some("erase") {
        return Err(AppError::BadInput("Tick the box to confirm the erasure.".into()));
    }
    erase(&state.store, user_id, user.id).await
}
