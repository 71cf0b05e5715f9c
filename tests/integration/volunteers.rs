//! Volunteers and canvass sessions: the ladder with its dates, prospects from the
//! doorstep, sign-up within capacity, attendance and hours, team scoping, CSV import and
//! export, and the calendar files.

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

on_both_databases! {
    async fn volunteers_each_step_up_the_ladder_is_dated_and_a_late_entry_does_not_overtake(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let id = add(&app, &organiser, "Ada", "Lovelace").await;
        assert_eq!(stage_of(&app, id).await, "prospect");
        let now = Utc::now();
        queries::move_stage(&app.store, id, Stage::Regular, now, Some(organiser.id), None).await.expect("regular");
        // Recorded late, dated earlier: it goes into the history without overtaking.
        queries::move_stage(&app.store, id, Stage::FirstSession, now - Duration::days(60), Some(organiser.id), Some("late")).await.expect("first");
        assert_eq!(stage_of(&app, id).await, "regular");
        let steps: Vec<(String, DateTime<Utc>)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT stage, at FROM volunteer_stages WHERE volunteer_id = $1 ORDER BY at, id").bind(id).fetch_all(pool).await)
            .expect("steps");
        let stages: Vec<&str> = steps.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stages, ["first_session", "prospect", "regular"]);
        assert!((steps[0].1 - (now - Duration::days(60))).num_seconds().abs() < 2, "the step keeps its date");

        // Through the page's form, as a browser without JavaScript sends it.
        app.sign_in(ORGANISER).await;
        let from = format!("/volunteers/{id}");
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "team_leader".into()), ("on", "2026-01-10".into()), ("note", "leads Ramsbottom".into())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(stage_of(&app, id).await, "regular", "dated before the regular step, so it does not overtake");
        let today = app::canvass_session::uk_time::local(Utc::now()).date().format("%Y-%m-%d").to_string();
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "team_leader".into()), ("on", today)]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(stage_of(&app, id).await, "team_leader");
        let tomorrow_week = (Utc::now() + Duration::days(7)).format("%Y-%m-%d").to_string();
        let (_, location) = post_form(&app, &app.client, "/api/volunteer_stage", &from,
            &[("id", id.to_string()), ("stage", "organiser".into()), ("on", tomorrow_week)]).await;
        assert!(error_in(&location).is_some_and(|e| e.contains("future")), "{location}");
        assert_eq!(stage_of(&app, id).await, "team_leader");

        let (status, html) = app.page(&from).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Ada Lovelace") && main.contains("leads Ramsbottom") && main.contains("Sat 10 Jan 2026"), "{main}");
        app.stop().await;
    }

    async fn volunteers_ready_for_more_and_gone_quiet_are_found(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let keen = add(&app, &organiser, "Keen", "Kestrel").await;
        let quiet = add(&app, &organiser, "Quiet", "Quail").await;
        queries::move_stage(&app.store, keen, Stage::FirstSession, Utc::now(), None, None).await.expect("step");
        queries::move_stage(&app.store, quiet, Stage::Regular, Utc::now(), None, None).await.expect("step");
        for days in [20, 13, 6] {
            let s = session(&app, Duration::days(-days), None, "Library").await;
            app::on_store!(&app.store, pool => sqlx::query(
                "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours) VALUES ($1, $2, TRUE, 3.0)")
                .bind(s).bind(keen).execute(pool).await.map(|_| ())).expect("came");
        }
        let s = session(&app, Duration::days(-42), None, "Library").await;
        app::on_store!(&app.store, pool => sqlx::query(
            "INSERT INTO session_attendance (canvass_session_id, volunteer_id, attended, hours) VALUES ($1, $2, TRUE, 3.0)")
            .bind(s).bind(quiet).execute(pool).await.map(|_| ())).expect("came");

        let list = |show: Show, weeks: i64| {
            let organiser = organiser.clone();
            let app = &app;
            async move {
                let filter = ListFilter { show, weeks, ..ListFilter::default() };
                queries::list(&app.store, &organiser, GSS, filter, Utc::now()).await.expect("list")
            }
        };
        let ready = list(Show::Ready, 4).await;
        let keen_row = ready.volunteers.iter().find(|v| v.id == keen).expect("three sessions at first session: ready");
        assert_eq!(keen_row.ready_for(), Some(Stage::Regular));
        assert_eq!(keen_row.attended, 3);
        assert!(!ready.volunteers.iter().any(|v| v.id == quiet));
        let quiet4 = list(Show::Quiet, 4).await;
        assert!(quiet4.volunteers.iter().any(|v| v.id == quiet), "six weeks without a session is quiet at 4 weeks");
        assert!(!quiet4.volunteers.iter().any(|v| v.id == keen));
        assert!(!list(Show::Quiet, 8).await.volunteers.iter().any(|v| v.id == quiet), "but not at 8 weeks");

        app.sign_in(ORGANISER).await;
        let (status, html) = app.page(&format!("/seats/{GSS}/volunteers?show=ready")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Keen Kestrel") && main.contains("Ready: Regular") && !main.contains("Quiet Quail"), "{main}");
        app.stop().await;
    }

    async fn volunteers_a_doorstep_conversation_makes_one_prospect_however_often_asked(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // A volunteer records a conversation on their list, as the phone does.
        app.sign_in(VOLUNTEER).await;
        let (list, household, elector, first, surname, ward): (i64, i64, i64, String, String, i64) =
            app::on_store!(&app.store, pool => sqlx::query_as(
                "SELECT wl.id, e.household_id, e.id, e.first_name, e.surname, pd.ward_id
                   FROM walk_lists wl
                   JOIN walk_list_assignments a ON a.walk_list_id = wl.id
                   JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
                   JOIN walk_list_households wh ON wh.walk_list_id = wl.id
                   JOIN electors e ON e.household_id = wh.household_id
                   JOIN polling_districts pd ON pd.id = e.polling_district_id
                  WHERE u.email = $1 AND wl.status = 'active' ORDER BY wh.position, e.id LIMIT 1")
                .bind(VOLUNTEER).fetch_one(pool).await).expect("a door with an elector");
        let conversation = uuid::Uuid::new_v4().to_string();
        let response = app.client.post(app.url("/api/doorstep/batch"))
            .json(&json!({ "entries": [{ "id": conversation, "walk_list_id": list, "household_id": household,
                "result": "spoke", "elector_id": elector, "intention": "lab", "intention_source": "said" }] }))
            .send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 200);

        let contact = ProspectContact { phone: Some("07700 900123".into()), consents: vec![Purpose::Sessions], ..ProspectContact::default() };
        let first_time = queries::prospect_from_doorstep(&app.store, &conversation, contact.clone(), None).await.expect("prospect");
        assert!(first_time.created);
        for _ in 0..2 {
            let again = queries::prospect_from_doorstep(&app.store, &conversation, contact.clone(), None).await.expect("again");
            assert_eq!(again.volunteer_id, first_time.volunteer_id);
            assert!(!again.created);
        }
        let (n, stages, consents): (i64, i64, i64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM volunteers WHERE conversation_id = $1),
                    (SELECT COUNT(*) FROM volunteer_stages vs JOIN volunteers v ON v.id = vs.volunteer_id WHERE v.conversation_id = $1),
                    (SELECT COUNT(*) FROM volunteer_consents c JOIN volunteers v ON v.id = c.volunteer_id WHERE v.conversation_id = $1)")
            .bind(&conversation).fetch_one(pool).await).expect("counts");
        assert_eq!((n, stages, consents), (1, 1, 1), "one prospect, one step, one consent");
        let record = queries::record(&app.store, first_time.volunteer_id).await.expect("record");
        assert_eq!((record.first_name.as_str(), record.surname.as_str()), (first.as_str(), surname.as_str()));
        assert_eq!((record.ward_id, record.elector_id, record.stage.as_str(), record.heard_from.as_str()), (Some(ward), Some(elector), "prospect", "doorstep"));
        assert_eq!(record.conversation_id.as_deref(), Some(conversation.as_str()));
        assert!(record.met_at.is_some());

        // The organiser finds them among the new prospects from the doorstep.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (_, html) = app.page_with(&organiser, &format!("/seats/{GSS}/volunteers?show=doorstep")).await;
        let main = main_of(&html);
        assert!(main.contains(&format!("{first} {surname}")) && main.contains("doorstep"), "{main}");
        assert!(queries::prospect_from_doorstep(&app.store, "no-such-conversation", ProspectContact::default(), None).await.is_err());
        app.stop().await;
    }

    async fn sessions_a_volunteer_signs_up_and_a_full_session_refuses(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let id = session(&app, Duration::days(3), Some(2), "Tottington Library").await;
        let from = format!("/sessions/{id}");
        let signed = |app: &TestApp| {
            let q = app.store.clone();
            async move {
                let (n,): (i64,) = app::on_store!(&q, pool => sqlx::query_as(
                    "SELECT COUNT(*) FROM session_attendance WHERE canvass_session_id = $1").bind(id).fetch_one(pool).await)
                    .expect("count");
                n
            }
        };

        // The demo volunteer signs themselves up, twice: one place taken.
        app.sign_in(VOLUNTEER).await;
        let (status, html) = app.page("/sessions").await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(&format!("data-session=\"{id}\"")));
        for _ in 0..2 {
            let (_, location) = post_form(&app, &app.client, "/api/canvass_session_sign_up", &from, &[("session_id", id.to_string())]).await;
            assert_eq!(error_in(&location), None, "{location}");
        }
        assert_eq!(signed(&app).await, 1);
        let (_, html) = app.page(&from).await;
        assert!(main_of(&html).contains("You are signed up"));

        // A volunteer may not sign up someone else.
        let other = add(&app, &organiser, "Other", "Person").await;
        let (_, location) = post_form(&app, &app.client, "/api/canvass_session_sign_up", &from,
            &[("session_id", id.to_string()), ("volunteer_id", other.to_string())]).await;
        assert!(error_in(&location).is_some(), "{location}");
        assert_eq!(signed(&app).await, 1);

        // The organiser signs someone up: the session is full.
        let org = app.new_browser();
        app.sign_in_with(&org, ORGANISER, PASSWORD).await;
        let (_, location) = post_form(&app, &org, "/api/canvass_session_sign_up", &from,
            &[("session_id", id.to_string()), ("volunteer_id", other.to_string())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(signed(&app).await, 2);

        // A second volunteer account finds it full, and is told so.
        let (late, late_browser) = account(&app, "late@example.org", "Lara Late", Role::Volunteer).await;
        let new = NewVolunteer { first_name: "Lara".into(), surname: "Late".into(), user_id: Some(late.id), ..NewVolunteer::default() };
        queries::create(&app.store, &organiser, GSS, new).await.expect("volunteer record");
        let (_, html) = app.page_with(&late_browser, "/sessions").await;
        assert!(main_of(&html).contains("This session is full"), "the card says so before they try");
        let (_, location) = post_form(&app, &late_browser, "/api/canvass_session_sign_up", &from, &[("session_id", id.to_string())]).await;
        let error = error_in(&location).expect("refused");
        assert!(error.contains("this session is full") && error.contains("all 2 places are taken"), "{error}");
        assert_eq!(signed(&app).await, 2);

        // The organiser can cancel a place, and then it is free.
        let (_, location) = post_form(&app, &org, "/api/canvass_session_cancel", &from,
            &[("session_id", id.to_string()), ("volunteer_id", other.to_string())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        let (_, location) = post_form(&app, &late_browser, "/api/canvass_session_sign_up", &from, &[("session_id", id.to_string())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(signed(&app).await, 2);
        app.stop().await;
    }

    async fn sessions_attendance_and_hours_are_recorded_and_reach_the_dashboard(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let seat = seat_id(&app).await;
        let before = app::dashboard::queries::seat_dashboard(&app.store, seat, Utc::now()).await.expect("dashboard").volunteers;
        let past = session(&app, Duration::hours(-5), Some(10), "Ramsbottom Civic Hall").await;
        let prospect = add(&app, &organiser, "Pat", "Prospect").await;
        let regular = add(&app, &organiser, "Reg", "Ular").await;
        // Both joined yesterday.
        app::on_store!(&app.store, pool => sqlx::query("UPDATE volunteer_stages SET at = $1 WHERE volunteer_id IN ($2, $3)")
            .bind(Utc::now() - Duration::days(1)).bind(prospect).bind(regular).execute(pool).await.map(|_| ())).expect("joined");
        let from = format!("/sessions/{past}");
        app.sign_in(ORGANISER).await;
        for v in [prospect, regular] {
            let (_, location) = post_form(&app, &app.client, "/api/canvass_session_sign_up", &from,
                &[("session_id", past.to_string()), ("volunteer_id", v.to_string())]).await;
            assert_eq!(error_in(&location), None, "{location}");
        }
        // Hours left empty: the length of the session. Given: as given.
        let (_, location) = post_form(&app, &app.client, "/api/canvass_session_attendance", &from,
            &[("session_id", past.to_string()), ("volunteer_id", prospect.to_string()), ("attended", "on".into()), ("hours", String::new())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        let (_, location) = post_form(&app, &app.client, "/api/canvass_session_attendance", &from,
            &[("session_id", past.to_string()), ("volunteer_id", regular.to_string()), ("attended", "on".into()), ("hours", "2.5".into())]).await;
        assert_eq!(error_in(&location), None, "{location}");
        let rows: Vec<(i64, bool, Option<f64>)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT volunteer_id, attended, hours FROM session_attendance WHERE canvass_session_id = $1 ORDER BY volunteer_id")
            .bind(past).fetch_all(pool).await).expect("attendance");
        assert_eq!(rows, vec![(prospect, true, Some(3.0)), (regular, true, Some(2.5))]);

        // Coming to a session moved the prospect to "first session", dated that day.
        assert_eq!(stage_of(&app, prospect).await, "first_session");
        let (at,): (DateTime<Utc>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT at FROM volunteer_stages WHERE volunteer_id = $1 AND stage = 'first_session'").bind(prospect).fetch_one(pool).await)
            .expect("step");
        assert!((Utc::now() - Duration::hours(5) - at).num_seconds().abs() < 60, "dated the session's start");

        let after = app::dashboard::queries::seat_dashboard(&app.store, seat, Utc::now()).await.expect("dashboard").volunteers;
        assert!((after.hours - before.hours - 5.5).abs() < 1e-9, "{before:?} → {after:?}");
        assert_eq!(after.sessions_run, before.sessions_run + 1);

        // Not yet started: attendance waits. A volunteer may not record it at all.
        let future = session(&app, Duration::days(2), None, "Library").await;
        let (_, location) = post_form(&app, &app.client, "/api/canvass_session_attendance", &format!("/sessions/{future}"),
            &[("session_id", future.to_string()), ("volunteer_id", regular.to_string()), ("attended", "on".into())]).await;
        assert!(error_in(&location).is_some_and(|e| e.contains("once the session has started")), "{location}");
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let (_, location) = post_form(&app, &volunteer, "/api/canvass_session_attendance", &from,
            &[("session_id", past.to_string()), ("volunteer_id", regular.to_string()), ("hours", "9".into())]).await;
        assert!(error_in(&location).is_some(), "{location}");
        let (hours,): (Option<f64>,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT hours FROM session_attendance WHERE canvass_session_id = $1 AND volunteer_id = $2")
            .bind(past).bind(regular).fetch_one(pool).await).expect("hours");
        assert_eq!(hours, Some(2.5));
        app.stop().await;
    }

    async fn teams_a_team_leader_sees_only_their_own_team(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let (leader_a, browser_a) = account(&app, "lead.a@example.org", "Lena Lead", Role::TeamLeader).await;
        let (leader_b, _) = account(&app, "lead.b@example.org", "Ben Lead", Role::TeamLeader).await;
        let team_a = queries::create_team(&app.store, &organiser, GSS, "Ramsbottom", Some(leader_a.id)).await.expect("team a");
        let team_b = queries::create_team(&app.store, &organiser, GSS, "Tottington", Some(leader_b.id)).await.expect("team b");
        assert!(queries::create_team(&app.store, &organiser, GSS, "ramsbottom", None).await.is_err(), "names are unique in a seat");
        assert!(queries::create_team(&app.store, &leader_a, GSS, "Mine", None).await.is_err(), "team leaders do not make teams");
        let mine = add(&app, &organiser, "Mina", "Member").await;
        let theirs = add(&app, &organiser, "Theo", "Other").await;
        queries::set_team(&app.store, mine, Some(team_a)).await.expect("team");
        queries::set_team(&app.store, theirs, Some(team_b)).await.expect("team");

        let (status, html) = app.page_with(&browser_a, &format!("/seats/{GSS}/volunteers")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Mina Member") && !main.contains("Theo Other"), "{main}");
        assert_eq!(app.page_with(&browser_a, &format!("/volunteers/{mine}")).await.0, 200);
        assert_eq!(app.page_with(&browser_a, &format!("/volunteers/{theirs}")).await.0, 403);
        assert_eq!(app.page_with(&browser_a, &format!("/seats/{GSS}/volunteers.csv")).await.0, 403);
        // A volunteer the leader adds joins their team.
        let added = add(&app, &leader_a, "New", "Recruit").await;
        assert_eq!(queries::record(&app.store, added).await.expect("record").team_id, Some(team_a));

        // Sessions: their team's, not the other team's.
        let ours = session(&app, Duration::days(4), None, "Ramsbottom Civic Hall").await;
        let other = session(&app, Duration::days(5), None, "Tottington Library").await;
        for (s, t) in [(ours, team_a), (other, team_b)] {
            app::on_store!(&app.store, pool => sqlx::query("UPDATE canvass_sessions SET team_id = $2 WHERE id = $1")
                .bind(s).bind(t).execute(pool).await.map(|_| ())).expect("team session");
        }
        assert_eq!(app.page_with(&browser_a, &format!("/sessions/{ours}")).await.0, 200);
        assert_eq!(app.page_with(&browser_a, &format!("/sessions/{other}")).await.0, 403);
        let (_, html) = app.page_with(&browser_a, &format!("/seats/{GSS}/sessions")).await;
        let main = main_of(&html);
        assert!(main.contains(&format!("data-session=\"{ours}\"")) && !main.contains(&format!("data-session=\"{other}\"")));
        let (_, location) = post_form(&app, &browser_a, "/api/canvass_session_sign_up", &format!("/sessions/{other}"),
            &[("session_id", other.to_string()), ("volunteer_id", mine.to_string())]).await;
        assert!(error_in(&location).is_some(), "{location}");

        // A volunteer sees no volunteer list and no one's page; nor do regional staff.
        app.sign_in(VOLUNTEER).await;
        assert_eq!(app.page(&format!("/seats/{GSS}/volunteers")).await.0, 403);
        assert_eq!(app.page(&format!("/volunteers/{mine}")).await.0, 403);
        assert_eq!(app.page(&format!("/seats/{GSS}/volunteers.csv")).await.0, 403);
        let regional = app.new_browser();
        app.sign_in_with(&regional, REGIONAL, PASSWORD).await;
        assert_eq!(app.page_with(&regional, &format!("/seats/{GSS}/volunteers")).await.0, 403);

        // Each view of a volunteer's page is on the record.
        let (views,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND object_type = 'volunteer' AND object_id = $1 AND user_id = $2")
            .bind(mine.to_string()).bind(leader_a.id).fetch_one(pool).await).expect("audit");
        assert_eq!(views, 1);
        app.stop().await;
    }

    async fn volunteers_csv_round_trips_and_a_bad_row_is_named_by_line_and_column(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let ada = add(&app, &organiser, "Ada", "Lovelace").await;
        queries::record_consents(&app.store, ada, &[(Purpose::Sessions, true)], "in person", Some(organiser.id), Utc::now()).await.expect("consent");
        app::on_store!(&app.store, pool => sqlx::query("UPDATE volunteers SET phone = '+44 7700 900123' WHERE id = $1")
            .bind(ada).execute(pool).await.map(|_| ())).expect("phone");
        app.sign_in(ORGANISER).await;
        let export = app.client.get(app.url(&format!("/seats/{GSS}/volunteers.csv"))).send().await.expect("GET");
        assert_eq!(export.status().as_u16(), 200);
        let text = export.text().await.expect("csv");
        let total = app.count("SELECT COUNT(*) FROM volunteers").await;
        assert_eq!(text.lines().count() as i64, total + 1, "a header and a row each");
        assert!(text.contains("'+44 7700 900123"), "a phone number is defused for spreadsheets");
        assert!(text.lines().any(|l| l.starts_with(&format!("{ada},Ada,Lovelace,")) && l.contains(",yes,,,")), "{text}");

        let upload = |body: String| {
            let part = reqwest::multipart::Part::text(body).file_name("volunteers.csv");
            let form = reqwest::multipart::Form::new().part("file", part);
            let client = app.client.clone();
            let url = app.url(&format!("/seats/{GSS}/volunteers/import"));
            async move {
                let response = client.post(url).multipart(form).send().await.expect("POST");
                response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
            }
        };
        // The export reads back with nothing to change.
        let location = upload(text.clone()).await;
        let location = app.url(&location);
        assert_eq!(query_param(&location, "imported"), Some(format!("0,0,{total}")), "{location}");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_consents").await, 1);

        // Bad rows: every one named by line and column, and nothing written.
        let bad = "first_name,surname,email,ward,stage,consent_news\n\
                   Grace,Hopper,grace@example.org,,regular,yes\n\
                   Alan,Turing,alan-at-example,,,\n\
                   Mary,Somerville,,Atlantis,,\n\
                   Ada,\"Byron, Countess\",,,captain,maybe\n";
        let location = app.url(&upload(bad.into()).await);
        let errors = query_param(&location, "import_errors").expect("errors listed");
        assert!(errors.contains("Line 3, email: \"alan-at-example\" is not an email address"), "{errors}");
        assert!(errors.contains("Line 4, ward: \"Atlantis\" is not a ward of this seat"), "{errors}");
        assert!(errors.contains("Line 5, stage") && errors.contains("Line 5, consent_news"), "{errors}");
        assert_eq!(query_param(&location, "rejected").as_deref(), Some("4"));
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteers").await, total, "all or nothing");
        let (_, html) = app.page(&location.replace(&app.base, "")).await;
        assert!(main_of(&html).contains("Nothing was imported"));

        // A good file: one added, one updated with a consent recorded as from the import.
        let good = format!("id,first_name,surname,email,stage,consent_news,availability,drives\n\
                            ,Grace,Hopper,grace@example.org,regular,yes,sat_am wed_eve,yes\n\
                            {ada},Ada,Lovelace,ada@example.org,first_session,no,,\n");
        let location = app.url(&upload(good).await);
        assert_eq!(query_param(&location, "imported"), Some("1,1,0".into()), "{location}");
        let (stage, availability, drives): (String, String, bool) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT stage, availability, drives FROM volunteers WHERE email = 'grace@example.org'").fetch_one(pool).await).expect("grace");
        assert_eq!((stage.as_str(), availability.as_str(), drives), ("regular", "wed_eve sat_am", true));
        assert_eq!(stage_of(&app, ada).await, "first_session");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteer_consents WHERE source = 'CSV import'").await, 2);
        let (exports,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND reason LIKE 'volunteers CSV%'").fetch_one(pool).await).expect("audit");
        assert_eq!(exports, 1);
        app.stop().await;
    }

    async fn sessions_calendar_files_parse_back_with_utc_times_and_the_meeting_point(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let id = session(&app, Duration::days(6), Some(12), "Bury Interchange, stand A; by the café").await;
        let (starts, ends): (DateTime<Utc>, DateTime<Utc>) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT starts_at, ends_at FROM canvass_sessions WHERE id = $1").bind(id).fetch_one(pool).await).expect("times");
        assert_eq!(app.client.get(app.url(&format!("/sessions/{id}/calendar.ics"))).send().await.expect("GET").status().as_u16(), 401);
        app.sign_in(VOLUNTEER).await;
        let response = app.client.get(app.url(&format!("/sessions/{id}/calendar.ics"))).send().await.expect("GET");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/calendar"));
        let text = response.text().await.expect("ics");
        assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends only");
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "folded at 75 octets");
        assert!(text.contains(&format!("DTSTART:{}", starts.format("%Y%m%dT%H%M%SZ"))), "{text}");

        let calendar: icalendar::Calendar = text.parse().expect("parses back");
        use icalendar::{Component, EventLike};
        let events: Vec<&icalendar::Event> = calendar.events().collect();
        assert_eq!(events.len(), 1);
        let event = events[0];
        assert_eq!(event.get_summary(), Some("Test canvass"));
        assert_eq!(event.get_location(), Some("Bury Interchange, stand A; by the café"));
        assert_eq!(event.get_uid(), Some(format!("canvass-session-{id}@groundwork").as_str()));
        let utc = |d: Option<icalendar::DatePerhapsTime>| match d {
            Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => Some(t),
            _ => None,
        };
        let trunc = |t: DateTime<Utc>| t - Duration::nanoseconds(i64::from(t.timestamp_subsec_nanos()));
        assert_eq!(utc(event.get_start()), Some(trunc(starts)));
        assert_eq!(utc(event.get_end()), Some(trunc(ends)));
        assert_eq!(event.property_value("GEO"), Some("53.593300;-2.296600"));

        // The seat's calendar: every upcoming session, no past one.
        let text = app.client.get(app.url(&format!("/seats/{GSS}/sessions.ics"))).send().await.expect("GET").text().await.expect("ics");
        let calendar: icalendar::Calendar = text.parse().expect("parses back");
        let now = Utc::now();
        let seat = seat_id(&app).await;
        let expected = app::canvass_session::queries::in_seat(&app.store, seat).await.expect("sessions")
            .into_iter().filter(|s| s.ends_at >= now).count();
        assert!(expected >= 4, "the demo's three and ours");
        assert_eq!(calendar.events().count(), expected);
        app.stop().await;
    }

    async fn sessions_a_walk_list_is_attached_to_a_session_by_its_organiser(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let id = session(&app, Duration::days(3), None, "Library").await;
        let seat = seat_id(&app).await;
        let (list,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "INSERT INTO walk_lists (seat_id, name, status, created_at) VALUES ($1, 'Spare list', 'active', $2) RETURNING id")
            .bind(seat).bind(Utc::now()).fetch_one(pool).await).expect("list");
        let session_of = |app: &TestApp| {
            let store = app.store.clone();
            async move {
                let (s,): (Option<i64>,) = app::on_store!(&store, pool => sqlx::query_as(
                    "SELECT canvass_session_id FROM walk_lists WHERE id = $1").bind(list).fetch_one(pool).await).expect("list");
                s
            }
        };
        let from = format!("/sessions/{id}");
        let form = [("session_id", id.to_string()), ("walk_list_id", list.to_string())];
        // A volunteer may not.
        app.sign_in(VOLUNTEER).await;
        let (_, location) = post_form(&app, &app.client, "/api/canvass_session_walk_list", &from, &form).await;
        assert!(error_in(&location).is_some(), "{location}");
        assert_eq!(session_of(&app).await, None);
        // The organiser may, once.
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (_, html) = app.page_with(&organiser, &from).await;
        assert!(main_of(&html).contains("Spare list"), "offered on the session page");
        let (_, location) = post_form(&app, &organiser, "/api/canvass_session_walk_list", &from, &form).await;
        assert_eq!(error_in(&location), None, "{location}");
        assert_eq!(session_of(&app).await, Some(id));
        let other = session(&app, Duration::days(4), None, "Library").await;
        let (_, location) = post_form(&app, &organiser, "/api/canvass_session_walk_list", &format!("/sessions/{other}"),
            &[("session_id", other.to_string()), ("walk_list_id", list.to_string())]).await;
        assert!(error_in(&location).is_some_and(|e| e.contains("already on a session")), "{location}");
        assert_eq!(session_of(&app).await, Some(id));
        app.stop().await;
    }

    async fn volunteers_the_edit_form_saves_availability_skills_and_needs(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let organiser = user(&app, ORGANISER).await;
        let id = add(&app, &organiser, "Ada", "Lovelace").await;
        let team = queries::create_team(&app.store, &organiser, GSS, "Ramsbottom", None).await.expect("team");
        let form = |team: i64| {
            vec![
                ("first_name", "Ada".to_string()), ("surname", "Lovelace".into()), ("email", "Ada@Example.org".into()),
                ("phone", "07700 900123".into()), ("availability", "sat_am".into()), ("availability", "wed_eve".into()),
                ("drives", "on".into()), ("languages", "Urdu, Polish".into()), ("needs", "can't do stairs".into()),
                ("heard_from", "friend".into()), ("team_id", team.to_string()),
            ]
        };
        app.sign_in(ORGANISER).await;
        let response = app.client.post(app.url(&format!("/volunteers/{id}/edit"))).form(&form(team)).send().await.expect("POST");
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
        assert!(location.ends_with("?saved=1"), "{location}");
        let v = queries::record(&app.store, id).await.expect("record");
        assert_eq!((v.email.as_deref(), v.availability.as_str(), v.drives), (Some("ada@example.org"), "wed_eve sat_am", true));
        assert_eq!((v.languages.as_str(), v.needs.as_str(), v.heard_from.as_str(), v.team_id), ("Urdu, Polish", "can't do stairs", "friend", Some(team)));
        // A bad email comes back as a message, and nothing changes.
        let mut bad = form(team);
        bad[2].1 = "not-an-email".into();
        let response = app.client.post(app.url(&format!("/volunteers/{id}/edit"))).form(&bad).send().await.expect("POST");
        let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
        assert!(location.contains("error="), "{location}");
        assert_eq!(queries::record(&app.store, id).await.expect("record").email.as_deref(), Some("ada@example.org"));
        // A volunteer cannot edit anyone.
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        let response = volunteer.post(app.url(&format!("/volunteers/{id}/edit"))).form(&form(team)).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 403);
        let (changes,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'change' AND object_type = 'volunteer' AND object_id = $1")
            .bind(id.to_string()).fetch_one(pool).await).expect("audit");
        assert_eq!(changes, 1);
        app.stop().await;
    }
}
