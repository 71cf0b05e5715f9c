//! Invitations that expire and work once, switching accounts off, signing out everywhere.

use groundwork_tests::*;
use reqwest::header::{ACCEPT, LOCATION, REFERER};

/// Posts a form as a browser without JavaScript would; returns the status and where it
/// was sent next.
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = browser
        .post(app.url(path))
        .header(ACCEPT, "text/html")
        .header(REFERER, app.url("/people"))
        .form(form)
        .send()
        .await
        .expect("POST");
    let location =
        response.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    (response.status().as_u16(), location)
}

async fn seat_id(app: &TestApp) -> i64 {
    let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT id FROM seats WHERE gss_code = 'E14000611'").fetch_one(pool).await)
    .expect("seat");
    id
}

async fn invite(app: &TestApp, email: &str, role: &str, patch: &str) -> (u16, String) {
    post_form(
        app,
        &app.client,
        "/api/invite",
        &[("email", email), ("display_name", "Nia Newcomer"), ("role", role), ("patch", patch)],
    )
    .await
}

on_both_databases! {
    async fn people_an_invitation_makes_an_account_once(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = format!("seat:{}", seat_id(&app).await);
        app.sign_in(ORGANISER).await;
        let (status, location) = invite(&app, "nia@example.org", "volunteer", &seat).await;
        assert_eq!(status, 302);
        let code = location.split("invited=").nth(1).expect("the code is shown once").to_string();
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations WHERE accepted_at IS NULL").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations WHERE code_hash LIKE '%-%'").await, 0, "only a hash is kept");

        let newcomer = app.new_browser();
        let (status, html) = app.page_with(&newcomer, &format!("/invite/{code}")).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains("Nia Newcomer") && main_of(&html).contains("Volunteer"));
        let (status, _) = post_form(&app, &newcomer, "/api/accept_invitation",
            &[("code", &code), ("password", "a-new-password-1"), ("password_again", "a-new-password-1")]).await;
        assert_eq!(status, 302);
        let (status, html) = app.page_with(&newcomer, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Nia Newcomer"), "signed in as the new account");
        assert_eq!(app.count("SELECT COUNT(*) FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.email = 'nia@example.org'").await, 1,
            "a volunteer record on the seat, ready for walk lists");

        // Typed in again, lower case and with spaces: the same code, already used.
        let again = app.new_browser()
            .post(app.url("/api/accept_invitation"))
            .form(&[("code", code.to_lowercase().replace('-', " ").as_str()), ("password", "another-pass-22"), ("password_again", "another-pass-22")])
            .send().await.expect("again");
        assert_eq!(again.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'nia@example.org'").await, 1);
        app.stop().await;
    }

    async fn people_invitations_expire_and_stay_within_the_inviters_patch(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = format!("seat:{}", seat_id(&app).await);
        app.sign_in(ORGANISER).await;
        // An organiser invites canvassers to their own seats only.
        assert!(invite(&app, "boss@example.org", "organiser", &seat).await.1.contains("__err"), "no organisers");
        assert!(invite(&app, "far@example.org", "volunteer", "seat:999999").await.1.contains("__err"), "no other seats");
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);

        let (_, location) = invite(&app, "late@example.org", "team_leader", &seat).await;
        let code = location.split("invited=").nth(1).expect("code").to_string();
        app::on_store!(&app.store, pool => sqlx::query("UPDATE invitations SET expires_at = $1")
            .bind(chrono::Utc::now() - chrono::Duration::minutes(1)).execute(pool).await.map(|_| ())).expect("expire");
        let (status, html) = app.page_with(&app.new_browser(), &format!("/invite/{code}")).await;
        assert_eq!(status, 404);
        assert!(main_of(&html).contains("expired"));
        let response = app.new_browser().post(app.url("/api/accept_invitation"))
            .form(&[("code", code.as_str()), ("password", "a-new-password-1"), ("password_again", "a-new-password-1")])
            .send().await.expect("accept");
        assert_eq!(response.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'late@example.org'").await, 0);
        app.stop().await;
    }

    async fn people_a_switched_off_account_keeps_its_records_and_loses_its_sessions(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        assert_eq!(app.page_with(&volunteer, "/").await.0, 200);
        let recorded = app.count("SELECT COUNT(*) FROM conversations").await;
        let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM users WHERE email = $1").bind(VOLUNTEER).fetch_one(pool).await).expect("id");

        app.sign_in(ORGANISER).await;
        let (status, _) = post_form(&app, &app.client, "/api/set_active", &[("user_id", &id.to_string()), ("active", "false")]).await;
        assert_eq!(status, 302);
        let (status, _) = app.page_with(&volunteer, "/").await;
        assert!(status == 302 || status == 401, "the volunteer's session has ended ({status})");
        let again = app.sign_in_with(&app.new_browser(), VOLUNTEER, PASSWORD).await;
        assert!(again.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().contains("__err"),
            "a switched-off account cannot sign in");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, recorded, "what they recorded stays");
        let (_, html) = app.page("/people").await;
        assert!(main_of(&html).contains("Switch on"));

        // An organiser cannot switch off an admin.
        let (admin,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM users WHERE email = $1").bind(ADMIN).fetch_one(pool).await).expect("id");
        let refused = app.client.post(app.url("/api/set_active"))
            .form(&[("user_id", admin.to_string()), ("active", "false".into())]).send().await.expect("post");
        assert_eq!(refused.status(), 403);
        app.stop().await;
    }

    async fn people_signing_out_everywhere_ends_every_session(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (phone, laptop) = (app.new_browser(), app.new_browser());
        app.sign_in_with(&phone, ORGANISER, PASSWORD).await;
        app.sign_in_with(&laptop, ORGANISER, PASSWORD).await;
        assert_eq!(app.page_with(&phone, "/seats").await.0, 200);
        let (status, location) = post_form(&app, &laptop, "/api/sign_out_everywhere", &[]).await;
        assert_eq!((status, location.as_str()), (302, "/login"));
        assert_ne!(app.page_with(&phone, "/seats").await.0, 200, "the phone is signed out too");
        assert_ne!(app.page_with(&laptop, "/seats").await.0, 200);
        app.stop().await;
    }
}
