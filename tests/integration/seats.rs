use app::auth::users::{self, NewUser, Patch};
use app::auth::Role;
use app::format::thousands;
use groundwork_tests::*;

/// A second seat in another region, for checking that patches keep people out.
async fn add_other_seat(app: &TestApp) -> i64 {
    app::on_store!(&app.store, pool => async {
        sqlx::query("INSERT INTO regions (name) VALUES ('South East')").execute(pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO seats (gss_code, name, region_id, is_target)
             SELECT 'E14000530', 'Aldershot', id, TRUE FROM regions WHERE name = 'South East' RETURNING id")
            .fetch_one(pool).await?;
        Ok::<i64, sqlx::Error>(id)
    }.await)
    .expect("second seat")
}

on_both_databases! {
    async fn the_seat_overview_shows_bury_north_and_its_majority_of_378(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (status, html) = app.page("/seats/E14000611").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("<h1>Bury North</h1>"), "{main}");
        let row_2015 = &main[main.find("data-year=\"2015\"").expect("2015 row")..];
        let row_2015 = &row_2015[..row_2015.find("</tr>").expect("row end")];
        assert!(row_2015.contains(">378<"), "{row_2015}");
        assert!(row_2015.contains("67,580"), "{row_2015}");
        let row_2019 = &main[main.find("data-year=\"2019\"").expect("2019 row")..];
        assert!(row_2019[..row_2019.find("</tr>").expect("row end")].contains(">105<"));
        // The headline counts are the database's own.
        let electors = app.count("SELECT COUNT(*) FROM electors").await;
        assert_eq!(electors, DEMO_ELECTORS as i64);
        let households = app.count("SELECT COUNT(*) FROM households").await;
        let conversations = app.count("SELECT COUNT(*) FROM conversations").await;
        assert!(conversations > 0);
        for (n, label) in [(electors, "Electors"), (households, "Households"), (conversations, "Conversations"), (80, "Volunteers")] {
            let stat = format!("<span class=\"stat-n\">{}</span><span class=\"stat-label\">{label}</span>", thousands(n));
            assert!(main.contains(&stat), "{stat} in {main}");
        }
        app.stop().await;
    }

    async fn a_volunteer_cannot_open_a_seat_overview(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(VOLUNTEER).await;
        let (status, html) = app.page("/seats/E14000611").await;
        assert_eq!(status, 403);
        assert!(!main_of(&html).contains("Ramsbottom"), "no seat data leaks into the refusal");
        let (_, home) = app.page("/").await;
        assert!(main_of(&home).contains("Your walk lists"));
        app.stop().await;
    }

    async fn staff_see_only_the_seats_in_their_patch(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        add_other_seat(&app).await;
        let expectations = [
            (ADMIN, 200, true),
            (REGIONAL, 403, false),
            (ORGANISER, 403, false),
        ];
        for (email, other_status, lists_other) in expectations {
            let browser = app.new_browser();
            app.sign_in_with(&browser, email, PASSWORD).await;
            let (status, _) = app.page_with(&browser, "/seats/E14000530").await;
            assert_eq!(status, other_status, "{email} opening Aldershot");
            let (status, _) = app.page_with(&browser, "/seats/E14000611").await;
            assert_eq!(status, 200, "{email} opening Bury North");
            let (_, list) = app.page_with(&browser, "/seats").await;
            assert!(main_of(&list).contains("Bury North"), "{email}");
            assert_eq!(main_of(&list).contains("Aldershot"), lists_other, "{email}");
        }
        app.stop().await;
    }

    async fn an_organiser_of_another_seat_sees_that_seat_and_not_the_demo(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let seat = add_other_seat(&app).await;
        let id = users::create(&app.store, NewUser {
            email: "o2@example.org", display_name: "Second Organiser", password: PASSWORD, role: Role::Organiser,
        }).await.expect("user");
        users::give_patch(&app.store, id, Patch::Seat(seat)).await.expect("patch");
        app.sign_in("o2@example.org").await;
        assert_eq!(app.page("/seats/E14000530").await.0, 200);
        assert_eq!(app.page("/seats/E14000611").await.0, 403);
        app.stop().await;
    }

    async fn an_unknown_seat_is_a_clear_not_found(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ADMIN).await;
        let (status, html) = app.page("/seats/E14999999").await;
        assert_eq!(status, 404);
        assert!(main_of(&html).contains("Seat E14999999 was not found."));
        app.stop().await;
    }

    async fn the_seat_list_server_function_answers_json_within_the_patch(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        add_other_seat(&app).await;
        app.sign_in(REGIONAL).await;
        let response = app.client.post(app.url("/api/seats")).send().await.expect("POST");
        assert_eq!(response.status().as_u16(), 200);
        let seats: serde_json::Value = response.json().await.expect("json");
        let codes: Vec<&str> = seats.as_array().expect("array").iter().map(|s| s["gss_code"].as_str().expect("code")).collect();
        assert_eq!(codes, ["E14000611"]);
        let anonymous = app.new_browser().post(app.url("/api/seats")).send().await.expect("POST");
        assert!(!anonymous.status().is_success());
        app.stop().await;
    }
}
