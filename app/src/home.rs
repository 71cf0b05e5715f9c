//! The first page after signing in: staff see their seats, volunteers their lists.

use crate::layout::{ErrorView, Loading, Session};
use crate::polling_day::MyPollingDay;
use crate::seat::SeatsList;
use crate::walk_list::AssignedWalkLists;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Title text="Home"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) if user.role.sees_seats() => view! {
                        <h1>"Welcome, " {user.display_name.clone()}</h1>
                        {matches!(user.role, crate::auth::Role::Admin | crate::auth::Role::Organiser).then(|| view! {
                            <p><a href="/doorstep/review">"Doorstep entries to review"</a></p>
                        })}
                        <SeatsList/>
                    }.into_any(),
                    Ok(Some(user)) => view! {
                        <h1>"Hello, " {user.display_name.clone()}</h1>
                        <MyPollingDay/>
                        <AssignedWalkLists/>
                    }.into_any(),
                    Ok(None) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
