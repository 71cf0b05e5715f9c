//! The axum router: Leptos pages and server functions, static files, health, headers.

use app::state::AppState;
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::Method;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// Bodies bigger than this are refused before any handler reads them.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The app's routes, worked out once per process. Leptos suppresses resource loading
/// process-wide while it generates them, so doing it again while another server in the
/// same process is rendering (as the tests do) could leave that render waiting forever.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The routes served by plain axum handlers (downloads, uploads, health), each with its
/// method. Listed once, here, so the permission matrix can tell when one has no row.
fn plain_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    use app::canvass_session::web as canvass_session;
    use app::dashboard::web as dashboard;
    use app::volunteer::web as volunteer;
    vec![
        (Method::GET, "/health", get(health)),
        (Method::GET, "/metrics", get(crate::metrics::metrics)),
        (Method::GET, "/sw.js", get(crate::offline::service_worker)),
        (Method::POST, "/api/doorstep/record", post(app::doorstep::web::record)),
        (Method::GET, "/seats/{gss}/export/{file}", get(app::seat::web::export)),
        (Method::POST, "/seats/{gss}/register/{id}/columns", post(app::register::web::map_columns)),
        (Method::GET, "/seats/{gss}/map.json", get(app::turf::web::map_json)),
        (Method::GET, "/electors/{id}/{file}", get(app::elector::web::subject_access)),
        (Method::GET, "/dashboard/export/league.csv", get(dashboard::league_csv)),
        (Method::GET, "/dashboard/export/{gss}/{table}", get(dashboard::seat_csv)),
        (Method::GET, "/seats/{gss}/volunteers.csv", get(volunteer::export_csv)),
        (Method::POST, "/seats/{gss}/volunteers/import", post(volunteer::import_csv)),
        (Method::POST, "/volunteers/{id}/edit", post(volunteer::edit)),
        (Method::GET, "/volunteers/{id}/{file}", get(app::people::web::volunteer)),
        (Method::GET, "/people/{id}/{file}", get(app::people::web::account)),
        (Method::GET, "/account/data.json", get(app::people::web::mine)),
        (Method::GET, "/sessions/{id}/calendar.ics", get(canvass_session::one_session)),
        (Method::GET, "/seats/{gss}/sessions.ics", get(canvass_session::seat_sessions)),
        (Method::POST, "/seats/{gss}/polling-day/setup", post(app::polling_day::web::save_setup)),
        (Method::POST, "/seats/{gss}/polling-day/counts", post(app::polling_day::web::save_count)),
        (Method::POST, "/poll/{gss}/telling", post(app::polling_day::web::telling_form)),
        (Method::POST, "/poll/{gss}/knock-up", post(app::polling_day::web::knock_up_form)),
        (
            Method::POST,
            "/seats/{gss}/polling-day/postal/import",
            post(app::polling_day::web::postal::import_postal),
        ),
        (Method::POST, "/seats/{gss}/polling-day/postal/chase", post(app::polling_day::web::postal::chase)),
        (
            Method::POST,
            "/seats/{gss}/polling-day/marked-register",
            post(app::polling_day::web::postal::import_marked),
        ),
    ]
}

/// Register files are big; everything else is held to a small body.
const UPLOAD: &str = "/seats/{gss}/register/upload";

/// Every route the server answers, as "METHOD /path": pages, server functions and
/// plain handlers. The permission matrix test checks it has a row for each.
pub fn inventory() -> Vec<String> {
    let mut all: Vec<String> = route_list()
        .iter()
        .flat_map(|r| r.methods().map(move |m| format!("{} {}", format!("{m:?}").to_uppercase(), r.path())))
        .collect();
    all.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, method)| format!("{method} {path}")));
    all.extend(plain_routes().into_iter().map(|(method, path, _)| format!("{method} {path}")));
    all.push(format!("POST {UPLOAD}"));
    all.sort();
    all.dedup();
    all
}

pub fn router(state: AppState) -> Router {
    crate::metrics::handle();
    let routes = route_list();
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    let uploads = Router::new()
        .route(UPLOAD, post(app::register::web::upload))
        .layer(DefaultBodyLimit::max(app::register::web::MAX_UPLOAD_BYTES));
    let plain =
        plain_routes().into_iter().fold(Router::new(), |r, (_, path, handler)| r.route(path, handler));
    let secure = state.settings.secure_cookies;
    let router = Router::new()
        .merge(plain)
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(forget_when_signed_out))
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("x-groundwork-build"),
            crate::offline::build_header(&state),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .with_state(state);
    // Served over HTTPS (which is what secure cookies mean): browsers are told to use
    // nothing else, so a first visit typed as http:// is not open to a downgrade.
    if secure {
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
    } else {
        router
    }
}

/// A 401 (a session that ended, or a phone whose user signed out elsewhere) also tells
/// the browser to forget what it cached while signed in.
async fn forget_when_signed_out(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static(app::auth::session::CLEAR_SITE_DATA),
        );
    }
    response
}

/// Liveness and database reachability, for load balancers and tests.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => {
            (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": state.store.backend() })))
        }
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "database unreachable" })))
        }
    }
}

/// Serves the app on an already-bound listener until the process is stopped.
pub async fn run(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).await
}

/// A server function that fails answers with the status its error means (401, 403, 404,
/// 400…) instead of a blanket 500, so phones, load balancers and logs can tell a refusal
/// from a fault. The body, the error's plain message, is unchanged.
async fn server_fn_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !is_api || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Cross-site request forgery: a state-changing request must come from our own pages.
/// Browsers say where a request came from (`Sec-Fetch-Site`, `Origin`); a write from
/// another site is refused before it reaches any handler. (Session cookies are also
/// `SameSite=Lax`, so such a request would arrive signed out anyway.)
async fn refuse_cross_site_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && is_cross_site(request.headers()) {
        return (StatusCode::FORBIDDEN, "This form was sent from another site, so it was refused.")
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // Only our own pages (`same-origin`) or the user's own action (`none`: typed, a
    // bookmark) may write. `same-site` is refused too: a sibling subdomain (another
    // party's app, a compromised blog) is not us.
    if let Some(site) = get("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (get("origin"), get("host")) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) != Some(host),
        _ => false,
    }
}
