//! The server functions and forms for passwords: changing one's own on `/account`, the
//! reset link an admin makes on `/people` and the page it opens, and withdrawing an
//! invitation. The work is in `credentials.rs`.

use crate::error::AppError;
use crate::layout::{ErrorView, Loading, Session};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// How long a reset link can be used.
pub const RESET_HOURS: i64 = 24;

/// Whose password a reset link sets, shown before they choose it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResetView {
    pub email: String,
    pub display_name: String,
}

/// Signs the device in use in again after its password changed (which ended every session).
#[cfg(feature = "ssr")]
async fn sign_in_here(state: &crate::state::AppState, user_id: i64, how: &str) -> Result<(), AppError> {
    let token = crate::auth::session::create(&state.store, user_id).await?;
    crate::auth::session::set_cookie(&token, state.settings.secure_cookies)?;
    crate::audit::record(&state.store, Some(user_id), "sign_in", "user", &user_id.to_string(), how).await
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_again: String,
) -> Result<(), AppError> {
    use crate::auth::throttle;
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    // A session left open on a shared phone must not become a way to guess the password.
    let address = crate::auth::session::client_address();
    let attempt = throttle::begin(&state.store, &user.email, address.as_deref()).await?;
    tokio::time::sleep(attempt.delay).await;
    match super::credentials::change_password(
        &state.store,
        &user,
        &current_password,
        &password,
        &password_again,
    )
    .await
    {
        Ok(()) => throttle::succeeded(&state.store, &attempt).await?,
        // A wrong current password stays counted; any other refusal was no guess.
        Err(e) if e == super::credentials::wrong_current() => {
            throttle::failed(&state.store, &attempt).await?;
            return Err(e);
        }
        Err(e) => {
            throttle::forget(&state.store, &attempt).await?;
            return Err(e);
        }
    }
    sign_in_here(&state, user.id, "changed their password").await?;
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

/// Makes a reset link for someone's account; the answer is its code (`/reset/<code>`).
#[server(prefix = "/api", endpoint = "reset_link")]
pub async fn reset_link(user_id: i64) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let code = super::credentials::issue_reset(&state.store, &user, user_id, chrono::Utc::now()).await?;
    leptos_axum::redirect(&format!("/people?reset={code}"));
    Ok(code)
}

#[server(prefix = "/api", endpoint = "password_reset")]
pub async fn get_reset(code: String) -> Result<ResetView, AppError> {
    let state = crate::state::app_state()?;
    super::credentials::reset_view(&state.store, &code, chrono::Utc::now()).await
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(code: String, password: String, password_again: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user_id =
        super::credentials::use_reset(&state.store, &code, &password, &password_again, chrono::Utc::now())
            .await?;
    sign_in_here(&state, user_id, "password reset link").await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(prefix = "/api", endpoint = "revoke_invitation")]
pub async fn revoke_invitation(email: String) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    super::credentials::revoke_invitation(&state.store, &user, &email, chrono::Utc::now()).await?;
    leptos_axum::redirect("/people");
    Ok(())
}

/// The account page's "change your password" form.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let changed =
        move || query.read().get("changed").is_some() || change.value().get().is_some_and(|r| r.is_ok());
    let error = move || change.value().get().and_then(Result::err);
    view! {
        <h2>"Change your password"</h2>
        {move || changed().then(|| view! {
            <p class="notice" role="status">"Your password has been changed. Every other device was signed out."</p>
        })}
        <ActionForm action=change attr:class="stack" attr:aria-label="Change your password">
            <label for="current_password">"Current password"</label>
            <input id="current_password" name="current_password" type="password" required autocomplete="current-password"/>
            <label for="new_password">"New password (at least 10 characters)"</label>
            <input id="new_password" name="password" type="password" minlength="10" required autocomplete="new-password"/>
            <label for="new_password_again">"The new password again"</label>
            <input id="new_password_again" name="password_again" type="password" minlength="10" required autocomplete="new-password"/>
            {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
            <button type="submit" class="button secondary">"Change password"</button>
        </ActionForm>
    }
}

/// What the people screen shows once after making a reset link.
#[component]
pub fn ResetLinkNotice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query.read().get("reset").map(|code| {
            view! {
                <section class="card notice" role="status">
                    <h2>"Password reset link made"</h2>
                    <p>"Give this link to the person, and to nobody else. It works once, for "
                        {RESET_HOURS} " hours, and is not shown again."</p>
                    <p class="invite-code"><a href=format!("/reset/{code}")>{format!("/reset/{code}")}</a></p>
                </section>
            }
        })
    }
}

/// Opened from a reset link: the person chooses a new password and is signed in.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let reset = Resource::new(code, get_reset);
    let action = ServerAction::<ResetPassword>::new();
    let error = move || action.value().get().and_then(Result::err);
    let session = expect_context::<Session>();
    Effect::new(move |_| {
        if action.value().get().is_some_and(|r| r.is_ok()) {
            session.signed_in.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match reset.await {
                        Ok(r) => view! {
                            <h1>"Choose a new password"</h1>
                            <p>{r.display_name} ", choose a new password for " <strong>{r.email.clone()}</strong>
                                ". You will be signed out everywhere else."</p>
                            <ActionForm action=action attr:class="stack">
                                <input type="hidden" name="code" value=code()/>
                                <input type="email" value=r.email readonly autocomplete="username" hidden/>
                                <label for="password">"New password (at least 10 characters)"</label>
                                <input id="password" name="password" type="password" minlength="10" required autocomplete="new-password"/>
                                <label for="password_again">"The same password again"</label>
                                <input id="password_again" name="password_again" type="password" minlength="10" required autocomplete="new-password"/>
                                {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                                <button type="submit" class="button primary">"Set my password"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
