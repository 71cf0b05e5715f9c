//! The axum router: Leptos pages and server functions, static files, health, headers.

use app::state::AppState;
use app::{shell, App};
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
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

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    // Register files are big; everything else is held to a small body.
    let uploads = Router::new()
        .route("/seats/{gss}/register/upload", post(crate::register_upload::upload))
        .layer(DefaultBodyLimit::max(crate::register_upload::MAX_UPLOAD_BYTES));
    Router::new()
        .route("/health", get(health))
        .route("/seats/{gss}/export/{file}", get(crate::export::export))
        .route("/seats/{gss}/map.json", get(crate::turf_map::map_json))
        .merge(app::dashboard::export::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        .layer(CompressionLayer::new())
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
        .with_state(state)
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
    if let Some(site) = get("sec-fetch-site") {
        return site == "cross-site";
    }
    match (get("origin"), get("host")) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) != Some(host),
        _ => false,
    }
}
