use groundwork_tests::*;

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gw_session="))
        .map(str::to_string)
}

on_both_databases! {
    async fn a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        for path in ["/", "/seats", "/seats/E14000611"] {
            let response = app.client.get(app.url(path)).header("accept", "text/html").send().await.expect("GET");
            assert_eq!(response.status().as_u16(), 302, "{path}");
            assert_eq!(response.headers()["location"], "/login", "{path}");
        }
        let (status, html) = app.page("/login").await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains("name=\"password\""));
        app.stop().await;
    }

    async fn signing_in_sets_a_session_cookie_the_browser_cannot_read(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let response = app.sign_in(ORGANISER).await;
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(response.headers()["location"], "/");
        let cookie = session_cookie(&response).expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain HTTP in tests: {cookie}");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in'").await, 1);
        let (status, html) = app.page("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Omar Organiser"));
        app.stop().await;
    }

    async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        for (email, password) in [(ORGANISER, "not-the-password"), ("nobody@example.org", PASSWORD)] {
            let browser = app.new_browser();
            let response = app.sign_in_with(&browser, email, password).await;
            assert!(session_cookie(&response).is_none(), "{email}");
            let location = response.headers()["location"].to_str().expect("location").to_string();
            assert!(location.contains("__err"), "the error travels back to the form: {location}");
            let (status, _) = app.page_with(&browser, "/seats").await;
            assert_eq!(status, 302, "still signed out");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        app.stop().await;
    }

    async fn signing_out_ends_the_session_on_the_server(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let response = app.sign_in(ADMIN).await;
        let cookie = session_cookie(&response).expect("cookie");
        let token = cookie.split(';').next().expect("pair").to_string();
        let response = app.client.post(app.url("/api/logout")).header("accept", "text/html").send().await.expect("logout");
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(response.headers()["location"], "/login");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // Replaying the old cookie by hand gets nowhere.
        let replay = app.new_browser().get(app.url("/seats")).header("accept", "text/html").header("cookie", token).send().await.expect("GET");
        assert_eq!(replay.status().as_u16(), 302);
        app.stop().await;
    }

    async fn each_role_gets_its_own_navigation(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let expectations = [
            (ADMIN, "Admin", vec!["href=\"/seats\">Seats<"]),
            (REGIONAL, "Regional staff", vec!["href=\"/seats\">Region&#x27;s seats<", "href=\"/seats\">Region's seats<"]),
            (ORGANISER, "Organiser", vec!["href=\"/seats\">My seats<"]),
            (VOLUNTEER, "Volunteer", vec!["href=\"/\">My walk lists<"]),
        ];
        for (email, badge, any_of) in expectations {
            let browser = app.new_browser();
            app.sign_in_with(&browser, email, PASSWORD).await;
            let (status, html) = app.page_with(&browser, "/").await;
            assert_eq!(status, 200, "{email}");
            let nav = &html[html.find("<nav").expect("nav")..html.find("</nav>").expect("nav end")];
            assert!(nav.contains(badge), "{email}: {nav}");
            assert!(any_of.iter().any(|link| nav.contains(link)), "{email}: {nav}");
            if email == VOLUNTEER {
                assert!(!nav.contains("/seats"), "volunteers are not offered seat pages: {nav}");
            }
        }
        app.stop().await;
    }
}

on_both_databases! {
    async fn writes_from_another_site_are_refused(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let form = [("email", ORGANISER), ("password", PASSWORD)];
        let from_elsewhere = app.client.post(app.url("/api/login")).header("origin", "https://evil.example").form(&form).send().await.expect("POST");
        assert_eq!(from_elsewhere.status().as_u16(), 403);
        let fetch_metadata = app.client.post(app.url("/api/login")).header("sec-fetch-site", "cross-site").form(&form).send().await.expect("POST");
        assert_eq!(fetch_metadata.status().as_u16(), 403);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        let own_site = app.client.post(app.url("/api/login")).header("origin", app.base.clone()).header("accept", "text/html").form(&form).send().await.expect("POST");
        assert_eq!(own_site.status().as_u16(), 302);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        app.stop().await;
    }

    async fn pages_carry_a_content_security_policy_with_a_fresh_script_nonce(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let mut nonces = Vec::new();
        for _ in 0..2 {
            let response = app.client.get(app.url("/login")).send().await.expect("GET");
            let csp = response.headers()["content-security-policy"].to_str().expect("csp").to_string();
            assert!(!csp.contains("script-src 'unsafe-inline'") && csp.contains("frame-ancestors 'none'"), "{csp}");
            let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce").to_string();
            let html = response.text().await.expect("body");
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the page's scripts carry the header's nonce");
            nonces.push(nonce);
        }
        assert_ne!(nonces[0], nonces[1], "a new nonce for every response");
        app.stop().await;
    }
}

on_both_databases! {
    async fn the_audit_log_is_searchable_by_admins_and_scoped_for_organisers(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // An organiser of another seat, whose actions the demo organiser must not see.
        app::auth::users::create(&app.store, app::auth::users::NewUser {
            email: "elsewhere@example.org", display_name: "Elsewhere", password: PASSWORD, role: app::auth::Role::Organiser,
        }).await.expect("user");
        let elsewhere = app.new_browser();
        app.sign_in_with(&elsewhere, "elsewhere@example.org", PASSWORD).await;
        app.sign_in(ORGANISER).await;
        let export = app.client.get(app.url("/seats/E14000611/export/households.csv")).send().await.expect("GET");
        assert_eq!(export.status().as_u16(), 200);

        let (status, html) = app.page("/audit?action=export").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("organiser@demo.groundwork.example") && main.contains("CSV export households.csv"), "{main}");
        let (_, html) = app.page("/audit?text=elsewhere").await;
        assert!(!main_of(&html).contains("elsewhere@example.org"), "another seat's organiser is out of this organiser's view");

        let admin = app.new_browser();
        app.sign_in_with(&admin, ADMIN, PASSWORD).await;
        let (_, html) = app.page_with(&admin, "/audit?text=elsewhere").await;
        assert!(main_of(&html).contains("elsewhere@example.org"), "admins see everything");

        let volunteer = app.new_browser();
        app.sign_in_with(&volunteer, VOLUNTEER, PASSWORD).await;
        assert_eq!(app.page_with(&volunteer, "/audit").await.0, 403);
        // Searching the log is itself logged.
        assert!(app.count("SELECT COUNT(*) FROM audit_log WHERE object_type = 'audit_log'").await >= 3);
        app.stop().await;
    }
}
