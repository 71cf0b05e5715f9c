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

on_both_databases! {
    async fn election_results_import_from_every_house_of_commons_layout(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        // The 2015 file as published: a BOM and old-Mac CR-only line ends.
        let header_2015 = "ons_id,constituency_name,result,first_party,second_party,electorate,valid_votes,invalid_votes,majority,conservative,labour,liberal-democrat,ukip,green";
        let text_2015 = format!("\u{feff}{header_2015}\rE14000611,Bury North,Con hold,conservative,labour,67580,45230,186,378,18970,18592,932,5595,1141\rE14000530,Aldershot,Con hold,conservative,ukip,72430,46191,100,14901,23369,5489,4076,8468,2025\r");
        let report = app::seat::results::import(&app.store, std::io::Cursor::new(text_2015.into_bytes()), 2016).await.expect("2015 layout");
        assert_eq!((report.rows, report.updated, report.skipped), (2, 1, 1));
        // 2024: quoted numbers with thousands separators.
        let text_2024 = "ONS ID,Constituency name,First party,Second party,Electorate,Valid votes,Invalid votes,Majority,Con,Lab,RUK\r\n\
                         E14000611,Bury North,Lab,Con,\"70,001\",\"44,000\",99,\"1,234\",\"18,000\",\"19,234\",\"6,000\"\r\n";
        let report = app::seat::results::import(&app.store, std::io::Cursor::new(text_2024.as_bytes().to_vec()), 2024).await.expect("2024 layout");
        assert_eq!(report.updated, 1);
        let rows: Vec<(i64, String, String, i64, i64, i64, i64)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT r.year, r.winner, r.runner_up, r.winner_votes, r.runner_up_votes, r.majority, r.electorate
               FROM seat_results r JOIN seats s ON s.id = r.seat_id WHERE s.gss_code = 'E14000611' AND r.year IN (2016, 2024)
              ORDER BY r.year").fetch_all(pool).await).expect("results");
        assert_eq!(rows, [
            (2016, "Conservative".into(), "Labour".into(), 18_970, 18_592, 378, 67_580),
            (2024, "Labour".into(), "Conservative".into(), 19_234, 18_000, 1_234, 70_001),
        ]);
        app.sign_in(ORGANISER).await;
        let (_, html) = app.page("/seats/E14000611").await;
        assert!(main_of(&html).contains("Labour held the seat in 2024 by <strong class=\"majority\">1,234</strong>"), "the newest result leads");
        let bad = "ONS ID,First party,Second party,Electorate,Valid votes,Majority\nE14000611,Lab,Con,lots,1,1\n";
        let report = app::seat::results::import(&app.store, std::io::Cursor::new(bad.as_bytes().to_vec()), 2025).await.expect("report");
        assert_eq!(report.rejected.len(), 1);
        assert_eq!((report.rejected[0].line, report.rejected[0].column.as_str()), (2, "Electorate"));
        assert_eq!(app.count("SELECT COUNT(*) FROM seat_results WHERE year = 2025").await, 0);
        app.stop().await;
    }
}
