//! Setting up a campaign from an empty database: target seats from the shipped open data,
//! an organiser invited to one of them, and the seat catalogue only admins may use.

use app::auth::users::{self, NewUser};
use app::auth::{CurrentUser, Role};
use app::seat::catalogue::{self, Filter, Sort};
use groundwork_tests::*;

const BOSS: &str = "boss@example.org";
const OLIVE: &str = "olive.organiser@example.org";

async fn first_admin(app: &TestApp) -> CurrentUser {
    let id = users::create(
        &app.store,
        NewUser { email: BOSS, display_name: "Bo Boss", password: PASSWORD, role: Role::Admin },
    )
    .await
    .expect("admin");
    CurrentUser { id, email: BOSS.into(), display_name: "Bo Boss".into(), role: Role::Admin }
}

/// (winner, runner-up, winner votes, runner-up votes, majority, electorate, valid, invalid)
type Row = (String, String, i64, i64, i64, i64, i64, i64);

async fn result(app: &TestApp, gss: &str, year: i64) -> Row {
    app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT r.winner, r.runner_up, r.winner_votes, r.runner_up_votes, r.majority, r.electorate, r.valid_votes, r.invalid_votes
           FROM seat_results r JOIN seats s ON s.id = r.seat_id WHERE s.gss_code = $1 AND r.year = $2")
        .bind(gss).bind(year).fetch_one(pool).await)
    .expect("result")
}

/// The seat's region and the bounding box of its stored boundary.
async fn region_and_bbox(app: &TestApp, gss: &str) -> (String, [f64; 4]) {
    let (region, boundary, target): (String, String, bool) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT r.name, s.boundary, s.is_target FROM seats s JOIN regions r ON r.id = s.region_id WHERE s.gss_code = $1")
        .bind(gss).fetch_one(pool).await)
    .expect("seat");
    assert!(target, "{gss} is a target");
    let geometry: serde_json::Value = serde_json::from_str(&boundary).expect("GeoJSON");
    assert_eq!(geometry["type"], "MultiPolygon");
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for polygon in geometry["coordinates"].as_array().expect("polygons") {
        for ring in polygon.as_array().expect("rings") {
            for point in ring.as_array().expect("points") {
                let (x, y) = (point[0].as_f64().expect("x"), point[1].as_f64().expect("y"));
                b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
            }
        }
    }
    (region, b)
}

/// One door with one elector on a walk list in the seat: (walk list, household).
async fn one_door(app: &TestApp, seat_id: i64) -> (i64, i64) {
    let now = chrono::Utc::now();
    let ids: (i64, i64) = app::on_store!(&app.store, pool => async {
        let (ward,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM wards WHERE seat_id = $1")
            .bind(seat_id).fetch_one(pool).await?;
        let (pd,): (i64,) = sqlx::query_as(
            "INSERT INTO polling_districts (ward_id, code, name) VALUES ($1, 'AA', 'AA') RETURNING id")
            .bind(ward).fetch_one(pool).await?;
        let (household,): (i64,) = sqlx::query_as(
            "INSERT INTO households (seat_id, polling_district_id, address_key, address1, postcode, lat, lon)
             VALUES ($1, $2, '1 test row bl9 1aa', '1 Test Row', 'BL9 1AA', 53.6, -2.3) RETURNING id")
            .bind(seat_id).bind(pd).fetch_one(pool).await?;
        sqlx::query(
            "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, first_name, surname)
             VALUES ($1, $2, $3, 'AA', 1, 'Sam', 'Sample')")
            .bind(seat_id).bind(household).bind(pd).execute(pool).await?;
        let (list,): (i64,) = sqlx::query_as(
            "INSERT INTO walk_lists (seat_id, name, created_at) VALUES ($1, 'Test Row', $2) RETURNING id")
            .bind(seat_id).bind(now).fetch_one(pool).await?;
        sqlx::query("INSERT INTO walk_list_households (walk_list_id, household_id, position) VALUES ($1, $2, 1)")
            .bind(list).bind(household).execute(pool).await?;
        Ok::<_, sqlx::Error>((list, household))
    }.await)
    .expect("door");
    ids
}

fn close_to(b: [f64; 4], source: [f64; 4]) -> bool {
    b.iter().zip(source).all(|(a, s)| (a - s).abs() < 0.003)
}

on_both_databases! {
    async fn a_campaign_is_set_up_from_an_empty_database_with_two_seats_and_an_organiser(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 0);
        let admin = first_admin(&app).await;

        // Two target seats from the shipped data, one in a region of the campaign's own.
        let bury = catalogue::add_target(&app.store, Some(admin.id), "E14000611", None).await.expect("Bury North");
        assert!(bury.new);
        assert_eq!((bury.name.as_str(), bury.region.as_str(), bury.results), ("Bury North", "North West", 2));
        let rutland = catalogue::add_target(&app.store, Some(admin.id), "e14000909", Some("Shires"))
            .await
            .expect("Rutland and Melton");
        assert_eq!(rutland.region, "Shires");
        assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 2);
        assert_eq!(app.count("SELECT COUNT(*) FROM regions").await, 2);

        // Figures as the House of Commons Library files give them, and boundaries whose
        // extent is that of the 2013 source polygons (bounding boxes measured from
        // gb_wpc_2013.geojson) within the simplification's tolerance.
        let s = |x: &str| x.to_string();
        assert_eq!(result(&app, "E14000611", 2015).await,
            (s("Conservative"), s("Labour"), 18_970, 18_592, 378, 67_580, 45_230, 186));
        assert_eq!(result(&app, "E14000611", 2019).await,
            (s("Conservative"), s("Labour"), 21_660, 21_555, 105, 68_802, 46_841, 111));
        assert_eq!(result(&app, "E14000909", 2015).await,
            (s("Conservative"), s("UKIP"), 30_383, 8_678, 21_705, 79_693, 54_603, 214));
        assert_eq!(result(&app, "E14000909", 2019).await,
            (s("Conservative"), s("Labour"), 36_507, 9_583, 26_924, 82_705, 58_310, 224));
        let (region, bbox) = region_and_bbox(&app, "E14000611").await;
        assert_eq!(region, "North West");
        assert!(close_to(bbox, [-2.38392, 53.56198, -2.24542, 53.66755]), "{bbox:?}");
        let (region, bbox) = region_and_bbox(&app, "E14000909").await;
        assert_eq!(region, "Shires");
        assert!(close_to(bbox, [-1.07072, 52.51065, -0.42818, 52.97803]), "{bbox:?}");

        // Adding again changes nothing but, when asked, the region.
        let again = catalogue::add_target(&app.store, Some(admin.id), "E14000611", Some("Greater Manchester")).await.expect("move");
        assert!(!again.new);
        assert_eq!(app.count("SELECT COUNT(*) FROM seat_results").await, 4);
        assert_eq!(region_and_bbox(&app, "E14000611").await.0, "Greater Manchester");

        // An organiser for Bury North only, invited and accepting.
        let code = app::people::invitations::invite(&app.store, &admin, OLIVE, "Olive Organiser", Role::Organiser,
            &format!("seat:{}", bury.seat_id), chrono::Utc::now()).await.expect("invitation");
        app::people::invitations::accept(&app.store, &code, PASSWORD, chrono::Utc::now()).await.expect("accepted");
        let olive = app.new_browser();
        assert!(app.sign_in_with(&olive, OLIVE, PASSWORD).await.status().is_redirection());
        let (status, html) = app.page_with(&olive, "/seats").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert_eq!(main.matches("href=\"/seats/E14").count(), 1, "{main}");
        assert!(main.contains("Bury North") && !main.contains("Rutland"), "{main}");
        assert_eq!(app.page_with(&olive, "/seats/E14000909").await.0, 403);

        // Each seat's checklist: no register yet; Bury North has its organiser.
        let checklist = app::seat::queries::checklist(&app.store, bury.seat_id).await.expect("checklist");
        assert_eq!((checklist.organisers, checklist.households_placed, checklist.canvass_sessions), (1, 0, 0));
        assert_eq!(app::seat::queries::checklist(&app.store, rutland.seat_id).await.expect("checklist").organisers, 0);
        let (status, html) = app.page_with(&olive, "/seats/E14000611").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("Getting the seat ready") && main.contains("3 of 4 steps still to do."), "{main}");
        assert!(main.contains("href=\"/seats/E14000611/register\""), "{main}");

        // The seats came with their wards from the shipped open data.
        let wards = |id: i64| {
            let store = app.store.clone();
            async move {
                let (n,): (i64,) = app::on_store!(&store, pool => sqlx::query_as(
                    "SELECT COUNT(*) FROM wards WHERE seat_id = $1").bind(id).fetch_one(pool).await).expect("wards");
                n
            }
        };
        assert_eq!(wards(bury.seat_id).await, 8, "Church, East, Elton, Moorside, North Manor, Ramsbottom, Redvales, Tottington");
        assert_eq!(wards(rutland.seat_id).await, 16, "Rutland's wards (no Melton ward boundaries are shipped)");

        // The admin changes the issues volunteers are offered, over HTTP as the settings
        // screen posts it; a bad line is refused with its line number and changes nothing.
        let boss = app.new_browser();
        app.sign_in_with(&boss, BOSS, PASSWORD).await;
        let bad = boss.post(app.url("/api/save_settings"))
            .form(&[("values[doorstep_issues]", "Potholes\nBad Code = x y"), ("values[retention_months]", "12")])
            .send().await.expect("post");
        assert_eq!(bad.status().as_u16(), 400);
        let message = bad.text().await.expect("body");
        assert!(message.contains("Issues voters raise: line 2:"), "{message}");
        assert_eq!(app.count("SELECT COUNT(*) FROM campaign_settings WHERE key = 'doorstep_issues'").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM campaign_settings WHERE key = 'retention_months' AND value = '12'").await, 0,
            "nothing of a refused save is written");
        let saved = boss.post(app.url("/api/save_settings"))
            .form(&[("values[doorstep_issues]", "Potholes\nbins = Bin collections"), ("values[retention_months]", "6")])
            .send().await.expect("post");
        assert!(saved.status().is_success() || saved.status().is_redirection(), "{}", saved.status());
        let (who, object, reason): (i64, String, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT user_id, object_id, reason FROM audit_log WHERE object_type = 'setting'").fetch_one(pool).await)
            .expect("one audit entry: retention was unchanged");
        assert_eq!((who, object.as_str()), (admin.id, "doorstep_issues"));
        assert!(reason.starts_with("Issues voters raise: \"cost_of_living = Cost of living; nhs = NHS;"), "{reason}");
        assert!(reason.ends_with("→ \"potholes = Potholes; bins = Bin collections\""), "{reason}");

        // The organiser may not change settings, and sees the new issues at the door.
        assert_eq!(app.page_with(&olive, "/settings").await.0, 403);
        let refused = olive.post(app.url("/api/save_settings"))
            .form(&[("values[doorstep_script]", "Vote for me")]).send().await.expect("post");
        assert_eq!(refused.status().as_u16(), 403);
        let (list, household) = one_door(&app, bury.seat_id).await;
        let (status, html) = app.page_with(&olive, &format!("/walk/{list}/door/{household}")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("value=\"potholes\"") && main.contains(">Bin collections<"), "{main}");
        assert!(!main.contains("Cost of living"), "{main}");
        let recorded = olive.post(app.url("/api/doorstep/record"))
            .form(&[("id", "6f1c0a52-4c55-4a8e-9d3a-2b7e5f9d8c01"), ("walk_list_id", &list.to_string()),
                    ("household_id", &household.to_string()), ("result", "spoke"), ("issues", "bins")])
            .send().await.expect("post");
        assert!(recorded.status().is_redirection(), "{}", recorded.status());
        assert_eq!(app.count("SELECT COUNT(*) FROM conversation_issues WHERE issue = 'bins'").await, 1);
        app.stop().await;
    }

    async fn the_catalogue_lists_every_gb_seat_most_winnable_first_for_admins_only(backend) {
        let app = TestApp::empty(backend).await.expect("app");
        let admin = first_admin(&app).await;
        catalogue::add_target(&app.store, Some(admin.id), "E14000530", None).await.expect("Aldershot");

        let by_swing = catalogue::catalogue(&app.store, Filter::default(), Sort::Swing).await.expect("catalogue");
        assert_eq!((by_swing.total, by_swing.seats.len()), (632, 632));
        assert!(by_swing.seats.windows(2).all(|w| w[0].swing_needed <= w[1].swing_needed));
        let by_majority = catalogue::catalogue(&app.store, Filter::default(), Sort::Majority).await.expect("catalogue");
        assert!(by_majority.seats.windows(2).all(|w| w[0].majority <= w[1].majority));
        assert_eq!(by_majority.seats[0].gss_code, "E14000611", "Bury North's 105 is the smallest majority");
        let held: Vec<_> = by_swing.seats.iter().filter(|s| s.in_campaign).map(|s| s.gss_code.as_str()).collect();
        assert_eq!(held, ["E14000530"]);
        let aldershot = by_swing.seats.iter().find(|s| s.gss_code == "E14000530").expect("Aldershot");
        assert!((aldershot.swing_needed - 100.0 * 16_698.0 / 47_932.0 / 2.0).abs() < 1e-9);
        let filtered = catalogue::catalogue(&app.store,
            Filter { q: "", region: "Wales", winner: "Plaid Cymru" }, Sort::Swing).await.expect("filtered");
        assert_eq!(filtered.seats.len(), 4, "Plaid Cymru won four Welsh seats in 2019");
        let searched = catalogue::catalogue(&app.store, Filter { q: "bury n", ..Filter::default() }, Sort::Name)
            .await.expect("search");
        assert_eq!(searched.seats.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Bury North"]);

        // Over HTTP: the admin's page in majority order, and nobody else's.
        let admin_browser = app.new_browser();
        app.sign_in_with(&admin_browser, BOSS, PASSWORD).await;
        let (status, html) = app.page_with(&admin_browser, "/admin/seats?sort=majority&region=North+West").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        let first = main.find("data-gss=\"E14000611\"").expect("Bury North listed");
        let second = main.find("data-gss=\"E14000578\"").expect("Bolton North East listed");
        assert!(first < second, "majority 105 before 378");
        assert!(!main.contains("data-gss=\"E14000530\""), "the region filter keeps the South East out");

        let organiser = app.new_browser();
        users::create(&app.store, NewUser { email: OLIVE, display_name: "Olive", password: PASSWORD, role: Role::Organiser })
            .await.expect("organiser");
        app.sign_in_with(&organiser, OLIVE, PASSWORD).await;
        let (status, html) = app.page_with(&organiser, "/admin/seats").await;
        assert_eq!(status, 403);
        assert!(!main_of(&html).contains("data-gss"), "no catalogue in the refusal");
        let refused = organiser.post(app.url("/api/seat_add"))
            .form(&[("gss_code", "E14000612"), ("region", "")]).send().await.expect("post");
        assert_eq!(refused.status().as_u16(), 403);
        let refused = organiser.post(app.url("/api/seat_catalogue"))
            .form(&[("q", ""), ("region", ""), ("winner", ""), ("sort", "")]).send().await.expect("post");
        assert_eq!(refused.status().as_u16(), 403);
        let added = admin_browser.post(app.url("/api/seat_add"))
            .form(&[("gss_code", "E14000612"), ("region", "")]).send().await.expect("post");
        assert!(added.status().is_success(), "{}", added.status());
        assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 2, "only the admin's call added Bury South");
        app.stop().await;
    }
}
