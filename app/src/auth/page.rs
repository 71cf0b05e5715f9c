//! The sign-in page and the sign-out button. Both are plain HTML forms underneath,
//! so they work before the WebAssembly has loaded, or without it.

use super::Login;
use crate::error::AppError;
use crate::layout::{ErrorView, Session};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    // Made here, under the routes, so that after a post without JavaScript the
    // error the server sends back in the URL (`?__err=`) reaches the form.
    let login = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if login.version().get() > 0 {
            session.signed_in.update(|n| *n += 1);
        }
    });
    let error = move || login.value().get().and_then(Result::err);
    view! {
        <Title text="Sign in"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Someone already signed in has nothing to do here.
                match session.user.await {
                    Ok(Some(_)) => view! { <Redirect path="/"/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <p class="muted">"Groundwork holds personal data about electors. Sign in with the account your organiser gave you."</p>
            // Filled by the phone's outbox when entries made here wait for their account
            // to sign in again (public/doorstep.js); empty otherwise.
            <p class="outbox-status" data-outbox="" role="status" aria-live="polite"></p>
            <ActionForm action=login attr:class="stack" attr:aria-label="Sign in">
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                {move || error().map(|e: AppError| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                <button type="submit" class="button primary">"Sign in"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn SignOutButton() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <ActionForm action=session.logout attr:class="signout">
            <button type="submit" class="button ghost">"Sign out"</button>
        </ActionForm>
    }
}
