//! The people who use Groundwork: inviting them with a role and a patch, seeing who is
//! active, switching an account off without losing what it recorded, and signing out
//! everywhere.

#[cfg(feature = "ssr")]
mod codes;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod invitations;
mod page;
mod passwords;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod rights;
#[cfg(feature = "ssr")]
pub mod web;

pub use page::{AccountPage, InvitePage, PeoplePage};
pub use passwords::{ChangePasswordForm, ResetLinkNotice, ResetPage, ResetView, RESET_HOURS};

use crate::auth::Role;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long an invitation can be used.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// The seats or region they may see, as words.
    pub patch: String,
    /// Their (first) patch as the patch choices give it: `seat:12`, `region:3` or empty.
    pub patch_value: String,
    /// Their latest sign-in or doorstep entry.
    pub last_active: Option<DateTime<Utc>>,
    pub may_manage: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub patch: String,
    pub expires_at: DateTime<Utc>,
}

/// A place a person can be given: `seat:12` or `region:3`, with its name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchChoice {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeopleView {
    pub people: Vec<Person>,
    pub invitations: Vec<PendingInvitation>,
    pub roles: Vec<Role>,
    pub patches: Vec<PatchChoice>,
}

#[cfg(feature = "ssr")]
impl PeopleView {
    /// Someone on the screen whom the viewer may change; anyone else is forbidden.
    pub fn manageable(&self, user_id: i64) -> crate::error::AppResult<&Person> {
        self.people.iter().find(|p| p.id == user_id && p.may_manage).ok_or(crate::error::AppError::Forbidden)
    }
}

/// What the invited person sees before choosing a password.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub patch: String,
    pub invited_by: Option<String>,
}

#[server(prefix = "/api", endpoint = "people")]
pub async fn get_people() -> Result<PeopleView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::people(&state.store, &user).await
}

/// Invites someone; the answer is the code (the link is `/invite/<code>`), shown once.
#[server(prefix = "/api", endpoint = "invite")]
pub async fn invite(
    email: String,
    display_name: String,
    role: String,
    patch: String,
) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let role = Role::parse(&role).ok_or_else(|| AppError::BadInput("Choose a role.".into()))?;
    let code =
        invitations::invite(&state.store, &user, &email, &display_name, role, &patch, Utc::now()).await?;
    leptos_axum::redirect(&format!("/people?invited={code}"));
    Ok(code)
}

#[server(prefix = "/api", endpoint = "set_active")]
pub async fn set_active(user_id: i64, active: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::set_active(&state.store, &user, user_id, active == "true").await?;
    leptos_axum::redirect("/people");
    Ok(())
}

/// Gives someone a new role and patch.
#[server(prefix = "/api", endpoint = "change_role")]
pub async fn change_role(user_id: i64, role: String, patch: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let role = Role::parse(&role).ok_or_else(|| AppError::BadInput("Choose a role.".into()))?;
    queries::change_role(&state.store, &user, user_id, role, &patch).await?;
    leptos_axum::redirect("/people");
    Ok(())
}

#[server(prefix = "/api", endpoint = "invitation")]
pub async fn get_invitation(code: String) -> Result<InvitationView, AppError> {
    let state = crate::state::app_state()?;
    invitations::invitation(&state.store, &code, Utc::now()).await
}

/// Sets the new person's password, makes their account and signs them in.
#[server(prefix = "/api", endpoint = "accept_invitation")]
pub async fn accept_invitation(
    code: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if password != password_again {
        return Err(AppError::BadInput("The two passwords are not the same.".into()));
    }
    let user_id = invitations::accept(&state.store, &code, &password, Utc::now()).await?;
    let token = crate::auth::session::create(&state.store, user_id).await?;
    crate::auth::session::set_cookie(&token, state.settings.secure_cookies)?;
    crate::audit::record(
        &state.store,
        Some(user_id),
        "sign_in",
        "user",
        &user_id.to_string(),
        "accepted an invitation",
    )
    .await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends every session of the signed-in user, on every device (a lost phone).
#[server(prefix = "/api", endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::end_sessions(&state.store, user.id).await?;
    crate::auth::session::clear_cookie(state.settings.secure_cookies)?;
    crate::auth::session::clear_site_data()?;
    crate::audit::record(
        &state.store,
        Some(user.id),
        "sign_out",
        "user",
        &user.id.to_string(),
        "every device",
    )
    .await?;
    leptos_axum::redirect("/login");
    Ok(())
}
