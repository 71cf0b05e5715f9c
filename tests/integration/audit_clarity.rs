//! The audit log reads as a person would say it: a list kept on a phone for use without
//! signal is one "cached" entry rather than a view per door, and the log screen names
//! each record (a door by its address, an elector by name, a list by its name, a person
//! by their account's name), saying "Erased elector" once an elector has been erased.

use super::privacy::{erase, subject, FIRST, SURNAME};
use groundwork_tests::*;

const OFFLINE: &str = "x-groundwork-offline";

async fn views_of_doors(app: &TestApp, list: i64) -> i64 {
    let (n,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'view' AND object_type = 'household' AND reason = $1")
        .bind(format!("doorstep, walk list {list}")).fetch_one(pool).await)
    .expect("views");
    n
}

async fn cached(app: &TestApp, list: i64) -> Vec<String> {
    let rows: Vec<(String,)> = app::on_store!(&app.store, pool => sqlx::query_as(
        "SELECT reason FROM audit_log WHERE action = 'cache' AND object_type = 'walk_list' AND object_id = $1")
        .bind(list.to_string()).fetch_all(pool).await).expect("cached");
    rows.into_iter().map(|(r,)| r).collect()
}

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str, offline: bool) -> u16 {
    let mut request = browser.get(app.url(path)).header(reqwest::header::ACCEPT, "text/html");
    if offline {
        request = request.header(OFFLINE, "1");
    }
    request.send().await.expect("GET").status().as_u16()
}

on_both_databases! {
    async fn audit_a_list_cached_for_offline_use_is_one_entry_and_not_a_view_per_door(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        let phone = app.new_browser();
        app.sign_in_with(&phone, VOLUNTEER, PASSWORD).await;
        let doors: Vec<(i64,)> = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT household_id FROM walk_list_households WHERE walk_list_id = $1 ORDER BY position")
            .bind(s.list).fetch_all(pool).await).expect("doors");
        assert!(doors.len() > 5, "a list of some size");
        let views_before = views_of_doors(&app, s.list).await;

        // A door fetched "for offline" before its list was cached is still a view.
        assert_eq!(get(&app, &phone, &format!("/walk/{}/door/{}", s.list, doors[0].0), true).await, 200);
        assert_eq!(views_of_doors(&app, s.list).await, views_before + 1, "no cached list covers it: a view");

        // The service worker's download: the list first, then every door.
        assert_eq!(get(&app, &phone, &format!("/walk/{}", s.list), true).await, 200);
        for (door,) in &doors {
            assert_eq!(get(&app, &phone, &format!("/walk/{}/door/{door}", s.list), true).await, 200);
        }
        let entries = cached(&app, s.list).await;
        assert_eq!(entries, vec![format!("list cached for offline use ({} doors)", doors.len())]);
        assert_eq!(views_of_doors(&app, s.list).await, views_before + 1, "the cached doors are not views each");

        // Opening a door as such is a view, as before.
        assert_eq!(get(&app, &phone, &format!("/walk/{}/door/{}", s.list, doors[1].0), false).await, 200);
        assert_eq!(views_of_doors(&app, s.list).await, views_before + 2);

        // The elector's subject access copy lists the caching of a list their door is on.
        app.sign_in(ORGANISER).await;
        let sar: serde_json::Value = app.client.get(app.url(&format!("/electors/{}/subject-access.json", s.elector)))
            .send().await.expect("sar").json().await.expect("json");
        let log = sar["access_log"].as_array().expect("log");
        assert!(log.iter().any(|a| a["action"] == "Cached for offline use"
            && a["what"].as_str().is_some_and(|w| w.starts_with("Walk list "))
            && a["who"].as_str().is_some_and(|w| !w.is_empty())), "{log:#?}");
        app.stop().await;
    }

    async fn audit_the_log_screen_names_each_record_and_an_erased_elector_as_erased(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let s = subject(&app).await;
        let organiser = app.new_browser();
        app.sign_in_with(&organiser, ORGANISER, PASSWORD).await;
        let (status, _) = app.page_with(&organiser, &format!("/electors/{}", s.elector)).await;
        assert_eq!(status, 200);
        let (status, _) = app.page_with(&organiser, &format!("/lists/{}/print", s.list)).await;
        assert_eq!(status, 200);
        let (status, _) = app.page_with(&organiser, "/seats/E14000611/electors?q=Qu").await;
        assert_eq!(status, 200);
        let (list_name, organiser_name): (String, String) = app::on_store!(&app.store, pool => sqlx::query_as(
            "SELECT wl.name, u.display_name FROM walk_lists wl, users u WHERE wl.id = $1 AND u.email = $2")
            .bind(s.list).bind(ORGANISER).fetch_one(pool).await).expect("names");

        app.sign_in(ADMIN).await;
        let (status, html) = app.page("/audit").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        let initial = &FIRST[..1];
        for named in [format!("Mx {initial} {SURNAME}, 17 Quillfeather Row"), "17 Quillfeather Row, BL9 9ZZ".into(),
                      format!("Walk list {list_name}"), organiser_name.clone(), "Viewed".into()] {
            assert!(main.contains(&named), "the log names {named}");
        }
        let (_, seat) = app.page("/audit?text=E14000611").await;
        assert!(main_of(&seat).contains("Bury North"), "a seat by its name");
        for bare in [format!("household {}", s.household), format!("elector {}", s.elector), format!("walk_list {}", s.list)] {
            assert!(!main.contains(&bare), "no bare ids like {bare}");
        }
        // Searching finds an entry by the account's name, too.
        let (_, found) = app.page(&format!("/audit?text={}", organiser_name.replace(' ', "+"))).await;
        assert!(main_of(&found).contains(&format!("Walk list {list_name}")));

        assert_eq!(erase(&app, &organiser, s.elector, true).await, 302);
        let (_, html) = app.page("/audit").await;
        let main = main_of(&html);
        assert!(main.contains("Erased elector"), "the erased elector reads as erased");
        assert!(main.contains("Erased address"), "their door, which nobody else lives at, too");
        for gone in [SURNAME, FIRST, "Quillfeather"] {
            assert!(!main.contains(gone), "nothing erased comes back from the log: {gone}");
        }
        app.stop().await;
    }
}
