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

on_both_databases! {
    async fn turf_the_map_data_draws_the_seats_streets_with_no_tile_server(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        app.sign_in(ORGANISER).await;
        let response = app.client.get(app.url(&format!("/seats/{SEAT}/map.json"))).send().await.expect("map");
        assert_eq!(response.status().as_u16(), 200);
        let data: Value = response.json().await.expect("json");
        assert_eq!(data["tiles"]["url"], "", "no tile server is set");
        let streets = data["streets"].as_array().expect("streets");
        let names: Vec<(String,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT DISTINCT street FROM households WHERE lat IS NOT NULL AND street IS NOT NULL")
            .fetch_all(pool).await).expect("streets");
        let names: HashSet<String> = names.into_iter().map(|(n,)| n).collect();
        // Nearly every street of the register is drawn (a one-door street has no line).
        assert!(streets.len() * 10 >= names.len() * 9, "{} of {} streets drawn", streets.len(), names.len());
        let (min_lat, max_lat, min_lon, max_lon): (f64, f64, f64, f64) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT MIN(lat), MAX(lat), MIN(lon), MAX(lon) FROM households").fetch_one(pool).await).expect("box");
        let mut corners = 0;
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
                    corners += 1;
                }
            }
        }
        let doors = data["doors"].as_array().expect("doors").len();
        // Thinned: far fewer corners than doors, so the streets cost less than the dots.
        assert!(corners * 3 < doors, "{corners} corners for {doors} doors");
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
            .bind(unassigned).execute(pool).await).expect("unassign");

        let (status, html) = app.page(&format!("/seats/{SEAT}/map")).await;
        assert_eq!(status, 200);
        let first = shown_lists(&html);
        assert_eq!(first.len(), 10, "one page of ten lists, not all {all}");
        assert!(main_of(&html).contains("page 1 of"), "the pager says where we are");
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?page=2")).await;
        let second = shown_lists(&html);
        assert!(!second.is_empty() && second.iter().all(|id| !first.contains(id)), "page two is other lists");

        let (_, html) = app.page(&format!("/seats/{SEAT}/map?status=closed")).await;
        assert_eq!(shown_lists(&html), vec![closed]);
        assert!(main_of(&html).contains("value=\"closed\" selected"), "the form shows the filter");
        let (_, html) = app.page(&format!("/seats/{SEAT}/map?assigned=no")).await;
        assert_eq!(shown_lists(&html), vec![unassigned]);

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
