//! Groundwork's pages and server functions, shared by the server (feature `ssr`) and
//! the browser (feature `hydrate`).

// Release builds without `--cfg erase_components` nest the larger pages' view types deeper
// than the default limit allows.
#![recursion_limit = "512"]

pub mod audit;
pub mod auth;
pub mod canvass_session;
pub mod dashboard;
pub mod doorstep;
pub mod elector;
pub mod error;
pub mod format;
mod home;
pub mod ids;
mod layout;
pub mod people;
pub mod polling_day;
pub mod register;
pub mod seat;
pub mod settings;
pub mod turf;
pub mod volunteer;
pub mod walk_list;

#[cfg(feature = "ssr")]
pub mod csv_file;
#[cfg(all(test, feature = "ssr"))]
mod parser_fuzz;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                // The phone's outbox and the service worker's registration: a small script
                // of its own (public/doorstep.js, with the door form's checks in
                // public/door-checks.js), so it runs before (or without) the wasm.
                {PAGE_SCRIPTS.map(|src| view! {
                    <script nonce=leptos::nonce::use_nonce().map(|n| n.to_string()) src=src defer></script>
                })}
                {loads_wasm().then(move || view! { <HydrationScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Whether the page loads the WebAssembly. A volunteer's whole first visit does not: the
/// sign-in page, the home page with their lists, the doorstep pages (`/walk/…`) and the
/// polling-day pages for tellers and knockers-up (`/poll/…`) are
/// server-rendered with plain forms and the small outbox script, so a phone on a weak
/// signal downloads a few kilobytes instead of the whole app, and the service worker can
/// serve them with no signal. Staff load it on the first page that needs it.
fn loads_wasm() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_none_or(|parts| !is_plain_page(parts.uri.path()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// The pages served without the WebAssembly (see [`loads_wasm`]).
pub fn is_plain_page(path: &str) -> bool {
    matches!(path, "/" | "/login") || path.starts_with("/walk/") || path.starts_with("/poll/")
}

/// Scripts run only with this response's nonce (Leptos puts it on its own scripts), so an
/// injected inline script does not run. Styles may be inline for the server-drawn SVG charts.
/// The one service worker (`/sw.js`, the offline doorstep) must come from this origin.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    set_policy("");
}

/// The map page with map tiles configured: images may also come from the tile server's
/// origin (already checked by `turf::tile_origin`). Scripts stay exactly as strict.
#[cfg(feature = "ssr")]
pub fn allow_map_tiles_from(origin: &str) {
    set_policy(origin);
}

#[cfg(feature = "ssr")]
fn set_policy(extra_img_src: &str) {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let img = if extra_img_src.is_empty() { String::new() } else { format!(" {extra_img_src}") };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:{img}; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
         worker-src 'self'; manifest-src 'self'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The signed-in user and the sign-in/out actions, made inside the router so that a
/// form posted without JavaScript finds its error (`?__err=`) in the URL.
#[component]
fn Session(children: Children) -> impl IntoView {
    layout::provide_session();
    children()
}

/// What every page loads before (or without) the wasm: the doorstep outbox and the door
/// form's checks; the service worker keeps them too.
pub const PAGE_SCRIPTS: [&str; 2] = ["/doorstep.js", "/door-checks.js"];

/// The features' own style sheets (`public/css/`), linked after the built one
/// (`style/main.css`) on every page, in this order; the service worker keeps them too.
pub const FEATURE_STYLESHEETS: [&str; 3] = ["/css/doorstep.css", "/css/turf.css", "/css/polling.css"];

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Stylesheet id="leptos" href="/pkg/groundwork.css"/>
        {FEATURE_STYLESHEETS.map(|href| view! { <Stylesheet href/> })}
        <Meta name="theme-color" content="#1d4d3a"/>
        <Link rel="icon" href="/favicon.svg"/>
        <Title formatter=|page: String| if page.is_empty() { "Groundwork".to_string() } else { format!("{page} · Groundwork") }/>
        <Router>
            <Session>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <layout::Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=layout::NotFound>
                    <Route path=path!("/login") view=auth::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/people") view=people::PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/invite") view=people::InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:code") view=people::InvitePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=people::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset/:code") view=people::ResetPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=audit::page::AuditLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/settings") view=settings::SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/seats") view=seat::SeatsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/seats") view=seat::CataloguePage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss") view=seat::SeatPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/register") view=register::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/register/:id") view=register::UploadPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/electors") view=elector::ElectorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/electors/:id") view=elector::ElectorPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=dashboard::LeaguePage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/seats/:gss") view=dashboard::SeatDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/seats/:gss/follow-ups") view=dashboard::FollowUpsPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/map") view=turf::TurfPage ssr=SsrMode::Async/>
                    <Route path=path!("/lists/:id/print") view=turf::WalkSheetPage ssr=SsrMode::Async/>
                    <Route path=path!("/returns") view=turf::ReturnsPage ssr=SsrMode::Async/>
                    <Route path=path!("/returns/:code") view=turf::ReturnsPage ssr=SsrMode::Async/>
                    <Route path=path!("/walk/:id") view=doorstep::WalkPage ssr=SsrMode::Async/>
                    <Route path=path!("/walk/:id/door/:household_id") view=doorstep::DoorPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/volunteers") view=volunteer::VolunteersPage ssr=SsrMode::Async/>
                    <Route path=path!("/volunteers/:id") view=volunteer::VolunteerPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/sessions") view=canvass_session::SeatSessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions") view=canvass_session::MySessionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/sessions/:id") view=canvass_session::SessionPage ssr=SsrMode::Async/>
                    <Route path=path!("/doorstep/review") view=doorstep::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/polling-day") view=polling_day::PollingDayPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/polling-day/setup") view=polling_day::PollingDaySetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/seats/:gss/polling-day/postal") view=polling_day::PostalPage ssr=SsrMode::Async/>
                    <Route path=path!("/poll/:gss/telling") view=polling_day::TellingPage ssr=SsrMode::Async/>
                    <Route path=path!("/poll/:gss/knock-up") view=polling_day::KnockUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/regions/:region/polling-day") view=polling_day::RegionPollingDayPage ssr=SsrMode::Async/>
                    <Route path=path!("/regions/:region/polling-day/wall") view=polling_day::RegionWallScreenPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <layout::Footer/>
            </Session>
        </Router>
    }
}
