//! The turf page's offline street map (drawn from the register's doors) and its filtered,
//! paged walk lists, which work as plain GET pages without JavaScript.

use groundwork_tests::*;
use serde_json::Value;
use std::collections::HashSet;

const SEAT: &str = "E14000611";

/// The `data-list` ids in a page, in order.
fn shown_lists(html: &str) -> Vec<i64> {
    main_of(html)
        .split("data-list=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The first ten ids a query gives: one page of lists, newest first.
async fn newest(app: &TestApp, sql: &'static str) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        app::on_store!(&app.store, pool => sqlx::query_as(sql).fetch_all(pool).await).expect("lists");
    rows.into_iter().map(|(id,)| id).take(10).collect()
}

on_both_databases! {
    async fn turf_the_map_data_draws_the_seats_streets_with_no_tile_server(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        // The small demo has about one door a street: add a street of twelve doors running
        // east, odd numbers 9 m north of the road and even ones 9 m south.
        let (seat,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT id FROM seats WHERE gss_code = $1").bind(SEAT).fetch_one(pool).await).expect("seat");
        let (lat0, lon0) = (53.6f64, -2.3f64);
        let east = |m: f64| m / (111_320.0 * lat0.to_radians().cos());
        for n in 1..=12i64 {
            let side = if n % 2 == 1 { 9.0 } else { -9.0 };
            let lat = lat0 + side / 111_320.0;
            let lon = lon0 + east(n as f64 * 8.0);
            app::on_store!(&app.store, pool => sqlx::query(
                "INSERT INTO households (seat_id, address_key, address1, street, house_number, postcode, lat, lon)
                 VALUES ($1, $2, $3, 'Test Parade', $4, 'BL0 0ZZ', $5, $6)")
                .bind(seat).bind(format!("test-parade-{n}")).bind(format!("{n} Test Parade"))
                .bind(n.to_string()).bind(lat).bind(lon).execute(pool).await.map(|_| ())).expect("door");
        }
        let response = app.client.get(app.url(&format!("/seats/{SEAT}/map.json"))).send().await.expect("map");
        assert_eq!(response.status().as_u16(), 200);
        let data: Value = response.json().await.expect("json");
        assert_eq!(data["tiles"]["url"], "", "no tile server is set");
        let streets = data["streets"].as_array().expect("streets");
        let parade = streets.iter().find(|s| s[0] == "Test Parade").expect("the new street is drawn");
        let lines = parade[1].as_array().expect("lines");
        assert_eq!(lines.len(), 1);
        let ends = lines[0].as_array().expect("a line");
        assert_eq!(ends.len(), 2, "a straight street is thinned to its two ends: {ends:?}");
        for p in ends {
            let (lon, lat) = (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
            assert!((lat - lat0).abs() * 111_320.0 < 1.5, "it runs down the road, between the sides: {lat}");
            assert!(lon > lon0 && lon < lon0 + east(100.0), "along the doors: {lon}");
        }

        let names: Vec<(String,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT DISTINCT street FROM households WHERE lat IS NOT NULL AND street IS NOT NULL")
            .fetch_all(pool).await).expect("streets");
        let names: HashSet<String> = names.into_iter().map(|(n,)| n).collect();
        let (min_lat, max_lat, min_lon, max_lon): (f64, f64, f64, f64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT MIN(lat), MAX(lat), MIN(lon), MAX(lon) FROM households").fetch_one(pool).await).expect("box");
        for street in streets {
            let name = street[0].as_str().expect("a name");
            assert!(names.contains(name), "{name} is a street of the register");
            for part in street[1].as_array().expect("lines") {
                let points = part.as_array().expect("a line");
                assert!(points.len() >= 2, "{name}: a line has two ends");
                for p in points {
                    let (lon, lat) = (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
                    assert!((min_lat..=max_lat).contains(&lat) && (min_lon..=max_lon).contains(&lon),
                        "{name}: {lon},{lat} lies among the seat's doors");
                }
            }
        }
        app.stop().await;
    }

    async fn turf_the_lists_filter_and_pages_work_as_plain_get_pages(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let all = app.count("SELECT COUNT(*) FROM walk_lists").await;
        assert!(all > 10, "the demo has more than a page of lists ({all})");
        // Close one list and take another off its volunteers, straight in the database.
        let (closed,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "UPDATE walk_lists SET status = 'closed' WHERE id = (SELECT MIN(id) FROM walk_lists) RETURNING id")
            .fetch_one(pool).await).expect("close");
        let (unassigned,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT MAX(id) FROM walk_lists").fetch_one(pool).await).expect("list");
        app::on_store!(&app.store, pool => sqlx::query("DELETE FROM walk_list_assignments WHERE walk_list_id = $1")
            .bind(unassigned).execute(pool).await.map(|_| ())).expect("unassign");

        let (status, html) = app.page(&format!("/seats/{SEAT}/map")).await;
        assert_eq!(status, 200);
        let first = shown_lists(&html);
        assert_eq!(first.len(), 10, "one page of ten lists, not all {all}");
        assert!(main_of(&html).contains("page 1 of"), "the pager says where we are");
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?page=2")).await;
        let second = shown_lists(&html);
        assert!(!second.is_empty() && second.iter().all(|id| !first.contains(id)), "page two is other lists");

        let closed_lists = newest(&app, "SELECT id FROM walk_lists WHERE status = 'closed' ORDER BY id DESC").await;
        assert!(closed_lists.contains(&closed) || closed_lists.len() == 10);
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?status=closed")).await;
        assert_eq!(shown_lists(&html), closed_lists);
        assert!(main_of(&html).contains("value=\"closed\" selected"), "the form shows the filter");
        let open_lists = newest(&app, "SELECT id FROM walk_lists WHERE status = 'active' ORDER BY id DESC").await;
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?status=active")).await;
        assert_eq!(shown_lists(&html), open_lists);
        let unassigned_lists = newest(&app,
            "SELECT id FROM walk_lists wl WHERE NOT EXISTS (SELECT 1 FROM walk_list_assignments a WHERE a.walk_list_id = wl.id)
              ORDER BY id DESC").await;
        assert!(unassigned_lists.contains(&unassigned));
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?assigned=no")).await;
        assert_eq!(shown_lists(&html), unassigned_lists);

        // A ward: only lists with doors in it.
        let (ward, name): (i64, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT w.id, w.name FROM wards w WHERE w.name = 'Ramsbottom'").fetch_one(pool).await).expect("ward");
        let in_ward: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT DISTINCT wh.walk_list_id FROM walk_list_households wh JOIN households h ON h.id = wh.household_id
               JOIN polling_districts pd ON pd.id = h.polling_district_id WHERE pd.ward_id = $1
              ORDER BY wh.walk_list_id DESC").bind(ward).fetch_all(pool).await).expect("lists");
        let expected: Vec<i64> = in_ward.into_iter().map(|(id,)| id).take(10).collect();
        assert!(!expected.is_empty() && (expected.len() as i64) < all, "{name} holds some lists, not all");
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?area=w{ward}")).await;
        assert_eq!(shown_lists(&html), expected);

        // A volunteer: only their lists.
        let (volunteer,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT v.id FROM volunteers v JOIN users u ON u.id = v.user_id WHERE u.email = $1")
            .bind(VOLUNTEER).fetch_one(pool).await).expect("the demo volunteer");
        let theirs: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT walk_list_id FROM walk_list_assignments WHERE volunteer_id = $1 ORDER BY walk_list_id DESC")
            .bind(volunteer).fetch_all(pool).await).expect("theirs");
        let theirs: Vec<i64> = theirs.into_iter().map(|(id,)| id).take(10).collect();
        assert!(!theirs.is_empty());
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?volunteer={volunteer}")).await;
        assert_eq!(shown_lists(&html), theirs);
        // One select to add a volunteer, not a box per volunteer.
        assert!(!main_of(&html).contains("name=\"volunteer\" value="), "no checkbox per volunteer");
        app.stop().await;
    }
}
