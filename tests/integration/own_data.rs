//! Volunteers and account holders have their own subject access and erasure: an admin
//! downloads what is held on a volunteer record or an account, and erases it, and the
//! counts (conversations recorded, attendance, the audit log) stay.

use groundwork_tests::*;

async fn ids(app: &TestApp) -> (i64, i64) {
    app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT v.id, u.id FROM users u JOIN volunteers v ON v.user_id = u.id WHERE u.email = $1 ORDER BY v.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the demo volunteer has a volunteer record")
}

async fn after_name(app: &TestApp, volunteer: i64) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM volunteers v JOIN users u ON u.id = v.user_id
          WHERE v.id = $1 AND v.surname <> 'volunteer'").bind(volunteer).fetch_one(pool).await)
    .expect("count");
    n
}

async fn post(app: &TestApp, path: &str, form: &[(&str, String)]) -> u16 {
    app.client.post(app.url(path)).form(form).send().await.expect("post").status().as_u16()
}

on_both_databases! {
    async fn own_data_a_volunteer_record_is_downloaded_and_erased_by_an_admin(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (volunteer, _) = ids(&app).await;
        let path = format!("/volunteers/{volunteer}/data.json");
        app.sign_in(ORGANISER).await;
        assert_eq!(app.client.get(app.url(&path)).send().await.expect("get").status(), 403, "admins answer requests");
        assert_eq!(post(&app, "/api/erase_volunteer", &[("id", volunteer.to_string()), ("confirm", "erase".into())]).await, 403);

        app.sign_in(ADMIN).await;
        let response = app.client.get(app.url(&path)).send().await.expect("get");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-disposition"].to_str().unwrap_or("").contains("attachment"));
        let data: serde_json::Value = response.json().await.expect("JSON");
        let (first,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT first_name FROM volunteers WHERE id = $1").bind(volunteer).fetch_one(pool).await).expect("name");
        assert_eq!(data["record"]["first_name"], first.as_str());
        assert!(!data["walk_lists"].as_array().expect("lists").is_empty(), "the lists they were given");
        let recorded = data["conversations_recorded"].as_i64().expect("count");

        let count = |sql: &'static str| app.count(sql);
        let attendance = count("SELECT COUNT(*) FROM session_attendance").await;
        assert_eq!(post(&app, "/api/erase_volunteer", &[("id", volunteer.to_string())]).await, 400, "confirm first");
        assert_eq!(post(&app, "/api/erase_volunteer", &[("id", volunteer.to_string()), ("confirm", "erase".into())]).await, 200);
        let (email, first, erased): (Option<String>, String, Option<chrono::DateTime<chrono::Utc>>) =
            app::on_store!(&app.store, pool => sqlx::query_as(
                "SELECT email, first_name, erased_at FROM volunteers WHERE id = $1").bind(volunteer).fetch_one(pool).await)
            .expect("row kept");
        assert_eq!((email, first.as_str()), (None, "Erased"));
        assert_eq!(after_name(&app, volunteer).await, 0, "the old name is nowhere on the record");
        assert!(erased.is_some());
        let after: serde_json::Value = app.client.get(app.url(&path)).send().await.expect("get").json().await.expect("JSON");
        assert_eq!(after["conversations_recorded"].as_i64(), Some(recorded), "what they recorded still counts");
        assert_eq!(count("SELECT COUNT(*) FROM session_attendance").await, attendance);
        assert_eq!(count("SELECT COUNT(*) FROM audit_log WHERE action = 'erase' AND object_type = 'volunteer'").await, 1);
        app.stop().await;
    }

    async fn own_data_an_account_is_downloaded_and_erased_by_another_admin(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let (_, user) = ids(&app).await;
        let phone = app.new_browser();
        app.sign_in_with(&phone, VOLUNTEER, PASSWORD).await;
        app.sign_in(ADMIN).await;
        let path = format!("/people/{user}/data.json");
        let data: serde_json::Value = app.client.get(app.url(&path)).send().await.expect("get").json().await.expect("JSON");
        assert_eq!(data["account"]["email"], VOLUNTEER);
        assert!(data["signed_in_sessions"].as_i64() >= Some(1));
        let conversations = app.count("SELECT COUNT(*) FROM conversations").await;

        let (admin,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(ADMIN).fetch_one(pool).await).expect("admin");
        assert_eq!(post(&app, "/api/erase_account", &[("user_id", admin.to_string()), ("confirm", "erase".into())]).await, 400,
            "nobody erases their own account");
        assert_eq!(post(&app, "/api/erase_account", &[("user_id", user.to_string()), ("confirm", "erase".into())]).await, 200);
        let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM users WHERE email = $1) + (SELECT COUNT(*) FROM audit_log WHERE reason LIKE $2)
                  + (SELECT COUNT(*) FROM sessions WHERE user_id = $3)")
            .bind(VOLUNTEER).bind(format!("%{VOLUNTEER}%")).bind(user).fetch_one(pool).await).expect("count");
        assert_eq!(n, 0, "no email address left, no session");
        // Anyone signed in is refused a subject access copy (403); nobody signed in, 401.
        let signed_in = |browser: reqwest::Client| {
            let url = app.url("/electors/1/subject-access.json");
            async move { browser.get(url).send().await.expect("get").status().as_u16() != 401 }
        };
        assert!(!signed_in(phone).await, "the phone is signed out");
        let again = app.new_browser();
        app.sign_in_with(&again, VOLUNTEER, PASSWORD).await;
        assert!(!signed_in(again).await, "the account cannot sign in");
        let other = app.new_browser();
        app.sign_in_with(&other, ORGANISER, PASSWORD).await;
        assert!(signed_in(other).await, "the check tells signed in from not");
        assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, conversations, "what they recorded stays");
        app.stop().await;
    }

    async fn own_data_anyone_signed_in_downloads_their_own_account_from_the_account_page(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let phone = app.new_browser();
        assert_eq!(phone.get(app.url("/account/data.json")).send().await.expect("get").status(), 401);
        app.sign_in_with(&phone, VOLUNTEER, PASSWORD).await;
        let (status, page) = app.page_with(&phone, "/account").await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("href=\"/account/data.json\""), "the account page offers it");
        let response = phone.get(app.url("/account/data.json")).send().await.expect("get");
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-disposition"].to_str().unwrap_or("").contains("attachment"));
        let data: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(data["account"]["email"], VOLUNTEER, "their own account, not anyone else's");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND reason = 'their own data (JSON)'").await, 1);

        // Staff pages offer an admin the download for a volunteer and an account.
        let (volunteer, user) = ids(&app).await;
        app.sign_in(ADMIN).await;
        let (_, page) = app.page(&format!("/volunteers/{volunteer}")).await;
        assert!(main_of(&page).contains(&format!("href=\"/volunteers/{volunteer}/data.json\"")), "on the volunteer's page");
        let (_, page) = app.page("/people").await;
        assert!(main_of(&page).contains(&format!("href=\"/people/{user}/data.json\"")), "on the accounts list");
        app.sign_in(ORGANISER).await;
        let (_, page) = app.page(&format!("/volunteers/{volunteer}")).await;
        assert!(!main_of(&page).contains("Download their data"), "only admins may download it");
        app.stop().await;
    }
}
