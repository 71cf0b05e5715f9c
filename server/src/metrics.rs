//! Prometheus metrics at `/metrics`: requests by route and status, request latency,
//! background jobs, entries waiting for an organiser, conversations stored, and whether
//! the database answers.
//!
//! Who may read them: the figures say how busy the campaign is, so they are not public.
//! With `metrics_token` set, a scraper sends `Authorization: Bearer <token>`; without
//! one, only a client on this machine that did not come through a proxy may read them.

use app::state::AppState;
use axum::extract::{ConnectInfo, MatchedPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Request latency buckets, in seconds: the doorstep target is 100 ms at p99.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's recorder, installed on first use. Metrics are per process: each app
/// server behind a load balancer is scraped on its own.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("groundwork_http_request_duration_seconds".into()),
                    &BUCKETS,
                )
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
                return None;
            }
            // Histogram samples pile up until drained: drain them now and then even
            // when nobody scrapes.
            let upkeep = handle.clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            });
            Some(handle)
        })
        .as_ref()
}

/// Counts every request by method, route pattern (not the raw path, so ids do not make
/// a metric each) and status, and times it.
pub async fn track(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let route = route.unwrap_or_else(|| "other".into());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("groundwork_http_requests_total", "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("groundwork_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

/// May this request read the metrics?
pub fn may_read(settings: &app::state::Settings, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    match &settings.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        None => {
            // A proxy on this machine makes every visitor look local; it says so in these.
            let proxied =
                ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| headers.contains_key(*h));
            !proxied && peer.is_some_and(|p| p.ip().is_loopback())
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics` in the Prometheus text format.
pub async fn metrics(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !may_read(&state.settings, request.headers(), peer) {
        return (StatusCode::FORBIDDEN, "Metrics are readable from this machine, or with the metrics token.")
            .into_response();
    }
    let Some(handle) = handle() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "Metrics are not being recorded.").into_response();
    };
    let open_reviews: Result<(i64,), sqlx::Error> = app::on_store!(&state.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM doorstep_reviews WHERE status = 'open'").fetch_one(pool).await);
    metrics::gauge!("groundwork_database_up").set(if open_reviews.is_ok() { 1.0 } else { 0.0 });
    if let Ok((n,)) = open_reviews {
        metrics::gauge!("groundwork_doorstep_reviews_open").set(n as f64);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::state::Settings;

    fn peer(ip: &str) -> Option<SocketAddr> {
        Some(SocketAddr::new(ip.parse().expect("ip"), 40000))
    }

    #[test]
    fn only_this_machine_reads_the_metrics_without_a_token() {
        let open = Settings::default();
        assert!(may_read(&open, &HeaderMap::new(), peer("127.0.0.1")));
        assert!(may_read(&open, &HeaderMap::new(), peer("::1")));
        assert!(!may_read(&open, &HeaderMap::new(), peer("192.0.2.7")));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", "198.51.100.1".parse().expect("header"));
        assert!(!may_read(&open, &proxied, peer("127.0.0.1")), "a local proxy is not this machine");
    }

    #[test]
    fn with_a_token_set_only_the_token_reads_them() {
        let locked = Settings { metrics_token: Some("s3cret-token".into()), ..Settings::default() };
        assert!(!may_read(&locked, &HeaderMap::new(), peer("127.0.0.1")));
        let mut good = HeaderMap::new();
        good.insert(header::AUTHORIZATION, "Bearer s3cret-token".parse().expect("header"));
        assert!(may_read(&locked, &good, peer("192.0.2.7")));
        let mut bad = HeaderMap::new();
        bad.insert(header::AUTHORIZATION, "Bearer s3cret-tokem".parse().expect("header"));
        assert!(!may_read(&locked, &bad, peer("127.0.0.1")));
    }
}
