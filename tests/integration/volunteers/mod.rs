//! Volunteers and canvass sessions: the volunteer record (`people`) and the sessions they
//! sign up to (`sessions`), with the fixtures both use.

mod people;
mod sessions;

use app::auth::users::{self, NewUser, Patch};
use app::auth::{CurrentUser, Role};
use app::volunteer::queries::{self, NewVolunteer, ProspectContact};
use app::volunteer::{ListFilter, Purpose, Show, Stage};
use chrono::{DateTime, Duration, Utc};
use groundwork_tests::*;
use reqwest::header::{ACCEPT, REFERER};
use serde_json::json;

const GSS: &str = "E14000611";

async fn seat_id(app: &TestApp) -> i64 {
    let (id,): (i64,) =
        app::on_store!(&app.store, pool => sqlx::query_as("SELECT id FROM seats WHERE gss_code = $1")
        .bind(GSS).fetch_one(pool).await)
        .expect("demo seat");
    id
}

async fn user(app: &TestApp, email: &str) -> CurrentUser {
    let (id, display_name, role): (i64, String, String) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT id, display_name, role FROM users WHERE email = $1").bind(email).fetch_one(pool).await)
    .expect("user");
    CurrentUser { id, email: email.into(), display_name, role: Role::parse(&role).expect("role") }
}

/// A new account with the seat as its patch, signed in on a browser of its own.
async fn account(app: &TestApp, email: &str, name: &str, role: Role) -> (CurrentUser, reqwest::Client) {
    let id = users::create(&app.store, NewUser { email, display_name: name, password: PASSWORD, role })
        .await
        .expect("user");
    users::give_patch(&app.store, id, Patch::Seat(seat_id(app).await)).await.expect("patch");
    let browser = app.new_browser();
    app.sign_in_with(&browser, email, PASSWORD).await;
    (CurrentUser { id, email: email.into(), display_name: name.into(), role }, browser)
}

async fn add(app: &TestApp, by: &CurrentUser, first: &str, last: &str) -> i64 {
    let new = NewVolunteer { first_name: first.into(), surname: last.into(), ..NewVolunteer::default() };
    queries::create(&app.store, by, GSS, new).await.expect("volunteer added")
}

async fn stage_of(app: &TestApp, id: i64) -> String {
    let (stage,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT stage FROM volunteers WHERE id = $1").bind(id).fetch_one(pool).await)
    .expect("stage");
    stage
}

/// A session of the demo seat starting `from_now` from now, lasting three hours.
async fn session(app: &TestApp, from_now: Duration, capacity: Option<i64>, meeting_point: &str) -> i64 {
    let starts = Utc::now() + from_now;
    let seat = seat_id(app).await;
    let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point, lat, lon, capacity)
         VALUES ($1, 'Test canvass', $2, $3, $4, 53.5933, -2.2966, $5) RETURNING id")
        .bind(seat).bind(starts).bind(starts + Duration::hours(3)).bind(meeting_point).bind(capacity)
        .fetch_one(pool).await)
    .expect("session");
    id
}

/// Posts a form as a browser without JavaScript does; gives the status and where it was sent.
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    from: &str,
    form: &[(&str, String)],
) -> (u16, String) {
    let response = browser
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .header(REFERER, app.url(from))
        .form(form)
        .send()
        .await
        .expect("POST");
    let location = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .map(|l| if l.starts_with('/') { app.url(l) } else { l.to_string() })
        .unwrap_or_default();
    (response.status().as_u16(), location)
}

/// The error a form post was sent back with (`?__err=`, base64 of the error's JSON), decoded.
fn error_in(location: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).ok()?;
    let err = url.query_pairs().find(|(k, _)| k == "__err").map(|(_, v)| v.into_owned())?;
    Some(base64(&err).unwrap_or(err))
}

fn base64(text: &str) -> Option<String> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        bits = (bits << 6) | u32::from(value(c)?);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

fn query_param(location: &str, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).ok()?;
    let value = url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    value
}
