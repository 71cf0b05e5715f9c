//! Canvass sessions: sign-up within capacity, attendance and hours, the calendar files,
//! and the walk lists attached to a session.

use super::*;

on_both_databases! {
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
}
