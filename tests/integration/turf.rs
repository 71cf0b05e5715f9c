//! Turf cutting: choosing doors, splitting them into walk lists with routes, assigning,
//! reissuing, printed sheets and paper returns, and who may do each.

use app::auth::users::{self, NewUser, Patch};
use app::auth::Role;
use groundwork_tests::*;
use reqwest::header::ACCEPT;
use serde_json::{json, Value};
use std::collections::HashSet;

const SEAT: &str = "E14000611";

pub(crate) async fn post_json(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let response = browser.post(app.url(path)).json(&body).send().await.expect("POST");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub(crate) async fn cut(app: &TestApp, criteria: Value) -> (u16, Value) {
    post_json(app, &app.client, "/api/turf/cut", json!({ "gss_code": SEAT, "criteria": criteria })).await
}

async fn ids(app: &TestApp, sql: &'static str, bind: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        app::on_store!(&app.store, pool => sqlx::query_as(sql).bind(bind).fetch_all(pool).await)
            .expect("ids");
    rows.into_iter().map(|(id,)| id).collect()
}

/// The doors of a list in walk order.
pub(crate) async fn doors_of(app: &TestApp, list: i64) -> Vec<(i64, i64)> {
    app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT household_id, CAST(position AS BIGINT) FROM walk_list_households WHERE walk_list_id = $1 ORDER BY position")
        .bind(list).fetch_all(pool).await)
    .expect("doors")
}

pub(crate) fn list_ids(outcome: &Value) -> Vec<i64> {
    outcome["lists"].as_array().expect("lists").iter().map(|v| v.as_i64().expect("id")).collect()
}

/// Checks that every chosen door is on exactly one of the lists, that no list is over
/// the size, and that each route visits each of its doors once (positions 1..n).
async fn assert_cut_is_a_partition(app: &TestApp, lists: &[i64], chosen: &HashSet<i64>, size: usize) {
    let mut seen = HashSet::new();
    for &list in lists {
        let doors = doors_of(app, list).await;
        assert!(
            !doors.is_empty() && doors.len() <= size,
            "list {list} has {} doors (at most {size})",
            doors.len()
        );
        let positions: Vec<i64> = doors.iter().map(|d| d.1).collect();
        assert_eq!(
            positions,
            (1..=doors.len() as i64).collect::<Vec<_>>(),
            "a route visits each door once, in order"
        );
        for (household, _) in doors {
            assert!(seen.insert(household), "door {household} is on two lists");
        }
    }
    assert_eq!(&seen, chosen, "every chosen door, and only those, is on a list");
}

on_both_databases! {
    async fn turf_cutting_a_ward_puts_every_door_on_exactly_one_list_of_at_most_the_size(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (ward,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT w.id FROM wards w JOIN polling_districts pd ON pd.ward_id = w.id
               JOIN households h ON h.polling_district_id = pd.id
              GROUP BY w.id ORDER BY COUNT(*) DESC LIMIT 1").fetch_one(pool).await).expect("a ward");
        // Every door of the ward (moved-away doors included, as asked).
        let chosen: HashSet<i64> = ids(&app,
            "SELECT h.id FROM households h JOIN polling_districts pd ON pd.id = h.polling_district_id WHERE pd.ward_id = $1",
            ward).await.into_iter().collect();
        let all = app.count("SELECT COUNT(*) FROM households").await as usize;
        assert!(chosen.len() > 12 && chosen.len() < all, "the ward has doors for several lists: {} of {all}", chosen.len());
        let criteria = json!({ "wards": [ward], "include_moved": true, "list_size": 6, "order": "zig_zag" });
        let (status, preview) = post_json(&app, &app.client, "/api/turf/preview",
            json!({ "gss_code": SEAT, "criteria": criteria })).await;
        assert_eq!(status, 200, "{preview}");
        assert_eq!(preview["doors"].as_u64(), Some(chosen.len() as u64), "the preview counts the same doors");
        let (status, outcome) = cut(&app, criteria).await;
        assert_eq!(status, 200, "{outcome}");
        let lists = list_ids(&outcome);
        assert!(lists.len() >= chosen.len().div_ceil(6));
        assert_cut_is_a_partition(&app, &lists, &chosen, 6).await;
        app.stop().await;
    }

    async fn turf_filters_choose_postal_voters_and_leave_out_do_not_knock_doors(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        // Mark the electors of eight households as postal voters, and one of them do-not-knock.
        let postal = ids(&app, "SELECT id FROM households WHERE seat_id = (SELECT id FROM seats WHERE gss_code = 'E14000611') AND $1 = 1 ORDER BY id LIMIT 8", 1).await;
        for h in &postal {
            app::on_store!(&app.store, pool => sqlx::query("UPDATE electors SET markers = 'P' WHERE household_id = $1")
                .bind(h).execute(pool).await.map(|_| ())).expect("mark");
        }
        app::on_store!(&app.store, pool => sqlx::query("UPDATE households SET do_not_knock = $1 WHERE id = $2")
            .bind(true).bind(postal[0]).execute(pool).await.map(|_| ())).expect("dnk");
        let (status, outcome) = cut(&app, json!({ "postal_voters": true, "include_moved": true, "list_size": 35 })).await;
        assert_eq!(status, 200, "{outcome}");
        let expected: HashSet<i64> = postal[1..].iter().copied().collect();
        assert_cut_is_a_partition(&app, &list_ids(&outcome), &expected, 35).await;
        app.stop().await;
    }

    async fn turf_the_marked_register_chooses_doors_that_voted_or_stayed_at_home(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        // A district the demo's marked register covers (ward B's).
        let district = ids(&app, "SELECT e.polling_district_id FROM turnout_history th JOIN electors e ON e.id = th.elector_id
            WHERE $1 = 1 ORDER BY e.polling_district_id LIMIT 1", 1).await[0];
        // Each door of the district: its electors on the latest marked register, and of them those who voted.
        let doors: Vec<(i64, i64, i64)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT h.id, COUNT(th.elector_id), CAST(COALESCE(SUM(CASE WHEN th.voted THEN 1 ELSE 0 END), 0) AS BIGINT)
               FROM households h JOIN electors e ON e.household_id = h.id AND e.left_at IS NULL
               LEFT JOIN turnout_history th ON th.elector_id = e.id
                AND th.marked_register_id = (SELECT id FROM marked_registers ORDER BY election_date DESC LIMIT 1)
              WHERE h.polling_district_id = $1 AND h.do_not_knock = FALSE GROUP BY h.id")
            .bind(district).fetch_all(pool).await).expect("doors");
        let voted: HashSet<i64> = doors.iter().filter(|d| d.2 > 0).map(|d| d.0).collect();
        let stayed: HashSet<i64> = doors.iter().filter(|d| d.1 > 0 && d.2 == 0).map(|d| d.0).collect();
        assert!(!voted.is_empty() && !stayed.is_empty(), "the demo's marked register has both: {} and {}", voted.len(), stayed.len());
        for (choice, expected) in [(true, voted), (false, stayed)] {
            let (status, outcome) = cut(&app, json!({ "districts": [district], "voted_last": choice, "include_moved": true, "list_size": 35 })).await;
            assert_eq!(status, 200, "{outcome}");
            assert_cut_is_a_partition(&app, &list_ids(&outcome), &expected, 35).await;
        }
        app.stop().await;
    }

    async fn turf_a_drawn_polygon_chooses_only_the_doors_inside_it(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ADMIN).await;
        let (lat, lon): (f64, f64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT AVG(lat), AVG(lon) FROM households").fetch_one(pool).await).expect("middle");
        let (d_lat, d_lon) = (0.01, 0.015);
        let ring = json!([[lon - d_lon, lat - d_lat], [lon + d_lon, lat - d_lat], [lon + d_lon, lat + d_lat], [lon - d_lon, lat + d_lat]]);
        let rows: Vec<(i64, f64, f64)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id, lat, lon FROM households").fetch_all(pool).await).expect("doors");
        let inside: HashSet<i64> = rows.into_iter()
            .filter(|(_, a, o)| (a - lat).abs() < d_lat && (o - lon).abs() < d_lon)
            .map(|(id, _, _)| id).collect();
        // Moved doors are left out by default; keep them so the box is the whole answer.
        let (status, outcome) = cut(&app, json!({ "polygon": ring, "include_moved": true, "list_size": 20 })).await;
        assert_eq!(status, 200, "{outcome}");
        assert!(!inside.is_empty());
        assert_cut_is_a_partition(&app, &list_ids(&outcome), &inside, 20).await;
        app.stop().await;
    }

    async fn turf_only_the_seats_organisers_and_admins_can_cut_or_assign(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let criteria = json!({ "list_size": 35, "never_contacted": true });
        for (email, allowed) in [(VOLUNTEER, false), (REGIONAL, false), (ADMIN, true), (ORGANISER, true)] {
            let browser = app.new_browser();
            app.sign_in_with(&browser, email, PASSWORD).await;
            let (status, body) = post_json(&app, &browser, "/api/turf/cut",
                json!({ "gss_code": SEAT, "criteria": criteria.clone() })).await;
            assert_eq!(status == 200, allowed, "{email}: {status} {body}");
            let map = browser.get(app.url(&format!("/seats/{SEAT}/map.json"))).send().await.expect("map");
            assert_eq!(map.status().as_u16() == 200, allowed, "{email} and the map data");
            let (page, _) = app.page_with(&browser, &format!("/seats/{SEAT}/map")).await;
            assert_eq!(page == 200, allowed, "{email} and the map page: {page}");
        }
        // An organiser of another seat only.
        let other = users::create(&app.store, NewUser {
            email: "other.organiser@example.org", display_name: "Olu Other", password: PASSWORD, role: Role::Organiser,
        }).await.expect("user");
        let (seat,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "INSERT INTO seats (gss_code, name, is_target) VALUES ('E14000530', 'Aldershot', TRUE) RETURNING id")
            .fetch_one(pool).await).expect("seat");
        users::give_patch(&app.store, other, Patch::Seat(seat)).await.expect("patch");
        let browser = app.new_browser();
        app.sign_in_with(&browser, "other.organiser@example.org", PASSWORD).await;
        let (status, _) = post_json(&app, &browser, "/api/turf/cut", json!({ "gss_code": SEAT, "criteria": criteria })).await;
        assert_ne!(status, 200, "an organiser of another seat cannot cut Bury North");
        let (list,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM walk_lists ORDER BY id LIMIT 1").fetch_one(pool).await).expect("list");
        let (status, _) = post_json(&app, &browser, "/api/turf/assign",
            json!({ "assignment": { "walk_list_id": list, "volunteers": [], "session_id": null, "new_session": null } })).await;
        assert_ne!(status, 200, "nor assign its lists");
        let (status, _) = app.page_with(&browser, &format!("/lists/{list}/print")).await;
        assert_eq!(status, 403, "nor print its sheets");
        app.stop().await;
    }

    async fn turf_a_volunteer_opens_only_the_lists_assigned_to_them(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (status, outcome) = cut(&app, json!({ "never_contacted": true, "list_size": 10 })).await;
        assert_eq!(status, 200, "{outcome}");
        let lists = list_ids(&outcome);
        assert!(lists.len() >= 2);
        let (volunteer,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.email = $1")
            .bind(VOLUNTEER).fetch_one(pool).await).expect("the demo volunteer");
        let sessions_before = app.count("SELECT COUNT(*) FROM canvass_sessions").await;
        let (status, body) = post_json(&app, &app.client, "/api/turf/assign", json!({ "assignment": {
            "walk_list_id": lists[0], "volunteers": [volunteer], "session_id": null,
            "new_session": { "title": "Saturday canvass", "starts_at": "2026-12-05T10:30", "meeting_point": "Tottington Library" }
        }})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM canvass_sessions").await, sessions_before + 1, "a new session");
        let volunteer_browser = app.new_browser();
        app.sign_in_with(&volunteer_browser, VOLUNTEER, PASSWORD).await;
        let (status, html) = app.page_with(&volunteer_browser, &format!("/walk/{}", lists[0])).await;
        assert_eq!(status, 200, "the assigned list opens");
        assert!(main_of(&html).contains("data-household="));
        let (status, _) = app.page_with(&volunteer_browser, &format!("/walk/{}", lists[1])).await;
        assert_eq!(status, 403, "a list not assigned to them does not");
        let (status, _) = app.page_with(&volunteer_browser, &format!("/lists/{}/print", lists[0])).await;
        assert_eq!(status, 403, "printing sheets is for organisers");
        let (_, home) = app.page_with(&volunteer_browser, "/").await;
        assert!(main_of(&home).contains("Tottington Library"), "the volunteer sees the session's meeting point");
        // The list's progress shows on the organiser's page.
        let (status, html) = app.page(&format!("/seats/{SEAT}/map")).await;
        assert_eq!(status, 200);
        assert!(main_of(&html).contains(&format!("data-list=\"{}\"", lists[0])));
        app.stop().await;
    }

    async fn turf_the_map_data_has_points_and_statuses_but_no_names_and_is_audited(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let before = app.count("SELECT COUNT(*) FROM audit_log WHERE reason = 'turf map: door statuses'").await;
        let response = app.client.get(app.url(&format!("/seats/{SEAT}/map.json"))).send().await.expect("map");
        assert_eq!(response.status().as_u16(), 200);
        let text = response.text().await.expect("body");
        let data: Value = serde_json::from_str(&text).expect("json");
        let doors = data["doors"].as_array().expect("doors");
        assert_eq!(doors.len() as i64, app.count("SELECT COUNT(*) FROM households WHERE lat IS NOT NULL").await);
        assert_eq!(doors[0].as_array().expect("point").len(), 4, "[id, lat, lon, status] only");
        assert_eq!(data["wards"].as_array().expect("wards").len(), 8);
        assert_eq!(data["tiles"]["url"], "", "no tiles unless configured");
        let (surname,): (String,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT surname FROM electors ORDER BY id LIMIT 1").fetch_one(pool).await).expect("a name");
        assert!(!text.contains(&format!("\"{surname}\"")), "no elector names in the map data");
        let after = app.count("SELECT COUNT(*) FROM audit_log WHERE reason = 'turf map: door statuses'").await;
        assert_eq!(after, before + 1);
        app.stop().await;
    }

    async fn turf_paper_returns_are_stored_once_however_often_the_sheet_is_sent(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let (status, outcome) = cut(&app, json!({ "never_contacted": true, "list_size": 8 })).await;
        assert_eq!(status, 200, "{outcome}");
        let list = list_ids(&outcome)[0];
        let (status, html) = app.page(&format!("/lists/{list}/print")).await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("<svg"), "the QR code is drawn on the server");
        let code = main.split("data-code=\"").nth(1).and_then(|r| r.split('"').next()).expect("code").to_string();
        let (status, page) = app.page(&format!("/returns/{code}")).await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("Save the returns"));
        let doors = doors_of(&app, list).await;
        let (h0, h1) = (doors[0].0, doors[1].0);
        let (elector,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM electors WHERE household_id = $1 ORDER BY id LIMIT 1").bind(h1).fetch_one(pool).await).expect("elector");
        let (e0, e1, v1) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let form = [
            ("form[walk_list_id]", list.to_string()),
            ("form[canvasser]", "unknown".into()),
            ("form[rows][0][household_id]", h0.to_string()),
            ("form[rows][0][entry_id]", e0.to_string()),
            ("form[rows][0][result]", "not_in".into()),
            ("form[rows][1][household_id]", h1.to_string()),
            ("form[rows][1][entry_id]", e1.to_string()),
            ("form[rows][1][result]", "spoke".into()),
            ("form[rows][1][do_not_knock]", "on".into()),
            ("form[votes][0][household_id]", h1.to_string()),
            ("form[votes][0][elector_id]", elector.to_string()),
            ("form[votes][0][entry_id]", v1.to_string()),
            ("form[votes][0][intention]", "undecided".into()),
        ];
        for round in 0..2 {
            let response = app.client.post(app.url("/api/turf/save_returns"))
                .header(ACCEPT, "application/json").form(&form).send().await.expect("POST");
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("json");
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["stored"], if round == 0 { 2 } else { 0 }, "{body}");
        }
        let stored = app.count("SELECT COUNT(*) FROM conversations WHERE walk_list_id IN (SELECT id FROM walk_lists WHERE reissued_from IS NULL AND code IS NOT NULL)").await;
        assert_eq!(stored, 2, "a not-in and an undecided elector, once each");
        let (dnk,): (bool,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT do_not_knock FROM households WHERE id = $1").bind(h1).fetch_one(pool).await).expect("dnk");
        assert!(dnk, "the do-not-knock tick is kept");
        // A second pass: a new list of the one door not answered.
        let (status, body) = post_json(&app, &app.client, "/api/turf/reissue", json!({ "walk_list_id": list })).await;
        assert_eq!(status, 200, "{body}");
        let second = body.as_i64().expect("a new list");
        assert_eq!(doors_of(&app, second).await, vec![(h0, 1)]);
        app.stop().await;
    }
}
