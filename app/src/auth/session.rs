//! Database-backed sessions: the cookie holds a random token, the database its hash.

use super::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::on_store;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use http::header::{COOKIE, SET_COOKIE};
use http::HeaderValue;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "gw_session";
const LIFETIME_DAYS: i64 = 14;

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn create(store: &Store, user_id: i64) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token)).bind(user_id).bind(now).bind(now + Duration::days(LIFETIME_DAYS))
        .execute(pool).await.map(|_| ()))?;
    Ok(token)
}

pub async fn delete(store: &Store, token: &str) -> AppResult<()> {
    on_store!(store, pool => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token)).execute(pool).await.map(|_| ()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionUser {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    expires_at: DateTime<Utc>,
}

/// The active user a session token belongs to, if the session is live.
pub async fn user_for_token(store: &Store, token: &str) -> AppResult<Option<CurrentUser>> {
    let row: Option<SessionUser> = on_store!(store, pool => sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, s.expires_at
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1 AND u.active")
        .bind(token_hash(token)).fetch_optional(pool).await)?;
    Ok(row.filter(|r| r.expires_at > Utc::now()).and_then(|r| {
        Some(CurrentUser {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            role: Role::parse(&r.role)?,
        })
    }))
}

/// The signed-in user of a plain axum request (downloads, uploads).
pub async fn user_from_headers(store: &Store, headers: &http::HeaderMap) -> AppResult<CurrentUser> {
    let token = token_from_headers(headers).ok_or(AppError::NotSignedIn)?;
    user_for_token(store, &token).await?.ok_or(AppError::NotSignedIn)
}

/// The session token from the request's cookie, when there is one.
pub fn token_from_request() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    token_from_headers(&parts.headers)
}

pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
}

/// The address the request came from: the TCP peer, or, when the peer is one of the
/// configured trusted proxies, the client it says it forwarded for.
pub fn client_address() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?.0.ip();
    let trusted = crate::state::app_state().map(|s| s.settings.trusted_proxies).unwrap_or_default();
    Some(address_behind_proxies(peer, &parts.headers, &trusted).to_string())
}

/// Reads `X-Forwarded-For` from the right, skipping our own proxies: the first address
/// that is not one of them is the client. Anything further left was written by the
/// client itself and could be anything, so it is never believed; nor is the header at
/// all when the peer is not a trusted proxy.
pub fn address_behind_proxies(
    peer: std::net::IpAddr,
    headers: &http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            // A hop we cannot read: stop at the last address we could trust.
            Err(_) => return client,
        }
    }
    client
}

/// The signed-in user of the current request (page render or server function).
pub async fn current_user() -> AppResult<Option<CurrentUser>> {
    let Some(token) = token_from_request() else { return Ok(None) };
    let state = crate::state::app_state()?;
    user_for_token(&state.store, &token).await
}

pub async fn require_user() -> AppResult<CurrentUser> {
    current_user().await?.ok_or(AppError::NotSignedIn)
}

fn cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

fn append_set_cookie(value: String) -> AppResult<()> {
    let response =
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    response.append_header(SET_COOKIE, HeaderValue::from_str(&value).map_err(|_| AppError::Internal)?);
    Ok(())
}

pub fn set_cookie(token: &str, secure: bool) -> AppResult<()> {
    append_set_cookie(cookie(token, LIFETIME_DAYS * 86_400, secure))
}

pub fn clear_cookie(secure: bool) -> AppResult<()> {
    append_set_cookie(cookie("", 0, secure))
}

/// What a browser is asked to forget when its user signs out (and on every 401): its
/// HTTP cache, so pages seen signed in are not shown again. Not "storage": that would
/// also wipe the phone's outbox of entries not yet sent, which are kept for their own
/// user (the service worker drops the cached walk pages itself).
pub const CLEAR_SITE_DATA: &str = "\"cache\"";

pub fn clear_site_data() -> AppResult<()> {
    let response =
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>().ok_or(AppError::Internal)?;
    response.insert_header(
        http::HeaderName::from_static("clear-site-data"),
        HeaderValue::from_static(CLEAR_SITE_DATA),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut headers = http::HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark; gw_session=abc123; other=1"));
        assert_eq!(token_from_headers(&headers).as_deref(), Some("abc123"));
        assert_eq!(token_from_headers(&http::HeaderMap::new()), None);
    }

    #[test]
    fn a_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let mut headers = http::HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7, 10.0.0.2"));
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        // From the proxy: the last address our proxies did not add; the client's own claim is ignored.
        assert_eq!(address_behind_proxies(ip("10.0.0.1"), &headers, &proxies), ip("203.0.113.7"));
        // From anyone else, the header is not believed at all.
        assert_eq!(address_behind_proxies(ip("198.51.100.9"), &headers, &proxies), ip("198.51.100.9"));
        assert_eq!(address_behind_proxies(ip("10.0.0.1"), &headers, &[]), ip("10.0.0.1"));
        // No header, or nonsense: the proxy's own address.
        assert_eq!(address_behind_proxies(ip("10.0.0.1"), &http::HeaderMap::new(), &proxies), ip("10.0.0.1"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("not-an-address"));
        assert_eq!(address_behind_proxies(ip("10.0.0.1"), &headers, &proxies), ip("10.0.0.1"));
    }

    #[test]
    fn the_cookie_is_http_only_and_secure_only_over_https() {
        assert!(cookie("t", 10, false).contains("HttpOnly; SameSite=Lax"));
        assert!(!cookie("t", 10, false).contains("Secure"));
        assert!(cookie("t", 10, true).ends_with("; Secure"));
    }
}
