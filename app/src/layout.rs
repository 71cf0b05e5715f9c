//! The frame around every page: header, role-dependent navigation, footer, errors.

use crate::auth::{get_current_user, nav_items, CurrentUser, Logout, SignOutButton};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The signed-in user, refetched whenever someone signs in or out.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    /// Bumped by the sign-in page when a sign-in completes.
    pub signed_in: RwSignal<usize>,
    pub logout: ServerAction<Logout>,
}

pub fn provide_session() {
    let signed_in = RwSignal::new(0);
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(move || (signed_in.get(), logout.version().get()), |_| get_current_user());
    provide_context(Session { user, signed_in, logout });
}

#[component]
pub fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"G"</span>
                "Groundwork"
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(user)) => view! { <Nav user/> }.into_any(),
                        _ => view! { <a class="topbar-link" href="/login">"Sign in"</a> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
    }
}

#[component]
fn Nav(user: CurrentUser) -> impl IntoView {
    view! {
        // Whose page this is, for the phone's outbox (public/doorstep.js): entries made on
        // it are sent only while the same account is signed in.
        <nav class="nav" aria-label="Main" data-user=user.id>
            <ul>
                {nav_items(user.role)
                    .into_iter()
                    .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
                    .collect_view()}
            </ul>
            <span class="who">
                <a class="who-name" href="/account" title="Your account">{user.display_name}</a>
                <span class="badge" data-role=user.role.as_str()>{user.role.label()}</span>
            </span>
            <SignOutButton/>
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="footer">
            <p>
                "Groundwork · electors are synthetic in the demo · "
                "Contains OS data © Crown copyright and database right 2014; Royal Mail data © Royal Mail copyright and database right 2014; "
                "National Statistics data © Crown copyright 2014; boundaries by Martin Chorley (CC BY 4.0); "
                "results: House of Commons Library, Open Parliament Licence v3.0."
            </p>
        </footer>
    }
}

/// Shows an error as the user should see it, with the right HTTP status on the server.
/// A visitor who is not signed in is sent to the sign-in page instead.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    if error == AppError::NotSignedIn {
        return view! { <Redirect path="/login"/> }.into_any();
    }
    view! {
        <section class="card notice" role="alert">
            <h1>{match error { AppError::Forbidden => "Not available to you", AppError::NotFound(_) => "Not found", _ => "Something went wrong" }}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to the start"</a></p>
        </section>
    }
    .into_any()
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound("That page".into())/> }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-live="polite">"Loading…"</p> }
}
