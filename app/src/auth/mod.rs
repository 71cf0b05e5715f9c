//! Who is signed in, and what their role lets them see.

mod page;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod scope;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod users;

pub use page::{LoginPage, SignOutButton};

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Regional,
    Organiser,
    TeamLeader,
    Volunteer,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::Admin, Role::Regional, Role::Organiser, Role::TeamLeader, Role::Volunteer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Regional => "regional",
            Role::Organiser => "organiser",
            Role::TeamLeader => "team_leader",
            Role::Volunteer => "volunteer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Regional => "Regional staff",
            Role::Organiser => "Organiser",
            Role::TeamLeader => "Team leader",
            Role::Volunteer => "Volunteer",
        }
    }

    /// Staff roles plan and compare seats; volunteers only ever see their own lists.
    pub fn sees_seats(self) -> bool {
        matches!(self, Role::Admin | Role::Regional | Role::Organiser)
    }

    /// Who sees electors' names, addresses and canvassers' notes from the seat pages
    /// (follow-up lists, their CSV, subject access): the seat's organisers and admins.
    /// Regional staff compare seats by their figures only.
    pub fn sees_names(self) -> bool {
        matches!(self, Role::Admin | Role::Organiser)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// The navigation a role gets: only the places it is allowed to go.
pub fn nav_items(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Admin => {
            vec![
                ("/", "Home"),
                ("/seats", "Seats"),
                ("/admin/seats", "Seat catalogue"),
                ("/dashboard", "Dashboard"),
                ("/people", "People"),
                ("/settings", "Settings"),
                ("/audit", "Audit log"),
            ]
        }
        Role::Regional => vec![("/", "Home"), ("/seats", "Region's seats"), ("/dashboard", "Dashboard")],
        Role::Organiser => {
            vec![
                ("/", "Home"),
                ("/seats", "My seats"),
                ("/dashboard", "Dashboard"),
                ("/people", "People"),
                ("/audit", "Audit log"),
            ]
        }
        Role::TeamLeader | Role::Volunteer => vec![("/", "My walk lists"), ("/sessions", "Sessions")],
    }
}

#[server(prefix = "/api", endpoint = "me")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    session::current_user().await
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let address = session::client_address();
    // Counted as a failure before the password is checked, then made to wait.
    let attempt = throttle::begin(&state.store, &email, address.as_deref()).await?;
    tokio::time::sleep(attempt.delay).await;
    let user = match password::authenticate(&state.store, &email, &password).await {
        Ok(user) => user,
        Err(e @ AppError::Unavailable(_)) => {
            throttle::forget(&state.store, &attempt).await?;
            return Err(e);
        }
        Err(e) => {
            throttle::failed(&state.store, &attempt).await?;
            return Err(e);
        }
    };
    throttle::succeeded(&state.store, &attempt).await?;
    let token = session::create(&state.store, user.id).await?;
    session::set_cookie(&token, state.settings.secure_cookies)?;
    crate::audit::record(&state.store, Some(user.id), "sign_in", "user", &user.id.to_string(), "login page")
        .await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    if let Some(token) = session::token_from_request() {
        session::delete(&state.store, &token).await?;
    }
    session::clear_cookie(state.settings.secure_cookies)?;
    session::clear_site_data()?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn volunteers_are_never_offered_the_seat_pages() {
        for role in [Role::Volunteer, Role::TeamLeader] {
            assert!(nav_items(role).iter().all(|(href, _)| !href.starts_with("/seats")));
            assert!(nav_items(role).iter().all(|(href, _)| !href.starts_with("/dashboard")));
        }
        for role in [Role::Admin, Role::Regional, Role::Organiser] {
            assert!(nav_items(role).iter().any(|(href, _)| *href == "/seats"));
            assert!(nav_items(role).iter().any(|(href, _)| *href == "/dashboard"));
        }
    }
}
